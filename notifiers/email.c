/*
 * email.c - reminders by mail: SMTP (RFC 5321) with libcurl, the message
 * in RFC 5322 with MIME (RFC 2045-2047, 2046 multipart, 3676-free plain
 * text). mailto:// and mailtos:// share these ops, as in Apprise.
 *
 * URL forms (Apprise's, NotifyEmail.py):
 *
 *   mailto://[USER[:PASSWORD]@]DOMAIN[:PORT][/TO[/TO...]][?PARAMS]
 *   mailtos://...
 *
 *   to=, cc=, bcc=, reply=  addresses ("a@b.c", "Name <a@b.c>"), split
 *                           on ',' ';' or spaces; path segments are To
 *                           addresses too. Without any To, the sender
 *                           gets the mail (Apprise's default).
 *   from=                   "Name <a@b.c>", "a@b.c", or only a name;
 *                           default USER@DOMAIN, named "followup"
 *   name=                   the sender's display name
 *   smtp=                   the SMTP server; default DOMAIN
 *   mode=                   ssl (implicit TLS), starttls, or insecure
 *   +Name=value             an extra header (Apprise's)
 *
 * Security (where followup is stricter than Apprise, which sends
 * mailto:// in the clear):
 *   mailto://    STARTTLS, required: a server that does not offer it is
 *                not sent to; port 25 by default (Apprise's).
 *   mailtos://   implicit TLS, port 465; with mode=starttls, port 587.
 *   mode=insecure  no TLS at all (followup's own mode, for a relay on
 *                this machine); a password then only to a loopback host.
 * TLS is always verified (n->ca_file adds CAs); no proxy is ever used.
 * USER and PASSWORD log in (SASL, whatever the server offers that libcurl
 * speaks). The password is kept only here, in priv: never in a request,
 * an error, or what --dry-run prints.
 *
 * The message: one per batch, to every To and Cc (Bcc only in the
 * envelope). Headers From, To, Cc, Reply-To, Subject, Date, Message-ID
 * (<HASH.UNIQUE@followup>: HASH from batch->message_id, UNIQUE 16 random
 * hex digits, so that every message, a repeat or a test, has its own),
 * MIME-Version, Auto-Submitted: auto-generated. Non-ASCII in the subject
 * and display names as RFC 2047 B-encoded words of at most 75 characters,
 * cut on UTF-8 boundaries. The body is multipart/alternative: text/plain
 * and text/html (from wording.h's reminder_text() and reminder_html();
 * UTF-8, quoted-printable, lines of at most 76 characters); with
 * attach_calendar and a feed, multipart/mixed with the alternative and
 * followup.ics (text/calendar; method=PUBLISH, base64).
 * Lines end in CRLF.
 *
 * Limits: mail has none that matters; a digest shows at most
 * EMAIL_MAX_SHOWN reminders ("and N more"), and the whole message stays
 * under EMAIL_MAX_BODY (a common provider limit).
 *
 * Outcomes: connection refused, TLS failed, or a 4xx reply: retry. A 5xx
 * reply (550, 535 bad login) or no STARTTLS: rejected. A timeout or a
 * closed connection once the message was being sent: unknown.
 *
 * Memory: priv (struct email) owns its strings; the request owns its own.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../net/http.h"
#include "notifier.h"
#include "wording.h"
#include "../core/util.h"
#include "../core/version.h"

#define EMAIL_MAX_SHOWN 100
#define EMAIL_MAX_BODY ((size_t)10 << 20)
#define EMAIL_CONNECT_TIMEOUT_MS 10000L
#define EMAIL_TIMEOUT_MS 60000L
#define LINE_MAX_CHARS 76	/* RFC 2045 and 2047 */

struct mail_address {
	char *name;		/* display name, UTF-8; NULL: none */
	char *addr;		/* local@domain, ASCII */
};

struct address_list {
	struct mail_address *v;
	size_t n, cap;
};

enum mail_security {
	MAIL_STARTTLS,		/* plain, then STARTTLS, required */
	MAIL_TLS,		/* TLS from the first byte */
	MAIL_INSECURE,		/* no TLS (mode=insecure) */
};

struct email {
	char *smtp_url;		/* smtp[s]://HOST:PORT: no secret */
	char *smtp_hostport;	/* shown */
	enum mail_security security;
	char *login;		/* NULL: no AUTH */
	char *password;
	struct mail_address from;
	struct address_list to, cc, bcc, reply;
	char **headers;		/* "+Name=value": name, value, ... */
	size_t nheaders;
};

/* ------------------------------------------------------------ addresses */

static void
address_list_release(struct address_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].addr);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
address_list_has(const struct address_list *l, const char *addr)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].addr, addr) == 0)
			return 1;
	return 0;
}

