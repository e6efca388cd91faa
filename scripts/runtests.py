#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make test: host unit tests, then every QEMU test system in tests/qemu/tests.toml.

usage: runtests.py BUILD [name-filter]   (-h, --help: this text)
With a filter, only the host test binaries (test_cap, ...), the tool tests (tests/tools:
module, class or test name, as unittest -k) and the QEMU tests whose name contains it
run; a filter that matches nothing is a failure.

Each host test binary prints PASS/FAIL lines, one per test, and ends with its count
line ("host tests: N passed, N failed"); a binary that prints no results, or whose
count line is missing or disagrees with its lines, fails as a whole. Each test of the
host tools (tests/tools, unittest) counts too, and only "ok" passes: a skipped test
fails with its reason.

Each QEMU test boots a system and passes when every `expect` pattern matches a later
line than the previous one, every `anywhere` pattern matches somewhere, lines
containing the `interleave` labels alternate at least `min_switches` times, no
`forbid` pattern matches, the kernel halts with the expected code before the timeout,
and every in-guest line "TEST <ID> PASS|FAIL" passes; `input` steps type text into
the guest's serial port, each once the output matches its `after` pattern; each such line and each listed
`ids` entry counts as a test of its own, so a test that never ran is a failure. A test
with boot = "iso" boots the system's GRUB image (scripts/mkiso.py) from a CD drive.

A test that cannot run on every architecture says which it runs on: `arch = ["x86_64"]`
and, required with it, `why = "..."` (the reason); on another architecture it prints
"SKIP <name>: <why>" and counts neither as passed nor as failed (the line before the summary
says how many were skipped). An unknown architecture name, an empty list, or an arch without
a why (or a why without an arch) fails the test on every architecture. A test whose output
differs by architecture (a register dump, an address) gives the keys that differ in
`on.<arch>` (`[test.on.aarch64]` after its keys): on that architecture they replace its own.
A test with same_as takes neither arch, why nor on from the other: it states its own.

ARCH (exported by the Makefile; x86_64 unless set) chooses the QEMU the tests boot on. The
host unit tests, the tool tests and the static checks do not depend on it: they run in the
x86_64 pass only, and an AArch64 pass says so.

The last line is "N passed, N failed".
"""
import glob
import os
import re
import subprocess
import sys
import tomllib

sys.path.insert(0, os.path.dirname(__file__))
import mkiso  # noqa: E402
import qemu  # noqa: E402
import qemukeys  # noqa: E402
import symbolize  # noqa: E402
import syslimits  # noqa: E402

# an ID is a prefix of capitals (and digits after the first: DOC12-) and a number
TEST_LINE = re.compile(r"^TEST ([A-Z][A-Z0-9]*-[0-9]+) (PASS|FAIL)\b(.*)$", re.M)


# the architecture the QEMU tests boot on (qemu.py reads ARCH as the Makefile exports it)
ARCH = qemu.ARCH
ARCHES = syslimits.ARCHES


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.skipped = []

    def skip(self, name, why):
        """A test not run on this architecture: neither passed nor failed."""
        self.skipped.append(name)
        print(f"SKIP {name}: {why}", flush=True)

    def record(self, name, ok, why=""):
        if ok:
            self.passed += 1
        else:
            self.failed.append(name)
        print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok or not why else ': ' + why}",
              flush=True)


# the last line of a host test binary (CHECK_DONE in tests/host/check.h)
HOST_COUNT = re.compile(r"^host tests: ([0-9]+) passed, ([0-9]+) failed$", re.M)


def host_binary_problem(out, status, npass, nfail):
    """Why a host test binary's run as a whole is not to be trusted, or None."""
    if npass + nfail == 0:
        return f"printed no PASS/FAIL lines, exit status {status}"
    counts = HOST_COUNT.findall(out)
    if len(counts) != 1:
        return (f"printed {len(counts)} count lines, not one (did it stop early?), "
                f"exit status {status}")
    said = tuple(int(n) for n in counts[0])
    if said != (npass, nfail):
        return (f"counted {said[0]} passed, {said[1]} failed, but printed {npass} PASS "
                f"and {nfail} FAIL lines")
    if status != (1 if nfail else 0):
        return f"exit status {status}"
    return None


