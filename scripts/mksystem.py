#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check a system file and write the boot description the kernel builds containers from.

usage: mksystem.py SYSTEM.toml OUT.sys [--programs]
With --programs, print the programs the system needs (one per line) instead of writing.
The binary layout is include/coffer/sysdesc.h.
"""
import re
import struct
import sys
import tomllib

MAGIC, VERSION = 0x59534643, 2
MAX_CONTAINERS = 16
POOLS = ["threads", "spaces", "endpoints", "notifications", "capslots", "pagetables"]
DEFAULT_POOLS = {"threads": 16, "spaces": 4, "endpoints": 4, "notifications": 4,
                 "capslots": 64, "pagetables": 64}
FIRST_FREE_SLOT = 16
KERNEL_LIMITS = {"threads": 256, "spaces": 128}  # MAX_THREADS, MAX_SPACES in the kernel
CAP_TYPES = {"container": 1, "endpoint": 7, "notification": 8}
OBJECT_KINDS = {"endpoints": (1, "endpoint"), "notifications": (2, "notification")}
RIGHTS = {  # include/coffer/cap.h
    "container": {"copy": 1, "grant": 2, "control": 4, "inspect": 8, "receive": 16},
    "endpoint": {"copy": 1, "grant": 2, "send": 4, "receive": 8},
    "notification": {"copy": 1, "grant": 2, "signal": 4, "wait": 8},
}
CONTAINER_KEYS = {"name", "program", "args", "priority", "ceiling", "memory", "debug", "pools",
                  "caps", "endpoints", "notifications"}
CAP_KEYS = {"slot", "type", "target", "rights", "badge"}
OBJECT_KEYS = {"name", "slot"}


class SystemError_(Exception):
    pass


def fail(where, msg):
    raise SystemError_(f"{where}: {msg}")


def size(where, v):
    """'256K', '2M' or an integer number of bytes."""
    if isinstance(v, int):
        return v
    m = re.fullmatch(r"(\d+)([KM]?)", str(v))
    if not m:
        fail(where, f"memory '{v}' is not a size like 256K or 2M")
    return int(m.group(1)) * {"": 1, "K": 1024, "M": 1 << 20}[m.group(2)]


def check_container(i, c, names):
    where = f"container '{c.get('name', f'#{i}')}'"
    for key in c:
        if key not in CONTAINER_KEYS:
            fail(where, f"unknown key '{key}'")
    for key in ("name", "program"):
        if not isinstance(c.get(key), str) or not c[key] or len(c[key]) > 15:
            fail(where, f"'{key}' must be a name of 1..15 characters")
    if c["name"] in names:
        fail(where, "name used twice")
    names.add(c["name"])
    prio, ceiling = c.get("priority", 100), c.get("ceiling", c.get("priority", 100))
    if not (0 <= prio <= 255 and 0 <= ceiling <= 255):
        fail(where, "priority and ceiling must be 0..255")
    if prio > ceiling:
        fail(where, f"priority {prio} is above its ceiling {ceiling}")
    if len(c.get("args", "")) > 63 or "," in c.get("args", ""):
        fail(where, "args must be under 64 characters, without commas")
    pools = dict(DEFAULT_POOLS)
    for k, v in c.get("pools", {}).items():
        if k not in POOLS:
            fail(where, f"unknown pool '{k}' (pools are {', '.join(POOLS)})")
        if not isinstance(v, int) or v < 0:
            fail(where, f"pool '{k}' must be a non-negative integer")
        pools[k] = v
    if pools["threads"] < 1 or pools["spaces"] < 1:
        fail(where, "needs at least one thread and one space for its program")
    if pools["capslots"] < FIRST_FREE_SLOT:
        fail(where, f"capslots must be at least {FIRST_FREE_SLOT} (the well-known slots)")
    memory = size(where, c.get("memory", "512K"))
    if memory % 4096 or memory < 64 * 1024:
        fail(where, "memory must be a multiple of 4K and at least 64K")
    return prio, ceiling, memory, pools


def check_objects(c, pools, slots):
    """The endpoints and notifications a container owns: [(kind, slot, 'container.name')]."""
    where = f"container '{c['name']}'"
    out = []
    for key, (kind, what) in OBJECT_KINDS.items():
        objs = c.get(key, [])
        if len(objs) > pools[key]:
            fail(where, f"{len(objs)} {key} but its {key} pool has {pools[key]} units")
        seen = set()
        for o in objs:
            for k in o:
                if k not in OBJECT_KEYS:
                    fail(where, f"{what}: unknown key '{k}'")
            name, slot = o.get("name"), o.get("slot")
            if not isinstance(name, str) or not name or name in seen:
                fail(where, f"{what} needs a name unique in the container")
            seen.add(name)
            check_slot(where, slot, pools, slots)
            out.append((kind, slot, f"{c['name']}.{name}"))
    return out


def check_slot(where, slot, pools, slots):
    if not isinstance(slot, int) or not FIRST_FREE_SLOT <= slot < pools["capslots"]:
        fail(where, f"slot {slot} outside {FIRST_FREE_SLOT}..{pools['capslots'] - 1}")
    if slot in slots:
        fail(where, f"slot {slot} used twice")
    slots.add(slot)


def check_caps(c, names, pools, objects, slots):
    where = f"container '{c['name']}'"
    out = []
    for cap in c.get("caps", []):
        for key in cap:
            if key not in CAP_KEYS:
                fail(where, f"capability: unknown key '{key}'")
        t = cap.get("type")
        if t not in CAP_TYPES:
            fail(where, f"capability type '{t}' unknown (known: {', '.join(CAP_TYPES)})")
        slot = cap.get("slot")
        check_slot(where, slot, pools, slots)
        target = cap.get("target")
        if t == "container" and target not in names:
            fail(where, f"capability target '{target}' is no container")
        if t != "container" and objects.get(target, (None,))[0] != t:
            fail(where, f"capability target '{target}' is no {t} (name them container.{t})")
        badge = cap.get("badge", 0)
        if not isinstance(badge, int) or badge < 0 or badge >= 1 << 64:
            fail(where, f"badge {badge} is not a 64-bit unsigned number")
        if badge and t == "container":
            fail(where, "container capabilities have no badge")
        rights = 0
        for r in cap.get("rights", []):
            if r not in RIGHTS[t]:
                fail(where, f"right '{r}' unknown for {t} (known: {', '.join(RIGHTS[t])})")
            rights |= RIGHTS[t][r]
        out.append((slot, CAP_TYPES[t], rights, target, badge))
    return out


def load(path):
    with open(path, "rb") as f:
        system = tomllib.load(f)
    containers = system.get("container", [])
    if not containers:
        fail(path, "no [[container]]")
    if len(containers) > MAX_CONTAINERS:
        fail(path, f"more than {MAX_CONTAINERS} containers")
    names = set()
    checked = [check_container(i, c, names) for i, c in enumerate(containers)]
    slots = [set() for _ in containers]
    objects = []  # (owner index, kind, slot, qualified name)
    for i, (c, ck) in enumerate(zip(containers, checked)):
        objects += [(i, kind, slot, qn) for kind, slot, qn in check_objects(c, ck[3], slots[i])]
    by_name = {qn: ("endpoint" if kind == 1 else "notification", n)
               for n, (_, kind, _, qn) in enumerate(objects)}
    caps = [check_caps(c, names, ck[3], by_name, slots[i])
            for i, (c, ck) in enumerate(zip(containers, checked))]
    for kind, limit in KERNEL_LIMITS.items():
        total = sum(ck[3][kind] for ck in checked)
        if total > limit:
            fail(path, f"the {kind} pools add up to {total}; the kernel has {limit}")
    return containers, checked, objects, caps


def encode(containers, checked, objects, caps):
    index = {c["name"]: i for i, c in enumerate(containers)}
    index.update({qn: n for n, (_, _, _, qn) in enumerate(objects)})
    ncaps = sum(len(cs) for cs in caps)
    out = struct.pack("<6I", MAGIC, VERSION, len(containers), ncaps, len(objects), 0)
    for c, (prio, ceiling, memory, pools) in zip(containers, checked):
        out += struct.pack("<16s16s64sIIQ6III", c["name"].encode(), c["program"].encode(),
                           c.get("args", "").encode(), prio, ceiling, memory,
                           *[pools[k] for k in POOLS], 1 if c.get("debug", True) else 0, 0)
    for owner, kind, slot, _ in objects:
        out += struct.pack("<4I", owner, kind, slot, 0)
    for i, cs in enumerate(caps):
        for slot, t, rights, target, badge in cs:
            out += struct.pack("<6IQ", i, slot, t, rights, index[target], 0, badge)
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    try:
        containers, checked, objects, caps = load(sys.argv[1])
    except (SystemError_, tomllib.TOMLDecodeError, OSError) as e:
        sys.exit(f"mksystem: {e}")
    if sys.argv[3:] == ["--programs"]:
        print("\n".join(sorted({c["program"] for c in containers})))
        return
    with open(sys.argv[2], "wb") as f:
        f.write(encode(containers, checked, objects, caps))


if __name__ == "__main__":
    main()
