/*
 * http.c - one HTTP request with libcurl (see http.h). RFC 9110
 * (semantics: redirects, ETag), RFC 7617 (Basic authentication).
 */
#include "http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/util.h"
#include "../core/version.h"

struct transfer {
	struct http_response *resp;
	struct strbuf body;
	int too_large;
};

void
http_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		BUG("curl_global_init failed");
}

void
http_global_cleanup(void)
{
	curl_global_cleanup();
}

static size_t
on_body(char *data, size_t size, size_t count, void *arg)
{
	struct transfer *t = arg;
	size_t n = size * count;

	if (t->body.len + n > HTTP_MAX_BODY) {
		t->too_large = 1;
		return 0;	/* makes libcurl stop with a write error */
	}
	strbuf_add(&t->body, data, n);
	return n;
}

static void
clear_headers(struct http_response *resp)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	free(resp->headers);
	resp->headers = NULL;
	resp->nheaders = 0;
}

/* Each header line; a status line starts the headers of a new response. */
static size_t
on_header(char *data, size_t size, size_t count, void *arg)
{
	struct transfer *t = arg;
	struct http_response *resp = t->resp;
	size_t n = size * count, len = n, name_len;
	const char *colon, *value;
	size_t value_len;

	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		clear_headers(resp);
		return n;
	}
	if ((colon = memchr(data, ':', len)) == NULL || colon == data)
		return n;
	name_len = (size_t)(colon - data);
	value = colon + 1;
	value_len = len - name_len - 1;
	trim_span(&value, &value_len);
	resp->headers = xrealloc(resp->headers,
	    (resp->nheaders + 1) * sizeof(*resp->headers));
	resp->headers[resp->nheaders].name = xstrndup(data, name_len);
	resp->headers[resp->nheaders].value = xstrndup(value, value_len);
	resp->nheaders++;
	return n;
}

const char *
http_response_header(const struct http_response *resp, const char *name)
{
	size_t i;

	for (i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

void
http_response_release(struct http_response *resp)
{
	clear_headers(resp);
	free(resp->body);
	free(resp->error);
	memset(resp, 0, sizeof(*resp));
}

/* A part of h, or NULL; the caller frees it with curl_free(). */
static char *
url_part(CURLU *h, CURLUPart part, unsigned flags)
{
	char *s = NULL;

	if (curl_url_get(h, part, &s, flags) != CURLUE_OK)
		return NULL;
	return s;
}

char *
http_redact_url(const char *url)
{
	CURLU *h = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	char *query = NULL, *out;

	if (h == NULL)
		BUG("curl_url failed");
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(h);
		return xstrdup("(a URL that cannot be read)");
	}
	scheme = url_part(h, CURLUPART_SCHEME, 0);
	host = url_part(h, CURLUPART_HOST, 0);
	port = url_part(h, CURLUPART_PORT, 0);
	path = url_part(h, CURLUPART_PATH, 0);
	query = url_part(h, CURLUPART_QUERY, 0);
	out = xasprintf("%s://%s%s%s%s%s", scheme ? scheme : "?",
	    host ? host : "?", port ? ":" : "", port ? port : "",
	    path ? path : "/", query ? "?****" : "");
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(h);
	return out;
}

const char *
http_if_match(const char *etag, char *buf, size_t n)
{
	const char *p;
	int len;

	if (etag == NULL || etag[0] == '\0' || strncmp(etag, "W/", 2) == 0)
		return NULL;
	for (p = etag; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return NULL;
	len = snprintf(buf, n, "If-Match: %s", etag);
	if (len < 0 || (size_t)len >= n)
		return NULL;
	return buf;
}

/* Whether host (as CURLUPART_HOST gives it) is this machine. */
static int
is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(host);

	if (strcasecmp(host, "localhost") == 0 ||
	    strcasecmp(host, "localhost.") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n > 2 && n < sizeof(buf) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &a6) == 1)
			return IN6_IS_ADDR_LOOPBACK(&a6) ||
			    (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	}
	return 0;
}

int
http_host_is_loopback(const char *host)
{
	char buf[INET6_ADDRSTRLEN + 2];

	if (strchr(host, ':') == NULL || host[0] == '[')
		return is_loopback(host);
	if (strlen(host) + 3 > sizeof(buf))
		return 0;
	snprintf(buf, sizeof(buf), "[%s]", host);
	return is_loopback(buf);
}

