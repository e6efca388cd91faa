# SPDX-License-Identifier: BSD-2-Clause
"""The scripts with ARCH=aarch64: QEMU's command line (virt, the boot pack, semihosting), the
halt code as this QEMU really passes it, and the checker's AArch64 rules for system files.

The scripts run in a copy of what they read (archtree.py), with ARCH in their environment as
the Makefile exports it.

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import archtree  # noqa: E402

ROOT = archtree.ROOT
sys.path.insert(0, str(ROOT / "scripts"))
import mkbootpack  # noqa: E402
import qemu  # noqa: E402

EM_X86_64, EM_AARCH64 = 62, 183
GIB = 1 << 30

# print the QEMU command line qemu.py makes, one argument a line: build, system[, icount]
SHOW = """
import sys
sys.path.insert(0, "scripts")
import qemu
print("\\n".join(qemu.command(sys.argv[1], sys.argv[2], icount=len(sys.argv) > 3)))
"""


class Tree(unittest.TestCase):
    """A copy of the scripts and their headers, and a build directory for AArch64 in it."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tree = archtree.make(tmp.name)
        self.build = self.tree / "build" / "aarch64"
        (self.build / "gen").mkdir(parents=True)
        (self.build / "user").mkdir()
        (self.build / "gen" / "kconfig.h").write_text("#define CONFIG_MAX_BOOT_MODULES 17\n")
        archtree.elf(self.build / "user" / "echo.elf", EM_AARCH64)

    def script(self, *args, arch="aarch64"):
        status, out = archtree.run(self.tree, args, arch=arch)
        self.assertNotIn("Traceback", out)
        return status, out

    def system(self, text, *extra, arch="aarch64"):
        """mksystem.py on a system file holding text: (status, output)."""
        path = self.tree / "s.toml"
        path.write_text(text)
        return self.script("scripts/mksystem.py", str(path), "/dev/null", *extra, arch=arch)

    def refused(self, text, message, arch="aarch64"):
        status, out = self.system(text, arch=arch)
        self.assertEqual(status, 1, out)
        self.assertIn(message, out)
        self.assertEqual(len(out.strip().splitlines()), 1, out)

    def accepted(self, text, arch="aarch64"):
        status, out = self.system(text, arch=arch)
        self.assertEqual((status, out), (0, ""))


def container(*lines, name="a"):
    return "\n".join(["[[container]]", f'name = "{name}"', 'program = "echo"', *lines]) + "\n"


def device(base, size="4K", name="d", slot=16):
    return f'devices = [{{ name = "{name}", base = {base:#x}, size = "{size}", slot = {slot} }}]'


