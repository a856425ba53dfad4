/*
 * test-email.c - the email notifier: mailto:// and mailtos:// URLs taken
 * in (and refused without quoting the password), and the message for the
 * sample batches: headers, RFC 2047 words that decode back to the name,
 * both parts, line lengths, a Message-ID per message, Bcc only in the
 * envelope, the calendar attachment, the cut at 100 reminders, the
 * --dry-run print, and a refused connection reported without the password.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unit.h"
#include "reminders.h"
#include "../../core/util.h"
#include "../../notifiers/notifier.h"

#define PASSWORD "hunter2-s3cret"

/* ------------------------------------------------------------ decoders */

static int
b64_value(char c)
{
	const char *d = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	const char *p = c ? strchr(d, c) : NULL;

	return p ? (int)(p - d) : -1;
}

/* base64 of s[0..n) (line breaks skipped) appended to sb. */
static void
b64_decode(struct strbuf *sb, const char *s, size_t n)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int v = b64_value(s[i]);

		if (v < 0)
			continue;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(sb, (char)((acc >> bits) & 0xff));
		}
	}
}

/* A header's value, unfolded, its encoded-words decoded; the caller's. */
static char *
header_value(const char *msg, const char *name)
{
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;
	size_t nlen = strlen(name);
	const char *p = msg, *end = strstr(msg, "\r\n\r\n");

	for (; p && p < end; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 :
	    NULL) {
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':')
			break;
	}
	if (p == NULL || p >= end)
		return NULL;
	p += nlen + 1;
	while (*p == ' ')
		p++;
	for (;;) {
		const char *eol = strstr(p, "\r\n");

		strbuf_add(&raw, p, (size_t)(eol - p));
		p = eol + 2;
		if (*p != ' ' && *p != '\t')
			break;
	}
	/* Decode =?UTF-8?B?...?=; whitespace between two words vanishes. */
	p = strbuf_str(&raw);
	while (*p) {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0) {
			const char *q = strstr(p + 10, "?=");

			b64_decode(&out, p + 10, (size_t)(q - p - 10));
			p = q + 2;
			if (*p == ' ' && strncmp(p + 1, "=?", 2) == 0)
				p++;
			continue;
		}
		strbuf_addch(&out, *p++);
	}
	strbuf_release(&raw);
	return strbuf_detach(&out);
}

/* Quoted-printable s[0..n) decoded; the caller's. */
static char *
qp_decode(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' && i + 2 < n && s[i + 1] == '\r' &&
		    s[i + 2] == '\n') {
			i += 2;
		} else if (s[i] == '=' && i + 2 < n) {
			strbuf_addch(&sb, (char)(hex_value(s[i + 1]) * 16 +
			    hex_value(s[i + 2])));
			i += 2;
		} else if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
			strbuf_addch(&sb, '\n');
			i++;
		} else
			strbuf_addch(&sb, s[i]);
	}
	return strbuf_detach(&sb);
}

/*
 * The decoded body of the part whose Content-Type starts with type; the
 * caller's, or NULL.
 */
static char *
part_body(const char *msg, const char *type)
{
	char *want = xasprintf("Content-Type: %s", type);
	const char *p = strstr(msg, want), *start, *end;
	int base64;
	char *out;

	free(want);
	if (p == NULL || (start = strstr(p, "\r\n\r\n")) == NULL)
		return NULL;
	base64 = strstr(p, "Content-Transfer-Encoding: base64") != NULL &&
	    strstr(p, "Content-Transfer-Encoding: base64") < start;
	start += 4;
	if ((end = strstr(start, "\r\n--=_followup")) == NULL)
		return NULL;
	end += 2;
	if (base64) {
		struct strbuf sb = STRBUF_INIT;

		b64_decode(&sb, start, (size_t)(end - start));
		return strbuf_detach(&sb);
	}
	out = qp_decode(start, (size_t)(end - start));
	return out;
}

