/*
 * Unit tests of the feed's pure parts: WebDAV multistatus reading and
 * percent-decoding (feed/publish.c), URL redaction, the If-Match
 * header and the refusal to send credentials over plain http://
 * (net/http.c), feed comparison (feed/calendar.c) and the `ics`
 * config keys (config/config.c).
 */
#include <stdlib.h>

#include "../../config/config.h"
#include "../../feed/calendar.h"
#include "../../core/diag.h"
#include "../../core/util.h"
#include "../../net/http.h"
#include "../../feed/dav.h"
#include "../../feed/publish.h"
#include "unit.h"

static const char radicale_depth1[] =
    "<?xml version='1.0' encoding='utf-8'?>\n"
    "<multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
    "<response><href>/alice/followup/</href><propstat><prop><resourcetype>"
    "<C:calendar /><collection /></resourcetype><getetag>\"c0\"</getetag>"
    "</prop><status>HTTP/1.1 200 OK</status></propstat></response>"
    "<response><href>/alice/followup/followup-00ff%40followup.ics</href>"
    "<propstat><prop><resourcetype /><getetag>\"e1\"</getetag></prop>"
    "<status>HTTP/1.1 200 OK</status></propstat></response>"
    "</multistatus>";

/* Prefixed, entities in the ETag, a 404 propstat, a comment, CDATA. */
static const char prefixed[] =
    "<?xml version=\"1.0\"?><!-- a comment <response> -->"
    "<D:multistatus xmlns:D=\"DAV:\" xmlns:cal=\"urn:ietf:params:xml:ns:"
    "caldav\"><D:response><D:href>http://h/cal/a%20b.ics</D:href>"
    "<D:propstat><D:prop><D:getetag>&quot;x&amp;y&quot;</D:getetag>"
    "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
    "<D:propstat><D:prop><D:resourcetype/></D:prop>"
    "<D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>"
    "</D:response><D:response><D:href><![CDATA[/cal/]]></D:href>"
    "<D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype>"
    "<D:getetag/></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
    "</D:propstat></D:response></D:multistatus>";

static void
test_multistatus(void)
{
	struct dav_listing l;
	int rc;

	rc = dav_parse_multistatus(radicale_depth1, sizeof(radicale_depth1) - 1,
	    &l);
	CHECK("multistatus radicale parses", rc == 0 && l.n == 2, "rc %d n %zu",
	    rc, l.n);
	if (rc == 0 && l.n == 2) {
		CHECK("multistatus radicale collection is a calendar",
		    l.items[0].calendar && l.items[0].collection &&
		    strcmp(l.items[0].href, "/alice/followup/") == 0,
		    "calendar %d collection %d href %s", l.items[0].calendar,
		    l.items[0].collection, l.items[0].href);
		CHECK("multistatus radicale item etag and href",
		    !l.items[1].collection && !l.items[1].calendar &&
		    strcmp(l.items[1].etag, "\"e1\"") == 0 &&
		    strcmp(l.items[1].href,
		    "/alice/followup/followup-00ff%40followup.ics") == 0,
		    "etag %s href %s", l.items[1].etag, l.items[1].href);
		dav_listing_release(&l);
	}

	rc = dav_parse_multistatus(prefixed, sizeof(prefixed) - 1, &l);
	CHECK("multistatus prefixed parses", rc == 0 && l.n == 2,
	    "rc %d n %zu", rc, l.n);
	if (rc == 0 && l.n == 2) {
		CHECK("multistatus entities decoded in etag",
		    l.items[0].etag && strcmp(l.items[0].etag, "\"x&y\"") == 0,
		    "etag %s", l.items[0].etag ? l.items[0].etag : "(null)");
		CHECK("multistatus 404 propstat ignored",
		    !l.items[0].collection, "collection %d",
		    l.items[0].collection);
		CHECK("multistatus cdata href, empty etag is none",
		    strcmp(l.items[1].href, "/cal/") == 0 &&
		    l.items[1].collection && l.items[1].etag == NULL,
		    "href %s etag %s", l.items[1].href,
		    l.items[1].etag ? l.items[1].etag : "(null)");
		dav_listing_release(&l);
	}

	/* Found by fuzzing: a response left open leaked its href. */
	rc = dav_parse_multistatus("<multistatus><response><href>/a</href>"
	    "<response><href>/b</href></response></multistatus>", 88, &l);
	CHECK("multistatus response left open: the next one counts",
	    rc == 0 && l.n == 1 && strcmp(l.items[0].href, "/b") == 0,
	    "rc %d n %zu", rc, l.n);
	if (rc == 0)
		dav_listing_release(&l);
	rc = dav_parse_multistatus("<html><body>hi</body></html>", 28, &l);
	CHECK("multistatus html is refused", rc == -1, "rc %d", rc);
	rc = dav_parse_multistatus("<D:multistatus><D:response><D:href>", 35,
	    &l);
	CHECK("multistatus truncated after a tag: read, the unfinished "
	    "response not listed", rc == 0 && l.n == 0, "rc %d n %zu", rc,
	    rc == 0 ? l.n : 0);
	if (rc == 0)
		dav_listing_release(&l);
	rc = dav_parse_multistatus("<D:multistatus><D:response><D:hr", 32, &l);
	CHECK("multistatus truncated inside a tag is refused", rc == -1,
	    "rc %d", rc);
	if (rc == 0)
		dav_listing_release(&l);
}

