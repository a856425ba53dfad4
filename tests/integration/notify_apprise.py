#!/usr/bin/python3
"""`followup notify` against loopback servers for json://, ntfy://,
mmost:// and matrix://, field by field, and the same URLs given to
Debian's `apprise` CLI (the reference for the URL syntax): both must reach
the same method and path with the same essential fields.

- json:// POST /hook/TOKEN: version, title, message, type;
- ntfy:// POST / with topic, title, message (followup adds priority,
  tags, markdown);
- mmost:// POST /hooks/TOKEN: text (followup adds attachments);
- matrix://user:pass@host/#room:server: login, join, then the event with
  msgtype and body. Known differences, printed, not failed: Apprise 1.2.0
  calls the r0 API and POSTs the event without a transaction id; followup
  calls v3 and PUTs it with one, so that a resend is dropped as a repeat.
  Apprise also logs out at the end; followup keeps its one device.
- Matrix alone: a PUT whose answer never came is sent again in the same
  run with the same transaction id (and no second login); a token in the
  URL is a Bearer header, and an alias without a server is completed
  from /account/whoami.
- no output holds a token or password of these configs.
"""
import json
import os
import re
import subprocess

import testlib as t
from testlib import report, section

PID = os.getpid()
TOKEN = "tokSECRET%d" % PID
PASSWORD = "pwSECRET%d" % PID
TOPIC = "topicSECRET%d" % PID
TODAY = "2026-01-10"
NOW = 1768050000            # 2026-01-10 13:00 UTC
APPRISE = "/usr/bin/apprise"
ROOM_ID = "!abcdef:localhost"

MATRIX_SCRIPT = [
    {"status": 200, "body": json.dumps({
        "access_token": "syt_session_%d" % PID, "user_id": "@bot:localhost",
        "home_server": "localhost", "device_id": "FOLLOWUP"})},
    {"status": 200, "body": json.dumps({"room_id": ROOM_ID})},
    {"status": 200, "body": json.dumps({"event_id": "$event"})},
    {"status": 200, "body": "{}"},
]

_cases = [0]


def notify(url, script=None, args=()):
    """followup notify with one notifier at url; the recorder and result."""
    _cases[0] += 1
    home = os.path.join(t.TMP, "case%d" % _cases[0])
    rec = t.Recorder(script=script).start()
    config = t.write(os.path.join(home, "config.yml"),
                     "notify:\n  retry_seconds: 10\nnotifiers:\n"
                     "  - name: chat\n    url: %s\n    timeout: 3\n"
                     % url(rec))
    r = t.run(["notify", "--config", config, "--vault", t.VAULT, "--today",
               TODAY, "-v"] + list(args), t.env(home=home, now=NOW))
    rec.stop()
    return rec, r


def apprise(url, script=None):
    """The apprise CLI sending a title and a body to url(rec)."""
    rec = t.Recorder(script=script).start()
    r = subprocess.run([APPRISE, "-vv", "-t", "followup: apprise title",
                        "-b", "Ada Lovelace — overdue", url(rec)],
                       env=t.env(home=os.path.join(t.TMP, "apprise")),
                       capture_output=True, text=True, timeout=60)
    rec.stop()
    return rec, r


def body(req):
    try:
        return json.loads(req["body"] or b"null")
    except ValueError:
        return None


def ok_exit(r):
    # The example vault holds broken notes on purpose: 65 with all sent.
    return r.returncode in (0, 65)


def compare(service, ours, theirs, keys, path=lambda p: p,
            method=lambda m: m):
    """Same method, path and essential keys; print what differs."""
    diffs = []
    if method(ours["method"]) != method(theirs["method"]):
        diffs.append("method %s vs apprise %s" % (ours["method"],
                                                  theirs["method"]))
    if path(ours["path"]) != path(theirs["path"]):
        diffs.append("path differs")
    a, b = body(ours) or {}, body(theirs) or {}
    for k in keys:
        if k not in a or k not in b:
            diffs.append("%s: %s in followup's, %s in apprise's" % (
                k, "present" if k in a else "absent",
                "present" if k in b else "absent"))
        elif type(a[k]) != type(b[k]):
            diffs.append("%s: %s vs %s" % (k, type(a[k]).__name__,
                                           type(b[k]).__name__))
    for d in diffs:
        print("# %s differs: %s" % (service, d))
    report("%s: followup and apprise reach the same method and path%s"
           % (service, " with " + ", ".join(keys) if keys else ""),
           not diffs, "; ".join(diffs))


