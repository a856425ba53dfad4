#!/usr/bin/python3
"""followup's test runner.

    /usr/bin/python3 tests/run.py BUILD_DIR [FILTER]
    /usr/bin/python3 tests/run.py --selftest    (the matchers' own tests)

Runs, in this order:
  1. every executable BUILD_DIR/tests/unit-*: each prints `PASS name` or
     `FAIL name: detail` lines; a crash or a non-zero exit without a FAIL line
     counts as one failure;
  2. every case folder in tests/cases/ (format: tests/README.md), twice:
     cold (an empty scan cache), then warm (the cache filled by a scan of
     the same vault, which the command must take its notes from), each
     reported on its own line (`PASS NAME`, `PASS NAME (warm)`);
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
import http.server
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

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
              "stderr", "stderr-not", "env", "about", "reply", "requests.json",
              "files", "vault-after", "absent"}
# Not passed on to a case's command: a request to the recorder must not
# go through a proxy.
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


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


def subset_mismatches(expected, actual, path="$", key=None, out=None,
                      substring_keys=SUBSTRING_KEYS):
    """Every way `actual` fails to match the subset `expected`, as lines.
    Strings under the keys substring_keys match as substrings."""
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
            subset_mismatches(v, actual[k], sub, k, out, substring_keys)
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
            subset_mismatches(e, a, _path_key(path, i), None, out,
                              substring_keys)
        return out
    if key in substring_keys and isinstance(expected, str):
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
    """{relative path: (kind, sha256 or link target, permission bits)} for
    everything under root; a folder's path ends with /."""
    result = {}
    if not os.path.lexists(root):
        return result
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                result[rel] = ("symlink", "-> " + os.readlink(full), None)
            elif stat.S_ISDIR(st.st_mode):
                result[rel + "/"] = ("folder", "", mode)
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                result[rel] = ("file", "sha256 " + h.hexdigest(), mode)
            else:
                result[rel] = ("special file", "", None)
    return result


def _tree_changes(before, after):
    out = []
    for rel in sorted(set(before) | set(after)):
        if rel not in after:
            out.append("removed: %s" % rel)
        elif rel not in before:
            out.append("added: %s" % rel)
        elif before[rel][:2] != after[rel][:2]:
            out.append("changed: %s" % rel)
        elif before[rel] != after[rel]:
            out.append("mode changed: %s (%04o -> %04o)"
                       % (rel, before[rel][2], after[rel][2]))
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


# ---------------------------------------------------------------- recorder

REPLY_KEYS = ("status", "headers", "body", "delay")
REQUEST_KEYS = ("method", "path", "query", "headers", "body", "body-contains")


def _reply_body(step):
    """A reply step's body as bytes and whether it was written as JSON."""
    if "body" not in step:
        return b"", False
    body = step["body"]
    if isinstance(body, str):
        return body.encode("utf-8"), False
    return json.dumps(body, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8"), True


class Recorder:
    """A loopback HTTP server (127.0.0.1, a port of its own) that records
    every request and answers from a script: a list of replies used in
    turn, the last one repeated (format: tests/README.md, `reply`)."""

    def __init__(self, script):
        self.script = script
        self.turn = 0
        self.requests = []      # {"method", "target", "headers", "body"}
        self.lock = threading.Lock()
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _body(self):
                if "chunked" in self.headers.get("Transfer-Encoding",
                                                 "").lower():
                    parts = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0]
                                   .strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline().strip():
                                pass    # trailers
                            return b"".join(parts)
                        parts.append(self.rfile.read(size))
                        self.rfile.readline()
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _any(self):
                body = self._body()
                with rec.lock:
                    step = rec.script[min(rec.turn, len(rec.script) - 1)]
                    rec.turn += 1
                    rec.requests.append({
                        "method": self.command, "target": self.path,
                        "headers": list(self.headers.items()),
                        "body": body})
                if step.get("delay"):
                    time.sleep(step["delay"])
                out, is_json = _reply_body(step)
                headers = step.get("headers", {})
                self.send_response(step.get("status", 200))
                for k, v in headers.items():
                    self.send_header(k, v)
                if is_json and not any(k.lower() == "content-type"
                                       for k in headers):
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any
            do_HEAD = do_OPTIONS = do_PROPFIND = _any

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass    # a client gone before the answer (killed, timed out)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        # A short poll: stop() waits for it.
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       args=(0.02,), daemon=True)
        self.thread.start()

    def reset(self):
        with self.lock:
            self.turn = 0
            self.requests = []

    def taken(self):
        with self.lock:
            return list(self.requests)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _objects_with_keys(items, name, known, out):
    """The elements of the list `items` (of the file `name`) that are
    objects of known keys only, with where each stands; the others are
    problems added to out."""
    good = []
    for i, item in enumerate(items):
        where = "%s[%d]" % (name, i)
        if not isinstance(item, dict):
            out.append("%s: expected an object" % where)
            continue
        unknown = sorted(set(item) - set(known))
        if unknown:
            out.append("%s: unknown key(s) %s (known: %s)"
                       % (where, ", ".join(unknown), ", ".join(known)))
        good.append((where, item))
    return good