/*
 * Whether url is plain http:// to a host that is not this machine: no
 * credentials may travel there (anyone on the way could read them).
 */
static int
insecure_for_credentials(CURLU *h)
{
	char *scheme = url_part(h, CURLUPART_SCHEME, 0);
	char *host = url_part(h, CURLUPART_HOST, 0);
	int insecure = scheme == NULL || host == NULL ||
	    (strcasecmp(scheme, "https") != 0 && !is_loopback(host));

	curl_free(scheme);
	curl_free(host);
	return insecure;
}

/* Replace every occurrence of secret in s (in place) with '*'. */
static void
mask_secret(char *s, const char *secret)
{
	size_t n;
	char *p;

	if (s == NULL || secret == NULL || (n = strlen(secret)) == 0)
		return;
	while ((p = strstr(s, secret)) != NULL)
		memset(p, '*', n);
}

/* "scheme://host:port" of h, for comparing origins; the caller's. */
static char *
origin_of(const char *url)
{
	CURLU *h = curl_url();
	char *scheme, *host, *port, *out = NULL;

	if (h == NULL)
		BUG("curl_url failed");
	if (curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK) {
		scheme = url_part(h, CURLUPART_SCHEME, 0);
		host = url_part(h, CURLUPART_HOST, 0);
		port = url_part(h, CURLUPART_PORT, CURLU_DEFAULT_PORT);
		if (scheme && host && port)
			out = xasprintf("%s://%s:%s", scheme, host, port);
		curl_free(scheme);
		curl_free(host);
		curl_free(port);
	}
	curl_url_cleanup(h);
	return out;
}

/* How a message names the URL: as the caller says, else redacted. */
static char *
shown_url(const struct http_request *req, const char *url)
{
	return req->shown_url ? xstrdup(req->shown_url) : http_redact_url(url);
}

/* Whether any byte of the request was handed to the connection. */
static int
request_went_out(CURL *curl)
{
	long header_bytes = 0;

	return curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE,
	    &header_bytes) == CURLE_OK && header_bytes > 0;
}

static enum http_failure
fail(struct http_response *resp, enum http_failure f, const char *password,
    char *msg)
{
	mask_secret(msg, password);
	free(resp->error);
	resp->error = msg;
	return f;
}

static enum http_failure
curl_failure(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_FAIL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_FAIL_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
		return HTTP_FAIL_TLS;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return HTTP_FAIL_URL;
	default:
		return HTTP_FAIL_OTHER;
	}
}

/* One exchange, no redirect followed. */
static enum http_failure
perform_once(const struct http_request *req, const char *method,
    const char *url, int with_body, const char *user, const char *password,
    struct http_response *resp, char **redirect)
{
	struct transfer t = { .resp = resp, .body = STRBUF_INIT };
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE] = "", *target;
	const char *const *h;
	enum http_failure f = HTTP_OK;
	CURLcode code;
	CURL *curl;

	clear_headers(resp);
	free(resp->body);
	resp->body = NULL;
	resp->body_len = 0;
	resp->status = 0;
	*redirect = NULL;
	if ((curl = curl_easy_init()) == NULL)
		BUG("curl_easy_init failed");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	/* Never through a proxy, whatever http_proxy and the like say. */
	curl_easy_setopt(curl, CURLOPT_PROXY, "");
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, req->ca_file);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	    req->connect_timeout_ms > 0 ? req->connect_timeout_ms :
	    HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ?
	    req->timeout_ms : HTTP_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "followup/" FOLLOWUP_VERSION);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
	if (user != NULL || password != NULL) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERNAME, user ? user : "");
		curl_easy_setopt(curl, CURLOPT_PASSWORD,
		    password ? password : "");
	}
	if (strcmp(method, "GET") == 0 && !with_body)
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	else if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	else
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	if (with_body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->body_len);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS,
		    req->body ? req->body : "");
	}
	for (h = req->headers; h != NULL && *h != NULL; h++)
		headers = curl_slist_append(headers, *h);
	/* No "Expect: 100-continue" round trip. */
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

	code = curl_easy_perform(curl);
	if (code != CURLE_OK) {
		char *where = shown_url(req, url);

		if (t.too_large)
			f = fail(resp, HTTP_FAIL_TOO_LARGE, password,
			    xasprintf("the response from %s is larger than "
			    "%zu MiB", where, HTTP_MAX_BODY >> 20));
		else
			f = fail(resp, curl_failure(code), password,
			    xasprintf("%s %s: %s", method, where, errbuf[0] ?
			    errbuf : curl_easy_strerror(code)));
		free(where);
		resp->request_sent = request_went_out(curl);
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
	target = NULL;
	resp->request_sent = 1;
	if (resp->status >= 300 && resp->status < 400 &&
	    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &target) ==
	    CURLE_OK && target != NULL)
		*redirect = xstrdup(target);
