/*
 * matrix.c - Matrix rooms, through the client-server API v3 of the
 * user's homeserver, in Apprise's URL forms:
 *
 *   matrix://USER:PASSWORD@HOST[:port]/#ROOM[/...]   logs in (http://)
 *   matrixs://USER:PASSWORD@HOST[:port]/#ROOM[/...]  ... over https://
 *   matrixs://TOKEN@HOST[:port]/#ROOM                an access token
 *   matrixs://HOST/#ROOM?token=TOKEN                 the same
 *
 * A room is "#alias:server", "!id:server" (or "!id"), or "#alias" /
 * "alias" on the user's own server; to=#a,#b adds rooms. msgtype=notice
 * sends m.notice (Apprise's default, and ours, is m.text). The password
 * or token never goes over plain http:// to another machine: matrix://
 * is for a homeserver on this machine.
 *
 * send (ops->send) makes the requests a message takes, reusing what it
 * learnt for the notifier's lifetime: POST /login (once; with the fixed
 * device_id FOLLOWUP, so every run is the same device and the server
 * drops its old access token), GET /account/whoami when an alias needs
 * the user's server, POST /join/{room} (joins, or is a no-op, and turns
 * an alias into the room id), then per room
 *
 *   PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}
 *
 * with "Authorization: Bearer" (secret). txnId is made from the batch's
 * message_id and the room as written: a resent message (after a timeout,
 * or the next run) has the same id and the server drops the repeat, so
 * the request is idempotent. Rooms that took it take it again harmlessly.
 * Servers scope the ids to the access token, and a login makes a new one
 * each run: with a login, a message of unknown outcome is resent within
 * the run only (n->resend_safe is 0), never on a later one.
 *
 * The event: {"msgtype", "body" (plain text: title, then the reminders),
 * "format": "org.matrix.custom.html", "formatted_body" (HTML: names as
 * links to the notes, everything escaped)}, both from wording.h
 * (reminder_text(), reminder_html()). A Matrix event is at most
 * 64 KiB with the server's additions: max_body is 32 KiB, and
 * notifier_format() shows fewer reminders, with "and N more", to fit.
 *
 * Memory: struct matrix_room_set (n->priv) owns its strings (secrets
 * wiped on release), and the access token and room ids send learns.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "notifier.h"
#include "wording.h"
#include "../net/http.h"
#include "../core/util.h"

#define MATRIX_API "/_matrix/client/v3"
#define MATRIX_MAX_BODY ((size_t)32 << 10)
#define MATRIX_DEVICE_ID "FOLLOWUP"

struct matrix_room {
	char *written;		/* "#alias[:server]" or "!id[:server]" */
	char *id;		/* learnt by joining; NULL until then */
};

struct matrix_room_set {
	char *api;		/* http(s)://host[:port]/_matrix/client/v3 */
	char *user;		/* for the login; NULL with a token */
	char *password;
	char *token;		/* given in the URL */
	char *session;		/* learnt by logging in */
	char *server;		/* the user's server name, once learnt */
	const char *msgtype;	/* "m.text" or "m.notice" */
	struct matrix_room *rooms;
	size_t nrooms;
};

static void
matrix_release(void *priv)
{
	struct matrix_room_set *m = priv;
	size_t i;

	free(m->api);
	free_secret(m->user);
	free_secret(m->password);
	free_secret(m->token);
	free_secret(m->session);
	free(m->server);
	for (i = 0; i < m->nrooms; i++) {
		free(m->rooms[i].written);
		free(m->rooms[i].id);
	}
	free(m->rooms);
	free(m);
}

/* ------------------------------------------------------------ parse */

/* "#alias[:server]" or "!id[:server]" from a room as written, or NULL. */
static char *
normal_room(const char *s)
{
	if (s[0] == '!' || s[0] == '#')
		return s[1] != '\0' && s[1] != ':' ? xstrdup(s) : NULL;
	if (s[0] == '\0' || s[0] == ':' || s[0] == '@')
		return NULL;
	return xasprintf("#%s", s);
}

