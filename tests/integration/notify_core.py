#!/usr/bin/python3
"""`followup notify`: the ledger that never spams, against loopback servers.

What one command against one vault shows (each service's request, --dry-run,
--test, digest, max_per_run, states, --only, quiet hours, a failing server,
a redirect, config errors) is in the cases (tests/cases/3NNN-*). Here, what
takes several runs, time, a kill or two processes: a small vault (one
cold, two overdue, one due, one ok contact; one name non-ASCII) and json://
notifiers pointed at recording HTTP servers that this script starts on
127.0.0.1 and ::1:

- a run sends one digest with the cold, overdue and due contacts; the
  ledger holds them as sent; a second run sends nothing; after
  repeat_days the same episodes go out again, not before;
- max_per_run holds the rest for the next run;
- a reminder that became due while no run came by goes out once, late;
- the first run after quiet hours sends;
- faults, each against its own server: 500, 429 with Retry-After (short:
  retried in the run; long: left for the next run), not listening, no
  answer (timeout), connection closed: bounded time, exit 75, nothing
  recorded as sent, and the next run sends exactly once where the first
  attempt cannot have arrived (and never twice where it may have);
- one failing notifier is retried on the next run while the others are
  not resent;
- a run killed while sending: the next run reports the reminder as of
  unknown outcome and does not send it again;
- two processes at once: each reminder reaches the server once;
- a URL in a config that others can read is refused (url_env is not),
  and a ledger from a newer followup is refused untouched;
- no output of any command, at -v, holds a secret of the test configs.
"""
import os
import signal
import sqlite3
import subprocess
import time

import testlib as t
from testlib import report, section

TOKENS = ["TOKEN-%d-a" % os.getpid(), "TOKEN-%d-b" % os.getpid(),
          "hunter2-%d" % os.getpid()]
NOW = 1768050000            # 2026-01-10 13:00 UTC
TODAY = "2026-01-10"

PEOPLE = {
    "Cold Carla": "last_contact: 2025-10-01\ncadence: 30\n",
    "Over Otto": "last_contact: 2025-12-01\ncadence: 30\n",
    "Zoë Ångström": "last_contact: 2025-11-25\ncadence: 30\n",
    "Due Dana": "last_contact: 2025-12-15\ncadence: 30\n",
    "Ok Olga": "last_contact: 2026-01-05\ncadence: 30\n",
}


VAULT = t.people_vault(os.path.join(t.TMP, "vault"), PEOPLE)


class Case:
    """One home (ledger, config) and its servers."""
    count = 0

    def __init__(self, notifiers, notify="", servers=()):
        Case.count += 1
        self.home = os.path.join(t.TMP, "case%d" % Case.count)
        self.servers = list(servers)
        self.config = t.write(os.path.join(self.home, "config.yml"),
                              "notify:\n  retry_seconds: 4\n" + notify +
                              "notifiers:\n" + notifiers)
        self.state = os.path.join(self.home, ".local", "state", "followup",
                                  "state.db")

    def run(self, *args, today=TODAY, now=NOW, extra=None, timeout=120):
        e = t.env(home=self.home, now=now, **(extra or {}))
        return t.run(["notify", "--config", self.config, "--vault", VAULT,
                      "--today", today] + list(args), e, timeout=timeout)

    def rows(self):
        if not os.path.exists(self.state):
            return []
        db = sqlite3.connect(self.state)
        try:
            return db.execute("SELECT notifier, contact, state, status, day "
                              "FROM reminders ORDER BY contact").fetchall()
        finally:
            db.close()


def hook(rec, name="hook", token=None, extra=""):
    return ("  - name: %s\n    url: json://%s/hook/%s\n    timeout: 2\n%s"
            % (name, rec.hostport(), token or TOKENS[0], extra))


def names_in(req):
    import json
    body = json.loads(req["body"])
    return sorted(r["name"] for r in body["followup"]["reminders"])


EXPECTED = sorted(["Cold Carla", "Over Otto", "Zoë Ångström", "Due Dana"])


