# SPDX-License-Identifier: BSD-2-Clause
"""docs/linux.md lists every Linux call the server implements, and only those (LINUX_DOC tool
tests): each name in user/linux/syscall_list.h's lists (CORE_CALLS, FS_CALLS, TTY_CALLS,
SIG_CALLS, and x86_64's LX_LEGACY_CALLS and LX_X86_64_CALLS) is one row of the call tables of
"## The calls", each row names a listed call, and each row's number is the x86_64 one
user/linux/arch/x86_64/lx_nr.h (and lx_nr_common.h, 424 and on) gives. The calls "## Unimplemented calls"
names are not in the lists, with their lx_nr.h numbers too. So the page goes stale in neither
direction: a call added or removed without its row, or a row left behind, fails here.

run: /usr/bin/python3 -m unittest discover -s tests/tools -k test_linux_doc -v
"""
import pathlib
import re
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "linux.md"
LISTS = ROOT / "user" / "linux" / "syscall_list.h"
# x86_64's own numbers, then those every architecture shares (424 and on)
NUMBERS = (ROOT / "user" / "linux" / "arch" / "x86_64" / "lx_nr.h",
           ROOT / "user" / "linux" / "lx_nr_common.h")
PARTS = ("CORE_CALLS", "FS_CALLS", "TTY_CALLS", "SIG_CALLS", "LX_LEGACY_CALLS", "LX_X86_64_CALLS")

# a call's row: | `name` | number | what it does here |
ROW = re.compile(r"^\| `([a-z_0-9]+)` \| ([0-9]+) \| (.+) \|$")
HEADER = "| call | nr | here |"
# an unimplemented call as the page names it: `name` (number, perhaps over a line break
NAMED = re.compile(r"`([a-z_0-9]+)`\s+\(([0-9]+)")


def implemented():
    """{part: [call names]} from syscall_list.h, each list's X(name) entries in order."""
    text = LISTS.read_text()
    lists = {}
    for part in PARTS:
        # the list's body: its #define line and every continuation line after it
        m = re.search(r"^#define " + part + r"\(X\)((?:.*\\\n)*.*)$", text, re.M)
        if not m:
            raise AssertionError(f"{part} is not defined in {LISTS}")
        lists[part] = re.findall(r"\bX\((\w+)\)", m.group(1))
    return lists


def numbers():
    """{call name: number} from lx_nr.h."""
    return {name: int(nr) for path in NUMBERS for name, nr in
            re.findall(r"^#define LX_NR_(\w+)\s+([0-9]+)", path.read_text(), re.M)}


def section(title):
    """The text of docs/linux.md's "## title" section, up to the next "## " heading."""
    text = DOC.read_text()
    parts = text.split("\n## " + title + "\n", 1)
    if len(parts) != 2:
        raise AssertionError(f'docs/linux.md has no "## {title}" section')
    return parts[1].split("\n## ", 1)[0]


def rows():
    """[(name, number, text)] of every call row in "## The calls", in order. Every table line
    there is a header, a separator or a call row: a malformed row fails rather than hides."""
    found = []
    for line in section("The calls").splitlines():
        if not line.startswith("|") or line == HEADER or re.fullmatch(r"\|(---\|)+", line):
            continue
        m = ROW.match(line)
        if not m:
            raise AssertionError(f"not a call row of the form | `name` | nr | here |: {line}")
        found.append((m.group(1), int(m.group(2)), m.group(3)))
    return found


class LinuxDocCalls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lists = implemented()
        cls.calls = [name for part in PARTS for name in cls.lists[part]]
        cls.numbers = numbers()
        cls.rows = rows()
        cls.named = [r[0] for r in cls.rows]

    def test_the_lists_are_read(self):
        # the parser must see the lists as the C preprocessor does: every known part non-empty
        # but the terminal's, and no call twice
        for part in ("CORE_CALLS", "FS_CALLS", "SIG_CALLS"):
            self.assertGreater(len(self.lists[part]), 10, part)
        self.assertIn("getpid", self.lists["CORE_CALLS"])
        self.assertIn("openat", self.lists["FS_CALLS"])
        self.assertIn("futex", self.lists["SIG_CALLS"])
        self.assertEqual(len(self.calls), len(set(self.calls)), "a call is in two lists")

    def test_every_implemented_call_has_a_row(self):
        self.assertEqual([c for c in self.calls if c not in self.named], [],
                         "implemented calls with no row in docs/linux.md's call tables")

    def test_every_row_is_an_implemented_call(self):
        self.assertEqual([n for n in self.named if n not in self.calls], [],
                         "rows of docs/linux.md's call tables naming a call no list has")

    def test_one_row_per_call(self):
        twice = sorted({n for n in self.named if self.named.count(n) > 1})
        self.assertEqual(twice, [], "calls with more than one row")

    def test_numbers_are_lx_nr_h(self):
        wrong = [(name, nr, self.numbers.get(name)) for name, nr, _ in self.rows
                 if self.numbers.get(name) != nr]
        self.assertEqual(wrong, [], "(call, the page's number, lx_nr.h's number)")

    def test_every_row_says_something(self):
        empty = [name for name, _, text in self.rows if len(text.strip()) < 2]
        self.assertEqual(empty, [], "rows with nothing in their last column")


class LinuxDocUnimplemented(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        lists = implemented()
        cls.calls = {name for part in PARTS for name in lists[part]}
        cls.numbers = numbers()
        cls.named = NAMED.findall(section("Unimplemented calls"))

    def test_named_calls_are_not_implemented(self):
        self.assertGreater(len(self.named), 20, "the page names too few unimplemented calls")
        self.assertEqual(sorted({n for n, _ in self.named if n in self.calls}), [],
                         "calls the page says are not implemented but a list has")

    def test_named_numbers_are_lx_nr_h(self):
        wrong = [(n, int(nr), self.numbers.get(n)) for n, nr in self.named
                 if self.numbers.get(n) != int(nr)]
        self.assertEqual(wrong, [], "(call, the page's number, lx_nr.h's number)")

    def test_the_notable_ones_are_named(self):
        # what programs most often meet: the examples
        names = {n for n, _ in self.named}
        for call in ("rseq", "clone3", "epoll_create1", "epoll_wait", "flock", "preadv",
                     "pwritev", "socket"):
            self.assertIn(call, names)


if __name__ == "__main__":
    unittest.main()
