/*
 * publish.c - the feed to a CalDAV or WebDAV server (see publish.h).
 * RFC 4918 §9.1 (PROPFIND), §13 (multistatus), RFC 9110 §13.1 (If-Match,
 * If-None-Match), RFC 4791 §4.1, §5.3.2 (calendar object resources).
 */
#include "publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "dav.h"
#include "../core/diag.h"
#include "../core/fileio.h"
#include "../core/util.h"
#include "../net/http.h"

#define STATE_MAGIC "followup publish state 1"
#define STATE_MAX ((size_t)16 << 20)
#define UID_PREFIX "followup-"
#define UID_SUFFIX "@followup"
#define CONTENT_TYPE_ICS "Content-Type: text/calendar; charset=utf-8"
#define CONTENT_TYPE_XML "Content-Type: application/xml; charset=utf-8"

static const char propfind_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/><d:getetag/>"
    "</d:prop></d:propfind>\n";

/* ------------------------------------------------------------ text */

/* The path of an http(s) URL or of an href, %-decoded; the caller's. */
static char *
decoded_path(const char *url)
{
	const char *p = url, *end;

	if (strncasecmp(p, "http://", 7) == 0 ||
	    strncasecmp(p, "https://", 8) == 0) {
		p = strstr(p, "//") + 2;
		p += strcspn(p, "/?#");
	}
	end = p + strcspn(p, "?#");
	if (end == p)
		return xstrdup("/");
	return percent_decode(p, (size_t)(end - p));
}

/* The last segment of a decoded path ("a/b/c.ics" → "c.ics"). */
static const char *
last_segment(const char *path)
{
	size_t n = strlen(path);

	while (n > 0 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	return path + n;
}

/* Whether two decoded paths name the same resource (a final '/' aside). */
static int
same_path(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	while (na > 1 && a[na - 1] == '/')
		na--;
	while (nb > 1 && b[nb - 1] == '/')
		nb--;
	return na == nb && memcmp(a, b, na) == 0;
}

/* ------------------------------------------------------------ state */

struct state_item {
	char *uid;
	char *etag;		/* "" when the server gave none */
	unsigned long long hash;
};

struct state {
	char *url;		/* redacted */
	struct state_item *items;
	size_t n, cap;
	int has_file;
	char *file_etag;
	unsigned long long file_hash;
};

static void
state_release(struct state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->items[i].uid);
		free(st->items[i].etag);
	}
	free(st->items);
	free(st->url);
	free(st->file_etag);
	memset(st, 0, sizeof(*st));
}

static struct state_item *
state_find(struct state *st, const char *uid)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->items[i].uid, uid) == 0)
			return &st->items[i];
	return NULL;
}

static void
state_set(struct state *st, const char *uid, const char *etag,
    unsigned long long hash)
{
	struct state_item *it = state_find(st, uid);

	if (it == NULL) {
		GROW(st->items, st->cap, st->n + 1);
		it = &st->items[st->n++];
		it->uid = xstrdup(uid);
		it->etag = NULL;
	}
	if (it->etag != etag) {
		free(it->etag);
		it->etag = xstrdup(etag ? etag : "");
	}
	it->hash = hash;
}

static void
state_remove(struct state *st, const char *uid)
{
	struct state_item *it = state_find(st, uid);

	if (it == NULL)
		return;
	free(it->uid);
	free(it->etag);
	*it = st->items[--st->n];
}

/* Split line at tabs into at most max fields; returns their count. */
static size_t
split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;

	while (n < max) {
		fields[n++] = line;
		if ((line = strchr(line, '\t')) == NULL)
			break;
		*line++ = '\0';
	}
	return n;
}

