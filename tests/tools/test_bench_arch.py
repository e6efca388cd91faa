# SPDX-License-Identifier: BSD-2-Clause
"""make bench on each architecture (scripts/bench_arch.py): a system whose programs do not build
for ARCH gives its rows as n/a with mk/ARCH.mk's reason and is never booted; each architecture
has its counter's words, its floor rows' words (from its floor.S) and a boot system that runs there.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import contextlib
import io
import os
import pathlib
import re
import sys
import tempfile
import unittest
from unittest import mock

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402
import bench_arch  # noqa: E402
import bench_unmap  # noqa: E402
import syslimits  # noqa: E402

MK = """# a made-up skip list
UARCH_SKIP :=
UARCH_SKIP += one two   # they need the PIT
UARCH_SKIP += three
"""
SYSTEM = """[[container]]
name = "a"
program = "one"
[[container]]
name = "b"
program = "hello"
[[container]]
name = "c"
program = "one"
"""


class SkipList(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        os.makedirs(os.path.join(self.root, "mk"))
        pathlib.Path(self.root, "mk", "toy.mk").write_text(MK)
        self.system = os.path.join(self.root, "s.toml")
        pathlib.Path(self.system).write_text(SYSTEM)

    def tearDown(self):
        self.tmp.cleanup()

    def test_each_name_with_its_line_s_reason(self):
        self.assertEqual(bench_arch.skipped("toy", self.root),
                         {"one": "they need the PIT", "two": "they need the PIT",
                          "three": "no reason given"})

    def test_a_system_with_a_skipped_program_says_which_and_why(self):
        why = bench_arch.why_not(self.system, "toy", self.root)
        self.assertEqual(why, "not built for toy (mk/toy.mk): one: they need the PIT")

    def test_a_system_whose_programs_all_build_runs(self):
        pathlib.Path(self.system).write_text(SYSTEM.replace('"one"', '"hello"'))
        self.assertIsNone(bench_arch.why_not(self.system, "toy", self.root))

    def test_an_architecture_without_a_skip_list(self):
        self.assertIsNone(bench_arch.why_not(self.system, "none", self.root))


def no_boot(*args, **kwargs):
    raise AssertionError("a system that cannot run on ARCH was booted")


class AArch64(unittest.TestCase):
    """With ARCH=aarch64, the Linux system is n/a, from mk/aarch64.mk; the revoke and unmap
    systems have virt versions."""

    def setUp(self):
        patches = [mock.patch.object(bench_arch, "ARCH", "aarch64"),
                   mock.patch.object(bench.qemu, "command", no_boot),
                   mock.patch.object(bench.qemu, "run_captured", no_boot),
                   mock.patch.object(bench.qemu, "run_fed", no_boot)]
        for p in patches:
            p.start()
            self.addCleanup(p.stop)
        self.skip = bench_arch.skipped("aarch64")

    def test_linux_rows(self):
        # the personality builds for AArch64; its bench program does not (LINUX_PROGS_SKIP)
        self.assertNotIn("linux", self.skip)
        why_lxbench = bench_arch.linux_why_not("lxbench", "aarch64")
        self.assertIn("rdtsc", why_lxbench)
        rows = bench.run_linux("build", "")
        self.assertEqual(list(rows), bench.LINUX_ROWS)
        for why in rows.values():
            self.assertEqual(why, why_lxbench)
        self.assertIsNone(bench_arch.linux_why_not("lxbench", "x86_64"))

    def test_the_table_shows_the_reason(self):
        why = "not built for aarch64 (mk/aarch64.mk): benchrevoke: a reason"
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.print_revoke({name: why for name in bench.REVOKE_ROWS + bench.LATENCY_ROWS})
        self.assertEqual(out.getvalue().count(f"n/a: {why}"), 5)

    def test_the_revoke_and_unmap_systems_run_on_virt(self):
        """Their latency thread drives CNTP there (line 23): systems/*-virt.toml, every program
        of which builds for AArch64; x86_64 keeps the PIT's systems."""
        for system in ("systems/benchrevoke.toml", "systems/benchunmap.toml"):
            virt = bench_arch.system_for(system, "aarch64")
            self.assertEqual(virt, system.replace(".toml", "-virt.toml"))
            self.assertIsNone(bench_arch.why_not(str(ROOT / virt), "aarch64"), virt)
            self.assertEqual(bench_arch.system_for(system, "x86_64"), system)
        self.assertEqual(bench_arch.system_for("systems/bench.toml", "aarch64"),
                         "systems/bench.toml")


class FloorWords(unittest.TestCase):
    def test_each_arch_words_each_floor_row_from_its_floor_s(self):
        """The instructions and registers the words name are the ones its probe uses."""
        for arch in syslimits.ARCHES:
            words = bench_arch.FLOOR_WORDS[arch]
            self.assertEqual(len(words), len(bench.FLOOR_ROWS), arch)
            src = (ROOT / "kernel" / "arch" / arch / "floor.S").read_text().lower()
            for name in re.findall(r"\b[A-Z][A-Z0-9_]+\b", " ".join(words)):
                self.assertIn(name.lower(), src, (arch, name))

    def test_the_aarch64_floor_section_is_in_its_words(self):
        floor = {name: (2, 2) for name in bench.FLOOR_ROWS}
        out = io.StringIO()
        with mock.patch.object(bench_arch, "ARCH", "aarch64"), \
                contextlib.redirect_stdout(out):
            bench.print_floor(floor)
        self.assertRegex(out.getvalue(),
                         r"a  system call \+ return, null handler +2 / 2   SVC to ERET")
        self.assertIn("TTBR0", out.getvalue())


class EveryArch(unittest.TestCase):
    def test_each_has_a_counter_and_a_boot_system_that_runs_there(self):
        for arch in syslimits.ARCHES:
            self.assertIn("instructions", bench_arch.COUNTER[arch])
            self.assertTrue(bench_arch.BOOT_FROM[arch])
            system = ROOT / bench_arch.boot_system(arch)
            self.assertTrue(system.is_file(), system)
            self.assertIsNone(bench_arch.why_not(str(system), arch), arch)

    def test_the_boot_system_is_make_run_s(self):
        self.assertEqual(bench_arch.boot_system("x86_64"), "systems/default.toml")
        self.assertEqual(bench_arch.boot_system("aarch64"), "systems/virt.toml")
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "mk"))
            pathlib.Path(root, "mk", "toy.mk").write_text("DEFAULT_SYSTEM := tiny\n")
            self.assertEqual(bench_arch.boot_system("toy", root), "systems/tiny.toml")
            self.assertEqual(bench_arch.boot_system("none", root), "systems/default.toml")

    def test_a_system_of_pc_hardware_would_not_boot_on_aarch64(self):
        """The check above can fail: the keyboard service is x86_64's (AArch64 reports its own
        default system's boot, whose programs all build there)."""
        self.assertIsNotNone(bench_arch.why_not(str(ROOT / "systems/kbd.toml"), "aarch64"))

    def test_the_benchmark_systems_run_on_both(self):
        systems = ["systems/bench.toml"] + bench.SCALE_SYSTEMS
        for arch in syslimits.ARCHES:
            for system in systems:
                self.assertIsNone(bench_arch.why_not(str(ROOT / system), arch), (arch, system))


if __name__ == "__main__":
    unittest.main()
