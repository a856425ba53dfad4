#!/usr/bin/python3
"""followup's test runner.

    /usr/bin/python3 tests/run.py BUILD_DIR [FILTER]
    /usr/bin/python3 tests/run.py --selftest

Runs, in this order:
  1. every executable BUILD_DIR/tests/unit-*: each prints `PASS name` or
     `FAIL name: detail` lines; a crash or a non-zero exit without a FAIL line
     counts as one failure;
  2. every case folder in tests/cases/ (format: tests/README.md);
  3. every executable file in tests/integration/, with FOLLOWUP, BUILD_DIR and
     SRCDIR in its environment, counted like the unit tests.

FILTER keeps the tests whose name contains it (a case's name is its folder;
a unit test's is `unit-file/name`; an integration script runs when its file
name contains FILTER, or when FILTER is empty).

The last line is always `N passed, N failed`; the exit status is non-zero
when anything failed or nothing ran. Standard library only.
"""

import difflib
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

SRCDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES_DIR = os.path.join(SRCDIR, "tests", "cases")
INTEGRATION_DIR = os.path.join(SRCDIR, "tests", "integration")

CASE_TIMEOUT = 30
UNIT_TIMEOUT = 300
INTEGRATION_TIMEOUT = 600
DEFAULT_ARGS = ["status", "--format", "json", "--today", "2026-01-10"]
SUBSTRING_KEYS = ("message", "hint")
MAX_MISMATCHES = 25
MAX_DETAIL_LINES = 80
# Files of a case folder that the runner reads; anything else is an error
# (a typo such as `expected.json` would otherwise silently check nothing).
CASE_FILES = {"vault", "config.yml", "args", "exit", "expect.json", "stdout",
              "stderr", "stderr-not", "env", "about"}


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("PASS %s" % name)

    def fail(self, name, details=()):
        self.failed += 1
        print("FAIL %s" % name)
        for line in details:
            print("    " + line)


# ---------------------------------------------------------------- matching

def _path_key(path, key):
    if isinstance(key, int):
        return "%s[%d]" % (path, key)
    if key.replace("_", "").isalnum():
        return "%s.%s" % (path, key)
    return "%s[%s]" % (path, json.dumps(key))


def _short(value, limit=300):
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) > limit:
        text = text[:limit] + "..."
    return text


def _summary(item):
    """A one-line picture of a list element, for length mismatches."""
    if isinstance(item, dict):
        keys = [k for k in ("name", "path", "line", "text", "message")
                if k in item]
        if keys:
            return _short({k: item[k] for k in keys}, 200)
    return _short(item, 200)


def _scalar_equal(expected, actual):
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return expected == actual
    return type(expected) is type(actual) and expected == actual


def subset_mismatches(expected, actual, path="$", key=None, out=None):
    """Every way `actual` fails to match the subset `expected`, as lines."""
    if out is None:
        out = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            out.append("%s: expected an object, got %s" % (path, _short(actual)))
            return out
        for k, v in expected.items():
            sub = _path_key(path, k)
            if k not in actual:
                out.append("%s: missing (expected %s)" % (sub, _short(v)))
                continue
            subset_mismatches(v, actual[k], sub, k, out)
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            out.append("%s: expected a list, got %s" % (path, _short(actual)))
            return out
        if len(expected) != len(actual):
            out.append("%s: expected %d element(s), got %d"
                       % (path, len(expected), len(actual)))
            for i, item in enumerate(expected):
                out.append("      expected[%d] %s" % (i, _summary(item)))
            for i, item in enumerate(actual):
                out.append("      actual[%d]   %s" % (i, _summary(item)))
            return out
        for i, (e, a) in enumerate(zip(expected, actual)):
            subset_mismatches(e, a, _path_key(path, i), None, out)
        return out
    if key in SUBSTRING_KEYS and isinstance(expected, str):
        if not isinstance(actual, str) or expected.lower() not in actual.lower():
            out.append("%s: expected a string containing %s, got %s"
                       % (path, json.dumps(expected, ensure_ascii=False),
                          _short(actual)))
        return out
    if not _scalar_equal(expected, actual):
        out.append("%s: expected %s, got %s"
                   % (path, _short(expected), _short(actual)))
    return out


# ---------------------------------------------------------------- helpers

def _is_executable_file(path):
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and os.access(path, os.X_OK)


def _read_text(path):
    with open(path, "r", encoding="utf-8", newline="") as f:
        return f.read()


def _lines(path):
    """Non-empty lines of a file, without line ends."""
    return [l.rstrip("\r") for l in _read_text(path).split("\n")
            if l.rstrip("\r") != ""]