@section
def json_hook():
    def url(rec):
        return "json://%s/hook/%s" % (rec.hostport(), TOKEN)
    rec, r = notify(url)
    reqs = rec.requests
    b = body(reqs[0]) if reqs else {}
    report("json: one POST to /hook/TOKEN", ok_exit(r) and len(reqs) == 1
           and reqs[0]["method"] == "POST" and
           reqs[0]["path"] == "/hook/" + TOKEN, r.stderr[-500:])
    names = [x["name"] for x in b["followup"]["reminders"]] if b else []
    report("json: Apprise's fields and the reminders as data",
           b and b["version"] == "1.0" and
           b["title"].startswith("followup: ") and
           "Åsa Lindqvist" in b["message"] and b["type"] == "warning" and
           "Åsa Lindqvist" in names and "Grace Whitfield" in names,
           str(b)[:300])
    theirs, ar = apprise(url)
    report("json: apprise sent", ar.returncode == 0 and theirs.requests,
           ar.stderr[-300:])
    if reqs and theirs.requests:
        compare("json", reqs[0], theirs.requests[0],
                ["version", "title", "message", "type"])


@section
def ntfy():
    def url(rec):
        return "ntfy://%s/%s" % (rec.hostport(), TOPIC)
    rec, r = notify(url)
    reqs = rec.requests
    b = body(reqs[0]) if reqs else {}
    report("ntfy: one POST to the server's root", ok_exit(r) and
           len(reqs) == 1 and reqs[0]["method"] == "POST" and
           reqs[0]["path"] == "/", r.stderr[-500:])
    report("ntfy: topic, title, Markdown message, priority, tags",
           b and b["topic"] == TOPIC and
           b["title"].startswith("followup: ") and b["markdown"] is True
           and "[Åsa Lindqvist](obsidian://" in b["message"] and
           b["priority"] == 4 and "snowflake" in b["tags"] and
           "warning" in b["tags"], str(b)[:300])
    report("ntfy: within ntfy's 4096 bytes, the rest as \"and N more\"",
           reqs and len(reqs[0]["body"]) <= 4096 and
           re.search(r"and \d+ more\n$", b["message"]),
           "%d bytes" % len(reqs[0]["body"]) if reqs else "none")
    theirs, ar = apprise(url)
    report("ntfy: apprise sent", ar.returncode == 0 and theirs.requests,
           ar.stderr[-300:])
    if reqs and theirs.requests:
        compare("ntfy", reqs[0], theirs.requests[0],
                ["topic", "title", "message"])
        report("ntfy: the same topic as apprise's",
               body(theirs.requests[0]).get("topic") == b.get("topic"),
               "differs")


@section
def mattermost():
    def url(rec):
        return "mmost://%s/%s" % (rec.hostport(), TOKEN)
    rec, r = notify(url)
    reqs = rec.requests
    b = body(reqs[0]) if reqs else {}
    report("mattermost: one POST to /hooks/TOKEN", ok_exit(r) and
           len(reqs) == 1 and reqs[0]["method"] == "POST" and
           reqs[0]["path"] == "/hooks/" + TOKEN, r.stderr[-500:])
    atts = b.get("attachments", []) if b else []
    report("mattermost: Markdown text, an attachment per reminder",
           b and b["text"].startswith("#### followup: ") and
           "[Åsa Lindqvist](obsidian://" in b["text"] and
           len(atts) == b["text"].count("**[") and
           atts[0]["title"] == "Åsa Lindqvist" and
           {f["title"] for f in atts[0]["fields"]} >=
           {"State", "Due", "Last contact"}, str(b)[:300])
    theirs, ar = apprise(url)
    report("mattermost: apprise sent", ar.returncode == 0 and
           theirs.requests, ar.stderr[-300:])
    if reqs and theirs.requests:
        compare("mattermost", reqs[0], theirs.requests[0], ["text"])


def matrix_api(path):
    """The path without its API version, the event's txn id dropped."""
    path = re.sub(r"^/_matrix/client/(r0|v3)", "", path)
    return re.sub(r"(/send/m\.room\.message)/[^/]+$", r"\1", path)


