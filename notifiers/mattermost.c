/*
 * mattermost.c - Mattermost incoming webhooks, in Apprise's URL forms and
 * Mattermost's own:
 *
 *   mmost://[botname@]HOST[:port][/PATH]/TOKEN   http://, port 8065
 *   mmosts://[botname@]HOST[:port][/PATH]/TOKEN  https://, port 443
 *   https://HOST[:port]/hooks/TOKEN              the URL Mattermost gives
 *
 * POST {http,https}://HOST:PORT[/PATH]/hooks/TOKEN. A channel other than
 * the webhook's own: "#channel" after the token, or channel= (to= too);
 * one per notifier (several would be several posts, and one outcome can't
 * say which went out). The botname becomes "username" (Mattermost uses it
 * when the server lets integrations override names).
 *
 * Apprise 1.2.0 uses port 8065 for mmosts:// too; followup takes 443, the
 * port a TLS Mattermost listens on (write :8065 when yours does).
 *
 * The message: "text" in Markdown (the title as a heading, then every
 * shown reminder with its name as a link to the note, its summary, late
 * note and items), and "attachments", one per shown reminder up to
 * MM_MAX_ATTACHMENTS: fallback, a color by state, the name as title
 * (title_link only for an http(s) link: Mattermost drops other schemes),
 * and fields State, Due, Last contact, Open items. Mattermost takes at
 * most 16383 characters of text in a post: the text, the shared Markdown
 * of wording.h (reminder_text_within()), shows fewer reminders, with "and
 * N more", until it fits; max_body bounds the whole post.
 *
 * The token is in the URL's path: what is shown is "mmost://HOST:PORT/" and
 * four stars.
 *
 * Memory: struct mm_hook (n->priv) owns its strings, the URL wiped on
 * release.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notifier.h"
#include "wording.h"
#include "../core/util.h"

#define MM_DEFAULT_PORT 8065	/* Mattermost's own, Apprise's default */
#define MM_MAX_TEXT 16383	/* characters of a post's message */
#define MM_MAX_ATTACHMENTS 20
#define MM_MAX_BODY ((size_t)256 << 10)

struct mm_hook {
	char *url;		/* http(s)://host:port[/path]/hooks/TOKEN */
	char *username;		/* NULL: the webhook's own */
	char *channel;		/* NULL: the webhook's own */
};

static void
mm_release(void *priv)
{
	struct mm_hook *h = priv;

	memset(h->url, 0, strlen(h->url));
	free(h->url);
	free(h->username);
	free(h->channel);
	free(h);
}

/* Mattermost's own webhook URL: https://HOST/hooks/TOKEN, nothing else. */
static int
mm_match_https(const struct url *u)
{
	return u->nsegments == 2 && strcmp(u->segments[0], "hooks") == 0 &&
	    u->segments[1][0] != '#';
}

/* The one channel: "#name" segments, channel= and to=; NULL if none. */
static int
pick_channel(const struct url *u, const char **channel,
    const char **why)
{
	static const char *const keys[] = { "channel", "to" };
	size_t i, count = 0;

	*channel = NULL;
	for (i = 0; i < u->nsegments; i++)
		if (u->segments[i][0] == '#') {
			*channel = u->segments[i] + 1;
			count++;
		}
	for (i = 0; i < 2; i++) {
		const char *v = url_param(u, keys[i]);

		if (v != NULL && v[0] != '\0') {
			*channel = v[0] == '#' ? v + 1 : v;
			count++;
		}
	}
	if (count > 1 || (*channel != NULL && strchr(*channel, ',') != NULL)) {
		*why = "followup posts to one Mattermost channel per notifier: "
		    "list the notifier once per channel";
		return -1;
	}
	if (*channel != NULL && (*channel)[0] == '\0') {
		*why = "the Mattermost channel is empty";
		return -1;
	}
	return 0;
}

/*
 * The webhook URL. Apprise's form: the last segment that is not a
 * "#channel" is the token, those before it a path prefix.
 */
static char *
hook_url(const struct url *u)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, last = 0;
	int https = strcmp(u->scheme, "mmost") != 0;
	int port = u->port ? u->port : strcmp(u->scheme, "mmost") == 0 ?
	    MM_DEFAULT_PORT : 0;

	for (i = 0; i < u->nsegments; i++)
		if (u->segments[i][0] != '#')
			last = i;
	strbuf_addf(&sb, "%s://", https ? "https" : "http");
	strbuf_adds(&sb, u->ipv6 ? "[" : "");
	strbuf_adds(&sb, u->host);
	strbuf_adds(&sb, u->ipv6 ? "]" : "");
	if (port)
		strbuf_addf(&sb, ":%d", port);
	if (strcmp(u->scheme, "https") == 0) {
		strbuf_adds(&sb, "/hooks/");
		strbuf_add_percent_encoded(&sb, u->segments[1]);
		return strbuf_detach(&sb);
	}
	for (i = 0; i < last; i++)
		if (u->segments[i][0] != '#') {
			strbuf_addch(&sb, '/');
			strbuf_add_percent_encoded(&sb, u->segments[i]);
		}
	strbuf_adds(&sb, "/hooks/");
	strbuf_add_percent_encoded(&sb, u->segments[last]);
	return strbuf_detach(&sb);
}