@section
def send_once_then_nothing():
    rec = t.Recorder("::1").start()
    c = Case(hook(rec))
    r = c.run()
    report("first run: exit 0, one digest to [::1] with the four contacts",
           r.returncode == 0 and len(rec.requests) == 1 and
           names_in(rec.requests[0]) == EXPECTED,
           "%d %s %s" % (r.returncode, r.stdout, r.stderr))
    req = rec.requests[0] if rec.requests else {"headers": {}, "path": ""}
    report("first run: POST /hook/TOKEN, JSON, User-Agent followup/",
           req.get("method") == "POST" and
           req["path"] == "/hook/" + TOKENS[0] and
           req["headers"].get("Content-Type") == "application/json" and
           req["headers"].get("User-Agent", "").startswith("followup/"),
           str(req)[:300])
    rows = c.rows()
    report("the ledger holds the four as sent",
           len(rows) == 4 and all(x[3] == "sent" for x in rows), rows)
    r = c.run()
    report("second run: nothing sent, 'nothing new'",
           r.returncode == 0 and len(rec.requests) == 1 and
           "nothing new" in r.stdout, r.stdout + r.stderr)
    r = c.run(today="2026-01-16")
    changed = names_in(rec.requests[1]) if len(rec.requests) > 1 else []
    report("six days later: only the episode that changed (Dana, due "
           "then, overdue now)", r.returncode == 0 and
           len(rec.requests) == 2 and changed == ["Due Dana"],
           "%d requests, %s" % (len(rec.requests), changed))
    r = c.run(today="2026-01-17")
    again = names_in(rec.requests[2]) if len(rec.requests) > 2 else []
    report("seven days later (repeat_days 7): the three unchanged "
           "episodes again, not Dana's", r.returncode == 0 and
           len(rec.requests) == 3 and again == sorted(
               ["Cold Carla", "Over Otto", "Zoë Ångström"]),
           "%d requests, %s" % (len(rec.requests), again))
    rec.stop()


@section
def max_per_run_carries_over():
    rec = t.Recorder().start()
    c = Case(hook(rec), notify="  max_per_run: 3\n")
    c.run()
    c.run()
    report("max_per_run: the fourth goes out on the next run",
           len(rec.requests) == 2 and len(names_in(rec.requests[1])) == 1,
           "%d requests" % len(rec.requests))
    rec.stop()


@section
def service_limit_carries_the_rest_over():
    many = os.path.join(t.TMP, "vault-many")
    for i in range(12):
        t.write(os.path.join(many, "People", "Person %02d.md" % i),
                "---\ntype: people\nlast_contact: 2025-12-%02d\n---\n" %
                (i + 1), 0o644)
    rec = t.Recorder(script=[{"status": 204}]).start()
    c = Case("  - name: dc\n    url: discord://4242/%s\n    timeout: 2\n" %
             TOKENS[1])
    endpoint = {"FOLLOWUP_TEST_ENDPOINT": "http://%s" % rec.hostport()}
    import json

    def embeds(i):
        return len(json.loads(rec.requests[i]["body"])["embeds"])

    def go():
        e = t.env(home=c.home, now=NOW, **endpoint)
        return t.run(["notify", "--config", c.config, "--vault", many,
                      "--today", TODAY], e)
    r = go()
    report("12 due, Discord takes 10 embeds: 10 go out, 2 wait (said so)",
           r.returncode == 0 and len(rec.requests) == 1 and embeds(0) == 10
           and "10 of 10" in r.stdout and "2 more wait" in r.stdout and
           len(c.rows()) == 10, "%s %s %d rows" % (r.stdout, r.stderr,
                                                  len(c.rows())))
    r = go()
    report("the next run sends the other 2, and then nothing",
           len(rec.requests) == 2 and embeds(1) == 2 and
           len(c.rows()) == 12 and go().returncode == 0 and
           len(rec.requests) == 2, "%d requests" % len(rec.requests))
    rec.stop()


@section
def repeat_days_zero_never_repeats():
    rec = t.Recorder().start()
    c = Case(hook(rec), notify="  repeat_days: 0\n")
    for today in (TODAY, TODAY, "2026-01-11"):
        r = c.run(today=today)
    report("repeat_days 0: the same episode is never sent again (not on "
           "every run)", r.returncode == 0 and len(rec.requests) == 1,
           "%d requests: %s" % (len(rec.requests),
                                [names_in(q) for q in rec.requests]))
    rec.stop()


