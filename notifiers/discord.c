/*
 * discord.c - Discord webhooks, as Apprise writes them (NotifyDiscord.py):
 *
 *   discord://[Name@]WebhookID/WebhookToken[?thread=ID]
 *   https://discord.com/api/webhooks/WebhookID/WebhookToken
 *   (also discordapp.com, and /api/vN/webhooks/...)
 *
 * Both POST to https://discord.com/api/webhooks/ID/TOKEN?wait=true: with
 * wait, Discord answers once the message is saved (200 and the message),
 * so an error is seen, not lost (Apprise 1.2.0 puts "wait" in the body,
 * where Discord ignores it; Discord documents it as a query parameter).
 * "Name@" sets the name it posts under; thread= posts into a thread.
 *
 * The message: "content" holds the title (and "and N more" for the
 * reminders left out); one embed per reminder: its title the name, its
 * colour the state, its description the summary, the late note and the
 * note's obsidian:// link as text (Discord refuses any embed "url" but
 * http(s), and shows other schemes in Markdown links as plain text), and
 * a field per open item. Mentions are turned off (a task reading
 * "@everyone" pings no one). Content and embeds are the walk of
 * wording.h in discord_style, which keeps the limits below on fields and
 * embeds.
 *
 * Discord's limits, kept (counting bytes, never fewer than characters):
 * content 2000, 10 embeds, 6000 characters across them, title 256,
 * description 4096, 25 fields, field name 256, value 1024.
 *
 * Memory: the instance (n->priv) owns its strings and wipes the URL when
 * released.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hosted.h"
#include "notifier.h"
#include "wording.h"
#include "../core/util.h"

#define DISCORD_WEBHOOKS "https://discord.com/api/webhooks"
#define DISCORD_MAX_BODY ((size_t)64 << 10)
#define DISCORD_CONTENT_MAX 2000
#define DISCORD_MAX_EMBEDS 10
#define DISCORD_EMBEDS_TOTAL_MAX 6000
#define DISCORD_TITLE_MAX 256
#define DISCORD_DESCRIPTION_MAX 4096
#define DISCORD_MAX_FIELDS 25
#define DISCORD_FIELD_NAME_MAX 256
#define DISCORD_FIELD_VALUE_MAX 1024
/* An embed's own budget, so that the first one always fits. */
#define DISCORD_EMBED_MAX 3000
#define DISCORD_LINK_MAX 1000

struct discord_hook {
	char *url;		/* with id and token: a secret */
	char *username;		/* NULL: the webhook's own */
};

static void
discord_release(void *priv)
{
	struct discord_hook *h = priv;

	memset(h->url, 0, strlen(h->url));
	free(h->url);
	free(h->username);
	free(h);
}

