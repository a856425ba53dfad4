/*
 * slack.c - Slack, as Apprise writes it (NotifySlack.py):
 *
 *   slack://TokenA/TokenB/TokenC[/#channel]     an incoming webhook, POSTed
 *       to https://hooks.slack.com/services/TokenA/TokenB/TokenC;
 *   https://hooks.slack.com/services/TokenA/TokenB/TokenC   the same,
 *       as Slack shows it;
 *   slack://xoxb-TOKEN[/#channel]               a bot token (xoxa-, xoxb-,
 *       xoxp-), POSTed to https://slack.com/api/chat.postMessage with
 *       "Authorization: Bearer TOKEN" (a secret header); the channel is
 *       #general when none is given, as in Apprise.
 *
 * One channel per notifier: "#name", "@user" or "+ID" (an encoded id, sent
 * without the '+'); also as ?to=. "slack://Name@..." posts as Name. Old
 * webhooks honour the channel and the name; app webhooks post where they
 * were made.
 *
 * The message is Block Kit: a header (the title), a section per reminder
 * in mrkdwn (the name as a link to the note, the summary, the late note,
 * the open items), dividers between them, and a context block with "and
 * N more" for the reminders left out; "text" carries the plain text as
 * the fallback notifications show. The blocks are the walk of wording.h
 * in slack_style, which keeps a section's items within its limit; the
 * fallback is reminder_text(). Slack's limits, kept: 50 blocks (so at
 * most SLACK_MAX_SHOWN reminders), 3000 characters a section, 150 a
 * header; the body stays under SLACK_MAX_BODY bytes (counting bytes,
 * never fewer than characters).
 *
 * A bot's answer is HTTP 200 even when Slack refused the message
 * ({"ok": false, "error": "channel_not_found"}): slack_send() reads it.
 *
 * Memory: the instance (n->priv) owns its strings and wipes the secret
 * ones when released.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hosted.h"
#include "../net/http.h"
#include "notifier.h"
#include "wording.h"
#include "../core/util.h"

#define SLACK_WEBHOOK_BASE "https://hooks.slack.com/services"
#define SLACK_POST_MESSAGE "https://slack.com/api/chat.postMessage"
#define SLACK_MAX_BODY ((size_t)32 << 10)
#define SLACK_MAX_BLOCKS 50
/* A header, N sections, N - 1 dividers, a context block: 2N + 1. */
#define SLACK_MAX_SHOWN ((SLACK_MAX_BLOCKS - 1) / 2)
#define SLACK_SECTION_MAX 3000
#define SLACK_HEADER_MAX 150
#define SLACK_FALLBACK_MAX 3000
#define SLACK_NAME_MAX 200
#define SLACK_LINK_MAX 1000
#define SLACK_CHANNEL_MAX 80

struct slack_hook {
	int bot;
	char *url;		/* webhook URL (secret) or chat.postMessage */
	char *token;		/* bot token (secret); NULL for a webhook */
	char *channel;		/* NULL: the webhook's own */
	char *username;		/* NULL: the webhook's own */
};

static void
slack_release(void *priv)
{
	struct slack_hook *h = priv;

	free_secret(h->url);
	free_secret(h->token);
	free(h->channel);
	free(h->username);
	free(h);
}

/* ------------------------------------------------------------ parse */

