# SPDX-License-Identifier: BSD-2-Clause
"""Kernel configuration targets: the build refuses a bad .config; olddefconfig,
savedefconfig and defconfig; menuconfig without a terminal."""
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEFCONFIG = os.path.join(ROOT, "configs", "defconfig")


def make(*args, stdin=None):
    p = subprocess.run(["make", "-s", *args], cwd=ROOT, stdin=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=120)
    return p.returncode, p.stdout


class Kconfig(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.config = os.path.join(self.tmp, "config")
        shutil.copy(DEFCONFIG, self.config)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def edit(self, old, new):
        with open(self.config) as f:
            text = f.read()
        self.assertIn(old, text)
        with open(self.config, "w") as f:
            f.write(text.replace(old, new))

    def header(self):
        """make the kconfig.h of self.config: (status, output, header text or None)."""
        out = os.path.join(self.tmp, "gen", "kconfig.h")
        status, text = make(f"BUILD={self.tmp}", f"CONFIG={self.config}", out)
        if not os.path.exists(out):
            return status, text, None
        with open(out) as f:
            return status, text, f.read()

    def test_good_config_makes_the_header(self):
        status, out, header = self.header()
        self.assertEqual(status, 0, out)
        self.assertIn("#define CONFIG_TIMER_HZ 1000", header)

    def timer_hz_refused(self, value):
        """Set CONFIG_TIMER_HZ to value: the build must refuse it; returns (output, the
        message's prefix: the config file and the line of the option)."""
        self.edit("CONFIG_TIMER_HZ=1000", f"CONFIG_TIMER_HZ={value}")
        status, out, header = self.header()
        self.assertNotEqual(status, 0)
        self.assertIsNone(header)
        with open(self.config) as f:
            line = next(n for n, t in enumerate(f, 1) if t.startswith("CONFIG_TIMER_HZ="))
        return out, f"kconfig: {self.config}:{line}: "

    def test_value_out_of_range_is_refused(self):
        # the line of the config file, and what is wrong, in the file's own terms
        out, where = self.timer_hz_refused("99999")
        self.assertIn(where + "CONFIG_TIMER_HZ=99999 is outside its range 10..10000 (Kconfig:", out)
        self.assertNotIn("falling back on defaults", out)  # it does not: the build stops
        self.assertIn("has 1 problem(s): fix them, or run make olddefconfig", out)

    def test_value_of_the_wrong_type_names_its_line(self):
        out, where = self.timer_hz_refused("abc")
        self.assertIn(where, out)
        self.assertIn("'abc' is invalid for TIMER_HZ", out)

    def test_misspelled_option_is_refused(self):
        self.edit("CONFIG_SERIAL=y", "CONFIG_SERAIL=y")
        status, out, header = self.header()
        self.assertNotEqual(status, 0)
        self.assertIn("undefined symbol SERAIL", out)
        self.assertNotIn("Traceback", out)

    def test_unwritable_output_is_a_clear_error(self):
        for cmd in (["header", self.config], ["savedefconfig", self.config]):
            out = os.path.join(self.tmp, "no", "such", "dir", "out")
            p = subprocess.run(["/usr/bin/python3", "scripts/kconfig.py", *cmd, out], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn(f"kconfig: cannot write {out}: No such file or directory", p.stdout)
            self.assertNotIn("Traceback", p.stdout)

    def test_missing_config_file_is_a_clear_error(self):
        os.remove(self.config)
        p = subprocess.run(["/usr/bin/python3", "scripts/kconfig.py", "header",
                            self.config, os.path.join(self.tmp, "h")], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(f"kconfig: Could not open '{self.config}'", p.stdout)
        self.assertNotIn("Traceback", p.stdout)

    def test_olddefconfig_adds_defaults_and_drops_unknown(self):
        self.edit("CONFIG_TIMER_HZ=1000\n", "CONFIG_NO_SUCH_OPTION=y\n")
        status, out = make(f"CONFIG={self.config}", "olddefconfig")
        self.assertEqual(status, 0, out)
        with open(self.config) as f:
            text = f.read()
        self.assertIn("CONFIG_TIMER_HZ=1000", text)
        self.assertNotIn("NO_SUCH_OPTION", text)
        self.assertEqual(self.header()[0], 0)

    def test_savedefconfig_keeps_only_what_differs(self):
        self.edit("CONFIG_TIMER_HZ=1000", "CONFIG_TIMER_HZ=250")
        status, out = make(f"BUILD={self.tmp}", f"CONFIG={self.config}", "savedefconfig")
        self.assertEqual(status, 0, out)
        with open(os.path.join(self.tmp, "defconfig")) as f:
            lines = [line for line in f.read().splitlines() if line.startswith("CONFIG_")]
        self.assertEqual(lines, ["CONFIG_TIMER_HZ=250"])

    def test_defconfig_starts_again(self):
        self.edit("CONFIG_TIMER_HZ=1000", "CONFIG_TIMER_HZ=250")
        status, out = make(f"CONFIG={self.config}", "DEFCONFIG=configs/release", "defconfig")
        self.assertEqual(status, 0, out)
        with open(self.config) as f, open(os.path.join(ROOT, "configs", "release")) as g:
            self.assertEqual(f.read(), g.read())

    def test_menuconfig_without_a_terminal(self):
        status, out = make("menuconfig", stdin=subprocess.DEVNULL)
        self.assertNotEqual(status, 0)
        self.assertIn("menuconfig needs a terminal", out)
        self.assertNotIn("Traceback", out)

    def test_help_of_the_script(self):
        p = subprocess.run(["/usr/bin/python3", "scripts/kconfig.py", "nonsense"], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("usage: kconfig.py header CONFIG HEADER", p.stdout)


if __name__ == "__main__":
    unittest.main()
