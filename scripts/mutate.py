#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make mutate: how strong is the test suite? Break the kernel on purpose and see it fail.

usage: mutate.py [name-filter]
With a filter, only the mutants whose name contains it run.

A mutant is of the x86_64 kernel unless it says arch = "aarch64": it is then built
(ARCH=aarch64, in the copy's build/aarch64) and its tests run on that architecture.

Each mutant in tests/mutants.toml is one deliberate breakage: in one file, a text that must
occur exactly once is replaced. Each is tried on its own, two at a time, in copies of the
tree in a temporary directory, never in the tree itself: the files git knows
(tracked, and untracked ones it does not ignore) as they are now, built into the copy's
own build directory with configs/defconfig. First the unmodified copy must pass every test
the mutants use (the baseline), or nothing can be concluded. Then, for each mutant: apply
it, build what its tests need, run the tests it names (runtests.py filters, one after
another until one fails; without a list, the whole suite), and put the file back.

One line per mutant: "KILLED <name>: caught by <failing tests>" when the suite failed,
"SURVIVED <name>" when it passed (a gap in the suite), "BROKEN <name>: <why>" when the
mutant no longer applies (its text is not there exactly once: the kernel changed under
it) or does not build (it proves nothing). Failures of the static checks (formatting, the
generated reference) never count: a mutant is not caught by its layout.

The last line is "N killed, N survived" (", N broken" when some are); the exit status
is 0 only when every mutant was killed.
"""
import concurrent.futures
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MUTANTS = os.path.join("tests", "mutants.toml")
JOBS = 2           # mutants in flight at once: each is a build and a QEMU run
RUN_TIMEOUT = 900  # seconds for one build or one runtests.py run (QEMU tests time out sooner)
SHOW_FAILED = 3    # failing test names shown per killed mutant
KEYS = {"name", "file", "find", "replace", "tests", "arch"}
ARCHES = {"x86_64": "build", "aarch64": os.path.join("build", "aarch64")}  # and its build


class Fatal(Exception):
    """Something that stops the whole run, with a message for the user."""


# --- the mutants file -----------------------------------------------------------------------

def load_mutants(flt):
    path = os.path.join(ROOT, MUTANTS)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise Fatal(f"cannot read {MUTANTS}: {e.strerror}")
    except tomllib.TOMLDecodeError as e:
        raise Fatal(f"{MUTANTS}: {e}")
    mutants, seen = [], set()
    for i, m in enumerate(data.get("mutant", [])):
        where = f"{MUTANTS}: mutant {i + 1} ({m.get('name', 'no name')})"
        unknown = set(m) - KEYS
        missing = {"name", "file", "find", "replace"} - set(m)
        if unknown or missing:
            raise Fatal(f"{where}: " + "; ".join(
                ([f"unknown keys {sorted(unknown)}"] if unknown else []) +
                ([f"missing keys {sorted(missing)}"] if missing else [])))
        if not all(isinstance(m[k], str) for k in ("name", "file", "find", "replace")):
            raise Fatal(f"{where}: name, file, find and replace must be strings")
        tests = m.get("tests", [])
        if not isinstance(tests, list) or not all(isinstance(t, str) and t for t in tests):
            raise Fatal(f"{where}: tests must be a list of runtests.py filters")
        if m["name"] in seen:
            raise Fatal(f"{where}: the name is used twice")
        seen.add(m["name"])
        if m["find"] == m["replace"]:
            raise Fatal(f"{where}: replace is the same as find")
        arch = m.get("arch", "x86_64")
        if arch not in ARCHES:
            raise Fatal(f"{where}: arch must be one of {', '.join(ARCHES)}, not {arch!r}")
        if not flt or flt in m["name"]:
            mutants.append(dict(m, tests=tests, arch=arch))
    if not mutants:
        raise Fatal(f"no mutant in {MUTANTS}" + (f" has '{flt}' in its name" if flt else ""))
    return mutants


def why_broken(tree, m):
    """Why the mutant cannot be applied to the tree at tree, or None."""
    try:
        with open(os.path.join(tree, m["file"]), encoding="utf-8", newline="") as f:
            text = f.read()
    except OSError as e:
        return f"cannot read {m['file']}: {e.strerror}"
    n = text.count(m["find"])
    if n != 1:
        return (f"its text to find occurs {n} times in {m['file']}, not once "
                "(the code changed: update the mutant in " + MUTANTS + ")")
    return None


# --- copies of the tree, and the commands run in them ---------------------------------------

def tree_files():
    """What git knows of the tree: tracked files, and untracked ones it does not ignore."""
    try:
        p = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        raise Fatal(f"cannot run git: {e.strerror}")
    if p.returncode != 0:
        raise Fatal("make mutate copies the files git knows, but git ls-files failed: " +
                    p.stderr.decode(errors="replace").strip())
    return sorted({f for f in p.stdout.decode().split("\0") if f})


def copy_tree(dest):
    for rel in tree_files():
        src = os.path.join(ROOT, rel)
        if not os.path.lexists(src):
            continue  # deleted in the working tree, not yet in the index
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)


class Runner:
    """Runs commands in process groups of their own, so a timeout or Ctrl-C ends them all."""

    def __init__(self):
        self.lock = threading.Lock()
        self.live = set()
        self.stopping = False

    def run(self, cmd, cwd, arch="x86_64"):
        """(exit status, output), or (None, output so far) when it took too long."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "BUILD",
                            "CONFIG", "T", "M", "SYSTEM")}
        env["ARCH"] = arch  # what make builds and what runtests.py boots
        with self.lock:
            if self.stopping:
                return 1, "interrupted"
            p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, start_new_session=True)
            self.live.add(p)
        try:
            out, _ = p.communicate(timeout=RUN_TIMEOUT)
            status = p.returncode
        except subprocess.TimeoutExpired:
            self.kill(p)
            out, _ = p.communicate()
            status = None
        finally:
            with self.lock:
                self.live.discard(p)
        return status, out.decode(errors="replace")

    @staticmethod
    def kill(p):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop_all(self):
        with self.lock:
            self.stopping = True
            for p in self.live:
                self.kill(p)