static void
address_list_add(struct address_list *l, char *name, char *addr)
{
	if (address_list_has(l, addr)) {
		free(name);
		free(addr);
		return;
	}
	GROW(l->v, l->cap, l->n + 1);
	l->v[l->n].name = name;
	l->v[l->n].addr = addr;
	l->n++;
}

/*
 * local@domain in plain ASCII, without anything a header or an SMTP
 * command would read as syntax (quoted local parts are not taken).
 */
static int
valid_address(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t i;

	if (at == NULL || at == s || at == s + n - 1)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return 0;
		if (c == '@' && s + i != at)
			return 0;
	}
	return at[1] != '.' && s[n - 1] != '.';
}

/* A display name: valid UTF-8 without control characters. */
static int
valid_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return 0;
	return utf8_first_invalid((const unsigned char *)s, n) == n;
}

/* "Name <a@b>", "\"Name\" <a@b>", "<a@b>" or "a@b". */
static int
parse_mailbox(const char *s, size_t n, char **name, char **addr)
{
	const char *lt, *gt, *nm;
	size_t nlen;

	*name = *addr = NULL;
	trim_span(&s, &n);
	if ((lt = memchr(s, '<', n)) == NULL) {
		if (!valid_address(s, n))
			return -1;
		*addr = xstrndup(s, n);
		return 0;
	}
	gt = memchr(lt, '>', n - (size_t)(lt - s));
	if (gt == NULL || gt != s + n - 1 ||
	    !valid_address(lt + 1, (size_t)(gt - lt - 1)))
		return -1;
	nm = s;
	nlen = (size_t)(lt - s);
	trim_span(&nm, &nlen);
	if (nlen >= 2 && nm[0] == '"' && nm[nlen - 1] == '"') {
		nm++;
		nlen -= 2;
	}
	if (!valid_name(nm, nlen))
		return -1;
	if (nlen > 0)
		*name = xstrndup(nm, nlen);
	*addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return 0;
}

/* One piece of a list: a mailbox, or plain addresses split on spaces. */
static int
add_list_piece(struct address_list *l, const char *s, size_t n)
{
	char *name, *addr;
	size_t i, start;

	trim_span(&s, &n);
	if (n == 0)
		return 0;
	if (memchr(s, '<', n) != NULL) {
		if (parse_mailbox(s, n, &name, &addr) != 0)
			return -1;
		address_list_add(l, name, addr);
		return 0;
	}
	for (i = start = 0; i <= n; i++) {
		if (i < n && s[i] != ' ' && s[i] != '\t')
			continue;
		if (i > start) {
			if (parse_mailbox(s + start, i - start, &name,
			    &addr) != 0)
				return -1;
			address_list_add(l, name, addr);
		}
		start = i + 1;
	}
	return 0;
}

/* Addresses split on ',' and ';' outside quotes and angle brackets. */
static int
parse_address_list(struct address_list *l, const char *s)
{
	size_t i, start = 0;
	int quoted = 0, angled = 0;

	for (i = 0;; i++) {
		char c = s[i];

		if (c == '"' && !angled)
			quoted = !quoted;
		else if (c == '<' && !quoted)
			angled = 1;
		else if (c == '>' && !quoted)
			angled = 0;
		if (c != '\0' && (quoted || angled || (c != ',' && c != ';')))
			continue;
		if (add_list_piece(l, s + start, i - start) != 0)
			return -1;
		if (c == '\0')
			return 0;
		start = i + 1;
	}
}

/* ------------------------------------------------------------ parse */

static void
email_release(void *priv)
{
	struct email *m = priv;
	size_t i;

	free(m->smtp_url);
	free(m->smtp_hostport);
	free(m->login);
	if (m->password != NULL)
		memset(m->password, 0, strlen(m->password));
	free(m->password);
	free(m->from.name);
	free(m->from.addr);
	address_list_release(&m->to);
	address_list_release(&m->cc);
	address_list_release(&m->bcc);
	address_list_release(&m->reply);
	for (i = 0; i < m->nheaders; i++)
		free(m->headers[i]);
	free(m->headers);
	free(m);
}

/* A host name or an IP address, nothing a URL would read otherwise. */
static int
valid_host(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(".-_:", *s)))
			return 0;
	return 1;
}

/* The security the URL asks for, or -1. */
static int
security_of(const struct url *u)
{
	const char *mode = url_param(u, "mode");

	if (mode == NULL || mode[0] == '\0')
		return strcmp(u->scheme, "mailtos") == 0 ? MAIL_TLS :
		    MAIL_STARTTLS;
	if (strcasecmp(mode, "ssl") == 0 || strcasecmp(mode, "tls") == 0)
		return MAIL_TLS;
	if (strcasecmp(mode, "starttls") == 0)
		return MAIL_STARTTLS;
	if (strcasecmp(mode, "insecure") == 0)
		return MAIL_INSECURE;
	return -1;
}

