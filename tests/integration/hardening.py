#!/usr/bin/python3
"""What trying to break followup found, one section per defect, each with
the neighbours it had: files that are not regular files (FIFOs, devices,
folders) wherever a file is named, secrets in files others may read or
write, the feed's mode, temporary files a killed edit left in the vault.
Each check fails on a followup that has the defect (a hang is a timeout,
reported as a failure, never waited out)."""
import json
import os
import random
import re
import resource
import stat
import subprocess
import threading
import time

import testlib as t
from testlib import report, section

TODAY = "2026-01-10"
GOOD = "---\ntype: people\nlast_contact: 2026-01-01\n---\n- [ ] call\n"
QUICK = 20      # seconds: a command that takes longer here hangs


def quick(args, environ=None, **kw):
    """t.run() with a short timeout; a hang is an exit of None."""
    try:
        return t.run(args, environ, timeout=QUICK, **kw)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, None, "", "(hung)")


def vault_of(name, notes):
    where = os.path.join(t.TMP, name)
    for path, text in notes.items():
        t.write(os.path.join(where, path), text, 0o644)
    return where


@section
def fifo_in_the_vault():
    v = vault_of("fifo-vault", {"Ana.md": GOOD})
    os.mkfifo(os.path.join(v, "Pipe.md"))
    os.mkfifo(os.path.join(v, ".hidden-pipe"))
    os.symlink(".hidden-pipe", os.path.join(v, "Link.md"))
    for extra in ([], ["--no-cache"]):
        r = quick(["status", "--vault", v, "--today", TODAY] + extra)
        report("a FIFO as a note %s: an error naming it, the rest read, "
               "exit 65" % (extra or "(cache)"),
               r.returncode == 65 and "Pipe.md: error: is a FIFO, not a "
               "note" in r.stderr and "Link.md: error: is a FIFO" in
               r.stderr and "1 contact" in r.stdout,
               "exit %s %s" % (r.returncode, r.stderr[-400:]))


@section
def fifo_put_in_place_during_scans():
    """A note swapped for a FIFO and back, over and over, while scans run:
    none may hang (a reader that opens a FIFO blocking waits for good)."""
    v = vault_of("fifo-race", {"Ana.md": GOOD, "Late.md": GOOD})
    late = os.path.join(v, "Late.md")
    stop = threading.Event()

    def swap():
        i = 0
        while not stop.is_set():
            i += 1
            tmp = os.path.join(v, ".swap%d" % i)
            if i % 2:
                os.mkfifo(tmp)
            else:
                with open(tmp, "w") as f:
                    f.write(GOOD)
            os.rename(tmp, late)

    swapper = threading.Thread(target=swap)
    swapper.start()
    hung, codes = 0, set()
    try:
        for i in range(40):
            extra = ["--no-cache"] if i % 2 else []
            r = quick(["status", "--vault", v, "--today", TODAY] + extra)
            hung += r.returncode is None
            codes.add(r.returncode)
    finally:
        stop.set()
        swapper.join()
    report("40 scans while a note turns into a FIFO and back: none hangs, "
           "each exits 0 or 65", hung == 0 and codes <= {0, 65},
           "%d hung, exits %s" % (hung, sorted(map(str, codes))))


def config_file(name, text):
    return t.write(os.path.join(t.TMP, name, "config.yml"), text)


