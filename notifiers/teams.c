/*
 * teams.c - Microsoft Teams, through a Power Automate workflow or a
 * legacy incoming webhook, as Apprise writes them:
 *
 *   workflows://HOST[:PORT]/WORKFLOW/SIGNATURE[?pa=yes&ver=API-VERSION]
 *       (also workflow://; Apprise's NotifyWorkflows.py, newer than the
 *       1.2.0 Debian ships), POSTed to
 *       https://HOST[:PORT][/powerautomate/automations/direct]/workflows/
 *       WORKFLOW/triggers/manual/paths/invoke?api-version=V&sp=%2Ftriggers
 *       %2Fmanual%2Frun&sv=1.0&sig=SIGNATURE; V is 2016-06-01, or
 *       2022-03-01-preview with pa=yes; id=, workflow=, sig=, signature=,
 *       api-version= are taken as Apprise takes them;
 *   https://HOST/[powerautomate/automations/direct/]workflows/WORKFLOW/
 *       triggers/manual/paths/invoke?...&sig=... : the URL Teams or Power
 *       Automate shows (*.logic.azure.com, *.environment.api.
 *       powerplatform.com, any host with that path), sent as it is, its
 *       api-version, sp and sv kept;
 *   msteams://TEAM/TokenA/TokenB/TokenC[/TokenD] (NotifyMSTeams.py),
 *       POSTed to https://TEAM.webhook.office.com/webhookb2/TokenA/
 *       IncomingWebhook/TokenB/TokenC[/TokenD], and that URL itself.
 *       Apprise's older form without a team (outlook.office.com) is gone
 *       from Microsoft's side and refused here.
 *
 * The message is the same for both: an Adaptive Card 1.4 in a "message"
 * envelope (Power Automate's "post card" flows read it; legacy webhooks
 * take it too, so there is no MessageCard): a heading with the title, a
 * container per reminder (the name, the summary, the late note in the
 * attention colour, a FactSet of the open items and the note's path, and
 * the note as the container's Action.OpenUrl when its link is http(s);
 * Teams opens no obsidian:// link, so none is sent), then "and N more":
 * the walk of wording.h in teams_style.
 * Limit: Teams takes 28 KB a message; the body stays under TEAMS_MAX_BODY
 * and notifier_format() shows fewer reminders until it does.
 *
 * Memory: the instance (n->priv) owns its URL and wipes it when released.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hosted.h"
#include "notifier.h"
#include "wording.h"
#include "../core/util.h"

#define TEAMS_MAX_BODY ((size_t)27 << 10)
#define WORKFLOWS_API_VERSION "2016-06-01"
#define POWER_AUTOMATE_API_VERSION "2022-03-01-preview"
#define POWER_AUTOMATE_PATH "/powerautomate/automations/direct"
#define TEAMS_TEXT_MAX 1000

struct teams_hook {
	char *url;		/* holds the signature or tokens: a secret */
};

static void
teams_release(void *priv)
{
	struct teams_hook *h = priv;

	memset(h->url, 0, strlen(h->url));
	free(h->url);
	free(h);
}

/* ------------------------------------------------------------ parse */

/* Letters, digits and the bytes of extra; not empty. */
static int
word(const char *s, const char *extra)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return 0;
	return 1;
}

/*
 * Where "workflows" starts the path of a workflow URL: 0, or 3 after
 * powerautomate/automations/direct; -1 when the path is not
 * [...]/workflows/ID/triggers/manual/paths/invoke.
 */
static int
workflow_path_at(const struct url *u)
{
	static const char *const tail[] = { "triggers", "manual", "paths",
	    "invoke" };
	size_t at = 0, i;

	if (u->nsegments == 9 && strcmp(u->segments[0], "powerautomate") == 0 &&
	    strcmp(u->segments[1], "automations") == 0 &&
	    strcmp(u->segments[2], "direct") == 0)
		at = 3;
	if (u->nsegments != at + 6 || strcmp(u->segments[at], "workflows") != 0)
		return -1;
	for (i = 0; i < 4; i++)
		if (strcmp(u->segments[at + 2 + i], tail[i]) != 0)
			return -1;
	return (int)at;
}

