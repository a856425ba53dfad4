/*
 * hosted.c - what the chat services with a fixed host share (see
 * hosted.h).
 */
#include "hosted.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../net/http.h"
#include "notifier.h"
#include "../net/url.h"
#include "../core/util.h"

/* "scheme://host[:port]" of a loopback override, or NULL. */
static char *
test_origin(const char *value)
{
	struct url u;
	const char *why;
	char *origin = NULL, *hostport;

	if (url_parse(value, &u, &why) != 0)
		return NULL;
	if ((strcmp(u.scheme, "http") == 0 || strcmp(u.scheme, "https") == 0) &&
	    u.user == NULL && u.nparams == 0 && u.nsegments == 0 &&
	    http_host_is_loopback(u.host)) {
		hostport = url_hostport(&u);
		origin = xasprintf("%s://%s", u.scheme, hostport);
		free(hostport);
	}
	url_release(&u);
	return origin;
}

char *
hosted_target(const char *url)
{
	const char *value = getenv(HOSTED_TEST_ENDPOINT), *rest;
	char *origin, *out;

	if (value == NULL || value[0] == '\0')
		return xstrdup(url);
	if ((origin = test_origin(value)) == NULL)
		return NULL;
	/* Keep what follows "scheme://authority": the path and query. */
	rest = strstr(url, "://");
	rest = rest ? rest + 3 : url;
	rest += strcspn(rest, "/?");
	out = xasprintf("%s%s%s", origin, rest[0] == '/' ? "" : "/", rest);
	free(origin);
	return out;
}

void
hosted_add_cut(struct strbuf *sb, const char *s, size_t max)
{
	static const char ellipsis[] = "…";
	size_t n = strlen(s), keep;

	if (n <= max) {
		strbuf_add(sb, s, n);
		return;
	}
	keep = max - (sizeof(ellipsis) - 1);
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	strbuf_add(sb, s, keep);
	strbuf_adds(sb, ellipsis);
}

char *
hosted_cut(const char *s, size_t max)
{
	struct strbuf sb = STRBUF_INIT;

	hosted_add_cut(&sb, s, max);
	return strbuf_detach(&sb);
}

int
hosted_json_request(struct notifier_request *req, struct json_t *root,
    const char *url)
{
	char *target;

	if (notifier_request_json(req, root) != 0)
		return -1;
	if ((target = hosted_target(url)) == NULL)
		return -1;
	req->method = xstrdup("POST");
	req->url = target;
	notifier_request_header(req, 0, "Content-Type",
	    "application/json; charset=utf-8");
	return 0;
}

char *
hosted_redact(const struct notifier *n, const char *https_prefix)
{
	return xasprintf("%s://%s****", n->scheme,
	    strcmp(n->scheme, "https") == 0 ? https_prefix : "");
}
