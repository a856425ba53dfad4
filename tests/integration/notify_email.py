#!/usr/bin/python3
"""followup notify by mail against real aiosmtpd servers on 127.0.0.1:
STARTTLS with AUTH (mailto://), implicit TLS (mailtos://), a server
without STARTTLS, a wrong password. The certificates are made here with
openssl (a CA and a server certificate for 127.0.0.1 and localhost); the
notifier trusts the CA through ca_file. What arrives is read with
Python's email package and the attached feed with python3-icalendar.
"""
import asyncio
import email
import email.policy
import os
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

import testlib
from testlib import TMP, VAULT, env, finish, report, run, section, write

PASSWORD = "pw-hunter2-Zx9"
USER = "me"
TODAY = "2026-01-10"
NOW = "1768035600"  # 2026-01-10 09:00:00 UTC
OK = (0, 65)  # 65: the example vault holds a few broken notes on purpose


class Mailbox:
    """An aiosmtpd handler that keeps every message and every login."""

    def __init__(self):
        self.messages = []
        self.logins = []
        self.rcpts = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, opts):
        with self.lock:
            self.rcpts.append(address)
        if address.startswith("busy@"):
            return "451 4.3.0 mailbox busy, try later"
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(a.startswith("slow@") for a in envelope.rcpt_tos):
            await asyncio.sleep(4)
        # Takes the message at once, then never answers QUIT.
        session.stall_at_quit = any(a.startswith("stall@")
                                    for a in envelope.rcpt_tos)
        with self.lock:
            self.messages.append({
                "from": envelope.mail_from,
                "rcpt": list(envelope.rcpt_tos),
                "data": envelope.original_content or envelope.content,
                "tls": session.ssl is not None or
                server.transport.get_extra_info("ssl_object") is not None,
            })
        return "250 OK queued"

    async def handle_QUIT(self, server, session, envelope):
        if getattr(session, "stall_at_quit", False):
            await asyncio.sleep(30)
        return "221 Bye"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (auth_data.login == USER.encode() and
              auth_data.password == PASSWORD.encode())
        with self.lock:
            self.logins.append((mechanism, ok))
        return AuthResult(success=ok, handled=False)

    def reset(self):
        with self.lock:
            self.messages.clear()
            self.logins.clear()
            self.rcpts.clear()


class NoAuthMailbox(Mailbox):
    """A server that offers no AUTH at all, even after STARTTLS."""

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        session.host_name = hostname
        return [r for r in responses if "AUTH" not in r]


def start_server(box, ctx, kind):
    """kind: "starttls", "implicit" or "plain" (no STARTTLS at all)."""
    port = testlib.free_port()
    kw = {"authenticator": box.authenticate, "auth_required": True}
    if kind == "starttls":
        kw.update(tls_context=ctx, require_starttls=True,
                  auth_require_tls=True)
    elif kind == "implicit":
        kw.update(ssl_context=ctx, auth_require_tls=False)
    else:
        kw.update(auth_require_tls=False)
    c = Controller(box, hostname="127.0.0.1", port=port, **kw)
    c.start()
    return c


def config(home, name="me", timeout=10, attach=True):
    d = os.path.join(home, "cfg")
    return write(os.path.join(d, "config.yml"), (
        "notify:\n"
        "  retry_seconds: 3\n"
        "notifiers:\n"
        "  - name: %s\n"
        "    url_env: FOLLOWUP_MAIL_URL\n"
        "    ca_file: %s\n"
        "    timeout: %d\n"
        "    attach_calendar: %s\n"
        "    states: [cold, overdue, due, never]\n") % (
        name, CA, timeout, "true" if attach else "false"))


HOMES = [0]


def notify(url, *extra, attach=True, home=None, timeout=10):
    """followup notify, in a fresh HOME (a fresh ledger) unless given."""
    if home is None:
        HOMES[0] += 1
        home = os.path.join(TMP, "home%d" % HOMES[0])
    cfg = config(home, attach=attach, timeout=timeout)
    return run(["notify", "--vault", VAULT, "--config", cfg, "--today", TODAY]
               + list(extra),
               env(home=home, now=NOW, FOLLOWUP_MAIL_URL=url))


