# SPDX-License-Identifier: BSD-2-Clause
"""runtests.py (make test) itself: its usage, and how a failed expectation is placed."""
import os
import subprocess
import sys
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import runtests  # noqa: E402

LOG = "boot\nfirst\nsecond\nthird\n"


class Usage(unittest.TestCase):
    def run_script(self, *args):
        return subprocess.run([sys.executable, "scripts/runtests.py", *args], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=30)

    def test_help_prints_usage_and_runs_nothing(self):
        for flag in ("-h", "--help"):
            p = self.run_script(flag)
            self.assertEqual(p.returncode, 0, p.stdout)
            self.assertTrue(p.stdout.startswith("make test: host unit tests"), p.stdout)
            self.assertNotRegex(p.stdout, r"(?m)^[0-9]+ passed, [0-9]+ failed$")

    def test_an_unknown_option_is_no_build_directory(self):
        p = self.run_script("--verbose")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("usage: runtests.py BUILD [name-filter]", p.stdout)
        self.assertNotRegex(p.stdout, r"(?m)^[0-9]+ passed, [0-9]+ failed$")


class Expectations(unittest.TestCase):
    def test_met(self):
        self.assertIsNone(runtests.check_expectations(LOG, {"expect": ["first", "third"]}))

    def test_missing_after_a_match_names_the_line(self):
        why = runtests.check_expectations(LOG, {"expect": ["second", "first"]})
        self.assertEqual(why, "expected /first/ after line 3 of the serial log")

    def test_missing_from_the_start(self):
        why = runtests.check_expectations(LOG, {"expect": ["nowhere"]})
        self.assertEqual(why, "expected /nowhere/ in the serial log")


if __name__ == "__main__":
    unittest.main()


class Input(unittest.TestCase):
    """The `input` key: steps are checked, and each text is typed only after its pattern."""

    def test_steps_are_checked(self):
        self.assertEqual(runtests.input_steps([{"after": "ready", "text": "a\r"}]),
                         [("ready", "a\r")])
        for bad in ("text", [{"after": "x"}], [{"after": "(", "text": "a"}],
                    [{"after": "x", "text": "\u20ac"}], [{"after": "x", "text": 1}]):
            self.assertIsInstance(runtests.input_steps(bad), str, bad)

    def test_text_is_typed_after_its_line(self):
        import qemu
        # a stand-in for QEMU: prints a prompt, echoes one line of its input, then a second
        guest = ("import sys\nprint('ready', flush=True)\nprint('got', sys.stdin.readline()"
                 ".strip(), flush=True)\nprint('again', flush=True)\n"
                 "print('got', sys.stdin.readline().strip(), flush=True)\n")
        out, status = qemu.run_fed([sys.executable, "-c", guest], 20,
                                   [("ready", "one\n"), ("again", "two\n")])
        self.assertEqual(status, 0)
        self.assertEqual(out, "ready\ngot one\nagain\ngot two\n")

    def test_a_guest_that_never_asks_times_out(self):
        import qemu
        out, status = qemu.run_fed([sys.executable, "-c", "import time; time.sleep(30)"], 1,
                                   [("never", "x")])
        self.assertIsNone(status)


