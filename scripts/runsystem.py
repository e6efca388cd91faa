#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make run: boot one system in QEMU on this terminal. usage: runsystem.py SYSTEM.toml BUILD

Exits with the kernel's halt code (0 when every thread finished, 3 after a kernel panic),
or 1 when QEMU ended without the kernel halting (Ctrl-A X, or QEMU failed).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402
import symbolize  # noqa: E402


def run(cmd, build):
    """Run QEMU with the terminal as its input and its output passed through the symboliser
    (file:line in fault reports); returns its exit status."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    try:
        symbolize.stream(build, p.stdout.fileno(), sys.stdout.buffer)
    except KeyboardInterrupt:  # QEMU got it too (same process group) and is ending
        pass
    except BrokenPipeError:  # our reader went away (make run | head): stop QEMU
        # SIGTERM, not SIGKILL: QEMU exits the ordinary way and puts the terminal back out of
        # raw mode. What the runner would still print has no reader: it goes nowhere rather
        # than raise again (a traceback, and Python's own complaint at exit).
        p.terminate()
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return p.wait()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cmd = qemu.user_command(sys.argv[2], sys.argv[1], serial="mon:stdio")
    print(f"booting {sys.argv[1]}; Ctrl-A X quits", flush=True)
    status = run(cmd, sys.argv[2])
    code = qemu.guest_code(status)
    if code == 0:
        sys.exit(0)
    print(f"\n{qemu.describe_end(status)}")
    sys.exit(code if code is not None else 1)


if __name__ == "__main__":
    main()
