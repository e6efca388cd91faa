# SPDX-License-Identifier: BSD-2-Clause
"""Find the line of a system file an error is about, so messages can say file:line."""
import re


def container_blocks(lines):
    """[(first line index, end index)] of each [[container]] table, in order."""
    starts = [i for i, l in enumerate(lines) if re.match(r"\s*\[\[\s*container\s*\]\]", l)]
    ends = []
    for n, s in enumerate(starts):
        # a table of its own ([[container.caps]] belongs to the container above it)
        nxt = next((i for i in range(s + 1, len(lines))
                    if re.match(r"\s*\[", lines[i]) and
                    not re.match(r"\s*\[\[?\s*container\s*\.", lines[i])), len(lines))
        ends.append(min(nxt, starts[n + 1]) if n + 1 < len(starts) else nxt)
    return list(zip(starts, ends))


def find_block(lines, where, msg=""):
    """The block of the container an error's 'where' names, or None."""
    blocks = container_blocks(lines)
    m = re.fullmatch(r"container #(\d+)", where)
    if m and int(m.group(1)) < len(blocks):
        return blocks[int(m.group(1))]
    m = re.fullmatch(r"container '(.*)'", where)
    if not m:
        return None
    name = re.escape(m.group(1))
    found = [(start, end) for start, end in blocks
             if any(re.match(rf'\s*name\s*=\s*["\']{name}["\']', lines[i])
                    for i in range(start, end))]
    if not found and re.fullmatch(r".*?\d+", m.group(1)):  # name<k>: a copy (copies = N)
        base = re.escape(re.fullmatch(r"(.*?)\d+", m.group(1)).group(1))
        found = [(start, end) for start, end in blocks
                 if any(re.match(rf'\s*name\s*=\s*["\']{base}["\']', lines[i])
                        for i in range(start, end)) and
                 any(re.match(r"\s*copies\s*=", lines[i]) for i in range(start, end))]
    if not found:
        return None
    return found[-1] if "used twice" in msg else found[0]  # the second one is the offender


def clues(msg):
    """Patterns, best first, that point at the line the message is about."""
    out = []
    for slot in re.findall(r"slot (\d+)", msg):
        out.append(rf"slot\s*=\s*{slot}\b")
    for word in re.findall(r"'([^']+)'", msg):
        w = re.escape(word)
        out += [rf"^\s*{w}\s*=", rf"[\"']{w}[\"']", rf"\b{w}\s*="]
    for key in ("priority", "ceiling", "memory", "region", "args", "pools", "badge", "rights",
                "ioports", "shared", "endpoints", "notifications", "caps"):
        if key in msg:
            out.append(rf"\b{key}\s*=")
    return out


def search(lines, patterns, start, end, last=False):
    """Index of the first (or last) line in start..end matching the first pattern that
    matches any, or None."""
    for pattern in patterns:
        hits = [i for i in range(start, end) if re.search(pattern, lines[i])]
        if hits:
            return hits[-1] if last else hits[0]
    return None


def locate(path, where, msg, hints=(), last=False):
    """1-based line number the error is about (0 if it is about the whole file): hints are
    patterns for the line, best first, else the message's words are; last: the last line a
    pattern matches is meant (the second of two of a kind)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return 0
    block = find_block(lines, where, msg)
    if not block:  # about the file: only a hint can say where
        i = search(lines, hints, 0, len(lines), last)
        return 0 if i is None else i + 1
    start, end = block
    i = search(lines, list(hints) + clues(msg), start, end, last)
    return start + 1 if i is None else i + 1
