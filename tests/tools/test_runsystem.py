# SPDX-License-Identifier: BSD-2-Clause
"""make run's exit status (scripts/runsystem.py): the kernel's halt code, so that a system that
ends stuck fails; and the stuck system's halt report reaches the terminal.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import pathlib
import pty
import subprocess
import sys
import tempfile
import termios
import unittest
from unittest import mock

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import qemu  # noqa: E402
import runsystem  # noqa: E402

BUILD = ROOT / "build"


def status_of(code):
    """The exit status QEMU gives when the kernel halts with code (isa-debug-exit)."""
    return ((qemu.HALT_MARKER + code) << 1) | 1


class ExitStatus(unittest.TestCase):
    """runsystem.main with QEMU faked: each way a run can end, and the status make run gives."""

    def run_main(self, qemu_status):
        with mock.patch.object(sys, "argv", ["runsystem.py", "x.toml", "build"]), \
                mock.patch.object(qemu, "command", return_value=["qemu"]), \
                mock.patch.object(runsystem, "run", return_value=qemu_status), \
                mock.patch("builtins.print"), self.assertRaises(SystemExit) as end:
            runsystem.main()
        return end.exception.code

    def test_all_finished_is_success(self):
        self.assertEqual(self.run_main(status_of(0)), 0)

    def test_stuck_fails_with_2(self):
        self.assertEqual(self.run_main(status_of(2)), 2)

    def test_panic_fails_with_3(self):
        self.assertEqual(self.run_main(status_of(3)), 3)

    def test_qemu_ended_otherwise_fails_with_1(self):
        self.assertEqual(self.run_main(0), 1)  # Ctrl-A X
        self.assertEqual(self.run_main(1), 1)  # QEMU failed


class RefusedSystem(unittest.TestCase):
    """A system file the checker refuses: make run and make debug say so, without a Python
    traceback, and fail (the Makefile's run target relies on the runner to say why)."""

    def refused(self, script):
        with tempfile.TemporaryDirectory() as tmp:
            system = os.path.join(tmp, "typo.toml")
            with open(system, "w") as f:
                f.write("[[container]]\nname = \"x\"\nprogram = \"hello\"\nbogus = 1\n")
            p = subprocess.run([sys.executable, str(ROOT / "scripts" / script), system, tmp],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=60, cwd=ROOT)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertNotIn("Traceback", p.stdout)
        self.assertIn("bogus", p.stdout)  # the checker's own reason

    def test_run_refused_system_says_why(self):
        self.refused("runsystem.py")

    def test_debug_refused_system_says_why(self):
        self.refused("debugsystem.py")


class StuckSystem(unittest.TestCase):
    """The real thing: QEMU boots tests/qemu/systems/stuck.toml (make test built the kernel)."""

    def test_stuck_system_fails_and_names_its_threads(self):
        self.assertTrue((BUILD / "kernel.elf").exists(), "build/kernel.elf missing: run make")
        p = subprocess.run([sys.executable, str(ROOT / "scripts" / "runsystem.py"),
                            str(ROOT / "tests" / "qemu" / "systems" / "stuck.toml"), str(BUILD)],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120, cwd=ROOT)
        self.assertEqual(p.returncode, 2, p.stdout[-2000:])
        self.assertIn("7 thread(s) left, none can run", p.stdout)
        self.assertRegex(p.stdout, r"thread client \([0-9a-f]+\) of container client, "
                         r"program stuck: waiting for a reply from thread server")
        self.assertIn("kernel halted with code 2 (stuck", p.stdout)


class ReaderGoesAway(unittest.TestCase):
    """make run | head: the reader leaves after a few lines while QEMU holds the terminal (a
    pseudo-terminal here) in raw mode. QEMU is stopped so that it puts the terminal back, and
    the run ends without a Python traceback."""

    def test_terminal_restored_and_no_traceback(self):
        self.assertTrue((BUILD / "kernel.elf").exists(), "build/kernel.elf missing: run make")
        master, tty = pty.openpty()
        before = termios.tcgetattr(tty)
        r, w = os.pipe()
        p = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "runsystem.py"),
                              str(ROOT / "systems" / "monitor.toml"), str(BUILD)],
                             stdin=tty, stdout=w, stderr=subprocess.PIPE, cwd=ROOT)
        os.close(w)
        seen = b""
        while seen.count(b"\n") < 3:  # head -3
            more = os.read(r, 256)
            self.assertTrue(more, "make run ended before three lines")
            seen += more
        os.close(r)
        err = p.communicate(timeout=120)[1].decode(errors="replace")
        after = termios.tcgetattr(tty)
        os.close(tty)
        os.close(master)
        self.assertNotIn("Traceback", err)
        self.assertEqual(after[3], before[3], "QEMU left the terminal raw (lflag)")
        self.assertEqual(after[0], before[0], "QEMU left the terminal raw (iflag)")


if __name__ == "__main__":
    unittest.main()