static int
default_port(const char *scheme, enum mail_security sec)
{
	if (sec == MAIL_TLS)
		return 465;
	if (sec == MAIL_STARTTLS && strcmp(scheme, "mailtos") == 0)
		return 587;
	return 25;
}

/* The sender: from= and name=, else USER@DOMAIN, named "followup". */
static int
parse_sender(struct email *m, const struct url *u, const char **why)
{
	const char *from = url_param(u, "from"), *name = url_param(u, "name");
	char *fname = NULL, *faddr = NULL;

	if (from != NULL && from[0] != '\0') {
		if (parse_mailbox(from, strlen(from), &fname, &faddr) != 0) {
			/* Apprise: a from= that is no address is a name. */
			if (!valid_name(from, strlen(from)) ||
			    strchr(from, '<') != NULL || strchr(from, '@')) {
				*why = "from= is neither an address (NAME "
				    "<LOCAL@DOMAIN>, LOCAL@DOMAIN) nor a name";
				return -1;
			}
			fname = xstrdup(from);
		}
	}
	if (name != NULL && name[0] != '\0') {
		if (!valid_name(name, strlen(name))) {
			free(fname);
			free(faddr);
			*why = "name= holds a control character or is not UTF-8";
			return -1;
		}
		free(fname);
		fname = xstrdup(name);
	}
	if (faddr == NULL && u->user != NULL && u->user[0] != '\0') {
		size_t n = strcspn(u->user, "@ \t");

		faddr = xasprintf("%.*s@%s", (int)n, u->user, u->host);
		if (!valid_address(faddr, strlen(faddr))) {
			free(faddr);
			faddr = NULL;
		}
	}
	if (faddr == NULL) {
		free(fname);
		*why = "the mail URL needs a sender: mailto://USER[:PASSWORD]"
		    "@DOMAIN, or from=LOCAL@DOMAIN";
		return -1;
	}
	m->from.addr = faddr;
	m->from.name = fname ? fname : xstrdup("followup");
	return 0;
}

static int
parse_recipients(struct email *m, const struct url *u,
    const char **why)
{
	static const char *const keys[] = { "to", "cc", "bcc", "reply" };
	struct address_list *lists[] = { &m->to, &m->cc, &m->bcc, &m->reply };
	static const char *const whys[] = {
		"to= or the path holds something that is not an address "
		    "(NAME <LOCAL@DOMAIN> or LOCAL@DOMAIN)",
		"cc= holds something that is not an address "
		    "(NAME <LOCAL@DOMAIN> or LOCAL@DOMAIN)",
		"bcc= holds something that is not an address "
		    "(NAME <LOCAL@DOMAIN> or LOCAL@DOMAIN)",
		"reply= holds something that is not an address "
		    "(NAME <LOCAL@DOMAIN> or LOCAL@DOMAIN)",
	};
	size_t i, k;

	for (i = 0; i < u->nsegments; i++)
		if (parse_address_list(&m->to, u->segments[i]) != 0) {
			*why = whys[0];
			return -1;
		}
	for (k = 0; k < 4; k++)
		for (i = 0; i < u->nparams; i++) {
			if (strcmp(u->params[i].key, keys[k]) != 0)
				continue;
			u->params[i].used = 1;
			if (parse_address_list(lists[k], u->params[i].value) !=
			    0) {
				*why = whys[k];
				return -1;
			}
		}
	if (m->to.n == 0)
		address_list_add(&m->to, NULL, xstrdup(m->from.addr));
	return 0;
}

/* Headers this file writes itself: not to be set by "+Name=". */
static int
reserved_header(const char *name)
{
	static const char *const own[] = { "from", "to", "cc", "bcc",
		"reply-to", "subject", "date", "message-id", "mime-version",
		"content-type", "content-transfer-encoding", "auto-submitted",
		NULL };
	const char *const *p;

	for (p = own; *p != NULL; p++)
		if (strcasecmp(name, *p) == 0)
			return 1;
	return 0;
}