/* Load the state of url; anything unreadable counts as no state. */
static void
state_load(struct state *st, const char *path, const char *url)
{
	struct diag_list ignored = DIAG_LIST_INIT;
	char *buf = NULL, *line, *next, *f[5];
	size_t len;
	int ours = 0;

	memset(st, 0, sizeof(*st));
	st->url = xstrdup(url);
	if (file_read_all(path, STATE_MAX, &buf, &len, &ignored) != 0)
		goto out;
	for (line = buf; line != NULL && *line; line = next) {
		size_t n;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line == buf) {
			if (strcmp(line, STATE_MAGIC) != 0)
				break;
			continue;
		}
		n = split_tabs(line, f, 5);
		if (n == 2 && strcmp(f[0], "url") == 0)
			ours = strcmp(f[1], url) == 0;
		else if (!ours)
			break;
		else if (n == 4 && strcmp(f[0], "item") == 0)
			state_set(st, f[1], f[2], strtoull(f[3], NULL, 16));
		else if (n == 3 && strcmp(f[0], "file") == 0) {
			st->has_file = 1;
			free(st->file_etag);
			st->file_etag = xstrdup(f[1]);
			st->file_hash = strtoull(f[2], NULL, 16);
		}
	}
	if (!ours) {
		size_t i;

		for (i = 0; i < st->n; i++) {
			free(st->items[i].uid);
			free(st->items[i].etag);
		}
		st->n = 0;
		st->has_file = 0;
	}
out:
	free(buf);
	diag_list_release(&ignored);
}

/* A value may go in the state file: no tab, no line end. */
static int
storable(const char *s)
{
	return s != NULL && strpbrk(s, "\t\r\n") == NULL;
}

static int
state_save(const struct state *st, const char *path, struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc;

	strbuf_addf(&sb, "%s\nurl\t%s\n", STATE_MAGIC, st->url);
	if (st->has_file && storable(st->file_etag))
		strbuf_addf(&sb, "file\t%s\t%016llx\n", st->file_etag,
		    st->file_hash);
	for (i = 0; i < st->n; i++)
		if (storable(st->items[i].uid) && storable(st->items[i].etag))
			strbuf_addf(&sb, "item\t%s\t%s\t%016llx\n",
			    st->items[i].uid, st->items[i].etag,
			    st->items[i].hash);
	rc = file_write_atomic(path, strbuf_str(&sb), sb.len, 0600, dl);
	strbuf_release(&sb);
	return rc;
}

/* ------------------------------------------------------------ requests */

struct pub {
	const struct publish_params *p;
	char *shown;		/* the publish URL, redacted */
	struct diag_list *dl;
	struct publish_result *res;
};

static enum http_failure
request(struct pub *x, const char *method, const char *url,
    const char *const *headers, const char *body, size_t len,
    struct http_response *resp)
{
	struct http_request req = {
		.method = method,
		.url = url,
		.user = x->p->user,
		.password = x->p->password,
		.headers = headers,
		.body = body,
		.body_len = len,
		.ca_file = x->p->ca_file,
	};

	return http_perform(&req, resp);
}

/*
 * Report a failed exchange (f, or a status that is not 2xx) of method on
 * url. Returns 1 when the run must stop, 0 when the others may go on.
 */
static int
report(struct pub *x, const char *method, const char *url,
    enum http_failure f, const struct http_response *resp)
{
	char *shown = http_redact_url(url);
	long st = resp->status;
	int stop = 1;

	switch (f) {
	case HTTP_OK:
		break;
	case HTTP_FAIL_TLS:
		diag_error(x->dl, DIAG_CONFIG, NULL, 0, "the server's "
		    "certificate is not trusted: renew it, or name its CA "
		    "with ics.publish_ca_file", "publish: %s", resp->error);
		goto out;
	case HTTP_FAIL_INSECURE:
		diag_error(x->dl, DIAG_CONFIG, NULL, 0, "use an https:// URL "
		    "in ics.publish; plain http:// is only for a server on "
		    "this machine (127.0.0.1, ::1, localhost)", "publish: %s",
		    resp->error);
		goto out;
	case HTTP_FAIL_REDIRECT:
	case HTTP_FAIL_URL:
		diag_error(x->dl, DIAG_CONFIG, NULL, 0, "set ics.publish to "
		    "the URL of the calendar itself", "publish: %s",
		    resp->error);
		goto out;
	default:
		diag_error(x->dl, DIAG_TEMPFAIL, NULL, 0, "followup tries "
		    "again on the next run; check the network and the server",
		    "publish: %s", resp->error);
		goto out;
	}
	if (st == 401 || st == 403) {
		diag_error(x->dl, DIAG_CONFIG, NULL, 0, "check the user and "
		    "the password (ics.publish_user, publish_password_file, "
		    "publish_password_env or publish_credential) and that "
		    "they may write there",
		    "publish: the server refused the credentials for %s "
		    "(HTTP %ld)", shown, st);
	} else if (st == 412) {
		diag_error(x->dl, DIAG_TEMPFAIL, NULL, 0, "followup tries "
		    "again on the next run", "publish: %s %s: it changed on "
		    "the server meanwhile (HTTP 412)", method, shown);
		stop = 0;
	} else if (http_status_is_temporary(st)) {
		diag_error(x->dl, DIAG_TEMPFAIL, NULL, 0, "followup tries "
		    "again on the next run", "publish: %s %s: the server "
		    "answered HTTP %ld", method, shown, st);
	} else if (st == 404 || st == 409) {
		diag_error(x->dl, DIAG_CONFIG, NULL, 0, "create the calendar "
		    "on the server first, or correct ics.publish",
		    "publish: %s %s: there is no such collection (HTTP %ld)",
		    method, shown, st);
	} else {
		diag_error(x->dl, DIAG_CONFIG, NULL, 0, "check that "
		    "ics.publish names a calendar or a WebDAV file you may "
		    "write", "publish: %s %s: the server refused it (HTTP %ld)",
		    method, shown, st);
	}
out:
	free(shown);
	return stop;
}

