/*
 * dav.h - read a WebDAV 207 Multi-Status answer (RFC 4918 §13) as far as
 * publishing needs it: per <response> its href, ETag and resource type.
 * A small reader of its own, not an XML library: the answers it reads
 * are small and flat, and it must never fetch or expand anything.
 *
 * Memory: a struct dav_listing owns its entries' strings;
 * dav_listing_release() frees them.
 */
#ifndef FOLLOWUP_DAV_H
#define FOLLOWUP_DAV_H

#include <stddef.h>

/* One <response> of a WebDAV multistatus. */
struct dav_entry {
	char *href;		/* as sent, entities decoded, still %-encoded */
	char *etag;		/* NULL when not given with status 200 */
	int collection;		/* resourcetype holds <collection/> */
	int calendar;		/* resourcetype holds <C:calendar/> */
};

struct dav_listing {
	struct dav_entry *items;
	size_t n, cap;
};

/*
 * Read a 207 Multi-Status body. Namespace prefixes are not resolved:
 * elements are matched by local name, which is enough for DAV: and
 * CalDAV's. Returns 0, or -1 when it is not a multistatus.
 */
int dav_parse_multistatus(const char *xml, size_t len,
    struct dav_listing *out);
void dav_listing_release(struct dav_listing *l);

#endif