@section
def matrix():
    def url(rec):
        return "matrix://bot:%s@%s/#room:localhost" % (PASSWORD,
                                                       rec.hostport())
    rec, r = notify(url, MATRIX_SCRIPT)
    reqs = rec.requests
    paths = [(q["method"], q["path"]) for q in reqs]
    report("matrix: log in, join, PUT the event with a txn id",
           ok_exit(r) and len(reqs) == 3 and
           paths[0] == ("POST", "/_matrix/client/v3/login") and
           paths[1] == ("POST", "/_matrix/client/v3/join/"
                        "%23room%3Alocalhost") and
           paths[2][0] == "PUT" and re.match(
               r"^/_matrix/client/v3/rooms/%21abcdef%3Alocalhost/send/"
               r"m\.room\.message/fu[0-9a-f]{32}$", paths[2][1]),
           "%s %s" % (paths, r.stderr[-300:]))
    login = body(reqs[0]) if reqs else {}
    report("matrix: the login: password, the fixed device",
           login and login["type"] == "m.login.password" and
           login["identifier"]["user"] == "bot" and
           login["password"] == PASSWORD and
           login["device_id"] == "FOLLOWUP", "login body differs")
    ev = body(reqs[2]) if len(reqs) > 2 else {}
    report("matrix: the session token on join and PUT",
           len(reqs) > 2 and all(q["headers"].get("Authorization") ==
                                 "Bearer syt_session_%d" % PID
                                 for q in reqs[1:]), "no Bearer")
    report("matrix: m.text with a plain body and HTML",
           ev and ev["msgtype"] == "m.text" and
           ev["body"].startswith("followup: ") and
           ev["format"] == "org.matrix.custom.html" and
           "<strong>Åsa Lindqvist</strong>" in ev["formatted_body"],
           str(ev)[:300])
    theirs, ar = apprise(url, MATRIX_SCRIPT)
    tr = theirs.requests
    report("matrix: apprise sent", ar.returncode == 0 and len(tr) >= 3,
           ar.stderr[-300:])
    if len(reqs) >= 3 and len(tr) >= 3:
        for i, step in enumerate(["login", "join"]):
            compare("matrix " + step, reqs[i], tr[i],
                    ["password"] if step == "login" else [],
                    path=matrix_api)
        compare("matrix event", reqs[2], tr[2], ["msgtype", "body"],
                path=matrix_api, method=lambda m: "send")
        print("# matrix differs (expected): API %s vs apprise's %s; "
              "event %s with a txn id vs apprise's %s without; apprise "
              "then calls %s" % (
                  reqs[2]["path"].split("/")[3], tr[2]["path"].split("/")[3],
                  reqs[2]["method"], tr[2]["method"],
                  ", ".join(matrix_api(q["path"]) for q in tr[3:])
                  or "nothing"))
        report("matrix: the same msgtype as apprise's",
               body(tr[2]).get("msgtype") == ev.get("msgtype"), "differs")


@section
def matrix_resend_and_token():
    def url(rec):
        return "matrix://bot:%s@%s/#room:localhost" % (PASSWORD,
                                                       rec.hostport())
    script = MATRIX_SCRIPT[:2] + [{"action": "close"}] + MATRIX_SCRIPT[2:]
    rec, r = notify(url, script)
    reqs = rec.requests
    puts = [q for q in reqs if q["method"] == "PUT"]
    report("matrix: a PUT with no answer is sent again, same txn id, one "
           "login", ok_exit(r) and len(puts) == 2 and
           puts[0]["path"] == puts[1]["path"] and
           puts[0]["body"] == puts[1]["body"] and
           sum(q["path"].endswith("/login") for q in reqs) == 1,
           "%s %s" % ([(q["method"], q["path"]) for q in reqs],
                      r.stderr[-300:]))

    def token_url(rec):
        return "matrix://%s@%s/#room" % (TOKEN, rec.hostport())
    script = [{"status": 200, "body": json.dumps(
        {"user_id": "@bot:example.org"})}] + MATRIX_SCRIPT[1:]
    rec, r = notify(token_url, script)
    reqs = rec.requests
    report("matrix: token@, whoami completes the alias, Bearer token",
           ok_exit(r) and len(reqs) == 3 and
           reqs[0]["path"] == "/_matrix/client/v3/account/whoami" and
           reqs[1]["path"] == "/_matrix/client/v3/join/"
           "%23room%3Aexample.org" and
           all(q["headers"].get("Authorization") == "Bearer " + TOKEN
               for q in reqs), "%s %s" % (
                   [(q["method"], q["path"]) for q in reqs],
                   r.stderr[-300:]))


@section
def no_secret_in_output():
    # t.OUTPUTS: followup's alone (apprise's -vv shows URLs).
    leaked = [s for s in (TOKEN, PASSWORD, TOPIC, "syt_session")
              for out in t.OUTPUTS if s in out]
    report("no followup output holds a token, password or topic",
           not leaked, "leaked: %s" % sorted(set(leaked)))


t.finish()