/*
 * Report a PUT or DELETE of one event that the server answered with a
 * refusal of that event alone (the collection is there and the
 * credentials are good: its PROPFIND answered): a UID another resource
 * has (409, RFC 4791's no-uid-conflict), a resource it will not let be
 * written (403), a body it does not take (400, 413, 415). The others go
 * on. Anything else is report()'s. Returns 1 when the run must stop.
 */
static int
report_item(struct pub *x, const char *method, const char *url,
    const char *note, enum http_failure f, const struct http_response *resp)
{
	long st = resp->status;
	char *shown;

	if (f != HTTP_OK || !(st == 400 || st == 403 || st == 409 ||
	    st == 413 || st == 415))
		return report(x, method, url, f, resp);
	shown = http_redact_url(url);
	diag_error(x->dl, DIAG_TEMPFAIL, note, 0, st == 409 ? "another event "
	    "in that calendar may have the same UID (a copy imported by "
	    "hand?): remove the copy; followup tries again on the next run" :
	    "check what the server says of this event; followup tries again "
	    "on the next run", "publish: %s %s: the server refused this "
	    "event (HTTP %ld%s); the others went on", method, shown, st,
	    st == 409 ? ": a conflict" : st == 403 ? ": forbidden" : "");
	free(shown);
	x->res->refused++;
	return 0;
}

static int
is_2xx(long status)
{
	return status >= 200 && status < 300;
}

/* PROPFIND url; a 207 is parsed into *l. Returns the failure. */
static enum http_failure
propfind(struct pub *x, const char *url, const char *depth,
    struct http_response *resp, struct dav_listing *l)
{
	char depth_header[16];
	const char *headers[] = { depth_header, CONTENT_TYPE_XML, NULL };
	enum http_failure f;

	snprintf(depth_header, sizeof(depth_header), "Depth: %s", depth);
	memset(l, 0, sizeof(*l));
	f = request(x, "PROPFIND", url, headers, propfind_body,
	    sizeof(propfind_body) - 1, resp);
	if (f == HTTP_OK && resp->status == 207 &&
	    dav_parse_multistatus(resp->body, resp->body_len, l) != 0) {
		/* Not a multistatus after all: as if PROPFIND were unknown. */
		resp->status = 501;
	}
	return f;
}

/* The entry of l whose decoded path is path, or NULL. */
static const struct dav_entry *
listing_find(const struct dav_listing *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		char *p = decoded_path(l->items[i].href);
		int same = same_path(p, path);

		free(p);
		if (same)
			return &l->items[i];
	}
	return NULL;
}

/* ------------------------------------------------------------ calendar */

/* Is this resource name one of followup's: "followup-...@followup.ics"? */
static int
followup_name(const char *name)
{
	size_t n = strlen(name), np = strlen(UID_PREFIX);
	size_t ns = strlen(UID_SUFFIX ".ics");

	return n > np + ns && strncmp(name, UID_PREFIX, np) == 0 &&
	    strcmp(name + n - ns, UID_SUFFIX ".ics") == 0;
}

/* base (a collection, ending in '/') + uid ".ics" + query ("" or "?..."). */
static char *
item_url(const char *base, const char *uid, const char *query)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, base);
	strbuf_add_percent_encoded(&sb, uid);
	strbuf_adds(&sb, ".ics");
	strbuf_adds(&sb, query);
	return strbuf_detach(&sb);
}