/* https://TEAM.webhook.office.com/webhookb2/A/IncomingWebhook/B/C[/D] */
static int
office_webhook(const struct url *u)
{
	const char *dot = strchr(u->host, '.');

	return dot != NULL && strcasecmp(dot, ".webhook.office.com") == 0 &&
	    (u->nsegments == 5 || u->nsegments == 6) &&
	    strcmp(u->segments[0], "webhookb2") == 0 &&
	    strcmp(u->segments[2], "IncomingWebhook") == 0;
}

static int
teams_match_https(const struct url *u)
{
	return workflow_path_at(u) >= 0 || office_webhook(u);
}

/* "&key=value", the value percent-encoded. */
static void
add_param(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "%c%s=", sb->len && strchr(sb->buf, '?') ? '&' : '?',
	    key);
	strbuf_add_percent_encoded(sb, value);
}

static const char *
first_param(const struct url *u, const char *a, const char *b)
{
	const char *v = url_param(u, a);

	return v != NULL && v[0] != '\0' ? v : url_param(u, b);
}

/*
 * The workflow's trigger URL from its parts: host and port as written,
 * the Power Automate path or not, the workflow id, the query.
 */
static char *
workflow_url(const struct url *u, int power_automate,
    const char *workflow, const char *sig)
{
	struct strbuf sb = STRBUF_INIT;
	char *hostport = url_hostport(u);
	const char *version = first_param(u, "api-version", "ver");
	const char *sp = url_param(u, "sp"), *sv = url_param(u, "sv");

	strbuf_addf(&sb, "https://%s%s/workflows/", hostport,
	    power_automate ? POWER_AUTOMATE_PATH : "");
	strbuf_add_percent_encoded(&sb, workflow);
	strbuf_adds(&sb, "/triggers/manual/paths/invoke");
	add_param(&sb, "api-version", version && version[0] ? version :
	    power_automate ? POWER_AUTOMATE_API_VERSION :
	    WORKFLOWS_API_VERSION);
	add_param(&sb, "sp", sp && sp[0] ? sp : "/triggers/manual/run");
	add_param(&sb, "sv", sv && sv[0] ? sv : "1.0");
	add_param(&sb, "sig", sig);
	free(hostport);
	return strbuf_detach(&sb);
}

static int
parse_workflow(struct notifier *n, const struct url *u,
    const char **why)
{
	int https = strcmp(u->scheme, "https") == 0, at = workflow_path_at(u);
	const char *workflow, *sig;
	size_t next = 0;
	int pa;

	if (u->host[0] == '\0') {
		*why = "the workflows URL has no host: "
		    "workflows://HOST/WORKFLOW/SIGNATURE";
		return -1;
	}
	if (https) {
		workflow = u->segments[at + 1];
		pa = at > 0;
		next = u->nsegments;
	} else {
		workflow = first_param(u, "workflow", "id");
		if (workflow == NULL || workflow[0] == '\0')
			workflow = next < u->nsegments ? u->segments[next++] :
			    NULL;
		pa = url_param_bool(u, "pa", url_param_bool(u, "powerautomate",
		    0));
		if (pa < 0) {
			*why = "pa= must be yes or no";
			return -1;
		}
	}
	sig = first_param(u, "sig", "signature");
	if ((sig == NULL || sig[0] == '\0') && !https)
		sig = next < u->nsegments ? u->segments[next++] : NULL;
	if (workflow == NULL || sig == NULL || sig[0] == '\0') {
		*why = https ? "the workflow URL has no sig= (copy the whole "
		    "URL Teams shows)" : "the workflows URL needs the workflow "
		    "and its signature: workflows://HOST/WORKFLOW/SIGNATURE";
		return -1;
	}
	if (!word(workflow, "-_") || !word(sig, "-_") || next < u->nsegments) {
		*why = "the workflow id and signature are letters, digits, '-' "
		    "and '_': workflows://HOST/WORKFLOW/SIGNATURE";
		return -1;
	}
	n->priv = xcalloc(1, sizeof(struct teams_hook));
	((struct teams_hook *)n->priv)->url = workflow_url(u, pa, workflow,
	    sig);
	return 0;
}