static int
all_alnum(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* xoxa-, xoxb- or xoxp- and letters, digits, dashes. */
static int
bot_token(const char *s)
{
	if (strncasecmp(s, "xox", 3) != 0 || strchr("abpABP", s[3]) == NULL ||
	    s[3] == '\0' || s[4] != '-' || s[5] == '\0')
		return 0;
	for (s += 5; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/*
 * The channel as Slack's "channel" field takes it: "#name" and "@user" as
 * written, "+ID" without the '+', a bare name with '#'. NULL when it has
 * characters a channel cannot have.
 */
static char *
channel_field(const char *s)
{
	const char *p = s[0] == '#' || s[0] == '@' || s[0] == '+' ? s + 1 : s;
	size_t n = strlen(p), i;

	if (n == 0 || n > SLACK_CHANNEL_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' &&
		    p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
		    p[i] == '_' || p[i] == '-' || p[i] == '.'))
			return NULL;
	if (s[0] == '+')
		return xstrdup(p);
	if (s[0] == '@')
		return xstrdup(s);
	return xasprintf("#%s", p);
}

static int
slack_match_https(const struct url *u)
{
	return strcasecmp(u->host, "hooks.slack.com") == 0 &&
	    (u->port == 0 || u->port == 443) && u->nsegments >= 1 &&
	    strcmp(u->segments[0], "services") == 0;
}

static const char slack_needs_tokens[] =
    "the Slack URL needs three tokens: slack://TokenA/TokenB/TokenC "
    "(or a bot token: slack://xoxb-.../#channel)";

/*
 * The tokens and channels of u: for https://hooks.slack.com/services/A/B/C
 * they follow "services"; for slack:// the host is the first.
 */
static int
slack_parts(const struct url *u, const char **parts, size_t max,
    size_t *nparts)
{
	size_t i = 0, n = 0;

	if (strcmp(u->scheme, "https") == 0)
		i = 1;
	else
		parts[n++] = u->host;
	for (; i < u->nsegments; i++) {
		if (n == max)
			return -1;
		parts[n++] = u->segments[i];
	}
	*nparts = n;
	return 0;
}

static int
slack_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	const char *parts[6], *channel = NULL, *to = url_param(u, "to");
	size_t nparts = 0, ntokens;
	struct slack_hook *h;
	int https = strcmp(u->scheme, "https") == 0;

	(void)why_owned;
	/* The host of slack:// is a token: shown, even when refused, is the
	 * service's host. */
	free(n->hostport);
	n->hostport = xstrdup("hooks.slack.com");
	if (slack_parts(u, parts, 6, &nparts) != 0) {
		*why = "the Slack URL has too many parts: one channel per "
		    "notifier (add another notifier for another channel)";
		return -1;
	}
	if (nparts == 0 || parts[0][0] == '\0') {
		*why = slack_needs_tokens;
		return -1;
	}
	if (!notifier_text_ok(u->user)) {
		*why = "the name to post as (\"Name@\") is not UTF-8 text";
		return -1;
	}
	ntokens = !https && bot_token(parts[0]) ? 1 : 3;
	if (ntokens == 1 && u->user != NULL) {
		*why = "a Slack bot posts under its own name: drop \"Name@\" "
		    "from a slack://xoxb-... URL";
		return -1;
	}
	if (ntokens == 3 && (nparts < 3 || !all_alnum(parts[0]) ||
	    !all_alnum(parts[1]) || !all_alnum(parts[2]))) {
		*why = !https && strncasecmp(parts[0], "xo", 2) == 0 ?
		    "the Slack bot token is not xoxa-, xoxb- or xoxp- and "
		    "letters, digits and dashes" : slack_needs_tokens;
		return -1;
	}
	if (https && nparts > ntokens) {
		*why = "the Slack webhook URL has more than three tokens after "
		    "/services/ (give a channel as ?to=#channel)";
		return -1;
	}
	if (nparts > ntokens + 1 || (nparts > ntokens && to != NULL)) {
		*why = "one Slack channel per notifier (add another notifier "
		    "for another channel)";
		return -1;
	}
	channel = nparts > ntokens ? parts[ntokens] : to;
	h = xcalloc(1, sizeof(*h));
	h->bot = ntokens == 1;
	if (channel != NULL && (h->channel = channel_field(channel)) == NULL) {
		slack_release(h);
		*why = "the Slack channel must be #name, @user or +ID "
		    "(letters, digits, '_', '-', '.')";
		return -1;
	}
	if (h->bot) {
		h->url = xstrdup(SLACK_POST_MESSAGE);
		h->token = xstrdup(parts[0]);
		if (h->channel == NULL)
			h->channel = xstrdup("#general");
	} else
		h->url = xasprintf("%s/%s/%s/%s", SLACK_WEBHOOK_BASE, parts[0],
		    parts[1], parts[2]);
	if (u->user != NULL && u->user[0] != '\0')
		h->username = xstrdup(u->user);
	if (h->bot) {
		free(n->hostport);
		n->hostport = xstrdup("slack.com");
	}
	n->priv = h;
	return 0;
}

static char *
slack_redact(const struct notifier *n)
{
	return hosted_redact(n, "hooks.slack.com/services/");
}

/* ------------------------------------------------------------ format */

/* Slack's control characters in text: &, <, > (and nothing else). */
static void
add_slack_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			strbuf_adds(sb, "&amp;");
		else if (*s == '<')
			strbuf_adds(sb, "&lt;");
		else if (*s == '>')
			strbuf_adds(sb, "&gt;");
		else
			strbuf_addch(sb, *s);
	}
}