class Command(Tree):
    def command(self, *extra):
        status, out = archtree.run(self.tree, [str(self.build), "systems/echo.toml", *extra],
                                   code=SHOW)
        self.assertEqual(status, 0, out)
        return out.splitlines()

    def test_virt_semihosting_raw_image_and_a_pack(self):
        args = self.command()
        after = {a: args[i + 1] for i, a in enumerate(args[:-1]) if a.startswith("-")}
        self.assertEqual(args[0], "qemu-system-aarch64")
        self.assertEqual((after["-M"], after["-cpu"], after["-m"]), ("virt", "cortex-a57", "256M"))
        self.assertIn("-semihosting", args)
        self.assertNotIn("-device", args)  # x86_64's isa-debug-exit
        self.assertEqual(after["-kernel"], str(self.build / "kernel.bin"))
        self.assertEqual(after["-initrd"], str(self.build / "echo.pack"))
        self.assertNotIn("-icount", args)

    def test_the_pack_holds_the_description_and_the_program(self):
        self.command()
        data = (self.build / "echo.pack").read_bytes()
        mods = mkbootpack.read(data)
        self.assertEqual([(m[0], m[1]) for m in mods], [("system", ""), ("echo", "")])
        described = (self.build / "systems" / "echo" / "system.bin").read_bytes()
        for (name, _, offset, size), want in zip(mods, [described,
                                                        (self.build / "user" / "echo.elf")
                                                        .read_bytes()]):
            self.assertEqual(data[offset:offset + size], want, name)

    def test_icount_as_on_x86_64(self):
        args = self.command("icount")
        self.assertEqual(args[args.index("-icount") + 1], "shift=0,align=off")

    def test_a_program_of_the_other_architecture_is_refused(self):
        archtree.elf(self.build / "user" / "echo.elf", EM_X86_64)
        status, out = archtree.run(self.tree, [str(self.build), "systems/echo.toml"], code=SHOW)
        self.assertEqual(status, 1)
        self.assertIn(f"container 'server': program 'echo': {self.build}/user/echo.elf is built "
                      "for x86_64, not aarch64 (ELF machine 62, not 183): build it with make "
                      "ARCH=aarch64", out)
        self.assertFalse((self.build / "echo.pack").exists())

    def test_more_modules_than_the_kernel_takes(self):
        (self.build / "gen" / "kconfig.h").write_text("#define CONFIG_MAX_BOOT_MODULES 1\n")
        status, out = archtree.run(self.tree, [str(self.build), "systems/echo.toml"], code=SHOW)
        self.assertEqual(status, 1)
        self.assertIn("make 2 boot modules, but the kernel takes at most 1", out)

    def test_x86_64_keeps_its_line(self):
        build = self.tree / "build"
        (build / "gen").mkdir()
        (build / "user").mkdir()
        (build / "gen" / "kconfig.h").write_text("#define CONFIG_MAX_BOOT_MODULES 17\n")
        archtree.elf(build / "user" / "echo.elf", EM_X86_64)
        status, out = archtree.run(self.tree, [str(build), "systems/echo.toml"], arch="x86_64",
                                   code=SHOW)
        self.assertEqual(status, 0, out)
        args = out.splitlines()
        self.assertEqual(args[:7], ["qemu-system-x86_64", "-M", "microvm", "-accel", "tcg",
                                    "-cpu", "max"])
        i = args.index("-device")
        self.assertEqual(args[i:i + 6], ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                                         "-kernel", f"{build}/kernel.elf", "-initrd",
                                         f"{build}/systems/echo/system.bin,"
                                         f"{build}/user/echo.elf"])
        self.assertNotIn("-semihosting", args)