/* msteams://TEAM/A/B/C[/D] or https://TEAM.webhook.office.com/... */
static int
parse_office(struct notifier *n, const struct url *u,
    const char **why)
{
	int https = strcmp(u->scheme, "https") == 0;
	const char *t[4] = { NULL, NULL, NULL, NULL };
	char *team;
	size_t i, ntokens = 0;
	struct strbuf sb = STRBUF_INIT;

	/* Until the URL is known good, its host may be anything (a token
	 * in the wrong place): shown is the service's domain. */
	free(n->hostport);
	n->hostport = xstrdup("webhook.office.com");
	if (u->user != NULL) {
		*why = "msteams:// needs the team: "
		    "msteams://TEAM/TokenA/TokenB/TokenC "
		    "(outlook.office.com webhooks no longer work)";
		return -1;
	}
	for (i = https ? 1 : 0; i < u->nsegments && ntokens < 4; i++)
		if (!https || i != 2)
			t[ntokens++] = u->segments[i];
	team = https ? xstrndup(u->host, strcspn(u->host, ".")) :
	    xstrdup(u->host);
	if (team[0] == '\0' || ntokens < 3 || i < u->nsegments) {
		*why = "the msteams URL needs the team and three tokens: "
		    "msteams://TEAM/TokenA/TokenB/TokenC";
		free(team);
		return -1;
	}
	if (!word(team, "-") || strchr(t[0], '@') == NULL ||
	    !word(t[0], "-@") || !word(t[1], "") || !word(t[2], "-") ||
	    (t[3] != NULL && !word(t[3], "-_"))) {
		*why = "the msteams team is letters, digits and '-', TokenA "
		    "is ID@ID, TokenB letters and digits";
		free(team);
		return -1;
	}
	strbuf_addf(&sb, "https://%s.webhook.office.com/webhookb2/%s/"
	    "IncomingWebhook/%s/%s", team, t[0], t[1], t[2]);
	if (t[3] != NULL)
		strbuf_addf(&sb, "/%s", t[3]);
	free(n->hostport);
	n->hostport = xasprintf("%s.webhook.office.com", team);
	free(team);
	n->priv = xcalloc(1, sizeof(struct teams_hook));
	((struct teams_hook *)n->priv)->url = strbuf_detach(&sb);
	return 0;
}

static int
teams_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	(void)why_owned;
	if (strcmp(u->scheme, "msteams") == 0 ||
	    (strcmp(u->scheme, "https") == 0 && office_webhook(u)))
		return parse_office(n, u, why);
	return parse_workflow(n, u, why);
}

/* ------------------------------------------------------------ format */

static json_t *
text_block(const char *text)
{
	char *cut = hosted_cut(text, TEAMS_TEXT_MAX);
	json_t *o = json_pack("{s:s, s:s, s:b}", "type", "TextBlock", "text",
	    cut, "wrap", 1);

	free(cut);
	return o;
}

static json_t *
fact(const char *title, const char *value)
{
	char *cut = hosted_cut(value, TEAMS_TEXT_MAX);
	json_t *o = json_pack("{s:s, s:s}", "title", title, "value", cut);

	free(cut);
	return o;
}

static int
http_link(const char *link)
{
	return link != NULL && (strncasecmp(link, "https://", 8) == 0 ||
	    strncasecmp(link, "http://", 7) == 0);
}

/*
 * The card's body as the walk makes it: the heading, a container per
 * reminder (name, summary, late note, a FactSet of its open items and its
 * note), then "and N more".
 */
struct teams_render {
	json_t *body;
	json_t *items;		/* of the reminder's container */
	json_t *facts;		/* of the reminder's FactSet */
};

static size_t
teams_title(const char *title, void *ud)
{
	json_t *heading = text_block(title);

	json_object_set_new(heading, "style", json_string("heading"));
	json_object_set_new(heading, "size", json_string("Large"));
	json_object_set_new(heading, "weight", json_string("Bolder"));
	json_array_append_new(((struct teams_render *)ud)->body, heading);
	return 0;
}

