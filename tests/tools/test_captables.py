# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/mksystem.py for capability tables below the container: the capslots pool
(pools.tableslots) and a first thread's own table (first_table): encoding, RAM, every refusal.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sysdesc_layout import decode  # noqa: E402
import test_mksystem as tm  # noqa: E402  (a module, so its test classes do not run twice)
from test_mksystem import cap, container, obj, run, system  # noqa: E402

THREAD_CAP = 0x100  # SYSDESC_THREAD_CAP
TABLESLOTS, FIRST_TABLE = 16, 17  # their places in a container tuple (sysdesc_layout.CONTAINER)
POOL_THREADS, POOL_CAPSLOTS, POOL_PAGETABLES = 4, 8, 9  # their slots in a container's table


def first(slots, *caps):
    return {"slots": slots, "caps": list(caps)}


def entry(slot, src, **more):
    return {"slot": slot, "from": src, **more}


class Encoding(unittest.TestCase):
    def test_tableslots_and_first_table(self):
        r = run(system(
            container("a", pools={"tableslots": 12}, notifications=[obj("n", 16)],
                      first_table=first(5, entry(0, 16, rights=["wait"]),
                                        entry(1, POOL_THREADS, units=3), entry(2, 3))),
            container("b")))
        self.assertEqual(r.returncode, 0, r.stderr)
        header, conts, _, caps = decode(r.data)
        self.assertEqual(conts[0][TABLESLOTS:FIRST_TABLE + 1], (12, 5))
        self.assertEqual(conts[1][TABLESLOTS:FIRST_TABLE + 1], (0, 0))
        self.assertEqual(header[3], 3)
        # holder, slot of its table, type, rights, the container's slot, units, badge
        self.assertEqual(caps, [(0, 0, THREAD_CAP, 8, 16, 0, 0),
                                (0, 1, THREAD_CAP, 7, POOL_THREADS, 3, 0),
                                (0, 2, THREAD_CAP, 7, 3, 0, 0)])

    def test_rights_default_to_the_sources(self):
        r = run(system(container("a", pools={"tableslots": 4}, caps=[
            cap(20, "container", "a", ["inspect", "copy"])],
            first_table=first(1, entry(0, 20)))))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(decode(r.data)[3][-1], (0, 0, THREAD_CAP, 9, 20, 0, 0))

    def test_clock_and_device_in_first_table(self):
        """RV12C-101: the wall clock capability (type 12) and a device's memory capability
        may be put in a first table; the clock without 'copy' is refused with a line, never a
        traceback."""
        dev = {"name": "d", "base": 0xfed00000, "size": 4096, "slot": 21,
               "rights": ["copy", "read", "write"]}
        r = run(system(container("a", pools={"tableslots": 4}, devices=[dev],
                                 clock={"slot": 20, "rights": ["copy", "set"]},
                                 first_table=first(2, entry(0, 20, rights=["set"]),
                                                   entry(1, 21)))))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(decode(r.data)[3][-2][:5], (0, 0, THREAD_CAP, 4, 20))
        r = run(system(container("a", pools={"tableslots": 4}, clock={"slot": 20},
                                 first_table=first(1, entry(0, 20)))))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertIn("the clock capability in slot 20 lacks 'copy'", r.stderr)

    def test_tableslots_cost_ram(self):
        """256 bytes a unit (a slot and a header), each part in whole pages."""
        def fits(units, ram):
            return run(f'ram = "{ram}"\n' + system(container(
                "a", memory="64K", region="4K", pools={"tableslots": units}))).returncode == 0
        base = next(k for k in range(4096, 8192, 4) if fits(0, f"{k}K"))
        self.assertFalse(fits(1, f"{base}K"))
        self.assertTrue(fits(1, f"{base + 8}K"))   # a page of headers, a page of slots
        self.assertTrue(fits(32, f"{base + 8}K"))  # 32 of each fill their pages
        self.assertFalse(fits(33, f"{base + 8}K"))


class Refusals(unittest.TestCase):
    rejects = tm.Rejects.rejects
    reject_container = tm.Rejects.reject_container

    def bad(self, phrase, **keys):
        keys.setdefault("pools", {"tableslots": 8})
        self.reject_container(container("a", **keys), phrase)

    def test_tableslots_above_kernel_limit(self):
        self.bad("tableslots must be at most 4096 (the kernel's limit, SYSDESC_MAX_TABLESLOTS)",
                 pools={"tableslots": 4097})

    def test_first_table_shapes(self):
        self.bad("first_table must be a table like", first_table=3)
        self.bad("first_table: unknown key 'slot' (did you mean 'slots'?)",
                 first_table={"slot": 2})
        self.bad("first_table slots must be an integer from 1 to 8 (its tableslots pool pays "
                 "for them and has 8", first_table=first(9))
        self.bad("first_table needs a capslots pool to pay for its slots: set pools = { "
                 "tableslots = N }", first_table=first(1), pools={})
        self.bad("first_table slots must be an integer from 1 to 8", first_table=first(0))
        self.bad("'caps' must be an array of tables", first_table={"slots": 2, "caps": 3})
        self.bad("first_table: capability: unknown key 'form' (did you mean 'from'?)",
                 first_table=first(2, {"slot": 0, "form": 3}))

    def test_entry_slots(self):
        self.bad("first_table: slot 2 outside its table's 0..1",
                 first_table=first(2, entry(2, 3)))
        self.bad("first_table: slot 0 used twice",
                 first_table=first(2, entry(0, 3), entry(0, 2)))

    def test_entry_sources(self):
        self.bad("first_table: from = 16 is no slot the container holds a capability in when "
                 "its first thread starts (it holds 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)",
                 first_table=first(2, entry(0, 16)))
        self.bad("from = 3 is no slot", debug=False, first_table=first(2, entry(0, 3)))
        self.bad("the container capability in slot 0 lacks 'copy'",
                 first_table=first(2, entry(0, 0)))
        self.bad("first_table: slot 0 asks rights the container capability in slot 20 does "
                 "not have", caps=[cap(20, "container", "first", ["inspect", "copy"])],
                 first_table=first(2, entry(0, 20, rights=["control"])))
        self.bad("right 'bind' unknown for debug", first_table=first(2, entry(0, 3,
                                                                              rights=["bind"])))

    def test_entry_units(self):
        self.bad("units are for pools; slot 3 holds a debug",
                 first_table=first(2, entry(0, 3, units=1)))
        self.bad("the pagetables pool cannot be split before the program is loaded",
                 first_table=first(2, entry(0, POOL_PAGETABLES, units=1)))
        self.bad("holds the threads pool, which is split: units must be from 1 to 15 (16 units, "
                 "1 paying for what the container starts with",
                 first_table=first(2, entry(0, POOL_THREADS)))
        self.bad("units must be from 1 to 15", first_table=first(2, entry(0, POOL_THREADS,
                                                                            units=16)))
        self.bad("holds the capslots pool, which is split: units must be from 1 to 6 (8 units, "
                 "2 paying", first_table=first(2, entry(0, POOL_CAPSLOTS, units=7)))


if __name__ == "__main__":
    unittest.main()
