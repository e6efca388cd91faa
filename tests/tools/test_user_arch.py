# SPDX-License-Identifier: BSD-2-Clause
"""User programs per architecture (docs/user-library.md, "Architectures"): make ARCH=aarch64
builds AArch64 executables that start at _start, every program but those mk/aarch64.mk's
UARCH_SKIP lists (each with its reason), and a skip list naming no program is refused.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import re
import subprocess
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CROSS = "aarch64-linux-gnu-"


def make(*args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def skip_list():
    """UARCH_SKIP's programs in mk/aarch64.mk, each with the comment that says why."""
    skipped = {}
    with open(os.path.join(ROOT, "mk", "aarch64.mk")) as f:
        for line in f:
            m = re.match(r"UARCH_SKIP\s*\+=\s*([^#]*)(#.*)?$", line)
            if m:
                for name in m.group(1).split():
                    skipped[name] = (m.group(2) or "").lstrip("# ").strip()
    return skipped


def programs():
    return sorted(d for d in os.listdir(os.path.join(ROOT, "user"))
                  if d != "lib" and os.path.isdir(os.path.join(ROOT, "user", d)))


class UserArch(unittest.TestCase):
    def test_skip_list_says_why(self):
        skipped = skip_list()
        self.assertIn("kbd", skipped)  # the i8042: virt has none
        self.assertEqual([p for p in skipped if p not in programs()], [])
        self.assertEqual([p for p, why in skipped.items() if not why], [],
                         "a UARCH_SKIP line without a comment saying why")

    def test_aarch64_builds_every_other_program(self):
        with tempfile.TemporaryDirectory() as d:
            r = make("-n", "ARCH=aarch64", f"BUILD={d}", "user-images")
        self.assertEqual(r.returncode, 0, r.stderr)
        built = set(re.findall(r"/user/([\w-]+)\.elf", r.stdout))
        self.assertEqual(sorted(built), sorted(set(programs()) - set(skip_list())))

    def test_skip_naming_no_program_is_refused(self):
        r = make("-n", "ARCH=aarch64", "UARCH_SKIP=hello nosuch", "user-images")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("UARCH_SKIP (mk/aarch64.mk) names nosuch: no such program in user/",
                      r.stderr)

    def test_aarch64_executables_start_at_start(self):
        # hello: the runtime alone; futextest: threads on stacks of its own (l4_thread_frame)
        with tempfile.TemporaryDirectory() as d:
            elfs = [f"{d}/user/hello.elf", f"{d}/user/futextest.elf"]
            r = make("-s", "ARCH=aarch64", f"BUILD={d}", *elfs)
            self.assertEqual(r.returncode, 0, r.stderr)
            for elf in elfs:
                hdr = subprocess.run([CROSS + "readelf", "-h", elf], capture_output=True,
                                     text=True).stdout
                fields = dict(re.findall(r"^\s*([^:]+):\s*(.*)$", hdr, re.M))
                self.assertEqual(fields["Class"], "ELF64", elf)
                self.assertEqual(fields["Machine"], "AArch64", elf)
                self.assertTrue(fields["Type"].startswith("EXEC"), fields["Type"])
                syms = subprocess.run([CROSS + "nm", elf], capture_output=True, text=True).stdout
                start = re.search(r"^([0-9a-f]+) T _start$", syms, re.M)
                self.assertIsNotNone(start, f"{elf} has no _start")
                self.assertEqual(int(fields["Entry point address"], 16), int(start.group(1), 16))
                self.assertRegex(syms, r"(?m) T l4_thread_entry$")
                dis = subprocess.run([CROSS + "objdump", "-d", elf], capture_output=True,
                                     text=True).stdout
                self.assertRegex(dis, r"\tsvc\t#0x0\b", f"{elf} makes no SVC")


if __name__ == "__main__":
    unittest.main()