/* The longest line of s[0..n) (CRLF ends lines), and whether all end so. */
static size_t
longest_line(const char *s, size_t n, int *bare_lf)
{
	size_t i, start = 0, max = 0;

	*bare_lf = 0;
	for (i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		if (i == 0 || s[i - 1] != '\r')
			*bare_lf = 1;
		if (i - 1 - start > max)
			max = i - 1 - start;
		start = i + 1;
	}
	return max;
}

/* ------------------------------------------------------------ helpers */

static int
open_url(struct notifier *n, const char *url, char **why)
{
	memset(n, 0, sizeof(*n));
	n->name = xstrdup("mail");
	*why = NULL;
	return notifier_open(n, url, why);
}

/* notifier_open must refuse url; its reason must not hold the password. */
static void
check_refused(const char *name, const char *url, const char *expect)
{
	struct notifier n;
	char *why;
	int rc = open_url(&n, url, &why);

	CHECK(name, rc == -1 && why != NULL && strstr(why, expect) != NULL &&
	    strstr(why, PASSWORD) == NULL && strstr(why, "hunter2") == NULL,
	    "rc %d, why \"%s\"", rc, why ? why : "(null)");
	free(why);
	notifier_release(&n);
}

static int
rcpt_is(const struct notifier_request *req, const char *const *want,
    size_t n)
{
	size_t i;

	if (req->nrcpt != n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(req->rcpt[i], want[i]) != 0)
			return 0;
	return 1;
}

/* ------------------------------------------------------------ parse */

static void
test_parse_defaults(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	const char *self[] = { "me@example.com" };
	char *why, *shown;

	CHECK("email/parse mailto with user and password",
	    open_url(&n, "mailto://me:" PASSWORD "@example.com", &why) == 0,
	    "%s", why ? why : "");
	shown = notifier_shown_url(&n);
	CHECK("email/mailto is STARTTLS on port 25, shown without secrets",
	    strcmp(shown, "mailto://example.com:25/**** (starttls)") == 0,
	    "%s", shown);
	free(shown);
	CHECK("email/format", notifier_format(&n, &b, &req) == 0, "failed");
	CHECK("email/the sender is USER@DOMAIN and gets the mail",
	    strcmp(req.mail_from, "me@example.com") == 0 &&
	    rcpt_is(&req, self, 1), "from %s, %zu rcpt", req.mail_from,
	    req.nrcpt);
	CHECK("email/SMTP to the domain, no password in the request",
	    strcmp(req.method, "SMTP") == 0 &&
	    strcmp(req.url, "smtp://example.com:25") == 0 &&
	    strstr(req.body, PASSWORD) == NULL, "%s", req.url);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("email/parse mailtos", open_url(&n,
	    "mailtos://me:" PASSWORD "@example.com", &why) == 0, "%s",
	    why ? why : "");
	shown = notifier_shown_url(&n);
	CHECK("email/mailtos is implicit TLS on port 465",
	    strcmp(shown, "mailtos://example.com:465/**** (ssl)") == 0,
	    "%s", shown);
	free(shown);
	notifier_format(&n, &b, &req);
	CHECK("email/mailtos goes to smtps://",
	    strcmp(req.url, "smtps://example.com:465") == 0, "%s", req.url);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("email/parse mailtos mode=starttls",
	    open_url(&n, "mailtos://me:" PASSWORD "@example.com?mode=starttls",
	    &why) == 0, "%s", why ? why : "");
	shown = notifier_shown_url(&n);
	CHECK("email/mailtos mode=starttls is port 587",
	    strcmp(shown, "mailtos://example.com:587/**** (starttls)") == 0,
	    "%s", shown);
	free(shown);
	notifier_release(&n);

	CHECK("email/parse mode=insecure to loopback with a password",
	    open_url(&n, "mailto://me:" PASSWORD "@127.0.0.1:2525?mode=insecure",
	    &why) == 0, "%s", why ? why : "");
	shown = notifier_shown_url(&n);
	CHECK("email/insecure is shown as such",
	    strcmp(shown, "mailto://127.0.0.1:2525/**** (insecure)") == 0,
	    "%s", shown);
	free(shown);
	notifier_release(&n);
}

