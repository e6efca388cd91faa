# SPDX-License-Identifier: BSD-2-Clause
"""How Coffer boots in QEMU: shared by runsystem.py (make run) and runtests.py (make test)."""
import os
import subprocess
import tomllib

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
EXIT_OK = 1  # isa-debug-exit: guest code 0 -> QEMU status (0 << 1) | 1


def load_system(path):
    with open(path, "rb") as f:
        system = tomllib.load(f)
    if not isinstance(system.get("modules"), list) or not system["modules"]:
        raise SystemExit(f"{path}: 'modules' must be a non-empty list of program names")
    return system


def module_arg(build, module):
    """'fault pf' -> 'build/user/fault.elf pf': the program's file, then its argument string."""
    name, _, args = module.partition(" ")
    elf = os.path.join(build, "user", name + ".elf")
    if not os.path.exists(elf):
        raise SystemExit(f"no program '{name}': {elf} does not exist (is user/{name}/ there?)")
    if "," in module:
        raise SystemExit(f"module '{module}': QEMU separates modules with commas; use none")
    return f"{elf} {args}" if args else elf


def command(build, modules, icount=False, serial="stdio", append=""):
    """The QEMU command line booting build/kernel.elf with user programs as modules."""
    initrd = ",".join(module_arg(build, m) for m in modules)
    accel = ["-accel", "tcg", "-cpu", "max"]
    if icount:
        accel += ["-icount", "shift=0,align=off"]
    return [QEMU, "-M", "microvm", *accel, "-m", "128M", "-nodefaults", "-display", "none",
            "-no-reboot", "-serial", serial,
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", os.path.join(build, "kernel.elf"), "-initrd", initrd] + \
        (["-append", append] if append else [])


def guest_code(status):
    """The code the kernel passed to arch_halt, or None if QEMU ended another way."""
    return (status - 1) // 2 if status % 2 == 1 else None


def run_captured(cmd, timeout):
    """Run QEMU, return (output text, exit status or None on timeout)."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.stdout.decode(errors="replace").replace("\r", ""), p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace").replace("\r", "")
        return out, None
