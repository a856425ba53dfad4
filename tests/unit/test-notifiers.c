/*
 * test-notifiers.c - the chat and push services: Slack, Discord, Teams
 * (workflows://, msteams://), Google Chat, ntfy, Mattermost and Matrix.
 *
 * First a table of URLs: each row says whether the URL opens (as which
 * service) or why it is refused (a reason that never quotes a secret),
 * where the request for the sample digest goes, what may be shown of the
 * notifier, which headers the request has, and a JSON subset its body
 * holds. Then what a row cannot say, as functions: the messages for the
 * sample batches, the services' limits with sample_many(), escaping,
 * Matrix's transaction ids, ntfy's masked topic; and a table for
 * FOLLOWUP_TEST_ENDPOINT (loopback only).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unit.h"
#include "reminders.h"
#include "../../core/util.h"
#include "../../notifiers/notifier.h"

/* ------------------------------------------------------------ helpers */

static int
open_url(const char *url, struct notifier *n, char **why)
{
	memset(n, 0, sizeof(*n));
	n->name = xstrdup("test");
	return notifier_open(n, url, why);
}

/* The request of b for url, and its body as JSON (NULL if none). */
static json_t *
format_json(const char *url, struct reminder_batch b,
    struct notifier_request *req)
{
	struct notifier n;
	char *why = NULL;
	json_t *root = NULL;

	memset(req, 0, sizeof(*req));
	if (open_url(url, &n, &why) == 0 && notifier_format(&n, &b, req) == 0)
		root = json_loadb(req->body, req->body_len, 0, NULL);
	else
		printf("# %s: %s\n", url, why ? why : "not formatted");
	free(why);
	notifier_release(&n);
	return root;
}

static const struct notifier_header *
header_of(const struct notifier_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return &req->headers[i];
	return NULL;
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Characters (code points, not bytes) of UTF-8 s, a byte that is not
 * UTF-8 counted as one: counted apart from the code under test. */
static size_t
chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, left = strlen(s), len;

	for (; left > 0; p += len, left -= len, n++)
		if ((len = utf8_seq_len(p, left)) == 0)
			len = 1;
	return n;
}

static int
contains(const char *hay, const char *needle)
{
	int ok = hay != NULL && strstr(hay, needle) != NULL;

	if (!ok)
		printf("# \"%s\" not in: %.300s\n", needle,
		    hay ? hay : "(null)");
	return ok;
}

/* How many times needle is in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* What --dry-run prints of req; the caller frees it. */
static char *
dry_run(const struct notifier *n, const struct notifier_request *req)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	notifier_request_print(f, n, req);
	fclose(f);
	return out;
}

/* Whether s holds any of secrets (NULL-terminated; NULL: none). */
static int
holds_secret(const char *s, const char *const *secrets)
{
	for (; secrets != NULL && *secrets != NULL; secrets++)
		if (s != NULL && strstr(s, *secrets) != NULL)
			return 1;
	return 0;
}

/*
 * want is a subset of got: every key of an object matches, a list
 * matches element by element, other values are equal.
 */
static int
json_subset(json_t *want, json_t *got)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(want)) {
		json_object_foreach(want, key, v)
			if (!json_subset(v, json_object_get(got, key)))
				return 0;
		return json_is_object(got);
	}
	if (json_is_array(want)) {
		if (!json_is_array(got) ||
		    json_array_size(got) != json_array_size(want))
			return 0;
		json_array_foreach(want, i, v)
			if (!json_subset(v, json_array_get(got, i)))
				return 0;
		return 1;
	}
	return json_equal(want, got);
}

/* ------------------------------------------------------------ URL table */

/*
 * One URL. Every field but name and url may be left out: what a row
 * names is checked, for the request of sample_digest().
 */
struct url_row {
	const char *name;
	const char *url;
	const char *opens;	/* the service it opens as; NULL: refused */
	const char *refused;	/* a substring of the reason; NULL: any */
	const char *method;	/* of the request; NULL: POST */
	const char *target;	/* the request's URL; '*' ends a prefix */
	const char *shown;	/* notifier_shown_url(), refused or not */
	/* A JSON subset of the body, written with ' for " (no value here
	 * holds a quote), and a key the body must not have. */
	const char *body;
	const char *absent;
	const char *header;	/* "Name: value", not secret */
	const char *secret_header;	/* "Name: value", shown as "****" */
	const char *no_header;	/* a header the request must not have */
	/* In no reason and no shown URL; for a URL that opens, in nothing
	 * --dry-run prints and not in the host it shows either. */
	const char *const *secrets;
};

#define SECRETS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define HOSTED_JSON "Content-Type: application/json; charset=utf-8"

static const char *const slack_secrets[] = { "T0AAA1", "B0BBB2",
	"cccSECRET3", "xoxb-1111-SECRET", NULL };
static const char *const discord_secrets[] = { "81726354", "dTOKEN-x_9",
	NULL };
static const char *const gchat_secrets[] = { "AAAAk6lGXyM", "AIzaKEY-1",
	"O7bTOKEN", NULL };

#define LOGIC_HOST "prod-161.westeurope.logic.azure.com:443"
#define WF "643e69f83c8944438d68119179a10a64"
#define SIG "KODuebWbDGYFr0z0eu-6Rj8aUKz7108W3wrNJZxFE5A"
#define INVOKE "/triggers/manual/paths/invoke"
#define TRIGGER "&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" SIG
#define OFFICE "https://contoso.webhook.office.com/webhookb2/"

static const char *const teams_secrets[] = { WF, SIG, "aaaa-1111@bbbb-2222",
	"Cc33Dd44", "eeee-5555", NULL };

#define MATRIX_PUT "https://hs.example.org/_matrix/client/v3/rooms/"

