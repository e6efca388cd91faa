# SPDX-License-Identifier: BSD-2-Clause
"""What a system file may hold on each architecture (ARCH, from the environment: the Makefile
exports it): QEMU's machines, where they put RAM, the devices the kernel drives itself, whether
there are I/O ports, and the ELF machine of programs. mksystem.py checks a file against the
facts of syslimits.ARCH; docs/system-files.md and docs/aarch64.md say the same in prose."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import syslimits  # noqa: E402

ARCH = syslimits.ARCH
OTHER = {"x86_64": "aarch64", "aarch64": "x86_64"}[ARCH]

# QEMU -M: microvm boots quickest; pc and q35 have an HPET. AArch64 boots on virt alone.
MACHINES = {"x86_64": ("microvm", "pc", "q35"), "aarch64": ("virt",)}
ELF_MACHINES = {"x86_64": 62, "aarch64": 183}  # EM_X86_64, EM_AARCH64
HAS_IOPORTS = ARCH == "x86_64"  # IN and OUT: AArch64 reaches every device through memory

# x86_64: where QEMU's machines (and PCs) put RAM: conventional memory below 640K, then from 1M
# (where the kernel is loaded) up; past LOW_RAM_MAX, a machine puts the rest above 4G.
LOW_RAM_END, HIGH_RAM_BASE, LOW_RAM_MAX, ABOVE_4G = 0xa0000, 1 << 20, 2 << 30, 4 << 30
# AArch64: virt's RAM is one range from 1G up (hw/arm/virt.c's memory map), at most 255G of it
VIRT_RAM_BASE, VIRT_RAM_MAX = 1 << 30, 255 << 30
# the GICv2 (virt's default): distributor and CPU interface, which only the kernel may drive.
# The PL011 (0x09000000) is not among them: the console server drives it from user level,
# as x86_64's drives the 16550's ports, while the kernel prints there too.
VIRT_GIC = [(0x08000000, 0x10000, "the GIC distributor"),
            (0x08010000, 0x10000, "the GIC CPU interface"),
            (0x08020000, 0x1000, "the GIC's MSI frame (GICv2m: a write raises any of its SPIs)")]
# AArch64: the last interrupt line is EL1's physical timer (CNTP, PPI 14), lent to its binder
# (kernel/arch/aarch64/cntp.c); the lines below it are SPIs. None on x86_64.
CNTP_LINE = syslimits.kernel_defines().get("ARCH_IRQ_LINE_CNTP")
# how far above its size a machine's RAM may end: the device hole below 4G on a PC, the 1G
# below virt's RAM
DEVICE_HOLE = {"x86_64": 2 << 30, "aarch64": VIRT_RAM_BASE}[ARCH]


def machines():
    return MACHINES[ARCH]


def machines_said(arch=ARCH):
    """'microvm, pc or q35': the machines of arch in words."""
    m = MACHINES[arch]
    return m[0] if len(m) == 1 else f"{', '.join(m[:-1])} or {m[-1]}"


def default_machine():
    return MACHINES[ARCH][0]


def other_machine(m):
    """The message for m, a QEMU -M name, if it is the other architecture's machine; None if
    it is not (one of ours, or nobody's)."""
    if m not in MACHINES[OTHER]:
        return None
    return f"machine \"{m}\" is an {OTHER} machine; {ARCH} boots on {machines_said()}"


def max_ram(direct_map):
    """The most RAM a system file may give its machine: the kernel uses RAM below direct_map
    (DIRECT_MAP_SIZE) only, and the RAM's end lies above its size by up to the hole."""
    most = direct_map - DEVICE_HOLE
    return min(most, VIRT_RAM_MAX) if ARCH == "aarch64" else most


def ram_why():
    """Why max_ram is what it is, for a message."""
    if ARCH == "aarch64":
        return "virt puts the RAM at 1G and takes at most 255G"
    return "a machine puts the RAM above 2G or 3G at 4G"


def known_ram(ram, human):
    """[(first, end, what)] the RAM a machine with ram bytes has, as far as the file tells."""
    if ARCH == "aarch64":
        return [(VIRT_RAM_BASE, VIRT_RAM_BASE + ram,
                 f"RAM from 1G (the kernel, then the containers' RAM; ram = {human(ram)})")]
    low = min(ram, LOW_RAM_MAX)
    out = [(0, LOW_RAM_END, "conventional RAM below 640K"),
           (HIGH_RAM_BASE, low, f"RAM from 1M (the kernel, then the containers' RAM; "
                                f"ram = {human(ram)})")]
    if ram > low:
        out.append((ABOVE_4G, ABOVE_4G + ram - low, "RAM above 4G"))
    return out


def kernel_devices(defines):
    """[(first, end, what)] of the devices the kernel drives itself: no container may have
    their memory. On x86_64 the kernel's own header names them (the local and I/O APIC)."""
    if ARCH == "aarch64":
        return [(base, base + n, f"{what}'s pages") for base, n, what in VIRT_GIC]
    return [(defines[name], defines[name] + 4096, f"{what}'s page")
            for name, what in (("ARCH_LAPIC_BASE", "the local APIC"),
                               ("ARCH_IOAPIC_BASE", "the I/O APIC"))]


def irq_lines_are():
    """What a system file's irqs line numbers name, for a message."""
    if ARCH == "aarch64":
        return (f"line n < {CNTP_LINE} is the GIC's shared peripheral interrupt SPI n, INTID "
                f"32 + n; line {CNTP_LINE} is the physical timer CNTP, whose binder reaches its "
                "registers")
    return "the I/O APIC lines the kernel hands out"


def elf_refusal(path):
    """Why the ELF file at path is no program for ARCH (another machine's), or None. A file
    that is no ELF file at all is the kernel's to refuse (elf_check, at boot)."""
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError as e:
        return f"{path} cannot be read: {e.strerror or e}"
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    machine = int.from_bytes(head[18:20], "little")
    if machine == ELF_MACHINES[ARCH]:
        return None
    other = {v: k for k, v in ELF_MACHINES.items()}.get(machine, f"ELF machine {machine}")
    return (f"{path} is built for {other}, not {ARCH} (ELF machine {machine}, not "
            f"{ELF_MACHINES[ARCH]}): build it with make ARCH={ARCH}")