def _check_reply(script):
    """Problems with a parsed `reply` (empty: usable)."""
    if not isinstance(script, list) or not script:
        return ["reply: expected a non-empty JSON list of replies"]
    out = []
    for where, step in _objects_with_keys(script, "reply", REPLY_KEYS, out):
        status = step.get("status", 200)
        if not (isinstance(status, int) and not isinstance(status, bool)
                and 100 <= status <= 599):
            out.append("%s.status: expected a number 100-599" % where)
        headers = step.get("headers", {})
        if not (isinstance(headers, dict) and
                all(isinstance(v, str) for v in headers.values())):
            out.append("%s.headers: expected an object of strings" % where)
        delay = step.get("delay", 0)
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) \
                or not 0 <= delay <= CASE_TIMEOUT:
            out.append("%s.delay: expected seconds, 0 to %d"
                       % (where, CASE_TIMEOUT))
    return out


def _request_summary(req):
    body = req["body"]
    text = _decode(body)
    shown = text if len(text) <= 100 else text[:100] + "..."
    return "%s %s (%d byte body%s)" % (
        req["method"], req["target"], len(body),
        ": " + json.dumps(shown, ensure_ascii=False) if body else "")


def _request_picture(req):
    """A failing request in full, as the lines a fix needs."""
    lines = ["%s %s" % (req["method"], req["target"])]
    lines += ["%s: %s" % hv for hv in req["headers"]]
    text = _decode(req["body"])
    try:
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=1,
                          sort_keys=True)
    except ValueError:
        pass
    if text:
        lines.append("")
        lines += text.splitlines()
    lines = [l if len(l) <= 300 else l[:300] + "... (%d more characters)"
             % (len(l) - 300) for l in lines]
    return _excerpt("\n".join(lines), 60)


def _strings(doc):
    """Every string in a JSON document, keys included."""
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v)
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from _strings(v)


def _parsed_query(query):
    """{name: value} (a list when a name repeats) of a raw query string."""
    out = {}
    for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True):
        if k in out:
            out[k] = (out[k] if isinstance(out[k], list) else [out[k]]) + [v]
        else:
            out[k] = v
    return out


def _text_difference(label, want, got):
    if "\n" not in want.rstrip("\n") and "\n" not in got.rstrip("\n"):
        return ["%s: expected %s, got %s" % (
            label, json.dumps(want, ensure_ascii=False),
            json.dumps(got, ensure_ascii=False))]
    return ["%s differs (- expected, + actual):" % label] + [
        "  " + l.rstrip("\n") for l in difflib.unified_diff(
            want.splitlines(True), got.splitlines(True), "expected",
            "actual", n=2)]


