#!/usr/bin/python3
"""No secret of the config in any output of any command, at -v.

One config (mode 600) holds a notifier of every family, each with secrets
of its own: tokens in webhook paths and queries, passwords in userinfo, a
bot token, a Matrix password and the access token its login returns, an
SMTP password. Every command runs with -v over the example vault: status,
check, ics, notify --dry-run, notify --test, notify (twice), and notify
against servers that fail (500, 401, a closed SMTP port), and with URLs
that miss a part (config errors). Their stdout and stderr, the feed, the
ledger and the scan cache are searched for every secret; none may be
there. Every server is on loopback, started here.
"""
import json
import os

import testlib as t
from testlib import report, section

PID = os.getpid()
S = {name: "%s%dSECRET" % (name, PID) for name in (
    "jsontok", "jsonpw", "ntfytok", "ntfytopic", "mmtok", "mxpw",
    "mxsession", "slackb", "slackc", "xoxb", "dctok", "gckey", "gctok",
    "wfsig", "teamsc", "smtppw", "hdrtok")}
TODAY = "2026-01-10"
NOW = 1768050000


def matrix_route(method, path):
    """A homeserver's answers by path: log in, join, send."""
    if path.endswith("/login"):
        return {"status": 200, "body": json.dumps({
            "access_token": S["mxsession"], "user_id": "@bot:localhost",
            "home_server": "localhost", "device_id": "FOLLOWUP"})}
    if "/join/" in path:
        return {"status": 200, "body": json.dumps({"room_id":
                                                   "!r:localhost"})}
    return None


def servers(status=200):
    ok = {"status": status, "body": '{"ok": true}'}
    return {
        "json": t.Recorder(script=[ok]).start(),
        "ntfy": t.Recorder(script=[ok]).start(),
        "mmost": t.Recorder(script=[ok]).start(),
        "matrix": t.Recorder(script=[{"status": status, "body": json.dumps(
            {"event_id": "$e"})}], route=matrix_route).start(),
        "hosted": t.Recorder(script=[ok]).start(),
    }


def config(home, rec, smtp_port):
    urls = [
        ("json", "json://user:%s@%s/hook/%s?+X-Token=%s" % (
            S["jsonpw"], rec["json"].hostport(), S["jsontok"],
            S["hdrtok"])),
        ("ntfy", "ntfy://%s/%s?token=%s" % (rec["ntfy"].hostport(),
                                           S["ntfytopic"], S["ntfytok"])),
        ("mmost", "mmost://%s/%s" % (rec["mmost"].hostport(), S["mmtok"])),
        ("matrix", "matrix://bot:%s@%s/#room:localhost" % (
            S["mxpw"], rec["matrix"].hostport())),
        ("slack", "slack://T000/%s/%s" % (S["slackb"], S["slackc"])),
        ("slackbot", "slack://xoxb-%s/#people" % S["xoxb"]),
        ("discord", "discord://4242/%s" % S["dctok"]),
        ("gchat", "gchat://SPACE/%s/%s" % (S["gckey"], S["gctok"])),
        ("teams", "workflows://prod-1.westeurope.logic.azure.com:443/wf/%s"
         % S["wfsig"]),
        ("msteams", "msteams://contoso/a-b@c-d/e/%s" % S["teamsc"]),
        ("mail", "mailto://me:%s@127.0.0.1:%d?to=a@example.org&"
         "mode=insecure" % (S["smtppw"], smtp_port)),
    ]
    text = "notify:\n  retry_seconds: 2\nnotifiers:\n" + "".join(
        "  - name: %s\n    url: %s\n    timeout: 2\n" % u for u in urls)
    return t.write(os.path.join(home, "config.yml"), text, 0o600)


def run_all(home, cfg, rec, args):
    e = t.env(home=home, now=NOW,
              FOLLOWUP_TEST_ENDPOINT="http://%s" % rec["hosted"].hostport())
    return t.run(args + ["--config", cfg, "--vault", t.VAULT, "--today",
                         TODAY, "-v"], e)


def leaks(text):
    return sorted(k for k, v in S.items() if v in text)


