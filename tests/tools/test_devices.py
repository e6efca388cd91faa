# SPDX-License-Identifier: BSD-2-Clause
"""Tests of device memory in system files (scripts/mksystem.py `devices`, the top-level
`machine`): the encoding, every rejection with its file:line, --authority and --graph.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))
from test_system_features import DOT, Case, cap, container, run, system  # noqa: E402

CAP_MEMORY, DEVICE = 5, 0xffffffff  # include/coffer/cap.h; SYSDESC_DEVICE
READ, WRITE, COPY, GRANT = 4, 8, 1, 2
HPET = 0xfed00000


def dev(name, base, size, slot, **more):
    return {"name": name, "base": base, "size": size, "slot": slot, **more}


class Devices(Case):
    def test_encoded_as_device_memory_caps(self):
        _, _, objs, caps = self.decoded(
            container("timer", devices=[dev("hpet", HPET, "4K", 16),
                                        dev("fb", 0xfd000000, "16M", 17, rights=["read"])]),
            container("b", devices=[dev("x", 0xfe000000, 8192, 20,
                                        rights=["copy", "grant", "read", "write"])]))
        self.assertEqual(objs, [])  # devices are no objects: nothing is carved for them
        # holder, slot, type, rights, target (SYSDESC_DEVICE), pages, base (in the badge)
        self.assertEqual(caps, [
            (0, 16, CAP_MEMORY, READ | WRITE, DEVICE, 1, HPET),  # read and write by default
            (0, 17, CAP_MEMORY, READ, DEVICE, 4096, 0xfd000000),
            (1, 20, CAP_MEMORY, COPY | GRANT | READ | WRITE, DEVICE, 2, 0xfe000000),
        ])

    def test_devices_take_no_ram(self):
        # 8M of RAM holds the kernel and one small container, and a 1G device besides
        self.accepts(system(container("a", memory="64K", region="4K",
                                      pools={"threads": 1, "spaces": 1, "pagetables": 4},
                                      devices=[dev("big", 0x100000000, "1G", 16)]), ram="8M"))

    def test_machine(self):
        for m in ("microvm", "pc", "q35"):
            with self.subTest(machine=m):
                self.accepts(system(container("a"), machine=m))
        r = self.rejects(system(container("a"), machine="q53"),
                         "machine \"q53\" unknown (did you mean 'q35'?) (known: microvm, pc, q35)")
        self.assertIn(f"{r.path}:1: ", r.stderr)
        self.rejects(system(container("a"), machine=35), "machine 35 unknown")

    def test_qemu_boots_the_machine(self):
        import qemu
        with tempfile.TemporaryDirectory() as tmp:
            for text, want in ((system(container("a"), machine="q35"), "q35"),
                               (system(container("a"), machine="pc"), "pc"),
                               (system(container("a")), "microvm")):
                path = pathlib.Path(tmp, "s.toml")
                path.write_text(text)
                self.assertEqual(qemu.machine(str(path)), want)

    def test_unknown_key(self):
        self.reject_container(container("a", devices=[dev("h", HPET, "4K", 16, bass=1)]),
                              "devices: unknown key 'bass' (did you mean 'base'?)")
        self.reject_container(container("a", devices=[dev("h", HPET, "4K", 16, count=1)]),
                              "devices: unknown key 'count'")

    def test_name(self):
        self.reject_container(container("a", devices=[{"base": HPET, "size": "4K", "slot": 16}]),
                              "devices: a device needs a name (a non-empty string)")
        self.reject_container(container("a", devices=[dev("", HPET, "4K", 16)]),
                              "devices: a device needs a name")
        self.reject_container(container("a", devices=[dev(7, HPET, "4K", 16)]),
                              "devices: a device needs a name")
        self.reject_container(container("a", devices=[dev("h", HPET, "4K", 16),
                                                      dev("h", HPET + 4096, "4K", 17)]),
                              "devices: name 'h' used twice")

    def test_base(self):
        for base in (HPET + 0x800, -4096, "0xfed00000", True, None):
            with self.subTest(base=base):
                d = dev("h", base, "4K", 16)
                if base is None:
                    del d["base"]
                self.reject_container(container("a", devices=[d]),
                                      "devices: 'h' base must be a page-aligned physical address")

    def test_size(self):
        top = 1 << 52  # SYSDESC_DEVICE_TOP: what a page-table entry holds
        for base, size in ((HPET, 0), (HPET, "6K"), (HPET, 100), (HPET, None), (top, "4K"),
                           (top - 4096, "8K")):
            with self.subTest(base=base, size=size):
                d = dev("h", base, size, 16)
                if size is None:
                    del d["size"]
                self.reject_container(container("a", devices=[d]),
                                      "devices: 'h' size must be a multiple of 4K, at least "
                                      "4K, and the range must end by 0x10000000000000")
        self.accepts(system(container("a", devices=[dev("h", top - 4096, "4K", 16)])))
        self.reject_container(container("a", devices=[dev("h", HPET, "4 K", 16)]),
                              "size '4 K' is not a size like 256K, 2M or 1G")

    def test_never_executable(self):
        self.reject_container(container("a", devices=[dev("h", HPET, "4K", 16,
                                                          rights=["read", "exec"])]),
                              "devices: 'h' may not have 'exec': device memory is never "
                              "mapped executable")

    def test_rights(self):
        self.reject_container(container("a", devices=[dev("h", HPET, "4K", 16,
                                                          rights=["red"])]),
                              "right 'red' unknown for memory (did you mean 'read'?)")
        self.reject_container(container("a", devices=[dev("h", HPET, "4K", 16, rights="read")]),
                              "rights must be an array of names")

    def test_slot_errors(self):
        self.reject_container(container("a", devices=[{"name": "h", "base": HPET,
                                                       "size": "4K"}]),
                              "slot missing: give it a slot 16..63")
        self.reject_container(container("a", caps=[cap(16, "container", "a")],
                                        devices=[dev("h", HPET, "4K", 16)]), "slot 16 used twice")
        self.reject_container(container("a", devices=[dev("h", HPET, "4K", 64)]),
                              "slot 64 outside 16..63")

    def test_not_an_array_of_tables(self):
        self.reject_container(container("a", devices=dev("h", HPET, "4K", 16)),
                              "'devices' must be an array of tables like [{name = \"hpet\"")

    def test_ram_it_knows_of(self):
        low = "overlaps conventional RAM below 640K 0x0..0x9ffff"
        high = ("overlaps RAM from 1M (the kernel, then the containers' RAM; ram = 256M) "
                "0x100000..0xfffffff")
        for base, size, why in ((0, "4K", low), (0x9f000, "4K", low), (0x9f000, "8K", low),
                                (0x100000, "4K", high), (0xff000, "8K", high),
                                (0xffff000, "4K", high), (0, "4G", low)):
            with self.subTest(base=base, size=size):
                self.reject_container(container("a", devices=[dev("h", base, size, 16)]),
                                      f"devices: 'h' {base:#x}..", why)
        # the legacy VGA window and ROMs lie between, and nothing past the end of RAM is RAM
        self.accepts(system(container("a", devices=[dev("vga", 0xa0000, "128K", 16),
                                                    dev("rom", 0xc0000, "256K", 17),
                                                    dev("above", 0x10000000, "4K", 18)])))
        self.rejects(system(container("a", devices=[dev("h", 0x10000000, "4K", 16)]),
                            ram="512M"), "overlaps RAM from 1M", "ram = 512M")

    def test_ram_above_2g(self):
        import mksystem
        self.assertEqual(mksystem.known_ram(256 << 20)[1][:2], (1 << 20, 256 << 20))
        self.assertEqual([r[:2] for r in mksystem.known_ram(3 << 30)],
                         [(0, 0xa0000), (1 << 20, 2 << 30), (4 << 30, 5 << 30)])

    def test_kernel_devices(self):
        for base, size, what, page in ((0xfee00000, "4K", "the local APIC", 0xfee00000),
                                       (0xfec00000, "4K", "the I/O APIC", 0xfec00000),
                                       (0xfedff000, "8K", "the local APIC", 0xfee00000),
                                       (0xfe000000, "32M", "the local APIC", 0xfee00000)):
            with self.subTest(base=base):
                self.reject_container(container("a", devices=[dev("h", base, size, 16)]),
                                      f"overlaps {what}'s page, which the kernel uses "
                                      f"{page:#x}..{page + 0xfff:#x}")
        self.accepts(system(container("a", devices=[dev("h", 0xfee01000, "4K", 16),
                                                    dev("i", 0xfec01000, "4K", 17),
                                                    dev("j", 0xfebff000, "4K", 18)])))

    def test_overlap_between_devices(self):
        r = self.rejects(system(container("timer", devices=[dev("hpet", HPET, "4K", 16)]),
                                container("x"),
                                container("spy", devices=[dev("peek", HPET, "8K", 16)])),
                         "container 'spy': devices: 'peek' 0xfed00000..0xfed01fff overlaps "
                         "device 'hpet' 0xfed00000..0xfed00fff of container 'timer' (a device "
                         "has one driver)")
        self.assertRegex(r.stderr, r"system.toml:\d+: ")
        self.rejects(system(container("a", devices=[dev("one", HPET, "8K", 16),
                                                    dev("two", HPET + 4096, "4K", 17)])),
                     "container 'a': devices: 'two' 0xfed01000..0xfed01fff overlaps device "
                     "'one' 0xfed00000..0xfed01fff of container 'a'")
        self.accepts(system(container("a", devices=[dev("one", HPET, "4K", 16)]),
                            container("b", devices=[dev("two", HPET + 4096, "4K", 16),
                                                    dev("three", HPET - 4096, "4K", 17)])))

    def test_message_points_at_the_base(self):
        text = ('[[container]]\nname = "a"\nprogram = "p"\ndevices = [\n'
                '  { name = "ok", base = 0xfed00000, size = "4K", slot = 16 },\n'
                '  { name = "apic", base = 0xfee00000, size = "4K", slot = 17 },\n]\n')
        r = run(text)
        self.assertEqual(r.stderr, f"mksystem: {r.path}:6: container 'a': devices: 'apic' "
                                   "0xfee00000..0xfee00fff overlaps the local APIC's page, "
                                   "which the kernel uses 0xfee00000..0xfee00fff\n")

    def test_authority_and_graph(self):
        text = system(container("timer", devices=[dev("hpet", HPET, "4K", 16,
                                                      rights=["grant", "read"])]),
                      container("b", caps=[cap(16, "container", "timer", ["receive"])]))
        r = self.accepts(text, "--authority")
        self.assertIn("  memory       device 0xfed00000..0xfed00fff grant,read\n", r.stdout)
        # b may hand the timer capabilities, not the other way: the device stays with it
        self.assertEqual(r.stdout.count("device 0xfed00000"), 1, r.stdout)
        if DOT is None:
            self.skipTest("no graphviz")
        g = run(text, graph="g.dot").graph.decode()
        self.assertIn('"device 0xfed00000..0xfed00fff" [shape=component];', g)
        self.assertIn('"timer" -> "device 0xfed00000..0xfed00fff" [label="grant,read (slot 16)"];',
                      g)


if __name__ == "__main__":
    unittest.main()
