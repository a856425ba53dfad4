/*
 * calendar.c - the iCalendar feed, with libical (see calendar.h).
 *
 * libical is used through its _r functions only: the others return
 * libical's ring buffer, which it reuses. The ring is freed before
 * returning, so that a run ends with nothing of libical's still held.
 */
#include "calendar.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/contact.h"
#include "../core/date.h"
#include "../core/diag.h"
#include "../core/engine.h"
#include "../core/note.h"
#include "../core/store.h"
#include "../core/strmap.h"
#include "../core/util.h"

#define X_HASH "X-FOLLOWUP-HASH"
/* The kinds of item, as item_uid() writes them into a UID. */
#define KIND_BIRTHDAY "birthday-"
static const char *const item_kinds[] = { "", KIND_BIRTHDAY };
#define NKINDS (sizeof(item_kinds) / sizeof(item_kinds[0]))
#define CALENDAR_NAME "followup"
#define REFRESH_SECONDS 3600

/* What the previous feed said about one item. */
struct prev_item {
	char *uid;
	unsigned long long hash;
	int has_hash;
	int sequence;
	struct icaltimetype last_modified;	/* null time when absent */
	icalcomponent *comp;	/* in the previous feed's tree */
	int taken;		/* this build has an item of this UID */
};

struct prev_feed {
	icalcomponent *root;	/* the previous feed, parsed; NULL */
	struct prev_item *items;
	size_t n, cap;
	size_t nfollowups;	/* of items: follow-ups, not birthdays */
	struct strmap by_uid;
};

struct builder {
	const struct scan_result *r;
	const struct calendar_params *p;
	struct calendar *cal;
	struct prev_feed prev;
	icalcomponent *vcal;
	size_t cap;
	struct diag_list *dl;
	int failed;		/* libical could not write a component */
};

/*
 * What libical keeps between calls (its ring buffer, the time zones it
 * loaded, UTC's among them): freed after each use, so that a run ends
 * holding nothing. libical loads them again when next needed.
 */
static void
release_libical(void)
{
	icalmemory_free_ring();
	icaltimezone_free_builtin_timezones();
}

/* Can an item start on day? Else a warning: it is left out. */
static int
fits_the_feed(struct builder *b, const char *path, unsigned line,
    const char *what, int day)
{
	char buf[DATE_BUFSZ], last[DATE_BUFSZ];

	if (day <= date_feed_last_day())
		return 1;
	diag_warn(b->dl, DIAG_NOTE, path, line, "iCalendar readers such as "
	    "libical read no later date; is the year right?", "%s falls on "
	    "%s, after %s: left out of the feed", what, date_format(day, buf),
	    date_format(date_feed_last_day(), last));
	return 0;
}

static struct icaltimetype
ical_date(int day)
{
	struct icaltimetype t = icaltime_null_date();
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	t.year = y;
	t.month = m;
	t.day = d;
	return t;
}

static struct icaltimetype
ical_utc(time_t when)
{
	return icaltime_from_timet_with_zone(when, 0,
	    icaltimezone_get_utc_timezone());
}

static void
add_x(icalcomponent *comp, const char *name, const char *value)
{
	icalproperty *prop = icalproperty_new_x(value);

	icalproperty_set_x_name(prop, name);
	icalcomponent_add_property(comp, prop);
}

static char *
item_uid(const char *kind, const char *path)
{
	return xasprintf("followup-%s%016llx@followup", kind,
	    hash_fnv1a64(path, strlen(path)));
}

static int
is_birthday_uid(const char *uid)
{
	return strncmp(uid, "followup-" KIND_BIRTHDAY,
	    strlen("followup-" KIND_BIRTHDAY)) == 0;
}

/*
 * s as the feed may carry it: RFC 5545 forbids control characters in a
 * TEXT value (libical escapes newlines, not ESC or BEL), and a name from
 * a file name need not be UTF-8. Each control character is a space.
 */
static void
add_feed_text(struct strbuf *sb, const char *s)
{
	strbuf_add_utf8_mended(sb, s, strlen(s), UTF8_CONTROLS_AS_SPACE);
}