class Arch(unittest.TestCase):
    """The arch and why keys: checked, and a test for another architecture is skipped."""

    def test_no_arch_runs_everywhere(self):
        self.assertIsNone(runtests.arch_problem({"name": "T"}))
        for arch in runtests.ARCHES:
            self.assertIsNone(runtests.skip_reason({"name": "T"}, arch))

    def test_an_arch_list_with_its_why_is_accepted_and_skips_the_others(self):
        test = {"name": "T", "arch": ["x86_64"], "why": "I/O ports"}
        self.assertIsNone(runtests.arch_problem(test))
        self.assertIsNone(runtests.skip_reason(test, "x86_64"))
        self.assertEqual(runtests.skip_reason(test, "aarch64"), "I/O ports (runs on x86_64 only)")

    def test_bad_keys_are_refused_with_a_reason(self):
        cases = {
            "unknown architecture riscv64": {"arch": ["x86_64", "riscv64"], "why": "x"},
            "a non-empty list": {"arch": [], "why": "x"},
            "a non-empty list ": {"arch": "x86_64", "why": "x"},
            "arch without why": {"arch": ["x86_64"]},
            "arch without why ": {"arch": ["x86_64"], "why": "  "},
            "why without arch": {"why": "x"},
        }
        for said, keys in cases.items():
            why = runtests.arch_problem(dict(keys, name="T"))
            self.assertIsNotNone(why, keys)
            self.assertIn(said.strip(), why)

    def test_on_replaces_keys_on_its_architecture_only(self):
        test = {"name": "T", "expect": ["x86"], "halt": 3, "on": {"aarch64": {"expect": ["arm"]}}}
        self.assertIsNone(runtests.on_problem(test))
        self.assertEqual(runtests.for_arch(test, "aarch64")["expect"], ["arm"])
        self.assertEqual(runtests.for_arch(test, "aarch64")["halt"], 3)
        self.assertEqual(runtests.for_arch(test, "x86_64")["expect"], ["x86"])

    def test_drop_ids_leaves_ids_out_on_its_architecture_only(self):
        test = {"name": "T", "ids": ["T-1", "T-2", "T-3"],
                "on": {"aarch64": {"drop_ids": ["T-2"], "halt": 3}}}
        self.assertIsNone(runtests.on_problem(test))
        arm = runtests.for_arch(test, "aarch64")
        self.assertEqual((arm["ids"], arm["halt"]), (["T-1", "T-3"], 3))
        self.assertNotIn("drop_ids", arm)
        self.assertEqual(runtests.for_arch(test, "x86_64")["ids"], ["T-1", "T-2", "T-3"])

    def test_bad_drop_ids_are_refused_with_a_reason(self):
        cases = {"not among the test's ids": {"drop_ids": ["T-9"]},
                 "a non-empty list": {"drop_ids": []},
                 "a non-empty list ": {"drop_ids": "T-1"},
                 "ids or drop_ids, not both": {"drop_ids": ["T-1"], "ids": ["T-2"]}}
        for said, keys in cases.items():
            why = runtests.on_problem({"name": "T", "ids": ["T-1", "T-2"], "on": {"aarch64": keys}})
            self.assertIsNotNone(why, keys)
            self.assertIn(said.strip(), why)

    def test_bad_on_keys_are_refused_with_a_reason(self):
        cases = {"unknown architecture mips": {"mips": {}},
                 "a table of the keys": {"aarch64": ["expect"]},
                 "a table of architectures": ["aarch64"],
                 "name cannot differ": {"aarch64": {"name": "U"}},
                 "arch, why cannot differ": {"aarch64": {"arch": ["aarch64"], "why": "x"}}}
        for said, on in cases.items():
            why = runtests.on_problem({"name": "T", "on": on})
            self.assertIsNotNone(why, on)
            self.assertIn(said, why)

    def test_same_as_takes_no_arch_why_or_on(self):
        base = {"name": "A", "arch": ["x86_64"], "why": "ports", "on": {"aarch64": {"halt": 3}},
                "halt": 2, "expect": ["x"]}
        slow = runtests.resolve_same_as([base, {"name": "B", "same_as": "A"}])[1]
        self.assertEqual(slow, {"name": "B", "halt": 2, "expect": ["x"]})

    def test_every_test_in_tests_toml_has_valid_keys(self):
        import tomllib
        with open(os.path.join(ROOT, "tests", "qemu", "tests.toml"), "rb") as f:
            tests = runtests.resolve_same_as(tomllib.load(f)["test"])
        for test in tests:
            self.assertIsNone(runtests.arch_problem(test), test["name"])
            self.assertIsNone(runtests.on_problem(test), test["name"])

    def test_an_aarch64_pass_skips_an_x86_only_test_and_says_so(self):
        # KBDDEMO is x86_64's alone (a PS/2 keyboard): skipped before anything is booted
        p = subprocess.run([sys.executable, "scripts/runtests.py", "build/aarch64", "KBDDEMO"],
                           cwd=ROOT, env=dict(os.environ, ARCH="aarch64"), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout)
        lines = p.stdout.splitlines()
        self.assertIn("run in the x86_64 pass (make test) only", lines[0])
        self.assertRegex(p.stdout, r"(?m)^SKIP KBDDEMO: .*PS/2.* \(runs on x86_64 only\)$")
        self.assertEqual(lines[-2], "skipped on aarch64 (counted neither as passed nor as "
                         "failed): 1: KBDDEMO")
        self.assertEqual(lines[-1], "0 passed, 0 failed")

    def test_a_skip_is_neither_passed_nor_failed(self):
        import contextlib
        import io
        tally = runtests.Tally()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            tally.skip("T", "I/O ports (runs on x86_64 only)")
        self.assertEqual(out.getvalue(), "SKIP T: I/O ports (runs on x86_64 only)\n")
        self.assertEqual((tally.passed, tally.failed, tally.skipped), (0, [], ["T"]))
