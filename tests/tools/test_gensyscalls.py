# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/gensyscalls.py's entry kinds: a fastpath's kind is for its own call alone,
and the real table passes; the calling convention it documents is each architecture's
l4_syscall (include/arch/<arch>/coffer/syscall_raw.h).

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TOML = os.path.join(ROOT, "kernel", "api", "syscalls.toml")
GEN = os.path.join(ROOT, "scripts", "gensyscalls.py")


def run(text):
    """gensyscalls.py on a table of the given text, in a temporary directory."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "syscalls.toml")
        with open(path, "w") as f:
            f.write(text)
        return subprocess.run([sys.executable, GEN, path, os.path.join(d, "gen"),
                               os.path.join(d, "syscalls.md")], capture_output=True, text=True)


def with_entry(call, kind):
    """The real table with call's entry kind replaced by kind."""
    with open(TOML) as f:
        lines = f.read().split("\n")
    out, inside, changed = [], False, 0
    for line in lines:
        if line.startswith("name = "):
            inside = line == f'name = "{call}"'
        if inside and line.startswith("entry = "):
            line, changed = f'entry = "{kind}"', changed + 1
        out.append(line)
    assert changed == 1, f"{call} has no entry line of its own in {TOML}"
    return "\n".join(out)


class Entries(unittest.TestCase):
    def test_real_table_passes(self):
        with open(TOML) as f:
            r = run(f.read())
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_notification_kinds_are_their_calls_own(self):
        with open(TOML, "rb") as f:
            kinds = {s["name"]: s.get("entry") for s in tomllib.load(f)["syscall"]}
        self.assertEqual(kinds["notify_signal"], "notify_signal")
        self.assertEqual(kinds["notify_wait"], "notify_wait")
        for call, kind in (("notify_poll", "notify_wait"), ("notify_signal", "notify_wait"),
                           ("notify_wait", "notify_signal"), ("notify_poll", "ipc_call")):
            r = run(with_entry(call, kind))
            self.assertNotEqual(r.returncode, 0, f"{call} with entry {kind} was accepted")
            self.assertIn(f"{call}: entry {kind} is a fastpath's for that call alone", r.stderr)

    def handlers(self, text):
        """sys_handlers.h as gensyscalls.py writes it for the table text."""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "syscalls.toml")
            with open(path, "w") as f:
                f.write(text)
            r = subprocess.run([sys.executable, GEN, path, os.path.join(d, "gen"),
                                os.path.join(d, "syscalls.md")], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(d, "gen", "sys_handlers.h")) as f:
                return f.read()

    def test_fastpath_kinds_name_their_numbers(self):
        # AArch64's asm_offsets.c holds ipc_fast.S's calls to their numbers: each fastpath kind
        # names its call's number, and the name goes when the call takes another entry kind
        # (asm_offsets.c then does not build)
        with open(TOML) as f:
            text = f.read()
        with open(TOML, "rb") as f:
            numbers = {s["name"]: s["number"] for s in tomllib.load(f)["syscall"]}
        h = self.handlers(text)
        for call in ("ipc_call", "ipc_reply_recv", "notify_signal", "notify_wait"):
            self.assertIn(f"#define SYSCALL_ENTRY_{call.upper()}_NR {numbers[call]}\n", h)
        self.assertNotIn("SYSCALL_ENTRY_IPC_CALL_NR", self.handlers(with_entry("ipc_call", "full")))

    def test_light_call_never_runs_again(self):
        with open(TOML) as f:
            text = f.read()
        marked = text.replace('name = "mem_map"\n', 'name = "mem_map"\nagain = true\n', 1)
        self.assertNotEqual(marked, text)
        r = run(marked)
        self.assertNotEqual(r.returncode, 0, "a light call that runs again was accepted")
        self.assertIn("mem_map: a light call may not run again", r.stderr)

    def test_kinds_by_number(self):
        # each architecture's entry_table.c builds its table of entry code from SYSCALL_ENTRY_BY_NUMBER:
        # one X(kind) for each number from 0 up, NONE where there is no call, as many as
        # SYSCALL_COUNT says; a call whose kind changes moves with it
        with open(TOML) as f:
            text = f.read()
        with open(TOML, "rb") as f:
            table = tomllib.load(f)["syscall"]
        last = max(s["number"] for s in table)
        holed = text.replace(f"\nnumber = {last}\n", f"\nnumber = {last + 2}\n", 1)
        self.assertNotEqual(holed, text)
        for h, moved in ((self.handlers(text), {}),
                         (self.handlers(with_entry("notify_poll", "full")), {"notify_poll": "full"}),
                         (self.handlers(holed), {"": last})):
            kinds = {s["number"]: moved.get(s["name"], s.get("entry", "full")).upper() for s in table}
            if "" in moved:  # the last call two further on, and no call where it was
                kinds[last + 2], kinds[last] = kinds.pop(last), "NONE"
                kinds[last + 1] = "NONE"
            got = re.findall(r"^    X\((\w+)\) /\* (\d+) \*/ \\$", h, re.M)
            self.assertEqual([(k, int(n)) for k, n in got], sorted(
                ((k, n) for n, k in kinds.items()), key=lambda kn: kn[1]))
            self.assertIn(f"#define SYSCALL_COUNT {max(kinds) + 1} ", h)

    def test_unknown_kind_refused(self):
        r = run(with_entry("notify_poll", "notify"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("notify_poll: entry must be one of", r.stderr)


# GCC's x86 register constraint letters that syscall_raw.h uses for operands
X86_LETTERS = {"a": "rax", "D": "rdi", "S": "rsi", "d": "rdx"}


def raw_registers(arch):
    """(number register, [argument registers by index]) as <arch>'s l4_syscall binds them:
    explicit register variables (`register ... __asm__("x3") = r[3]`) and, on x86_64,
    constraint letters (`"+D"(r[0])`, `"+a"(rax)` for the number)."""
    with open(os.path.join(ROOT, "include", "arch", arch, "coffer", "syscall_raw.h")) as f:
        text = f.read()
    regs = {}
    for reg, what in re.findall(r'__asm__\("(\w+)"\) = (r\[\d\]|nr);', text):
        regs[what] = reg
    for letter, what in re.findall(r'"\+(\w)"\((r\[\d\]|rax)\)', text):
        regs["nr" if what == "rax" else what] = X86_LETTERS[letter]
    return regs.get("nr"), [regs.get(f"r[{i}]") for i in range(6)]


class CallingConvention(unittest.TestCase):
    def doc_rows(self):
        with open(TOML) as f, tempfile.TemporaryDirectory() as d:
            md = os.path.join(d, "syscalls.md")
            r = subprocess.run([sys.executable, GEN, TOML, os.path.join(d, "gen"), md],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(md) as m:
                doc = m.read()
        rows = {}
        for line in doc.split("## Calling convention", 1)[1].split("\n## ", 1)[0].splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 3:
                rows[cells[0]] = cells[1:]
        return rows

    def test_doc_names_each_architectures_registers(self):
        rows = self.doc_rows()
        self.assertEqual(rows[""], ["x86_64", "AArch64"])
        for col, arch in enumerate(("x86_64", "aarch64")):
            nr, args = raw_registers(arch)
            self.assertNotIn(None, [nr] + args, f"{arch}: syscall_raw.h not understood")
            self.assertEqual(rows["call number in, error out"][col], f"`{nr}`", arch)
            self.assertEqual(rows["arguments in, results out"][col],
                             ", ".join(f"`{a}`" for a in args), arch)


if __name__ == "__main__":
    unittest.main()