/* "PREFIX" then s as the feed carries it, then "SUFFIX": the caller's. */
static char *
feed_text(const char *prefix, const char *s, const char *suffix)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, prefix);
	add_feed_text(&sb, s);
	strbuf_adds(&sb, suffix);
	return strbuf_detach(&sb);
}

/* State, days since the last contact, cadence, open items: plain text. */
static char *
followup_description(const struct vault *v, const struct contact *c,
    int today)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[DATE_BUFSZ];
	size_t i;

	strbuf_addf(&sb, "State: %s", contact_state_name(c->state));
	date_format(c->due, buf);
	if (c->days_overdue > 0)
		strbuf_addf(&sb, ", %d day%s overdue (due %s)",
		    c->days_overdue, plural(c->days_overdue), buf);
	else if (c->days_overdue == 0)
		strbuf_addf(&sb, ", due today");
	else
		strbuf_addf(&sb, ", due in %d day%s (%s)", -c->days_overdue,
		    plural(c->days_overdue), buf);
	if (c->last_contact == DATE_NONE)
		strbuf_adds(&sb, "\nLast contact: never");
	else
		strbuf_addf(&sb, "\nLast contact: %s, %d day%s ago",
		    date_format(c->last_contact, buf), today - c->last_contact,
		    plural(today - c->last_contact));
	strbuf_addf(&sb, "\nCadence: every %d day%s", c->cadence_days,
	    plural(c->cadence_days));
	if (c->nitems == 0)
		strbuf_adds(&sb, "\nOpen items: none");
	else
		strbuf_addf(&sb, "\nOpen items (%zu):", c->nitems);
	for (i = 0; i < c->nitems && i < CALENDAR_MAX_ITEMS_LISTED; i++) {
		const struct task *t = &v->tasks[c->items[i]];

		strbuf_adds(&sb, "\n- ");
		add_feed_text(&sb, t->text);
		if (date_is_day(t->due))
			strbuf_addf(&sb, " (due %s)", date_format(t->due, buf));
	}
	if (c->nitems > CALENDAR_MAX_ITEMS_LISTED)
		strbuf_addf(&sb, "\n- and %zu more",
		    c->nitems - CALENDAR_MAX_ITEMS_LISTED);
	strbuf_adds(&sb, "\nNote: ");
	add_feed_text(&sb, c->path);
	return strbuf_detach(&sb);
}

static void
add_alarm(icalcomponent *comp, int minutes, int todo, const char *text)
{
	icalcomponent *alarm = icalcomponent_new(ICAL_VALARM_COMPONENT);
	struct icaltriggertype trigger;
	icalproperty *prop;

	memset(&trigger, 0, sizeof(trigger));
	trigger.time = icaltime_null_time();
	trigger.duration = icaldurationtype_from_int(minutes * 60);
	icalcomponent_add_property(alarm,
	    icalproperty_new_action(ICAL_ACTION_DISPLAY));
	prop = icalproperty_new_trigger(trigger);
	/* A VTODO with DUE and no DTSTART: relative to DUE (RFC 5545). */
	if (todo)
		icalproperty_add_parameter(prop,
		    icalparameter_new_related(ICAL_RELATED_END));
	icalcomponent_add_property(alarm, prop);
	icalcomponent_add_property(alarm, icalproperty_new_description(text));
	icalcomponent_add_component(comp, alarm);
}

static int
is_item(icalcomponent_kind kind)
{
	return kind == ICAL_VEVENT_COMPONENT || kind == ICAL_VTODO_COMPONENT;
}

static void
prev_release(struct prev_feed *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++)
		free(pf->items[i].uid);
	free(pf->items);
	strmap_release(&pf->by_uid);
	if (pf->root != NULL)
		icalcomponent_free(pf->root);
}

