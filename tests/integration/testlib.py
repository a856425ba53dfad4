"""Shared pieces of the integration scripts (not a test itself: run.py
runs only executable files).

- FOLLOWUP, SRC, BUILD: the binary, the source tree and the build folder
  (from $FOLLOWUP, $SRCDIR, $BUILD_DIR); VAULT and CONFIG: the example
  vault and its config; TMP: this script's temporary folder.
- report(name, ok, detail) prints PASS/FAIL and counts failures;
  section(fn) runs fn and turns an exception into a FAIL; finish() removes
  TMP (kept with FOLLOWUP_TEST_KEEP=1) and exits with 1 when anything
  failed.
- env(**extra): an environment for followup with no proxy, a private HOME
  and XDG folders under TMP, FOLLOWUP_NOW fixed; a variable given as None
  is left out (NO_COLOR=None: colour as on a user's machine).
- run(args, ...): followup with that environment (after prefix, a program
  such as strace), output kept in OUTPUTS (for the grep for secrets); as
  text, or bytes with text=False. valgrind(args, ...): the same under
  valgrind with tests/valgrind.supp, exit 99 on an error or a leak.
- Recorder: a loopback HTTP server (127.0.0.1 or ::1, a port of its own)
  that records every request (method, path, headers in any case, body;
  PROPFIND and HEAD too) and answers from a route, a table or a script of
  responses: a status, headers, a delay, or "close" (drop the connection
  after reading the request) or "hang" (read it, never answer). With tls
  (an ssl.SSLContext) it speaks https.
- people_vault(where, people): contact notes, one open task each.
- dav_file(): a route that makes a Recorder a WebDAV file to publish to.
- certificate_files(): a test CA and a server certificate for 127.0.0.1
  and localhost, made with openssl: (CA file, certificate, key);
  make_certificates(): (CA file, server SSLContext) of them.
- feed_uid(path): the UID followup gives a note's event (FNV-1a 64).
"""
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

SRC = os.environ.get("SRCDIR") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD_DIR") or os.path.join(SRC, "build")
FOLLOWUP = os.environ.get("FOLLOWUP") or os.path.join(BUILD, "followup")
VAULT = os.path.join(SRC, "examples", "vault")
CONFIG = os.path.join(SRC, "examples", "config.yml")
SUPPRESSIONS = os.path.join(SRC, "tests", "valgrind.supp")
TMP = tempfile.mkdtemp(prefix="followup-test-")
KEEP = os.environ.get("FOLLOWUP_TEST_KEEP") == "1"
OUTPUTS = []
_failures = [0]


def report(name, ok, detail=""):
    if ok:
        print("PASS " + name)
    else:
        _failures[0] += 1
        print("FAIL %s: %s" % (name, detail))
    sys.stdout.flush()
    return ok


def section(fn):
    try:
        fn()
    except Exception:
        report(fn.__name__.replace("_", " "), False,
               "exception:\n" + traceback.format_exc())
    return fn


def failures():
    return _failures[0]


def finish():
    if KEEP:
        print("# temporary files kept in " + TMP)
    else:
        shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(1 if _failures[0] else 0)


def free_port(host="127.0.0.1"):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def env(home=None, now=None, **extra):
    """followup's environment: its own HOME and XDG folders, no proxy.
    extra is added; a name given None is removed."""
    home = home or os.path.join(TMP, "home")
    e = {k: v for k, v in os.environ.items()
         if k.lower() not in ("http_proxy", "https_proxy", "all_proxy",
                              "no_proxy")}
    e.update({
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
        "XDG_DATA_HOME": os.path.join(home, ".local", "share"),
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "NO_COLOR": "1",
        "TZ": "UTC",
    })
    if now is not None:
        e["FOLLOWUP_NOW"] = str(now)
    e.update(extra)
    return {k: v for k, v in e.items() if v is not None}


def run(args, environ=None, timeout=120, text=True, prefix=(), **kw):
    r = subprocess.run(list(prefix) + [FOLLOWUP] + list(args),
                       env=environ or env(), capture_output=True, text=text,
                       timeout=timeout, **kw)
    OUTPUTS.append(r.stdout + r.stderr)
    return r


def valgrind(args, environ=None, errors_for="all", timeout=300, **kw):
    """run() under valgrind: exit 99 on a memory error or on a leak of
    the kinds errors_for names."""
    return run(args, environ, timeout, prefix=[
        "valgrind", "--error-exitcode=99", "--leak-check=full",
        "--show-leak-kinds=all", "--errors-for-leak-kinds=" + errors_for,
        "-q", "--suppressions=" + SUPPRESSIONS], **kw)


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def people_vault(where, people):
    """A vault of contact notes under where/People: people maps a name to
    the frontmatter lines after `type: people`; each note has one open
    task dated 2026-02-01. Returns where."""
    for name, fm in people.items():
        write(os.path.join(where, "People", name + ".md"),
              "---\ntype: people\n" + fm + "---\n# %s\n\n- [ ] Call "
              "%s about the plan 📅 2026-02-01\n" % (name, name), 0o644)
    return where


