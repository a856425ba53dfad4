#!/usr/bin/python3
"""`followup ics`: the feed of docs/design.md, "The feed".

The feed of the example vault is read back by three independent parsers --
python3-icalendar, Mozilla's ical.js (from npm, installed into
BUILD_DIR/npm) and khal (imported into a temporary calendar, then listed) --
and each must see the events `status --format json` calls for: same UIDs,
dates, summaries and states. Then: a second run leaves the file alone
(bytes, mtime, inode); editing one note changes exactly that contact's
event, keeping its UID and raising SEQUENCE; escaping and folding
(RFC 5545 §3.1, §3.3.11); VTODO mode; alarms; birthdays (yearly); the
horizon; `--output -`; paths that cannot be written (exit 73, the old feed
intact); a new feed's mode follows the umask, an existing one keeps its
mode; valgrind.

Every check prints PASS or FAIL; nothing is skipped.
"""
import datetime
import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

import testlib as t
from testlib import CONFIG, TMP, VAULT, feed_uid, report, section, write

TODAY = "2026-01-10"
NOW = 1768050000                 # 2026-01-10T13:00:00Z
CLEANUP = []                     # beside TMP: removed at the end


def environ(now=NOW, **extra):
    return t.env(now=now, NO_COLOR=None, **extra)


def run(args, now=NOW, env_extra=None, **kw):
    return t.run(args, environ(now, **(env_extra or {})), text=False, **kw)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def expected_from_status(vault, config, horizon=30, today=TODAY):
    """{uid: (date, summary, state)} from `status --format json`."""
    args = ["status", "--format", "json", "--vault", vault, "--today", today]
    if config:
        args += ["--config", config]
    r = run(args)
    doc = json.loads(r.stdout)
    want = {}
    for c in doc["contacts"]:
        st = c["state"]
        if st in ("cold", "overdue", "due") or (
                st == "ok" and -c["days_overdue"] <= horizon):
            date = max(c["due"], doc["today"])
            want[feed_uid(c["path"])] = (date, "Follow up with " + c["name"],
                                       st)
    return want, doc


# ------------------------------------------------------------ parsers

def icalendar_items(path):
    """[(kind, uid, date, summary, categories, component)] by icalendar."""
    from icalendar import Calendar
    cal = Calendar.from_ical(read_bytes(path))
    out = []
    for comp in cal.walk():
        if comp.name not in ("VEVENT", "VTODO"):
            continue
        when = comp.get("DTSTART" if comp.name == "VEVENT" else "DUE").dt
        cats = comp.get("CATEGORIES").to_ical().decode()
        out.append((comp.name, str(comp.get("UID")), when.isoformat(),
                    str(comp.get("SUMMARY")), cats, comp))
    return cal, out


ICALJS_SCRIPT = r"""
const mod = require(process.argv[2]);
const ICAL = mod.default || mod;
const fs = require('fs');
const root = new ICAL.Component(ICAL.parse(fs.readFileSync(process.argv[3], 'utf8')));
const out = {calendar: {}, items: []};
for (const p of ['prodid', 'version', 'calscale', 'name', 'x-wr-calname',
                 'refresh-interval', 'x-published-ttl'])
  out.calendar[p] = root.hasProperty(p) ? String(root.getFirstPropertyValue(p)) : null;
for (const kind of ['vevent', 'vtodo']) {
  for (const c of root.getAllSubcomponents(kind)) {
    const v = (n) => c.hasProperty(n) ? c.getFirstPropertyValue(n) : null;
    const item = {kind, uid: v('uid'), summary: v('summary'),
      description: v('description'), categories: v('categories'),
      sequence: v('sequence'), url: v('url'), transp: v('transp'),
      status: v('status'),
      date: String(v(kind === 'vevent' ? 'dtstart' : 'due')),
      end: v('dtend') ? String(v('dtend')) : null,
      alarms: c.getAllSubcomponents('valarm').map(a => ({
        action: String(a.getFirstPropertyValue('action')),
        trigger: String(a.getFirstPropertyValue('trigger')),
        related: a.getFirstProperty('trigger').getParameter('related') || null}))};
    if (c.hasProperty('rrule')) {
      const it = new ICAL.Event(c).iterator();
      item.occurrences = [];
      for (let t = it.next(); t && t.year <= 2028; t = it.next())
        if (t.year >= 2026) item.occurrences.push(String(t));
    }
    out.items.push(item);
  }
}
console.log(JSON.stringify(out));
"""