/* Read UID, X-FOLLOWUP-HASH, SEQUENCE and LAST-MODIFIED of each item. */
static void
prev_load(struct prev_feed *pf, const char *text, size_t len)
{
	icalcomponent *root, *comp;
	char *copy;
	size_t i;

	memset(pf, 0, sizeof(*pf));
	strmap_init(&pf->by_uid);
	if (text == NULL || !calendar_is_ical(text, len))
		return;
	copy = xstrndup(text, len);
	root = icalparser_parse_string(copy);
	free(copy);
	if (root == NULL)
		return;
	for (comp = icalcomponent_get_first_component(root,
	    ICAL_ANY_COMPONENT); comp != NULL;
	    comp = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
		icalcomponent_kind kind = icalcomponent_isa(comp);
		icalproperty *prop;
		struct prev_item *it;
		const char *uid;

		if (!is_item(kind))
			continue;
		if ((uid = icalcomponent_get_uid(comp)) == NULL)
			continue;
		GROW(pf->items, pf->cap, pf->n + 1);
		it = &pf->items[pf->n++];
		memset(it, 0, sizeof(*it));
		it->uid = xstrdup(uid);
		it->comp = comp;
		if (!is_birthday_uid(uid))
			pf->nfollowups++;
		it->sequence = icalcomponent_get_sequence(comp);
		if (it->sequence < 0)
			it->sequence = 0;
		it->last_modified = icaltime_null_time();
		prop = icalcomponent_get_first_property(comp,
		    ICAL_LASTMODIFIED_PROPERTY);
		if (prop != NULL)
			it->last_modified = icalproperty_get_lastmodified(prop);
		for (prop = icalcomponent_get_first_property(comp,
		    ICAL_X_PROPERTY); prop != NULL;
		    prop = icalcomponent_get_next_property(comp,
		    ICAL_X_PROPERTY)) {
			const char *name = icalproperty_get_x_name(prop);
			const char *value = icalproperty_get_x(prop);
			char *end;

			if (name == NULL || value == NULL ||
			    strcmp(name, X_HASH) != 0)
				continue;
			it->hash = strtoull(value, &end, 16);
			it->has_hash = end != value && *end == '\0';
		}
	}
	pf->root = root;	/* kept: its items may be carried over */
	/* Keys are the items' own strings: add them once the array is final. */
	for (i = 0; i < pf->n; i++)
		strmap_add(&pf->by_uid, pf->items[i].uid,
		    strlen(pf->items[i].uid), i);
}

static struct prev_item *
prev_find(const struct prev_feed *pf, const char *uid)
{
	size_t it, i;

	for (i = strmap_first(&pf->by_uid, uid, strlen(uid), &it);
	    i != STRMAP_NONE; i = strmap_next(&pf->by_uid, &it))
		if (strcmp(pf->items[i].uid, uid) == 0)
			return &pf->items[i];
	return NULL;
}