static const struct url_row url_rows[] = {
	/* Slack */
	{ .name = "slack/webhook form",
	  .url = "slack://T0AAA1/B0BBB2/cccSECRET3", .opens = "slack",
	  .target = "https://hooks.slack.com/services/T0AAA1/B0BBB2/"
	    "cccSECRET3",
	  .absent = "channel", .header = HOSTED_JSON,
	  .secrets = slack_secrets },
	{ .name = "slack/https webhook is claimed",
	  .url = "https://hooks.slack.com/services/T0AAA1/B0BBB2/cccSECRET3",
	  .opens = "slack",
	  .target = "https://hooks.slack.com/services/T0AAA1/B0BBB2/"
	    "cccSECRET3",
	  .shown = "https://hooks.slack.com/services/****" },
	{ .name = "slack/name and channel",
	  .url = "slack://Followup@T0AAA1/B0BBB2/cccSECRET3/%23people",
	  .opens = "slack",
	  .body = "{'channel': '#people', 'username': 'Followup'}" },
	{ .name = "slack/bot token form",
	  .url = "slack://xoxb-1111-SECRET/@ada",
	  .opens = "slack", .target = "https://slack.com/api/chat.postMessage",
	  .body = "{'channel': '@ada'}",
	  .secret_header = "Authorization: Bearer xoxb-1111-SECRET",
	  .secrets = slack_secrets },
	{ .name = "slack/bot without channel posts to #general",
	  .url = "slack://xoxb-1111-SECRET", .opens = "slack",
	  .body = "{'channel': '#general'}" },
	{ .name = "slack/+ID is sent without '+'",
	  .url = "slack://xoxb-1111-SECRET?to=%2BC0123", .opens = "slack",
	  .body = "{'channel': 'C0123'}" },
	{ .name = "slack/refused: a name that is not UTF-8",
	  .url = "slack://Bot%FF@T0AAA1/B0BBB2/cccSECRET3", .refused = "name",
	  .secrets = slack_secrets },
	{ .name = "slack/refused: two tokens", .url = "slack://T0AAA1/B0BBB2",
	  .refused = "three tokens", .secrets = slack_secrets },
	{ .name = "slack/refused: no token", .url = "slack:///",
	  .refused = "three tokens", .secrets = slack_secrets },
	{ .name = "slack/refused: two channels",
	  .url = "slack://T0AAA1/B0BBB2/cccSECRET3/%23a/%23b", .refused = "one",
	  .secrets = slack_secrets },
	{ .name = "slack/refused: bad channel",
	  .url = "slack://T0AAA1/B0BBB2/cccSECRET3/%23no%20way",
	  .refused = "channel", .secrets = slack_secrets },
	{ .name = "slack/refused: token with a dash",
	  .url = "slack://T0AAA1/B0BBB2/ccc-SECRET3", .refused = "three tokens",
	  .secrets = slack_secrets },
	{ .name = "slack/refused: bad bot token", .url = "slack://xoxz-SECRET",
	  .secrets = slack_secrets },
	{ .name = "slack/refused: https with four tokens",
	  .url = "https://hooks.slack.com/services/T0AAA1/B0BBB2/cccSECRET3/x",
	  .refused = "more than three", .secrets = slack_secrets },
	{ .name = "slack/refused: https with two tokens",
	  .url = "https://hooks.slack.com/services/T0AAA1/B0BBB2",
	  .refused = "three tokens", .secrets = slack_secrets },

	/* Discord */
	{ .name = "discord/discord:// form",
	  .url = "discord://81726354/dTOKEN-x_9", .opens = "discord",
	  .target = "https://discord.com/api/webhooks/81726354/dTOKEN-x_9"
	    "?wait=true",
	  .header = HOSTED_JSON, .secrets = discord_secrets },
	{ .name = "discord/https discord.com",
	  .url = "https://discord.com/api/webhooks/81726354/dTOKEN-x_9",
	  .opens = "discord",
	  .target = "https://discord.com/api/webhooks/81726354/dTOKEN-x_9"
	    "?wait=true",
	  .shown = "https://discord.com/api/webhooks/****" },
	{ .name = "discord/https discordapp.com, api/v10",
	  .url = "https://discordapp.com/api/v10/webhooks/81726354/"
	    "dTOKEN-x_9/",
	  .opens = "discord",
	  .target = "https://discord.com/api/webhooks/81726354/dTOKEN-x_9"
	    "?wait=true" },
	{ .name = "discord/name and thread",
	  .url = "discord://Followup@81726354/dTOKEN-x_9?thread=42",
	  .opens = "discord",
	  .target = "https://discord.com/api/webhooks/81726354/dTOKEN-x_9"
	    "?wait=true&thread_id=42",
	  .body = "{'username': 'Followup'}" },
	{ .name = "discord/refused: a name with a control character",
	  .url = "discord://Bot%1B@81726354/tokSECRET", .refused = "name",
	  .secrets = discord_secrets },
	{ .name = "discord/refused: no token", .url = "discord://81726354",
	  .refused = "id and token", .secrets = discord_secrets },
	{ .name = "discord/refused: id not digits",
	  .url = "discord://dTOKEN-x_9/dTOKEN-x_9", .refused = "digits",
	  .secrets = discord_secrets },
	{ .name = "discord/refused: bad thread",
	  .url = "discord://81726354/dTOKEN-x_9?thread=abc",
	  .refused = "thread",
	  .secrets = discord_secrets },
	{ .name = "discord/refused: https without token",
	  .url = "https://discord.com/api/webhooks/81726354",
	  .refused = "id and token", .secrets = discord_secrets },

	/* Teams */
	{ .name = "teams/workflows:// form",
	  .url = "workflows://" LOGIC_HOST "/" WF "/" SIG, .opens = "teams",
	  .target = "https://" LOGIC_HOST "/workflows/" WF INVOKE
	    "?api-version=2016-06-01" TRIGGER,
	  .shown = "workflows://" LOGIC_HOST "/****", .header = HOSTED_JSON,
	  .secrets = teams_secrets },
	{ .name = "teams/workflows pa=yes, ver=, sig= in the query",
	  .url = "workflow://" LOGIC_HOST "/" WF "?pa=yes&sig=" SIG,
	  .opens = "teams",
	  .target = "https://" LOGIC_HOST "/powerautomate/automations/direct/"
	    "workflows/" WF INVOKE "?api-version=2022-03-01-preview" TRIGGER },
	{ .name = "teams/https logic.azure.com URL kept",
	  .url = "https://" LOGIC_HOST "/workflows/" WF INVOKE
	    "?api-version=2016-06-01" TRIGGER,
	  .opens = "teams",
	  .target = "https://" LOGIC_HOST "/workflows/" WF INVOKE
	    "?api-version=2016-06-01" TRIGGER },
	{ .name = "teams/https powerplatform URL, its api-version kept",
	  .url = "https://default0a1b.2c.environment.api.powerplatform.com:443/"
	    "powerautomate/automations/direct/workflows/" WF INVOKE
	    "?api-version=1" TRIGGER,
	  .opens = "teams",
	  .target = "https://default0a1b.2c.environment.api.powerplatform.com"
	    ":443/powerautomate/automations/direct/workflows/" WF INVOKE
	    "?api-version=1" TRIGGER },
	{ .name = "teams/msteams:// form",
	  .url = "msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44/eeee-5555",
	  .opens = "teams",
	  .target = OFFICE "aaaa-1111@bbbb-2222/IncomingWebhook/Cc33Dd44/"
	    "eeee-5555",
	  .shown = "msteams://contoso.webhook.office.com/****",
	  .secrets = teams_secrets },
	{ .name = "teams/https webhook.office.com URL",
	  .url = OFFICE "aaaa-1111@bbbb-2222/IncomingWebhook/Cc33Dd44/"
	    "eeee-5555/V2abc",
	  .opens = "teams",
	  .target = OFFICE "aaaa-1111@bbbb-2222/IncomingWebhook/Cc33Dd44/"
	    "eeee-5555/V2abc" },
	{ .name = "teams/refused: workflows without signature",
	  .url = "workflows://" LOGIC_HOST "/" WF, .refused = "signature",
	  .secrets = teams_secrets },
	{ .name = "teams/refused: workflows without host",
	  .url = "workflows:///" WF "/" SIG, .refused = "host",
	  .secrets = teams_secrets },
	{ .name = "teams/refused: https workflow without sig",
	  .url = "https://" LOGIC_HOST "/workflows/" WF INVOKE "?api-version=1",
	  .refused = "sig=", .secrets = teams_secrets },
	{ .name = "teams/refused: msteams with two tokens",
	  .url = "msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44",
	  .refused = "three tokens", .secrets = teams_secrets },
	{ .name = "teams/refused: msteams without a team",
	  .url = "msteams://aaaa-1111@bbbb-2222/Cc33Dd44/eeee-5555",
	  .refused = "team", .secrets = teams_secrets },
	{ .name = "teams/refused: TokenA without '@'",
	  .url = "msteams://contoso/Cc33Dd44/Cc33Dd44/eeee-5555",
	  .refused = "ID@ID", .secrets = teams_secrets },

	/* Google Chat */
	{ .name = "gchat/gchat:// form",
	  .url = "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN%3D", .opens = "gchat",
	  .target = "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/"
	    "messages?key=AIzaKEY-1&token=O7bTOKEN%3D",
	  .absent = "thread", .header = HOSTED_JSON,
	  .secrets = gchat_secrets },
	{ .name = "gchat/https form",
	  .url = "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/messages"
	    "?key=AIzaKEY-1&token=O7bTOKEN%3D",
	  .opens = "gchat",
	  .target = "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/"
	    "messages?key=AIzaKEY-1&token=O7bTOKEN%3D",
	  .shown = "https://chat.googleapis.com/v1/spaces/****" },
	{ .name = "gchat/thread",
	  .url = "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN/followup",
	  .opens = "gchat",
	  .target = "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/"
	    "messages?key=AIzaKEY-1&token=O7bTOKEN&messageReplyOption="
	    "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD",
	  .body = "{'thread': {'threadKey': 'followup'}}" },
	{ .name = "gchat/key and token as parameters",
	  .url = "gchat://AAAAk6lGXyM?key=AIzaKEY-1&token=O7bTOKEN",
	  .opens = "gchat",
	  .target = "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/"
	    "messages?key=AIzaKEY-1&token=O7bTOKEN" },
	{ .name = "gchat/refused: no token",
	  .url = "gchat://AAAAk6lGXyM/AIzaKEY-1",
	  .refused = "space, key and token", .secrets = gchat_secrets },
	{ .name = "gchat/refused: https without token",
	  .url = "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/messages"
	    "?key=AIzaKEY-1",
	  .refused = "token=", .secrets = gchat_secrets },
	{ .name = "gchat/refused: too many parts",
	  .url = "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN/t/extra",
	  .secrets = gchat_secrets },

	/* ntfy */
	{ .name = "ntfy/ntfy://TOPIC", .url = "ntfy://topic-Secret_1",
	  .opens = "ntfy" },
	{ .name = "ntfy/ntfy://ntfy.sh/TOPIC", .url = "ntfy://ntfy.sh/topicS",
	  .opens = "ntfy" },
	{ .name = "ntfy/https://ntfy.sh/TOPIC is ntfy's",
	  .url = "https://ntfy.sh/topicS", .opens = "ntfy" },
	{ .name = "ntfy/https://HOST/TOPIC?ntfy is ntfy's",
	  .url = "https://push.example.org/topicS?ntfy", .opens = "ntfy" },
	{ .name = "ntfy/a bare https://HOST/WORD is no one's",
	  .url = "https://push.example.org/topicS",
	  .secrets = SECRETS("topicS") },
	{ .name = "ntfy/no topic", .url = "ntfy://ntfy.sh",
	  .refused = "needs a topic", .shown = "ntfy://****",
	  .secrets = SECRETS("ntfy.sh") },
	{ .name = "ntfy/two topics", .url = "ntfys://host/topicA/topicB",
	  .refused = "one ntfy topic", .secrets = SECRETS("topicA") },
	{ .name = "ntfy/a topic with a dot", .url = "ntfys://host/top.icS",
	  .refused = "1 to 64", .secrets = SECRETS("top.icS") },
	{ .name = "ntfy/a token over plain http to another machine",
	  .url = "ntfy://push.example.org/topicS?token=tk_SECRET",
	  .refused = "ntfys://", .secrets = SECRETS("tk_SECRET") },
	{ .name = "ntfy/a bad priority",
	  .url = "ntfys://host/topicS?priority=urgent", .refused = "priority=",
	  .secrets = SECRETS("topicS") },
	{ .name = "ntfy/shown: cloud topic hidden (ntfy://TOPIC)",
	  .url = "ntfy://topicSecret", .opens = "ntfy",
	  .shown = "ntfy://ntfy.sh/****" },
	{ .name = "ntfy/shown: own server",
	  .url = "ntfys://u:pw@push.example.org:8443/topicS", .opens = "ntfy",
	  .shown = "ntfys://push.example.org:8443/****" },
	/* A refused URL is named in the error by what is shown of it: in
	 * ntfy://TOPIC the host is the topic, a secret. */
	{ .name = "ntfy/refused cloud URL, the topic not shown: priority",
	  .url = "ntfy://topicSecret?priority=urgent",
	  .secrets = SECRETS("topicSecret") },
	{ .name = "ntfy/refused cloud URL, the topic not shown: mode",
	  .url = "ntfy://topicSecret?mode=nosuch",
	  .secrets = SECRETS("topicSecret") },
	{ .name = "ntfy/refused cloud URL, the topic not shown: auth",
	  .url = "ntfy://topicSecret?auth=nosuch",
	  .secrets = SECRETS("topicSecret") },
	{ .name = "ntfy/refused cloud URL, the topic not shown: two topics",
	  .url = "ntfys://topicSecret/?mode=cloud&to=other",
	  .secrets = SECRETS("topicSecret") },
	{ .name = "ntfy/refused cloud URL, the topic not shown: a list",
	  .url = "ntfy://topicSecret,other",
	  .secrets = SECRETS("topicSecret") },
	{ .name = "ntfy/cloud: POST https://ntfy.sh/, the topic in the body",
	  .url = "ntfy://topicS", .opens = "ntfy",
	  .target = "https://ntfy.sh/", .body = "{'topic': 'topicS'}" },
	{ .name = "ntfy/own server: Basic credentials in the URL for http.h",
	  .url = "ntfys://u%40x:p%3Aw@push.example.org:8443/topicS",
	  .opens = "ntfy",
	  .target = "https://u%40x:p%3Aw@push.example.org:8443/",
	  .no_header = "Authorization" },
	{ .name = "ntfy/token= is a secret Bearer header",
	  .url = "ntfys://push.example.org/topicS?token=tk_SECRET",
	  .opens = "ntfy", .target = "https://push.example.org/",
	  .secret_header = "Authorization: Bearer tk_SECRET",
	  .secrets = SECRETS("tk_SECRET") },
	{ .name = "ntfy/auth=token takes the password as the token",
	  .url = "ntfys://:tk_SECRET@push.example.org/topicS?auth=token",
	  .opens = "ntfy", .target = "https://push.example.org/",
	  .secret_header = "Authorization: Bearer tk_SECRET" },

	/* Mattermost */
	{ .name = "mattermost/mmost://HOST/TOKEN",
	  .url = "mmost://chat.example.org/tokenSECRET",
	  .opens = "mattermost" },
	{ .name = "mattermost/https://HOST/hooks/TOKEN is Mattermost's",
	  .url = "https://chat.example.org/hooks/tokenSECRET",
	  .opens = "mattermost" },
	{ .name = "mattermost/https://HOST/hooks/A/B is not",
	  .url = "https://chat.example.org/hooks/tokenSECRET/x",
	  .secrets = SECRETS("tokenSECRET") },
	{ .name = "mattermost/a bot name that is not UTF-8",
	  .url = "mmosts://Bot%FF@chat.example.org/tokenSECRET",
	  .refused = "name", .secrets = SECRETS("tokenSECRET") },
	{ .name = "mattermost/a bot name with a line break",
	  .url = "mmosts://Bot%0A@chat.example.org/tokenSECRET",
	  .refused = "name", .secrets = SECRETS("tokenSECRET") },
	{ .name = "mattermost/no token", .url = "mmosts://chat.example.org/",
	  .refused = "token", .shown = "mmosts://****",
	  .secrets = SECRETS("chat.example.org") },
	{ .name = "mattermost/no token, only a channel",
	  .url = "mmosts://chat.example.org/#town", .refused = "token",
	  .secrets = SECRETS("town") },
	{ .name = "mattermost/two channels",
	  .url = "mmosts://chat.example.org/tokenSECRET?channel=a,b",
	  .refused = "one Mattermost channel",
	  .secrets = SECRETS("tokenSECRET") },
	{ .name = "mattermost/a #channel and channel=",
	  .url = "mmosts://chat.example.org/tokenSECRET/#a?to=b",
	  .refused = "one Mattermost channel",
	  .secrets = SECRETS("tokenSECRET") },
	{ .name = "mattermost/shown: no token, no path",
	  .url = "mmosts://bot@chat.example.org/mm/tokenSECRET",
	  .opens = "mattermost", .shown = "mmosts://chat.example.org/****",
	  .secrets = SECRETS("tokenSECRET", "/mm") },
	{ .name = "mattermost/mmost://: http, port 8065, /hooks/TOKEN",
	  .url = "mmost://chat.example.org/tokenSECRET", .opens = "mattermost",
	  .target = "http://chat.example.org:8065/hooks/tokenSECRET",
	  .body = "{'username': 'followup'}", .absent = "channel",
	  .header = "Content-Type: application/json" },
	{ .name = "mattermost/mmosts://: https, 443, path, botname, #channel",
	  .url = "mmosts://Bot%20Name@chat.example.org/mm/sub/tokenSECRET/"
	    "%23town-square",
	  .opens = "mattermost",
	  .target = "https://chat.example.org/mm/sub/hooks/tokenSECRET",
	  .body = "{'username': 'Bot Name', 'channel': 'town-square'}" },
	{ .name = "mattermost/port and channel=",
	  .url = "mmosts://chat.example.org:8443/tokenSECRET?channel=%23ops",
	  .opens = "mattermost",
	  .target = "https://chat.example.org:8443/hooks/tokenSECRET",
	  .body = "{'channel': 'ops'}" },
	{ .name = "mattermost/the https form posts where it says",
	  .url = "https://chat.example.org/hooks/tokenSECRET",
	  .opens = "mattermost",
	  .target = "https://chat.example.org/hooks/tokenSECRET" },

	/* Matrix. The transaction id ends the PUT: it is pinned, since a
	 * message resent by a later version must keep its id. */
	{ .name = "matrix/login form",
	  .url = "matrixs://bot:pwSECRET@hs.example.org/%23room:example.org",
	  .opens = "matrix" },
	{ .name = "matrix/matrix:// to this machine",
	  .url = "matrix://bot:pwSECRET@127.0.0.1:8008/#room",
	  .opens = "matrix" },
	{ .name = "matrix/matrix:// to another machine",
	  .url = "matrix://bot:pwSECRET@hs.example.org/#room",
	  .refused = "matrixs://", .secrets = SECRETS("pwSECRET") },
	{ .name = "matrix/no room",
	  .url = "matrixs://bot:pwSECRET@hs.example.org",
	  .refused = "needs a room", .secrets = SECRETS("pwSECRET") },
	{ .name = "matrix/no credentials",
	  .url = "matrixs://hs.example.org/#roomSECRET",
	  .refused = "login or an access token",
	  .secrets = SECRETS("roomSECRET") },
	{ .name = "matrix/a user is not a room",
	  .url = "matrixs://tokSECRET@hs.example.org/@ada:example.org",
	  .refused = "not to users", .secrets = SECRETS("tokSECRET") },
	{ .name = "matrix/webhook modes",
	  .url = "matrixs://tokSECRET@hs.example.org/#room?mode=t2bot",
	  .refused = "mode=", .secrets = SECRETS("tokSECRET") },
	{ .name = "matrix/msgtype",
	  .url = "matrixs://tokSECRET@hs.example.org/#room?msgtype=shout",
	  .refused = "msgtype=", .secrets = SECRETS("tokSECRET") },
	{ .name = "matrix/shown",
	  .url = "matrixs://bot:pwSECRET@hs.example.org/#roomSECRET",
	  .opens = "matrix", .shown = "matrixs://hs.example.org/****" },
	{ .name = "matrix/login: PUT to the room as written, no token yet",
	  .url = "matrixs://bot:pwSECRET@hs.example.org/%23room:example.org",
	  .opens = "matrix", .method = "PUT",
	  .target = MATRIX_PUT "%23room%3Aexample.org/send/m.room.message/"
	    "fu5bc690686c5e83d48ae07978dfdc10bd",
	  .no_header = "Authorization", .secrets = SECRETS("pwSECRET") },
	{ .name = "matrix/token@: a secret Bearer header, room id",
	  .url = "matrixs://tokSECRET@hs.example.org/!abc:example.org",
	  .opens = "matrix", .method = "PUT",
	  .target = MATRIX_PUT "%21abc%3Aexample.org/send/m.room.message/"
	    "fu5bc690686c5e83d4b2cdfcc0adddd45c",
	  .secret_header = "Authorization: Bearer tokSECRET",
	  .secrets = SECRETS("tokSECRET") },
	{ .name = "matrix/token= and a bare alias",
	  .url = "matrixs://hs.example.org/room?token=tokSECRET",
	  .opens = "matrix", .method = "PUT",
	  .target = MATRIX_PUT "%23room/send/m.room.message/"
	    "fu5bc690686c5e83d487708e285b99ab61",
	  .secret_header = "Authorization: Bearer tokSECRET" },
};

