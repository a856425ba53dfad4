/*
 * notifier.c - what every notifier shares (see notifier.h): making an
 * instance from its URL, requests, showing them without secrets, sending
 * over HTTP, and fitting a message into a service's limit. The wording is
 * wording.c's.
 */
#include "notifier.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/util.h"
#include "../net/http.h"

void
notifier_request_header(struct notifier_request *req, int secret,
    const char *name, const char *fmt, ...)
{
	struct notifier_header *h;
	va_list ap;

	GROW(req->headers, req->cap_headers, req->nheaders + 1);
	h = &req->headers[req->nheaders++];
	h->name = xstrdup(name);
	va_start(ap, fmt);
	h->value = xvasprintf(fmt, ap);
	va_end(ap);
	h->secret = secret;
}

int
notifier_request_json(struct notifier_request *req, json_t *root)
{
	if (root == NULL)
		return -1;
	req->body = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (req->body == NULL)
		return -1;
	req->body_len = strlen(req->body);
	return 0;
}

void
notifier_request_mask(struct notifier_request *req, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return;
	req->masks = xrealloc(req->masks, (req->nmasks + 1) *
	    sizeof(*req->masks));
	req->masks[req->nmasks++] = xstrdup(s);
}

void
notifier_request_release(struct notifier_request *req)
{
	size_t i;

	for (i = 0; i < req->nmasks; i++) {
		memset(req->masks[i], 0, strlen(req->masks[i]));
		free(req->masks[i]);
	}
	free(req->masks);
	free(req->method);
	if (req->url != NULL)
		memset(req->url, 0, strlen(req->url));
	free(req->url);
	for (i = 0; i < req->nheaders; i++) {
		if (req->headers[i].secret)
			memset(req->headers[i].value, 0,
			    strlen(req->headers[i].value));
		free(req->headers[i].name);
		free(req->headers[i].value);
	}
	free(req->headers);
	free(req->body);
	free(req->mail_from);
	for (i = 0; i < req->nrcpt; i++)
		free(req->rcpt[i]);
	free(req->rcpt);
	memset(req, 0, sizeof(*req));
}

void
send_result_release(struct send_result *res)
{
	free(res->error);
	res->error = NULL;
}

/* ------------------------------------------------------------ instance */

const struct notifier_ops *
notifier_ops_for(const struct url *u)
{
	const struct notifier_ops *const *ops;
	const char *const *s;

	for (ops = notifier_registry; *ops != NULL; ops++)
		for (s = (*ops)->schemes; *s != NULL; s++)
			if (strcmp(*s, u->scheme) == 0)
				return *ops;
	if (strcmp(u->scheme, "https") != 0)
		return NULL;
	for (ops = notifier_registry; *ops != NULL; ops++)
		if ((*ops)->match_https != NULL && (*ops)->match_https(u))
			return *ops;
	return NULL;
}

/* "json, jsons, slack, ...": every scheme a notifier understands. */
static char *
known_schemes(void)
{
	const struct notifier_ops *const *ops;
	const char *const *s;
	struct strbuf sb = STRBUF_INIT;

	for (ops = notifier_registry; *ops != NULL; ops++)
		for (s = (*ops)->schemes; *s != NULL; s++)
			strbuf_addf(&sb, "%s%s://", sb.len ? ", " : "", *s);
	return strbuf_detach(&sb);
}

/*
 * Apprise's own options that followup has no need of: its message
 * formats and limits are each service's (format, overflow, emojis), its
 * timeout is the notifier's `timeout:` (rto, cto), its dates the config's
 * (tz); they are taken, and change nothing.
 */
