# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/mkiso.py (make iso): its grub.cfg, and a clear message for each way it fails.

The image itself boots in QEMU in make test (tests CDBOOT-* in tests/qemu/tests.toml).

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "mkiso.py"
sys.path.insert(0, str(ROOT / "scripts"))
import mkiso  # noqa: E402

PYTHON = "/usr/bin/python3"
ECHO = str(ROOT / "systems" / "echo.toml")


class GrubCfg(unittest.TestCase):
    def test_modules_in_order_named_and_kernel_line(self):
        cfg = mkiso.grub_cfg("echo", [("system.bin", "system"), ("echo.elf", "echo")], "quiet")
        lines = [l.strip() for l in cfg.splitlines()]
        boot = [l for l in lines if l.startswith(("multiboot", "module"))]
        self.assertEqual(boot, ["multiboot /boot/coffer/kernel.elf quiet",
                                "module /boot/coffer/system.bin system",
                                "module /boot/coffer/echo.elf echo"])
        self.assertIn("set timeout=0", lines)
        self.assertIn("terminal_output serial console", lines)

    def test_no_command_line_no_trailing_space(self):
        cfg = mkiso.grub_cfg("x", [("system.bin", "system")])
        self.assertIn("multiboot /boot/coffer/kernel.elf\n", cfg)


class Errors(unittest.TestCase):
    """Each failure is one line from mkiso, never a traceback."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.build = tmp.name

    def run_mkiso(self, *args, env=None):
        p = subprocess.run([PYTHON, str(SCRIPT), *args], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertNotIn("Traceback", p.stdout)
        return p.returncode, p.stdout

    def fake_kernel(self):
        pathlib.Path(self.build, "kernel.elf").write_bytes(b"\x7fELF")

    def test_usage(self):
        for args in ([], ["--help"], [ECHO]):
            status, out = self.run_mkiso(*args)
            self.assertEqual(status, 1)
            self.assertIn("usage: mkiso.py SYSTEM.toml BUILD", out)

    def test_no_kernel(self):
        status, out = self.run_mkiso(ECHO, self.build)
        self.assertEqual(status, 1)
        self.assertIn("mkiso: no kernel:", out)
        self.assertIn("make images", out)

    def test_checker_refuses_the_system(self):
        self.fake_kernel()
        bad = pathlib.Path(self.build, "bad.toml")
        bad.write_text('[[container]]\nname = "a"\nprogam = "echo"\n')
        status, out = self.run_mkiso(str(bad), self.build)
        self.assertEqual(status, 1)
        self.assertIn("unknown key 'progam'", out)  # the checker's own message
        self.assertIn("mkiso: " + str(bad) + ": the checker refused it", out)

    def test_missing_program(self):
        self.fake_kernel()
        status, out = self.run_mkiso(ECHO, self.build)
        self.assertEqual(status, 1)
        self.assertIn("mkiso: no program 'echo':", out)

    def test_grub_tools_missing(self):
        self.fake_kernel()
        bin_dir = pathlib.Path(self.build, "bin")
        bin_dir.mkdir()
        os.symlink(sys.executable, bin_dir / "python3")
        env = dict(os.environ, PATH=str(bin_dir))  # no grub-mkrescue, no xorriso
        status, out = self.run_mkiso(ECHO, self.build, env=env)
        self.assertEqual(status, 1)
        self.assertIn("mkiso: missing grub-mkrescue, xorriso", out)
        self.assertIn("make deps", out)

    def test_grub_mkrescue_failure_shown(self):
        # a grub-mkrescue that fails: its status and its own words are passed on
        self.fake_kernel()
        elfs = pathlib.Path(self.build, "user")
        elfs.mkdir()
        (elfs / "echo.elf").write_bytes(b"")
        bin_dir = pathlib.Path(self.build, "bin")
        bin_dir.mkdir()
        for tool, body in (("grub-mkrescue", "echo 'xorriso : FAILURE : no space'; exit 3"),
                           ("xorriso", "exit 0")):
            (bin_dir / tool).write_text(f"#!/bin/sh\n{body}\n")
            (bin_dir / tool).chmod(0o755)
        env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        status, out = self.run_mkiso(ECHO, self.build, env=env)
        self.assertEqual(status, 1)
        self.assertIn("mkiso: grub-mkrescue failed (status 3):\nxorriso : FAILURE : no space", out)

if __name__ == "__main__":
    unittest.main()
