#!/usr/bin/python3
"""followup contacted and followup snooze: the only commands that write a
note. Each fixture is written as bytes and the note after the command is
compared with the expected bytes exactly: CRLF, a BOM, comments, quoting,
date-times, flow lists, a missing key, an empty value, no frontmatter.
Then what must be refused, with nothing written: a note changed while
followup works (FOLLOWUP_TEST_EDIT_PAUSE_MS, a hook for tests only, makes
followup wait between reading the note and replacing it), a read-only note
or folder, an ambiguous or unknown NAME, a broken frontmatter; and a
symlinked note, whose link stays a link."""
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


PERSON = b"type: people\n"

# (name, bytes before, NAME, args, bytes after)
EDITS = [
    ("unquoted date",
     b"---\ntype: people\nlast_contact: 2025-12-01\n---\n# Ana\n",
     "Ana", [],
     b"---\ntype: people\nlast_contact: 2026-11-25\n---\n# Ana\n"),
    ("single-quoted date",
     b"---\ntype: people\nlast_contact: '2025-12-01'\n---\n",
     "Ana", [],
     b"---\ntype: people\nlast_contact: '2026-11-25'\n---\n"),
    ("double-quoted date",
     b"---\ntype: people\nlast_contact: \"2025-12-01\"\n---\n",
     "Ana", [],
     b"---\ntype: people\nlast_contact: \"2026-11-25\"\n---\n"),
    ("date-time replaced by the date",
     b"---\ntype: people\nlast_contact: 2026-01-09T16:30:00-08:00\n---\n",
     "Ana", [],
     b"---\ntype: people\nlast_contact: 2026-11-25\n---\n"),
    ("CRLF line endings",
     b"---\r\ntype: people\r\nlast_contact: 2025-12-01\r\n---\r\n"
     b"- [ ] call\r\n",
     "Ana", [],
     b"---\r\ntype: people\r\nlast_contact: 2026-11-25\r\n---\r\n"
     b"- [ ] call\r\n"),
    ("BOM",
     b"\xef\xbb\xbf---\ntype: people\nlast_contact: 2025-12-01\n---\n",
     "Ana", [],
     b"\xef\xbb\xbf---\ntype: people\nlast_contact: 2026-11-25\n---\n"),
    ("comments, also after the value",
     b"---\n# who\ntype: people  # a person\nlast_contact: 2025-12-01 "
     b"# lunch, caf\xc3\xa9\n# the end\n---\n",
     "Ana", [],
     b"---\n# who\ntype: people  # a person\nlast_contact: 2026-11-25 "
     b"# lunch, caf\xc3\xa9\n# the end\n---\n"),
    ("flow list of tags, key missing",
     b"---\ntags: [type/people, tier/1]\ncadence: 2w\n---\nbody\n",
     "Ana", [],
     b"---\ntags: [type/people, tier/1]\ncadence: 2w\n"
     b"last_contact: 2026-11-25\n---\nbody\n"),
    ("missing key with CRLF",
     b"---\r\ntype: people\r\n---\r\nbody\r\n",
     "Ana", [],
     b"---\r\ntype: people\r\nlast_contact: 2026-11-25\r\n---\r\n"
     b"body\r\n"),
    ("empty value",
     b"---\ntype: people\nlast_contact:\ncadence: 14\n---\n",
     "Ana", [],
     b"---\ntype: people\nlast_contact: 2026-11-25\ncadence: 14\n---\n"),
    ("--date in the past",
     b"---\ntype: people\nlast_contact: 2025-12-01\n---\n",
     "Ana", ["--date", "2026-11-20"],
     b"---\ntype: people\nlast_contact: 2026-11-20\n---\n"),
    ("no frontmatter, by path",
     b"# Ana\nsome text\n",
     "People/Ana.md", [],
     b"---\nlast_contact: 2026-11-25\n---\n# Ana\nsome text\n"),
    ("no frontmatter, BOM and CRLF, path without .md",
     b"\xef\xbb\xbf# Ana\r\ntext\r\n",
     "People/Ana", [],
     b"\xef\xbb\xbf---\r\nlast_contact: 2026-11-25\r\n---\r\n"
     b"# Ana\r\ntext\r\n"),
    ("by title, case-insensitive",
     b"---\ntype: people\ntitle: Ana Lima\nlast_contact: 2025-12-01\n---\n",
     "ana lima", [],
     b"---\ntype: people\ntitle: Ana Lima\nlast_contact: 2026-11-25\n"
     b"---\n"),
    ("by alias",
     b"---\ntype: people\naliases: [Nana]\nlast_contact: 2025-12-01\n---\n",
     "Nana", [],
     b"---\ntype: people\naliases: [Nana]\nlast_contact: 2026-11-25\n"
     b"---\n"),
]