@section
def fifos_and_folders_where_a_file_is_named():
    v = vault_of("fifo-files", {"Ana.md": GOOD})
    fifo = os.path.join(t.TMP, "a-fifo")
    os.mkfifo(fifo)
    r = quick(["check", "--config", fifo, "--vault", v])
    report("--config FIFO: a config error at once, exit 78",
           r.returncode == 78 and "cannot read config: it is a FIFO" in
           r.stderr, "exit %s %s" % (r.returncode, r.stderr[-300:]))
    r = quick(["check", "--config", t.TMP, "--vault", v])
    report("--config FOLDER: a config error, not an empty config",
           r.returncode == 78 and "cannot read config: it is a folder" in
           r.stderr, "exit %s %s" % (r.returncode, r.stderr[-300:]))
    cfg = config_file("url-fifo", "notifiers:\n  - name: hook\n"
                      "    url_file: %s\n" % fifo)
    r = quick(["notify", "--dry-run", "--config", cfg, "--vault", v,
               "--today", TODAY])
    report("url_file FIFO: refused at once, exit 78",
           r.returncode == 78 and "it is a FIFO" in r.stderr,
           "exit %s %s" % (r.returncode, r.stderr[-300:]))
    cfg = config_file("pw-fifo", "ics:\n  publish: http://127.0.0.1:9/x.ics"
                      "\n  publish_user: ana\n  publish_password_file: %s\n"
                      % fifo)
    r = quick(["ics", "--config", cfg, "--vault", v, "--today", TODAY,
               "--output", os.path.join(t.TMP, "pw-fifo", "f.ics")])
    report("publish_password_file FIFO: refused at once",
           r.returncode == 78 and "it is a FIFO" in r.stderr,
           "exit %s %s" % (r.returncode, r.stderr[-300:]))
    cfg = config_file("ics-fifo", "ics:\n  path: %s\n" % fifo)
    for args, what in ((["--config", cfg], "ics.path"),
                       (["--output", fifo], "--output")):
        r = quick(["ics", "--vault", v, "--today", TODAY] + args)
        report("%s FIFO: refused at once, exit 73, still a FIFO" % what,
               r.returncode == 73 and "it is a FIFO, not a regular file" in
               r.stderr and stat.S_ISFIFO(os.stat(fifo).st_mode),
               "exit %s %s" % (r.returncode, r.stderr[-300:]))
    if os.geteuid() == 0:
        dev = os.path.join(t.TMP, "null")
        os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        r = quick(["ics", "--vault", v, "--today", TODAY, "--output", dev])
        report("--output a device (as root): refused, the device kept",
               r.returncode == 73 and "it is a device" in r.stderr and
               stat.S_ISCHR(os.stat(dev).st_mode),
               "exit %s %s" % (r.returncode, r.stderr[-300:]))
    else:
        print("# not root: a device node cannot be made; the FIFO cases "
              "above cover the same check")


@section
def secrets_others_can_read_or_write():
    v = vault_of("secret-modes", {"Ana.md": GOOD})
    where = os.path.join(t.TMP, "secret-modes")
    url = t.write(os.path.join(where, "url"),
                  "json://127.0.0.1:9/hook/TOKEN\n")
    pw = t.write(os.path.join(where, "pw"), "hunter2\n")
    cfg_url = config_file("secret-url", "notifiers:\n  - name: hook\n"
                          "    url_file: %s\n" % url)
    cfg_pw = config_file("secret-pw", "ics:\n  publish: "
                         "http://127.0.0.1:9/x.ics\n  publish_user: ana\n"
                         "  publish_password_file: %s\n" % pw)
    for mode, word in ((0o666, "write"), (0o644, "read"), (0o620, "write"),
                       (0o640, "read")):
        for path, cfg in ((url, cfg_url), (pw, cfg_pw)):
            os.chmod(path, mode)
            r = quick(["check", "--config", cfg, "--vault", v])
            report("%s mode %03o: refused, the chmod said" % (
                os.path.basename(path), mode), r.returncode == 78 and
                "others can %s this file (mode %03o): refused" % (
                    word, mode) in r.stderr and "chmod 600 " + path in
                r.stderr, "exit %s %s" % (r.returncode, r.stderr[-300:]))
    for path, cfg in ((url, cfg_url), (pw, cfg_pw)):
        os.chmod(path, 0o600)
        r = quick(["check", "--config", cfg, "--vault", v])
        report("%s mode 600: taken" % os.path.basename(path),
               "refused" not in r.stderr and "TOKEN" not in r.stdout +
               r.stderr and "hunter2" not in r.stdout + r.stderr,
               r.stderr[-300:])
    if os.geteuid() == 0:
        os.chown(url, 65534, 65534)
        r = quick(["check", "--config", cfg_url, "--vault", v])
        report("url_file of another user (as root): refused",
               r.returncode == 78 and "belongs to another user" in r.stderr,
               r.stderr[-300:])


@section
def feed_mode_follows_the_umask():
    v = vault_of("feed-mode", {"Ana.md": GOOD})
    for mask, want in ((0o022, 0o644), (0o077, 0o600)):
        out = os.path.join(t.TMP, "feed-mode", "f%03o.ics" % mask)
        r = t.run(["ics", "--vault", v, "--today", TODAY, "--output", out],
                  preexec_fn=lambda m=mask: os.umask(m))
        have = os.stat(out).st_mode & 0o777 if os.path.exists(out) else None
        report("a new feed under umask %03o is %03o" % (mask, want),
               r.returncode == 0 and have == want,
               "exit %d mode %s" % (r.returncode,
                                    oct(have) if have else None))


