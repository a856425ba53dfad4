/*
 * gchat.c - Google Chat incoming webhooks, as Apprise writes them
 * (NotifyGoogleChat.py):
 *
 *   gchat://SPACE/KEY/TOKEN[/THREAD]   (key=, token=, thread=, threadKey=
 *       and workspace= as query parameters too, as in Apprise)
 *   https://chat.googleapis.com/v1/spaces/SPACE/messages?key=KEY&token=TOKEN
 *       [&threadKey=THREAD]: the URL Google Chat shows
 *
 * Both POST to https://chat.googleapis.com/v1/spaces/SPACE/messages?key=
 * KEY&token=TOKEN. A thread goes in the body ("thread": {"threadKey"}),
 * with messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD, as Google
 * documents it now (Apprise 1.2.0 still sends the deprecated threadKey
 * query parameter).
 *
 * The message is "text" in Google Chat's own markup: the title in *bold*,
 * per reminder the name as <link|name> in bold, the summary, the late note
 * in _italics_, the open items as "• " lines; then "and N more". No card:
 * text reads the same on every client and in notifications. Google Chat
 * takes 4096 characters of text (32 KB a message): reminders are added
 * while the text stays under GCHAT_TEXT_MAX bytes (bytes are never fewer
 * than characters), the rest counted in "and N more"; one that is alone
 * and too long is cut.
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

#define GCHAT_SPACES "https://chat.googleapis.com/v1/spaces"
#define GCHAT_MAX_BODY ((size_t)32000)
#define GCHAT_TEXT_MAX 4000
#define GCHAT_LINK_MAX 1000

struct gchat_hook {
	char *url;		/* with key and token: a secret */
	char *thread;		/* NULL: a new thread each time */
};

static void
gchat_release(void *priv)
{
	struct gchat_hook *h = priv;

	memset(h->url, 0, strlen(h->url));
	free(h->url);
	free(h->thread);
	free(h);
}

/* ------------------------------------------------------------ parse */

static int
gchat_match_https(const struct url *u)
{
	return strcasecmp(u->host, "chat.googleapis.com") == 0 &&
	    (u->port == 0 || u->port == 443) && u->nsegments == 4 &&
	    strcmp(u->segments[0], "v1") == 0 &&
	    strcmp(u->segments[1], "spaces") == 0 &&
	    strcmp(u->segments[3], "messages") == 0;
}