def temp_files(root):
    return [p for p in tree(root) if os.path.basename(p).startswith(".")]


@section
def byte_exact_edits():
    for name, before, who, args, after in EDITS:
        root = vault({"People/Ana.md": before,
                      "People/Other.md": b"---\ntype: people\n---\n"})
        other = read(os.path.join(root, "People/Other.md"))
        os.chmod(os.path.join(root, "People/Ana.md"), 0o640)
        r = followup(root, "contacted", who, *args)
        got = read(os.path.join(root, "People/Ana.md"))
        mode = stat.S_IMODE(os.stat(os.path.join(root, "People/Ana.md"))
                            .st_mode)
        report("contacted: %s: exact bytes" % name,
               r.returncode == 0 and got == after,
               "exit %d\nstderr %s\ngot  %r\nwant %r" %
               (r.returncode, r.stderr, got, after))
        report("contacted: %s: one line said" % name,
               r.stdout.count("\n") == 1 and
               r.stdout.startswith("People/Ana.md: last_contact ") and
               "-> " + (args[1] if args else TODAY) in r.stdout,
               repr(r.stdout))
        report("contacted: %s: mode kept, nothing else touched" % name,
               mode == 0o640 and read(os.path.join(root, "People/Other.md"))
               == other and not temp_files(root),
               "mode %o, %r" % (mode, temp_files(root)))


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
    r = followup(root, "snooze", "Ana", "--until", "2027-01-05")
    report("snooze: a second snooze replaces the date",
           r.returncode == 0 and read(os.path.join(root, "People/Ana.md"))
           .endswith(b"snooze_until: 2027-01-05\n---\n") and
           "snooze_until 2026-12-24 -> 2027-01-05" in r.stdout,
           r.stdout + r.stderr)
    r = followup(root, "contacted", "Ana", "--date", "2026-11-20", "-q")
    report("contacted: the same date again changes nothing, -q is quiet",
           r.returncode == 0 and r.stdout == "" and r.stderr == "",
           "exit %d %r %r" % (r.returncode, r.stdout, r.stderr))


@section
def usage_errors():
    note = b"---\ntype: people\nlast_contact: 2025-12-01\n---\n"
    root = vault({"Ana.md": note})
    for args, what in [
            (["contacted", "Ana", "--date", "2026-11-26"], "after today"),
            (["contacted", "Ana", "--date", "2026-02-30"], "not a real date"),
            (["contacted", "Ana", "--date", "yesterday"], "not a real date"),
            (["snooze", "Ana", "--until", TODAY], "not after today"),
            (["snooze", "Ana"], "--until"),
            (["contacted"], "name the contact"),
            (["contacted", "Ana", "Bob"], "unexpected argument")]:
        r = followup(root, *args)
        report("usage: %s" % " ".join(args),
               r.returncode == 64 and what in r.stderr and
               "hint:" in r.stderr and read(os.path.join(root, "Ana.md"))
               == note, "exit %d: %s" % (r.returncode, r.stderr))


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