static int
add_room(struct matrix_room_set *m, const char *s, const char **why)
{
	char *room;

	if (s[0] == '@') {
		*why = "followup sends to Matrix rooms, not to users: give a "
		    "room (#alias:server or !id:server)";
		return -1;
	}
	if ((room = normal_room(s)) == NULL) {
		*why = "a Matrix room is #alias:server or !id:server";
		return -1;
	}
	m->rooms = xrealloc(m->rooms, (m->nrooms + 1) * sizeof(*m->rooms));
	m->rooms[m->nrooms].written = room;
	m->rooms[m->nrooms++].id = NULL;
	return 0;
}

/* The rooms: the path's segments, then to= (a comma-separated list). */
static int
collect_rooms(struct matrix_room_set *m, const struct url *u,
    const char **why)
{
	const char *to = url_param(u, "to");
	size_t i;

	for (i = 0; i < u->nsegments; i++)
		if (add_room(m, u->segments[i], why) != 0)
			return -1;
	if (to != NULL && to[0] != '\0') {
		char *list = xstrdup(to), *save = NULL, *room;
		int rc = 0;

		for (room = strtok_r(list, ", ", &save); room != NULL &&
		    rc == 0; room = strtok_r(NULL, ", ", &save))
			rc = add_room(m, room, why);
		free(list);
		if (rc != 0)
			return -1;
	}
	if (m->nrooms == 0) {
		*why = "the Matrix URL needs a room: "
		    "matrixs://USER:PASSWORD@HOST/#ROOM:SERVER";
		return -1;
	}
	return 0;
}

/* user:password logs in; a user alone, or token=, is an access token. */
static int
pick_credentials(struct matrix_room_set *m, const struct url *u,
    const char **why)
{
	const char *token = url_param(u, "token");
	int has_user = u->user != NULL && u->user[0] != '\0';
	int has_password = u->password != NULL && u->password[0] != '\0';

	if (token != NULL && token[0] != '\0')
		m->token = xstrdup(token);
	else if (has_user && has_password) {
		m->user = xstrdup(u->user);
		m->password = xstrdup(u->password);
	} else if (has_user || has_password)
		m->token = xstrdup(has_user ? u->user : u->password);
	else {
		*why = "the Matrix URL needs a login or an access token: "
		    "matrixs://USER:PASSWORD@HOST/#ROOM or "
		    "matrixs://TOKEN@HOST/#ROOM";
		return -1;
	}
	return 0;
}

static int
pick_msgtype(struct matrix_room_set *m, const struct url *u,
    const char **why)
{
	const char *msgtype = url_param(u, "msgtype");
	const char *mode = url_param(u, "mode");

	if (mode != NULL && mode[0] != '\0' && strcasecmp(mode, "off") != 0) {
		*why = "Apprise's Matrix webhook modes (mode=) are not "
		    "supported: use the homeserver's API (no mode=)";
		return -1;
	}
	m->msgtype = "m.text";
	if (msgtype == NULL || msgtype[0] == '\0' ||
	    strcasecmp(msgtype, "text") == 0)
		return 0;
	if (strcasecmp(msgtype, "notice") == 0) {
		m->msgtype = "m.notice";
		return 0;
	}
	*why = "msgtype= must be text or notice";
	return -1;
}

static int
matrix_parse(struct notifier *n, const struct url *u,
    const char **why, char **why_owned)
{
	struct matrix_room_set *m;
	int secure = strcmp(u->scheme, "matrixs") == 0;
	char *hostport;

	(void)why_owned;
	if (u->host[0] == '\0') {
		*why = "the Matrix URL has no host "
		    "(matrixs://USER:PASSWORD@HOST/#ROOM)";
		return -1;
	}
	if (!secure && !http_host_is_loopback(u->host)) {
		*why = "matrix:// would send the password or token in clear to "
		    "another machine: use matrixs://";
		return -1;
	}
	m = xcalloc(1, sizeof(*m));
	if (pick_credentials(m, u, why) != 0 ||
	    collect_rooms(m, u, why) != 0 || pick_msgtype(m, u, why) != 0) {
		matrix_release(m);
		return -1;
	}
	/* Transaction ids are scoped to the access token (matrix-spec
	 * #1133): a login makes a new one each run, so a repeat is dropped
	 * within the run only. */
	if (m->token == NULL)
		n->resend_safe = 0;
	hostport = url_hostport(u);
	m->api = xasprintf("%s://%s" MATRIX_API, secure ? "https" : "http",
	    hostport);
	free(hostport);
	n->priv = m;
	return 0;
}

