/*
 * test-notifier.c - the URL parser, the registry, what may be shown of a
 * notifier, and the generic JSON notifier's message.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "reminders.h"
#include "../../core/util.h"
#include "../../notifiers/notifier.h"
#include "../../net/url.h"

static void
test_url_parse(void)
{
	struct url u;
	const char *why = NULL;

	CHECK("url/apprise slack with #channel",
	    url_parse("slack://T1/B2/C3/#general", &u, &why) == 0 &&
	    strcmp(u.scheme, "slack") == 0 && strcmp(u.host, "T1") == 0 &&
	    u.nsegments == 3 && strcmp(u.segments[2], "#general") == 0,
	    "nsegments %zu", u.nsegments);
	url_release(&u);
	CHECK("url/userinfo, port, query, decoding",
	    url_parse("JSON://us%40r:p%3Ass@127.0.0.1:8080/a%20b/c?To=x%40y&"
	    "+X-Token=abc&flag", &u, &why) == 0 &&
	    strcmp(u.scheme, "json") == 0 && strcmp(u.user, "us@r") == 0 &&
	    strcmp(u.password, "p:ss") == 0 && u.port == 8080 &&
	    strcmp(u.segments[0], "a b") == 0 &&
	    strcmp(url_param(&u, "to"), "x@y") == 0 &&
	    strcmp(url_param(&u, "+X-Token"), "abc") == 0 &&
	    strcmp(url_param(&u, "flag"), "") == 0, "parsed wrong");
	url_release(&u);
	CHECK("url/ipv6 host",
	    url_parse("json://[::1]:9/x", &u, &why) == 0 &&
	    strcmp(u.host, "::1") == 0 && u.port == 9 && u.ipv6, "v6");
	{
		char *hp = url_hostport(&u);

		CHECK("url/ipv6 hostport shown in brackets",
		    strcmp(hp, "[::1]:9") == 0, "%s", hp);
		free(hp);
	}
	url_release(&u);
	CHECK("url/no scheme is refused",
	    url_parse("hooks.slack.com/services/x", &u, &why) == -1, "ok");
	CHECK("url/bad port is refused, the reason quotes nothing",
	    url_parse("json://h:99999/secret", &u, &why) == -1 &&
	    strstr(why, "secret") == NULL, "why %s", why);
	CHECK("url/space is refused",
	    url_parse("json://h/a b", &u, &why) == -1, "ok");
}

static void
test_open_and_show(void)
{
	struct notifier n = { 0 };
	char *why = NULL, *shown;

	CHECK("open/json URL", notifier_open(&n,
	    "json://user:hunter2@127.0.0.1:8080/hook/TOKEN", &why) == 0,
	    "%s", why ? why : "");
	shown = notifier_shown_url(&n);
	CHECK("show/only scheme and host",
	    strcmp(shown, "json://127.0.0.1:8080/****") == 0, "%s", shown);
	free(shown);
	notifier_release(&n);

	CHECK("open/unknown scheme is refused",
	    notifier_open(&n, "nosuch://host/TOKEN", &why) == -1 &&
	    strstr(why, "nosuch://") != NULL && strstr(why, "TOKEN") == NULL,
	    "%s", why ? why : "");
	free(why);
	shown = notifier_shown_url(&n);
	CHECK("show/unknown scheme: the scheme only (the host may be a token)",
	    strcmp(shown, "nosuch://****") == 0, "%s", shown);
	free(shown);
	notifier_release(&n);
	CHECK("open/a misspelt scheme whose host is the token",
	    notifier_open(&n, "pbul://o.SECRET", &why) == -1, "opened");
	free(why);
	shown = notifier_shown_url(&n);
	CHECK("show/a misspelt scheme: nothing of the host",
	    strstr(shown, "SECRET") == NULL, "%s", shown);
	free(shown);
	notifier_release(&n);
	CHECK("open/json: a +Header= name that is no header name is refused",
	    notifier_open(&n, "json://127.0.0.1/h?+X-A%0D%0AEvil=1", &why)
	    == -1 && strstr(why, "Evil") == NULL, "%s", why ? why : "");
	free(why);
	notifier_release(&n);
	CHECK("open/json: a +Header= value with a line break is refused",
	    notifier_open(&n, "json://127.0.0.1/h?+X-Token=a%0D%0AEvil:%201",
	    &why) == -1 && strstr(why, "Evil") == NULL, "%s",
	    why ? why : "");
	free(why);
	notifier_release(&n);
	CHECK("open/unknown https webhook is refused",
	    notifier_open(&n, "https://example.org/secret-hook", &why) == -1 &&
	    strstr(why, "secret-hook") == NULL, "%s", why ? why : "");
	free(why);
	notifier_release(&n);
}

static void
test_json_message(void)
{
	struct notifier n = { 0 };
	struct notifier_request req;
	struct reminder_batch b = sample_digest();
	json_t *root, *r0, *r1;
	json_error_t err;
	char *why = NULL;

	n.name = xstrdup("hook");
	notifier_open(&n, "json://127.0.0.1:8080/hook/TOKEN?+X-Token=s3cret",
	    &why);
	CHECK("json/format", notifier_format(&n, &b, &req) == 0, "failed");
	root = json_loadb(req.body, req.body_len, 0, &err);
	r0 = json_array_get(json_object_get(json_object_get(root, "followup"),
	    "reminders"), 0);
	r1 = json_array_get(json_object_get(json_object_get(root, "followup"),
	    "reminders"), 1);
	CHECK("json/POST to the path", strcmp(req.method, "POST") == 0 &&
	    strcmp(req.url, "http://127.0.0.1:8080/hook/TOKEN") == 0,
	    "%s %s", req.method, req.url);
	CHECK("json/Apprise's fields",
	    root && strcmp(json_string_value(json_object_get(root,
	    "version")), "1.0") == 0 && strcmp(json_string_value(
	    json_object_get(root, "title")),
	    "followup: 3 people to follow up") == 0 &&
	    strstr(json_string_value(json_object_get(root, "message")),
	    "Ada Lovelace — overdue") != NULL, "%s", req.body);
	CHECK("json/reminders as data",
	    r0 && strcmp(json_string_value(json_object_get(r0, "state")),
	    "overdue") == 0 && json_integer_value(json_object_get(r0,
	    "more_items")) == 3 && json_array_size(json_object_get(r0,
	    "open_items")) == 2, "%s", req.body);
	CHECK("json/non-ASCII name intact and late marked",
	    r1 && strcmp(json_string_value(json_object_get(r1, "name")),
	    "Zoë Ångström") == 0 && strcmp(json_string_value(
	    json_object_get(r1, "late_since")), "2026-11-20") == 0,
	    "%s", req.body);
	CHECK("json/+header is sent and secret",
	    req.nheaders == 2 && strcmp(req.headers[1].name, "X-Token") == 0 &&
	    req.headers[1].secret, "%zu headers", req.nheaders);
	json_decref(root);
	notifier_request_release(&req);

	b = sample_many();
	CHECK("json/many: fits 1 MiB and says how many more",
	    notifier_format(&n, &b, &req) == 0 &&
	    req.body_len <= ((size_t)1 << 20), "%zu bytes", req.body_len);
	notifier_request_release(&req);
	notifier_release(&n);
}

/*
 * Names come from file names too, which need not be UTF-8 (a Latin-1
 * "Café.md"), and a title may hold control characters. Every service
 * makes its message all the same, showing every reminder it says it
 * shows, the bytes it cannot carry replaced.
 */
