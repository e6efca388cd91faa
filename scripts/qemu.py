# SPDX-License-Identifier: BSD-2-Clause
"""How Coffer boots in QEMU: shared by runsystem.py (make run) and runtests.py (make test)."""
import os
import shlex
import subprocess
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import syslimits  # noqa: E402

# the architecture booted: the Makefile exports ARCH (x86_64 unless it says otherwise)
ARCH = syslimits.ARCH


def env_words(name, default=""):
    """Environment variable name split like a shell would; a clear error if it cannot be."""
    try:
        return shlex.split(os.environ.get(name, default))
    except ValueError as e:
        raise SystemExit(f"{name}: {e}")


# QEMU may carry flags of its own ("qemu-system-x86_64 -d int")
QEMU = env_words("QEMU", f"qemu-system-{ARCH}")
# what -kernel loads: multiboot's ELF32 on x86_64; on AArch64 the raw arm64 Image
KERNEL_IMAGE = {"x86_64": "kernel.elf", "aarch64": "kernel.bin"}

# The kernel's arch_halt(code) passes QEMU HALT_MARKER + code (code 0..31), so that no status
# of QEMU's own (0, and 1 when it fails) reads as a halt. On x86_64 it writes the value to
# isa-debug-exit, which makes QEMU exit with (value << 1) | 1: 65..127. On AArch64 it is the
# status of semihosting's SYS_EXIT_EXTENDED (ADP_Stopped_ApplicationExit), which QEMU exits
# with as it is: 32..63 (docs/aarch64.md "Halting").
HALT_MARKER = 0x20
HALT_CODES = {0: "all threads finished", 2: "stuck: threads left, none can run",
              3: "kernel panic"}


MKSYSTEM = os.path.join(os.path.dirname(__file__), "mksystem.py")


def system_from_modules(modules):
    """A system file for a plain list of "program [args]": one default container each."""
    out, seen = [], {}
    for m in modules:
        prog, _, args = m.partition(" ")
        seen[prog] = seen.get(prog, 0) + 1
        name = prog if seen[prog] == 1 else f"{prog}{seen[prog]}"
        out.append(f'[[container]]\nname = "{name}"\nprogram = "{prog}"\nargs = "{args}"\n')
    return "\n".join(out)


class SystemRefused(SystemExit):
    """The checker refused a system file and printed why. Left uncaught it ends the program
    with the checker's status and no traceback (a traceback would bury the message); a caller
    that goes on (make test, make iso) catches it."""


def checker(*args, **kw):
    """Run mksystem.py; raise SystemRefused if it refuses the system."""
    p = subprocess.run([sys.executable, MKSYSTEM, *args], **kw)
    if p.returncode:
        raise SystemRefused(p.returncode)
    return p


def build_system(build, system_path):
    """Check the system file and write its boot description; returns (sys file, programs)."""
    name = os.path.splitext(os.path.basename(system_path))[0]
    out = os.path.join(build, "systems", name, "system.bin")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    checker(system_path, out, "--build", build)
    progs = checker(system_path, out, "--programs", stdout=subprocess.PIPE, text=True).stdout
    return out, progs.split()


def ram_size(system_path):
    """QEMU's -m for a system: its 'ram' (default 256M), in whole MiB. Call it once the
    checker has passed the file."""
    import mksystem
    with open(system_path, "rb") as f:
        ram = mksystem.machine_ram(system_path, tomllib.load(f))
    return f"{(ram + (1 << 20) - 1) >> 20}M"


def machine(system_path):
    """QEMU's -M for a system: its 'machine' (default microvm). Call it once the checker has
    passed the file."""
    import mksystem
    with open(system_path, "rb") as f:
        return mksystem.machine(system_path, tomllib.load(f))


def kernel_image(build):
    """The file QEMU's -kernel loads from a build directory, for ARCH."""
    return os.path.join(build, KERNEL_IMAGE[ARCH])


def boot_pack(build, system_path, modules):
    """AArch64's one -initrd: the modules ("path [args]", as x86_64's -initrd lists them) in a
    boot pack, BUILD/<system>.pack (scripts/mkbootpack.py); its path."""
    import mkbootpack
    name = os.path.splitext(os.path.basename(system_path))[0]
    out = os.path.join(build, name + ".pack")
    try:
        mkbootpack.write(out, modules, mkbootpack.max_modules(build))
    except mkbootpack.PackError as e:
        raise SystemExit(f"mkbootpack: {e}")
    return out