/* ------------------------------------------------------------ format */

/* FNV-1a, 64 bits: a short stable name for a string. */
static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * The transaction id for message_id in a room: "fu<message><room>" in
 * hex. The same message to the same room always has the same id.
 */
static char *
txn_id(const char *message_id, const char *room)
{
	return xasprintf("fu%016llx%016llx",
	    (unsigned long long)fnv1a(message_id),
	    (unsigned long long)fnv1a(room));
}

/* The PUT for room as written or learnt, with that room's txn id. */
static char *
send_url(const struct matrix_room_set *m, const char *room, const char *txn)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/rooms/", m->api);
	strbuf_add_percent_encoded(&sb, room);
	strbuf_addf(&sb, "/send/m.room.message/%s", txn);
	return strbuf_detach(&sb);
}

/* Matrix's HTML: the blocks of a message on one line. */
static const struct html_layout matrix_html = { "h4", "" };

static int
matrix_format(const struct notifier *n, const struct reminder_batch *b,
    struct notifier_request *req)
{
	const struct matrix_room_set *m = n->priv;
	char *title = reminder_title(b), *text = reminder_text(b, TEXT_PLAIN);
	char *plain = xasprintf("%s\n\n%s", title, text);
	struct strbuf html = STRBUF_INIT;
	char *txn;
	json_t *root;

	reminder_html(&html, b, &matrix_html);

	root = json_pack("{s:s, s:s, s:s, s:s}", "msgtype", m->msgtype,
	    "body", plain, "format", "org.matrix.custom.html",
	    "formatted_body", strbuf_str(&html));
	free(title);
	free(text);
	free(plain);
	strbuf_release(&html);
	if (notifier_request_json(req, root) != 0)
		return -1;
	req->method = xstrdup("PUT");
	txn = txn_id(b->message_id ? b->message_id : "", m->rooms[0].written);
	req->url = send_url(m, m->rooms[0].written, txn);
	free(txn);
	req->idempotent = 1;
	notifier_request_header(req, 0, "Content-Type", "application/json");
	if (m->token != NULL)
		notifier_request_header(req, 1, "Authorization", "Bearer %s",
		    m->token);
	return 0;
}

/* ------------------------------------------------------------ send */

/*
 * Outcomes in the order one message to several rooms reports them: any
 * room that may take it on a resend wins (a resend is harmless: the
 * rooms that took it drop the repeat).
 */
static int
outcome_rank(enum send_outcome o)
{
	switch (o) {
	case SEND_UNKNOWN:
		return 3;
	case SEND_RETRY:
		return 2;
	case SEND_REJECTED:
		return 1;
	default:
		return 0;
	}
}

static void
merge_result(struct send_result *all, struct send_result *one)
{
	if (one->outcome == SEND_ACCEPTED && all->status == 0)
		all->status = one->status;
	if (outcome_rank(one->outcome) > outcome_rank(all->outcome)) {
		send_result_release(all);
		*all = *one;
		one->error = NULL;
	}
	send_result_release(one);
}

static void
fail_step(struct send_result *res, enum send_outcome o, long status,
    char *error)
{
	memset(res, 0, sizeof(*res));
	res->outcome = o;
	res->status = status;
	res->retry_after_ms = -1;
	res->error = error;
}

/*
 * One API call on the way to the message (login, whoami, join): its JSON
 * answer, or NULL with res filled. None of them sends the message, so a
 * call without an answer is only to be retried.
 */
static json_t *
api_call(const struct notifier *n, const char *method, const char *url,
    const char *token, const char *body, const char *step,
    struct send_result *res)
{
	char *auth = token ? xasprintf("Authorization: Bearer %s", token) :
	    NULL;
	/* Content-Type only with a body; then the token, if any. */
	const char *headers[3] = { "Content-Type: application/json", auth,
	    NULL };
	struct http_request hr = { 0 };
	struct http_response resp;
	char *shown = notifier_shown_url(n);
	json_t *answer = NULL;

