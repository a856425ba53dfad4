/*
 * hosted.h - what the chat services with a fixed host share (slack.c,
 * discord.c, teams.c, gchat.c): where a request goes, text cut to a
 * service's limit, and a JSON body.
 *
 * Where a request goes. These services live at one host each
 * (hooks.slack.com, discord.com, ...), so a test cannot point them at a
 * loopback server through the URL. FOLLOWUP_TEST_ENDPOINT does that:
 * "http://127.0.0.1:PORT" (or https, or [::1], or localhost) takes the
 * place of the scheme, host and port of every request these services
 * make; path and query stay. It is honoured only when its host is this
 * machine, so a stray or hostile value can never carry a token to a host
 * the user did not name: any other value makes the request fail instead
 * (format returns -1). Users never need it; the man page does not list it.
 *
 * Memory: hosted_target() returns a string the caller frees; the others
 * append to the caller's buffer or request.
 */
#ifndef FOLLOWUP_HOSTED_H
#define FOLLOWUP_HOSTED_H

#include <stddef.h>

struct strbuf;
struct json_t;
struct notifier;
struct notifier_request;

#define HOSTED_TEST_ENDPOINT "FOLLOWUP_TEST_ENDPOINT"

/*
 * What may be shown of a service at one host: "https://" and the webhook
 * prefix (https_prefix, as in "hooks.slack.com/services/") for its own
 * URL, just "scheme://" for Apprise's form (whose host is a token), then
 * "****". The caller frees it.
 */
char *hosted_redact(const struct notifier *n, const char *https_prefix);

/*
 * url, or url with FOLLOWUP_TEST_ENDPOINT's origin in place of its own;
 * NULL when that variable is set to anything but a loopback origin.
 */
char *hosted_target(const char *url);

/*
 * Append s, at most max bytes of it (max >= 4): when s is longer, it is
 * cut at a UTF-8 boundary and ends with "…", within max.
 */
void hosted_add_cut(struct strbuf *sb, const char *s, size_t max);

/* The first max bytes of s at most, as hosted_add_cut() does; the caller's. */
char *hosted_cut(const char *s, size_t max);

/*
 * Make req a POST of root (compact JSON, UTF-8 kept as is) to url, with
 * Content-Type: application/json. Takes root's reference. Returns 0, or
 * -1 (req is then left for the caller to release).
 */
int hosted_json_request(struct notifier_request *req, struct json_t *root,
    const char *url);

#endif
