"""Shared pieces of the integration scripts (not a test itself: run.py
runs only executable files).

- report(name, ok, detail) prints PASS/FAIL and counts failures;
  section(fn) runs fn and turns an exception into a FAIL; finish() exits
  with 1 when anything failed.
- env(**extra): an environment for followup with no proxy, a private HOME
  and XDG folders under TMP, FOLLOWUP_NOW fixed.
- run(args, ...): followup with that environment, output kept in OUTPUTS
  (for the grep for secrets).
- Recorder: a loopback HTTP server (127.0.0.1 or ::1, a port of its own)
  that records every request (method, path, headers, body; PROPFIND and
  HEAD too) and answers
  from a script of responses: a status, headers, a delay, or "close" (drop
  the connection after reading the request) or "hang" (read it, never
  answer). With tls (an ssl.SSLContext) it speaks https.
- people_vault(where, people): contact notes, one open task each.
- dav_file(): a route that makes a Recorder a WebDAV file to publish to.
- make_certificates(): a test CA and a server certificate for 127.0.0.1
  and localhost, made with openssl: (CA file, server SSLContext).
"""
import http.server
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

FOLLOWUP = os.environ.get("FOLLOWUP", "")
SRC = os.environ.get("SRCDIR", os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
VAULT = os.path.join(SRC, "examples", "vault")
TMP = tempfile.mkdtemp(prefix="followup-notify-")
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
    sys.exit(1 if _failures[0] else 0)


def free_port(host="127.0.0.1"):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def env(home=None, now=None, **extra):
    """followup's environment: its own HOME and XDG folders, no proxy."""
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
    return e


def run(args, environ=None, timeout=120, **kw):
    r = subprocess.run([FOLLOWUP] + list(args), env=environ or env(),
                       capture_output=True, text=True, timeout=timeout, **kw)
    OUTPUTS.append(r.stdout + r.stderr)
    return r


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


def make_certificates():
    d = os.path.join(TMP, "tls")
    os.makedirs(d, exist_ok=True)
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr = os.path.join(d, "server.key"), os.path.join(d, "server.csr")
    cert, ext = os.path.join(d, "server.pem"), os.path.join(d, "ext.cnf")
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


class Recorder:
    """A loopback HTTP server that records requests.

    script: a list of responses used in turn, the last one repeated; each
    a dict: {"status": 200, "headers": {...}, "body": "...", "delay": 0,
    "action": None | "close" | "hang"}. route, when given, answers first:
    route(method, path) returns such a dict, or None for the script.
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

    def start(self):
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _any(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                step = (rec.route and rec.route(self.command, self.path)
                        ) or rec._next()
                entry = {"method": self.command, "path": self.path,
                         "headers": {k: v for k, v in self.headers.items()},
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