static int
parse_extra_headers(struct email *m, const struct url *u,
    const char **why)
{
	size_t i;

	for (i = 0; i < u->nparams; i++) {
		const char *key = u->params[i].key, *value = u->params[i].value;
		const char *p;

		if (key[0] != '+')
			continue;
		u->params[i].used = 1;
		key++;
		for (p = key; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-'))
				break;
		if (*key == '\0' || *p != '\0' || reserved_header(key)) {
			*why = "a +Header= parameter names no header, or one "
			    "followup writes itself";
			return -1;
		}
		if (!valid_name(value, strlen(value))) {
			*why = "a +Header= value holds a control character";
			return -1;
		}
		m->headers = xrealloc(m->headers, (m->nheaders + 2) *
		    sizeof(*m->headers));
		m->headers[m->nheaders++] = xstrdup(key);
		m->headers[m->nheaders++] = xstrdup(value);
	}
	return 0;
}

static int
email_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	const char *smtp = url_param(u, "smtp");
	const char *host;
	struct email *m;
	int sec, port;

	(void)why_owned;
	if (u->host[0] == '\0') {
		*why = "the mail URL has no domain (mailto://USER:PASSWORD@"
		    "DOMAIN)";
		return -1;
	}
	if ((sec = security_of(u)) < 0) {
		*why = "mode= must be ssl, starttls or insecure";
		return -1;
	}
	host = smtp != NULL && smtp[0] != '\0' ? smtp : u->host;
	if (!valid_host(host)) {
		*why = "the mail server (DOMAIN, or smtp=) is not a host name "
		    "or an IP address";
		return -1;
	}
	if (sec == MAIL_INSECURE && u->password != NULL && !http_host_is_loopback(host)) {
		*why = "mode=insecure sends the password in the clear: only to "
		    "a server on this machine (use mode=starttls or ssl)";
		return -1;
	}
	m = xcalloc(1, sizeof(*m));
	m->security = sec;
	if (parse_sender(m, u, why) != 0 || parse_recipients(m, u, why) != 0 ||
	    parse_extra_headers(m, u, why) != 0) {
		email_release(m);
		return -1;
	}
	port = u->port ? u->port : default_port(u->scheme, m->security);
	m->smtp_hostport = strchr(host, ':') ? xasprintf("[%s]:%d", host,
	    port) : xasprintf("%s:%d", host, port);
	m->smtp_url = xasprintf("%s://%s", sec == MAIL_TLS ? "smtps" : "smtp",
	    m->smtp_hostport);
	if (u->user != NULL && u->user[0] != '\0' && u->password != NULL) {
		m->login = xstrdup(u->user);
		m->password = xstrdup(u->password);
	}
	n->priv = m;
	return 0;
}

static char *
email_redact(const struct notifier *n)
{
	static const char *const shown[] = { "starttls", "ssl", "insecure" };
	const struct email *m = n->priv;

	return xasprintf("%s://%s/**** (%s)", n->scheme, m->smtp_hostport,
	    shown[m->security]);
}

/* ------------------------------------------------------------ encoders */

static const char base64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* RFC 4648 base64 of s[0..n), on one line. */
static void
add_base64(struct strbuf *sb, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		strbuf_addch(sb, base64_digits[s[i] >> 2]);
		strbuf_addch(sb, base64_digits[(s[i] & 3) << 4 | s[i + 1] >> 4]);
		strbuf_addch(sb, base64_digits[(s[i + 1] & 15) << 2 |
		    s[i + 2] >> 6]);
		strbuf_addch(sb, base64_digits[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		strbuf_addch(sb, base64_digits[s[i] >> 2]);
		strbuf_addch(sb, base64_digits[(s[i] & 3) << 4]);
		strbuf_adds(sb, "==");
	} else if (n - i == 2) {
		strbuf_addch(sb, base64_digits[s[i] >> 2]);
		strbuf_addch(sb, base64_digits[(s[i] & 3) << 4 | s[i + 1] >> 4]);
		strbuf_addch(sb, base64_digits[(s[i + 1] & 15) << 2]);
		strbuf_addch(sb, '=');
	}
}

/* A base64 body (RFC 2045 §6.8): lines of 76 characters, CRLF. */
static void
add_base64_body(struct strbuf *sb, const char *s, size_t n)
{
	const size_t per_line = LINE_MAX_CHARS / 4 * 3;	/* 57 bytes */
	size_t i;

	for (i = 0; i < n; i += per_line) {
		add_base64(sb, (const unsigned char *)s + i,
		    n - i < per_line ? n - i : per_line);
		strbuf_adds(sb, "\r\n");
	}
}

/*
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text with '\n' line ends:
 * hard line breaks become CRLF; longer lines are cut with soft breaks so
 * that no encoded line exceeds 76 characters; '=', bytes outside ASCII,
 * control characters, and a space or tab at the end of a line as =XX.
 * A line starting with '.' or "From " is left alone: libcurl dot-stuffs,
 * and no mbox is on the way.
 */
static void
add_quoted_printable(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;

	while (*s) {
		size_t len = strcspn(s, "\n"), i, line_len = len;

		if (line_len > 0 && s[line_len - 1] == '\r')
			line_len--;
		for (i = 0; i < line_len; i++) {
			unsigned char c = (unsigned char)s[i];
			int last = i + 1 == line_len;
			int encode = c == '=' || c > 126 ||
			    (c < ' ' && c != '\t') ||
			    ((c == ' ' || c == '\t') && last);
			size_t w = encode ? 3 : 1;

			/* Room for the '=' of a soft break, except for the
			 * line's last character. */
			if (col + w > LINE_MAX_CHARS - 1 &&
			    !(last && col + w <= LINE_MAX_CHARS)) {
				strbuf_adds(sb, "=\r\n");
				col = 0;
			}
			if (encode) {
				strbuf_addch(sb, '=');
				strbuf_addch(sb, hex[c >> 4]);
				strbuf_addch(sb, hex[c & 15]);
			} else
				strbuf_addch(sb, (char)c);
			col += w;
		}
		strbuf_adds(sb, "\r\n");
		col = 0;
		s += len;
		if (*s == '\n')
			s++;
	}
}

/* Whether a header's text must be an encoded-word (RFC 2047). */
static int
needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s > 126 ||
		    (s[0] == '=' && s[1] == '?'))
			return 1;
	return 0;
}

