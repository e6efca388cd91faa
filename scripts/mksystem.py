#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check a system file and write the boot description the kernel builds containers from.

usage: mksystem.py SYSTEM.toml OUT.sys [--programs | --authority | --graph FILE]
With --programs, print the programs the system needs (one per line) instead of writing;
with --authority, what each container can ever reach through grant chains; with --graph,
also draw the capability graph into FILE (.svg, .png or .dot; Graphviz draws the first two).
The binary layout is include/coffer/sysdesc.h.
"""
import os
import re
import struct
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sysauth  # noqa: E402
import syslines  # noqa: E402

MAGIC, VERSION = 0x59534643, 2
MAX_CONTAINERS = 16
POOLS = ["threads", "spaces", "endpoints", "notifications", "capslots", "pagetables"]
DEFAULT_POOLS = {"threads": 16, "spaces": 4, "endpoints": 4, "notifications": 4,
                 "capslots": 64, "pagetables": 64}
FIRST_FREE_SLOT = 16
# include/coffer/sysdesc.h: kernel RAM per pool unit (SYSDESC_BYTES_*); a thread pool has one
# block more than its units, and thread ids tell at most MAX_THREAD_BLOCKS blocks apart
UNIT_BYTES = {"threads": 512, "spaces": 128, "endpoints": 128, "notifications": 128,
              "pagetables": 4096, "capslots": 128}
KSTACK_BYTES, MAX_THREAD_BLOCKS = 8192, 0xffff
# kernel/include/sysdesc.h and kernel/core/sysdesc.c
MAX_SLOTS, MAX_MEMORY, MAX_CAPS, MAX_OBJECTS = 1024, 64 << 20, 4096, 256
NAME_BYTES, ARGS_BYTES = 15, 63  # char name[16], program[16], args[64]: room for the zero
CAP_TYPES = {"container": 1, "memory": 5, "endpoint": 7, "notification": 8}
IOPORT_TYPE, IRQ_TYPE, IRQ_LINES = 9, 10, 24
OBJECT_KINDS = {"endpoints": (1, "endpoint"), "notifications": (2, "notification"),
                "shared": (3, "memory")}
DEFAULT_REGION, DEFAULT_RAM = 64 * 1024, 256 << 20
KERNEL_RAM = 4 << 20  # kernel image, frame bitmap, firmware: set aside before containers
RIGHTS = {  # include/coffer/cap.h
    "container": {"copy": 1, "grant": 2, "control": 4, "inspect": 8, "receive": 16},
    "endpoint": {"copy": 1, "grant": 2, "send": 4, "receive": 8, "transfer": 16},
    "notification": {"copy": 1, "grant": 2, "signal": 4, "wait": 8},
    "memory": {"copy": 1, "grant": 2, "read": 4, "write": 8, "exec": 16},
    "ioport": {"copy": 1, "grant": 2, "read": 4, "write": 8},
    "irq": {"copy": 1, "grant": 2, "control": 4},
}
CONTAINER_KEYS = {"name", "program", "args", "priority", "ceiling", "memory", "region", "debug",
                  "pools", "caps", "endpoints", "notifications", "shared", "ioports", "irqs"}
CAP_KEYS = {"slot", "type", "target", "rights", "badge"}
OBJECT_KEYS = {"name", "slot"}
SHARED_KEYS = {"name", "slot", "size"}
IOPORT_KEYS = {"base", "count", "slot", "rights"}
IRQ_KEYS = {"line", "slot", "rights"}


class SystemError_(Exception):
    def __init__(self, where, msg):
        super().__init__(f"{where}: {msg}")
        self.where, self.msg = where, msg


def fail(where, msg):
    raise SystemError_(where, msg)


def is_int(v):
    """A TOML integer (TOML's true and false are Python ints too, but no numbers)."""
    return isinstance(v, int) and not isinstance(v, bool)


def tables(where, c, key, example):
    """c[key], which must be an array of tables (an empty one if missing)."""
    v = c.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        fail(where, f"'{key}' must be an array of tables like [{example}]")
    return v


def size(where, v, what="memory"):
    """'256K', '2M' or an integer number of bytes."""
    if is_int(v):
        return v
    m = re.fullmatch(r"(\d{1,20})([KM]?)", str(v))
    if not m:
        fail(where, f"{what} '{v}' is not a size like 256K or 2M")
    return int(m.group(1)) * {"": 1, "K": 1024, "M": 1 << 20}[m.group(2)]


def check_container(i, c, names):
    if not isinstance(c, dict):
        fail(f"container #{i}", "must be a table: write [[container]]")
    name = c.get("name")
    where = f"container '{name}'" if isinstance(name, str) and name else f"container #{i}"
    for key in c:
        if key not in CONTAINER_KEYS:
            fail(where, f"unknown key '{key}'")
    for key in ("name", "program"):
        v = c.get(key)
        if not isinstance(v, str) or not 1 <= len(v.encode()) <= NAME_BYTES:
            fail(where, f"'{key}' must be a name of 1..{NAME_BYTES} characters (bytes of UTF-8)")
        if "\0" in v:
            fail(where, f"'{key}' must not contain a NUL character")
    if c["name"] in names:
        fail(where, "name used twice")
    names.add(c["name"])
    prio = c.get("priority", 100)
    ceiling = c.get("ceiling", prio)
    if not (is_int(prio) and is_int(ceiling) and 0 <= prio <= 255 and 0 <= ceiling <= 255):
        fail(where, "priority and ceiling must be 0..255")
    if prio > ceiling:
        fail(where, f"priority {prio} is above its ceiling {ceiling}")
    args = c.get("args", "")
    if not isinstance(args, str):
        fail(where, "args must be a string")
    if len(args.encode()) > ARGS_BYTES or "," in args:
        fail(where, "args must be under 64 characters, without commas (bytes of UTF-8)")
    if "\0" in args:
        fail(where, "'args' must not contain a NUL character")
    if not isinstance(c.get("debug", True), bool):
        fail(where, "'debug' must be true or false")
    pools = dict(DEFAULT_POOLS)
    given = c.get("pools", {})
    if not isinstance(given, dict):
        fail(where, "'pools' must be a table like {threads = 4}")
    for k, v in given.items():
        if k not in POOLS:
            fail(where, f"unknown pool '{k}' (pools are {', '.join(POOLS)})")
        if not is_int(v) or v < 0 or v >= 1 << 32:
            fail(where, f"pool '{k}' must be a non-negative integer below 2^32")
        pools[k] = v
    if pools["threads"] < 1 or pools["spaces"] < 1:
        fail(where, "needs at least one thread and one space for its program")
    if pools["capslots"] < FIRST_FREE_SLOT:
        fail(where, f"capslots must be at least {FIRST_FREE_SLOT} (the well-known slots)")
    if pools["capslots"] > MAX_SLOTS:
        fail(where, f"capslots must be at most {MAX_SLOTS} (the kernel's limit)")
    memory = size(where, c.get("memory", "512K"))
    if memory % 4096 or memory < 64 * 1024:
        fail(where, "memory must be a multiple of 4K and at least 64K")
    if memory > MAX_MEMORY:
        fail(where, f"memory must be at most {MAX_MEMORY >> 20}M (the kernel's limit)")
    region = size(where, c.get("region", DEFAULT_REGION), "region")
    if region % 4096 or not 4096 <= region <= MAX_MEMORY:
        fail(where, f"region must be a multiple of 4K, from 4K to {MAX_MEMORY >> 20}M")
    return prio, ceiling, memory, pools, region


def parse_rights(where, given, kind):
    """An array of right names for a capability of kind: their bits."""
    known = ", ".join(RIGHTS[kind])
    if not isinstance(given, list):
        fail(where, f"rights must be an array of names (known: {known})")
    bits = 0
    for r in given:
        if not isinstance(r, str) or r not in RIGHTS[kind]:
            fail(where, f"right '{r}' unknown for {kind} (known: {known})")
        bits |= RIGHTS[kind][r]
    return bits


def check_objects(c, pools, slots):
    """What a container owns: [(kind, slot, 'container.name', pages)]: endpoints and
    notifications (paid from its pools) and shared memory (pages carved at boot)."""
    where = f"container '{c['name']}'"
    out = []
    seen = set()  # one name space for all kinds: a capability's target names no kind
    for key, (kind, what) in OBJECT_KINDS.items():
        objs = tables(where, c, key, '{name = "x", slot = 16}')
        if key in pools and len(objs) > pools[key]:
            fail(where, f"{len(objs)} {key} but its {key} pool has {pools[key]} units")
        for o in objs:
            for k in o:
                if k not in (SHARED_KEYS if key == "shared" else OBJECT_KEYS):
                    fail(where, f"{what}: unknown key '{k}'")
            name, slot = o.get("name"), o.get("slot")
            if not isinstance(name, str) or not name or name in seen:
                fail(where, f"{what} needs a name unique in the container")
            seen.add(name)
            check_slot(where, slot, pools, slots)
            pages = 0
            if key == "shared":
                n = size(where, o.get("size", 0), "size")
                if n % 4096 or not 4096 <= n <= MAX_MEMORY:
                    fail(where, f"shared memory '{name}' size must be a multiple of 4K, "
                                f"from 4K to {MAX_MEMORY >> 20}M")
                pages = n // 4096
            out.append((kind, slot, f"{c['name']}.{name}", pages))
    return out


def check_ioports(c, pools, slots):
    """I/O port capabilities: [(slot, IOPORT_TYPE, rights, base, 0, count)]."""
    where = f"container '{c['name']}'"
    out = []
    for io in tables(where, c, "ioports", '{base = 0x3f8, count = 8, slot = 17}'):
        for k in io:
            if k not in IOPORT_KEYS:
                fail(where, f"ioports: unknown key '{k}'")
        base, count = io.get("base"), io.get("count")
        if not (is_int(base) and is_int(count) and 0 <= base <= 0xffff and
                1 <= count <= 0x10000 - base):
            fail(where, f"ioports: base {base} and count {count} must lie in 0..0xffff")
        check_slot(where, io.get("slot"), pools, slots)
        rights = parse_rights(where, io.get("rights", ["read", "write"]), "ioport")
        out.append((io["slot"], IOPORT_TYPE, rights, base, 0, count))
    return out


def check_slot(where, slot, pools, slots):
    if not is_int(slot) or not FIRST_FREE_SLOT <= slot < pools["capslots"]:
        fail(where, f"slot {slot} outside {FIRST_FREE_SLOT}..{pools['capslots'] - 1}")
    if slot in slots:
        fail(where, f"slot {slot} used twice")
    slots.add(slot)


def check_caps(c, index, pools, objects, slots):
    """c's capabilities: [(slot, type, rights, target index, badge)]."""
    where = f"container '{c['name']}'"
    out = []
    for cap in tables(where, c, "caps", '{slot = 16, type = "container", target = "x"}'):
        for key in cap:
            if key not in CAP_KEYS:
                fail(where, f"capability: unknown key '{key}'")
        t = cap.get("type")
        if not isinstance(t, str) or t not in CAP_TYPES:
            fail(where, f"capability type '{t}' unknown (known: {', '.join(CAP_TYPES)})")
        slot = cap.get("slot")
        check_slot(where, slot, pools, slots)
        target = cap.get("target")
        named = target if isinstance(target, str) else None  # a name, never a number
        if t == "container" and named not in index:
            fail(where, f"capability target '{target}' is no container")
        if t != "container" and objects.get(named, (None,))[0] != t:
            fail(where, f"capability target '{target}' is no {t} (name them container.{t})")
        badge = cap.get("badge", 0)
        if not is_int(badge) or badge < 0 or badge >= 1 << 64:
            fail(where, f"badge {badge} is not a 64-bit unsigned number")
        if badge and t in ("container", "memory"):
            fail(where, f"{t} capabilities have no badge")
        rights = parse_rights(where, cap.get("rights", []), t)
        n = index[named] if t == "container" else objects[named][1]
        out.append((slot, CAP_TYPES[t], rights, n, badge, 0))
    return out


def load(path):
    with open(path, "rb") as f:
        try:
            system = tomllib.load(f)
        except tomllib.TOMLDecodeError:
            raise
        except ValueError as e:  # not UTF-8, or an integer of thousands of digits
            fail(path, f"cannot be read: {e}")
    containers = system.get("container", [])
    if not containers:
        fail(path, "no [[container]]")
    if not isinstance(containers, list):
        fail(path, "'container' must be an array of tables: write [[container]]")
    if len(containers) > MAX_CONTAINERS:
        fail(path, f"more than {MAX_CONTAINERS} containers")
    names = set()
    checked = [check_container(i, c, names) for i, c in enumerate(containers)]
    index = {c["name"]: i for i, c in enumerate(containers)}
    slots = [set() for _ in containers]
    objects = []  # (owner index, kind, slot, qualified name)
    by_name = {}  # qualified name -> (cap type, object index)
    for i, (c, ck) in enumerate(zip(containers, checked)):
        for kind, slot, qn, pages in check_objects(c, ck[3], slots[i]):
            what = {1: "endpoint", 2: "notification", 3: "memory"}[kind]
            if qn in by_name:  # "a" owning "b.c" and "a.b" owning "c"
                fail(f"container '{c['name']}'", f"{what} name '{qn}' names two objects")
            by_name[qn] = (what, len(objects))
            objects.append((i, kind, slot, qn, pages))
    if len(objects) > MAX_OBJECTS:
        fail(path, f"the containers own {len(objects)} endpoints and notifications; "
                   f"the kernel takes at most {MAX_OBJECTS}")
    caps = [check_caps(c, index, ck[3], by_name, slots[i]) + check_ioports(c, ck[3], slots[i]) +
            check_irqs(c, ck[3], slots[i]) for i, (c, ck) in enumerate(zip(containers, checked))]
    check_port_overlap(containers, caps)
    check_irq_owners(containers, caps)
    check_ram(path, system, checked, objects)
    ncaps = sum(len(cs) for cs in caps)
    if ncaps > MAX_CAPS:
        fail(path, f"the containers hold {ncaps} capabilities; the kernel takes at most {MAX_CAPS}")
    blocks = sum(ck[3]["threads"] + 1 for ck in checked)
    if blocks > MAX_THREAD_BLOCKS:
        fail(path, f"the threads pools add up to {blocks - len(checked)} threads; thread ids "
                   f"tell at most {MAX_THREAD_BLOCKS - len(checked)} apart in "
                   f"{len(checked)} containers")
    return containers, checked, objects, caps


def check_irqs(c, pools, slots):
    """Interrupt line capabilities: [(slot, IRQ_TYPE, control, line, 0, 0)]."""
    where = f"container '{c['name']}'"
    out = []
    for irq in tables(where, c, "irqs", '{line = 4, slot = 19}'):
        for k in irq:
            if k not in IRQ_KEYS:
                fail(where, f"irqs: unknown key '{k}'")
        line = irq.get("line")
        if not is_int(line) or not 0 <= line < IRQ_LINES:
            fail(where, f"irqs: line {line} must be 0..{IRQ_LINES - 1}")
        check_slot(where, irq.get("slot"), pools, slots)
        rights = parse_rights(where, irq.get("rights", ["control"]), "irq")
        out.append((irq["slot"], IRQ_TYPE, rights, line, 0, 0))
    return out


def check_irq_owners(containers, caps):
    """An interrupt line goes to one driver."""
    owner = {}
    for i, cs in enumerate(caps):
        for cap in cs:
            if cap[1] != IRQ_TYPE:
                continue
            if cap[3] in owner and owner[cap[3]] != i:
                fail(f"container '{containers[i]['name']}'",
                     f"irqs: line {cap[3]} is container '{containers[owner[cap[3]]]['name']}''s")
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
                     f"'{containers[a[2]]['name']}'")


