#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Build the read-only file-system image the Linux personality mounts at / (docs/linux-files.md).

usage: mklinuxfs.py OUT [--root DIR] [--file SRC:DEST[:MODE]]... [--link TARGET:DEST]...
                        [--dir DEST[:MODE]]...

--root DIR    a directory tree copied as it is: directories, regular files (with their mode
              bits) and symbolic links; files named .gitkeep are left out (they only make git
              keep an empty directory)
--file        the host file SRC as DEST (absolute), mode MODE (octal; default: SRC's mode)
--link        a symbolic link DEST whose target is TARGET (kept as it is written)
--dir         a directory DEST (created if missing) with mode MODE (octal; default 0755)
A DEST's missing parent directories are created with mode 0755. Any error is one line on
stderr and exit status 1.

The image (all integers little-endian; the server checks every field before use, fs_img.c):
  header, 64 bytes at offset 0:
    0  8 bytes  magic b"CFLINUXF"
    8  u32      version (1)
    12 u32      inode count N (inode 0 is the root directory)
    16 u64      offset of the inode table (8-aligned)
    24 u64      size of the image in bytes
    32 u64      modification time of everything in it (seconds since 1970)
    40 24 bytes zero
  inode table: N inodes of 32 bytes:
    0  u32      mode: Linux's st_mode (S_IFDIR, S_IFREG or S_IFLNK, and the 07777 bits)
    4  u32      a directory's parent directory (the root's is 0); 0 for others
    8  u64      offset of the contents: a file's bytes (4096-aligned), a link's target,
                a directory's entries
    16 u64      size: a file's length, a link target's length (1..4095), a directory's
                number of entries
    24 u64      zero
  a directory's entries: 8 bytes each, sorted by name (bytewise), no "." or "..":
    0  u32      inode
    4  u32      offset of the name: one length byte (1..255), then the name's bytes
                (no '/', no NUL)
  Every directory other than the root is the entry of exactly one directory, its parent.