/* A link Slack's <url|text> can carry: short, no '|', '>' or space. */
static int
usable_link(const char *link)
{
	return link != NULL && link[0] != '\0' &&
	    strlen(link) <= SLACK_LINK_MAX && strpbrk(link, "|<> ") == NULL;
}

/* "*<link|name>*": the name, bold, as a link to the note. */
static void
add_name(struct strbuf *sb, const struct reminder *r)
{
	char *name = hosted_cut(r->name, SLACK_NAME_MAX);

	strbuf_addch(sb, '*');
	if (usable_link(r->link)) {
		strbuf_addch(sb, '<');
		add_slack_escaped(sb, r->link);
		strbuf_addch(sb, '|');
		add_slack_escaped(sb, name);
		strbuf_addch(sb, '>');
	} else
		add_slack_escaped(sb, name);
	strbuf_addch(sb, '*');
	free(name);
}

static json_t *
mrkdwn(const char *text)
{
	return json_pack("{s:s, s:s}", "type", "mrkdwn", "text", text);
}

static json_t *
header_block(const char *title)
{
	char *cut = hosted_cut(title, SLACK_HEADER_MAX);
	json_t *o = json_pack("{s:s, s:{s:s, s:s, s:b}}", "type", "header",
	    "text", "type", "plain_text", "text", cut, "emoji", 1);

	free(cut);
	return o;
}

static json_t *
section_block(const char *text)
{
	return json_pack("{s:s, s:o}", "type", "section", "text",
	    mrkdwn(text));
}

/*
 * The blocks as the walk makes them: a header, a section per reminder in
 * mrkdwn (name, summary, late note, then as many items as fit
 * SLACK_SECTION_MAX), dividers between them, a context block for the
 * reminders left out.
 */
struct slack_render {
	json_t *blocks;
	struct strbuf section;	/* the reminder being walked */
};

static size_t
slack_title(const char *title, void *ud)
{
	json_array_append_new(((struct slack_render *)ud)->blocks,
	    header_block(title));
	return 0;
}

static void
slack_test(const char *text, void *ud)
{
	json_array_append_new(((struct slack_render *)ud)->blocks,
	    section_block(text));
}

static size_t
slack_begin_reminder(const struct reminder_walk *w, void *ud)
{
	struct strbuf *sb = &((struct slack_render *)ud)->section;

	strbuf_reset(sb);
	add_name(sb, w->r);
	strbuf_addch(sb, '\n');
	add_slack_escaped(sb, w->summary);
	if (w->late != NULL) {
		strbuf_adds(sb, "\n_");
		add_slack_escaped(sb, w->late);
		strbuf_addch(sb, '_');
	}
	return sb->len;
}

/* "• item" on a line of its own, when the section has room for it. */
static size_t
slack_item(const struct reminder_walk *w, void *ud)
{
	struct strbuf bullet = STRBUF_INIT;
	size_t size;

	strbuf_adds(&bullet, "\n• ");
	add_slack_escaped(&bullet, w->line);
	size = bullet.len;
	if (size > w->room)
		size = RENDER_FULL;
	else
		strbuf_add(&((struct slack_render *)ud)->section, bullet.buf,
		    bullet.len);
	strbuf_release(&bullet);
	return size;
}

static void
slack_more_items(const char *more, void *ud)
{
	strbuf_addf(&((struct slack_render *)ud)->section, "\n• %s", more);
}

static size_t
slack_end_reminder(const struct reminder_walk *w, void *ud)
{
	struct slack_render *sr = ud;

	if (w->index > 0)
		json_array_append_new(sr->blocks,
		    json_pack("{s:s}", "type", "divider"));
	json_array_append_new(sr->blocks,
	    section_block(strbuf_str(&sr->section)));
	return 0;
}

static void
slack_more_reminders(const char *more, void *ud)
{
	json_array_append_new(((struct slack_render *)ud)->blocks,
	    json_pack("{s:s, s:[o]}", "type", "context", "elements",
	    mrkdwn(more)));
}

static const struct reminder_style slack_style = {
	.title = slack_title,
	.test = slack_test,
	.begin_reminder = slack_begin_reminder,
	.item = slack_item,
	.more_items = slack_more_items,
	.end_reminder = slack_end_reminder,
	.more_reminders = slack_more_reminders,
	.max_shown = SLACK_MAX_SHOWN,
	/* Room kept for the last line, "• and N more". */
	.item_budget = SLACK_SECTION_MAX - 32,
};

