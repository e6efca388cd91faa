# SPDX-License-Identifier: BSD-2-Clause
"""scripts/bench_unmap.py reads make bench's unmap rows (user/benchunmap, and the latency row
of benchrevoke's "lat") from the system's output: measured rows, a latency thread that saw no
interrupt, a run that never finished, and whether the latency holds the goal.
Nothing here times anything: the figures are make bench's, not make test's.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import contextlib
import io
import pathlib
import sys
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_unmap  # noqa: E402

NARROW, DESTROY, RANGE = bench_unmap.ROWS
SAMPLE = """container unmap: program benchunmap, priority 100 (ceiling 100), 512 KiB, 64 slots
BENCH unmap of 4,096 pages (cap_deduce)            min 332441  median 332441 ticks
BENCH destroy of a space with 4,096 pages          min  50218  median  50218 ticks
BENCH mem_protect + mem_share of 512 pages         min 111234  median 111234 ticks
BENCH interrupt latency, another container revokes worst 258302  median    545 ticks, 109 interrupts
BENCH done
thread lat (10001) ended, code 0
thread unmap (10012) ended, code 0
coffer: all threads finished, halting
"""


class UnmapRows(unittest.TestCase):
    def test_measured_rows(self):
        self.assertEqual(bench_unmap.parse(SAMPLE),
                         {NARROW: (332441, 332441), DESTROY: (50218, 50218),
                          RANGE: (111234, 111234), bench_unmap.LATENCY_ROW: (258302, 545, 109)})

    def test_no_interrupt_says_why(self):
        out = SAMPLE.replace(
            "BENCH interrupt latency, another container revokes worst 258302  median    545 "
            "ticks, 109 interrupts",
            "BENCH n/a interrupt latency, another container revokes: no interrupt came")
        self.assertEqual(bench_unmap.parse(out)[bench_unmap.LATENCY_ROW], "no interrupt came")

    def test_a_run_that_never_finished(self):
        rows = bench_unmap.parse(SAMPLE.split("BENCH mem_protect")[0])
        self.assertEqual(rows[NARROW], (332441, 332441))
        self.assertEqual(rows[RANGE], "the system did not finish")
        self.assertEqual(rows[bench_unmap.LATENCY_ROW], "the system did not finish")

    def test_the_table_says_whether_the_goal_holds(self):
        for worst, verdict in ((bench_unmap.LATENCY_GOAL, "within"),
                               (bench_unmap.LATENCY_GOAL + 1, "OVER")):
            rows = bench_unmap.parse(SAMPLE.replace("worst 258302", f"worst {worst}"))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                bench_unmap.show(rows)
            self.assertIn(f"worst {worst}", out.getvalue())
            self.assertIn(f"{verdict} the goal of {bench_unmap.LATENCY_GOAL}", out.getvalue())

    def test_the_rows_are_benchunmap_s(self):
        src = (ROOT / "user/benchunmap/benchunmap.c").read_text()
        for name in bench_unmap.ROWS:
            self.assertIn(f'"{name}"', src)


if __name__ == "__main__":
    unittest.main()