/* url matches target: equal, or starting with it when it ends in '*'. */
static int
url_matches(const char *url, const char *target)
{
	size_t n = strlen(target);

	if (n > 0 && target[n - 1] == '*')
		return strncmp(url, target, n - 1) == 0;
	return strcmp(url, target) == 0;
}

/* want ("Name: value") is a header of req, secret or not as asked. */
static int
has_header(const struct notifier_request *req, const char *want,
    int secret)
{
	const char *colon = strchr(want, ':');
	char *name = xstrndup(want, (size_t)(colon - want));
	const struct notifier_header *h = header_of(req, name);
	int ok = h != NULL && strcmp(h->value, colon + 2) == 0 &&
	    !h->secret == !secret;

	if (!ok)
		printf("# no header \"%s\"%s\n", want,
		    secret ? " (secret)" : "");
	free(name);
	return ok;
}

static void
check_refusal(const struct url_row *row, const struct notifier *n, int rc,
    const char *why)
{
	char *shown = notifier_shown_url(n), *name;

	CHECK(row->name, rc == -1 && why != NULL && (row->refused == NULL ||
	    strstr(why, row->refused) != NULL) &&
	    !holds_secret(why, row->secrets) &&
	    (row->shown != NULL || !holds_secret(shown, row->secrets)),
	    "rc %d why %s, shown %s", rc, why ? why : "(none)", shown);
	if (row->shown != NULL) {
		name = xasprintf("%s: shown", row->name);
		CHECK(name, strcmp(shown, row->shown) == 0, "%s", shown);
		free(name);
	}
	free(shown);
}