out:
	resp->body_len = t.body.len;
	resp->body = t.body.len ? strbuf_detach(&t.body) : xstrdup("");
	strbuf_release(&t.body);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return f;
}

enum http_failure
http_perform(const struct http_request *req, struct http_response *resp)
{
	CURLU *h = curl_url();
	char *user = NULL, *password = NULL, *url = NULL, *origin = NULL;
	char *redirect = NULL, *next_origin;
	const char *method = req->method;
	int with_body = req->body != NULL, hops;
	enum http_failure f;

	memset(resp, 0, sizeof(*resp));
	if (h == NULL)
		BUG("curl_url failed");
	/* Take the userinfo out: libcurl never sees it in a URL. */
	if (curl_url_set(h, CURLUPART_URL, req->url, 0) != CURLUE_OK) {
		curl_url_cleanup(h);
		return fail(resp, HTTP_FAIL_URL, req->password,
		    xstrdup("the URL cannot be read"));
	}
	user = url_part(h, CURLUPART_USER, CURLU_URLDECODE);
	password = url_part(h, CURLUPART_PASSWORD, CURLU_URLDECODE);
	if ((req->user != NULL || req->password != NULL || user != NULL ||
	    password != NULL) && insecure_for_credentials(h)) {
		char *shown = shown_url(req, req->url);

		curl_url_cleanup(h);
		f = fail(resp, HTTP_FAIL_INSECURE, req->password, xasprintf(
		    "%s: not sending the credentials over plain http:// to "
		    "another machine (anyone on the way could read them)",
		    shown));
		free(shown);
		goto out;
	}
	curl_url_set(h, CURLUPART_USER, NULL, 0);
	curl_url_set(h, CURLUPART_PASSWORD, NULL, 0);
	{
		char *clean = url_part(h, CURLUPART_URL, 0);

		url = clean ? xstrdup(clean) : NULL;
		curl_free(clean);
	}
	curl_url_cleanup(h);
	if (url == NULL) {
		f = fail(resp, HTTP_FAIL_URL, password,
		    xstrdup("the URL cannot be read"));
		goto out;
	}
	{
		const char *u = req->user ? req->user : user;
		const char *p = req->password ? req->password : password;

		origin = origin_of(url);
		for (hops = 0; ; hops++) {
			char *shown;

			f = perform_once(req, method, url, with_body, u, p,
			    resp, &redirect);
			if (f != HTTP_OK || redirect == NULL)
				break;
			if (resp->status != 301 && resp->status != 302 &&
			    resp->status != 303 && resp->status != 307 &&
			    resp->status != 308)
				break;
			next_origin = origin_of(redirect);
			shown = req->shown_url ? xstrdup("another address") :
			    http_redact_url(redirect);
			if (next_origin == NULL || origin == NULL ||
			    strcmp(next_origin, origin) != 0) {
				f = fail(resp, HTTP_FAIL_REDIRECT, p,
				    xasprintf("redirected to %s, another host: "
				    "not followed", shown));
				free(shown);
				free(next_origin);
				break;
			}
			free(next_origin);
			if (hops + 1 >= HTTP_MAX_REDIRECTS) {
				f = fail(resp, HTTP_FAIL_REDIRECT, p, xasprintf(
				    "more than %d redirects (the last to %s)",
				    HTTP_MAX_REDIRECTS, shown));
				free(shown);
				break;
			}
			free(shown);
			if (resp->status == 303) {
				method = "GET";
				with_body = 0;
			}
			free(url);
			url = redirect;
			redirect = NULL;
		}
	}
out:
	free(redirect);
	free(origin);
	free(url);
	if (password != NULL)
		memset(password, 0, strlen(password));
	curl_free(user);
	curl_free(password);
	return f;
}

int
http_status_is_temporary(long status)
{
	return status == 408 || status == 425 || status == 429 ||
	    status >= 500;
}