def file_leaks(folder):
    found = []
    for root, _, files in os.walk(folder):
        for f in files:
            if f == "config.yml":
                continue
            data = open(os.path.join(root, f), "rb").read()
            found += ["%s in %s" % (k, f) for k, v in S.items()
                      if v.encode() in data]
    return found


@section
def every_command():
    home = os.path.join(t.TMP, "all")
    rec = servers()
    cfg = config(home, rec, t.free_port())
    feed = os.path.join(home, "feed.ics")
    runs = [
        ("status -v", ["status"]),
        ("check -v", ["check"]),
        ("ics -v", ["ics", "--output", feed]),
        ("notify --dry-run -v", ["notify", "--dry-run"]),
        ("notify --test -v", ["notify", "--test"]),
        ("notify -v", ["notify"]),
        ("notify -v, again", ["notify"]),
    ]
    for name, args in runs:
        r = run_all(home, cfg, rec, args)
        found = leaks(r.stdout + r.stderr)
        report("%s: exit %d, no secret in its output" % (name, r.returncode),
               not found and r.returncode in (0, 65, 75),
               "%s\n%s" % (found, (r.stdout + r.stderr)[-600:]))
    dry = t.OUTPUTS[3]
    report("the dry run shows every notifier, secret headers as ****",
           dry.count("--- ") >= 11 and "X-Token: ****" in dry and
           "Authorization: ****" in dry, dry[:400])
    got = sum(len(x.requests) for x in rec.values())
    report("the servers were reached (the runs did send)", got >= 10,
           "%d requests" % got)
    found = file_leaks(home)
    report("no secret in the feed, the ledger or the scan cache", not found,
           found)
    for x in rec.values():
        x.stop()


@section
def failures():
    home = os.path.join(t.TMP, "failing")
    rec = servers(status=500)
    for x in rec.values():
        x.route = None
        x.set_script([{"status": 401, "body": "denied %s" % S["jsontok"]}])
    cfg = config(home, rec, t.free_port())
    r = run_all(home, cfg, rec, ["notify"])
    found = leaks(r.stdout + r.stderr)
    report("every notifier failing (401, a closed SMTP port): exit 78 (the "
           "credentials refused), no secret in the messages",
           r.returncode == 78 and not found,
           "%d %s\n%s" % (r.returncode, found, r.stderr[-800:]))
    report("each failing notifier is named in the errors",
           all("notifier %s" % n in r.stderr for n in
               ("json", "ntfy", "mmost", "matrix", "slack", "discord",
                "gchat", "teams", "mail")), r.stderr[-800:])
    for x in rec.values():
        x.stop()


@section
def broken_urls():
    home = os.path.join(t.TMP, "broken")
    bad = ["json://", "ntfy://:%s@" % S["ntfytok"],
           "mmost://host/", "matrix://bot:%s@127.0.0.1/" % S["mxpw"],
           "slack://%s" % S["slackb"], "discord://%s" % S["dctok"],
           "gchat://%s" % S["gckey"], "msteams://%s" % S["teamsc"],
           "mailto://me:%s@" % S["smtppw"],
           "https://example.org/hook/%s" % S["jsontok"],
           "nosuch://u:%s@h/%s" % (S["jsonpw"], S["hdrtok"])]
    for i, url in enumerate(bad):
        cfg = t.write(os.path.join(home, "c%d.yml" % i),
                      "notifiers:\n  - url: \"%s\"\n" % url, 0o600)
        e = t.env(home=home, now=NOW)
        r = t.run(["notify", "--config", cfg, "--vault", t.VAULT,
                   "--today", TODAY, "-v"], e)
        found = leaks(r.stdout + r.stderr)
        report("broken URL %s: exit 78 naming notifier 1, no secret" %
               url.split(":")[0], r.returncode == 78 and not found and
               "notifier 1" in r.stderr, "%d %s %s" % (r.returncode, found,
                                                      r.stderr))


@section
def nothing_anywhere():
    found = sorted(set(k for out in t.OUTPUTS for k in leaks(out)))
    report("none of %d secrets in any of %d outputs" % (len(S),
                                                       len(t.OUTPUTS)),
           t.OUTPUTS and not found, found)


t.finish()