static json_t *
slack_blocks(const struct reminder_batch *b)
{
	struct slack_render sr = { json_array(), STRBUF_INIT };

	reminder_render(b, &slack_style, &sr);
	strbuf_release(&sr.section);
	return sr.blocks;
}

/* The notification's text: the title and the plain text, escaped, cut. */
static char *
fallback_text(const struct reminder_batch *b, const char *title)
{
	struct reminder_batch fit = *b;
	struct strbuf sb = STRBUF_INIT;
	char *plain, *cut;

	if (fit.shown > SLACK_MAX_SHOWN)
		fit.shown = SLACK_MAX_SHOWN;
	plain = reminder_text(&fit, TEXT_PLAIN);
	add_slack_escaped(&sb, title);
	strbuf_addch(&sb, '\n');
	add_slack_escaped(&sb, plain);
	cut = hosted_cut(strbuf_str(&sb), SLACK_FALLBACK_MAX);
	strbuf_release(&sb);
	free(plain);
	return cut;
}

static int
slack_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct slack_hook *h = n->priv;
	char *title = reminder_title(b), *text = fallback_text(b, title);
	json_t *root;

	root = json_pack("{s:s, s:o, s:b, s:b}", "text", text, "blocks",
	    slack_blocks(b), "unfurl_links", 0, "unfurl_media", 0);
	free(title);
	free(text);
	if (root != NULL && h->channel != NULL)
		json_object_set_new(root, "channel", json_string(h->channel));
	if (root != NULL && h->username != NULL)
		json_object_set_new(root, "username", json_string(h->username));
	if (hosted_json_request(req, root, h->url) != 0)
		return -1;
	if (req->shown > SLACK_MAX_SHOWN)
		req->shown = SLACK_MAX_SHOWN;
	if (h->bot)
		notifier_request_header(req, 1, "Authorization", "Bearer %s",
		    h->token);
	return 0;
}

/* ------------------------------------------------------------ send */

/*
 * Slack's Web API answers 200 with {"ok": false, "error": CODE} when it
 * refused the message; CODE (e.g. "channel_not_found") holds no secret.
 */
static void
read_bot_answer(const struct http_response *resp, struct send_result *res)
{
	json_error_t err;
	json_t *root = json_loadb(resp->body ? resp->body : "",
	    resp->body_len, 0, &err);
	const char *code = json_string_value(json_object_get(root, "error"));

	if (json_is_true(json_object_get(root, "ok"))) {
		res->outcome = SEND_ACCEPTED;
	} else {
		int busy = code != NULL && (strcmp(code, "ratelimited") == 0 ||
		    strcmp(code, "service_unavailable") == 0 ||
		    strcmp(code, "internal_error") == 0 ||
		    strcmp(code, "fatal_error") == 0 ||
		    strcmp(code, "request_timeout") == 0);

		/* Slack may still have posted it when it timed out. */
		res->outcome = code != NULL && strcmp(code,
		    "request_timeout") == 0 ? SEND_UNKNOWN : busy ?
		    SEND_RETRY : SEND_REJECTED;
		res->error = xasprintf("Slack refused the message: %.64s",
		    code ? code : "no \"ok\" in its answer");
	}
	json_decref(root);
}

/*
 * A webhook's answer is its status; a bot's is in its body too: a 2xx
 * with {"ok": false} is read there.
 */
static void
slack_send(const struct notifier *n, const struct notifier_request *req,
    struct send_result *res)
{
	const struct slack_hook *h = n->priv;
	struct http_response resp;

	if (!h->bot) {
		notifier_http_send(n, req, res);
		return;
	}
	notifier_http_exchange(n, req, res, &resp);
	if (res->outcome == SEND_ACCEPTED)
		read_bot_answer(&resp, res);
	http_response_release(&resp);
}

static const char *const slack_schemes[] = { "slack", NULL };

const struct notifier_ops notifier_slack = {
	.name = "slack",
	.schemes = slack_schemes,
	.match_https = slack_match_https,
	.parse = slack_parse,
	.format = slack_format,
	.send = slack_send,
	.redact = slack_redact,
	.release = slack_release,
	.max_body = SLACK_MAX_BODY,
};