static void
test_parse_recipients(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	const char *all[] = { "a@x.org", "z@x.org", "b@x.org", "c@x.org",
		"d@x.org" };
	char *why, *to, *cc, *from, *reply, *x;

	CHECK("email/parse to, cc, bcc, from, smtp, mode, reply, +header",
	    open_url(&n, "mailtos://me:" PASSWORD "@example.com/a@x.org"
	    "?to=Zo%C3%AB%20%C3%85ngstr%C3%B6m%20%3Cz@x.org%3E,b@x.org"
	    "&cc=c@x.org%3Ba@x.org&bcc=d@x.org&from=Team%20%3Cteam@x.org%3E"
	    "&smtp=smtp.x.org&mode=starttls&reply=r@x.org"
	    "&+X-Project=Analytical", &why) == 0, "%s", why ? why : "");
	notifier_format(&n, &b, &req);
	to = header_value(req.body, "To");
	cc = header_value(req.body, "Cc");
	from = header_value(req.body, "From");
	reply = header_value(req.body, "Reply-To");
	x = header_value(req.body, "X-Project");
	CHECK("email/smtp= is the server, on mailtos+starttls's port",
	    strcmp(req.url, "smtp://smtp.x.org:587") == 0, "%s", req.url);
	CHECK("email/from= is the envelope sender and the From",
	    strcmp(req.mail_from, "team@x.org") == 0 && from &&
	    strcmp(from, "\"Team\" <team@x.org>") == 0, "%s / %s",
	    req.mail_from, from ? from : "(none)");
	CHECK("email/envelope: path, to=, cc and bcc, each once",
	    rcpt_is(&req, all, 5), "%zu rcpt", req.nrcpt);
	CHECK("email/To: the non-ASCII name decodes back",
	    to && strcmp(to, "a@x.org, Zoë Ångström <z@x.org>, b@x.org") == 0,
	    "%s", to ? to : "(none)");
	CHECK("email/Cc without the To addresses",
	    cc && strcmp(cc, "c@x.org") == 0, "%s", cc ? cc : "(none)");
	CHECK("email/Reply-To and the +header",
	    reply && strcmp(reply, "r@x.org") == 0 && x &&
	    strcmp(x, "Analytical") == 0, "%s / %s", reply ? reply : "",
	    x ? x : "");
	CHECK("email/Bcc only in the envelope",
	    strstr(req.body, "d@x.org") == NULL &&
	    header_value(req.body, "Bcc") == NULL, "Bcc in the message");
	free(to);
	free(cc);
	free(from);
	free(reply);
	free(x);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("email/from= as a name only, name= wins",
	    open_url(&n, "mailto://me:" PASSWORD "@example.com?name=Zo%C3%AB"
	    "&to=z@x.org", &why) == 0, "%s", why ? why : "");
	notifier_format(&n, &b, &req);
	from = header_value(req.body, "From");
	CHECK("email/name= is the sender's display name",
	    from && strcmp(from, "Zoë <me@example.com>") == 0, "%s",
	    from ? from : "(none)");
	free(from);
	notifier_request_release(&req);
	notifier_release(&n);
}

