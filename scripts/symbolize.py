#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Add file:line to the kernel's fault reports and rejections in a serial log.

usage: symbolize.py BUILD [LOG]   (LOG, or standard input; the result goes to standard output)

The kernel names functions itself (from each program's ELF symbol table) but has no line
tables; the programs' DWARF is on the host, so the runner adds the file and line here, with
addr2line (binutils) on build/user/<program>.elf:

    USER FAULT: container c, thread c (10002), program fault: page fault, ...
      #0 0000000000400007 null_read+0x7  [user/fault/fault.c:12]
      #1 0000000000400286 main+0x66  [user/fault/fault.c:40]

The program comes from the USER FAULT line (which names it) for the frames below it, and
from the boot lines ("container NAME: program PROG, ...") for a rejection's pc. make run
(runsystem.py) passes QEMU's output through this as it arrives; make test uses it on the
serial log of a failed test. A line it cannot place (no program, no ELF, no addr2line, an
address without line information) is left as it was.
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BOOT = re.compile(r"container (\S+): program (\S+), priority")
FAULT = re.compile(r"USER FAULT: container (\S+), thread .*?, program (\S+?):")
FRAME = re.compile(r"^\s+#(\d+) ([0-9a-f]{16})\b")
REJECT = re.compile(r"\[reject\] container (\S+), thread .*?, pc ([0-9a-f]{16}):")


class Symbolizer:
    def __init__(self, build):
        self.build = build
        self.programs = {}  # container name -> program, from the boot lines
        self.frame_program = None  # the program of the fault report being read
        self.cache = {}
        self.addr2line = shutil.which("addr2line")

    def where(self, program, addr):
        """'file:line' of addr in program (inlined calls: innermost first), or None."""
        key = (program, addr)
        if key not in self.cache:
            self.cache[key] = self._lookup(program, addr)
        return self.cache[key]

    def _lookup(self, program, addr):
        elf = os.path.join(self.build, "user", program + ".elf")
        if not self.addr2line or not os.path.exists(elf):
            return None
        try:
            p = subprocess.run([self.addr2line, "-f", "-i", "-e", elf, f"{addr:x}"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        words = p.stdout.split("\n")
        places = []
        for func, place in zip(words[0::2], words[1::2]):
            path, _, line = place.rpartition(":")
            if not path or path == "??" or not line[:1].isdigit():
                continue
            if os.path.isabs(path) and path.startswith(ROOT + os.sep):
                path = os.path.relpath(path, ROOT)
            places.append((func, f"{path}:{line.split()[0]}"))
        if not places:
            return None
        # an inlined call: its own line, and where the function it is part of made it
        func, place = places[-1]
        return places[0][1] if len(places) == 1 else f"{places[0][1]}, inlined in {func} at {place}"

    def line(self, text):
        """text (one line, without its newline) with the place appended where it has one."""
        m = BOOT.search(text)
        if m:
            self.programs[m.group(1)] = m.group(2)
            return text
        m = FAULT.search(text)
        if m:
            self.frame_program = m.group(2)
            return text
        m = FRAME.match(text)
        if m and self.frame_program:
            # frames above #0 are return addresses: the call is the byte before
            addr = int(m.group(2), 16) - (1 if int(m.group(1)) else 0)
            place = self.where(self.frame_program, addr)
            return f"{text}  [{place}]" if place else text
        if not text.startswith("  "):
            self.frame_program = None  # the report's frames have ended
        m = REJECT.search(text)
        if m and m.group(1) in self.programs:
            place = self.where(self.programs[m.group(1)], int(m.group(2), 16))
            return f"{text}  [{place}]" if place else text
        return text

    def text(self, log):
        """A whole log, line by line."""
        return "\n".join(self.line(t) for t in log.split("\n"))


# The kernel's lines are far shorter. A longer line (a program printing progress for ever)
# passes as it comes without a place: only its first LINE_MAX bytes are kept, to read.
LINE_MAX = 4096


def stream(build, src, dst):
    """Copy bytes from file descriptor src to the binary file dst as they arrive (QEMU writes
    a line a few bytes at a time, and a prompt may never end its line), adding the place at
    the end of a line once its newline comes."""
    sym = Symbolizer(build)
    head, cr, long = b"", b"", False  # the line's start; a \r held back (it may end the line)

    def out(data):
        """data goes out at once, and its start is kept to be read when the line ends."""
        nonlocal head, long
        dst.write(data)
        room = LINE_MAX - len(head)
        head += data[:room]
        long = long or len(data) > room

    while True:
        chunk = os.read(src, 4096)
        if not chunk:
            break
        *ends, rest = chunk.split(b"\n")
        for part in ends:
            part = cr + part
            body = part[:-1] if part.endswith(b"\r") else part
            out(body)
            text = head.decode(errors="replace")
            placed = sym.line(text)  # a long line still ends a fault report's frames
            suffix = placed[len(text):] if placed.startswith(text) and not long else ""
            dst.write(suffix.encode() + part[len(body):] + b"\n")
            head, cr, long = b"", b"", False
        # all but a last \r, which may end the line: the place goes before it
        rest = cr + rest
        cr = b"\r" if rest.endswith(b"\r") else b""
        out(rest[:len(rest) - len(cr)])
        dst.flush()
    dst.write(cr)
    dst.flush()


def main():
    args = sys.argv[1:]
    if not args or len(args) > 2 or args[0] in ("-h", "--help"):
        sys.exit(__doc__)
    try:
        log = open(args[1], errors="replace").read() if len(args) == 2 else sys.stdin.read()
    except OSError as e:
        sys.exit(f"symbolize: {e.filename}: {e.strerror}")
    sys.stdout.write(Symbolizer(args[0]).text(log))


if __name__ == "__main__":
    main()
