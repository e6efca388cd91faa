# SPDX-License-Identifier: BSD-2-Clause
"""make run: what it builds, and the QEMU command it runs (APPEND, QEMUFLAGS, QEMU)."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# print the QEMU command make run would run, one argument a line, with the environment's
# APPEND / QEMUFLAGS / QEMU (scripts/qemu.py reads QEMU when imported)
SHOW = """
import sys
sys.path.insert(0, "scripts")
import qemu
print("\\n".join(qemu.user_command(sys.argv[1], "systems/echo.toml", serial="stdio")))
"""


class RunBuildsWhatItRuns(unittest.TestCase):
    def built_by_run(self, system):
        """The files under BUILD that make -n run SYSTEM=system would build or link."""
        with tempfile.TemporaryDirectory() as build:
            p = subprocess.run(["make", "-n", f"BUILD={build}", "run", f"SYSTEM={system}"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout)
            return set(re.findall(re.escape(build) + r"/((?:user|host)/\w+(?:\.elf)?|kernel\.elf)",
                                  p.stdout))

    def test_only_the_kernel_and_the_systems_programs(self):
        self.assertEqual(self.built_by_run("echo"), {"kernel.elf", "user/echo.elf"})

    def test_a_name_in_systems_wins_over_a_folder_of_that_name(self):
        # linux/ holds the Linux programs; SYSTEM=linux is systems/linux.toml
        built = self.built_by_run("linux")
        self.assertIn("user/linux.elf", built)
        self.assertIn("user/console.elf", built)

    def test_a_refused_system_builds_the_kernel_alone(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml") as f:
            f.write('[[container]]\nname = "a"\nprogram = "nosuchprogram"\n')
            f.flush()
            self.assertEqual(self.built_by_run(f.name), {"kernel.elf"})


class RunFlags(unittest.TestCase):
    def command(self, **env):
        p = subprocess.run([sys.executable, "-c", SHOW, "build"], cwd=ROOT,
                           env=dict(os.environ, **env), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        return p.returncode, p.stdout.splitlines()

    def test_append_is_the_kernel_command_line(self):
        status, args = self.command(APPEND="ipc=slow quiet")
        self.assertEqual(status, 0, args)
        self.assertEqual(args[args.index("-append") + 1], "ipc=slow quiet")

    def test_no_append_no_command_line(self):
        status, args = self.command(APPEND="")
        self.assertEqual(status, 0, args)
        self.assertNotIn("-append", args)

    def test_qemuflags_are_split_like_a_shell(self):
        status, args = self.command(QEMUFLAGS="-d int -D 'build/my log'")
        self.assertEqual(status, 0, args)
        self.assertEqual(args[-4:], ["-d", "int", "-D", "build/my log"])

    def test_qemu_may_carry_flags(self):
        status, args = self.command(QEMU="qemu-system-x86_64 -s")
        self.assertEqual(status, 0, args)
        self.assertEqual(args[:3], ["qemu-system-x86_64", "-s", "-M"])

    def test_unbalanced_quote_is_a_clear_error(self):
        status, out = self.command(QEMUFLAGS="-D 'build/log")
        self.assertNotEqual(status, 0)
        self.assertEqual(out, ["QEMUFLAGS: No closing quotation"])


if __name__ == "__main__":
    unittest.main()
