#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make iso: a BIOS-bootable GRUB image of one system, for a PC or QEMU's -cdrom.

usage: mkiso.py SYSTEM.toml BUILD [KERNEL-COMMAND-LINE]

Writes BUILD/<system>.iso: GRUB (grub-pc-bin, through grub-mkrescue and xorriso) loads
BUILD/kernel.elf with `multiboot` and the system's boot modules with `module`, in the order
scripts/qemu.py passes them to -initrd: the boot description first, then one ELF per program.
The kernel names each module after the first word of its module command line, without
directory or extension (kernel/arch/x86_64/multiboot.c); GRUB 2 passes the words after the
file name, so each `module` line ends with the module's name.
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

# grub-mkrescue builds a BIOS image only when GRUB's i386-pc modules are installed
GRUB_PC_DIR = "/usr/lib/grub/i386-pc"
ISO_DIR = "boot/coffer"  # where the kernel and modules lie inside the image


class IsoError(Exception):
    """An ISO that cannot be built, with a message for the user (never a traceback)."""


def grub_cfg(name, modules, append=""):
    """grub.cfg booting the kernel at once, its output and GRUB's own on the serial port.

    modules: (file name in ISO_DIR, module name) pairs in boot order.
    """
    lines = [
        "# written by scripts/mkiso.py: Coffer system " + name,
        "serial --unit=0 --speed=115200",
        "terminal_input serial console",
        "terminal_output serial console",
        "set timeout=0",
        "",
        f'menuentry "Coffer: {name}" {{',
        f'    echo "grub: booting Coffer system {name} ({len(modules)} modules)"',
        f"    multiboot /{ISO_DIR}/kernel.elf" + (f" {append}" if append else ""),
    ]
    lines += [f"    module /{ISO_DIR}/{f} {m}" for f, m in modules]
    return "\n".join(lines + ["}", ""])


def check_tools():
    """grub-mkrescue and what it needs for a BIOS image, or an IsoError saying what to install."""
    missing = [t for t in ("grub-mkrescue", "xorriso") if not shutil.which(t)]
    if not os.path.isdir(GRUB_PC_DIR):
        missing.append(f"{GRUB_PC_DIR} (GRUB's BIOS modules)")
    if missing:
        raise IsoError(f"missing {', '.join(missing)}: run make deps "
                       "(or apt-get install --no-install-recommends grub-pc-bin grub-common "
                       "xorriso)")


def make_iso(build, system_path, append=""):
    """Build BUILD/<system>.iso for a system file; returns its path."""
    if qemu.ARCH != "x86_64":
        raise IsoError(f"a GRUB image boots PCs: there is none for ARCH={qemu.ARCH}")
    check_tools()
    kernel = os.path.join(build, "kernel.elf")
    if not os.path.exists(kernel):
        raise IsoError(f"no kernel: {kernel} does not exist (run make images)")
    try:
        sysfile, progs = qemu.build_system(build, system_path)
    except qemu.SystemRefused:
        raise IsoError(f"{system_path}: the checker refused it (its message is above)")
    name = os.path.splitext(os.path.basename(system_path))[0]
    tree = os.path.join(build, "iso", name)
    shutil.rmtree(tree, ignore_errors=True)
    dest = os.path.join(tree, ISO_DIR)
    os.makedirs(dest)
    os.makedirs(os.path.join(tree, "boot", "grub"))
    shutil.copy(kernel, dest)
    shutil.copy(sysfile, os.path.join(dest, "system.bin"))
    modules = [("system.bin", "system")]
    for p in progs:
        elf = os.path.join(build, "user", p + ".elf")
        if not os.path.exists(elf):
            raise IsoError(f"no program '{p}': {elf} does not exist (is user/{p}/ there?)")
        shutil.copy(elf, dest)
        modules.append((p + ".elf", p))
    with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(grub_cfg(name, modules, append))
    iso = os.path.join(build, name + ".iso")
    # -d: the BIOS platform only, even where GRUB's EFI modules are installed too (an EFI
    # image would also need mtools, and the kernel expects a BIOS machine)
    p = subprocess.run(["grub-mkrescue", "-d", GRUB_PC_DIR, "-o", iso, tree],
                       stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise IsoError(f"grub-mkrescue failed (status {p.returncode}):\n{p.stdout}")
    return iso


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1].startswith("-"):
        sys.exit(__doc__)
    try:
        iso = make_iso(sys.argv[2], sys.argv[1], sys.argv[3] if len(sys.argv) == 4 else "")
    except IsoError as e:
        sys.exit(f"mkiso: {e}")
    print(f"iso: {iso}")


if __name__ == "__main__":
    main()
