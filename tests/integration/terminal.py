#!/usr/bin/python3
"""Colour only on a terminal and never with NO_COLOR; --help and --version
for every command."""
import os
import select
import subprocess
import tempfile

FOLLOWUP = os.environ["FOLLOWUP"]
NOTE = "---\ntype: people\nlast_contact: 2025-01-01\n---\n"


def report(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


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


with tempfile.TemporaryDirectory() as vault:
    with open(os.path.join(vault, "Ana.md"), "w") as f:
        f.write(NOTE)
    args = [FOLLOWUP, "status", "--vault", vault, "--today", "2026-01-10"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(HOME=vault, XDG_CONFIG_HOME=vault)

    code, out = run_in_pty(args, env)
    report("colour on a terminal", code == 0 and b"\x1b[1;34mcold" in out,
           repr(out[:300]))
    code, out = run_in_pty(args, dict(env, NO_COLOR="1"))
    report("no colour on a terminal with NO_COLOR", code == 0 and
           b"\x1b[" not in out and b"cold" in out, repr(out[:300]))
    code, out = run_in_pty(args, dict(env, NO_COLOR=""))
    report("empty NO_COLOR does not turn colour off", code == 0 and
           b"\x1b[" in out, repr(out[:300]))
    r = subprocess.run(args, capture_output=True, env=env)
    report("no colour into a pipe", r.returncode == 0 and
           b"\x1b[" not in r.stdout and b"cold" in r.stdout, repr(r.stdout))

for cmd, words in (("status", ["--format", "--state", "--vault", "--today"]),
                   ("check", ["--vault", "--config"])):
    r = subprocess.run([FOLLOWUP, cmd, "--help"], capture_output=True)
    text = r.stdout.decode()
    report("%s --help" % cmd, r.returncode == 0 and
           text.startswith("usage: followup %s" % cmd) and
           all(w in text for w in words), "exit %d: %s" % (r.returncode, text))
    r = subprocess.run([FOLLOWUP, cmd, "--version"], capture_output=True)
    report("%s --version" % cmd, r.returncode == 0 and
           r.stdout.decode().startswith("followup "), r.stdout.decode())

r = subprocess.run([FOLLOWUP, "--help"], capture_output=True)
report("followup --help lists the commands", r.returncode == 0 and
       b"status" in r.stdout and b"check" in r.stdout, r.stdout.decode())
r = subprocess.run([FOLLOWUP, "--version"], capture_output=True)
report("followup --version", r.returncode == 0 and
       r.stdout.startswith(b"followup "), r.stdout.decode())
r = subprocess.run([FOLLOWUP], capture_output=True)
report("followup alone is a usage error", r.returncode == 64 and
       b"usage:" in r.stderr, "exit %d" % r.returncode)
