/*
 * url.h - notifier URLs taken apart, in Apprise's syntax:
 * "scheme://[user[:password]@]host[:port][/path...][?key=value&...]".
 *
 * Apprise URLs are not RFC 3986 URLs: a '#' starts a channel or a room
 * ("slack://A/B/C/#general", "matrix://t@host/#room"), not a fragment, so
 * '#' is kept in the path. Every part is percent-decoded; the path is
 * also split on '/' into segments (empty ones dropped). Query keys are
 * lowercased, as Apprise reads them, except those that start with '+',
 * '-' or ':' (Apprise's extra headers and payload fields keep their case).
 *
 * The whole URL is a secret (a webhook URL is its own credential): no
 * function here puts any part of it in a message, and url_parse()'s
 * reasons name the part that is wrong, never its value.
 *
 * Memory: a struct url owns its strings; url_release() frees
 * them.
 */
#ifndef FOLLOWUP_URL_H
#define FOLLOWUP_URL_H

#include <stddef.h>

struct url_param {
	char *key;		/* lowercased, but "+Name" as written */
	char *value;		/* "" when the key has no '=' */
	/*
	 * Read by the notifier: url_param() marks it, and so does a
	 * notifier that walks params itself. An option nobody read is one
	 * the user means and followup would ignore (notifier.c says so).
	 */
	int used;
};

struct url {
	char *scheme;		/* lowercased, without "://" */
	char *user;		/* NULL when absent */
	char *password;		/* NULL when absent */
	char *host;		/* "" when absent; IPv6 without brackets */
	int port;		/* 0 when absent */
	char *path;		/* decoded, from the first '/' (or ""), no query */
	char **segments;	/* path split on '/', empty ones dropped */
	size_t nsegments;
	struct url_param *params;
	size_t nparams;
	int ipv6;		/* host was written in brackets */
};

/*
 * Take s apart into u (zeroed first). Returns 0, or -1 with *why (a
 * static string naming what is wrong, never quoting s) and u released.
 */
int url_parse(const char *s, struct url *u, const char **why);

/* The value of query key (case-insensitive), or NULL; marked used. */
const char *url_param(const struct url *u, const char *key);

/*
 * A yes/no query value: "yes", "true", "1", "on" → 1; "no", "false",
 * "0", "off" → 0; absent → dflt; anything else → -1.
 */
int url_param_bool(const struct url *u, const char *key, int dflt);

/* "host" or "host:port" or "[v6]:port": the authority without userinfo. */
char *url_hostport(const struct url *u);

void url_release(struct url *u);

#endif
