/*
 * test-chat.c - the chat services with a fixed host: Slack, Discord,
 * Teams (workflows://, msteams://) and Google Chat. For each: the URL
 * forms taken and refused (a reason never quotes a token), where the
 * request goes and with which headers, the message for the sample digest,
 * a single reminder and a test, the service's limits with sample_many(),
 * and FOLLOWUP_TEST_ENDPOINT (loopback only).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "reminders.h"
#include "../../core/util.h"
#include "../../notifiers/notifier.h"

/* ------------------------------------------------------------ helpers */

static int
open_url(struct notifier *n, const char *url)
{
	char *why = NULL;
	int rc;

	memset(n, 0, sizeof(*n));
	n->name = xstrdup("chat");
	rc = notifier_open(n, url, &why);
	if (rc != 0)
		printf("# %s\n", why ? why : "");
	free(why);
	return rc;
}

/*
 * url is refused, for a reason that holds none of secrets (NULL-ended),
 * and what may be shown of it holds none either.
 */
static void
check_refused(const char *name, const char *url, const char *needs,
    const char *const *secrets)
{
	struct notifier n = { 0 };
	char *why = NULL, *shown;
	int rc = notifier_open(&n, url, &why), quoted = 0;
	size_t i;

	/* What an error shows of a refused URL names no token either. */
	shown = notifier_shown_url(&n);
	for (i = 0; secrets[i] != NULL; i++)
		if ((why != NULL && strstr(why, secrets[i]) != NULL) ||
		    strstr(shown, secrets[i]) != NULL)
			quoted = 1;
	free(shown);
	CHECK(name, rc == -1 && why != NULL && !quoted &&
	    (needs == NULL || strstr(why, needs) != NULL), "rc %d why %s", rc,
	    why ? why : "(none)");
	free(why);
	notifier_release(&n);
}

/* n's URL target for the test digest. */
static int
target_is(struct notifier *n, const char *url)
{
	struct reminder_batch b = sample_digest();
	struct notifier_request req;
	int ok;

	if (notifier_format(n, &b, &req) != 0)
		return 0;
	ok = strcmp(req.url, url) == 0 && strcmp(req.method, "POST") == 0;
	if (!ok)
		printf("# %s %s\n", req.method, req.url);
	notifier_request_release(&req);
	return ok;
}

static json_t *
format_json(struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	json_error_t err;

	if (notifier_format(n, b, req) != 0) {
		memset(req, 0, sizeof(*req));
		return NULL;
	}
	return json_loadb(req->body, req->body_len, 0, &err);
}

static const char *
header(const struct notifier_request *req, const char *name, int *secret)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0) {
			if (secret != NULL)
				*secret = req->headers[i].secret;
			return req->headers[i].value;
		}
	return NULL;
}

/* What --dry-run prints and the shown URL hold none of secrets. */
static int
nothing_secret_shown(const struct notifier *n,
    const struct notifier_request *req, const char *const *secrets)
{
	char *out = NULL, *shown = notifier_shown_url(n);
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);
	int ok = 1;

	notifier_request_print(f, n, req);
	fclose(f);
	for (i = 0; secrets[i] != NULL; i++)
		if (strstr(out, secrets[i]) || strstr(shown, secrets[i]) ||
		    strstr(n->hostport, secrets[i]))
			ok = 0;
	if (!ok)
		printf("# shown %s\n", shown);
	free(out);
	free(shown);
	return ok;
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Characters (not bytes) of UTF-8 s. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
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

/* ------------------------------------------------------------ Slack */