/* The etag of the entry named name in listing l (under base_path). */
static const struct dav_entry *
child_named(const struct dav_listing *l, const char *base_path,
    const char *name)
{
	char *path = xasprintf("%s%s%s", base_path,
	    base_path[0] && base_path[strlen(base_path) - 1] == '/' ? "" : "/",
	    name);
	const struct dav_entry *e = listing_find(l, path);

	free(path);
	return e;
}

static int
publish_calendar(struct pub *x, const struct calendar *cal,
    struct state *st, const char *base, const char *query)
{
	struct http_response resp;
	struct dav_listing list;
	char *base_path = decoded_path(base), *name;
	char *coll = xasprintf("%s%s", base, query);
	enum http_failure f;
	size_t i;
	int rc = 0, relist = 0;

	f = propfind(x, coll, "1", &resp, &list);
	if (f != HTTP_OK || resp.status != 207) {
		report(x, "PROPFIND", coll, f, &resp);
		http_response_release(&resp);
		free(base_path);
		free(coll);
		return -1;
	}
	http_response_release(&resp);

	for (i = 0; i < cal->nitems && rc == 0; i++) {
		const struct calendar_item *item = &cal->items[i];
		struct state_item *known = state_find(st, item->uid);
		const struct dav_entry *there;
		char *url, cond[512];
		const char *headers[] = { CONTENT_TYPE_ICS, cond, NULL };
		const char *etag;

		name = xasprintf("%s.ics", item->uid);
		there = child_named(&list, base_path, name);
		free(name);
		if (there != NULL && known != NULL && known->hash ==
		    item->hash && there->etag != NULL && known->etag[0] &&
		    strcmp(there->etag, known->etag) == 0) {
			x->res->unchanged++;
			continue;
		}
		if (there == NULL)
			snprintf(cond, sizeof(cond), "If-None-Match: *");
		else	/* no ETag that If-Match can use (none, weak): overwrite */
			headers[1] = http_if_match(there->etag, cond,
			    sizeof(cond));
		url = item_url(base, item->uid, query);
		f = request(x, "PUT", url, headers, item->resource,
		    strlen(item->resource), &resp);
		if (f != HTTP_OK || !is_2xx(resp.status)) {
			if (report_item(x, "PUT", url, item->path, f, &resp))
				rc = -1;
		} else {
			etag = http_response_header(&resp, "ETag");
			if (etag == NULL)
				relist = 1;
			state_set(st, item->uid, etag ? etag : "", item->hash);
			x->res->sent++;
		}
		http_response_release(&resp);
		free(url);
	}

	/* Resources followup created for contacts that left the feed. */
	for (i = 0; i < list.n && rc == 0; i++) {
		const struct dav_entry *e = &list.items[i];
		char *path = decoded_path(e->href), uid[512];
		const char *seg = last_segment(path);
		size_t j, n = strlen(seg);
		int in_feed = 0;

		if (e->collection || !followup_name(seg) ||
		    n - 4 >= sizeof(uid)) {
			free(path);
			continue;
		}
		memcpy(uid, seg, n - 4);
		uid[n - 4] = '\0';
		free(path);
		for (j = 0; j < cal->nitems && !in_feed; j++)
			in_feed = strcmp(cal->items[j].uid, uid) == 0;
		if (in_feed || state_find(st, uid) == NULL)
			continue;	/* in the feed, or not followup's */
		{
			char *url = item_url(base, uid, query), cond[512];
			const char *headers[] = { NULL, NULL };

			headers[0] = http_if_match(e->etag, cond, sizeof(cond));
			f = request(x, "DELETE", url, headers, NULL, 0, &resp);
			if (f == HTTP_OK && (is_2xx(resp.status) ||
			    resp.status == 404)) {
				state_remove(st, uid);
				x->res->deleted++;
			} else if (report_item(x, "DELETE", url, NULL, f,
			    &resp))
				rc = -1;
			http_response_release(&resp);
			free(url);
		}
	}

