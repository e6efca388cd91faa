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


def header(config, out):
    kconf = load(config)
    if kconf.warnings:
        for w in kconf.warnings:
            print(f"kconfig: {w}", file=sys.stderr)
        sys.exit(f"kconfig: {config} has {len(kconf.warnings)} problem(s): fix them, or run "
                 "make olddefconfig (drops unknown options) or make menuconfig")
    kconf.write_autoconf(out)


def olddefconfig(config):
    kconf = load(config)
    for w in kconf.warnings:  # what it is about to drop or correct
        print(f"kconfig: {w}")
    print(kconf.write_config(config))


def savedefconfig(config, out):
    kconf = load(config)
    print(kconf.write_min_config(out))


COMMANDS = {"header": (header, 2), "olddefconfig": (olddefconfig, 1),
            "savedefconfig": (savedefconfig, 2)}


def main():
    args = sys.argv[1:]
    if not args or args[0] not in COMMANDS or len(args) - 1 != COMMANDS[args[0]][1]:
        sys.exit(__doc__)
    COMMANDS[args[0]][0](*args[1:])


if __name__ == "__main__":
    main()