@section
def never_contacted_once_per_repeat():
    # A contact never contacted is due "today", every day: the episode
    # must not be new each day, or states [never] would remind daily.
    vault = os.path.join(t.TMP, "vault-never")
    t.write(os.path.join(vault, "People", "Nina Never.md"),
            "---\ntype: people\n---\n# Nina\n", 0o644)
    t.write(os.path.join(vault, "People", "Ivo Item.md"),
            "---\ntype: people\n---\n- [ ] Call Ivo 📅 2026-01-12\n",
            0o644)
    rec = t.Recorder().start()
    c = Case(hook(rec, extra="    states: [never]\n"))

    def go(today):
        e = t.env(home=c.home, now=NOW)
        return t.run(["notify", "--config", c.config, "--vault", vault,
                      "--today", today], e)
    r = go("2026-01-10")
    first = names_in(rec.requests[0]) if rec.requests else []
    report("never contacted: both reminded on the first run",
           r.returncode == 0 and first == ["Ivo Item", "Nina Never"],
           "%s %s %s" % (first, r.stdout, r.stderr))
    for day in ("2026-01-11", "2026-01-12", "2026-01-13", "2026-01-16"):
        go(day)
    report("never contacted: not again on the days after, before "
           "repeat_days", len(rec.requests) == 1,
           "%d requests: %s" % (len(rec.requests),
                                [names_in(q) for q in rec.requests]))
    go("2026-01-17")
    again = names_in(rec.requests[1]) if len(rec.requests) > 1 else []
    report("never contacted: again after repeat_days (7)",
           len(rec.requests) == 2 and again == ["Ivo Item", "Nina Never"],
           "%d requests: %s" % (len(rec.requests), again))
    rec.stop()


@section
def late_reminders():
    rec = t.Recorder().start()
    c = Case(hook(rec))
    c.run(today="2026-01-05")
    first = names_in(rec.requests[0]) if rec.requests else []
    c.run(today="2026-01-10")
    import json
    body = json.loads(rec.requests[1]["body"]) if len(rec.requests) > 1 \
        else {"followup": {"reminders": []}, "message": ""}
    rs = body["followup"]["reminders"]
    report("no run from 01-06 to 01-09: Dana (due since 01-07) goes out "
           "once, marked late", first == sorted(["Cold Carla", "Over Otto",
                                                "Zoë Ångström"]) and
           len(rs) == 1 and rs[0]["name"] == "Due Dana" and
           rs[0]["late_since"] == "2026-01-07" and
           "should have gone out on 2026-01-07" in body["message"],
           "%s %s" % (first, rs))
    c.run(today="2026-01-11")
    report("the next day: not again", len(rec.requests) == 2,
           "%d requests" % len(rec.requests))
    rec.stop()


@section
def quiet_hours():
    rec = t.Recorder().start()
    c = Case(hook(rec), notify='  quiet_hours: "22:00-07:00"\n')
    night = NOW + 10 * 3600     # 23:00 UTC, nothing sent (case 3107)
    c.run(now=night)
    r = c.run(now=night + 9 * 3600, today="2026-01-11")   # 08:00
    report("08:00: the reminders go out", r.returncode == 0 and
           len(rec.requests) == 1, r.stdout + r.stderr)
    rec.stop()


def fault_case(name, script, expect_first, expect_second):
    rec = t.Recorder(script=script).start()
    c = Case(hook(rec))
    start = time.monotonic()
    r = c.run()
    took = time.monotonic() - start
    rows = c.rows()
    report("%s: exit 75 within the budget, nothing recorded as sent" % name,
           r.returncode == 75 and took < 20 and
           not any(x[3] == "sent" for x in rows) and
           TOKENS[0] not in r.stdout + r.stderr,
           "exit %d in %.1f s, rows %s, %s" % (r.returncode, took, rows,
                                              r.stderr[-400:]))
    report("%s: the message says what happened and masks the URL" % name,
           "json://%s/****" % rec.hostport() in r.stderr and
           expect_first in r.stderr, r.stderr[-400:])
    seen_first = len(rec.requests)
    rec.set_script([{"status": 200}])
    r = c.run()
    rows = c.rows()
    second = len(rec.requests) - seen_first
    want = "sent" if expect_second else "unknown"
    report("%s: the next run: exit 0, sends %d time(s), ledger %s" %
           (name, expect_second, want),
           r.returncode == 0 and second == expect_second and
           len(rows) == 4 and all(x[3] == want for x in rows),
           "exit %d, %d requests on the second run, rows %s, %s" % (
               r.returncode, second, rows, r.stderr[-300:]))
    rec.stop()
    return rec


