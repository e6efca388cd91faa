# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/mksystem.py: the encoding of a valid system file and every rejection.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import builtins
import contextlib
import importlib.util
import io
import json
import os
import pathlib
import re
import struct
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
from sysdesc_layout import CAP, CONTAINER, HEADER, OBJECT, decode  # noqa: E402
from unittest import mock

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "mksystem.py"
PYTHON = "/usr/bin/python3"

# include/coffer/sysdesc.h, version 4
MAGIC, VERSION = 0x59534643, 4
POOLS = ["threads", "spaces", "endpoints", "notifications", "capslots", "pagetables"]
DEFAULT_POOLS = [16, 4, 4, 4, 64, 64]
ENDPOINT, NOTIFICATION = 1, 2  # SYSDESC_ENDPOINT, SYSDESC_NOTIFICATION (object kinds)
CAP_CONTAINER, CAP_ENDPOINT, CAP_NOTIFICATION = 1, 7, 8  # include/coffer/cap.h
# kernel/core/sysdesc.c and kernel/include/sysdesc.h
KERNEL_MAX_SLOTS, KERNEL_MAX_MEMORY, KERNEL_MAX_CAPS, KERNEL_MAX_OBJECTS = 1024, 256 << 30, 8192, 1024
KERNEL_MAX_CONTAINERS = 1024
U64_MAX = (1 << 64) - 1


def value(v):
    """The TOML spelling of a str, bool, int, list or (inline table) dict."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a TOML basic string
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def system(*containers):
    """A system file with one [[container]] table per dict."""
    out = ""
    for c in containers:
        out += "[[container]]\n" + "".join(f"{k} = {value(v)}\n" for k, v in c.items()) + "\n"
    return out


def container(name, **keys):
    return {"name": name, "program": "prog", **keys}


def cap(slot, type_, target, rights=(), **more):
    return {"slot": slot, "type": type_, "target": target, "rights": list(rights), **more}


def obj(name, slot, **more):
    return {"name": name, "slot": slot, **more}


class Result:
    def __init__(self, proc, out_path):
        self.returncode, self.stdout, self.stderr = proc.returncode, proc.stdout, proc.stderr
        self.data = out_path.read_bytes() if out_path.exists() else None


def run(text, *extra, raw=None):
    """Run mksystem.py on a system file holding text (or raw bytes); return what it did."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = pathlib.Path(tmp, "system.toml"), pathlib.Path(tmp, "out.sys")
        if raw is None:
            src.write_text(text, encoding="utf-8")
        else:
            src.write_bytes(raw)
        proc = subprocess.run([PYTHON, str(SCRIPT), str(src), str(out), *extra],
                              capture_output=True, text=True, timeout=60)
        result = Result(proc, out)
        result.path = str(src)
        return result


def cstr(field):
    """The string in a NUL-terminated fixed-size field, or None if it has no terminator."""
    return field[:field.index(0)].decode() if 0 in field else None


VALID = system(
    container("alpha", program="zeta", args="one two", priority=120, ceiling=200, memory="256K",
              debug=False, pools={"threads": 3, "capslots": 40},
              endpoints=[obj("req", 20)], notifications=[obj("irq", 21)],
              caps=[cap(17, "container", "beta", ["copy", "inspect", "receive"]),
                    cap(39, "container", "alpha"),
                    cap(18, "endpoint", "gamma.rpc", ["send"], badge=42)]),
    container("beta", program="alpha", memory="2M",
              caps=[cap(16, "endpoint", "alpha.req", ["send", "receive"], badge=U64_MAX),
                    cap(17, "notification", "alpha.irq", ["signal"], badge=1 << 63)]),
    container("gamma", program="zeta", priority=50, memory=131072,
              endpoints=[obj("rpc", 30), obj("log", 31)], notifications=[obj("irq", 32)],
              caps=[cap(17, "container", "alpha", ["control", "grant"]),
                    cap(16, "notification", "gamma.irq", ["wait", "copy", "grant"])]),
)