	hr.method = method;
	hr.url = url;
	hr.headers = body ? headers : headers + 1;
	hr.body = body;
	hr.body_len = body ? strlen(body) : 0;
	hr.ca_file = n->ca_file;
	hr.shown_url = shown;
	hr.timeout_ms = n->timeout_ms;
	if (n->timeout_ms > 0 && n->timeout_ms < HTTP_CONNECT_TIMEOUT_MS)
		hr.connect_timeout_ms = n->timeout_ms;
	if (http_perform(&hr, &resp) != HTTP_OK)
		fail_step(res, SEND_RETRY, 0, xasprintf("%s: %s", step,
		    resp.error ? resp.error : "no answer"));
	else if (resp.status < 200 || resp.status >= 300)
		fail_step(res, http_status_is_temporary(resp.status) ?
		    SEND_RETRY : SEND_REJECTED, resp.status, xasprintf(
		    "%s: %s answered HTTP %ld%s", step, shown, resp.status,
		    resp.status == 401 || resp.status == 403 ?
		    " (check the login, the token or the room)" : ""));
	else if ((answer = json_loadb(resp.body, resp.body_len, 0, NULL)) ==
	    NULL || !json_is_object(answer)) {
		json_decref(answer);
		answer = NULL;
		fail_step(res, SEND_RETRY, resp.status, xasprintf(
		    "%s: %s did not answer in JSON", step, shown));
	}
	http_response_release(&resp);
	if (auth != NULL)
		free_secret(auth);
	free(shown);
	return answer;
}

/* The access token: the URL's, or the login's. */
static const char *
bearer(const struct matrix_room_set *m)
{
	return m->token ? m->token : m->session;
}

/* "example.org" of "@bot:example.org". */
static void
learn_server(struct matrix_room_set *m, const char *user_id)
{
	const char *colon = user_id ? strchr(user_id, ':') : NULL;

	if (colon != NULL && colon[1] != '\0' && m->server == NULL)
		m->server = xstrdup(colon + 1);
}

static int
log_in(const struct notifier *n, struct matrix_room_set *m,
    struct send_result *res)
{
	json_t *body, *answer;
	const char *token;
	char *url, *text;

	if (m->token != NULL || m->session != NULL)
		return 0;
	body = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:s}",
	    "type", "m.login.password",
	    "identifier", "type", "m.id.user", "user", m->user,
	    "user", m->user, "password", m->password,
	    "device_id", MATRIX_DEVICE_ID,
	    "initial_device_display_name", "followup");
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	url = xasprintf("%s/login", m->api);
	answer = api_call(n, "POST", url, NULL, text, "log in to Matrix", res);
	free_secret(text);
	free(url);
	if (answer == NULL)
		return -1;
	token = json_string_value(json_object_get(answer, "access_token"));
	if (token == NULL) {
		json_decref(answer);
		fail_step(res, SEND_REJECTED, 200, xstrdup("log in to Matrix: "
		    "the answer holds no access token"));
		return -1;
	}
	m->session = xstrdup(token);
	learn_server(m, json_string_value(json_object_get(answer,
	    "user_id")));
	json_decref(answer);
	return 0;
}

/* The user's server, for aliases written without one. */
static int
find_server(const struct notifier *n, struct matrix_room_set *m,
    struct send_result *res)
{
	json_t *answer;
	char *url;

	if (m->server != NULL)
		return 0;
	url = xasprintf("%s/account/whoami", m->api);
	answer = api_call(n, "GET", url, bearer(m), NULL,
	    "ask Matrix who the token is", res);
	free(url);
	if (answer == NULL)
		return -1;
	learn_server(m, json_string_value(json_object_get(answer,
	    "user_id")));
	json_decref(answer);
	if (m->server == NULL) {
		fail_step(res, SEND_REJECTED, 200, xstrdup("ask Matrix who "
		    "the token is: no user id in the answer"));
		return -1;
	}
	return 0;
}

/* Join room (a no-op when in it already), learning its id. */
static int
join_room(const struct notifier *n, struct matrix_room_set *m,
    struct matrix_room *room, size_t which, struct send_result *res)
{
	struct strbuf sb = STRBUF_INIT;
	char *target, step[64];
	const char *id;
	json_t *answer;