static void
test_slack_urls(void)
{
	static const char *const secrets[] = { "T0AAA1", "B0BBB2", "cccSECRET3",
	    "xoxb-1111-SECRET", NULL };
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root;
	int secret = 0;

	CHECK("slack/webhook form", open_url(&n,
	    "slack://T0AAA1/B0BBB2/cccSECRET3") == 0 && target_is(&n,
	    "https://hooks.slack.com/services/T0AAA1/B0BBB2/cccSECRET3"),
	    "wrong");
	root = format_json(&n, &b, &req);
	CHECK("slack/webhook: JSON, no channel, nothing secret shown",
	    root && contains(header(&req, "Content-Type", NULL),
	    "application/json") && json_object_get(root, "channel") == NULL &&
	    nothing_secret_shown(&n, &req, secrets), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("slack/https webhook is claimed", open_url(&n,
	    "https://hooks.slack.com/services/T0AAA1/B0BBB2/cccSECRET3") == 0 &&
	    strcmp(n.ops->name, "slack") == 0 && target_is(&n,
	    "https://hooks.slack.com/services/T0AAA1/B0BBB2/cccSECRET3"),
	    "wrong");
	{
		char *shown = notifier_shown_url(&n);

		CHECK("slack/https shown without tokens", strcmp(shown,
		    "https://hooks.slack.com/services/****") == 0, "%s", shown);
		free(shown);
	}
	notifier_release(&n);

	CHECK("slack/name and channel", open_url(&n,
	    "slack://Followup@T0AAA1/B0BBB2/cccSECRET3/%23people") == 0,
	    "refused");
	root = format_json(&n, &b, &req);
	CHECK("slack/channel and username in the body",
	    root && strcmp(str(root, "channel"), "#people") == 0 &&
	    strcmp(str(root, "username"), "Followup") == 0, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("slack/bot token form", open_url(&n,
	    "slack://xoxb-1111-SECRET/@ada") == 0 && target_is(&n,
	    "https://slack.com/api/chat.postMessage"), "wrong");
	root = format_json(&n, &b, &req);
	CHECK("slack/bot: Bearer header, secret; channel @ada",
	    root && contains(header(&req, "Authorization", &secret),
	    "Bearer xoxb-1111-SECRET") && secret &&
	    strcmp(str(root, "channel"), "@ada") == 0 &&
	    nothing_secret_shown(&n, &req, secrets), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("slack/bot without channel posts to #general", open_url(&n,
	    "slack://xoxb-1111-SECRET?to=%2BC0123") == 0, "refused");
	root = format_json(&n, &b, &req);
	CHECK("slack/+ID is sent without '+'", root &&
	    strcmp(str(root, "channel"), "C0123") == 0, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	check_refused("slack/refused: a name that is not UTF-8",
	    "slack://Bot%FF@T0AAA1/B0BBB2/cccSECRET3", "name", secrets);
	check_refused("slack/refused: two tokens", "slack://T0AAA1/B0BBB2",
	    "three tokens", secrets);
	check_refused("slack/refused: no token", "slack:///", "three tokens",
	    secrets);
	check_refused("slack/refused: two channels",
	    "slack://T0AAA1/B0BBB2/cccSECRET3/%23a/%23b", "one", secrets);
	check_refused("slack/refused: bad channel",
	    "slack://T0AAA1/B0BBB2/cccSECRET3/%23no%20way", "channel",
	    secrets);
	check_refused("slack/refused: token with a dash",
	    "slack://T0AAA1/B0BBB2/ccc-SECRET3", "three tokens", secrets);
	check_refused("slack/refused: bad bot token", "slack://xoxz-SECRET",
	    NULL, secrets);
	check_refused("slack/refused: https with four tokens",
	    "https://hooks.slack.com/services/T0AAA1/B0BBB2/cccSECRET3/x",
	    "more than three", secrets);
	check_refused("slack/refused: https with two tokens",
	    "https://hooks.slack.com/services/T0AAA1/B0BBB2", "three tokens",
	    secrets);
}

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
test_slack_message(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root, *blocks;
	size_t i, nblocks, sections = 0, ok_sizes = 1;
	const char *more;

	open_url(&n, "slack://T0AAA1/B0BBB2/cccSECRET3");
	root = format_json(&n, &b, &req);
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

	b = sample_single();
	root = format_json(&n, &b, &req);
	CHECK("slack/single: header names the person, one section",
	    root && strcmp(block_text(root, 0),
	    "Follow up with Ada Lovelace") == 0 &&
	    json_array_size(json_object_get(root, "blocks")) == 2,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	b = sample_test();
	root = format_json(&n, &b, &req);
	CHECK("slack/test message", root && strcmp(block_text(root, 0),
	    "followup: a test message") == 0 && contains(block_text(root, 1),
	    "test message from followup"), "%s", req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);

	b = sample_many();
	root = format_json(&n, &b, &req);
	blocks = json_object_get(root, "blocks");
	nblocks = json_array_size(blocks);
	for (i = 0; i < nblocks; i++) {
		json_t *bl = json_array_get(blocks, i);

		if (strcmp(str(bl, "type"), "section") == 0) {
			sections++;
			if (chars(block_text(root, i)) > 3000)
				ok_sizes = 0;
		}
	}
	more = str(json_array_get(json_object_get(json_array_get(blocks,
	    nblocks - 1), "elements"), 0), "text");
	CHECK("slack/many: at most 50 blocks, sections within 3000",
	    root && nblocks <= 50 && ok_sizes && sections > 1 &&
	    chars(block_text(root, 0)) <= 150, "%zu blocks", nblocks);
	{
		char want[32];

		snprintf(want, sizeof(want), "and %zu more",
		    SAMPLE_MANY - sections);
		CHECK("slack/many: and N more counts the rest",
		    strcmp(more, want) == 0, "\"%s\" want \"%s\"", more, want);
	}
	CHECK("slack/many: body and text within limits",
	    req.body_len <= n.ops->max_body && chars(str(root, "text")) <=
	    3000, "%zu bytes", req.body_len);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);
}

/* ------------------------------------------------------------ Discord */

static void
test_discord_urls(void)
{
	static const char *const secrets[] = { "81726354", "dTOKEN-x_9", NULL };
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root;

	CHECK("discord/discord:// form", open_url(&n,
	    "discord://81726354/dTOKEN-x_9") == 0 && target_is(&n,
	    "https://discord.com/api/webhooks/81726354/dTOKEN-x_9?wait=true"),
	    "wrong");
	root = format_json(&n, &b, &req);
	CHECK("discord/JSON, nothing secret shown", root && contains(
	    header(&req, "Content-Type", NULL), "application/json") &&
	    nothing_secret_shown(&n, &req, secrets), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("discord/https discord.com", open_url(&n,
	    "https://discord.com/api/webhooks/81726354/dTOKEN-x_9") == 0 &&
	    strcmp(n.ops->name, "discord") == 0 && target_is(&n,
	    "https://discord.com/api/webhooks/81726354/dTOKEN-x_9?wait=true"),
	    "wrong");
	{
		char *shown = notifier_shown_url(&n);

		CHECK("discord/https shown without tokens", strcmp(shown,
		    "https://discord.com/api/webhooks/****") == 0, "%s", shown);
		free(shown);
	}
	notifier_release(&n);
	CHECK("discord/https discordapp.com, api/v10", open_url(&n,
	    "https://discordapp.com/api/v10/webhooks/81726354/dTOKEN-x_9/") ==
	    0 && target_is(&n, "https://discord.com/api/webhooks/81726354/"
	    "dTOKEN-x_9?wait=true"), "wrong");
	notifier_release(&n);

	CHECK("discord/name and thread", open_url(&n,
	    "discord://Followup@81726354/dTOKEN-x_9?thread=42") == 0 &&
	    target_is(&n, "https://discord.com/api/webhooks/81726354/"
	    "dTOKEN-x_9?wait=true&thread_id=42"), "wrong");
	root = format_json(&n, &b, &req);
	CHECK("discord/username", root && strcmp(str(root, "username"),
	    "Followup") == 0, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	check_refused("discord/refused: a name with a control character",
	    "discord://Bot%1B@81726354/tokSECRET", "name", secrets);
	check_refused("discord/refused: no token", "discord://81726354",
	    "id and token", secrets);
	check_refused("discord/refused: id not digits",
	    "discord://dTOKEN-x_9/dTOKEN-x_9", "digits", secrets);
	check_refused("discord/refused: bad thread",
	    "discord://81726354/dTOKEN-x_9?thread=abc", "thread", secrets);
	check_refused("discord/refused: https without token",
	    "https://discord.com/api/webhooks/81726354", "id and token",
	    secrets);
}

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
test_discord_message(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root;
	size_t nembeds;
	int ok = 1;

	open_url(&n, "discord://81726354/dTOKEN-x_9");
	root = format_json(&n, &b, &req);
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

	b = sample_single();
	root = format_json(&n, &b, &req);
	CHECK("discord/single", root && strcmp(str(root, "content"),
	    "**Follow up with Ada Lovelace**") == 0 &&
	    json_array_size(json_object_get(root, "embeds")) == 1,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	b = sample_test();
	root = format_json(&n, &b, &req);
	CHECK("discord/test message", root && contains(str(root, "content"),
	    "test message from followup") &&
	    json_object_get(root, "embeds") == NULL, "%s",
	    req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);

	b = sample_many();
	root = format_json(&n, &b, &req);
	nembeds = json_array_size(json_object_get(root, "embeds"));
	CHECK("discord/many: at most 10 embeds, 6000 characters",
	    root && nembeds >= 1 && nembeds <= 10 &&
	    embeds_size(root, &ok) <= 6000 && ok, "%zu embeds", nembeds);
	{
		char want[64];

		snprintf(want, sizeof(want), "(and %zu more)",
		    SAMPLE_MANY - nembeds);
		CHECK("discord/many: content says how many more",
		    contains(str(root, "content"), want) &&
		    chars(str(root, "content")) <= 2000, "%s",
		    str(root, "content"));
	}
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);
}

/* ------------------------------------------------------------ Teams */

#define LOGIC_HOST "prod-161.westeurope.logic.azure.com:443"
#define WF "643e69f83c8944438d68119179a10a64"
#define SIG "KODuebWbDGYFr0z0eu-6Rj8aUKz7108W3wrNJZxFE5A"
#define INVOKE "/triggers/manual/paths/invoke"

static void
test_teams_urls(void)
{
	static const char *const secrets[] = { WF, SIG, "aaaa-1111@bbbb-2222",
	    "Cc33Dd44", "eeee-5555", NULL };
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	char *shown;

	CHECK("teams/workflows:// form", open_url(&n,
	    "workflows://" LOGIC_HOST "/" WF "/" SIG) == 0 && target_is(&n,
	    "https://" LOGIC_HOST "/workflows/" WF INVOKE "?api-version="
	    "2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" SIG),
	    "wrong");
	shown = notifier_shown_url(&n);
	CHECK("teams/workflows shown with its host only", strcmp(shown,
	    "workflows://" LOGIC_HOST "/****") == 0, "%s", shown);
	free(shown);
	notifier_format(&n, &b, &req);
	CHECK("teams/workflows: JSON, nothing secret shown", contains(
	    header(&req, "Content-Type", NULL), "application/json") &&
	    nothing_secret_shown(&n, &req, secrets), "shown");
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("teams/workflows pa=yes, ver=, sig= in the query", open_url(&n,
	    "workflow://" LOGIC_HOST "/" WF "?pa=yes&sig=" SIG) == 0 &&
	    target_is(&n, "https://" LOGIC_HOST "/powerautomate/automations/"
	    "direct/workflows/" WF INVOKE "?api-version=2022-03-01-preview&sp="
	    "%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" SIG), "wrong");
	notifier_release(&n);

	CHECK("teams/https logic.azure.com URL kept", open_url(&n,
	    "https://" LOGIC_HOST "/workflows/" WF INVOKE "?api-version="
	    "2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" SIG) == 0 &&
	    strcmp(n.ops->name, "teams") == 0 && target_is(&n, "https://"
	    LOGIC_HOST "/workflows/" WF INVOKE "?api-version=2016-06-01&sp="
	    "%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" SIG), "wrong");
	notifier_release(&n);

	CHECK("teams/https powerplatform URL, its api-version kept",
	    open_url(&n, "https://default0a1b.2c.environment.api."
	    "powerplatform.com:443/powerautomate/automations/direct/workflows/"
	    WF INVOKE "?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&"
	    "sig=" SIG) == 0 && target_is(&n, "https://default0a1b.2c."
	    "environment.api.powerplatform.com:443/powerautomate/automations/"
	    "direct/workflows/" WF INVOKE "?api-version=1&sp=%2Ftriggers%2F"
	    "manual%2Frun&sv=1.0&sig=" SIG), "wrong");
	notifier_release(&n);

	CHECK("teams/msteams:// form", open_url(&n,
	    "msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44/eeee-5555") == 0 &&
	    target_is(&n, "https://contoso.webhook.office.com/webhookb2/"
	    "aaaa-1111@bbbb-2222/IncomingWebhook/Cc33Dd44/eeee-5555"), "wrong");
	shown = notifier_shown_url(&n);
	CHECK("teams/msteams shown with the team's host only", strcmp(shown,
	    "msteams://contoso.webhook.office.com/****") == 0, "%s", shown);
	free(shown);
	notifier_release(&n);

	CHECK("teams/https webhook.office.com URL", open_url(&n,
	    "https://contoso.webhook.office.com/webhookb2/aaaa-1111@bbbb-2222/"
	    "IncomingWebhook/Cc33Dd44/eeee-5555/V2abc") == 0 && target_is(&n,
	    "https://contoso.webhook.office.com/webhookb2/aaaa-1111@bbbb-2222/"
	    "IncomingWebhook/Cc33Dd44/eeee-5555/V2abc"), "wrong");
	notifier_release(&n);

	check_refused("teams/refused: workflows without signature",
	    "workflows://" LOGIC_HOST "/" WF, "signature", secrets);
	check_refused("teams/refused: workflows without host",
	    "workflows:///" WF "/" SIG, "host", secrets);
	check_refused("teams/refused: https workflow without sig",
	    "https://" LOGIC_HOST "/workflows/" WF INVOKE "?api-version=1",
	    "sig=", secrets);
	check_refused("teams/refused: msteams with two tokens",
	    "msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44", "three tokens",
	    secrets);
	check_refused("teams/refused: msteams without a team",
	    "msteams://aaaa-1111@bbbb-2222/Cc33Dd44/eeee-5555", "team",
	    secrets);
	check_refused("teams/refused: TokenA without '@'",
	    "msteams://contoso/Cc33Dd44/Cc33Dd44/eeee-5555", "ID@ID", secrets);
}

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

static void
test_teams_message(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root, *facts, *body;
	size_t nbody;

	open_url(&n, "workflows://" LOGIC_HOST "/" WF "/" SIG);
	root = format_json(&n, &b, &req);
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

	b = sample_single();
	root = format_json(&n, &b, &req);
	CHECK("teams/single", root && strcmp(str(card_block(root, 0), "text"),
	    "Follow up with Ada Lovelace") == 0 &&
	    json_array_size(json_object_get(card(root), "body")) == 2,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	b = sample_test();
	root = format_json(&n, &b, &req);
	CHECK("teams/test message", root && strcmp(str(card_block(root, 0),
	    "text"), "followup: a test message") == 0 &&
	    contains(str(card_block(root, 1), "text"), "test message"),
	    "%s", req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);

	b = sample_many();
	root = format_json(&n, &b, &req);
	body = json_object_get(card(root), "body");
	nbody = json_array_size(body);
	CHECK("teams/many: under 28 KB", root && req.body_len <= 28000 &&
	    nbody > 3, "%zu bytes, %zu blocks", req.body_len, nbody);
	{
		char want[32];

		/* heading, containers, "and N more" */
		snprintf(want, sizeof(want), "and %zu more",
		    SAMPLE_MANY - (nbody - 2));
		CHECK("teams/many: and N more counts the rest",
		    strcmp(str(json_array_get(body, nbody - 1), "text"),
		    want) == 0, "want %s", want);
	}
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	open_url(&n, "msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44/"
	    "eeee-5555");
	b = sample_digest();
	root = format_json(&n, &b, &req);
	CHECK("teams/msteams sends the same Adaptive Card",
	    root && strcmp(str(card(root), "type"), "AdaptiveCard") == 0,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);
}

/* ------------------------------------------------------------ Google Chat */

static void
test_gchat_urls(void)
{
	static const char *const secrets[] = { "AAAAk6lGXyM", "AIzaKEY-1",
	    "O7bTOKEN", NULL };
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root;
	char *shown;

	CHECK("gchat/gchat:// form", open_url(&n,
	    "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN%3D") == 0 && target_is(&n,
	    "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/messages?key="
	    "AIzaKEY-1&token=O7bTOKEN%3D"), "wrong");
	root = format_json(&n, &b, &req);
	CHECK("gchat/JSON, no thread, nothing secret shown", root &&
	    contains(header(&req, "Content-Type", NULL), "application/json") &&
	    json_object_get(root, "thread") == NULL &&
	    nothing_secret_shown(&n, &req, secrets), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("gchat/https form", open_url(&n,
	    "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/messages?key="
	    "AIzaKEY-1&token=O7bTOKEN%3D") == 0 &&
	    strcmp(n.ops->name, "gchat") == 0 && target_is(&n,
	    "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/messages?key="
	    "AIzaKEY-1&token=O7bTOKEN%3D"), "wrong");
	shown = notifier_shown_url(&n);
	CHECK("gchat/https shown without space, key, token", strcmp(shown,
	    "https://chat.googleapis.com/v1/spaces/****") == 0, "%s", shown);
	free(shown);
	notifier_release(&n);

	CHECK("gchat/thread", open_url(&n,
	    "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN/followup") == 0 &&
	    target_is(&n, "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/"
	    "messages?key=AIzaKEY-1&token=O7bTOKEN&messageReplyOption="
	    "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"), "wrong");
	root = format_json(&n, &b, &req);
	CHECK("gchat/thread key in the body", root && strcmp(str(
	    json_object_get(root, "thread"), "threadKey"), "followup") == 0,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);

	CHECK("gchat/key and token as parameters", open_url(&n,
	    "gchat://AAAAk6lGXyM?key=AIzaKEY-1&token=O7bTOKEN") == 0 &&
	    target_is(&n, "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/"
	    "messages?key=AIzaKEY-1&token=O7bTOKEN"), "wrong");
	notifier_release(&n);

	check_refused("gchat/refused: no token",
	    "gchat://AAAAk6lGXyM/AIzaKEY-1", "space, key and token", secrets);
	check_refused("gchat/refused: https without token",
	    "https://chat.googleapis.com/v1/spaces/AAAAk6lGXyM/messages?key="
	    "AIzaKEY-1", "token=", secrets);
	check_refused("gchat/refused: too many parts",
	    "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN/t/extra", NULL, secrets);
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

static void
test_gchat_message(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root;
	const char *text;

	open_url(&n, "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN");
	root = format_json(&n, &b, &req);
	text = str(root, "text");
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

	b = sample_single();
	root = format_json(&n, &b, &req);
	CHECK("gchat/single", root && strncmp(str(root, "text"),
	    "*Follow up with Ada Lovelace*\n", 30) == 0, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	b = sample_test();
	root = format_json(&n, &b, &req);
	CHECK("gchat/test message", root && contains(str(root, "text"),
	    "*followup: a test message*\nThis is a test message"), "%s",
	    req.body ? req.body : "");
	json_decref(root);
	notifier_request_release(&req);

	b = sample_many();
	root = format_json(&n, &b, &req);
	text = str(root, "text");
	{
		char want[32];
		size_t shown = count(text, "Person number");

		snprintf(want, sizeof(want), "\nand %zu more\n",
		    SAMPLE_MANY - shown);
		CHECK("gchat/many: within 4096 characters, and N more",
		    root && chars(text) <= 4096 && shown >= 1 &&
		    contains(text, want) && req.body_len <= 32000,
		    "%zu chars, %zu shown", chars(text), shown);
	}
	json_decref(root);
	notifier_request_release(&req);
	notifier_release(&n);
}

/* ------------------------------------------------------------ endpoint */

static void
test_endpoint(void)
{
	struct notifier n;
	struct notifier_request req;
	struct reminder_batch b = sample_digest();

	setenv("FOLLOWUP_TEST_ENDPOINT", "http://127.0.0.1:8099", 1);
	open_url(&n, "slack://T0AAA1/B0BBB2/cccSECRET3");
	CHECK("endpoint/slack goes to loopback, path kept", target_is(&n,
	    "http://127.0.0.1:8099/services/T0AAA1/B0BBB2/cccSECRET3"),
	    "wrong");
	notifier_release(&n);
	open_url(&n, "discord://81726354/dTOKEN-x_9");
	CHECK("endpoint/discord: path and query kept", target_is(&n,
	    "http://127.0.0.1:8099/api/webhooks/81726354/dTOKEN-x_9?wait=true"),
	    "wrong");
	notifier_release(&n);

	setenv("FOLLOWUP_TEST_ENDPOINT", "http://[::1]:8099/", 1);
	open_url(&n, "gchat://AAAAk6lGXyM/AIzaKEY-1/O7bTOKEN");
	CHECK("endpoint/ipv6 loopback", target_is(&n, "http://[::1]:8099/v1/"
	    "spaces/AAAAk6lGXyM/messages?key=AIzaKEY-1&token=O7bTOKEN"),
	    "wrong");
	notifier_release(&n);

	setenv("FOLLOWUP_TEST_ENDPOINT", "http://example.org:8099", 1);
	open_url(&n, "slack://T0AAA1/B0BBB2/cccSECRET3");
	CHECK("endpoint/another host: nothing is sent",
	    notifier_format(&n, &b, &req) == -1 && req.url == NULL, "sent");
	notifier_release(&n);
	setenv("FOLLOWUP_TEST_ENDPOINT", "http://127.0.0.1.example.org:1", 1);
	open_url(&n, "msteams://contoso/aaaa-1111@bbbb-2222/Cc33Dd44/"
	    "eeee-5555");
	CHECK("endpoint/a loopback-looking name: nothing is sent",
	    notifier_format(&n, &b, &req) == -1, "sent");
	notifier_release(&n);
	setenv("FOLLOWUP_TEST_ENDPOINT", "http://u:p@127.0.0.1:1/x", 1);
	open_url(&n, "discord://81726354/dTOKEN-x_9");
	CHECK("endpoint/userinfo or a path: nothing is sent",
	    notifier_format(&n, &b, &req) == -1, "sent");
	notifier_release(&n);
	unsetenv("FOLLOWUP_TEST_ENDPOINT");
}

int
main(void)
{
	unsetenv("FOLLOWUP_TEST_ENDPOINT");
	test_slack_urls();
	test_slack_message();
	test_discord_urls();
	test_discord_message();
	test_teams_urls();
	test_teams_message();
	test_gchat_urls();
	test_gchat_message();
	test_endpoint();
	return unit_exit();
}
