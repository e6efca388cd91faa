#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write a boot pack: every boot module in one file, for QEMU's one -initrd on AArch64.

usage: mkbootpack.py OUT.pack (--max N | --build DIR) MODULE...
       mkbootpack.py --show PACK

Each MODULE is "path [args]", as x86_64's multiboot -initrd list has them (scripts/qemu.py):
the module's name is the file name without directory or extension (build/user/echo.elf is
"echo"), its args what follows the first space. At most N modules (CONFIG_MAX_BOOT_MODULES:
with --build, read from the configuration of the kernel in DIR, as mksystem.py does).
--show prints what a pack holds, or why the kernel would refuse it. The layout is kernel/include/bootpack.h (docs/aarch64.md,
"Boot modules"); kernel/core/bootpack.c reads it.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import syslimits  # noqa: E402

MAGIC, VERSION, ALIGN = 0x50424643, 1, 4096  # kernel/include/bootpack.h
NAME_BYTES, ARGS_BYTES = 32, 64  # each with its NUL
HEADER = struct.Struct("<4IQ")  # magic, version, count, reserved, size
ENTRY = struct.Struct(f"<{NAME_BYTES}s{ARGS_BYTES}sQQ")  # name, args, offset, size


class PackError(Exception):
    """A module list that cannot become a pack, and why."""


def align(n):
    return (n + ALIGN - 1) // ALIGN * ALIGN


def module(spec):
    """(path, name, args) of one "path [args]"; PackError if it does not fit an entry."""
    path, _, args = spec.partition(" ")
    name = os.path.basename(path).partition(".")[0]
    if not name:
        raise PackError(f"module '{spec}': its file name gives no module name")
    if len(name.encode()) >= NAME_BYTES:
        raise PackError(f"module '{spec}': name '{name}' is {len(name.encode())} bytes; at most "
                        f"{NAME_BYTES - 1} fit (bytes of UTF-8)")
    if len(args.encode()) >= ARGS_BYTES:
        raise PackError(f"module '{spec}': args are {len(args.encode())} bytes; at most "
                        f"{ARGS_BYTES - 1} fit (bytes of UTF-8)")
    if "\0" in spec:
        raise PackError(f"module {spec!r}: a NUL character cannot be in a name or args")
    return path, name, args


def pack(specs, most):
    """The bytes of a pack of the modules specs ("path [args]" each), at most most of them."""
    if not specs:
        raise PackError("no module: a pack holds at least one (the system description)")
    if len(specs) > most:
        raise PackError(f"{len(specs)} modules, but the kernel takes at most {most} "
                        "(CONFIG_MAX_BOOT_MODULES)")
    entries, blobs = [], []
    offset = align(HEADER.size + len(specs) * ENTRY.size)
    for spec in specs:
        path, name, args = module(spec)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise PackError(f"module '{spec}': {e.strerror or e}") from None
        entries.append(ENTRY.pack(name.encode(), args.encode(), offset, len(data)))
        blobs.append((offset, data))
        offset = align(offset + len(data))
    size = blobs[-1][0] + len(blobs[-1][1])
    out = bytearray(size)
    out[:HEADER.size] = HEADER.pack(MAGIC, VERSION, len(specs), 0, size)
    for i, e in enumerate(entries):
        out[HEADER.size + i * ENTRY.size:HEADER.size + (i + 1) * ENTRY.size] = e
    for at, data in blobs:
        out[at:at + len(data)] = data
    return bytes(out)


def write(out, specs, most):
    """Write the pack to out, or leave no file behind; PackError if it cannot be made."""
    data = pack(specs, most)
    try:
        with open(out, "wb") as f:
            f.write(data)
    except OSError as e:
        if os.path.isfile(out):
            os.remove(out)
        raise PackError(f"{out}: {e.strerror or e}") from None


def read(data):
    """[(name, args, offset, size)] of a pack; PackError naming the first thing the kernel's
    bootpack_read would refuse it for (kernel/core/bootpack.c, docs/aarch64.md)."""
    if len(data) < HEADER.size:
        raise PackError(f"cut short: {len(data)} bytes, less than its {HEADER.size}-byte header")
    magic, version, count, reserved, size = HEADER.unpack_from(data)
    if magic != MAGIC or version != VERSION:
        raise PackError(f"not a boot pack of version {VERSION}")
    if reserved:
        raise PackError(f"its reserved field is {reserved:#x}, not 0")
    if size > len(data):
        raise PackError(f"cut short: its header says {size} bytes, the file has {len(data)}")
    end = HEADER.size + count * ENTRY.size
    if not count or end > size:
        raise PackError(f"{count} modules: none, or a module list running past its {size} bytes")
    out = []
    for i in range(count):
        name, args, offset, length = ENTRY.unpack_from(data, HEADER.size + i * ENTRY.size)
        if b"\0" not in name or name[0] == 0 or b"\0" not in args:
            raise PackError(f"module {i}: its name empty or not NUL-terminated within "
                            f"{NAME_BYTES} bytes, or its args not within {ARGS_BYTES}")
        if offset % ALIGN or offset < end or offset > size or length > size - offset:
            raise PackError(f"module {i}: bytes {offset:#x}+{length:#x} not page aligned, over "
                            f"the module list or the module before, or past the pack's {size}")
        end = offset + length
        out.append((name.partition(b"\0")[0].decode(errors="replace"),
                    args.partition(b"\0")[0].decode(errors="replace"), offset, length))
    return out


def max_modules(build):
    """CONFIG_MAX_BOOT_MODULES of the kernel configured in build (as mksystem.py reads it)."""
    config, source = syslimits.kconfig(build)
    most = config.get("CONFIG_MAX_BOOT_MODULES")
    if most is None:
        raise PackError(f"no CONFIG_MAX_BOOT_MODULES in {source}")
    return most


def main(argv):
    try:
        if len(argv) == 2 and argv[0] == "--show":
            with open(argv[1], "rb") as f:
                for name, args, offset, size in read(f.read()):
                    print(f"{name:<16} {offset:#10x} {size:10} {args}".rstrip())
            return 0
        if len(argv) < 4 or argv[1] not in ("--max", "--build") or argv[0].startswith("-"):
            sys.exit(__doc__)
        if argv[1] == "--max":
            if not argv[2].isdigit():
                sys.exit(f"mkbootpack: --max takes a number, not '{argv[2]}'")
            most = int(argv[2])
        else:
            if not os.path.isdir(argv[2]):
                sys.exit(f"mkbootpack: --build {argv[2]}: no such directory")
            most = max_modules(argv[2])
        write(argv[0], argv[3:], most)
    except PackError as e:
        sys.exit(f"mkbootpack: {e}")
    except (OSError, struct.error) as e:
        sys.exit(f"mkbootpack: {argv[-1]}: {getattr(e, 'strerror', None) or e}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
