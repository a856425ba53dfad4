#!/usr/bin/python3
"""Slack, Discord, Teams and Google Chat: followup and Apprise take each
URL apart the same way.

What followup sends to each of these services, for each URL form, is in
the cases (tests/cases/32NN- to 35NN-*, 3951, 3954: the request pinned
against a recorder that FOLLOWUP_TEST_ENDPOINT points the services at,
see notifiers/hosted.h). Here, what needs Apprise (1.2.0, the Debian
package): with requests.post replaced in-process (nothing leaves the
machine), it would post each URL to the same host, path and query as
followup, with the same bot token and channel (workflows:// is newer than
1.2.0; Discord's ?wait=true is followup's, 1.2.0 puts "wait" in the
body). The Slack bot's header and channel are compared with those of a
real followup run against a loopback Recorder; no output of it holds a
token.
"""
import json
import os
import subprocess
import urllib.parse

import testlib as t
from testlib import report, section

PID = os.getpid()
SLACK = ("T0%dA" % PID, "B0%dB" % PID, "slackSECRET%d" % PID)
BOT = "xoxb-%d-botSECRET" % PID
DISCORD = ("8172%d" % PID, "discordSECRET-%d" % PID)
WF, SIG = "wf%dflow" % PID, "sigSECRET-%d" % PID
TEAMS = ("aaaa-%d@bbbb-2222" % PID, "Cc%dDd" % PID, "teamsSECRET-%d" % PID)
GCHAT = ("SPACE%d" % PID, "AIzaKEY-%d" % PID, "gchatSECRET%d" % PID)
SECRETS = [SLACK[1], SLACK[2], BOT, DISCORD[0], DISCORD[1], WF, SIG,
           TEAMS[0], TEAMS[2], GCHAT[1], GCHAT[2]]
TODAY = "2026-01-10"
NOW = 1768050000            # 2026-01-10 13:00 UTC

URLS = {
    "slack": "slack://%s/%s/%s/%%23people" % SLACK,
    "slack-bot": "slack://%s/%%23people" % BOT,
    "discord": "https://discord.com/api/webhooks/%s/%s" % DISCORD,
    "workflows": "workflows://prod-1.westeurope.logic.azure.com:443/%s/%s"
                 % (WF, SIG),
    "msteams": "msteams://contoso/%s/%s/%s" % TEAMS,
    "gchat": "gchat://%s/%s/%s" % GCHAT,
}
PATHS = {
    "slack": "/services/%s/%s/%s" % SLACK,
    "slack-bot": "/api/chat.postMessage",
    "discord": "/api/webhooks/%s/%s?wait=true" % DISCORD,
    "workflows": "/workflows/%s/triggers/manual/paths/invoke?api-version="
                 "2016-06-01&sp=%%2Ftriggers%%2Fmanual%%2Frun&sv=1.0&sig=%s"
                 % (WF, SIG),
    "msteams": "/webhookb2/%s/IncomingWebhook/%s/%s" % TEAMS,
    "gchat": "/v1/spaces/%s/messages?key=%s&token=%s" % GCHAT,
}
# A bot's answer is JSON; the webhooks do not read it.
OK = {"status": 200, "body": '{"ok": true}',
      "headers": {"Content-Type": "application/json"}}


def bot_request():
    """followup's request for the Slack bot, from a run against a Recorder
    standing in for slack.com."""
    rec = t.Recorder(script=[OK]).start()
    home = os.path.join(t.TMP, "home-bot")
    cfg = t.write(os.path.join(home, "config.yml"),
                  "exclude: [Templates]\nnotifiers:\n  - name: slack-bot\n"
                  "    url: %s\n    timeout: 5\n" % URLS["slack-bot"])
    e = t.env(home=home, now=NOW,
              FOLLOWUP_TEST_ENDPOINT="http://" + rec.hostport())
    t.run(["notify", "--config", cfg, "--vault", t.VAULT, "--today", TODAY],
          e)
    rec.stop()
    got = [r for r in rec.requests if r["path"] == PATHS["slack-bot"]]
    return got[0] if got else {"headers": {}, "body": b"{}"}


if not t.FOLLOWUP:
    t.FOLLOWUP = os.path.join(t.SRC, "build", "followup")
BOT_REQUEST = bot_request()


# Run inside Debian's python with apprise: what each URL would POST.
APPRISE_PROBE = r"""
import json, sys
import requests
import apprise
sent = []
class Answer:
    status_code = 200
    content = b'{"ok": true}'
    text = '{"ok": true}'
    headers = {}
def post(url, data=None, headers=None, params=None, **kw):
    sent.append({"url": url, "params": params or {},
                 "headers": dict(headers or {}),
                 "payload": json.loads(data) if isinstance(data, str)
                 else None})
    return Answer()
requests.post = post
out = {}
for name, url in json.loads(sys.argv[1]).items():
    sent.clear()
    a = apprise.Apprise()
    if a.add(url):
        a.notify(title="T", body="B")
    out[name] = sent[0] if sent else None
print(json.dumps(out))
"""

REAL_HOSTS = {"slack": "hooks.slack.com", "slack-bot": "slack.com",
              "discord": "discord.com",
              "msteams": "contoso.webhook.office.com",
              "gchat": "chat.googleapis.com"}


@section
def apprise_agrees():
    urls = {k: v for k, v in URLS.items() if k in REAL_HOSTS}
    p = subprocess.run(["/usr/bin/python3", "-c", APPRISE_PROBE,
                        json.dumps(urls)], capture_output=True, text=True,
                       timeout=60)
    theirs = json.loads(p.stdout) if p.returncode == 0 else {}
    report("apprise: its plugins load (Debian's apprise package)",
           p.returncode == 0 and all(theirs.get(k) for k in urls),
           p.stderr[-300:])
    for name in urls:
        a = theirs.get(name) or {"url": "", "params": {}, "headers": {}}
        ours = urllib.parse.urlsplit(PATHS[name])
        its = urllib.parse.urlsplit(a["url"])
        query = dict(urllib.parse.parse_qsl(ours.query))
        if name == "discord":
            query.pop("wait", None)
        report("apprise: %s posts to the same host, path and query" % name,
               its.scheme == "https" and its.netloc == REAL_HOSTS[name] and
               its.path == ours.path and
               dict(urllib.parse.parse_qsl(its.query), **a["params"]) ==
               query, "%s %s vs %s" % (its.netloc, its.path, ours.path))
    bot = theirs.get("slack-bot") or {"headers": {}, "payload": {}}
    mine = BOT_REQUEST["headers"]
    report("apprise: the same bot token header and channel",
           bot["headers"].get("Authorization") == mine.get("Authorization")
           and (bot.get("payload") or {}).get("channel") ==
           json.loads(BOT_REQUEST["body"]).get("channel") == "#people",
           str(bot.get("payload"))[:200])


@section
def no_secret_anywhere():
    leaked = [s for s in SECRETS for out in t.OUTPUTS if s in out]
    report("no output of any command holds a token (%d outputs)" %
           len(t.OUTPUTS), t.OUTPUTS and not leaked, leaked)


t.finish()