def mail_url(scheme, port, query=""):
    return ("%s://%s:%s@127.0.0.1:%d?to=Zo%%C3%%AB%%20%%C3%%85ngstr%%C3%%B6m"
            "%%20%%3Czoe@example.org%%3E&cc=Carl%%20%%3Ccarl@example.org%%3E"
            "&bcc=bea@example.org&from=followup%%20%%3Cme@example.org%%3E%s"
            % (scheme, USER, PASSWORD, port, query))


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


CA, SERVER_CTX = testlib.make_certificates()
BOX = Mailbox()
STARTTLS = start_server(BOX, SERVER_CTX, "starttls")
IMPLICIT = start_server(BOX, SERVER_CTX, "implicit")
PLAIN = start_server(BOX, SERVER_CTX, "plain")
NOAUTH_BOX = NoAuthMailbox()
NOAUTH = start_server(NOAUTH_BOX, SERVER_CTX, "starttls")


@section
def starttls_digest_arrives():
    BOX.reset()
    r = notify(mail_url("mailto", STARTTLS.port), "-v")
    report("email/starttls: notify succeeds", r.returncode in OK,
           "exit %d: %s%s" % (r.returncode, r.stdout, r.stderr))
    report("email/starttls: one message, over TLS, after AUTH",
           len(BOX.messages) == 1 and BOX.messages[0]["tls"] and
           any(ok for _, ok in BOX.logins),
           "%d messages, logins %r" % (len(BOX.messages), BOX.logins))
    if not BOX.messages:
        return
    got = BOX.messages[0]
    msg = parse(got["data"])
    report("email/envelope: sender, To, Cc and Bcc",
           got["from"] == "me@example.org" and sorted(got["rcpt"]) ==
           ["bea@example.org", "carl@example.org", "zoe@example.org"],
           "%s %r" % (got["from"], got["rcpt"]))
    to = msg["To"].addresses if msg["To"] else ()
    report("email/To: the non-ASCII name intact",
           len(to) == 1 and to[0].display_name == "Zoë Ångström" and
           to[0].addr_spec == "zoe@example.org", "%r" % (to,))
    report("email/From and Cc",
           msg["From"].addresses[0].addr_spec == "me@example.org" and
           msg["Cc"].addresses[0].display_name == "Carl",
           "%s / %s" % (msg["From"], msg["Cc"]))
    report("email/Bcc not in the headers",
           msg["Bcc"] is None and b"bea@example.org" not in got["data"],
           "Bcc shows")
    report("email/Subject, Date, Message-ID, Auto-Submitted",
           str(msg["Subject"]).startswith("followup: ") and
           msg["Date"].datetime is not None and
           str(msg["Message-ID"]).endswith("@followup>") and
           msg["Auto-Submitted"] == "auto-generated" and
           msg["MIME-Version"] == "1.0",
           "%s / %s / %s" % (msg["Subject"], msg["Date"],
                             msg["Message-ID"]))
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    text = plain.get_content() if plain else ""
    page = html.get_content() if html else ""
    report("email/both parts, the same reminders",
           plain is not None and html is not None and " — " in text and
           "obsidian://open?vault=" in page and "<li>" in page,
           "%r / %r" % (text[:200], page[:200]))
    lines = got["data"].split(b"\r\n")
    report("email/lines of at most 76 characters in the body",
           max(len(x) for x in lines) <= 78, "longest %d" %
           max(len(x) for x in lines))
    cal = [p for p in msg.iter_attachments()
           if p.get_content_type() == "text/calendar"]
    ok, detail = False, "no text/calendar attachment"
    if cal:
        from icalendar import Calendar
        c = Calendar.from_ical(cal[0].get_content())
        events = [e for e in c.walk() if e.name in ("VEVENT", "VTODO")]
        ok = (cal[0].get_filename() == "followup.ics" and
              cal[0].get_param("method") == "PUBLISH" and len(events) > 0)
        detail = "%s, %d events" % (cal[0].get_filename(), len(events))
    report("email/the feed attached parses with icalendar", ok, detail)


