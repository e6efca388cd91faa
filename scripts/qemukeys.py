# SPDX-License-Identifier: BSD-2-Clause
"""Typing on a QEMU guest's keyboard during a test: tests.toml's `keys` and `keys_after`.

QEMU gets a human monitor on a unix socket of its own (-monitor unix:...); once the serial
log matches `keys_after`, each key of `keys` goes to it as "sendkey KEY" (QEMU's key names:
"a", "shift-a", "ctrl-c", "up", "caps_lock", "ret"), in order, each answered by the monitor's
prompt before the next is sent, so none is lost when the socket closes. The log is read by a
thread of its own, so a guest that prints much while it waits cannot block QEMU.
"""
import os
import re
import socket
import subprocess
import tempfile
import threading
import time

PROMPT = b"(qemu) "


def sendkey_lines(keys):
    """The monitor commands for keys; a key that could smuggle another command is refused."""
    for k in keys:
        if not isinstance(k, str) or not re.fullmatch(r"[a-z0-9_]+(-[a-z0-9_]+)*", k):
            raise ValueError(f"keys: {k!r} is not a QEMU key name like 'a' or 'shift-a'")
    return [f"sendkey {k}\n".encode() for k in keys]


def monitor_commands(path, lines, deadline):
    """Send lines to the monitor at path, each after its prompt; wait for the last prompt."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    while True:
        try:
            s.connect(path)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    s.settimeout(max(0.1, deadline - time.monotonic()))
    seen = b""
    with s:
        for line in [*lines, None]:
            while seen.count(PROMPT) == 0:
                data = s.recv(4096)
                if not data:
                    raise OSError("the monitor closed its socket")
                seen += data
            seen = seen.split(PROMPT, 1)[1]
            if line is not None:
                s.sendall(line)


def run_captured_with_keys(cmd, timeout, keys, after):
    """qemu.run_captured, typing keys once the log matches the regex after.

    Returns (output text, exit status or None on timeout); a key that could not be typed
    (the pattern never matched, the monitor failed) leaves a line saying why in the output.
    """
    lines = sendkey_lines(keys)
    pattern = re.compile(after, re.M)
    with tempfile.TemporaryDirectory(prefix="coffer-mon-") as d:
        path = os.path.join(d, "monitor")
        p = subprocess.Popen(cmd + ["-monitor", f"unix:{path},server=on,wait=off"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        chunks, matched = [], threading.Event()

        def reader():
            for chunk in iter(lambda: p.stdout.read1(4096), b""):
                chunks.append(chunk)
                text = b"".join(chunks).decode(errors="replace").replace("\r", "")
                if pattern.search(text):
                    matched.set()
            matched.set()  # QEMU ended: nothing more to wait for

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        deadline = time.monotonic() + timeout
        note = ""
        if matched.wait(timeout) and p.poll() is None:
            try:
                monitor_commands(path, lines, deadline)
            except OSError as e:
                note = f"\nrunner: keys not typed: {e}\n"
        else:
            note = f"\nrunner: keys not typed: /{after}/ never appeared\n"
        status = None
        try:
            status = p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        t.join(5)
        p.stdout.close()
        out = b"".join(chunks).decode(errors="replace").replace("\r", "")
        return out + note, status
