# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/trace.py: the kernel's trace dump as a Perfetto / Chrome trace file.

The echo system's own trace (booted with the kernel make trace-kernel builds, BUILD/trace)
must show the client's call to the server, the server's receive and reply, the client's
receive of it and the switches between them, named as in the system file; bad logs give a
message, never a traceback.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import qemu  # noqa: E402

SCRIPT = ROOT / "scripts" / "trace.py"
# by path: "import trace" could find the standard library's module of that name
_spec = importlib.util.spec_from_file_location("coffer_trace", SCRIPT)
trace = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trace)
PYTHON = "/usr/bin/python3"
BUILD = pathlib.Path(os.environ.get("COFFER_BUILD", ROOT / "build"))

# a hand-made dump: two containers; "b" creates a second thread of its own; a queued send
SMALL = """boot noise
TRACE BEGIN 1 7 3
TRACE C 1 a
TRACE C 2 b
TRACE R 1000 9 1 10001 0 0 0
TRACE R 2000 9 2 10002 0 0 0
TRACE R 3000 1 0 0 0 10002 2
TRACE R 3500 2 2 10002 0 5 0
TRACE R 4000 9 2 10003 0 10002 0
TRACE R 5000 1 2 10002 0 10001 1
TRACE R 6000 4 1 10001 0 5 10002
TRACE END 7
"""


def events(doc, ph=None, name=None):
    return [e for e in doc["traceEvents"] if (ph is None or e["ph"] == ph) and
            (name is None or e["name"] == name)]


def thread_names(doc):
    return {e["tid"]: e["args"]["name"] for e in events(doc, "M", "thread_name")}


class Parse(unittest.TestCase):
    def test_reads_containers_records_and_loss(self):
        conts, recs, lost = trace.parse(SMALL)
        self.assertEqual(conts, {1: "a", 2: "b"})
        self.assertEqual(len(recs), 7)
        self.assertEqual(recs[0], (0x1000, 9, 1, 0x10001, 0, 0, 0))
        self.assertEqual(lost, 3)

    def test_carriage_returns_are_ignored(self):
        self.assertEqual(len(trace.parse(SMALL.replace("\n", "\r\n"))[1]), 7)

    def check_error(self, text, *words):
        with self.assertRaises(trace.TraceError) as cm:
            trace.parse(text, "x.log")
        for w in words:
            self.assertIn(w, str(cm.exception))

    def test_no_trace(self):
        self.check_error("hello\nall threads finished\n", "x.log", "no trace", "CONFIG_TRACE")

    def test_kernel_without_trace(self):
        self.check_error("boot: trace=dump ignored: this kernel was built without CONFIG_TRACE\n",
                         "built without CONFIG_TRACE", "make trace")

    def test_cut_short(self):
        cut = SMALL[:SMALL.index("TRACE R 5000")]
        self.check_error(cut, "cut short", "5 of 7 records")
        self.check_error(SMALL[:SMALL.index("TRACE R 5000") + 12], "cut short", "5 of 7")

    def test_count_mismatch(self):
        self.check_error(SMALL.replace("TRACE R 6000 4 1 10001 0 5 10002\n", ""),
                         "x.log:11", "announced 7 records but holds 6")

    def test_malformed_record(self):
        self.check_error(SMALL.replace("TRACE R 5000 1 2 10002 0 10001 1", "TRACE R 5000 1 zz"),
                         "x.log:10", "not a trace line")

    def test_other_version(self):
        self.check_error(SMALL.replace("BEGIN 1 ", "BEGIN 2 "), "version 2")

    def test_malformed_header(self):
        self.check_error(SMALL.replace("TRACE BEGIN 1 7 3", "TRACE BEGIN"), "x.log:2",
                         "malformed trace header")


class Convert(unittest.TestCase):
    def setUp(self):
        self.doc = trace.convert(*trace.parse(SMALL))

    def test_containers_are_processes(self):
        procs = {e["pid"]: e["args"]["name"] for e in events(self.doc, "M", "process_name")}
        self.assertEqual(procs, {1: "a", 2: "b", trace.KERNEL_PID: "kernel"})

    def test_threads_named_after_their_container(self):
        # program threads (made by the kernel) by the container's name; one a container's
        # own thread creates gets "<container>.2"
        self.assertEqual(thread_names(self.doc),
                         {0x10001: "a", 0x10002: "b", 0x10003: "b.2", trace.IDLE_TID: "idle"})

    def test_run_slices_between_switches(self):
        runs = [(e["tid"], e["ts"], e["dur"]) for e in events(self.doc, "X")]
        # timestamps are hex ticks read as ns, in microseconds from the first record
        self.assertEqual(runs, [(0x10002, 8.192, 8.192), (0x10001, 16.384, 4.096)])

    def test_queued_send_flows_to_its_receive(self):
        s, f = events(self.doc, "s"), events(self.doc, "f")
        self.assertEqual(len(s), 1)
        self.assertEqual(len(f), 1)
        self.assertEqual(s[0]["id"], f[0]["id"])
        self.assertEqual((s[0]["tid"], f[0]["tid"]), (0x10002, 0x10001))
        send = events(self.doc, "i", "send")[0]
        self.assertEqual(send["args"]["endpoint"], 5)
        self.assertIn("queued", send["args"]["to"])

    def test_loss_and_unit_recorded(self):
        self.assertEqual(self.doc["otherData"]["records lost (ring wrapped)"], 3)
        self.assertEqual(self.doc["displayTimeUnit"], "ns")

    def test_fault_cap_and_unknown_events_decoded(self):
        doc = trace.convert({1: "a"}, [(0, 6, 1, 0x10001, 0, 14 | 6 << 8, 0xbad000),
                                       (1, 11, 1, 0x10001, 2, 17, 20), (2, 99, 1, 0x10001, 0, 1, 2)])
        fault = events(doc, "i", "fault")[0]["args"]
        self.assertEqual((fault["vector"], fault["error"], fault["address"]),
                         (14, "0x6", "0xbad000"))
        grant = events(doc, "i", "cap_grant")[0]["args"]  # number 17 in syscalls.toml
        self.assertEqual((grant["slot"], grant["result"]), (20, "ECAP"))
        self.assertEqual(len(events(doc, "i", "event 99")), 1)