static const struct {
	const char *in, *out;
} decodes[] = {
	{ "a%20b", "a b" }, { "%40", "@" }, { "x%4", "x%4" }, { "%zz", "%zz" },
	{ "%C3%85sa", "\xC3\x85sa" }, { "", "" }, { "100%", "100%" },
};

static const struct {
	const char *in, *out;
} redactions[] = {
	{ "https://alice:hunter2@dav.example.org/cal/",
	    "https://dav.example.org/cal/" },
	{ "http://bob@127.0.0.1:5232/bob/x/", "http://127.0.0.1:5232/bob/x/" },
	{ "https://h/hook?token=SECRET#frag", "https://h/hook?****" },
	{ "https://h", "https://h/" },
};

static void
test_urls(void)
{
	char name[160];
	size_t i;

	for (i = 0; i < sizeof(decodes) / sizeof(decodes[0]); i++) {
		char *got = percent_decode(decodes[i].in,
		    strlen(decodes[i].in));

		snprintf(name, sizeof(name), "percent decode \"%s\"",
		    decodes[i].in);
		CHECK(name, strcmp(got, decodes[i].out) == 0, "got \"%s\"",
		    got);
		free(got);
	}
	for (i = 0; i < sizeof(redactions) / sizeof(redactions[0]); i++) {
		char *got = http_redact_url(redactions[i].in);

		snprintf(name, sizeof(name), "redact %s", redactions[i].out);
		CHECK(name, strcmp(got, redactions[i].out) == 0 &&
		    strstr(got, "hunter2") == NULL && strstr(got, "SECRET") ==
		    NULL, "got \"%s\"", got);
		free(got);
	}
}

static const struct {
	const char *name, *etag, *header;	/* header NULL: no If-Match */
} if_matches[] = {
	{ "strong", "\"e1\"", "If-Match: \"e1\"" },
	{ "strong empty", "\"\"", "If-Match: \"\"" },
	{ "weak: If-Match compares strongly", "W/\"w1\"", NULL },
	{ "empty", "", NULL },
	{ "none", NULL, NULL },
	{ "with a line end", "\"a\r\nX-Evil: 1\"", NULL },
};

/* Credentials over plain http:// only to this machine. */
static const struct {
	const char *url, *user;
	int refused;
} insecure[] = {
	{ "http://alice:pw@192.0.2.1/cal/", NULL, 1 },
	{ "http://alice@192.0.2.1/cal/", NULL, 1 },
	{ "http://192.0.2.1/cal/", "alice", 1 },
	{ "http://alice:pw@127.evil.example/", NULL, 1 },
	{ "http://alice:pw@[2001:db8::1]/", NULL, 1 },
	{ "HTTP://alice:pw@192.0.2.1/", NULL, 1 },
	{ "http://alice:pw@127.0.0.1:1/", NULL, 0 },
	{ "http://alice:pw@127.0.0.2:1/", NULL, 0 },
	{ "http://alice:pw@localhost:1/", NULL, 0 },
	{ "http://alice:pw@[::1]:1/", NULL, 0 },
};