static int
apprise_option(const char *key)
{
	static const char *const keys[] = { "format", "overflow", "emojis",
		"rto", "cto", "tz", "store", NULL };
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

/*
 * Every option of u must be one its notifier read, or an Apprise one it
 * has no need of: an option followup would ignore without a word is one
 * the user thinks is in force. verify=no above all: TLS is verified,
 * always. The option is named by position, never by name (it may be a
 * token written without '=').
 */
static int
options_read(const struct url *u, char **why)
{
	size_t i;

	for (i = 0; i < u->nparams; i++) {
		const struct url_param *p = &u->params[i];

		if (p->used || apprise_option(p->key))
			continue;
		if (strcmp(p->key, "verify") == 0) {
			if (url_param_bool(u, "verify", 1) == 1)
				continue;
			*why = xstrdup("verify=no: followup always verifies the "
			    "server's certificate; name your own CA with the "
			    "notifier's ca_file instead");
			return -1;
		}
		*why = xasprintf("option %zu of the URL (after '?') is not one "
		    "this notifier reads: remove it (see followup.yml(5))",
		    i + 1);
		return -1;
	}
	return 0;
}

int
notifier_open(struct notifier *n, const char *url, char **why_out)
{
	struct url u;
	const char *why = NULL;
	char *why_owned = NULL;

	*why_out = NULL;
	if (url_parse(url, &u, &why) != 0) {
		*why_out = xstrdup(why);
		return -1;
	}
	free(n->scheme);
	free(n->hostport);
	n->scheme = xstrdup(u.scheme);
	n->hostport = url_hostport(&u);
	if ((n->ops = notifier_ops_for(&u)) == NULL) {
		char *known = known_schemes();

		/*
		 * Nothing of a URL that no notifier reads is shown: for many
		 * services the host is the token (pbul://o.TOKEN).
		 */
		free(n->hostport);
		n->hostport = NULL;
		if (strcmp(u.scheme, "https") == 0 ||
		    strcmp(u.scheme, "http") == 0)
			*why_out = xasprintf("no notifier knows this %s:// URL "
			    "(known webhooks: hooks.slack.com/services/..., "
			    "discord.com/api/webhooks/..., Teams workflow "
			    "URLs, chat.googleapis.com/v1/spaces/..., "
			    ".../hooks/... of Mattermost, ntfy topic URLs); "
			    "or use one of: %s", u.scheme, known);
		else
			*why_out = xasprintf("no notifier has the scheme "
			    "\"%s://\"; known: %s", u.scheme, known);
		free(known);
		url_release(&u);
		return -1;
	}
	n->resend_safe = n->ops->idempotent;
	if (n->ops->parse(n, &u, &why, &why_owned) != 0) {
		*why_out = why_owned ? why_owned :
		    xstrdup(why ? why : "the URL cannot be used");
		/* Its host may be a token (slack://TokenA/...): not shown. */
		free(n->hostport);
		n->hostport = NULL;
		url_release(&u);
		return -1;
	}
	if (options_read(&u, why_out) != 0) {
		url_release(&u);
		return -1;
	}
	url_release(&u);
	return 0;
}

void
notifier_release(struct notifier *n)
{
	if (n->ops != NULL && n->ops->release != NULL && n->priv != NULL)
		n->ops->release(n->priv);
	free(n->name);
	free(n->scheme);
	free(n->hostport);
	free(n->ca_file);
	memset(n, 0, sizeof(*n));
}

char *
notifier_shown_url(const struct notifier *n)
{
	if (n->ops != NULL && n->ops->redact != NULL && n->priv != NULL)
		return n->ops->redact(n);
	if (n->scheme == NULL || n->hostport == NULL)
		return xasprintf("%s://****", n->scheme ? n->scheme : "?");
	return xasprintf("%s://%s/****", n->scheme, n->hostport);
}

/* Whether s holds a byte a message cannot carry: not UTF-8, or a control. */
static int
unfit_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left, len;

	if (s == NULL)
		return 0;
	for (left = strlen(s); left > 0; p += len, left -= len) {
		if (*p < ' ' || *p == 0x7f)
			return 1;
		if ((len = utf8_seq_len(p, left)) == 0)
			return 1;
	}
	return 0;
}

int
notifier_text_ok(const char *s)
{
	return !unfit_text(s);
}

/*
 * The mentions that notify everyone in a room (Mattermost's @channel,
 * @all, @here; Matrix's @room; Discord's @everyone; Google Chat's
 * <users/all>; Slack's <!channel>): a task's text that says "@here" is
 * a note to oneself, never a call to the whole team. The length of the
 * one at s, or 0.
 */
