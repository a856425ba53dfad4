#!/usr/bin/python3
"""`followup ics` publishing to real servers on loopback (issue 5).

A radicale (CalDAV) started here on 127.0.0.1 with htpasswd (bcrypt) auth
and its storage in a temporary folder: the events land, one resource each;
a second run sends no PUT; a contact that leaves the feed is DELETEd; an
event created by another client in the same calendar survives, and so does
a resource named like followup's that this followup did not create; a
changed event is PUT again (SEQUENCE + 1), also when another client edited
it meanwhile; a wrong password gives exit 78 with a clear message; the
password written in a config that others can read is refused. No output,
message or state file ever holds a password.

Then: a server that cannot be reached, or answers 503, gives exit 75; a
plain WebDAV server (rclone serve webdav) gets the whole file in one PUT,
and nothing on the second run, and a file there that followup did not
create is never overwritten (exit 78). A recording server on loopback
checks the exact conditions sent (If-None-Match: * for a new file,
If-Match: the strong ETag followup got, none for a weak one), that a 412
is exit 75, that a failing ETag probe after a good PUT is no failure, that
a query string stays at the end of the URL, and that no request goes to a
proxy named by http_proxy and the like. Credentials for a plain http://
URL to another machine are never sent (exit 78).

Every server is started and killed by this script, on a port it picks,
with bounded waits. Every check prints PASS or FAIL; nothing is skipped.
"""
import base64
import http.client
import os
import shutil
import socket
import subprocess
import time

import testlib as t
from testlib import TMP, VAULT, free_port, report, section, write

TODAY = "2026-01-10"
NOW = 1768050000
STATE = os.path.join(TMP, "state")      # followup's $XDG_STATE_HOME
PASSWORD = "Radicale-s3cret-%d" % os.getpid()
WRONG = "not-the-password-%d" % os.getpid()
DAV_PASSWORD = "webdav-s3cret-%d" % os.getpid()
SECRETS = (PASSWORD, WRONG, DAV_PASSWORD)
servers = []


