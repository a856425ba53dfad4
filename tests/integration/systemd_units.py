#!/usr/bin/python3
"""The systemd user units: where `make install` puts them, that systemd
accepts them, and how exposed the service is.

- `make install DESTDIR=... PREFIX=/usr` puts the binary in /usr/bin and the
  units in /usr/lib/systemd/user, the service's ExecStart naming the
  installed binary; `make uninstall` removes the units again.
- `make install PREFIX=$HOME/.local` (a HOME of its own, no DESTDIR) puts
  them in ~/.local/share/systemd/user, where `systemd-analyze verify --user`
  checks them as installed, ExecStart binary included.
- `systemd-analyze security --offline=true --user` scores the service; the
  overall exposure must be "OK" or better (at most 4.9) and is printed.
- The directives the design asks for are there, and no LoadCredential=
  (a missing credential file would fail the unit).
- followup under strace makes only system calls that the unit's
  SystemCallFilter= allows.

systemd-analyze (Debian package systemd) is required: without it every
check fails, none is skipped.
"""
import os
import re
import shutil
import subprocess
import tempfile

import testlib as t
from testlib import report, section

SRC = t.SRC
BUILD = os.path.abspath(os.environ.get("BUILD_DIR") or
                        os.path.dirname(t.FOLLOWUP))
TMP = tempfile.mkdtemp(prefix="followup-systemd-")
ANALYZE = shutil.which("systemd-analyze")
OK_THRESHOLD = 4.9      # systemd-analyze security: 1.0-4.9 is "OK"
ROOT = os.path.join(TMP, "root")
HOME = os.path.join(TMP, "home")
DIRECTIVES = {
    "followup.service": ["Type=oneshot", "PrivateUsers=yes",
                         "ProtectSystem=strict", "ProtectHome=read-only",
                         "NoNewPrivileges=yes", "CapabilityBoundingSet=",
                         "PrivateTmp=yes", "UMask=0077",
                         # A hung run must not keep the lock for good.
                         "TimeoutStartSec=15min",
                         "SystemCallArchitectures=native",
                         "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"],
    "followup.timer": ["Persistent=true", "WantedBy=timers.target"],
}


def clean_env(**extra):
    """The environment for make and systemd-analyze: not the make that runs
    the tests (its MAKEFLAGS would carry BUILD=, CC= ...)."""
    e = {k: v for k, v in os.environ.items()
         if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
                      "XDG_DATA_HOME", "DESTDIR", "PREFIX")}
    rt = os.path.join(TMP, "runtime")
    os.makedirs(rt, mode=0o700, exist_ok=True)
    # --user needs a runtime folder, even offline.
    e.update({"XDG_RUNTIME_DIR": rt, "SYSTEMD_PAGER": "", "NO_COLOR": "1",
              "LC_ALL": "C.UTF-8"})
    e.update(extra)
    return e


def make(target, **variables):
    """`make TARGET` in the source folder with the build folder of the
    tests, which it must not rebuild (-o)."""
    binary = os.path.join(BUILD, "followup")
    args = ["make", "--no-print-directory", "-C", SRC, target,
            "BUILD=" + BUILD, "-o", binary]
    args += ["%s=%s" % kv for kv in variables.items()]
    return subprocess.run(args, capture_output=True, text=True, timeout=120,
                          env=clean_env(HOME=HOME))


def analyze(*args, **extra):
    if ANALYZE is None:
        raise RuntimeError("systemd-analyze not found: install the Debian "
                           "package systemd (make deps DEPS_TEST=1)")
    return subprocess.run([ANALYZE] + list(args), capture_output=True,
                          text=True, timeout=120, env=clean_env(**extra))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def settings(path):
    """The KEY=VALUE lines of a unit file, comments left out."""
    return [line.strip() for line in read(path).splitlines()
            if "=" in line and not line.lstrip().startswith(("#", ";"))]


def exec_start(path):
    return [s[len("ExecStart="):] for s in settings(path)
            if s.startswith("ExecStart=")]


def man_args(mandir):
    """verify checks that Documentation=man:... pages exist: look in the
    installed ones; without man(1) the check cannot run."""
    if shutil.which("man"):
        return ["--man=yes"], {"MANPATH": mandir}
    return ["--man=no"], {}


