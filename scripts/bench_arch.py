# SPDX-License-Identifier: BSD-2-Clause
"""make bench on ARCH (the Makefile exports it): what its counter is, which system says what
booting costs, and which of its systems cannot run there and why. A system runs where every
program it names builds; mk/ARCH.mk's UARCH_SKIP names the others, each with a comment saying
why, and that comment is the reason make bench prints for the rows such a system would give."""
import os
import re
import tomllib

import syslimits

ARCH = syslimits.ARCH
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_LINE = re.compile(r"^UARCH_SKIP\s*\+=\s*([^#]*)(?:#\s*(.*))?$")
# what a tick of the bench's counter is, under TCG with -icount shift=0 (docs/performance.md)
COUNTER = {"x86_64": "guest rdtsc ticks = instructions",
           "aarch64": "guest PMCCNTR_EL0 ticks = instructions"}
# what the kernel side of each floor row is, in the architecture's instructions
# (kernel/arch/ARCH/floor.S), in FLOOR_ROWS' order
FLOOR_WORDS = {
    "x86_64": ("SYSCALL to SYSRET", "rip, rflags, rsp saved, CR3, the other's loaded"),
    "aarch64": ("SVC to ERET", "ELR, SPSR, SP_EL0 saved, TTBR0+ASID, the other's loaded"),
}
DEFAULT_LINE = re.compile(r"^DEFAULT_SYSTEM\s*:?=\s*(\S+)")
# where the boot figure counts from: x86_64's TSC from the machine's reset (the firmware
# included), AArch64's cycle counter from its reset by the kernel (cpu.c, pmu_init: boot.S's
# instructions before it are not counted)
BOOT_FROM = {"x86_64": "reset", "aarch64": "pmu_init"}


def mk_matches(pattern, arch, root):
    """pattern's match on each line of mk/<arch>.mk (stripped) that it matches."""
    path = os.path.join(root, "mk", f"{arch}.mk")
    if not os.path.exists(path):
        return
    with open(path) as f:
        for line in f:
            m = pattern.match(line.strip())
            if m:
                yield m


def skipped(arch=None, root=ROOT):
    """{program: why} for every program mk/<arch>.mk (ARCH's if None) leaves out of its build."""
    out = {}
    for m in mk_matches(SKIP_LINE, arch or ARCH, root):
        for name in m.group(1).split():
            out[name] = (m.group(2) or "no reason given").strip()
    return out


LX_SKIP_LINE = re.compile(r"^LINUX_PROGS_SKIP\s*:?=\s*([^#]*)(?:#\s*(.*))?$")


def linux_why_not(program, arch=None, root=ROOT):
    """None if the Linux program (linux/, the personality's image) builds for arch (ARCH if
    None), else why not: mk/<arch>.mk's LINUX_PROGS_SKIP line names it, its comment the reason."""
    arch = arch or ARCH
    for m in mk_matches(LX_SKIP_LINE, arch, root):
        if program in m.group(1).split():
            why = (m.group(2) or "no reason given").strip()
            return f"{program}: not built for {arch} (mk/{arch}.mk LINUX_PROGS_SKIP): {why}"
    return None


def boot_system(arch=None, root=ROOT):
    """The system whose boot make bench reports: arch's default (mk/<arch>.mk's DEFAULT_SYSTEM,
    what make run boots: x86_64's drives PC devices, the PIT and the keyboard, that virt does
    not have, so AArch64's is systems/virt.toml), systems/default.toml if it names none."""
    name = "default"
    for m in mk_matches(DEFAULT_LINE, arch or ARCH, root):
        name = m.group(1)
    return f"systems/{name}.toml"


def system_for(system_path, arch=None, root=ROOT):
    """The system to run for system_path on arch: AArch64 runs systems/NAME-virt.toml (the
    same containers on virt's devices: the timer on CNTP's line instead of the PIT's ports)
    where there is one, every architecture system_path itself otherwise."""
    arch = arch or ARCH
    if arch == "aarch64":
        virt = re.sub(r"\.toml$", "-virt.toml", system_path)
        if os.path.exists(os.path.join(root, virt)):
            return virt
    return system_path


def programs(system_path):
    """The programs a system file names, in its order, each once."""
    with open(system_path, "rb") as f:
        system = tomllib.load(f)
    return list(dict.fromkeys(c["program"] for c in system.get("container", [])
                              if "program" in c))


def why_not(system_path, arch=None, root=ROOT):
    """None if every program of the system builds for arch (ARCH if None), else the reason it
    cannot run there."""
    arch = arch or ARCH
    skip = skipped(arch, root)
    missing = [p for p in programs(system_path) if p in skip]
    if not missing:
        return None
    return f"not built for {arch} (mk/{arch}.mk): " + \
        "; ".join(f"{p}: {skip[p]}" for p in missing)
