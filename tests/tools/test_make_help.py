# SPDX-License-Identifier: BSD-2-Clause
"""make help names every target and every variable the Makefile offers."""
import os
import re
import subprocess
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def makefile():
    with open(os.path.join(ROOT, "Makefile")) as f:
        return f.read()


class MakeHelp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        p = subprocess.run(["make", "-s", "help"], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        cls.status, cls.out = p.returncode, p.stdout
        cls.lines = p.stdout.splitlines()

    def test_every_phony_target_has_a_line(self):
        # every .PHONY line: a second one once hid trace and trace-kernel from this check
        phonies = re.findall(r"^\.PHONY:((?:.*\\\n)*.*)$", makefile(), re.M)
        targets = " ".join(phonies).replace("\\\n", " ").split()
        self.assertIn("trace", targets)
        self.assertEqual(self.status, 0, self.out)
        self.assertGreater(len(targets), 10)
        listed = {line.split()[0] for line in self.lines if line.startswith("  ")}
        self.assertEqual([t for t in targets if t not in listed], [], self.out)

    def test_every_user_variable_has_a_line(self):
        # variables a user sets: those with a ?= default, and those read only when given
        names = set(re.findall(r"^(\w+)\s*\?=", makefile(), re.M)) | \
            {"APPEND", "QEMUFLAGS", "T", "M", "RESTART"}
        listed = {m for line in self.lines for m in re.findall(r"\b([A-Z][A-Z_]*)=", line)}
        self.assertEqual(sorted(names - listed), [], self.out)

    def test_one_line_each(self):
        self.assertTrue(all(len(line) <= 100 for line in self.lines), self.out)


if __name__ == "__main__":
    unittest.main()
