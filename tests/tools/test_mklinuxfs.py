# SPDX-License-Identifier: BSD-2-Clause
"""Tests of scripts/mklinuxfs.py: the image it writes (read back by a small reader here that
follows docs/linux-files.md), and one clear line and exit status 1 for each input it refuses.

The server's own reading of the image is tested in QEMU (LINUX-FS-SH, LINUX-SMOKE).

run: /usr/bin/python3 -m unittest discover -s tests/tools -v
"""
import os
import pathlib
import struct
import subprocess
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "mklinuxfs.py"
PYTHON = "/usr/bin/python3"
S_IFMT, S_IFDIR, S_IFREG, S_IFLNK = 0o170000, 0o040000, 0o100000, 0o120000


def read_image(data):
    """The image as {path: (mode, contents or target or None)}, checking its invariants."""
    magic, version, n, table, size, _ = struct.unpack_from("<8sIIQQQ", data, 0)
    assert magic == b"CFLINUXF" and version == 1 and size == len(data), (magic, version)
    inodes = [struct.unpack_from("<IIQQQ", data, table + 32 * i) for i in range(n)]
    out = {}
    todo = [("", 0)]
    while todo:
        path, i = todo.pop()
        mode, parent, off, size, _ = inodes[i]
        kind = mode & S_IFMT
        if kind == S_IFDIR:
            out[path or "/"] = (mode, None)
            names = []
            for e in range(size):
                child, name_off = struct.unpack_from("<II", data, off + 8 * e)
                name = data[name_off + 1:name_off + 1 + data[name_off]]
                names.append(name)
                if inodes[child][0] & S_IFMT == S_IFDIR:
                    assert inodes[child][1] == i, "a directory's parent"
                todo.append((f"{path}/{name.decode()}", child))
            assert names == sorted(names), "entries sorted"
        else:
            if kind == S_IFREG:
                assert off % 4096 == 0, "file contents page-aligned"
            out[path] = (mode, data[off:off + size])
    return out