def pages(n):
    """n bytes rounded up to whole 4K pages."""
    return (n + 4095) // 4096 * 4096


def pool_bytes(pools):
    """Kernel RAM a container's pools take: one block per unit of each kind (and one spare
    thread block), each kind in whole pages, a kernel stack per thread block, its table."""
    blocks = pools["threads"] + 1
    total = pages(blocks * UNIT_BYTES["threads"]) + blocks * KSTACK_BYTES
    for kind in ("spaces", "endpoints", "notifications", "pagetables", "capslots"):
        total += pages(pools[kind] * UNIT_BYTES[kind])
    return total


def check_ram(path, system, checked, objects):
    """Everything the containers and their pools take must fit in the machine's RAM."""
    ram = size(path, system.get("ram", DEFAULT_RAM), "ram")
    need = KERNEL_RAM + sum(o[4] * 4096 for o in objects)
    stacks = 0
    for prio, ceiling, memory, pools, region in checked:
        need += memory + region + pool_bytes(pools)
        stacks += pools["threads"] + 1
    # page tables of the kernel stack area: a guard page and a stack each, 512 pages a table
    need += (stacks * (1 + KSTACK_BYTES // 4096) + 511) // 512 * 4096 + 4096
    if need > ram:
        fail(path, f"the containers need {need >> 10}K of RAM (memory, regions, shared memory, "
                   f"kernel stacks and page tables for the pools); the machine has "
                   f"{ram >> 10}K (set 'ram')")


def encode(containers, checked, objects, caps):
    ncaps = sum(len(cs) for cs in caps)
    out = struct.pack("<6I", MAGIC, VERSION, len(containers), ncaps, len(objects), 0)
    for c, (prio, ceiling, memory, pools, region) in zip(containers, checked):
        out += struct.pack("<16s16s64sIIQ6III", c["name"].encode(), c["program"].encode(),
                           c.get("args", "").encode(), prio, ceiling, memory,
                           *[pools[k] for k in POOLS], 1 if c.get("debug", True) else 0,
                           region // 4096)
    for owner, kind, slot, _, pages in objects:
        out += struct.pack("<4I", owner, kind, slot, pages)
    for i, cs in enumerate(caps):
        for slot, t, rights, target, badge, count in cs:
            out += struct.pack("<6IQ", i, slot, t, rights, target, count, badge)
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


def main():
    extra = sys.argv[3:]
    if len(sys.argv) < 3 or extra not in ([], ["--programs"], ["--authority"]) and \
            not (len(extra) == 2 and extra[0] == "--graph"):
        sys.exit(__doc__)
    try:
        containers, checked, objects, caps = load(sys.argv[1])
    except SystemError_ as e:
        line = syslines.locate(sys.argv[1], e.where, e.msg)
        at = f"{sys.argv[1]}:{line}: " if line else ""
        sys.exit(f"mksystem: {at}{e}")
    except (tomllib.TOMLDecodeError, OSError) as e:
        sys.exit(f"mksystem: {sys.argv[1]}: {e}")
    if extra == ["--programs"]:
        print("\n".join(sorted({c["program"] for c in containers})))
        return
    if extra == ["--authority"]:
        print(sysauth.report(containers, objects, caps, RIGHTS), end="")
        return
    write(sys.argv[2], encode(containers, checked, objects, caps))
    if extra:
        sysauth.draw(sysauth.dot(containers, objects, caps, RIGHTS), extra[1])


if __name__ == "__main__":
    main()
