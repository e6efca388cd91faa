# SPDX-License-Identifier: BSD-2-Clause
"""docs/system-files.md's promises for issue 12, checked from the docs alone (DOC12 tool tests):
its examples (taken from the page itself, so a stale example fails here) are accepted, and
every refusal it lists for first_table, tableslots, clock, machine, devices and ram is a
clear "mksystem: FILE:LINE:" message at the key at fault, naming the container, with no
Python traceback.

run: /usr/bin/python3 -m unittest discover -s tests/tools -k test_doc12 -v
"""
import pathlib
import re
import subprocess
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "mksystem.py"
DOC = ROOT / "docs" / "system-files.md"
PYTHON = "/usr/bin/python3"


def doc_examples():
    """The ```toml blocks of docs/system-files.md, in order."""
    return re.findall(r"```toml\n(.*?)```", DOC.read_text(), re.S)


def check(text):
    """Run the checker on text: (exit status, stderr + stdout)."""
    with tempfile.TemporaryDirectory() as d:
        src = pathlib.Path(d) / "sys.toml"
        src.write_text(text)
        p = subprocess.run([PYTHON, str(SCRIPT), str(src), str(pathlib.Path(d) / "out.bin")],
                           capture_output=True, text=True, timeout=60)
        return p.returncode, (p.stderr + p.stdout).replace(str(src), "FILE")


def line_of(text, marker):
    """1-based line of the last line of text containing marker (the tests append what is at
    fault to a base file)."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    if not found:
        raise AssertionError(f"{marker!r} not in the test's own system file")
    return found[-1]


# What the docs' examples name but do not declare themselves: the other ends of their caps.
PEERS = """
[[container]]
name = "server"
program = "echo"
endpoints = [{ name = "echo", slot = 16 }]

[[container]]
name = "crasher"
program = "crasher"

[[container]]
name = "writer"
program = "hello"
shared = [{ name = "buf", slot = 16, size = "16K" }]

