# SPDX-License-Identifier: BSD-2-Clause
"""make bench's unmap rows (systems/benchunmap.toml, user/benchunmap): the path length of the
kernel's large unmaps (4,096 mapped pages narrowed away in one cap_deduce, a space with 4,096
pages destroyed, mem_protect and mem_share of 512 pages), and the worst interrupt latency of
a high-priority thread (benchrevoke's "lat") while another container runs them, beside
LATENCY_GOAL. Booted with check=boot, as the revoke rows are. A row the system did not print
is "n/a" with the reason, never a failure of make bench (on AArch64 every row: lat times
the PIT's interrupt, scripts/bench_arch.py)."""
import re

import bench_arch
import qemu

SYSTEM = bench_arch.system_for("systems/benchunmap.toml")
# benchunmap's rows, in its order and with its names (user/benchunmap/benchunmap.c)
ROWS = ["unmap of 4,096 pages (cap_deduce)", "destroy of a space with 4,096 pages",
        "mem_protect + mem_share of 512 pages"]
LATENCY_ROW = "interrupt latency, another container unmaps"
LATENCY_GOAL = 50000  # issue 15: instructions an interrupt may wait for its thread
LINE = re.compile(r"^BENCH (.+?)\s+min\s+(\d+)\s+median\s+(\d+) ticks", re.M)
# lat's one row (its name is benchrevoke's: it does not know what the other container does)
WORST = re.compile(r"^BENCH .+?\s+worst\s+(\d+)\s+median\s+(\d+) ticks, (\d+) interrupts", re.M)
NO_LATENCY = re.compile(r"^BENCH n/a interrupt latency.*?: (.+)$", re.M)  # lat saw no interrupt


def parse(out):
    """{row: (min, median)} for ROWS, {LATENCY_ROW: (worst, median, interrupts)}, or for a row
    not printed the reason."""
    rows = {name.strip(): (int(lo), int(med)) for name, lo, med in LINE.findall(out)}
    worst, none = WORST.findall(out), NO_LATENCY.findall(out)
    if worst:
        rows[LATENCY_ROW] = tuple(int(x) for x in worst[0])
    elif none:
        rows[LATENCY_ROW] = none[0].strip()
    why = "benchunmap did not print it" if "all threads finished" in out else \
        "the system did not finish"
    return {name: rows.get(name, why) for name in ROWS + [LATENCY_ROW]}


def run(build):
    why = bench_arch.why_not(SYSTEM)
    if why:
        return {name: why for name in ROWS + [LATENCY_ROW]}
    out, _ = qemu.run_captured(qemu.command(build, SYSTEM, icount=True, append="check=boot"), 300)
    return parse(out)


def show(rows):
    print(f"\nUnmaps ({SYSTEM}: user/benchunmap), the same ticks:")
    for name in ROWS:
        v = rows[name]
        cell = f"{v[0]} / {v[1]}" if isinstance(v, tuple) else f"n/a: {v}"
        print(f"{name:54} {cell:>16}")
    v = rows[LATENCY_ROW]
    if isinstance(v, tuple):
        verdict = "within" if v[0] <= LATENCY_GOAL else "OVER"
        print(f"{LATENCY_ROW:54} {f'worst {v[0]}':>16}   median {v[1]}, {v[2]} interrupts; "
              f"{verdict} the goal of {LATENCY_GOAL}")
    else:
        print(f"{LATENCY_ROW:54} n/a: {v}")


def report(build):
    show(run(build))