class CommandLine(unittest.TestCase):
    def run_script(self, *args):
        return subprocess.run([PYTHON, str(SCRIPT), *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)

    def test_writes_json(self):
        with tempfile.TemporaryDirectory() as d:
            log = pathlib.Path(d) / "x.log"
            log.write_text(SMALL)
            p = self.run_script(str(log))
            self.assertEqual(p.returncode, 0, p.stderr)
            doc = json.loads((pathlib.Path(d) / "x.trace.json").read_text())
            self.assertEqual(len(events(doc, "M", "process_name")), 3)

    def check_refused(self, p, *words):
        self.assertEqual(p.returncode, 1)
        self.assertNotIn("Traceback", p.stderr)
        self.assertTrue(p.stderr.startswith("trace: "), p.stderr)
        for w in words:
            self.assertIn(w, p.stderr)

    def test_bad_logs_give_a_message(self):
        with tempfile.TemporaryDirectory() as d:
            log = pathlib.Path(d) / "x.log"
            log.write_text("no trace here\n")
            self.check_refused(self.run_script(str(log)), "no trace")
            log.write_text(SMALL[:200])
            self.check_refused(self.run_script(str(log)), "cut short")
            self.check_refused(self.run_script(str(pathlib.Path(d) / "missing.log")),
                               "cannot read")
            self.check_refused(self.run_script(str(log), d),
                               "cut short")  # the log is read before the output is opened
            log.write_text(SMALL)
            self.check_refused(self.run_script(str(log), d), "cannot write")

    def test_run_without_trace_kernel(self):
        with tempfile.TemporaryDirectory() as d:
            self.check_refused(self.run_script("--run", "systems/echo.toml", d),
                               "make trace-kernel")

    def test_usage(self):
        p = self.run_script()
        self.assertEqual(p.returncode, 1)
        self.assertIn("usage", p.stderr)
        self.assertNotIn("Traceback", p.stderr)


class EchoSystem(unittest.TestCase):
    """The echo system's real trace, from the kernel built with CONFIG_TRACE."""

    @classmethod
    def setUpClass(cls):
        kernel = BUILD / "trace" / "kernel.elf"
        if not kernel.exists():
            raise AssertionError(f"{kernel} is missing: make test builds it (make trace-kernel)")
        cmd = qemu.command(str(BUILD), str(ROOT / "systems" / "echo.toml"), icount=True,
                           append="trace=dump", kernel=str(kernel))
        out, status = qemu.run_captured(cmd, 60)
        if qemu.guest_code(status) != 0:
            raise AssertionError(f"echo did not finish: {qemu.describe_end(status)}\n{out}")
        cls.doc = json.loads(json.dumps(trace.convert(*trace.parse(out))))  # valid JSON

    def test_required_fields(self):
        for e in self.doc["traceEvents"]:
            for key in ("name", "ph", "pid"):
                self.assertIn(key, e)
            if e["ph"] != "M":
                self.assertIsInstance(e["ts"], float)
                self.assertIn("tid", e)
            if e["ph"] == "X":
                self.assertGreaterEqual(e["dur"], 0)

    def test_named_as_in_the_system_file(self):
        procs = {e["args"]["name"] for e in events(self.doc, "M", "process_name")}
        self.assertEqual(procs, {"server", "client", "kernel"})
        self.assertEqual(set(thread_names(self.doc).values()), {"server", "client", "idle"})

    def ipc_sequence(self):
        """(thread name, event name, partner) of the IPC instants and run slices, by time."""
        names = thread_names(self.doc)
        out = []
        for e in sorted(self.doc["traceEvents"], key=lambda e: (e.get("ts", -1), e["ph"] != "X")):
            who = names.get(e.get("tid"))
            if e["ph"] == "X":
                out.append((who, "run", None))
            elif e["ph"] == "i" and e["cat"] == "ipc":
                out.append((who, e["name"], e["args"].get("to") or e["args"].get("from")))
        return out

    def test_call_receive_reply_receive(self):
        seq = self.ipc_sequence()
        want = [("client", "call", "server"), ("server", "recv", "client"),
                ("server", "run", None), ("server", "reply", "client"),
                ("client", "recv reply", "server"), ("client", "run", None)]
        at = 0
        for step in want:
            self.assertIn(step, seq[at:], f"{step} missing after {seq[:at]}")
            at = seq.index(step, at) + 1
        # four rounds (user/echo): three echoed messages and the one that makes the server quit,
        # each answered and each received
        for step in [("client", "call"), ("server", "recv"), ("server", "reply"),
                     ("client", "recv reply")]:
            self.assertEqual(sum(1 for s in seq if s[:2] == step), 4, step)

    def test_switches_alternate(self):
        runs = [s[0] for s in self.ipc_sequence() if s[1] == "run"]
        core = [r for r in runs if r != "idle"]
        switches = sum(1 for a, b in zip(core, core[1:]) if a != b)
        self.assertGreaterEqual(switches, 6)

    def test_every_message_flows_to_a_receive(self):
        starts = {e["id"] for e in events(self.doc, "s")}
        ends = {e["id"] for e in events(self.doc, "f")}
        self.assertTrue(starts)
        self.assertEqual(starts, ends)


if __name__ == "__main__":
    unittest.main()
