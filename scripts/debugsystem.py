#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make debug: boot one system in QEMU stopped at its first instruction, under gdb.

usage: debugsystem.py SYSTEM.toml BUILD [--port N] [--batch SCRIPT]

QEMU runs with its gdb stub on localhost:N (default 1234, or GDBPORT) and the guest's serial
output goes to BUILD/debug-<system>.log (gdb prints what is new there as it stops).
gdb (gdb-multiarch on AArch64) starts with the kernel's symbols (BUILD/kernel64.elf) and
scripts/gdb/coffer.py, which
knows which program each container runs and swaps in that program's symbols whenever gdb
stops. With --batch, gdb runs SCRIPT without a prompt and its exit status is returned.
QEMU is stopped when gdb ends.
"""
import json
import os
import signal
import subprocess
import sys
import time
import tomllib

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LISTEN = "0A"  # TCP state in /proc/net/tcp
# Debian's plain gdb knows the host's architecture only
GDB = {"x86_64": "gdb", "aarch64": "gdb-multiarch"}


def parse_args(argv):
    """(system file, build dir, port, batch script or None); exits with the usage on a bad list."""
    if len(argv) < 2:
        sys.exit(__doc__)
    system, build, rest = argv[0], argv[1], argv[2:]
    port, batch = os.environ.get("GDBPORT", "") or "1234", None
    while rest:
        if len(rest) < 2 or rest[0] not in ("--port", "--batch"):
            sys.exit(__doc__)
        if rest[0] == "--port":
            port = rest[1]
        else:
            batch = rest[1]
        rest = rest[2:]
    if not port.isdigit() or not 0 < int(port) < 65536:
        sys.exit(f"debug: the gdb port must be a number from 1 to 65535, not '{port}'")
    return system, build, int(port), batch


def containers(system):
    """{container name: program} of a system file the checker has already accepted."""
    with open(system, "rb") as f:
        return {c["name"]: c["program"] for c in tomllib.load(f).get("container", [])}


def listening(port):
    """Is something listening on TCP port (IPv4 or IPv6) on this machine?"""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = [line.split() for line in f.readlines()[1:]]
        except OSError:
            continue
        if any(r[1].endswith(f":{port:04X}") and r[3] == LISTEN for r in rows):
            return True
    return False


def start_qemu(build, system, port, log):
    """QEMU halted at reset with its gdb stub on port; waits until the stub listens."""
    if listening(port):
        sys.exit(f"debug: port {port} is in use (another make debug?): choose one with GDBPORT=N")
    cmd = qemu.user_command(build, system, serial=f"file:{log}") + \
        ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]
    # its own session: Ctrl-C in gdb interrupts the guest through the stub, not QEMU itself
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
    for _ in range(200):
        if listening(port):
            return proc
        if proc.poll() is not None:
            sys.exit(f"debug: QEMU ended with status {proc.returncode} before gdb could attach")
        time.sleep(0.05)
    proc.kill()
    sys.exit(f"debug: QEMU's gdb stub did not listen on port {port} within 10 s")


def gdb_command(build, setup, port, batch):
    """gdb with the kernel's symbols, coffer.py loaded and attached to QEMU's stub."""
    cmd = [GDB[qemu.ARCH], "-q", "-nx"] + (["-batch"] if batch else []) + [
        os.path.join(build, "kernel64.elf"),
        "-ex", f"source {os.path.join(HERE, 'gdb', 'coffer.py')}",
        "-ex", f"coffer setup {setup}",
        "-ex", f"target remote 127.0.0.1:{port}"]
    return cmd + (["-x", batch] if batch else [])


def main():
    system, build, port, batch = parse_args(sys.argv[1:])
    name = os.path.splitext(os.path.basename(system))[0]
    log = os.path.join(build, f"debug-{name}.log")
    setup = os.path.join(build, f"debug-{name}.json")
    proc = start_qemu(build, system, port, log)  # checks the system file first
    programs = {c: os.path.abspath(os.path.join(build, "user", p + ".elf"))
                for c, p in containers(system).items()}
    with open(setup, "w") as f:
        json.dump({"containers": programs, "serial": os.path.abspath(log)}, f, indent=1)
    if not batch:
        print(f"debug: {system} stopped at reset; serial output in {log}", flush=True)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is gdb's
    try:
        status = subprocess.call(gdb_command(build, setup, port, batch))
    except FileNotFoundError:
        status = (f"debug: {GDB[qemu.ARCH]} is not installed (apt-get install "
                  f"{GDB[qemu.ARCH]}, or run make deps)")
    finally:
        proc.kill()
        proc.wait()
    sys.exit(status)


if __name__ == "__main__":
    main()