/* The body's checks: the subset it holds, the key it lacks. */
static int
body_holds(const struct url_row *row, const struct notifier_request *req)
{
	json_t *root = json_loadb(req->body, req->body_len, 0, NULL), *want;
	char *quoted = xstrdup(row->body ? row->body : "{}"), *p;
	int ok;

	for (p = quoted; *p; p++)
		if (*p == '\'')
			*p = '"';
	want = json_loads(quoted, 0, NULL);
	ok = root != NULL && want != NULL && json_subset(want, root) &&
	    (row->absent == NULL || json_object_get(root, row->absent) == NULL);
	json_decref(root);
	json_decref(want);
	free(quoted);
	return ok;
}

/* What a row says of the request for the sample digest. */
static void
check_request(const struct url_row *row, const struct notifier *n)
{
	struct reminder_batch b = sample_digest();
	struct notifier_request req;
	char *name, *out;

	if (notifier_format(n, &b, &req) != 0) {
		CHECK(row->name, 0, "not formatted");
		return;
	}
	out = dry_run(n, &req);
	name = xasprintf("%s: request", row->name);
	if (row->target != NULL)
		CHECK(name, strcmp(req.method, row->method ? row->method :
		    "POST") == 0 && url_matches(req.url, row->target),
		    "%s %s", req.method, req.url);
	free(name);
	name = xasprintf("%s: body", row->name);
	if (row->body != NULL || row->absent != NULL)
		CHECK(name, body_holds(row, &req), "%s", req.body);
	free(name);
	name = xasprintf("%s: headers", row->name);
	if (row->header || row->secret_header || row->no_header)
		CHECK(name, (!row->header ||
		    has_header(&req, row->header, 0)) &&
		    (!row->secret_header ||
		    has_header(&req, row->secret_header, 1)) &&
		    (!row->no_header || !header_of(&req, row->no_header)),
		    "%s", out);
	free(name);
	name = xasprintf("%s: nothing secret shown", row->name);
	if (row->secrets != NULL)
		CHECK(name, !holds_secret(out, row->secrets) &&
		    !holds_secret(n->hostport, row->secrets), "%s", out);
	free(name);
	free(out);
	notifier_request_release(&req);
}

static void
check_opened(const struct url_row *row, const struct notifier *n, int rc,
    const char *why)
{
	char *shown, *name;

	CHECK(row->name, rc == 0 && strcmp(n->ops->name, row->opens) == 0,
	    "%s", why ? why : n->ops ? n->ops->name : "no ops");
	if (rc != 0)
		return;
	shown = notifier_shown_url(n);
	name = xasprintf("%s: shown", row->name);
	if (row->shown != NULL)
		CHECK(name, strcmp(shown, row->shown) == 0, "%s", shown);
	else if (row->secrets != NULL)
		CHECK(name, !holds_secret(shown, row->secrets), "%s", shown);
	free(name);
	free(shown);
	if (row->target || row->body || row->absent || row->header ||
	    row->secret_header || row->no_header || row->secrets)
		check_request(row, n);
}

static void
test_url_rows(void)
{
	size_t i;

	for (i = 0; i < sizeof(url_rows) / sizeof(url_rows[0]); i++) {
		const struct url_row *row = &url_rows[i];
		struct notifier n;
		char *why = NULL;
		int rc = open_url(row->url, &n, &why);

		if (row->opens == NULL)
			check_refusal(row, &n, rc, why);
		else
			check_opened(row, &n, rc, why);
		free(why);
		notifier_release(&n);
	}
}

/* ------------------------------------------------------------ Slack */

static json_t *
block(json_t *root, size_t i)
{
	return json_array_get(json_object_get(root, "blocks"), i);
}

static const char *
block_text(json_t *root, size_t i)
{
	return str(json_object_get(block(root, i), "text"), "text");
}

