# SPDX-License-Identifier: BSD-2-Clause
"""scripts/qemukeys.py: tests.toml's keys typed through QEMU's monitor once a line appears."""
import os
import sys
import textwrap
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemukeys  # noqa: E402

# Stands in for QEMU: serves a monitor on the socket -monitor names, prints "ready", records
# each command it gets, answering with a prompt, and prints them when the client leaves.
FAKE_QEMU = textwrap.dedent('''
    import os, socket, sys
    path = sys.argv[sys.argv.index("-monitor") + 1].split(":", 1)[1].split(",")[0]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    print("booting", flush=True)
    print("guest: ready", flush=True)
    c, _ = srv.accept()
    c.sendall(b"QEMU monitor\\n(qemu) ")
    got = b""
    while True:
        data = c.recv(4096)
        if not data:
            break
        got += data
        c.sendall(b"(qemu) " * data.count(b"\\n"))
    for line in got.decode().splitlines():
        print("monitor got:", line, flush=True)
    sys.exit(65)
''')


class Keys(unittest.TestCase):
    def test_key_names_become_sendkey_commands(self):
        self.assertEqual(qemukeys.sendkey_lines(["a", "shift-a", "caps_lock"]),
                         [b"sendkey a\n", b"sendkey shift-a\n", b"sendkey caps_lock\n"])

    def test_a_name_that_could_carry_another_command_is_refused(self):
        for bad in ["a\nquit", "a; quit", "", "A B", 3]:
            with self.assertRaises(ValueError):
                qemukeys.sendkey_lines([bad])

    def run_fake(self, after, timeout=20):
        cmd = [sys.executable, "-c", FAKE_QEMU]
        return qemukeys.run_captured_with_keys(cmd, timeout, ["a", "shift-b"], after)

    def test_keys_are_typed_in_order_after_the_line(self):
        out, status = self.run_fake(r"^guest: ready$")
        self.assertEqual(status, 65, out)
        self.assertIn("guest: ready\nmonitor got: sendkey a\nmonitor got: sendkey shift-b\n", out)
        self.assertNotIn("runner:", out)

    def test_a_line_that_never_appears_types_nothing_and_says_so(self):
        out, status = self.run_fake(r"^never$", timeout=3)
        self.assertIsNone(status)  # the fake waits for a monitor client that never comes
        self.assertIn("runner: keys not typed: /^never$/ never appeared", out)
        self.assertNotIn("monitor got", out)


if __name__ == "__main__":
    unittest.main()
