# SPDX-License-Identifier: BSD-2-Clause
"""scripts/bench.py reads the Linux personality's rows (linux/bench/lxbench.c) from a system's
output: measured rows, rows lxbench could not measure, a system that never ran lxbench; the
floor the kernel measures with bench=floor and each row's ratio to it; the kernel's boot line.
Nothing here times anything: the figures are make bench's, not make test's.

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
import qemu  # noqa: E402

GETPID, PIPE, FORK = bench.LINUX_ROWS

# lxbench's output as the serial console shows it, with the kernel's and the server's lines
SAMPLE = """timer: PIT on line 2, 12 workers, serving
BENCH timer overhead (lfence;rdtsc;lfence)       5 ticks (subtracted)
BENCH linux getpid round trip (raw syscall)        min   2670  median   2670 ticks
BENCH linux pipe round trip, 2 processes, 1 byte   min  14021  median  14388 ticks
thread linux (10048) ended, code -1
thread linux (20048) ended, code -1
BENCH linux fork + child _exit(0) + waitpid        min 979548  median 979614 ticks
BENCH done
thread linux (10024) ended, code -1
linux: init exited: status 0
coffer: all threads finished, halting
"""
HALTED = (qemu.HALT_MARKER << 1) | 1  # QEMU's status for the kernel's halt code 0


class LinuxRows(unittest.TestCase):
    def test_measured_rows(self):
        self.assertEqual(bench.parse_linux(SAMPLE, HALTED),
                         {GETPID: (2670, 2670), PIPE: (14021, 14388), FORK: (979548, 979614)})

    def test_a_row_lxbench_could_not_measure_says_why(self):
        out = SAMPLE.replace(
            "BENCH linux pipe round trip, 2 processes, 1 byte   min  14021  median  14388 ticks",
            "linux: hello: pipe (22) is not implemented (ENOSYS)\n"
            "BENCH n/a linux pipe round trip, 2 processes, 1 byte: pipe2: Function not "
            "implemented")
        rows = bench.parse_linux(out, HALTED)
        self.assertEqual(rows[PIPE], "pipe2: Function not implemented")
        self.assertEqual(rows[GETPID], (2670, 2670))
        self.assertEqual(rows[FORK], (979548, 979614))

    def test_a_row_missing_from_a_finished_run(self):
        out = "\n".join(line for line in SAMPLE.splitlines() if "fork" not in line) + "\n"
        self.assertEqual(bench.parse_linux(out, HALTED)[FORK], "lxbench did not print it")

    def test_a_program_the_server_cannot_start(self):
        out = ("timer: PIT on line 2, 12 workers, serving\n"
               "linux: cannot start /bin/lxbench: error 2\n")
        self.assertTrue(re.search(bench.LINUX_GIVE_UP, out, re.M))
        for why in bench.parse_linux(out, None).values():
            self.assertIn("linux: cannot start /bin/lxbench: error 2", why)
            self.assertIn("ENOENT", why)

    def test_a_run_that_never_finished(self):
        out = SAMPLE.split("BENCH linux pipe")[0]
        rows = bench.parse_linux(out, None)
        self.assertEqual(rows[GETPID], (2670, 2670))
        self.assertEqual(rows[PIPE], "the system did not finish (timed out)")
        self.assertEqual(rows[FORK], rows[PIPE])

    def test_only_whole_lines_give_up(self):
        """QEMU's output may stop mid-line: the reason must be the whole line."""
        self.assertIsNone(re.search(bench.LINUX_GIVE_UP, "linux: cannot start /b", re.M))

    def test_the_rows_are_lxbench_s(self):
        """bench.py's row names are the ones lxbench.c prints, in its order."""
        src = (ROOT / "linux" / "bench" / "lxbench.c").read_text()
        names = re.findall(r'^#define ROW_\w+\s+"([^"]+)"', src, re.M)
        self.assertEqual(names, bench.LINUX_ROWS)

    def test_the_table_shows_n_a_with_its_reason(self):
        rows = bench.parse_linux(SAMPLE.split("BENCH linux pipe")[0], None)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.print_linux(rows, rows, "not measured")
        text = out.getvalue()
        self.assertRegex(text, r"linux getpid round trip \(raw syscall\) +2670 / 2670 +2670 / 2670")
        self.assertRegex(text, r"linux pipe round trip.* n/a \(1\) +n/a \(1\)")
        self.assertIn("(1) the system did not finish (timed out)", text)


# a bench=floor boot's output (kernel/core/floor_probe.c)
FLOOR_SAMPLE = """apic: timer 1000 Hz (62501 ticks/ms, from the PIT)
floor: timing the least a system call and a switch of spaces cost (bench=floor)
BENCH floor: system call + return, null handler    min      2  median      3 ticks
BENCH floor: A->B->A, two spaces, 2 root writes    min     27  median     28 ticks
BENCH done
"""
SYSCALL, SWITCH = bench.FLOOR_ROWS


