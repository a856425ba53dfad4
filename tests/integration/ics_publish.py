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
import datetime
import http.client
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

FOLLOWUP = os.environ["FOLLOWUP"]
SRC = os.environ["SRCDIR"]
VAULT = os.path.join(SRC, "examples", "vault")
TODAY = "2026-01-10"
NOW = 1768050000
TMP = tempfile.mkdtemp(prefix="ics-publish-")
PASSWORD = "Radicale-s3cret-%d" % os.getpid()
WRONG = "not-the-password-%d" % os.getpid()
DAV_PASSWORD = "webdav-s3cret-%d" % os.getpid()
SECRETS = (PASSWORD, WRONG, DAV_PASSWORD)
failures = 0
outputs = []            # every stdout and stderr of followup, for the grep
servers = []


def report(name, ok, detail=""):
    global failures
    if ok:
        print("PASS " + name)
    else:
        failures += 1
        print("FAIL %s: %s" % (name, detail))


def section(fn):
    try:
        fn()
    except Exception:
        report(fn.__name__.replace("_", " "), False,
               "exception:\n" + traceback.format_exc())
    return fn


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


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


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)


PROXY_VARS = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
              "ALL_PROXY", "all_proxy")


def base_env(now=NOW):
    """The environment of followup: no proxy of the machine running this."""
    env = dict(os.environ, FOLLOWUP_NOW=str(now), HOME=TMP,
               XDG_STATE_HOME=os.path.join(TMP, "state"))
    for v in PROXY_VARS:
        env.pop(v, None)
    return env


def run(args, now=NOW, env_extra=None):
    env = base_env(now)
    env.pop("CREDENTIALS_DIRECTORY", None)
    if env_extra:
        env.update(env_extra)
    r = subprocess.run([FOLLOWUP] + args, capture_output=True, env=env,
                       timeout=120)
    outputs.append(r.stdout + r.stderr)
    return r


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


def fnv(text):
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def resource_of(path):
    return "followup-%016x%%40followup.ics" % fnv(path)


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


