/*
 * test-chat2.c - the Mattermost, ntfy and Matrix notifiers: the URL forms
 * each accepts and refuses (a refusal never quotes a secret), what is
 * shown of them, the request (method, URL, secret headers) and the body's
 * fields for the sample batches, and the services' limits for
 * sample_many().
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "reminders.h"
#include "../../core/util.h"
#include "../../notifiers/notifier.h"

/* ------------------------------------------------------------ helpers */

struct opened {
	struct notifier n;
	char *why;
	int rc;
};

static struct opened
open_url(const char *url)
{
	struct opened o;

	memset(&o, 0, sizeof(o));
	o.n.name = xstrdup("test");
	o.rc = notifier_open(&o.n, url, &o.why);
	return o;
}

static void
close_url(struct opened *o)
{
	notifier_release(&o->n);
	free(o->why);
}

/* The URL opens with the ops called name. */
static void
check_opens(const char *test, const char *url, const char *name)
{
	struct opened o = open_url(url);

	CHECK(test, o.rc == 0 && strcmp(o.n.ops->name, name) == 0, "%s",
	    o.why ? o.why : o.n.ops ? o.n.ops->name : "no ops");
	close_url(&o);
}

/* The URL is refused, with a reason that holds want and not secret. */
static void
check_refused(const char *test, const char *url, const char *want,
    const char *secret)
{
	struct opened o = open_url(url);

	CHECK(test, o.rc == -1 && o.why != NULL &&
	    (want == NULL || strstr(o.why, want) != NULL) &&
	    strstr(o.why, secret) == NULL, "rc %d why %s", o.rc,
	    o.why ? o.why : "(none)");
	close_url(&o);
}

static void
check_shown(const char *test, const char *url, const char *want)
{
	struct opened o = open_url(url);
	char *shown = o.rc == 0 ? notifier_shown_url(&o.n) : xstrdup("");

	CHECK(test, strcmp(shown, want) == 0, "%s", shown);
	free(shown);
	close_url(&o);
}

/* Format b for url; the body as JSON (NULL if none), req filled. */
static json_t *
format_json(const char *url, struct reminder_batch b,
    struct notifier_request *req)
{
	struct opened o = open_url(url);
	json_t *root = NULL;

	memset(req, 0, sizeof(*req));
	if (o.rc == 0 && notifier_format(&o.n, &b, req) == 0)
		root = json_loadb(req->body, req->body_len, 0, NULL);
	close_url(&o);
	return root;
}