static void
test_parse_refused(void)
{
	check_refused("email/refused: no sender",
	    "mailto://:" PASSWORD "@example.com", "needs a sender");
	check_refused("email/refused: no domain",
	    "mailto://me:" PASSWORD "@", "");
	check_refused("email/refused: unknown mode",
	    "mailto://me:" PASSWORD "@example.com?mode=" PASSWORD,
	    "mode= must be");
	check_refused("email/refused: insecure with a password elsewhere",
	    "mailto://me:" PASSWORD "@example.com?mode=insecure",
	    "in the clear");
	check_refused("email/refused: a to= that is no address",
	    "mailto://me:" PASSWORD "@example.com?to=" PASSWORD, "to=");
	check_refused("email/refused: a cc= that is no address",
	    "mailto://me:" PASSWORD "@example.com?cc=a@b%0D%0ABcc:x@y",
	    "cc=");
	check_refused("email/refused: a name with a line break",
	    "mailto://me:" PASSWORD "@example.com?name=A%0D%0AX-Evil:1",
	    "name=");
	check_refused("email/refused: a bad smtp= host",
	    "mailto://me:" PASSWORD "@example.com?smtp=a/b%40c", "smtp=");
	check_refused("email/refused: a bad domain",
	    "mailto://me:" PASSWORD "@b.(x", "DOMAIN, or smtp=");
	check_refused("email/refused: a +header that followup writes",
	    "mailto://me:" PASSWORD "@example.com?+Subject=x", "+Header");
}

/* ------------------------------------------------------------ message */

static void
test_message(void)
{
	struct notifier n;
	struct notifier_request req, again;
	struct reminder_batch b = sample_digest();
	char *why, *subject, *id, *id2, *text, *html, *head;
	const char *blank;
	size_t longest;
	int bare_lf;

	b.now = 1795600000;
	open_url(&n, "mailtos://me:" PASSWORD "@example.com?to=z@x.org",
	    &why);
	notifier_format(&n, &b, &req);
	blank = strstr(req.body, "\r\n\r\n");
	head = xstrndup(req.body, (size_t)(blank - req.body) + 2);
	subject = header_value(req.body, "Subject");
	CHECK("email/digest: every header",
	    strstr(head, "\r\nDate: ") && strstr(head, "\r\nMessage-ID: <") &&
	    strstr(head, "\r\nMIME-Version: 1.0\r\n") &&
	    strstr(head, "\r\nAuto-Submitted: auto-generated\r\n") &&
	    strncmp(head, "From: \"followup\" <me@example.com>\r\n", 35) == 0 &&
	    strstr(head, "\r\nTo: z@x.org\r\n") &&
	    strstr(head, "Content-Type: multipart/alternative;"), "%s", head);
	CHECK("email/Date in RFC 5322 form, from the clock",
	    strstr(head, "\r\nDate: Wed, 25 Nov 2026 09:46:40 +0000\r\n") !=
	    NULL, "%s", head);
	CHECK("email/digest subject", subject &&
	    strcmp(subject, "followup: 3 people to follow up") == 0, "%s",
	    subject ? subject : "");
	longest = longest_line(req.body, req.body_len, &bare_lf);
	CHECK("email/every line ends in CRLF and is at most 76 characters",
	    !bare_lf && longest <= 76, "longest %zu, bare LF %d", longest,
	    bare_lf);
	text = part_body(req.body, "text/plain; charset=utf-8");
	html = part_body(req.body, "text/html; charset=utf-8");
	CHECK("email/text part: the reminders, the name intact",
	    text && strstr(text, "Zoë Ångström — cold · 115 days since "
	    "contact") && strstr(text, "Café au lait — bring the 📅 notes") &&
	    strstr(text, "late: should have gone out on 2026-11-20"),
	    "%s", text ? text : "(none)");
	CHECK("email/HTML part: names escaped and linked",
	    html && strstr(html, "<a href=\"obsidian://open?vault=vault&amp;"
	    "file=People%2FAda%20Lovelace\"><strong>Ada Lovelace</strong>") &&
	    strstr(html, "Ask about &lt;Babbage&gt; &amp; the &quot;"
	    "difference&quot; engine") && strstr(html, "<li>and 3 more</li>"),
	    "%s", html ? html : "(none)");
	CHECK("email/no calendar unless asked",
	    strstr(req.body, "text/calendar") == NULL, "attached");
	id = header_value(req.body, "Message-ID");

	b.now = 1795700000;
	notifier_format(&n, &b, &again);
	id2 = header_value(again.body, "Message-ID");
	CHECK("email/Message-ID: each message its own, the batch's hash in "
	    "front", id && id2 && strcmp(id, id2) != 0 && strlen(id) == 60 &&
	    strncmp(id, id2, 34) == 0 && id[33] == '.' &&
	    strcmp(id + 50, "@followup>") == 0, "%s / %s", id ? id : "",
	    id2 ? id2 : "");
	free(id2);
	notifier_request_release(&again);
	b.message_id = "digest-another";
	notifier_format(&n, &b, &again);
	id2 = header_value(again.body, "Message-ID");
	CHECK("email/Message-ID: another batch, another hash",
	    id2 && strncmp(id, id2, 33) != 0, "%s", id2 ? id2 : "");
	free(id2);
	notifier_request_release(&again);
	free(id);
	free(text);
	free(html);
	free(subject);
	free(head);
	notifier_request_release(&req);
	notifier_release(&n);
}