def request_mismatches(expected, actual):
    """Every way the recorded requests fail requests.json, as lines."""
    out = []
    if len(expected) != len(actual):
        out.append("expected %d request(s), got %d:"
                   % (len(expected), len(actual)))
        for i, req in enumerate(actual):
            out.append("  actual[%d]   %s" % (i, _request_summary(req)))
        return out
    for i, (want, req) in enumerate(zip(expected, actual)):
        where = "$[%d]" % i
        mism = []
        path, _, query = req["target"].partition("?")
        if "method" in want and want["method"] != req["method"]:
            mism.append("%s.method: expected %s, got %s" % (
                where, json.dumps(want["method"]), json.dumps(req["method"])))
        if "path" in want and want["path"] != path:
            mism.append("%s.path: expected %s, got %s" % (
                where, json.dumps(want["path"], ensure_ascii=False),
                json.dumps(path, ensure_ascii=False)))
        if "query" in want:
            if isinstance(want["query"], str):
                if want["query"] != query:
                    mism.append("%s.query: expected %s, got %s" % (
                        where, json.dumps(want["query"], ensure_ascii=False),
                        json.dumps(query, ensure_ascii=False)))
            else:
                subset_mismatches(want["query"], _parsed_query(query),
                                  where + ".query", None, mism, ())
        for name, value in want.get("headers", {}).items():
            got = [v for k, v in req["headers"] if k.lower() == name.lower()]
            label = "%s.headers[%s]" % (where, json.dumps(name))
            if value is None:
                if got:
                    mism.append("%s: expected no such header, got %s"
                                % (label, json.dumps(", ".join(got))))
            elif not got:
                mism.append("%s: missing (expected %s)"
                            % (label, json.dumps(value, ensure_ascii=False)))
            elif ", ".join(got) != value:
                mism.append("%s: expected %s, got %s" % (
                    label, json.dumps(value, ensure_ascii=False),
                    json.dumps(", ".join(got), ensure_ascii=False)))
        text = _decode(req["body"])
        try:
            doc, json_error = json.loads(text), None
        except ValueError as e:
            doc, json_error = None, e
        if "body" in want:
            if isinstance(want["body"], str):
                if want["body"] != text:
                    mism += _text_difference(where + ".body", want["body"],
                                             text)
            elif json_error:
                mism.append("%s.body: expected JSON, got text (%s)"
                            % (where, json_error))
            else:
                subset_mismatches(want["body"], doc, where + ".body",
                                  None, mism, ())
        # In a JSON body, a part is looked for in its strings, decoded.
        strings = [text] if json_error else list(_strings(doc))
        for part in want.get("body-contains", []):
            if not any(part in s for s in strings):
                mism.append("%s.body: %s %s" % (
                    where, "lacks" if json_error else "no string of it holds",
                    json.dumps(part, ensure_ascii=False)))
        if mism:
            out += mism[:MAX_MISMATCHES]
            if len(mism) > MAX_MISMATCHES:
                out.append("... %d more" % (len(mism) - MAX_MISMATCHES))
            out.append("  the request %d as it came:" % i)
            out += ["  " + l for l in _request_picture(req)]
    return out


def _check_requests(expected):
    if not isinstance(expected, list):
        return ["requests.json: expected a list of requests"]
    out = []
    for where, want in _objects_with_keys(expected, "requests.json",
                                          REQUEST_KEYS, out):
        for key in ("method", "path"):
            if key in want and not isinstance(want[key], str):
                out.append("%s.%s: expected a string" % (where, key))
        if "query" in want and not isinstance(want["query"], (str, dict)):
            out.append("%s.query: expected a string or an object" % where)
        headers = want.get("headers", {})
        if not (isinstance(headers, dict) and all(
                v is None or isinstance(v, str) for v in headers.values())):
            out.append("%s.headers: expected an object of strings or null"
                       % where)
        contains = want.get("body-contains", [])
        if not (isinstance(contains, list) and
                all(isinstance(s, str) for s in contains)):
            out.append("%s.body-contains: expected a list of strings" % where)
    return out


# ---------------------------------------------------------------- cases

def _fill(value, subst):
    """value with every placeholder replaced, through lists and objects."""
    if isinstance(value, str):
        for k, v in subst.items():
            value = value.replace(k, v)
        return value
    if isinstance(value, list):
        return [_fill(v, subst) for v in value]
    if isinstance(value, dict):
        return {_fill(k, subst): _fill(v, subst) for k, v in value.items()}
    return value


UNIQUE = "{unique}"


def _unique_match(want, got):
    """The match of got against want, each {unique} in want standing for
    16 hex digits that differ from run to run (a Message-ID's own part),
    every other byte compared; None when it does not match."""
    pattern = "([0-9a-f]{16})".join(re.escape(p)
                                    for p in want.split(UNIQUE))
    return re.fullmatch(pattern, got, re.S)


def _same_but_unique(want, got):
    if UNIQUE not in want:
        return got == want
    return _unique_match(want, got) is not None


def _without_unique(want, got):
    """got with what matched want's {unique}s put back as {unique}, so that
    two runs compare equal but for them."""
    m = _unique_match(want, got) if UNIQUE in want else None
    if m is None:
        return got
    out, at = [], 0
    for g in range(1, m.lastindex + 1):
        out += [got[at:m.start(g)], UNIQUE]
        at = m.end(g)
    return "".join(out) + got[at:]


def _option(args, name):
    """The value of --name in args (as --name V or --name=V), or None."""
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a[len(name) + 1:]
    return None