static void
teams_test(const char *text, void *ud)
{
	json_array_append_new(((struct teams_render *)ud)->body,
	    text_block(text));
}

static size_t
teams_begin_reminder(const struct reminder_walk *w, void *ud)
{
	struct teams_render *tr = ud;
	json_t *name = text_block(w->r->name), *sub = text_block(w->summary);

	tr->items = json_array();
	tr->facts = json_array();
	json_object_set_new(name, "weight", json_string("Bolder"));
	json_object_set_new(name, "size", json_string("Medium"));
	json_array_append_new(tr->items, name);
	json_object_set_new(sub, "isSubtle", json_true());
	json_object_set_new(sub, "spacing", json_string("None"));
	json_array_append_new(tr->items, sub);
	if (w->late != NULL) {
		json_t *late = text_block(w->late);

		json_object_set_new(late, "color", json_string("Attention"));
		json_array_append_new(tr->items, late);
	}
	return 0;
}

static size_t
teams_item(const struct reminder_walk *w, void *ud)
{
	const struct reminder_item *it = w->item;
	char *title = it->due ? xasprintf("Due %s", it->due) : xstrdup("Open");

	json_array_append_new(((struct teams_render *)ud)->facts,
	    fact(title, it->text));
	free(title);
	return 0;
}

static void
teams_more_items(const char *more, void *ud)
{
	json_array_append_new(((struct teams_render *)ud)->facts,
	    fact("More", more));
}

/* The facts end with the note's path; the container opens the note when
 * its link is one Teams opens. */
static size_t
teams_end_reminder(const struct reminder_walk *w, void *ud)
{
	struct teams_render *tr = ud;
	json_t *c;

	json_array_append_new(tr->facts, fact("Note", w->r->path));
	json_array_append_new(tr->items, json_pack("{s:s, s:o}", "type",
	    "FactSet", "facts", tr->facts));
	c = json_pack("{s:s, s:b, s:s, s:o}", "type", "Container",
	    "separator", 1, "spacing", "Medium", "items", tr->items);
	if (http_link(w->r->link))
		json_object_set_new(c, "selectAction", json_pack("{s:s, s:s}",
		    "type", "Action.OpenUrl", "url", w->r->link));
	json_array_append_new(tr->body, c);
	return 0;
}

static void
teams_more_reminders(const char *more, void *ud)
{
	json_t *m = text_block(more);

	json_object_set_new(m, "isSubtle", json_true());
	json_object_set_new(m, "separator", json_true());
	json_array_append_new(((struct teams_render *)ud)->body, m);
}

static const struct reminder_style teams_style = {
	.title = teams_title,
	.test = teams_test,
	.begin_reminder = teams_begin_reminder,
	.item = teams_item,
	.more_items = teams_more_items,
	.end_reminder = teams_end_reminder,
	.more_reminders = teams_more_reminders,
};

static json_t *
card_body(const struct reminder_batch *b)
{
	struct teams_render tr = { json_array(), NULL, NULL };

	reminder_render(b, &teams_style, &tr);
	return tr.body;
}

static int
teams_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct teams_hook *h = n->priv;
	json_t *root;

	root = json_pack("{s:s, s:[{s:s, s:n, s:{s:s, s:s, s:s, s:{s:s}, "
	    "s:o}}]}",
	    "type", "message", "attachments",
	    "contentType", "application/vnd.microsoft.card.adaptive",
	    "contentUrl", "content",
	    "$schema", "http://adaptivecards.io/schemas/adaptive-card.json",
	    "type", "AdaptiveCard", "version", "1.4",
	    "msteams", "width", "Full",
	    "body", card_body(b));
	return hosted_json_request(req, root, h->url);
}

static const char *const teams_schemes[] = { "workflows", "workflow",
    "msteams", NULL };

const struct notifier_ops notifier_teams = {
	.name = "teams",
	.schemes = teams_schemes,
	.match_https = teams_match_https,
	.parse = teams_parse,
	.format = teams_format,
	.release = teams_release,
	.max_body = TEAMS_MAX_BODY,
};