@section
def temporary_files_a_killed_edit_left():
    v = vault_of("stale-temp", {"Ana.md": GOOD})
    stale = t.write(os.path.join(v, ".Ana.md.followup-Ab12Cd"), GOOD)
    fresh = t.write(os.path.join(v, ".Ana.md.followup-Fr3sh1"), GOOD)
    rsyncs = t.write(os.path.join(v, ".Ana.md.Xy12Zw"), GOOD)
    old = time.time() - 3600
    for f in (stale, rsyncs):
        os.utime(f, (old, old))
    r = t.run(["check", "--vault", v])
    report("check names a stale temporary file of ours, not a fresh one "
           "nor another tool's", ".Ana.md.followup-Ab12Cd: warning: a "
           "temporary file" in r.stderr and "Fr3sh1" not in r.stderr and
           "Xy12Zw" not in r.stderr, r.stderr[-400:])
    r = t.run(["contacted", "Ana", "--vault", v, "--today", TODAY])
    report("the next contacted removes ours, fresh ones too (it holds the "
           "edit lock: no other edit is at work), says so; keeps rsync's",
           r.returncode == 0 and not os.path.exists(stale) and
           not os.path.exists(fresh) and os.path.exists(rsyncs) and
           "removed this temporary file" in r.stderr,
           "exit %d %s" % (r.returncode, r.stderr[-400:]))


def uids(path):
    with open(path, encoding="utf-8") as f:
        return sorted(l[4:].strip() for l in f if l.startswith("UID:"))


@section
def unreadable_part_never_shrinks_the_feed():
    people = {"Ana.md": GOOD.replace("2026-01-01", "2025-01-01"),
              "Bo.md": GOOD.replace("2026-01-01", "2025-01-02")}
    v = vault_of("shrink", dict(people, **{
        "d%d/N%d.md" % (i, i): GOOD.replace("2026-01-01", "2025-02-01")
        for i in range(30)}))
    deep = os.path.join(v, "deep")
    for i in range(30):
        deep = os.path.join(deep, "d%d" % i)
        t.write(os.path.join(deep, "D%d.md" % i), GOOD.replace(
            "2026-01-01", "2025-03-01"), 0o644)
    feed = os.path.join(t.TMP, "shrink.ics")
    args = ["ics", "--vault", v, "--today", TODAY, "--output", feed]
    r = t.run(args)
    before = uids(feed)
    report("the first feed: 62 events", r.returncode == 0 and
           len(before) == 62, "exit %d, %d: %s" % (
               r.returncode, len(before), r.stderr[-300:]))

    def few_files():
        resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
    r = t.run(args + ["--no-cache"], preexec_fn=few_files)
    report("EMFILE while walking (ulimit -n 16): an error naming the folder, "
           "every event kept, exit 65",
           "cannot read folder: Too many open files" in r.stderr and
           r.returncode == 65 and uids(feed) == before and
           "kept as published: a folder of the vault could not be read" in
           r.stderr, "exit %d, %d events: %s" % (
               r.returncode, len(uids(feed)), r.stderr[-400:]))
    t.write(os.path.join(v, "Bo.md"), "---\ntype: people\nlast_contact: "
            "2025-13-45\n---\n", 0o644)
    r = t.run(args)
    report("a contact's note with an error: its event kept, with a warning",
           r.returncode == 65 and uids(feed) == before and
           "Bo.md: warning: \"Follow up with Bo\" is kept" in r.stderr,
           "exit %d: %s" % (r.returncode, r.stderr[-400:]))
    t.write(os.path.join(v, "Bo.md"), "---\ntype: project\n---\n", 0o644)
    r = t.run(args)
    report("a note that is read and is no contact any more: its event goes",
           r.returncode == 0 and len(uids(feed)) == 61 and
           "kept" not in r.stderr, "exit %d: %s" % (r.returncode,
                                                    r.stderr[-300:]))
    feed_bytes = open(feed, "rb").read()
    empty = vault_of("shrink-empty", {"Readme.md": "# nothing here\n"})
    args[2] = empty
    r = t.run(args)
    report("a vault of no contact where the feed had 61: refused (66), the "
           "feed as it was", r.returncode == 66 and
           open(feed, "rb").read() == feed_bytes and "the vault holds no "
           "contact, where the feed has 61 follow-ups" in r.stderr,
           "exit %d: %s" % (r.returncode, r.stderr[-300:]))
    r = t.run(args + ["--allow-empty"])
    report("--allow-empty: the feed emptied, exit 0",
           r.returncode == 0 and uids(feed) == [],
           "exit %d: %s" % (r.returncode, r.stderr[-300:]))