def _tree_hashes(root):
    """{relative path: sha256 or link target} for everything under root."""
    result = {}
    if not os.path.lexists(root):
        return result
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                result[rel] = "symlink -> " + os.readlink(full)
            elif stat.S_ISDIR(st.st_mode):
                result[rel + "/"] = "folder"
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                result[rel] = "sha256 " + h.hexdigest()
            else:
                result[rel] = "special file"
    return result


def _tree_changes(before, after):
    out = []
    for rel in sorted(set(before) | set(after)):
        if rel not in after:
            out.append("removed: %s" % rel)
        elif rel not in before:
            out.append("added: %s" % rel)
        elif before[rel] != after[rel]:
            out.append("changed: %s" % rel)
    return out


def _run(argv, env, cwd, timeout):
    """Run argv; return (status or None on timeout, stdout bytes, stderr bytes,
    a note about how it ended or None)."""
    try:
        proc = subprocess.Popen(argv, env=env, cwd=cwd,
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as e:
        return None, b"", b"", "cannot start %s: %s" % (argv[0], e.strerror)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        out, err = proc.communicate()
        return None, out, err, "timed out after %d s (killed)" % timeout
    note = None
    if proc.returncode < 0:
        try:
            signame = signal.Signals(-proc.returncode).name
        except ValueError:
            signame = "signal %d" % -proc.returncode
        note = "killed by %s" % signame
    return proc.returncode, out, err, note


def _decode(data):
    return data.decode("utf-8", errors="replace")


def _excerpt(text, limit=40):
    lines = text.splitlines()
    shown = ["| " + l for l in lines[:limit]]
    if len(lines) > limit:
        shown.append("| ... (%d more lines)" % (len(lines) - limit))
    return shown or ["| (empty)"]


# ---------------------------------------------------------------- PASS/FAIL programs

def run_reporting_program(tally, label, argv, env, cwd, timeout, name_filter,
                          whole_matches):
    """Run a program that prints PASS/FAIL lines and count them. The lines a
    program prints after a FAIL line (up to the next PASS/FAIL) are shown as
    that failure's details."""
    status, out, err, note = _run(argv, env, cwd, timeout)
    results = []                        # [ok, full name, details]
    for line in _decode(out).splitlines():
        line = line.rstrip("\r")
        if line.startswith("PASS "):
            results.append([True, line[5:].strip(), []])
        elif line.startswith("FAIL "):
            name, _, detail = line[5:].partition(": ")
            results.append([False, name.strip(), [detail] if detail else []])
        elif results and not results[-1][0] and line.strip():
            results[-1][2].append(line)
    saw_fail = any(not ok for ok, _, _ in results)
    counted = 0
    for ok, name, details in results:
        full = "%s/%s" % (label, name)
        if name_filter and not whole_matches and name_filter not in full:
            continue
        counted += 1
        if ok:
            tally.ok(full)
        else:
            if len(details) > MAX_DETAIL_LINES:
                details = details[:MAX_DETAIL_LINES] + [
                    "... (%d more lines)" % (len(details) - MAX_DETAIL_LINES)]
            tally.fail(full, details)
    if not (whole_matches or counted):
        return
    problem = None
    if note:
        problem = note
    elif status != 0 and not saw_fail:
        problem = "exited with status %d and printed no FAIL line" % status
    elif status == 0 and counted == 0:
        problem = "printed no PASS or FAIL line"
    if problem:
        details = [problem] + _excerpt(_decode(err), 30)
        tally.fail(label, details)


def run_units(tally, build_dir, name_filter):
    tests_dir = os.path.join(build_dir, "tests")
    try:
        names = sorted(os.listdir(tests_dir))
    except OSError:
        return
    for name in names:
        path = os.path.join(tests_dir, name)
        if not name.startswith("unit-") or not _is_executable_file(path):
            continue
        whole = not name_filter or name_filter in name
        run_reporting_program(tally, name, [path], dict(os.environ),
                              tests_dir, UNIT_TIMEOUT, name_filter, whole)


def run_integration(tally, build_dir, name_filter):
    try:
        names = sorted(os.listdir(INTEGRATION_DIR))
    except OSError:
        return
    for name in names:
        path = os.path.join(INTEGRATION_DIR, name)
        if not _is_executable_file(path):
            continue
        if name_filter and name_filter not in name:
            continue
        label = "integration/" + name
        with tempfile.TemporaryDirectory(prefix="followup-it-") as tmp:
            env = dict(os.environ)
            env.update({
                "FOLLOWUP": os.path.join(build_dir, "followup"),
                "BUILD_DIR": build_dir,
                "SRCDIR": SRCDIR,
                "TMPDIR": tmp,
            })
            for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME",
                        "XDG_DATA_HOME", "XDG_CACHE_HOME"):
                d = os.path.join(tmp, var.lower())
                os.mkdir(d)
                env[var] = d
            run_reporting_program(tally, label, [path], env, tmp,
                                  INTEGRATION_TIMEOUT, name_filter, True)


