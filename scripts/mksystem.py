#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check a system file and write the boot description the kernel builds containers from.

usage: mksystem.py SYSTEM.toml OUT.sys [--build DIR] [--programs | --authority | --graph FILE]
With --build, also check that every program is in user/ (or DIR/user/<program>.elf) and that
the boot modules fit the kernel configured in DIR/gen/kconfig.h (else .config, else defconfig).
With --programs, print the programs the system needs (one per line) instead of writing;
with --authority, what each container can ever reach through grant chains; with --graph,
also draw the capability graph into FILE (.svg, .png or .dot; Graphviz draws the first two).
The binary layout is include/coffer/sysdesc.h.
"""
import difflib
import os
import re
import struct
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sysarch  # noqa: E402
import sysauth  # noqa: E402
import syslines  # noqa: E402
import syslimits  # noqa: E402

TOP_KEYS = {"ram": "a size like \"512M\"", "machine": sysarch.machines_said(),
            "container": "[[container]] tables"}
MACHINES = sysarch.machines()  # QEMU -M, for the ARCH the scripts run for (sysarch.py)
POOLS = ["threads", "spaces", "endpoints", "notifications", "capslots", "pagetables"]
# beside the kinds: tableslots, the units of the capslots pool (slots of run-time tables; the
# kind's own entry, capslots, is the size of the container's table)
POOL_KEYS = POOLS + ["tableslots"]
DEFAULT_POOLS = {"threads": 16, "spaces": 4, "endpoints": 4, "notifications": 4,
                 "capslots": 64, "pagetables": 64, "tableslots": 0}
FIRST_FREE_SLOT = 16
DEFAULT_PRIORITY = 100


def kernel_limits():
    """The limits compiled into the kernel, from the headers it is built from (syslimits.py)."""
    try:
        k = syslimits.kernel_defines()
        return (k["SYSDESC_MAGIC"], k["SYSDESC_VERSION"], k["SYSDESC_MAX_CONTAINERS"],
                {"threads": k["SYSDESC_BYTES_THREAD"], "spaces": k["SYSDESC_BYTES_SPACE"],
                 "endpoints": k["SYSDESC_BYTES_ENDPOINT"],
                 "notifications": k["SYSDESC_BYTES_NOTIFICATION"],
                 "pagetables": k["SYSDESC_BYTES_PAGETABLE"],
                 "capslots": k["SYSDESC_BYTES_CAPSLOT"],
                 "tableslots": k["SYSDESC_BYTES_CAPSLOT"] + k["SYSDESC_BYTES_CAPTABLE"]},
                k["SYSDESC_BYTES_KSTACK"], k["SYSDESC_MAX_THREAD_BLOCKS"],
                k["SYSDESC_MAX_SLOTS"], k["SYSDESC_MAX_TABLESLOTS"],
                k["SYSDESC_MAX_MEMORY"], k["SYSDESC_MAX_CAPS"],
                k["SYSDESC_MAX_OBJECTS"], k["SYSDESC_IRQ_LINES"], k["DIRECT_MAP_SIZE"],
                k["SYSDESC_DEVICE"], min(k["SYSDESC_DEVICE_TOP"], k["ARCH_PHYS_TOP"]),
                sysarch.kernel_devices(k),
                k["SYSDESC_BYTES_CONTAINER"], k["SYSDESC_BYTES_BOOT_ENTRY"])
    except (OSError, KeyError) as e:
        sys.exit(f"mksystem: cannot read the kernel's limits from {syslimits.HEADERS}: {e}")


# include/coffer/sysdesc.h: kernel RAM per pool unit (SYSDESC_BYTES_*); a thread pool has one
# block more than its units, and thread ids tell at most MAX_THREAD_BLOCKS blocks apart;
# kernel/include/sysdesc.h: what kernel/core/sysdesc.c accepts; the direct map's size: the
# kernel uses RAM at physical addresses below it (kernel/arch/$ARCH/include/arch_layout.h);
# the devices the kernel drives itself (sysarch.py); the kernel RAM a
# container's record takes, and what the kernel keeps of each object and capability
(MAGIC, VERSION, MAX_CONTAINERS, UNIT_BYTES, KSTACK_BYTES, MAX_THREAD_BLOCKS, MAX_SLOTS,
 MAX_TABLESLOTS, MAX_MEMORY, MAX_CAPS, MAX_OBJECTS, IRQ_LINES, DIRECT_MAP, DEVICE_TARGET, DEVICE_TOP,
 KERNEL_DEVICES, CONTAINER_BYTES, BOOT_ENTRY_BYTES) = kernel_limits()
# QEMU's machines put the RAM above 3G (microvm, pc) or 2G (q35) at 4G, past a hole for
# devices, and virt puts it at 1G: a machine's RAM ends up to this much above its size, so
# 'ram' may be the direct map less it
DEVICE_HOLE = sysarch.DEVICE_HOLE
MAX_RAM = sysarch.max_ram(DIRECT_MAP)
NAME_BYTES, ARGS_BYTES = 15, 63  # char name[16], program[16], args[64]: room for the zero
CAP_TYPES = {"container": 1, "memory": 5, "endpoint": 7, "notification": 8}
IOPORT_TYPE, IRQ_TYPE, CLOCK_TYPE = 9, 10, 12
OBJECT_KINDS = {"endpoints": (1, "endpoint"), "notifications": (2, "notification"),
                "shared": (3, "memory")}
DEFAULT_REGION, DEFAULT_RAM = 64 * 1024, 256 << 20
KERNEL_RAM = 4 << 20  # kernel image, modules, firmware: set aside before containers
RIGHTS = {  # include/coffer/cap.h
    "container": {"copy": 1, "grant": 2, "control": 4, "inspect": 8, "receive": 16},
    "endpoint": {"copy": 1, "grant": 2, "send": 4, "receive": 8, "transfer": 16},
    "notification": {"copy": 1, "grant": 2, "signal": 4, "wait": 8},
    "memory": {"copy": 1, "grant": 2, "read": 4, "write": 8, "exec": 16},
    "ioport": {"copy": 1, "grant": 2, "read": 4, "write": 8},
    "irq": {"copy": 1, "grant": 2, "control": 4},
    "clock": {"copy": 1, "grant": 2, "set": 4},
    # the well-known slots' types, for first_table
    "thread": {"copy": 1, "grant": 2, "read": 4, "write": 8, "run": 16, "destroy": 32},
    "space": {"copy": 1, "grant": 2, "bind": 4, "map": 8},
    "debug": {"copy": 1, "grant": 2, "write": 4},
    "pool": {"copy": 1, "grant": 2, "alloc": 4},
}
CONTAINER_KEYS = {"name", "program", "args", "priority", "ceiling", "memory", "region", "debug",
                  "pools", "caps", "endpoints", "notifications", "shared", "ioports", "irqs",
                  "fault", "foreign_syscalls", "first_table", "devices", "clock", "copies"}
FOREIGN_MODES = {"off": 0, "unknown": 1, "all": 2}  # L4_FOREIGN_* (include/coffer/thread.h)
EP_SEND = 4  # L4_EP_SEND
CAP_KEYS = {"slot", "type", "target", "rights", "badge"}
FIRST_TABLE_KEYS = {"slots", "caps"}
FIRST_TABLE_CAP_KEYS = {"slot", "from", "rights", "units"}
THREAD_CAP = 0x100  # SYSDESC_THREAD_CAP: an entry of the first thread's own table
# what the kernel puts in the well-known slots: (type, rights), pools by kind from slot 4
WELL_KNOWN = {0: ("container", 8), 1: ("thread", 0x3f), 2: ("space", 0xf), 3: ("debug", 7),
              10: ("memory", 0x1f)}
POOL_SLOT_BASE = 4
# every type a system file's caps can hold (the clock too: a first table may be given it)
TYPE_NAMES = {1: "container", 5: "memory", 7: "endpoint", 8: "notification", 9: "ioport",
              10: "irq", 12: "clock"}
OBJECT_KEYS = {"name", "slot"}
SHARED_KEYS = {"name", "slot", "size"}
IOPORT_KEYS = {"base", "count", "slot", "rights"}
IRQ_KEYS = {"line", "slot", "rights"}
DEVICE_KEYS = {"name", "base", "size", "slot", "rights"}
CLOCK_KEYS = {"slot", "rights"}


class SystemError_(Exception):
    """A rejection: where (a container or the file), what is wrong, and hints: regexes for
    the line it is about (syslines.py); last: the last line they match is meant."""

    def __init__(self, where, msg, hints=(), last=False):
        super().__init__(f"{where}: {msg}")
        self.where, self.msg, self.hints, self.last = where, msg, list(hints), last


def fail(where, msg, *hints, last=False):
    raise SystemError_(where, msg, hints, last)


def key_at(key, v=None):
    """Hints for the line holding key = v (or any value), within its container."""
    out = []
    if is_int(v):
        out.append(rf"\b{key}\s*=\s*(0x)?0*({v}|{v:x})\b")
    elif isinstance(v, str):
        out.append(rf"\b{key}\s*=\s*[\"']{re.escape(v)}[\"']")
    return out + [rf"\b{key}\s*="]


def entry_at(key, v, *more):
    """Hints for the line of one entry of an array of tables: the line where key = v is
    followed by the keys in more (a bare key_at("rights") would find the first line with that
    key in the container, perhaps another entry's or another array's)."""
    tail = "".join(rf"[^\n]*\b{k}\s*=" for k in more)
    return [rf"\b{key}\s*=\s*[\"']{re.escape(v)}[\"']{tail}" if isinstance(v, str)
            else rf"\b{key}\s*=\s*(0x)?0*({v}|{v:x})\b{tail}" if is_int(v) else tail]


# A [container.first_table] table is a header, not a key = value line.
FIRST_TABLE_AT = [r"^\s*\[\s*container\s*\.\s*first_table\s*\]", r"\bfirst_table\s*="]


def is_int(v):
    """A TOML integer (TOML's true and false are Python ints too, but no numbers)."""
    return isinstance(v, int) and not isinstance(v, bool)


def toml_type(v):
    """What a TOML value is, in words."""
    for t, name in ((bool, "a boolean"), (int, "an integer"), (float, "a float"),
                    (str, "a string"), (list, "an array"), (dict, "a table")):
        if isinstance(v, t):
            return name
    return "a date or time"


def shown(v):
    """v as the file spells it (near enough): strings quoted."""
    return f'"{v}"' if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)


