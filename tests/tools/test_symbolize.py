# SPDX-License-Identifier: BSD-2-Clause
"""scripts/symbolize.py: file:line added to the kernel's fault reports and rejections, by make
run as QEMU's output arrives and by make test on a failed test's log.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import io
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import unittest
from unittest import mock

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import symbolize  # noqa: E402

BUILD = pathlib.Path(os.environ.get("COFFER_BUILD", ROOT / "build"))
FAULT_ELF = BUILD / "user" / "fault.elf"
FAULT_C = ROOT / "user" / "fault" / "fault.c"


def symbol(name):
    """Address of a function of user/fault (nm)."""
    out = subprocess.run(["nm", str(FAULT_ELF)], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    for line in out.splitlines():
        addr, _, sym = line.split()
        if sym == name:
            return int(addr, 16)
    raise AssertionError(f"{name} not in {FAULT_ELF}")


def body_lines(name):
    """The source lines of a function of user/fault/fault.c: its definition to its closing
    brace."""
    lines = FAULT_C.read_text().splitlines()
    start = next(i for i, t in enumerate(lines) if re.match(rf"static \w+ {name}\(", t))
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    return range(start + 1, end + 2)


def report(container, program, frames):
    head = (f"USER FAULT: container {container}, thread {container} (10001), program "
            f"{program}: page fault, vector 14, error 4, address 0000000000000000")
    return "\n".join([head, "  read of an unmapped address, in user mode (error 4)"] +
                     [f"  #{i} {a:016x} f+0x0" for i, a in enumerate(frames)] +
                     ["  rip 0000000000400007  cs 33", "thread x stopped"])


class Lines(unittest.TestCase):
    def setUp(self):
        self.assertTrue(FAULT_ELF.exists(), f"{FAULT_ELF} missing: run make")

    def place(self, line):
        m = re.search(r"\[(\S+):(\d+)", line)
        self.assertIsNotNone(m, f"no place added to {line!r}")
        return m.group(1), int(m.group(2))

    def test_frames_get_the_file_and_line_of_their_function(self):
        # #0 is the faulting pc itself; #1 a return address, placed by the byte before it
        pc = symbol("null_read") + 4
        out = symbolize.Symbolizer(str(BUILD)).text(report("c", "fault", [pc, pc + 1]))
        frames = [t for t in out.splitlines() if t.startswith("  #")]
        self.assertEqual(len(frames), 2)
        for f in frames:
            path, line = self.place(f)
            self.assertEqual(path, "user/fault/fault.c")
            self.assertIn(line, body_lines("null_read"))

    def test_other_lines_are_left_alone(self):
        log = report("c", "fault", [symbol("null_read")])
        out = symbolize.Symbolizer(str(BUILD)).text(log)
        self.assertEqual([t for t in out.splitlines() if not t.startswith("  #")],
                         [t for t in log.splitlines() if not t.startswith("  #")])

    def test_frames_after_the_report_are_not_taken_for_its_frames(self):
        # an indented "#" line after the report has ended belongs to nobody
        log = report("c", "fault", []) + f"\nspin A\n  #0 {symbol('null_read'):016x} x"
        out = symbolize.Symbolizer(str(BUILD)).text(log)
        self.assertEqual(out, log)

    def test_a_rejection_is_placed_by_its_container_program(self):
        pc = symbol("null_read") + 4
        log = ("container c: program fault, priority 100 (ceiling 100), 512 KiB, 64 slots\n"
               f"[reject] container c, thread c (10001), pc {pc:016x}: cap_read: slot 99 ...")
        out = symbolize.Symbolizer(str(BUILD)).text(log).splitlines()[1]
        path, line = self.place(out)
        self.assertEqual(path, "user/fault/fault.c")
        # a rejection of an unknown container is left as it was
        other = log.replace("[reject] container c,", "[reject] container d,")
        self.assertEqual(symbolize.Symbolizer(str(BUILD)).text(other), other)

    def test_unknown_program_or_no_addr2line_leaves_the_line(self):
        log = report("c", "nosuchprogram", [symbol("null_read")])
        self.assertEqual(symbolize.Symbolizer(str(BUILD)).text(log), log)
        log = report("c", "fault", [symbol("null_read")])
        with mock.patch.dict(os.environ, {"PATH": ""}):
            self.assertEqual(symbolize.Symbolizer(str(BUILD)).text(log), log)

    def test_an_address_outside_the_program_is_left(self):
        log = report("c", "fault", [0xdeadbeef000])
        self.assertEqual(symbolize.Symbolizer(str(BUILD)).text(log), log)


class Stream(unittest.TestCase):
    """make run's filter: bytes pass as they come, partial lines at once, \\r\\n kept."""

    def pump(self, chunks):
        r, w = os.pipe()
        out = io.BytesIO()

        def feed():
            for c in chunks:
                os.write(w, c)
            os.close(w)
        t = threading.Thread(target=feed)
        t.start()
        symbolize.stream(str(BUILD), r, out)
        t.join()
        os.close(r)
        return out.getvalue()

    def test_plain_output_is_unchanged(self):
        data = [b"hello\r\nwor", b"ld\n", b"prompt> ", b"typed\n", b"\xff\xfe bytes\n"]
        self.assertEqual(self.pump(data), b"".join(data))

    def test_a_report_is_placed_as_it_streams(self):
        log = report("c", "fault", [symbol("null_read") + 4]).encode() + b"\n"
        out = self.pump([log[:30], log[30:100], log[100:]]).decode()
        self.assertRegex(out, r"#0 [0-9a-f]{16} f\+0x0  \[user/fault/fault\.c:\d+\]\n")


    def test_the_place_goes_before_a_carriage_return_split_from_its_newline(self):
        log = report("c", "fault", [symbol("null_read") + 4]).replace("\n", "\r\n").encode()
        cut = log.index(b"\r\n", log.index(b"#0")) + 1  # the \r ends one chunk
        out = self.pump([log[:cut], log[cut:] + b"\r\n"]).decode()
        self.assertRegex(out, r"#0 [0-9a-f]{16} f\+0x0  \[user/fault/fault\.c:\d+\]\r\n")
        self.assertEqual(out.count("\r\n"), log.count(b"\r\n") + 1)

    def test_a_line_without_end_streams_in_linear_time(self):
        # a program printing dots (or \r progress) for ever: 8 MiB that never ends its line,
        # read 32 bytes at a time as QEMU's serial output comes; a runner that kept the whole
        # line and copied it on every read would take hours
        script = (
            "import io, os, sys, time\n"
            f"sys.path.insert(0, {str(ROOT / 'scripts')!r})\n"
            "import symbolize\n"
            "data = memoryview(b'.' * (8 << 20) + b'\\r' * 1000 + b'\\n')\n"
            "pos = 0\n"
            "def read(fd, n):\n"
            "    global pos\n"
            "    piece = bytes(data[pos:pos + 32])\n"
            "    pos += len(piece)\n"
            "    return piece\n"
            "symbolize.os.read = read\n"
            "out = io.BytesIO()\n"
            f"symbolize.stream({str(BUILD)!r}, 0, out)\n"
            "assert out.getvalue() == bytes(data), 'output differs from input'\n")
        try:
            p = subprocess.run([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            self.fail("8 MiB on one line took over a minute to pass through")
        self.assertEqual(p.returncode, 0, p.stdout)


class CommandLine(unittest.TestCase):
    def run_tool(self, *args, stdin=""):
        return subprocess.run([sys.executable, str(ROOT / "scripts" / "symbolize.py"), *args],
                              input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=60)

    def test_usage_and_a_missing_log_are_one_line_messages(self):
        p = self.run_tool()
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("usage: symbolize.py BUILD [LOG]", p.stderr)
        p = self.run_tool(str(BUILD), "/nonexistent/log")
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(p.stderr.strip(),
                         "symbolize: /nonexistent/log: No such file or directory")

    def test_a_log_file_and_standard_input(self):
        log = report("c", "fault", [symbol("null_read") + 4]) + "\n"
        with tempfile.NamedTemporaryFile("w", suffix=".log") as f:
            f.write(log)
            f.flush()
            from_file = self.run_tool(str(BUILD), f.name)
        from_stdin = self.run_tool(str(BUILD), stdin=log)
        self.assertEqual(from_file.returncode, 0)
        self.assertEqual(from_file.stdout, from_stdin.stdout)
        self.assertIn("[user/fault/fault.c:", from_file.stdout)


class MakeRun(unittest.TestCase):
    """The real path: runsystem.py (make run) boots a program that reads NULL, and its report
    carries the file and line."""

    def test_make_run_places_the_fault(self):
        self.assertTrue((BUILD / "kernel.elf").exists(), "kernel.elf missing: run make")
        with tempfile.TemporaryDirectory() as tmp:
            system = pathlib.Path(tmp, "null.toml")
            system.write_text('[[container]]\nname = "null"\nprogram = "fault"\nargs = "null"\n')
            p = subprocess.run([sys.executable, str(ROOT / "scripts" / "runsystem.py"),
                                str(system), str(BUILD)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=120, cwd=ROOT)
        m = re.search(r"#0 [0-9a-f]{16} null_read\+0x[0-9a-f]+  \[user/fault/fault\.c:(\d+)\]",
                      p.stdout)
        self.assertIsNotNone(m, p.stdout[-2000:])
        self.assertIn(int(m.group(1)), body_lines("null_read"))


if __name__ == "__main__":
    unittest.main()