static int
has_token(const struct url *u)
{
	size_t i;

	for (i = 0; i < u->nsegments; i++)
		if (u->segments[i][0] != '#')
			return 1;
	return 0;
}

static int
mm_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	struct mm_hook *h;
	const char *channel;

	(void)why_owned;
	if (u->host[0] == '\0') {
		*why = "the Mattermost URL has no host "
		    "(mmosts://HOST/TOKEN)";
		return -1;
	}
	if (!has_token(u)) {
		*why = "the Mattermost URL needs the webhook's token: "
		    "mmosts://HOST[:PORT][/PATH]/TOKEN";
		return -1;
	}
	if (pick_channel(u, &channel, why) != 0)
		return -1;
	/* Else the post could never be made: JSON carries UTF-8 only. */
	if (!notifier_text_ok(u->user) || !notifier_text_ok(channel)) {
		*why = "the bot name or the channel is not UTF-8 text (a "
		    "control character, or bytes of another encoding)";
		return -1;
	}
	h = xcalloc(1, sizeof(*h));
	h->url = hook_url(u);
	h->username = xstrdup(u->user && u->user[0] && strcmp(u->scheme,
	    "https") != 0 ? u->user : "followup");
	h->channel = channel ? xstrdup(channel) : NULL;
	n->priv = h;
	return 0;
}

/* --------------------------------------------------------- the message */

static const char *
state_color(const char *state)
{
	if (strcmp(state, "overdue") == 0)
		return "#D0342C";
	if (strcmp(state, "cold") == 0)
		return "#2F80ED";
	if (strcmp(state, "due") == 0)
		return "#E8A317";
	return "#8C8C8C";
}

static int
is_web_link(const char *link)
{
	return link != NULL && (strncasecmp(link, "https://", 8) == 0 ||
	    strncasecmp(link, "http://", 7) == 0);
}

static json_t *
field(const char *title, const char *value)
{
	return json_pack("{s:s, s:s, s:b}", "title", title, "value", value,
	    "short", 1);
}

static json_t *
reminder_attachment(const struct reminder *r)
{
	char *summary = reminder_summary(r);
	char *fallback = xasprintf("%s — %s", r->name, summary);
	char *last = r->last_contact ? xasprintf("%s (%d day%s ago)",
	    r->last_contact, r->days_since_contact,
	    plural(r->days_since_contact)) : xstrdup("never");
	char *items = xasprintf("%zu", r->nitems_total);
	json_t *fields = json_array(), *a;

	json_array_append_new(fields, field("State", r->state));
	json_array_append_new(fields, field("Due", r->due));
	json_array_append_new(fields, field("Last contact", last));
	json_array_append_new(fields, field("Open items", items));
	a = json_pack("{s:s, s:s, s:s, s:o}", "fallback", fallback,
	    "color", state_color(r->state), "title", r->name,
	    "fields", fields);
	if (a != NULL && is_web_link(r->link))
		json_object_set_new(a, "title_link", json_string(r->link));
	free(summary);
	free(fallback);
	free(last);
	free(items);
	return a;
}

/* The attachments of the first shown reminders, MM_MAX_ATTACHMENTS at most. */
static json_t *
attachments(const struct reminder_batch *b, size_t shown)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < shown && i < b->n && i < MM_MAX_ATTACHMENTS; i++)
		json_array_append_new(list, reminder_attachment(&b->items[i]));
	return list;
}

static int
mm_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct mm_hook *h = n->priv;
	char *title = reminder_title(b);
	char *heading = xasprintf("#### %s\n\n", title), *text;
	size_t shown;
	json_t *root;

	text = reminder_text_within(b, TEXT_MARKDOWN, heading, MM_MAX_TEXT,
	    &shown);
	free(title);
	free(heading);
	/* A test shows no reminder: the request carries what it did. */
	if (!b->test)
		req->shown = shown;
	root = json_pack("{s:s, s:s, s:o}", "text", text,
	    "username", h->username, "attachments", attachments(b, req->shown));
	free(text);
	if (root == NULL)
		return -1;
	if (h->channel != NULL)
		json_object_set_new(root, "channel", json_string(h->channel));
	if (notifier_request_json(req, root) != 0)
		return -1;
	req->method = xstrdup("POST");
	req->url = xstrdup(h->url);
	notifier_request_header(req, 0, "Content-Type", "application/json");
	return 0;
}

static const char *const mm_schemes[] = { "mmost", "mmosts", NULL };

const struct notifier_ops notifier_mattermost = {
	.name = "mattermost",
	.schemes = mm_schemes,
	.match_https = mm_match_https,
	.parse = mm_parse,
	.format = mm_format,
	.release = mm_release,
	.max_body = MM_MAX_BODY,
};