class Valid(unittest.TestCase):
    def setUp(self):
        self.r = run(VALID)
        self.assertEqual(self.r.returncode, 0, self.r.stderr)
        self.header, self.conts, self.objs, self.caps = decode(self.r.data)

    def test_exact_length(self):
        self.assertEqual(len(self.r.data), 24 + 160 * 3 + 16 * 5 + 32 * 7)
        self.assertEqual(struct.calcsize(HEADER), 24)
        self.assertEqual(struct.calcsize(CONTAINER), 160)
        self.assertEqual(struct.calcsize(OBJECT), 16)
        self.assertEqual(struct.calcsize(CAP), 32)

    def test_header(self):
        # magic, version, ncontainers, ncaps, nobjects, reserved
        self.assertEqual(self.header, (MAGIC, VERSION, 3, 7, 5, 0))
        self.assertEqual(self.r.data[:4], b"CFSY")
        self.assertEqual(self.r.data[4:8], b"\x04\0\0\0")

    def test_strings(self):
        name, program, args = self.conts[0][:3]
        self.assertEqual(name, b"alpha".ljust(16, b"\0"))
        self.assertEqual(program, b"zeta".ljust(16, b"\0"))
        self.assertEqual(args, b"one two".ljust(64, b"\0"))
        self.assertEqual(cstr(self.conts[1][0]), "beta")
        self.assertEqual(cstr(self.conts[1][1]), "alpha")
        self.assertEqual(self.conts[1][2], bytes(64))  # args default to empty

    def test_priority_and_ceiling(self):
        self.assertEqual(self.conts[0][3:5], (120, 200))
        self.assertEqual(self.conts[1][3:5], (100, 100))  # defaults
        self.assertEqual(self.conts[2][3:5], (50, 50))  # ceiling defaults to the priority

    def test_memory(self):
        self.assertEqual(self.conts[0][5], 256 * 1024)
        self.assertEqual(self.conts[1][5], 2 << 20)
        self.assertEqual(self.conts[2][5], 131072)

    def test_pools_with_defaults(self):
        self.assertEqual(list(self.conts[0][6:12]), [3, 4, 4, 4, 40, 64])
        self.assertEqual(list(self.conts[1][6:12]), DEFAULT_POOLS)
        self.assertEqual(DEFAULT_POOLS[POOLS.index("endpoints")], 4)
        self.assertEqual(DEFAULT_POOLS[POOLS.index("notifications")], 4)

    def test_flags_and_region(self):
        self.assertEqual(self.conts[0][12], 0)  # debug = false
        self.assertEqual(self.conts[1][12], 1)  # debug defaults to true
        self.assertEqual([c[13] for c in self.conts], [16, 16, 16])  # region: 64K by default

    def test_no_fault_endpoint_nor_foreign_mode_by_default(self):
        self.assertEqual([c[14:16] for c in self.conts], [(0, 0)] * 3)

    def test_objects(self):
        # owner, kind, slot, reserved; by container, endpoints before notifications
        self.assertEqual(self.objs, [(0, ENDPOINT, 20, 0), (0, NOTIFICATION, 21, 0),
                                     (2, ENDPOINT, 30, 0), (2, ENDPOINT, 31, 0),
                                     (2, NOTIFICATION, 32, 0)])

    def test_caps(self):
        # holder, slot, type, rights, target, reserved, badge; in container order
        self.assertEqual(self.caps, [
            (0, 17, CAP_CONTAINER, 1 | 8 | 16, 1, 0, 0),
            (0, 39, CAP_CONTAINER, 0, 0, 0, 0),
            (0, 18, CAP_ENDPOINT, 4, 2, 0, 42),  # gamma.rpc is object 2
            (1, 16, CAP_ENDPOINT, 4 | 8, 0, 0, U64_MAX),
            (1, 17, CAP_NOTIFICATION, 4, 1, 0, 1 << 63),
            (2, 17, CAP_CONTAINER, 4 | 2, 0, 0, 0),
            (2, 16, CAP_NOTIFICATION, 8 | 1 | 2, 4, 0, 0),  # gamma.irq, not alpha.irq
        ])

    def test_badged_endpoint_cap_bytes(self):
        off = 24 + 160 * 3 + 16 * 5 + 32 * 3  # beta's endpoint capability
        self.assertEqual(self.r.data[off:off + 32],
                         struct.pack("<6I", 1, 16, 7, 12, 0, 0) + b"\xff" * 8)

    def test_limits_accepted(self):
        r = run(system(*[container(f"c{i}") for i in range(15)],
                       container("abcdefghijklmno", program="p", args="a" * 63, priority=255,
                                 memory="64K", pools={"threads": 1, "spaces": 1, "capslots": 16})))
        self.assertEqual(r.returncode, 0, r.stderr)
        header, conts, _, _ = decode(r.data)
        self.assertEqual(header[2], 16)
        self.assertEqual(cstr(conts[15][0]), "abcdefghijklmno")
        self.assertEqual(cstr(conts[15][2]), "a" * 63)
        self.assertEqual(conts[15][3:6], (255, 255, 65536))

    def test_kernel_upper_limits_accepted(self):
        r = run('ram = "300G"\n' + system(
            container("a", memory="64M", pools={"capslots": KERNEL_MAX_SLOTS},
                      caps=[cap(KERNEL_MAX_SLOTS - 1, "container", "a")]),
            container("b", memory=KERNEL_MAX_MEMORY, pools={"endpoints": 1 << 16})))
        self.assertEqual(r.returncode, 0, r.stderr)
        _, conts, _, caps = decode(r.data)
        self.assertEqual(conts[0][5], 64 << 20)
        self.assertEqual(conts[0][6 + POOLS.index("capslots")], 1024)
        self.assertEqual(conts[1][6 + POOLS.index("endpoints")], 1 << 16)
        self.assertEqual(caps[0][1], 1023)

    def test_non_ascii_strings_at_their_byte_limits(self):
        name, prog, args = "a" + "é" * 7, "ü" * 7, "x" + "ß" * 31  # 15, 14 and 63 bytes
        r = run(system(container(name, program=prog, args=args)))
        self.assertEqual(r.returncode, 0, r.stderr)
        _, conts, _, _ = decode(r.data)
        self.assertEqual(cstr(conts[0][0]), name)
        self.assertEqual(cstr(conts[0][1]), prog)
        self.assertEqual(cstr(conts[0][2]), args)

    def test_same_slot_in_two_holders(self):
        c = cap(20, "container", "a")
        r = run(system(container("a", caps=[c]), container("b", caps=[c])))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(decode(r.data)[3], [(0, 20, 1, 0, 0, 0, 0), (1, 20, 1, 0, 0, 0, 0)])

    def test_objects_fill_their_pools(self):
        r = run(system(container("a", endpoints=[obj(f"e{i}", 16 + i) for i in range(4)],
                                 notifications=[obj(f"n{i}", 20 + i) for i in range(4)])))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(decode(r.data)[2], [(0, ENDPOINT, 16 + i, 0) for i in range(4)] +
                         [(0, NOTIFICATION, 20 + i, 0) for i in range(4)])

    def test_object_names_are_per_container(self):
        r = run(system(container("a", endpoints=[obj("x", 16)]),
                       container("b", endpoints=[obj("x", 16)],
                                 caps=[cap(17, "endpoint", "a.x"), cap(18, "endpoint", "b.x")])))
        self.assertEqual(r.returncode, 0, r.stderr)
        _, _, objs, caps = decode(r.data)
        self.assertEqual(objs, [(0, ENDPOINT, 16, 0), (1, ENDPOINT, 16, 0)])
        self.assertEqual([k[4] for k in caps], [0, 1])

    def test_container_named_like_an_object(self):
        # "a.b" is both a container and container a's endpoint b: each type finds its own
        r = run(system(container("x"), container("a", endpoints=[obj("b", 16)]),
                       container("a.b", caps=[cap(16, "container", "a.b"),
                                              cap(17, "endpoint", "a.b")])))
        self.assertEqual(r.returncode, 0, r.stderr)
        caps = decode(r.data)[3]
        self.assertEqual([(k[2], k[4]) for k in caps], [(CAP_CONTAINER, 2), (CAP_ENDPOINT, 0)])

    def test_badge_zero_on_container_cap(self):
        r = run(system(container("a", caps=[cap(16, "container", "a", badge=0)])))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(decode(r.data)[3], [(0, 16, 1, 0, 0, 0, 0)])

    def test_most_objects_and_caps_accepted(self):
        conts = [container(f"c{i}", pools={"capslots": 1024, "endpoints": 32},
                           endpoints=[obj(f"e{j}", 16 + j) for j in range(32)],
                           caps=[cap(48 + j, "endpoint", f"c{i}.e{j % 32}") for j in range(256)])
                 for i in range(32)]
        r = run(system(*conts))
        self.assertEqual(r.returncode, 0, r.stderr)
        header = decode(r.data)[0]
        self.assertEqual(header[2:5], (32, KERNEL_MAX_CAPS, KERNEL_MAX_OBJECTS))

    def test_most_containers_accepted(self):
        r = run(system(container("c", copies=KERNEL_MAX_CONTAINERS, memory="64K", region="4K",
                                 pools={"threads": 1, "pagetables": 1, "capslots": 16})))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(decode(r.data)[0][2], KERNEL_MAX_CONTAINERS)


