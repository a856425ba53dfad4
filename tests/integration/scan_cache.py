#!/usr/bin/python3
"""The scan cache: results with and without it are identical over edits,
renames, deletions and same-size rewrites that keep the mtime; an unchanged
vault is answered without opening a note; a corrupt cache or one from
another version is rebuilt with a warning; a change of the vault's Tasks
settings reads every note again."""
import json
import os
import shutil
import sqlite3
import time

import testlib as t
from testlib import report


def status(vault, state, *extra):
    r = t.run(["status", "--format", "json", "--vault", vault, "--today",
               "2026-01-10"] + list(extra), t.env(home=state), timeout=300)
    doc = json.loads(r.stdout)
    doc["vault"] = None
    return r.returncode, doc, r.stderr


def without_cache_warnings(doc):
    doc = dict(doc)
    doc["warnings"] = [w for w in doc["warnings"]
                       if not (w["path"] or "").endswith("scan-cache.db")]
    return doc


def same(vault, state, label):
    code1, cached, _ = status(vault, state)
    code2, fresh, _ = status(vault, state, "--no-cache")
    report("cache: %s gives the same result" % label,
           code1 == code2 and cached == fresh,
           "cached and uncached results differ")
    return cached


def rebuilt(vault, state, expected, warning, first, then):
    """The next run warns (warning) and rebuilds the cache, the one after
    is quiet; both give the expected (uncached) result."""
    _, doc, err = status(vault, state)
    report(first, without_cache_warnings(doc) == expected and warning in err,
           err[-300:])
    _, doc, err = status(vault, state)
    report(then, doc == expected and "scan cache" not in err, err[-300:])


tmp = t.TMP
vault = os.path.join(tmp, "vault")
state = os.path.join(tmp, "state")
os.mkdir(state)
shutil.copytree(t.VAULT, vault, symlinks=True)
db = os.path.join(t.env(home=state)["XDG_STATE_HOME"], "followup",
                  "scan-cache.db")

first = same(vault, state, "first run")
report("cache: file created", os.path.exists(db), db)
second = same(vault, state, "unchanged vault")

# An unchanged vault opens no note (files older than a second are
# trusted; the copy above is older by now or made so here).
old = 1_600_000_000
for root, _, files in os.walk(vault):
    for f in files:
        os.utime(os.path.join(root, f), (old, old))
time.sleep(1.2)     # utime changed the ctimes: let them age
status(vault, state)
if shutil.which("strace"):
    r = t.run(["status", "--vault", vault, "--today", "2026-01-10"],
              # LeakSanitizer cannot run under ptrace.
              t.env(home=state, ASAN_OPTIONS="detect_leaks=0"),
              prefix=["strace", "-f", "-e", "trace=openat,open", "-o",
                      os.path.join(tmp, "trace")])
    opened = [l for l in open(os.path.join(tmp, "trace"))
              if ".md\"" in l]
    report("cache: an unchanged vault is answered without opening a note",
           r.returncode == 65 and not opened,
           "exit %d, %s%s" % (r.returncode, r.stderr[-300:],
                              "".join(opened[:5])))
else:
    report("cache: an unchanged vault is answered without opening a note",
           False, "strace is not installed")

ana = os.path.join(vault, "People", "Luis Herrera.md")
text = open(ana, encoding="utf-8").read()
with open(ana, "w", encoding="utf-8") as f:
    f.write(text.replace("last_contact: 2026-01-09T16:30:00-08:00",
                         "last_contact: 2026-01-05"))
after = same(vault, state, "edited note")
luis = [c for c in after["contacts"] if c["name"] == "Luis Herrera"][0]
report("cache: the edit is seen", luis["last_contact"] == "2026-01-05",
       str(luis))

# Same size, same mtime to the nanosecond: only ctime tells.
st = os.stat(ana)
body = open(ana, encoding="utf-8").read()
swapped = body.replace("2026-01-05", "2026-01-06")
assert len(swapped.encode()) == len(body.encode())
with open(ana, "w", encoding="utf-8") as f:
    f.write(swapped)
os.utime(ana, ns=(st.st_atime_ns, st.st_mtime_ns))
after = same(vault, state, "same-size rewrite with the old mtime")
luis = [c for c in after["contacts"] if c["name"] == "Luis Herrera"][0]
report("cache: the same-size rewrite is seen",
       luis["last_contact"] == "2026-01-06", str(luis))

