# SPDX-License-Identifier: BSD-2-Clause
"""The Linux conformance suite (linux/suite, docs/linux-suite.md) without Coffer.

It builds with musl-gcc; every LINUX-NNN ID is unique, well-formed and in its area's block;
every call the Linux personality implements, and every error it must give, is exercised in
the sources (the "covers every implemented call" promise, checked by name); the sources use
no libc wrapper that would reach a system call the personality does not have; and lxsuite
and lxcontain run natively on this Linux host with no FAIL line (Linux is the reference).

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import glob
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SUITE = ROOT / "linux" / "suite"

# each area file's ID block (inclusive)
BLOCKS = {"proc.c": (1, 99), "signal.c": (100, 199), "mem.c": (200, 299), "file.c": (300, 349),
          "dir.c": (350, 399), "fd.c": (400, 449), "pipe.c": (450, 479), "image.c": (480, 499),
          "tty.c": (500, 549), "time.c": (550, 599), "poll.c": (600, 649),
          "thread.c": (650, 699), "lxcontain.c": (900, 949)}

# every call of the personality (issue 14), and a pattern that shows the suite makes it:
# the raw system call, or the musl wrapper that is known to make exactly that call
CALLS = {
    "execve": r"SYS_execve\b|\bexecve\(", "fork": r"\bt?_?fork\(", "vfork": r"\bvfork\(",
    "clone (threads)": r"\bclone\(.*CLONE_SETTLS|CLONE_SETTLS", "CLONE_CHILD_SETTID":
    r"CLONE_CHILD_SETTID", "CLONE_CHILD_CLEARTID": r"CLONE_CHILD_CLEARTID",
    "pthread_create": r"\bpthread_create\(", "exit": r"SYS_exit\b", "exit_group":
    r"SYS_exit_group\b", "wait4": r"SYS_wait4\b", "waitid": r"SYS_waitid\b",
    "getpid": r"SYS_getpid\b", "getppid": r"SYS_getppid\b", "gettid": r"SYS_gettid\b",
    "set_tid_address": r"SYS_set_tid_address\b", "arch_prctl": r"SYS_arch_prctl\b",
    "uname": r"SYS_uname\b", "getuid": r"SYS_getuid\b", "geteuid": r"SYS_geteuid\b",
    "getgid": r"SYS_getgid\b", "getegid": r"SYS_getegid\b", "prlimit64": r"SYS_prlimit64\b",
    "getrlimit": r"SYS_getrlimit\b", "setpgid": r"SYS_setpgid\b", "getpgid": r"SYS_getpgid\b",
    "setsid": r"SYS_setsid\b",
    "kill": r"\bkill\(", "tgkill": r"SYS_tgkill\b", "rt_sigaction": r"SYS_rt_sigaction\b",
    "rt_sigprocmask": r"SYS_rt_sigprocmask\b",
    # musl's sigaction installs its restorer: a handler that returns calls rt_sigreturn
    "rt_sigreturn": r"handler runs and returns", "SIGCHLD": r"SIGCHLD", "SIGINT": r"SIGINT",
    "SIGTERM": r"SIGTERM", "SIGPIPE": r"SIGPIPE", "SIGSEGV": r"SIGSEGV",
    "brk": r"SYS_brk\b", "mmap": r"SYS_mmap\b", "munmap": r"SYS_munmap\b",
    "mprotect": r"SYS_mprotect\b", "madvise": r"SYS_madvise\b",
    "mmap of a file": r"MAP_PRIVATE, fd", "openat": r"SYS_openat\b", "close": r"SYS_close\b",
    "read": r"\bread\(", "write": r"\bwrite\(", "readv": r"SYS_readv\b", "writev": r"SYS_writev\b",
    "pread64": r"SYS_pread64\b", "lseek": r"\blseek\(", "fstat": r"SYS_fstat\b",
    "newfstatat": r"SYS_newfstatat\b", "statx": r"SYS_statx\b", "getdents64":
    r"SYS_getdents64\b", "mkdirat": r"SYS_mkdirat\b", "unlinkat": r"SYS_unlinkat\b",
    "renameat": r"SYS_renameat\b", "dup": r"SYS_dup\b", "dup2": r"SYS_dup2\b",
    "dup3": r"SYS_dup3\b", "pipe2": r"SYS_pipe2\b", "fcntl": r"SYS_fcntl\b",
    "getcwd": r"SYS_getcwd\b", "chdir": r"SYS_chdir\b", "readlink": r"SYS_readlink\b",
    "faccessat": r"SYS_faccessat\b", "umask": r"SYS_umask\b", "TCGETS": r"SYS_ioctl, \w+, TCGETS",
    "TCSETS": r"SYS_ioctl, \w+, TCSETS", "TIOCGWINSZ": r"SYS_ioctl, \w+, TIOCGWINSZ",
    "TIOCGPGRP": r"SYS_ioctl, \w+, TIOCGPGRP", "TIOCSPGRP": r"SYS_ioctl, \w+, TIOCSPGRP",
    "clock_gettime": r"SYS_clock_gettime\b", "gettimeofday": r"SYS_gettimeofday\b",
    "nanosleep": r"SYS_nanosleep\b", "clock_nanosleep": r"SYS_clock_nanosleep\b",
    "poll": r"SYS_poll\b", "select": r"SYS_select\b", "futex": r"SYS_futex\b",
    "/dev/console": r'"/dev/console"', "/dev/null": r'"/dev/null"', "/tmp": r'"/tmp',
    "/etc/hostname": r'"/etc/hostname"', "/bin/busybox": r'"/bin/busybox"',
    "EROFS under /": r"ERR\(EROFS",
    "fork bomb": r"fork bomb", "memory hog": r"memory hog", "process_vm_readv":
    r"SYS_process_vm_readv\b", "/proc/<pid>/mem": r'"/proc/%d/mem"',
}

# the errors the suite must check for exactly (ERR(<errno>, ...))
ERRORS = ["EBADF", "EFAULT", "ENOENT", "EEXIST", "EINVAL", "ECHILD", "ESRCH", "EAGAIN",
          "ENOTDIR", "EISDIR", "ENOTEMPTY", "ESPIPE", "EPIPE", "EROFS", "EMFILE", "ENOSYS",
          "EPERM", "EINTR", "ENOTTY", "ETIMEDOUT", "ERANGE", "EACCES", "ENOEXEC", "ENOMEM",
          "ENAMETOOLONG", "ENODEV"]

# musl wrappers that make a system call the personality does not implement (on x86_64 musl
# calls open, stat, pipe, ... by their old numbers): the suite must not depend on them
FORBIDDEN = ["open", "stat", "lstat", "access", "pipe", "rename", "unlink", "rmdir", "mkdir",
             "pause", "sched_yield", "alarm", "raise", "sleep", "usleep", "creat", "symlink",
             "link", "chmod", "fchmod", "fchmodat", "getsid", "sigsuspend", "ppoll"]

ENTRY = re.compile(r'\{\s*(\d+),\s*"([^"]*)",\s*(\w+)\s*\}')
LINE = re.compile(r"^TEST LINUX-(\d{3}) (PASS|FAIL|SKIP)\b(.*)$")


def sources():
    return {p.name: p.read_text() for p in sorted(SUITE.glob("*.[ch]"))}


def without_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


def table(text):
    """The (id, name, function) entries of a file's T_AREA table."""
    i = text.find("T_AREA(")
    return [(int(n), name, fn) for n, name, fn in ENTRY.findall(text[i:])] if i >= 0 else []