/* ------------------------------------------------------------ parse */

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int
token_chars(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int
discord_host(const char *host)
{
	return strcasecmp(host, "discord.com") == 0 ||
	    strcasecmp(host, "discordapp.com") == 0;
}

/* Where "webhooks" is in an https URL's path: 1 or 2 (api/vN/), or 0. */
static size_t
webhooks_at(const struct url *u)
{
	if (u->nsegments < 2 || strcmp(u->segments[0], "api") != 0)
		return 0;
	if (strcmp(u->segments[1], "webhooks") == 0)
		return 1;
	if (u->nsegments >= 3 && u->segments[1][0] == 'v' &&
	    all_digits(u->segments[1] + 1) &&
	    strcmp(u->segments[2], "webhooks") == 0)
		return 2;
	return 0;
}

static int
discord_match_https(const struct url *u)
{
	return discord_host(u->host) && (u->port == 0 || u->port == 443) &&
	    webhooks_at(u) > 0;
}

static int
discord_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	const char *id, *token, *thread = url_param(u, "thread");
	struct discord_hook *h;
	size_t at, rest;

	(void)why_owned;
	/* The host of discord:// is the webhook's id: shown, even when
	 * refused, is the service's host. */
	free(n->hostport);
	n->hostport = xstrdup("discord.com");
	if (strcmp(u->scheme, "https") == 0) {
		at = webhooks_at(u);
		rest = u->nsegments - at - 1;
		id = rest >= 1 ? u->segments[at + 1] : "";
		token = rest >= 2 ? u->segments[at + 2] : "";
	} else {
		rest = u->nsegments + 1;
		id = u->host;
		token = u->nsegments >= 1 ? u->segments[0] : "";
	}
	if (id[0] == '\0' || token[0] == '\0') {
		*why = "the Discord URL needs the webhook's id and token: "
		    "discord://WebhookID/WebhookToken";
		return -1;
	}
	if (!all_digits(id) || !token_chars(token) || rest > 2) {
		*why = "the Discord webhook id is digits and its token "
		    "letters, digits, '-' and '_': "
		    "discord://WebhookID/WebhookToken";
		return -1;
	}
	if (!notifier_text_ok(u->user)) {
		*why = "the name to post as (\"Name@\") is not UTF-8 text";
		return -1;
	}
	if (thread != NULL && !all_digits(thread)) {
		*why = "thread= must be a Discord thread id (digits)";
		return -1;
	}
	h = xcalloc(1, sizeof(*h));
	h->url = xasprintf("%s/%s/%s?wait=true%s%s", DISCORD_WEBHOOKS, id,
	    token, thread ? "&thread_id=" : "", thread ? thread : "");
	if (u->user != NULL && u->user[0] != '\0')
		h->username = xstrdup(u->user);
	n->priv = h;
	return 0;
}

static char *
discord_redact(const struct notifier *n)
{
	return hosted_redact(n, "discord.com/api/webhooks/");
}

/* ------------------------------------------------------------ format */

/*
 * Discord Markdown's special characters in a task, escaped: emphasis,
 * code and spoilers anywhere, a quote or a heading at the start.
 */
static void
add_discord_escaped(struct strbuf *sb, const char *s)
{
	if (*s == '>' || *s == '#')
		strbuf_addch(sb, '\\');
	for (; *s; s++) {
		if (strchr("\\*_~`|", *s) != NULL)
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s);
	}
}

static char *
discord_escaped_cut(const char *s, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;

	add_discord_escaped(&sb, s);
	out = hosted_cut(strbuf_str(&sb), max);
	strbuf_release(&sb);
	return out;
}

/* The colour of a state: red overdue, blue cold, amber due, grey else. */
static int
state_colour(const char *state)
{
	if (strcmp(state, "overdue") == 0)
		return 0xED4245;
	if (strcmp(state, "cold") == 0)
		return 0x5865F2;
	if (strcmp(state, "due") == 0)
		return 0xFEE75C;
	return 0x95A5A6;
}

/* The summary, the late note and the note's link (as text: Discord
 * links only http(s)). */
static char *
embed_description(const struct reminder_walk *w)
{
	struct strbuf sb = STRBUF_INIT;
	const char *link = w->r->link;
	char *out;

	strbuf_adds(&sb, w->summary);
	if (w->late != NULL)
		strbuf_addf(&sb, "\n*%s*", w->late);
	if (link != NULL && strlen(link) <= DISCORD_LINK_MAX &&
	    strchr(link, '`') == NULL)
		strbuf_addf(&sb, "\n`%s`", link);
	out = hosted_cut(strbuf_str(&sb), DISCORD_DESCRIPTION_MAX);
	strbuf_release(&sb);
	return out;
}

/*
 * The message as the walk makes it: "content" (the title, then the test
 * sentence or "(and N more)"), and an embed per reminder shown: its title
 * the name, its colour the state, its description the summary, and a
 * field per open item while the embed stays within DISCORD_EMBED_MAX;
 * an embed that would take the embeds past DISCORD_EMBEDS_TOTAL_MAX is
 * left out, with the rest.
 */
struct discord_render {
	struct strbuf content;
	json_t *embeds;
	/* The embed being walked, and the characters Discord counts in it. */
	char *title;
	char *description;
	json_t *fields;
	size_t size;
};

static size_t
discord_title(const char *title, void *ud)
{
	strbuf_addf(&((struct discord_render *)ud)->content, "**%s**", title);
	return 0;		/* the content is not in the embeds' budget */
}