def integer(where, key, v, lo, hi, why="", label=None):
    """v, which must be an integer lo..hi, else a message naming key (as label, if given)
    and why the bound."""
    label = label or key
    if not is_int(v):
        fail(where, f"{label} must be an integer {lo}..{hi}, not {toml_type(v)} ({shown(v)})",
             *key_at(key))
    if not lo <= v <= hi:
        fail(where, f"{label} {v} must be {lo}..{hi}{why}", *key_at(key, v))
    return v


def close(word, choices, spelling="'{}'", form=" (did you mean {}?)"):
    """' (did you mean 'x'?)' for a likely typo of one of choices, or ''."""
    m = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return form.format(spelling.format(m[0])) if m else ""


def tables(where, c, key, example):
    """c[key], which must be an array of tables (an empty one if missing)."""
    v = c.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        fail(where, f"'{key}' must be an array of tables like [{example}]", *key_at(key))
    return v


SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def size(where, v, what="memory", hint=None):
    """'256K', '2M', '1G' or an integer number of bytes."""
    if is_int(v):
        return v
    m = re.fullmatch(r"(\d{1,20})([KMG]?)", v) if isinstance(v, str) else None
    if not m:
        fail(where, f"{what} '{v}' is not a size like 256K, 2M or 1G", *key_at(hint or what))
    return int(m.group(1)) * SIZE_UNITS[m.group(2)]


def human(n):
    """A size in bytes the way a system file would write it."""
    for unit in ("G", "M", "K"):
        if n and n % SIZE_UNITS[unit] == 0:
            return f"{n // SIZE_UNITS[unit]}{unit}"
    return str(n)


