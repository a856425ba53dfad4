#!/usr/bin/python3
"""`followup run`, the unattended job, and what `check` says of its parts.

A small vault (cold, overdue, due and ok contacts), a json:// notifier and
a WebDAV target, both recording HTTP servers this script starts on
127.0.0.1, and a private HOME and XDG_RUNTIME_DIR per case:

- a run logs one line per step (scan, feed, publish, notify, done) in
  that order with its counts, writes the feed (read back by
  python3-icalendar), PUTs it, sends one digest, exits 0; a second run
  finds the feed unchanged, sends nothing and publishes nothing;
- --log-format json: every line is one JSON object with step, status,
  level and time, the counts as numbers;
- with stderr the journal (JOURNAL_STREAM names it), every line carries
  its priority: <3> for a failed step and its error, <6> for the rest;
- a step that fails does not stop the later ones: a publish server
  answering 503 still lets the reminders go (exit 75); a feed that cannot
  be written (exit 73) still lets them go, and the exit is the worse one;
  a vault that cannot be read stops the run before the feed (no empty
  feed over a good one);
- the lock: two runs started at once, with a notifier slow to answer:
  exactly one does the work and the other exits 75 at once, naming the
  pid of the one that runs; `--wait` waits for it and then runs; a lock
  file held by another process is respected; the lock is in the state
  folder with or without XDG_RUNTIME_DIR (cron sets none), so a cron run
  and a timer run never overlap;
- quiet hours: a run inside them writes the feed and sends nothing; the
  first run after them sends;
- `check` names the feed, the publish URL and every notifier, contacts
  none of them, and reports a notifier it cannot use, a feed path it
  could not write, a publish URL it cannot use;
- valgrind finds no error and no leak in a run that writes, publishes
  and sends after a 503; no output holds the notifier's token.
"""
import fcntl
import json
import os
import subprocess
import time

import testlib as t
from testlib import report, section

NOW = 1768050000            # 2026-01-10 13:00 UTC
TODAY = "2026-01-10"
TOKEN = "RUNTOKEN-%d" % os.getpid()
PEOPLE = {
    "Cold Carla": "last_contact: 2025-10-01\ncadence: 30\n",
    "Over Otto": "last_contact: 2025-12-01\ncadence: 30\n",
    "Due Dana": "last_contact: 2025-12-15\ncadence: 30\n",
    "Ok Olga": "last_contact: 2026-01-05\ncadence: 30\n",
}
DUE = ["Cold Carla", "Due Dana", "Over Otto"]


VAULT = t.people_vault(os.path.join(t.TMP, "vault"), PEOPLE)


class Case:
    """One home (config, ledger, feed, lock folder) and its servers."""
    count = 0

    def __init__(self, notifier=None, dav=None, notify="", ics="",
                 vault=VAULT):
        Case.count += 1
        self.home = os.path.join(t.TMP, "run%d" % Case.count)
        self.runtime = os.path.join(self.home, "runtime")
        os.makedirs(self.runtime, mode=0o700)
        self.vault = vault
        self.feed = os.path.join(self.home, "feed", "followup.ics")
        os.makedirs(os.path.dirname(self.feed))
        text = "ics:\n  path: %s\n" % self.feed + ics
        if dav is not None:
            text += "  publish: http://%s/cal/followup.ics\n" % dav.hostport()
        text += "notify:\n  retry_seconds: 3\n" + notify
        if notifier is not None:
            text += ("notifiers:\n  - name: hook\n    url: json://%s/hook/%s"
                     "\n    timeout: 5\n" % (notifier.hostport(), TOKEN))
        self.config = t.write(os.path.join(self.home, "config.yml"), text)

    def env(self, now=NOW, **extra):
        return t.env(home=self.home, now=now, XDG_RUNTIME_DIR=self.runtime,
                     **extra)

    def args(self, *more, today=TODAY):
        return ["run", "--config", self.config, "--vault", self.vault,
                "--today", today] + list(more)

    def run(self, *more, today=TODAY, now=NOW, environ=None):
        return t.run(self.args(*more, today=today),
                     environ or self.env(now=now))

    def start(self, *more, now=NOW, environ=None):
        return subprocess.Popen([t.FOLLOWUP] + self.args(*more),
                                env=environ or self.env(now=now),
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)