static void
discord_test(const char *text, void *ud)
{
	strbuf_addf(&((struct discord_render *)ud)->content, "\n%s", text);
}

static size_t
discord_begin_reminder(const struct reminder_walk *w, void *ud)
{
	struct discord_render *dr = ud;

	dr->title = hosted_cut(w->r->name, DISCORD_TITLE_MAX);
	dr->description = embed_description(w);
	dr->fields = json_array();
	dr->size = strlen(dr->title) + strlen(dr->description);
	return dr->size;
}

static void
add_field(struct discord_render *dr, const char *name, const char *value)
{
	json_array_append_new(dr->fields, json_pack("{s:s, s:s, s:b}",
	    "name", name, "value", value, "inline", 0));
	dr->size += strlen(name) + strlen(value);
}

/* A "Due DATE" or "Open item" field, when the embed has room for it. */
static size_t
discord_item(const struct reminder_walk *w, void *ud)
{
	const struct reminder_item *it = w->item;
	char *name = it->due ? xasprintf("Due %s", it->due) :
	    xstrdup("Open item");
	char *value = discord_escaped_cut(it->text, DISCORD_FIELD_VALUE_MAX);
	size_t size = strlen(name) + strlen(value);

	if (size > w->room)
		size = RENDER_FULL;
	else
		add_field(ud, name, value);
	free(name);
	free(value);
	return size;
}

static void
discord_more_items(const char *more, void *ud)
{
	add_field(ud, "More", more);
}

static size_t
discord_end_reminder(const struct reminder_walk *w, void *ud)
{
	struct discord_render *dr = ud;
	size_t size = dr->size;
	json_t *e = json_pack("{s:s, s:s, s:i, s:o}", "title", dr->title,
	    "description", dr->description, "color", state_colour(w->r->state),
	    "fields", dr->fields);

	free(dr->title);
	free(dr->description);
	if (w->index > 0 && size > w->room) {
		json_decref(e);
		return RENDER_FULL;
	}
	json_array_append_new(dr->embeds, e);
	return size;
}

static void
discord_more_reminders(const char *more, void *ud)
{
	strbuf_addf(&((struct discord_render *)ud)->content, " (%s)", more);
}

static const struct reminder_style discord_style = {
	.title = discord_title,
	.test = discord_test,
	.begin_reminder = discord_begin_reminder,
	.item = discord_item,
	.more_items = discord_more_items,
	.end_reminder = discord_end_reminder,
	.more_reminders = discord_more_reminders,
	.max_shown = DISCORD_MAX_EMBEDS,
	/* Room kept for the "More" field, and its text. */
	.max_items = DISCORD_MAX_FIELDS - 1,
	.item_budget = DISCORD_EMBED_MAX - 64,
	.message_budget = DISCORD_EMBEDS_TOTAL_MAX,
};

static int
discord_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct discord_hook *h = n->priv;
	struct discord_render dr = { STRBUF_INIT, json_array() };
	size_t shown = reminder_render(b, &discord_style, &dr);
	char *cut = hosted_cut(strbuf_str(&dr.content), DISCORD_CONTENT_MAX);
	json_t *root = json_pack("{s:s, s:{s:[]}}", "content", cut,
	    "allowed_mentions", "parse");

	strbuf_release(&dr.content);
	free(cut);
	if (!b->test)
		req->shown = shown;
	/* A test shows no embed, not an empty list of them. */
	if (root != NULL && !b->test)
		json_object_set_new(root, "embeds", dr.embeds);
	else
		json_decref(dr.embeds);
	if (root != NULL && h->username != NULL)
		json_object_set_new(root, "username", json_string(h->username));
	return hosted_json_request(req, root, h->url);
}

static const char *const discord_schemes[] = { "discord", NULL };

const struct notifier_ops notifier_discord = {
	.name = "discord",
	.schemes = discord_schemes,
	.match_https = discord_match_https,
	.parse = discord_parse,
	.format = discord_format,
	.redact = discord_redact,
	.release = discord_release,
	.max_body = DISCORD_MAX_BODY,
};
