# SPDX-License-Identifier: BSD-2-Clause
"""Tests of the make run path (scripts/runsystem.py, scripts/qemu.py) up to QEMU: a bad system
file ends in the checker's message alone, and the system's ram reaches QEMU's -m."""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import qemu  # noqa: E402

PYTHON = "/usr/bin/python3"


def runsystem(text, name="bad.toml"):
    """runsystem.py on a system file holding text (None: no file), with an empty build."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, name)
        if text is not None:
            pathlib.Path(path).write_text(text)
        p = subprocess.run([PYTHON, str(ROOT / "scripts" / "runsystem.py"), path,
                            os.path.join(tmp, "build")], capture_output=True, text=True,
                           timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL)
        return p, path


class NoTraceback(unittest.TestCase):
    def refused(self, text, *phrases, name="bad.toml"):
        p, path = runsystem(text, name)
        self.assertNotEqual(p.returncode, 0)
        self.assertNotIn("Traceback", p.stderr + p.stdout)
        self.assertNotIn("CalledProcessError", p.stderr + p.stdout)
        self.assertTrue(p.stderr.startswith("mksystem: "), p.stderr)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)  # the message alone
        for phrase in phrases:
            self.assertIn(phrase.replace("FILE", path), p.stderr)
        self.assertNotIn("booting", p.stdout)

    def test_bad_system_file(self):
        self.refused('[[container]]\nname = "a"\nprogram = "hello"\nslot = 1\n',
                     "FILE:4: container 'a': unknown key 'slot'")
        self.refused('rma = "256M"\n[[container]]\nname = "a"\nprogram = "hello"\n',
                     "FILE:1: unknown top-level key 'rma'")
        self.refused('[[container]]\nname = "a"\nprogram = "x\n', "FILE:3:")

    def test_missing_program(self):
        self.refused('[[container]]\nname = "consumer"\nprogram = "consumr"\n',
                     "FILE:3: container 'consumer': no program 'consumr'")

    def test_missing_file_lists_the_systems(self):
        self.refused(None, "there is no such file", "systems/ has ", "default", name="nosuch.toml")


class Ram(unittest.TestCase):
    def ram(self, top):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "s.toml")
            pathlib.Path(path).write_text(top + '[[container]]\nname = "a"\nprogram = "p"\n')
            return qemu.ram_size(path)

    def test_ram_reaches_qemu(self):
        self.assertEqual(self.ram(""), "256M")
        self.assertEqual(self.ram('ram = "512M"\n'), "512M")
        self.assertEqual(self.ram('ram = "1G"\n'), "1024M")
        self.assertEqual(self.ram("ram = 4771839\n"), "5M")  # bytes: whole MiB, rounded up

    def test_command_line_has_the_ram(self):
        with tempfile.TemporaryDirectory() as tmp:
            build = os.path.join(tmp, "build")
            os.makedirs(os.path.join(build, "user"))
            pathlib.Path(build, "user", "hello.elf").write_bytes(b"")
            path = os.path.join(tmp, "s.toml")
            pathlib.Path(path).write_text('ram = "768M"\n[[container]]\nname = "a"\n'
                                          'program = "hello"\n')
            cmd = qemu.command(build, path)
        self.assertEqual(cmd[cmd.index("-m") + 1], "768M")


if __name__ == "__main__":
    unittest.main()