class Sources(unittest.TestCase):
    def test_ids_unique_well_formed_in_their_block(self):
        seen = {}
        for name, text in sources().items():
            entries = table(text)
            if name in ("harness.c", "lxsuite.c", "t.h"):
                self.assertEqual(entries, [], name)
                continue
            self.assertIn(name, BLOCKS, f"{name}: an area file with no ID block here")
            lo, hi = BLOCKS[name]
            self.assertTrue(entries, f"{name} lists no tests")
            for n, title, fn in entries:
                self.assertTrue(lo <= n <= hi, f"{name}: LINUX-{n:03d} outside {lo}..{hi}")
                self.assertNotIn(n, seen, f"LINUX-{n:03d} in {name} and {seen.get(n)}")
                seen[n] = name
                self.assertTrue(title and len(title) < 60, f"LINUX-{n:03d}: name {title!r}")
                self.assertRegex(text, rf"\bstatic void {fn}\(void\)", f"{name}: {fn}")
        self.assertGreater(len(seen), 80)

    def test_every_area_is_run(self):
        main = sources()["lxsuite.c"]
        for name in BLOCKS:
            if name != "lxcontain.c":
                self.assertIn(f"&{name[:-2]}_area", main, f"lxsuite does not run {name}")

    def test_every_call_is_exercised(self):
        text = "\n".join(sources().values())
        missing = [call for call, pat in CALLS.items() if not re.search(pat, text)]
        self.assertEqual(missing, [], "calls the suite does not make")

    def test_every_error_is_checked(self):
        text = "\n".join(sources().values())
        missing = [e for e in ERRORS if not re.search(rf"\bERR\({e},", text)]
        self.assertEqual(missing, [], "errors no test checks for")

    def test_no_wrapper_of_a_missing_call(self):
        for name, text in sources().items():
            code = without_comments(text)
            for fn in FORBIDDEN:
                m = re.search(rf"(?<![\w.>]){fn}\(", code)
                self.assertIsNone(m, f"{name} calls {fn}(): musl makes a system call the "
                                     "personality lacks; use the *at call or SC()")


class BuildAndRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.build = cls.tmp.name
        cls.bins = [f"{cls.build}/linux/suite/lxsuite", f"{cls.build}/linux/suite/lxcontain"]
        cls.have_musl = shutil.which("musl-gcc") is not None
        if cls.have_musl:
            cls.make = subprocess.run(["make", "--no-print-directory", f"BUILD={cls.build}",
                                       *cls.bins], cwd=ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, timeout=300)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        if not self.have_musl:
            self.skipTest("musl-gcc is missing (scripts/deps.sh installs musl-tools)")

    def test_builds_static(self):
        self.assertEqual(self.make.returncode, 0, self.make.stdout)
        for b in self.bins:
            with open(b, "rb") as f:
                head = f.read(64)
            self.assertEqual(head[:4], b"\x7fELF", b)
            p = subprocess.run(["file", b], stdout=subprocess.PIPE, text=True) \
                if shutil.which("file") else None
            if p:
                self.assertIn("statically linked", p.stdout)

    def run_native(self, prog, ids):
        self.assertEqual(self.make.returncode, 0, self.make.stdout)
        with tempfile.TemporaryDirectory() as cwd:
            p = subprocess.run([prog], cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=600)
        lines = p.stdout.splitlines()
        results = [LINE.match(line) for line in lines if line.startswith("TEST ")]
        self.assertTrue(all(results), p.stdout)
        fails = [m.group(0) for m in results if m.group(2) == "FAIL"]
        self.assertEqual(fails, [], p.stdout)
        got = [int(m.group(1)) for m in results]
        self.assertEqual(sorted(got), sorted(ids), "each test reports exactly once")
        name = os.path.basename(prog)
        npass = sum(m.group(2) == "PASS" for m in results)
        self.assertEqual(lines[-1], f"{name}: {npass} passed, 0 failed", p.stdout)
        self.assertEqual(p.returncode, 0, p.stdout)
        return results

    def test_lxsuite_passes_on_this_host(self):
        ids = [n for f, t in sources().items() if f != "lxcontain.c" for n, _, _ in table(t)]
        before = set(glob.glob("/tmp/lxsuite.*"))
        results = self.run_native(self.bins[0], ids)
        # only what holds in Coffer alone may skip here: the image's files and EROFS at /
        skipped = {int(m.group(1)) for m in results if m.group(2) == "SKIP"}
        self.assertTrue(skipped <= set(range(480, 500)), skipped)
        self.assertEqual(set(glob.glob("/tmp/lxsuite.*")) - before, set(),
                         "the scratch directory is left behind")

    def test_lxcontain_skips_the_bombs_on_this_host(self):
        ids = [n for n, _, _ in table(sources()["lxcontain.c"])]
        results = self.run_native(self.bins[1], ids)
        skipped = {int(m.group(1)) for m in results if m.group(2) == "SKIP"}
        self.assertTrue({900, 901, 902} <= skipped, skipped)


if __name__ == "__main__":
    unittest.main()