def wait_port(port, proc, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def environ(now=NOW, **extra):
    """followup's: no $CREDENTIALS_DIRECTORY unless extra names one."""
    return t.env(home=TMP, now=now, **dict(
        {"XDG_STATE_HOME": STATE, "CREDENTIALS_DIRECTORY": None}, **extra))


def run(args, now=NOW, env_extra=None):
    return t.run(args, environ(now, **(env_extra or {})), text=False)


def dav(port, method, path, body=None, headers=None, password=PASSWORD,
        user="alice"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    h = dict(headers or {})
    h["Authorization"] = "Basic " + base64.b64encode(
        ("%s:%s" % (user, password)).encode()).decode()
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data, dict(r.getheaders())


def answer(status, headers=None, body=b""):
    """A step of a testlib Recorder."""
    return {"status": status, "headers": headers or {}, "body": body}


def recorder(host="127.0.0.1", routes=None):
    """A testlib Recorder answering from routes, 404 to anything else."""
    return t.Recorder(host, script=[answer(404)], route=routes).start()


def resource_of(path):
    return t.feed_uid(path).replace("@", "%40") + ".ics"


def log_count(log, word, start):
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()[start:]
    return sum(1 for l in text.splitlines()
               if "%s request for" % word in l)


def log_size(log):
    return os.path.getsize(log)


# ------------------------------------------------------------ radicale

PORT = free_port()
RAD = os.path.join(TMP, "radicale")
LOG = os.path.join(RAD, "log")
CAL = "/alice/followup/"
URL = "http://127.0.0.1:%d%s" % (PORT, CAL)
VAULT_COPY = os.path.join(TMP, "vault")
FEED = os.path.join(TMP, "feed", "followup.ics")
CONFIG = os.path.join(TMP, "config.yml")
PWFILE = os.path.join(TMP, "secrets", "publish-password")
OTHER = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other//client//EN\r\n"
         "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\n"
         "DTSTART;VALUE=DATE:20260115\r\nSUMMARY:%s\r\nEND:VEVENT\r\n"
         "END:VCALENDAR\r\n")
OTHER_NAMES = {
    "other-client.ics": OTHER % ("other-1@example.org", "Dentist"),
    # Named like followup's resources, but not created by this followup.
    "followup-00000000000000ff%40followup.ics":
        OTHER % ("followup-00000000000000ff@followup", "Someone else's"),
}


def radicale(port, conf, server="", log=subprocess.DEVNULL):
    """Start radicale on 127.0.0.1:port with the users and collections of
    RAD, its config written to conf (server: more [server] lines), its
    log to log; return whether it listens."""
    write(conf, """[server]
hosts = 127.0.0.1:%d
%s[auth]
type = htpasswd
htpasswd_filename = %s/users
htpasswd_encryption = bcrypt
delay = 0
[storage]
filesystem_folder = %s/collections
[logging]
level = info
""" % (port, server, RAD, RAD))
    proc = subprocess.Popen(["/usr/bin/python3", "-m", "radicale", "--config",
                             conf], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    servers.append(proc)
    return wait_port(port, proc)


def start_radicale():
    os.makedirs(os.path.join(RAD, "collections"))
    r = subprocess.run(["htpasswd", "-B", "-b", "-c",
                        os.path.join(RAD, "users"), "alice", PASSWORD],
                       capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("htpasswd: %s" % r.stderr.decode())
    if not radicale(PORT, os.path.join(RAD, "config"), log=open(LOG, "w")):
        raise RuntimeError("radicale did not start:\n" + open(LOG).read())


@section
def radicale_setup():
    start_radicale()
    st, _, _ = dav(PORT, "MKCALENDAR", CAL)
    ok = st == 201
    for name, body in OTHER_NAMES.items():
        st2, _, _ = dav(PORT, "PUT", CAL + name, body,
                        {"Content-Type": "text/calendar"})
        ok = ok and st2 == 201
    report("radicale on 127.0.0.1:%d with bcrypt htpasswd: calendar made, "
           "two resources of another client put" % PORT, ok, "status %d"
           % st)
    shutil.copytree(VAULT, VAULT_COPY)
    write(PWFILE, PASSWORD + "\n")
    write(CONFIG, "exclude: [Templates]\ncadence_by_tag:\n  tier/1: 14\n"
          "  tier/3: 90\nics:\n  publish: %s\n  publish_user: alice\n"
          "  publish_password_file: %s\n" % (URL, PWFILE))
    os.makedirs(os.path.dirname(FEED))


BASE = ["ics", "--vault", VAULT_COPY, "--config", CONFIG, "--today", TODAY,
        "--output", FEED]


def listing():
    """{resource name: etag} of the calendar, by PROPFIND."""
    st, body, _ = dav(PORT, "PROPFIND", CAL, '<?xml version="1.0"?>'
                      '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/>'
                      '</d:prop></d:propfind>', {"Depth": "1"})
    import xml.etree.ElementTree as ET
    out = {}
    for resp in ET.fromstring(body).findall("{DAV:}response"):
        href = resp.find("{DAV:}href").text
        etag = resp.find(".//{DAV:}getetag")
        name = href.rstrip("/").rsplit("/", 1)[-1]
        if not href.endswith("/"):
            out[name.replace("@", "%40")] = etag.text if etag is not None \
                else None
    return out


def feed_events():
    from icalendar import Calendar
    with open(FEED, "rb") as f:
        cal = Calendar.from_ical(f.read())
    return {str(e.get("UID")): e for e in cal.walk("VEVENT")}


@section
def first_run_puts_every_event():
    mark = log_size(LOG)
    r = run(BASE)
    out = r.stdout.decode()
    names = listing()
    events = feed_events()
    ours = sorted(n for n in names if n not in OTHER_NAMES)
    want = sorted(uid.replace("@", "%40") + ".ics" for uid in events)
    report("first publish: 16 sent, exit 65 (the vault's bad notes)",
           r.returncode == 65 and "published: 16 sent, 0 deleted, "
           "0 unchanged\n" in out, "exit %d: %s %s" % (
               r.returncode, out, r.stderr.decode()[-500:]))
    report("one resource per event, named UID.ics, beside the other "
           "client's two", ours == want and len(ours) == 16
           and all(n in names for n in OTHER_NAMES), "%s" % sorted(names))
    report("radicale saw 16 PUT", log_count(LOG, "PUT", mark) == 16,
           "%d" % log_count(LOG, "PUT", mark))
    from icalendar import Calendar
    bad = []
    for uid, ev in events.items():
        st, body, _ = dav(PORT, "GET", CAL + uid.replace("@", "%40") +
                          ".ics")
        got = [e for e in Calendar.from_ical(body).walk("VEVENT")]
        if st != 200 or len(got) != 1 or str(got[0].get("UID")) != uid \
                or str(got[0].get("SUMMARY")) != str(ev.get("SUMMARY")) \
                or got[0].get("DTSTART").dt != ev.get("DTSTART").dt \
                or b"METHOD" in body:
            bad.append(uid)
    report("every resource on the server holds its event (UID, SUMMARY, "
           "DTSTART as in the feed; no METHOD)", not bad, str(bad[:3]))


@section
def second_run_sends_nothing():
    mark = log_size(LOG)
    r = run(BASE, now=NOW + 600)
    out = r.stdout.decode()
    report("second publish: nothing sent, 16 unchanged, feed unchanged",
           "published: 0 sent, 0 deleted, 16 unchanged\n" in out
           and "unchanged (16 events)" in out, out)
    report("radicale saw no PUT and no DELETE on the second run",
           log_count(LOG, "PUT", mark) == 0
           and log_count(LOG, "DELETE", mark) == 0,
           "PUT %d DELETE %d" % (log_count(LOG, "PUT", mark),
                                 log_count(LOG, "DELETE", mark)))


def edit(rel, old, new):
    path = os.path.join(VAULT_COPY, rel)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if old not in text:
        raise RuntimeError("%r not in %s" % (old, rel))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))


@section
def contact_leaving_is_deleted():
    before = {n: dav(PORT, "GET", CAL + n)[1] for n in OTHER_NAMES}
    edit("People/Felix Wagner.md", "---\n", "---\nsnooze_until: 2026-03-01\n")
    mark = log_size(LOG)
    r = run(BASE, now=NOW + 1200)
    out = r.stdout.decode()
    felix = resource_of("People/Felix Wagner.md")
    st, _, _ = dav(PORT, "GET", CAL + felix)
    report("a contact that leaves the feed: its resource is deleted",
           "published: 0 sent, 1 deleted, 15 unchanged\n" in out
           and st == 404 and log_count(LOG, "DELETE", mark) == 1
           and log_count(LOG, "PUT", mark) == 0, "%s; GET %d" % (out, st))
    after = {n: dav(PORT, "GET", CAL + n) for n in OTHER_NAMES}
    report("the other client's resources are untouched (also the one "
           "named like followup's)", all(
               after[n][0] == 200 and after[n][1] == before[n]
               for n in OTHER_NAMES), str({n: a[0] for n, a in
                                           after.items()}))


@section
def changed_event_is_put_again():
    edit("People/Hannah Brooks.md", "\n- [", "\n- [ ] Send Hannah the "
         "revised quote 📅 2026-01-21\n- [")
    mark = log_size(LOG)
    r = run(BASE, now=NOW + 1800)
    out = r.stdout.decode()
    name = resource_of("People/Hannah Brooks.md")
    st, body, _ = dav(PORT, "GET", CAL + name)
    text = body.decode().replace("\r\n ", "")
    report("an edited contact: exactly its event is PUT again, with "
           "SEQUENCE:1", "published: 1 sent, 0 deleted, 14 unchanged\n"
           in out and log_count(LOG, "PUT", mark) == 1
           and "SEQUENCE:1\r\n" in text and "revised quote" in text,
           "%s; %s" % (out, text[:300]))
    # Another client edits followup's event: the ETag changes, so the
    # next run puts followup's version back (with If-Match).
    dav(PORT, "PUT", CAL + name, body.replace(b"revised quote",
                                              b"EDITED ELSEWHERE"),
        {"Content-Type": "text/calendar"})
    mark = log_size(LOG)
    r = run(BASE, now=NOW + 2400)
    out = r.stdout.decode()
    st, body, _ = dav(PORT, "GET", CAL + name)
    report("an event edited on the server by another client is put back "
           "on the next run", "published: 1 sent, 0 deleted, 14 "
           "unchanged\n" in out and b"EDITED ELSEWHERE" not in body
           and log_count(LOG, "PUT", mark) == 1, out)


@section
def unreadable_part_never_deletes():
    """What part of the vault could not be read never shrinks what was
    published: a note broken mid-edit keeps its event; a vault that
    suddenly holds no contact (a sync folder not mounted) is refused."""
    names = listing()
    hannah = os.path.join(VAULT_COPY, "People", "Hannah Brooks.md")
    good = open(hannah, "rb").read()
    with open(hannah, "wb") as f:
        f.write(good.replace(b"\n---\n", b"\n", 1))   # never closed
    mark = log_size(LOG)
    r = run(BASE, now=NOW + 3000)
    out, err = r.stdout.decode(), r.stderr.decode()
    report("a contact's note broken mid-edit: its event kept, nothing "
           "deleted, a warning naming it", "0 deleted" in out and
           log_count(LOG, "DELETE", mark) == 0 and listing() == names and
           "People/Hannah Brooks.md: warning: \"Follow up with Hannah "
           "Brooks\" is kept in the feed" in err,
           "%s; DELETE %d; %s" % (out, log_count(LOG, "DELETE", mark),
                                  err[-600:]))
    with open(hannah, "wb") as f:
        f.write(good)
    r = run(BASE, now=NOW + 3300)
    feed = open(FEED, "rb").read()
    away = os.path.join(TMP, "vault-away")
    os.rename(VAULT_COPY, away)
    os.mkdir(VAULT_COPY)
    mark = log_size(LOG)
    r = run(BASE, now=NOW + 3600)
    err = r.stderr.decode()
    report("an empty vault (not mounted): refused, exit 66, the feed and "
           "the calendar as they were", r.returncode == 66 and
           "the vault holds no contact, where the feed has" in err and
           open(FEED, "rb").read() == feed and listing() == names and
           log_count(LOG, "DELETE", mark) == 0 and
           log_count(LOG, "PUT", mark) == 0,
           "exit %d; %s" % (r.returncode, err[-400:]))
    os.rmdir(VAULT_COPY)
    os.rename(away, VAULT_COPY)
    r = run(BASE, now=NOW + 4200)
    report("the vault back: the feed as before, nothing sent",
           "published: 0 sent, 0 deleted" in r.stdout.decode() and
           listing() == names, r.stdout.decode() + r.stderr.decode()[-300:])


@section
def one_refused_event_stops_nothing():
    """A resource another client put with the UID of a new follow-up: the
    server refuses that PUT (409, no-uid-conflict); the other changes are
    published, the refused event is named, and it goes once it can."""
    zed = os.path.join(VAULT_COPY, "People", "Zed Conflict.md")
    write(zed, "---\ntype: people\nlast_contact: 2025-06-01\n---\n", 0o644)
    uid = t.feed_uid("People/Zed Conflict.md")
    st, _, _ = dav(PORT, "PUT", CAL + "zed-copy.ics", OTHER % (uid, "A copy"),
                   {"Content-Type": "text/calendar"})
    edit("People/Hannah Brooks.md", "revised quote", "revised quote v2")
    mark = log_size(LOG)
    r = run(BASE, now=NOW + 4800)
    out, err = r.stdout.decode(), r.stderr.decode()
    hannah = dav(PORT, "GET", CAL + resource_of("People/Hannah Brooks.md")
                 )[1].replace(b"\r\n ", b"")
    report("one event refused (409, a copy holds its UID): named, the others "
           "published, exit 75", st == 201 and r.returncode == 75 and
           "People/Zed Conflict.md: error: publish: PUT" in err and
           "refused this event (HTTP 409" in err and
           "1 sent, 0 deleted" in out and "1 refused" in out and
           b"revised quote v2" in hannah,
           "put %d, exit %d: %s %s" % (st, r.returncode, out, err[-500:]))
    dav(PORT, "DELETE", CAL + "zed-copy.ics")
    r = run(BASE, now=NOW + 5400)
    report("the copy gone: the event goes on the next run",
           r.returncode in (0, 65) and "1 sent" in r.stdout.decode() and
           resource_of("People/Zed Conflict.md") in listing(),
           r.stdout.decode() + r.stderr.decode()[-300:])
    os.unlink(zed)
    r = run(BASE, now=NOW + 6000)
    report("and leaves with its note", "1 deleted" in r.stdout.decode(),
           r.stdout.decode() + r.stderr.decode()[-300:])


@section
def wrong_password():
    write(PWFILE, WRONG + "\n")
    r = run(BASE, now=NOW + 3000)
    err = r.stderr.decode()
    report("a wrong password: exit 78, 'refused the credentials' with the "
           "redacted URL and a hint", r.returncode == 78
           and "error: publish: the server refused the credentials for "
           "%s (HTTP 401)" % URL in err and "  hint: check the user and "
           "the password" in err, "exit %d: %s" % (r.returncode, err[-700:]))
    write(PWFILE, PASSWORD + "\n")


@section
def missing_calendar():
    cfg = os.path.join(TMP, "missing.yml")
    url = "http://127.0.0.1:%d/alice/no-such-calendar/" % PORT
    write(cfg, "exclude: [Templates]\nics:\n  publish: %s\n"
          "  publish_user: alice\n  publish_password_file: %s\n"
          % (url, PWFILE))
    r = run(["ics", "--vault", VAULT_COPY, "--config", cfg, "--today",
             TODAY, "--output", os.path.join(TMP, "missing.ics")])
    err = r.stderr.decode()
    report("a calendar URL that does not exist: exit 78, 'no such "
           "collection', a hint", r.returncode == 78 and "PROPFIND %s: "
           "there is no such collection (HTTP 404)" % url in err
           and "hint: create the calendar on the server first" in err,
           "exit %d: %s" % (r.returncode, err[-400:]))


@section
def password_sources():
    url_with = URL.replace("http://", "http://alice:%s@" % PASSWORD)
    cfg = os.path.join(TMP, "inline.yml")
    text = ("exclude: [Templates]\ncadence_by_tag:\n  tier/1: 14\n"
            "  tier/3: 90\nics:\n  publish: %s\n" % url_with)
    write(cfg, text, 0o644)
    args = ["ics", "--vault", VAULT_COPY, "--config", cfg, "--today", TODAY,
            "--output", FEED]
    r = run(args)
    err = r.stderr.decode()
    report("a password in a config that others can read: refused, exit 78",
           r.returncode == 78 and "config holds a secret and group or "
           "others can read it (mode 644): refused" in err
           and "chmod 600" in err and "published" not in
           r.stdout.decode(), "exit %d: %s" % (r.returncode, err[-500:]))
    os.chmod(cfg, 0o600)
    r = run(args)
    report("the same config with mode 600: the URL's userinfo is used",
           "published: 0 sent, 0 deleted, 15 unchanged\n"
           in r.stdout.decode(), r.stdout.decode() + r.stderr.decode())
    write(cfg, text.replace(url_with, URL) + "  publish_user: alice\n"
          "  publish_password_env: FOLLOWUP_TEST_PW\n", 0o644)
    r = run(args, env_extra={"FOLLOWUP_TEST_PW": PASSWORD})
    report("publish_password_env: works, and the config may be readable",
           "published: 0 sent, 0 deleted, 15 unchanged\n"
           in r.stdout.decode(), r.stdout.decode() + r.stderr.decode())
    r = run(args)
    report("publish_password_env unset: exit 78 naming the variable",
           r.returncode == 78 and "the environment variable "
           "FOLLOWUP_TEST_PW is not set" in r.stderr.decode(),
           r.stderr.decode()[-400:])
    write(cfg, text.replace(url_with, URL.replace(
        "http://", "http://TOKEN-%d@" % os.getpid())), 0o644)
    r = run(args)
    err = r.stderr.decode()
    report("a user alone (a token) in the publish URL of a config that "
           "others can read: refused, exit 78", r.returncode == 78
           and "group or others can read it (mode 644): refused" in err
           and "published" not in r.stdout.decode(),
           "exit %d: %s" % (r.returncode, err[-500:]))
    creds = os.path.join(TMP, "credentials")
    write(os.path.join(creds, "followup-publish"), PASSWORD)
    write(cfg, text.replace(url_with, URL) + "  publish_user: alice\n"
          "  publish_credential: followup-publish\n", 0o644)
    r = run(args, env_extra={"CREDENTIALS_DIRECTORY": creds})
    report("publish_credential under $CREDENTIALS_DIRECTORY: works",
           "published: 0 sent, 0 deleted, 15 unchanged\n"
           in r.stdout.decode(), r.stdout.decode() + r.stderr.decode())


@section
def no_publish_option():
    mark = log_size(LOG)
    r = run(BASE + ["--no-publish"], now=NOW + 3600)
    report("--no-publish: no request at all", "published" not in
           r.stdout.decode() and log_size(LOG) == mark, r.stdout.decode())


@section
def unreachable_and_unavailable():
    closed = free_port()
    cfg = os.path.join(TMP, "down.yml")
    write(cfg, "exclude: [Templates]\nics:\n  publish: "
          "http://127.0.0.1:%d/alice/followup/\n  publish_user: alice\n"
          "  publish_password_file: %s\n" % (closed, PWFILE))
    args = ["ics", "--vault", VAULT_COPY, "--config", cfg, "--today", TODAY,
            "--output", os.path.join(TMP, "down.ics")]
    r = run(args)
    err = r.stderr.decode()
    report("a server that cannot be reached: exit 75, the feed still "
           "written, a hint", r.returncode == 75 and "error: publish: "
           "PROPFIND http://127.0.0.1:%d/alice/followup/" % closed in err
           and "followup tries again on the next run" in err
           and os.path.exists(os.path.join(TMP, "down.ics")),
           "exit %d: %s" % (r.returncode, err[-500:]))

    busy = t.Recorder(script=[answer(503)]).start()
    try:
        write(cfg, "exclude: [Templates]\nics:\n  publish: "
              "http://%s/cal/\n" % busy.hostport())
        r = run(args)
        err = r.stderr.decode()
        report("a server answering 503: exit 75", r.returncode == 75 and
               "the server answered HTTP 503" in err, err[-400:])
    finally:
        busy.stop()


@section
def plain_webdav():
    port = free_port()
    root = os.path.join(TMP, "webdav")
    os.makedirs(os.path.join(root, "feeds"))
    log = open(os.path.join(TMP, "rclone.log"), "w")
    proc = subprocess.Popen(["rclone", "serve", "webdav", root, "--addr",
                             "127.0.0.1:%d" % port, "--user", "bob",
                             "--pass", DAV_PASSWORD, "--config", "/dev/null"],
                            stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    servers.append(proc)
    if not wait_port(port, proc):
        raise RuntimeError("rclone serve webdav did not start")
    cfg = os.path.join(TMP, "webdav.yml")
    feed = os.path.join(TMP, "webdav-feed.ics")
    args = ["ics", "--vault", VAULT_COPY, "--config", cfg, "--today", TODAY,
            "--output", feed]
    for what, url, stored in (
            ("a WebDAV folder", "http://127.0.0.1:%d/feeds/" % port,
             os.path.join(root, "feeds", "followup.ics")),
            ("a WebDAV file", "http://127.0.0.1:%d/feeds/mine.ics" % port,
             os.path.join(root, "feeds", "mine.ics"))):
        write(cfg, "exclude: [Templates]\nics:\n  publish: %s\n"
              "  publish_user: bob\n  publish_password_env: DAVPW\n" % url,
              0o644)
        env = {"DAVPW": DAV_PASSWORD}
        r = run(args, env_extra=env)
        with open(feed, "rb") as f:
            local = f.read()
        there = open(stored, "rb").read() if os.path.exists(stored) else b""
        report("plain WebDAV (%s): the whole feed in one PUT" % what,
               "published: 1 sent, 0 deleted, 0 unchanged\n"
               in r.stdout.decode() and there == local,
               "%s %s; stored %d bytes" % (r.stdout.decode(),
                                           r.stderr.decode()[-300:],
                                           len(there)))
        r = run(args, env_extra=env, now=NOW + 900)
        report("plain WebDAV (%s): nothing sent the second time" % what,
               "published: 0 sent, 0 deleted, 1 unchanged\n"
               in r.stdout.decode(), r.stdout.decode() +
               r.stderr.decode()[-300:])

    # A file that another client put there: never overwritten. (Put
    # through the server: rclone caches its folder listings.)
    theirs = os.path.join(root, "feeds", "theirs.ics")
    mine = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    st, _, _ = dav(port, "PUT", "/feeds/theirs.ics", mine,
                   {"Content-Type": "text/calendar"}, DAV_PASSWORD, "bob")
    if st not in (200, 201, 204) or open(theirs, "rb").read() != mine:
        raise RuntimeError("another client's PUT: HTTP %d" % st)
    url = "http://127.0.0.1:%d/feeds/theirs.ics" % port
    write(cfg, "exclude: [Templates]\nics:\n  publish: %s\n"
          "  publish_user: bob\n  publish_password_env: DAVPW\n" % url,
          0o644)
    r = run(args, env_extra={"DAVPW": DAV_PASSWORD}, now=NOW + 1800)
    err = r.stderr.decode()
    report("plain WebDAV: a file there that followup did not create is "
           "left as it is (exit 78, the URL and a hint)",
           r.returncode == 78 and open(theirs, "rb").read() == mine
           and "error: publish: %s is already there and followup did not "
           "create it: not overwritten" % url in err
           and "hint: followup overwrites only a file it created" in err
           and "published" not in r.stdout.decode(),
           "exit %d: %s" % (r.returncode, err[-500:]))


@section
def tls_verified():
    """radicale over TLS with a certificate of its own: refused without
    its CA, accepted with ics.publish_ca_file."""
    ca, cert, key = t.certificate_files()
    port = free_port()
    if not radicale(port, os.path.join(RAD, "config-tls"), "ssl = True\n"
                    "certificate = %s\nkey = %s\n" % (cert, key)):
        raise RuntimeError("radicale with TLS did not start")
    cfg = os.path.join(TMP, "tls.yml")
    url = "https://127.0.0.1:%d%s" % (port, CAL)
    text = ("exclude: [Templates]\ncadence_by_tag:\n  tier/1: 14\n"
            "  tier/3: 90\nics:\n  publish: %s\n  publish_user: alice\n"
            "  publish_password_file: %s\n" % (url, PWFILE))
    write(cfg, text)
    args = ["ics", "--vault", VAULT_COPY, "--config", cfg, "--today", TODAY,
            "--output", FEED]
    r = run(args)
    err = r.stderr.decode()
    report("TLS is verified: a certificate the system does not trust is "
           "refused (exit 78, hint publish_ca_file)", r.returncode == 78
           and "error: publish: PROPFIND %s: SSL certificate problem" % url
           in err and "ics.publish_ca_file" in err,
           "exit %d: %s" % (r.returncode, err[-500:]))
    write(cfg, text + "  publish_ca_file: %s\n" % ca)
    r = run(args)
    out = r.stdout.decode()
    report("TLS with ics.publish_ca_file: published over https",
           r.returncode == 65 and "published: " in out
           and "0 deleted" in out, "exit %d: %s %s" % (
               r.returncode, out, r.stderr.decode()[-400:]))


@section
def redirects():
    other = recorder("127.0.0.2")
    away = "http://%s/elsewhere/" % other.hostport()
    here = recorder(routes={
        "/cal/": answer(307, {"Location": away}),
        ("PROPFIND", "/old/feed.ics"): answer(308, {"Location":
                                                    "/new/feed.ics"}),
        ("PUT", "/old/feed.ics"): answer(308, {"Location": "/new/feed.ics"}),
        ("PUT", "/new/feed.ics"): answer(201, {"ETag": '"n1"'}),
    })
    try:
        port = here.port
        cfg = os.path.join(TMP, "redirect.yml")
        write(cfg, "exclude: [Templates]\nics:\n  publish: "
              "http://alice:%s@127.0.0.1:%d/cal/\n" % (PASSWORD, port))
        feed = os.path.join(TMP, "redirect.ics")
        args = ["ics", "--vault", VAULT_COPY, "--config", cfg, "--today",
                TODAY, "--output", feed]
        r = run(args)
        err = r.stderr.decode()
        report("a redirect to another host is not followed (exit 78), and "
               "the credentials never go there", r.returncode == 78
               and "redirected to %s, another host: not followed" % away
               in err and other.requests == [] and here.requests
               and here.requests[0]["headers"].get("Authorization")
               is not None, "exit %d, other got %d: %s"
               % (r.returncode, len(other.requests), err[-400:]))
        write(cfg, "exclude: [Templates]\nics:\n  publish: "
              "http://127.0.0.1:%d/old/feed.ics\n" % port)
        here.clear()
        r = run(args)
        with open(feed, "rb") as f:
            local = f.read()
        puts = [x for x in here.requests if x["method"] == "PUT"]
        report("a redirect on the same host is followed, body and method "
               "kept", "published: 1 sent" in r.stdout.decode()
               and [p["path"] for p in puts] == ["/old/feed.ics",
                                                 "/new/feed.ics"]
               and puts[-1]["body"] == local, "%s %s" % (
                   r.stdout.decode(), [(x["method"], x["path"])
                                       for x in here.requests]))
    finally:
        here.stop()
        other.stop()


def multistatus(href, etag, collection=False):
    """A 207 answer to PROPFIND Depth 0 on href."""
    return answer(207, {"Content-Type": "application/xml; charset=utf-8"}, (
        '<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus '
        'xmlns:d="DAV:"><d:response><d:href>%s</d:href><d:propstat>'
        '<d:prop><d:resourcetype>%s</d:resourcetype>%s</d:prop>'
        '<d:status>HTTP/1.1 200 OK</d:status></d:propstat>'
        '</d:response></d:multistatus>\n'
        % (href, "<d:collection/>" if collection else "",
           "<d:getetag>%s</d:getetag>" % etag.replace('"', "&quot;")
           if etag else "")).encode())


@section
def conditional_requests():
    proxy = recorder()
    routes = {}
    srv = recorder(routes=routes)
    port = srv.port
    proxy_url = "http://" + proxy.hostport()
    path = "/f/feed.ics"
    cfg = os.path.join(TMP, "conditional.yml")
    feed = os.path.join(TMP, "conditional.ics")
    write(cfg, "exclude: [Templates]\nics:\n  publish: "
          "http://127.0.0.1:%d%s\n  publish_user: alice\n"
          "  publish_password_env: PW\n" % (port, path))

    def once(today, answers):
        srv.clear()
        routes.clear()
        routes.update(answers)
        r = run(["ics", "--vault", VAULT_COPY, "--config", cfg, "--today",
                 today, "--output", feed], env_extra=dict(
                     PW=PASSWORD, http_proxy=proxy_url,
                     HTTP_PROXY=proxy_url, ALL_PROXY=proxy_url))
        puts = [x["headers"] for x in srv.requests
                if x["method"] == "PUT" and x["path"] == path]
        return r, puts, "exit %d, %s %s; sent %s" % (
            r.returncode, r.stdout.decode(), r.stderr.decode()[-400:],
            [(x["method"], x["path"], x["headers"].get("if-match"),
              x["headers"].get("if-none-match")) for x in srv.requests])

    try:
        r, puts, why = once("2026-01-10", {
            ("PROPFIND", path): answer(404),
            ("PUT", path): answer(201, {"ETag": '"e1"'})})
        report("a new file: PUT with If-None-Match: * and no If-Match",
               r.returncode == 65 and "published: 1 sent" in
               r.stdout.decode() and len(puts) == 1
               and puts[0].get("if-none-match") == "*"
               and "if-match" not in puts[0], why)
        report("no request goes to the proxy of http_proxy, HTTP_PROXY or "
               "ALL_PROXY", proxy.requests == [] and srv.requests != [],
               "the proxy got %s" % [(x["method"], x["path"])
                                     for x in proxy.requests])

        r, puts, why = once("2026-01-11", {
            ("PROPFIND", path): multistatus(path, '"e1"'),
            ("PUT", path): answer(204, {"ETag": '"e2"'})})
        report("followup's own file: PUT with If-Match: the ETag it got",
               r.returncode == 65 and "published: 1 sent" in
               r.stdout.decode() and len(puts) == 1
               and puts[0].get("if-match") == '"e1"'
               and "if-none-match" not in puts[0], why)

        r, puts, why = once("2026-01-12", {
            ("PROPFIND", path): multistatus(path, '"e2"'),
            ("PUT", path): answer(412)})
        err = r.stderr.decode()
        report("412 Precondition Failed: exit 75, said so, a hint",
               r.returncode == 75 and len(puts) == 1
               and puts[0].get("if-match") == '"e2"'
               and "error: publish: PUT http://127.0.0.1:%d%s: the file "
               "changed on the server since followup wrote it (HTTP 412)"
               % (port, path) in err and "hint: followup tries again on "
               "the next run" in err, why)

        r, puts, why = once("2026-01-12", {
            ("PROPFIND", path): multistatus(path, '"e2"'),
            ("PUT", path): answer(201, {"ETag": 'W/"w3"'})})
        report("after a 412 the next run tries again, with the same "
               "If-Match", r.returncode == 65 and len(puts) == 1
               and puts[0].get("if-match") == '"e2"', why)

        r, puts, why = once("2026-01-13", {
            ("PROPFIND", path): [multistatus(path, 'W/"w3"'),
                                 multistatus(path, 'W/"w3"'), answer(503)],
            ("PUT", path): answer(201)})
        report("a weak ETag (W/...) is never sent in If-Match: the PUT "
               "has no condition", len(puts) == 1 and "if-match" not in
               puts[0] and "if-none-match" not in puts[0], why)
        report("the ETag probe after a good PUT fails (503): no error, "
               "the run is not 75", r.returncode == 65
               and "published: 1 sent" in r.stdout.decode()
               and "error: publish" not in r.stderr.decode()
               and [x["method"] for x in srv.requests] == [
                   "PROPFIND", "PROPFIND", "PUT", "PROPFIND"], why)

        # A folder whose URL has a query string: it stays at the end.
        write(cfg, "exclude: [Templates]\nics:\n  publish: "
              "http://127.0.0.1:%d/q?k=v\n" % port)
        path = "/q/followup.ics?k=v"
        r, puts, why = once("2026-01-10", {
            ("PROPFIND", "/q?k=v"): multistatus("/q/", None, True),
            ("PROPFIND", path): answer(404),
            ("PUT", path): answer(201, {"ETag": '"q1"'})})
        report("a WebDAV folder URL with a query string: the file goes to "
               "folder/followup.ics?query", r.returncode == 65
               and len(puts) == 1 and "published: 1 sent" in
               r.stdout.decode(), why)
    finally:
        srv.stop()
        proxy.stop()


@section
def no_credentials_over_plain_http():
    cfg = os.path.join(TMP, "plain.yml")
    feed = os.path.join(TMP, "plain.ics")
    args = ["ics", "--vault", VAULT_COPY, "--config", cfg, "--today", TODAY,
            "--output", feed]
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never contacted, as the refusal
    # comes before any connection (which would time out: exit 75).
    for what, conf in (
            ("the URL's user", "  publish: http://alice@192.0.2.1/cal/\n"
             "  publish_password_env: PW\n"),
            ("publish_user", "  publish: http://192.0.2.1/cal/\n"
             "  publish_user: alice\n  publish_password_env: PW\n")):
        write(cfg, "exclude: [Templates]\nics:\n" + conf)
        start = time.monotonic()
        r = run(args, env_extra={"PW": PASSWORD})
        took = time.monotonic() - start
        err = r.stderr.decode()
        report("credentials (%s) over plain http:// to another machine: "
               "not sent, exit 78, a hint" % what, r.returncode == 78
               and "error: publish: http://192.0.2.1/cal/: not sending the "
               "credentials over plain http:// to another machine" in err
               and "hint: use an https:// URL" in err and took < 8,
               "exit %d after %.1f s: %s" % (r.returncode, took, err[-500:]))


@section
def valgrind_publish():
    if os.environ.get("FOLLOWUP_SANITIZED"):
        return          # the sanitizers check that build; nothing to say
    r = t.valgrind(BASE, environ(), "definite,indirect,possible",
                   text=False)
    report("valgrind ics with publishing: no error, no leak",
           r.returncode == 65 and b"published: " in r.stdout,
           "exit %d\n%s" % (r.returncode, r.stderr.decode()[-2500:]))


@section
def no_secret_anywhere():
    found = []
    texts = list(t.OUTPUTS)
    for dirpath, _, files in os.walk(STATE):
        for f in files:
            with open(os.path.join(dirpath, f), "rb") as fh:
                texts.append(fh.read())
    with open(FEED, "rb") as fh:
        texts.append(fh.read())
    for text in texts:
        for s in SECRETS:
            if s.encode() in text:
                found.append((s, text[:200]))
    report("no password in any output, message, feed or state file "
           "(%d texts)" % len(texts), not found and len(t.OUTPUTS) > 10,
           str(found[:2]))
    states = os.listdir(os.path.join(STATE, "followup"))
    report("publishing state remembered under $XDG_STATE_HOME/followup",
           any(s.startswith("publish-") for s in states), str(states))


for proc in servers:
    try:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, 9)
        except OSError:
            pass
t.finish()