def feed_uid(path, kind=""):
    """The UID of the feed's event for a note (its path in the vault);
    kind "birthday-" for the note's birthday: FNV-1a 64 of the path."""
    h = 0xcbf29ce484222325
    for b in path.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "followup-%s%016x@followup" % (kind, h)


def certificate_files():
    """(CA file, server certificate, its key), made once."""
    d = os.path.join(TMP, "tls")
    os.makedirs(d, exist_ok=True)
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr = os.path.join(d, "server.key"), os.path.join(d, "server.csr")
    cert, ext = os.path.join(d, "server.pem"), os.path.join(d, "ext.cnf")
    if os.path.exists(cert):
        return ca, cert, key
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
             "check": True}
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
                    "-subj", "/CN=followup test CA"], **quiet)
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", key, "-out", csr, "-subj", "/CN=localhost"],
                   **quiet)
    write(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
          "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca,
                    "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
                    "-days", "2", "-extfile", ext], **quiet)
    return ca, cert, key


def make_certificates():
    ca, cert, key = certificate_files()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ca, ctx


def dav_file(put_delay=lambda: 0):
    """A route for Recorder: one plain WebDAV file (no PROPFIND), not
    there until a PUT makes it; HEAD then answers with its ETag. Each PUT
    waits put_delay() seconds before its answer."""
    etags = []

    def route(method, path):
        if method == "PROPFIND":
            return {"status": 405, "body": ""}
        if method == "HEAD":
            return ({"status": 200, "headers": {"ETag": etags[-1]},
                     "body": ""} if etags else {"status": 404, "body": ""})
        if method == "PUT":
            etags.append('"e%d"' % len(etags))
            return {"status": 201 if len(etags) == 1 else 204,
                    "headers": {"ETag": etags[-1]}, "body": "",
                    "delay": put_delay()}
        return None
    return route


class Headers(dict):
    """A request's headers as they came; get, [] and in ignore case."""

    def _name(self, name):
        return next((k for k in self if k.lower() == name.lower()), name)

    def __getitem__(self, name):
        return dict.__getitem__(self, self._name(name))

    def __contains__(self, name):
        return dict.__contains__(self, self._name(name))

    def get(self, name, default=None):
        return dict.get(self, self._name(name), default)


class Recorder:
    """A loopback HTTP server that records requests.

    script: a list of responses used in turn, the last one repeated; each
    a dict: {"status": 200, "headers": {...}, "body": "...", "delay": 0,
    "action": None | "close" | "hang"}. route, when given, answers first:
    route(method, path) returns such a dict, or None for the script; or
    route is a table (it may change between runs): (method, path) or path
    to such a dict, or to a list of them answered in turn (the last one
    from then on); what it lacks goes to the script.
    """

    def __init__(self, host="127.0.0.1", script=None, tls=None, route=None):
        self.host = host
        self.tls = tls
        self.route = route      # (method, path) -> a step, or None
        self.requests = []
        self.script = script or [{"status": 200}]
        self.lock = threading.Lock()
        self.port = None
        self.httpd = None

    def set_script(self, script):
        with self.lock:
            self.script = list(script)
            self.turn = 0

    def _next(self):
        with self.lock:
            i = min(getattr(self, "turn", 0), len(self.script) - 1)
            self.turn = getattr(self, "turn", 0) + 1
            return self.script[i]

    def _answer(self, method, path):
        if callable(self.route):
            step = self.route(method, path)
        else:
            table = self.route or {}
            with self.lock:
                step = table.get((method, path), table.get(path))
                if isinstance(step, list):
                    step = step.pop(0) if len(step) > 1 else step[0]
        return step or self._next()

    def clear(self):
        """Forget the requests recorded so far."""
        with self.lock:
            del self.requests[:]

    def start(self):
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _any(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                step = rec._answer(self.command, self.path)
                entry = {"method": self.command, "path": self.path,
                         "headers": Headers(self.headers.items()),
                         "body": body, "time": time.time(),
                         "answered": step.get("action") is None}
                with rec.lock:
                    rec.requests.append(entry)
                if step.get("delay"):
                    time.sleep(step["delay"])
                if step.get("action") == "close":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if step.get("action") == "hang":
                    time.sleep(step.get("hang", 30))
                    self.close_connection = True
                    return
                out = step.get("body", "ok")
                out = out.encode() if isinstance(out, str) else out
                self.send_response(step.get("status", 200))
                for k, v in step.get("headers", {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(out)

            do_POST = do_PUT = do_GET = do_DELETE = do_PATCH = _any
            do_PROPFIND = do_HEAD = _any

        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET

        class Server(http.server.ThreadingHTTPServer):
            address_family = family
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass    # a client gone before the answer (killed, timed out)

        self.httpd = Server((self.host, 0), Handler)
        if self.tls is not None:
            self.httpd.socket = self.tls.wrap_socket(self.httpd.socket,
                                                     server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever,
                         daemon=True).start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()

    def hostport(self):
        h = "[%s]" % self.host if ":" in self.host else self.host
        return "%s:%d" % (h, self.port)

    def answered(self):
        """Requests that got an answer from the script (not close/hang)."""
        with self.lock:
            return [r for r in self.requests if r["answered"]]

    def json_bodies(self):
        return [json.loads(r["body"] or b"null") for r in self.requests]
