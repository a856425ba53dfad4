/*
 * url.c - notifier URLs taken apart (see url.h).
 */
#include "url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/util.h"

#define URL_MAX 8192

static char *
lowercase(const char *s, size_t n)
{
	char *out = xstrndup(s, n);
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

static int
valid_scheme(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '-' && s[i] != '.')
			return 0;
	return 1;
}

/* user[:password] of the userinfo ui (n bytes), decoded. */
static void
split_userinfo(struct url *u, const char *ui, size_t n)
{
	const char *colon = memchr(ui, ':', n);

	if (colon == NULL) {
		u->user = percent_decode(ui, n);
		return;
	}
	u->user = percent_decode(ui, (size_t)(colon - ui));
	u->password = percent_decode(colon + 1, n - (size_t)(colon - ui) - 1);
}

/* host[:port] or [v6][:port]. Returns 0 or -1 with *why. */
static int
split_hostport(struct url *u, const char *s, size_t n,
    const char **why)
{
	const char *port = NULL, *end = s + n;

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close == NULL) {
			*why = "an IPv6 host has no closing ']'";
			return -1;
		}
		u->host = xstrndup(s + 1, (size_t)(close - s - 1));
		u->ipv6 = 1;
		if (close + 1 < end) {
			if (close[1] != ':') {
				*why = "something follows the IPv6 host";
				return -1;
			}
			port = close + 2;
		}
	} else {
		const char *colon = memchr(s, ':', n);

		u->host = percent_decode(s, colon ? (size_t)(colon - s) : n);
		if (colon != NULL)
			port = colon + 1;
	}
	if (port != NULL) {
		long v = 0;
		const char *p;

		if (port == end) {
			*why = "the port is empty";
			return -1;
		}
		for (p = port; p < end; p++) {
			if (!isdigit((unsigned char)*p) || v > 65535) {
				*why = "the port is not a number from 1 to 65535";
				return -1;
			}
			v = v * 10 + (*p - '0');
		}
		if (v < 1 || v > 65535) {
			*why = "the port is not a number from 1 to 65535";
			return -1;
		}
		u->port = (int)v;
	}
	return 0;
}

static void
split_path(struct url *u, const char *s, size_t n)
{
	size_t i = 0, cap = 0;

	u->path = percent_decode(s, n);
	while (i < n) {
		size_t j = i;

		while (j < n && s[j] != '/')
			j++;
		if (j > i) {
			GROW(u->segments, cap, u->nsegments + 1);
			u->segments[u->nsegments++] = percent_decode(s + i, j - i);
		}
		i = j + 1;
	}
}

static void
split_query(struct url *u, const char *s, size_t n)
{
	size_t i = 0, cap = 0;

	while (i < n) {
		size_t j = i, k;
		const char *eq;
		char *key;

		while (j < n && s[j] != '&' && s[j] != ';')
			j++;
		if (j > i) {
			eq = memchr(s + i, '=', j - i);
			k = eq ? (size_t)(eq - s) : j;
			key = percent_decode(s + i, k - i);
			GROW(u->params, cap, u->nparams + 1);
			/* "+Header" keeps its case: it names an HTTP header. */
			u->params[u->nparams].key = strchr("+-:", key[0]) &&
			    key[0] ? xstrdup(key) : lowercase(key, strlen(key));
			u->params[u->nparams].value = eq ?
			    percent_decode(eq + 1, j - k - 1) : xstrdup("");
			u->params[u->nparams].used = 0;
			u->nparams++;
			free(key);
		}
		i = j + 1;
	}
}

int
url_parse(const char *s, struct url *u, const char **why)
{
	const char *sep, *auth, *auth_end, *at = NULL, *p, *query;
	size_t len;

	memset(u, 0, sizeof(*u));
	len = strlen(s);
	if (len > URL_MAX) {
		*why = "the URL is longer than 8192 bytes";
		return -1;
	}
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			*why = "the URL holds a space or a control character "
			    "(percent-encode a space as %20)";
			return -1;
		}
	sep = strstr(s, "://");
	if (sep == NULL || !valid_scheme(s, (size_t)(sep - s))) {
		*why = "the URL does not start with a scheme and \"://\"";
		return -1;
	}
	u->scheme = lowercase(s, (size_t)(sep - s));
	auth = sep + 3;
	auth_end = auth + strcspn(auth, "/?");
	for (p = auth; p < auth_end; p++)
		if (*p == '@')
			at = p;
	if (at != NULL) {
		split_userinfo(u, auth, (size_t)(at - auth));
		auth = at + 1;
	}
	if (split_hostport(u, auth, (size_t)(auth_end - auth), why) != 0) {
		url_release(u);
		return -1;
	}
	query = strchr(auth_end, '?');
	split_path(u, auth_end, query ? (size_t)(query - auth_end) :
	    strlen(auth_end));
	if (query != NULL)
		split_query(u, query + 1, strlen(query + 1));
	return 0;
}

const char *
url_param(const struct url *u, const char *key)
{
	size_t i;

	for (i = 0; i < u->nparams; i++)
		if (strcasecmp(u->params[i].key, key) == 0) {
			u->params[i].used = 1;
			return u->params[i].value;
		}
	return NULL;
}

int
url_param_bool(const struct url *u, const char *key, int dflt)
{
	static const char *const yes[] = { "yes", "true", "1", "on", "y" };
	static const char *const no[] = { "no", "false", "0", "off", "n" };
	const char *v = url_param(u, key);
	size_t i;

	if (v == NULL)
		return dflt;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

char *
url_hostport(const struct url *u)
{
	const char *open = u->ipv6 ? "[" : "", *close = u->ipv6 ? "]" : "";

	if (u->port > 0)
		return xasprintf("%s%s%s:%d", open, u->host, close, u->port);
	return xasprintf("%s%s%s", open, u->host, close);
}

void
url_release(struct url *u)
{
	size_t i;

	free(u->scheme);
	free(u->user);
	free(u->password);
	free(u->host);
	free(u->path);
	for (i = 0; i < u->nsegments; i++)
		free(u->segments[i]);
	free(u->segments);
	for (i = 0; i < u->nparams; i++) {
		free(u->params[i].key);
		free(u->params[i].value);
	}
	free(u->params);
	memset(u, 0, sizeof(*u));
}