@section
def faults():
    fault_case("HTTP 500", [{"status": 500}], "HTTP 500", 1)
    fault_case("HTTP 429 with Retry-After: 60 (over the budget)",
               [{"status": 429, "headers": {"Retry-After": "60"}}],
               "HTTP 429", 1)
    # No answer, or a closed connection after the request: it may have
    # arrived. Not sent again: the server saw it once, in the first run.
    rec = fault_case("no answer (timeout)", [{"action": "hang",
                                              "hang": 5}],
                     "may have arrived", 0)
    report("no answer: the server saw the request exactly once in all",
           len(rec.requests) == 1, "%d requests" % len(rec.requests))
    rec = fault_case("connection closed", [{"action": "close"}],
                     "may have arrived", 0)
    report("connection closed: the server saw the request exactly once",
           len(rec.requests) == 1, "%d requests" % len(rec.requests))


@section
def held_back_is_said_and_released():
    """A reminder of unknown outcome waits repeat_days (never doubled), and
    every run, the dry run and check say so, with the way to send it now."""
    rec = t.Recorder(script=[{"action": "close"}]).start()
    c = Case(hook(rec))
    c.run()
    rec.set_script([{"status": 200}])
    seen = len(rec.requests)
    said = {}
    for what, args in (("notify", []), ("notify --dry-run", ["--dry-run"])):
        r = c.run(*args)
        said[what] = r
    e = t.env(home=c.home, now=NOW)
    said["check"] = t.run(["check", "--config", c.config, "--vault", VAULT],
                          e)
    held = "notifier hook: 4 reminders held back since 2026-01-10"
    report("held back: notify, notify --dry-run and check say so, with "
           "notify --release; nothing sent, exit 0",
           all(held in r.stderr and "followup notify --release --only hook"
               in r.stderr for r in said.values()) and
           said["notify"].returncode == 0 and len(rec.requests) == seen,
           {k: (r.returncode, r.stderr[-300:]) for k, r in said.items()})
    r = c.run("--release", "--only", "hook")
    report("notify --release --only hook: they go out now, once",
           r.returncode == 0 and "released 4 reminders of unknown outcome "
           "for hook: they go out now" in r.stdout and
           len(rec.requests) == seen + 1 and
           all(x[3] == "sent" for x in c.rows()),
           "exit %d, %d requests: %s %s" % (r.returncode,
                                            len(rec.requests) - seen,
                                            r.stdout, r.stderr[-300:]))
    r = c.run()
    report("and then nothing is held, nothing sent again",
           r.returncode == 0 and "held back" not in r.stderr and
           len(rec.requests) == seen + 1, r.stdout + r.stderr[-300:])
    rec.stop()


@section
def retry_inside_the_run():
    rec = t.Recorder(script=[{"status": 429, "headers": {"Retry-After":
                                                         "1"}},
                             {"status": 503}, {"status": 200}]).start()
    c = Case(hook(rec))
    start = time.monotonic()
    r = c.run()
    took = time.monotonic() - start
    report("429 (Retry-After 1) then 503 then 200: sent in the same run, "
           "exit 0", r.returncode == 0 and len(rec.requests) == 3 and
           len(c.rows()) == 4 and took < 10,
           "exit %d, %d requests, %.1f s, %s" % (r.returncode,
                                                 len(rec.requests), took,
                                                 r.stderr))
    if len(rec.requests) >= 2:
        gap = rec.requests[1]["time"] - rec.requests[0]["time"]
        report("Retry-After is honoured", gap >= 0.9, "%.2f s" % gap)