static int
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static size_t
broadcast_at(const char *s, const char *start)
{
	static const char *const words[] = { "@channel", "@all", "@here",
		"@everyone", "@room", "<users/all>", "<!channel>", "<!here>",
		"<!everyone>", NULL };
	size_t i, n;

	/* "me@here.org" is an address; "(@here" is a mention. */
	if (s > start && (name_char(s[-1]) || s[-1] == '.'))
		return 0;
	for (i = 0; words[i] != NULL; i++) {
		n = strlen(words[i]);
		if (strncasecmp(s, words[i], n) != 0)
			continue;
		/* "@allison" and "@here.org" are other names. */
		if (words[i][n - 1] == '>' || !(name_char(s[n]) ||
		    (s[n] == '.' && name_char(s[n + 1]))))
			return n;
	}
	return 0;
}

static int
has_broadcast(const char *s)
{
	const char *p;

	for (p = s ? strpbrk(s, "@<") : NULL; p != NULL; p = strpbrk(p + 1,
	    "@<"))
		if (broadcast_at(p, s) > 0)
			return 1;
	return 0;
}

/*
 * s as a message can carry it: every byte that is not UTF-8 as U+FFFD,
 * every control character (the texts are one line each: a newline would
 * make a heading or a header of a name) as a space; with mentions, a
 * word joiner (U+2060, unseen) after the '@' or '<' of every mention of
 * everyone, which no service then reads as one. s itself when it is fit
 * already.
 */
static const char *
fit_text(struct arena *a, const char *s, int mentions)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	const char *p, *fitted;

	if (!unfit_text(s) && !(mentions && has_broadcast(s)))
		return s;
	strbuf_add_utf8_mended(&sb, s, strlen(s), UTF8_CONTROLS_AS_SPACE);
	for (p = strbuf_str(&sb); *p != '\0'; p++) {
		strbuf_addch(&out, *p);
		if (mentions && (*p == '@' || *p == '<') &&
		    broadcast_at(p, strbuf_str(&sb)) > 0)
			strbuf_adds(&out, "\xE2\x81\xA0");
	}
	fitted = arena_strdup(a, strbuf_str(&out));
	strbuf_release(&sb);
	strbuf_release(&out);
	return fitted;
}

/*
 * b with every text a message shows made fit (fit_text) in *fit, the
 * copies in a: a name from a file name need not be UTF-8, and JSON
 * (jansson) refuses what is not, which would fail the whole message, or
 * leave a reminder out of a message that counts it as shown. Returns
 * whether anything was copied.
 */
static int
fit_batch(const struct reminder_batch *b, struct reminder_batch *fit,
    struct arena *a)
{
	struct reminder *rs;
	size_t i, k;
	int unfit = unfit_text(b->today) || unfit_text(b->vault_name);

	*fit = *b;
	for (i = 0; i < b->n && !unfit; i++) {
		const struct reminder *r = &b->items[i];

		unfit = has_broadcast(r->name) || has_broadcast(r->path) ||
		    unfit_text(r->name) || unfit_text(r->path) ||
		    unfit_text(r->link) || unfit_text(r->state) ||
		    unfit_text(r->due) || unfit_text(r->last_contact) ||
		    unfit_text(r->late_since) || unfit_text(r->episode);
		for (k = 0; k < r->nitems && !unfit; k++)
			unfit = has_broadcast(r->items[k].text) ||
			    has_broadcast(r->items[k].path) ||
			    unfit_text(r->items[k].text) ||
			    unfit_text(r->items[k].due) ||
			    unfit_text(r->items[k].path);
	}
	if (!unfit)
		return 0;
	fit->today = b->today ? fit_text(a, b->today, 0) : NULL;
	fit->vault_name = b->vault_name ? fit_text(a, b->vault_name, 0) : NULL;
	rs = arena_alloc(a, (b->n ? b->n : 1) * sizeof(*rs));
	for (i = 0; i < b->n; i++) {
		const struct reminder *r = &b->items[i];
		struct reminder_item *items;

		rs[i] = *r;
		rs[i].name = r->name ? fit_text(a, r->name, 1) : NULL;
		rs[i].path = r->path ? fit_text(a, r->path, 1) : NULL;
		rs[i].link = r->link ? fit_text(a, r->link, 0) : NULL;
		rs[i].state = r->state ? fit_text(a, r->state, 0) : NULL;
		rs[i].due = r->due ? fit_text(a, r->due, 0) : NULL;
		rs[i].last_contact = r->last_contact ?
		    fit_text(a, r->last_contact, 0) : NULL;
		rs[i].late_since = r->late_since ? fit_text(a, r->late_since, 0) :
		    NULL;
		rs[i].episode = r->episode ? fit_text(a, r->episode, 0) : NULL;
		items = arena_alloc(a, (r->nitems ? r->nitems : 1) *
		    sizeof(*items));
		for (k = 0; k < r->nitems; k++) {
			items[k] = r->items[k];
			items[k].text = r->items[k].text ?
			    fit_text(a, r->items[k].text, 1) : NULL;
			items[k].due = r->items[k].due ?
			    fit_text(a, r->items[k].due, 0) : NULL;
			items[k].path = r->items[k].path ?
			    fit_text(a, r->items[k].path, 1) : NULL;
		}
		rs[i].items = items;
	}
	fit->items = rs;
	return 1;
}