@section
def contacted_and_snooze_at_once():
    """The second edit of a note waits for the first, then reads what the
    first wrote: both changes land (before, one was lost 7 times in 150)."""
    v = vault_of("edit-race", {"Ana.md": GOOD})
    note = os.path.join(v, "Ana.md")
    lost = []
    for i in range(5):
        t.write(note, GOOD, 0o644)
        first = subprocess.Popen(
            [t.FOLLOWUP, "contacted", "Ana", "--vault", v, "--today",
             TODAY], env=t.env(FOLLOWUP_TEST_EDIT_PAUSE_MS="700"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first.stderr.readline()          # "pausing": it has read the note
        second = quick(["snooze", "Ana", "--until", "2026-03-01", "--vault",
                        v, "--today", TODAY])
        out, err = first.communicate(timeout=QUICK)
        text = open(note, encoding="utf-8").read()
        if not (first.returncode == 0 and second.returncode == 0 and
                "last_contact: 2026-01-10" in text and
                "snooze_until: 2026-03-01" in text):
            lost.append((first.returncode, second.returncode, text,
                         err + second.stderr))
    report("contacted, and snooze while it works: both succeed and both "
           "changes are in the note (5 of 5)", not lost, lost[:1])


@section
def links_to_notes():
    v = vault_of("links", {"People/Ana.md": GOOD, ".hidden/Hid.md": GOOD})
    outside = t.write(os.path.join(t.TMP, "elsewhere", "Out.md"), GOOD)
    os.symlink("People/Ana.md", os.path.join(v, "Ana again.md"))
    os.symlink(".hidden/Hid.md", os.path.join(v, "Hid.md"))
    os.symlink(outside, os.path.join(v, "Out.md"))
    for extra in ([], ["--no-cache"]):
        r = t.run(["status", "--format", "json", "--vault", v, "--today",
                   TODAY] + extra)
        names = sorted(c["name"] for c in json.loads(r.stdout)["contacts"])
        report("a link to a note of the vault is not a second contact; "
               "links to notes the walk skips or outside count %s" %
               (extra or "(cache)"), names == ["Ana", "Hid", "Out"],
               "%s %s" % (names, r.stderr[-300:]))
    before = open(outside, "rb").read()
    r = t.run(["contacted", "Out", "--vault", v, "--today", TODAY])
    report("contacted on a link to a file outside the vault: refused (73), "
           "the file unchanged", r.returncode == 73 and
           open(outside, "rb").read() == before and "outside the vault" in
           r.stderr, "exit %d: %s" % (r.returncode, r.stderr[-300:]))
    r = t.run(["contacted", "Hid", "--vault", v, "--today", TODAY])
    report("contacted on a link inside the vault: written through the link",
           r.returncode == 0 and os.path.islink(os.path.join(v, "Hid.md"))
           and "last_contact: 2026-01-10" in open(os.path.join(
               v, ".hidden", "Hid.md")).read(), r.stderr[-300:])


HOSTILE_TITLE = "Mal\x1b]0;pwned\x07\rX\x1b[2J"
HOSTILE_TASK = ("- [ ] tell @channel, @here and @ALL (@room) @everyone "
                "<users/all> <!channel> about it \x1b[31mred\x07 📅 2026-01-05"
                "\n- [ ] mail me@here.org, ask @allison\r over \x1b]8;;x\x07\n")
BROADCAST = re.compile(r"(?<![\w.-])@(channel|all|here|everyone|room)(?![\w-])|"
                       r"<users/all>|<!(channel|here|everyone)>", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def hostile_vault():
    return vault_of("hostile", {
        "Ev\x1b[31mil.md": "---\ntype: people\ntitle: \"%s\"\nlast_contact:"
        " 2025-01-01\n---\n%s" % (HOSTILE_TITLE.replace("\x1b", "\\e")
                                  .replace("\x07", "\\a")
                                  .replace("\r", "\\r"), HOSTILE_TASK),
        "New\nline.md": "---\ntype: people\nlast_contact: 2025-01-01\n"
        "birthday: 13-99\n---\n",
    })


def strings_of(body):
    """Every text a request carries: the JSON's strings, or the body."""
    try:
        doc = json.loads(body)
    except ValueError:
        return [body.decode("utf-8", "replace")]
    out, todo = [], [doc]
    while todo:
        x = todo.pop()
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            todo += list(x.keys()) + list(x.values())
        elif isinstance(x, list):
            todo += x
    return out


@section
def hostile_names_and_texts_in_every_output():
    v = hostile_vault()
    home = os.path.join(t.TMP, "hostile-home")
    rec = t.Recorder(route=lambda m, p: (
        {"status": 200, "body": json.dumps({
            "access_token": "tok", "user_id": "@bot:localhost",
            "device_id": "D"})} if p.endswith("/login") else
        {"status": 200, "body": json.dumps({"room_id": "!r:localhost"})}
        if "/join/" in p else None),
        script=[{"status": 200, "body": '{"ok": true, "event_id": "$e"}'}])
    rec.start()
    hp = rec.hostport()
    urls = ["json://%s/hook" % hp, "mmost://%s/tok" % hp,
            "ntfy://%s/topic" % hp, "matrix://bot:pw@%s/#room:localhost" % hp,
            "slack://T000/B000/C000", "discord://4242/tok",
            "gchat://SPACE/key/tok"]
    cfg = t.write(os.path.join(home, "config.yml"), "notifiers:\n" + "".join(
        "  - url: %s\n    timeout: 5\n    states: [cold]\n" % u
        for u in urls) + "ics:\n  path: %s\n" % os.path.join(home, "f.ics"))
    e = t.env(home=home, FOLLOWUP_TEST_ENDPOINT="http://" + hp)
    outs = {}
    for args in (["status"], ["status", "-v"], ["check"], ["tasks"],
                 ["query"], ["ics"], ["run"], ["run", "--log-format", "json"],
                 ["notify", "--dry-run", "-v"]):
        r = t.run(args + ["--config", cfg, "--vault", v, "--today", TODAY],
                  e)
        outs[" ".join(args)] = r.stdout + r.stderr
    r = t.run(["contacted", "Ev\x1b[31mil", "--vault", v, "--today", TODAY],
              e)
    outs["contacted"] = r.stdout + r.stderr
    raw = {k: CONTROL.findall(o) for k, o in outs.items()}
    report("no control character from the vault reaches the terminal or the "
           "log (%s)" % ", ".join(sorted(outs)),
           not any(raw.values()) and all("New\nline" not in o
                                         for o in outs.values()),
           {k: x for k, x in raw.items() if x})
    report("and the names are there, escaped",
           "Mal\\e]0;pwned\\x07\\rX" in outs["status"] and
           "New\\nline.md:4: warning" in outs["check"], outs["status"][:400])
    feed = open(os.path.join(home, "f.ics"), encoding="utf-8").read()
    report("the feed holds no control character (RFC 5545 §3.3.11)",
           not CONTROL.findall(feed.replace("\r\n", "")) and
           "Follow up with Mal" in feed, CONTROL.findall(feed)[:5])
    texts = [(r["path"], s) for r in rec.requests
             for s in strings_of(r["body"] or b"")]
    loud = [(p, s) for p, s in texts if BROADCAST.search(s)]
    bodies = " ".join(s for _, s in texts)
    report("no mention of everyone reaches a service (%d requests)" %
           len(rec.requests), rec.requests and not loud and "channel" in
           bodies and "me@here.org" in bodies and "@allison" in bodies,
           loud[:3] or bodies[:300])
    report("nor a control character", not [s for _, s in texts
                                           if CONTROL.search(s)], "")
    rec.stop()


@section
def json_log_is_json_only():
    rec = t.Recorder(script=[{"status": 500}]).start()
    v = vault_of("json-log", {"Ana.md": GOOD.replace("2026-01-01",
                                                     "2025-01-01"),
                              "Bad.md": "---\ntype: people\n"})
    home = os.path.join(t.TMP, "json-log-home")
    cfg = t.write(os.path.join(home, "config.yml"), "notify:\n  "
                  "retry_seconds: 1\nnotifiers:\n  - url: json://%s/h\n"
                  "    timeout: 2\n" % rec.hostport())
    r = t.run(["run", "--log-format", "json", "-v", "--config", cfg,
               "--vault", v, "--today", TODAY], t.env(home=home))
    bad = []
    for line in r.stderr.splitlines():
        try:
            json.loads(line)
        except ValueError:
            bad.append(line)
    report("run --log-format json -v: every line of the log is JSON",
           r.stderr and not bad and r.stdout == "", bad[:3])
    rec.stop()


def peak_rss_kib(args, environ=None):
    """Run followup under /usr/bin/time; its exit status and peak RSS in
    KiB (a child forked from this script would count the script's)."""
    out = os.path.join(t.TMP, "rss")
    r = subprocess.run(["/usr/bin/time", "-o", out, "-f", "%M", t.FOLLOWUP]
                       + args, env=environ or t.env(), timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        return r.returncode, int(f.read().split()[-1])


@section
def memory_a_small_multiple_of_the_note():
    if os.environ.get("FOLLOWUP_SANITIZED"):
        print("# AddressSanitizer's shadow memory is no measure of "
              "followup's: this section runs in the plain build")
        return
    size = 15 << 20
    head = "---\ntype: people\nlast_contact: 2025-01-01\n---\n"
    for name, unit in (("brackets", "["), ("double-brackets", "[["),
                       ("emphasis", "*_"), ("code spans", "`")):
        v = vault_of("mem-" + name, {"A.md": head + unit * (size //
                                                           len(unit))})
        for args in (["status", "--no-cache"], ["status"], ["ics",
                     "--output", os.path.join(v, "..", name + ".ics")],
                     ["tasks"], ["check"]):
            code, kib = peak_rss_kib(args + ["--vault", v, "--today", TODAY])
            report("a 15 MiB note of %s: %s stays under 4x its size "
                   "(%.0f MiB)" % (name, args[0], kib / 1024.0),
                   code in (0, 65) and kib < 4 * (size >> 10),
                   "exit %d, %d KiB" % (code, kib))


@section
def out_of_memory_is_exit_71():
    """Every allocation that fails, a library's too (libical crashed on
    its own NULLs), ends in exit 71 with a message; no crash, and the
    feed is the old one or a whole new one."""
    if os.environ.get("FOLLOWUP_SANITIZED"):
        print("# AddressSanitizer needs more address space than any limit "
              "here leaves: this section runs in the plain build")
        return
    v = vault_of("oom", {"P%04d.md" % i: "---\ntype: people\nlast_contact: "
                         "2025-%02d-01\nbirthday: 1990-01-%02d\n---\n- [ ] "
                         "call about the plan %d\n" % (i % 12 + 1, i % 28 + 1,
                                                      i)
                         for i in range(2000)})
    home = os.path.join(t.TMP, "oom-home")
    feed = os.path.join(home, "f.ics")
    cfg = t.write(os.path.join(home, "config.yml"), "ics:\n  path: %s\n" %
                  feed)
    e = t.env(home=home)
    r = t.run(["run", "--config", cfg, "--vault", v, "--today", TODAY], e)
    whole = open(feed, "rb").read()
    outcomes, bad = set(), []
    for mib in range(24, 164, 6):
        def limit(n=mib << 20):
            resource.setrlimit(resource.RLIMIT_AS, (n, n))
        r = t.run(["run", "--config", cfg, "--vault", v, "--today",
                   "2026-01-%02d" % (11 + mib % 17)], e, preexec_fn=limit)
        outcomes.add(r.returncode)
        data = open(feed, "rb").read()
        if r.returncode not in (0, 71) or (r.returncode == 71 and
                                           "out of memory" not in r.stderr) \
                or not data.endswith(b"END:VCALENDAR\r\n"):
            bad.append((mib, r.returncode, r.stderr[-200:]))
    report("run under address-space limits of 24 to 162 MiB, every 6: exit "
           "0 or 71 "
           "with a message, never a crash; the feed whole every time",
           r is not None and whole and not bad and 71 in outcomes and
           0 in outcomes, bad or sorted(outcomes))


@section
def full_disk_keeps_a_good_cache():
    """A scan cache on a disk that fills up is kept as it is, never called
    damaged and emptied. Needs a small file system of its own: a tmpfs,
    which only root may mount."""
    mnt = os.path.join(t.TMP, "small-disk")
    os.makedirs(mnt)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs",
                        mnt], capture_output=True, text=True)
    if m.returncode != 0:
        print("# cannot mount a tmpfs here (%s): the full-disk section "
              "runs where one can be mounted" % m.stderr.strip()[:80])
        return
    try:
        v = vault_of("full-disk", {"P%04d.md" % i: GOOD for i in range(1500)})
        e = t.env(XDG_STATE_HOME=mnt)
        args = ["status", "--vault", v, "--today", TODAY]
        t.run(args, e)
        db = os.path.join(mnt, "followup", "scan-cache.db")
        before = os.path.getsize(db)
        with open(os.path.join(mnt, "filler"), "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        cfg = t.write(os.path.join(t.TMP, "full-disk-cfg", "config.yml"),
                      "notifiers:\n  - url: json://127.0.0.1:9/h\n"
                      "    timeout: 1\n")
        said = [t.run(["notify", "--config", cfg, "--vault", v, "--today",
                       TODAY], e).stderr for _ in range(2)]
        report("the disk full: a new ledger cannot be set up, and is not "
               "left behind empty (the next run says the same, not 'not a "
               "followup ledger')", all("cannot set up the ledger" in s and
                                        "not a followup ledger" not in s
                                        for s in said) and not
               os.path.exists(os.path.join(mnt, "followup", "state.db")),
               [s[-200:] for s in said])
        for i in range(300):
            t.write(os.path.join(v, "New%03d.md" % i), GOOD, 0o644)
        time.sleep(1.1)
        r = t.run(args, e)
        report("the disk full: the scan goes on (exit 0), the cache kept "
               "(%d bytes), not called damaged" % before,
               r.returncode == 0 and os.path.getsize(db) >= before and
               "damaged" not in r.stderr and "1800 contacts" in r.stdout,
               "exit %d, %d bytes: %s" % (r.returncode, os.path.getsize(db),
                                          r.stderr[-300:]))
        os.unlink(os.path.join(mnt, "filler"))
        r = t.run(args, e)
        r2 = t.run(args + ["-v"], e)
        report("room again: the cache takes the new notes",
               r.returncode == 0 and r2.returncode == 0 and
               "warning" not in r2.stderr, r2.stderr[-300:])
    finally:
        subprocess.run(["umount", mnt], capture_output=True)


@section
def kills_during_edits():
    """contacted and snooze killed at random moments, 200 times: the note
    is always the old bytes or the new ones, and the next edit leaves no
    temporary file of ours behind."""
    v = vault_of("kills", {"Ana.md": GOOD})
    note = os.path.join(v, "Ana.md")
    rng = random.Random(4242)
    seen, bad = set(), []
    # Kills spread over the time a whole edit takes on this machine (a
    # sanitized build is many times slower), so that some land before
    # the rename and some after.
    t0 = time.monotonic()
    t.run(["snooze", "Ana", "--until", "2026-03-01", "--vault", v, "--today",
           TODAY])
    whole = time.monotonic() - t0
    for i in range(200):
        before = open(note, "rb").read()
        cmd = (["contacted", "Ana", "--date", "2026-01-%02d" % (2 + i % 8)]
               if i % 2 else ["snooze", "Ana", "--until",
                              "2026-02-%02d" % (1 + i % 27)])
        p = subprocess.Popen([t.FOLLOWUP] + cmd + ["--vault", v, "--today",
                                                   TODAY], env=t.env(),
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, 1.5 * whole))
        p.kill()
        p.wait()
        after = open(note, "rb").read()
        seen.add(after != before)
        text = after.decode("utf-8", "replace")
        if not (text.startswith("---\ntype: people\n") and
                text.endswith("---\n- [ ] call\n")):
            bad.append((i, text))
    # What a kill between the temporary file and the rename leaves (the
    # window is a write and an fsync: few kills here land in it).
    t.write(os.path.join(v, ".Ana.md.followup-K1ll3d"), GOOD)
    left = [f for f in os.listdir(v) if ".followup-" in f]
    r = t.run(["contacted", "Ana", "--vault", v, "--today", TODAY])
    after_next = [f for f in os.listdir(v) if ".followup-" in f]
    report("200 kills of contacted and snooze: every note whole, old or new",
           not bad and seen == {True, False}, bad[:2] or sorted(seen))
    report("the next edit removes what the kills left (%d temporary files), "
           "and says so" % len(left), r.returncode == 0 and
           after_next == [] and (not left or "removed this temporary file"
                                 in r.stderr), "%s %s" % (after_next,
                                                           r.stderr[-300:]))


if __name__ == "__main__":
    t.finish()