def run_host(build, tally, flt):
    """Run the host test binaries whose name contains flt; returns how many ran.

    Each PASS/FAIL line is a test; the binary itself fails when it printed none, when
    its count line is missing (it crashed or left early) or disagrees with the lines
    seen, or when its exit status does not match its failures.
    """
    ran = 0
    for exe in sorted(glob.glob(os.path.join(build, "host", "test_*"))):
        name = os.path.basename(exe)
        if flt and flt not in name:
            continue
        ran += 1
        p = subprocess.run([exe], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        out = p.stdout.decode(errors="replace")
        lines = [l for l in out.splitlines() if l.startswith(("PASS ", "FAIL "))]
        for l in lines:
            tally.record(l[5:], l.startswith("PASS"))
        nfail = sum(1 for l in lines if l.startswith("FAIL"))
        why = host_binary_problem(out, p.returncode, len(lines) - nfail, nfail)
        if why:
            tally.record(f"host/{name}", False, why)
        if why or nfail:
            print(out)
    return ran


# unittest -v: "test_x (module.Class.test_x) ... ok" (a docstring's first line may come
# between, on a line of its own), or FAIL, ERROR, skipped 'why', expected failure,
# unexpected success; "Ran N tests" at the end
TOOL_RESULT = re.compile(r"^(\w+) \((\S+)\)\n?.*? \.\.\. "
                         r"(ok|FAIL|ERROR|skipped .*|expected failure|unexpected success)$", re.M)
TOOL_COUNT = re.compile(r"^Ran ([0-9]+) tests? in ", re.M)


def run_tools(build, tally, flt=""):
    """The host tools' own tests (tests/tools, Python unittest): one result per test; with
    flt, only those whose module, class or name contains it. Returns how many ran.

    Only "ok" passes. A skip is a failure too: every tool the tests use (graphviz
    included) is installed by scripts/deps.sh, so a skipped test is one that did not
    check what it claims. The results seen must add up to unittest's own count.
    """
    here = os.path.join(os.path.dirname(__file__), "..")
    env = dict(os.environ, COFFER_BUILD=os.path.abspath(build))  # where tests find the images
    # the tools are tested alike whatever ARCH the images are for: a test of a tool's AArch64
    # side sets ARCH itself
    env.pop("ARCH", None)
    p = subprocess.run([sys.executable, "-m", "unittest", "discover", "-s", "tests/tools", "-v"] +
                       (["-k", flt] if flt else []), cwd=here, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=300)
    results = TOOL_RESULT.findall(p.stdout)
    for name, where, verdict in results:
        tally.record(f"tools/{where.split('.')[-2]}/{name}", verdict == "ok", verdict)
    count = TOOL_COUNT.search(p.stdout)
    ran = int(count.group(1)) if count else None
    why = None
    if flt and ran == 0 and not results and p.returncode in (0, 5):
        return 0  # the filter names no tool test (unittest exits 5 for that from Python 3.12)
    if p.returncode != 0:
        why = f"exit status {p.returncode}"
    elif not results:
        why = "no test results in the output"
    elif ran != len(results):
        why = f"unittest ran {ran} tests but {len(results)} results were recognised"
    if why:
        tally.record("tools/unittest", False, why)
        print(p.stdout[-3000:])
    return len(results)


def run_static(build, tally):
    """The generated reference is current and every C file is clang-formatted."""
    here = os.path.join(os.path.dirname(__file__), "..")
    with open(os.path.join(build, "syscalls.md")) as a, \
            open(os.path.join(here, "docs", "syscalls.md")) as b:
        tally.record("static/syscall-reference-current", a.read() == b.read(),
                     "docs/syscalls.md differs from kernel/api/syscalls.toml: run make docs")
    listing = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.c", "*.h"]
    files = subprocess.run(listing, cwd=here, stdout=subprocess.PIPE,
                           text=True).stdout.split()
    p = subprocess.run(["clang-format", "--dry-run", "--Werror", *files], cwd=here,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tally.record("static/clang-format", p.returncode == 0 and files,
                 "run make format\n" + p.stdout[:3000])


def run_release(build, tests, tally):
    """The release configuration builds, and its kernel passes the thread conformance suite."""
    here = os.path.join(os.path.dirname(__file__), "..")
    rel = os.path.join(build, "release")
    # the host tests are x86_64's pass's alone (see main): AArch64 builds the images only
    target = "all" if ARCH == "x86_64" else "images"
    p = subprocess.run(["make", "-s", target, f"BUILD={rel}", "CONFIG=configs/release"], cwd=here,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tally.record("release/build", p.returncode == 0, p.stdout[-3000:])
    if p.returncode == 0:
        # a release build prints no reasons for refused calls: THR's "anywhere" are those
        test = dict(for_arch(next(t for t in tests if t["name"] == "THR"), ARCH),
                    name="release-THR", anywhere=[])
        run_qemu_test(rel, test, tally)


def check_expectations(out, test):
    """Return why the log does not meet the test's expectations, or None."""
    pos = 0
    for pat in test.get("expect", []):
        m = re.compile(pat, re.M).search(out, pos)
        if not m:
            # the line of the serial log where the previous pattern matched
            where = f"after line {out.count(chr(10), 0, pos) + 1} of the serial log" \
                if pos else "in the serial log"
            return f"expected /{pat}/ {where}"
        pos = m.end()
    for pat in test.get("anywhere", []):
        if not re.search(pat, out, re.M):
            return f"expected /{pat}/ somewhere"
    labels = test.get("interleave", [])
    if labels:
        seq = [next(l for l in labels if l in line) for line in out.splitlines()
               if any(l in line for l in labels)]
        switches = sum(1 for a, b in zip(seq, seq[1:]) if a != b)
        if switches < test.get("min_switches", 3):
            return f"output of {labels} switched {switches} times: {' '.join(seq)}"
    for pat in test.get("forbid", []):
        if re.search(pat, out, re.M):
            return f"forbidden /{pat}/ appeared"
    return None


def input_steps(spec):
    """A test's `input` as [(regex, text)], or a string saying what is wrong with it."""
    if not isinstance(spec, list):
        return "input: a list of { after = 'regex', text = \"...\" } tables"
    steps = []
    for i, step in enumerate(spec):
        if not isinstance(step, dict) or set(step) != {"after", "text"} or \
                not all(isinstance(v, str) for v in step.values()):
            return f"input[{i}]: a table with exactly the strings 'after' and 'text'"
        try:
            re.compile(step["after"])
            step["text"].encode("latin-1")
        except (re.error, UnicodeEncodeError) as e:
            return f"input[{i}]: {e}"
        steps.append((step["after"], step["text"]))
    return steps


def run_qemu_test(build, test, tally):
    name = test["name"]
    system = test.get("system")
    if not system:
        system = os.path.join(build, "tests", name + ".toml")
        os.makedirs(os.path.dirname(system), exist_ok=True)
        with open(system, "w") as f:
            f.write(qemu.system_from_modules(test["modules"]))
    boot = test.get("boot", "kernel")
    if boot not in ("kernel", "iso"):
        tally.record(name, False, f"boot = '{boot}' unknown (kernel or iso)")
        return
    # kernel = "trace": the kernel built with CONFIG_TRACE (make trace-kernel, in BUILD/trace)
    kernel = qemu.kernel_image(os.path.join(build, test["kernel"])) if "kernel" in test else None
    try:
        cmd = qemu.command(build, system, icount=test.get("icount", False),
                           append=test.get("append", ""), kernel=kernel)
    except qemu.SystemRefused:
        tally.record(name, False, f"the checker refused {system} (its message is above)")
        return
    except SystemExit as e:  # a program the system names was not built
        tally.record(name, False, str(e))
        return
    if "qemu_ram" in test:  # a machine with other RAM than its system file says
        cmd[cmd.index("-m") + 1] = test["qemu_ram"]
    if "cpu" in test:  # another CPU model than the architecture's default (scripts/qemu.py)
        cmd[cmd.index("-cpu") + 1] = test["cpu"]
    if boot == "iso":
        try:
            cmd = qemu.cdrom_command(cmd, mkiso.make_iso(build, system, test.get("append", "")))
        except mkiso.IsoError as e:
            tally.record(name, False, f"make iso: {e}")
            return
    steps = input_steps(test.get("input", []))
    if isinstance(steps, str):
        tally.record(name, False, steps)
        return
    if steps and "keys" in test:  # one feeds QEMU's standard input, the other its monitor
        tally.record(name, False, "a test has either input (serial) or keys (keyboard), not both")
        return
    if steps:
        out, status = qemu.run_fed(cmd, test.get("timeout", 60), steps)
    elif "keys" in test:  # typed on the guest's keyboard once keys_after appears
        try:
            out, status = qemukeys.run_captured_with_keys(cmd, test.get("timeout", 60),
                                                          test["keys"], test.get("keys_after", ""))
        except ValueError as e:
            tally.record(name, False, str(e))
            return
    else:
        out, status = qemu.run_captured(cmd, test.get("timeout", 60))
    code = qemu.guest_code(status)
    why = None
    if status is None:
        why = f"timed out after {test.get('timeout', 60)} s"
    elif code != test.get("halt", 0):
        why = f"{qemu.describe_end(status)}, expected halt code {test.get('halt', 0)}"
    why = why or check_expectations(out, test)
    seen = {}
    for tid, verdict, rest in TEST_LINE.findall(out):
        seen.setdefault(tid, []).append((verdict, rest.strip()))
    for tid in test.get("ids", []):
        if tid not in seen:
            tally.record(f"{name}/{tid}", False, "did not run")
    for tid, results in seen.items():
        bad = [r for v, r in results if v != "PASS"]
        tally.record(f"{name}/{tid}", not bad, "; ".join(bad))
    tally.record(name, why is None, why or "")
    if why or any(v != "PASS" for r in seen.values() for v, _ in r):
        # with file:line in fault reports, as make run shows them
        print("---- serial log ----\n" + symbolize.Symbolizer(build).text(out) +
              "---- end of log ----")


def arch_problem(test):
    """What is wrong with a test's arch and why keys, or None (no arch: every architecture)."""
    if "arch" not in test:
        return "why without arch: why gives the reason for an arch list" if "why" in test \
            else None
    arches = test["arch"]
    if not isinstance(arches, list) or not arches or \
            not all(isinstance(a, str) for a in arches):
        return f"arch: a non-empty list of architecture names ({', '.join(ARCHES)})"
    unknown = [a for a in arches if a not in ARCHES]
    if unknown:
        return f"arch: unknown architecture {', '.join(unknown)} (known: {', '.join(ARCHES)})"
    if not isinstance(test.get("why"), str) or not test["why"].strip():
        return "arch without why: say why the test cannot run on the others"
    return None


def on_problem(test):
    """What is wrong with a test's `on` key (per-architecture keys), or None."""
    on = test.get("on", {})
    if not isinstance(on, dict):
        return "on: a table of architectures, each a table of the keys it changes"
    for arch, keys in on.items():
        if arch not in ARCHES:
            return f"on: unknown architecture {arch} (known: {', '.join(ARCHES)})"
        if not isinstance(keys, dict):
            return f"on.{arch}: a table of the keys that differ on {arch}"
        fixed = sorted(set(keys) & {"name", "arch", "why", "on", "same_as"})
        if fixed:
            return f"on.{arch}: {', '.join(fixed)} cannot differ by architecture"
        if "drop_ids" in keys:
            drop = keys["drop_ids"]
            if "ids" in keys:
                return f"on.{arch}: ids or drop_ids, not both"
            if not isinstance(drop, list) or not drop or \
                    not all(isinstance(i, str) for i in drop):
                return f"on.{arch}: drop_ids: a non-empty list of the test's ids"
            unknown = [i for i in drop if i not in test.get("ids", [])]
            if unknown:
                return f"on.{arch}: drop_ids names {', '.join(unknown)}, not among the test's ids"
    return None


def for_arch(test, arch):
    """The test as it runs on arch: its `on.<arch>` keys in place of its own; drop_ids leaves
    those ids out of its own list (what does not mean anything there), in the list's order."""
    keys = test.get("on", {}).get(arch, {})
    out = {**test, **keys}
    if "drop_ids" in keys:
        out["ids"] = [i for i in test["ids"] if i not in keys["drop_ids"]]
        del out["drop_ids"]
    return out


def skip_reason(test, arch):
    """Why test does not run on arch, or None when it does (its keys checked first)."""
    if "arch" in test and arch not in test["arch"]:
        return f"{test['why']} (runs on {', '.join(test['arch'])} only)"
    return None


# what a test says for itself alone: where it runs, and what differs there
OWN_KEYS = ("arch", "why", "on")


def resolve_same_as(tests):
    """A test with same_as = "NAME" takes NAME's keys, except those it sets itself and
    OWN_KEYS (NAME's arch or on.<arch> may not fit the keys this test changes)."""
    by_name, out = {}, []
    for test in tests:
        base = test.get("same_as")
        if base is not None:
            if base not in by_name:
                sys.exit(f"runtests: tests.toml: test {test.get('name')}: same_as '{base}' "
                         "names no earlier test")
            inherited = {k: v for k, v in by_name[base].items() if k not in OWN_KEYS}
            test = {**inherited, **test}
            del test["same_as"]
        by_name[test["name"]] = test
        out.append(test)
    return out


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__, end="")
        return
    if len(sys.argv) not in (2, 3) or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    build, flt = sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else ""
    tally = Tally()
    matched = 0
    if ARCH == "x86_64":
        matched = run_host(build, tally, flt) + run_tools(build, tally, flt)
        if not flt:
            run_static(build, tally)
    else:
        print(f"ARCH={ARCH}: the host unit tests, tool tests and static checks do not depend "
              "on the architecture and run in the x86_64 pass (make test) only", flush=True)
    with open(os.path.join(os.path.dirname(__file__), "..", "tests", "qemu", "tests.toml"),
              "rb") as f:
        tests = resolve_same_as(tomllib.load(f)["test"])
    for test in tests:
        if flt and flt not in test["name"]:
            continue
        matched += 1
        why = arch_problem(test) or on_problem(test)
        test = for_arch(test, ARCH) if not why else test
        if why:
            tally.record(test["name"], False, why)
        elif skip_reason(test, ARCH):
            tally.skip(test["name"], skip_reason(test, ARCH))
        else:
            run_qemu_test(build, test, tally)
    if not flt:
        run_release(build, tests, tally)
    elif not matched:
        # a typo must not look like a clean run
        tally.record(f"filter '{flt}'", False,
                     "matches no host test binary (test_cap, ...) and no QEMU test name "
                     "(tests/qemu/tests.toml)")
    if tally.failed:
        print("failed: " + ", ".join(tally.failed))
    if tally.skipped:
        print(f"skipped on {ARCH} (counted neither as passed nor as failed): "
              f"{len(tally.skipped)}: {', '.join(tally.skipped)}")
    print(f"{tally.passed} passed, {len(tally.failed)} failed")
    sys.exit(1 if tally.failed else 0)


if __name__ == "__main__":
    main()