class Halt(unittest.TestCase):
    def test_decoding_per_architecture(self):
        for status, x86, arm in ((65, 0, None), (71, 3, None), (127, 31, None), (32, None, 0),
                                 (35, None, 3), (63, None, 31), (0, None, None),
                                 (1, None, None), (64, None, None), (129, None, None),
                                 (31, None, None), (-9, None, None), (None, None, None)):
            with self.subTest(status=status):
                self.assertEqual(qemu.guest_code(status, "x86_64"), x86)
                self.assertEqual(qemu.guest_code(status, "aarch64"), arm)

    def semihosting_exit(self, reason, value):
        """QEMU's exit status when the guest calls SYS_EXIT_EXTENDED with (reason, value)."""
        with tempfile.TemporaryDirectory() as tmp:
            src, img = pathlib.Path(tmp, "exit.S"), pathlib.Path(tmp, "exit.elf")
            src.write_text("    .global _start\n_start:\n    adr x1, block\n"
                           "    mov x0, #0x20\n    hlt #0xf000\n1:  b 1b\n    .align 3\n"
                           f"block:\n    .quad {reason:#x}\n    .quad {value}\n")
            p = subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static",
                                "-Wl,-Ttext=0x40080000", str(src), "-o", str(img)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            self.assertEqual(p.returncode, 0, p.stdout)
            p = subprocess.run(["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m",
                                "64M", "-nodefaults", "-display", "none", "-no-reboot",
                                "-semihosting", "-kernel", str(img)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
            return p.returncode

    def test_this_qemus_semihosting_exit_decodes_to_the_code(self):
        """The kernel passes HALT_MARKER + code as ADP_Stopped_ApplicationExit's status."""
        for code in (0, 2, 3, 31):
            with self.subTest(code=code):
                status = self.semihosting_exit(0x20026, qemu.HALT_MARKER + code)
                self.assertEqual(qemu.guest_code(status, "aarch64"), code)
        # any other reason is QEMU's failure status, 1: no halt
        self.assertIsNone(qemu.guest_code(self.semihosting_exit(0x20023, 0x23), "aarch64"))


class Checker(Tree):
    def test_virt_is_the_default_and_only_machine(self):
        self.accepted(container())
        self.accepted('machine = "virt"\n' + container())
        for m in ("microvm", "pc", "q35"):
            with self.subTest(machine=m):
                self.refused(f'machine = "{m}"\n' + container(),
                             f'machine "{m}" is an x86_64 machine; aarch64 boots on virt')
        self.refused('machine = "virtt"\n' + container(),
                     "machine \"virtt\" unknown (did you mean 'virt'?) (known: virt)")
        status, out = archtree.run(self.tree, [], code="import sys; sys.path.insert(0, 'scripts');"
                                   " import qemu; print(qemu.machine('systems/echo.toml'))")
        self.assertEqual((status, out), (0, "virt\n"))

    def test_x86_64_refuses_virt(self):
        self.refused('machine = "virt"\n' + container(),
                     'machine "virt" is an aarch64 machine; x86_64 boots on microvm, pc or q35',
                     arch="x86_64")

    def test_no_io_ports(self):
        self.refused(container("ioports = [{ base = 0x3f8, count = 8, slot = 17 }]"),
                     "container 'a': ioports: aarch64 has no I/O ports (they are x86_64's): "
                     "reach a device through its memory, devices = [{ name = \"uart\"")
        self.accepted(container("ioports = [{ base = 0x3f8, count = 8, slot = 17 }]"),
                      arch="x86_64")

    def test_irq_lines_are_the_gics(self):
        self.accepted(container("irqs = [{ line = 1, slot = 17 }]"))
        self.accepted(container("irqs = [{ line = 23, slot = 17 }]"))  # the timer, CNTP
        self.refused(container("irqs = [{ line = 99, slot = 17 }]"),
                     "irqs: line 99 must be 0..23 (line n < 23 is the GIC's shared peripheral "
                     "interrupt SPI n, INTID 32 + n; line 23 is the physical timer CNTP, whose "
                     "binder reaches its registers, SYSDESC_IRQ_LINES)")

    def test_the_gic_is_the_kernels(self):
        for base, size, what, first, end in (
                (0x08000000, "4K", "the GIC distributor", 0x08000000, 0x08010000),
                (0x0800f000, "8K", "the GIC distributor", 0x08000000, 0x08010000),
                (0x08010000, "4K", "the GIC CPU interface", 0x08010000, 0x08020000),
                (0x08000000, "1M", "the GIC distributor", 0x08000000, 0x08010000),
                (0x08020000, "4K", "the GIC's MSI frame (GICv2m: a write raises any of its SPIs)",
                 0x08020000, 0x08021000)):
            with self.subTest(base=base, size=size):
                self.refused(container(device(base, size)),
                             f"overlaps {what}'s pages, which the kernel uses "
                             f"{first:#x}..{end - 1:#x}")
        # the PL011 is the console server's, the page past the GIC's MSI frame nobody's
        self.accepted(container(device(0x09000000)) + container(device(0x08021000), name="b"))

    def test_devices_below_what_an_entry_holds(self):
        # a descriptor holds bits 47:12 of a frame (bit 51 is the mapper id's): a device at
        # 2^51 + the PL031 mapped as the PL031 itself, its mappings tagged with a wrong mapper
        top = archtree.defines(self.tree, archtree.LAYOUT)["ARCH_PHYS_TOP"]
        self.assertEqual(top, 1 << 48)
        for base, size in ((top, "4K"), (top - 4096, "8K"), ((1 << 51) + 0x09010000, "4K")):
            with self.subTest(base=base, size=size):
                self.refused(container(device(base, size)),
                             f"devices: 'd' size must be a multiple of 4K, at least 4K, and the "
                             f"range must end by {top:#x} (what a page-table entry holds: "
                             "ARCH_PHYS_TOP)")
        self.accepted(container(device(top - 4096)))
        self.accepted(container(device(top)), arch="x86_64")  # 52 bits there

    def test_virt_ram_from_1g(self):
        ram = "RAM from 1G (the kernel, then the containers' RAM; ram = 256M)"
        for base in (GIB, GIB + (256 << 20) - 4096):
            with self.subTest(base=base):
                self.refused(container(device(base)), f"overlaps {ram}")
        self.accepted(container(device(GIB + (256 << 20))) +
                      container(device(GIB - 4096), name="b"))
        # x86_64's low RAM is no RAM on virt (flash lies there)
        self.accepted(container(device(0)))

    def test_most_ram(self):
        direct = archtree.defines(self.tree, archtree.LAYOUT)["DIRECT_MAP_SIZE"]
        most = min(direct - GIB, 255 * GIB)
        self.accepted(f"ram = {most}\n" + container())
        self.refused(f"ram = {most + 4096}\n" + container(),
                     f"(DIRECT_MAP_SIZE in kernel/arch/aarch64/include/arch_layout.h), and virt "
                     "puts the RAM at 1G and takes at most 255G, so at most ")

    def test_elf_machine_of_programs(self):
        build = self.tree / "build"
        (build / "user").mkdir(parents=True)
        archtree.elf(build / "user" / "echo.elf", EM_AARCH64)
        status, out = self.system(container(), "--build", str(build), arch="x86_64")
        self.assertEqual(status, 1)
        self.assertIn(f"program 'echo': {build}/user/echo.elf is built for aarch64, not x86_64 "
                      "(ELF machine 183, not 62): build it with make ARCH=x86_64", out)
        (build / "user" / "echo.elf").write_bytes(b"#!/bin/sh\n")  # the kernel's to refuse
        self.assertEqual(self.system(container(), "--build", str(build)), (0, ""))
        archtree.elf(build / "user" / "echo.elf", 40)  # EM_ARM
        status, out = self.system(container(), "--build", str(build), arch="aarch64")
        self.assertIn("is built for ELF machine 40, not aarch64", out)
        archtree.elf(build / "user" / "echo.elf", EM_AARCH64)
        self.assertEqual(self.system(container(), "--build", str(build)), (0, ""))


class Users(Tree):
    """The other scripts that boot a system."""

    def test_no_iso_for_aarch64(self):
        (self.build / "kernel.bin").write_bytes(b"")
        status, out = self.script("scripts/mkiso.py", "systems/echo.toml", str(self.build))
        self.assertEqual((status, out.strip()),
                         (1, "mkiso: a GRUB image boots PCs: there is none for ARCH=aarch64"))

    def test_debug_uses_gdb_multiarch(self):
        code = ("import sys; sys.path.insert(0, 'scripts'); import debugsystem; "
                "print(' '.join(debugsystem.gdb_command('B', 'S', 1234, None)[:4]))")
        for arch, want in (("aarch64", "gdb-multiarch -q -nx B/kernel64.elf"),
                           ("x86_64", "gdb -q -nx B/kernel64.elf")):
            with self.subTest(arch=arch):
                self.assertEqual(archtree.run(self.tree, [], arch=arch, code=code),
                                 (0, want + "\n"))

    def test_trace_and_test_kernels_are_the_raw_image(self):
        code = ("import sys; sys.path.insert(0, 'scripts'); import qemu; "
                "print(qemu.kernel_image('B/trace'))")
        self.assertEqual(archtree.run(self.tree, [], code=code), (0, "B/trace/kernel.bin\n"))
        self.assertEqual(archtree.run(self.tree, [], arch="x86_64", code=code),
                         (0, "B/trace/kernel.elf\n"))

    def test_fuzz_names_the_program_that_does_not_build(self):
        # make fuzz ARCH=aarch64 with a program of its system skipped there: mk/aarch64.mk's
        # reason, in one line, not the checker's complaint about the generated file
        (self.tree / "mk").mkdir()
        (self.tree / "mk" / "aarch64.mk").write_text("UARCH_SKIP += fuzz  # its stubs are x86\n")
        (self.tree / "systems" / "fuzz-virt.toml").write_text(
            container().replace('"echo"', '"fuzz"\nargs = "secs=1 seed=1 secs=1"'))
        status, out = self.script("scripts/fuzz.py", str(self.build), "1", "1")
        self.assertEqual((status, out.strip()),
                         (1, "fuzz: systems/fuzz-virt.toml does not run on aarch64: not built "
                             "for aarch64 (mk/aarch64.mk): fuzz: its stubs are x86"))
        self.assertFalse((self.build / "fuzz").exists())

    def test_fuzz_without_its_system_file_is_one_line(self):
        status, out = self.script("scripts/fuzz.py", str(self.build), "1", "1")
        self.assertEqual((status, out.strip()),
                         (1, "fuzz: systems/fuzz-virt.toml: no such file (the fuzz system for "
                             "aarch64)"))

    def test_unknown_arch_is_one_line(self):
        status, out = self.system(container(), arch="riscv64")
        self.assertEqual((status, out.strip()),
                         (1, "ARCH=riscv64: Coffer builds for x86_64 and aarch64"))


if __name__ == "__main__":
    unittest.main()