def other_kernels(copy, filters):
    """The kernels of their own (kernel = "trace": make trace-kernel) that the QEMU tests
    behind filters boot."""
    try:
        with open(os.path.join(copy, "tests", "qemu", "tests.toml"), "rb") as f:
            tests = tomllib.load(f).get("test", [])
    except (OSError, tomllib.TOMLDecodeError):
        return []  # runtests.py says what is wrong with it
    return sorted({f"{t['kernel']}-kernel" for t in tests if "kernel" in t and
                   (not filters or any(f in t.get("name", "") for f in filters))})


def targets(copy, filters, arch="x86_64"):
    """What the tests behind filters need built: the whole suite needs everything, a
    filtered run the kernel, the programs and only the host tests it runs (each host test
    depends on all of kernel/core, so building them all would take most of the time). The
    host tests are x86_64's: on AArch64 the images and the other kernels, as make test."""
    if arch != "x86_64":
        return ["images"] + other_kernels(copy, [] if not filters or "" in filters else filters)
    if not filters or "" in filters:
        return ["all"] + other_kernels(copy, [])
    host = sorted(f[:-2] for f in os.listdir(os.path.join(copy, "tests", "host"))
                  if f.startswith("test_") and f.endswith(".c"))
    return ["images"] + [os.path.join("build", "host", h) for h in host
                         if any(f in h for f in filters)] + other_kernels(copy, filters)


def build(runner, copy, filters=None, arch="x86_64"):
    """None when the copy built what filters need, else the first error the build printed."""
    status, out = runner.run(["make", "-s", *targets(copy, filters, arch), f"BUILD={ARCHES[arch]}",
                              "CONFIG=configs/defconfig"], copy, arch)
    if status == 0:
        return None
    if status is None:
        return f"the build took over {RUN_TIMEOUT} s"
    errors = [l for l in out.splitlines() if "error" in l.lower()]
    return (errors or out.strip().splitlines() or ["no output"])[0].strip()


FAILED = re.compile(r"^failed: (.*)$", re.M)


def run_tests(runner, copy, flt, arch="x86_64"):
    """The tests that failed (static checks left out), or [] when everything passed."""
    cmd = [sys.executable, os.path.join("scripts", "runtests.py"), ARCHES[arch]] + \
        ([flt] if flt else [])
    status, out = runner.run(cmd, copy, arch)
    if status is None:
        return [f"{flt or 'the suite'} (timed out after {RUN_TIMEOUT} s)"]
    m = FAILED.search(out)
    names = [n for n in m.group(1).split(", ") if not n.startswith("static/")] if m else []
    if status != 0 and not m:  # runtests.py itself ended early
        names = [f"{flt or 'the suite'} (runtests.py exited with status {status})"]
    return names


# --- the run --------------------------------------------------------------------------------

def baseline(pool, copies, runner, filters):
    """Every filter the mutants use must pass on the unmodified tree, on its architecture
    (filters: (arch, filter) pairs)."""
    def one(af):
        copy = copies.get()
        try:
            return af, run_tests(runner, copy, af[1], af[0])
        finally:
            copies.put(copy)
    bad = [(af, names) for af, names in pool.map(one, filters) if names]
    if bad:
        raise Fatal("the unmodified tree already fails, so no mutant can be judged:\n" +
                    "\n".join(f"  {shown(af)}: {', '.join(names[:10])}"
                              for af, names in bad) + "\nfix make test first")


def shown(af):
    """An (arch, filter) pair as a run's lines name it."""
    arch, flt = af
    return (flt or "the whole suite") + ("" if arch == "x86_64" else f" on {arch}")


