# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/mutate.py (make mutate): the mutants file, and how verdicts are reached.

Running the mutants takes minutes (make mutate); these tests only check the parts that
decide what a run means, on small made-up inputs.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import importlib.util
import os
import pathlib
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "mutate.py"
spec = importlib.util.spec_from_file_location("mutate", SCRIPT)
mutate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mutate)


class FakeRunner:
    """Answers every command with the same (exit status, output)."""

    def __init__(self, status, out):
        self.status, self.out = status, out

    def run(self, cmd, cwd, arch="x86_64"):
        self.cmd, self.arch = cmd, arch
        return self.status, self.out


class MutantsFile(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        os.makedirs(os.path.join(self.tmp.name, "tests"))
        self.real_root = mutate.ROOT
        mutate.ROOT = self.tmp.name
        self.addCleanup(setattr, mutate, "ROOT", self.real_root)

    def write(self, text):
        with open(os.path.join(self.tmp.name, "tests", "mutants.toml"), "w") as f:
            f.write(text)

    def refused(self, text, why):
        self.write(text)
        with self.assertRaises(mutate.Fatal) as e:
            mutate.load_mutants("")
        self.assertIn(why, str(e.exception))

    def test_the_real_file_loads(self):
        mutate.ROOT = self.real_root
        mutants = mutate.load_mutants("")
        self.assertGreater(len(mutants), 10)

    def test_every_real_mutant_still_applies(self):
        # a change to the code a mutant breaks must update the mutant in the same commit:
        # make mutate would call it BROKEN, but it takes minutes and make test does not run it
        mutate.ROOT = self.real_root
        for m in mutate.load_mutants(""):
            with self.subTest(mutant=m["name"]):
                self.assertIsNone(mutate.why_broken(self.real_root, m))

    def test_a_mutant_and_its_defaults(self):
        self.write('[[mutant]]\nname = "a"\nfile = "f.c"\nfind = "x"\nreplace = "y"\n')
        self.assertEqual(mutate.load_mutants(""),
                         [{"name": "a", "file": "f.c", "find": "x", "replace": "y", "tests": [],
                           "arch": "x86_64"}])

    def test_an_aarch64_mutant(self):
        self.write('[[mutant]]\nname = "a"\nfile = "f.S"\nfind = "x"\nreplace = "y"\n'
                   'arch = "aarch64"\n')
        self.assertEqual(mutate.load_mutants("")[0]["arch"], "aarch64")

    def test_unknown_arch_refused(self):
        self.refused('[[mutant]]\nname = "a"\nfile = "f"\nfind = "x"\nreplace = "y"\n'
                     'arch = "arm"\n', "arch must be one of x86_64, aarch64, not 'arm'")

    def test_unknown_key_refused(self):
        self.refused('[[mutant]]\nname = "a"\nfile = "f"\nfind = "x"\nreplace = "y"\ntest = []\n',
                     "unknown keys ['test']")

    def test_missing_key_refused(self):
        self.refused('[[mutant]]\nname = "a"\nfile = "f"\nfind = "x"\n', "missing keys ['replace']")

    def test_same_name_twice_refused(self):
        one = '[[mutant]]\nname = "a"\nfile = "f"\nfind = "x"\nreplace = "y"\n'
        self.refused(one + one, "the name is used twice")

    def test_no_change_refused(self):
        self.refused('[[mutant]]\nname = "a"\nfile = "f"\nfind = "x"\nreplace = "x"\n',
                     "replace is the same as find")

    def test_tests_must_be_filters(self):
        self.refused('[[mutant]]\nname = "a"\nfile = "f"\nfind = "x"\nreplace = "y"\n'
                     'tests = "CAP"\n', "tests must be a list")

    def test_filter_matching_nothing_refused(self):
        self.write('[[mutant]]\nname = "a"\nfile = "f"\nfind = "x"\nreplace = "y"\n')
        with self.assertRaises(mutate.Fatal):
            mutate.load_mutants("zzz")

    def test_broken_unless_text_occurs_once(self):
        with open(os.path.join(self.tmp.name, "f.c"), "w") as f:
            f.write("one two two\n")
        m = {"file": "f.c", "find": "one", "replace": "1"}
        self.assertIsNone(mutate.why_broken(self.tmp.name, m))
        self.assertIn("occurs 2 times", mutate.why_broken(self.tmp.name, dict(m, find="two")))
        self.assertIn("occurs 0 times", mutate.why_broken(self.tmp.name, dict(m, find="six")))
        self.assertIn("cannot read", mutate.why_broken(self.tmp.name, dict(m, file="g.c")))


class Verdicts(unittest.TestCase):
    def failed(self, status, out):
        return mutate.run_tests(FakeRunner(status, out), "/nonexistent", "CAP")

    def test_a_clean_run_catches_nothing(self):
        self.assertEqual(self.failed(0, "PASS CAP\n1 passed, 0 failed\n"), [])

    def test_failing_tests_are_named(self):
        out = "FAIL CAP/CAP-019: x\nfailed: CAP/CAP-019, CAP\n5 passed, 2 failed\n"
        self.assertEqual(self.failed(1, out), ["CAP/CAP-019", "CAP"])

    def test_layout_is_no_catch(self):
        out = "failed: static/clang-format\n5 passed, 1 failed\n"
        self.assertEqual(self.failed(1, out), [])

    def test_a_runner_that_died_is_a_catch(self):
        self.assertEqual(self.failed(1, "Traceback (most recent call last):\n"),
                         ["CAP (runtests.py exited with status 1)"])

    def test_a_timeout_is_a_catch(self):
        self.assertEqual(len(self.failed(None, "")), 1)

    def test_only_what_the_filters_run_is_built(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "tests", "host"))
            os.makedirs(os.path.join(tmp, "tests", "qemu"))
            for name in ("test_cap.c", "test_cap_random.c", "test_elf.c", "check.h"):
                open(os.path.join(tmp, "tests", "host", name), "w").close()
            self.assertEqual(mutate.targets(tmp, ["test_cap", "CAP"]),
                             ["images", "build/host/test_cap", "build/host/test_cap_random"])
            self.assertEqual(mutate.targets(tmp, ["CAP"]), ["images"])
            self.assertEqual(mutate.targets(tmp, []), ["all"])  # the whole suite
            self.assertEqual(mutate.targets(tmp, ["IPC", ""]), ["all"])
            # tests that boot a kernel of their own (kernel = "trace") get it built
            with open(os.path.join(tmp, "tests", "qemu", "tests.toml"), "w") as f:
                f.write('[[test]]\nname = "IPC"\n'
                        '[[test]]\nname = "TRACE-001"\nkernel = "trace"\n')
            self.assertEqual(mutate.targets(tmp, ["CAP"]), ["images"])
            self.assertEqual(mutate.targets(tmp, ["TRACE"]), ["images", "trace-kernel"])
            self.assertEqual(mutate.targets(tmp, []), ["all", "trace-kernel"])

    def test_aarch64_builds_and_runs_its_own(self):
        # an AArch64 mutant is built with ARCH=aarch64 into build/aarch64, without the
        # x86_64 host tests, and its tests boot that build on AArch64
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "tests", "host"))
            open(os.path.join(tmp, "tests", "host", "test_cap.c"), "w").close()
            self.assertEqual(mutate.targets(tmp, ["test_cap", "CAP"], "aarch64"), ["images"])
            self.assertEqual(mutate.targets(tmp, [], "aarch64"), ["images"])
            r = FakeRunner(0, "")
            self.assertIsNone(mutate.build(r, tmp, ["CAP"], "aarch64"))
            self.assertEqual((r.arch, r.cmd[-2:]), ("aarch64", ["BUILD=build/aarch64",
                                                               "CONFIG=configs/defconfig"]))
            self.assertEqual(mutate.run_tests(r, tmp, "IPC", "aarch64"), [])
            self.assertEqual((r.arch, r.cmd[-2:]), ("aarch64", ["build/aarch64", "IPC"]))
            mutate.run_tests(r, tmp, "IPC")
            self.assertEqual((r.arch, r.cmd[-2:]), ("x86_64", ["build", "IPC"]))

    def test_a_build_error_is_reported(self):
        out = "  CC      kernel/core/cap.c\nkernel/core/cap.c:1:2: error: oops\nmake: *** Error 1\n"
        self.assertEqual(mutate.build(FakeRunner(2, out), "/nonexistent"),
                         "kernel/core/cap.c:1:2: error: oops")
        self.assertIsNone(mutate.build(FakeRunner(0, ""), "/nonexistent"))


if __name__ == "__main__":
    unittest.main()