def _mentions(args, name):
    return any(a == name or a.startswith(name + "=") for a in args)


class Case:
    """A case folder, read once: the same for its cold and warm runs."""

    def __init__(self, case_dir):
        self.dir = case_dir
        self.name = os.path.basename(case_dir)
        self.problems = []
        names = set(os.listdir(case_dir))
        unknown = sorted(names - CASE_FILES)
        if unknown:
            self.problems.append(
                "unknown file(s) in the case folder: %s (known: %s)"
                % (", ".join(unknown), ", ".join(sorted(CASE_FILES))))
            return
        self.has = names
        self.vault = os.path.join(case_dir, "vault")
        self.expect = self._json("expect.json")
        self.reply = self._json("reply")
        self.requests = self._json("requests.json")
        if self.reply is not None:
            self.problems += _check_reply(self.reply)
            if self.requests is None:
                self.problems.append(
                    "reply without requests.json: say what the recorder "
                    "must receive ([] for nothing)")
        if self.requests is not None:
            self.problems += _check_requests(self.requests)
        self.uses_recorder = self.requests is not None
        for d in ("files", "vault-after"):
            p = os.path.join(case_dir, d)
            if d in names and not os.path.isdir(p):
                self.problems.append("%s must be a folder" % d)
        if os.path.isdir(os.path.join(case_dir, "files", "vault")):
            self.problems.append("files/vault/: the vault after the command "
                                 "is vault-after/")
        self.want_exit = 0
        if "exit" in names:
            try:
                self.want_exit = int(self._text("exit").strip())
            except ValueError:
                self.problems.append("exit: not a number")
        self.raw_args = (_lines(os.path.join(case_dir, "args"))
                         if "args" in names else list(DEFAULT_ARGS))
        self.env_lines = (_lines(os.path.join(case_dir, "env"))
                          if "env" in names else [])
        for line in self.env_lines:
            if "=" not in line:
                self.problems.append("env: line without '=': %r" % line)
        if self.uses_recorder:
            return
        for what, text in ([("args", a) for a in self.raw_args] +
                           [("env", e) for e in self.env_lines] +
                           [(f, self._text(f)) for f in
                            ("config.yml", "stdout", "stderr", "stderr-not",
                             "absent") if f in names]):
            if "{port}" in text:
                self.problems.append("%s uses {port} but the case has no "
                                     "requests.json (no recorder)" % what)
                break

    def _text(self, name):
        return _read_text(os.path.join(self.dir, name))

    def _json(self, name):
        if name not in self.has:
            return None
        try:
            return json.loads(self._text(name))
        except ValueError as e:
            self.problems.append("%s is not valid JSON: %s" % (name, e))
            return None

    def about(self):
        p = os.path.join(self.dir, "about")
        return " ".join(_lines(p)) if os.path.exists(p) else None


class Run:
    """One run of a case in a temporary folder: the command and what it
    left behind."""
    status = None
    note = None
    stdout = stderr = ""
    requests = ()


def _prepare_folder(case, tmp):
    """Make the case's temporary folder: HOME, the XDG folders and a copy
    of the vault (unless there already is one)."""
    for d in ("home", "xdg_config_home", "xdg_state_home", "xdg_data_home",
              "xdg_cache_home"):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    vault = os.path.join(tmp, "vault")
    if os.path.isdir(case.vault) and not os.path.lexists(vault):
        shutil.copytree(case.vault, vault, symlinks=True)


def _setup(case, tmp, port):
    """(argv without the binary, env, placeholders) for a run in tmp."""
    subst = {"{case}": case.dir, "{vault}": os.path.join(tmp, "vault"),
             "{tmp}": tmp}
    if port is not None:
        subst["{port}"] = str(port)
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in PROXY_VARS}
    env.pop("NO_COLOR", None)
    env["HOME"] = os.path.join(tmp, "home")
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME",
                "XDG_CACHE_HOME"):
        env[var] = os.path.join(tmp, var.lower())
    env["TMPDIR"] = tmp
    for line in case.env_lines:
        name, _, value = line.partition("=")
        env[name] = _fill(value, subst)
    args = _fill(case.raw_args, subst)
    if not _mentions(args, "--vault"):
        args += ["--vault", subst["{vault}"]]
    if "config.yml" in case.has:
        # Filled in and readable by its owner only: followup refuses a
        # config holding a URL that others can read.
        config = os.path.join(tmp, "config.yml")
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(_fill(case._text("config.yml"), subst))
        os.chmod(config, 0o600)
        if not _mentions(args, "--config"):
            args += ["--config", config]
    return args, env, subst