def judge(copies, runner, m):
    """(verdict, detail, seconds) for one mutant."""
    copy = copies.get()
    start = time.monotonic()
    try:
        return (*try_mutant(runner, copy, m), time.monotonic() - start)
    finally:
        copies.put(copy)


def try_mutant(runner, copy, m):
    """(verdict, detail) for one mutant, in copy, which it leaves as it found it."""
    path = os.path.join(copy, m["file"])
    with open(path, encoding="utf-8", newline="") as f:  # every byte as it is
        original = f.read()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(original.replace(m["find"], m["replace"], 1))
    try:
        err = build(runner, copy, m["tests"], m["arch"])
        if err:
            return "BROKEN", f"does not build: {err}"
        for flt in m["tests"] or [""]:
            failed = run_tests(runner, copy, flt, m["arch"])
            if failed:
                more = len(failed) - SHOW_FAILED
                return "KILLED", "caught by " + ", ".join(failed[:SHOW_FAILED]) + \
                    (f" (+{more} more)" if more > 0 else "")
        return "SURVIVED", ""
    finally:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(original)


def elapsed(start):
    s = int(time.monotonic() - start)
    return f"{s // 60} min {s % 60} s" if s >= 60 else f"{s} s"


def interrupted(signum, frame):
    raise KeyboardInterrupt  # a SIGTERM (make killed, say) cleans up as Ctrl-C does


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        sys.exit(__doc__)
    flt = sys.argv[1] if len(sys.argv) == 2 else ""
    signal.signal(signal.SIGTERM, interrupted)
    start = time.monotonic()
    mutants = load_mutants(flt)
    broken = {m["name"]: why for m in mutants if (why := why_broken(ROOT, m))}
    runnable = [m for m in mutants if m["name"] not in broken]
    filters = sorted({(m["arch"], t) for m in runnable for t in (m["tests"] or [""])})
    arches = sorted({m["arch"] for m in runnable})
    jobs = min(JOBS, max(1, len(runnable)))
    runner = Runner()
    pool = concurrent.futures.ThreadPoolExecutor(jobs)
    tmp = tempfile.mkdtemp(prefix="coffer-mutate-")
    verdicts, seconds = {}, {}
    try:
        print(f"mutate: {len(mutants)} mutant(s), {jobs} at a time, in copies of the tree "
              f"under {tmp}", flush=True)
        first = os.path.join(tmp, "copy1")
        copy_tree(first)
        for arch in arches:
            err = build(runner, first, None, arch)
            if err:
                raise Fatal(f"the unmodified tree does not build for {arch}: {err}")
        copies = queue.Queue()
        copies.put(first)
        for i in range(2, jobs + 1):  # the build comes along, so nothing is rebuilt
            shutil.copytree(first, os.path.join(tmp, f"copy{i}"), symlinks=True)
            copies.put(os.path.join(tmp, f"copy{i}"))
        if runnable:
            baseline(pool, copies, runner, filters)
            print(f"baseline: the unmodified tree passes "
                  f"{', '.join(shown(af) for af in filters)} ({elapsed(start)})",
                  flush=True)
        futures = {m["name"]: pool.submit(judge, copies, runner, m) for m in runnable}
        for m in mutants:  # in file order, each as soon as it and those before it are done
            name = m["name"]
            verdict, detail, seconds[name] = ("BROKEN", broken[name], 0) if name in broken \
                else futures[name].result()
            verdicts[name] = verdict
            print(f"{verdict} {name}" + (f": {detail}" if detail else ""), flush=True)
    except (KeyboardInterrupt, Fatal, OSError) as e:
        runner.stop_all()  # what runs ends at once, and nothing new starts
        pool.shutdown(wait=True, cancel_futures=True)
        if isinstance(e, KeyboardInterrupt):
            print("mutate: interrupted", file=sys.stderr)
            sys.exit(130)
        print(f"mutate: {e}", file=sys.stderr)
        sys.exit(2)
    finally:
        pool.shutdown(wait=True)
        shutil.rmtree(tmp, ignore_errors=True)
    counts = {v: sum(1 for x in verdicts.values() if x == v)
              for v in ("KILLED", "SURVIVED", "BROKEN")}
    slowest = sorted(seconds, key=seconds.get, reverse=True)[:3]
    print(f"mutate: took {elapsed(start)}" + (" (slowest: " + ", ".join(
        f"{name} {seconds[name]:.0f} s" for name in slowest) + ")" if slowest else ""))
    print(f"{counts['KILLED']} killed, {counts['SURVIVED']} survived" +
          (f", {counts['BROKEN']} broken" if counts["BROKEN"] else ""))
    sys.exit(0 if counts["KILLED"] == len(mutants) else 1)


if __name__ == "__main__":
    try:
        main()
    except Fatal as e:  # the mutants file, before anything ran
        sys.exit(f"mutate: {e}")
    except KeyboardInterrupt:
        sys.exit(130)