# ---------------------------------------------------------------- cases

def _case_args(case_dir, vault_dir, config_path):
    args_file = os.path.join(case_dir, "args")
    if os.path.exists(args_file):
        args = _lines(args_file)
    else:
        args = list(DEFAULT_ARGS)
    args = [a.replace("{case}", case_dir).replace("{vault}", vault_dir)
            for a in args]
    if not any(a == "--vault" or a.startswith("--vault=") for a in args):
        args += ["--vault", vault_dir]
    if config_path and not any(a == "--config" or a.startswith("--config=")
                               for a in args):
        args += ["--config", config_path]
    return args


def run_case(build_dir, case_dir):
    """Run one case; return a list of problems (empty: passed)."""
    problems = []
    unknown = sorted(set(os.listdir(case_dir)) - CASE_FILES)
    if unknown:
        return ["unknown file(s) in the case folder: %s (known: %s)"
                % (", ".join(unknown), ", ".join(sorted(CASE_FILES)))]
    binary = os.path.join(build_dir, "followup")
    if not _is_executable_file(binary):
        return ["no executable %s (build first)" % binary]

    expect = None
    expect_file = os.path.join(case_dir, "expect.json")
    if os.path.exists(expect_file):
        try:
            expect = json.loads(_read_text(expect_file))
        except ValueError as e:
            return ["expect.json is not valid JSON: %s" % e]

    with tempfile.TemporaryDirectory(prefix="followup-case-") as tmp:
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        env["HOME"] = home
        for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME",
                    "XDG_CACHE_HOME"):
            d = os.path.join(tmp, var.lower())
            os.mkdir(d)
            env[var] = d
        env["TMPDIR"] = tmp

        # The command runs on a copy of the vault, so a program that writes
        # can never damage the fixtures; the copy is what gets hashed.
        src_vault = os.path.join(case_dir, "vault")
        vault_dir = os.path.join(tmp, "vault")
        if os.path.isdir(src_vault):
            shutil.copytree(src_vault, vault_dir, symlinks=True)
        config_path = os.path.join(case_dir, "config.yml")
        if not os.path.exists(config_path):
            config_path = None

        env_file = os.path.join(case_dir, "env")
        if os.path.exists(env_file):
            for line in _lines(env_file):
                name, eq, value = line.partition("=")
                if not eq:
                    return ["env: line without '=': %r" % line]
                env[name] = (value.replace("{case}", case_dir)
                             .replace("{vault}", vault_dir))

        argv = [binary] + _case_args(case_dir, vault_dir, config_path)
        before = _tree_hashes(vault_dir)
        status, out, err, note = _run(argv, env, tmp, CASE_TIMEOUT)
        after = _tree_hashes(vault_dir)

    stdout, stderr = _decode(out), _decode(err)
    shown_cmd = " ".join(argv).replace(tmp, "$TMP")
    if note:
        problems.append(note)
    else:
        want = 0
        exit_file = os.path.join(case_dir, "exit")
        if os.path.exists(exit_file):
            want = int(_read_text(exit_file).strip())
        if status != want:
            problems.append("exit status: expected %d, got %d" % (want, status))

    changes = _tree_changes(before, after)
    if changes:
        problems.append("the vault changed:")
        problems += ["  " + c for c in changes]

    if expect is not None:
        try:
            actual = json.loads(stdout)
        except ValueError as e:
            problems.append("stdout is not JSON (%s):" % e)
            problems += _excerpt(stdout)
        else:
            mism = subset_mismatches(expect, actual)
            if mism:
                problems.append("expect.json does not match stdout:")
                problems += ["  " + m for m in mism[:MAX_MISMATCHES]]
                if len(mism) > MAX_MISMATCHES:
                    problems.append("  ... %d more" % (len(mism) - MAX_MISMATCHES))

    stdout_file = os.path.join(case_dir, "stdout")
    if os.path.exists(stdout_file):
        want = _read_text(stdout_file)
        if stdout != want:
            problems.append("stdout differs (- expected, + actual):")
            problems += ["  " + l.rstrip("\n") for l in difflib.unified_diff(
                want.splitlines(True), stdout.splitlines(True),
                "expected", "actual", n=2)]

    stderr_file = os.path.join(case_dir, "stderr")
    if os.path.exists(stderr_file):
        missing = [l for l in _lines(stderr_file) if l not in stderr]
        if missing:
            problems.append("stderr lacks:")
            problems += ["  %s" % json.dumps(l, ensure_ascii=False) for l in missing]
    notfile = os.path.join(case_dir, "stderr-not")
    if os.path.exists(notfile):
        present = [l for l in _lines(notfile) if l in stderr]
        if present:
            problems.append("stderr holds what it must not:")
            problems += ["  %s" % json.dumps(l, ensure_ascii=False) for l in present]

    if problems:
        problems.insert(0, "command: %s" % shown_cmd)
        if stderr.strip() and not any(p.startswith("stderr") for p in problems):
            problems.append("stderr:")
            problems += _excerpt(stderr, 15)
    return problems