static void
test_encoded_words(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder single[1];
	struct reminder_batch b = sample_single();
	char *why, *subject, *to;
	const char *p;
	int ok = 1;

	/* A long non-ASCII name: several words, each cut on a boundary. */
	single[0] = sample_reminders[1];
	single[0].name = "Zoë Ångström-Øresund de la Peña y Müller-Lüdenscheidt "
	    "Ærøskøbing 📅";
	b.items = single;
	open_url(&n, "mailto://me:" PASSWORD "@example.com?to=Zo%C3%AB%20"
	    "%C3%85ngstr%C3%B6m-%C3%98resund%20de%20la%20Pe%C3%B1a%20y%20M%C3"
	    "%BCller-L%C3%BCdenscheidt%20%3Cz@x.org%3E", &why);
	notifier_format(&n, &b, &req);
	subject = header_value(req.body, "Subject");
	to = header_value(req.body, "To");
	CHECK("email/Subject: encoded words decode to the title",
	    subject && strcmp(subject, "Follow up with Zoë Ångström-Øresund "
	    "de la Peña y Müller-Lüdenscheidt Ærøskøbing 📅") == 0, "%s",
	    subject ? subject : "");
	CHECK("email/To: a long encoded name decodes back",
	    to && strcmp(to, "Zoë Ångström-Øresund de la Peña y "
	    "Müller-Lüdenscheidt <z@x.org>") == 0, "%s", to ? to : "");
	/* Every encoded word at most 75 characters, each decoding to
	 * valid UTF-8 on its own (cut on character boundaries). */
	for (p = strstr(req.body, "=?UTF-8?B?"); p != NULL;
	    p = strstr(p + 1, "=?UTF-8?B?")) {
		const char *q = strstr(p + 10, "?=");
		struct strbuf sb = STRBUF_INIT;

		b64_decode(&sb, p + 10, (size_t)(q - p - 10));
		if (q + 2 - p > 75 || utf8_first_invalid(
		    (const unsigned char *)strbuf_str(&sb), sb.len) != sb.len)
			ok = 0;
		strbuf_release(&sb);
	}
	CHECK("email/encoded words: at most 75 characters, whole characters",
	    ok, "%s", req.body);
	free(subject);
	free(to);
	notifier_request_release(&req);
	notifier_release(&n);
}