def steps(stderr):
    """The steps named by the log lines, in order."""
    out = []
    for line in stderr.splitlines():
        if line.startswith("followup run: "):
            out.append(line[len("followup run: "):].split(":")[0])
    return out


def step_line(stderr, step):
    for line in stderr.splitlines():
        if line.startswith("followup run: %s: " % step):
            return line
    return ""


def names_in(req):
    body = json.loads(req["body"])
    return sorted(r["name"] for r in body["followup"]["reminders"])


def puts(rec):
    return [q for q in rec.requests if q["method"] == "PUT"]


def wait_for(pred, seconds=15):
    deadline = time.monotonic() + seconds
    while not pred() and time.monotonic() < deadline:
        time.sleep(0.02)
    return pred()


@section
def steps_in_order_then_nothing_new():
    hook, dav = t.Recorder().start(), t.Recorder(route=t.dav_file()).start()
    c = Case(hook, dav)
    r = c.run()
    report("run: exit 0, one log line per step in order",
           r.returncode == 0 and steps(r.stderr) ==
           ["scan", "feed", "publish", "notify", "done"],
           "%d %s" % (r.returncode, r.stderr))
    report("run: the scan line counts notes, contacts and tasks",
           "4 notes, 4 contacts, 4 tasks; 0 errors, 0 warnings" in
           step_line(r.stderr, "scan"), step_line(r.stderr, "scan"))
    import icalendar
    try:
        with open(c.feed, "rb") as f:
            cal = icalendar.Calendar.from_ical(f.read())
        events = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    except (OSError, ValueError) as e:
        events = [repr(e)]
    report("run: the feed is written and python3-icalendar reads the "
           "three follow-ups (and Olga's within the horizon)",
           events == sorted("Follow up with " + n for n in DUE +
                            ["Ok Olga"]), events)
    with open(c.feed, "rb") as f:
        feed = f.read()
    report("run: the feed PUT to the WebDAV target, byte for byte",
           len(puts(dav)) == 1 and puts(dav)[0]["body"] == feed and
           "1 sent" in step_line(r.stderr, "publish"),
           "%d PUTs; %s" % (len(puts(dav)), step_line(r.stderr, "publish")))
    report("run: one digest with the three due contacts",
           len(hook.requests) == 1 and names_in(hook.requests[0]) == DUE and
           "3 reminders sent through 1 notifier" in
           step_line(r.stderr, "notify"),
           "%d requests; %s" % (len(hook.requests),
                                step_line(r.stderr, "notify")))
    report("run: no secret in the log", TOKEN not in r.stderr + r.stdout,
           r.stderr)
    r = c.run()
    report("second run: the feed unchanged, nothing published, nothing "
           "sent, exit 0", r.returncode == 0 and
           "unchanged:" in step_line(r.stderr, "feed") and
           len(puts(dav)) == 1 and len(hook.requests) == 1 and
           "0 sent" in step_line(r.stderr, "publish"),
           "%d PUTs, %d requests; %s" % (len(puts(dav)), len(hook.requests),
                                         r.stderr))
    r = c.run("-q")
    report("-q: nothing on stderr when all is well",
           r.returncode == 0 and r.stderr == "" and r.stdout == "",
           r.stderr)
    hook.stop()
    dav.stop()