@section
def implicit_tls_mailtos():
    BOX.reset()
    r = notify(mail_url("mailtos", IMPLICIT.port), attach=False)
    report("email/mailtos: implicit TLS, one message",
           r.returncode in OK and len(BOX.messages) == 1 and
           BOX.messages[0]["tls"],
           "exit %d, %d messages: %s" % (r.returncode, len(BOX.messages),
                                         r.stderr))
    if BOX.messages:
        msg = parse(BOX.messages[0]["data"])
        report("email/without attach_calendar: multipart/alternative",
               msg.get_content_type() == "multipart/alternative",
               msg.get_content_type())


@section
def no_starttls_is_refused():
    BOX.reset()
    r = notify(mail_url("mailto", PLAIN.port))
    report("email/no STARTTLS: not sent, exit 75 or 78",
           r.returncode in (75, 78) and not BOX.messages and
           not BOX.logins and "STARTTLS" in r.stderr,
           "exit %d, %d messages, logins %r: %s" % (
               r.returncode, len(BOX.messages), BOX.logins, r.stderr))
    BOX.reset()
    r = notify(mail_url("mailto", PLAIN.port, "&mode=insecure"))
    report("email/mode=insecure to loopback: sent in the clear",
           r.returncode in OK and len(BOX.messages) == 1 and
           not BOX.messages[0]["tls"],
           "exit %d, %d messages: %s" % (r.returncode, len(BOX.messages),
                                         r.stderr))


@section
def wrong_password_is_refused():
    BOX.reset()
    url = mail_url("mailto", STARTTLS.port).replace(PASSWORD, "wrong-one")
    r = notify(url, "-v")
    report("email/wrong password: refused credentials, a config error (78), "
           "nothing sent",
           r.returncode == 78 and not BOX.messages and
           BOX.logins and not any(ok for _, ok in BOX.logins) and
           "password" in r.stderr,
           "exit %d, %d messages: %s" % (r.returncode, len(BOX.messages),
                                         r.stderr))


@section
def password_set_but_no_auth_offered():
    NOAUTH_BOX.reset()
    r = notify(mail_url("mailto", NOAUTH.port))
    report("email/a password set, the server offers no AUTH: not sent "
           "unauthenticated, exit 78, said so",
           r.returncode == 78 and not NOAUTH_BOX.messages and
           "offers no AUTH" in r.stderr,
           "exit %d, %d messages: %s" % (r.returncode,
                                         len(NOAUTH_BOX.messages),
                                         r.stderr[-400:]))


@section
def timeout_holds_to_the_end():
    BOX.reset()
    url = mail_url("mailto", STARTTLS.port, "&to=stall@example.org")
    t0 = time.monotonic()
    r = notify(url, timeout=3)
    took = time.monotonic() - t0
    report("email/a server that takes the mail and never answers QUIT: the "
           "timeout (3 s) holds, the mail counts as sent",
           took < 15 and r.returncode in OK and len(BOX.messages) == 1,
           "%.1f s, exit %d, %d messages: %s" % (
               took, r.returncode, len(BOX.messages), r.stderr[-300:]))


@section
def one_message_id_per_message():
    BOX.reset()
    HOMES[0] += 1
    home = os.path.join(TMP, "home%d" % HOMES[0])
    url = mail_url("mailto", STARTTLS.port)
    for _ in range(2):
        notify(url, "--test", home=home)
    notify(url, home=home)
    ids = [str(parse(m["data"])["Message-ID"]) for m in BOX.messages]
    report("email/every message its own Message-ID (two --test, a digest)",
           len(ids) == 3 and len(set(ids)) == 3 and
           all(i.startswith("<") and i.endswith("@followup>") for i in ids),
           ids)


