/*
 * http.h - followup's one door to HTTP (docs/design.md, "Layers"), on
 * libcurl: publishing the feed and the chat notifiers use it. It sends
 * one request and hands back one response; what the status means is the
 * caller's business (but for http_status_is_temporary()).
 *
 * Promises, for every request:
 *   - http:// and https:// only; TLS is verified (peer and host name),
 *     against the system's CA store or req->ca_file;
 *   - a connect timeout (10 s) and a total timeout (30 s), both settable;
 *   - User-Agent "followup/VERSION";
 *   - redirects are followed only to the same scheme, host and port (at
 *     most HTTP_MAX_REDIRECTS; 303 turns the request into a GET); a
 *     redirect elsewhere is not followed and is reported as
 *     HTTP_FAIL_REDIRECT, so credentials never travel to another host;
 *   - credentials: req->user/req->password, else the URL's userinfo
 *     (percent-decoded). The userinfo is taken out of the URL before
 *     libcurl sees it, and sent as HTTP Basic authentication; over plain
 *     http:// only to this machine (127.0.0.0/8, ::1, localhost): to any
 *     other host the request is not sent (HTTP_FAIL_INSECURE);
 *   - no proxy: the proxy environment variables (http_proxy, ...) are
 *     ignored, so credentials never go to a proxy;
 *   - response bodies are kept up to HTTP_MAX_BODY bytes (larger is
 *     HTTP_FAIL_TOO_LARGE);
 *   - no message this module writes holds a password, a userinfo or a
 *     query string: URLs in messages go through http_redact_url(), and
 *     the password is masked in anything libcurl says.
 *
 * Memory: a struct http_response owns its strings; release it with
 * http_response_release() (also after a failure). Strings in a request
 * are borrowed for the call.
 *
 * Call http_global_init() once before the first request (libcurl's
 * global setup is not thread-safe) and http_global_cleanup() at the end.
 */
#ifndef FOLLOWUP_HTTP_H
#define FOLLOWUP_HTTP_H

#include <stddef.h>

#define HTTP_CONNECT_TIMEOUT_MS 10000L
#define HTTP_TIMEOUT_MS 30000L
#define HTTP_MAX_BODY ((size_t)32 << 20)
#define HTTP_MAX_REDIRECTS 5

struct http_request {
	const char *method;	/* MUST: "GET", "PUT", "PROPFIND", ... */
	const char *url;	/* MUST: http(s), may hold userinfo */
	const char *user;	/* MAY: else the URL's user */
	const char *password;	/* MAY: else the URL's password */
	/* MAY: extra header lines "Name: value", NULL-terminated. A request
	 * with a body MUST give its Content-Type here. */
	const char *const *headers;
	const char *body;	/* MAY: sent as is, body_len bytes */
	size_t body_len;
	const char *ca_file;	/* MAY: PEM CA certificates to trust */
	/* MAY: how messages name the URL (for a URL that is itself a
	 * secret, as webhooks are); else http_redact_url(url). */
	const char *shown_url;
	long connect_timeout_ms;	/* MAY: 0 is HTTP_CONNECT_TIMEOUT_MS */
	long timeout_ms;	/* MAY: 0 is HTTP_TIMEOUT_MS */
};

enum http_failure {
	HTTP_OK,		/* a response came back, whatever its status */
	HTTP_FAIL_URL,		/* the URL cannot be used */
	HTTP_FAIL_CONNECT,	/* name resolution, connection refused, ... */
	HTTP_FAIL_TIMEOUT,
	HTTP_FAIL_TLS,		/* certificate not trusted, handshake failed */
	HTTP_FAIL_REDIRECT,	/* to another host, or too many: not followed */
	HTTP_FAIL_TOO_LARGE,	/* body over HTTP_MAX_BODY */
	HTTP_FAIL_INSECURE,	/* credentials over http:// to another host */
	HTTP_FAIL_OTHER,	/* the connection broke, ... */
};

struct http_header {
	char *name;
	char *value;
};

struct http_response {
	long status;		/* of the last response; 0 when none */
	struct http_header *headers;	/* of the last response */
	size_t nheaders;
	char *body;		/* NUL-terminated; body_len bytes before it */
	size_t body_len;
	char *error;		/* with a failure: what went wrong, redacted */
	/* The request went out (all or part of it): after a failure, the
	 * server may have acted on it. */
	int request_sent;
};

void http_global_init(void);
void http_global_cleanup(void);

/*
 * Send req, fill resp (zeroed first). Returns HTTP_OK when a response
 * came back (resp->status says which), else the failure, with
 * resp->error set.
 */
enum http_failure http_perform(const struct http_request *req,
    struct http_response *resp);

/* The value of header name (case-insensitive) in resp, or NULL. */
const char *http_response_header(const struct http_response *resp,
    const char *name);

void http_response_release(struct http_response *resp);

/*
 * Whether an HTTP status says "not now" rather than "no": 408, 425, 429
 * and every 5xx. A request that met one may be sent again later; the one
 * list publishing and every notifier go by.
 */
int http_status_is_temporary(long status);

/*
 * url as it may be shown: scheme://host[:port]/path, without userinfo,
 * with a query string shown as "?****" and no fragment. Never NULL; the
 * caller's.
 */
char *http_redact_url(const char *url);

/*
 * Whether host ("localhost", an IPv4 or IPv6 address, brackets or not) is
 * this machine: the one place a credential may travel over plain http://.
 */
int http_host_is_loopback(const char *host);

/*
 * The header line "If-Match: ETAG" for etag, written into buf (n bytes);
 * NULL when etag cannot be used there: NULL, empty, weak (W/"...": If-Match
 * compares strongly, RFC 9110 §13.1.1, so a weak tag never matches), with
 * a control character, or too long for buf. Then the caller either sends
 * no condition or makes none of its own.
 */
const char *http_if_match(const char *etag, char *buf, size_t n);

#endif
