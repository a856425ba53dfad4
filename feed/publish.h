/*
 * publish.h - put the feed on a CalDAV or WebDAV server:
 * RFC 4918 (WebDAV: PROPFIND, multistatus, ETags), RFC 4791 (CalDAV:
 * one component per calendar object resource), over http.h.
 *
 * First a PROPFIND (Depth: 0) asks what the URL is:
 *   - a calendar collection: every item of the feed is its own resource,
 *     named UID.ics. A PROPFIND (Depth: 1) lists what is there with its
 *     ETag. A new item is PUT with If-None-Match: *, a changed one with
 *     If-Match: its ETag; one whose content hash and ETag are those
 *     remembered from the last run is not sent. A resource of a contact
 *     that left the feed is DELETEd (If-Match) only when followup created
 *     it: it is named like followup's UIDs and is in the remembered state.
 *     Anything else in the collection is never touched.
 *   - anything else (a file, a missing file, a plain folder, a server
 *     without PROPFIND): the whole feed in one PUT, to the URL itself or,
 *     for a folder, to FOLDER/followup.ics; not sent again while its
 *     content and ETag are unchanged.
 *
 * What was sent is remembered in a small text file (state_path, written
 * atomically): per item its UID, href, ETag and content hash.
 *
 * Errors are diags: the server refusing the credentials (401, 403) or the
 * URL (404, 405, 409, other 4xx) is DIAG_CONFIG (exit 78); no answer, a
 * timeout, 5xx, 429 or an item changed meanwhile (412) is DIAG_TEMPFAIL
 * (exit 75), tried again on the next run. No message holds a secret:
 * URLs are redacted (http_redact_url).
 */
#ifndef FOLLOWUP_PUBLISH_H
#define FOLLOWUP_PUBLISH_H

#include <stddef.h>

struct calendar;
struct diag_list;

#define PUBLISH_FILE_NAME "followup.ics"

struct publish_params {
	const char *url;	/* MUST: http(s), may hold userinfo */
	const char *user;	/* MAY: else the URL's */
	const char *password;	/* MAY: else the URL's */
	const char *ca_file;	/* MAY */
	const char *state_path;	/* MUST: where the last run is remembered */
};

struct publish_result {
	int calendar;		/* 1: CalDAV, one resource per item */
	size_t sent, deleted, unchanged;
	size_t refused;		/* events the server refused, one by one */
};

/*
 * Publish cal. Returns 0, or -1 with diags on dl (what was done before
 * the failure is counted in res and remembered in the state).
 */
int publish_feed(const struct calendar *cal, const struct publish_params *p,
    struct publish_result *res, struct diag_list *dl);

#endif
