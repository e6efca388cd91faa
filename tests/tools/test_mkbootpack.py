# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/mkbootpack.py: the boot pack's layout, and a clear message for each refusal.

The kernel's reader of the same bytes has host tests (tests/host/test_bootpack.c, which reads
back a pack this script wrote).

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import pathlib
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "mkbootpack.py"
sys.path.insert(0, str(ROOT / "scripts"))
import mkbootpack  # noqa: E402

PYTHON = "/usr/bin/python3"
# kernel/include/bootpack.h, spelled out again: the script must agree with the kernel's header
MAGIC, VERSION, PAGE, HEADER_BYTES, ENTRY_BYTES = 0x50424643, 1, 4096, 24, 112


def header_define(name):
    """An integer #define of kernel/include/bootpack.h."""
    for line in (ROOT / "kernel" / "include" / "bootpack.h").read_text().splitlines():
        words = line.split()
        if words[:2] == ["#define", name]:
            return int(words[2].rstrip("u"), 0)
    raise KeyError(name)


class Files(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = pathlib.Path(tmp.name)

    def file(self, name, data):
        p = self.dir / name
        p.write_bytes(data)
        return str(p)

    def run_script(self, *args):
        p = subprocess.run([PYTHON, str(SCRIPT), *args], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        self.assertNotIn("Traceback", p.stdout)
        return p.returncode, p.stdout


class Layout(Files):
    def test_constants_match_the_kernel_header(self):
        self.assertEqual((header_define("BOOTPACK_MAGIC"), header_define("BOOTPACK_VERSION"),
                          header_define("BOOTPACK_ALIGN"), header_define("BOOTPACK_NAME_BYTES"),
                          header_define("BOOTPACK_ARGS_BYTES")),
                         (mkbootpack.MAGIC, mkbootpack.VERSION, mkbootpack.ALIGN,
                          mkbootpack.NAME_BYTES, mkbootpack.ARGS_BYTES))

    def test_header_entries_and_page_aligned_data(self):
        a = self.file("system.bin", b"S" * 5000)  # over a page
        b = self.file("echo.elf", b"E" * 10)
        status, out = self.run_script(str(self.dir / "p.pack"), "--max", "17", a,
                                      f"{b} client two")
        self.assertEqual(status, 0, out)
        data = (self.dir / "p.pack").read_bytes()
        magic, version, count, reserved, size = struct.unpack_from("<4IQ", data)
        self.assertEqual((magic, version, count, reserved), (MAGIC, VERSION, 2, 0))
        e = [struct.unpack_from("<32s64sQQ", data, HEADER_BYTES + i * ENTRY_BYTES)
             for i in range(2)]
        self.assertEqual(e[0], (b"system".ljust(32, b"\0"), b"\0" * 64, PAGE, 5000))
        self.assertEqual(e[1], (b"echo".ljust(32, b"\0"), b"client two".ljust(64, b"\0"),
                                3 * PAGE, 10))
        self.assertEqual(size, 3 * PAGE + 10)
        self.assertEqual(len(data), size)
        self.assertEqual(data[PAGE:PAGE + 5000], b"S" * 5000)
        self.assertEqual(data[3 * PAGE:], b"E" * 10)
        self.assertEqual(data[HEADER_BYTES + 2 * ENTRY_BYTES:PAGE].count(0), PAGE - 248)
        self.assertEqual(data[PAGE + 5000:3 * PAGE].count(0), 2 * PAGE - 5000)

    def test_limits_fit(self):
        name, args = "n" * 31, "a" * 63
        specs = [f"{self.file(name + '.elf', b'x')} {args}"] + \
                [self.file(f"m{i}", b"") for i in range(16)]
        self.assertEqual(self.run_script(str(self.dir / "p.pack"), "--max", "17", *specs)[0], 0)
        got = mkbootpack.read((self.dir / "p.pack").read_bytes())
        self.assertEqual(got[0][:2], (name, args))
        self.assertEqual(len(got), 17)

    def test_show(self):
        a = self.file("system.bin", b"x" * 3)
        self.run_script(str(self.dir / "p.pack"), "--max", "2", f"{a} k=v")
        status, out = self.run_script("--show", str(self.dir / "p.pack"))
        self.assertEqual((status, out.split()), (0, ["system", "0x1000", "3", "k=v"]))

    def test_max_from_the_build_configuration(self):
        os.makedirs(self.dir / "bld" / "gen")
        (self.dir / "bld" / "gen" / "kconfig.h").write_text("#define CONFIG_MAX_BOOT_MODULES 1\n")
        a, b = self.file("a", b""), self.file("b", b"")
        status, out = self.run_script(str(self.dir / "p.pack"), "--build", str(self.dir / "bld"), a)
        self.assertEqual(status, 0, out)
        status, out = self.run_script(str(self.dir / "p.pack"), "--build", str(self.dir / "bld"),
                                      a, b)
        self.assertEqual(status, 1)
        self.assertEqual(out.strip(), "mkbootpack: 2 modules, but the kernel takes at most 1 "
                                      "(CONFIG_MAX_BOOT_MODULES)")


class Refusals(Files):
    """Each refusal is one line, and no pack is left behind."""

    def refused(self, *specs, most="17"):
        out_path = self.dir / "p.pack"
        status, out = self.run_script(str(out_path), "--max", most, *specs)
        self.assertEqual(status, 1, out)
        self.assertFalse(out_path.exists())
        self.assertEqual(len(out.strip().splitlines()), 1, out)
        return out.strip()

    def test_name_too_long(self):
        p = self.file("n" * 32 + ".elf", b"")
        self.assertEqual(self.refused(p), f"mkbootpack: module '{p}': name '{'n' * 32}' is 32 "
                                          "bytes; at most 31 fit (bytes of UTF-8)")
        p = self.file("é" * 16, b"")  # 16 characters, 32 bytes
        self.assertIn("is 32 bytes; at most 31 fit", self.refused(p))

    def test_args_too_long(self):
        p = self.file("a", b"")
        self.assertEqual(self.refused(f"{p} {'x' * 64}"),
                         f"mkbootpack: module '{p} {'x' * 64}': args are 64 bytes; at most 63 "
                         "fit (bytes of UTF-8)")

    def test_too_many_modules(self):
        specs = [self.file(f"m{i}", b"") for i in range(4)]
        self.assertEqual(self.refused(*specs, most="3"),
                         "mkbootpack: 4 modules, but the kernel takes at most 3 "
                         "(CONFIG_MAX_BOOT_MODULES)")

    def test_no_name(self):
        p = self.file(".hidden", b"")
        self.assertIn("its file name gives no module name", self.refused(p))

    def test_missing_file(self):
        self.assertEqual(self.refused(str(self.dir / "nothere.elf")),
                         f"mkbootpack: module '{self.dir / 'nothere.elf'}': No such file or "
                         "directory")

    def test_bad_max_and_usage(self):
        self.assertIn("--max takes a number", self.refused(self.file("a", b""), most="x"))
        status, out = self.run_script(str(self.dir / "p.pack"))
        self.assertEqual(status, 1)
        self.assertIn("usage: mkbootpack.py", out)

    def test_no_module_in_the_function(self):
        with self.assertRaises(mkbootpack.PackError):
            mkbootpack.pack([], 17)

    def test_show_of_no_pack(self):
        status, out = self.run_script("--show", self.file("x", b"\0" * 64))
        self.assertEqual((status, out.strip()), (1, "mkbootpack: not a boot pack of version 1"))
        status, out = self.run_script("--show", self.file("y", b"\0"))
        self.assertEqual(status, 1)
        self.assertTrue(out.startswith("mkbootpack: "), out)


class Show(Files):
    """--show refuses, in one line, what the kernel's bootpack_read refuses (docs/aarch64.md)."""

    def damaged(self, change):
        """The output of --show on a good two-module pack after change(bytearray)."""
        a, b = self.file("system.bin", b"S" * 10), self.file("echo.elf", b"E" * 10)
        self.assertEqual(self.run_script(str(self.dir / "p.pack"), "--max", "2", a, b)[0], 0)
        data = bytearray((self.dir / "p.pack").read_bytes())
        change(data)
        status, out = self.run_script("--show", self.file("d.pack", bytes(data)))
        self.assertEqual(status, 1, out)
        self.assertEqual(len(out.strip().splitlines()), 1, out)
        return out.strip()

    def field(self, at, value, size=8):
        def change(data):
            data[at:at + size] = value.to_bytes(size, "little")
        return change

    def test_each_refusal(self):
        e1 = HEADER_BYTES + ENTRY_BYTES  # module 1's entry
        for what, change, message in (
                ("cut to 100 bytes", lambda d: d.__delitem__(slice(100, None)),
                 "cut short: its header says 8202 bytes, the file has 100"),
                ("header only in part", lambda d: d.__delitem__(slice(10, None)),
                 "cut short: 10 bytes, less than its 24-byte header"),
                ("reserved", self.field(12, 1, 4), "its reserved field is 0x1, not 0"),
                ("no module", self.field(8, 0, 4), "0 modules: none, or a module list"),
                ("list past the end", self.field(8, 100, 4), "100 modules: none, or a module"),
                ("name empty", self.field(e1, 0, 32), "module 1: its name empty or not NUL"),
                ("name not terminated", lambda d: d.__setitem__(slice(e1, e1 + 32), b"n" * 32),
                 "module 1: its name empty or not NUL-terminated within 32 bytes"),
                ("args not terminated", lambda d: d.__setitem__(slice(e1 + 32, e1 + 96),
                                                               b"a" * 64),
                 "or its args not within 64"),
                ("unaligned", self.field(e1 + 96, PAGE * 2 + 8), "module 1: bytes 0x2008+0xa"),
                ("over the one before", self.field(e1 + 96, PAGE), "module 1: bytes 0x1000+0xa"),
                ("over the list", self.field(HEADER_BYTES + 96, 0), "module 0: bytes 0x0+0xa"),
                ("past the end", self.field(e1 + 104, 11), "module 1: bytes 0x2000+0xb"),
                ("huge", self.field(e1 + 104, 2**64 - 1), "past the pack's 8202")):
            with self.subTest(what):
                self.assertIn(message, self.damaged(change))

    def test_build_dir_must_exist(self):
        status, out = self.run_script(str(self.dir / "p.pack"), "--build",
                                      str(self.dir / "nothere"), self.file("a", b""))
        self.assertEqual((status, out.strip()),
                         (1, f"mkbootpack: --build {self.dir / 'nothere'}: no such directory"))
        self.assertFalse((self.dir / "p.pack").exists())


if __name__ == "__main__":
    unittest.main()
