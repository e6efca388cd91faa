#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""The kernel event trace as a Perfetto / Chrome trace file (the Trace Event Format, JSON).

usage: trace.py LOG [OUT.json]       convert a serial log holding a trace dump
       trace.py --run SYSTEM BUILD   make trace: boot SYSTEM with the kernel built with
                                     CONFIG_TRACE (BUILD/trace/kernel.elf) and trace=dump, and
                                     write BUILD/<system>.trace.json (and the log beside it)

A kernel built with CONFIG_TRACE and booted with trace=dump writes its event ring at halt
between "TRACE BEGIN" and "TRACE END" (kernel/core/trace.c, docs/architecture.md "Event
trace"). In the file, containers are processes and threads are threads, named as in the
system file (a container's program thread by the container's name, the threads it creates
"<container>.2", "<container>.3", ...); the idle thread is the "kernel" process. A thread runs
in "run" slices between context switches; IPC, faults, interrupts, restarts, thread creation
and exit and capability calls are instant events, and each message is a flow arrow from its
send to its receive. Timestamps are the kernel's arch_timestamp() read as nanoseconds: under
-icount shift=0 (make trace) one tick is one guest instruction.
"""
import json
import os
import re
import subprocess
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

VERSION = 1
# enum trace_event, kernel/include/trace.h
SWITCH, SEND, CALL, RECV, REPLY, FAULT, IRQ, RESTART, THREAD, EXIT, CAP = range(1, 12)
FAST = 1  # TRACE_FAST
KERNEL_PID, IDLE_TID = 256, 1  # containers are 1..255; real thread ids are >= 0x10000
SYSCALLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel", "api",
                        "syscalls.toml")
ERRORS = ["OK", "EINVAL", "ECAP", "ERIGHTS", "ENOMEM", "ESTATE", "EFAULT", "ERANGE", "ENOSYS",
          "EBUSY", "ETIMEOUT"]  # include/coffer/error.h
TIMEOUT = 300  # seconds make trace waits for the system to halt


class TraceError(Exception):
    """Bad input: the message says what is wrong and where."""


BEGIN = re.compile(r"TRACE BEGIN (\d+) ([0-9a-f]+) ([0-9a-f]+)$")
CONT = re.compile(r"TRACE C ([0-9a-f]+) (\S+)$")
REC = re.compile(r"TRACE R " + " ".join(["([0-9a-f]+)"] * 7) + "$")
END = re.compile(r"TRACE END ([0-9a-f]+)$")


def parse(text, where="the log"):
    """The dump in a serial log: (containers {id: name}, records [(ts, type, cont, tid, flags,
    a0, a1)], records lost). Raises TraceError when there is none or it is damaged."""
    lines = text.replace("\r", "").split("\n")
    starts = [i for i, l in enumerate(lines) if l.startswith("TRACE BEGIN")]
    if not starts:
        if "trace=dump ignored" in text:
            raise TraceError(f"{where}: the kernel was built without CONFIG_TRACE, so it wrote "
                             "no trace (make trace builds one with it)")
        raise TraceError(f"{where}: no trace (no 'TRACE BEGIN' line): boot a kernel built with "
                         "CONFIG_TRACE with trace=dump on its command line, or use make trace; "
                         "the trace is written when the kernel halts")
    first = starts[-1]  # the last dump, should a log hold several runs
    m = BEGIN.match(lines[first])
    if not m:
        raise TraceError(f"{where}:{first + 1}: malformed trace header: {lines[first]!r}")
    if int(m.group(1)) != VERSION:
        raise TraceError(f"{where}:{first + 1}: trace format version {m.group(1)}, this script "
                         f"reads version {VERSION}")
    count, lost = int(m.group(2), 16), int(m.group(3), 16)
    conts, recs = {}, []
    for n in range(first + 1, len(lines)):
        line = lines[n]
        if not line:
            continue  # the end of the log, or a blank line a program printed
        if (m := REC.match(line)):
            recs.append(tuple(int(x, 16) for x in m.groups()))
        elif (m := CONT.match(line)):
            conts[int(m.group(1), 16)] = m.group(2)
        elif (m := END.match(line)):
            if int(m.group(1), 16) != count or len(recs) != count:
                raise TraceError(f"{where}:{n + 1}: the trace announced {count} records but "
                                 f"holds {len(recs)} (a damaged log)")
            return conts, recs, lost
        elif n < len(lines) - 1:  # the last line may be cut off halfway: that is below
            raise TraceError(f"{where}:{n + 1}: not a trace line inside the trace: {line!r}")
    raise TraceError(f"{where}: the trace is cut short: 'TRACE BEGIN' on line {first + 1} but "
                     f"no 'TRACE END' ({len(recs)} of {count} records; did QEMU stop early?)")


def syscall_names():
    """Syscall number -> name, from the table the kernel is generated from."""
    with open(SYSCALLS, "rb") as f:
        return {sc["number"]: sc["name"] for sc in tomllib.load(f)["syscall"]}


class Threads:
    """Which process each thread belongs to and what it is called."""

    def __init__(self, conts):
        self.conts = conts
        self.pid, self.name = {0: KERNEL_PID}, {0: "idle"}
        self.extra = {}  # container -> threads named "<container>.<n>" so far

    def see(self, tid, cont, creator_cont=None):
        """tid of container cont appears; creator_cont: the container of the thread that
        created it, if this is its creation (another's, or the kernel's: its program thread)."""
        if tid in self.name:
            return
        cname = self.conts.get(cont, f"container{cont}")
        self.pid[tid] = cont if cont else KERNEL_PID
        taken = cname in self.name.values()
        if (creator_cont is not None and creator_cont != cont) or \
                (creator_cont is None and not taken):
            self.name[tid] = cname
        else:
            n = self.extra[cont] = self.extra.get(cont, 1) + 1
            self.name[tid] = f"{cname}.{n}"

    def tid(self, tid):
        return IDLE_TID if tid == 0 else tid


def convert(conts, recs, lost=0):
    """The Trace Event Format object for a parsed dump."""
    names = syscall_names()
    th = Threads(conts)
    cont_of = {0: 0}
    for ts, typ, cont, tid, flags, a0, a1 in recs:  # names first: creations say who is whose
        cont_of.setdefault(tid, cont)
        if typ == THREAD:
            th.see(tid, cont, cont_of.get(a0, 0))
    for ts, typ, cont, tid, flags, a0, a1 in recs:
        th.see(tid, cont)
        if typ == SWITCH:
            th.see(a0, a1)
    t0 = recs[0][0] if recs else 0
    events = []

    def us(ticks):  # ticks read as ns; the format counts microseconds
        return round((ticks - t0) / 1000.0, 3)

    def who(tid):
        return th.name.get(tid, f"thread {tid:x}")

    def instant(ts, tid, name, cat, args):
        events.append({"name": name, "cat": cat, "ph": "i", "s": "t", "ts": us(ts),
                       "pid": th.pid[tid], "tid": th.tid(tid), "args": args})

    running, pending, flow = None, {}, 0  # (tid, start), sender -> [queued sends], flow ids
    for ts, typ, cont, tid, flags, a0, a1 in recs:
        fast = {"fastpath": bool(flags & FAST)}
        if typ == SWITCH:
            if running:
                events.append({"name": "run", "cat": "sched", "ph": "X", "ts": us(running[1]),
                               "dur": round(us(ts) - us(running[1]), 3), "pid": th.pid[running[0]],
                               "tid": th.tid(running[0])})
            running = (a0, ts)
        elif typ in (SEND, CALL, REPLY):
            kind = {SEND: "send", CALL: "call", REPLY: "reply"}[typ]
            args = {"to": who(a1) if a1 else "(queued: nobody waits)", **fast}
            if typ != REPLY:
                args["endpoint"] = a0
            instant(ts, tid, kind, "ipc", args)
            flow += 1
            events.append({"name": "message", "cat": "ipc", "ph": "s", "id": flow, "ts": us(ts),
                           "pid": th.pid[tid], "tid": th.tid(tid)})
            pending.setdefault(tid, []).append(flow)
        elif typ == RECV:
            args = {"from": who(a1), **fast}
            if a0:
                args["endpoint"] = a0
            instant(ts, tid, "recv" if a0 else "recv reply", "ipc", args)
            if pending.get(a1):
                events.append({"name": "message", "cat": "ipc", "ph": "f", "bp": "e",
                               "id": pending[a1].pop(0), "ts": us(ts), "pid": th.pid[tid],
                               "tid": th.tid(tid)})
        elif typ == FAULT:
            instant(ts, tid, "fault", "fault", {"vector": a0 & 0xff, "error": hex(a0 >> 8),
                                                "address": hex(a1)})
        elif typ == IRQ:
            instant(ts, tid, f"irq {a0}", "irq", {"line": a0, "signalled": bool(a1)})
        elif typ == RESTART:
            instant(ts, tid, f"restart {conts.get(a0, a0)}", "container",
                    {"container": conts.get(a0, a0), "restarts before": a1})
        elif typ == THREAD:
            instant(ts, tid, "thread created", "thread", {"by": who(a0)})
        elif typ == EXIT:
            code = a0 - (1 << 64) if a0 >> 63 else a0
            instant(ts, tid, "thread ended", "thread", {"code": code})
        elif typ == CAP:
            instant(ts, tid, names.get(a0, f"syscall {a0}"), "cap",
                    {"slot": a1, "result": ERRORS[flags] if flags < len(ERRORS) else flags})
        else:
            instant(ts, tid, f"event {typ}", "unknown", {"a0": hex(a0), "a1": hex(a1)})
    if running and recs:
        events.append({"name": "run", "cat": "sched", "ph": "X", "ts": us(running[1]),
                       "dur": round(us(recs[-1][0]) - us(running[1]), 3), "pid": th.pid[running[0]],
                       "tid": th.tid(running[0])})
    meta = [{"name": "process_name", "ph": "M", "pid": KERNEL_PID, "args": {"name": "kernel"}}]
    meta += [{"name": "process_name", "ph": "M", "pid": c, "args": {"name": n}}
             for c, n in sorted(conts.items())]
    meta += [{"name": "thread_name", "ph": "M", "pid": th.pid[t], "tid": th.tid(t),
              "args": {"name": n}} for t, n in sorted(th.name.items())]
    return {"traceEvents": meta + events, "displayTimeUnit": "ns",
            "otherData": {"clock": "kernel arch_timestamp() ticks shown as ns (one guest "
                                   "instruction under -icount shift=0)",
                          "records": len(recs), "records lost (ring wrapped)": lost}}


def convert_file(log, out):
    """Convert serial log file log into out; returns the number of records."""
    try:
        with open(log, errors="replace") as f:
            text = f.read()
    except OSError as e:
        raise TraceError(f"cannot read {log}: {e.strerror}")
    conts, recs, lost = parse(text, log)
    try:
        with open(out, "w") as f:
            json.dump(convert(conts, recs, lost), f, indent=0)
    except OSError as e:
        raise TraceError(f"cannot write {out}: {e.strerror}")
    return len(recs), lost


def run(system, build):
    """make trace: boot system with the trace kernel, show its output, convert the dump."""
    kernel = qemu.kernel_image(os.path.join(build, "trace"))
    if not os.path.exists(kernel):
        raise TraceError(f"{kernel} does not exist: make trace-kernel builds it")
    name = os.path.splitext(os.path.basename(system))[0]
    log, out = (os.path.join(build, f"{name}.trace.{ext}") for ext in ("log", "json"))
    cmd = qemu.command(build, system, icount=True, append="trace=dump", kernel=kernel)
    print(f"booting {system} with the event trace on; the trace is written when it halts",
          flush=True)
    text, status = qemu.run_captured(cmd, TIMEOUT)
    with open(log, "w") as f:
        f.write(text)
    sys.stdout.write("".join(l + "\n" for l in text.split("\n")[:-1]
                             if not l.startswith("TRACE ")))
    code = qemu.guest_code(status)
    if status is None:
        raise TraceError(f"the system did not halt within {TIMEOUT} s, and the kernel writes "
                         f"the trace only when it halts (log: {log})")
    if code != 0:
        print(qemu.describe_end(status))
    count, lost = convert_file(log, out)
    print(f"trace: {count} events{f' (the {lost} oldest lost: the ring wrapped)' if lost else ''}"
          f" in {out}\nopen it at https://ui.perfetto.dev (Open trace file) or in Chrome's "
          "chrome://tracing (Load)")
    return code if code is not None else 1


def main(argv):
    if len(argv) == 4 and argv[1] == "--run":
        return run(argv[2], argv[3])
    if len(argv) in (2, 3) and not argv[1].startswith("-"):
        out = argv[2] if len(argv) == 3 else os.path.splitext(argv[1])[0] + ".trace.json"
        count, _ = convert_file(argv[1], out)
        print(f"trace: {count} events in {out}")
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except TraceError as e:
        sys.exit(f"trace: {e}")
    except subprocess.CalledProcessError:  # mksystem.py has printed why
        sys.exit("trace: the system file was refused (above)")