def check_container(i, c, names, blocks):
    if not isinstance(c, dict):
        fail(f"container #{i}", "must be a table: write [[container]]")
    name = c.get("name")
    where = f"container '{name}'" if isinstance(name, str) and name else f"container #{i}"
    for key in c:
        if key not in CONTAINER_KEYS:
            fail(where, f"unknown key '{key}'{close(key, CONTAINER_KEYS)}", *key_at(key))
    for key in ("name", "program"):
        v = c.get(key)
        if not isinstance(v, str) or not 1 <= len(v.encode()) <= NAME_BYTES:
            fail(where, f"'{key}' must be a name of 1..{NAME_BYTES} characters (bytes of UTF-8)",
                 *key_at(key))
        if "\0" in v:
            fail(where, f"'{key}' must not contain a NUL character", *key_at(key))
    if c["name"] in names:
        first = names[c["name"]]
        at = f" (first at line {blocks[first][0] + 1})" if first < len(blocks) and blocks[first] \
            else ""
        fail(where, f"name used twice: container #{first} has it too{at}",
             *key_at("name", c["name"]), last=True)
    names[c["name"]] = i
    prio = integer(where, "priority", c.get("priority", DEFAULT_PRIORITY), 0, 255)
    ceiling = integer(where, "ceiling", c.get("ceiling", prio), 0, 255)
    if prio > ceiling:
        default = "" if "priority" in c else \
            f" ({prio} is the default priority: set priority to {ceiling} or less)"
        fail(where, f"priority {prio} is above its ceiling {ceiling}{default}",
             *key_at("priority" if "priority" in c else "ceiling"))
    args = c.get("args", "")
    if not isinstance(args, str):
        fail(where, f"args must be a string, not {toml_type(args)}", *key_at("args"))
    if len(args.encode()) > ARGS_BYTES or "," in args:
        fail(where, "args must be under 64 characters, without commas (bytes of UTF-8)",
             *key_at("args"))
    if "\0" in args:
        fail(where, "'args' must not contain a NUL character", *key_at("args"))
    if not isinstance(c.get("debug", True), bool):
        fail(where, "'debug' must be true or false", *key_at("debug"))
    pools = dict(DEFAULT_POOLS)
    given = c.get("pools", {})
    if not isinstance(given, dict):
        fail(where, "'pools' must be a table like {threads = 4}", *key_at("pools"))
    for k, v in given.items():
        if k not in POOL_KEYS:
            fail(where, f"unknown pool '{k}'{close(k, POOL_KEYS)} (pools are "
                        f"{', '.join(POOL_KEYS)})", *key_at(k))
        if not is_int(v) or v < 0 or v >= 1 << 32:
            fail(where, f"pool '{k}' must be a non-negative integer below 2^32", *key_at(k))
        pools[k] = v
    if pools["threads"] < 1 or pools["spaces"] < 1:
        fail(where, "needs at least one thread and one space for its program",
             *key_at("threads"), *key_at("spaces"))
    if pools["capslots"] < FIRST_FREE_SLOT:
        fail(where, f"capslots must be at least {FIRST_FREE_SLOT} (the well-known slots)",
             *key_at("capslots"))
    if pools["capslots"] > MAX_SLOTS:
        fail(where, f"capslots must be at most {MAX_SLOTS} (the kernel's limit, "
                    "SYSDESC_MAX_SLOTS)", *key_at("capslots"))
    if pools["tableslots"] > MAX_TABLESLOTS:
        fail(where, f"tableslots must be at most {MAX_TABLESLOTS} (the kernel's limit, "
                    "SYSDESC_MAX_TABLESLOTS)", *key_at("tableslots"))
    memory = size(where, c.get("memory", "512K"))
    if memory % 4096 or memory < 64 * 1024:
        fail(where, "memory must be a multiple of 4K and at least 64K", *key_at("memory"))
    if memory > MAX_MEMORY:
        fail(where, f"memory must be at most {human(MAX_MEMORY)} (the kernel's limit, "
                    "SYSDESC_MAX_MEMORY)", *key_at("memory"))
    region = size(where, c.get("region", DEFAULT_REGION), "region")
    if region % 4096 or not 4096 <= region <= MAX_MEMORY:
        fail(where, f"region must be a multiple of 4K, from 4K to {human(MAX_MEMORY)} "
                    "(the kernel's limit, SYSDESC_MAX_MEMORY)", *key_at("region"))
    return prio, ceiling, memory, pools, region


def parse_rights(where, given, kind):
    """An array of right names for a capability of kind: their bits."""
    known = ", ".join(RIGHTS[kind])
    if not isinstance(given, list):
        fail(where, f"rights must be an array of names (known: {known})", *key_at("rights"))
    bits = 0
    for r in given:
        if not isinstance(r, str) or r not in RIGHTS[kind]:
            fail(where, f"right '{r}' unknown for {kind}{close(r, RIGHTS[kind])} "
                        f"(known: {known})", rf"[\"']{re.escape(str(r))}[\"']", *key_at("rights"))
        bits |= RIGHTS[kind][r]
    return bits


def check_objects(c, pools, slots):
    """What a container owns: [(kind, slot, 'container.name', pages)]: endpoints and
    notifications (paid from its pools) and shared memory (pages carved at boot)."""
    where = f"container '{c['name']}'"
    out = []
    seen = {}  # one name space for all kinds: a capability's target names no kind
    for key, (kind, what) in OBJECT_KINDS.items():
        objs = tables(where, c, key, '{name = "x", slot = 16}')
        if key in pools and len(objs) > pools[key]:
            fail(where, f"{len(objs)} {key} but its {key} pool has {pools[key]} units "
                        f"(set pools = {{ {key} = {len(objs)} }})", *key_at(key))
        for o in objs:
            for k in o:
                if k not in (SHARED_KEYS if key == "shared" else OBJECT_KEYS):
                    fail(where, f"{what}: unknown key '{k}'", *key_at(k))
            name, slot = o.get("name"), o.get("slot")
            if not isinstance(name, str) or not name:
                fail(where, f"{what} needs a name (a non-empty string)", *key_at(key))
            if name in seen:
                fail(where, f"{what} name '{name}' is taken by its {seen[name]} '{name}': "
                            "endpoints, notifications and shared memory of a container "
                            "need different names", *key_at("name", name), last=True)
            seen[name] = what
            check_slot(where, slot, pools, slots)
            pages = 0
            if key == "shared":
                n = size(where, o.get("size", 0), "size")
                if n % 4096 or not 4096 <= n <= MAX_MEMORY:
                    fail(where, f"shared memory '{name}' size must be a multiple of 4K, "
                                f"from 4K to {human(MAX_MEMORY)} (the kernel's limit, "
                                "SYSDESC_MAX_MEMORY)", *key_at("size"))
                pages = n // 4096
            out.append((kind, slot, f"{c['name']}.{name}", pages))
    return out


def check_ioports(c, pools, slots):
    """I/O port capabilities: [(slot, IOPORT_TYPE, rights, base, 0, count)]."""
    where = f"container '{c['name']}'"
    out = []
    if "ioports" in c and not sysarch.HAS_IOPORTS:
        fail(where, f"ioports: {sysarch.ARCH} has no I/O ports (they are x86_64's): reach a "
                    "device through its memory, devices = [{ name = \"uart\", base = "
                    "0x9000000, size = \"4K\", slot = N }]", *key_at("ioports"))
    for io in tables(where, c, "ioports", '{base = 0x3f8, count = 8, slot = 17}'):
        for k in io:
            if k not in IOPORT_KEYS:
                fail(where, f"ioports: unknown key '{k}'", *key_at(k))
        base, count = io.get("base"), io.get("count")
        if not (is_int(base) and is_int(count) and 0 <= base <= 0xffff and
                1 <= count <= 0x10000 - base):
            fail(where, f"ioports: base {base} and count {count} must lie in 0..0xffff",
                 *key_at("base", base))
        check_slot(where, io.get("slot"), pools, slots)
        rights = parse_rights(where, io.get("rights", ["read", "write"]), "ioport")
        out.append((io["slot"], IOPORT_TYPE, rights, base, 0, count))
    return out