static void
test_text_not_utf8(void)
{
	static const char *const urls[] = {
		"json://127.0.0.1:8080/hook", "slack://T1/B2/C3",
		"slack://xoxb-1-2/#c", "discord://1/tok",
		"msteams://team/a@b/c/d", "workflows://h.example.org/wf/sig",
		"gchat://sp/k/t", "mmosts://h.example.org/tok",
		"ntfys://h.example.org/topic", "matrixs://tok@h.example.org/#r",
		"mailto://u:p@example.org",
	};
	static const struct reminder_item bad_items[] = {
		{ "Caf\xe9 \xff\xfe \x1b[31m red\r\nBcc: x@example.org",
		    "2026-11-20", "People/Caf\xe9.md", 3 },
	};
	struct reminder rs[2];
	size_t i, k;

	rs[0] = sample_reminders[0];
	rs[0].name = "Jos\xe9 \x01\r\nB\xc3";
	rs[0].path = "People/Jos\xe9.md";
	rs[0].link = "obsidian://open?vault=v&file=People%2FJos%E9";
	rs[0].items = bad_items;
	rs[0].nitems = 1;
	rs[0].nitems_total = 1;
	rs[0].episode = "People/Jos\xe9.md|2026-11-20|overdue";
	rs[1] = sample_reminders[2];
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
			struct notifier n = { 0 };
			struct notifier_request req;
			struct reminder_batch b = sample_digest();
			char *why = NULL, name[160];
			int rc;

			b.items = rs;
			b.n = b.shown = k ? 2 : 1;
			b.digest = (int)k;
			b.vault_name = "v\xe9";
			n.name = xstrdup("t");
			snprintf(name, sizeof(name), "text not UTF-8/%s %s: "
			    "made, all shown, valid UTF-8", urls[i],
			    k ? "digest" : "single");
			if (notifier_open(&n, urls[i], &why) != 0) {
				CHECK(name, 0, "open: %s", why);
				free(why);
				continue;
			}
			rc = notifier_format(&n, &b, &req);
			CHECK(name, rc == 0 && req.shown == b.n &&
			    utf8_first_invalid((const unsigned char *)req.body,
			    req.body_len) == req.body_len &&
			    (k == 0 || strstr(req.body, "Grace Hopper")) &&
			    strstr(req.body, "\\u001b") == NULL &&
			    strstr(req.body, "\\r") == NULL &&
			    strchr(req.body, '\x1b') == NULL,
			    "rc %d shown %zu: %.300s", rc, rc ? 0 : req.shown,
			    rc ? "" : req.body);
			if (rc == 0 && req.body[0] == '{') {
				json_t *root = json_loadb(req.body,
				    req.body_len, 0, NULL);
				json_t *e = json_object_get(root, "embeds");

				CHECK("text not UTF-8/JSON, every embed there",
				    root != NULL && (e == NULL ||
				    json_array_size(e) == b.n), "%s",
				    req.body);
				json_decref(root);
			}
			if (rc == 0)
				notifier_request_release(&req);
			notifier_release(&n);
		}
}

int
main(void)
{
	test_url_parse();
	test_open_and_show();
	test_json_message();
	test_text_not_utf8();
	return unit_exit();
}