# Rewritten right after a run, in the same second, same size.
with open(ana, "w", encoding="utf-8") as f:
    f.write(swapped.replace("2026-01-06", "2026-01-07"))
status(vault, state)
with open(ana, "w", encoding="utf-8") as f:
    f.write(swapped.replace("2026-01-06", "2026-01-08"))
after = same(vault, state, "same-second rewrite")
luis = [c for c in after["contacts"] if c["name"] == "Luis Herrera"][0]
report("cache: the same-second rewrite is seen",
       luis["last_contact"] == "2026-01-08", str(luis))

os.rename(os.path.join(vault, "People", "Nadia Rahman.md"),
          os.path.join(vault, "People", "Nadia R.md"))
after = same(vault, state, "renamed note")
report("cache: the rename is seen", "People/Nadia R.md" in
       [c["path"] for c in after["contacts"]], "")

os.unlink(os.path.join(vault, "People", "Mei Tanaka.md"))
shutil.rmtree(os.path.join(vault, "Projects"))
after = same(vault, state, "deleted notes and folder")
report("cache: deleted notes are gone",
       "Mei Tanaka" not in [c["name"] for c in after["contacts"]] and
       not any(i["path"].startswith("Projects/") for c in after["contacts"]
               for i in c["open_items"]), "")
rows = sqlite3.connect(db).execute(
    "SELECT count(*) FROM scan_files WHERE path LIKE 'Projects/%' OR "
    "path = 'People/Mei Tanaka.md'").fetchone()[0]
report("cache: rows of deleted notes are dropped", rows == 0,
       "%d rows left" % rows)

with open(os.path.join(vault, "People", "New Person.md"), "w") as f:
    f.write("---\ntype: people\nlast_contact: 2026-01-01\n---\n")
same(vault, state, "new note")

expected = status(vault, state, "--no-cache")[1]
con = sqlite3.connect(db)
con.execute("UPDATE meta SET value = 'followup-scan-cache 0' "
            "WHERE key = 'schema'")
con.commit()
con.close()
rebuilt(vault, state, expected, "another version",
        "cache: another version is rebuilt with a warning",
        "cache: no warning once rebuilt")

for suffix in ("-wal", "-shm"):
    if os.path.exists(db + suffix):
        os.unlink(db + suffix)
with open(db, "wb") as f:
    f.write(b"this is not a database" * 100)
rebuilt(vault, state, expected, "damaged",
        "cache: a corrupt cache is rebuilt with a warning",
        "cache: rebuilt cache is used again quietly")

# A change of the Tasks settings reads every note again, silently: the
# same unchanged note reads otherwise under another task format.
settings = os.path.join(vault, ".obsidian", "plugins",
                        "obsidian-tasks-plugin")
os.makedirs(settings, exist_ok=True)
with open(os.path.join(vault, "People", "Formats.md"), "w") as f:
    f.write("---\ntype: people\nlast_contact: 2026-01-01\n---\n"
            "- [ ] emoji 📅 2026-01-20\n- [ ] dataview [due:: 2026-01-21]\n")
old = 1_600_000_000
os.utime(os.path.join(vault, "People", "Formats.md"), (old, old))
time.sleep(1.2)


def formats_due(fmt):
    with open(os.path.join(settings, "data.json"), "w") as f:
        json.dump({"taskFormat": fmt}, f)
    code, doc, err = status(vault, state)
    person = [c for c in doc["contacts"] if c["name"] == "Formats"][0]
    return [i["due"] for i in person["open_items"]], err


for fmt, want in (("tasksPluginEmoji", ["2026-01-20", None]),
                  ("dataview", [None, "2026-01-21"]),
                  ("tasksPluginEmoji", ["2026-01-20", None])):
    status(vault, state)    # the cache holds the note as now read
    got, err = formats_due(fmt)
    report("cache: a change to taskFormat %s reads the notes again" % fmt,
           got == want and "scan cache" not in err, "%r %s" % (got, err))
os.unlink(os.path.join(settings, "data.json"))
os.unlink(os.path.join(vault, "People", "Formats.md"))

status(vault, state, "--no-cache")
before = os.stat(db).st_mtime_ns
status(vault, state, "--no-cache")
report("cache: --no-cache leaves the cache alone",
       os.stat(db).st_mtime_ns == before, "")
t.finish()