/*
 * s as B-encoded words "=?UTF-8?B?...?=", starting at column col: each
 * word ends by column 76 and holds whole UTF-8 characters; words are
 * separated by a fold (CRLF, space), which decoders drop between words.
 * Returns the column after the last word.
 */
static size_t
add_encoded_words(struct strbuf *sb, const char *s, size_t col)
{
	const size_t overhead = strlen("=?UTF-8?B?") + strlen("?=");
	size_t n = strlen(s), off = 0;

	while (off < n) {
		size_t room = col + overhead < LINE_MAX_CHARS ?
		    LINE_MAX_CHARS - col - overhead : 0;
		size_t take = room / 4 * 3;

		if (take < 4 && col > 1) {
			strbuf_adds(sb, "\r\n ");
			col = 1;
			continue;
		}
		if (take > n - off)
			take = n - off;
		while (take > 1 && off + take < n &&
		    ((unsigned char)s[off + take] & 0xC0) == 0x80)
			take--;
		strbuf_adds(sb, "=?UTF-8?B?");
		add_base64(sb, (const unsigned char *)s + off, take);
		strbuf_adds(sb, "?=");
		col += overhead + (take + 2) / 3 * 4;
		off += take;
		if (off < n) {
			strbuf_adds(sb, "\r\n ");
			col = 1;
		}
	}
	return col;
}

/* ASCII text folded at spaces so that lines stay within 76 characters. */
static size_t
add_folded_text(struct strbuf *sb, const char *s, size_t col)
{
	int first = 1;

	for (;;) {
		size_t w = strcspn(s, " ");

		if (!first) {
			if (col + 1 + w > LINE_MAX_CHARS) {
				strbuf_adds(sb, "\r\n ");
				col = 1;
			} else {
				strbuf_addch(sb, ' ');
				col++;
			}
		}
		strbuf_add(sb, s, w);
		col += w;
		first = 0;
		if (s[w] == '\0')
			return col;
		s += w + 1;
	}
}

/* "Name: text\r\n", the text encoded or folded as it needs. */
static void
add_text_header(struct strbuf *sb, const char *name, const char *text)
{
	size_t col = strlen(name) + 2;

	strbuf_addf(sb, "%s: ", name);
	if (needs_encoding(text))
		add_encoded_words(sb, text, col);
	else
		add_folded_text(sb, text, col);
	strbuf_adds(sb, "\r\n");
}

/* "Name <addr>", the name quoted or encoded. Returns the new column. */
static size_t
add_mailbox(struct strbuf *sb, const struct mail_address *a, size_t col)
{
	const char *p;

	if (a->name == NULL || a->name[0] == '\0') {
		strbuf_adds(sb, a->addr);
		return col + strlen(a->addr);
	}
	if (needs_encoding(a->name))
		col = add_encoded_words(sb, a->name, col);
	else {
		strbuf_addch(sb, '"');
		for (p = a->name; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p);
		}
		strbuf_addch(sb, '"');
		col += strlen(a->name) + 2;
	}
	if (col + strlen(a->addr) + 3 > LINE_MAX_CHARS) {
		strbuf_adds(sb, "\r\n");
		col = 0;
	}
	strbuf_addf(sb, " <%s>", a->addr);
	return col + strlen(a->addr) + 3;
}

