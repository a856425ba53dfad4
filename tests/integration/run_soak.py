#!/usr/bin/python3
"""Soak: RUNS consecutive `followup run`s over a vault that changes
between them, against two loopback json:// notifiers that each fail one
request in five (503 or 429, Retry-After: 0, retried inside the run).

Between two runs one contact's last_contact moves (always to a date not
used before, so every run brings a new due episode); every 25th run a new
contact appears, every 50th a contact note is renamed, every 100th one
is deleted. What `followup status` says is due after each change is the
truth the deliveries are checked against:

- every episode (path, due, state) that was ever due was accepted by
  each notifier exactly once: never lost, never twice;
- every run exits 0 and the feed stays readable;
- no growth: the descriptors open in the followup process (read from
  /proc while it waits for the notifier's answer) and its peak RSS (from
  /usr/bin/time) over the last runs against the first ones; figures
  printed;
- nothing left behind: no temporary files in the state or feed folders.
"""
import collections
import json
import os
import statistics
import subprocess
import tempfile
import threading

import testlib as t
from testlib import report, section

RUNS = int(os.environ.get("FOLLOWUP_SOAK_RUNS", "500"))
NOW = 1768050000            # 2026-01-10 13:00 UTC
TODAY = "2026-01-10"
PEOPLE = 30
VAULT = os.path.join(t.TMP, "vault")
HOME = os.path.join(t.TMP, "home")
FEED = os.path.join(HOME, "feed", "followup.ics")


