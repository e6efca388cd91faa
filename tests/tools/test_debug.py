# SPDX-License-Identifier: BSD-2-Clause
"""make debug: gdb on a booting system, with the symbols of the program that runs.

Builds what make debug builds (build/debug, kernel without LTO), then runs
scripts/debugsystem.py with a gdb batch script on a system where two different programs
share the user address range: gdb must stop in the right container's program, name its
function and file, and step from the syscall instruction into the kernel's entry.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BUILD = "build/debug"  # the Makefile's DEBUG_BUILD
TIMEOUT = 120  # seconds for one gdb session; QEMU is killed with it

# hello's symbols first, so that only the swap at the stop can name echo's main
SYSTEM = """
[[container]]
name = "greeter"
program = "hello"

[[container]]
name = "server"
program = "echo"
args = "server"
endpoints = [{ name = "echo", slot = 16 }]

[[container]]
name = "client"
program = "echo"
args = "client"
caps = [{ slot = 16, type = "endpoint", target = "server.echo", rights = ["send"] }]
"""

SCRIPT = """
coffer program greeter
coffer break client main
continue
echo STOP-SYMBOL\\n
info symbol $pc
echo STOP-LINE\\n
info line *$pc
python
for _ in range(2000):
    pc = int(gdb.parse_and_eval("$pc"))
    if gdb.selected_frame().architecture().disassemble(pc)[0]["asm"].startswith("syscall"):
        break
    gdb.execute("stepi", to_string=True)
# QEMU's stub now and then reports a step before the instruction ran: step until it did
for _ in range(5):
    gdb.execute("stepi", to_string=True)
    if int(gdb.parse_and_eval("$pc")) != pc:
        break
end
echo ENTRY-SYMBOL\\n
info symbol $pc
coffer break nosuch main
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def after(out, marker):
    """The line that follows marker in out ("" if none)."""
    lines = out.splitlines()
    return next((b for a, b in zip(lines, lines[1:]) if a.strip() == marker), "")


class MakeDebug(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.system = os.path.join(cls.tmp, "gdbpair.toml")
        with open(cls.system, "w") as f:
            f.write(SYSTEM)
        cls.built = subprocess.run(
            ["make", "-s", f"BUILD={BUILD}", "LTO=n", "system-images", f"SYSTEM={cls.system}"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def debug(self, script, *extra):
        if shutil.which("gdb") is None:
            self.fail("gdb is not installed: scripts/deps.sh installs it (make test runs it)")
        self.assertEqual(self.built.returncode, 0, self.built.stdout)
        path = os.path.join(self.tmp, "script.gdb")
        with open(path, "w") as f:
            f.write(script)
        cmd = [sys.executable, "scripts/debugsystem.py", self.system, BUILD,
               "--port", str(free_port()), "--batch", path, *extra]
        p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        return p.stdout

    def test_break_in_a_containers_program_then_step_into_the_kernel(self):
        out = self.debug(SCRIPT)
        self.assertRegex(out, r'Breakpoint \d+, main \(arg=0x[0-9a-f]+ "client"\) at '
                              r'user/echo/echo\.c:\d+', out)
        self.assertRegex(after(out, "STOP-SYMBOL"), r"^main in section \.text of .*/echo\.elf$",
                         out)
        self.assertRegex(after(out, "STOP-LINE"), r'^Line \d+ of "user/echo/echo\.c"', out)
        self.assertRegex(after(out, "ENTRY-SYMBOL"),
                         r"^syscall_entry in section \.text of .*/kernel64\.elf$", out)
        self.assertIn("coffer: 'nosuch' is no container or program of this system "
                      "(containers: greeter, server, client)", out)
        self.assertNotIn("Traceback", out)

    def test_bad_usage_is_refused(self):
        p = subprocess.run([sys.executable, "scripts/debugsystem.py", self.system, BUILD,
                            "--port", "http"], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("the gdb port must be a number from 1 to 65535, not 'http'", p.stdout)
        p = subprocess.run([sys.executable, "scripts/debugsystem.py", self.system], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30)
        self.assertIn("usage: debugsystem.py", p.stdout)

    def test_port_in_use_is_refused(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            out = self.debug("", "--port", str(s.getsockname()[1]))
        self.assertIn("is in use (another make debug?): choose one with GDBPORT=N", out)


if __name__ == "__main__":
    unittest.main()