/* "To: a, b" with each address after the first on its own line. */
static void
add_address_header(struct strbuf *sb, const char *name,
    const struct mail_address *const *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	strbuf_addf(sb, "%s: ", name);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_adds(sb, ",\r\n ");
		add_mailbox(sb, v[i], i == 0 ? strlen(name) + 2 : 1);
	}
	strbuf_adds(sb, "\r\n");
}

/* ------------------------------------------------------------ message */

/* RFC 5322 §3.3: "Tue, 25 Nov 2026 09:00:00 +0000", in English. */
static void
add_date_header(struct strbuf *sb, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
		"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		BUG("gmtime_r failed");
	strbuf_addf(sb, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* 32 hex digits from the batch's id: the same message, the same hash. */
static void
message_hash(const struct reminder_batch *b, char out[33])
{
	const char *id = b->message_id ? b->message_id : "";
	char *salted = xasprintf("followup-mail:%s", id);

	snprintf(out, 33, "%016llx%016llx", hash_fnv1a64(id, strlen(id)),
	    hash_fnv1a64(salted, strlen(salted)));
	free(salted);
}

static char *
footer_text(const struct reminder_batch *b)
{
	return xasprintf("Sent by followup for the vault \"%s\" on %s.",
	    b->vault_name ? b->vault_name : "", b->today ? b->today : "");
}

static char *
plain_body(const struct reminder_batch *b)
{
	char *text = reminder_text(b, TEXT_PLAIN), *footer = footer_text(b);
	char *out = xasprintf("%s\n-- \n%s\n", text, footer);

	free(text);
	free(footer);
	return out;
}

/* A mail's HTML: a line for each block. */
static const struct html_layout email_html = { "h2", "\n" };

static char *
html_body(const struct reminder_batch *b, const char *title)
{
	struct strbuf sb = STRBUF_INIT;
	char *footer = footer_text(b);

	strbuf_adds(&sb, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>");
	strbuf_add_html_escaped(&sb, title);
	strbuf_adds(&sb, "</title></head>\n<body>\n");
	reminder_html(&sb, b, &email_html);
	strbuf_adds(&sb, "<p style=\"color:#777;font-size:small\">");
	strbuf_add_html_escaped(&sb, footer);
	strbuf_adds(&sb, "</p>\n</body></html>\n");
	free(footer);
	return strbuf_detach(&sb);
}

static void
add_alternative(struct strbuf *sb, const struct reminder_batch *b,
    const char *title, const char *boundary)
{
	char *plain = plain_body(b), *html = html_body(b, title);

	strbuf_addf(sb, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\n", boundary);
	strbuf_addf(sb, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary);
	add_quoted_printable(sb, plain);
	strbuf_addf(sb, "--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary);
	add_quoted_printable(sb, html);
	strbuf_addf(sb, "--%s--\r\n", boundary);
	free(plain);
	free(html);
}

static void
add_calendar_part(struct strbuf *sb, const struct reminder_batch *b)
{
	strbuf_adds(sb, "Content-Type: text/calendar; charset=utf-8; "
	    "method=PUBLISH;\r\n name=\"followup.ics\"\r\n"
	    "Content-Disposition: attachment; filename=\"followup.ics\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	add_base64_body(sb, b->calendar, b->calendar_len);
}

/* The To and Cc of the headers: Cc without To's and Bcc's (Apprise's). */
static size_t
header_cc(const struct email *m, const struct mail_address **out)
{
	size_t i, n = 0;

	for (i = 0; i < m->cc.n; i++)
		if (!address_list_has(&m->to, m->cc.v[i].addr) &&
		    !address_list_has(&m->bcc, m->cc.v[i].addr))
			out[n++] = &m->cc.v[i];
	return n;
}

/* 16 hex digits that no other message has (RFC 5322 §3.6.4). */
static void
unique_part(char out[17])
{
	unsigned char r[8];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		struct timespec ts;

		/* No entropy to be had: the clock and the pid then. */
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(out, 17, "%08lx%08lx", (unsigned long)ts.tv_nsec ^
		    (unsigned long)getpid(), (unsigned long)ts.tv_sec);
		return;
	}
	for (i = 0; i < sizeof(r); i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

static void
add_headers(struct strbuf *sb, const struct email *m, const char *title,
    const char *hash, time_t now)
{
	char unique[17];

	const struct mail_address **v;
	const struct mail_address *from = &m->from;
	size_t i, n = m->to.n + m->cc.n + m->reply.n + 1;

	v = xcalloc(n, sizeof(*v));
	add_address_header(sb, "From", &from, 1);
	for (i = 0; i < m->to.n; i++)
		v[i] = &m->to.v[i];
	add_address_header(sb, "To", v, m->to.n);
	add_address_header(sb, "Cc", v, header_cc(m, v));
	for (i = 0; i < m->reply.n; i++)
		v[i] = &m->reply.v[i];
	add_address_header(sb, "Reply-To", v, m->reply.n);
	free(v);
	add_text_header(sb, "Subject", title);
	add_date_header(sb, now);
	unique_part(unique);
	strbuf_addf(sb, "Message-ID: <%s.%s@followup>\r\n", hash, unique);
	strbuf_adds(sb, "MIME-Version: 1.0\r\n");
	strbuf_adds(sb, "Auto-Submitted: auto-generated\r\n");
	strbuf_adds(sb, "X-Auto-Response-Suppress: All\r\n");
	strbuf_adds(sb, "X-Mailer: followup/" FOLLOWUP_VERSION "\r\n");
	for (i = 0; i + 1 < m->nheaders; i += 2)
		add_text_header(sb, m->headers[i], m->headers[i + 1]);
}

/* The envelope: every To, Cc and Bcc once. */
static void
set_envelope(struct notifier_request *req, const struct email *m)
{
	const struct address_list *lists[] = { &m->to, &m->cc, &m->bcc };
	struct address_list all = { 0 };
	size_t i, k;

	for (k = 0; k < 3; k++)
		for (i = 0; i < lists[k]->n; i++)
			address_list_add(&all, NULL,
			    xstrdup(lists[k]->v[i].addr));
	req->mail_from = xstrdup(m->from.addr);
	req->rcpt = xcalloc(all.n, sizeof(*req->rcpt));
	for (i = 0; i < all.n; i++)
		req->rcpt[i] = all.v[i].addr;
	req->nrcpt = all.n;
	free(all.v);
}

static int
email_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct email *m = n->priv;
	struct reminder_batch fit = *b;
	struct strbuf sb = STRBUF_INIT;
	char hash[33], *title, *alt, *mix;
	int attach = n->attach_calendar && b->calendar != NULL;

	if (fit.shown == 0 || fit.shown > fit.n)
		fit.shown = fit.n;
	if (fit.shown > EMAIL_MAX_SHOWN)
		fit.shown = EMAIL_MAX_SHOWN;
	req->shown = fit.shown;
	message_hash(&fit, hash);
	title = reminder_title(&fit);
	alt = xasprintf("=_followup_alt_%.16s", hash);
	mix = xasprintf("=_followup_mix_%.16s", hash);
	add_headers(&sb, m, title, hash, b->now ? b->now : time(NULL));
	if (attach) {
		strbuf_addf(&sb, "Content-Type: multipart/mixed;\r\n"
		    " boundary=\"%s\"\r\n\r\n", mix);
		strbuf_addf(&sb, "--%s\r\n", mix);
		add_alternative(&sb, &fit, title, alt);
		strbuf_addf(&sb, "--%s\r\n", mix);
		add_calendar_part(&sb, &fit);
		strbuf_addf(&sb, "--%s--\r\n", mix);
	} else
		add_alternative(&sb, &fit, title, alt);
	free(title);
	free(alt);
	free(mix);
	req->method = xstrdup("SMTP");
	req->url = xstrdup(m->smtp_url);
	req->body_len = sb.len;
	req->body = strbuf_detach(&sb);
	set_envelope(req, m);
	return 0;
}

/* ------------------------------------------------------------ send */

struct upload {
	const char *data;
	size_t len, off;
	int started;		/* libcurl asked for the message: DATA went */
	int must_log_in;	/* a password is set */
	int logged_in;		/* an AUTH command went out */
	int no_auth;		/* stopped: the server offered no AUTH */
};

/*
 * libcurl logs in only when the server offers AUTH, and else sends the
 * mail without a word: with a password set that is a server other than
 * the one meant (or one that lost its AUTH), so the mail is stopped once
 * the greeting, STARTTLS and the login are over and before MAIL FROM.
 * The commands that go out say whether AUTH did.
 */
static int
on_debug(CURL *curl, curl_infotype type, char *data, size_t size, void *arg)
{
	struct upload *up = arg;

	(void)curl;
	if (type == CURLINFO_HEADER_OUT && size >= 5 &&
	    strncasecmp(data, "AUTH ", 5) == 0)
		up->logged_in = 1;
	return 0;
}

static int
before_mail(void *arg, char *primary_ip, char *local_ip, int primary_port,
    int local_port)
{
	struct upload *up = arg;

	(void)primary_ip;
	(void)local_ip;
	(void)primary_port;
	(void)local_port;
	if (up->must_log_in && !up->logged_in) {
		up->no_auth = 1;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

static size_t
on_read(char *buf, size_t size, size_t count, void *arg)
{
	struct upload *up = arg;
	size_t n = size * count;

	up->started = 1;
	if (n > up->len - up->off)
		n = up->len - up->off;
	memcpy(buf, up->data + up->off, n);
	up->off += n;
	return n;
}

/* Replace every occurrence of secret in s (in place) with '*'. */
static void
mask_secret(char *s, const char *secret)
{
	size_t n;
	char *p;

	if (secret == NULL || (n = strlen(secret)) == 0)
		return;
	while ((p = strstr(s, secret)) != NULL)
		memset(p, '*', n);
}

/* What the outcome of an exchange that ended in code after reply is. */
static enum send_outcome
outcome_of(CURLcode code, long reply, int started)
{
	if (code == CURLE_OK)
		return SEND_ACCEPTED;
	if (reply >= 400 && reply < 500)
		return SEND_RETRY;
	if (reply >= 500)
		return SEND_REJECTED;
	switch (code) {
	case CURLE_USE_SSL_FAILED:
	case CURLE_LOGIN_DENIED:
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return SEND_REJECTED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
		return SEND_RETRY;
	default:
		return started ? SEND_UNKNOWN : SEND_RETRY;
	}
}

static const char *
hint_of(CURLcode code, long reply)
{
	if (code == CURLE_USE_SSL_FAILED)
		return " (the server offers no STARTTLS: the mail would "
		    "travel unencrypted; mode=insecure allows that)";
	if (reply == 535 || code == CURLE_LOGIN_DENIED)
		return " (check the user name and password)";
	if (code == CURLE_PEER_FAILED_VERIFICATION)
		return " (the server's certificate is not trusted: see "
		    "ca_file)";
	return "";
}

static void
email_send(const struct notifier *n, const struct notifier_request *req,
    struct send_result *res)
{
	const struct email *m = n->priv;
	struct upload up = { req->body, req->body_len, 0, 0, 0, 0, 0 };
	struct curl_slist *rcpt = NULL;
	char errbuf[CURL_ERROR_SIZE] = "", *from;
	long reply = 0, timeout;
	CURLcode code;
	CURL *curl;
	size_t i;

	memset(res, 0, sizeof(*res));
	res->retry_after_ms = -1;
	if ((curl = curl_easy_init()) == NULL)
		BUG("curl_easy_init failed");
	timeout = n->timeout_ms > 0 ? n->timeout_ms : EMAIL_TIMEOUT_MS;
	from = xasprintf("<%s>", req->mail_from);
	for (i = 0; i < req->nrcpt; i++) {
		char *to = xasprintf("<%s>", req->rcpt[i]);

		rcpt = curl_slist_append(rcpt, to);
		free(to);
	}
	curl_easy_setopt(curl, CURLOPT_URL, m->smtp_url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* Never through a proxy, whatever the environment says. */
	curl_easy_setopt(curl, CURLOPT_PROXY, "");
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USE_SSL, m->security == MAIL_INSECURE ?
	    (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (n->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, n->ca_file);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	    timeout < EMAIL_CONNECT_TIMEOUT_MS ? timeout :
	    EMAIL_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout);
	/* Each reply too: libcurl waits 120 s for one unless told. */
	curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    (timeout + 999) / 1000);
	if (m->login != NULL) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, m->login);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, m->password);
		up.must_log_in = m->password != NULL && m->password[0] != '\0';
		curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &up);
		curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
		curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, before_mail);
		curl_easy_setopt(curl, CURLOPT_PREREQDATA, &up);
	}
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)req->body_len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);

	code = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
	res->status = reply;
	res->outcome = outcome_of(code, reply, up.started);
	res->denied = reply == 535 || code == CURLE_LOGIN_DENIED;
	if (up.no_auth) {
		res->outcome = SEND_REJECTED;
		res->denied = 1;
		res->error = xasprintf("SMTP %s: the server offers no AUTH, and "
		    "a password is set: not sent without logging in (is it "
		    "the right server and port?)", m->smtp_hostport);
	} else if (code != CURLE_OK) {
		char answered[48] = "";

		if (reply >= 400)
			snprintf(answered, sizeof(answered),
			    " (the server answered %ld)", reply);
		res->error = xasprintf("SMTP %s: %s%s%s", m->smtp_hostport,
		    errbuf[0] ? errbuf : curl_easy_strerror(code), answered,
		    hint_of(code, reply));
		mask_secret(res->error, m->password);
	}
	curl_slist_free_all(rcpt);
	free(from);
	curl_easy_cleanup(curl);
}

static const char *const email_schemes[] = { "mailto", "mailtos", NULL };

const struct notifier_ops notifier_email = {
	.name = "email",
	.schemes = email_schemes,
	.parse = email_parse,
	.format = email_format,
	.send = email_send,
	.redact = email_redact,
	.release = email_release,
	.max_body = EMAIL_MAX_BODY,
};
