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
 * than characters), the rest counted in "and N more"; the first, when
 * too long alone, is cut. The text is the walk of wording.h in
 * gchat_style, with GCHAT_TEXT_MAX as its budget.
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

/*
 * The text as the walk makes it: the title in bold, then each reminder's
 * lines, made apart and kept while they fit GCHAT_TEXT_MAX with room for
 * "and N more" (the first always, cut if it must be), then "and N more".
 */
struct gchat_render {
	struct strbuf text;
	struct strbuf lines;	/* of the reminder being walked */
};

static size_t
gchat_title(const char *title, void *ud)
{
	struct strbuf *text = &((struct gchat_render *)ud)->text;
	size_t before = text->len;

	strbuf_addf(text, "*%s*\n", title);
	return text->len - before;
}

static void
gchat_test(const char *text, void *ud)
{
	strbuf_adds(&((struct gchat_render *)ud)->text, text);
}

static size_t
gchat_begin_reminder(const struct reminder_walk *w, void *ud)
{
	struct strbuf *lines = &((struct gchat_render *)ud)->lines;

	strbuf_reset(lines);
	add_name(lines, w->r);
	strbuf_addf(lines, "\n%s\n", w->summary);
	if (w->late != NULL)
		strbuf_addf(lines, "_%s_\n", w->late);
	return 0;
}

static size_t
gchat_item(const struct reminder_walk *w, void *ud)
{
	strbuf_addf(&((struct gchat_render *)ud)->lines, "• %s\n", w->line);
	return 0;
}

static void
gchat_more_items(const char *more, void *ud)
{
	strbuf_addf(&((struct gchat_render *)ud)->lines, "• %s\n", more);
}

static size_t
gchat_end_reminder(const struct reminder_walk *w, void *ud)
{
	struct gchat_render *gr = ud;
	size_t before = gr->text.len;

	if (w->index > 0 && 1 + gr->lines.len > w->room)
		return RENDER_FULL;
	strbuf_addch(&gr->text, '\n');
	hosted_add_cut(&gr->text, strbuf_str(&gr->lines), w->room > 5 ?
	    w->room - 1 : 4);
	return gr->text.len - before;
}

static void
gchat_more_reminders(const char *more, void *ud)
{
	strbuf_addf(&((struct gchat_render *)ud)->text, "\n%s\n", more);
}

static const struct reminder_style gchat_style = {
	.title = gchat_title,
	.test = gchat_test,
	.begin_reminder = gchat_begin_reminder,
	.item = gchat_item,
	.more_items = gchat_more_items,
	.end_reminder = gchat_end_reminder,
	.more_reminders = gchat_more_reminders,
	/* Room kept for the last line, "and N more". */
	.message_budget = GCHAT_TEXT_MAX - 32,
};

static char *
gchat_text(const struct reminder_batch *b, size_t *shown)
{
	struct gchat_render gr = { STRBUF_INIT, STRBUF_INIT };
	char *out;

	*shown = reminder_render(b, &gchat_style, &gr);
	out = hosted_cut(strbuf_str(&gr.text), GCHAT_TEXT_MAX);
	strbuf_release(&gr.text);
	strbuf_release(&gr.lines);
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