static const char *
str_at(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static const struct notifier_header *
header(const struct notifier_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (strcmp(req->headers[i].name, name) == 0)
			return &req->headers[i];
	return NULL;
}

/* Code points, as Mattermost counts its limit. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* ------------------------------------------------------------ ntfy */

static void
test_ntfy_urls(void)
{
	struct notifier_request req;
	json_t *root;

	check_opens("ntfy/ntfy://TOPIC", "ntfy://topic-Secret_1", "ntfy");
	check_opens("ntfy/ntfy://ntfy.sh/TOPIC", "ntfy://ntfy.sh/topicS",
	    "ntfy");
	check_opens("ntfy/https://ntfy.sh/TOPIC is ntfy's",
	    "https://ntfy.sh/topicS", "ntfy");
	check_opens("ntfy/https://HOST/TOPIC?ntfy is ntfy's",
	    "https://push.example.org/topicS?ntfy", "ntfy");
	check_refused("ntfy/a bare https://HOST/WORD is no one's",
	    "https://push.example.org/topicS", NULL, "topicS");
	check_refused("ntfy/no topic", "ntfy://ntfy.sh", "needs a topic",
	    "ntfy.sh/");
	check_refused("ntfy/two topics", "ntfys://host/topicA/topicB",
	    "one ntfy topic", "topicA");
	check_refused("ntfy/a topic with a dot", "ntfys://host/top.icS",
	    "1 to 64", "top.icS");
	check_refused("ntfy/a token over plain http to another machine",
	    "ntfy://push.example.org/topicS?token=tk_SECRET", "ntfys://",
	    "tk_SECRET");
	check_refused("ntfy/a bad priority", "ntfys://host/topicS?priority="
	    "urgent", "priority=", "topicS");
	check_shown("ntfy/shown: cloud topic hidden (ntfy://TOPIC)",
	    "ntfy://topicSecret", "ntfy://ntfy.sh/****");
	check_shown("ntfy/shown: own server", "ntfys://u:pw@push.example.org:"
	    "8443/topicS", "ntfys://push.example.org:8443/****");
	{
		/* A refused URL is named in the error by what is shown of it:
		 * in ntfy://TOPIC the host is the topic, a secret. */
		static const char *const refused[] = {
			"ntfy://topicSecret?priority=urgent",
			"ntfy://topicSecret?mode=nosuch",
			"ntfy://topicSecret?auth=nosuch",
			"ntfys://topicSecret/?mode=cloud&to=other",
			"ntfy://topicSecret,other",
		};
		size_t i;

		for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
			struct opened o = open_url(refused[i]);
			char *shown = notifier_shown_url(&o.n);

			CHECK("ntfy/refused cloud URL: the topic is not shown",
			    o.rc == -1 && strstr(shown, "topicSecret") == NULL &&
			    strstr(o.why, "topicSecret") == NULL, "%s: %s",
			    refused[i], shown);
			free(shown);
			close_url(&o);
		}
	}

	root = format_json("ntfy://topicS", sample_digest(), &req);
	CHECK("ntfy/cloud: POST https://ntfy.sh/ with the topic in the body",
	    root && strcmp(req.method, "POST") == 0 &&
	    strcmp(req.url, "https://ntfy.sh/") == 0 &&
	    strcmp(str_at(root, "topic"), "topicS") == 0, "%s", req.url);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("ntfys://u%40x:p%3Aw@push.example.org:8443/topicS",
	    sample_digest(), &req);
	CHECK("ntfy/own server: Basic credentials in the URL for http.h",
	    root && strcmp(req.url, "https://u%40x:p%3Aw@push.example.org:8443"
	    "/") == 0 && header(&req, "Authorization") == NULL, "%s",
	    req.url);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("ntfys://push.example.org/topicS?token=tk_SECRET",
	    sample_digest(), &req);
	CHECK("ntfy/token= is a secret Bearer header",
	    root && header(&req, "Authorization") &&
	    header(&req, "Authorization")->secret &&
	    strcmp(header(&req, "Authorization")->value,
	    "Bearer tk_SECRET") == 0 && strstr(req.url, "tk_") == NULL,
	    "%s", req.url);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("ntfys://:tk_SECRET@push.example.org/topicS?auth="
	    "token", sample_digest(), &req);
	CHECK("ntfy/auth=token takes the password as the token",
	    root && header(&req, "Authorization") &&
	    strcmp(header(&req, "Authorization")->value,
	    "Bearer tk_SECRET") == 0 && strchr(req.url, '@') == NULL,
	    "%s", req.url);
	json_decref(root);
	notifier_request_release(&req);
}

static int
has_tag(json_t *root, const char *tag)
{
	json_t *tags = json_object_get(root, "tags");
	size_t i;

	for (i = 0; i < json_array_size(tags); i++)
		if (strcmp(json_string_value(json_array_get(tags, i)), tag) == 0)
			return 1;
	return 0;
}

