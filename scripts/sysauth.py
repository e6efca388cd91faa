# SPDX-License-Identifier: BSD-2-Clause
"""What each container of a checked system can ever reach, and the capability graph.

Authority moves only through grants: a capability with the 'grant' right can be moved by
its holder into a container it holds a 'receive' capability to, or sent through an endpoint
it may 'send' and 'transfer' on to any container that may 'receive' on that endpoint. The
reach of a container is the fixpoint: everything that can flow to it along such chains.
"""
import subprocess

NAMES = {1: "container", 5: "memory", 7: "endpoint", 8: "notification", 9: "ioport", 10: "irq",
         12: "clock"}


def device_name(base, pages):
    """A device memory capability's range (mksystem.py check_devices: base, pages)."""
    return f"device {base:#x}..{base + pages * 4096 - 1:#x}"


def rights_of(kind, bits, table):
    return frozenset(r for r, b in table[kind].items() if bits & b)


def initial_holdings(containers, objects, caps, rights):
    """{container name: {(kind, target name, rights frozenset)}} as the file gives them."""
    # what every container starts with, and may hand on: its own threads, spaces, pools, memory
    own = frozenset({"copy", "grant", "all of its rights"})
    held = {c["name"]: {("own", f"{c['name']}'s threads, spaces, pools, memory", own)}
            for c in containers}
    for owner, kind, _, qn, _ in objects:
        what = {1: "endpoint", 2: "notification", 3: "memory"}[kind]
        held[containers[owner]["name"]].add((what, qn, frozenset(rights[what])))
    for i, cs in enumerate(caps):
        for slot, t, bits, target, badge, count in cs:
            kind = NAMES[t]
            if kind == "container":
                name = containers[target]["name"]
            elif kind == "ioport":
                name = f"ports {target:#x}..{target + count - 1:#x}"
            elif kind == "irq":
                name = f"interrupt line {target}"
            elif kind == "memory" and count:  # device memory: badge is its base
                name = device_name(badge, count)
            elif kind == "clock":
                name = "the wall clock"
            else:
                name = objects[target][3]
            held[containers[i]["name"]].add((kind, name, rights_of(kind, bits, rights)))
    return held


def channels(held):
    """Pairs (giver, receiver) along which capabilities with 'grant' can move."""
    out = set()
    receivers = {}  # endpoint -> containers that may receive on it
    for c, auths in held.items():
        for kind, name, r in auths:
            if kind == "endpoint" and "receive" in r:
                receivers.setdefault(name, set()).add(c)
    for c, auths in held.items():
        for kind, name, r in auths:
            if kind == "container" and "receive" in r and name != c:
                out.add((c, name))
            if kind == "endpoint" and {"send", "transfer"} <= r:
                out |= {(c, d) for d in receivers.get(name, ()) if d != c}
    return out


def reach(containers, objects, caps, rights):
    """{container: {(kind, name, rights)}} everything it may ever hold, and the initial set."""
    first = initial_holdings(containers, objects, caps, rights)
    held = {c: set(a) for c, a in first.items()}
    changed = True
    while changed:
        changed = False
        for giver, taker in channels(held):
            movable = {a for a in held[giver] if "grant" in a[2]}
            if not movable <= held[taker]:
                held[taker] |= movable
                changed = True
    return held, first


def report(containers, objects, caps, rights):
    held, first = reach(containers, objects, caps, rights)
    paths = channels(held)
    lines = []
    for c in containers:
        name = c["name"]
        givers = sorted(g for g, t in paths if t == name)
        lines.append(f"{name}: program {c['program']}; may be given capabilities by "
                     f"{', '.join(givers) or 'nobody'}")
        if "fault" in c:  # checked: the container holds a capability that may send to it
            lines.append(f"  first thread's fault endpoint {c['fault']}, foreign system calls "
                         f"{c.get('foreign_syscalls', 'off')} (no authority of its own: "
                         "through the capability it holds)")
        for kind, target, r in sorted(held[name], key=lambda a: (a[0], a[1])):
            how = "" if (kind, target, r) in first[name] else "   (through grants)"
            lines.append(f"  {kind:12} {target:28} {','.join(sorted(r)) or '-'}{how}")
    return "\n".join(lines) + "\n"


def q(text):
    """A DOT string: names may hold quotes and backslashes."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(containers, objects, caps, rights):
    """The capability graph in Graphviz's language."""
    out = ["digraph coffer {", '  rankdir=LR; node [fontname="Helvetica"];']
    for c in containers:
        label = q(f"{c['name']}\n({c['program']})").replace("\n", "\\n")
        out.append(f'  {q(c["name"])} [shape=box, style=bold, label={label}];')
    for owner, kind, _, qn, pages in objects:
        shape = {1: "ellipse", 2: "diamond", 3: "folder"}[kind]
        label = q(qn + (f"\n{pages * 4}K" if kind == 3 else "")).replace("\n", "\\n")
        out.append(f'  {q(qn)} [shape={shape}, label={label}];')
        owns = "owns, fault endpoint" if containers[owner].get("fault") == qn else "owns"
        out.append(f'  {q(containers[owner]["name"])} -> {q(qn)} [style=bold, label="{owns}"];')
    for i, cs in enumerate(caps):
        holder = containers[i]["name"]
        for slot, t, bits, target, badge, count in cs:
            kind = NAMES[t]
            if kind == "container":
                node = containers[target]["name"]
            elif kind == "ioport":
                node = f"ports {target:#x}+{count}"
                out.append(f'  {q(node)} [shape=hexagon];')
            elif kind == "irq":
                node = f"IRQ {target}"
                out.append(f'  {q(node)} [shape=octagon];')
            elif kind == "memory" and count:
                node, badge = device_name(badge, count), 0
                out.append(f'  {q(node)} [shape=component];')
            elif kind == "clock":
                node = "wall clock"
                out.append(f'  {q(node)} [shape=circle];')
            else:
                node = objects[target][3]
            label = ",".join(sorted(rights_of(kind, bits, rights)))
            if badge:
                label += f" badge {badge}"
            if node == containers[i].get("fault") and kind == "endpoint" and "send" in label:
                label += ", fault endpoint"
            out.append(f'  {q(holder)} -> {q(node)} [label={q(f"{label} (slot {slot})")}];')
    out.append("}")
    return "\n".join(out) + "\n"


def draw(text, path):
    """Render DOT text to path (its extension says the format: .svg, .png or .dot)."""
    fmt = path.rsplit(".", 1)[-1]
    if fmt == "dot":
        with open(path, "w") as f:
            f.write(text)
        return
    subprocess.run(["dot", f"-T{fmt}", "-o", path], input=text, text=True, check=True)
