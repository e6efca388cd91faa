# SPDX-License-Identifier: BSD-2-Clause
"""The kernel's limits, read from the headers the kernel is built from and from the Kconfig
configuration in use, so the checker (mksystem.py) can never drift from the kernel."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The architecture the scripts build, boot and check for: the Makefile exports its ARCH
ARCHES = ("x86_64", "aarch64")
ARCH = os.environ.get("ARCH") or "x86_64"
if ARCH not in ARCHES:
    raise SystemExit(f"ARCH={ARCH}: Coffer builds for {' and '.join(ARCHES)}")
# the headers whose #defines the checker needs, each beside the kernel code that obeys them
HEADERS = ["include/coffer/sysdesc.h", "kernel/include/sysdesc.h",
           f"kernel/arch/{ARCH}/include/arch_layout.h"]


def c_int(expr):
    """The value of a C integer constant expression like (64u << 20) or 0x40000000, or None."""
    expr = re.sub(r"/\*.*?\*/", "", expr).strip()
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", expr)
    if not expr or not re.fullmatch(r"(\s|0[xX][0-9a-fA-F]+|\d+|<<|>>|[()+*-])+", expr):
        return None
    try:
        return int(eval(expr, {"__builtins__": {}}))  # digits, shifts and parentheses only
    except (SyntaxError, ValueError, TypeError, ZeroDivisionError):
        return None


def integers(path, pattern):
    """{name: int} of the lines of a file that pattern matches as (name, integer constant)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(pattern, line)
            if m and (v := c_int(m.group(2))) is not None:
                out[m.group(1)] = v
    return out


def header_defines(path):
    """{NAME: int} of the #defines in a C header whose value is an integer constant."""
    return integers(path, r"\s*#\s*define\s+(\w+)\s+(.+)")


def kernel_defines():
    """Every integer #define of HEADERS."""
    out = {}
    for h in HEADERS:
        out.update(header_defines(os.path.join(ROOT, h)))
    return out


def config_file(build):
    """The configuration a kernel in build was (or will be) made from: its generated
    kconfig.h, else .config, else configs/defconfig; (path, kind)."""
    if build:
        gen = os.path.join(build, "gen", "kconfig.h")
        if os.path.exists(gen):
            return gen, "header"
    for name in (".config", "configs/defconfig"):
        path = os.path.join(ROOT, name)
        if os.path.isfile(path):
            return path, "config"
    return None, None


def kconfig(build=None):
    """({CONFIG_NAME: int}, where they came from) for the integer options of the configuration."""
    path, kind = config_file(build)
    if not path:
        return {}, "no configuration"
    if kind == "header":
        return {k: v for k, v in header_defines(path).items() if k.startswith("CONFIG_")}, path
    return integers(path, r"(CONFIG_\w+)=(\S+)"), os.path.relpath(path, ROOT)