def _run_in(case, binary, tmp, recorder):
    """Run the case's command in tmp (prepared); return a Run."""
    run = Run()
    run.tmp = tmp
    run.args, run.env, run.subst = _setup(
        case, tmp, recorder.port if recorder else None)
    run.argv = [binary] + run.args
    vault = run.subst["{vault}"]
    run.before = _tree_hashes(vault)
    if recorder:
        recorder.reset()
    status, out, err, run.note = _run(run.argv, run.env, tmp, CASE_TIMEOUT)
    run.status = status
    run.after = _tree_hashes(vault)
    run.stdout, run.stderr = _decode(out), _decode(err)
    if recorder:
        run.requests = recorder.taken()
    run.files = _compare_files(case, tmp)
    run.absent = [p for p in _absent_paths(case, run.subst)
                  if os.path.lexists(os.path.join(tmp, p))]
    return run


def _absent_paths(case, subst):
    if "absent" not in case.has:
        return []
    return [_fill(l, subst) for l in _lines(os.path.join(case.dir, "absent"))]


DTSTAMP = re.compile(rb"(?m)^DTSTAMP[:;][^\r\n]*")


def _mask_dtstamp(data):
    return DTSTAMP.sub(b"DTSTAMP:(masked)", data)


def _byte_lines(data):
    """Bytes as lines that show every byte (CR, BOM, ...), for a diff."""
    return [repr(l)[2:-1] + "\n" for l in data.splitlines(True)]


def _bytes_difference(label, want, got):
    return ["%s differs (- expected, + actual, bytes shown escaped):"
            % label] + ["  " + l.rstrip("\n") for l in difflib.unified_diff(
                _byte_lines(want), _byte_lines(got), "expected", "actual",
                n=2)][:MAX_DETAIL_LINES]


def _compare_files(case, tmp):
    """Differences between files/ and the temporary folder, as lines."""
    root = os.path.join(case.dir, "files")
    if not os.path.isdir(root):
        return []
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            with open(os.path.join(root, rel), "rb") as f:
                want = _mask_dtstamp(f.read())
            path = os.path.join(tmp, rel)
            if not os.path.isfile(path):
                out.append("files/%s: no such file after the command" % rel)
                continue
            with open(path, "rb") as f:
                got = _mask_dtstamp(f.read())
            if got != want:
                out += _bytes_difference("files/" + rel, want, got)
    return out


def _vault_problems(case, run):
    """The vault after the command against vault-after/, or unchanged."""
    if "vault-after" not in case.has:
        changes = _tree_changes(run.before, run.after)
        return ["the vault changed:"] + ["  " + c for c in changes] \
            if changes else []
    want_root = os.path.join(case.dir, "vault-after")
    got_root = run.subst["{vault}"]
    want, got = _tree_hashes(want_root), run.after
    out = []
    for rel in sorted(set(want) | set(got)):
        w, g = want.get(rel), got.get(rel)
        if g is None:
            out.append("missing: %s (vault-after/ has it)" % rel)
        elif w is None:
            out.append("unexpected: %s (not in vault-after/)" % rel)
        elif w[0] != g[0]:
            out.append("%s: expected %s, got %s" % (rel, w[0], g[0]))
        elif w[1] != g[1]:
            if g[0] == "file":
                with open(os.path.join(want_root, rel), "rb") as f:
                    wb = f.read()
                with open(os.path.join(got_root, rel), "rb") as f:
                    gb = f.read()
                out += _bytes_difference(rel, wb, gb)
            else:
                out.append("%s: expected %s, got %s" % (rel, w[1], g[1]))
    for rel in sorted(set(run.before) & set(got)):
        b, g = run.before[rel], got[rel]
        if b[0] == g[0] == "file" and b[2] != g[2]:
            out.append("%s: mode changed from %04o to %04o"
                       % (rel, b[2], g[2]))
    return ["the vault differs from vault-after/:"] + ["  " + p for p in out] \
        if out else []


