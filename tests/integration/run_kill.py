#!/usr/bin/python3
"""`followup run` killed with SIGKILL at random points, again and again.

One home (ledger, feed, publish state, lock) and one vault of 40 people
and 200 meetings for the whole script. Each of the ROUNDS rounds:

1. edits one contact's last_contact (a new due episode, a changed feed),
   as a user would between two runs;
2. starts `followup run` against a WebDAV target and a json:// notifier
   that are both slow to answer, and kills it with SIGKILL after a random
   time (seeded, printed) drawn so that kills land while scanning,
   writing the feed, publishing, sending and after the end;
3. checks at once: no note changed (bytes and mtime); the feed is the
   old one or the new one, whole (python3-icalendar reads it and its
   events are those `followup ics` makes of the vault now); the ledger
   passes SQLite's integrity check and holds only known statuses;
4. runs `followup run` again with the servers answering at once: the
   feed is up to date, the ledger holds no 'sending' row.

At the end, over every request the notifier received whole: no episode
(path, due, state) arrived twice, and every episode that was ever due
arrived or is in the ledger as of unknown outcome (and the run after the
kill said so). Where the kills landed is printed.
"""
import collections
import datetime
import hashlib
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import time

import testlib as t
from testlib import report, section

ROUNDS = int(os.environ.get("FOLLOWUP_KILL_ROUNDS", "50"))
SEED = int(os.environ.get("FOLLOWUP_KILL_SEED", "20261206"))
NOW = 1768050000            # 2026-01-10 13:00 UTC
TODAY = "2026-01-10"
PEOPLE = 40
TOKEN = "KILLTOKEN-%d" % os.getpid()
SANITIZED = os.environ.get("FOLLOWUP_SANITIZED") == "1"
# How long the servers take to answer while a run may be killed.
PUT_DELAY, POST_DELAY = 0.3, 0.5

VAULT = os.path.join(t.TMP, "vault")
HOME = os.path.join(t.TMP, "home")
RUNTIME = os.path.join(HOME, "runtime")
FEED = os.path.join(HOME, "feed", "followup.ics")
STATE_DB = os.path.join(HOME, ".local", "state", "followup", "state.db")


def person(i, last):
    return ("---\ntype: people\ncadence: 30\nlast_contact: %s\n---\n"
            "# Person %02d\n\n- [ ] Send Person %02d the notes\n"
            % (last, i, i))


def make_vault():
    for i in range(PEOPLE):
        t.write(os.path.join(VAULT, "People", "Person %02d.md" % i),
                person(i, "2026-01-0%d" % (1 + i % 9)), 0o644)
    for m in range(200):
        a, b = m % PEOPLE, (m * 7 + 3) % PEOPLE
        t.write(os.path.join(VAULT, "Meetings", "2025-06-%02d m%03d.md"
                             % (1 + m % 28, m)),
                "---\ndate: 2025-06-%02d\nattendees: [\"[[Person %02d]]\", "
                "\"[[Person %02d]]\"]\n---\n- [x] done thing\n"
                "- [ ] follow-up thing %d\n" % (1 + m % 28, a, b, m), 0o644)


def vault_snapshot():
    out = {}
    for top, _, files in os.walk(VAULT):
        for f in files:
            p = os.path.join(top, f)
            st = os.stat(p)
            with open(p, "rb") as fh:
                out[p] = (hashlib.sha256(fh.read()).hexdigest(),
                          st.st_mtime_ns, st.st_size)
    return out


def events_of(data):
    """The feed's events as comparable tuples; None when unreadable."""
    import icalendar
    try:
        cal = icalendar.Calendar.from_ical(data)
        return sorted((str(e["UID"]), e["DTSTART"].to_ical().decode(),
                       str(e["SUMMARY"]), str(e.get("DESCRIPTION", "")),
                       e["CATEGORIES"].to_ical().decode())
                      for e in cal.walk("VEVENT"))
    except (ValueError, KeyError, IndexError):
        return None


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def config(hook, dav):
    return t.write(os.path.join(HOME, "config.yml"),
                   "ics:\n  path: %s\n  publish: http://%s/cal/followup.ics\n"
                   "notify:\n  retry_seconds: 2\nnotifiers:\n  - name: hook\n"
                   "    url: json://%s/hook/%s\n    timeout: 5\n"
                   % (FEED, dav.hostport(), hook.hostport(), TOKEN))


def env():
    return t.env(home=HOME, now=NOW, XDG_RUNTIME_DIR=RUNTIME)