	if (room->id != NULL)
		return 0;
	if (room->written[0] == '#' && strchr(room->written, ':') == NULL) {
		if (find_server(n, m, res) != 0)
			return -1;
		target = xasprintf("%s:%s", room->written, m->server);
	} else
		target = xstrdup(room->written);
	strbuf_addf(&sb, "%s/join/", m->api);
	strbuf_add_percent_encoded(&sb, target);
	free(target);
	/* Rooms are named by their place in the URL: their names are in
	 * the URL, and the URL is a secret. */
	snprintf(step, sizeof(step), "join Matrix room %zu of %zu", which + 1,
	    m->nrooms);
	answer = api_call(n, "POST", strbuf_str(&sb), bearer(m), "{}", step,
	    res);
	strbuf_release(&sb);
	if (answer == NULL)
		return -1;
	id = json_string_value(json_object_get(answer, "room_id"));
	if (id == NULL || id[0] != '!') {
		json_decref(answer);
		fail_step(res, SEND_REJECTED, 200, xasprintf("%s: no room id "
		    "in the answer", step));
		return -1;
	}
	room->id = xstrdup(id);
	json_decref(answer);
	return 0;
}

/*
 * The message's own id, as format wrote it: "fu" and 16 hex digits of
 * the message_id, ahead of the room's 16 in the PUT's last segment.
 */
static int
message_part(const struct notifier_request *req, char *out, size_t n)
{
	const char *slash = strrchr(req->url, '/');

	if (slash == NULL || strlen(slash + 1) != 34 || n < 19)
		return -1;
	memcpy(out, slash + 1, 18);
	out[18] = '\0';
	return 0;
}

/* PUT the event into one room, with the room's own txn id. */
static void
put_event(const struct notifier *n, const struct matrix_room_set *m,
    const struct matrix_room *room, const char *message,
    const struct notifier_request *req, struct send_result *res)
{
	struct notifier_request put = { 0 };
	char *url, *txn = xasprintf("%s%016llx", message,
	    (unsigned long long)fnv1a(room->written));

	url = send_url(m, room->id, txn);
	put.method = "PUT";
	put.url = url;
	put.headers = req->headers;
	put.nheaders = req->nheaders;
	put.body = req->body;
	put.body_len = req->body_len;
	notifier_http_send(n, &put, res);
	free(txn);
	free(url);
}

static void
matrix_send(const struct notifier *n, const struct notifier_request *req,
    struct send_result *res)
{
	/* What send learns (token, server, room ids) lasts as long as n. */
	struct matrix_room_set *m = n->priv;
	struct notifier_request with_token = *req;
	struct notifier_header auth = { "Authorization", NULL, 1 };
	char message[19];
	size_t i;

	memset(res, 0, sizeof(*res));
	res->retry_after_ms = -1;
	if (message_part(req, message, sizeof(message)) != 0) {
		fail_step(res, SEND_REJECTED, 0, xstrdup("the Matrix request "
		    "was not made by this notifier"));
		return;
	}
	if (log_in(n, m, res) != 0)
		return;
	if (m->token == NULL) {
		/* Logged in: format put no token in the request. */
		with_token.headers = xcalloc(req->nheaders + 1,
		    sizeof(*with_token.headers));
		memcpy(with_token.headers, req->headers, req->nheaders *
		    sizeof(*req->headers));
		auth.value = xasprintf("Bearer %s", m->session);
		with_token.headers[req->nheaders] = auth;
		with_token.nheaders = req->nheaders + 1;
	}
	for (i = 0; i < m->nrooms; i++) {
		struct send_result one;

		if (join_room(n, m, &m->rooms[i], i, &one) == 0)
			put_event(n, m, &m->rooms[i], message, &with_token,
			    &one);
		merge_result(res, &one);
	}
	if (m->token == NULL) {
		free_secret(auth.value);
		free(with_token.headers);
	}
}

static const char *const matrix_schemes[] = { "matrix", "matrixs", NULL };

const struct notifier_ops notifier_matrix = {
	.name = "matrix",
	.schemes = matrix_schemes,
	.parse = matrix_parse,
	.format = matrix_format,
	.send = matrix_send,
	.idempotent = 1,
	.release = matrix_release,
	.max_body = MATRIX_MAX_BODY,
};
