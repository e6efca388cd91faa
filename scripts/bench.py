#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make bench: boot systems/bench.toml under TCG with -icount shift=0,align=off (guest rdtsc
then counts instructions, so figures are repeatable path lengths), once with the IPC fastpath
and once with ipc=slow, and set the results beside the limit probe's floor.

usage: bench.py BUILD
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "..", "..", "shared", "tools", "limit-probe")
LINE = re.compile(r"^BENCH (.+?)\s+min\s+(\d+)\s+median\s+(\d+) ticks", re.M)
# recorded by the limit probe on this QEMU (2026-11-24), used when it is not beside the repo
RECORDED_FLOOR = {"syscall+sysret": 11, "A->B->A, 2 CR3 writes": 31}


def run_bench(build, append):
    out, status = qemu.run_captured(qemu.command(build, "systems/bench.toml", icount=True,
                                                 append=append), 300)
    if "BENCH done" not in out:
        sys.exit(f"bench: the benchmark system did not finish (status {status}):\n{out}")
    return {name.strip(): (int(lo), int(med)) for name, lo, med in LINE.findall(out)}


def probe_floor(build):
    """Run the limit probe (make icount) if it is there; its K1 minimum for two rows."""
    if not os.path.isdir(PROBE):
        return RECORDED_FLOOR, "recorded 2026-11-24 (limit probe not found)"
    p = subprocess.run(["make", "-s", "-C", PROBE, "icount",
                        "BUILD=" + os.path.abspath(os.path.join(build, "limit-probe"))],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    floor = {}
    for key, row in (("syscall+sysret", r"\| a  syscall\+sysret[^|]*\|\s*(\d+)"),
                     ("A->B->A, 2 CR3 writes", r"\| c1 A->B->A[^|]*\|\s*(\d+)")):
        m = re.search(row, p.stdout)
        if m:
            floor[key] = int(m.group(1))
    if len(floor) != 2:
        return RECORDED_FLOOR, "recorded 2026-11-24 (limit probe run failed)"
    return floor, "measured now by ../shared/tools/limit-probe (make icount)"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = sys.argv[1]
    fast, slow = run_bench(build, ""), run_bench(build, "ipc=slow")
    floor, source = probe_floor(build)
    print("\nCoffer path lengths: guest rdtsc ticks = instructions (TCG, -icount shift=0)")
    print(f"{'operation':50} {'fastpath on':>16} {'ipc=slow':>16}")
    print(f"{'':50} {'min / median':>16} {'min / median':>16}")
    for name, f in fast.items():
        s = slow.get(name)
        slow_text = f"{s[0]} / {s[1]}" if s else "-"
        print(f"{name:50} {f'{f[0]} / {f[1]}':>16} {slow_text:>16}")
    print(f"\nFloor on the same QEMU ({source}):")
    for k, v in floor.items():
        print(f"  {k:48} {v:>6}")
    call = [v for k, v in fast.items() if "IPC call" in k][0][0]
    print(f"  IPC fastpath round trip / floor round trip       {call / floor['A->B->A, 2 CR3 writes']:6.1f}x")


if __name__ == "__main__":
    main()
