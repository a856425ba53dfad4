#!/usr/bin/python3
"""`followup notify` to Slack, Discord, Teams and Google Chat, on loopback.

These services live at fixed hosts; FOLLOWUP_TEST_ENDPOINT (honoured only
for a loopback origin, see notifiers/hosted.h) sends their requests to a
Recorder on 127.0.0.1 instead, path and query kept. One run on
examples/vault (--today 2026-01-10) with a json:// notifier beside them:
its body lists the reminders as data, and each chat message is checked
against it field by field:

- every request: POST, the service's own path and query, Content-Type
  application/json; charset=utf-8, User-Agent followup/;
- Slack (webhook and bot): Block Kit header, one mrkdwn section per
  reminder with <link|name>, the state, the items, the channel, the
  bot's Bearer token; a bot answer {"ok": false} is a failure that names
  Slack's error code;
- Discord: content, one embed per reminder (at most 10), title, colour,
  description, "and N more" for the rest, mentions off;
- Teams (workflows:// and msteams://): the Adaptive Card's heading and a
  container per reminder with its facts;
- Google Chat: the text, a <link|name> line per reminder, "and N more";
- --dry-run shows each service's URL masked; no output holds a token;
- FOLLOWUP_TEST_ENDPOINT naming another host sends nothing;
- Apprise (1.2.0, the Debian package) takes each URL apart the same way:
  with requests.post replaced in-process (nothing leaves the machine),
  it would post to the same host, path and query, with the same bot
  token and channel (workflows:// is newer than 1.2.0; Discord's ?wait=true
  is followup's, 1.2.0 puts "wait" in the body);
- a URL refused for a missing part is a config error that shows no token
  (the host of slack://, discord:// and gchat:// is one).
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
JSON_TOKEN = "jsonSECRET-%d" % PID
SECRETS = [SLACK[1], SLACK[2], BOT, DISCORD[0], DISCORD[1], WF, SIG,
           TEAMS[0], TEAMS[2], GCHAT[1], GCHAT[2], JSON_TOKEN]
TODAY = "2026-01-10"
NOW = 1768050000            # 2026-01-10 13:00 UTC
UA = "followup/"
CT = "application/json; charset=utf-8"

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


def config(home, rec, names=None):
    lines = ["exclude: [Templates]", "notifiers:"]
    for name in names or URLS:
        lines += ["  - name: %s" % name, "    url: %s" % URLS[name],
                  "    timeout: 5"]
    if names is None:
        lines += ["  - name: data", "    url: json://%s/json/%s"
                  % (rec.hostport(), JSON_TOKEN), "    timeout: 5"]
    return t.write(os.path.join(home, "config.yml"), "\n".join(lines) + "\n")


def notify(home, cfg, endpoint, *args):
    e = t.env(home=home, now=NOW, FOLLOWUP_TEST_ENDPOINT=endpoint)
    return t.run(["notify", "--config", cfg, "--vault", t.VAULT, "--today",
                  TODAY] + list(args), e)


def no_secret(text):
    return not any(s in text for s in SECRETS)


def by_path(rec):
    out = {}
    for r in rec.requests:
        for name, path in PATHS.items():
            if r["path"] == path:
                out[name] = r
        if r["path"] == "/json/" + JSON_TOKEN:
            out["data"] = r
    return out


STATE = {}


def start():
    rec = t.Recorder(script=[OK]).start()
    home = os.path.join(t.TMP, "home-all")
    cfg = config(home, rec)
    dry = notify(home, cfg, "http://" + rec.hostport(), "--dry-run")
    r = notify(home, cfg, "http://" + rec.hostport())
    got = by_path(rec)
    data = json.loads(got["data"]["body"]) if "data" in got else {}
    STATE.update(rec=rec, run=r, dry=dry, got=got,
                 reminders=data.get("followup", {}).get("reminders", []),
                 title=data.get("title", ""))


if not t.FOLLOWUP:
    t.FOLLOWUP = os.path.join(t.SRC, "build", "followup")
start()


def body(name):
    req = STATE["got"].get(name)
    return json.loads(req["body"]) if req else {}


@section
def the_run():
    r, got, rem = STATE["run"], STATE["got"], STATE["reminders"]
    report("run: exit 0 or 65 (the example vault's broken notes), one "
           "request per notifier", r.returncode in (0, 65) and
           len(STATE["rec"].requests) == len(URLS) + 1 and
           set(got) == set(URLS) | {"data"},
           "%d %s %s" % (r.returncode, sorted(got), r.stderr[-500:]))
    report("run: the example vault has more than ten reminders",
           len(rem) > 10, "%d reminders" % len(rem))
    for name in URLS:
        req = got.get(name, {"method": "", "headers": {}})
        h = req["headers"]
        report("%s: POST to its path, JSON, User-Agent" % name,
               req["method"] == "POST" and h.get("Content-Type") == CT and
               h.get("User-Agent", "").startswith(UA),
               "%s %s" % (req.get("method"), h))
    report("no output holds a token", no_secret(r.stdout + r.stderr) and
           no_secret(STATE["dry"].stdout + STATE["dry"].stderr),
           r.stdout[-300:])


@section
def dry_run():
    d = STATE["dry"]
    shown = ["POST slack://****", "POST https://discord.com/api/webhooks/"
             "****", "POST workflows://prod-1.westeurope.logic.azure.com:"
             "443/****", "POST msteams://contoso.webhook.office.com/****",
             "POST gchat://****"]
    report("dry run: each service's URL masked", all(s in d.stdout
           for s in shown), d.stdout[:400])


def slack_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def check_slack(name):
    b, rem = body(name), STATE["reminders"]
    blocks = b.get("blocks", [])
    sections = [x["text"]["text"] for x in blocks if x["type"] == "section"]
    report("%s: header is the title, a section per reminder" % name,
           blocks and blocks[0]["text"]["text"] == STATE["title"] and
           len(sections) == len(rem) and len(blocks) <= 50,
           "%d sections for %d" % (len(sections), len(rem)))
    bad = [r["name"] for r, s in zip(rem, sections) if not s.startswith(
        "*<%s|%s>*\n%s · " % (slack_escape(r["link"]),
                             slack_escape(r["name"]), r["state"]))]
    report("%s: each section: <link|name>, then the state" % name,
           not bad, "%s / %s" % (bad, sections[:1]))
    items = [r for r, s in zip(rem, sections) for it in r["open_items"]
             if "• " + slack_escape(it["text"][:60]) not in s]
    report("%s: each section lists the open items" % name, not items,
           [r["name"] for r in items])
    report("%s: channel, fallback text" % name,
           b.get("channel") == "#people" and
           b.get("text", "").startswith(STATE["title"]), b.get("channel"))


@section
def slack():
    check_slack("slack")
    check_slack("slack-bot")
    h = STATE["got"].get("slack-bot", {"headers": {}})["headers"]
    report("slack-bot: Authorization Bearer with the bot token",
           h.get("Authorization") == "Bearer " + BOT, "missing")
    report("slack webhook: no Authorization",
           "Authorization" not in STATE["got"].get(
               "slack", {"headers": {}})["headers"], "sent")


@section
def slack_bot_refused():
    rec = t.Recorder(script=[{"status": 200, "body":
                              '{"ok": false, "error": "channel_not_found"}'}
                             ]).start()
    home = os.path.join(t.TMP, "home-bot")
    cfg = config(home, rec, ["slack-bot"])
    r = notify(home, cfg, "http://" + rec.hostport())
    report("slack-bot: {\"ok\": false} fails the run and names the code",
           r.returncode not in (0, 65) and len(rec.requests) == 1 and
           "channel_not_found" in r.stdout + r.stderr and
           no_secret(r.stdout + r.stderr),
           "%d %s" % (r.returncode, (r.stdout + r.stderr)[-400:]))
    rec.stop()


COLOURS = {"overdue": 0xED4245, "cold": 0x5865F2, "due": 0xFEE75C}


@section
def discord():
    b, rem = body("discord"), STATE["reminders"]
    embeds = b.get("embeds", [])
    n = len(embeds)
    report("discord: content is the title and the count left out",
           b.get("content") == "**%s** (and %d more)" % (STATE["title"],
                                                        len(rem) - n) and
           0 < n <= 10, "%r, %d embeds" % (b.get("content"), n))
    bad = [e.get("title") for e, r in zip(embeds, rem)
           if e.get("title") != r["name"] or
           e.get("color") != COLOURS.get(r["state"], 0x95A5A6) or
           not e.get("description", "").startswith(r["state"] + " · ") or
           "`%s`" % r["link"] not in e.get("description", "") or
           "url" in e]
    report("discord: embeds: name, colour, state, link as text", not bad,
           bad)
    fields = [e for e, r in zip(embeds, rem) if len(e.get("fields", [])) !=
              len(r["open_items"]) + (1 if r["more_items"] else 0)]
    report("discord: a field per open item (and one for more)",
           not fields, [e.get("title") for e in fields])
    size = sum(len(e.get("title", "")) + len(e.get("description", "")) +
               sum(len(f["name"]) + len(f["value"]) for f in
                   e.get("fields", [])) for e in embeds)
    report("discord: 6000 characters across embeds, mentions off",
           size <= 6000 and b.get("allowed_mentions") == {"parse": []},
           "%d" % size)


def check_teams(name):
    b, rem = body(name), STATE["reminders"]
    att = (b.get("attachments") or [{}])[0]
    content = att.get("content", {})
    blocks = content.get("body", [])
    containers = [x for x in blocks if x.get("type") == "Container"]
    report("%s: an Adaptive Card 1.4 in a message" % name,
           b.get("type") == "message" and att.get("contentType") ==
           "application/vnd.microsoft.card.adaptive" and
           content.get("type") == "AdaptiveCard" and
           content.get("version") == "1.4" and
           blocks and blocks[0].get("text") == STATE["title"],
           json.dumps(b)[:300])
    report("%s: a container per reminder, under 28 KB" % name,
           len(containers) == len(rem) and
           len(STATE["got"][name]["body"]) <= 28000,
           "%d of %d" % (len(containers), len(rem)))
    bad = []
    for c, r in zip(containers, rem):
        items = c.get("items", [])
        facts = [f for x in items if x.get("type") == "FactSet"
                 for f in x["facts"]]
        if (items[0].get("text") != r["name"] or
                not items[1].get("text", "").startswith(r["state"]) or
                [f["value"] for f in facts][-1] != r["path"] or
                [f["value"] for f in facts][:len(r["open_items"])] !=
                [it["text"] for it in r["open_items"]]):
            bad.append(r["name"])
    report("%s: each container: name, state, items and path as facts"
           % name, not bad, bad)


@section
def teams():
    check_teams("workflows")
    check_teams("msteams")


@section
def gchat():
    b, rem = body("gchat"), STATE["reminders"]
    text = b.get("text", "")
    shown = [r for r in rem if "*<%s|%s>*\n%s · " % (r["link"], r["name"],
                                                    r["state"]) in text]
    report("gchat: bold title, then the reminders in order",
           text.startswith("*%s*\n" % STATE["title"]) and shown ==
           rem[:len(shown)] and len(shown) >= 1, text[:300])
    more = len(rem) - len(shown)
    report("gchat: within 4096 characters, 'and N more' for the rest",
           len(text) <= 4096 and (more == 0 or
                                  "\nand %d more\n" % more in text),
           "%d chars, %d shown" % (len(text), len(shown)))
    report("gchat: no thread unless asked", "thread" not in b, b.keys())


@section
def endpoint_elsewhere():
    rec = t.Recorder(script=[OK]).start()
    home = os.path.join(t.TMP, "home-elsewhere")
    cfg = config(home, rec, ["slack", "discord"])
    r = notify(home, cfg, "http://192.0.2.1:%d" % rec.port)
    report("FOLLOWUP_TEST_ENDPOINT to another host: nothing sent, failure",
           r.returncode not in (0, 65) and rec.requests == [] and
           no_secret(r.stdout + r.stderr),
           "%d %s" % (r.returncode, (r.stdout + r.stderr)[-300:]))
    rec.stop()


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
    mine = STATE["got"].get("slack-bot", {"headers": {}})["headers"]
    report("apprise: the same bot token header and channel",
           bot["headers"].get("Authorization") == mine.get("Authorization")
           and (bot.get("payload") or {}).get("channel") ==
           body("slack-bot").get("channel") == "#people",
           str(bot.get("payload"))[:200])


@section
def refused_urls():
    rec = t.Recorder(script=[OK]).start()
    home = os.path.join(t.TMP, "home-refused")
    for url in ("slack://%s/%s" % SLACK[:2], "discord://%s" % DISCORD[0],
                "gchat://%s/%s" % GCHAT[:2]):
        cfg = t.write(os.path.join(home, "config.yml"),
                      "notifiers:\n  - name: bad\n    url: %s\n" % url)
        r = notify(home, cfg, "http://" + rec.hostport())
        report("refused %s: exit 78, the error shows no token" %
               url.split(":")[0], r.returncode == 78 and
               rec.requests == [] and no_secret(r.stdout + r.stderr),
               "%d %s" % (r.returncode, r.stderr[-300:]))
    rec.stop()


@section
def no_secret_anywhere():
    leaked = [s for s in SECRETS for out in t.OUTPUTS if s in out]
    report("no output of any command holds a token (%d outputs)" %
           len(t.OUTPUTS), t.OUTPUTS and not leaked, leaked)


STATE["rec"].stop()
t.finish()
