# SPDX-License-Identifier: BSD-2-Clause
"""A copy of what the scripts read, for running them with ARCH=aarch64 in the tool tests.

mksystem.py reads the kernel's limits from kernel/arch/$ARCH/include/arch_layout.h. Until the
AArch64 kernel's own header is in the tree, the copy gets a stand-in holding what the scripts
read of it (DIRECT_MAP_SIZE); once it is there, the copy has the real one, and every number a
test expects is read from the copy's headers, never written into the test.
"""
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PYTHON = "/usr/bin/python3"
LAYOUT = "kernel/arch/aarch64/include/arch_layout.h"
STAND_IN = "#define DIRECT_MAP_SIZE (512ull << 30) /* stand-in: the tree has no " \
           "AArch64 kernel yet */\n"
FILES = ["include/coffer/sysdesc.h", "kernel/include/sysdesc.h", "kernel/include/bootpack.h",
         "kernel/arch/x86_64/include/arch_layout.h",
         "configs/defconfig", "systems/echo.toml"]


def make(dest):
    """Lay the copy out in dest (a fresh directory); returns dest as a Path."""
    dest = pathlib.Path(dest)
    shutil.copytree(ROOT / "scripts", dest / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for f in FILES:
        (dest / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / f, dest / f)
    (dest / LAYOUT).parent.mkdir(parents=True, exist_ok=True)
    if (ROOT / LAYOUT).exists():
        shutil.copy(ROOT / LAYOUT, dest / LAYOUT)
    else:
        (dest / LAYOUT).write_text(STAND_IN)
    for d in (ROOT / "user").iterdir():  # the programs there are, by name
        if d.is_dir():
            (dest / "user" / d.name).mkdir(parents=True)
    return dest


def defines(tree, header):
    """The integer #defines of a header in the copy, as the scripts read them."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import syslimits
    return syslimits.header_defines(str(pathlib.Path(tree) / header))


def elf(path, machine):
    """A file that starts like an ELF executable for machine (EM_*): all the checker reads."""
    pathlib.Path(path).write_bytes(b"\x7fELF" + bytes(14) + machine.to_bytes(2, "little") +
                                   bytes(44))


def run(tree, args, arch="aarch64", code=None, **env):
    """Run a script of the copy (args[0], relative to it, or python code) with ARCH=arch;
    returns (status, stdout and stderr)."""
    cmd = [PYTHON, "-c", code, *args] if code else [PYTHON, str(pathlib.Path(tree) / args[0]),
                                                   *args[1:]]
    p = subprocess.run(cmd, cwd=tree, env=dict(os.environ, ARCH=arch, **env),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    return p.returncode, p.stdout
