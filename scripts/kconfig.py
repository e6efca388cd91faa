#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Kernel configuration for the Makefile, through kconfiglib (Debian's python3-kconfiglib).

usage: kconfig.py header CONFIG HEADER   write HEADER (#define CONFIG_...) from CONFIG
       kconfig.py olddefconfig CONFIG    bring CONFIG up to date: defaults for new options
       kconfig.py savedefconfig CONFIG OUT   write the options of CONFIG that differ from
                                         their defaults to OUT (a minimal defconfig)

header refuses a CONFIG that kconfiglib warns about: a misspelled or removed option, a value
out of its range or of the wrong type, an option set twice. kconfiglib alone would print a
warning and quietly build with the default instead.
"""
import re
import sys

import kconfiglib

KCONFIG = "Kconfig"


def load(config):
    """The Kconfig tree with config loaded; warnings collected, not printed."""
    try:
        kconf = kconfiglib.Kconfig(KCONFIG, warn_to_stderr=False, suppress_traceback=True)
        kconf.warn_assign_undef = True  # a misspelled option is a mistake, not a no-op
        kconf.load_config(config)
        for sym in kconf.unique_defined_syms:
            sym.str_value  # noqa: B018 -- evaluating warns of values out of range
    except (OSError, kconfiglib.KconfigError) as e:
        sys.exit(f"kconfig: {e}")
    return kconf


RANGE = re.compile(r"user value (\S+) on the \w+ symbol (\w+) \(defined at ([^)]+)\) ignored due "
                   r"to being outside the active range \(\[(\S+), (\S+)\]\)")
SYMBOL = re.compile(r"\b(?:symbol|invalid for) (\w+)\b")


def explain(config, warning):
    """A kconfiglib warning in the user's terms: CONFIG's file:line where it names a symbol
    set there, and an out-of-range value said plainly (kconfiglib's "falling back on
    defaults" is not what happens: the build stops)."""
    if warning.startswith(config + ":"):  # kconfiglib gave the line itself
        return warning
    m = SYMBOL.search(warning)
    where = config
    if m:
        try:
            with open(config) as f:
                for n, text in enumerate(f, 1):
                    if text.startswith(f"CONFIG_{m.group(1)}="):
                        where = f"{config}:{n}"
        except OSError:
            pass
    r = RANGE.search(warning)
    if r:
        value, sym, defined, lo, hi = r.groups()
        return f"{where}: CONFIG_{sym}={value} is outside its range {lo}..{hi} ({defined})"
    return f"{where}: {warning}"


def write(what, out):
    """Run what() (a kconfiglib writer), a one-line message if out cannot be written."""
    try:
        return what()
    except OSError as e:
        sys.exit(f"kconfig: cannot write {out}: {e.strerror}")


def header(config, out):
    kconf = load(config)
    if kconf.warnings:
        for w in kconf.warnings:
            print(f"kconfig: {explain(config, w)}", file=sys.stderr)
        sys.exit(f"kconfig: {config} has {len(kconf.warnings)} problem(s): fix them, or run "
                 "make olddefconfig (drops unknown options) or make menuconfig")
    write(lambda: kconf.write_autoconf(out), out)


def olddefconfig(config):
    kconf = load(config)
    for w in kconf.warnings:  # what it is about to drop or correct
        print(f"kconfig: {w}")
    print(write(lambda: kconf.write_config(config), config))


def savedefconfig(config, out):
    kconf = load(config)
    print(write(lambda: kconf.write_min_config(out), out))


COMMANDS = {"header": (header, 2), "olddefconfig": (olddefconfig, 1),
            "savedefconfig": (savedefconfig, 2)}


def main():
    args = sys.argv[1:]
    if not args or args[0] not in COMMANDS or len(args) - 1 != COMMANDS[args[0]][1]:
        sys.exit(__doc__)
    COMMANDS[args[0]][0](*args[1:])


if __name__ == "__main__":
    main()