class Programs(unittest.TestCase):
    def test_unique_sorted(self):
        r = run(VALID, "--programs")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "alpha\nzeta\n")
        self.assertIsNone(r.data)  # lists, does not write

    def test_one_program(self):
        r = run(system(container("a", program="only")), "--programs")
        self.assertEqual((r.returncode, r.stdout), (0, "only\n"))

    def test_checks_first(self):
        r = run(system(container("a", priority=300)), "--programs")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, "")

    def test_unknown_option(self):
        r = run(VALID, "--program")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("usage: mksystem.py", r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIsNone(r.data)


class Copies(unittest.TestCase):
    """copies = N: one [[container]] table for N containers named name0..name<N-1>."""

    def test_names_and_all_else_alike(self):
        r = run(system(container("srv", endpoints=[obj("ep", 16)]),
                       container("w", copies=3, priority=110,
                                 caps=[cap(16, "endpoint", "srv.ep", ["send"])])))
        self.assertEqual(r.returncode, 0, r.stderr)
        header, conts, _, caps = decode(r.data)
        self.assertEqual(header[2], 4)
        self.assertEqual([cstr(c[0]) for c in conts], ["srv", "w0", "w1", "w2"])
        self.assertEqual([c[3] for c in conts], [100, 110, 110, 110])  # priority
        self.assertEqual([(k[0], k[1]) for k in caps], [(1, 16), (2, 16), (3, 16)])

    def test_copies_may_be_named(self):
        r = run(system(container("w", copies=2), container("c", caps=[cap(16, "container",
                                                                          "w1")])))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(decode(r.data)[3], [(2, 16, 1, 0, 1, 0, 0)])

    def test_bad_count(self):
        for bad, says in ((0, "copies 0 must be 1..1024 (SYSDESC_MAX_CONTAINERS)"),
                          (1025, "copies 1025 must be 1..1024 (SYSDESC_MAX_CONTAINERS)"),
                          ("2", 'copies must be an integer 1..1024, not a string ("2")')):
            r = run(system(container("w", copies=bad)))
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(f":4: container 'w': {says}", r.stderr)

    def test_names_must_fit(self):
        r = run(system(container("abcdefghijklmn", copies=11)))
        self.assertIn(":2: container 'abcdefghijklmn': copies: the names abcdefghijklmn0.."
                      "abcdefghijklmn10 must be of 1..15 characters", r.stderr)
        self.assertEqual(run(system(container("abcdefghijklmn", copies=10))).returncode, 0)

    def test_a_copy_error_points_into_its_table(self):
        r = run(system(container("a"), container("w", copies=2, priority=300)))
        self.assertIn(":9: container 'w0': priority 300 must be 0..255", r.stderr)


class Rejects(unittest.TestCase):
    def rejects(self, text, where, *phrases, raw=None):
        r = run(text, raw=raw)
        self.assertNotEqual(r.returncode, 0, "accepted")
        self.assertTrue(r.stderr.startswith("mksystem: "), r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertIn(where, r.stderr)
        for p in phrases:
            self.assertIn(p, r.stderr)
        self.assertIsNone(r.data, "wrote an output file")
        return r

    def reject_container(self, c, *phrases, others=()):
        """c, between a valid container before and after it, is named in the rejection."""
        name = c.get("name")
        where = f"container '{name}'" if isinstance(name, str) and name else "container #1"
        return self.rejects(system(container("first"), c, container("last"), *others),
                            where, *phrases)

    def reject_system(self, text, phrase):
        """A rejection of the whole file, named by its path."""
        r = run(text)
        self.assertNotEqual(r.returncode, 0, "accepted")
        self.assertIn(f"mksystem: {r.path}: {phrase}", r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertIsNone(r.data, "wrote an output file")

    # --- containers

    def test_unknown_key(self):
        self.reject_container(container("a", colour="red"), "unknown key 'colour'")
        self.reject_container(container("a", Name="a"), "unknown key 'Name'")
        self.reject_container(container("a", objects=[obj("x", 16)]), "unknown key 'objects'")

    def test_name_missing(self):
        self.reject_container({"program": "p"}, "'name' must be a name of 1..15 characters")
        self.reject_container({"name": "", "program": "p"}, "'name' must be a name of 1..15")
        self.reject_container({"name": 7, "program": "p"}, "'name' must be a name of 1..15")

    def test_name_too_long(self):
        self.reject_container(container("abcdefghijklmnop"), "'name' must be a name of 1..15")

    def test_name_too_long_in_utf8(self):
        # 8 characters but 16 bytes: no room for the terminating zero in char name[16]
        self.reject_container(container("é" * 8), "'name' must be a name of 1..15 characters",
                              "bytes of UTF-8")
        self.reject_container(container("a" * 14 + "é"), "'name' must be a name of 1..15")
        self.reject_container(container("€" * 5 + "a"), "'name' must be a name of 1..15")

    def test_program_missing_or_too_long(self):
        self.reject_container({"name": "a"}, "'program' must be a name of 1..15 characters")
        self.reject_container(container("a", program=""), "'program' must be a name of 1..15")
        self.reject_container(container("a", program="p" * 16), "'program' must be a name")
        self.reject_container(container("a", program="ü" * 8), "'program' must be a name")
        self.reject_container(container("a", program=["p"]), "'program' must be a name")

    def test_nul_in_strings(self):
        self.reject_container(container("a\0b"), "'name' must not contain a NUL character")
        self.reject_container(container("\0"), "'name' must not contain a NUL character")
        self.reject_container(container("a", program="p\0"),
                              "'program' must not contain a NUL character")
        self.reject_container(container("a", args="x\0y"),
                              "'args' must not contain a NUL character")

    def test_name_twice(self):
        self.rejects(system(container("a"), container("b"), container("a", program="other")),
                     "container 'a'", "name used twice")

    def test_priority_or_ceiling_out_of_range(self):
        # the message names the key that is wrong, not both
        self.reject_container(container("a", priority=256), "priority 256 must be 0..255")
        self.reject_container(container("a", priority=300, ceiling=255),
                              "priority 300 must be 0..255")
        self.reject_container(container("a", priority=-1), "priority -1 must be 0..255")
        self.reject_container(container("a", priority=1, ceiling=256), "ceiling 256 must be 0..255")
        self.reject_container(container("a", ceiling=-1), "ceiling -1 must be 0..255")

    def test_priority_or_ceiling_not_an_integer(self):
        # the key, that it must be an integer, and what it is instead
        for key, v, what in (("priority", "high", 'a string ("high")'),
                             ("ceiling", "200", 'a string ("200")'),
                             ("priority", True, "a boolean (true)"),
                             ("priority", [1], "an array ([1])")):
            self.reject_container(container("a", **{key: v}),
                                  f"{key} must be an integer 0..255, not {what}")
        self.reject_container(container("a", priority="100", ceiling=200),
                              'priority must be an integer 0..255, not a string ("100")')
        self.rejects("[[container]]\nname = \"a\"\nprogram = \"p\"\npriority = 1.5\n",
                     "container 'a'", "priority must be an integer 0..255, not a float (1.5)")

    def test_priority_above_ceiling(self):
        self.reject_container(container("a", priority=200, ceiling=199),
                              "priority 200 is above its ceiling 199")
        r = self.reject_container(container("a", ceiling=99),
                                  "priority 100 is above its ceiling 99 (100 is the default "
                                  "priority: set priority to 99 or less)")
        self.assertNotIn("default", self.reject_container(
            container("a", priority=100, ceiling=99), "above its ceiling 99").stderr)
        self.assertTrue(r.stderr)

    def test_args_too_long_or_comma(self):
        msg = "args must be under 64 characters, without commas"
        self.reject_container(container("a", args="x" * 64), msg)
        self.reject_container(container("a", args="a,b"), msg)

    def test_args_too_long_in_utf8(self):
        msg = "args must be under 64 characters, without commas (bytes of UTF-8)"
        self.reject_container(container("a", args="ß" * 32), msg)  # 32 characters, 64 bytes
        self.reject_container(container("a", args="x" * 62 + "ß"), msg)

    def test_args_not_a_string(self):
        self.reject_container(container("a", args=5), "args must be a string")
        self.reject_container(container("a", args=["x", "y"]), "args must be a string")
        self.reject_container(container("a", args=False), "args must be a string")

    def test_debug_not_a_bool(self):
        self.reject_container(container("a", debug="no"), "'debug' must be true or false")
        self.reject_container(container("a", debug=0), "'debug' must be true or false")

    def test_unknown_pool(self):
        self.reject_container(container("a", pools={"widgets": 1}), "unknown pool 'widgets'",
                              "threads, spaces, endpoints, notifications, capslots, pagetables")

    def test_negative_pool(self):
        self.reject_container(container("a", pools={"endpoints": -1}),
                              "pool 'endpoints' must be a non-negative integer")
        self.reject_container(container("a", pools={"threads": "3"}),
                              "pool 'threads' must be a non-negative integer")
        self.reject_container(container("a", pools={"threads": True}),
                              "pool 'threads' must be a non-negative integer")

    def test_pool_too_large_for_its_field(self):
        for k in ("endpoints", "notifications", "pagetables", "threads"):
            self.reject_container(container("a", pools={k: 1 << 32}),
                                  f"pool '{k}' must be a non-negative integer below 2^32")
        self.reject_container(container("a", pools={"spaces": 1 << 64}),
                              "pool 'spaces' must be a non-negative integer below 2^32")

    def test_pools_not_a_table(self):
        self.reject_container(container("a", pools=5), "'pools' must be a table")
        self.reject_container(container("a", pools=["threads"]), "'pools' must be a table")

    def test_zero_threads_or_spaces(self):
        msg = "needs at least one thread and one space"
        self.reject_container(container("a", pools={"threads": 0}), msg)
        self.reject_container(container("a", pools={"spaces": 0}), msg)

    def test_capslots_below_16(self):
        self.reject_container(container("a", pools={"capslots": 15}),
                              "capslots must be at least 16")
        self.reject_container(container("a", pools={"capslots": 0}), "capslots must be at least")

    def test_capslots_above_kernel_limit(self):
        for n in (KERNEL_MAX_SLOTS + 1, 4096, (1 << 32) - 1):
            self.reject_container(container("a", pools={"capslots": n}),
                                  "capslots must be at most 1024 (the kernel's limit, SYSDESC_MAX_")

    def test_bad_memory_string(self):
        for bad in ("1T", "256k", "12 K", "-4K", "K", "2MB", "1GB", ""):
            self.reject_container(container("a", memory=bad),
                                  f"memory '{bad}' is not a size like 256K, 2M or 1G")
        self.reject_container(container("a", memory=True), "memory 'True' is not a size")
        self.reject_container(container("a", memory=["64K"]), "is not a size like 256K, 2M or 1G")

    def test_memory_unaligned_or_small(self):
        msg = "memory must be a multiple of 4K and at least 64K"
        self.reject_container(container("a", memory=65537), msg)
        self.reject_container(container("a", memory="100000"), msg)
        self.reject_container(container("a", memory="60K"), msg)
        self.reject_container(container("a", memory=0), msg)
        self.reject_container(container("a", memory=-4096), msg)

    def test_memory_above_kernel_limit(self):
        msg = "memory must be at most 256G (the kernel's limit, SYSDESC_MAX_"
        for m in ("257G", "262145M", KERNEL_MAX_MEMORY + 4096, 1 << 64, 1 << 80,
                  "99999999999999999999M"):
            self.reject_container(container("a", memory=m), msg)
        self.reject_container(container("a", memory="9" * 30), "is not a size like 256K, 2M or 1G")

    def test_no_container(self):
        for text in ("", "# nothing\n", 'ram = "8M"\n', "container = []\n"):
            self.reject_system(text, "no [[container]]")

    def test_container_not_an_array_of_tables(self):
        # at the line that says container
        for text in ('[container]\nname = "a"\nprogram = "p"\n', 'ram = "8M"\ncontainer = 5\n',
                     'container = "a"\n'):
            r = self.rejects(text, "'container' must be an array of tables: write [[container]]")
            line = 2 if text.startswith("ram") else 1
            self.assertTrue(r.stderr.startswith(f"mksystem: {r.path}:{line}: 'container' must"),
                            r.stderr)
        r = self.rejects('container = [1]\n', "container #0", "must be a table")
        self.assertIn("write [[container]]", r.stderr)

    def test_more_containers_than_the_kernel_takes(self):
        self.reject_system(system(container("a", copies=1000, memory="64K", region="4K"),
                                  container("b", copies=25, memory="64K", region="4K")),
                           "1025 containers, but the kernel takes at most 1024 "
                           "(SYSDESC_MAX_CONTAINERS)")

    def test_pool_totals_over_kernel(self):
        # thread ids tell 65535 thread blocks apart: each pool's units and one spare
        r = run('ram = "1024M"\n' + system(container("a", pools={"threads": 65533})))
        self.assertEqual(r.returncode, 0, r.stderr)  # exactly the kernel's total
        # at the line of the largest pool
        self.rejects('ram = "1024M"\n' + system(container("a", pools={"threads": 65533}),
                                             container("b", pools={"threads": 1})),
                     ":5: the threads pools add up to 65534 threads; thread ids tell at most "
                     "65533 apart in 2 containers")

    def test_no_kernel_wide_tables(self):
        # every container's objects come from its own RAM: one may have hundreds of each
        r = run(system(container("a", pools={"threads": 300, "spaces": 300, "endpoints": 300,
                                             "notifications": 300}),
                       container("b", pools={"threads": 300, "spaces": 300})))
        self.assertEqual(r.returncode, 0, r.stderr)

    # --- endpoints and notifications

    def test_object_unknown_key(self):
        self.reject_container(container("a", endpoints=[obj("x", 16, colour="red")]),
                              "endpoint: unknown key 'colour'")
        self.reject_container(container("a", notifications=[obj("x", 16, badge=1)]),
                              "notification: unknown key 'badge'")

    def test_object_name_missing(self):
        for o in ({"slot": 16}, obj("", 16), obj(7, 16), obj(["x"], 16)):
            self.reject_container(container("a", endpoints=[o]),
                                  "endpoint needs a name (a non-empty string)")
            self.reject_container(container("a", notifications=[o]),
                                  "notification needs a name (a non-empty string)")

    def test_object_name_twice_in_a_container(self):
        self.reject_container(container("a", endpoints=[obj("x", 16), obj("y", 17), obj("x", 18)]),
                              "endpoint name 'x' is taken by its endpoint 'x'")
        self.reject_container(container("a", notifications=[obj("x", 16), obj("x", 17)]),
                              "notification name 'x' is taken by its notification 'x'")
        # one name space for both kinds: "a.x" must name one object
        self.reject_container(container("a", endpoints=[obj("x", 16)],
                                        notifications=[obj("x", 17)]),
                              "notification name 'x' is taken by its endpoint 'x': endpoints, "
                              "notifications and shared memory of a container need different "
                              "names")

    def test_qualified_object_name_twice(self):
        # container "a" owning "b.c" and container "a.b" owning "c" would both be "a.b.c"
        self.rejects(system(container("a", endpoints=[obj("b.c", 16)]),
                            container("a.b", notifications=[obj("c", 16)])),
                     "container 'a.b'", "notification name 'a.b.c' names two objects")

    def test_more_objects_than_the_pool(self):
        self.reject_container(container("a", endpoints=[obj(f"e{i}", 16 + i) for i in range(5)]),
                              "5 endpoints but its endpoints pool has 4 units")
        self.reject_container(container("a", pools={"notifications": 0},
                                        notifications=[obj("n", 16)]),
                              "1 notifications but its notifications pool has 0 units")
        self.reject_container(container("a", pools={"endpoints": 2},
                                        endpoints=[obj(f"e{i}", 16 + i) for i in range(3)]),
                              "3 endpoints but its endpoints pool has 2 units")

    def test_objects_not_an_array_of_tables(self):
        for bad in (5, "x", ["x"], {"name": "x", "slot": 16}):
            self.reject_container(container("a", endpoints=bad),
                                  "'endpoints' must be an array of tables like")
            self.reject_container(container("a", notifications=bad),
                                  "'notifications' must be an array of tables like")

    def test_object_slot_out_of_range(self):
        for slot in (15, 0, 64, -1):
            self.reject_container(container("a", endpoints=[obj("x", slot)]),
                                  f"slot {slot} outside 16..63")
            self.reject_container(container("a", notifications=[obj("x", slot)]),
                                  f"slot {slot} outside 16..63")
        self.reject_container(container("a", pools={"capslots": 20},
                                        notifications=[obj("x", 20)]),
                              "slot 20 outside 16..19")
        self.reject_container(container("a", endpoints=[{"name": "x"}]),
                              "slot missing: give it a slot 16..63")
        self.reject_container(container("a", endpoints=[obj("x", "16")]),
                              'slot must be an integer, not a string ("16")')
        self.reject_container(container("a", endpoints=[obj("x", True)]),
                              "slot must be an integer, not a boolean (true)")
        # why the bound: the well-known slots below, the capslots pool above
        self.reject_container(container("a", endpoints=[obj("x", 3)]),
                              "slot 3 outside 16..63 (slots 0..15 are the well-known ones)")
        self.reject_container(container("a", endpoints=[obj("x", 64)]),
                              "slot 64 outside 16..63 (its capslots pool has 64)")

    def test_object_slot_twice(self):
        self.reject_container(container("a", endpoints=[obj("x", 16), obj("y", 16)]),
                              "slot 16 used twice")
        self.reject_container(container("a", endpoints=[obj("x", 16)],
                                        notifications=[obj("y", 16)]), "slot 16 used twice")
        # objects and capabilities share the container's slots
        self.reject_container(container("a", endpoints=[obj("x", 20)],
                                        caps=[cap(20, "container", "first")]),
                              "slot 20 used twice")
        self.reject_container(container("a", notifications=[obj("x", 21)],
                                        caps=[cap(21, "notification", "a.x")]),
                              "slot 21 used twice")

    # --- capabilities

    def test_cap_unknown_key(self):
        c = cap(16, "container", "first", colour="red")
        self.reject_container(container("a", caps=[c]), "capability: unknown key 'colour'")
        c = cap(16, "endpoint", "a.x", object="x")
        self.reject_container(container("a", endpoints=[obj("x", 17)], caps=[c]),
                              "capability: unknown key 'object'")

    def test_cap_unknown_type(self):
        self.reject_container(container("a", caps=[cap(16, "thread", "first")]),
                              "capability type 'thread' unknown",
                              "known: container, memory, endpoint, notification")
        self.reject_container(container("a", caps=[{"slot": 16, "target": "first"}]),
                              "capability type 'None' unknown")
        self.reject_container(container("a", caps=[cap(16, ["container"], "first")]),
                              "capability type '['container']' unknown")
        self.reject_container(container("a", caps=[cap(16, "endpoints", "first")]),
                              "capability type 'endpoints' unknown")

    def test_caps_not_an_array_of_tables(self):
        for bad in (5, "x", [5], [["slot", 16]]):
            self.reject_container(container("a", caps=bad), "'caps' must be an array of tables")

    def test_cap_slot_out_of_range(self):
        for slot in (15, 0, 64, -1):
            c = cap(slot, "container", "first")
            self.reject_container(container("a", caps=[c]), f"slot {slot} outside 16..63")
        c = cap(32, "container", "first")
        self.reject_container(container("a", pools={"capslots": 32}, caps=[c]),
                              "slot 32 outside 16..31")
        self.reject_container(container("a", caps=[{"type": "container", "target": "first"}]),
                              "slot missing: give it a slot 16..63")
        c = cap(64, "endpoint", "a.x")
        self.reject_container(container("a", endpoints=[obj("x", 16)], caps=[c]),
                              "slot 64 outside 16..63")

    def test_cap_slot_twice(self):
        caps = [cap(20, "container", "first"), cap(21, "container", "last"),
                cap(20, "container", "last", ["inspect"])]
        self.reject_container(container("a", caps=caps), "slot 20 used twice")

    def test_cap_unknown_target(self):
        self.reject_container(container("a", caps=[cap(16, "container", "nobody")]),
                              "capability target 'nobody' is no container")
        self.reject_container(container("a", caps=[{"slot": 16, "type": "container"}]),
                              "capability target 'None' is no container")
        self.reject_container(container("a", caps=[cap(16, "container", ["first"])]),
                              "capability target '['first']' is no container")
        # a container's index is no name: "1" names container "1", 1 names nothing
        self.reject_container(container("a", caps=[cap(16, "container", 1)]),
                              "capability target '1' is no container", others=[container("1")])
        # an object is no container
        self.reject_container(container("a", endpoints=[obj("x", 17)],
                                        caps=[cap(16, "container", "a.x")]),
                              "capability target 'a.x' is no container")

    def test_cap_target_not_an_object_of_its_type(self):
        def rejects(c, msg, **more):
            self.reject_container(container("a", endpoints=[obj("ep", 30)],
                                            notifications=[obj("nt", 31)], caps=[c], **more),
                                  msg)
        rejects(cap(16, "endpoint", "a.nt"),
                "capability target 'a.nt' is no endpoint (it is a notification)")
        rejects(cap(16, "notification", "a.ep"),
                "capability target 'a.ep' is no notification (it is an endpoint)")
        rejects(cap(16, "notification", "ep"),
                "capability target 'ep' is no notification (name them container.notification)")
        # what is there instead: a missing container (and its likely name), the objects of
        # the container named, a likely misspelling of one of them
        rejects(cap(16, "endpoint", "firts.ep"), "capability target 'firts.ep' is no endpoint "
                "(there is no container 'firts'; did you mean 'first'?)")
        rejects(cap(16, "endpoint", "a.output"),
                "capability target 'a.output' is no endpoint (container 'a' has endpoint ep)")
        rejects(cap(16, "endpoint", "a.epp"),
                "(container 'a' has endpoint ep; did you mean 'ep'?)")
        rejects(cap(16, "endpoint", "first.x"),
                "capability target 'first.x' is no endpoint (container 'first' has no endpoint)")
        rejects(cap(16, "endpoint", "a"),
                "capability target 'a' is no endpoint (name them container.endpoint, like 'a.ep')")
        rejects(cap(16, "endpoint", "ep"), "capability target 'ep' is no endpoint")
        rejects(cap(16, "endpoint", "first"), "capability target 'first' is no endpoint")
        rejects(cap(16, "endpoint", "first.ep"), "capability target 'first.ep' is no endpoint")
        rejects(cap(16, "endpoint", "a.nobody"), "capability target 'a.nobody' is no endpoint")
        rejects({"slot": 16, "type": "endpoint"}, "capability target 'None' is no endpoint")
        rejects(cap(16, "endpoint", 0), "capability target '0' is no endpoint")
        rejects(cap(16, "notification", ["a.nt"]), "capability target '['a.nt']' is no")

    def test_cap_to_an_object_of_another_container(self):
        c = cap(16, "endpoint", "last.ep", ["send"], badge=5)
        r = run(system(container("first"), container("a", caps=[c]),
                       container("last", endpoints=[obj("ep", 16)])))
        self.assertEqual(r.returncode, 0, r.stderr)  # the object comes later in the file
        self.assertEqual(decode(r.data)[3], [(1, 16, CAP_ENDPOINT, 4, 0, 0, 5)])

    def test_cap_badge_not_64_bit_unsigned(self):
        for badge in (-1, 1 << 64, 1 << 70, "42", True, [1]):
            self.reject_container(container("a", endpoints=[obj("x", 17)],
                                            caps=[cap(16, "endpoint", "a.x", badge=badge)]),
                                  "is not a 64-bit unsigned number")
        self.reject_container(container("a", notifications=[obj("x", 17)],
                                        caps=[cap(16, "notification", "a.x", badge=-5)]),
                              "badge -5 is not a 64-bit unsigned number")
        self.rejects('[[container]]\nname = "a"\nprogram = "p"\nendpoints = [{name = "x", '
                     'slot = 17}]\ncaps = [{slot = 16, type = "endpoint", target = "a.x", '
                     'badge = 1.0}]\n', "container 'a'", "badge 1.0 is not a 64-bit unsigned")

    def test_cap_badge_on_container(self):
        for badge in (1, 42, U64_MAX):
            self.reject_container(container("a", caps=[cap(16, "container", "first",
                                                           badge=badge)]),
                                  "container capabilities have no badge")

    def test_cap_unknown_right(self):
        c = cap(16, "container", "first", ["copy", "write"])
        self.reject_container(container("a", caps=[c]), "right 'write' unknown for container",
                              "copy, grant, control, inspect, receive")
        self.reject_container(container("a", endpoints=[obj("x", 17)],
                                        caps=[cap(16, "endpoint", "a.x", ["send", "signal"])]),
                              "right 'signal' unknown for endpoint",
                              "copy, grant, send, receive")
        self.reject_container(container("a", notifications=[obj("x", 17)],
                                        caps=[cap(16, "notification", "a.x", ["send"])]),
                              "right 'send' unknown for notification",
                              "copy, grant, signal, wait")
        self.reject_container(container("a", caps=[cap(16, "container", "first", [4])]),
                              "right '4' unknown for container")
        self.reject_container(container("a", caps=[cap(16, "container", "first", [["copy"]])]),
                              "right '['copy']' unknown for container")

    def test_cap_rights_not_an_array(self):
        c = {"slot": 16, "type": "container", "target": "first", "rights": "copy"}
        self.reject_container(container("a", caps=[c]), "rights must be an array of names")
        c = {"slot": 16, "type": "container", "target": "first", "rights": 4}
        self.reject_container(container("a", caps=[c]), "rights must be an array of names")

    def test_more_caps_than_the_kernel_takes(self):
        conts = [container(f"c{i}", pools={"capslots": 1024},
                           caps=[cap(16 + j, "container", "c0") for j in range(256 + (i == 5))])
                 for i in range(32)]
        self.reject_system(system(*conts),
                           "the containers hold 8193 capabilities; the kernel takes at most 8192")

    def test_more_objects_than_the_kernel_takes(self):
        conts = [container(f"c{i}", pools={"endpoints": 32, "notifications": 1},
                           endpoints=[obj(f"e{j}", 16 + j) for j in range(32)],
                           notifications=[obj("n", 60)] if i == 31 else [])
                 for i in range(32)]
        self.reject_system(system(*conts), "the containers own 1025 endpoints and notifications; "
                                           "the kernel takes at most 1024")

    # --- the file

    def test_toml_syntax_error(self):
        for text in ("[[container]\nname = \"a\"\n", "[[container]]\nname = a\n",
                     "[[container]]\nname = \"a\"\nname = \"b\"\n"):
            r = run(text)
            self.assertNotEqual(r.returncode, 0)
            self.assertTrue(r.stderr.startswith("mksystem: "), r.stderr)
            self.assertNotIn("Traceback", r.stderr)
            self.assertIsNone(r.data)

    def test_not_utf8(self):
        r = run(None, raw=b'[[container]]\nname = "\xff"\nprogram = "p"\n')
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(f"mksystem: {r.path}: cannot be read: it is not UTF-8 text (byte 0xff "
                         "at offset 22); a system file is TOML\n", r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertIsNone(r.data)

    def test_integer_too_long_to_read(self):
        r = run('[[container]]\nname = "a"\nprogram = "p"\nmemory = ' + "1" * 5000 + "\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"mksystem: {r.path}: cannot be read", r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertIsNone(r.data)

    def test_missing_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run([PYTHON, str(SCRIPT), os.path.join(tmp, "none.toml"),
                                   os.path.join(tmp, "out.sys")], capture_output=True, text=True)
            self.assertFalse(os.path.exists(os.path.join(tmp, "out.sys")))
        self.assertNotEqual(proc.returncode, 0)
        self.assertTrue(proc.stderr.startswith("mksystem: "), proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)


def toml(*lines):
    return "".join(l + "\n" for l in lines)


C = ('[[container]]', 'name = "a"', 'program = "p"')  # lines 1..3 of most files below


class Messages(unittest.TestCase):
    """The messages of docs/system-files.md "What the checker refuses": each names the key,
    says what is wrong with its value, and points at the line of the key (not the header)."""

    def says(self, text, line, message):
        r = run(text)
        self.assertNotEqual(r.returncode, 0, "accepted")
        self.assertNotIn("Traceback", r.stderr)
        at = f"{r.path}:{line}: " if line else f"{r.path}: "
        self.assertEqual(r.stderr, f"mksystem: {at}{message}\n")
        self.assertIsNone(r.data)

    # --- top-level keys and tables

    def test_unknown_top_level_key(self):
        also = "(a system file has [[container]] tables and the keys 'ram' and 'machine')"
        self.says(toml('rma = "256M"', *C), 1, f"unknown top-level key 'rma' (did you mean "
                                               f"'ram'?) {also}")
        self.says(toml(*C, "", "[bar]", "x = 1"), 5, f"unknown table [bar] {also}")
        self.says(toml("# a comment", "foo = 1", *C), 2, f"unknown top-level key 'foo' {also}")
        self.says(toml("[[containers]]", 'name = "a"', 'program = "p"'), 1,
                  f"unknown table [[containers]] (did you mean [[container]]?) {also}")
        self.says(toml(*C, "[[bar]]", "x = 1"), 4, f"unknown table [[bar]] {also}")

    def test_unknown_key_did_you_mean(self):
        self.says(toml(*C, 'progam = "p"'), 4,
                  "container 'a': unknown key 'progam' (did you mean 'program'?)")
        self.says(toml(*C, "pools = { thread = 3 }"), 4, "container 'a': unknown pool 'thread' "
                  "(did you mean 'threads'?) (pools are threads, spaces, endpoints, "
                  "notifications, capslots, pagetables, tableslots)")

    # --- sizes and ram

    def test_sizes_in_gigabytes(self):
        for ram in ("1G", "2G", "3G", "510G"):  # 510G: the direct map's 512G less the hole
            ok = run(toml(f'ram = "{ram}"', *C, 'memory = "1M"'))
            self.assertEqual(ok.returncode, 0, ok.stderr)
        self.says(toml('ram = "511G"', *C), 1, "ram 511G is more than the kernel can use: it "
                  "maps RAM below 512G (DIRECT_MAP_SIZE in kernel/arch/x86_64/include/"
                  "arch_layout.h), and a machine puts the RAM above 2G or 3G at 4G, so at most "
                  "510G")
        self.says(toml(f'ram = {510 * 1024 ** 3 + 1}', *C), 1, "ram 547608330241 is more than "
                  "the kernel can use: it maps RAM below 512G (DIRECT_MAP_SIZE in "
                  "kernel/arch/x86_64/include/arch_layout.h), and a machine puts the RAM above 2G "
                  "or 3G at 4G, so at most 510G")
        self.says(toml(*C, 'shared = [{ name = "m", slot = 16, size = "300G" }]'), 4,
                  "container 'a': shared memory 'm' size must be a multiple of 4K, from 4K to "
                  "256G (the kernel's limit, SYSDESC_MAX_MEMORY)")
        self.says(toml(*C, 'memory = "257G"'), 4,
                  "container 'a': memory must be at most 256G (the kernel's limit, "
                  "SYSDESC_MAX_MEMORY)")
        r = run(toml(*C, 'memory = "2G"'))  # within the kernel's limit, not the machine's 256M
        self.assertIn("the containers need 2101884K of RAM", r.stderr)
        self.says(toml('ram = "1T"', *C), 1, "ram '1T' is not a size like 256K, 2M or 1G")

    # --- types and values: the key, the type, the default

    def test_wrong_types_name_key_and_type(self):
        self.says(toml(*C, 'endpoints = [{ name = "e", slot = "16" }]'), 4,
                  "container 'a': slot must be an integer, not a string (\"16\")")
        self.says(toml(*C, 'priority = "high"'), 4,
                  "container 'a': priority must be an integer 0..255, not a string (\"high\")")
        self.says(toml(*C, "memory = 1", "priority = 300"), 5,
                  "container 'a': priority 300 must be 0..255")
        self.says(toml(*C, "ceiling = 50"), 4, "container 'a': priority 100 is above its ceiling "
                  "50 (100 is the default priority: set priority to 50 or less)")

    def test_duplicate_container_name_gives_both_lines(self):
        self.says(toml(*C, "", "[[container]]", 'program = "p"', 'name = "a"'), 7,
                  "container 'a': name used twice: container #0 has it too (first at line 1)")

    def test_object_name_clash_names_both(self):
        self.says(toml(*C, 'endpoints = [{ name = "out", slot = 16 }]',
                       'notifications = [{ name = "out", slot = 17 }]'), 5,
                  "container 'a': notification name 'out' is taken by its endpoint 'out': "
                  "endpoints, notifications and shared memory of a container need different "
                  "names")

    def test_irq_errors(self):
        self.says(toml(*C, "irqs = [{ line = 4, slot = 16 }]", "", "[[container]]", 'name = "b"',
                       'program = "p"', "memory = \"1M\"", "irqs = [{ slot = 16, line = 4 }]"),
                  10, "container 'b': irqs: line 4 already belongs to container 'a' (an "
                     "interrupt line has one driver)")
        self.says(toml(*C, 'memory = "1M"', "irqs = [{ line = 99 }]"), 5,
                  "container 'a': irqs: line 99 must be 0..23 (the I/O APIC lines the kernel "
                  "hands out, SYSDESC_IRQ_LINES)")

    def test_slot_errors_point_at_the_slot(self):
        self.says(toml(*C, "endpoints = [{ name = \"e\", slot = 16 }]",
                       "ioports = [{ base = 0x3f8, count = 8, slot = 16 }]"), 5,
                  "container 'a': slot 16 used twice")
        self.says(toml(*C, 'memory = "1M"', "endpoints = [{ name = \"e\", slot = 3 }]"), 5,
                  "container 'a': slot 3 outside 16..63 (slots 0..15 are the well-known ones)")

    def test_ioport_overlap_points_at_the_range(self):
        self.says(toml(*C, "ioports = [{ base = 0x3f8, count = 8, slot = 16 }]", "",
                       "[[container]]", 'name = "b"', 'program = "p"', 'memory = "1M"',
                       "ioports = [{ base = 0x3fc, count = 4, slot = 16 }]"), 10,
                  "container 'b': I/O ports 0x3fc..0x3ff overlap those of container 'a'")

    def test_pool_totals_name_the_largest(self):
        text = toml('ram = "1G"', *C, "pools = { threads = 40000 }", "", "[[container]]",
                    'name = "b"', 'program = "p"', "pools = { threads = 30000 }")
        self.says(text, 5, "the threads pools add up to 70000 threads; thread ids tell at most "
                  "65533 apart in 2 containers (SYSDESC_MAX_THREAD_BLOCKS); container 'a' has "
                  "the largest pool, 40000 threads")

    # --- the file: TOML errors keep file:line:col, a missing file lists the systems

    def test_toml_errors_keep_line_and_column(self):
        self.says(toml(*C, 'args = "open'), "4:13", "the line ends inside a string (a quote "
                                                   "is missing)")
        self.says(toml(*C, 'name = "b"'), "4:11", "a key is given twice (or a table and a key "
                                                 "share a name)")
        r = run(toml(*C, "x = {"))
        self.assertRegex(r.stderr, rf"^mksystem: {re.escape(r.path)}:4:\d+: ")

    def test_missing_file_lists_the_systems(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.run([PYTHON, str(SCRIPT), os.path.join(tmp, "nosuch.toml"),
                                os.path.join(tmp, "o.sys")], capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertRegex(p.stderr, r"nosuch.toml: there is no such file \(SYSTEM is a name in "
                                   r"systems/ or a path; systems/ has [a-z0-9, -]*\bdefault\b")
        self.assertNotIn("Traceback", p.stderr)


class Limits(unittest.TestCase):
    """The checker's limits come from the kernel's headers and the configuration in use."""

    def setUp(self):
        self.m = load_module()

    def test_header_constants(self):
        import syslimits
        self.assertEqual(syslimits.c_int("(64u << 20) /* bytes */"), 64 << 20)
        self.assertEqual(syslimits.c_int("0x40000000"), 1 << 30)
        self.assertIsNone(syslimits.c_int('"x86_64"'))
        self.assertIsNone(syslimits.c_int("__import__('os')"))
        self.assertIsNone(syslimits.c_int(""))

    def test_read_from_the_kernel_headers(self):
        with tempfile.TemporaryDirectory() as tmp:
            h = pathlib.Path(tmp, "h.h")
            h.write_text("#define A 3\n#define  B (A)\n#define C (1u << 4) /* x */\n"
                         "#define D 0x10\n")
            import syslimits
            self.assertEqual(syslimits.header_defines(str(h)), {"A": 3, "C": 16, "D": 16})
        self.assertEqual((self.m.MAX_CONTAINERS, self.m.MAX_SLOTS, self.m.MAX_MEMORY,
                          self.m.MAX_CAPS, self.m.MAX_OBJECTS, self.m.IRQ_LINES, self.m.MAX_RAM),
                         (KERNEL_MAX_CONTAINERS, KERNEL_MAX_SLOTS, KERNEL_MAX_MEMORY, KERNEL_MAX_CAPS,
                          KERNEL_MAX_OBJECTS, 24, 510 << 30))
        self.assertEqual(self.m.DIRECT_MAP, 512 << 30)
        self.assertEqual((self.m.MAGIC, self.m.VERSION), (MAGIC, VERSION))

    def test_unreadable_headers_are_a_message(self):
        import syslimits
        with mock.patch.object(syslimits, "kernel_defines", side_effect=OSError("gone")), \
                self.assertRaises(SystemExit) as e:
            self.m.kernel_limits()
        self.assertIn("mksystem: cannot read the kernel's limits", str(e.exception.code))


REAL_PROGRAMS = sorted(p.name for p in (SCRIPT.parents[1] / "user").iterdir()
                       if p.is_dir() and p.name != "lib")


class Build(unittest.TestCase):
    """--build DIR: programs must exist, and the boot modules fit the configured kernel."""

    def run_build(self, text, max_modules=None, elfs=()):
        with tempfile.TemporaryDirectory() as build:
            if max_modules is not None:
                os.makedirs(os.path.join(build, "gen"))
                pathlib.Path(build, "gen", "kconfig.h").write_text(
                    f"#define CONFIG_QEMU_EXIT 1\n#define CONFIG_MAX_BOOT_MODULES {max_modules}\n")
            os.makedirs(os.path.join(build, "user"))
            for e in elfs:
                pathlib.Path(build, "user", e + ".elf").write_bytes(b"")
            return run(text, "--build", build)

    def test_missing_program_named_with_line(self):
        r = self.run_build(toml(*C[:2], 'memory = "1M"', 'program = "consol"'))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"{r.path}:4: container 'a': no program 'consol' (did you mean "
                      "'console'?): there is no user/consol/ (programs: ", r.stderr)
        self.assertIsNone(r.data)

    def test_built_program_without_source_accepted(self):
        r = self.run_build(toml(*C), elfs=["p"])
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_without_build_programs_are_not_checked(self):
        self.assertEqual(run(toml(*C)).returncode, 0)

    def sixteen(self, programs):
        return "".join(toml("[[container]]", f'name = "c{i}"', f'program = "{p}"', 'memory = "64K"',
                            'region = "4K"', "pools = { threads = 1, pagetables = 8 }")
                       for i, p in enumerate(programs))

    def test_boot_modules_over_the_configured_limit(self):
        progs = REAL_PROGRAMS[:16]
        self.assertEqual(len(progs), 16)
        r = self.run_build(self.sixteen(progs), max_modules=16)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("16 different programs and the system module make 17 boot modules, but "
                      "the kernel takes at most 16 (CONFIG_MAX_BOOT_MODULES in ", r.stderr)
        self.assertIn("kconfig.h: raise it with make menuconfig, or let containers share "
                      "programs)", r.stderr)
        self.assertIsNone(r.data)
        # the same programs in fewer modules, or a kernel configured for more, pass
        self.assertEqual(self.run_build(self.sixteen(progs[:15] + progs[:1]),
                                        max_modules=16).returncode, 0)
        self.assertEqual(self.run_build(self.sixteen(progs), max_modules=17).returncode, 0)


def load_module():
    spec = importlib.util.spec_from_file_location("mksystem_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Output(unittest.TestCase):
    """The output file is the whole description or is not there."""

    def main(self, module, src, out):
        err = io.StringIO()
        with mock.patch.object(sys, "argv", ["mksystem.py", src, out]), \
                contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as e:
            module.main()
        return e.exception.code

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.src = os.path.join(self.tmp.name, "system.toml")
        self.out = os.path.join(self.tmp.name, "out.sys")
        pathlib.Path(self.src).write_text(system(container("a")), encoding="utf-8")

    def tearDown(self):
        self.tmp.cleanup()

    def test_encoded_before_the_file_is_opened(self):
        module = load_module()
        opened = []

        def encode(*args):
            opened.append(os.path.exists(self.out))
            raise RuntimeError("encoding failed")
        module.encode = encode
        with mock.patch.object(sys, "argv", ["mksystem.py", self.src, self.out]), \
                self.assertRaises(RuntimeError):
            module.main()
        self.assertEqual(opened, [False])
        self.assertFalse(os.path.exists(self.out))

    def test_failed_write_leaves_no_file(self):
        module = load_module()
        real_open = builtins.open

        class Full(io.FileIO):
            def write(self, data):
                super().write(data[:100])  # part of it, then the disk is full
                raise OSError(28, "No space left on device")

        def fake_open(path, mode="r", *args, **kw):
            if path == self.out and "w" in mode:
                return Full(path, "w")
            return real_open(path, mode, *args, **kw)
        with mock.patch.object(builtins, "open", fake_open):
            code = self.main(module, self.src, self.out)
        self.assertEqual(code, "mksystem: [Errno 28] No space left on device")
        self.assertFalse(os.path.exists(self.out))

    def test_unwritable_output_reported(self):
        for out in (os.path.join(self.tmp.name, "no", "such", "dir.sys"), self.tmp.name):
            proc = subprocess.run([PYTHON, str(SCRIPT), self.src, out], capture_output=True,
                                  text=True)
            self.assertNotEqual(proc.returncode, 0)
            self.assertTrue(proc.stderr.startswith("mksystem: "), proc.stderr)
            self.assertNotIn("Traceback", proc.stderr)
        self.assertTrue(os.path.isdir(self.tmp.name))

    def test_written_whole(self):
        r = run(system(container("a")))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(r.data), 24 + 160)


class FaultKeys(unittest.TestCase):
    """fault and foreign_syscalls: the first thread's fault endpoint (the slot of a capability
    the container holds that may send to it) and its foreign system call mode."""

    def says(self, text, line, message):
        Messages.says(self, text, line, message)

    def encoded(self, text):
        r = run(text)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [c[14:16] for c in decode(r.data)[1]]

    EMU = ('[[container]]', 'name = "emu"', 'program = "p"',
           'endpoints = [{ name = "ep", slot = 20 }, { name = "other", slot = 21 }]')
    SEND = '{ slot = 17, type = "endpoint", target = "emu.ep", rights = ["send"], badge = 3 }'

    def test_encoded(self):
        modes = {"off": 0, "unknown": 1, "all": 2}
        for mode, n in modes.items():
            self.assertEqual(self.encoded(toml(*self.EMU, *C, f'caps = [{self.SEND}]',
                                               'fault = "emu.ep"',
                                               f'foreign_syscalls = "{mode}"')),
                             [(0, 0), (17, n)])
        # its own endpoint: the object's slot; a fault endpoint without foreign calls
        self.assertEqual(self.encoded(toml(*self.EMU, 'fault = "emu.other"')), [(21, 0)])
        # foreign_syscalls = "off" needs no fault endpoint; a receive-only capability beside the
        # sending one is no ambiguity
        self.assertEqual(self.encoded(toml(
            *self.EMU, *C, 'foreign_syscalls = "off"')), [(0, 0), (0, 0)])
        recv = '{ slot = 18, type = "endpoint", target = "emu.ep", rights = ["receive"] }'
        self.assertEqual(self.encoded(toml(*self.EMU, *C, f'caps = [{recv}, {self.SEND}]',
                                           'fault = "emu.ep"', 'foreign_syscalls = "all"')),
                         [(0, 0), (17, 2)])

    def test_mode_refused(self):
        known = '"off", "unknown", "all"'
        self.says(toml(*C, 'foreign_syscalls = "everything"'), 4,
                  f'container \'a\': foreign_syscalls "everything" unknown (known: {known})')
        self.says(toml(*C, 'foreign_syscalls = "unknwon"'), 4,
                  'container \'a\': foreign_syscalls "unknwon" unknown (did you mean '
                  f"'unknown'?) (known: {known})")
        self.says(toml(*C, 'foreign_syscalls = 2'), 4,
                  f"container 'a': foreign_syscalls must be a string ({known}), not an integer (2)")
        self.says(toml(*C, 'foreign_syscalls = true'), 4,
                  f"container 'a': foreign_syscalls must be a string ({known}), not a boolean "
                  "(true)")

    def test_mode_needs_a_fault_endpoint(self):
        for mode in ("unknown", "all"):
            self.says(toml(*C, 'memory = "256K"', f'foreign_syscalls = "{mode}"'), 5,
                      f'container \'a\': foreign_syscalls = "{mode}" needs a fault endpoint for '
                      'its calls to go to: set fault = "container.endpoint"')

    def test_fault_refused(self):
        self.says(toml(*C, 'fault = 16'), 4, "container 'a': fault must be a string naming an "
                  'endpoint ("container.endpoint"), not an integer (16)')
        self.says(toml(*self.EMU, *C, 'fault = "emu.ep2"'), 8,
                  "container 'a': fault 'emu.ep2' is no endpoint (container 'emu' has endpoint "
                  "ep, other; did you mean 'ep'?)")
        self.says(toml(*self.EMU, *C, 'fault = "emo.ep"'), 8,
                  "container 'a': fault 'emo.ep' is no endpoint (there is no container 'emo'; "
                  "did you mean 'emu'?)")
        self.says(toml(*C, 'notifications = [{ name = "n", slot = 16 }]', 'fault = "a.n"'), 5,
                  "container 'a': fault 'a.n' is no endpoint (it is a notification)")

    def test_fault_needs_a_capability_that_may_send(self):
        fix = ('give it a capability in caps, { slot = N, type = "endpoint", target = "emu.ep", '
               'rights = ["send"] }, as thread_configure\'s L4_THREAD_FAULT_EP needs')
        self.says(toml(*self.EMU, *C, 'fault = "emu.ep"', 'foreign_syscalls = "all"'), 8,
                  f"container 'a': fault 'emu.ep': the container may not send to it: {fix}")
        recv = '{ slot = 18, type = "endpoint", target = "emu.ep", rights = ["receive"] }'
        self.says(toml(*self.EMU, *C, f'caps = [{recv}]', 'fault = "emu.ep"'), 9,
                  "container 'a': fault 'emu.ep': the container may not send to it (its "
                  f"capability in slot 18 lacks 'send'): {fix}")
        two = '{ slot = 19, type = "endpoint", target = "emu.ep", rights = ["send"] }'
        self.says(toml(*self.EMU, *C, f'caps = [{self.SEND}, {two}]', 'fault = "emu.ep"'), 9,
                  "container 'a': fault 'emu.ep': it holds 2 capabilities that may send to it "
                  "(slots 17, 19): keep one, whose badge its fault messages carry")


if __name__ == "__main__":
    unittest.main()