	/* What the state knows that is gone from the server, and not sent. */
	for (i = 0; i < st->n; ) {
		char *nm = xasprintf("%s.ics", st->items[i].uid);
		int there = child_named(&list, base_path, nm) != NULL;
		size_t j;
		int sent = 0;

		free(nm);
		for (j = 0; j < cal->nitems && !there && !sent; j++)
			sent = strcmp(cal->items[j].uid, st->items[i].uid) == 0;
		if (!there && !sent)
			state_remove(st, st->items[i].uid);
		else
			i++;
	}
	dav_listing_release(&list);

	/* A server that gave no ETag on PUT: learn them from a listing. */
	if (relist && rc == 0) {
		f = propfind(x, coll, "1", &resp, &list);
		if (f == HTTP_OK && resp.status == 207) {
			for (i = 0; i < st->n; i++) {
				const struct dav_entry *e;

				if (st->items[i].etag[0])
					continue;
				name = xasprintf("%s.ics", st->items[i].uid);
				e = child_named(&list, base_path, name);
				free(name);
				if (e != NULL && e->etag != NULL) {
					free(st->items[i].etag);
					st->items[i].etag = xstrdup(e->etag);
				}
			}
			dav_listing_release(&list);
		}
		http_response_release(&resp);
	}
	free(base_path);
	free(coll);
	return rc;
}

/* ------------------------------------------------------------ one file */

/* Whether target exists, and its ETag (NULL when unknown). */
static int
probe_file(struct pub *x, const char *target, int *exists, char **etag)
{
	struct http_response resp;
	struct dav_listing list;
	enum http_failure f;
	const char *h, *method = "PROPFIND";

	*exists = 0;
	*etag = NULL;
	f = propfind(x, target, "0", &resp, &list);
	if (f == HTTP_OK && resp.status == 207) {
		*exists = 1;
		if (list.n > 0 && list.items[0].etag != NULL)
			*etag = xstrdup(list.items[0].etag);
		dav_listing_release(&list);
		http_response_release(&resp);
		return 0;
	}
	if (f == HTTP_OK && resp.status == 404) {
		http_response_release(&resp);
		return 0;
	}
	if (f == HTTP_OK && resp.status != 401 && resp.status != 403 &&
	    resp.status < 500) {
		/* No PROPFIND here (405, 501): ask with HEAD. */
		http_response_release(&resp);
		method = "HEAD";
		f = request(x, method, target, NULL, NULL, 0, &resp);
		if (f == HTTP_OK && (is_2xx(resp.status) ||
		    resp.status == 404)) {
			*exists = is_2xx(resp.status);
			if ((h = http_response_header(&resp, "ETag")) != NULL)
				*etag = xstrdup(h);
			http_response_release(&resp);
			return 0;
		}
	}
	report(x, method, target, f, &resp);
	http_response_release(&resp);
	return -1;
}

/*
 * PUT the whole feed to target, a file. followup writes only a file it
 * created (st->has_file): a new one with If-None-Match: *, its own with
 * If-Match: the ETag it got back (when the server gave a strong one).
 * A file that is there but not followup's is refused, never overwritten.
 */
