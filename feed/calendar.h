/*
 * calendar.h - the iCalendar feed (docs/design.md, "The feed"), built and
 * checked with libical: RFC 5545 (iCalendar), RFC 7986 (NAME,
 * REFRESH-INTERVAL), RFC 4791 §4.1 (one component per CalDAV resource).
 *
 * calendar_build() turns a scan into a VCALENDAR: one all-day VEVENT (or
 * VTODO with DUE) per contact in state cold, overdue or due and per ok
 * contact due within horizon_days, dated on its due date or on today when
 * that is past; and one yearly VEVENT per contact with a valid birthday.
 * Text escaping and line folding at 75 octets are libical's.
 *
 * Identity and revisions: an item's UID depends on its note's path only
 * ("followup-<16 hex>@followup", "followup-birthday-<16 hex>@followup"),
 * so the same contact is updated, never duplicated. Every item carries
 * X-FOLLOWUP-HASH, a hash of its content (all but DTSTAMP, SEQUENCE and
 * LAST-MODIFIED). Given the previous feed, an item whose hash is unchanged
 * keeps its SEQUENCE and LAST-MODIFIED; one whose hash changed gets
 * SEQUENCE + 1 and LAST-MODIFIED = now. So two runs with nothing changed
 * differ in DTSTAMP alone, which calendar_same() ignores.
 *
 * No clock: `now` (DTSTAMP, LAST-MODIFIED) and today (the scan's) come
 * from the caller. No I/O: the previous feed is passed in as text.
 *
 * A struct calendar owns its strings; calendar_release() frees them. The
 * scan must outlive nothing: everything is copied.
 */
#ifndef FOLLOWUP_CALENDAR_H
#define FOLLOWUP_CALENDAR_H

#include <stddef.h>
#include <time.h>

struct scan_result;
struct diag_list;

#define CALENDAR_MAX_ITEMS_LISTED 50	/* open items in one DESCRIPTION */

struct calendar_params {
	time_t now;		/* DTSTAMP; LAST-MODIFIED of what changed */
	int horizon_days;	/* ok contacts due within this many days */
	int todo;		/* VTODO with DUE instead of VEVENT */
	int alarm;		/* VALARM at minutes after midnight; -1: none */
	const char *vault_name;	/* the vault's name, for obsidian:// links */
	const char *prodid;	/* "-//followup//followup 0.1.0//EN" */
	const char *previous;	/* the feed as last written, or NULL */
	size_t previous_len;
	int allow_empty;	/* a vault of no contact may empty the feed */
};

enum calendar_item_kind {
	ITEM_FOLLOWUP,
	ITEM_BIRTHDAY,
};

struct calendar_item {
	enum calendar_item_kind kind;
	char *uid;
	char *path;		/* the contact's note */
	char *resource;		/* a VCALENDAR holding this item alone */
	unsigned long long hash;	/* X-FOLLOWUP-HASH */
	int sequence;
};

struct calendar {
	char *text;		/* the whole feed, CRLF line ends */
	size_t len;
	struct calendar_item *items;	/* in the order of the feed */
	size_t nitems;
	size_t nfollowups, nbirthdays;
	size_t nchanged;	/* items new or changed since the previous */
	size_t nkept;		/* items of notes that could not be read */
};

/*
 * Build the feed of r into cal. A previous feed that libical cannot read
 * is ignored (every item then starts at SEQUENCE 0). An item of the
 * previous feed whose note could not be read or had an error in this
 * scan (or any, when a folder could not be read) is kept as it was, with
 * a warning. A scan of no contact where the previous feed had follow-ups
 * is refused unless p->allow_empty (an error: the feed is left as it
 * was). Returns 0, or -1 (an error on dl).
 */
int calendar_build(struct calendar *cal, const struct scan_result *r,
    const struct calendar_params *p, struct diag_list *dl);

/*
 * Parse text back with libical, as a check before it is written: it must
 * parse, hold no X-LIC-ERROR, and hold `items` VEVENT/VTODO components.
 * Returns 0, or -1 with an error on dl (DIAG_CANT_WRITE).
 */
int calendar_check(const char *text, size_t len, size_t items,
    struct diag_list *dl);

/*
 * Whether two feeds are the same but for DTSTAMP: their lines, unfolded,
 * are equal once the DTSTAMP lines are left out. 1 or 0.
 */
int calendar_same(const char *a, size_t alen, const char *b, size_t blen);

/*
 * A hash of a feed's content: its lines, unfolded, but DTSTAMP. Two feeds
 * calendar_same() finds the same have the same content hash.
 */
unsigned long long calendar_content_hash(const char *text, size_t len);

/* Whether text looks like an iCalendar object (BEGIN:VCALENDAR first). */
int calendar_is_ical(const char *text, size_t len);

void calendar_release(struct calendar *cal);

#endif