class Floor(unittest.TestCase):
    def test_measured_floor(self):
        self.assertEqual(bench.parse_floor(FLOOR_SAMPLE), {SYSCALL: (2, 3), SWITCH: (27, 28)})

    def test_a_probe_that_could_not_run_says_why(self):
        out = FLOOR_SAMPLE.split("BENCH floor")[0] + \
            "BENCH n/a floor: the probe could not run\n"
        self.assertEqual(bench.parse_floor(out), "the probe could not run")

    def test_a_floor_row_missing(self):
        out = FLOOR_SAMPLE.replace(FLOOR_SAMPLE.splitlines()[3], "")
        self.assertIn("printed no floor", bench.parse_floor(out))

    def test_the_floor_rows_are_the_kernel_s(self):
        src = (ROOT / "kernel" / "core" / "floor_probe.c").read_text()
        for name in bench.FLOOR_ROWS:
            self.assertIn(f'"{name}"', src)

    def test_rows_beside_their_floor(self):
        floor = bench.parse_floor(FLOOR_SAMPLE)
        self.assertEqual(bench.times_floor("null system call (thread_id)", 155, floor), "77.5 a")
        self.assertEqual(
            bench.times_floor("IPC call+reply round trip, 2 containers", 504, floor), "18.7 b")
        self.assertEqual(bench.times_floor(GETPID, 1647, floor), "61.0 b")

    def test_no_ratio_without_a_floor(self):
        self.assertEqual(bench.times_floor("null system call (thread_id)", 155, "why"), "-")
        zero = {SYSCALL: (0, 0), SWITCH: (27, 28)}
        self.assertEqual(bench.times_floor("map + unmap of a page", 602, zero), "-")

    def test_rows_that_cross_spaces_are_bench_c_s(self):
        """Each kind of row set beside the two-space floor is one bench.c prints (a renamed row
        would otherwise go beside the system call's floor unnoticed)."""
        src = (ROOT / "user" / "bench" / "bench.c").read_text()
        for prefix in bench.CROSSES_SPACES:
            if prefix != "linux ":
                self.assertIn(f'"{prefix}', src)

    def test_the_floor_section_names_its_marks(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.print_floor(bench.parse_floor(FLOOR_SAMPLE))
            bench.print_floor("the probe could not run")
        self.assertRegex(out.getvalue(), r"a  system call \+ return, null handler +2 / 3   \w")
        self.assertRegex(out.getvalue(), r"b  A->B->A, two spaces, 2 root writes +27 / 28   \w")
        self.assertIn("not measured: the probe could not run", out.getvalue())


class Boot(unittest.TestCase):
    def test_boot_line(self):
        out = ("ioapic: 24 interrupt lines\n"
               "boot: 2471303 timestamp ticks from reset to the first user thread\n")
        self.assertEqual(bench.parse_boot(out), 2471303)

    def test_no_boot_line(self):
        self.assertIsNone(bench.parse_boot("KERNEL PANIC: boot: no boot module named 'system'\n"))

    def test_the_line_is_the_kernel_s(self):
        src = (ROOT / "kernel" / "core" / "main.c").read_text()
        fmt = re.search(r'"(boot: %lu timestamp ticks[^"]*)\\n"', src)
        self.assertTrue(fmt)
        self.assertTrue(bench.BOOT_LINE.search(fmt.group(1).replace("%lu", "123")))

    def test_the_boot_run_turns_icount_sleep_off(self):
        seen = {}

        def command(build, system, **kw):
            seen.update(kw, system=system)
            return ["qemu"]

        def run_fed(cmd, timeout, steps, until=None):
            out = "boot: 7 timestamp ticks from reset to the first user thread\n"
            self.assertTrue(re.search(until, out, re.M))
            return out, None

        with mock.patch.object(bench.qemu, "command", command), \
                mock.patch.object(bench.qemu, "run_fed", run_fed):
            self.assertEqual(bench.run_boot("build"), 7)
        self.assertEqual(seen, {"icount": True, "icount_sleep": False,
                                "system": bench.BOOT_SYSTEM})

    def test_icount_sleep_off_reaches_qemu(self):
        """With sleep on (QEMU's default), the virtual clock runs on while QEMU loads files:
        the boot figure would change from run to run."""
        with tempfile.TemporaryDirectory() as tmp:
            build = os.path.join(tmp, "build")
            os.makedirs(os.path.join(build, "user"))
            pathlib.Path(build, "user", "hello.elf").write_bytes(b"")
            path = os.path.join(tmp, "s.toml")
            pathlib.Path(path).write_text('[[container]]\nname = "a"\nprogram = "hello"\n')
            off = qemu.command(build, path, icount=True, icount_sleep=False)
            on = qemu.command(build, path, icount=True)
        self.assertEqual(off[off.index("-icount") + 1], "shift=0,align=off,sleep=off")
        self.assertEqual(on[on.index("-icount") + 1], "shift=0,align=off")


class RunFedUntil(unittest.TestCase):
    def test_output_matching_until_stops_the_guest(self):
        # a stand-in for QEMU that would exit 0 after its sleep if it were not stopped
        guest = "import time\nprint('BENCH done', flush=True)\ntime.sleep(30)\nprint('late')\n"
        out, status = qemu.run_fed([sys.executable, "-c", guest], 60, [], until=r"^BENCH done\n")
        self.assertIsNone(status)
        self.assertEqual(out, "BENCH done\n")


# benchrevoke's output as the serial console shows it
REVOKE_SAMPLE = """container rev: program benchrevoke, priority 100 (ceiling 100), 512 KiB, 1024 slots
BENCH revoke, a chain of 700 copies                min 209237  median 209240 ticks
thread sink0 (10023) ended, code 0
BENCH revoke, 10,000 copies (10 containers)        min 4267509  median 4267511 ticks
BENCH interrupt latency, another container revokes worst  19146  median    719 ticks, 365 interrupts
BENCH interrupt latency, another container restarts worst  302850  median    961 ticks, 456 interrupts
BENCH interrupt latency, another container ends a table worst  17116  median   7021 ticks, 7 interrupts
BENCH done
"""
CHAIN, WIDE = bench.REVOKE_ROWS


class RevokeRows(unittest.TestCase):
    def test_measured_rows(self):
        self.assertEqual(bench.parse_revoke(REVOKE_SAMPLE),
                         {CHAIN: (209237, 209240), WIDE: (4267509, 4267511),
                          bench.LATENCY_ROW: (19146, 719, 365),
                          bench.RESTART_LATENCY_ROW: (302850, 961, 456),
                          bench.TEARDOWN_LATENCY_ROW: (17116, 7021, 7)})

    def test_no_interrupt_says_why(self):
        out = REVOKE_SAMPLE.replace(
            "BENCH interrupt latency, another container revokes worst  19146  median    719 "
            "ticks, 365 interrupts",
            "BENCH n/a interrupt latency, another container revokes: no interrupt came")
        rows = bench.parse_revoke(out)
        self.assertEqual(rows[bench.LATENCY_ROW], "no interrupt came")
        self.assertEqual(rows[CHAIN], (209237, 209240))

    def test_a_run_that_never_finished(self):
        out = REVOKE_SAMPLE.split("BENCH revoke, 10,000")[0]
        rows = bench.parse_revoke(out)
        self.assertEqual(rows[CHAIN], (209237, 209240))
        self.assertEqual(rows[WIDE], "the system did not finish")
        self.assertEqual(rows[bench.LATENCY_ROW], "the system did not finish")
        self.assertEqual(rows[bench.RESTART_LATENCY_ROW], "the system did not finish")
        self.assertEqual(rows[bench.TEARDOWN_LATENCY_ROW], "the system did not finish")

    def test_the_latency_row_is_not_a_min_median_row(self):
        self.assertNotIn(bench.LATENCY_ROW, bench.parse_rows(REVOKE_SAMPLE))

    def test_the_table_says_whether_the_goal_holds(self):
        for worst, verdict in ((bench.REVOKE_LATENCY_GOAL, "within"),
                               (bench.REVOKE_LATENCY_GOAL + 1, "OVER")):
            rows = bench.parse_revoke(REVOKE_SAMPLE.replace("worst  19146", f"worst {worst}"))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                bench.print_revoke(rows)
            self.assertIn(f"worst {worst}", out.getvalue())
            self.assertIn(f"{verdict} the goal of {bench.REVOKE_LATENCY_GOAL}", out.getvalue())

    def test_the_rows_are_benchrevoke_s(self):
        src = (ROOT / "user/benchrevoke/benchrevoke.c").read_text()
        for name in bench.REVOKE_ROWS + bench.LATENCY_ROWS:
            self.assertIn(f'"{name}"', src)


if __name__ == "__main__":
    unittest.main()


class ScaleRows(unittest.TestCase):
    """The scale systems' rows (user/scale) come out by operation, then by thread count."""

    def test_by_operation_then_threads(self):
        out = ("BENCH null system call, 256 threads               min    155  median    155 ticks\n"
               "BENCH IPC call+reply round trip, 256 threads      min    502  median    502 ticks\n"
               "BENCH null system call, 4096 threads              min    155  median    156 ticks\n"
               "BENCH null system call, 2 threads                 min    155  median    155 ticks\n"
               "BENCH IPC call+reply round trip, 2 threads        min    501  median    502 ticks\n")
        self.assertEqual(list(bench.by_operation(bench.parse_rows(out)).items()),
                         [("null system call, 2 threads", (155, 155)),
                          ("null system call, 256 threads", (155, 155)),
                          ("null system call, 4096 threads", (155, 156)),
                          ("IPC call+reply round trip, 2 threads", (501, 502)),
                          ("IPC call+reply round trip, 256 threads", (502, 502))])

    def test_every_scale_system_is_there(self):
        for system in bench.SCALE_SYSTEMS:
            self.assertTrue((ROOT / system).is_file(), system)