@section
def names():
    files = {"People/Ana Lima.md": b"---\ntype: people\n---\n",
             "Work/Ana Lima.md": b"---\ntype: people\ntitle: Ana L.\n---\n",
             "People/Bob.md": b"---\ntype: people\ntitle: Robert\n---\n"}
    root = vault(files)
    r = followup(root, "contacted", "Ana Lima")
    report("ambiguous NAME: every match with name and path, nothing changed",
           r.returncode == 64 and "\"Ana Lima\" (People/Ana Lima.md)" in
           r.stderr and "\"Ana L.\" (Work/Ana Lima.md)" in r.stderr and
           "hint:" in r.stderr and tree(root) == files,
           "exit %d %r" % (r.returncode, r.stderr))
    r = followup(root, "contacted", "Work/Ana Lima.md")
    report("ambiguous NAME: the path picks one",
           r.returncode == 0 and "(Ana L.)" in r.stdout, r.stderr)
    r = followup(root, "contacted", "Robrt")
    report("unknown NAME: a clear error, the nearest name as a hint",
           r.returncode == 64 and "no contact or note is named \"Robrt\""
           in r.stderr and "did you mean \"Robert\"?" in r.stderr and
           tree(root)["People/Bob.md"] == files["People/Bob.md"],
           "exit %d %r" % (r.returncode, r.stderr))
    r = followup(root, "contacted", "Bob")
    report("NAME: the file name of a titled contact",
           r.returncode == 0 and "(Robert)" in r.stdout, r.stderr)

    # A note that is no contact never wins over a contact's name.
    files = {"People/Bob.md": b"---\ntype: people\n---\n",
             "bob.md": b"# bob project\n"}
    root = vault(files)
    r = followup(root, "contacted", "bob")
    t = tree(root)
    report("NAME: a contact's name (any case) before a plain note's path",
           r.returncode == 0 and t["bob.md"] == files["bob.md"] and
           t["People/Bob.md"] ==
           b"---\ntype: people\nlast_contact: 2026-11-25\n---\n",
           "exit %d %r %r" % (r.returncode, r.stderr, t))

    # A contact that a bad date leaves out is named all the same: fixing
    # that date is what the command is for.
    bad = (b"---\ntype: people\ntitle: Alice Smith\naliases: [Ali]\n"
           b"last_contact: 2025-13-45\n---\n")
    for name in ("Alice Smith", "Ali", "a"):
        root = vault({"People/a.md": bad})
        r = followup(root, "contacted", name)
        report("NAME %r: a contact left out for a bad date is found and "
               "mended" % name, r.returncode == 0 and
               read(os.path.join(root, "People/a.md")) ==
               bad.replace(b"2025-13-45", b"2026-11-25") and
               "(Alice Smith)" in r.stdout,
               "exit %d %r" % (r.returncode, r.stderr))


@section
def longest_file_name():
    name = "a" * 251                # with ".md", the longest a folder takes
    note = b"---\ntype: people\nlast_contact: 2025-12-01\n---\n"
    root = vault({"People/%s.md" % name: note})
    r = followup(root, "contacted", name)
    report("a note whose name is as long as a folder takes is edited (its "
           "temporary file's name is shortened)", r.returncode == 0 and
           tree(root) == {"People/%s.md" % name: note.replace(
               b"2025-12-01", b"2026-11-25")},
           "exit %d %r %s" % (r.returncode, r.stderr, list(tree(root))))


@section
def broken_frontmatter():
    for label, note in [
            ("unclosed", b"---\ntype: people\nlast_contact: 2025-12-01\n"),
            ("YAML error", b"---\ntype: people\nlast_contact: [x\n---\n"),
            ("a list value",
             b"---\ntype: people\nlast_contact: [2025-12-01]\n---\n")]:
        root = vault({"Ana.md": note})
        r = followup(root, "contacted", "Ana.md")
        report("refused: %s frontmatter (exit 65, unchanged)" % label,
               r.returncode == 65 and read(os.path.join(root, "Ana.md")) ==
               note and "Ana.md:" in r.stderr and "hint:" in r.stderr,
               "exit %d %r" % (r.returncode, r.stderr))


@section
def symlinked_note():
    root = vault({"real/Ana.md": b"---\ntype: people\nlast_contact: "
                  b"2025-12-01\n---\n"})
    os.makedirs(os.path.join(root, "People"))
    link = os.path.join(root, "People", "Ana.md")
    os.symlink("../real/Ana.md", link)
    r = followup(root, "contacted", "People/Ana.md")
    report("symlinked note: the link stays a link, the target is edited",
           r.returncode == 0 and os.path.islink(link) and
           os.readlink(link) == "../real/Ana.md" and
           read(os.path.join(root, "real/Ana.md")) ==
           b"---\ntype: people\nlast_contact: 2026-11-25\n---\n" and
           not temp_files(root),
           "exit %d %r %r" % (r.returncode, r.stderr, tree(root)))


finish()