def check_devices(c, pools, slots):
    """Device memory (MMIO): [(slot, memory type, rights, DEVICE_TARGET, base, pages)], each a
    memory capability over a physical range that is not RAM. Where RAM is, and whether
    devices overlap, check_device_ranges decides once every container is read."""
    where = f"container '{c['name']}'"
    out, names = [], set()
    for dev in tables(where, c, "devices", '{name = "hpet", base = 0xfed00000, size = "4K", '
                                           'slot = 16}'):
        for k in dev:
            if k not in DEVICE_KEYS:
                fail(where, f"devices: unknown key '{k}'{close(k, DEVICE_KEYS)}", *key_at(k))
        name = dev.get("name")
        if not isinstance(name, str) or not name:
            fail(where, "devices: a device needs a name (a non-empty string)", *key_at("devices"))
        if name in names:
            fail(where, f"devices: name '{name}' used twice", *key_at("name", name), last=True)
        names.add(name)
        base = dev.get("base")
        if not is_int(base) or base < 0 or base % 4096:
            fail(where, f"devices: '{name}' base must be a page-aligned physical address (a "
                        f"multiple of 0x1000), not {shown(base)}", *key_at("base", base))
        n = size(where, dev.get("size", 0), "size")
        if n <= 0 or n % 4096 or base + n > DEVICE_TOP:
            fail(where, f"devices: '{name}' size must be a multiple of 4K, at least 4K, and the "
                        f"range must end by {DEVICE_TOP:#x} (what a page-table entry holds: "
                        "ARCH_PHYS_TOP)",
                 *entry_at("name", name, "size"), *key_at("name", name))
        check_slot(where, dev.get("slot"), pools, slots)
        given = dev.get("rights", ["read", "write"])
        if isinstance(given, list) and "exec" in given:
            fail(where, f"devices: '{name}' may not have 'exec': device memory is never mapped "
                        "executable", *entry_at("name", name, "rights"), *key_at("name", name))
        rights = parse_rights(where, given, "memory")
        out.append((dev["slot"], CAP_TYPES["memory"], rights, DEVICE_TARGET, base, n // 4096))
    return out


def machine(path, system):
    """QEMU's machine for a system: its 'machine' (default microvm; virt on AArch64)."""
    m = system.get("machine", sysarch.default_machine())
    if isinstance(m, str) and sysarch.other_machine(m):
        fail(path, sysarch.other_machine(m), *key_at("machine"))
    if m not in MACHINES:
        fail(path, f"machine {shown(m)} unknown{close(m, MACHINES)} (known: "
                   f"{', '.join(MACHINES)})", *key_at("machine"))
    return m


def known_ram(ram):
    """[(first, end, what)] the RAM a machine with ram bytes has, as far as the file tells."""
    return sysarch.known_ram(ram, human)


def check_device_ranges(path, system, containers, caps):
    """Device memory is no RAM the checker can know of (the kernel checks the firmware's map
    at boot), none of the kernel's own devices, and no two devices overlap."""
    ram = machine_ram(path, system)
    taken = known_ram(ram) + [(b, e, f"{what}, which the kernel uses")
                              for b, e, what in KERNEL_DEVICES]
    seen = []  # (first, end, device name, container index)
    for i, cs in enumerate(caps):
        c = containers[i]
        where = f"container '{c['name']}'"
        devs = [cap for cap in cs if cap[3] == DEVICE_TARGET and cap[1] == CAP_TYPES["memory"]]
        for dev, (_, _, _, _, base, count) in zip(c.get("devices", []), devs):
            end, name = base + count * 4096, dev["name"]
            for first, last, what in taken:
                if base < last and first < end:
                    fail(where, f"devices: '{name}' {base:#x}..{end - 1:#x} overlaps {what} "
                                f"{first:#x}..{last - 1:#x}", *key_at("base", base))
            for first, last, other, j in seen:
                if base < last and first < end:
                    fail(where, f"devices: '{name}' {base:#x}..{end - 1:#x} overlaps device "
                                f"'{other}' {first:#x}..{last - 1:#x} of container "
                                f"'{containers[j]['name']}' (a device has one driver)",
                         *key_at("base", base))
            seen.append((base, end, name, i))


def check_slot(where, slot, pools, slots):
    top = pools["capslots"] - 1
    if slot is None:
        fail(where, f"slot missing: give it a slot {FIRST_FREE_SLOT}..{top}")
    if not is_int(slot):
        fail(where, f"slot must be an integer, not {toml_type(slot)} ({shown(slot)})",
             *key_at("slot"), rf"\bslot\s*=\s*[^0-9\s]")
    if not FIRST_FREE_SLOT <= slot <= top:
        why = (f"slots 0..{FIRST_FREE_SLOT - 1} are the well-known ones"
               if slot < FIRST_FREE_SLOT else f"its capslots pool has {pools['capslots']}")
        fail(where, f"slot {slot} outside {FIRST_FREE_SLOT}..{top} ({why})", *key_at("slot", slot))
    if slot in slots:
        fail(where, f"slot {slot} used twice", *key_at("slot", slot), last=True)
    slots.add(slot)


def check_caps(c, index, pools, objects, slots):
    """c's capabilities: [(slot, type, rights, target index, badge)]."""
    where = f"container '{c['name']}'"
    out = []
    for cap in tables(where, c, "caps", '{slot = 16, type = "container", target = "x"}'):
        for key in cap:
            if key not in CAP_KEYS:
                fail(where, f"capability: unknown key '{key}'", *key_at(key))
        t = cap.get("type")
        if not isinstance(t, str) or t not in CAP_TYPES:
            fail(where, f"capability type '{t}' unknown{close(t, CAP_TYPES)} "
                        f"(known: {', '.join(CAP_TYPES)})", *key_at("type", t))
        slot = cap.get("slot")
        check_slot(where, slot, pools, slots)
        target = cap.get("target")
        named = target if isinstance(target, str) else None  # a name, never a number
        if t == "container" and named not in index:
            fail(where, f"capability target '{target}' is no container"
                        f"{close(target, index)}", *key_at("target", named))
        if t != "container" and objects.get(named, (None,))[0] != t:
            fail(where, f"capability target '{target}' is no {t} "
                        f"({why_not(named, t, index, objects)})", *key_at("target", named))
        badge = cap.get("badge", 0)
        if not is_int(badge) or badge < 0 or badge >= 1 << 64:
            fail(where, f"badge {badge} is not a 64-bit unsigned number", *key_at("badge"))
        if badge and t in ("container", "memory"):
            fail(where, f"{t} capabilities have no badge", *key_at("badge"))
        rights = parse_rights(where, cap.get("rights", []), t)
        n = index[named] if t == "container" else objects[named][1]
        out.append((slot, CAP_TYPES[t], rights, n, badge, 0))
    return out


def check_fault(c, i, caps, objects, by_name, index):
    """Its first thread's fault endpoint and foreign system call mode: (slot, mode). The
    container must hold the endpoint (own it, or a capability that may send to it in its
    caps): the kernel sets that capability as the fault endpoint, badge and all."""
    where = f"container '{c['name']}'"
    known = ", ".join(f'"{m}"' for m in FOREIGN_MODES)
    mode = c.get("foreign_syscalls", "off")
    if not isinstance(mode, str):
        fail(where, f"foreign_syscalls must be a string ({known}), not {toml_type(mode)} "
                    f"({shown(mode)})", *key_at("foreign_syscalls"))
    if mode not in FOREIGN_MODES:
        fail(where, f'foreign_syscalls "{mode}" unknown{close(mode, FOREIGN_MODES)} '
                    f"(known: {known})", *key_at("foreign_syscalls", mode))
    target = c.get("fault")
    if target is None:
        if mode != "off":
            fail(where, f'foreign_syscalls = "{mode}" needs a fault endpoint for its calls to '
                        'go to: set fault = "container.endpoint"', *key_at("foreign_syscalls"))
        return 0, 0
    if not isinstance(target, str):
        fail(where, f'fault must be a string naming an endpoint ("container.endpoint"), not '
                    f"{toml_type(target)} ({shown(target)})", *key_at("fault"))
    if by_name.get(target, (None,))[0] != "endpoint":
        fail(where, f"fault '{target}' is no endpoint "
                    f"({why_not(target, 'endpoint', index, by_name)})", *key_at("fault", target))
    n = by_name[target][1]
    if objects[n][0] == i:
        return objects[n][2], FOREIGN_MODES[mode]  # its own: all rights, in the object's slot
    held = [k for k in caps if k[1] == CAP_TYPES["endpoint"] and k[3] == n]
    senders = [k[0] for k in held if k[2] & EP_SEND]
    if len(senders) > 1:
        fail(where, f"fault '{target}': it holds {len(senders)} capabilities that may send to it "
                    f"(slots {', '.join(map(str, senders))}): keep one, whose badge its fault "
                    "messages carry", *key_at("fault", target))
    if not senders:
        have = f" (its capability in slot {held[0][0]} lacks 'send')" if held else ""
        fail(where, f"fault '{target}': the container may not send to it{have}: give it a "
                    f'capability in caps, {{ slot = N, type = "endpoint", target = "{target}", '
                    'rights = ["send"] }, as thread_configure\'s L4_THREAD_FAULT_EP needs',
             *key_at("fault", target))
    return senders[0], FOREIGN_MODES[mode]


def holdings(c, pools, caps, objects, i):
    """What the container's table holds when its first thread starts: {slot: (type, rights,
    pool units)}."""
    held = {s: (t, r, 0) for s, (t, r) in WELL_KNOWN.items()
            if s != 3 or c.get("debug", True)}
    for k, kind in enumerate(POOLS):
        units = pools["tableslots"] if kind == "capslots" else pools[kind]
        if units:
            held[POOL_SLOT_BASE + k] = ("pool", 7, units)
    for owner, kind, slot, _, _ in objects:
        if owner == i:
            t = {1: "endpoint", 2: "notification", 3: "memory"}[kind]
            held[slot] = (t, sum(RIGHTS[t].values()), 0)
    for slot, t, rights, *_ in caps:
        held[slot] = (TYPE_NAMES[t], rights, 0)
    return held


def check_first_table(c, i, pools, caps, objects):
    """Its first thread's own table: (slots, [(slot, from, rights, units)]); (0, []) if none."""
    where = f"container '{c['name']}'"
    ft = c.get("first_table")
    if ft is None:
        return 0, []
    example = '{ slots = 4, caps = [{ slot = 0, from = 16, rights = ["send"] }] }'
    if not isinstance(ft, dict):
        fail(where, f"first_table must be a table like {example}", *FIRST_TABLE_AT)
    for key in ft:
        if key not in FIRST_TABLE_KEYS:
            fail(where, f"first_table: unknown key '{key}'{close(key, FIRST_TABLE_KEYS)}",
                 *key_at(key))
    n = ft.get("slots")
    most = min(MAX_SLOTS, pools["tableslots"])
    if not most:
        fail(where, "first_table needs a capslots pool to pay for its slots: set "
                    "pools = { tableslots = N }", *FIRST_TABLE_AT)
    if not is_int(n) or not 1 <= n <= most:
        fail(where, f"first_table slots must be an integer from 1 to {most} (its tableslots "
                    f"pool pays for them and has {pools['tableslots']}; a table has at most "
                    f"{MAX_SLOTS})", *key_at("slots"), *FIRST_TABLE_AT)
    held = holdings(c, pools, caps, objects, i)
    taken = {}
    out = []
    for e in tables(where, ft, "caps", '{ slot = 0, from = 16 }'):
        for key in e:
            if key not in FIRST_TABLE_CAP_KEYS:
                fail(where, f"first_table: capability: unknown key '{key}'"
                            f"{close(key, FIRST_TABLE_CAP_KEYS)}", *key_at(key))
        slot, src = e.get("slot"), e.get("from")
        if not is_int(slot) or not 0 <= slot < n:
            fail(where, f"first_table: slot {shown(slot)} outside its table's 0..{n - 1}",
                 *key_at("slot", slot))
        if slot in taken:
            fail(where, f"first_table: slot {slot} used twice", *key_at("slot", slot),
                 last=True)
        if not is_int(src) or src not in held:
            have = ", ".join(str(s) for s in sorted(held))
            fail(where, f"first_table: from = {shown(src)} is no slot the container holds a "
                        f"capability in when its first thread starts (it holds {have})",
                 *key_at("from", src))
        t, rights, units = held[src]
        bits = parse_rights(where, e["rights"], t) if "rights" in e else rights
        if bits & ~rights:
            lacks = ", ".join(r for r, bit in RIGHTS[t].items() if bit & bits & ~rights)
            fail(where, f"first_table: slot {slot} asks rights the {t} capability in slot "
                        f"{src} does not have ({lacks})", *entry_at("slot", slot, "from", "rights"),
                 *key_at("from", src))
        if not rights & 1:
            fail(where, f"first_table: the {t} capability in slot {src} lacks 'copy': it "
                        "cannot be put in another table", *key_at("from", src))
        n_units = e.get("units", 0)
        if t == "pool":
            kind = POOLS[src - POOL_SLOT_BASE]
            if kind == "pagetables":
                fail(where, "first_table: the pagetables pool cannot be split before the "
                            "program is loaded (its page tables are paid first): split it at "
                            "run time", *key_at("from", src))
            # what the root pays for as the thread starts: the first thread and space, the
            # container's own endpoints and notifications, the first table itself
            busy = {"threads": 1, "spaces": 1, "capslots": n,
                    "endpoints": sum(o[0] == i and o[1] == 1 for o in objects),
                    "notifications": sum(o[0] == i and o[1] == 2 for o in objects)}[kind]
            most = min(units - 1, units - busy)
            if not is_int(n_units) or not 1 <= n_units <= most:
                fail(where, f"first_table: slot {src} holds the {kind} pool, which is split: "
                            f"units must be from 1 to {most} ({units} units, {busy} paying for "
                            "what the container starts with, one kept by the root)",
                     *entry_at("slot", slot, "from", "units"), *key_at("from", src))
        elif "units" in e:
            fail(where, f"first_table: units are for pools; slot {src} holds a {t}",
                 *entry_at("slot", slot, "from", "units"), *key_at("units"))
        taken[slot] = src
        out.append((slot, src, bits, n_units))
    return n, out


def why_not(target, t, index, objects):
    """Why target names no object of type t, and what it could have been."""
    owner, dot, obj = (target or "").rpartition(".")
    if not dot:  # a container's name alone: which of its objects was meant
        owner = target
    ofs = sorted(n.partition(".")[2] for n, (what, _) in objects.items()
                 if n.partition(".")[0] == owner and what == t)
    if target in objects:
        return f"it is {'an' if objects[target][0][0] in 'aeiou' else 'a'} {objects[target][0]}"
    if not dot:
        return f"name them container.{t}" + (f", like '{target}.{ofs[0]}'" if ofs else "")
    hint = "; did you mean {}?"
    if owner not in index:
        return f"there is no container '{owner}'{close(owner, index, form=hint)}"
    if not ofs:
        return f"container '{owner}' has no {t}"
    return f"container '{owner}' has {t} {', '.join(ofs)}{close(obj, ofs, form=hint)}"


def read(path):
    """The parsed system file and its lines."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return tomllib.loads(raw.decode("utf-8")), raw.decode("utf-8").splitlines()
    except tomllib.TOMLDecodeError:
        raise
    except UnicodeDecodeError as e:
        fail(path, f"cannot be read: it is not UTF-8 text (byte {raw[e.start]:#04x} at offset "
                   f"{e.start}); a system file is TOML")
    except ValueError as e:  # an integer of thousands of digits
        fail(path, f"cannot be read: {e}")


def check_top(path, system):
    """Only the keys a system file has: a typo of 'ram' would silently boot with the default."""
    has = "(a system file has [[container]] tables and the keys 'ram' and 'machine')"
    for k, v in system.items():
        if k in TOP_KEYS:
            continue
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            fail(path, f"unknown table [[{k}]]{close(k, TOP_KEYS, '[[{}]]')} {has}",
                 rf"^\s*\[\[\s*{re.escape(k)}\s*\]\]")
        if isinstance(v, dict):
            fail(path, f"unknown table [{k}]{close(k, TOP_KEYS, '[[{}]]')} {has}",
                 rf"^\s*\[\s*{re.escape(k)}[\s.\]]")
        fail(path, f"unknown top-level key '{k}'{close(k, TOP_KEYS)} {has}",
             rf"^\s*{re.escape(k)}\s*=")


def load(path, build=None):
    system, lines = read(path)
    check_top(path, system)
    machine(path, system)
    blocks = syslines.container_blocks(lines)
    containers = system.get("container", [])
    if not containers:
        fail(path, "no [[container]]")
    if not isinstance(containers, list):
        fail(path, "'container' must be an array of tables: write [[container]]",
             r"^\s*\[?\s*container\b")
    containers, blocks = expand_copies(containers, blocks)
    if len(containers) > MAX_CONTAINERS:
        fail(path, f"{len(containers)} containers, but the kernel takes at most {MAX_CONTAINERS} "
                   "(SYSDESC_MAX_CONTAINERS)")
    names = {}
    checked = [check_container(i, c, names, blocks) for i, c in enumerate(containers)]
    index = {c["name"]: i for i, c in enumerate(containers)}
    if build is not None:
        check_programs(path, containers, build)
    slots = [set() for _ in containers]
    objects = []  # (owner index, kind, slot, qualified name)
    by_name = {}  # qualified name -> (cap type, object index)
    for i, (c, ck) in enumerate(zip(containers, checked)):
        for kind, slot, qn, pages in check_objects(c, ck[3], slots[i]):
            what = {1: "endpoint", 2: "notification", 3: "memory"}[kind]
            if qn in by_name:  # "a" owning "b.c" and "a.b" owning "c"
                fail(f"container '{c['name']}'", f"{what} name '{qn}' names two objects",
                     *key_at("name", qn.partition(".")[2]))
            by_name[qn] = (what, len(objects))
            objects.append((i, kind, slot, qn, pages))
    if len(objects) > MAX_OBJECTS:
        fail(path, f"the containers own {len(objects)} endpoints and notifications; "
                   f"the kernel takes at most {MAX_OBJECTS} (SYSDESC_MAX_OBJECTS)")
    caps = [check_caps(c, index, ck[3], by_name, slots[i]) + check_ioports(c, ck[3], slots[i]) +
            check_irqs(c, ck[3], slots[i]) + check_devices(c, ck[3], slots[i]) +
            check_clock(c, ck[3], slots[i])
            for i, (c, ck) in enumerate(zip(containers, checked))]
    check_port_overlap(containers, caps)
    check_device_ranges(path, system, containers, caps)
    check_irq_owners(containers, caps)
    faults = [check_fault(c, i, caps[i], objects, by_name, index)
              for i, c in enumerate(containers)]
    firsts = [check_first_table(c, i, ck[3], caps[i], objects)
              for i, (c, ck) in enumerate(zip(containers, checked))]
    ncaps = sum(len(cs) for cs in caps) + sum(len(f[1]) for f in firsts)
    check_ram(path, system, containers, checked, objects, ncaps)
    if ncaps > MAX_CAPS:
        fail(path, f"the containers hold {ncaps} capabilities; the kernel takes at most "
                   f"{MAX_CAPS} (SYSDESC_MAX_CAPS)")
    blocks = sum(ck[3]["threads"] + 1 for ck in checked)
    if blocks > MAX_THREAD_BLOCKS:
        most = max(range(len(checked)), key=lambda i: checked[i][3]["threads"])
        n = len(checked)
        fail(path, f"the threads pools add up to {blocks - n} threads; thread ids "
                   f"tell at most {MAX_THREAD_BLOCKS - n} apart in {n} container"
                   f"{'s' if n > 1 else ''} (SYSDESC_MAX_THREAD_BLOCKS); container "
                   f"'{containers[most]['name']}' has the largest pool, "
                   f"{checked[most][3]['threads']} threads",
             *key_at("threads", checked[most][3]["threads"])[:1])
    return containers, [ck + f + (first,) for ck, f, first in zip(checked, faults, firsts)], \
        objects, caps


def expand_copies(containers, blocks):
    """A [[container]] with copies = N stands for N containers named name0..name<N-1>, alike in
    all else (a system of hundreds of containers stays a few lines). The containers, and for
    each the (first, end) lines of its [[container]] table in the file (None if not found)."""
    out, where = [], []
    for i, c in enumerate(containers):
        block = blocks[i] if i < len(blocks) else None
        if not isinstance(c, dict) or "copies" not in c:
            out.append(c)
            where.append(block)
            continue
        name = c.get("name")
        at = f"container '{name}'" if isinstance(name, str) and name else f"container #{i}"
        n = integer(at, "copies", c["copies"], 1, MAX_CONTAINERS, " (SYSDESC_MAX_CONTAINERS)")
        if isinstance(name, str) and len(f"{name}{n - 1}".encode()) > NAME_BYTES:
            fail(at, f"copies: the names {name}0..{name}{n - 1} must be of 1..{NAME_BYTES} "
                     "characters (bytes of UTF-8): shorten the name", *key_at("name", name))
        for k in range(n):
            copy = {key: v for key, v in c.items() if key != "copies"}
            if isinstance(name, str):
                copy["name"] = f"{name}{k}"
            out.append(copy)
            where.append(block)
    return out, where


def check_programs(path, containers, build):
    """Every program is there to be built (user/<program>/) or built, and the boot loader
    takes the system module and one module per program (CONFIG_MAX_BOOT_MODULES)."""
    user = os.path.join(syslimits.ROOT, "user")
    have = sorted(d for d in os.listdir(user) if d != "lib" and
                  os.path.isdir(os.path.join(user, d))) if os.path.isdir(user) else []
    for c in containers:
        p = c["program"]
        elf = os.path.join(build, "user", p + ".elf")
        if p not in have and not os.path.exists(elf):
            fail(f"container '{c['name']}'", f"no program '{p}'{close(p, have)}: there is no "
                 f"user/{p}/ (programs: {', '.join(have)})", *key_at("program", p))
        if os.path.exists(elf) and sysarch.elf_refusal(elf):
            fail(f"container '{c['name']}'", f"program '{p}': {sysarch.elf_refusal(elf)}",
                 *key_at("program", p))
    config, source = syslimits.kconfig(build)
    most = config.get("CONFIG_MAX_BOOT_MODULES")
    progs = sorted({c["program"] for c in containers})
    if most is not None and len(progs) + 1 > most:
        fail(path, f"{len(progs)} different programs and the system module make "
                   f"{len(progs) + 1} boot modules, but the kernel takes at most {most} "
                   f"(CONFIG_MAX_BOOT_MODULES in {source}: raise it with make menuconfig, or let containers share programs)")


def check_irqs(c, pools, slots):
    """Interrupt line capabilities: [(slot, IRQ_TYPE, control, line, 0, 0)]."""
    where = f"container '{c['name']}'"
    out = []
    for irq in tables(where, c, "irqs", '{line = 4, slot = 19}'):
        for k in irq:
            if k not in IRQ_KEYS:
                fail(where, f"irqs: unknown key '{k}'", *key_at(k))
        line = integer(where, "line", irq.get("line"), 0, IRQ_LINES - 1,
                       f" ({sysarch.irq_lines_are()}, SYSDESC_IRQ_LINES)",
                       "irqs: line")
        check_slot(where, irq.get("slot"), pools, slots)
        rights = parse_rights(where, irq.get("rights", ["control"]), "irq")
        out.append((irq["slot"], IRQ_TYPE, rights, line, 0, 0))
    return out


def check_clock(c, pools, slots):
    """The wall clock capability (time_set), if the container has the key: [(slot,
    CLOCK_TYPE, rights, 0, 0, 0)]. Any number of containers may hold one."""
    where = f"container '{c['name']}'"
    clock = c.get("clock")
    if clock is None:
        return []
    if not isinstance(clock, dict):
        fail(where, f"clock must be a table like {{ slot = 20 }}, not {toml_type(clock)} "
                    f"({shown(clock)})", *key_at("clock"))
    for k in clock:
        if k not in CLOCK_KEYS:
            fail(where, f"clock: unknown key '{k}' (known: slot, rights)", *key_at(k))
    check_slot(where, clock.get("slot"), pools, slots)
    rights = parse_rights(where, clock.get("rights", ["set"]), "clock")
    return [(clock["slot"], CLOCK_TYPE, rights, 0, 0, 0)]


def check_irq_owners(containers, caps):
    """An interrupt line goes to one driver."""
    owner = {}
    for i, cs in enumerate(caps):
        for cap in cs:
            if cap[1] != IRQ_TYPE:
                continue
            if cap[3] in owner and owner[cap[3]] != i:
                fail(f"container '{containers[i]['name']}'",
                     f"irqs: line {cap[3]} already belongs to container "
                     f"'{containers[owner[cap[3]]]['name']}' (an interrupt line has one driver)",
                     *key_at("line", cap[3]))
            owner[cap[3]] = i


def check_port_overlap(containers, caps):
    """No I/O port may belong to two containers: a driver owns its device alone."""
    ranges = [(cap[3], cap[3] + cap[5], i) for i, cs in enumerate(caps) for cap in cs
              if cap[1] == IOPORT_TYPE]
    for a in ranges:
        for b in ranges:
            if a[2] < b[2] and a[0] < b[1] and b[0] < a[1]:
                fail(f"container '{containers[b[2]]['name']}'",
                     f"I/O ports {b[0]:#x}..{b[1] - 1:#x} overlap those of container "
                     f"'{containers[a[2]]['name']}'", *key_at("base", b[0]))


def pages(n):
    """n bytes rounded up to whole 4K pages."""
    return (n + 4095) // 4096 * 4096


def pool_bytes(pools):
    """Kernel RAM a container's pools take: one block per unit of each kind (and one spare
    thread block), each kind in whole pages, a kernel stack's RAM per thread block (set aside
    at boot, mapped while the block holds a thread), its table."""
    blocks = pools["threads"] + 1
    total = pages(blocks * UNIT_BYTES["threads"]) + blocks * KSTACK_BYTES
    for kind in ("spaces", "endpoints", "notifications", "pagetables", "capslots"):
        total += pages(pools[kind] * UNIT_BYTES[kind])
    # run-time tables: a header block per unit, and the slots' arena, each in whole pages
    total += pages(pools["tableslots"] * (UNIT_BYTES["tableslots"] - UNIT_BYTES["capslots"]))
    total += pages(pools["tableslots"] * UNIT_BYTES["capslots"])
    return total


def machine_ram(path, system):
    """The machine's RAM: the file's 'ram', within what the kernel can use (its direct map)."""
    ram = size(path, system.get("ram", DEFAULT_RAM), "ram")
    if ram > MAX_RAM:
        fail(path, f"ram {human(ram)} is more than the kernel can use: it maps RAM below "
                   f"{human(DIRECT_MAP)} (DIRECT_MAP_SIZE in "
                   f"kernel/arch/{sysarch.ARCH}/include/arch_layout.h), and {sysarch.ram_why()}, "
                   f"so at most {human(MAX_RAM)}", *key_at("ram"))
    return ram


def kernel_ram(ram):
    """What the kernel takes of a machine's RAM before any container: KERNEL_RAM, the frame
    bitmap (a bit per 4K up to the top of RAM, the device hole included: 32K a GiB) and the
    direct map's page tables (at most a directory a GiB, its PDPT, two tables of 4K pages)."""
    gib = (ram + DEVICE_HOLE + (1 << 30) - 1) >> 30
    return KERNEL_RAM + gib * (32 << 10) + gib * 4096 + 3 * 4096