@section
def systemd_analyze_is_there():
    report("systemd-analyze is installed", ANALYZE is not None,
           "not found in PATH: install the Debian package systemd "
           "(it is in the Makefile's TEST_PKGS)")


@section
def install_with_destdir():
    r = make("install", DESTDIR=ROOT, PREFIX="/usr")
    report("make install DESTDIR=... PREFIX=/usr", r.returncode == 0,
           "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
    units = os.path.join(ROOT, "usr", "lib", "systemd", "user")
    binary = os.path.join(ROOT, "usr", "bin", "followup")
    for name in ("followup.service", "followup.timer"):
        path = os.path.join(units, name)
        ok = os.path.isfile(path) and \
            (os.stat(path).st_mode & 0o777) == 0o644
        report("PREFIX=/usr: %s in /usr/lib/systemd/user, mode 644" % name,
               ok, "%s: %s" % (path, os.path.exists(path) and
                               oct(os.stat(path).st_mode)))
    report("PREFIX=/usr: the binary in /usr/bin",
           os.access(binary, os.X_OK), binary)
    module = os.path.join(ROOT, "usr", "lib", "followup", "followup-net.so")
    feed = ["ics", "--output", "-", "--vault",
            os.path.join(SRC, "examples", "vault"), "--today", "2026-01-10"]
    r = subprocess.run([binary] + feed, capture_output=True, text=True,
                       timeout=60)
    report("PREFIX=/usr: followup-net.so in /usr/lib/followup, and the "
           "installed binary loads it (ics writes the feed)",
           os.path.isfile(module) and r.returncode == 65 and
           r.stdout.startswith("BEGIN:VCALENDAR"),
           "exit %d\n%s" % (r.returncode, r.stderr))
    # A binary whose module is missing, or of another build.
    other = os.path.join(TMP, "other-build")
    os.makedirs(os.path.join(other, "bin"))
    os.makedirs(os.path.join(other, "lib", "followup"))
    shutil.copy(binary, os.path.join(other, "bin", "followup"))
    r = subprocess.run([os.path.join(other, "bin", "followup")] + feed,
                       capture_output=True, text=True, timeout=60)
    report("no followup-net.so beside the binary: ics is exit 69, said so, "
           "with a hint", r.returncode == 69 and "cannot load the command "
           "\"ics\"" in r.stderr and "hint:" in r.stderr and
           r.stdout == "", "exit %d\n%s" % (r.returncode, r.stderr))
    r = subprocess.run([os.path.join(other, "bin", "followup"), "ics",
                        "--help"], capture_output=True, text=True,
                       timeout=60)
    report("no followup-net.so beside the binary: ics --help still works "
           "(the help is the binary's)", r.returncode == 0 and
           "--output" in r.stdout, "exit %d\n%s" % (r.returncode, r.stderr))
    with open(module, "rb") as f:
        data = f.read()
    mark = re.search(rb"\d+\.\d+\.\d+ ([0-9a-f]{16})\0", data)
    if mark:
        flipped = bytes(mark.group(1)[:-1]) + (
            b"0" if mark.group(1)[-1:] != b"0" else b"1")
        data = data[:mark.start(1)] + flipped + data[mark.end(1):]
    with open(os.path.join(other, "lib", "followup", "followup-net.so"),
              "wb") as f:
        f.write(data)
    r = subprocess.run([os.path.join(other, "bin", "followup")] + feed,
                       capture_output=True, text=True, timeout=60)
    report("a followup-net.so of another build (its headers' hash differs): "
           "refused, exit 69", mark is not None and r.returncode == 69 and
           "another build of followup" in r.stderr,
           "mark %s, exit %d\n%s" % (mark, r.returncode, r.stderr))

    service = os.path.join(units, "followup.service")
    text = read(service)
    report("PREFIX=/usr: ExecStart=/usr/bin/followup run",
           exec_start(service) == ["/usr/bin/followup run"] and
           "@BINDIR@" not in text, repr(exec_start(service)))

    # verify checks that ExecStart's binary exists; the installed one is
    # under DESTDIR, so check a copy that names it there.
    check = os.path.join(TMP, "verify-destdir")
    os.makedirs(check)
    shutil.copy(os.path.join(units, "followup.timer"), check)
    with open(os.path.join(check, "followup.service"), "w") as f:
        f.write(text.replace("ExecStart=/usr/bin/followup",
                             "ExecStart=" + binary))
    margs, menv = man_args(os.path.join(ROOT, "usr", "share", "man"))
    r = analyze("verify", "--user", *margs,
                os.path.join(check, "followup.service"),
                os.path.join(check, "followup.timer"), **menv)
    report("PREFIX=/usr: systemd-analyze verify --user passes on both units",
           r.returncode == 0 and not r.stderr.strip(),
           "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))

    r = make("uninstall", DESTDIR=ROOT, PREFIX="/usr")
    left = [n for n in ("followup.service", "followup.timer")
            if os.path.exists(os.path.join(units, n))]
    report("make uninstall DESTDIR=... PREFIX=/usr removes the units",
           r.returncode == 0 and not left and not os.path.exists(binary) and
           not os.path.exists(module),
           "exit %d left %s\n%s" % (r.returncode, left, r.stderr))


@section
def install_in_home():
    prefix = os.path.join(HOME, ".local")
    r = make("install", PREFIX=prefix)
    report("make install PREFIX=$HOME/.local", r.returncode == 0,
           "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
    units = os.path.join(HOME, ".local", "share", "systemd", "user")
    service = os.path.join(units, "followup.service")
    timer = os.path.join(units, "followup.timer")
    report("PREFIX=$HOME/.local: units in ~/.local/share/systemd/user",
           os.path.isfile(service) and os.path.isfile(timer),
           str(os.listdir(os.path.join(HOME, ".local", "share"))
               if os.path.isdir(os.path.join(HOME, ".local", "share"))
               else "no ~/.local/share"))
    want = os.path.join(prefix, "bin", "followup") + " run"
    report("PREFIX=$HOME/.local: ExecStart=~/.local/bin/followup run",
           exec_start(service) == [want], repr(exec_start(service)))

    margs, menv = man_args(os.path.join(prefix, "share", "man"))
    r = analyze("verify", "--user", *margs, service, timer, **menv)
    report("PREFIX=$HOME/.local: systemd-analyze verify --user passes on "
           "the installed units", r.returncode == 0 and not r.stderr.strip(),
           "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))

    # The check is real: a unit whose binary is missing does not pass.
    os.rename(os.path.join(prefix, "bin", "followup"),
              os.path.join(prefix, "bin", "followup.away"))
    r = analyze("verify", "--user", "--man=no", service)
    os.rename(os.path.join(prefix, "bin", "followup.away"),
              os.path.join(prefix, "bin", "followup"))
    report("verify fails when ExecStart's binary is missing",
           r.returncode != 0 and "followup" in r.stderr,
           "exit %d\n%s" % (r.returncode, r.stderr))

    r = make("uninstall", PREFIX=prefix)
    report("make uninstall PREFIX=$HOME/.local removes the units",
           r.returncode == 0 and not os.path.exists(service) and
           not os.path.exists(timer), r.stderr)


@section
def security_score():
    service = os.path.join(TMP, "score", "followup.service")
    os.makedirs(os.path.dirname(service))
    with open(service, "w") as f:
        f.write(read(os.path.join(SRC, "systemd", "followup.service.in"))
                .replace("@BINDIR@", BUILD))
    r = analyze("security", "--offline=true", "--user", "--no-pager",
                service)
    m = re.search(r"Overall exposure level for followup\.service: "
                  r"([0-9.]+) (\w+)", r.stdout)
    if m:
        print("systemd-analyze security --offline=true --user "
              "followup.service: %s" % m.group(0))
    report("security: overall exposure %s is OK or better (<= %.1f)" % (
        m.group(1) + " " + m.group(2) if m else "?", OK_THRESHOLD),
        m is not None and float(m.group(1)) <= OK_THRESHOLD and
        m.group(2) in ("SAFE", "OK"),
        "exit %d\n%s%s" % (r.returncode, r.stdout[-3000:], r.stderr))


@section
def directives():
    for name, wanted in DIRECTIVES.items():
        src = name + ".in" if name.endswith(".service") else name
        have = settings(os.path.join(SRC, "systemd", src))
        missing = [w for w in wanted if w not in have]
        report("%s sets %s" % (name, ", ".join(wanted)), not missing,
               "missing %s" % missing)
    service = settings(os.path.join(SRC, "systemd", "followup.service.in"))
    report("followup.service loads no credential by default",
           not [s for s in service if s.startswith("LoadCredential")],
           "a LoadCredential= whose file is missing fails the unit")
    rw = " ".join(s for s in service if s.startswith("ReadWritePaths="))
    report("followup.service may write the state, cache and feed folders",
           all(p in rw for p in ("%h/.local/state/followup", "%C/followup",
                                 "%h/.local/share/followup")), rw)
    timer = settings(os.path.join(SRC, "systemd", "followup.timer"))
    spec = [s[len("OnCalendar="):] for s in timer
            if s.startswith("OnCalendar=")]
    r = analyze("calendar", "--iterations=14", *spec) if spec else None
    runs = re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ \S+ (\d\d):",
                      r.stdout) if r else []
    report("followup.timer: hourly from 08:00 to 20:00",
           r is not None and r.returncode == 0 and len(runs) == 14 and
           sorted(set(runs)) == ["%02d" % h for h in range(8, 21)],
           "%s -> %s" % (spec, runs))


def filter_groups(name):
    """The system calls of a SystemCallFilter= group, nested ones too."""
    r = analyze("syscall-filter", name)
    calls = set()
    for line in r.stdout.splitlines()[1:]:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        calls |= filter_groups(line) if line.startswith("@") else {line}
    return calls


@section
def system_calls():
    """What the unit's SystemCallFilter= allows covers what followup does:
    a scan, the feed, a notifier over HTTP (resolver thread, SQLite)."""
    service = settings(os.path.join(SRC, "systemd", "followup.service.in"))
    allow, deny = set(), set()
    for s in service:
        if s.startswith("SystemCallFilter="):
            v = s[len("SystemCallFilter="):]
            groups = v.lstrip("~").split()
            calls = set().union(*(filter_groups(g) if g.startswith("@")
                                  else {g} for g in groups))
            (deny if v.startswith("~") else allow).update(calls)
    allowed = allow - deny
    rec = t.Recorder(script=[{"status": 200}]).start()
    home = os.path.join(TMP, "strace-home")
    cfg = t.write(os.path.join(home, "config.yml"),
                  "notifiers:\n  - name: hook\n    url: json://%s/hook\n"
                  "    timeout: 5\n" % rec.hostport())
    log = os.path.join(TMP, "strace.log")
    environ = t.env(home=home, now=1768050000)
    # LeakSanitizer cannot run under ptrace (the -fsanitize build).
    environ["ASAN_OPTIONS"] = ":".join(filter(None, [
        environ.get("ASAN_OPTIONS"), "detect_leaks=0"]))
    common = ["--vault", t.VAULT, "--config", cfg, "--today", "2026-01-10"]
    help_run = subprocess.run([t.FOLLOWUP, "run", "--help"],
                              capture_output=True, env=environ)
    commands = [["run"] + common] if help_run.returncode == 0 else \
        [["ics"] + common, ["notify"] + common]
    used = set()
    for args in commands:
        r = subprocess.run(["strace", "-f", "-qq", "-o", log, t.FOLLOWUP] +
                           args, capture_output=True, text=True,
                           env=environ, timeout=300)
        if r.returncode not in (0, 65):
            report("followup %s under strace" % args[0], False,
                   "exit %d\n%s" % (r.returncode, r.stderr[-2000:]))
            return
        for line in read(log).splitlines():
            m = re.match(r"^(?:\d+ +)?([a-z0-9_]+)\(", line)
            if m:
                used.add(m.group(1))
    rec.stop()
    outside = sorted(used - allowed)
    if os.geteuid() == 0:
        # SQLite gives a journal it creates as root the owner of its
        # database (fchown, @chown): not as anyone else, and when denied
        # (EPERM, SystemCallErrorNumber=) it goes on.
        outside = [c for c in outside if c not in ("fchown",)]
    report("the system calls of followup %s are all allowed by the unit's "
           "SystemCallFilter= (%d used)" % (
               " and ".join(a[0] for a in commands), len(used)),
           len(allowed) > 100 and "read" in used and not outside,
           "not allowed: %s" % outside)


t.finish()