"""
import os
import stat
import struct
import sys

MAGIC = b"CFLINUXF"
VERSION = 1
HEADER = 64
INODE = 32
DIRENT = 8
PATH_MAX = 4096
NAME_MAX = 255
S_IFDIR, S_IFREG, S_IFLNK = 0o040000, 0o100000, 0o120000


class Refused(Exception):
    """A bad input: the message says which and why."""


class Node:
    def __init__(self, kind, mode, data=b"", where=""):
        self.kind = kind          # S_IFDIR, S_IFREG or S_IFLNK
        self.mode = mode          # the 07777 bits
        self.data = data          # a file's bytes, a link's target
        self.children = {}        # a directory's: name (bytes) -> Node
        self.where = where        # where it came from, for messages


def parse_mode(text, what):
    try:
        mode = int(text, 8)
    except ValueError:
        raise Refused(f"{what}: mode {text!r} is not an octal number") from None
    if not 0 <= mode <= 0o7777:
        raise Refused(f"{what}: mode {text} is out of range (0..7777)")
    return mode


def split_dest(dest, what):
    """The components of an absolute destination path, refusing anything unclear."""
    if not dest.startswith("/"):
        raise Refused(f"{what}: destination {dest!r} is not an absolute path")
    if len(dest.encode()) >= PATH_MAX:
        raise Refused(f"{what}: destination is longer than {PATH_MAX - 1} bytes")
    parts = dest.split("/")[1:]
    if parts == [""]:
        return []
    for part in parts:
        check_name(part, f"{what}: destination {dest!r}")
    return parts


def check_name(name, what):
    raw = name.encode("utf-8", "surrogateescape")
    if name in ("", ".", ".."):
        raise Refused(f"{what}: empty, '.' or '..' path component")
    if len(raw) > NAME_MAX:
        raise Refused(f"{what}: name {name[:20]!r}... is longer than {NAME_MAX} bytes")
    if "\0" in name or "/" in name:
        raise Refused(f"{what}: name {name!r} holds a NUL or '/'")
    return raw


def place(root, parts, node, what):
    """Put node at parts below root, making missing directories; refuse a duplicate."""
    if not parts:
        raise Refused(f"{what}: cannot replace the root directory")
    d = root
    for part in parts[:-1]:
        key = part.encode("utf-8", "surrogateescape")
        child = d.children.get(key)
        if child is None:
            child = d.children[key] = Node(S_IFDIR, 0o755, where=what)
        elif child.kind != S_IFDIR:
            raise Refused(f"{what}: {part!r} on the way is not a directory ({child.where})")
        d = child
    key = parts[-1].encode("utf-8", "surrogateescape")
    if key in d.children:
        raise Refused(f"{what}: /{'/'.join(parts)} is already in the image "
                      f"({d.children[key].where})")
    d.children[key] = node


def read_file(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise Refused(f"{what}: cannot read {path}: {e.strerror}") from None


def from_tree(top):
    """The tree below directory top, as a Node."""
    try:
        st = os.stat(top)
    except OSError as e:
        raise Refused(f"--root {top}: {e.strerror}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise Refused(f"--root {top}: not a directory")
    root = Node(S_IFDIR, stat.S_IMODE(st.st_mode), where=f"--root {top}")
    # iterative walk, with a bound on depth so that no input makes it run away
    todo = [(top, root, 0)]
    while todo:
        path, node, depth = todo.pop()
        if depth > 64:
            raise Refused(f"--root: {path} is nested more than 64 directories deep")
        try:
            names = sorted(os.listdir(path))
        except OSError as e:
            raise Refused(f"--root: cannot list {path}: {e.strerror}") from None
        for name in names:
            if name == ".gitkeep":
                continue
            full = os.path.join(path, name)
            key = check_name(name, f"--root: {full}")
            st = os.lstat(full)
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                target = os.readlink(full).encode("utf-8", "surrogateescape")
                check_target(target, f"--root: {full}")
                node.children[key] = Node(S_IFLNK, 0o777, target, f"--root {full}")
            elif stat.S_ISREG(st.st_mode):
                node.children[key] = Node(S_IFREG, mode, read_file(full, "--root"),
                                          f"--root {full}")
            elif stat.S_ISDIR(st.st_mode):
                child = node.children[key] = Node(S_IFDIR, mode, where=f"--root {full}")
                todo.append((full, child, depth + 1))
            else:
                raise Refused(f"--root: {full} is not a directory, regular file or "
                              "symbolic link")
    return root


def check_target(target, what):
    if not 0 < len(target) < PATH_MAX:
        raise Refused(f"{what}: a link target must be 1..{PATH_MAX - 1} bytes")
    if b"\0" in target:
        raise Refused(f"{what}: a link target holds a NUL")


def layout(root, mtime):
    """The image bytes for the tree root."""
    nodes = []                              # breadth-first: the root is inode 0
    parent = {}
    queue = [root]
    parent[id(root)] = 0
    while queue:
        node = queue.pop(0)
        nodes.append(node)
        if node.kind == S_IFDIR:
            for _, child in sorted(node.children.items()):
                if child.kind == S_IFDIR:
                    parent[id(child)] = len(nodes) - 1
                queue.append(child)
    index = {id(n): i for i, n in enumerate(nodes)}

    table_off = HEADER
    out = bytearray(table_off + INODE * len(nodes))
    inodes = []
    for node in nodes:
        if node.kind == S_IFREG:
            out += bytes(-len(out) % 4096)  # file contents are page-aligned
            off, size = len(out), len(node.data)
            out += node.data
        elif node.kind == S_IFLNK:
            off, size = len(out), len(node.data)
            out += node.data
        else:
            names = {}
            for name in sorted(node.children):
                names[name] = len(out)
                out += bytes([len(name)]) + name
            out += bytes(-len(out) % 8)
            off, size = len(out), len(node.children)
            for name, child in sorted(node.children.items()):
                out += struct.pack("<II", index[id(child)], names[name])
        if len(out) >= 1 << 32 and node.kind == S_IFDIR:
            raise Refused("the image would be larger than 4 GiB")
        inodes.append(struct.pack("<IIQQQ", node.kind | node.mode,
                                  parent.get(id(node), 0) if node.kind == S_IFDIR else 0,
                                  off, size, 0))
    out += bytes(-len(out) % 4096)
    out[table_off:table_off + INODE * len(nodes)] = b"".join(inodes)
    out[0:HEADER] = struct.pack("<8sIIQQQ24x", MAGIC, VERSION, len(nodes), table_off, len(out),
                                mtime)
    return bytes(out)


def parse_args(argv):
    if not argv or argv[0] in ("-h", "--help") or argv[0].startswith("-"):
        raise Refused("usage: mklinuxfs.py OUT [--root DIR] [--file SRC:DEST[:MODE]]... "
                      "[--link TARGET:DEST]... [--dir DEST[:MODE]]...")
    out, rest = argv[0], argv[1:]
    opts = []
    i = 0
    while i < len(rest):
        opt = rest[i]
        if opt not in ("--root", "--file", "--link", "--dir"):
            raise Refused(f"unknown argument {opt!r} (--root, --file, --link, --dir)")
        if i + 1 >= len(rest):
            raise Refused(f"{opt} needs a value")
        opts.append((opt, rest[i + 1]))
        i += 2
    if sum(1 for o, _ in opts if o == "--root") > 1:
        raise Refused("--root may be given once")
    return out, opts


def build(argv):
    out, opts = parse_args(argv)
    root = None
    for opt, value in opts:
        if opt == "--root":
            root = from_tree(value)
    if root is None:
        root = Node(S_IFDIR, 0o755, where="the root")
    for opt, value in opts:
        what = f"{opt} {value}"
        if opt == "--file":
            parts = value.split(":")
            if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
                raise Refused(f"{what}: expected SRC:DEST or SRC:DEST:MODE")
            src, dest = parts[0], parts[1]
            if not os.path.isfile(src):
                raise Refused(f"{what}: {src} is not a regular file")
            try:
                mode = (parse_mode(parts[2], what) if len(parts) == 3
                        else stat.S_IMODE(os.stat(src).st_mode))
            except OSError as e:
                raise Refused(f"{what}: {e.strerror}") from None
            place(root, split_dest(dest, what), Node(S_IFREG, mode, read_file(src, what), what),
                  what)
        elif opt == "--link":
            target, sep, dest = value.rpartition(":")
            if not sep or not target or not dest:
                raise Refused(f"{what}: expected TARGET:DEST")
            raw = target.encode("utf-8", "surrogateescape")
            check_target(raw, what)
            place(root, split_dest(dest, what), Node(S_IFLNK, 0o777, raw, what), what)
        elif opt == "--dir":
            parts = value.split(":")
            if len(parts) not in (1, 2) or not parts[0]:
                raise Refused(f"{what}: expected DEST or DEST:MODE")
            mode = parse_mode(parts[1], what) if len(parts) == 2 else 0o755
            dest = split_dest(parts[0], what)
            d = root
            for part in dest:
                key = part.encode("utf-8", "surrogateescape")
                child = d.children.get(key)
                if child is None:
                    child = d.children[key] = Node(S_IFDIR, 0o755, where=what)
                elif child.kind != S_IFDIR:
                    raise Refused(f"{what}: {part!r} is not a directory ({child.where})")
                d = child
            d.mode = mode
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    mtime = int(epoch) if epoch.isdigit() else 0
    image = layout(root, mtime)
    try:
        with open(out + ".tmp", "wb") as f:
            f.write(image)
        os.replace(out + ".tmp", out)
    except OSError as e:
        raise Refused(f"cannot write {out}: {e.strerror}") from None


def main(argv):
    try:
        build(argv)
    except Refused as e:
        print(f"mklinuxfs: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