_icaljs = None


def icaljs_module():
    """ical.js from npm, installed once into BUILD_DIR/npm."""
    global _icaljs
    if _icaljs:
        return _icaljs
    prefix = os.path.join(t.BUILD, "npm")
    mod = os.path.join(prefix, "node_modules", "ical.js")
    if not os.path.exists(os.path.join(mod, "package.json")):
        r = subprocess.run(["npm", "install", "--prefix", prefix,
                            "--no-audit", "--no-fund", "--loglevel=error",
                            "ical.js@2"], capture_output=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("npm install ical.js@2 failed: %s"
                               % r.stderr.decode()[-1000:])
    _icaljs = mod
    return mod


def icaljs_items(path):
    script = os.path.join(TMP, "icaljs.cjs")
    write(script, ICALJS_SCRIPT)
    r = subprocess.run(["node", script, icaljs_module(), path],
                       capture_output=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("ical.js: " + r.stderr.decode()[-2000:])
    return json.loads(r.stdout)


def khal_items(path, start, end):
    """Import path into a new khal calendar; list start..end."""
    base = tempfile.mkdtemp(prefix="khal-", dir=TMP)
    caldir = os.path.join(base, "cal")
    os.mkdir(caldir)
    conf = os.path.join(base, "config")
    write(conf, """[calendars]
[[followup]]
path = %s
type = calendar
[locale]
timeformat = %%H:%%M
dateformat = %%Y-%%m-%%d
longdateformat = %%Y-%%m-%%d
datetimeformat = %%Y-%%m-%%d %%H:%%M
longdatetimeformat = %%Y-%%m-%%d %%H:%%M
local_timezone = UTC
default_timezone = UTC
[sqlite]
path = %s/khal.db
""" % (caldir, base))
    env = t.env(home=base)
    r = subprocess.run(["khal", "-c", conf, "import", "--batch", "-a",
                        "followup", path], capture_output=True, env=env,
                       timeout=120)
    if r.returncode != 0:
        raise RuntimeError("khal import: " + r.stderr.decode()[-2000:])
    r = subprocess.run(["khal", "-c", conf, "list", "--day-format", "",
                        "--format", "{start-date}|{uid}|{categories}|{title}",
                        start, end], capture_output=True, env=env,
                       timeout=120)
    if r.returncode != 0:
        raise RuntimeError("khal list: " + r.stderr.decode()[-2000:])
    rows = []
    for line in r.stdout.decode().splitlines():
        if line.strip():
            rows.append(tuple(line.split("|", 3)))
    return sorted(rows)


# ------------------------------------------------------------ the example

FEED = os.path.join(TMP, "feed", "followup.ics")
os.makedirs(os.path.dirname(FEED))
BASE = ["--vault", VAULT, "--config", CONFIG, "--today", TODAY]
WANT, STATUS = expected_from_status(VAULT, CONFIG)


@section
def example_feed_written():
    r = run(["ics", "--output", FEED] + BASE)
    out = r.stdout.decode()
    report("example feed: exit 65 (the vault's bad notes) and a 'wrote' "
           "line", r.returncode == 65 and out == "wrote %s (%d events)\n"
           % (FEED, len(WANT)), "exit %d, stdout %r" % (r.returncode, out))
    report("example feed: 16 events expected from status (sanity)",
           len(WANT) == 16, "%d" % len(WANT))


@section
def example_feed_icalendar():
    cal, items = icalendar_items(FEED)
    got = {i[1]: (i[2], i[3], i[4]) for i in items}
    report("python3-icalendar reads the same events as status json",
           got == WANT and len(items) == len(WANT),
           "missing %s, unexpected %s" % (
               sorted(set(WANT.items()) - set(got.items()))[:3],
               sorted(set(got.items()) - set(WANT.items()))[:3]))
    props = {k: str(cal.get(k)) for k in (
        "PRODID", "VERSION", "CALSCALE", "NAME", "X-WR-CALNAME",
        "X-PUBLISHED-TTL")}
    ri = cal.get("REFRESH-INTERVAL")
    report("calendar properties PRODID VERSION CALSCALE NAME X-WR-CALNAME "
           "REFRESH-INTERVAL X-PUBLISHED-TTL",
           props["PRODID"].startswith("-//followup//followup ")
           and props["VERSION"] == "2.0" and props["CALSCALE"] == "GREGORIAN"
           and props["NAME"] == "followup"
           and props["X-WR-CALNAME"] == "followup"
           and props["X-PUBLISHED-TTL"] == "PT1H" and ri is not None
           and ri.to_ical() == b"PT1H", "%r %r" % (props, ri))
    bad = []
    stamp = datetime.datetime.fromtimestamp(NOW, datetime.timezone.utc)
    by_path = {feed_uid(c["path"]): c for c in STATUS["contacts"]}
    for kind, uid, date, summary, cats, comp in items:
        c = by_path[uid]
        start = comp.get("DTSTART").dt
        desc = str(comp.get("DESCRIPTION"))
        url = str(comp.get("URL"))
        want_url = ("obsidian://open?vault=vault&file=" +
                    __import__("urllib.parse").parse.quote(
                        c["path"][:-3], safe=""))
        if comp.get("DTEND").dt != start + datetime.timedelta(days=1):
            bad.append("%s DTEND" % uid)
        if str(comp.get("TRANSP")) != "TRANSPARENT":
            bad.append("%s TRANSP" % uid)
        if url != want_url:
            bad.append("%s URL %s != %s" % (uid, url, want_url))
        if int(comp.get("SEQUENCE")) != 0:
            bad.append("%s SEQUENCE" % uid)
        if comp.get("DTSTAMP").dt != stamp or \
                comp.get("LAST-MODIFIED").dt != stamp:
            bad.append("%s DTSTAMP/LAST-MODIFIED" % uid)
        need = ["State: " + c["state"],
                "Cadence: every %d days" % c["cadence_days"]]
        if c["last_contact"]:
            need.append("Last contact: %s, %d day%s ago" % (
                c["last_contact"], c["days_since_contact"],
                "" if c["days_since_contact"] == 1 else "s"))
        for it in c["open_items"]:
            need.append("- " + it["text"] + (
                " (due %s)" % it["due"] if it["due"] else ""))
        missing = [n for n in need if n not in desc]
        if missing:
            bad.append("%s DESCRIPTION lacks %s" % (uid, missing))
    report("every event: DTEND next day, TRANSP, obsidian URL, SEQUENCE 0, "
           "DTSTAMP now, DESCRIPTION with state, last contact, cadence, "
           "open items", not bad, "; ".join(bad[:5]))


@section
def example_feed_icaljs():
    doc = icaljs_items(FEED)
    got = {i["uid"]: (i["date"], i["summary"], i["categories"])
           for i in doc["items"]}
    report("ical.js (npm) reads the same events as status json",
           got == WANT and len(doc["items"]) == len(WANT)
           and all(i["kind"] == "vevent" for i in doc["items"]),
           "missing %s, unexpected %s" % (
               sorted(set(WANT.items()) - set(got.items()))[:3],
               sorted(set(got.items()) - set(WANT.items()))[:3]))
    cal = doc["calendar"]
    report("ical.js reads the calendar's NAME and REFRESH-INTERVAL",
           cal["name"] == "followup" and cal["refresh-interval"] == "PT1H"
           and cal["x-wr-calname"] == "followup", json.dumps(cal))


@section
def example_feed_khal():
    rows = khal_items(FEED, "2025-12-01", "2026-03-31")
    want = sorted((d, uid, st, s) for uid, (d, s, st) in WANT.items())
    report("khal imports and lists the same events as status json",
           rows == want, "khal %s\nwant %s" % (rows[:4], want[:4]))


@section
def example_feed_lines():
    data = read_bytes(FEED)
    lines = data.split(b"\r\n")
    long = [l for l in lines if len(l) > 75]
    bare_lf = b"\n" in data.replace(b"\r\n", b"")
    broken = []
    for l in lines:
        try:
            l.decode("utf-8")
        except UnicodeDecodeError:
            broken.append(l)
    folded = [l for l in lines if l.startswith(b" ")]
    report("lines: CRLF only, at most 75 octets, folds never split a "
           "UTF-8 character", not long and not bare_lf and not broken
           and data.endswith(b"END:VCALENDAR\r\n") and folded,
           "long %r, bare LF %s, split %r, folded %d" % (
               long[:2], bare_lf, broken[:2], len(folded)))


@section
def second_run_unchanged():
    os.utime(FEED, ns=(946684800 * 10**9, 946684800 * 10**9))
    before = os.stat(FEED)
    data = read_bytes(FEED)
    r = run(["ics", "--output", FEED] + BASE, now=NOW + 7200)
    after = os.stat(FEED)
    report("second run, nothing changed: 'unchanged', same bytes, mtime, "
           "inode", r.stdout.decode() == "%s unchanged (%d events)\n"
           % (FEED, len(WANT)) and read_bytes(FEED) == data
           and after.st_mtime_ns == before.st_mtime_ns
           and after.st_ino == before.st_ino and r.returncode == 65,
           "stdout %r, same bytes %s, mtime %d -> %d" % (
               r.stdout.decode(), read_bytes(FEED) == data,
               before.st_mtime_ns, after.st_mtime_ns))
    left = [f for f in os.listdir(os.path.dirname(FEED))
            if f != "followup.ics"]
    report("no temporary file left beside the feed", not left, str(left))


def components(path):
    """{uid: unfolded lines of the component, DTSTAMP left out}."""
    text = read_bytes(path).decode().replace("\r\n ", "")
    out, cur, uid = {}, None, None
    for line in text.split("\r\n"):
        if line in ("BEGIN:VEVENT", "BEGIN:VTODO"):
            cur, uid = [], None
        elif line in ("END:VEVENT", "END:VTODO"):
            out[uid] = cur
            cur = None
        elif cur is not None:
            if line.startswith("UID:"):
                uid = line[4:]
            if not line.startswith("DTSTAMP"):
                cur.append(line)
    return out


@section
def edit_one_note():
    vault = os.path.join(TMP, "vault")
    shutil.copytree(VAULT, vault)
    feed = os.path.join(TMP, "edit", "followup.ics")
    os.makedirs(os.path.dirname(feed))
    base = ["--vault", vault, "--config", CONFIG, "--today", TODAY,
            "--output", feed]
    run(["ics"] + base)
    before = components(feed)
    note = os.path.join(vault, "People", "Hannah Brooks.md")
    with open(note, "a", encoding="utf-8") as f:
        f.write("\n- [ ] Send Hannah the revised storage quote 📅 2026-01-20\n")
    r = run(["ics"] + base, now=NOW + 3600)
    after = components(feed)
    uid = feed_uid("People/Hannah Brooks.md")
    changed = sorted(u for u in set(before) | set(after)
                     if before.get(u) != after.get(u))
    report("edit one note: exactly that contact's event changes",
           changed == [uid] and r.stdout.decode().startswith("wrote "),
           "changed %s; stdout %r" % (changed, r.stdout.decode()))

    def prop(lines, name):
        return [l.split(":", 1)[1] for l in lines
                if l.split(":", 1)[0].split(";")[0] == name]
    b, a = before.get(uid, []), after.get(uid, [])
    stamp = datetime.datetime.fromtimestamp(
        NOW + 3600, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    report("edited event keeps its UID, SEQUENCE +1, LAST-MODIFIED now, "
           "new item in DESCRIPTION",
           uid in after and prop(b, "SEQUENCE") == ["0"]
           and prop(a, "SEQUENCE") == ["1"]
           and prop(a, "LAST-MODIFIED") == [stamp]
           and "revised storage quote" in "".join(prop(a, "DESCRIPTION")),
           "before %s\nafter %s" % (b, a))
    r = run(["ics"] + base, now=NOW + 7200)
    report("a third run after the edit: unchanged again",
           "unchanged" in r.stdout.decode(), r.stdout.decode())


# ------------------------------------------------------------ own vaults

SMALL = {
    "People/Zoë O'Brien.md": """---
type: people
title: "Zoë O'Brien, Jr.; CEO ✓ — 東京"
last_contact: 2025-11-01
birthday: 1985-03-14
---
- [ ] Send C:\\Users\\zoe\\deck.pptx, then call; "quotes", commas 📅 2026-01-12
- [ ] A very long open item that goes on and on, with ümlauts, emoji 🎉🎉🎉 and a semicolon; to fold the line well past seventy-five octets
""",
    "People/Leap Day.md": """---
type: people
last_contact: 2026-01-01
cadence: 7
birthday: --02-29
---
""",
    "People/Bad Birthday.md": """---
type: people
last_contact: 2025-12-20
birthday: 1985-02-30
---
""",
    "People/Far Away.md": """---
type: people
last_contact: 2025-12-30
cadence: 60
---
""",
}
NAME = "Zoë O'Brien, Jr.; CEO ✓ — 東京"


def small_vault(where):
    for rel, text in SMALL.items():
        write(os.path.join(where, rel), text)
    return where


SV = small_vault(os.path.join(TMP, "small"))


@section
def escaping_and_folding():
    feed = os.path.join(TMP, "small.ics")
    r = run(["ics", "--vault", SV, "--today", TODAY, "--output", feed])
    raw = read_bytes(feed).decode()
    unfolded = raw.replace("\r\n ", "")
    report("small vault: exit 0, bad birthday is a warning naming the line",
           r.returncode == 0 and 'People/Bad Birthday.md:4: warning: '
           'birthday "1985-02-30" is not a date' in r.stderr.decode(),
           "exit %d: %s" % (r.returncode, r.stderr.decode()))
    report("raw feed escapes comma, semicolon, backslash and newline",
           "SUMMARY:Follow up with Zoë O'Brien\\, Jr.\\; CEO ✓ — 東京\r\n"
           in unfolded and "C:\\\\Users\\\\zoe" in unfolded
           and "\\nOpen items (2):\\n- " in unfolded,
           [l for l in unfolded.split("\r\n") if "Zo" in l][:3])
    _, items = icalendar_items(feed)
    ev = [i for i in items if i[1] == feed_uid("People/Zoë O'Brien.md")]
    desc = str(ev[0][5].get("DESCRIPTION")) if ev else ""
    report("python3-icalendar: name and description round-trip exactly",
           ev and ev[0][3] == "Follow up with " + NAME
           and "\n- Send C:\\Users\\zoe\\deck.pptx, then call; \"quotes\", "
           "commas 📅 2026-01-12 (due 2026-01-12)\n" in desc
           and "semicolon; to fold the line well past seventy-five octets"
           in desc, "%r / %r" % (ev[0][3] if ev else None, desc))
    doc = icaljs_items(feed)
    js = [i for i in doc["items"]
          if i["uid"] == feed_uid("People/Zoë O'Brien.md")]
    report("ical.js: name and description round-trip exactly",
           js and js[0]["summary"] == "Follow up with " + NAME
           and js[0]["description"] == desc, json.dumps(js)[:600])
    lines = read_bytes(feed).split(b"\r\n")
    report("small vault lines at most 75 octets, UTF-8 kept whole",
           all(len(l) <= 75 for l in lines)
           and all(l.decode("utf-8") is not None for l in lines)
           and any(len(l) > 70 and l.startswith(b" ") for l in lines),
           [l for l in lines if len(l) > 75][:2])


@section
def birthdays_yearly():
    feed = os.path.join(TMP, "small.ics")
    _, items = icalendar_items(feed)
    bdays = {i[1]: i for i in items if i[4] == "birthday"}
    zoe = feed_uid("People/Zoë O'Brien.md", "birthday-")
    leap = feed_uid("People/Leap Day.md", "birthday-")
    ok = (set(bdays) == {zoe, leap}
          and bdays[zoe][2] == "1985-03-14"
          and bdays[zoe][3] == NAME + "'s birthday"
          and dict(bdays[zoe][5].get("RRULE")) == {"FREQ": ["YEARLY"]}
          and dict(bdays[leap][5].get("RRULE")) == {
              "FREQ": ["YEARLY"], "BYMONTH": [2], "BYMONTHDAY": [-1]})
    report("python3-icalendar: one yearly event per valid birthday, none "
           "for the bad one", ok, str({k: (v[2], v[3]) for k, v in
                                       bdays.items()}))
    doc = icaljs_items(feed)
    occ = {i["uid"]: i.get("occurrences") for i in doc["items"]
           if i["categories"] == "birthday"}
    report("ical.js expands the birthdays yearly (02-29 on the last day "
           "of February)", occ == {
               zoe: ["2026-03-14", "2027-03-14", "2028-03-14"],
               leap: ["2026-02-28", "2027-02-28", "2028-02-29"]}, str(occ))
    rows = khal_items(feed, "2026-01-01", "2028-12-31")
    got = sorted((d, u) for d, u, c, t in rows if c == "birthday")
    want = sorted([(d, zoe) for d in ("2026-03-14", "2027-03-14",
                                       "2028-03-14")]
                  + [(d, leap) for d in ("2026-02-28", "2027-02-28",
                                          "2028-02-29")])
    report("khal lists the birthdays every year", got == want,
           "%s != %s" % (got, want))


@section
def horizon():
    feed = os.path.join(TMP, "horizon.ics")
    far = feed_uid("People/Far Away.md")       # ok, due 2026-02-28: 49 days
    near = feed_uid("People/Bad Birthday.md")  # ok, due 2026-01-19: 9 days
    cfg = os.path.join(TMP, "horizon.yml")
    found = {}
    for days in (48, 49, 0):
        write(cfg, "ics:\n  horizon_days: %d\n" % days)
        run(["ics", "--vault", SV, "--config", cfg, "--today", TODAY,
             "--output", feed])
        _, items = icalendar_items(feed)
        found[days] = sorted(i[1] for i in items if i[4] == "ok")
    report("ics.horizon_days: an ok contact 49 days away is in with 49, "
           "out with 48; none with 0", found == {
               48: [near], 49: sorted([near, far]), 0: []}, str(found))


@section
def todo_mode_and_alarms():
    cfg = os.path.join(TMP, "todo.yml")
    write(cfg, "exclude: [Templates]\ncadence_by_tag:\n  tier/1: 14\n"
          "  tier/3: 90\nics:\n  component: todo\n  alarm: \"09:00\"\n")
    feed = os.path.join(TMP, "todo.ics")
    r = run(["ics", "--vault", VAULT, "--config", cfg, "--today", TODAY,
             "--output", feed])
    _, items = icalendar_items(feed)
    got = {i[1]: (i[2], i[3], i[4]) for i in items if i[0] == "VTODO"}
    comps = [i[5] for i in items]
    alarms_ok = all(
        len(c.walk("VALARM")) == 1
        and c.walk("VALARM")[0].get("TRIGGER").to_ical() == b"PT9H"
        and c.walk("VALARM")[0]["TRIGGER"].params.get("RELATED") == "END"
        and str(c.walk("VALARM")[0].get("ACTION")) == "DISPLAY"
        and c.get("DTSTART") is None and str(c.get("STATUS")) ==
        "NEEDS-ACTION" and c.get("TRANSP") is None for c in comps)
    report("todo mode: one VTODO with DUE per contact (python3-icalendar)",
           got == WANT and all(i[0] == "VTODO" for i in items)
           and r.stdout.decode() == "wrote %s (16 to-dos, 0 events)\n"
           % feed, "stdout %r; %s" % (r.stdout.decode(), sorted(got)[:2]))
    report("todo mode: VALARM DISPLAY at 09:00 on the due day "
           "(TRIGGER;RELATED=END:PT9H), no DTSTART, no TRANSP", alarms_ok,
           comps[0].to_ical().decode()[:800] if comps else "none")
    doc = icaljs_items(feed)
    js = {i["uid"]: (i["date"], i["summary"], i["categories"])
          for i in doc["items"]}
    report("todo mode: ical.js reads the same to-dos with alarms",
           js == WANT and all(i["kind"] == "vtodo" and i["alarms"] == [
               {"action": "DISPLAY", "trigger": "PT9H", "related": "END"}]
               for i in doc["items"]), json.dumps(doc["items"][:1]))

    write(cfg, "exclude: [Templates]\ncadence_by_tag:\n  tier/1: 14\n"
          "  tier/3: 90\nics:\n  alarm: \"07:30\"\n")
    feed = os.path.join(TMP, "alarm.ics")
    run(["ics", "--vault", VAULT, "--config", cfg, "--today", TODAY,
         "--output", feed])
    doc = icaljs_items(feed)
    report("event mode alarm 07:30: VALARM TRIGGER PT7H30M from the start "
           "of the day", len(doc["items"]) == 16 and all(
               i["alarms"] == [{"action": "DISPLAY", "trigger": "PT7H30M",
                                "related": None}] for i in doc["items"]),
           json.dumps(doc["items"][:1]))


@section
def output_to_stdout():
    r = run(["ics", "--output", "-"] + BASE)
    path = os.path.join(TMP, "stdout.ics")
    with open(path, "wb") as f:
        f.write(r.stdout)
    _, items = icalendar_items(path)
    got = {i[1]: (i[2], i[3], i[4]) for i in items}
    report("--output - writes the feed, and only it, to standard output",
           got == WANT and r.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
           and r.returncode == 65 and b"wrote" not in r.stderr,
           "exit %d, %r" % (r.returncode, r.stdout[:80]))


PROBE = """import os, sys
try:
    fd = os.open(sys.argv[1], os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
except OSError as e:
    print(e.errno)
else:
    os.close(fd)
    os.unlink(sys.argv[1])
    print(0)
"""


def create_errno(folder, preexec=None):
    """The errno of creating a file in folder, as followup will be run
    (0: it could, and the file is gone again)."""
    r = subprocess.run([sys.executable, "-c", PROBE,
                        os.path.join(folder, "followup-probe")],
                       capture_output=True, preexec_fn=preexec, timeout=60)
    return int(r.stdout or b"-1")


def as_nobody():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def unwritable_folder():
    """(folder, errno, preexec_fn): a folder where followup, run with
    preexec_fn, cannot create a file, verified by trying. Not root: a
    folder of ours with mode 500. Root: /sys and the like (EACCES, EPERM
    or EROFS, however they are mounted); else a folder with mode 555,
    followup run as nobody."""
    refused = (errno.EACCES, errno.EPERM, errno.EROFS)

    def tries():
        if os.geteuid() != 0:
            mine = os.path.join(TMP, "read-only")
            os.makedirs(mine, exist_ok=True)
            os.chmod(mine, 0o500)
            yield mine, None
        for d in ("/sys", "/sys/kernel", "/proc/sys"):
            yield d, None
        if os.geteuid() == 0:
            # TMP is mode 700: nobody gets a folder it can search.
            top = tempfile.mkdtemp(prefix="ics-feed-nobody-")
            CLEANUP.append(top)
            os.chmod(top, 0o755)
            ro = os.path.join(top, "read-only")
            os.mkdir(ro)
            os.chmod(ro, 0o555)
            yield ro, as_nobody
    for folder, preexec in tries():
        err = create_errno(folder, preexec)
        if err in refused:
            return folder, err, preexec
    return None, 0, None


@section
def bad_output_paths():
    good = os.path.join(TMP, "keep", "followup.ics")
    os.makedirs(os.path.dirname(good))
    run(["ics", "--output", good] + BASE)
    old = read_bytes(good)

    missing = os.path.join(TMP, "no-such-folder", "followup.ics")
    r = run(["ics", "--output", missing] + BASE)
    err = r.stderr.decode()
    report("missing folder: exit 73, the path and what to do",
           r.returncode == 73 and missing + ": error: cannot write this "
           "file: No such file or directory" in err
           and "hint: create the folder first" in err
           and not os.path.exists(os.path.dirname(missing)), err[-600:])

    afile = os.path.join(TMP, "a-file")
    write(afile, "not a folder\n")
    target = os.path.join(afile, "followup.ics")
    r = run(["ics", "--output", target] + BASE)
    err = r.stderr.decode()
    report("a file where a folder should be: exit 73 with the path",
           r.returncode == 73 and target + ": error: cannot write this "
           "file: Not a directory" in err and "hint: " in err, err[-600:])

    folder, err_no, preexec = unwritable_folder()
    if folder is None:
        report("no permission: exit 73", False, "no folder refuses a new "
               "file here (tried a mode 500 folder, /sys, /proc/sys, a "
               "mode 555 folder as nobody)")
    else:
        target = os.path.join(folder, "followup.ics")
        r = run(["ics", "--output", target] + BASE, preexec_fn=preexec)
        err = r.stderr.decode()
        report("no permission (%s%s: %s): exit 73 with the path and what "
               "to do" % (folder, " as nobody" if preexec else "",
                          errno.errorcode[err_no]),
               r.returncode == 73 and target + ": error: cannot write "
               "this file: %s" % os.strerror(err_no) in err
               and "hint: make the folder writable" in err
               and not os.path.exists(target),
               "exit %d: %s" % (r.returncode, err[-600:]))

    # A disk that fills up while writing: the size limit makes write()
    # fail with EFBIG, as root too. The old feed must stay as it was.
    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    r = run(["ics", "--output", good, "--today", "2026-01-11",
             "--vault", VAULT, "--config", CONFIG], preexec_fn=small_files)
    err = r.stderr.decode()
    left = os.listdir(os.path.dirname(good))
    report("write fails half-way (file size limit): exit 73, the previous "
           "feed intact, no temporary file left",
           r.returncode == 73 and "File too large" in err
           and read_bytes(good) == old and left == ["followup.ics"],
           "exit %d, intact %s, left %s: %s" % (
               r.returncode, read_bytes(good) == old, left, err[-400:]))

    note = os.path.join(TMP, "keep", "notes.md")
    write(note, "# my notes\n")
    r = run(["ics", "--output", note] + BASE)
    report("an existing file that is not a feed is not overwritten: 73",
           r.returncode == 73 and read_bytes(note) == b"# my notes\n"
           and "is not an iCalendar feed" in r.stderr.decode(),
           r.stderr.decode()[-400:])
    r = run(["ics", "--output", os.path.join(TMP, "keep")] + BASE)
    report("a folder as the output: exit 73 with a hint",
           r.returncode == 73 and "it is a folder" in r.stderr.decode()
           and "hint: the path is a folder" in r.stderr.decode(),
           r.stderr.decode()[-400:])


@section
def feed_file_mode():
    new = os.path.join(TMP, "mode", "new.ics")
    os.makedirs(os.path.dirname(new))
    old_mask = os.umask(0o022)
    try:
        r = run(["ics", "--output", new] + BASE)
    finally:
        os.umask(old_mask)
    mode = os.stat(new).st_mode & 0o7777 if os.path.exists(new) else None
    report("a new feed's mode follows the umask: 644 under umask 022",
           r.returncode == 65 and mode == 0o644, "exit %d, mode %s" % (
               r.returncode, oct(mode) if mode is not None else None))
    os.chmod(new, 0o644)
    before = read_bytes(new)
    r = run(["ics", "--output", new, "--vault", VAULT, "--config", CONFIG,
             "--today", "2026-01-11"])
    mode = os.stat(new).st_mode & 0o7777
    report("an existing feed keeps its mode (644) when it is rewritten",
           r.returncode == 65 and read_bytes(new) != before
           and mode == 0o644, "exit %d, mode %s" % (r.returncode,
                                                    oct(mode)))


@section
def default_output_path():
    data = os.path.join(TMP, "xdg-data")
    r = run(["ics"] + BASE, env_extra={"XDG_DATA_HOME": data})
    path = os.path.join(data, "followup", "followup.ics")
    report("default output $XDG_DATA_HOME/followup/followup.ics (folder "
           "created)", os.path.exists(path) and r.stdout.decode() ==
           "wrote %s (16 events)\n" % path, r.stdout.decode())
    cfg = os.path.join(TMP, "path.yml")
    want = os.path.join(TMP, "from-config.ics")
    write(cfg, "exclude: [Templates]\nics:\n  path: %s\n" % want)
    r = run(["ics", "--vault", VAULT, "--config", cfg, "--today", TODAY])
    report("ics.path in the config is where the feed goes",
           os.path.exists(want) and "wrote " + want in r.stdout.decode(),
           r.stdout.decode() + r.stderr.decode()[-300:])


@section
def valgrind_ics():
    if os.environ.get("FOLLOWUP_SANITIZED"):
        return          # the sanitizers check that build; nothing to say
    feed = os.path.join(TMP, "vg", "followup.ics")
    os.makedirs(os.path.dirname(feed))
    for what, extra in (("first run", []), ("unchanged run", []),
                        ("changed run", ["--today", "2026-01-11"])):
        args = ["ics", "--output", feed, "--vault", VAULT,
                "--config", CONFIG] + (extra or ["--today", TODAY])
        r = t.valgrind(args, environ(), text=False)
        report("valgrind ics on the example vault, %s: no error, no leak"
               % what, r.returncode == 65, "exit %d\n%s" % (
                   r.returncode, r.stderr.decode()[-2500:]))


for d in CLEANUP:
    shutil.rmtree(d, ignore_errors=True)
t.finish()
