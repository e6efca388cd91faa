#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make bench: boot systems/bench.toml under TCG with -icount shift=0,align=off (guest rdtsc
then counts instructions, so figures are repeatable path lengths), once with the IPC fastpath
and once with ipc=slow, and set the results beside a floor recorded on the same QEMU (the
shortest syscall+sysret and two-space round trip a hand-written probe reached on 2026-11-24;
this run does not measure it, and says so).

usage: bench.py BUILD
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

LINE = re.compile(r"^BENCH (.+?)\s+min\s+(\d+)\s+median\s+(\d+) ticks", re.M)
# the floor a minimal probe reached on this QEMU (2026-11-24): recorded, not measured here
RECORDED_FLOOR = {"syscall+sysret": 11, "A->B->A, 2 CR3 writes": 31}
FLOOR_SOURCE = "recorded 2026-11-24, not measured by this run"


def run_bench(build, append):
    out, status = qemu.run_captured(qemu.command(build, "systems/bench.toml", icount=True,
                                                 append=append), 300)
    if "BENCH done" not in out:
        sys.exit(f"bench: the benchmark system did not finish (status {status}):\n{out}")
    return {name.strip(): (int(lo), int(med)) for name, lo, med in LINE.findall(out)}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = sys.argv[1]
    fast, slow = run_bench(build, ""), run_bench(build, "ipc=slow")
    floor, source = RECORDED_FLOOR, FLOOR_SOURCE
    print("\nCoffer path lengths: guest rdtsc ticks = instructions (TCG, -icount shift=0)")
    print(f"{'operation':54} {'fastpath on':>16} {'ipc=slow':>16}")
    print(f"{'':54} {'min / median':>16} {'min / median':>16}")
    for name, f in fast.items():
        s = slow.get(name)
        slow_text = f"{s[0]} / {s[1]}" if s else "-"
        print(f"{name:54} {f'{f[0]} / {f[1]}':>16} {slow_text:>16}")
    print(f"\nFloor on the same QEMU ({source}):")
    for k, v in floor.items():
        print(f"  {k:52} {v:>6}")
    call = [v for k, v in fast.items() if "IPC call" in k][0][0]
    print(f"  IPC fastpath round trip / floor round trip           {call / floor['A->B->A, 2 CR3 writes']:6.1f}x")


if __name__ == "__main__":
    main()