@section
def not_listening():
    port = t.free_port()
    c = Case("  - name: hook\n    url: json://127.0.0.1:%d/hook/%s\n"
             "    timeout: 2\n" % (port, TOKENS[0]))
    start = time.monotonic()
    r = c.run()
    took = time.monotonic() - start
    report("not listening: exit 75 within the budget, nothing in the "
           "ledger", r.returncode == 75 and took < 15 and c.rows() == [],
           "exit %d in %.1f s, %s" % (r.returncode, took, r.stderr))
    rec = t.Recorder().start()
    c.config = t.write(c.config, open(c.config).read().replace(
        "127.0.0.1:%d" % port, rec.hostport()))
    r = c.run()
    report("not listening: the next run sends exactly once",
           r.returncode == 0 and len(rec.requests) == 1, r.stderr)
    rec.stop()


@section
def one_notifier_fails():
    good = t.Recorder().start()
    bad = t.Recorder(script=[{"status": 502}]).start()
    c = Case(hook(good, "good") + hook(bad, "bad", TOKENS[1]))
    r = c.run()
    report("one of two fails: exit 75, the good one got its digest",
           r.returncode == 75 and len(good.requests) == 1, r.stderr)
    bad.set_script([{"status": 200}])
    n_bad = len(bad.requests)
    r = c.run()
    report("next run: the failed one gets it once, the good one nothing",
           r.returncode == 0 and len(good.requests) == 1 and
           len(bad.requests) == n_bad + 1, "%d %d %s" % (
               len(good.requests), len(bad.requests) - n_bad, r.stderr))
    good.stop()
    bad.stop()