def _check_run(case, run):
    """Every check of the case on one run, as problem lines."""
    problems = []
    if run.note:
        problems.append(run.note)
    elif run.status != case.want_exit:
        problems.append("exit status: expected %d, got %d"
                        % (case.want_exit, run.status))
    problems += _vault_problems(case, run)
    stdout, stderr = run.stdout, run.stderr
    if case.expect is not None:
        try:
            actual = json.loads(stdout)
        except ValueError as e:
            problems.append("stdout is not JSON (%s):" % e)
            problems += _excerpt(stdout)
        else:
            mism = subset_mismatches(_fill(case.expect, run.subst), actual)
            if mism:
                problems.append("expect.json does not match stdout:")
                problems += ["  " + m for m in mism[:MAX_MISMATCHES]]
                if len(mism) > MAX_MISMATCHES:
                    problems.append("  ... %d more"
                                    % (len(mism) - MAX_MISMATCHES))
    if "stdout" in case.has:
        want = _fill(case._text("stdout"), run.subst)
        if not _same_but_unique(want, stdout):
            problems.append("stdout differs (- expected, + actual):")
            problems += ["  " + l.rstrip("\n") for l in difflib.unified_diff(
                want.splitlines(True), stdout.splitlines(True),
                "expected", "actual", n=2)]
    if "stderr" in case.has and case._text("stderr") == "":
        if stderr:
            problems.append("stderr: expected nothing (the file is empty), "
                            "got:")
            problems += _excerpt(stderr, 15)
    elif "stderr" in case.has:
        missing = [l for l in _fill(_lines(os.path.join(case.dir, "stderr")),
                                    run.subst) if l not in stderr]
        if missing:
            problems.append("stderr lacks:")
            problems += ["  %s" % json.dumps(l, ensure_ascii=False)
                         for l in missing]
    if "stderr-not" in case.has:
        present = [l for l in _fill(_lines(os.path.join(case.dir,
                                                        "stderr-not")),
                                    run.subst) if l in stderr]
        if present:
            problems.append("stderr holds what it must not:")
            problems += ["  %s" % json.dumps(l, ensure_ascii=False)
                         for l in present]
    if case.requests is not None:
        mism = request_mismatches(_fill(case.requests, run.subst),
                                  run.requests)
        if mism:
            problems.append("requests.json does not match what the "
                            "recorder received:")
            problems += ["  " + m for m in mism]
    if run.files:
        problems.append("files/ does not match:")
        problems += ["  " + m for m in run.files]
    if run.absent:
        problems.append("present but listed in absent:")
        problems += ["  " + p for p in run.absent]
    return problems


def _with_context(problems, run):
    """problems, led by the command and followed by stderr when useful."""
    if not problems:
        return problems
    problems.insert(0, "command: %s" % _masked(" ".join(run.argv), run.tmp))
    if run.stderr.strip() and not any(p.startswith("stderr")
                                      for p in problems):
        problems.append("stderr:")
        problems += _excerpt(run.stderr, 15)
    return problems


# libcurl's messages say how long a request took before it failed
# ("Operation timed out after 1001 milliseconds", "after 0 ms"): the one
# thing of the outputs that differs from run to run.
ELAPSED = re.compile(r"\bafter [0-9]+ (ms|milliseconds)\b")


def _unclocked(text):
    return ELAPSED.sub(r"after N \1", text)


def _masked(text, tmp):
    """text with the temporary folder's path as $TMP."""
    for p in sorted({os.path.realpath(tmp), tmp}, key=len, reverse=True):
        text = text.replace(p, "$TMP")
    return text


# ---------------------------------------------------------------- warm runs
#
# Every case runs a second time, warm: in a folder of its own whose vault
# copy was made before the cold runs started (so that it is more than a
# second old: the cache trusts a row only then), after a `status --format
# json` scan of the same vault that fills the scan cache. The result must
# be the cold run's, and every row the priming wrote must still be there,
# with the same read_ns: the command took those notes from the cache.

CACHE_DB = os.path.join("xdg_state_home", "followup", "scan-cache.db")
AGE_NS = 1100 * 1000 * 1000     # the cache's one second, and a margin


def _newest_change_ns(root):
    newest = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    return newest


def _cache_rows(tmp):
    """{(vault, path): read_ns} of the scan cache in tmp; None when there
    is no cache."""
    path = os.path.join(tmp, CACHE_DB)
    if not os.path.exists(path):
        return None
    # Read-only; immutable (no -shm made, nothing locked) unless a WAL
    # still holds part of the database.
    wal = path + "-wal"
    mode = "mode=ro" if os.path.exists(wal) and os.path.getsize(wal) \
        else "immutable=1"
    db = sqlite3.connect("file:%s?%s" % (urllib.parse.quote(path), mode),
                         uri=True)
    try:
        return {(v, p): n for v, p, n in db.execute(
            "SELECT vault, path, read_ns FROM scan_files")}
    except sqlite3.Error:
        return None
    finally:
        db.close()