def check_ram(path, system, containers, checked, objects, ncaps):
    """Everything the containers and their pools take must fit in the machine's RAM."""
    ram = machine_ram(path, system)
    need = kernel_ram(ram) + sum(o[4] * 4096 for o in objects)
    # the kernel's records of the containers, objects and capabilities (one carve)
    need += pages(len(containers) * CONTAINER_BYTES + (len(objects) + ncaps) * BOOT_ENTRY_BYTES)
    stacks = 0
    each = []
    for c, (prio, ceiling, memory, pools, region) in zip(containers, checked):
        own = memory + region + pool_bytes(pools)
        each.append((own, c["name"]))
        need += own
        stacks += pools["threads"] + 1
    # page tables of the kernel stack area: a guard page and a stack each, 512 pages a table
    # (every store's stretch of the area follows the last one's)
    need += (stacks * (1 + KSTACK_BYTES // 4096) + 511) // 512 * 4096 + 4096
    if need > ram:
        big = ", ".join(f"'{n}' {own >> 10}K" for own, n in sorted(each, reverse=True)[:3])
        fail(path, f"the containers need {need >> 10}K of RAM (memory, regions, shared memory, "
                   f"kernel stacks and page tables for the pools); the machine has "
                   f"{ram >> 10}K (set 'ram'); the largest: {big}",
             *key_at("ram"))


def encode(containers, checked, objects, caps):
    firsts = [ck[7] for ck in checked]
    ncaps = sum(len(cs) for cs in caps) + sum(len(f[1]) for f in firsts)
    out = struct.pack("<6I", MAGIC, VERSION, len(containers), ncaps, len(objects), 0)
    for c, (prio, ceiling, memory, pools, region, fault, mode, first) in zip(containers, checked):
        out += struct.pack("<16s16s64sIIQ6IIIIIII", c["name"].encode(), c["program"].encode(),
                           c.get("args", "").encode(), prio, ceiling, memory,
                           *[pools[k] for k in POOLS], 1 if c.get("debug", True) else 0,
                           region // 4096, fault, mode, pools["tableslots"], first[0])
    for owner, kind, slot, _, pages in objects:
        out += struct.pack("<4I", owner, kind, slot, pages)
    for i, cs in enumerate(caps):
        for slot, t, rights, target, badge, count in cs:
            out += struct.pack("<6IQ", i, slot, t, rights, target, count, badge)
    for i, (_, entries) in enumerate(firsts):
        for slot, src, rights, units in entries:
            out += struct.pack("<6IQ", i, slot, THREAD_CAP, rights, src, units, 0)
    return out


def write(path, data):
    """Write the whole description, or leave no file behind."""
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        if os.path.isfile(path):  # what was written of it (never a device or a directory)
            os.remove(path)
        sys.exit(f"mksystem: {e}")


TOML_WORDS = {"Cannot overwrite a value":
              "a key is given twice (or a table and a key share a name)",
              "Illegal character '\\n'": "the line ends inside a string (a quote is missing)"}


def toml_error(path, e):
    """A TOML parse error as file:line:col: message."""
    msg = str(e)
    m = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", msg)
    if not m:
        return f"{path}: {msg}"
    what = TOML_WORDS.get(m.group(1), m.group(1))
    return f"{path}:{m.group(2)}:{m.group(3)}: {what}"


def missing_file(path, e):
    """Why a system file cannot be opened, and the systems there are."""
    if not isinstance(e, FileNotFoundError):
        return f"{path}: {e.strerror or e}"
    here = os.path.join(syslimits.ROOT, "systems")
    have = sorted(f[:-5] for f in os.listdir(here) if f.endswith(".toml")) \
        if os.path.isdir(here) else []
    return (f"{path}: there is no such file (SYSTEM is a name in systems/ or a path; "
            f"systems/ has {', '.join(have) or 'none'})")


def main():
    args = sys.argv[1:]
    build = None
    if "--build" in args[2:-1]:  # --build DIR: also check the programs and boot modules
        i = args.index("--build", 2)
        build = args[i + 1]
        del args[i:i + 2]
    extra = args[2:]
    if len(args) < 2 or extra not in ([], ["--programs"], ["--authority"]) and \
            not (len(extra) == 2 and extra[0] == "--graph"):
        sys.exit(__doc__)
    path = args[0]
    try:
        containers, checked, objects, caps = load(path, build)
    except SystemError_ as e:
        line = syslines.locate(path, e.where, e.msg, e.hints, e.last)
        if e.where == path:  # about the file as a whole, or a top-level key
            sys.exit(f"mksystem: {path}:{line}: {e.msg}" if line else f"mksystem: {e}")
        sys.exit(f"mksystem: {path}:{line}: {e}" if line else f"mksystem: {path}: {e}")
    except tomllib.TOMLDecodeError as e:
        sys.exit(f"mksystem: {toml_error(path, e)}")
    except OSError as e:
        sys.exit(f"mksystem: {missing_file(path, e)}")
    if extra == ["--programs"]:
        print("\n".join(sorted({c["program"] for c in containers})))
        return
    if extra == ["--authority"]:
        print(sysauth.report(containers, objects, caps, RIGHTS), end="")
        return
    write(args[1], encode(containers, checked, objects, caps))
    if extra:
        sysauth.draw(sysauth.dot(containers, objects, caps, RIGHTS), extra[1])


if __name__ == "__main__":
    main()