/* A space id: letters, digits, '-' and '_'. */
static int
space_id(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* The query value of key, or else the path segment at *next (taken). */
static const char *
param_or_segment(const struct url *u, const char *key,
    size_t *next)
{
	const char *v = url_param(u, key);

	if (v != NULL && v[0] != '\0')
		return v;
	return *next < u->nsegments ? u->segments[(*next)++] : NULL;
}

static int
gchat_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	int https = strcmp(u->scheme, "https") == 0;
	const char *space, *key, *token, *thread;
	size_t next = 0;
	struct gchat_hook *h;
	struct strbuf sb = STRBUF_INIT;

	(void)why_owned;
	/* The host of gchat:// is the space: shown, even when refused, is
	 * the service's host. */
	free(n->hostport);
	n->hostport = xstrdup("chat.googleapis.com");
	if (https) {
		space = u->segments[2];
		next = u->nsegments;
	} else
		space = url_param(u, "workspace") ? url_param(u, "workspace") :
		    u->host;
	key = param_or_segment(u, "key", &next);
	token = param_or_segment(u, "token", &next);
	thread = url_param(u, "thread") ? url_param(u, "thread") :
	    url_param(u, "threadkey");
	if (thread == NULL && next < u->nsegments)
		thread = u->segments[next++];
	if (space == NULL || space[0] == '\0' || key == NULL ||
	    token == NULL || token[0] == '\0') {
		*why = https ? "the Google Chat URL needs key= and token= "
		    "(copy the whole webhook URL)" : "the Google Chat URL "
		    "needs the space, key and token: gchat://SPACE/KEY/TOKEN";
		return -1;
	}
	if (!space_id(space) || next < u->nsegments) {
		*why = "the Google Chat space is letters, digits, '-' and '_': "
		    "gchat://SPACE/KEY/TOKEN";
		return -1;
	}
	strbuf_addf(&sb, "%s/%s/messages?key=", GCHAT_SPACES, space);
	strbuf_add_percent_encoded(&sb, key);
	strbuf_adds(&sb, "&token=");
	strbuf_add_percent_encoded(&sb, token);
	if (thread != NULL && thread[0] != '\0')
		strbuf_adds(&sb, "&messageReplyOption="
		    "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
	h = xcalloc(1, sizeof(*h));
	h->url = strbuf_detach(&sb);
	if (thread != NULL && thread[0] != '\0')
		h->thread = xstrdup(thread);
	n->priv = h;
	return 0;
}

static char *
gchat_redact(const struct notifier *n)
{
	return hosted_redact(n, "chat.googleapis.com/v1/spaces/");
}

/* ------------------------------------------------------------ format */

/* "*<link|name>*", or "*name*" when <|> cannot carry link or name. */
static void
add_name(struct strbuf *sb, const struct reminder *r)
{
	if (r->link != NULL && r->link[0] != '\0' &&
	    strlen(r->link) <= GCHAT_LINK_MAX &&
	    strpbrk(r->link, "|<> ") == NULL && strpbrk(r->name, "|>") == NULL)
		strbuf_addf(sb, "*<%s|%s>*", r->link, r->name);
	else
		strbuf_addf(sb, "*%s*", r->name);
}

static char *
reminder_lines(const struct reminder *r)
{
	struct strbuf sb = STRBUF_INIT;
	char *summary = reminder_summary(r), *late = reminder_late_note(r);
	size_t i;

	add_name(&sb, r);
	strbuf_addf(&sb, "\n%s\n", summary);
	if (late != NULL)
		strbuf_addf(&sb, "_%s_\n", late);
	for (i = 0; i < r->nitems; i++) {
		char *line = reminder_item_line(&r->items[i]);

		strbuf_addf(&sb, "• %s\n", line);
		free(line);
	}
	if (r->nitems_total > r->nitems) {
		char *more = reminder_more(r->nitems_total - r->nitems);

		strbuf_addf(&sb, "• %s\n", more);
		free(more);
	}
	free(summary);
	free(late);
	return strbuf_detach(&sb);
}

/*
 * The message: title, then reminders while they fit GCHAT_TEXT_MAX with
 * room for "and N more" (the first always, cut if it must be).
 */
static char *
gchat_text(const struct reminder_batch *b, size_t *shown_out)
{
	struct strbuf sb = STRBUF_INIT;
	char *title = reminder_title(b), *out;
	size_t i, shown = b->shown < b->n ? b->shown : b->n;
	const size_t room = GCHAT_TEXT_MAX - 32;

	strbuf_addf(&sb, "*%s*\n", title);
	free(title);
	if (b->test) {
		char *text = reminder_text(b, TEXT_PLAIN);

		strbuf_adds(&sb, text);
		free(text);
		shown = b->n;
	}
	for (i = 0; i < shown && !b->test; i++) {
		char *lines = reminder_lines(&b->items[i]);

		if (i > 0 && sb.len + 1 + strlen(lines) > room) {
			free(lines);
			break;
		}
		strbuf_addch(&sb, '\n');
		hosted_add_cut(&sb, lines, sb.len + 4 < room ?
		    room - sb.len : 4);
		free(lines);
	}
	if (!b->test && i < b->n) {
		char *more = reminder_more(b->n - i);

		strbuf_addf(&sb, "\n%s\n", more);
		free(more);
	}
	*shown_out = b->test ? 0 : i;
	out = hosted_cut(strbuf_str(&sb), GCHAT_TEXT_MAX);
	strbuf_release(&sb);
	return out;
}

static int
gchat_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct gchat_hook *h = n->priv;
	char *text = gchat_text(b, &req->shown);
	json_t *root = json_pack("{s:s}", "text", text);

	free(text);
	if (root != NULL && h->thread != NULL)
		json_object_set_new(root, "thread", json_pack("{s:s}",
		    "threadKey", h->thread));
	return hosted_json_request(req, root, h->url);
}

static const char *const gchat_schemes[] = { "gchat", NULL };

const struct notifier_ops notifier_gchat = {
	.name = "gchat",
	.schemes = gchat_schemes,
	.match_https = gchat_match_https,
	.parse = gchat_parse,
	.format = gchat_format,
	.redact = gchat_redact,
	.release = gchat_release,
	.max_body = GCHAT_MAX_BODY,
};