[[container]]
name = "emu"
program = "hello"
endpoints = [{ name = "ep", slot = 16 }]
"""


class Examples(unittest.TestCase):
    """Every system-file example of docs/system-files.md passes the checker."""

    def test_every_example_is_accepted(self):
        blocks = doc_examples()
        self.assertGreaterEqual(len(blocks), 4, "the page's toml examples were not found")
        for block in blocks:
            # the examples that name others' objects get those others; a top-level key
            # (ram, machine) must come before the first [[container]], so peers go last
            peers = PEERS if ("server." in block or "emu." in block) else ""
            rc, out = check(block + peers)
            with self.subTest(example=block.splitlines()[0]):
                self.assertEqual(rc, 0, out)
                self.assertNotIn("Traceback", out)

    def test_first_table_example_as_documented(self):
        """The plugin example: 6 slots of its 8 tableslots."""
        block = next(b for b in doc_examples() if "first_table" in b)
        self.assertIn("tableslots = 8", block)
        self.assertIn("slots = 6", block)
        self.assertEqual(check(block)[0], 0)
        # one slot more than tableslots is refused
        self.assertNotEqual(check(block.replace("slots = 6", "slots = 9"))[0], 0)


BASE = """[[container]]
name = "box"
program = "hello"
pools = { tableslots = 8 }
notifications = [{ name = "events", slot = 16 }]
caps = [{ slot = 17, type = "endpoint", target = "box.ep", rights = ["send"] }]
endpoints = [{ name = "ep", slot = 18 }]
"""


class Refusals(unittest.TestCase):
    """Each refusal the page lists: status 1, 'mksystem: FILE:LINE:' at the key, the container
    named, no traceback."""

    def refused(self, text, marker, *words):
        rc, out = check(text)
        self.assertNotEqual(rc, 0, f"accepted:\n{text}")
        self.assertNotIn("Traceback", out)
        line = line_of(text, marker)
        self.assertRegex(out, rf"^mksystem: FILE:{line}:", out)
        for w in words:
            self.assertIn(w, out)
        return out

    def first_table(self, body, marker, *words):
        return self.refused(BASE + "[container.first_table]\n" + body, marker, "'box'", *words)

    def test_tableslots_above_4096(self):
        text = BASE.replace("tableslots = 8", "tableslots = 4097")
        self.refused(text, "tableslots", "4096")

    def test_tableslots_4096_accepted(self):
        self.assertEqual(check(BASE.replace("tableslots = 8", "tableslots = 4096"))[0], 0)

    def test_first_table_not_a_table(self):
        self.refused(BASE + "first_table = 3\n", "first_table", "first_table")

    def test_first_table_unknown_key(self):
        self.first_table("slots = 2\nslotz = 3\n", "slotz", "slotz")

    def test_first_table_more_slots_than_tableslots(self):
        self.first_table("slots = 9\n", "slots = 9", "slots")

    def test_first_table_no_slots(self):
        self.first_table("slots = 0\n", "slots = 0", "slots")

    def test_first_table_without_tableslots(self):
        text = BASE.replace("pools = { tableslots = 8 }\n", "") + "[container.first_table]\n" \
            "slots = 2\n"
        self.refused(text, "[container.first_table]", "tableslots")

    def test_entry_outside_its_slots(self):
        self.first_table("slots = 2\ncaps = [{ slot = 2, from = 3 }]\n", "caps", "slot 2")

    def test_entry_twice_in_one_slot(self):
        self.first_table("slots = 2\ncaps = [{ slot = 1, from = 3 },\n  { slot = 1, from = 2 }]\n",
                         "{ slot = 1, from = 2 }", "twice")

    def test_from_an_empty_slot_lists_what_it_holds(self):
        out = self.first_table("slots = 2\ncaps = [{ slot = 0, from = 40 }]\n", "caps", "40")
        self.assertIn("16", out)  # the list of what it holds names its notification

    def test_rights_its_capability_lacks(self):
        # the endpoint capability in 17 has only send
        self.first_table("slots = 2\ncaps = [{ slot = 0, from = 17, rights = [\"receive\"] }]\n",
                         "caps", "receive")

    def test_unknown_right(self):
        self.first_table("slots = 2\ncaps = [{ slot = 0, from = 16, rights = [\"fly\"] }]\n",
                         "caps", "fly")

    def test_from_a_capability_without_copy(self):
        # slot 0, the container, is inspect only: no copy
        self.first_table("slots = 2\ncaps = [{ slot = 0, from = 0 }]\n", "caps", "copy")

    def test_units_on_no_pool(self):
        self.first_table("slots = 2\ncaps = [{ slot = 0, from = 16, units = 1 }]\n", "caps",
                         "units")

    def test_split_leaving_the_pool_too_little(self):
        # the threads pool has 16 units by default, one of which the first thread needs
        self.first_table("slots = 2\ncaps = [{ slot = 0, from = 4, units = 16 }]\n", "caps",
                         "threads")

    def test_pagetables_pool_never_split(self):
        self.first_table("slots = 2\ncaps = [{ slot = 0, from = 9, units = 1 }]\n", "caps",
                         "pagetables")

    def test_clock_not_a_table(self):
        self.refused(BASE + "clock = 20\n", "clock", "clock")

    def test_clock_unknown_key(self):
        self.refused(BASE + "clock = { slot = 20, badge = 1 }\n", "clock", "badge")

    def test_clock_bad_right(self):
        self.refused(BASE + "clock = { slot = 20, rights = [\"wait\"] }\n", "clock", "wait")

    def test_clock_slot_used_twice(self):
        self.refused(BASE + "clock = { slot = 16 }\n", "clock", "16")

    def test_clock_rights_accepted(self):
        self.assertEqual(check(BASE + "clock = { slot = 20, rights = [\"set\", \"copy\"] }\n")[0],
                         0)

    def test_machine_unknown(self):
        self.refused('machine = "virt"\n' + BASE, "machine =", "virt")

    def test_machines_known(self):
        for m in ("microvm", "pc", "q35"):
            self.assertEqual(check(f'machine = "{m}"\n' + BASE)[0], 0, m)

    def device(self, dev, marker=None, *words, extra="", top=""):
        text = top + BASE + f"devices = [{dev}]\n" + extra
        return self.refused(text, marker or "devices", *words)

    def test_device_missing_name(self):
        self.device('{ base = 0xfed00000, size = "4K", slot = 20 }', None, "name")

    def test_device_repeated_name(self):
        self.device('{ name = "d", base = 0xfed00000, size = "4K", slot = 20 },\n'
                    '  { name = "d", base = 0xfed01000, size = "4K", slot = 21 }',
                    'name = "d", base = 0xfed01000', "twice")

    def test_device_unaligned_base(self):
        self.device('{ name = "d", base = 0xfed00800, size = "4K", slot = 20 }', None, "base")

    def test_device_size_not_whole_pages(self):
        self.device('{ name = "d", base = 0xfed00000, size = 6000, slot = 20 }', None, "size")

    def test_device_empty(self):
        self.device('{ name = "d", base = 0xfed00000, size = 0, slot = 20 }', None, "size")

    def test_device_exec(self):
        self.device('{ name = "d", base = 0xfed00000, size = "4K", slot = 20, '
                    'rights = ["read", "exec"] }', None, "exec")

    def test_device_above_2_to_52(self):
        self.device(f'{{ name = "d", base = {(1 << 52) - 4096:#x}, size = "8K", slot = 20 }}',
                    None, "d")

    def test_device_conventional_memory(self):
        self.device('{ name = "d", base = 0x9f000, size = "4K", slot = 20 }', None, "d")

    def test_device_over_ram(self):
        # 256M of RAM by default: 1M .. 256M is RAM
        self.device('{ name = "d", base = 0x8000000, size = "4K", slot = 20 }', None, "d")

    def test_device_past_ram_accepted(self):
        text = BASE + 'devices = [{ name = "d", base = 0x20000000, size = "4K", slot = 20 }]\n'
        self.assertEqual(check(text)[0], 0, check(text)[1])

    def test_device_lapic(self):
        self.device('{ name = "d", base = 0xfee00000, size = "4K", slot = 20 }', None, "d")

    def test_device_ioapic(self):
        self.device('{ name = "d", base = 0xfec00000, size = "4K", slot = 20 }', None, "d")

    def test_device_of_another_container(self):
        other = '\n[[container]]\nname = "other"\nprogram = "hello"\n' \
            'devices = [{ name = "e", base = 0xfed00000, size = "8K", slot = 16 }]\n'
        text = BASE + 'devices = [{ name = "d", base = 0xfed01000, size = "4K", slot = 20 }]\n' \
            + other
        rc, out = check(text)
        self.assertNotEqual(rc, 0)
        self.assertNotIn("Traceback", out)
        self.assertRegex(out, r"^mksystem: FILE:\d+:")

    def test_ram_above_510g(self):
        self.refused('ram = "511G"\n' + BASE, 'ram = "511G"', "510")

    def test_ram_510g_accepted(self):
        rc, out = check('ram = "510G"\n' + BASE)
        self.assertEqual(rc, 0, out)


if __name__ == "__main__":
    unittest.main()
