/*
 * json.c - the generic JSON webhook: json:// (http) and jsons:// (https),
 * as Apprise writes them: "json://[user:password@]host[:port]/path".
 *
 * The body keeps Apprise's fields (version, title, message, type) so a
 * receiver written for Apprise reads it, and adds "followup": the same
 * reminders as data (docs/followup.yml.5 documents the schema):
 *
 *   {"version": "1.0", "title": "...", "message": "...", "type": "info",
 *    "followup": {"schema": 1, "today": "YYYY-MM-DD", "test": false,
 *      "reminders": [{"name", "path", "link", "state", "due",
 *        "last_contact", "days_since_contact", "days_overdue",
 *        "cadence_days", "late_since", "episode",
 *        "open_items": [{"text", "due", "path", "line"}],
 *        "more_items"}],
 *      "more": N}}
 *
 * Apprise's "+Name=value" query parameters become request headers (kept
 * secret: they often carry a token); "method=PUT" is honoured.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notifier.h"
#include "wording.h"
#include "../core/util.h"

#define JSON_MAX_BODY ((size_t)1 << 20)

struct json_hook {
	char *url;		/* http(s)://[userinfo@]host[:port]/path */
	char *method;
	char **headers;		/* "Name", "value", ... pairs */
	size_t nheaders;
};

static void
json_release(void *priv)
{
	struct json_hook *h = priv;
	size_t i;

	memset(h->url, 0, strlen(h->url));
	free(h->url);
	free(h->method);
	for (i = 0; i < h->nheaders; i++) {
		memset(h->headers[i], 0, strlen(h->headers[i]));
		free(h->headers[i]);
	}
	free(h->headers);
	free(h);
}

/* The target URL again, with userinfo and path re-encoded. */
static char *
target_url(const struct url *u, const char *scheme)
{
	struct strbuf sb = STRBUF_INIT;
	char *hostport = url_hostport(u);
	size_t i;

	strbuf_addf(&sb, "%s://", scheme);
	if (u->user != NULL) {
		strbuf_add_percent_encoded(&sb, u->user);
		if (u->password != NULL) {
			strbuf_addch(&sb, ':');
			strbuf_add_percent_encoded(&sb, u->password);
		}
		strbuf_addch(&sb, '@');
	}
	strbuf_adds(&sb, hostport);
	for (i = 0; i < u->nsegments; i++) {
		strbuf_addch(&sb, '/');
		strbuf_add_percent_encoded(&sb, u->segments[i]);
	}
	if (u->nsegments == 0 || (u->path[0] != '\0' &&
	    u->path[strlen(u->path) - 1] == '/'))
		strbuf_addch(&sb, '/');
	free(hostport);
	return strbuf_detach(&sb);
}

/*
 * A "+Name=value" header libcurl can send as it is: the name a token of
 * RFC 9110 (letters, digits, '-', '_', ...), the value without control
 * characters (a line break would start a header of its own).
 */
static int
header_ok(const char *name, const char *value)
{
	const char *p;

	for (p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$%&'*+-.^_`|~",
		    *p) != NULL))
			return 0;
	for (p = value; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return 0;
	return 1;
}

static int
json_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	struct json_hook *h;
	const char *method = url_param(u, "method");
	size_t i;

	(void)why_owned;
	if (u->host[0] == '\0') {
		*why = "the URL has no host (json://HOST[:PORT]/PATH)";
		return -1;
	}
	if (method != NULL && strcasecmp(method, "POST") != 0 &&
	    strcasecmp(method, "PUT") != 0) {
		*why = "method= must be POST or PUT";
		return -1;
	}
	for (i = 0; i < u->nparams; i++)
		if (u->params[i].key[0] == '+' && !header_ok(u->params[i].key +
		    1, u->params[i].value)) {
			*why = "a +Header= parameter is no HTTP header name, or "
			    "its value holds a control character";
			return -1;
		}
	h = xcalloc(1, sizeof(*h));
	h->url = target_url(u, strcmp(u->scheme, "jsons") == 0 ? "https" :
	    "http");
	h->method = xstrdup(method && strcasecmp(method, "PUT") == 0 ?
	    "PUT" : "POST");
	for (i = 0; i < u->nparams; i++) {
		const char *key = u->params[i].key;

		if (key[0] != '+')
			continue;
		u->params[i].used = 1;
		if (key[1] == '\0')
			continue;
		h->headers = xrealloc(h->headers, (h->nheaders + 2) *
		    sizeof(*h->headers));
		h->headers[h->nheaders++] = xstrdup(key + 1);
		h->headers[h->nheaders++] = xstrdup(u->params[i].value);
	}
	n->priv = h;
	return 0;
}

static json_t *
item_json(const struct reminder_item *it)
{
	return json_pack("{s:s, s:s?, s:s, s:i}", "text", it->text, "due",
	    it->due, "path", it->path, "line", it->line);
}

static json_t *
reminder_json(const struct reminder *r)
{
	json_t *items = json_array(), *o;
	size_t i;

	for (i = 0; i < r->nitems; i++)
		json_array_append_new(items, item_json(&r->items[i]));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:i, s:i, s:s?, "
	    "s:s?, s:o, s:I}",
	    "name", r->name, "path", r->path, "link", r->link,
	    "state", r->state, "due", r->due,
	    "last_contact", r->last_contact,
	    "days_since_contact", r->days_since_contact >= 0 ?
	    json_integer(r->days_since_contact) : json_null(),
	    "days_overdue", r->days_overdue, "cadence_days", r->cadence_days,
	    "late_since", r->late_since, "episode", r->episode,
	    "open_items", items,
	    "more_items", (json_int_t)(r->nitems_total - r->nitems));
	return o;
}

static int
json_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct json_hook *h = n->priv;
	char *title = reminder_title(b), *text = reminder_text(b, TEXT_PLAIN);
	json_t *reminders = json_array(), *root;
	size_t i;

	for (i = 0; i < b->shown && i < b->n; i++)
		json_array_append_new(reminders, reminder_json(&b->items[i]));
	root = json_pack("{s:s, s:s, s:s, s:[], s:s, s:{s:i, s:s, s:b, "
	    "s:o, s:I}}",
	    "version", "1.0", "title", title, "message", text,
	    "attachments", "type", b->test ? "info" : "warning",
	    "followup", "schema", 1, "today", b->today, "test", b->test,
	    "reminders", reminders,
	    "more", (json_int_t)(b->n - (b->shown < b->n ? b->shown : b->n)));
	free(title);
	free(text);
	if (notifier_request_json(req, root) != 0)
		return -1;
	req->method = xstrdup(h->method);
	req->url = xstrdup(h->url);
	notifier_request_header(req, 0, "Content-Type", "application/json");
	for (i = 0; i + 1 < h->nheaders; i += 2)
		notifier_request_header(req, 1, h->headers[i], "%s",
		    h->headers[i + 1]);
	return 0;
}

static const char *const json_schemes[] = { "json", "jsons", NULL };

const struct notifier_ops notifier_json = {
	.name = "json",
	.schemes = json_schemes,
	.parse = json_parse,
	.format = json_format,
	.release = json_release,
	.max_body = JSON_MAX_BODY,
};