int
notifier_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	struct reminder_batch fit;
	struct arena copies = { 0 };
	size_t limit = n->ops->max_body;
	int rc;

	fit_batch(b, &fit, &copies);
	if (fit.shown == 0 || fit.shown > fit.n)
		fit.shown = fit.n;
	for (;;) {
		memset(req, 0, sizeof(*req));
		req->shown = fit.shown;
		if (n->ops->format(n, &fit, req) != 0) {
			notifier_request_release(req);
			rc = -1;
			break;
		}
		if (limit == 0 || req->body_len <= limit || fit.shown <= 1) {
			rc = 0;
			break;
		}
		notifier_request_release(req);
		/* Shorter by a quarter each time: a few tries at most. */
		fit.shown = fit.shown * 3 / 4 < fit.shown - 1 ?
		    fit.shown * 3 / 4 : fit.shown - 1;
		if (fit.shown == 0)
			fit.shown = 1;
	}
	arena_free(&copies);
	return rc;
}

/* ------------------------------------------------------------ showing */

/* s (n bytes) to out, each of req's masks in it as "****". */
static void
print_masked(FILE *out, const struct notifier_request *req, const char *s,
    size_t n)
{
	size_t i = 0, k, len;

	while (i < n) {
		for (k = 0; k < req->nmasks; k++) {
			len = strlen(req->masks[k]);
			if (len <= n - i && memcmp(s + i, req->masks[k], len) == 0)
				break;
		}
		if (k < req->nmasks) {
			fputs("****", out);
			i += strlen(req->masks[k]);
		} else
			fputc(s[i++], out);
	}
}

/* Whether url ("scheme://user:pw@host/...") has a user part. */
static int
has_userinfo(const char *url)
{
	const char *host = url ? strstr(url, "://") : NULL;
	size_t n;

	if (host == NULL)
		return 0;
	host += 3;
	n = strcspn(host, "/?#");
	return memchr(host, '@', n) != NULL;
}

void
notifier_request_print(FILE *out, const struct notifier *n,
    const struct notifier_request *req)
{
	char *shown = notifier_shown_url(n);
	size_t i;

	fprintf(out, "--- %s (%s): %s %s\n", n->name, n->ops->name,
	    req->method, shown);
	free(shown);
	if (req->mail_from != NULL)
		fprintf(out, "MAIL FROM: <%s>\n", req->mail_from);
	for (i = 0; i < req->nrcpt; i++)
		fprintf(out, "RCPT TO: <%s>\n", req->rcpt[i]);
	/* libcurl makes this one from the URL's user and password. */
	if (has_userinfo(req->url) && strcmp(req->method, "SMTP") != 0)
		fputs("Authorization: Basic ****\n", out);
	for (i = 0; i < req->nheaders; i++) {
		fprintf(out, "%s: ", req->headers[i].name);
		if (req->headers[i].secret)
			fputs("****", out);
		else
			print_masked(out, req, req->headers[i].value,
			    strlen(req->headers[i].value));
		fputc('\n', out);
	}
	fputc('\n', out);
	if (req->body != NULL) {
		print_masked(out, req, req->body, req->body_len);
		if (req->body_len == 0 || req->body[req->body_len - 1] != '\n')
			fputc('\n', out);
	}
}

