#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make bench: boot systems/bench.toml under TCG with -icount shift=0,align=off (guest rdtsc
then counts instructions, so figures are repeatable path lengths), once with the IPC fastpath
and once with ipc=slow. Each row is shown beside a floor the same run measures: the kernel
booted with bench=floor (kernel/core/floor_probe.c) times, as bench.c times its rows, a
syscall+sysret with a null handler and a round trip between two spaces with the least a
switch does. The null system call, IPC and notification rows again among 2, 256 and
4,096 threads (systems/scale*.toml, user/scale), which must stay flat. Then what booting
costs (the kernel's "boot: N timestamp ticks" line on systems/default.toml), and the Linux
personality's rows (systems/lxbench.toml, linux/bench/lxbench.c): a row it could not measure
is "n/a" with the reason, never a failure of make bench. Last the revoke rows
(systems/benchrevoke.toml, user/benchrevoke): the path length of a revoke of a 700-copy chain
and of 10,000 copies, and the worst interrupt latency of a high-priority thread while another
container revokes 10,000 copies, and while it restarts a container that made 10,000 copies
(each at most REVOKE_LATENCY_GOAL), booted with check=boot (a debug
build's self-check after each capability call reads all 12,000 slots of that system), and
the unmap rows (scripts/bench_unmap.py). On AArch64 (ARCH=aarch64) the counter is the PMU's
cycle counter, PMCCNTR_EL0, which under -icount shift=0 counts one a guest instruction as
rdtsc does, and a system whose programs do not build there (the Linux personality, the PIT's
latency thread) gives its rows as "n/a" with mk/aarch64.mk's reason (scripts/bench_arch.py).

usage: bench.py BUILD
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402
import bench_arch  # noqa: E402
import bench_unmap  # noqa: E402

LINE = re.compile(r"^BENCH (.+?)\s+min\s+(\d+)\s+median\s+(\d+) ticks", re.M)
NOT_MEASURED = re.compile(r"^BENCH n/a (.+?): (.+)$", re.M)
LINUX_SYSTEM = "systems/lxbench.toml"
# lxbench's rows, in its order and with its names (linux/bench/lxbench.c)
LINUX_ROWS = ["linux getpid round trip (raw syscall)",
              "linux pipe round trip, 2 processes, 1 byte",
              "linux fork + child _exit(0) + waitpid"]
# a line after which the Linux system will never print "BENCH done": stop QEMU at once (whole
# lines only: the output may end in the middle of one while QEMU runs)
LINUX_GIVE_UP = r"^((?:linux: (?:cannot start|no program)|USER FAULT|KERNEL PANIC).*)\n"
NO_FILE = "error 2"  # ENOENT: the server's file system has no such program
# the floor rows the kernel prints with bench=floor (kernel/core/floor_probe.c), with a mark each
FLOOR_ROWS = {"floor: system call + return, null handler": "a",
              "floor: A->B->A, two spaces, 2 root writes": "b"}
SYSCALL_FLOOR, SWITCH_FLOOR = FLOOR_ROWS
# rows whose round trip goes through another container's thread: beside the two-space floor;
# every other row (a system call in the caller's own space) beside the system call's
CROSSES_SPACES = ("IPC call+reply", "page fault round trip", "foreign syscall round trip",
                  "linux ")
# the kernel's line as it hands the CPU to the first user thread (kernel/core/main.c)
BOOT_LINE = re.compile(r"^boot: (\d+) timestamp ticks from reset to the first user thread", re.M)
BOOT_SYSTEM = bench_arch.boot_system()
# the scale rows (user/scale): the same operations among 2, 256 and 4,096 threads (2, 16 and
# 256 containers); check=boot: a debug kernel's check of every table after every call would
# take most of the 4,096-thread system's boot
SCALE_SYSTEMS = ["systems/scale2.toml", "systems/scale256.toml", "systems/scale4096.toml"]
REVOKE_SYSTEM = bench_arch.system_for("systems/benchrevoke.toml")
# benchrevoke's rows, in its order and with its names (user/benchrevoke/benchrevoke.c)
REVOKE_ROWS = ["revoke, a chain of 700 copies", "revoke, 10,000 copies (10 containers)"]
LATENCY_ROW = "interrupt latency, another container revokes"
# the same while another container restarts one that made 10,000 copies (the same goal)
RESTART_LATENCY_ROW = "interrupt latency, another container restarts"
# and while another container destroys a run-time table of 1,024 capabilities, one with
# 10,000 children (its end: kernel/object/cspace.c)
TEARDOWN_LATENCY_ROW = "interrupt latency, another container ends a table"
LATENCY_ROWS = [LATENCY_ROW, RESTART_LATENCY_ROW, TEARDOWN_LATENCY_ROW]
WORST = re.compile(r"^BENCH (.+?)\s+worst\s+(\d+)\s+median\s+(\d+) ticks, (\d+) interrupts",
                   re.M)
REVOKE_LATENCY_GOAL = 50000  # issue 15: instructions an interrupt may wait for its thread


def run_bench(build, append, system="systems/bench.toml"):
    out, status = qemu.run_captured(qemu.command(build, system, icount=True,
                                                 append=append), 300)
    if "BENCH done" not in out:
        sys.exit(f"bench: the benchmark system {system} did not finish (status {status}):\n{out}")
    return parse_rows(out)


def by_operation(rows):
    """Rows named "operation, N threads" ordered by operation (as first seen), then by N."""
    ops = list(dict.fromkeys(name.rpartition(", ")[0] for name in rows))

    def key(name):
        op, _, threads = name.rpartition(", ")
        return ops.index(op), int(threads.split()[0])
    return {name: rows[name] for name in sorted(rows, key=key)}


def run_scale(build, append):
    """The scale rows of every system in SCALE_SYSTEMS: {name: (min, median)}."""
    rows = {}
    for system in SCALE_SYSTEMS:
        rows.update(run_bench(build, " ".join(filter(None, [append, "check=boot"])), system))
    return by_operation(rows)


def parse_rows(out):
    """The measured rows of a bench program's output: {name: (min, median)}, in its order."""
    return {name.strip(): (int(lo), int(med)) for name, lo, med in LINE.findall(out)}


def parse_floor(out):
    """The floor rows of a bench=floor boot: {name: (min, median)}, or the reason it has
    none (a string)."""
    rows = {name: v for name, v in parse_rows(out).items() if name in FLOOR_ROWS}
    if len(rows) == len(FLOOR_ROWS):
        return rows
    why = NOT_MEASURED.search(out)
    return why.group(2).strip() if why else "the probe printed no floor (did the kernel boot?)"


def run_floor(build):
    """The floor the kernel measures with bench=floor (it halts without starting a system)."""
    out, _ = qemu.run_captured(qemu.command(build, "systems/bench.toml", icount=True,
                                            append="bench=floor"), 120)
    return parse_floor(out)


def floor_of(row):
    """The floor row a bench row is set beside."""
    return SWITCH_FLOOR if row.startswith(CROSSES_SPACES) else SYSCALL_FLOOR


def times_floor(row, ticks, floor):
    """The 'x floor' cell: how many times its floor's minimum the row's minimum is."""
    if isinstance(floor, str):
        return "-"
    least = floor[floor_of(row)][0]
    return f"{ticks / least:.1f} {FLOOR_ROWS[floor_of(row)]}" if least else "-"


def parse_boot(out):
    """Guest instructions from reset to the first user thread, or None if the kernel never
    got that far."""
    m = BOOT_LINE.search(out)
    return int(m.group(1)) if m else None


def run_boot(build):
    """Boot the default system until the kernel says what booting cost. QEMU's icount sleep
    is off for this run: with it on, the virtual clock (the timestamp counter) runs on while
    QEMU loads the firmware's files, by as much as the host happens to take."""
    cmd = qemu.command(build, BOOT_SYSTEM, icount=True, icount_sleep=False)
    out, _ = qemu.run_fed(cmd, 120, [], until=BOOT_LINE.pattern)
    return parse_boot(out)


def parse_linux(out, status):
    """lxbench's rows from the Linux system's output and QEMU's status (None: stopped or timed
    out): {row: (min, median), or the reason it is n/a}, every row of LINUX_ROWS."""
    rows = {name: reason.strip() for name, reason in NOT_MEASURED.findall(out)}
    rows.update(parse_rows(out))
    if "BENCH done" in out:
        why = "lxbench did not print it"
    else:
        gave_up = re.search(LINUX_GIVE_UP, out, re.M)
        why = gave_up.group(1) if gave_up else \
            f"the system did not finish ({qemu.describe_end(status)})"
        if gave_up and why.startswith("linux: cannot start") and why.endswith(NO_FILE):
            why += " (ENOENT: no such program in the server's file system)"
    return {name: rows.get(name, why) for name in LINUX_ROWS}


def run_linux(build, append):
    """Boot the Linux bench system; its rows as parse_linux gives them (each the reason, if
    the system cannot run on ARCH)."""
    why = bench_arch.linux_why_not("lxbench") or bench_arch.why_not(LINUX_SYSTEM)
    if why:
        return {name: why for name in LINUX_ROWS}
    cmd = qemu.command(build, LINUX_SYSTEM, icount=True, append=append)
    out, status = qemu.run_fed(cmd, 300, [], until=LINUX_GIVE_UP + r"|^BENCH done\n")
    return parse_linux(out, status)


def print_linux(fast, slow, floor):
    """The Linux rows in the kernel rows' layout; an n/a cell points to its reason below."""
    reasons = []

    def cell(v):
        if isinstance(v, tuple):
            return f"{v[0]} / {v[1]}"
        if v not in reasons:
            reasons.append(v)
        return f"n/a ({reasons.index(v) + 1})"

    print(f"\nLinux personality ({LINUX_SYSTEM}: linux/bench/lxbench.c), the same ticks,")
    print("user code around each call included (the libc wrapper, the loop):")
    for name in LINUX_ROWS:
        ratio = times_floor(name, fast[name][0], floor) if isinstance(fast[name], tuple) else "-"
        print(f"{name:54} {cell(fast[name]):>16} {cell(slow[name]):>16} {ratio:>9}")
    for i, why in enumerate(reasons):
        print(f"  ({i + 1}) {why}")


def print_floor(floor):
    print("\nFloor, measured by this run (the kernel with bench=floor, kernel/core/floor_probe.c;")
    print("x floor above is a row's min over its floor's min):")
    if isinstance(floor, str):
        print(f"  not measured: {floor}")
        return
    for (name, mark), words in zip(FLOOR_ROWS.items(), bench_arch.FLOOR_WORDS[bench_arch.ARCH]):
        print(f"  {mark}  {name.removeprefix('floor: '):50} "
              f"{f'{floor[name][0]} / {floor[name][1]}':>16}   {words}")


def parse_revoke(out):
    """benchrevoke's rows: {row: (min, median)} for REVOKE_ROWS and {LATENCY_ROW: (worst,
    median, interrupts)}, or for any row it did not print, the reason (a line "BENCH n/a ...",
    or that the system did not finish)."""
    rows = {name: reason.strip() for name, reason in NOT_MEASURED.findall(out)}
    rows.update(parse_rows(out))
    rows.update({name.strip(): (int(w), int(m), int(n)) for name, w, m, n in WORST.findall(out)})
    why = "benchrevoke did not print it" if "BENCH done" in out else "the system did not finish"
    return {name: rows.get(name, why) for name in REVOKE_ROWS + LATENCY_ROWS}


def run_revoke(build):
    why = bench_arch.why_not(REVOKE_SYSTEM)
    if why:
        return {name: why for name in REVOKE_ROWS + LATENCY_ROWS}
    cmd = qemu.command(build, REVOKE_SYSTEM, icount=True, append="check=boot")
    out, _ = qemu.run_captured(cmd, 300)
    return parse_revoke(out)


def print_revoke(rows):
    print(f"\nRevoke ({REVOKE_SYSTEM}: user/benchrevoke), the same ticks:")
    for name in REVOKE_ROWS:
        v = rows[name]
        cell = f"{v[0]} / {v[1]}" if isinstance(v, tuple) else f"n/a: {v}"
        print(f"{name:54} {cell:>16}")
    for name in LATENCY_ROWS:
        v = rows[name]
        if isinstance(v, tuple):
            verdict = "within" if v[0] <= REVOKE_LATENCY_GOAL else "OVER"
            print(f"{name:54} {f'worst {v[0]}':>16}   median {v[1]}, {v[2]} interrupts; "
                  f"{verdict} the goal of {REVOKE_LATENCY_GOAL}")
        else:
            print(f"{name:54} n/a: {v}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = sys.argv[1]
    fast, slow = run_bench(build, ""), run_bench(build, "ipc=slow")
    fast.update(run_scale(build, ""))
    slow.update(run_scale(build, "ipc=slow"))
    floor = run_floor(build)
    print(f"\nCoffer path lengths ({bench_arch.ARCH}): {bench_arch.COUNTER[bench_arch.ARCH]} "
          "(TCG, -icount shift=0)")
    print(f"{'operation':54} {'fastpath on':>16} {'ipc=slow':>16} {'x floor':>9}")
    print(f"{'':54} {'min / median':>16} {'min / median':>16}")
    for name, f in fast.items():
        s = slow.get(name)
        slow_text = f"{s[0]} / {s[1]}" if s else "-"
        print(f"{name:54} {f'{f[0]} / {f[1]}':>16} {slow_text:>16} "
              f"{times_floor(name, f[0], floor):>9}")
    print_floor(floor)
    boot = run_boot(build)
    boot = boot if boot is not None else "n/a (the kernel printed no boot line)"
    print(f"\nBoot, {bench_arch.BOOT_FROM[bench_arch.ARCH]} to the first user thread "
          f"({BOOT_SYSTEM}): {boot} instructions")
    print_linux(run_linux(build, ""), run_linux(build, "ipc=slow"), floor)
    print_revoke(run_revoke(build))
    bench_unmap.report(build)


if __name__ == "__main__":
    main()
