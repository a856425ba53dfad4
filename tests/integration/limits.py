#!/usr/bin/python3
"""Files followup cannot or will not read: each is an error naming the file,
the rest of the vault is still computed, and the exit status is 65."""
import json
import os
import subprocess

import testlib as t
from testlib import report


def status(vault):
    r = t.run(["status", "--format", "json", "--vault", vault, "--today",
               "2026-01-10"])
    return r.returncode, json.loads(r.stdout), r.stderr


GOOD = "---\ntype: people\nlast_contact: 2026-01-01\n---\n- [ ] call\n"

vault = os.path.join(t.TMP, "big")
t.write(os.path.join(vault, "Ana.md"), GOOD)
# Over 16 MiB: refused without being read.
with open(os.path.join(vault, "Huge.md"), "w") as f:
    f.write("---\ntype: people\n---\n")
    f.write(("x" * 1023 + "\n") * (17 * 1024))
os.symlink("nowhere.md", os.path.join(vault, "Dangling.md"))
code, doc, err = status(vault)
errs = {e["path"]: e for e in doc["errors"]}
report("file over 16 MiB is an error and skipped",
       "Huge.md" in errs and "MiB" in errs["Huge.md"]["message"] and
       "Huge.md" in err, json.dumps(doc["errors"]))
report("dangling link is an error naming it",
       "Dangling.md" in errs and "cannot read" in
       errs["Dangling.md"]["message"], json.dumps(doc["errors"]))
report("the rest of the vault is still computed, exit 65",
       code == 65 and [c["name"] for c in doc["contacts"]] == ["Ana"],
       "exit %d contacts %s" % (code, doc["contacts"]))

# A note of exactly 16 MiB is still read.
with open(os.path.join(vault, "Huge.md"), "w") as f:
    head = "---\ntype: people\n---\n"
    f.write(head + "x" * (16 * 1024 * 1024 - len(head)))
os.unlink(os.path.join(vault, "Dangling.md"))
code, doc, err = status(vault)
report("note of exactly 16 MiB is read",
       code == 0 and sorted(c["name"] for c in doc["contacts"]) ==
       ["Ana", "Huge"], "exit %d %s" % (code, err[:300]))

vault = os.path.join(t.TMP, "loop")
t.write(os.path.join(vault, "Ana.md"), GOOD)
os.mkdir(os.path.join(vault, "loop"))
os.symlink("..", os.path.join(vault, "loop", "up"))
code, doc, err = status(vault)
report("a link to a folder is not followed (no loop)",
       code == 0 and [c["path"] for c in doc["contacts"]] == ["Ana.md"],
       "exit %d %s" % (code, doc["contacts"]))

vault = os.path.join(t.TMP, "full")
t.write(os.path.join(vault, "Ana.md"), GOOD)
with open("/dev/full", "w") as full:
    r = subprocess.run([t.FOLLOWUP, "status", "--vault", vault, "--today",
                        "2026-01-10"], stdout=full, stderr=subprocess.PIPE,
                       env=t.env(), timeout=60)
report("output that cannot be written: exit 73 and a message",
       r.returncode == 73 and b"cannot write the output" in r.stderr,
       "exit %d %s" % (r.returncode, r.stderr[:200]))
t.finish()