/* ------------------------------------------------------------ HTTP */

/* Retry-After: seconds, or an HTTP date; in milliseconds, -1 if none. */
static long
retry_after_ms(const struct http_response *resp)
{
	const char *v = http_response_header(resp, "Retry-After");
	char *end;
	long secs;

	if (v == NULL)
		return -1;
	while (*v == ' ')
		v++;
	secs = strtol(v, &end, 10);
	if (end != v && secs >= 0 && secs < 86400)
		return secs * 1000;
	{
		struct tm tm;
		time_t when;

		memset(&tm, 0, sizeof(tm));
		if (strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm) == NULL)
			return -1;
		when = timegm(&tm);
		if (when <= time(NULL))
			return 0;
		return (long)(when - time(NULL)) * 1000;
	}
}

void
notifier_http_send(const struct notifier *n,
    const struct notifier_request *req, struct send_result *res)
{
	struct http_response resp;

	notifier_http_exchange(n, req, res, &resp);
	http_response_release(&resp);
}

void
notifier_http_exchange(const struct notifier *n,
    const struct notifier_request *req, struct send_result *res,
    struct http_response *resp_out)
{
	const char **headers = xcalloc(req->nheaders + 1, sizeof(*headers));
	struct http_request hr = { 0 };
	struct http_response resp;
	enum http_failure f;
	char *shown = notifier_shown_url(n);
	size_t i;

	memset(res, 0, sizeof(*res));
	res->retry_after_ms = -1;
	for (i = 0; i < req->nheaders; i++)
		headers[i] = xasprintf("%s: %s", req->headers[i].name,
		    req->headers[i].value);
	hr.method = req->method;
	hr.url = req->url;
	hr.headers = headers;
	hr.body = req->body ? req->body : "";
	hr.body_len = req->body_len;
	hr.ca_file = n->ca_file;
	hr.shown_url = shown;
	hr.timeout_ms = n->timeout_ms;
	if (n->timeout_ms > 0 && n->timeout_ms < HTTP_CONNECT_TIMEOUT_MS)
		hr.connect_timeout_ms = n->timeout_ms;
	f = http_perform(&hr, &resp);
	if (f != HTTP_OK) {
		/* No answer: whether the service acted on it is unknown
		 * once any of the request went out. */
		res->outcome = resp.request_sent && f != HTTP_FAIL_TLS &&
		    f != HTTP_FAIL_CONNECT ? SEND_UNKNOWN : SEND_RETRY;
		if (f == HTTP_FAIL_INSECURE || f == HTTP_FAIL_URL ||
		    f == HTTP_FAIL_REDIRECT)
			res->outcome = SEND_REJECTED;
		res->error = xstrdup(resp.error ? resp.error : "no answer");
	} else if (resp.status >= 200 && resp.status < 300) {
		res->outcome = SEND_ACCEPTED;
		res->status = resp.status;
	} else {
		res->status = resp.status;
		res->outcome = http_status_is_temporary(resp.status) ? SEND_RETRY :
		    SEND_REJECTED;
		res->denied = resp.status == 401 || resp.status == 403 ||
		    resp.status == 404;
		res->retry_after_ms = retry_after_ms(&resp);
		res->error = xasprintf("%s %s: the service answered HTTP %ld%s",
		    req->method, shown, resp.status,
		    resp.status == 401 || resp.status == 403 ?
		    " (check the token or the URL)" : resp.status == 404 ?
		    " (check the URL: the webhook may have been deleted)" :
		    resp.status == 429 ? " (too many requests)" : "");
	}
	*resp_out = resp;
	for (i = 0; i < req->nheaders; i++) {
		memset((char *)headers[i], 0, strlen(headers[i]));
		free((char *)headers[i]);
	}
	free(headers);
	free(shown);
}