static int
publish_file(struct pub *x, const struct calendar *cal, struct state *st,
    const char *target)
{
	unsigned long long hash = calendar_content_hash(cal->text, cal->len);
	struct diag_list scratch = DIAG_LIST_INIT, *dl = x->dl;
	struct http_response resp;
	char *etag = NULL, *shown, cond[512];
	const char *headers[] = { CONTENT_TYPE_ICS, cond, NULL };
	const char *h;
	enum http_failure f;
	int exists, rc = 0;

	if (probe_file(x, target, &exists, &etag) != 0)
		return -1;
	if (exists && !st->has_file) {
		shown = http_redact_url(target);
		diag_error(x->dl, DIAG_CONFIG, NULL, 0, "followup overwrites "
		    "only a file it created: set ics.publish to another file "
		    "name (or to a folder or a calendar), or remove that file "
		    "on the server", "publish: %s is already there and "
		    "followup did not create it: not overwritten", shown);
		free(shown);
		free(etag);
		return -1;
	}
	if (exists && st->file_hash == hash &&
	    (etag == NULL || strcmp(etag, st->file_etag) == 0)) {
		x->res->unchanged++;
		free(etag);
		return 0;
	}
	free(etag);
	etag = NULL;
	if (!exists)
		snprintf(cond, sizeof(cond), "If-None-Match: *");
	else	/* no ETag that If-Match can use (none, weak): overwrite */
		headers[1] = http_if_match(st->file_etag, cond, sizeof(cond));
	f = request(x, "PUT", target, headers, cal->text, cal->len, &resp);
	if (f == HTTP_OK && resp.status == 412) {
		shown = http_redact_url(target);
		diag_error(x->dl, DIAG_TEMPFAIL, NULL, 0, "followup tries again "
		    "on the next run, and never overwrites what it did not "
		    "write: if that change is unwanted, remove the file on the "
		    "server", exists ? "publish: PUT %s: the file changed on "
		    "the server since followup wrote it (HTTP 412)" :
		    "publish: PUT %s: someone else created the file meanwhile "
		    "(HTTP 412)", shown);
		free(shown);
		rc = -1;
	} else if (f != HTTP_OK || !is_2xx(resp.status)) {
		report(x, "PUT", target, f, &resp);
		rc = -1;
	} else {
		x->res->sent++;
		st->has_file = 1;
		st->file_hash = hash;
		h = http_response_header(&resp, "ETag");
		free(st->file_etag);
		st->file_etag = xstrdup(h ? h : "");
		/*
		 * No ETag with the PUT: ask for it. The feed is published
		 * whatever this says, so what goes wrong is not reported.
		 */
		x->dl = &scratch;
		if (h == NULL && probe_file(x, target, &exists, &etag) == 0 &&
		    etag != NULL) {
			free(st->file_etag);
			st->file_etag = etag;
			etag = NULL;
		}
		x->dl = dl;
		diag_list_release(&scratch);
	}
	free(etag);
	http_response_release(&resp);
	return rc;
}

/* ------------------------------------------------------------ entry */

int
publish_feed(const struct calendar *cal, const struct publish_params *p,
    struct publish_result *res, struct diag_list *dl)
{
	struct pub x = { .p = p, .dl = dl, .res = res };
	struct http_response resp;
	struct dav_listing list;
	struct state st;
	enum http_failure f;
	char *base = NULL, *query = NULL, *target = NULL;
	int rc = -1, calendar = 0, collection = 0;

	memset(res, 0, sizeof(*res));
	x.shown = http_redact_url(p->url);
	state_load(&st, p->state_path, x.shown);

	f = propfind(&x, p->url, "0", &resp, &list);
	if (f != HTTP_OK || resp.status == 401 || resp.status == 403 ||
	    http_status_is_temporary(resp.status) ||
	    (resp.status >= 300 && resp.status < 400)) {
		if (f == HTTP_OK && resp.status < 400 && resp.status >= 300) {
			diag_error(dl, DIAG_CONFIG, NULL, 0, "set ics.publish "
			    "to the URL the server redirects to",
			    "publish: %s redirects (HTTP %ld)", x.shown,
			    resp.status);
		} else
			report(&x, "PROPFIND", p->url, f, &resp);
		http_response_release(&resp);
		goto out;
	}
	if (resp.status == 404 && p->url[0] &&
	    p->url[strlen(p->url) - 1] == '/') {
		/* A folder URL that is not there: not a file to create. */
		report(&x, "PROPFIND", p->url, f, &resp);
		dav_listing_release(&list);
		http_response_release(&resp);
		goto out;
	}
	if (resp.status == 207 && list.n > 0) {
		calendar = list.items[0].calendar;
		collection = list.items[0].collection;
	}
	dav_listing_release(&list);
	http_response_release(&resp);

	if (calendar || collection) {
		/* The folder ends in '/' before its query, if any. */
		size_t n = strcspn(p->url, "?#");

		base = xasprintf("%.*s%s", (int)n, p->url,
		    n && p->url[n - 1] == '/' ? "" : "/");
		query = p->url[n] == '?' ? xstrndup(p->url + n,
		    strcspn(p->url + n, "#")) : xstrdup("");
	}
	res->calendar = calendar;
	if (calendar)
		rc = publish_calendar(&x, cal, &st, base, query);
	else {
		target = collection ? xasprintf("%s%s%s", base,
		    PUBLISH_FILE_NAME, query) : xstrdup(p->url);
		rc = publish_file(&x, cal, &st, target);
	}
	if (state_save(&st, p->state_path, dl) != 0)
		rc = -1;
out:
	state_release(&st);
	free(base);
	free(query);
	free(target);
	free(x.shown);
	return rc;
}