@section
def smtp_replies_map_to_outcomes():
    BOX.reset()
    r = notify(mail_url("mailto", STARTTLS.port, "&to=busy@example.org"))
    report("email/451 to a recipient: not delivered, retried, exit 75",
           r.returncode == 75 and not BOX.messages and
           "not delivered" in r.stderr and "451" in r.stderr,
           "exit %d, %d messages: %s" % (r.returncode, len(BOX.messages),
                                         r.stderr[-300:]))
    BOX.reset()
    r = notify(mail_url("mailto", STARTTLS.port, "&to=nobody@example.org"))
    report("email/550 to a recipient: refused by the service",
           r.returncode in (75, 78) and not BOX.messages and
           "refused" in r.stderr and "550" in r.stderr,
           "exit %d, %d messages: %s" % (r.returncode, len(BOX.messages),
                                         r.stderr[-300:]))
    BOX.reset()
    HOMES[0] += 1
    home = os.path.join(TMP, "home%d" % HOMES[0])
    url = mail_url("mailto", STARTTLS.port, "&to=slow@example.org")
    r = notify(url, home=home, timeout=2)
    tries = BOX.rcpts.count("slow@example.org")
    report("email/no answer after the message went out: unknown",
           r.returncode == 75 and "may have arrived" in r.stderr and
           tries == 1, "exit %d, %d tries: %s" % (r.returncode, tries,
                                                  r.stderr[-300:]))
    r = notify(url, home=home, timeout=2)
    report("email/unknown is not sent again (never doubled)",
           BOX.rcpts.count("slow@example.org") == 1 and "sent" not in
           r.stdout, "%d tries: %s" % (BOX.rcpts.count("slow@example.org"),
                                       r.stdout + r.stderr[-300:]))


@section
def untrusted_certificate_is_refused():
    BOX.reset()
    HOMES[0] += 1
    home = os.path.join(TMP, "home%d" % HOMES[0])
    cfg = config(home)
    with open(cfg, encoding="utf-8") as f:
        text = f.read().replace("    ca_file: %s\n" % CA, "")
    write(cfg, text)
    r = run(["notify", "--vault", VAULT, "--config", cfg, "--today", TODAY],
            env(home=home, now=NOW,
                FOLLOWUP_MAIL_URL=mail_url("mailto", STARTTLS.port)))
    report("email/a certificate not trusted: nothing sent, no login",
           r.returncode == 75 and not BOX.messages and not BOX.logins,
           "exit %d, %d messages: %s" % (r.returncode, len(BOX.messages),
                                         r.stderr))


@section
def dry_run_shows_no_password():
    BOX.reset()
    r = notify(mail_url("mailto", STARTTLS.port), "--dry-run", "-v")
    report("email/dry run: the envelope and the message, nothing sent",
           r.returncode in OK and "MAIL FROM: <me@example.org>" in r.stdout
           and "RCPT TO: <bea@example.org>" in r.stdout and
           "Subject: " in r.stdout and not BOX.messages,
           "exit %d: %s" % (r.returncode, r.stdout[:500] + r.stderr))


@section
def test_message():
    BOX.reset()
    r = notify(mail_url("mailto", STARTTLS.port), "--test")
    subject = (str(parse(BOX.messages[0]["data"])["Subject"])
               if BOX.messages else "")
    report("email/--test: a test message arrives",
           r.returncode in OK and subject == "followup: a test message",
           "exit %d, %r: %s" % (r.returncode, subject, r.stderr))


@section
def password_never_shown():
    leaked = [o for o in testlib.OUTPUTS if PASSWORD in o]
    report("email/the password is in no output (-v and --dry-run too)",
           not leaked, leaked[0][:300] if leaked else "")


for c in (STARTTLS, IMPLICIT, PLAIN, NOAUTH):
    c.stop()
finish()