@section
def json_log_lines():
    hook = t.Recorder().start()
    c = Case(hook)
    r = c.run("--log-format", "json")
    lines = []
    try:
        lines = [json.loads(x) for x in r.stderr.splitlines()]
    except ValueError as e:
        lines = [{"error": repr(e)}]
    report("--log-format json: every line is a JSON object with step, "
           "status, level and time", r.returncode == 0 and lines and
           all({"step", "status", "level", "time"} <= set(x) for x in lines)
           and [x["step"] for x in lines] ==
           ["scan", "feed", "publish", "notify", "done"], r.stderr)
    by = {x.get("step"): x for x in lines}
    report("--log-format json: the counts are numbers",
           by.get("scan", {}).get("contacts") == 4 and
           by.get("notify", {}).get("sent") == 3 and
           by.get("feed", {}).get("items") == 4 and
           by.get("feed", {}).get("result") == "written" and
           by.get("publish", {}).get("result") == "off", r.stderr)
    r = c.run("--log-format", "yaml")
    report("--log-format yaml: usage error 64", r.returncode == 64 and
           "--log-format" in r.stderr, r.stderr)
    # The notes were written just now: the cache trusts them once they
    # are a second older than the scan that read them.
    time.sleep(1.2)
    c.run("--log-format", "json")
    scans = []
    for _ in range(2):
        r = c.run("--log-format", "json")
        scans += [json.loads(x) for x in r.stderr.splitlines()
                  if '"step":"scan"' in x]
    first = by.get("scan", {})
    report("--log-format json: the scan says how many notes it read and "
           "how many came from the scan cache",
           first.get("read") == first.get("notes") and
           first.get("cached") == 0 and len(scans) == 2 and
           all(x.get("read") == 0 and x.get("cached") == x.get("notes") and
               x.get("notes") == first.get("notes") for x in scans),
           "%r %r" % (first, scans))
    hook.stop()


