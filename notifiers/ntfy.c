/*
 * ntfy.c - ntfy push notifications (https://ntfy.sh, or a server of your
 * own), in Apprise's URL forms:
 *
 *   ntfy://TOPIC                         ntfy.sh (Apprise's "cloud" mode)
 *   ntfy://ntfy.sh/TOPIC                 the same
 *   ntfy://[user:pass@]HOST[:port]/TOPIC a server of your own, http://
 *   ntfys://[user:pass@]HOST[:port]/TOPIC   ... over https://
 *   https://ntfy.sh/TOPIC                ntfy's own topic URL
 *   https://HOST[:port]/TOPIC?ntfy       a topic URL of your own server:
 *                                        the "ntfy" key says so, since a
 *                                        bare https://HOST/WORD could be
 *                                        any webhook
 *
 * Query keys, as Apprise reads them: mode=cloud|private, to=TOPIC,
 * priority= (min, low, default, high, max or 1-5; else by state),
 * tags=a,b (added to the state's tag), click=URI (else a single
 * reminder's obsidian:// link: ntfy opens any URI the phone knows).
 * Credentials: user:password is HTTP Basic (http.h sends it, and never
 * over plain http:// to another machine); token=TK, or auth=token with
 * the token as the URL's password, is "Authorization: Bearer" (refused
 * over plain http:// to another machine too). One topic per notifier:
 * several would be several messages, and one outcome can't say which
 * went out.
 *
 * The message is ntfy's JSON publishing: POST / with {"topic", "title",
 * "message" (Markdown, "markdown": true), "priority" (4 when a reminder is
 * cold or overdue, else 3), "tags" (an emoji per state: warning,
 * snowflake, date), "click"}. ntfy takes a JSON body of at most 4096
 * bytes (message-size-limit; larger would be refused or turned into an
 * attachment), so max_body is 4096 and notifier_format() shows fewer
 * reminders, with "and N more", until it fits.
 *
 * The topic is a secret (on ntfy.sh, whoever knows it reads the
 * messages): what is shown is "ntfy://ntfy.sh/" or "ntfys://HOST/", and
 * four stars; --dry-run shows the body's "topic" as four stars too.
 *
 * Memory: struct ntfy_topic (n->priv) owns its strings, wiped on release.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notifier.h"
#include "wording.h"
#include "../net/http.h"
#include "../core/util.h"

#define NTFY_MAX_BODY 4096	/* ntfy's default message-size-limit */
#define NTFY_TOPIC_MAX 64
#define NTFY_CLOUD_HOST "ntfy.sh"

struct ntfy_topic {
	char *url;		/* http(s)://[userinfo@]host[:port]/ */
	char *topic;
	char *token;		/* Bearer token, or NULL */
	char *click;		/* from click=, or NULL */
	char *tags;		/* from tags=, as given, or NULL */
	int priority;		/* from priority=, 1-5; 0: by state */
	int cloud;
};

static void
ntfy_release(void *priv)
{
	struct ntfy_topic *t = priv;

	free_secret(t->url);
	free_secret(t->topic);
	free_secret(t->token);
	free(t->click);
	free(t->tags);
	free(t);
}

/* ntfy's rule for topic names: [-_A-Za-z0-9]{1,64}. */
static int
valid_topic(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > NTFY_TOPIC_MAX)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_") == n;
}

static int
is_cloud_host(const char *host)
{
	return strcasecmp(host, NTFY_CLOUD_HOST) == 0;
}

/* A topic URL of ntfy.sh, or of any server when "?ntfy" marks it. */
static int
ntfy_match_https(const struct url *u)
{
	if (u->nsegments != 1 || !valid_topic(u->segments[0]))
		return 0;
	return is_cloud_host(u->host) || url_param(u, "ntfy") != NULL;
}

