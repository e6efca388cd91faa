# SPDX-License-Identifier: BSD-2-Clause
"""gdb support for Coffer systems (loaded by make debug: scripts/debugsystem.py).

Every user program is linked at the same address (user/lib/user.ld), so gdb cannot hold all
their symbols at once. This script holds one: whenever gdb stops, it reads the kernel's
current thread (sched.c's `current`) and its container's name, and loads the symbols of the
program that container runs. Commands:

  coffer containers          the system's containers and programs; which one runs now
  coffer program NAME        load the symbols of a container's (or a program's) program
  coffer auto on|off         swap the program symbols at each stop (on by default)
  coffer break WHO LOCATION  break at LOCATION (main, file.c:40, ...) of WHO's program, only
                             when WHO runs: WHO is a container name, or a program name for
                             every container running it
  coffer serial              print the guest's serial output that is new (also at each stop)

and the convenience functions $coffer_container() (the current container's name, "" in the
kernel's idle thread) and $coffer_in("WHO") (1 when WHO runs, as for coffer break).
"""
import json
import os

import gdb

# The kernel's running thread: in the CPU's own data (kernel/arch/x86_64/percpu.c), read
# through the symbol rather than GS, whose base is the user's while user code runs.
CURRENT = "'percpu.c'::cpu0.current"
NAME_LEN = 16  # struct container's name[16]


class State:
    containers = {}  # container name -> program ELF path
    serial = None  # the guest's serial log
    serial_pos = 0
    loaded = None  # the program ELF whose symbols gdb holds
    auto = True


def current_container():
    """The name of the container whose thread runs now, or None (idle thread, early boot)."""
    try:
        thread = gdb.parse_and_eval(CURRENT)
        if int(thread) == 0 or int(thread["container"]) == 0:
            return None
        name = thread["container"]["name"]
        raw = bytes(gdb.selected_inferior().read_memory(name.address, NAME_LEN))
    except gdb.error:
        return None  # not stopped, or a kernel built without the symbol (LTO)
    return raw.split(b"\0")[0].decode(errors="replace")


def program_of(who):
    """The ELF path for a container name or a program name; raises gdb.GdbError if neither."""
    if who in State.containers:
        return State.containers[who]
    for path in State.containers.values():
        if os.path.basename(path) == who + ".elf":
            return path
    names = ", ".join(State.containers) or "none: run coffer setup first"
    raise gdb.GdbError(f"coffer: '{who}' is no container or program of this system "
                       f"(containers: {names})")


def load_program(path):
    """Make path the one user program whose symbols gdb holds."""
    if path == State.loaded:
        return
    if State.loaded:
        gdb.execute(f"remove-symbol-file {State.loaded}", to_string=True)
        State.loaded = None
    gdb.execute(f"add-symbol-file {path}", to_string=True)
    State.loaded = path


def print_serial():
    """Print what the guest wrote to its serial port since the last call."""
    if not State.serial:
        return
    try:
        with open(State.serial, "rb") as f:
            f.seek(State.serial_pos)
            new = f.read()
    except OSError:
        return
    State.serial_pos += len(new)
    for line in new.decode(errors="replace").replace("\r", "").splitlines():
        print(f"serial| {line}")


def on_stop():
    """Run before gdb prints where it stopped (hook-stop): the right program's symbols."""
    print_serial()
    name = current_container()
    if State.auto and name in State.containers:
        load_program(State.containers[name])


class Coffer(gdb.Command):
    """Coffer systems: coffer containers | program NAME | auto on|off | break WHO LOCATION |
serial | setup FILE.  See scripts/gdb/coffer.py."""

    def __init__(self):
        super().__init__("coffer", gdb.COMMAND_USER, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        words = gdb.string_to_argv(arg)
        if not words:
            raise gdb.GdbError("usage: " + self.__doc__.split(": ", 1)[1])
        verb, args = words[0], words[1:]
        handler = {"setup": (1, setup), "containers": (0, containers), "program": (1, program),
                   "auto": (1, auto), "break": (2, break_in), "serial": (0, print_serial)}
        if verb not in handler:
            raise gdb.GdbError(f"coffer: no command '{verb}' (containers, program, auto, "
                               "break, serial, setup)")
        count, fn = handler[verb]
        if len(args) != count:
            raise gdb.GdbError(f"coffer {verb}: takes {count} argument(s), not {len(args)}")
        fn(*args)


def setup(path):
    """Read the system's containers (written by debugsystem.py) and hook gdb's stops."""
    try:
        with open(path) as f:
            desc = json.load(f)
    except (OSError, ValueError) as e:
        raise gdb.GdbError(f"coffer setup: {path}: {e}")
    State.containers, State.serial = desc["containers"], desc.get("serial")
    gdb.execute("set confirm off")
    gdb.execute("set pagination off")
    gdb.execute("define hook-stop\npython on_stop()\nend")
    # and before each prompt: what the guest printed as it ended (QEMU gone, no stop)
    gdb.events.before_prompt.connect(print_serial)
    try:
        gdb.parse_and_eval(CURRENT)
    except gdb.error:
        print("coffer: this kernel hides the current thread (an LTO build?): make debug "
              "builds one without LTO, in build/debug; programs are not swapped")


def containers():
    now = current_container()
    for name, path in State.containers.items():
        marks = (["running"] if name == now else []) + \
            (["symbols loaded"] if path == State.loaded else [])
        prog = os.path.splitext(os.path.basename(path))[0]
        print(f"{name:16} {prog:12} {', '.join(marks)}")


def program(who):
    load_program(program_of(who))
    print(f"coffer: symbols of {State.loaded}")


def auto(onoff):
    if onoff not in ("on", "off"):
        raise gdb.GdbError("coffer auto: on or off")
    State.auto = onoff == "on"


def break_in(who, location):
    """An address breakpoint at location in who's program, taken only while who runs.

    An address breakpoint, not a location one: gdb would move a location breakpoint to
    the same name in another program each time the symbols are swapped."""
    path, before = program_of(who), State.loaded
    load_program(path)
    try:
        # read each place while its symbol table is loaded: it is gone once swapped back
        places = [(sal.pc, f"{sal.symtab.filename}:{sal.line}" if sal.symtab else "?")
                  for sal in gdb.decode_line(location)[1] or []]
    except gdb.error as e:
        raise gdb.GdbError(f"coffer break: {location} in {who}: {e}")
    finally:
        if before:
            load_program(before)
    for pc, where in places:  # one per inlined copy of a function
        gdb.execute(f'break *{pc:#x} if $coffer_in("{who}")', to_string=True)
        number = gdb.breakpoints()[-1].number
        print(f"Breakpoint {number} at {pc:#x}: {location} in {who} ({where})")


class CofferContainer(gdb.Function):
    """$coffer_container(): the name of the container running now ("" if none)."""

    def __init__(self):
        super().__init__("coffer_container")

    def invoke(self):
        return current_container() or ""


class CofferIn(gdb.Function):
    """$coffer_in("WHO"): 1 while container WHO, or a container running program WHO, runs."""

    def __init__(self):
        super().__init__("coffer_in")

    def invoke(self, who):
        who, now = who.string(), current_container()
        if now is None:
            return 0
        if who in State.containers:
            return int(now == who)
        return int(os.path.basename(State.containers.get(now, "")) == who + ".elf")


Coffer()
CofferContainer()
CofferIn()