static void
test_slack_digest(void)
{
	struct notifier_request req;
	json_t *root = format_json("slack://T0AAA1/B0BBB2/cccSECRET3",
	    sample_digest(), &req);

	CHECK("slack/digest: header, three sections, two dividers",
	    root && strcmp(str(block(root, 0), "type"), "header") == 0 &&
	    strcmp(block_text(root, 0), "followup: 3 people to follow up") ==
	    0 && json_array_size(json_object_get(root, "blocks")) == 6 &&
	    strcmp(str(block(root, 2), "type"), "divider") == 0,
	    "%s", req.body);
	CHECK("slack/digest: the name links to the note, mrkdwn",
	    contains(block_text(root, 1), "*<obsidian://open?vault=vault&amp;"
	    "file=People%2FAda%20Lovelace|Ada Lovelace>*") &&
	    strcmp(str(json_object_get(block(root, 1), "text"), "type"),
	    "mrkdwn") == 0, "%s", req.body);
	CHECK("slack/digest: summary, items escaped, and 3 more",
	    contains(block_text(root, 1), "overdue · 35 days since contact") &&
	    contains(block_text(root, 1), "• Ask about &lt;Babbage&gt; &amp; "
	    "the \"difference\" engine") &&
	    contains(block_text(root, 1), "• Send the paper on the analytical "
	    "engine (due 2026-11-20)") &&
	    contains(block_text(root, 1), "• and 3 more"), "%s", req.body);
	CHECK("slack/digest: non-ASCII name intact, late note",
	    contains(block_text(root, 3), "|Zoë Ångström>*") &&
	    contains(block_text(root, 3), "_late: should have gone out on "
	    "2026-11-20_") && contains(block_text(root, 3), "📅"),
	    "%s", req.body);
	CHECK("slack/digest: state of the third, text fallback",
	    contains(block_text(root, 5), "due · 27 days since contact") &&
	    contains(str(root, "text"), "followup: 3 people to follow up\n"
	    "Ada Lovelace — overdue") && contains(str(root, "text"),
	    "&lt;Babbage&gt; &amp;"), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_slack_single_and_test(void)
{
	struct notifier_request req;
	json_t *root = format_json("slack://T0AAA1/B0BBB2/cccSECRET3",
	    sample_single(), &req);

	CHECK("slack/single: header names the person, one section",
	    root && strcmp(block_text(root, 0),
	    "Follow up with Ada Lovelace") == 0 &&
	    json_array_size(json_object_get(root, "blocks")) == 2,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("slack://T0AAA1/B0BBB2/cccSECRET3", sample_test(),
	    &req);
	CHECK("slack/test message", root && strcmp(block_text(root, 0),
	    "followup: a test message") == 0 && contains(block_text(root, 1),
	    "test message from followup"), "%s", req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);
}

/* The sections of root, and whether each is within 3000 characters. */
static size_t
slack_sections(json_t *root, int *ok)
{
	json_t *blocks = json_object_get(root, "blocks");
	size_t i, sections = 0;

	for (i = 0; i < json_array_size(blocks); i++)
		if (strcmp(str(json_array_get(blocks, i), "type"),
		    "section") == 0) {
			sections++;
			if (chars(block_text(root, i)) > 3000)
				*ok = 0;
		}
	return sections;
}

static void
test_slack_many(void)
{
	struct notifier_request req;
	json_t *root = format_json("slack://T0AAA1/B0BBB2/cccSECRET3",
	    sample_many(), &req);
	json_t *blocks = json_object_get(root, "blocks");
	size_t nblocks = json_array_size(blocks), sections;
	int ok = 1;
	char want[32];
	const char *more = str(json_array_get(json_object_get(json_array_get(
	    blocks, nblocks - 1), "elements"), 0), "text");

	sections = slack_sections(root, &ok);
	CHECK("slack/many: at most 50 blocks, sections within 3000",
	    root && nblocks <= 50 && ok && sections > 1 &&
	    chars(block_text(root, 0)) <= 150, "%zu blocks", nblocks);
	snprintf(want, sizeof(want), "and %zu more", SAMPLE_MANY - sections);
	CHECK("slack/many: and N more counts the rest",
	    strcmp(more, want) == 0, "\"%s\" want \"%s\"", more, want);
	CHECK("slack/many: body and text within limits",
	    req.body_len <= ((size_t)32 << 10) &&
	    chars(str(root, "text")) <= 3000, "%zu bytes", req.body_len);
	CHECK("slack/many: the request says how many it shows",
	    req.shown == sections, "%zu shown, %zu sections", req.shown,
	    sections);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ Discord */

static json_t *
embed(json_t *root, size_t i)
{
	return json_array_get(json_object_get(root, "embeds"), i);
}

static json_t *
field(json_t *root, size_t e, size_t f)
{
	return json_array_get(json_object_get(embed(root, e), "fields"), f);
}

/* Every embed within Discord's limits; the characters in all of them. */
static size_t
embeds_size(json_t *root, int *ok)
{
	size_t i, j, total = 0;
	json_t *e;

	json_array_foreach(json_object_get(root, "embeds"), i, e) {
		json_t *fields = json_object_get(e, "fields"), *f;

		total += chars(str(e, "title")) + chars(str(e, "description"));
		if (chars(str(e, "title")) > 256 ||
		    chars(str(e, "description")) > 4096 ||
		    json_array_size(fields) > 25 || json_object_get(e, "url"))
			*ok = 0;
		json_array_foreach(fields, j, f) {
			total += chars(str(f, "name")) + chars(str(f, "value"));
			if (chars(str(f, "name")) > 256 ||
			    chars(str(f, "value")) > 1024)
				*ok = 0;
		}
	}
	return total;
}

static void
test_discord_digest(void)
{
	struct notifier_request req;
	json_t *root = format_json("discord://81726354/dTOKEN-x_9",
	    sample_digest(), &req);

	CHECK("discord/digest: content is the title, three embeds",
	    root && strcmp(str(root, "content"),
	    "**followup: 3 people to follow up**") == 0 &&
	    json_array_size(json_object_get(root, "embeds")) == 3,
	    "%s", req.body);
	CHECK("discord/digest: name, state colour, no embed url",
	    strcmp(str(embed(root, 0), "title"), "Ada Lovelace") == 0 &&
	    json_integer_value(json_object_get(embed(root, 0), "color")) ==
	    0xED4245 && json_object_get(embed(root, 0), "url") == NULL,
	    "%s", req.body);
	CHECK("discord/digest: summary and the link as text",
	    contains(str(embed(root, 0), "description"), "overdue · 35 days "
	    "since contact · due 2026-11-20 (5 days ago)\n`obsidian://open?"
	    "vault=vault&file=People%2FAda%20Lovelace`"), "%s", req.body);
	CHECK("discord/digest: items as fields, and 3 more",
	    strcmp(str(field(root, 0, 0), "name"), "Due 2026-11-20") == 0 &&
	    strcmp(str(field(root, 0, 1), "name"), "Open item") == 0 &&
	    strcmp(str(field(root, 0, 1), "value"), "Ask about <Babbage> & "
	    "the \"difference\" engine") == 0 &&
	    strcmp(str(field(root, 0, 2), "value"), "and 3 more") == 0,
	    "%s", req.body);
	CHECK("discord/digest: non-ASCII name intact, late, mentions off",
	    strcmp(str(embed(root, 1), "title"), "Zoë Ångström") == 0 &&
	    contains(str(embed(root, 1), "description"), "*late: should have "
	    "gone out on 2026-11-20*") && json_array_size(json_object_get(
	    json_object_get(root, "allowed_mentions"), "parse")) == 0 &&
	    json_object_get(root, "allowed_mentions") != NULL,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_discord_single_and_test(void)
{
	struct notifier_request req;
	json_t *root = format_json("discord://81726354/dTOKEN-x_9",
	    sample_single(), &req);

	CHECK("discord/single", root && strcmp(str(root, "content"),
	    "**Follow up with Ada Lovelace**") == 0 &&
	    json_array_size(json_object_get(root, "embeds")) == 1,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("discord://81726354/dTOKEN-x_9", sample_test(),
	    &req);
	CHECK("discord/test message", root && contains(str(root, "content"),
	    "test message from followup") &&
	    json_object_get(root, "embeds") == NULL, "%s",
	    req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_discord_many(void)
{
	struct notifier_request req;
	json_t *root = format_json("discord://81726354/dTOKEN-x_9",
	    sample_many(), &req);
	size_t nembeds = json_array_size(json_object_get(root, "embeds"));
	char want[64];
	int ok = 1;

	CHECK("discord/many: at most 10 embeds, 6000 characters",
	    root && nembeds >= 1 && nembeds <= 10 &&
	    embeds_size(root, &ok) <= 6000 && ok, "%zu embeds", nembeds);
	snprintf(want, sizeof(want), "(and %zu more)", SAMPLE_MANY - nembeds);
	CHECK("discord/many: content says how many more",
	    contains(str(root, "content"), want) &&
	    chars(str(root, "content")) <= 2000, "%s", str(root, "content"));
	CHECK("discord/many: the request says how many it shows",
	    req.shown == nembeds, "%zu shown", req.shown);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ Teams */

static json_t *
card(json_t *root)
{
	return json_object_get(json_array_get(json_object_get(root,
	    "attachments"), 0), "content");
}

static json_t *
card_block(json_t *root, size_t i)
{
	return json_array_get(json_object_get(card(root), "body"), i);
}

static json_t *
container_item(json_t *root, size_t c, size_t i)
{
	return json_array_get(json_object_get(card_block(root, c), "items"), i);
}

static const char *
fact_at(json_t *factset, size_t i, const char *key)
{
	return str(json_array_get(json_object_get(factset, "facts"), i), key);
}

#define TEAMS_URL "workflows://" LOGIC_HOST "/" WF "/" SIG

static void
test_teams_digest(void)
{
	struct notifier_request req;
	json_t *root = format_json(TEAMS_URL, sample_digest(), &req), *facts;

	CHECK("teams/digest: message envelope, Adaptive Card 1.4",
	    root && strcmp(str(root, "type"), "message") == 0 &&
	    strcmp(str(json_array_get(json_object_get(root, "attachments"), 0),
	    "contentType"), "application/vnd.microsoft.card.adaptive") == 0 &&
	    strcmp(str(card(root), "type"), "AdaptiveCard") == 0 &&
	    strcmp(str(card(root), "version"), "1.4") == 0, "%s", req.body);
	CHECK("teams/digest: heading, a container per reminder",
	    strcmp(str(card_block(root, 0), "text"),
	    "followup: 3 people to follow up") == 0 &&
	    strcmp(str(card_block(root, 0), "style"), "heading") == 0 &&
	    json_array_size(json_object_get(card(root), "body")) == 4 &&
	    strcmp(str(card_block(root, 1), "type"), "Container") == 0,
	    "%s", req.body);
	CHECK("teams/digest: name and summary",
	    strcmp(str(container_item(root, 1, 0), "text"), "Ada Lovelace") ==
	    0 && contains(str(container_item(root, 1, 1), "text"),
	    "overdue · 35 days since contact"), "%s", req.body);
	facts = container_item(root, 1, 2);
	CHECK("teams/digest: items, more and the note as facts",
	    strcmp(str(facts, "type"), "FactSet") == 0 &&
	    strcmp(fact_at(facts, 0, "title"), "Due 2026-11-20") == 0 &&
	    strcmp(fact_at(facts, 1, "value"), "Ask about <Babbage> & the "
	    "\"difference\" engine") == 0 &&
	    strcmp(fact_at(facts, 2, "value"), "and 3 more") == 0 &&
	    strcmp(fact_at(facts, 3, "value"), "People/Ada Lovelace.md") == 0,
	    "%s", req.body);
	CHECK("teams/digest: no obsidian:// action, non-ASCII name, late",
	    json_object_get(card_block(root, 1), "selectAction") == NULL &&
	    strcmp(str(container_item(root, 2, 0), "text"), "Zoë Ångström") ==
	    0 && strcmp(str(container_item(root, 2, 2), "color"),
	    "Attention") == 0 && contains(str(container_item(root, 2, 2),
	    "text"), "late: should have gone out on 2026-11-20"),
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_teams_single_and_test(void)
{
	struct notifier_request req;
	json_t *root = format_json(TEAMS_URL, sample_single(), &req);

	CHECK("teams/single", root && strcmp(str(card_block(root, 0), "text"),
	    "Follow up with Ada Lovelace") == 0 &&
	    json_array_size(json_object_get(card(root), "body")) == 2,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json(TEAMS_URL, sample_test(), &req);
	CHECK("teams/test message", root && strcmp(str(card_block(root, 0),
	    "text"), "followup: a test message") == 0 &&
	    contains(str(card_block(root, 1), "text"), "test message"),
	    "%s", req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44/"
	    "eeee-5555", sample_digest(), &req);
	CHECK("teams/msteams sends the same Adaptive Card",
	    root && strcmp(str(card(root), "type"), "AdaptiveCard") == 0,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_teams_many(void)
{
	struct notifier_request req;
	json_t *root = format_json(TEAMS_URL, sample_many(), &req);
	json_t *body = json_object_get(card(root), "body");
	size_t nbody = json_array_size(body);
	char want[32];

	CHECK("teams/many: under 28 KB", root && req.body_len <= 28000 &&
	    nbody > 3, "%zu bytes, %zu blocks", req.body_len, nbody);
	/* heading, containers, "and N more" */
	snprintf(want, sizeof(want), "and %zu more", SAMPLE_MANY - (nbody - 2));
	CHECK("teams/many: and N more counts the rest",
	    strcmp(str(json_array_get(body, nbody - 1), "text"), want) == 0,
	    "want %s", want);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ Google Chat */

#define GCHAT_URL "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN"

static void
test_gchat_messages(void)
{
	struct notifier_request req;
	json_t *root = format_json(GCHAT_URL, sample_digest(), &req);
	const char *text = str(root, "text");

	CHECK("gchat/digest: bold title, the name as a link",
	    root && strncmp(text, "*followup: 3 people to follow up*\n", 34) ==
	    0 && contains(text, "*<obsidian://open?vault=vault&file=People%2F"
	    "Ada%20Lovelace|Ada Lovelace>*\noverdue · 35 days since contact"),
	    "%s", req.body);
	CHECK("gchat/digest: items and more",
	    contains(text, "• Ask about <Babbage> & the \"difference\" "
	    "engine\n") && contains(text, "• and 3 more\n"), "%s", req.body);
	CHECK("gchat/digest: non-ASCII name intact, late in italics",
	    contains(text, "|Zoë Ångström>*") && contains(text,
	    "_late: should have gone out on 2026-11-20_") &&
	    contains(text, "Grace Hopper>*\ndue · 27 days"), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json(GCHAT_URL, sample_single(), &req);
	CHECK("gchat/single", root && strncmp(str(root, "text"),
	    "*Follow up with Ada Lovelace*\n", 30) == 0, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json(GCHAT_URL, sample_test(), &req);
	CHECK("gchat/test message", root && contains(str(root, "text"),
	    "*followup: a test message*\nThis is a test message"), "%s",
	    req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);
}

/*
 * The text of service's message for sample_many(), root's "text": within
 * max characters, "and N more" counting the reminders it leaves out, and
 * the request saying how many it shows. Returns how many it shows.
 */
static size_t
check_text_cut(const char *service, json_t *root,
    const struct notifier_request *req, size_t max)
{
	const char *text = str(root, "text");
	size_t shown = count(text, "Person number");
	char want[32], *name;

	snprintf(want, sizeof(want), "\nand %zu more\n", SAMPLE_MANY - shown);
	name = xasprintf("%s/many: text within %zu characters, and N more",
	    service, max);
	CHECK(name, root && chars(text) <= max && shown >= 1 &&
	    contains(text, want), "%zu characters, %zu shown", chars(text),
	    shown);
	free(name);
	name = xasprintf("%s/many: the request says how many it shows",
	    service);
	CHECK(name, req->shown == shown, "%zu shown, %zu in the text",
	    req->shown, shown);
	free(name);
	return shown;
}

static void
test_gchat_many(void)
{
	struct notifier_request req;
	json_t *root = format_json(GCHAT_URL, sample_many(), &req);

	check_text_cut("gchat", root, &req, 4096);
	CHECK("gchat/many: the body within 32000 bytes",
	    req.body_len <= 32000, "%zu bytes", req.body_len);
	json_decref(root);
	notifier_request_release(&req);
}

/* A reminder too long for Google Chat alone is cut, never left out. */
static void
test_gchat_cut(void)
{
	static struct reminder_item items[1];
	struct reminder r = sample_reminders[0];
	struct reminder_batch b = sample_single();
	struct notifier_request req;
	char *name = xmalloc(6001);
	json_t *root;

	memset(name, 'n', 6000);
	name[6000] = '\0';
	items[0] = sample_items_ada[0];
	r.name = name;
	r.items = items;
	r.nitems = r.nitems_total = 1;
	b.items = &r;
	root = format_json(GCHAT_URL, b, &req);
	CHECK("gchat/one long reminder: cut within 4000 bytes, shown",
	    root && strlen(str(root, "text")) <= 4000 &&
	    contains(str(root, "text"), "…") && req.shown == 1,
	    "%zu bytes", strlen(str(root, "text")));
	json_decref(root);
	notifier_request_release(&req);
	free(name);
}

/* ------------------------------------------------------------ ntfy */

static int
has_tag(json_t *root, const char *tag)
{
	json_t *tags = json_object_get(root, "tags");
	size_t i;

	for (i = 0; i < json_array_size(tags); i++)
		if (strcmp(json_string_value(json_array_get(tags, i)),
		    tag) == 0)
			return 1;
	return 0;
}

static void
test_ntfy_digest(void)
{
	struct notifier_request req;
	json_t *root = format_json("ntfys://push.example.org/topicS",
	    sample_digest(), &req);
	const char *msg = str(root, "message");

	CHECK("ntfy/digest: title, markdown, names as links",
	    root && strcmp(str(root, "title"),
	    "followup: 3 people to follow up") == 0 &&
	    json_is_true(json_object_get(root, "markdown")) &&
	    contains(msg, "[Ada Lovelace](obsidian://open?vault=vault&file="
	    "People%2FAda%20Lovelace)"), "%s", req.body);
	CHECK("ntfy/digest: the non-ASCII name intact",
	    contains(msg, "Zoë Ångström") && contains(msg, "Café au lait"),
	    "%s", msg);
	CHECK("ntfy/digest: states, late note, more items",
	    contains(msg, "overdue · 35 days since contact") &&
	    contains(msg, "late: should have gone out on 2026-11-20") &&
	    contains(msg, "and 3 more"), "%s", msg);
	CHECK("ntfy/digest: high priority (cold, overdue), a tag per state",
	    json_integer_value(json_object_get(root, "priority")) == 4 &&
	    has_tag(root, "warning") && has_tag(root, "snowflake") &&
	    has_tag(root, "date"), "%s", req.body);
	CHECK("ntfy/digest: no click (several notes)",
	    json_object_get(root, "click") == NULL, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_ntfy_single(void)
{
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root = format_json("ntfys://push.example.org/topicS?tags="
	    "followup,x", sample_single(), &req);

	CHECK("ntfy/single: title, click opens the note, tags= added",
	    root && strcmp(str(root, "title"),
	    "Follow up with Ada Lovelace") == 0 &&
	    strcmp(str(root, "click"), sample_reminders[0].link) == 0 &&
	    has_tag(root, "warning") && has_tag(root, "followup") &&
	    has_tag(root, "x"), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	b.items = sample_reminders + 2;
	b.n = b.shown = 1;
	root = format_json("ntfys://push.example.org/topicS?priority=max&"
	    "click=https://example.org/x", b, &req);
	CHECK("ntfy/priority= and click= win",
	    root && json_integer_value(json_object_get(root, "priority")) == 5
	    && strcmp(str(root, "click"), "https://example.org/x") == 0,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

/* --dry-run prints the request: the topic in the body is as secret as
 * in the URL. */
static void
test_ntfy_dry_run(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	char *why = NULL, *out = NULL;
	int rc = open_url("ntfy://topicSecret", &n, &why);

	if (rc == 0 && notifier_format(&n, &b, &req) == 0) {
		out = dry_run(&n, &req);
		notifier_request_release(&req);
	}
	CHECK("ntfy/dry run: the topic in the body is masked",
	    out != NULL && strstr(out, "topicSecret") == NULL &&
	    strstr(out, "\"topic\":\"****\"") != NULL &&
	    strstr(out, "Ada Lovelace") != NULL, "%s", out ? out : why);
	free(out);
	free(why);
	notifier_release(&n);
}

static void
test_ntfy_test_and_many(void)
{
	struct notifier_request req;
	json_t *root = format_json("ntfys://push.example.org/topicS",
	    sample_test(), &req);

	CHECK("ntfy/test message",
	    root && strcmp(str(root, "title"), "followup: a test message") ==
	    0 && contains(str(root, "message"), "test message") &&
	    json_integer_value(json_object_get(root, "priority")) == 3,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("ntfys://push.example.org/topicS", sample_many(),
	    &req);
	CHECK("ntfy/many: the JSON body within ntfy's 4096 bytes, and N more",
	    root && req.body_len <= 4096 &&
	    contains(str(root, "message"), " more\n") &&
	    contains(str(root, "message"), "Person number 0000"),
	    "%zu bytes", req.body_len);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ Mattermost */

#define MM_URL "mmosts://chat.example.org/tokenSECRET"

static json_t *
fields_value(json_t *attachment, const char *title)
{
	json_t *fields = json_object_get(attachment, "fields");
	size_t i;

	for (i = 0; i < json_array_size(fields); i++)
		if (strcmp(str(json_array_get(fields, i), "title"), title) == 0)
			return json_object_get(json_array_get(fields, i),
			    "value");
	return NULL;
}

static void
test_mattermost_digest(void)
{
	struct notifier_request req;
	json_t *root = format_json(MM_URL, sample_digest(), &req);
	json_t *atts = json_object_get(root, "attachments");
	json_t *a0 = json_array_get(atts, 0), *a1 = json_array_get(atts, 1);
	const char *text = str(root, "text");

	CHECK("mattermost/digest: a heading, names as Markdown links",
	    strncmp(text, "#### followup: 3 people to follow up\n", 37) == 0 &&
	    contains(text, "[Ada Lovelace](obsidian://open?vault=vault&file="
	    "People%2FAda%20Lovelace)"), "%s", text);
	CHECK("mattermost/digest: non-ASCII intact, items, late, more",
	    contains(text, "Zoë Ångström") && contains(text, "Café au lait") &&
	    contains(text, "late: should have gone out on 2026-11-20") &&
	    contains(text, "and 3 more"), "%s", text);
	CHECK("mattermost/digest: one attachment per reminder",
	    json_array_size(atts) == 3 && strcmp(str(a0, "title"),
	    "Ada Lovelace") == 0 && strcmp(str(a1, "title"),
	    "Zoë Ångström") == 0, "%s", req.body);
	CHECK("mattermost/attachment: fallback, color by state, fields",
	    contains(str(a0, "fallback"), "Ada Lovelace — overdue") &&
	    strcmp(str(a0, "color"), str(a1, "color")) != 0 &&
	    strcmp(json_string_value(fields_value(a0, "State")), "overdue")
	    == 0 && strcmp(json_string_value(fields_value(a0, "Due")),
	    "2026-11-20") == 0 && strcmp(json_string_value(fields_value(a0,
	    "Open items")), "5") == 0, "%s", req.body);
	CHECK("mattermost/attachment: no title_link for obsidian://",
	    json_object_get(a0, "title_link") == NULL, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_mattermost_single_and_test(void)
{
	struct notifier_request req;
	json_t *root = format_json(MM_URL, sample_single(), &req);

	CHECK("mattermost/single",
	    strncmp(str(root, "text"), "#### Follow up with Ada Lovelace",
	    32) == 0 && json_array_size(json_object_get(root,
	    "attachments")) == 1, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json(MM_URL, sample_test(), &req);
	CHECK("mattermost/test message, no attachments",
	    contains(str(root, "text"), "test message") &&
	    json_array_size(json_object_get(root, "attachments")) == 0,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
}

static void
test_mattermost_many(void)
{
	struct notifier_request req;
	json_t *root = format_json(MM_URL, sample_many(), &req);

	check_text_cut("mattermost", root, &req, 16383);
	CHECK("mattermost/many: the text fills the post (over 12000)",
	    chars(str(root, "text")) > 12000, "%zu characters",
	    chars(str(root, "text")));
	CHECK("mattermost/many: at most 20 attachments, body bounded",
	    json_array_size(json_object_get(root, "attachments")) <= 20 &&
	    req.body_len <= ((size_t)256 << 10), "%zu attachments, %zu bytes",
	    json_array_size(json_object_get(root, "attachments")),
	    req.body_len);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ Matrix */

#define MATRIX_URL "matrixs://tokSECRET@hs.example.org/#room:x"

/*
 * Transaction ids are the access token's (matrix-spec #1133): a login
 * makes a new token each run, so only a token given in the URL makes a
 * resend on a later run harmless.
 */
static void
test_matrix_resend(void)
{
	struct notifier login, token;
	char *why1 = NULL, *why2 = NULL;
	int rc1 = open_url("matrixs://bot:pwSECRET@hs.example.org/"
	    "#room:example.org", &login, &why1);
	int rc2 = open_url("matrixs://tokSECRET@hs.example.org/"
	    "#room:example.org", &token, &why2);
	struct notifier_request req;
	json_t *root = format_json("matrixs://bot:pwSECRET@hs.example.org/"
	    "%23room:example.org", sample_digest(), &req);

	CHECK("matrix/a resend on a later run: only with a token",
	    rc1 == 0 && rc2 == 0 && !login.resend_safe && token.resend_safe,
	    "login %d token %d", login.resend_safe, token.resend_safe);
	CHECK("matrix/the PUT is idempotent", root && req.idempotent, "%s",
	    req.url);
	json_decref(root);
	notifier_request_release(&req);
	free(why1);
	free(why2);
	notifier_release(&login);
	notifier_release(&token);
}

static void
test_matrix_digest(void)
{
	struct notifier_request req;
	json_t *root = format_json(MATRIX_URL, sample_digest(), &req);
	const char *html = str(root, "formatted_body"), *plain = str(root,
	    "body");

	CHECK("matrix/digest: m.text, HTML format",
	    root && strcmp(str(root, "msgtype"), "m.text") == 0 &&
	    strcmp(str(root, "format"), "org.matrix.custom.html") == 0,
	    "%s", req.body);
	CHECK("matrix/digest: plain body with title, names, items, more",
	    strncmp(plain, "followup: 3 people to follow up\n\n", 33) == 0 &&
	    contains(plain, "Ada Lovelace — overdue") &&
	    contains(plain, "Zoë Ångström") && contains(plain, "and 3 more"),
	    "%s", plain);
	CHECK("matrix/digest: HTML names as links, escaped",
	    contains(html, "<a href=\"obsidian://open?vault=vault&amp;file="
	    "People%2FAda%20Lovelace\"><strong>Ada Lovelace</strong></a>") &&
	    contains(html, "Ask about &lt;Babbage&gt; &amp; the "
	    "&quot;difference&quot; engine") &&
	    contains(html, "<em>late: should have gone out on 2026-11-20</em>")
	    && contains(html, "Zoë Ångström"), "%s", html);
	json_decref(root);
	notifier_request_release(&req);
}

/* The txn id (the PUT's last segment) of b for url; the caller frees it. */
static char *
txn_for(const char *url, struct reminder_batch b)
{
	struct notifier_request req;
	json_t *root = format_json(url, b, &req);
	char *txn = xstrdup(req.url ? strrchr(req.url, '/') + 1 : "");

	json_decref(root);
	notifier_request_release(&req);
	return txn;
}

static void
test_matrix_txn(void)
{
	struct reminder_batch other = sample_digest();
	char *t1 = txn_for(MATRIX_URL, sample_digest());
	char *t2 = txn_for(MATRIX_URL, sample_digest());

	CHECK("matrix/txn id: the same for the same message_id",
	    strcmp(t1, t2) == 0, "%s %s", t1, t2);
	free(t2);
	other.message_id = "digest-another";
	t2 = txn_for(MATRIX_URL, other);
	CHECK("matrix/txn id: another for another message_id",
	    strcmp(t1, t2) != 0, "%s %s", t1, t2);
	free(t2);
	t2 = txn_for("matrixs://tokSECRET@hs.example.org/#other:x",
	    sample_digest());
	CHECK("matrix/txn id: another for another room", strcmp(t1, t2) != 0,
	    "%s %s", t1, t2);
	free(t1);
	free(t2);
}

static void
test_matrix_others(void)
{
	struct notifier_request req;
	json_t *root = format_json(MATRIX_URL "?msgtype=notice",
	    sample_single(), &req);

	CHECK("matrix/single, msgtype=notice",
	    strcmp(str(root, "msgtype"), "m.notice") == 0 &&
	    strncmp(str(root, "body"), "Follow up with Ada Lovelace", 27) ==
	    0, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json(MATRIX_URL, sample_test(), &req);
	CHECK("matrix/test message",
	    contains(str(root, "body"), "test message") &&
	    contains(str(root, "formatted_body"), "<h4>followup: a test "
	    "message</h4>"), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json(MATRIX_URL, sample_many(), &req);
	CHECK("matrix/many: within 32 KiB (events are at most 64), and N more",
	    root && req.body_len <= 32768 && req.body_len > 16384 &&
	    contains(str(root, "body"), " more\n") &&
	    contains(str(root, "formatted_body"), " more</p>"),
	    "%zu bytes", req.body_len);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ endpoint */

/* FOLLOWUP_TEST_ENDPOINT: where a hosted service's request goes. */
static const struct endpoint_row {
	const char *name;
	const char *endpoint;
	const char *url;
	const char *target;	/* NULL: nothing is sent (format fails) */
} endpoint_rows[] = {
	{ "endpoint/slack goes to loopback, path kept",
	  "http://127.0.0.1:8099", "slack://T0AAA1/B0BBB2/cccSECRET3",
	  "http://127.0.0.1:8099/services/T0AAA1/B0BBB2/cccSECRET3" },
	{ "endpoint/discord: path and query kept", "http://127.0.0.1:8099",
	  "discord://81726354/dTOKEN-x_9",
	  "http://127.0.0.1:8099/api/webhooks/81726354/dTOKEN-x_9?wait=true" },
	{ "endpoint/ipv6 loopback", "http://[::1]:8099/", GCHAT_URL,
	  "http://[::1]:8099/v1/spaces/AAAAk6lGXyM/messages?key=AIzaKEY-1"
	  "&token=O7bTOKEN" },
	{ "endpoint/another host: nothing is sent", "http://example.org:8099",
	  "slack://T0AAA1/B0BBB2/cccSECRET3", NULL },
	{ "endpoint/a loopback-looking name: nothing is sent",
	  "http://127.0.0.1.example.org:1",
	  "msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44/eeee-5555", NULL },
	{ "endpoint/userinfo or a path: nothing is sent",
	  "http://u:p@127.0.0.1:1/x", "discord://81726354/dTOKEN-x_9", NULL },
};

static void
test_endpoint_rows(void)
{
	size_t i;

	for (i = 0; i < sizeof(endpoint_rows) / sizeof(endpoint_rows[0]); i++) {
		const struct endpoint_row *row = &endpoint_rows[i];
		struct reminder_batch b = sample_digest();
		struct notifier n;
		struct notifier_request req;
		char *why = NULL;
		int rc;

		memset(&req, 0, sizeof(req));
		setenv("FOLLOWUP_TEST_ENDPOINT", row->endpoint, 1);
		rc = open_url(row->url, &n, &why) == 0 ? notifier_format(&n, &b,
		    &req) : -2;
		if (row->target == NULL)
			CHECK(row->name, rc == -1 && req.url == NULL, "rc %d",
			    rc);
		else
			CHECK(row->name, rc == 0 &&
			    strcmp(req.url, row->target) == 0 &&
			    strcmp(req.method, "POST") == 0, "rc %d %s", rc,
			    rc == 0 ? req.url : why);
		if (rc == 0)
			notifier_request_release(&req);
		free(why);
		notifier_release(&n);
	}
	unsetenv("FOLLOWUP_TEST_ENDPOINT");
}

int
main(void)
{
	unsetenv("FOLLOWUP_TEST_ENDPOINT");
	test_url_rows();
	test_slack_digest();
	test_slack_single_and_test();
	test_slack_many();
	test_discord_digest();
	test_discord_single_and_test();
	test_discord_many();
	test_teams_digest();
	test_teams_single_and_test();
	test_teams_many();
	test_gchat_messages();
	test_gchat_many();
	test_gchat_cut();
	test_ntfy_digest();
	test_ntfy_single();
	test_ntfy_dry_run();
	test_ntfy_test_and_many();
	test_mattermost_digest();
	test_mattermost_single_and_test();
	test_mattermost_many();
	test_matrix_resend();
	test_matrix_digest();
	test_matrix_txn();
	test_matrix_others();
	test_endpoint_rows();
	return unit_exit();
}