/* Apprise's priority names and numbers (by prefix, as Apprise reads). */
static int
parse_priority(const char *s)
{
	static const struct {
		const char *prefix;
		int level;
	} map[] = {
		{ "mi", 1 }, { "ma", 5 }, { "l", 2 }, { "mo", 2 }, { "n", 3 },
		{ "d", 3 }, { "h", 4 }, { "e", 5 }, { "1", 1 }, { "2", 2 },
		{ "3", 3 }, { "4", 4 }, { "5", 5 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncasecmp(s, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].level;
	return -1;
}

/*
 * The topics the URL names: its path segments, to= and, in cloud mode,
 * the host when it is not ntfy.sh. Exactly one is wanted.
 */
static int
pick_topic(const struct url *u, int cloud, const char **topic,
    const char **why)
{
	const char *to = url_param(u, "to");
	size_t count = u->nsegments;

	*topic = u->nsegments ? u->segments[0] : NULL;
	if (cloud && !is_cloud_host(u->host) && u->host[0] != '\0') {
		count++;
		*topic = u->host;
	}
	if (to != NULL && to[0] != '\0') {
		count++;
		if (*topic == NULL)
			*topic = to;
	}
	if (count == 0) {
		*why = "the ntfy URL needs a topic: ntfy://TOPIC or "
		    "ntfys://HOST/TOPIC";
		return -1;
	}
	if (count > 1 || strchr(*topic, ',') != NULL) {
		*why = "followup sends to one ntfy topic per notifier: list "
		    "the notifier once per topic";
		return -1;
	}
	if (!valid_topic(*topic)) {
		*why = "an ntfy topic is 1 to 64 letters, digits, '-' or '_'";
		return -1;
	}
	return 0;
}

/* Apprise: a host with topics after it is a server; else ntfy.sh. */
static int
cloud_mode(const struct url *u, int *cloud, const char **why)
{
	const char *mode = url_param(u, "mode");

	if (strcmp(u->scheme, "https") == 0) {
		*cloud = is_cloud_host(u->host);
		return 0;
	}
	if (mode == NULL || mode[0] == '\0') {
		*cloud = u->nsegments == 0 || is_cloud_host(u->host);
		return 0;
	}
	if (strcasecmp(mode, "cloud") == 0 || strcasecmp(mode, "private") == 0) {
		*cloud = strcasecmp(mode, "cloud") == 0;
		return 0;
	}
	*why = "mode= must be cloud or private";
	return -1;
}

/* Whether u (ntfy:// or ntfys://) names a server of its own: its host is
 * no topic. */
static int
private_server(const struct url *u)
{
	const char *mode = url_param(u, "mode");

	if (mode == NULL || mode[0] == '\0')
		return u->nsegments > 0 && !is_cloud_host(u->host);
	return strcasecmp(mode, "private") == 0;
}

/* The token: token=, or with auth=token the URL's password (or user). */
static int
pick_token(const struct url *u, const char **token, const char **why)
{
	const char *auth = url_param(u, "auth");

	*token = url_param(u, "token");
	if (*token != NULL && (*token)[0] == '\0') {
		*why = "token= is empty";
		return -1;
	}
	if (auth == NULL || strcasecmp(auth, "basic") == 0)
		return 0;
	if (strcasecmp(auth, "token") != 0) {
		*why = "auth= must be basic or token";
		return -1;
	}
	if (*token == NULL)
		*token = u->password && u->password[0] ? u->password : u->user;
	if (*token == NULL || (*token)[0] == '\0') {
		*why = "auth=token needs the token: ntfys://:TOKEN@HOST/TOPIC "
		    "or ?token=TOKEN";
		return -1;
	}
	return 0;
}

/* Where to publish: the server's root, userinfo kept for Basic auth. */
static char *
server_url(const struct url *u, int cloud, int with_userinfo)
{
	struct strbuf sb = STRBUF_INIT;
	char *hostport;

	strbuf_adds(&sb, cloud || strcmp(u->scheme, "ntfy") != 0 ? "https://" :
	    "http://");
	if (with_userinfo && u->user != NULL && u->user[0] != '\0') {
		strbuf_add_percent_encoded(&sb, u->user);
		if (u->password != NULL) {
			strbuf_addch(&sb, ':');
			strbuf_add_percent_encoded(&sb, u->password);
		}
		strbuf_addch(&sb, '@');
	}
	if (cloud)
		strbuf_adds(&sb, NTFY_CLOUD_HOST);
	else {
		hostport = url_hostport(u);
		strbuf_adds(&sb, hostport);
		free(hostport);
	}
	strbuf_addch(&sb, '/');
	return strbuf_detach(&sb);
}

static int
ntfy_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	struct ntfy_topic *t;
	const char *topic, *token, *priority = url_param(u, "priority");
	int cloud, level = 0;

	(void)why_owned;
	/* In ntfy://TOPIC the host is the topic: unless the URL names a
	 * server of its own for sure, what is shown, even of a URL refused
	 * below, is ntfy.sh. */
	if (strcmp(u->scheme, "https") != 0 && !private_server(u)) {
		free(n->hostport);
		n->hostport = xstrdup(NTFY_CLOUD_HOST);
	}
	if (cloud_mode(u, &cloud, why) != 0 ||
	    pick_topic(u, cloud, &topic, why) != 0 ||
	    pick_token(u, &token, why) != 0)
		return -1;
	if (!cloud && u->host[0] == '\0') {
		*why = "the ntfy URL has no host (ntfys://HOST/TOPIC)";
		return -1;
	}
	if (priority != NULL && priority[0] != '\0' &&
	    (level = parse_priority(priority)) < 0) {
		*why = "priority= must be min, low, default, high, max or 1-5";
		return -1;
	}
	if (token != NULL && !cloud && strcmp(u->scheme, "ntfy") == 0 &&
	    !http_host_is_loopback(u->host)) {
		*why = "ntfy:// would send the token in clear to another "
		    "machine: use ntfys://";
		return -1;
	}
	t = xcalloc(1, sizeof(*t));
	t->cloud = cloud;
	t->url = server_url(u, cloud, token == NULL);
	t->topic = xstrdup(topic);
	t->token = token ? xstrdup(token) : NULL;
	t->priority = level;
	if (url_param(u, "click") && url_param(u, "click")[0])
		t->click = xstrdup(url_param(u, "click"));
	if (url_param(u, "tags") && url_param(u, "tags")[0])
		t->tags = xstrdup(url_param(u, "tags"));
	if (cloud) {
		/* In ntfy://TOPIC the host is the topic: never shown. */
		free(n->hostport);
		n->hostport = xstrdup(NTFY_CLOUD_HOST);
	}
	n->priv = t;
	return 0;
}

static int
state_is(const struct reminder *r, const char *state)
{
	return strcmp(r->state, state) == 0;
}

/* High (4) when anyone shown has gone cold or is overdue; else default. */
static int
batch_priority(const struct ntfy_topic *t, const struct reminder_batch *b)
{
	size_t i;

	if (t->priority)
		return t->priority;
	for (i = 0; i < b->shown && i < b->n; i++)
		if (state_is(&b->items[i], "cold") ||
		    state_is(&b->items[i], "overdue"))
			return 4;
	return 3;
}

static void
add_tag(json_t *tags, const char *tag)
{
	size_t i;

	for (i = 0; i < json_array_size(tags); i++)
		if (strcmp(json_string_value(json_array_get(tags, i)), tag) == 0)
			return;
	json_array_append_new(tags, json_string(tag));
}

/* ntfy shows a tag that names an emoji as the emoji. */
static json_t *
batch_tags(const struct ntfy_topic *t, const struct reminder_batch *b)
{
	json_t *tags = json_array();
	size_t i;

	if (b->test)
		add_tag(tags, "white_check_mark");
	for (i = 0; i < b->shown && i < b->n; i++) {
		if (state_is(&b->items[i], "overdue"))
			add_tag(tags, "warning");
		else if (state_is(&b->items[i], "cold"))
			add_tag(tags, "snowflake");
		else if (state_is(&b->items[i], "due"))
			add_tag(tags, "date");
	}
	if (t->tags != NULL) {
		char *list = xstrdup(t->tags), *save = NULL, *tag;

		for (tag = strtok_r(list, ",", &save); tag != NULL;
		    tag = strtok_r(NULL, ",", &save))
			if (tag[0] != '\0')
				add_tag(tags, tag);
		free(list);
	}
	return tags;
}

/* click=, else the note of a message about one person. */
static const char *
batch_click(const struct ntfy_topic *t, const struct reminder_batch *b)
{
	if (t->click != NULL)
		return t->click;
	if (!b->test && b->n == 1)
		return b->items[0].link;
	return NULL;
}

static int
ntfy_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct ntfy_topic *t = n->priv;
	char *title = reminder_title(b);
	char *text = reminder_text(b, TEXT_MARKDOWN);
	json_t *root;

	root = json_pack("{s:s, s:s, s:s, s:i, s:o, s:b}",
	    "topic", t->topic, "title", title, "message", text,
	    "priority", batch_priority(t, b), "tags", batch_tags(t, b),
	    "markdown", 1);
	free(title);
	free(text);
	if (root == NULL)
		return -1;
	if (batch_click(t, b) != NULL)
		json_object_set_new(root, "click",
		    json_string(batch_click(t, b)));
	if (notifier_request_json(req, root) != 0)
		return -1;
	req->method = xstrdup("POST");
	req->url = xstrdup(t->url);
	/* Who knows the topic may read it: like a token. */
	notifier_request_mask(req, t->topic);
	notifier_request_header(req, 0, "Content-Type", "application/json");
	if (t->token != NULL)
		notifier_request_header(req, 1, "Authorization", "Bearer %s",
		    t->token);
	return 0;
}

static char *
ntfy_redact(const struct notifier *n)
{
	const struct ntfy_topic *t = n->priv;

	if (t->cloud)
		return xasprintf("%s://" NTFY_CLOUD_HOST "/****", n->scheme);
	return xasprintf("%s://%s/****", n->scheme, n->hostport);
}

static const char *const ntfy_schemes[] = { "ntfy", "ntfys", NULL };

const struct notifier_ops notifier_ntfy = {
	.name = "ntfy",
	.schemes = ntfy_schemes,
	.match_https = ntfy_match_https,
	.parse = ntfy_parse,
	.format = ntfy_format,
	.redact = ntfy_redact,
	.release = ntfy_release,
	.max_body = NTFY_MAX_BODY,
};
