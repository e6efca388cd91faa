# SPDX-License-Identifier: BSD-2-Clause
"""Tests of the fresh-machine path: scripts/deps.sh and the make targets that need packages.

On a fresh Debian 12 a target that runs a tool before installing it fails with "command not
found" (make authority, docs and format-check did); every target but those listed in
NEEDS_NOTHING must run scripts/deps.sh before anything else. deps.sh itself runs here
against fake dpkg-query, dpkg, apt-get and sudo commands, so nothing is installed.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import pathlib
import re
import subprocess
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPS = ROOT / "scripts" / "deps.sh"
# targets that run no tool from a Debian package
NEEDS_NOTHING = {"deps", "clean", "help", "defconfig"}  # defconfig only copies a file
# what a fresh minbase Debian 12 lacks and make test, make iso and the tools need
NEEDED = {"make", "git", "gcc", "libc6-dev", "binutils", "qemu-system-x86", "python3",
          "python3-kconfiglib", "clang-format", "graphviz", "grub-pc-bin", "xorriso",
          "qemu-system-arm"}  # qemu-system-aarch64: the host tests read its device trees


def phony_targets():
    text = (ROOT / "Makefile").read_text()
    phonies = re.findall(r"^\.PHONY:((?:.*\\\n)*.*)$", text, re.M)  # every .PHONY line
    return " ".join(phonies).replace("\\\n", " ").split()


class TargetsRunDepsFirst(unittest.TestCase):
    def test_every_target_runs_deps_first(self):
        targets = [t for t in phony_targets() if t not in NEEDS_NOTHING]
        self.assertIn("authority", targets)
        for t in targets:
            with self.subTest(target=t), tempfile.TemporaryDirectory() as build:
                p = subprocess.run(["make", "-n", "--no-print-directory", t, "SYSTEM=echo",
                                    f"BUILD={build}"], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
                first = p.stdout.splitlines()[0] if p.stdout else ""
                self.assertEqual(first, "scripts/deps.sh",
                                 f"make -n {t} starts with {first!r}, not scripts/deps.sh")


class DepsScript(unittest.TestCase):
    """deps.sh with every package reported missing, or none, and apt-get logging its call."""

    def run_deps(self, installed, uid, arm64=True, arch="x86_64", native="amd64"):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        log = os.path.join(tmp.name, "log")
        fakes = {
            "dpkg-query": f"echo '{'install ok installed' if installed else 'unknown'}'",
            "apt-get": f'echo "apt-get $*" >> {log}',
            "sudo": f'echo "sudo" >> {log}; "$@"',
            "id": f"echo {uid}",
            # the foreign architectures (arm64's lists, for busybox-static:arm64), and a change
            "dpkg": ('[ "$1" = --print-foreign-architectures ] && { echo '
                     f"{'arm64' if arm64 else 'i386'}; exit 0; }}; "
                     f'[ "$1" = --print-architecture ] && {{ echo {native}; exit 0; }}; '
                     f"echo \"dpkg $*\" >> {log}"),
        }
        for name, body in fakes.items():
            path = os.path.join(tmp.name, name)
            with open(path, "w") as f:
                f.write(f"#!/bin/sh\n{body}\n")
            os.chmod(path, 0o755)
        env = dict(os.environ, PATH=tmp.name + os.pathsep + os.environ["PATH"], ARCH=arch)
        p = subprocess.run(["sh", str(DEPS)], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        self.assertEqual(p.returncode, 0, p.stdout)
        calls = pathlib.Path(log).read_text().splitlines() if os.path.exists(log) else []
        return p.stdout, calls

    def test_nothing_missing_installs_nothing(self):
        out, calls = self.run_deps(installed=True, uid=0)
        self.assertEqual((out, calls), ("", []))

    def test_installs_all_needed_without_recommends(self):
        out, calls = self.run_deps(installed=False, uid=0)
        install = [c for c in calls if " install " in c]
        self.assertEqual(len(install), 1, calls)
        words = install[0].split()
        self.assertIn("--no-install-recommends", words)
        self.assertLessEqual(NEEDED, set(words), "packages missing from the install")
        self.assertIn("deps: installing", out)
        self.assertNotIn("sudo", calls)

    def test_arm64_lists_added_once(self):
        # make ARCH=aarch64 fetches busybox-static:arm64: without arm64's package lists apt
        # cannot, so deps.sh adds the architecture and updates, even with nothing to install
        out, calls = self.run_deps(installed=True, uid=0, arm64=False, arch="aarch64")
        self.assertEqual(calls, ["dpkg --add-architecture arm64", "apt-get update -qq"])
        self.assertIn("arm64", out)
        _, calls = self.run_deps(installed=True, uid=1000, arm64=False, arch="aarch64")
        self.assertEqual(calls[0], "sudo")
        # once added, nothing more
        self.assertEqual(self.run_deps(installed=True, uid=1000, arm64=True, arch="aarch64"),
                         ("", []))

    def test_arm64_lists_only_for_an_aarch64_build(self):
        # an x86_64 build never needs them: with everything installed it asks for no sudo
        self.assertEqual(self.run_deps(installed=True, uid=1000, arm64=False), ("", []))
        # nor does an arm64 machine, whose own lists they are
        self.assertEqual(self.run_deps(installed=True, uid=1000, arm64=False, arch="aarch64",
                                       native="arm64"), ("", []))

    def test_not_root_uses_sudo(self):
        _, calls = self.run_deps(installed=False, uid=1000)
        self.assertIn("sudo", calls)


if __name__ == "__main__":
    unittest.main()
