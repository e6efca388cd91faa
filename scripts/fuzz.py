#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make fuzz: the syscall fuzz system (systems/fuzz.toml) for a while, with a seed.

usage: fuzz.py BUILD SECS SEED [RESTART_MS]

Boots systems/fuzz.toml with its seed= and secs= arguments (and restart=, if given)
rewritten, on a kernel started with "quiet" (no [reject] line per refused call). The
fuzzer makes random system calls for SECS seconds of guest time, restarted by the
supervisor every RESTART_MS milliseconds (its seed is SEED plus its restart count),
while the victim beats every 100 ms and checks its pools and capabilities.

The serial output goes to BUILD/fuzz/seed-SEED.log, not to the terminal. The summary
gives the calls made and their results (added up over the runs, each counted at its
last report: reports come several times a second) and the victim's beats. Exits 0 only
when the kernel did not panic, the victim kept beating to the end with its pools
intact, the fuzzer reached its final summary with no wrong success, and the system
ended by itself; otherwise 1, with the reasons.
"""
import os
import queue
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import bench_arch  # noqa: E402
import qemu  # noqa: E402

# the architecture's: virt has neither the PIT nor I/O ports (systems/fuzz-virt.toml)
SYSTEM = os.path.join(os.path.dirname(__file__), "..", "systems",
                      "fuzz-virt.toml" if qemu.ARCH == "aarch64" else "fuzz.toml")
BEAT_SILENCE = 15  # wall seconds without a victim beat that count as a stopped heartbeat
# Guest time runs slower than the wall clock (timer ticks coalesce while the kernel works with
# interrupts off), so the whole run may take up to 3 * SECS + SLACK wall seconds.
SLACK = 120

REPORT = re.compile(r"fuzz: run ([0-9]+)( done)?: ([0-9]+) calls:((?: [A-Z?]+ [0-9]+)*)")
BEAT = re.compile(r"victim: beat ([0-9]+) at ([0-9]+) ms")
VICTIM_END = re.compile(r"victim: ([0-9]+) beats, (all pools intact.*|.*FAILURES.*)")
RESTART = re.compile(r"super: restarted the fuzzer \(([0-9]+)[,)]")
BAD = re.compile(r"KERNEL PANIC|victim: FAIL|super: FAIL|fuzz: WRONG|still in use at restart")


def make_system(build, secs, seed, restart_ms):
    """systems/fuzz.toml with the arguments rewritten, in BUILD/fuzz/."""
    with open(SYSTEM) as f:
        text = f.read()
    subs = [(r"\bsecs=[0-9]+", f"secs={secs}", 2), (r"\bseed=[0-9]+", f"seed={seed}", 1)]
    if restart_ms is not None:
        subs.append((r"\brestart=[0-9]+", f"restart={restart_ms}", 1))
    for pattern, value, want in subs:
        text, n = re.subn(pattern, value, text)
        if n != want:
            sys.exit(f"fuzz: {SYSTEM}: expected {want} '{value.split('=')[0]}=' argument(s), "
                     f"found {n}")
    out = os.path.join(build, "fuzz", f"fuzz-seed{seed}.toml")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)
    return out


class Run:
    """What the serial output said so far."""

    def __init__(self):
        self.runs = {}  # run number -> (calls, {result: count}, done)
        self.beats = 0
        self.last_beat = None  # wall time of the last beat
        self.victim_end = None
        self.restarts = 0
        self.bad = []

    def line(self, text):
        m = REPORT.search(text)
        if m:
            hist = dict(zip(*[iter(m.group(4).split())] * 2))
            self.runs[int(m.group(1))] = (int(m.group(3)), {k: int(v) for k, v in hist.items()},
                                          bool(m.group(2)))
        m = BEAT.search(text)
        if m:
            self.beats = int(m.group(1)) + 1
            self.last_beat = time.monotonic()
        m = VICTIM_END.search(text)
        if m:
            self.victim_end = m.group(0)
        m = RESTART.search(text)
        if m:
            self.restarts = int(m.group(1))
        m = BAD.search(text)
        if m and len(self.bad) < 10:
            self.bad.append(text[m.start():][:200])


def reader(stream, lines):
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode(errors="replace").replace("\r", "").rstrip("\n"))
    lines.put(None)


def run(cmd, log_path, secs):
    """Boot, follow the output; returns (Run, exit status or None, why it was stopped)."""
    state, stopped = Run(), None
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
    except OSError as e:
        sys.exit(f"fuzz: cannot start {cmd[0]}: {e.strerror}")
    lines = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, lines), daemon=True).start()
    start = time.monotonic()
    with open(log_path, "w") as log:
        while True:
            try:
                text = lines.get(timeout=1)
            except queue.Empty:
                text = ""
            if text is None:
                break
            if text:
                log.write(text + "\n")
                state.line(text)
            now = time.monotonic()
            if state.last_beat and not state.victim_end and now - state.last_beat > BEAT_SILENCE:
                stopped = f"the victim's heartbeat stopped after beat {state.beats - 1}"
            elif now - start > 3 * secs + SLACK:
                stopped = f"still running {3 * secs + SLACK} s after it started"
            if stopped:
                proc.kill()
                break
    return state, proc.wait(), stopped


def summary(state):
    calls, hist = 0, {}
    for n, h, _ in state.runs.values():
        calls += n
        for k, v in h.items():
            hist[k] = hist.get(k, 0) + v
    return calls, " ".join(f"{k} {v}" for k, v in sorted(hist.items(), key=lambda kv: -kv[1]))


def main():
    if len(sys.argv) not in (4, 5) or not all(a.isdigit() for a in sys.argv[2:]):
        sys.exit(__doc__)
    build, secs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    restart_ms = int(sys.argv[4]) if len(sys.argv) == 5 else None
    if secs < 1 or (restart_ms is not None and restart_ms < 10):
        sys.exit("fuzz: SECS must be at least 1, and RESTART at least 10 (milliseconds)")
    name = "systems/" + os.path.basename(SYSTEM)
    if not os.path.isfile(SYSTEM):
        sys.exit(f"fuzz: {name}: no such file (the fuzz system for {qemu.ARCH})")
    why = bench_arch.why_not(SYSTEM)  # its programs on ARCH: mk/$(ARCH).mk's UARCH_SKIP
    if why:
        sys.exit(f"fuzz: {name} does not run on {qemu.ARCH}: {why}")
    system = make_system(build, secs, seed, restart_ms)
    log_path = os.path.join(build, "fuzz", f"seed-{seed}.log")
    cmd = qemu.command(build, system, append="quiet")
    print(f"fuzz: seed {seed}, {secs} s of guest time; serial output in {log_path}", flush=True)
    try:
        state, status, stopped = run(cmd, log_path, secs)
    except KeyboardInterrupt:
        sys.exit("fuzz: interrupted")
    calls, hist = summary(state)
    print(f"fuzz: {len(state.runs)} run(s), {state.restarts} restart(s) under fire, "
          f"{calls} calls: {hist}")
    print(f"fuzz: {state.victim_end or f'victim: {state.beats} beats, no final check'}")
    why = list(state.bad)
    if stopped:
        why.append(stopped)
    elif qemu.guest_code(status) != 0:
        why.append(qemu.describe_end(status))
    if not state.victim_end or "FAILURES" in state.victim_end:
        why.append("the victim did not finish with its pools intact")
    if not any(done for _, _, done in state.runs.values()):
        why.append("the fuzzer gave no final summary")
    if why:
        print("fuzz: FAIL: " + "; ".join(dict.fromkeys(why)))
        print(f"fuzz: reproduce with: make fuzz SECS={secs} SEED={seed}"
              + (f" RESTART={restart_ms}" if restart_ms is not None else ""))
        sys.exit(1)
    print("fuzz: PASS")


if __name__ == "__main__":
    main()