static void
test_http(void)
{
	char name[160], buf[64];
	size_t i;

	for (i = 0; i < sizeof(if_matches) / sizeof(if_matches[0]); i++) {
		const char *got = http_if_match(if_matches[i].etag, buf,
		    sizeof(buf));
		const char *want = if_matches[i].header;

		snprintf(name, sizeof(name), "if-match, etag %s",
		    if_matches[i].name);
		CHECK(name, want ? got != NULL && strcmp(got, want) == 0 :
		    got == NULL, "got %s", got ? got : "(null)");
	}
	CHECK("if-match too long for the buffer: none",
	    http_if_match("\"0123456789\"", buf, 20) == NULL, "got one");

	http_global_init();
	for (i = 0; i < sizeof(insecure) / sizeof(insecure[0]); i++) {
		struct http_request req = {
			.method = "PROPFIND",
			.url = insecure[i].url,
			.user = insecure[i].user,
			.password = insecure[i].user ? "pw" : NULL,
			.connect_timeout_ms = 2000,
			.timeout_ms = 2000,
		};
		struct http_response resp;
		enum http_failure f = http_perform(&req, &resp);

		snprintf(name, sizeof(name), "credentials over %s%s %s",
		    insecure[i].url, insecure[i].user ? " (user)" : "",
		    insecure[i].refused ? "refused" : "allowed");
		CHECK(name, insecure[i].refused ? f == HTTP_FAIL_INSECURE &&
		    resp.error != NULL && strstr(resp.error, "pw@") == NULL &&
		    strstr(resp.error, "plain http://") != NULL :
		    f != HTTP_FAIL_INSECURE, "failure %d: %s", (int)f,
		    resp.error ? resp.error : "(no message)");
		http_response_release(&resp);
	}
	http_global_cleanup();
}

