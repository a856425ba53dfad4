/*
 * notifier.h - the ops table every reminder service implements
 * (docs/design.md, "Tables that plug in"), the way curl describes a
 * protocol handler: one struct notifier_ops per family (email, Slack,
 * Teams, ...), found by URL scheme in registry.c. Adding a service is one
 * file that defines its ops (its message made by wording.h's walk) and
 * one line in the registry.
 *
 *   parse   URL (taken apart by url.h) → an instance, or why not;
 *   format  reminders → one request, in the service's own message format,
 *           within the service's size limit (cut with "and N more");
 *   send    the request → an outcome the ledger can act on;
 *   redact  what may be shown of the instance: scheme and host only.
 *
 * What a message says, and the one walk over a batch that every format
 * makes its message with, are wording.h's (included here): a format
 * supplies the markup, and keeps only its envelope.
 *
 * Nothing here decides who gets reminded or when: that is the dispatch
 * (cmd/notify.c, with ledger.h). Nothing here prints.
 *
 * Secrets: the URL, the instance's private data and a request's url and
 * secret headers hold credentials. Only notifier_shown_url() and
 * notifier_request_print() may be shown, and they mask them.
 *
 * Memory: a struct notifier owns its strings and priv (ops->release
 * frees priv); notifier_release() frees it. A struct notifier_request
 * owns its strings; notifier_request_release() frees them. struct
 * reminder and struct reminder_batch only borrow.
 */
#ifndef FOLLOWUP_NOTIFIER_H
#define FOLLOWUP_NOTIFIER_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "../net/url.h"
#include "wording.h"

struct json_t;
struct strbuf;

/* ------------------------------------------------------------ request */

struct notifier_header {
	char *name;
	char *value;
	int secret;		/* shown as "****" */
};

/*
 * One message to one service. HTTP services fill method, url, headers,
 * body; email fills the SMTP fields too (method "SMTP").
 */
struct notifier_request {
	char *method;		/* "POST", "PUT", "SMTP" */
	char *url;		/* the real target: may hold a secret */
	struct notifier_header *headers;
	size_t nheaders;
	size_t cap_headers;
	char *body;
	size_t body_len;
	/* SMTP: envelope sender and recipients. */
	char *mail_from;
	char **rcpt;
	size_t nrcpt;
	/* The service drops a repeat of this request (Matrix transaction
	 * ids): resending after an unknown outcome cannot double it. */
	int idempotent;
	/* Secret strings the body must carry (ntfy's topic): shown as
	 * "****" wherever they appear when the request is printed. */
	char **masks;
	size_t nmasks;
	/* How many of the batch's reminders the message shows, the first
	 * ones; the others are only counted ("and N more") and wait for a
	 * later message. notifier_format() sets it to the batch's shown;
	 * a format that shows fewer lowers it. */
	size_t shown;
};

