#!/usr/bin/python3
"""followup contacted and followup snooze: what one command against one
vault cannot show, the rest being cases (tests/cases/41NN-*: the exact
bytes after each edit, names, usage errors, broken frontmatter, a
symlinked note). Here: status sees an edit at once (the scan cache must
not answer with the note as it was); a note changed while followup works
(FOLLOWUP_TEST_EDIT_PAUSE_MS, a hook for tests only, makes followup wait
between reading the note and replacing it) is detected and kept; a
read-only note or folder is refused with nothing written."""
import json
import os
import stat
import subprocess

from testlib import FOLLOWUP, TMP, env, finish, report, run, section

TODAY = "2026-11-25"
_count = [0]


def vault(files):
    """A fresh vault holding files ({relpath: bytes}); its path."""
    _count[0] += 1
    root = os.path.join(TMP, "vault%d" % _count[0])
    for rel, data in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return root


def read(path):
    with open(path, "rb") as f:
        return f.read()


def tree(root):
    """Every file under root with its bytes (links as their target)."""
    out = {}
    for d, _, files in os.walk(root):
        for name in files:
            p = os.path.join(d, name)
            rel = os.path.relpath(p, root)
            out[rel] = ("link:" + os.readlink(p)) if os.path.islink(p) \
                else read(p)
    return out


def followup(root, *args, extra=None):
    e = env(**(extra or {}))
    return run(list(args) + ["--vault", root, "--today", TODAY], e)


def status_json(root):
    r = followup(root, "status", "--format", "json")
    return {c["path"]: c for c in json.loads(r.stdout)["contacts"]}


def temp_files(root):
    return [p for p in tree(root) if os.path.basename(p).startswith(".")]


@section
def status_sees_the_edit():
    root = vault({"People/Ana.md": b"---\ntype: people\ncadence: 14\n"
                  b"last_contact: 2025-01-01 # old\n---\n"})
    before = status_json(root)["People/Ana.md"]
    r = followup(root, "contacted", "Ana", "--date", "2026-11-20")
    after = status_json(root)["People/Ana.md"]
    report("contacted: status shows the new last contact",
           r.returncode == 0 and before["state"] == "cold" and
           after["last_contact"] == "2026-11-20" and
           after["last_contact_source"] == "last_contact" and
           after["state"] == "ok" and after["days_since_contact"] == 5,
           "%s -> %s (%s)" % (before, after, r.stderr))
    r = followup(root, "snooze", "Ana", "--until", "2026-12-24")
    after = status_json(root)["People/Ana.md"]
    report("snooze: status shows the contact snoozed",
           r.returncode == 0 and after["state"] == "snoozed" and
           after["due"] == "2026-12-24" and
           read(os.path.join(root, "People/Ana.md")) ==
           b"---\ntype: people\ncadence: 14\nlast_contact: 2026-11-20 # old\n"
           b"snooze_until: 2026-12-24\n---\n",
           "%s %r" % (after, read(os.path.join(root, "People/Ana.md"))))


def paused_followup(root):
    """followup contacted Ana, stopped after it read the note."""
    p = subprocess.Popen(
        [FOLLOWUP, "contacted", "Ana", "--vault", root, "--today", TODAY],
        env=env(FOLLOWUP_TEST_EDIT_PAUSE_MS="2000"), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()      # it has read the note and made its edit
    assert "pausing" in line, line
    return p


@section
def concurrent_edit():
    before = b"---\ntype: people\nlast_contact: 2025-12-01\n---\nv1\n"
    theirs = b"---\ntype: people\nlast_contact: 2025-12-01\n---\nv2, theirs\n"
    root = vault({"People/Ana.md": before})
    path = os.path.join(root, "People/Ana.md")
    p = paused_followup(root)
    with open(path, "wb") as f:
        f.write(theirs)
    out, err = p.communicate(timeout=60)
    report("concurrent edit: detected, exit 75, the other edit kept",
           p.returncode == 75 and read(path) == theirs and
           "changed on disk while followup worked" in err and
           "nothing was written" in err and "run the command again" in err
           and out == "" and not temp_files(root),
           "exit %d, %r, %r, %r" % (p.returncode, err, read(path),
                                    temp_files(root)))
    # Same bytes, a new file (an editor's atomic save): a change too.
    p = paused_followup(root)
    with open(path + ".new", "wb") as f:
        f.write(theirs)
    os.rename(path + ".new", path)
    out, err = p.communicate(timeout=60)
    report("concurrent edit: a new file with the same bytes is a change",
           p.returncode == 75 and read(path) == theirs,
           "exit %d %r" % (p.returncode, err))
    r = followup(root, "contacted", "Ana")
    report("concurrent edit: run again, it works",
           r.returncode == 0 and read(path) == theirs.replace(
               b"2025-12-01", TODAY.encode()), r.stderr)


@section
def read_only():
    note = b"---\ntype: people\nlast_contact: 2025-12-01\n---\n"
    root = vault({"People/Ana.md": note})
    path = os.path.join(root, "People/Ana.md")
    os.chmod(path, 0o444)
    st = os.stat(path)
    r = followup(root, "contacted", "Ana")
    st2 = os.stat(path)
    report("read-only note: exit 73, the note exactly as it was",
           r.returncode == 73 and read(path) == note and
           st.st_ino == st2.st_ino and stat.S_IMODE(st2.st_mode) == 0o444
           and "read-only" in r.stderr and "chmod u+w" in r.stderr and
           not temp_files(root),
           "exit %d %r" % (r.returncode, r.stderr))
    os.chmod(path, 0o644)
    folder = os.path.join(root, "People")
    os.chmod(folder, 0o555)
    try:
        r = followup(root, "snooze", "Ana", "--until", "2026-12-01")
        ok = r.returncode == 73 and read(path) == note and \
            "read-only" in r.stderr and not temp_files(root)
    finally:
        os.chmod(folder, 0o755)
    report("read-only folder: exit 73, nothing written", ok,
           "exit %d %r" % (r.returncode, r.stderr))


finish()
