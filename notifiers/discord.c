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
 * "@everyone" pings no one).
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

static char *
embed_description(const struct reminder *r)
{
	struct strbuf sb = STRBUF_INIT;
	char *summary = reminder_summary(r), *late = reminder_late_note(r);
	char *out;

	strbuf_adds(&sb, summary);
	if (late != NULL)
		strbuf_addf(&sb, "\n*%s*", late);
	/* As text: Discord links only http(s). */
	if (r->link != NULL && strlen(r->link) <= DISCORD_LINK_MAX &&
	    strchr(r->link, '`') == NULL)
		strbuf_addf(&sb, "\n`%s`", r->link);
	free(summary);
	free(late);
	out = hosted_cut(strbuf_str(&sb), DISCORD_DESCRIPTION_MAX);
	strbuf_release(&sb);
	return out;
}

/*
 * Add r's items to fields as "Due DATE" / "Open item" fields while the
 * embed stays within DISCORD_EMBED_MAX (*size counts it); the rest, and
 * the items not listed, go in a last "and N more" field.
 */
static void
add_item_fields(json_t *fields, const struct reminder *r, size_t *size)
{
	size_t i, more = r->nitems_total - r->nitems;

	for (i = 0; i < r->nitems; i++) {
		const struct reminder_item *it = &r->items[i];
		char *name = it->due ? xasprintf("Due %s", it->due) :
		    xstrdup("Open item");
		char *value = discord_escaped_cut(it->text,
		    DISCORD_FIELD_VALUE_MAX);
		size_t add = strlen(name) + strlen(value);

		if (i + 2 > DISCORD_MAX_FIELDS ||
		    *size + add + 64 > DISCORD_EMBED_MAX) {
			free(name);
			free(value);
			more += r->nitems - i;
			break;
		}
		json_array_append_new(fields, json_pack("{s:s, s:s, s:b}",
		    "name", name, "value", value, "inline", 0));
		*size += add;
		free(name);
		free(value);
	}
	if (more > 0) {
		char *m = reminder_more(more);

		json_array_append_new(fields, json_pack("{s:s, s:s, s:b}",
		    "name", "More", "value", m, "inline", 0));
		*size += strlen("More") + strlen(m);
		free(m);
	}
}

/* One reminder as an embed; *size: the characters Discord counts. */
static json_t *
reminder_embed(const struct reminder *r, size_t *size)
{
	char *title = hosted_cut(r->name, DISCORD_TITLE_MAX);
	char *description = embed_description(r);
	json_t *fields = json_array(), *o;

	*size = strlen(title) + strlen(description);
	add_item_fields(fields, r, size);
	o = json_pack("{s:s, s:s, s:i, s:o}", "title", title, "description",
	    description, "color", state_colour(r->state), "fields", fields);
	free(title);
	free(description);
	return o;
}

/*
 * The embeds of b: as many reminders as b shows, at most 10 and 6000
 * characters in all; *embedded says how many.
 */
static json_t *
discord_embeds(const struct reminder_batch *b, size_t *embedded)
{
	json_t *embeds = json_array();
	size_t i, total = 0, shown = b->shown < b->n ? b->shown : b->n;

	for (i = 0; i < shown && i < DISCORD_MAX_EMBEDS; i++) {
		size_t size;
		json_t *e = reminder_embed(&b->items[i], &size);

		if (i > 0 && total + size > DISCORD_EMBEDS_TOTAL_MAX) {
			json_decref(e);
			break;
		}
		json_array_append_new(embeds, e);
		total += size;
	}
	*embedded = i;
	return embeds;
}

static int
discord_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct discord_hook *h = n->priv;
	char *title = reminder_title(b), *content, *cut;
	json_t *root, *embeds = NULL;
	size_t embedded = 0;

	if (b->test) {
		char *text = reminder_text(b, TEXT_PLAIN);

		content = xasprintf("**%s**\n%s", title, text);
		free(text);
	} else {
		embeds = discord_embeds(b, &embedded);
		req->shown = embedded;
		if (embedded < b->n) {
			char *more = reminder_more(b->n - embedded);

			content = xasprintf("**%s** (%s)", title, more);
			free(more);
		} else
			content = xasprintf("**%s**", title);
	}
	free(title);
	cut = hosted_cut(content, DISCORD_CONTENT_MAX);
	root = json_pack("{s:s, s:{s:[]}}", "content", cut,
	    "allowed_mentions", "parse");
	free(content);
	free(cut);
	if (root != NULL && embeds != NULL)
		json_object_set_new(root, "embeds", embeds);
	else
		json_decref(embeds);
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