def expected_now(cfg):
    """What `followup ics` and `status` make of the vault now, in a
    scratch home (no ledger, no previous feed)."""
    scratch = os.path.join(t.TMP, "scratch")
    out = os.path.join(scratch, "feed.ics")
    os.makedirs(scratch, exist_ok=True)
    e = t.env(home=scratch, now=NOW)
    r = t.run(["ics", "--config", cfg, "--vault", VAULT, "--today", TODAY,
               "--output", out, "--no-publish"], e)
    assert r.returncode == 0, r.stderr
    s = t.run(["status", "--format", "json", "--config", cfg, "--vault",
               VAULT, "--today", TODAY], e)
    assert s.returncode == 0, s.stderr
    due = {(c["path"], c["due"], c["state"])
           for c in json.loads(s.stdout)["contacts"]
           if c["state"] in ("cold", "overdue", "due")}
    return events_of(read(out)), due


def episodes(req):
    try:
        body = json.loads(req["body"])
        return [(r["path"], r["due"], r["state"])
                for r in body["followup"]["reminders"]]
    except (ValueError, KeyError, TypeError):
        return None             # cut short by the kill: it never arrived


def ledger_rows():
    db = sqlite3.connect(STATE_DB)
    try:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = db.execute("SELECT contact, due, state, status FROM reminders"
                          ).fetchall()
        return ok, rows
    finally:
        db.close()


def phase(dav, hook, before_dav, before_hook, exited):
    if exited:
        return "after the end"
    if len(hook.requests) > before_hook:
        return "sending"
    if len(dav.requests) > before_dav:
        return "publishing"
    return "scanning or writing the feed"


def kill_delay(rng):
    """A third early (scan, feed), a third while publishing, a third while
    sending or after."""
    scale = 3.0 if SANITIZED else 1.0
    band = rng.randrange(3)
    if band == 0:
        return rng.uniform(0.0, 0.03 * scale)
    if band == 1:
        return rng.uniform(0.03 * scale, PUT_DELAY + 0.1 * scale)
    return rng.uniform(PUT_DELAY, PUT_DELAY + POST_DELAY + 0.1 * scale)