def _prime(case, binary, tmp, recorder):
    """Fill tmp's scan cache as a `status --format json` of the case's
    vault would; return (rows, a problem or None)."""
    args, env, _ = _setup(case, tmp, recorder.port if recorder else None)
    prime = ["status", "--format", "json"]
    for opt in ("--today", "--vault", "--config"):
        value = _option(args, opt)
        if value is not None:
            prime += [opt, value]
    status, _, err, note = _run([binary] + prime, env, tmp, CASE_TIMEOUT)
    if note:
        return None, "the priming scan (%s) %s:\n%s" % (
            " ".join(prime), note, "\n".join(_excerpt(_decode(err), 15)))
    return _cache_rows(tmp), None


def _warm_problems(case, binary, cold, tmp, recorder):
    """Problems of the warm run (empty: passed)."""
    _prepare_folder(case, tmp)
    rows, problem = _prime(case, binary, tmp, recorder)
    if problem:
        return [_masked(problem, tmp)]
    warm = _run_in(case, binary, tmp, recorder)
    problems = _check_run(case, warm)
    if warm.status != cold.status or warm.note != cold.note:
        problems.append("exit status: cold %s, warm %s" % (
            cold.note or cold.status, warm.note or warm.status))
    for what in ("stdout", "stderr"):
        c, w = getattr(cold, what), getattr(warm, what)
        if what == "stdout" and "stdout" in case.has:
            c = _without_unique(_fill(case._text("stdout"), cold.subst), c)
            w = _without_unique(_fill(case._text("stdout"), warm.subst), w)
        c = _unclocked(_masked(c, cold.tmp))
        w = _unclocked(_masked(w, tmp))
        if c != w:
            problems.append("%s differs from the cold run's (- cold, "
                            "+ warm; the folder as $TMP):" % what)
            problems += ["  " + l.rstrip("\n") for l in difflib.unified_diff(
                c.splitlines(True), w.splitlines(True), "cold", "warm",
                n=2)][:MAX_DETAIL_LINES]
    if rows and not _mentions(warm.args, "--no-cache"):
        after = _cache_rows(tmp) or {}
        gone = sorted(k[1] for k in rows if k not in after)
        reread = sorted(k[1] for k, n in rows.items()
                        if k in after and after[k] != n)
        if gone or reread:
            problems.append("not warm: of the %d row(s) the priming wrote "
                            "to the scan cache, %d were read again and %d "
                            "are gone" % (len(rows), len(reread), len(gone)))
            problems += ["  read again: " + p for p in reread[:10]]
            problems += ["  gone: " + p for p in gone[:10]]
    return _with_context(problems, warm)


def run_cases(tally, build_dir, name_filter):
    try:
        names = sorted(os.listdir(CASES_DIR))
    except OSError:
        return
    cases = []
    for name in names:
        case_dir = os.path.join(CASES_DIR, name)
        if os.path.isdir(case_dir) and not (name_filter and
                                            name_filter not in name):
            cases.append(Case(case_dir))
    binary = os.path.join(build_dir, "followup")
    # The warm runs' folders and vault copies are made first, so that the
    # copies are over a second old when the warm runs come to them.
    warm_dirs = {}
    try:
        newest = 0
        for case in cases:
            if not case.problems:
                tmp = tempfile.mkdtemp(prefix="followup-case-")
                warm_dirs[case.name] = tmp
                _prepare_folder(case, tmp)
                newest = max(newest, _newest_change_ns(tmp))
        for case in cases:
            _one_case(tally, case, binary, warm_dirs.get(case.name),
                      newest + AGE_NS)
    finally:
        for tmp in warm_dirs.values():
            shutil.rmtree(tmp, ignore_errors=True)