class FlakyHook:
    """A json:// receiver that fails every fifth request, records what it
    accepted, and counts the descriptors of the running followup."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.count = 0
        self.accepted = []      # episodes lists of accepted requests
        self.failed = 0
        self.fds = {}           # run number -> descriptors seen
        self.current = None     # (run number, pid)
        self.rec = t.Recorder(route=self.route).start()

    def route(self, method, path):
        with self.lock:
            self.count += 1
            n = self.count
            current = self.current
        if current is not None:
            try:
                fds = len(os.listdir("/proc/%d/fd" % followup_pid(current[1])))
                self.fds[current[0]] = max(fds, self.fds.get(current[0], 0))
            except OSError:
                pass
        if n % 5 == 0:
            self.failed += 1
            return {"status": 503 if n % 10 else 429,
                    "headers": {"Retry-After": "0"}, "body": "busy"}
        return {"status": 200, "body": "ok"}

    def collect(self):
        """The episodes of each request, in the order they came (which is
    the order route() numbered them: followup sends one at a time)."""
        out = []
        for q in self.rec.requests:
            body = json.loads(q["body"])
            out.append([(r["path"], r["due"], r["state"])
                        for r in body["followup"]["reminders"]])
        return out


def followup_pid(time_pid):
    """The followup that /usr/bin/time started."""
    with open("/proc/%d/task/%d/children" % (time_pid, time_pid)) as f:
        return int(f.read().split()[0])


def person(path_name, last):
    return ("---\ntype: people\ncadence: 30\nlast_contact: %s\n---\n"
            "# %s\n\n- [ ] Ask %s about the plan\n" % (last, path_name,
                                                       path_name))


def day(n):
    import datetime
    return (datetime.date(2025, 12, 9) - datetime.timedelta(days=n)
            ).isoformat()


def change_vault(i, names):
    """Run i's change: a new last_contact for one contact; now and then a
    contact added, renamed or deleted."""
    if i % 25 == 0:
        name = "Newcomer %03d" % i
        names.append(name)
    elif i % 100 == 99 and len(names) > 5:
        gone = names.pop(i % len(names))
        os.unlink(os.path.join(VAULT, "People", gone + ".md"))
        return
    elif i % 50 == 49:
        old = names[i % len(names)]
        new = old + " R%d" % i
        os.rename(os.path.join(VAULT, "People", old + ".md"),
                  os.path.join(VAULT, "People", new + ".md"))
        names[i % len(names)] = new
        return
    else:
        name = names[i % len(names)]
    t.write(os.path.join(VAULT, "People", name + ".md"),
            person(name, day(i)), 0o644)


def status_due(cfg, e):
    r = t.run(["status", "--format", "json", "--config", cfg, "--vault",
               VAULT, "--today", TODAY], e)
    t.OUTPUTS.pop()
    assert r.returncode == 0, r.stderr
    return {(c["path"], c["due"], c["state"])
            for c in json.loads(r.stdout)["contacts"]
            if c["state"] in ("cold", "overdue", "due")}


def run_once(cfg, e, i, hooks, errf):
    """One run under /usr/bin/time, which tells its peak RSS: the peak
    that wait4 gives a child of this script would count this script's
    own pages, copied at the fork."""
    rss_file = os.path.join(t.TMP, "rss")
    p = subprocess.Popen(["/usr/bin/time", "-o", rss_file, "-f", "%M",
                          t.FOLLOWUP, "run", "--config", cfg, "--vault",
                          VAULT, "--today", TODAY], env=e,
                         stdout=subprocess.DEVNULL, stderr=errf)
    for h in hooks:
        with h.lock:
            h.current = (i, p.pid)
    p.wait()
    for h in hooks:
        with h.lock:
            h.current = None
    with open(rss_file) as f:
        return p.returncode, int(f.read().split()[-1])


@section
def soak():
    names = ["Person %02d" % k for k in range(PEOPLE)]
    for k, name in enumerate(names):
        t.write(os.path.join(VAULT, "People", name + ".md"),
                person(name, day(1000 + k)), 0o644)
    os.makedirs(os.path.dirname(FEED))
    hooks = [FlakyHook("a"), FlakyHook("b")]
    cfg = t.write(os.path.join(HOME, "config.yml"),
                  "ics:\n  path: %s\nnotify:\n  retry_seconds: 5\n"
                  "  max_per_run: 100\nnotifiers:\n" % FEED + "".join(
                      "  - name: %s\n    url: json://%s/hook/%s\n"
                      "    timeout: 5\n" % (h.name, h.rec.hostport(), h.name)
                      for h in hooks))
    e = t.env(home=HOME, now=NOW,
              XDG_RUNTIME_DIR=os.path.join(HOME, "runtime"))
    os.makedirs(e["XDG_RUNTIME_DIR"], mode=0o700)
    ever_due = set()
    codes = collections.Counter()
    rss = []
    errf = tempfile.TemporaryFile(mode="w+")
    for i in range(RUNS):
        if i > 0:
            change_vault(i, names)
        ever_due |= status_due(cfg, e)
        code, maxrss = run_once(cfg, e, i, hooks, errf)
        codes[code] += 1
        rss.append(maxrss)
    errf.seek(0)
    log = errf.read()
    report("%d runs: every run exited 0" % RUNS, codes == {0: RUNS},
           "%s; %s" % (dict(codes), log[-1500:]))
    # Which requests were accepted: the route numbered them in order.
    for h in hooks:
        got = collections.Counter()
        for n, eps in enumerate(h.collect(), start=1):
            if n % 5 != 0:
                got.update(eps)
        twice = [ep for ep, c in got.items() if c > 1]
        missing = sorted(ever_due - set(got))
        extra = sorted(set(got) - ever_due)
        report("notifier %s: each of the %d episodes ever due accepted "
               "exactly once (%d requests, %d refused and sent again)" % (
                   h.name, len(ever_due), h.count, h.failed),
               not twice and not missing and not extra,
               "twice %s, missing %s, unexpected %s" % (
                   twice[:5], missing[:5], extra[:5]))
    fds = [max(h.fds.get(i, 0) for h in hooks) for i in range(RUNS)]
    seen = [f for f in fds if f]
    first_fd, last_fd = seen[:50], seen[-50:]
    report("descriptors: no growth (first runs %d-%d, last runs %d-%d, "
           "seen in %d runs)" % (min(first_fd), max(first_fd), min(last_fd),
                                 max(last_fd), len(seen)),
           len(seen) >= RUNS * 0.9 and max(last_fd) <= max(first_fd),
           fds)
    # Under AddressSanitizer freed memory waits in a quarantine, so the
    # peak follows all that a run allocated, which grows a little with
    # the ledger's history; the plain build reuses it.
    bound = 1.10 if os.environ.get("FOLLOWUP_SANITIZED") == "1" else 1.05
    first_rss = statistics.median(rss[1:51])
    last_rss = statistics.median(rss[-50:])
    report("peak RSS: the last 50 runs within %d %% of runs 2-51 (medians "
           "%.1f and %.1f MiB, largest %.1f MiB)" % (
               round((bound - 1) * 100), first_rss / 1024, last_rss / 1024,
               max(rss) / 1024), last_rss <= first_rss * bound, rss)
    leftovers = [os.path.join(top, f) for d in (
        os.path.dirname(FEED), os.path.join(HOME, ".local", "state"))
        for top, _, files in os.walk(d) for f in files
        if f.startswith(".")]
    report("nothing left behind in the feed and state folders",
           not leftovers, leftovers)
    import icalendar
    with open(FEED, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    report("the feed after %d runs: one event per contact due, read by "
           "python3-icalendar" % RUNS,
           len(cal.walk("VEVENT")) >= len(status_due(cfg, e)),
           len(cal.walk("VEVENT")))
    for h in hooks:
        h.rec.stop()


if __name__ == "__main__":
    t.finish()