def start_radicale():
    os.makedirs(os.path.join(RAD, "collections"))
    users = os.path.join(RAD, "users")
    r = subprocess.run(["htpasswd", "-B", "-b", "-c", users, "alice",
                        PASSWORD], capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("htpasswd: %s" % r.stderr.decode())
    conf = os.path.join(RAD, "config")
    write(conf, """[server]
hosts = 127.0.0.1:%d
[auth]
type = htpasswd
htpasswd_filename = %s
htpasswd_encryption = bcrypt
delay = 0
[storage]
filesystem_folder = %s/collections
[logging]
level = info
""" % (PORT, users, RAD))
    log = open(LOG, "w")
    proc = subprocess.Popen(["/usr/bin/python3", "-m", "radicale", "--config",
                             conf], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    servers.append(proc)
    if not wait_port(PORT, proc):
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

    class Busy(http.server.BaseHTTPRequestHandler):
        def busy(self):
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
        do_PROPFIND = do_PUT = do_GET = do_HEAD = busy

        def log_message(self, *a):
            pass
    srv = http.server.HTTPServer(("127.0.0.1", 0), Busy)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        write(cfg, "exclude: [Templates]\nics:\n  publish: "
              "http://127.0.0.1:%d/cal/\n" % srv.server_address[1])
        r = run(args)
        err = r.stderr.decode()
        report("a server answering 503: exit 75", r.returncode == 75 and
               "the server answered HTTP 503" in err, err[-400:])
    finally:
        srv.shutdown()
        srv.server_close()


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
    tls = os.path.join(TMP, "tls")
    os.makedirs(tls)
    cert, key = os.path.join(tls, "cert.pem"), os.path.join(tls, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1"], capture_output=True,
                       timeout=60)
    if r.returncode != 0:
        raise RuntimeError("openssl: " + r.stderr.decode())
    port = free_port()
    conf = os.path.join(tls, "config")
    write(conf, """[server]
hosts = 127.0.0.1:%d
ssl = True
certificate = %s
key = %s
[auth]
type = htpasswd
htpasswd_filename = %s
htpasswd_encryption = bcrypt
delay = 0
[storage]
filesystem_folder = %s/collections
""" % (port, cert, key, os.path.join(RAD, "users"), RAD))
    proc = subprocess.Popen(["/usr/bin/python3", "-m", "radicale", "--config",
                             conf], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    servers.append(proc)
    if not wait_port(port, proc):
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
    write(cfg, text + "  publish_ca_file: %s\n" % cert)
    r = run(args)
    out = r.stdout.decode()
    report("TLS with ics.publish_ca_file: published over https",
           r.returncode == 65 and "published: " in out
           and "0 deleted" in out, "exit %d: %s %s" % (
               r.returncode, out, r.stderr.decode()[-400:]))


class Recorder(http.server.BaseHTTPRequestHandler):
    """A tiny peer that answers from a table and records what it got.

    routes maps (method, path) or path to (status, headers[, body]), or to
    a list of them answered in turn (the last one from then on). seen gets
    (method, path, Authorization, body, {lowercase header: value}).
    """
    routes = {}
    seen = None

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        self.seen.append((self.command, self.path,
                          self.headers.get("Authorization"), body,
                          {k.lower(): v for k, v in self.headers.items()}))
        route = self.routes.get((self.command, self.path),
                                self.routes.get(self.path, (404, {})))
        if isinstance(route, list):
            route = route.pop(0) if len(route) > 1 else route[0]
        status, headers = route[0], route[1]
        data = route[2] if len(route) > 2 else b""
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
    do_PROPFIND = do_PUT = do_GET = do_HEAD = do_DELETE = handle_any

    def log_message(self, *a):
        pass


def recorder(host, routes):
    seen = []
    handler = type("R", (Recorder,), {"routes": routes, "seen": seen})
    srv = http.server.ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, seen


@section
def redirects():
    other, other_seen = recorder("127.0.0.2", {})
    away = "http://127.0.0.2:%d/elsewhere/" % other.server_address[1]
    here, here_seen = recorder("127.0.0.1", {
        "/cal/": (307, {"Location": away}),
        ("PROPFIND", "/old/feed.ics"): (308, {"Location": "/new/feed.ics"}),
        ("PUT", "/old/feed.ics"): (308, {"Location": "/new/feed.ics"}),
        ("PUT", "/new/feed.ics"): (201, {"ETag": '"n1"'}),
    })
    try:
        port = here.server_address[1]
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
               in err and other_seen == [] and here_seen
               and here_seen[0][2] is not None, "exit %d, other got %d: %s"
               % (r.returncode, len(other_seen), err[-400:]))
        write(cfg, "exclude: [Templates]\nics:\n  publish: "
              "http://127.0.0.1:%d/old/feed.ics\n" % port)
        del here_seen[:]
        r = run(args)
        with open(feed, "rb") as f:
            local = f.read()
        puts = [x for x in here_seen if x[0] == "PUT"]
        report("a redirect on the same host is followed, body and method "
               "kept", "published: 1 sent" in r.stdout.decode()
               and [p[1] for p in puts] == ["/old/feed.ics", "/new/feed.ics"]
               and puts[-1][3] == local, "%s %s" % (
                   r.stdout.decode(), [(x[0], x[1]) for x in here_seen]))
    finally:
        for srv in (here, other):
            srv.shutdown()
            srv.server_close()


def multistatus(href, etag, collection=False):
    """A 207 answer to PROPFIND Depth 0 on href."""
    return (207, {"Content-Type": "application/xml; charset=utf-8"},
            ('<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus '
             'xmlns:d="DAV:"><d:response><d:href>%s</d:href><d:propstat>'
             '<d:prop><d:resourcetype>%s</d:resourcetype>%s</d:prop>'
             '<d:status>HTTP/1.1 200 OK</d:status></d:propstat>'
             '</d:response></d:multistatus>\n'
             % (href, "<d:collection/>" if collection else "",
                "<d:getetag>%s</d:getetag>" % etag.replace('"', "&quot;")
                if etag else "")).encode())


@section
def conditional_requests():
    proxy, proxy_seen = recorder("127.0.0.1", {})
    srv, seen = recorder("127.0.0.1", {})
    routes = srv.RequestHandlerClass.routes
    port = srv.server_address[1]
    proxy_url = "http://127.0.0.1:%d" % proxy.server_address[1]
    path = "/f/feed.ics"
    cfg = os.path.join(TMP, "conditional.yml")
    feed = os.path.join(TMP, "conditional.ics")
    write(cfg, "exclude: [Templates]\nics:\n  publish: "
          "http://127.0.0.1:%d%s\n  publish_user: alice\n"
          "  publish_password_env: PW\n" % (port, path))

    def once(today, answers):
        del seen[:]
        routes.clear()
        routes.update(answers)
        r = run(["ics", "--vault", VAULT_COPY, "--config", cfg, "--today",
                 today, "--output", feed], env_extra=dict(
                     PW=PASSWORD, http_proxy=proxy_url,
                     HTTP_PROXY=proxy_url, ALL_PROXY=proxy_url))
        puts = [x[4] for x in seen if x[0] == "PUT" and x[1] == path]
        return r, puts, "exit %d, %s %s; sent %s" % (
            r.returncode, r.stdout.decode(), r.stderr.decode()[-400:],
            [(x[0], x[1], x[4].get("if-match"), x[4].get("if-none-match"))
             for x in seen])

    try:
        r, puts, why = once("2026-01-10", {
            ("PROPFIND", path): (404, {}),
            ("PUT", path): (201, {"ETag": '"e1"'})})
        report("a new file: PUT with If-None-Match: * and no If-Match",
               r.returncode == 65 and "published: 1 sent" in
               r.stdout.decode() and len(puts) == 1
               and puts[0].get("if-none-match") == "*"
               and "if-match" not in puts[0], why)
        report("no request goes to the proxy of http_proxy, HTTP_PROXY or "
               "ALL_PROXY", proxy_seen == [] and seen != [],
               "the proxy got %s" % [(x[0], x[1]) for x in proxy_seen])

        r, puts, why = once("2026-01-11", {
            ("PROPFIND", path): multistatus(path, '"e1"'),
            ("PUT", path): (204, {"ETag": '"e2"'})})
        report("followup's own file: PUT with If-Match: the ETag it got",
               r.returncode == 65 and "published: 1 sent" in
               r.stdout.decode() and len(puts) == 1
               and puts[0].get("if-match") == '"e1"'
               and "if-none-match" not in puts[0], why)

        r, puts, why = once("2026-01-12", {
            ("PROPFIND", path): multistatus(path, '"e2"'),
            ("PUT", path): (412, {})})
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
            ("PUT", path): (201, {"ETag": 'W/"w3"'})})
        report("after a 412 the next run tries again, with the same "
               "If-Match", r.returncode == 65 and len(puts) == 1
               and puts[0].get("if-match") == '"e2"', why)

        r, puts, why = once("2026-01-13", {
            ("PROPFIND", path): [multistatus(path, 'W/"w3"'),
                                 multistatus(path, 'W/"w3"'), (503, {})],
            ("PUT", path): (201, {})})
        report("a weak ETag (W/...) is never sent in If-Match: the PUT "
               "has no condition", len(puts) == 1 and "if-match" not in
               puts[0] and "if-none-match" not in puts[0], why)
        report("the ETag probe after a good PUT fails (503): no error, "
               "the run is not 75", r.returncode == 65
               and "published: 1 sent" in r.stdout.decode()
               and "error: publish" not in r.stderr.decode()
               and [x[0] for x in seen] == ["PROPFIND", "PROPFIND", "PUT",
                                            "PROPFIND"], why)

        # A folder whose URL has a query string: it stays at the end.
        write(cfg, "exclude: [Templates]\nics:\n  publish: "
              "http://127.0.0.1:%d/q?k=v\n" % port)
        path = "/q/followup.ics?k=v"
        r, puts, why = once("2026-01-10", {
            ("PROPFIND", "/q?k=v"): multistatus("/q/", None, True),
            ("PROPFIND", path): (404, {}),
            ("PUT", path): (201, {"ETag": '"q1"'})})
        report("a WebDAV folder URL with a query string: the file goes to "
               "folder/followup.ics?query", r.returncode == 65
               and len(puts) == 1 and "published: 1 sent" in
               r.stdout.decode(), why)
    finally:
        for s in (srv, proxy):
            s.shutdown()
            s.server_close()


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
    env = base_env()
    r = subprocess.run(["valgrind", "--error-exitcode=99",
                        "--leak-check=full", "--errors-for-leak-kinds="
                        "definite,indirect,possible", "-q",
                        "--suppressions=" + os.path.join(
                            SRC, "tests", "valgrind.supp"),
                        FOLLOWUP] + BASE, capture_output=True, env=env,
                       timeout=300)
    outputs.append(r.stdout + r.stderr)
    report("valgrind ics with publishing: no error, no leak",
           r.returncode == 65 and b"published: " in r.stdout,
           "exit %d\n%s" % (r.returncode, r.stderr.decode()[-2500:]))


@section
def no_secret_anywhere():
    found = []
    texts = list(outputs)
    for dirpath, _, files in os.walk(os.path.join(TMP, "state")):
        for f in files:
            with open(os.path.join(dirpath, f), "rb") as fh:
                texts.append(fh.read())
    with open(FEED, "rb") as fh:
        texts.append(fh.read())
    for t in texts:
        for s in SECRETS:
            if s.encode() in t:
                found.append((s, t[:200]))
    report("no password in any output, message, feed or state file "
           "(%d texts)" % len(texts), not found and len(outputs) > 10,
           str(found[:2]))
    states = os.listdir(os.path.join(TMP, "state", "followup"))
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
shutil.rmtree(TMP, ignore_errors=True)
sys.exit(1 if failures else 0)