class Tool(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = pathlib.Path(tmp.name)
        self.out = self.tmp / "fs.img"

    def run_tool(self, *args):
        p = subprocess.run([PYTHON, str(SCRIPT), str(self.out), *args], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertNotIn("Traceback", p.stdout)
        return p.returncode, p.stdout

    def tree(self):
        root = self.tmp / "root"
        (root / "etc").mkdir(parents=True)
        (root / "etc" / "hostname").write_text("coffer\n")
        (root / "tmp").mkdir()
        (root / "tmp" / ".gitkeep").write_text("")
        (root / "run.sh").write_text("#!/bin/sh\n")
        os.chmod(root / "run.sh", 0o750)
        os.symlink("etc/hostname", root / "name")
        return root

    def good(self, *args):
        status, out = self.run_tool(*args)
        self.assertEqual((status, out), (0, ""))
        return read_image(self.out.read_bytes())

    def refused(self, *args, says):
        status, out = self.run_tool(*args)
        self.assertEqual(status, 1, out)
        self.assertEqual(len(out.splitlines()), 1, out)
        self.assertTrue(out.startswith("mklinuxfs: "), out)
        self.assertIn(says, out)
        self.assertFalse(self.out.exists(), "no image after a refusal")


class Images(Tool):
    def test_tree_files_links_and_dirs(self):
        src = self.tmp / "prog"
        src.write_bytes(b"\x7fELF" + bytes(5000))
        img = self.good("--root", str(self.tree()), "--file", f"{src}:/bin/prog:0755",
                        "--link", "prog:/bin/sh", "--dir", "/tmp:1777", "--dir", "/proc")
        self.assertEqual(img["/etc/hostname"], (S_IFREG | 0o644, b"coffer\n"))
        self.assertEqual(img["/run.sh"][0], S_IFREG | 0o750)
        self.assertEqual(img["/name"], (S_IFLNK | 0o777, b"etc/hostname"))
        self.assertEqual(img["/bin/prog"], (S_IFREG | 0o755, src.read_bytes()))
        self.assertEqual(img["/bin/sh"], (S_IFLNK | 0o777, b"prog"))
        self.assertEqual(img["/tmp"][0], S_IFDIR | 0o1777)
        self.assertEqual(img["/proc"][0], S_IFDIR | 0o755)
        self.assertEqual(img["/bin"][0], S_IFDIR | 0o755, "made on the way")
        self.assertNotIn("/tmp/.gitkeep", img)
        self.assertEqual(len(self.out.read_bytes()) % 4096, 0)

    def test_empty_image_and_mode_from_source(self):
        src = self.tmp / "x"
        src.write_text("x")
        os.chmod(src, 0o600)
        img = self.good("--file", f"{src}:/x")
        self.assertEqual(set(img), {"/", "/x"})
        self.assertEqual(img["/x"][0], S_IFREG | 0o600)

    def test_same_inputs_same_image(self):
        root = str(self.tree())
        self.good("--root", root)
        first = self.out.read_bytes()
        self.good("--root", root)
        self.assertEqual(first, self.out.read_bytes())

    def test_the_repository_tree(self):
        img = self.good("--root", str(ROOT / "linux" / "root"), "--dir", "/tmp:1777")
        for d in ("/tmp", "/dev", "/proc", "/home", "/etc"):
            self.assertEqual(img[d][0] & S_IFMT, S_IFDIR, d)
        self.assertEqual(img["/etc/hostname"][1], b"coffer\n")
        self.assertTrue(img["/etc/passwd"][1].startswith(b"root:x:0:0:"))


class Refusals(Tool):
    def test_usage(self):
        for args in ([], ["--help"], ["--root"]):
            p = subprocess.run([PYTHON, str(SCRIPT), *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            self.assertEqual(p.returncode, 1)
            self.assertNotIn("Traceback", p.stdout)

    def test_unknown_option_and_missing_value(self):
        self.refused("--bogus", "x", says="unknown argument")
        self.refused("--file", says="needs a value")

    def test_root_twice_missing_or_not_a_directory(self):
        root = str(self.tree())
        self.refused("--root", root, "--root", root, says="once")
        self.refused("--root", str(self.tmp / "nope"), says="No such file")
        self.refused("--root", str(self.tmp / "root" / "run.sh"), says="not a directory")

    def test_special_file_in_tree(self):
        root = self.tree()
        os.mkfifo(root / "fifo")
        self.refused("--root", str(root), says="not a directory, regular file or symbolic link")

    def test_bad_file_entries(self):
        src = self.tmp / "s"
        src.write_text("s")
        self.refused("--file", "only", says="SRC:DEST")
        self.refused("--file", f"{self.tmp / 'nope'}:/x", says="not a regular file")
        self.refused("--file", f"{src}:relative", says="not an absolute path")
        self.refused("--file", f"{src}:/a/../b", says="'.' or '..'")
        self.refused("--file", f"{src}:/a//b", says="empty")
        self.refused("--file", f"{src}:/x:999", says="not an octal number")
        self.refused("--file", f"{src}:/x:17777", says="out of range")
        self.refused("--file", f"{src}:/", says="root directory")
        self.refused("--file", f"{src}:/" + "n" * 256, says="longer than 255")
        self.refused("--file", f"{src}:" + "/d" * 2048, says="longer than 4095")

    def test_duplicates_and_files_in_the_way(self):
        src = self.tmp / "s"
        src.write_text("s")
        self.refused("--file", f"{src}:/x", "--link", "y:/x", says="already in the image")
        self.refused("--file", f"{src}:/x", "--file", f"{src}:/x/y", says="not a directory")
        self.refused("--file", f"{src}:/x", "--dir", "/x", says="not a directory")

    def test_bad_links_and_dirs(self):
        self.refused("--link", "nodest", says="TARGET:DEST")
        self.refused("--link", ":/x", says="TARGET:DEST")
        self.refused("--link", "t" * 4096 + ":/x", says="link target")
        self.refused("--dir", "/d:8", says="not an octal number")
        self.refused("--dir", "", says="DEST")

    def test_unwritable_output(self):
        p = subprocess.run([PYTHON, str(SCRIPT), str(self.tmp / "no" / "dir" / "fs.img")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot write", p.stdout)
        self.assertNotIn("Traceback", p.stdout)


if __name__ == "__main__":
    unittest.main()
