#!/usr/bin/python3
"""Colour only on a terminal and never with NO_COLOR; --help and --version
for every command."""
import os
import select
import subprocess

import testlib as t
from testlib import report

NOTE = "---\ntype: people\nlast_contact: 2025-01-01\n---\n"


def run_in_pty(args, env):
    """Run args with stdout and stderr on a pseudo-terminal; return output.

    This side keeps the terminal's other end open until it has read all:
    when the last holder of that end closes it, Linux may drop what the
    program wrote but this side has not read yet (a hang-up)."""
    master, slave = os.openpty()
    p = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave,
                         env=env, close_fds=True)
    out = b""

    def drain(timeout):
        nonlocal out
        while select.select([master], [], [], timeout)[0]:
            chunk = os.read(master, 65536)
            if not chunk:
                return
            out += chunk

    while p.poll() is None:
        drain(0.05)
    drain(0.2)
    os.close(slave)
    os.close(master)
    return p.returncode, out


vault = os.path.join(t.TMP, "vault")
t.write(os.path.join(vault, "Ana.md"), NOTE)
args = ["status", "--vault", vault, "--today", "2026-01-10"]
env = t.env(NO_COLOR=None)

code, out = run_in_pty([t.FOLLOWUP] + args, env)
report("colour on a terminal", code == 0 and b"\x1b[1;34mcold" in out,
       repr(out[:300]))
code, out = run_in_pty([t.FOLLOWUP] + args, dict(env, NO_COLOR="1"))
report("no colour on a terminal with NO_COLOR", code == 0 and
       b"\x1b[" not in out and b"cold" in out, repr(out[:300]))
code, out = run_in_pty([t.FOLLOWUP] + args, dict(env, NO_COLOR=""))
report("empty NO_COLOR does not turn colour off", code == 0 and
       b"\x1b[" in out, repr(out[:300]))
r = t.run(args, env)
report("no colour into a pipe", r.returncode == 0 and
       "\x1b[" not in r.stdout and "cold" in r.stdout, repr(r.stdout))

for cmd, words in (("status", ["--format", "--state", "--vault", "--today"]),
                   ("check", ["--vault", "--config"])):
    r = t.run([cmd, "--help"], env)
    report("%s --help" % cmd, r.returncode == 0 and
           r.stdout.startswith("usage: followup %s" % cmd) and
           all(w in r.stdout for w in words),
           "exit %d: %s" % (r.returncode, r.stdout))
    r = t.run([cmd, "--version"], env)
    report("%s --version" % cmd, r.returncode == 0 and
           r.stdout.startswith("followup "), r.stdout)

r = t.run(["--help"], env)
report("followup --help lists the commands", r.returncode == 0 and
       "status" in r.stdout and "check" in r.stdout, r.stdout)
r = t.run(["--version"], env)
report("followup --version", r.returncode == 0 and
       r.stdout.startswith("followup "), r.stdout)
r = t.run([], env)
report("followup alone is a usage error", r.returncode == 64 and
       "usage:" in r.stderr, "exit %d" % r.returncode)
t.finish()