def command(build, system_path, icount=False, serial="stdio", append="", kernel=None,
            icount_sleep=True):
    """The QEMU command line booting kernel_image(build) (or kernel) with a system and its
    programs. icount_sleep=False keeps the virtual clock from running on while the guest
    waits (icount's sleep=off): it then advances only with guest instructions."""
    sysfile, progs = build_system(build, system_path)
    elfs = []
    for p in progs:
        elf = os.path.join(build, "user", p + ".elf")
        if not os.path.exists(elf):
            raise SystemExit(f"no program '{p}': {elf} does not exist (is user/{p}/ there?)")
        elfs.append(elf)
    accel = ["-accel", "tcg", "-cpu", "cortex-a57" if ARCH == "aarch64" else "max"]
    if icount:
        accel += ["-icount", "shift=0,align=off" + ("" if icount_sleep else ",sleep=off")]
    if ARCH == "aarch64":  # the halt code leaves through semihosting (HALT_MARKER)
        initrd, halt = boot_pack(build, system_path, [sysfile] + elfs), ["-semihosting"]
    else:
        initrd = ",".join([sysfile] + elfs)
        halt = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    return [*QEMU, "-M", machine(system_path), *accel, "-m", ram_size(system_path), "-nodefaults",
            "-display", "none", "-no-reboot", "-serial", serial, *halt,
            "-kernel", kernel or kernel_image(build), "-initrd", initrd] + \
        (["-append", append] if append else [])


def user_command(build, system_path, serial):
    """command() for make run and make debug, with the user's own additions from the
    environment: APPEND (the kernel command line, e.g. "ipc=slow") and QEMUFLAGS (more QEMU
    options, split like a shell would, e.g. "-d int -D build/qemu.log")."""
    flags = env_words("QEMUFLAGS")
    return command(build, system_path, serial=serial,
                   append=os.environ.get("APPEND", "").strip()) + flags


def guest_code(status, arch=None):
    """The code the kernel passed to arch_halt, or None if QEMU ended another way (status
    None: it was stopped, or timed out). arch: ARCH unless given."""
    if status is None:
        return None
    if (arch or ARCH) == "aarch64":
        value = status
    elif status % 2 == 0:
        return None
    else:
        value = status >> 1
    return value - HALT_MARKER if HALT_MARKER <= value < 2 * HALT_MARKER else None


def describe_end(status):
    """How a QEMU run ended, in words: the kernel's halt code, or QEMU's own status."""
    if status is None:
        return "timed out"
    code = guest_code(status)
    if code is None:
        return f"QEMU exited with status {status} without a kernel halt"
    return f"kernel halted with code {code} ({HALT_CODES.get(code, 'unknown code')})"


def run_fed(cmd, timeout, steps, until=None):
    """run_captured() that also types into the guest's serial port: steps is a list of
    (regex, text); once the output (carriage returns removed) matches regex after where the
    previous step's matched, text goes to QEMU's standard input (the -serial stdio port).
    Once the output matches the regex until (if given), QEMU is killed and the status is None,
    as for a timeout: the caller has seen what it waited for (or that it will never come)."""
    import re
    import select
    import time
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    deadline, raw, pos, todo = time.monotonic() + timeout, b"", 0, list(steps)
    status = None
    while True:
        text = raw.decode(errors="replace").replace("\r", "")
        while todo:
            m = re.compile(todo[0][0], re.M).search(text, pos)
            if not m:
                break
            pos = m.end()
            try:
                p.stdin.write(todo.pop(0)[1].encode("latin-1"))
                p.stdin.flush()
            except BrokenPipeError:
                todo = []
        left = deadline - time.monotonic()
        if left <= 0 or (until and re.search(until, text, re.M)):
            p.kill()
            break
        ready, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
        if ready:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                status = p.wait()
                break
            raw += chunk
    if status is None:
        p.wait()
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    p.stdout.close()
    return raw.decode(errors="replace").replace("\r", ""), status


def run_captured(cmd, timeout):
    """Run QEMU, return (output text, exit status or None on timeout)."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.stdout.decode(errors="replace").replace("\r", ""), p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace").replace("\r", "")
        return out, None


def cdrom_command(cmd, iso):
    """command()'s QEMU line changed to boot a GRUB image (scripts/mkiso.py) from a CD drive.

    -M pc: microvm has no CD drive and no BIOS disk boot; SeaBIOS boots the CD, GRUB loads
    the kernel and modules the image holds, so -kernel, -initrd and -append go (a kernel
    command line lies in the image's grub.cfg). A VGA card as on a PC: without one, GRUB's
    multiboot loader prints "error: Can't get controller info" (it asks the VGA BIOS for
    text mode), although the kernel itself only uses the serial port.
    """
    out, args = [], iter(cmd)
    for a in args:
        if a in ("-kernel", "-initrd", "-append"):
            next(args)
            continue
        out.append("pc" if a == "microvm" else a)
    return out + ["-vga", "std", "-cdrom", iso, "-boot", "d"]