@section
def journal_priorities():
    hook = t.Recorder(script=[{"status": 500}]).start()
    c = Case(hook)
    with open(c.config) as f:
        t.write(c.config, f.read().replace("retry_seconds: 3",
                                           "retry_seconds: 1"))
    log = os.path.join(c.home, "journal")
    with open(log, "w") as err:
        st = os.fstat(err.fileno())
        e = c.env(JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
        code = subprocess.run([t.FOLLOWUP] + c.args(), env=e,
                              stderr=err, stdout=subprocess.DEVNULL,
                              timeout=120).returncode
    with open(log) as f:
        lines = f.read().splitlines()
    t.OUTPUTS.append("\n".join(lines))
    def has(prefix):
        return any(l.startswith(prefix) for l in lines)
    report("stderr is the journal (JOURNAL_STREAM): each line carries its "
           "priority, <3> for a failed step and its error, <6> for the "
           "others", code == 75 and has("<6>followup run: scan: ") and
           has("<6>followup run: feed: ") and
           has("<3>followup run: notify: ") and
           has("<3>error: notifier hook") and
           has("<3>followup run: done: exit 75") and
           all(l.startswith(("<3>", "<4>", "<6>")) for l in lines),
           "%d %s" % (code, lines))
    with open(log, "w") as err:
        e = c.env(JOURNAL_STREAM="1:1")
        subprocess.run([t.FOLLOWUP] + c.args(), env=e, stderr=err,
                       stdout=subprocess.DEVNULL, timeout=120)
    with open(log) as f:
        text = f.read()
    report("JOURNAL_STREAM naming another stream: plain lines",
           text.startswith("followup run: scan:"), text)
    hook.stop()


@section
def names_that_are_not_utf8():
    root = os.path.join(t.TMP, "vault-\udcff")       # byte 0xFF
    t.write(os.path.join(root, "People", "B\udce9a.md"),  # Latin-1 é
            "---\ntype: people\nlast_contact: 2025-01-01\n---\n", 0o644)
    t.write(os.path.join(root, "People", "Dup.md"),
            "---\ntype: people\nlast_contact: 2025-01-01\n"
            "last_contact: 2025-01-02\n---\n", 0o644)
    c = Case(vault=root)
    log = os.path.join(c.home, "journal")
    with open(log, "w") as err:
        st = os.fstat(err.fileno())
        e = c.env(JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
        code = subprocess.run([t.FOLLOWUP] + c.args("--log-format", "json"),
                              env=e, stderr=err, stdout=subprocess.DEVNULL,
                              timeout=120).returncode
    with open(log, encoding="ascii") as f:
        lines = f.read().splitlines()
    objs = [json.loads(l[3:]) for l in lines]
    scan = objs[0] if objs else {}
    report("JSON log, a vault folder that is not UTF-8: the scan line keeps "
           "its counts, the byte shown as U+FFFD",
           code == 0 and scan.get("vault", "").endswith("vault-\ufffd") and
           scan.get("contacts") == 2 and scan.get("warnings") == 1, lines)
    warn = [l for l in lines if '"level":"warning"' in l]
    report("JSON log in the journal: a warning is <4>",
           len(warn) == 1 and warn[0].startswith("<4>") and
           '"path":"People/Dup.md"' in warn[0], lines)
    r = t.run(["status", "--format", "json", "--vault", root, "--today",
               TODAY], c.env())
    doc = json.loads(r.stdout)
    names = sorted((x.get("name"), x.get("path")) for x in doc["contacts"])
    report("status --format json: a file name that is not UTF-8 keeps its "
           "name and path, the byte shown as U+FFFD",
           names == [("B\ufffda", "People/B\ufffda.md"),
                     ("Dup", "People/Dup.md")], names)


@section
def a_failed_step_does_not_stop_the_others():
    hook = t.Recorder().start()
    dav = t.Recorder(route=lambda m, p: {"status": 503, "body": ""}).start()
    c = Case(hook, dav, notify="")
    r = c.run()
    report("publish answered 503: exit 75, the reminders still sent",
           r.returncode == 75 and len(hook.requests) == 1 and
           step_line(r.stderr, "publish").startswith(
               "followup run: publish: failed") and
           steps(r.stderr)[-2:] == ["notify", "done"],
           "%d %d %s" % (r.returncode, len(hook.requests), r.stderr))
    dav.stop()
    hook2 = t.Recorder().start()
    blocker = os.path.join(t.TMP, "not-a-folder")
    t.write(blocker, "a file where the feed's folder should be\n")
    c = Case(hook2, ics="")
    with open(c.config) as f:
        text = f.read().replace(c.feed, os.path.join(blocker, "f.ics"))
    t.write(c.config, text)
    r = c.run()
    report("feed cannot be written: exit 73, the reminders still sent",
           r.returncode == 73 and len(hook2.requests) == 1 and
           "not written" in step_line(r.stderr, "feed"),
           "%d %d %s" % (r.returncode, len(hook2.requests), r.stderr))
    hook3 = t.Recorder(script=[{"status": 500}]).start()
    c3 = Case(hook3)
    with open(c3.config) as f:
        text = f.read().replace("retry_seconds: 3", "retry_seconds: 1")
    t.write(c3.config, text.replace(c3.feed, os.path.join(blocker, "f.ics")))
    r = c3.run()
    report("feed not written (73) and the notifier failing (75): exit 73, "
           "the worse", r.returncode == 73 and len(hook3.requests) == 1,
           "%d %s" % (r.returncode, r.stderr))
    hook3.stop()
    c4 = Case(hook, vault=os.path.join(t.TMP, "no-such-vault"))
    t.write(c4.feed, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 0o644)
    r = c4.run()
    with open(c4.feed, newline="") as f:
        kept = f.read()
    report("a vault that cannot be read: exit 66, no feed written over the "
           "old one, nothing sent", r.returncode == 66 and
           kept == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" and
           len(hook.requests) == 1 and steps(r.stderr) == ["scan", "done"],
           "%d %r %d %s" % (r.returncode, kept, len(hook.requests),
                            r.stderr))
    hook.stop()
    hook2.stop()


@section
def two_runs_at_once():
    hook = t.Recorder(script=[{"status": 200, "delay": 2}]).start()
    c = Case(hook)
    first = c.start()
    wait_for(lambda: hook.requests)
    t0 = time.monotonic()
    second = t.run(c.args(), c.env())
    took = time.monotonic() - t0
    out1, err1 = first.communicate(timeout=60)
    report("two runs: the second exits 75 at once, naming the first's pid",
           second.returncode == 75 and took < 1.5 and
           ("another followup run (pid %d) is running" % first.pid)
           in second.stderr and "hint:" in second.stderr,
           "%d %.2f s %s" % (second.returncode, took, second.stderr))
    report("two runs: the first does the work: one request, exit 0",
           first.returncode == 0 and len(hook.requests) == 1, err1)
    lock = os.path.join(c.home, ".local", "state", "followup", "run.lock")
    report("the lock file is in the state folder, mode 0600",
           os.path.exists(lock) and
           (os.stat(lock).st_mode & 0o777) == 0o600, lock)

    # Started together, many times: never two at work.
    hook.set_script([{"status": 200, "delay": 1}])
    for i in range(3):
        d = Case(hook)
        before = len(hook.requests)
        ps = [d.start(), d.start()]
        codes = sorted(p.wait(timeout=60) for p in ps)
        for p in ps:
            p.communicate()
        report("started together (%d): one exits 0, the other 75; one "
               "request" % (i + 1), codes == [0, 75] and
               len(hook.requests) == before + 1,
               "%s, %d requests" % (codes, len(hook.requests) - before))

    hook.set_script([{"status": 200, "delay": 2}])
    d = Case(hook)
    before = len(hook.requests)
    first = d.start()
    wait_for(lambda: len(hook.requests) > before)
    waiter = d.start("--wait", "30")
    first.communicate(timeout=60)
    out, err = waiter.communicate(timeout=60)
    report("--wait 30: the second waits for the first, then runs and sends "
           "nothing new (exit 0)", waiter.returncode == 0 and
           len(hook.requests) == before + 1 and
           steps(err)[-1:] == ["done"], "%d %d %s" % (
               waiter.returncode, len(hook.requests) - before, err))
    d = Case(hook)
    before = len(hook.requests)
    first = d.start()
    wait_for(lambda: len(hook.requests) > before)
    t0 = time.monotonic()
    r = t.run(d.args("--wait", "1"), d.env())
    took = time.monotonic() - t0
    first.communicate(timeout=60)
    report("--wait 1 while another run goes on: gives up after a second, "
           "exit 75", r.returncode == 75 and 0.9 < took < 3, "%d %.2f %s" % (
               r.returncode, took, r.stderr))
    r = t.run(d.args("--wait", "soon"), d.env())
    report("--wait soon: usage error 64", r.returncode == 64, r.stderr)
    hook.stop()


@section
def lock_held_by_another_process():
    c = Case()
    lock = os.path.join(c.home, ".local", "state", "followup", "run.lock")
    os.makedirs(os.path.dirname(lock), exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    r = c.run()
    report("a lock held elsewhere: exit 75, said so, no feed written",
           r.returncode == 75 and "another followup run is running" in
           r.stderr and not os.path.exists(c.feed), r.stderr)
    e = c.env()
    del e["XDG_RUNTIME_DIR"]
    r = t.run(c.args(), e)
    report("the same lock without XDG_RUNTIME_DIR (as from cron): exit 75",
           r.returncode == 75 and not os.path.exists(c.feed), r.stderr)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    r = c.run()
    report("the lock let go: the run goes on", r.returncode == 0 and
           os.path.exists(c.feed), r.stderr)
    report("nothing of the run's in $XDG_RUNTIME_DIR",
           os.listdir(c.runtime) == [], os.listdir(c.runtime))


@section
def quiet_hours_defer():
    hook = t.Recorder().start()
    c = Case(hook, notify='  quiet_hours: "22:00-07:00"\n')
    night = NOW + 10 * 3600          # 23:00 UTC
    r = c.run(now=night)
    report("quiet hours: the feed written, nothing sent, said so",
           r.returncode == 0 and os.path.exists(c.feed) and
           hook.requests == [] and "quiet hours" in
           step_line(r.stderr, "notify"), r.stderr)
    r = c.run(now=night + 7 * 3600, today="2026-01-11")   # 06:00
    report("still quiet at 06:00: nothing sent", r.returncode == 0 and
           hook.requests == [], r.stderr)
    r = c.run(now=night + 9 * 3600, today="2026-01-11")   # 08:00
    report("the first run after them sends the digest once",
           r.returncode == 0 and len(hook.requests) == 1 and
           names_in(hook.requests[0]) == DUE, r.stderr)
    hook.stop()


@section
def check_names_what_run_uses():
    hook, dav = t.Recorder().start(), t.Recorder(route=t.dav_file()).start()
    c = Case(hook, dav)
    r = t.run(["check", "--config", c.config, "--vault", VAULT],
              c.env())
    report("check: the feed, the publish URL and the notifier, ok, "
           "nothing contacted", r.returncode == 0 and
           "feed: %s ok (not written yet)" % c.feed in r.stdout and
           "publish: http://%s/cal/followup.ics ok" % dav.hostport()
           in r.stdout and "notifier hook: json://%s/" % hook.hostport()
           in r.stdout and hook.requests == [] and dav.requests == [] and
           TOKEN not in r.stdout + r.stderr, r.stdout + r.stderr)
    bad = Case()
    t.write(bad.config, "ics:\n  path: %s\nnotifiers:\n  - name: good\n"
            "    url: json://127.0.0.1:9/%s\n  - name: odd\n"
            "    url: carrier-pigeon://coop/%s\n  - name: pinned\n"
            "    url: jsons://127.0.0.1:9/x\n    ca_file: /nonexistent/ca.pem"
            "\n" % (os.path.join(t.TMP, "not-a-folder", "f.ics"), TOKEN,
                    TOKEN))
    r = t.run(["check", "--config", bad.config, "--vault", VAULT],
              bad.env())
    out = r.stdout + r.stderr
    report("check: a feed path it cannot write, an unknown scheme and an "
           "unreadable ca_file, each said, the good notifier ok; exit 78",
           r.returncode == 78 and "not-a-folder" in out and
           "carrier-pigeon" in out and "/nonexistent/ca.pem" in out and
           "notifier good: json://127.0.0.1:9/**** ok" in out and
           "2 notifiers with problems" in out and TOKEN not in out, out)
    t.write(bad.config, "ics:\n  publish: ftp://example.invalid/x.ics\n")
    r = t.run(["check", "--config", bad.config, "--vault", VAULT],
              bad.env())
    report("check: a publish URL it cannot use: exit 78, the line named",
           r.returncode == 78 and "config.yml:2:" in r.stderr and
           "publish" in r.stderr, r.stderr)
    t.write(bad.config, "notifiers:\n  - url: json://127.0.0.1:9/%s\n"
            % TOKEN)
    r = t.run(["check", "--config", bad.config], bad.env())
    report("check with no vault given: exit 64, said so; the feed and the "
           "notifier still checked", r.returncode == 64 and
           "no vault given" in r.stderr and "feed: " in r.stdout and
           "notifier json-1: json://127.0.0.1:9/**** ok" in r.stdout,
           "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
    hook.stop()
    dav.stop()


@section
def valgrind_clean():
    if os.environ.get("FOLLOWUP_SANITIZED"):
        return  # valgrind cannot run an AddressSanitizer build; ASan runs it
    hook = t.Recorder(script=[{"status": 503, "headers": {"Retry-After":
                                                          "0"}},
                              {"status": 200}]).start()
    dav = t.Recorder(route=t.dav_file()).start()
    c = Case(hook, dav)
    vg = ["valgrind", "--error-exitcode=99", "--leak-check=full",
          "--show-leak-kinds=all", "--errors-for-leak-kinds=all", "-q",
          "--suppressions=" + os.path.join(t.SRC, "tests", "valgrind.supp"),
          t.FOLLOWUP] + c.args()
    for extra, what in (([], "first run: feed, publish, a retried send"),
                        (["--log-format", "json"], "second run, JSON log")):
        r = subprocess.run(vg + extra, env=c.env(), capture_output=True,
                           text=True, timeout=300)
        t.OUTPUTS.append(r.stdout + r.stderr)
        report("valgrind run (%s): no error, no leak" % what,
               r.returncode == 0, "exit %d\n%s" % (r.returncode,
                                                    r.stderr[-2000:]))
    report("valgrind runs: the reminders went out once, the feed once",
           len(hook.answered()) == 2 and len(puts(dav)) == 1,
           "%d requests, %d PUTs" % (len(hook.requests), len(puts(dav))))
    hook.stop()
    dav.stop()


@section
def no_secret_anywhere():
    leaked = [o for o in t.OUTPUTS if TOKEN in o]
    report("no output of any run or check holds the notifier's token (%d "
           "outputs)" % len(t.OUTPUTS), t.OUTPUTS and not leaked, leaked[:1])


if __name__ == "__main__":
    t.finish()