def run_cases(tally, build_dir, name_filter):
    try:
        names = sorted(os.listdir(CASES_DIR))
    except OSError:
        return
    for name in names:
        case_dir = os.path.join(CASES_DIR, name)
        if not os.path.isdir(case_dir):
            continue
        if name_filter and name_filter not in name:
            continue
        try:
            problems = run_case(build_dir, case_dir)
        except Exception as e:  # a broken case must not stop the others
            problems = ["runner error: %s: %s" % (type(e).__name__, e)]
        if problems:
            about = os.path.join(case_dir, "about")
            if os.path.exists(about):
                problems.insert(0, "pins: " + " ".join(_lines(about)))
            tally.fail(name, problems)
        else:
            tally.ok(name)


# ---------------------------------------------------------------- self-test

def selftest():
    m = subset_mismatches
    checks = [
        (m({"a": 1}, {"a": 1, "b": 2}), 0),
        (m({"a": 1}, {"a": 2}), 1),
        (m({"a": 1}, {}), 1),
        (m({"a": None}, {"a": None}), 0),
        (m({"a": None}, {}), 1),
        (m({"a": None}, {"a": 0}), 1),
        (m({"a": 0}, {"a": False}), 1),
        (m({"a": True}, {"a": True}), 0),
        (m({"a": 1}, {"a": 1.0}), 0),
        (m({"a": "1"}, {"a": 1}), 1),
        (m([1, 2], [1, 2]), 0),
        (m([1], [1, 2]), 1),
        (m([], []), 0),
        (m([{"n": 1}], [{"n": 1, "x": 2}]), 0),
        (m({"message": "Date"}, {"message": "bad DATE here"}), 0),
        (m({"message": "date"}, {"message": "bad"}), 1),
        (m({"message": "date"}, {"message": None}), 1),
        (m({"hint": "cold"}, {"hint": "did you mean cold_factor?"}), 0),
        (m({"text": "Date"}, {"text": "date"}), 1),
        (m({"text": "a"}, {"text": "abc"}), 1),
        (m({"x": {"y": [1]}}, {"x": {"y": [1]}}), 0),
        (m({"x": {"y": [1]}}, {"x": {"y": [2]}}), 1),
        (m({"x": []}, {"x": None}), 1),
        (m({"x": {}}, {"x": {"any": 1}}), 0),
    ]
    # n: 0 when the subset matches, 1 when it does not
    bad = [(i, r) for i, (r, n) in enumerate(checks) if bool(r) != bool(n)]
    for i, r in bad:
        print("selftest %d: %r" % (i, r))
    path = m({"contacts": [{"name": "A"}, {"due": "x"}]},
             {"contacts": [{"name": "A"}, {"due": "y"}]})
    if path != ['$.contacts[1].due: expected "x", got "y"']:
        bad.append(None)
        print("selftest path: %r" % path)
    passed = len(checks) + 1 - len(bad)
    print("%d passed, %d failed" % (passed, len(bad)))
    return 1 if bad else 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--selftest":
        return selftest()
    if len(argv) not in (2, 3) or argv[1].startswith("-"):
        sys.stderr.write("usage: %s BUILD_DIR [FILTER] | --selftest\n" % argv[0])
        print("0 passed, 1 failed")
        return 2
    build_dir = os.path.abspath(argv[1])
    name_filter = argv[2] if len(argv) == 3 else ""
    tally = Tally()
    sys.stdout.reconfigure(line_buffering=True)
    run_units(tally, build_dir, name_filter)
    run_cases(tally, build_dir, name_filter)
    run_integration(tally, build_dir, name_filter)
    if tally.passed + tally.failed == 0:
        sys.stderr.write("no test ran%s\n" % (
            " (filter %r)" % name_filter if name_filter else ""))
    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 1 if tally.failed or tally.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