static void
test_calendar_and_many(void)
{
	static const char ics[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//followup//EN\r\nBEGIN:VEVENT\r\nUID:x@followup\r\n"
	    "SUMMARY:Follow up with Zoë Ångström\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	char *why, *cal, *text;
	size_t longest;
	int bare_lf;

	open_url(&n, "mailto://me:" PASSWORD "@example.com", &why);
	n.attach_calendar = 1;
	b.calendar = ics;
	b.calendar_len = strlen(ics);
	notifier_format(&n, &b, &req);
	cal = part_body(req.body, "text/calendar");
	CHECK("email/calendar: multipart/mixed with followup.ics",
	    strstr(req.body, "Content-Type: multipart/mixed;") &&
	    strstr(req.body, "Content-Type: text/calendar; charset=utf-8; "
	    "method=PUBLISH;") &&
	    strstr(req.body, "filename=\"followup.ics\""), "%s", req.body);
	CHECK("email/calendar: base64 decodes to the feed",
	    cal && strcmp(cal, ics) == 0, "%s", cal ? cal : "(none)");
	CHECK("email/calendar: the text part is still there",
	    strstr(req.body, "Content-Type: text/plain; charset=utf-8") &&
	    strstr(req.body, "Content-Type: text/html; charset=utf-8"),
	    "parts missing");
	free(cal);
	notifier_request_release(&req);

	b = sample_many();
	n.attach_calendar = 0;
	CHECK("email/many: formats", notifier_format(&n, &b, &req) == 0,
	    "failed");
	text = part_body(req.body, "text/plain; charset=utf-8");
	longest = longest_line(req.body, req.body_len, &bare_lf);
	CHECK("email/many: 100 shown and \"and 300 more\"",
	    text && strstr(text, "Person number 0099 ") &&
	    !strstr(text, "Person number 0100 ") &&
	    strstr(text, "\nand 300 more\n"), "%.200s", text ? text : "");
	CHECK("email/many: long lines soft-broken to 76 characters",
	    !bare_lf && longest <= 76 && text &&
	    strstr(text, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxx…"), "longest %zu", longest);
	free(text);
	notifier_request_release(&req);
	notifier_release(&n);
}

static void
test_test_message(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_test();
	char *why, *subject, *text;

	open_url(&n, "mailto://me:" PASSWORD "@example.com", &why);
	notifier_format(&n, &b, &req);
	subject = header_value(req.body, "Subject");
	text = part_body(req.body, "text/plain; charset=utf-8");
	CHECK("email/test message",
	    subject && strcmp(subject, "followup: a test message") == 0 &&
	    text && strstr(text, "this notifier works"), "%s",
	    subject ? subject : "");
	free(subject);
	free(text);
	notifier_request_release(&req);
	notifier_release(&n);
}

static void
test_dry_run_and_refused_connection(void)
{
	struct notifier n;
	struct notifier_request req;
	struct send_result res;
	struct reminder_batch b = sample_digest();
	char *why, *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	open_url(&n, "mailto://me:" PASSWORD "@127.0.0.1:1?bcc=d@x.org", &why);
	n.timeout_ms = 3000;
	notifier_format(&n, &b, &req);
	notifier_request_print(f, &n, &req);
	fclose(f);
	CHECK("email/dry run: the envelope and the message, no password",
	    strstr(out, "MAIL FROM: <me@127.0.0.1>") &&
	    strstr(out, "RCPT TO: <d@x.org>") &&
	    strstr(out, "Subject: followup: 3 people") &&
	    strstr(out, PASSWORD) == NULL, "%s", out);
	free(out);
	n.ops->send(&n, &req, &res);
	CHECK("email/connection refused: retry, no password in the error",
	    res.outcome == SEND_RETRY && res.error != NULL &&
	    strstr(res.error, "127.0.0.1:1") != NULL &&
	    strstr(res.error, PASSWORD) == NULL, "outcome %d, %s",
	    (int)res.outcome, res.error ? res.error : "");
	send_result_release(&res);
	notifier_request_release(&req);
	notifier_release(&n);
}

int
main(void)
{
	test_parse_defaults();
	test_parse_recipients();
	test_parse_refused();
	test_message();
	test_encoded_words();
	test_calendar_and_many();
	test_test_message();
	test_dry_run_and_refused_connection();
	return unit_exit();
}