@section
def killed_while_sending():
    rec = t.Recorder(script=[{"action": "hang", "hang": 20}]).start()
    c = Case(hook(rec).replace("timeout: 2", "timeout: 30"))
    e = t.env(home=c.home, now=NOW)
    p = subprocess.Popen([t.FOLLOWUP, "notify", "--config", c.config,
                          "--vault", VAULT, "--today", TODAY], env=e,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while not rec.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.communicate()
    rows = c.rows()
    report("killed while sending: the ledger says sending",
           len(rows) == 4 and all(x[3] == "sending" for x in rows), rows)
    rec.set_script([{"status": 200}])
    r = c.run()
    rows = c.rows()
    report("the next run reports the unknown outcome, sends nothing again",
           len(rec.requests) == 1 and "may not have arrived" in r.stderr and
           all(x[3] == "unknown" for x in rows),
           "%d requests, rows %s, %s" % (len(rec.requests), rows,
                                        r.stderr[-300:]))
    rec.stop()


@section
def killed_then_only_another():
    # A run that sends to one notifier only (--only) leaves what a stopped
    # run left for the others to the run that sends to them: it may be a
    # service that takes a resend (Matrix), which only that run can say.
    rec = t.Recorder(script=[{"action": "hang", "hang": 20}]).start()
    other = t.Recorder().start()
    c = Case(hook(rec).replace("timeout: 2", "timeout: 30") +
             hook(other, "other", TOKENS[1]))
    e = t.env(home=c.home, now=NOW)
    p = subprocess.Popen([t.FOLLOWUP, "notify", "--config", c.config,
                          "--vault", VAULT, "--today", TODAY, "--only",
                          "hook"], env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while not rec.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.communicate()
    r = c.run("--only", "other")
    rows = [x for x in c.rows() if x[0] == "hook"]
    report("--only another notifier: what a stopped run left for this one "
           "is left for a run that sends to it",
           r.returncode == 0 and len(other.requests) == 1 and
           len(rows) == 4 and all(x[3] == "sending" for x in rows) and
           "may not have arrived" not in r.stderr,
           "rows %s, %s" % (rows, r.stderr[-300:]))
    r = c.run()
    rows = [x for x in c.rows() if x[0] == "hook"]
    report("the next run that sends to it settles them (unknown, said so)",
           "may not have arrived" in r.stderr and len(rows) == 4 and
           all(x[3] == "unknown" for x in rows) and len(rec.requests) == 1,
           "rows %s, %d requests, %s" % (rows, len(rec.requests),
                                         r.stderr[-300:]))
    rec.stop()
    other.stop()


@section
def matrix_unanswered_sent_again_as_the_same_message():
    import json
    state = {"hang": True}

    def route(method, path):
        if "/join/" in path:
            return {"status": 200, "body": json.dumps({"room_id":
                                                       "!r:localhost"})}
        if method == "PUT" and state["hang"]:
            return {"action": "hang", "hang": 3}
        return {"status": 200, "body": json.dumps({"event_id": "$e"})}
    rec = t.Recorder(route=route).start()
    c = Case("  - name: mx\n    url: matrix://%s@%s/!r:localhost\n"
             "    timeout: 1\n" % (TOKENS[2], rec.hostport()))
    r = c.run(today="2026-01-05")
    puts = [q for q in rec.requests if q["method"] == "PUT"]
    first_txn = puts[0]["path"] if puts else None
    report("Matrix, no answer to the PUT: exit 75, kept as sending",
           r.returncode == 75 and first_txn is not None and
           all(x[3] == "sending" for x in c.rows()) and len(c.rows()) == 3,
           "%d %s %s" % (r.returncode, c.rows(), r.stderr[-300:]))
    state["hang"] = False
    before = len(rec.requests)
    r = c.run(today="2026-01-10")
    puts = [q for q in rec.requests[before:] if q["method"] == "PUT"]
    names = [json.loads(q["body"])["body"] for q in puts]
    report("the next run sends the same message again (same transaction "
           "id: the server drops a repeat), then the newly due one apart",
           r.returncode == 0 and len(puts) == 2 and
           puts[0]["path"] == first_txn and puts[1]["path"] != first_txn and
           "Due Dana" in names[1] and "Due Dana" not in names[0] and
           len(c.rows()) == 4 and all(x[3] == "sent" for x in c.rows()),
           "%d %s %s %s" % (r.returncode, [q["path"] for q in puts],
                            c.rows(), r.stderr[-300:]))
    rec.stop()


@section
def two_processes():
    rec = t.Recorder(script=[{"status": 200, "delay": 1.5}]).start()
    c = Case(hook(rec))
    e = t.env(home=c.home, now=NOW)
    args = [t.FOLLOWUP, "notify", "--config", c.config, "--vault", VAULT,
            "--today", TODAY]
    ps = [subprocess.Popen(args, env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
          for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in ps]
    for o in outs:
        t.OUTPUTS.append(o[0] + o[1])
    report("three processes at once: one request in all, all exit 0, and "
           "none takes the other's use of the cache or the ledger for "
           "damage", len(rec.requests) == 1 and
           all(p.returncode == 0 for p in ps) and
           not any("damaged" in o[1] or "error" in o[1] for o in outs),
           "%d requests, %s" % (len(rec.requests), outs))
    rec.stop()


@section
def tls_verified():
    ca, ctx = t.make_certificates()
    rec = t.Recorder(tls=ctx).start()
    c = Case("  - name: tls\n    url: jsons://%s/hook/%s\n    timeout: 2\n"
             % (rec.hostport(), TOKENS[0]))
    r = c.run()
    report("jsons:// to a certificate no CA vouches for: exit 75, nothing "
           "delivered, nothing recorded", r.returncode == 75 and
           rec.requests == [] and c.rows() == [] and
           TOKENS[0] not in r.stderr, "%d %s" % (r.returncode, r.stderr))
    c.config = t.write(c.config, open(c.config).read() +
                       "    ca_file: %s\n" % ca)
    r = c.run()
    report("with ca_file naming the test CA: delivered once, over TLS",
           r.returncode == 0 and len(rec.requests) == 1, r.stderr)
    rec.stop()


@section
def config_readable_by_others():
    # The runner of the cases writes every config readable by its owner
    # only; these two need one that others can read.
    rec = t.Recorder().start()
    c = Case("  - name: x\n    url_env: FOLLOWUP_TEST_URL\n")
    os.chmod(c.config, 0o644)
    r = c.run(extra={"FOLLOWUP_TEST_URL": "json://%s/hook/%s" % (
        rec.hostport(), TOKENS[2])})
    report("url_env set: works from a config others may read",
           r.returncode == 0 and len(rec.requests) == 1, r.stderr)
    c = Case(hook(rec))
    os.chmod(c.config, 0o644)
    r = c.run()
    report("a URL in a config others can read: refused, exit 78",
           r.returncode == 78 and "chmod 600" in r.stderr and
           TOKENS[0] not in r.stderr, r.stderr)
    rec.stop()


@section
def newer_ledger_refused():
    rec = t.Recorder().start()
    c = Case(hook(rec))
    c.run("--test")
    os.makedirs(os.path.dirname(c.state), exist_ok=True)
    db = sqlite3.connect(c.state)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = open(c.state, "rb").read()
    r = c.run()
    report("a ledger of schema 99: refused, untouched, nothing sent",
           r.returncode == 78 and "schema version 99" in r.stderr and
           open(c.state, "rb").read() == before and len(rec.requests) == 1,
           "%d %s" % (r.returncode, r.stderr))
    rec.stop()


@section
def ledger_not_ours_refused():
    rec = t.Recorder().start()
    c = Case(hook(rec))
    os.makedirs(os.path.dirname(c.state), exist_ok=True)
    open(c.state, "wb").close()
    for args in ((), ("--dry-run",)):
        r = c.run(*args)
        report("an empty state.db %s: refused (78), not taken as a new "
               "ledger, nothing sent" % (" ".join(args) or "(send)"),
               r.returncode == 78 and "not a followup ledger: the file is "
               "empty" in r.stderr and os.path.getsize(c.state) == 0 and
               rec.requests == [], "%d %s" % (r.returncode, r.stderr))
    os.unlink(c.state)
    db = sqlite3.connect(c.state)
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    db.commit()
    db.close()
    before = open(c.state, "rb").read()
    r = c.run()
    report("another program's SQLite file as state.db: refused, untouched",
           r.returncode == 78 and "this is not a followup ledger" in
           r.stderr and open(c.state, "rb").read() == before and
           rec.requests == [], "%d %s" % (r.returncode, r.stderr))
    os.unlink(c.state)
    r = c.run()
    db = sqlite3.connect(c.state)
    app = db.execute("PRAGMA application_id").fetchone()[0]
    # What an older followup wrote: the same tables, no application id.
    db.execute("PRAGMA application_id = 0")
    db.commit()
    db.close()
    sent = len(rec.requests)
    r2 = c.run()
    db = sqlite3.connect(c.state)
    app2 = db.execute("PRAGMA application_id").fetchone()[0]
    db.close()
    report("a new ledger is marked as followup's; an older followup's "
           "ledger is taken, marked, and nothing is sent again",
           r.returncode == 0 and app == 0x4655504c and sent == 1 and
           r2.returncode == 0 and app2 == app and len(rec.requests) == 1,
           "%d %d %x %x %d %s" % (r.returncode, r2.returncode, app, app2,
                                  len(rec.requests), r2.stderr))
    rec.stop()


@section
def valgrind_clean():
    if os.environ.get("FOLLOWUP_SANITIZED"):
        return  # valgrind cannot run an AddressSanitizer build
    rec = t.Recorder(script=[{"status": 500}, {"status": 200}]).start()
    c = Case(hook(rec) + hook(rec, "second", TOKENS[1]))
    e = t.env(home=c.home, now=NOW)
    vg = ["valgrind", "--error-exitcode=99", "--leak-check=full",
          "--show-leak-kinds=all", "--errors-for-leak-kinds=all", "-q",
          "--suppressions=" + os.path.join(t.SRC, "tests", "valgrind.supp"),
          t.FOLLOWUP, "notify", "--config", c.config, "--vault", VAULT,
          "--today", TODAY]
    for args, want in (([], 0), (["--dry-run"], 0), (["--test"], 0)):
        r = subprocess.run(vg + args, env=e, capture_output=True, text=True,
                           timeout=300)
        t.OUTPUTS.append(r.stdout + r.stderr)
        report("valgrind notify %s: no error, no leak" % " ".join(args),
               r.returncode == want, "exit %d\n%s" % (r.returncode,
                                                       r.stderr[-2000:]))
    rec.stop()


@section
def no_secret_anywhere():
    leaked = [s for s in TOKENS for out in t.OUTPUTS if s in out]
    report("no output of any command holds a secret (%d outputs)" %
           len(t.OUTPUTS), t.OUTPUTS and not leaked, leaked)


t.finish()