@section
def killed_at_random_points():
    rng = random.Random(SEED)
    print("# seed %d, %d rounds" % (SEED, ROUNDS))
    make_vault()
    os.makedirs(os.path.dirname(FEED))
    os.makedirs(RUNTIME, mode=0o700)
    slow = {"on": True}

    def hook_route(method, path):
        return {"status": 200, "delay": POST_DELAY if slow["on"] else 0}

    dav = t.Recorder(route=t.dav_file(
        lambda: PUT_DELAY if slow["on"] else 0)).start()
    hook = t.Recorder(route=hook_route).start()
    cfg = config(hook, dav)
    r = t.run(["run", "--config", cfg, "--vault", VAULT, "--today", TODAY],
              env())
    assert r.returncode == 0, r.stderr

    ever_due = set(expected_now(cfg)[1])
    phases = collections.Counter()
    bad = collections.defaultdict(list)
    said_unknown = 0
    for rnd in range(ROUNDS):
        who = rnd % PEOPLE
        last = "2025-%02d-%02d" % (9 + (rnd // 28) % 4, 1 + rnd % 28)
        t.write(os.path.join(VAULT, "People", "Person %02d.md" % who),
                person(who, last), 0o644)
        want_events, due = expected_now(cfg)
        ever_due |= due
        notes = vault_snapshot()
        old_feed = read(FEED)
        before_dav, before_hook = len(dav.requests), len(hook.requests)
        slow["on"] = True
        p = subprocess.Popen([t.FOLLOWUP, "run", "--config", cfg, "--vault",
                              VAULT, "--today", TODAY], env=env(),
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(kill_delay(rng))
        exited = p.poll() is not None
        p.send_signal(signal.SIGKILL)
        p.wait()
        phases[phase(dav, hook, before_dav, before_hook, exited)] += 1

        if vault_snapshot() != notes:
            bad["a note changed"].append(rnd)
        feed = read(FEED)
        if feed != old_feed and events_of(feed) != want_events:
            bad["the feed neither old nor the new one whole"].append(rnd)
        ok, rows = ledger_rows()
        if ok != "ok" or any(x[3] not in ("sending", "sent", "unknown")
                             for x in rows):
            bad["the ledger inconsistent"].append(rnd)

        slow["on"] = False
        r = t.run(["run", "--config", cfg, "--vault", VAULT, "--today",
                   TODAY], env())
        if "may not have arrived" in r.stderr:
            said_unknown += 1
        if r.returncode != 0:
            bad["the run after the kill failed"].append(
                (rnd, r.returncode, r.stderr[-300:]))
        if events_of(read(FEED)) != want_events:
            bad["the feed not brought up to date"].append(rnd)
        ok, rows = ledger_rows()
        if ok != "ok" or any(x[3] == "sending" for x in rows):
            bad["'sending' left after the next run"].append(rnd)

    time.sleep(0.5)             # a request of a killed run still coming in
    print("# where the kills landed: %s" % ", ".join(
        "%s %d" % kv for kv in sorted(phases.items())))
    arrived = collections.Counter()
    cut = 0
    for q in hook.requests:
        eps = episodes(q)
        if eps is None:
            cut += 1
            continue
        arrived.update(eps)
    twice = [e for e, n in arrived.items() if n > 1]
    _, rows = ledger_rows()
    epoch = datetime.date(1970, 1, 1)
    unknown = {(x[0], (epoch + datetime.timedelta(days=x[1])).isoformat(),
                x[2]) for x in rows if x[3] == "unknown"}
    lost = sorted(e for e in ever_due if e not in arrived and
                  e not in unknown)
    report("%d kills (seed %d) landed in every phase: %s" % (
               ROUNDS, SEED, ", ".join("%s %d" % kv
                                       for kv in sorted(phases.items()))),
           all(phases[k] > 0 for k in ("scanning or writing the feed",
                                       "publishing", "sending")),
           dict(phases))
    report("%d kills: no note changed" % ROUNDS, not bad["a note changed"],
           bad["a note changed"])
    report("%d kills: the feed was always the old one or the new one, whole"
           % ROUNDS, not bad["the feed neither old nor the new one whole"],
           bad["the feed neither old nor the new one whole"])
    report("%d kills: the ledger always passed the integrity check, with "
           "known statuses only" % ROUNDS,
           not bad["the ledger inconsistent"], bad["the ledger inconsistent"])
    report("after each kill, a normal run: exit 0, the feed up to date, no "
           "'sending' left",
           not bad["the run after the kill failed"] and
           not bad["the feed not brought up to date"] and
           not bad["'sending' left after the next run"],
           {k: v for k, v in bad.items() if v})
    report("no reminder arrived twice (%d episodes arrived, %d requests "
           "cut short by a kill)" % (len(arrived), cut), not twice, twice)
    report("every episode ever due arrived or is of unknown outcome (%d "
           "due, %d unknown; %d runs said so)" % (
               len(ever_due), len(unknown), said_unknown),
           not lost and (said_unknown > 0) == (len(unknown) > 0), lost)

    # What a kill between the temporary file and the rename left: removed
    # by a later run once it is old; a fresh one may be a live writer's.
    folders = (os.path.dirname(FEED), os.path.dirname(STATE_DB))
    left = [os.path.join(d, f) for d in folders for f in os.listdir(d)
            if re.search(r"^\..+\.followup-[A-Za-z0-9]{6}$", f)]
    by_kills = len(left)
    left.append(t.write(os.path.join(os.path.dirname(FEED),
                                     ".followup.ics.followup-0ld123"), "BEGIN:VCAL"))
    old = time.time() - 3600
    feed_dir = os.path.dirname(FEED)
    fresh = t.write(os.path.join(feed_dir, ".followup.ics.followup-Fr3sh1"),
                    "a live writer's\n")
    other = t.write(os.path.join(feed_dir, ".other.ics.followup-Abc123"),
                    "not ours")
    # rsync's name for a temporary file of the feed: not ours either.
    rsyncs = t.write(os.path.join(feed_dir, ".followup.ics.Abc123"),
                     "rsync's")
    for f in left + [other, rsyncs]:
        os.utime(f, (old, old))
    t.write(os.path.join(VAULT, "People", "Person 00.md"),
            person(0, "2025-08-01"), 0o644)
    r = t.run(["run", "--config", cfg, "--vault", VAULT, "--today", TODAY],
              env())
    gone = [f for f in left if not os.path.exists(f)]
    report("temporary files an hour old (%d left by the kills, one made "
           "here): removed by the next run that writes beside them; a fresh "
           "one and another file's kept" % by_kills,
           r.returncode == 0 and len(gone) == len(left) and
           os.path.exists(fresh) and os.path.exists(other) and
           os.path.exists(rsyncs) and "removed this temporary file" in
           r.stderr,
           "%s still there; %s" % (
               sorted(set(left) - set(gone)), r.stderr[-300:]))
    dav.stop()
    hook.stop()


if __name__ == "__main__":
    t.finish()