/* A VCALENDAR with the calendar's own properties and no component. */
static icalcomponent *
new_vcalendar(const struct calendar_params *p, int feed)
{
	icalcomponent *vcal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalproperty *prop;

	icalcomponent_add_property(vcal, icalproperty_new_prodid(p->prodid));
	icalcomponent_add_property(vcal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(vcal,
	    icalproperty_new_calscale("GREGORIAN"));
	if (!feed)
		return vcal;
	icalcomponent_add_property(vcal, icalproperty_new_name(CALENDAR_NAME));
	add_x(vcal, "X-WR-CALNAME", CALENDAR_NAME);
	prop = icalproperty_new_refreshinterval(
	    icaldurationtype_from_int(REFRESH_SECONDS));
	icalproperty_add_parameter(prop,
	    icalparameter_new_value(ICAL_VALUE_DURATION));
	icalcomponent_add_property(vcal, prop);
	add_x(vcal, "X-PUBLISHED-TTL", "PT1H");
	return vcal;
}

/* Add comp (now the feed's) to the feed and to the list of its items. */
static struct calendar_item *
record_item(struct builder *b, icalcomponent *comp, char *uid,
    const char *path, enum calendar_item_kind kind)
{
	struct calendar *cal = b->cal;
	struct calendar_item *item;
	icalcomponent *alone = new_vcalendar(b->p, 0);

	icalcomponent_add_component(alone, icalcomponent_new_clone(comp));
	GROW(cal->items, b->cap, cal->nitems + 1);
	item = &cal->items[cal->nitems++];
	memset(item, 0, sizeof(*item));
	item->kind = kind;
	item->uid = uid;
	item->path = xstrdup(path);
	item->resource = icalcomponent_as_ical_string_r(alone);
	if (item->resource == NULL)
		b->failed = 1;
	icalcomponent_free(alone);
	icalcomponent_add_component(b->vcal, comp);
	return item;
}

/*
 * Hash comp's content, then add what changes from run to run: the hash,
 * SEQUENCE, LAST-MODIFIED (from the previous feed when the content is
 * the same) and DTSTAMP. Then add comp to the feed and record the item.
 */
static void
finish_item(struct builder *b, icalcomponent *comp, char *uid,
    const char *path, enum calendar_item_kind kind)
{
	struct prev_item *prev = prev_find(&b->prev, uid);
	struct calendar *cal = b->cal;
	struct calendar_item *item;
	char *content, hex[17];
	unsigned long long hash;
	int sequence = 0;
	struct icaltimetype modified = ical_utc(b->p->now);

	if (prev != NULL)
		prev->taken = 1;
	content = icalcomponent_as_ical_string_r(comp);
	if (content == NULL)
		b->failed = 1;
	hash = content ? hash_fnv1a64(content, strlen(content)) : 0;
	free(content);
	if (prev != NULL && prev->has_hash && prev->hash == hash) {
		sequence = prev->sequence;
		if (!icaltime_is_null_time(prev->last_modified))
			modified = prev->last_modified;
	} else {
		if (prev != NULL)
			sequence = prev->sequence + 1;
		cal->nchanged++;
	}
	snprintf(hex, sizeof(hex), "%016llx", hash);
	add_x(comp, X_HASH, hex);
	icalcomponent_add_property(comp, icalproperty_new_sequence(sequence));
	icalcomponent_add_property(comp,
	    icalproperty_new_lastmodified(modified));
	icalcomponent_add_property(comp,
	    icalproperty_new_dtstamp(ical_utc(b->p->now)));

	item = record_item(b, comp, uid, path, kind);
	item->hash = hash;
	item->sequence = sequence;
}

static int
in_feed(const struct contact *c, int horizon_days)
{
	switch (c->state) {
	case STATE_COLD:
	case STATE_OVERDUE:
	case STATE_DUE:
		return 1;
	case STATE_OK:
		return -c->days_overdue <= horizon_days;
	default:
		return 0;
	}
}

static void
add_followup(struct builder *b, const struct contact *c)
{
	const struct calendar_params *p = b->p;
	const struct vault *v = &b->r->vault;
	int day = c->due > b->r->today ? c->due : b->r->today;
	icalcomponent *comp;
	char *uid, *summary, *text, *url;

	if (!fits_the_feed(b, c->path, 0, "the follow-up", day))
		return;
	comp = icalcomponent_new(p->todo ? ICAL_VTODO_COMPONENT :
	    ICAL_VEVENT_COMPONENT);
	uid = item_uid("", c->path);
	summary = feed_text("Follow up with ", c->name, "");
	text = followup_description(v, c, b->r->today);
	url = note_open_url(p->vault_name, c->path);

	icalcomponent_add_property(comp, icalproperty_new_uid(uid));
	icalcomponent_add_property(comp, icalproperty_new_summary(summary));
	if (p->todo) {
		icalcomponent_add_property(comp,
		    icalproperty_new_due(ical_date(day)));
		icalcomponent_add_property(comp,
		    icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
	} else {
		icalcomponent_add_property(comp,
		    icalproperty_new_dtstart(ical_date(day)));
		icalcomponent_add_property(comp,
		    icalproperty_new_dtend(ical_date(day + 1)));
		icalcomponent_add_property(comp,
		    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	}
	icalcomponent_add_property(comp, icalproperty_new_description(text));
	icalcomponent_add_property(comp, icalproperty_new_categories(
	    contact_state_name(c->state)));
	icalcomponent_add_property(comp, icalproperty_new_url(url));
	if (p->alarm >= 0)
		add_alarm(comp, p->alarm, p->todo, summary);
	free(summary);
	free(text);
	free(url);
	finish_item(b, comp, uid, c->path, ITEM_FOLLOWUP);
	b->cal->nfollowups++;
}

static void
add_birthday(struct builder *b, const struct contact *c)
{
	const struct note *note = &b->r->vault.notes[c->note];
	const struct note_person *person = note_person(note);
	const struct fm_date *bd = &person->birthday;
	const struct calendar_params *p = b->p;
	struct icalrecurrencetype rule;
	icalcomponent *comp;
	char *uid, *summary, *url, *text, *born, buf[DATE_BUFSZ];
	int day;

	if (!bd->present)
		return;
	if (bd->bad || person->birthday_month == 0)
		return;		/* the scan said so (contact.c) */
	/* Without a year: from 2000, a leap year, so that 02-29 exists. */
	day = bd->day != DATE_NONE ? bd->day :
	    date_from_ymd(2000, person->birthday_month, person->birthday_day);
	if (!fits_the_feed(b, note->path, bd->line, "the birthday", day))
		return;
	comp = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	uid = item_uid(KIND_BIRTHDAY, c->path);
	summary = feed_text("", c->name, "'s birthday");
	url = note_open_url(p->vault_name, c->path);
	born = bd->day != DATE_NONE ? xasprintf("Born %s\nNote: ",
	    date_format(bd->day, buf)) : xstrdup("Note: ");
	text = feed_text(born, c->path, "");
	free(born);
	icalcomponent_add_property(comp, icalproperty_new_uid(uid));
	icalcomponent_add_property(comp, icalproperty_new_summary(summary));
	icalcomponent_add_property(comp,
	    icalproperty_new_dtstart(ical_date(day)));
	icalcomponent_add_property(comp,
	    icalproperty_new_dtend(ical_date(day + 1)));
	icalrecurrencetype_clear(&rule);
	rule.freq = ICAL_YEARLY_RECURRENCE;
	if (person->birthday_month == 2 && person->birthday_day == 29) {
		/* The last day of February: the 28th when there is no 29th. */
		rule.by_month[0] = 2;
		rule.by_month_day[0] = -1;
	}
	icalcomponent_add_property(comp, icalproperty_new_rrule(rule));
	icalcomponent_add_property(comp,
	    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	icalcomponent_add_property(comp, icalproperty_new_description(text));
	icalcomponent_add_property(comp,
	    icalproperty_new_categories("birthday"));
	icalcomponent_add_property(comp, icalproperty_new_url(url));
	if (p->alarm >= 0)
		add_alarm(comp, p->alarm, 0, summary);
	free(summary);
	free(url);
	free(text);
	finish_item(b, comp, uid, c->path, ITEM_BIRTHDAY);
	b->cal->nbirthdays++;
}

/*
 * The UIDs of the items that notes would have (an item's UID is its
 * note's path, hashed), each with its note: the notes that had an error
 * this scan, or every note read when a folder could not be.
 */
struct note_uids {
	char **uids;
	const char **notes;	/* NULL: the note is a contact all the same */
	size_t n;
	struct strmap by_uid;
};

static void
note_uids_add(struct note_uids *u, const char *path)
{
	size_t k;

	u->uids = xrealloc(u->uids, (u->n + NKINDS) * sizeof(*u->uids));
	u->notes = xrealloc(u->notes, (u->n + NKINDS) * sizeof(*u->notes));
	for (k = 0; k < NKINDS; k++) {
		u->uids[u->n] = item_uid(item_kinds[k], path);
		u->notes[u->n++] = path;
	}
}

static void
note_uids_index(struct note_uids *u)
{
	size_t i;

	strmap_init(&u->by_uid);
	for (i = 0; i < u->n; i++)
		strmap_add(&u->by_uid, u->uids[i], strlen(u->uids[i]), i);
}

/* Which of u uid is: its index, or STRMAP_NONE. */
static size_t
note_uids_find(const struct note_uids *u, const char *uid)
{
	size_t at, i;

	for (i = strmap_first(&u->by_uid, uid, strlen(uid), &at);
	    i != STRMAP_NONE; i = strmap_next(&u->by_uid, &at))
		if (strcmp(u->uids[i], uid) == 0)
			return i;
	return STRMAP_NONE;
}

static void
note_uids_release(struct note_uids *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->uids[i]);
	free(u->uids);
	free(u->notes);
	strmap_release(&u->by_uid);
}

/*
 * The notes with an error this scan that are no contact: a note whose
 * error left it a contact (a bad task line, say) was read, and what the
 * scan says of it stands.
 */
static void
errored_notes(struct note_uids *u, const struct scan_result *r)
{
	size_t i, k, j;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];

		if (d->level == DIAG_ERROR && d->kind == DIAG_NOTE &&
		    d->path != NULL)
			note_uids_add(u, d->path);
	}
	note_uids_index(u);
	for (i = 0; u->n > 0 && i < r->contacts.n; i++)
		for (k = 0; k < NKINDS; k++) {
			char *uid = item_uid(item_kinds[k],
			    r->contacts.items[i].path);

			if ((j = note_uids_find(u, uid)) != STRMAP_NONE)
				u->notes[j] = NULL;
			free(uid);
		}
}

/*
 * Every note of the scan, when a folder could not be read (else none):
 * an item that none of them has may be of a note in that folder.
 */
static void
read_notes(struct note_uids *u, const struct vault *v)
{
	size_t i;

	memset(u, 0, sizeof(*u));
	for (i = 0; v->nunread_folders > 0 && i < v->nnotes; i++)
		note_uids_add(u, v->notes[i].path);
	note_uids_index(u);
}

/*
 * The note of an item of the previous feed that this scan has none of,
 * when that note could not be read, or had an error that left it no
 * contact this scan (the item is then kept as it was); "" when a folder
 * could not be read and no note read has the item's UID (its note may
 * be in that folder); NULL when the item is gone for good.
 */
static const char *
unread_note_of(const struct note_uids *errored, const struct note_uids *read,
    int folders_unread, const struct prev_item *it)
{
	size_t i = note_uids_find(errored, it->uid);

	if (i != STRMAP_NONE)
		return errored->notes[i];
	if (folders_unread && note_uids_find(read, it->uid) == STRMAP_NONE)
		return "";
	return NULL;
}

/*
 * Never take back what was published because part of the vault could
 * not be read: the previous feed's items of such notes go on as they
 * were, byte for byte, with a warning each.
 */
static void
keep_unread(struct builder *b)
{
	struct note_uids errored, read;
	int folders_unread = b->r->vault.nunread_folders > 0;
	size_t i, in_folders = 0;

	errored_notes(&errored, b->r);
	read_notes(&read, &b->r->vault);
	for (i = 0; i < b->prev.n; i++) {
		struct prev_item *it = &b->prev.items[i];
		struct calendar_item *item;
		const char *note, *summary;
		int birthday;

		if (it->taken || (note = unread_note_of(&errored, &read,
		    folders_unread, it)) == NULL)
			continue;
		birthday = is_birthday_uid(it->uid);
		item = record_item(b, icalcomponent_new_clone(it->comp),
		    xstrdup(it->uid), note, birthday ? ITEM_BIRTHDAY :
		    ITEM_FOLLOWUP);
		item->hash = it->hash;
		item->sequence = it->sequence;
		if (birthday)
			b->cal->nbirthdays++;
		else
			b->cal->nfollowups++;
		b->cal->nkept++;
		if (note[0] == '\0') {
			in_folders++;
			continue;
		}
		summary = icalcomponent_get_summary(it->comp);
		diag_warn(b->dl, DIAG_NOTE, note, 0, "it goes on once the "
		    "note can be read again", "\"%s\" is kept in the feed as "
		    "it was published: its note has an error this run",
		    summary ? summary : it->uid);
	}
	if (in_folders > 0)
		diag_warn(b->dl, DIAG_NOTE, NULL, 0, "they go on once every "
		    "folder can be read again", "%zu item%s of the feed kept "
		    "as published: a folder of the vault could not be read "
		    "(above), so whether their notes are still there is not "
		    "known", in_folders, plural(in_folders));
	note_uids_release(&errored);
	note_uids_release(&read);
}

/*
 * A vault that holds no contact where the feed had follow-ups is most
 * likely a folder not mounted or not synced yet: refused, unless asked.
 */
static int
emptied_by_mistake(struct builder *b)
{
	if (b->r->contacts.n > 0 || b->prev.nfollowups == 0 ||
	    b->p->allow_empty)
		return 0;
	diag_error(b->dl, DIAG_NO_VAULT, b->r->vault.root, 0, "is the "
	    "vault's folder mounted and synced? If the vault is meant to "
	    "hold no one now, pass --allow-empty once", "the vault holds no "
	    "contact, where the feed has %zu follow-up%s: the feed is left "
	    "as it was", b->prev.nfollowups, plural(b->prev.nfollowups));
	return 1;
}

int
calendar_build(struct calendar *cal, const struct scan_result *r,
    const struct calendar_params *p, struct diag_list *dl)
{
	struct builder b = { .r = r, .p = p, .cal = cal, .dl = dl };
	size_t i;

	memset(cal, 0, sizeof(*cal));
	icalerror_set_errors_are_fatal(0);
	prev_load(&b.prev, p->previous, p->previous_len);
	if (emptied_by_mistake(&b)) {
		prev_release(&b.prev);
		release_libical();
		return -1;
	}
	b.vcal = new_vcalendar(p, 1);
	for (i = 0; i < r->contacts.n; i++)
		if (in_feed(&r->contacts.items[i], p->horizon_days))
			add_followup(&b, &r->contacts.items[i]);
	for (i = 0; i < r->contacts.n; i++)
		add_birthday(&b, &r->contacts.items[i]);
	keep_unread(&b);
	cal->text = icalcomponent_as_ical_string_r(b.vcal);
	icalcomponent_free(b.vcal);
	prev_release(&b.prev);
	release_libical();
	if (cal->text == NULL || b.failed) {
		diag_error(dl, DIAG_CANT_WRITE, NULL, 0, "this is a bug in "
		    "followup: please report it", "libical could not write "
		    "the feed");
		calendar_release(cal);
		return -1;
	}
	cal->len = strlen(cal->text);
	return 0;
}

/* Count VEVENT and VTODO components and X-LIC-ERROR properties. */
static void
count_items(icalcomponent *comp, size_t *items, size_t *errors,
    const char **first_error)
{
	icalcomponent *child;
	icalproperty *prop;

	for (prop = icalcomponent_get_first_property(comp,
	    ICAL_XLICERROR_PROPERTY); prop != NULL;
	    prop = icalcomponent_get_next_property(comp,
	    ICAL_XLICERROR_PROPERTY)) {
		if (*errors == 0)
			*first_error = icalproperty_get_xlicerror(prop);
		(*errors)++;
	}
	for (child = icalcomponent_get_first_component(comp,
	    ICAL_ANY_COMPONENT); child != NULL;
	    child = icalcomponent_get_next_component(comp,
	    ICAL_ANY_COMPONENT)) {
		icalcomponent_kind kind = icalcomponent_isa(child);

		if (is_item(kind))
			(*items)++;
		count_items(child, items, errors, first_error);
	}
}

int
calendar_check(const char *text, size_t len, size_t items,
    struct diag_list *dl)
{
	icalcomponent *root;
	char *copy = xstrndup(text, len);
	const char *first = NULL;
	size_t found = 0, errors = 0;
	int rc = 0;

	icalerror_set_errors_are_fatal(0);
	root = icalparser_parse_string(copy);
	free(copy);
	if (root == NULL || icalcomponent_isa(root) !=
	    ICAL_VCALENDAR_COMPONENT) {
		diag_error(dl, DIAG_CANT_WRITE, NULL, 0, "this is a bug in "
		    "followup: please report it; the previous feed was left "
		    "as it was", "the feed does not parse back as one "
		    "VCALENDAR");
		rc = -1;
		goto out;
	}
	count_items(root, &found, &errors, &first);
	if (errors > 0 || found != items) {
		diag_error(dl, DIAG_CANT_WRITE, NULL, 0, "this is a bug in "
		    "followup: please report it; the previous feed was left "
		    "as it was", "the feed does not parse back: %zu of %zu "
		    "items, %zu error%s%s%s", found, items, errors,
		    plural(errors), first ? ": " : "",
		    first ? first : "");
		rc = -1;
	}
out:
	if (root != NULL)
		icalcomponent_free(root);
	release_libical();
	return rc;
}

/*
 * The next logical line of text[*pos..len), unfolded (RFC 5545 §3.1: a
 * line end followed by a space or a tab continues the line), into sb.
 * Returns 0 at the end of the text.
 */
static int
next_line(const char *text, size_t len, size_t *pos, struct strbuf *sb)
{
	size_t i = *pos;

	strbuf_reset(sb);
	if (i >= len)
		return 0;
	while (i < len) {
		size_t start = i, end;

		while (i < len && text[i] != '\n')
			i++;
		end = i;
		if (end > start && text[end - 1] == '\r')
			end--;
		strbuf_add(sb, text + start, end - start);
		if (i < len)
			i++;	/* the '\n' */
		if (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;	/* a folded line goes on */
		else
			break;
	}
	*pos = i;
	return 1;
}

static int
is_dtstamp(const struct strbuf *line)
{
	return line->len >= 8 && strncmp(line->buf, "DTSTAMP", 7) == 0 &&
	    (line->buf[7] == ':' || line->buf[7] == ';');
}

int
calendar_same(const char *a, size_t alen, const char *b, size_t blen)
{
	struct strbuf la = STRBUF_INIT, lb = STRBUF_INIT;
	size_t pa = 0, pb = 0;
	int more_a, more_b, same = 1;

	for (;;) {
		while ((more_a = next_line(a, alen, &pa, &la)) &&
		    is_dtstamp(&la))
			;
		while ((more_b = next_line(b, blen, &pb, &lb)) &&
		    is_dtstamp(&lb))
			;
		if (!more_a || !more_b) {
			same = !more_a && !more_b;
			break;
		}
		if (la.len != lb.len ||
		    (la.len > 0 && memcmp(la.buf, lb.buf, la.len) != 0)) {
			same = 0;
			break;
		}
	}
	strbuf_release(&la);
	strbuf_release(&lb);
	return same;
}

unsigned long long
calendar_content_hash(const char *text, size_t len)
{
	struct strbuf line = STRBUF_INIT;
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t pos = 0, i;

	while (next_line(text, len, &pos, &line)) {
		if (is_dtstamp(&line))
			continue;
		/* Each line and its end, so that lines cannot run together. */
		for (i = 0; i <= line.len; i++) {
			h ^= i < line.len ? (unsigned char)line.buf[i] : '\n';
			h *= 0x100000001b3ULL;
		}
	}
	strbuf_release(&line);
	return h;
}

int
calendar_is_ical(const char *text, size_t len)
{
	static const char begin[] = "BEGIN:VCALENDAR";
	size_t i = 0;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\r' || text[i] == '\n'))
		i++;
	return len - i >= sizeof(begin) - 1 &&
	    ascii_casecmp_n(text + i, sizeof(begin) - 1, begin,
	    sizeof(begin) - 1) == 0;
}

void
calendar_release(struct calendar *cal)
{
	size_t i;

	for (i = 0; i < cal->nitems; i++) {
		free(cal->items[i].uid);
		free(cal->items[i].path);
		free(cal->items[i].resource);
	}
	free(cal->items);
	free(cal->text);
	memset(cal, 0, sizeof(*cal));
}