def _one_case(tally, case, binary, warm_tmp, warm_after_ns):
    about = case.about() if not case.problems else None

    def report(label, problems):
        if problems:
            if about:
                problems.insert(0, "pins: " + about)
            tally.fail(label, problems)
        else:
            tally.ok(label)

    if case.problems:
        report(case.name, list(case.problems))
        return
    if not _is_executable_file(binary):
        report(case.name, ["no executable %s (build first)" % binary])
        return
    recorder = None
    try:
        if case.uses_recorder:
            recorder = Recorder(case.reply or [{"status": 200}])
            recorder.script = _fill(recorder.script, {
                "{case}": case.dir, "{port}": str(recorder.port)})
        with tempfile.TemporaryDirectory(prefix="followup-case-") as tmp:
            try:
                _prepare_folder(case, tmp)
                cold = _run_in(case, binary, tmp, recorder)
                problems = _with_context(_check_run(case, cold), cold)
            except Exception as e:  # a broken case must not stop the others
                cold, problems = None, ["runner error: %s: %s"
                                        % (type(e).__name__, e)]
        report(case.name, problems)
        if cold is None:
            return
        wait = (warm_after_ns - time.time_ns()) / 1e9
        if wait > 0:
            time.sleep(wait)
        try:
            problems = _warm_problems(case, binary, cold, warm_tmp, recorder)
        except Exception as e:
            problems = ["runner error: %s: %s" % (type(e).__name__, e)]
        report(case.name + " (warm)", problems)
    finally:
        if recorder:
            recorder.stop()


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
        (m({"message": "a"}, {"message": "abc"}, substring_keys=()), 1),
    ]
    r = request_mismatches
    req = {"method": "POST", "target": "/hook/x?a=1&b=2&b=3",
           "headers": [("Content-Type", "application/json"),
                       ("X-Two", "1"), ("x-two", "2")],
           "body": b'{"t": "line\\nnext", "message": "abc", "n": [1]}'}
    text = dict(req, body=b"plain text\nhere")
    checks += [
        (r([{}], [req]), 0),
        (r([], [req]), 1),
        (r([{}, {}], [req]), 1),
        (r([{"method": "POST", "path": "/hook/x"}], [req]), 0),
        (r([{"method": "PUT"}], [req]), 1),
        (r([{"path": "/hook/x?a=1&b=2&b=3"}], [req]), 1),
        (r([{"query": "a=1&b=2&b=3"}], [req]), 0),
        (r([{"query": ""}], [req]), 1),
        (r([{"query": {"a": "1"}}], [req]), 0),
        (r([{"query": {"b": ["2", "3"]}}], [req]), 0),
        (r([{"query": {"b": "2"}}], [req]), 1),
        (r([{"query": {"c": "1"}}], [req]), 1),
        (r([{"headers": {"content-type": "application/json"}}], [req]), 0),
        (r([{"headers": {"Content-Type": "application/json; x"}}], [req]), 1),
        (r([{"headers": {"X-Two": "1, 2"}}], [req]), 0),
        (r([{"headers": {"Authorization": None}}], [req]), 0),
        (r([{"headers": {"content-type": None}}], [req]), 1),
        (r([{"headers": {"Authorization": "x"}}], [req]), 1),
        (r([{"body": {"n": [1]}}], [req]), 0),
        (r([{"body": {"n": []}}], [req]), 1),
        (r([{"body": {"message": "ab"}}], [req]), 1),
        (r([{"body": {"t": "x"}}], [text]), 1),
        (r([{"body": "plain text\nhere"}], [text]), 0),
        (r([{"body": "plain text"}], [text]), 1),
        (r([{"body-contains": ["text\nhe"]}], [text]), 0),
        (r([{"body-contains": ["line\nnext"]}], [req]), 0),
        (r([{"body-contains": ["line\\nnext"]}], [req]), 1),
        (r([{"body-contains": ["t", "nope"]}], [req]), 1),
        (_mask_dtstamp(b"A\r\nDTSTAMP:20260101T000000Z\r\nB") ==
         _mask_dtstamp(b"A\r\nDTSTAMP:20990101T000000Z\r\nB") and [], 0),
        (_mask_dtstamp(b"LAST-MODIFIED:1\r\n") ==
         _mask_dtstamp(b"LAST-MODIFIED:2\r\n") or [1], 1),
        (_same_but_unique("<a.{unique}@b>\n", "<a.0123456789abcdef@b>\n")
         and [], 0),
        (_same_but_unique("<a.{unique}@b>\n", "<a.0123456789abcde@b>\n")
         or [1], 1),
        (_same_but_unique("<a.{unique}@b>", "<x.0123456789abcdef@b>")
         or [1], 1),
        (_without_unique("<{unique}> {unique}", "<0123456789abcdef> "
                         "fedcba9876543210") == "<{unique}> {unique}" and
         [], 0),
    ]
    # n: 0 when it matches (no mismatch), 1 when it does not
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