void notifier_request_header(struct notifier_request *req, int secret,
    const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*
 * root (taken: released here) as the request's body, compact UTF-8 JSON.
 * Returns 0, or -1 when root is NULL or cannot be written.
 */
int notifier_request_json(struct notifier_request *req, struct json_t *root);
/* Never print s (a secret the body holds). Empty strings are ignored. */
void notifier_request_mask(struct notifier_request *req, const char *s);
void notifier_request_release(struct notifier_request *req);

/* ------------------------------------------------------------ outcome */

enum send_outcome {
	SEND_ACCEPTED,		/* the service took it */
	SEND_RETRY,		/* not delivered (refused connection, 429,
				 * 5xx): may be sent again */
	SEND_UNKNOWN,		/* may have arrived: the request went out and
				 * no answer came (timeout, closed) */
	SEND_REJECTED,		/* the service refused it (4xx): fix the
				 * config; sent again next run */
};

struct send_result {
	enum send_outcome outcome;
	long status;		/* HTTP status or SMTP reply code; 0: none */
	long retry_after_ms;	/* from Retry-After; -1 when none */
	char *error;		/* what went wrong, redacted; NULL */
	/*
	 * SEND_REJECTED because the service refused the credentials or
	 * knows no such address (SMTP 535, HTTP 401, 403, 404): the config
	 * is wrong, a config error (exit 78), not a failure for now.
	 */
	int denied;
};

void send_result_release(struct send_result *res);

/* ------------------------------------------------------------ instance */

struct notifier;

struct notifier_ops {
	const char *name;		/* "slack": shown, and in docs */
	const char *const *schemes;	/* Apprise schemes, NULL-terminated */
	/*
	 * MAY: whether an https:// URL is this service's own webhook
	 * (hooks.slack.com/services/...); then parse gets it too.
	 */
	int (*match_https)(const struct url *u);
	/*
	 * Check u and keep what send and format need in n->priv. Returns 0,
	 * or -1 with *why: what is missing or wrong, never quoting the URL
	 * (a static string, or one put in *why_owned, which the caller
	 * frees).
	 */
	int (*parse)(struct notifier *n, const struct url *u,
	    const char **why, char **why_owned);
	/* Build the request for b. Returns 0, or -1 when b cannot be sent. */
	int (*format)(const struct notifier *n, const struct reminder_batch *b,
	    struct notifier_request *req);
	/*
	 * Send req once (no retry: the caller retries SEND_RETRY within its
	 * budget). MAY be NULL: then notifier_http_send().
	 */
	void (*send)(const struct notifier *n,
	    const struct notifier_request *req, struct send_result *res);
	/*
	 * MAY: what may be shown of n, when "scheme://host/" and stars would say
	 * too little or too much. The caller frees it.
	 */
	char *(*redact)(const struct notifier *n);
	void (*release)(void *priv);	/* MAY: frees n->priv */
	/* The service drops a repeated request (Matrix transaction ids):
	 * a send whose outcome is unknown may be sent again. */
	int idempotent;
	/* The largest body the service takes, in bytes; 0: no limit. Limits
	 * on counts (blocks, embeds, fields) are format's own business. */
	size_t max_body;
};

struct notifier {
	const struct notifier_ops *ops;
	char *name;		/* from the config, or "SCHEME-N" */
	int position;		/* 1-based, in the config's list */
	char *scheme;		/* as written, lowercased */
	char *hostport;		/* shown: no secret */
	unsigned states;	/* bit (1 << enum contact_state) per state */
	char *ca_file;		/* MAY: PEM CA certificates to trust */
	long timeout_ms;	/* per request */
	int attach_calendar;	/* email: attach the feed */
	/* A request of unknown outcome may be sent again on a later run:
	 * ops->idempotent, unless parse finds that repeats are dropped only
	 * within one run (a Matrix login: a new access token each run). */
	int resend_safe;
	void *priv;
};

/* The ops for u (scheme, or an https:// URL a service claims), or NULL. */
const struct notifier_ops *notifier_ops_for(const struct url *u);
/* Every registered family, NULL-terminated (registry.c). */
extern const struct notifier_ops *const notifier_registry[];

/*
 * Make n from url: the ops, then ops->parse. Returns 0, or -1 with
 * *why_out (the caller's string: what is wrong, no secret).
 */
int notifier_open(struct notifier *n, const char *url, char **why_out);
void notifier_release(struct notifier *n);

/*
 * Format b for n, showing as many reminders as fit ops->max_body (all of
 * them when they fit; never fewer than one). Returns 0, or -1.
 */
int notifier_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req);

/* "json://127.0.0.1:8080/" and four stars: what a message may show of n. */
char *notifier_shown_url(const struct notifier *n);

/*
 * Print req as --dry-run shows it: the method, the shown URL, every
 * header (secret ones as "****"), and the body (SMTP: the envelope and
 * the message), each of its masks as "****".
 */
void notifier_request_print(FILE *out, const struct notifier *n,
    const struct notifier_request *req);

/*
 * Send an HTTP request with libcurl (net/http.h) and map the answer:
 * 2xx accepted; 408, 425, 429 and 5xx, or no connection, retry (with
 * Retry-After); other 4xx rejected; a timeout or a closed connection
 * once the request went out, unknown.
 */
void notifier_http_send(const struct notifier *n,
    const struct notifier_request *req, struct send_result *res);
/*
 * The same, handing back the answer (the caller releases it with
 * http_response_release()) for a service whose answer says more than its
 * status (Slack's API: {"ok": false, "error": ...} with HTTP 200).
 */
struct http_response;
void notifier_http_exchange(const struct notifier *n,
    const struct notifier_request *req, struct send_result *res,
    struct http_response *resp);

/* ------------------------------------------------------------ text */

/*
 * Whether s is UTF-8 without control characters: text from a URL (a bot's
 * name) that a JSON message can carry as it is. NULL is.
 */
int notifier_text_ok(const char *s);

#endif