static void
test_ntfy_message(void)
{
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root;
	const char *msg;

	root = format_json("ntfys://push.example.org/topicS", b, &req);
	msg = str_at(root, "message");
	CHECK("ntfy/digest: title, markdown, names as links",
	    root && strcmp(str_at(root, "title"),
	    "followup: 3 people to follow up") == 0 &&
	    json_is_true(json_object_get(root, "markdown")) &&
	    strstr(msg, "[Ada Lovelace](obsidian://open?vault=vault&file="
	    "People%2FAda%20Lovelace)") != NULL, "%s", req.body);
	CHECK("ntfy/digest: the non-ASCII name intact",
	    strstr(msg, "Zoë Ångström") != NULL && strstr(msg, "Café au lait")
	    != NULL, "%s", msg);
	CHECK("ntfy/digest: states, late note, more items",
	    strstr(msg, "overdue · 35 days since contact") != NULL &&
	    strstr(msg, "late: should have gone out on 2026-11-20") != NULL &&
	    strstr(msg, "and 3 more") != NULL, "%s", msg);
	CHECK("ntfy/digest: high priority (cold, overdue), a tag per state",
	    json_integer_value(json_object_get(root, "priority")) == 4 &&
	    has_tag(root, "warning") && has_tag(root, "snowflake") &&
	    has_tag(root, "date"), "%s", req.body);
	CHECK("ntfy/digest: no click (several notes)",
	    json_object_get(root, "click") == NULL, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	b = sample_single();
	root = format_json("ntfys://push.example.org/topicS?tags=followup,x",
	    b, &req);
	CHECK("ntfy/single: title, click opens the note, tags= added",
	    root && strcmp(str_at(root, "title"),
	    "Follow up with Ada Lovelace") == 0 &&
	    strcmp(str_at(root, "click"), sample_reminders[0].link) == 0 &&
	    has_tag(root, "warning") && has_tag(root, "followup") &&
	    has_tag(root, "x"), "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	b = sample_digest();
	b.items = sample_reminders + 2;
	b.n = b.shown = 1;
	root = format_json("ntfys://push.example.org/topicS?priority=max&"
	    "click=https://example.org/x", b, &req);
	CHECK("ntfy/priority= and click= win",
	    root && json_integer_value(json_object_get(root, "priority")) == 5
	    && strcmp(str_at(root, "click"), "https://example.org/x") == 0,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	{
		/* --dry-run prints the request: the topic in the body is as
		 * secret as in the URL. */
		struct opened o = open_url("ntfy://topicSecret");
		struct reminder_batch d = sample_digest();
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		if (o.rc == 0 && notifier_format(&o.n, &d, &req) == 0) {
			notifier_request_print(f, &o.n, &req);
			notifier_request_release(&req);
		}
		fclose(f);
		CHECK("ntfy/dry run: the topic in the body is masked",
		    o.rc == 0 && strstr(out, "topicSecret") == NULL &&
		    strstr(out, "\"topic\":\"****\"") != NULL &&
		    strstr(out, "Ada Lovelace") != NULL, "%s", out);
		free(out);
		close_url(&o);
	}

	root = format_json("ntfys://push.example.org/topicS", sample_test(),
	    &req);
	CHECK("ntfy/test message",
	    root && strcmp(str_at(root, "title"), "followup: a test message")
	    == 0 && strstr(str_at(root, "message"), "test message") != NULL &&
	    json_integer_value(json_object_get(root, "priority")) == 3,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("ntfys://push.example.org/topicS", sample_many(),
	    &req);
	CHECK("ntfy/many: the JSON body within ntfy's 4096 bytes, and N more",
	    root && req.body_len <= 4096 &&
	    strstr(str_at(root, "message"), " more\n") != NULL &&
	    strstr(str_at(root, "message"), "Person number 0000") != NULL,
	    "%zu bytes", req.body_len);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ Mattermost */

static void
test_mattermost_urls(void)
{
	struct notifier_request req;
	json_t *root;

	check_opens("mattermost/mmost://HOST/TOKEN", "mmost://chat.example."
	    "org/tokenSECRET", "mattermost");
	check_opens("mattermost/https://HOST/hooks/TOKEN is Mattermost's",
	    "https://chat.example.org/hooks/tokenSECRET", "mattermost");
	check_refused("mattermost/https://HOST/hooks/A/B is not",
	    "https://chat.example.org/hooks/tokenSECRET/x", NULL,
	    "tokenSECRET");
	check_refused("mattermost/a bot name that is not UTF-8",
	    "mmosts://Bot%FF@chat.example.org/tokenSECRET", "name",
	    "tokenSECRET");
	check_refused("mattermost/a bot name with a line break",
	    "mmosts://Bot%0A@chat.example.org/tokenSECRET", "name",
	    "tokenSECRET");
	check_refused("mattermost/no token", "mmosts://chat.example.org/",
	    "token", "chat.example.org/");
	check_refused("mattermost/no token, only a channel",
	    "mmosts://chat.example.org/#town", "token", "town");
	check_refused("mattermost/two channels",
	    "mmosts://chat.example.org/tokenSECRET?channel=a,b",
	    "one Mattermost channel", "tokenSECRET");
	check_refused("mattermost/a #channel and channel=",
	    "mmosts://chat.example.org/tokenSECRET/#a?to=b",
	    "one Mattermost channel", "tokenSECRET");
	check_shown("mattermost/shown: no token, no path",
	    "mmosts://bot@chat.example.org/mm/tokenSECRET",
	    "mmosts://chat.example.org/****");

	root = format_json("mmost://chat.example.org/tokenSECRET",
	    sample_digest(), &req);
	CHECK("mattermost/mmost://: http, port 8065, /hooks/TOKEN",
	    root && strcmp(req.method, "POST") == 0 && strcmp(req.url,
	    "http://chat.example.org:8065/hooks/tokenSECRET") == 0 &&
	    json_object_get(root, "channel") == NULL &&
	    strcmp(str_at(root, "username"), "followup") == 0, "%s",
	    req.url);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("mmosts://Bot%20Name@chat.example.org/mm/sub/"
	    "tokenSECRET/%23town-square", sample_digest(), &req);
	CHECK("mattermost/mmosts://: https, 443, path, botname, #channel",
	    root && strcmp(req.url, "https://chat.example.org/mm/sub/hooks/"
	    "tokenSECRET") == 0 && strcmp(str_at(root, "username"),
	    "Bot Name") == 0 && strcmp(str_at(root, "channel"),
	    "town-square") == 0, "%s %s", req.url, req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("mmosts://chat.example.org:8443/tokenSECRET?"
	    "channel=%23ops", sample_digest(), &req);
	CHECK("mattermost/port and channel=",
	    root && strcmp(req.url, "https://chat.example.org:8443/hooks/"
	    "tokenSECRET") == 0 && strcmp(str_at(root, "channel"), "ops") == 0,
	    "%s %s", req.url, req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("https://chat.example.org/hooks/tokenSECRET",
	    sample_digest(), &req);
	CHECK("mattermost/the https form posts where it says",
	    root && strcmp(req.url, "https://chat.example.org/hooks/"
	    "tokenSECRET") == 0, "%s", req.url);
	json_decref(root);
	notifier_request_release(&req);
}

static json_t *
fields_value(json_t *attachment, const char *title)
{
	json_t *fields = json_object_get(attachment, "fields");
	size_t i;

	for (i = 0; i < json_array_size(fields); i++)
		if (strcmp(str_at(json_array_get(fields, i), "title"), title)
		    == 0)
			return json_object_get(json_array_get(fields, i),
			    "value");
	return NULL;
}

static void
test_mattermost_message(void)
{
	struct notifier_request req;
	json_t *root, *atts, *a0, *a1;
	const char *text;

	root = format_json("mmosts://chat.example.org/tokenSECRET",
	    sample_digest(), &req);
	text = str_at(root, "text");
	atts = json_object_get(root, "attachments");
	a0 = json_array_get(atts, 0);
	a1 = json_array_get(atts, 1);
	CHECK("mattermost/digest: a heading, names as Markdown links",
	    strncmp(text, "#### followup: 3 people to follow up\n", 37) == 0 &&
	    strstr(text, "[Ada Lovelace](obsidian://open?vault=vault&file="
	    "People%2FAda%20Lovelace)") != NULL, "%s", text);
	CHECK("mattermost/digest: non-ASCII intact, items, late, more",
	    strstr(text, "Zoë Ångström") != NULL &&
	    strstr(text, "Café au lait") != NULL &&
	    strstr(text, "late: should have gone out on 2026-11-20") != NULL &&
	    strstr(text, "and 3 more") != NULL, "%s", text);
	CHECK("mattermost/digest: one attachment per reminder",
	    json_array_size(atts) == 3 && strcmp(str_at(a0, "title"),
	    "Ada Lovelace") == 0 && strcmp(str_at(a1, "title"),
	    "Zoë Ångström") == 0, "%s", req.body);
	CHECK("mattermost/attachment: fallback, color by state, fields",
	    strstr(str_at(a0, "fallback"), "Ada Lovelace — overdue") != NULL &&
	    strcmp(str_at(a0, "color"), str_at(a1, "color")) != 0 &&
	    strcmp(json_string_value(fields_value(a0, "State")), "overdue")
	    == 0 && strcmp(json_string_value(fields_value(a0, "Due")),
	    "2026-11-20") == 0 && strcmp(json_string_value(fields_value(a0,
	    "Open items")), "5") == 0, "%s", req.body);
	CHECK("mattermost/attachment: no title_link for obsidian://",
	    json_object_get(a0, "title_link") == NULL, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("mmosts://chat.example.org/tokenSECRET",
	    sample_single(), &req);
	CHECK("mattermost/single",
	    strncmp(str_at(root, "text"), "#### Follow up with Ada Lovelace",
	    32) == 0 && json_array_size(json_object_get(root,
	    "attachments")) == 1, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("mmosts://chat.example.org/tokenSECRET",
	    sample_test(), &req);
	CHECK("mattermost/test message, no attachments",
	    strstr(str_at(root, "text"), "test message") != NULL &&
	    json_array_size(json_object_get(root, "attachments")) == 0,
	    "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("mmosts://chat.example.org/tokenSECRET",
	    sample_many(), &req);
	text = str_at(root, "text");
	CHECK("mattermost/many: text within 16383 characters, and N more",
	    root && chars(text) <= 16383 && chars(text) > 12000 &&
	    strstr(text, " more\n") != NULL, "%zu characters", chars(text));
	CHECK("mattermost/many: at most 20 attachments, body bounded",
	    json_array_size(json_object_get(root, "attachments")) <= 20 &&
	    req.body_len <= ((size_t)256 << 10), "%zu attachments, %zu bytes",
	    json_array_size(json_object_get(root, "attachments")),
	    req.body_len);
	json_decref(root);
	notifier_request_release(&req);
}

/* ------------------------------------------------------------ Matrix */

#define MATRIX_PUT "https://hs.example.org/_matrix/client/v3/rooms/"

static void
test_matrix_urls(void)
{
	struct notifier_request req;
	json_t *root;

	check_opens("matrix/login form", "matrixs://bot:pwSECRET@hs.example."
	    "org/%23room:example.org", "matrix");
	check_opens("matrix/matrix:// to this machine",
	    "matrix://bot:pwSECRET@127.0.0.1:8008/#room", "matrix");
	check_refused("matrix/matrix:// to another machine",
	    "matrix://bot:pwSECRET@hs.example.org/#room", "matrixs://",
	    "pwSECRET");
	check_refused("matrix/no room", "matrixs://bot:pwSECRET@hs.example."
	    "org", "needs a room", "pwSECRET");
	check_refused("matrix/no credentials", "matrixs://hs.example.org/"
	    "#roomSECRET", "login or an access token", "roomSECRET");
	check_refused("matrix/a user is not a room",
	    "matrixs://tokSECRET@hs.example.org/@ada:example.org",
	    "not to users", "tokSECRET");
	check_refused("matrix/webhook modes", "matrixs://tokSECRET@hs."
	    "example.org/#room?mode=t2bot", "mode=", "tokSECRET");
	check_refused("matrix/msgtype", "matrixs://tokSECRET@hs."
	    "example.org/#room?msgtype=shout", "msgtype=", "tokSECRET");
	check_shown("matrix/shown", "matrixs://bot:pwSECRET@hs.example.org/"
	    "#roomSECRET", "matrixs://hs.example.org/****");
	{
		/* Transaction ids are the access token's (matrix-spec #1133):
		 * a login makes a new token each run, so only a token given
		 * in the URL makes a resend on a later run harmless. */
		struct opened login = open_url("matrixs://bot:pwSECRET@hs."
		    "example.org/#room:example.org");
		struct opened token = open_url("matrixs://tokSECRET@hs."
		    "example.org/#room:example.org");

		CHECK("matrix/a resend on a later run: only with a token",
		    login.rc == 0 && token.rc == 0 && !login.n.resend_safe &&
		    token.n.resend_safe, "login %d token %d",
		    login.n.resend_safe, token.n.resend_safe);
		close_url(&login);
		close_url(&token);
	}

	root = format_json("matrixs://bot:pwSECRET@hs.example.org/%23room:"
	    "example.org", sample_digest(), &req);
	CHECK("matrix/login: PUT to the room as written, idempotent, no "
	    "token yet",
	    root && strcmp(req.method, "PUT") == 0 &&
	    strncmp(req.url, MATRIX_PUT "%23room%3Aexample.org/send/"
	    "m.room.message/fu", sizeof(MATRIX_PUT) + 40) == 0 &&
	    req.idempotent && header(&req, "Authorization") == NULL &&
	    strstr(req.body, "pwSECRET") == NULL, "%s", req.url);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("matrixs://tokSECRET@hs.example.org/!abc:example."
	    "org", sample_digest(), &req);
	CHECK("matrix/token@: a secret Bearer header, room id",
	    root && header(&req, "Authorization") &&
	    header(&req, "Authorization")->secret && strcmp(header(&req,
	    "Authorization")->value, "Bearer tokSECRET") == 0 &&
	    strncmp(req.url, MATRIX_PUT "%21abc%3Aexample.org/send/",
	    sizeof(MATRIX_PUT) + 24) == 0 && strstr(req.url, "tokSECRET") ==
	    NULL, "%s", req.url);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("matrixs://hs.example.org/room?token=tokSECRET",
	    sample_digest(), &req);
	CHECK("matrix/token= and a bare alias",
	    root && header(&req, "Authorization") && strncmp(req.url,
	    MATRIX_PUT "%23room/send/", sizeof(MATRIX_PUT) + 12) == 0,
	    "%s", req.url);
	json_decref(root);
	notifier_request_release(&req);
}

/* The txn id of url: its last segment. */
static char *
txn_of(const char *url)
{
	return xstrdup(strrchr(url, '/') + 1);
}

static void
test_matrix_message(void)
{
	struct notifier_request req, other;
	struct reminder_batch b = sample_digest();
	json_t *root;
	const char *html, *plain;
	char *t1, *t2;

	root = format_json("matrixs://tokSECRET@hs.example.org/#room:x", b,
	    &req);
	html = str_at(root, "formatted_body");
	plain = str_at(root, "body");
	CHECK("matrix/digest: m.text, HTML format",
	    root && strcmp(str_at(root, "msgtype"), "m.text") == 0 &&
	    strcmp(str_at(root, "format"), "org.matrix.custom.html") == 0,
	    "%s", req.body);
	CHECK("matrix/digest: plain body with title, names, items, more",
	    strncmp(plain, "followup: 3 people to follow up\n\n", 33) == 0 &&
	    strstr(plain, "Ada Lovelace — overdue") != NULL &&
	    strstr(plain, "Zoë Ångström") != NULL &&
	    strstr(plain, "and 3 more") != NULL, "%s", plain);
	CHECK("matrix/digest: HTML names as links, escaped",
	    strstr(html, "<a href=\"obsidian://open?vault=vault&amp;file="
	    "People%2FAda%20Lovelace\"><strong>Ada Lovelace</strong></a>") !=
	    NULL && strstr(html, "Ask about &lt;Babbage&gt; &amp; the "
	    "&quot;difference&quot; engine") != NULL &&
	    strstr(html, "<em>late: should have gone out on 2026-11-20</em>")
	    != NULL && strstr(html, "Zoë Ångström") != NULL, "%s", html);
	t1 = txn_of(req.url);
	notifier_request_release(&req);
	json_decref(root);

	root = format_json("matrixs://tokSECRET@hs.example.org/#room:x", b,
	    &other);
	t2 = txn_of(other.url);
	CHECK("matrix/txn id: the same for the same message_id",
	    strcmp(t1, t2) == 0, "%s %s", t1, t2);
	free(t2);
	notifier_request_release(&other);
	json_decref(root);

	b.message_id = "digest-another";
	root = format_json("matrixs://tokSECRET@hs.example.org/#room:x", b,
	    &other);
	t2 = txn_of(other.url);
	CHECK("matrix/txn id: another for another message_id",
	    strcmp(t1, t2) != 0, "%s %s", t1, t2);
	free(t2);
	notifier_request_release(&other);
	json_decref(root);

	b = sample_digest();
	root = format_json("matrixs://tokSECRET@hs.example.org/#other:x", b,
	    &other);
	t2 = txn_of(other.url);
	CHECK("matrix/txn id: another for another room", strcmp(t1, t2) != 0,
	    "%s %s", t1, t2);
	free(t1);
	free(t2);
	notifier_request_release(&other);
	json_decref(root);

	root = format_json("matrixs://tokSECRET@hs.example.org/#room:x?"
	    "msgtype=notice", sample_single(), &req);
	CHECK("matrix/single, msgtype=notice",
	    strcmp(str_at(root, "msgtype"), "m.notice") == 0 &&
	    strncmp(str_at(root, "body"), "Follow up with Ada Lovelace", 27) ==
	    0, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("matrixs://tokSECRET@hs.example.org/#room:x",
	    sample_test(), &req);
	CHECK("matrix/test message",
	    strstr(str_at(root, "body"), "test message") != NULL &&
	    strstr(str_at(root, "formatted_body"), "<h4>followup: a test "
	    "message</h4>") != NULL, "%s", req.body);
	json_decref(root);
	notifier_request_release(&req);

	root = format_json("matrixs://tokSECRET@hs.example.org/#room:x",
	    sample_many(), &req);
	CHECK("matrix/many: within 32 KiB (events are at most 64), and N more",
	    root && req.body_len <= 32768 && req.body_len > 16384 &&
	    strstr(str_at(root, "body"), " more\n") != NULL &&
	    strstr(str_at(root, "formatted_body"), " more</p>") != NULL,
	    "%zu bytes", req.body_len);
	json_decref(root);
	notifier_request_release(&req);
}

int
main(void)
{
	test_ntfy_urls();
	test_ntfy_message();
	test_mattermost_urls();
	test_mattermost_message();
	test_matrix_urls();
	test_matrix_message();
	return unit_exit();
}