static const char feed_a[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
    "DTSTAMP:20260110T000000Z\r\nSUMMARY:Follow up with a very long na\r\n"
    " me\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
static const char feed_b[] =	/* another DTSTAMP, folded elsewhere */
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
    "DTSTAMP:20270101T120000Z\r\nSUMMARY:Follow up with a very lo\r\n"
    " ng name\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
static const char feed_c[] =	/* another summary */
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
    "DTSTAMP:20260110T000000Z\r\nSUMMARY:Follow up with someone else\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";
static const char feed_d[] =	/* one more line */
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
    "DTSTAMP:20260110T000000Z\r\nSUMMARY:Follow up with a very long name"
    "\r\nSEQUENCE:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

static void
test_feeds(void)
{
	CHECK("feeds differing only in DTSTAMP and folding are the same",
	    calendar_same(feed_a, strlen(feed_a), feed_b, strlen(feed_b)) &&
	    calendar_content_hash(feed_a, strlen(feed_a)) ==
	    calendar_content_hash(feed_b, strlen(feed_b)), "differ");
	CHECK("feeds with another summary differ",
	    !calendar_same(feed_a, strlen(feed_a), feed_c, strlen(feed_c)) &&
	    calendar_content_hash(feed_a, strlen(feed_a)) !=
	    calendar_content_hash(feed_c, strlen(feed_c)), "same");
	CHECK("feeds with one more line differ",
	    !calendar_same(feed_a, strlen(feed_a), feed_d, strlen(feed_d)) &&
	    !calendar_same(feed_d, strlen(feed_d), feed_a, strlen(feed_a)),
	    "same");
	CHECK("empty feeds are the same", calendar_same("", 0, "", 0),
	    "differ");
	CHECK("is_ical: a feed", calendar_is_ical(feed_a, strlen(feed_a)),
	    "no");
	CHECK("is_ical: BOM and blank lines first",
	    calendar_is_ical("\xEF\xBB\xBF\r\nbegin:vcalendar\r\n", 22), "no");
	CHECK("is_ical: a Markdown note is not", !calendar_is_ical("# notes\n",
	    8), "yes");
	CHECK("is_ical: too short", !calendar_is_ical("BEGIN:VCAL", 10), "yes");
}

static const struct {
	const char *name;
	const char *yaml;
	int ok;
	const char *message;	/* a substring of the first diag */
} configs[] = {
	{ "ics defaults", "ics:\n  path: /tmp/x.ics\n", 1, NULL },
	{ "ics todo and alarm", "ics:\n  component: todo\n  alarm: \"09:30\"\n"
	    "  horizon_days: 0\n", 1, NULL },
	{ "ics bad component", "ics:\n  component: journal\n", 0,
	    "must be event or todo" },
	{ "ics bad alarm 24:00", "ics:\n  alarm: \"24:00\"\n", 0,
	    "time of day HH:MM" },
	{ "ics bad alarm 9:00", "ics:\n  alarm: \"9:00\"\n", 0,
	    "time of day HH:MM" },
	{ "ics negative horizon", "ics:\n  horizon_days: -1\n", 0,
	    "whole number of days" },
	{ "ics unknown key", "ics:\n  horizon: 3\n", 0,
	    "unknown key \"ics.horizon\"" },
	{ "ics ftp url", "ics:\n  publish: ftp://h/x\n", 0,
	    "http:// or https:// URL" },
	{ "ics url without host", "ics:\n  publish: \"https:///x\"\n", 0,
	    "http:// or https:// URL" },
	{ "ics two passwords", "ics:\n  publish: https://u:p@h/c/\n"
	    "  publish_password_env: X\n", 0, "more than once" },
	{ "ics two users", "ics:\n  publish: https://u@h/c/\n"
	    "  publish_user: v\n", 0, "user twice" },
	{ "ics credential with slash", "ics:\n  publish_credential: a/b\n", 0,
	    "must be a name" },
	{ "ics not a mapping", "ics: yes\n", 0, "must be a mapping" },
};

static void
test_config(void)
{
	char name[160];
	size_t i;

	for (i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		struct config cfg;
		struct diag_list dl = DIAG_LIST_INIT;
		int rc;

		config_init(&cfg);
		rc = config_parse(&cfg, "t.yml", configs[i].yaml,
		    strlen(configs[i].yaml), &dl);
		snprintf(name, sizeof(name), "config %s", configs[i].name);
		if (configs[i].ok)
			CHECK(name, rc == 0 && dl.n == 0, "rc %d: %s", rc,
			    dl.n ? dl.items[0].message : "");
		else
			CHECK(name, rc != 0 && dl.n > 0 &&
			    dl.items[0].kind == DIAG_CONFIG &&
			    strstr(dl.items[0].message, configs[i].message) !=
			    NULL, "rc %d: %s", rc, dl.n ? dl.items[0].message :
			    "(no diag)");
		diag_list_release(&dl);
		config_release(&cfg);
	}
	{
		static const char yaml[] = "ics:\n  component: todo\n"
		    "  alarm: \"09:30\"\n  horizon_days: 5\n"
		    "  publish: https://h/c/\n  publish_password: pw\n";
		struct config cfg;
		struct diag_list dl = DIAG_LIST_INIT;

		config_init(&cfg);
		CHECK("config ics defaults", cfg.ics.horizon_days == 30 &&
		    cfg.ics.component == ICS_EVENT && cfg.ics.alarm == -1 &&
		    cfg.ics.publish == NULL && cfg.secret_line == 0, "%d %d %d",
		    cfg.ics.horizon_days, (int)cfg.ics.component,
		    cfg.ics.alarm);
		config_parse(&cfg, "t.yml", yaml, strlen(yaml), &dl);
		CHECK("config ics values", cfg.ics.horizon_days == 5 &&
		    cfg.ics.component == ICS_TODO && cfg.ics.alarm == 570 &&
		    strcmp(cfg.ics.publish, "https://h/c/") == 0 &&
		    cfg.secret_line == 6, "%d %d %d line %d",
		    cfg.ics.horizon_days, (int)cfg.ics.component,
		    cfg.ics.alarm, cfg.secret_line);
		diag_list_release(&dl);
		config_release(&cfg);
	}
	{
		/* Any userinfo is a secret; an '@' after the host is not. */
		static const struct {
			const char *yaml;
			int line;
		} secrets[] = {
			{ "ics:\n  publish: https://TOKEN@h/c/\n", 2 },
			{ "ics:\n  publish: https://u:p@h/c/\n", 2 },
			{ "ics:\n  publish: https://h/c/a@b?x@y#z@w\n", 0 },
			{ "ics:\n  publish: https://h?x@y\n", 0 },
			{ "ics:\n  publish: https://h\n", 0 },
		};

		for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
			struct config cfg;
			struct diag_list dl = DIAG_LIST_INIT;
			int rc;

			config_init(&cfg);
			rc = config_parse(&cfg, "t.yml", secrets[i].yaml,
			    strlen(secrets[i].yaml), &dl);
			snprintf(name, sizeof(name), "config secret line %d: %s",
			    secrets[i].line, secrets[i].yaml + 16);
			name[strcspn(name, "\n")] = '\0';
			CHECK(name, rc == 0 && cfg.secret_line ==
			    secrets[i].line, "rc %d line %d", rc,
			    cfg.secret_line);
			diag_list_release(&dl);
			config_release(&cfg);
		}
	}
}

int
main(void)
{
	test_multistatus();
	test_urls();
	test_http();
	test_feeds();
	test_config();
	return unit_exit();
}
