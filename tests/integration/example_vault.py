#!/usr/bin/python3
"""The bundled example vault: its `status --format json` is the golden file,
its text output has the states in order, `check` reports the same problems,
valgrind finds no error and no leak, and no command touches a note."""
import hashlib
import json
import os
import shutil

import testlib as t
from testlib import CONFIG, VAULT, report

GOLDEN = os.path.join(t.SRC, "tests", "golden", "example-status.json")
BASE = ["--vault", VAULT, "--config", CONFIG, "--today", "2026-01-10"]
# No config of the user's (an empty HOME), one state folder for all runs
# (the scan cache), colour as on a user's machine.
ENV = t.env(NO_COLOR=None)


def vault_hashes():
    out = {}
    for root, _, files in os.walk(VAULT):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[p] = (hashlib.sha256(fh.read()).hexdigest(),
                          os.stat(p).st_mtime_ns)
    return out


def run(args):
    return t.run(args, ENV, timeout=300)


before = vault_hashes()

r = run(["status", "--format", "json"] + BASE)
got = json.loads(r.stdout)
got["vault"] = "examples/vault"
with open(GOLDEN, encoding="utf-8") as fh:
    want = json.load(fh)
report("example vault json equals golden file", got == want,
       "differs: run followup status --format json on examples/vault and "
       "compare with tests/golden/example-status.json")
report("example vault exit 65 (bad notes on purpose)", r.returncode == 65,
       "exit %d" % r.returncode)
errs = r.stderr
report("example vault errors on stderr with path:line",
       "People/Zoe Adams.md:1:" in errs and "People/Victor Almeida.md:6:" in errs
       and "  hint: " in errs, errs[:500])

r = run(["status"] + BASE)
lines = r.stdout.splitlines()
states = [l.split()[0] for l in lines[1:] if l and not l[0].isdigit()]
report("example vault text lists every contact in json order",
       states == [c["state"] for c in want["contacts"]],
       "text states %s" % states)
report("example vault text has no colour when not a terminal",
       "\033[" not in r.stdout, "escape codes found")
report("example vault text summary line",
       lines[-1].startswith("20 contacts: "), lines[-1] if lines else "")

r = run(["status", "--format", "json", "--state", "cold,never"] + BASE)
sel = json.loads(r.stdout)["contacts"]
report("example vault --state filter",
       [c["name"] for c in sel] == [c["name"] for c in want["contacts"]
                                     if c["state"] in ("cold", "never")],
       str([c["name"] for c in sel]))

r = run(["check"] + BASE)
out = r.stdout + r.stderr
report("example vault check exit 65 and counts", r.returncode == 65 and
       "4 errors, 1 warning" in out, "exit %d: %s" % (r.returncode, out[-400:]))

if os.environ.get("FOLLOWUP_SANITIZED"):
    pass  # valgrind cannot run an AddressSanitizer build
elif not shutil.which("valgrind"):
    report("valgrind status on example vault", False, "valgrind not installed")
else:
    # check runs from followup-net.so: the loader's bookkeeping for it
    # is suppressed (tests/valgrind.supp).
    for cmd in (["status", "--format", "json"], ["check"]):
        r = t.valgrind(cmd + BASE, ENV)
        report("valgrind %s on example vault: no error, no leak" % cmd[0],
               r.returncode == 65, "exit %d\n%s" % (r.returncode,
                                                    r.stderr[-2000:]))

report("no note of the example vault changed", vault_hashes() == before,
       "a file's bytes or mtime changed")

# The same again, answered from the scan cache the runs above filled.
r = run(["status", "--format", "json"] + BASE)
got = json.loads(r.stdout)
got["vault"] = "examples/vault"
report("example vault json from the scan cache equals golden file",
       got == want and r.returncode == 65, "differs")
t.finish()
