/*
 * contact.c - contacts and the tasks that belong to them (see contact.h).
 */
#include "contact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "linkpath.h"
#include "note.h"
#include "select.h"
#include "store.h"
#include "strmap.h"
#include "task.h"
#include "util.h"

static const char *const state_names[STATE_COUNT] = {
	[STATE_SNOOZED] = "snoozed",
	[STATE_NEVER] = "never",
	[STATE_COLD] = "cold",
	[STATE_OVERDUE] = "overdue",
	[STATE_DUE] = "due",
	[STATE_OK] = "ok",
};

const char *
contact_state_name(enum contact_state st)
{
	if ((unsigned)st >= STATE_COUNT)
		BUG("contact state %d", (int)st);
	return state_names[st];
}

int
contact_state_parse(const char *name, size_t len)
{
	int i;

	for (i = 0; i < STATE_COUNT; i++)
		if (strlen(state_names[i]) == len &&
		    memcmp(state_names[i], name, len) == 0)
			return i;
	return -1;
}

/*
 * The tasks found for one contact so far, in the order found, repeats
 * too: each way a task belongs adds it (rules.md). Kept per contact,
 * not as (contact, task) pairs to sort, which at its peak took three
 * times the memory.
 */
struct found {
	uint32_t *tasks;
	size_t n, cap;
	size_t sorted;		/* tasks[0..sorted) are sorted, each once */
};

struct builder {
	const struct vault *v;
	const struct engine_rules *rules;
	int today;
	struct diag_list *dl;
	struct arena keys;	/* lowercased names for the map */
	struct strbuf lookup;	/* a lowercased link target; reused */
	struct strmap names;	/* titles and aliases: followup's own names */
	/* The notes a link to a contact might reach (index_notes()). */
	struct link_index notes;
	size_t *contact_of;	/* per note of the index: its contact or none */
	struct contact *contacts;
	size_t ncontacts, capcontacts;
	struct found *found;	/* per contact */
	int *meeting;		/* latest meeting day per contact */
};

static int
word_in(const char *const *list, size_t n, const char *word)
{
	size_t i, wl = strlen(word);

	if (wl > 0 && word[0] == '#') {
		word++;
		wl--;
	}
	for (i = 0; i < n; i++) {
		const char *s = list[i];

		if (s[0] == '#')
			s++;
		if (ascii_casecmp_n(s, strlen(s), word, wl) == 0)
			return 1;
	}
	return 0;
}

/*
 * Does the note carry tag or one nested under it? Obsidian's tag search
 * finds sub-tags (Tags.md, "Nested tags"): type/people selects
 * type/people/family.
 */
static int
tag_or_nested_in(const char *const *list, size_t n, const char *tag)
{
	size_t i, tl = strlen(tag);

	if (tl > 0 && tag[0] == '#') {
		tag++;
		tl--;
	}
	for (i = 0; i < n; i++) {
		const char *s = list[i];
		size_t sl;

		if (s[0] == '#')
			s++;
		sl = strlen(s);
		if (sl >= tl && ascii_casecmp_n(s, tl, tag, tl) == 0 &&
		    (sl == tl || s[tl] == '/'))
			return 1;
	}
	return 0;
}

int
contact_note_is_person(const struct note *note, const struct engine_rules *rules)
{
	const struct note_person *p = note->person;
	size_t i;

	/* Inline tags alone make a person of a note with no frontmatter. */
	if (p == NULL ||
	    (note->flags & (NOTE_FRONTMATTER_BAD | NOTE_FOLLOWUP_OFF)))
		return 0;
	for (i = 0; i < rules->ncontact_types; i++)
		if (word_in(p->types, p->ntypes, rules->contact_types[i]))
			return 1;
	for (i = 0; i < rules->ncontact_tags; i++)
		if (tag_or_nested_in(p->tags, p->ntags,
		    rules->contact_tags[i]))
			return 1;
	return 0;
}

const char *
contact_note_name(const struct note *note, size_t *len)
{
	const struct note_person *p = note_person(note);

	if (p->title != NULL) {
		*len = strlen(p->title);
		return p->title;
	}
	*len = note_stem_len(note);
	return note_filename(note);
}

static int
date_ok(struct builder *b, const struct note *note, const char *key,
    const struct fm_date *d)
{
	if (!d->present || !d->bad)
		return 1;
	note_bad_date(b->dl, note->path, key, (int)d->line, (int)d->bad,
	    d->raw, strlen(d->raw));
	return 0;
}

static int
cadence_ok(struct builder *b, const struct note *note)
{
	const struct fm_cadence *cad = &note_person(note)->cadence;

	if (!cad->present || !cad->bad)
		return 1;
	diag_error(b->dl, DIAG_NOTE, note->path, cad->line,
	    "write whole days above 0: 14, 14d or 2w; the contact is left "
	    "out until then",
	    "cadence \"%s\" is not a number of days above 0", cad->raw);
	return 0;
}

/*
 * A birthday that is not a date leaves the contact in, and out of the
 * feed: a warning from every command, so that check says it too.
 */
static void
birthday_ok(struct builder *b, const struct note *note)
{
	const struct note_person *p = note_person(note);
	const struct fm_date *bd = &p->birthday;

	if (bd->present && (bd->bad || p->birthday_month == 0))
		diag_warn(b->dl, DIAG_NOTE, note->path, bd->line,
		    "write YYYY-MM-DD, or --MM-DD without the year; the "
		    "birthday is left out of the feed",
		    "birthday \"%s\" is not a date", bd->raw ? bd->raw : "");
}

static int
valid_contact(struct builder *b, const struct note *note)
{
	const struct note_person *p = note_person(note);
	int ok = 1;

	birthday_ok(b, note);
	ok &= date_ok(b, note, "last_contact", &p->last_contact);
	ok &= date_ok(b, note, "created", &p->created);
	ok &= date_ok(b, note, "snooze_until", &p->snooze_until);
	ok &= cadence_ok(b, note);
	return ok;
}

static int
has_tag(const struct note *note, const char *tag)
{
	const struct note_person *p = note_person(note);

	return word_in(p->tags, p->ntags, tag);
}

static int
cadence_of(const struct note *note, const struct engine_rules *rules)
{
	size_t i;

	if (note_person(note)->cadence.present)
		return note_person(note)->cadence.days;
	for (i = 0; i < rules->ncadence_by_tag; i++)
		if (has_tag(note, rules->cadence_by_tag[i].tag))
			return rules->cadence_by_tag[i].days;
	return rules->cadence_days;
}

/* Put s[0..len), lowercased, in b->lookup. */
static void
lowercase_lookup(struct builder *b, const char *s, size_t len)
{
	size_t i;

	strbuf_reset(&b->lookup);
	strbuf_add(&b->lookup, s, len);
	for (i = 0; i < len; i++)
		if (b->lookup.buf[i] >= 'A' && b->lookup.buf[i] <= 'Z')
			b->lookup.buf[i] += 'a' - 'A';
}

static void
add_name(struct builder *b, const char *name, size_t len, size_t contact)
{
	const char *key;

	lowercase_lookup(b, name, len);
	/* A title is most often the file name: one copy of the key. */
	key = strmap_has(&b->names, b->lookup.buf, len) ? b->lookup.buf :
	    arena_strndup(&b->keys, b->lookup.buf, len);
	strmap_add(&b->names, key, len, contact);
}

static void
add_contact(struct builder *b, struct contact_set *set, size_t index)
{
	const struct note *note = &b->v->notes[index];
	const struct note_person *p = note_person(note);
	const char *name;
	struct contact *c;
	size_t len;

	GROW(b->contacts, b->capcontacts, b->ncontacts + 1);
	c = &b->contacts[b->ncontacts++];
	memset(c, 0, sizeof(*c));
	c->note = index;
	name = contact_note_name(note, &len);
	c->name = p->title ? p->title : arena_strndup(&set->names, name, len);
	c->path = note->path;
	c->cadence_days = cadence_of(note, b->rules);
	c->snooze_until = p->snooze_until.present ? p->snooze_until.day :
	    DATE_NONE;
	c->last_contact = DATE_NONE;
	c->source = SOURCE_NONE;
}

/*
 * The names followup itself lets a bare link call a contact by, when no
 * note has that name (docs/rules.md, "Links"): its name and aliases.
 */
static void
add_names(struct builder *b)
{
	size_t id, i;

	for (id = 0; id < b->ncontacts; id++) {
		const struct contact *c = &b->contacts[id];
		const struct note *note = &b->v->notes[c->note];
		const struct note_person *p = note_person(note);

		add_name(b, c->name, strlen(c->name), id);
		for (i = 0; i < p->naliases; i++)
			add_name(b, p->aliases[i], strlen(p->aliases[i]), id);
	}
}

/*
 * Every note a link can reach that matters to contacts, to resolve links
 * as Obsidian. A link reaches only notes of its base name, so those are
 * the notes named as a contact's note (one may be closer to the link
 * than the contact's), or as a contact's name or alias (a note of that
 * name keeps a bare link from calling the contact by name). No other
 * note can change where a link to a contact leads: left out, they cost
 * the index nothing (case folded as links fold it).
 */
static void
index_notes(struct builder *b)
{
	struct strmap linkable;	/* case folded: base name -> contact */
	size_t *indexed, n = 0, i, k, it;

	strmap_init_folded(&linkable);
	for (i = 0; i < b->ncontacts; i++) {
		const struct contact *c = &b->contacts[i];
		const struct note *note = &b->v->notes[c->note];
		const struct note_person *p = note_person(note);

		strmap_add(&linkable, note_filename(note), note_stem_len(note),
		    i);
		strmap_add(&linkable, c->name, strlen(c->name), i);
		for (k = 0; k < p->naliases; k++)
			strmap_add(&linkable, p->aliases[k],
			    strlen(p->aliases[k]), i);
	}
	indexed = xmalloc((b->v->nnotes ? b->v->nnotes : 1) *
	    sizeof(*indexed));
	for (i = 0; i < b->v->nnotes; i++)
		if (strmap_has(&linkable, note_filename(&b->v->notes[i]),
		    note_stem_len(&b->v->notes[i])))
			indexed[n++] = i;
	link_index_init(&b->notes);
	link_index_reserve(&b->notes, n);
	b->contact_of = xmalloc((n ? n : 1) * sizeof(*b->contact_of));
	for (i = 0; i < n; i++) {
		const struct note *note = &b->v->notes[indexed[i]];
		size_t c;

		link_index_add(&b->notes, note->path);
		b->contact_of[i] = LINK_NONE;
		/* The contact whose note this is, if any. */
		for (c = strmap_first(&linkable, note_filename(note),
		    note_stem_len(note), &it);
		    c != STRMAP_NONE; c = strmap_next(&linkable, &it))
			if (b->contacts[c].note == indexed[i])
				b->contact_of[i] = c;
	}
	free(indexed);
	strmap_release(&linkable);
}

static int
in_sorted(const uint32_t *a, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == x;
}

static void
add_pair(struct builder *b, size_t contact, size_t task)
{
	struct found *f = &b->found[contact];

	if (!task_is_open(&b->v->tasks[task]))
		return;
	/* A meeting's tasks are often a query's too: not kept twice. */
	if (in_sorted(f->tasks, f->sorted, (uint32_t)task))
		return;
	GROW(f->tasks, f->cap, f->n + 1);
	f->tasks[f->n++] = (uint32_t)task;
}

typedef void (*link_fn)(struct builder *b, size_t contact, void *arg);

/* Call fn for every contact a name or an alias (no file) calls target. */
static void
resolve_by_name(struct builder *b, const char *target, link_fn fn,
    void *arg)
{
	const char *hash = memchr(target, '#', strlen(target));
	size_t n = hash ? (size_t)(hash - target) : strlen(target);
	size_t it, c;

	trim_span(&target, &n);
	if (n >= 3 && ascii_casecmp_n(target + n - 3, 3, ".md", 3) == 0)
		n -= 3;
	if (n == 0)
		return;
	/* Every link and attendee is looked up: no copy of each kept. */
	lowercase_lookup(b, target, n);
	for (c = strmap_first(&b->names, b->lookup.buf, n, &it);
	    c != STRMAP_NONE;
	    c = strmap_next(&b->names, &it))
		fn(b, c, arg);
}

/*
 * Call fn for the contact whose note the link target, written in the
 * note at index source, points at (linkpath.h). A link that reaches no
 * note at all, written as a bare name, may still call a contact by its
 * name or an alias: followup's own rule, not Obsidian's.
 */
static void
resolve_link(struct builder *b, const char *target, size_t source,
    link_fn fn, void *arg)
{
	size_t n = strlen(target);
	size_t note = link_index_resolve(&b->notes, target, n,
	    b->v->notes[source].path);

	if (note != LINK_NONE) {
		if (b->contact_of[note] != LINK_NONE)
			fn(b, b->contact_of[note], arg);
		return;
	}
	if (linkpath_is_bare(target, n))
		resolve_by_name(b, target, fn, arg);
}

static void
link_task(struct builder *b, size_t contact, void *arg)
{
	add_pair(b, contact, *(size_t *)arg);
}

struct meeting {
	const struct note *note;
	size_t index;
	int dated;		/* its date counts toward last contact */
};

static void
link_meeting(struct builder *b, size_t contact, void *arg)
{
	const struct meeting *m = arg;
	size_t t;

	for (t = 0; t < m->note->ntasks; t++)
		add_pair(b, contact, m->note->task_first + t);
	if (m->dated && (b->meeting[contact] == DATE_NONE ||
	    m->note->date.day > b->meeting[contact]))
		b->meeting[contact] = m->note->date.day;
}

static void
associate_meetings(struct builder *b)
{
	const struct vault *v = b->v;
	size_t i, k;

	for (i = 0; i < v->nnotes; i++) {
		const struct note *note = &v->notes[i];
		struct meeting m = { note, i, 0 };

		if (note->nattendees == 0)
			continue;
		m.dated = note->date.present && !note->date.bad &&
		    note->date.day <= b->today;
		for (k = 0; k < note->nattendees; k++)
			resolve_link(b, note->attendees[k], i, link_meeting,
			    &m);
	}
}

static void
associate_links(struct builder *b)
{
	const struct vault *v = b->v;
	size_t t, k;

	for (t = 0; t < v->ntasks; t++)
		for (k = 0; k < task_nlinks(&v->tasks[t]); k++)
			resolve_link(b, task_link(&v->tasks[t], k),
			    v->tasks[t].note, link_task, &t);
}

struct query_owner {
	struct builder *b;
	size_t *contact_of;	/* per selected query: its contact */
};

static void
query_selected(void *arg, size_t i, size_t task)
{
	struct query_owner *o = arg;

	add_pair(o->b, o->contact_of[i], task);
}

/* Rules 1 and 2: the contact's own tasks, and what its queries select. */
static void
associate_own(struct builder *b)
{
	const struct vault *v = b->v;
	struct query_owner owner = { b, NULL };
	size_t *qs = NULL, nq = 0, cap = 0, capc = 0, c, t, q, first, n;

	for (c = 0; c < b->ncontacts; c++) {
		const struct note *note = &v->notes[b->contacts[c].note];

		for (t = 0; t < note->ntasks; t++)
			add_pair(b, c, note->task_first + t);
		n = store_queries(v, b->contacts[c].note, &first);
		for (q = 0; q < n; q++) {
			GROW(qs, cap, nq + 1);
			GROW(owner.contact_of, capc, nq + 1);
			qs[nq] = first + q;
			owner.contact_of[nq++] = c;
		}
	}
	query_select(v, qs, nq, b->today, query_selected, &owner);
	free(qs);
	free(owner.contact_of);
}

/*
 * Sort a contact's tasks. They come in a few ascending runs, one per way
 * a task belongs (own, query, link, meeting), so a merge of runs is close
 * to linear. scratch holds n.
 */
static void
sort_tasks(uint32_t *a, size_t n, uint32_t *scratch)
{
	size_t width, i;

	for (i = 1; i < n && a[i - 1] <= a[i]; i++)
		;
	if (i >= n)
		return;
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t mid = i + width < n ? i + width : n;
			size_t end = i + 2 * width < n ? i + 2 * width : n;
			size_t l = i, r = mid, o = i;

			while (l < mid && r < end)
				scratch[o++] = a[r] < a[l] ? a[r++] : a[l++];
			while (l < mid)
				scratch[o++] = a[l++];
			while (r < end)
				scratch[o++] = a[r++];
		}
		memcpy(a, scratch, n * sizeof(*a));
	}
}

/* Sort a[0..n) (with scratch for n) and keep each task once: the new n. */
static size_t
sort_unique(uint32_t *a, size_t n, uint32_t *scratch)
{
	size_t i, kept = 0;

	sort_tasks(a, n, scratch);
	for (i = 0; i < n; i++)
		if (kept == 0 || a[i] != a[kept - 1])
			a[kept++] = a[i];	/* kept never passes i */
	return kept;
}

/* A scratch array as long as the longest list, for sort_tasks(). */
static uint32_t *
sort_scratch(const struct builder *b)
{
	size_t c, longest = 1;

	for (c = 0; c < b->ncontacts; c++)
		if (b->found[c].n > longest)
			longest = b->found[c].n;
	return xmalloc(longest * sizeof(uint32_t));
}

/*
 * Sort each contact's tasks so far and keep each once: what comes later
 * is looked up in them (add_pair()) instead of piling up as repeats.
 */
static void
compact_found(struct builder *b)
{
	uint32_t *scratch = sort_scratch(b);
	size_t c;

	for (c = 0; c < b->ncontacts; c++) {
		struct found *f = &b->found[c];

		f->n = f->sorted = sort_unique(f->tasks, f->n, scratch);
	}
	free(scratch);
}

/*
 * Give each contact its tasks in path/line order (task order), each once,
 * the open ones only, and the earliest due date among them. The contact
 * takes over its list, cut to its size.
 */
static void
collect_items(struct builder *b)
{
	const struct vault *v = b->v;
	uint32_t *scratch = sort_scratch(b);
	size_t i, c;

	for (c = 0; c < b->ncontacts; c++) {
		struct contact *ct = &b->contacts[c];
		uint32_t *mine = b->found[c].tasks;
		size_t n = sort_unique(mine, b->found[c].n, scratch);

		for (i = 0; i < n; i++) {
			const struct task *t = &v->tasks[mine[i]];

			if (date_is_day(t->due) &&
			    (ct->earliest_item_due == DATE_NONE ||
			    t->due < ct->earliest_item_due))
				ct->earliest_item_due = t->due;
		}
		ct->nitems = n;
		ct->items = n ? xrealloc(mine, n * sizeof(*mine)) : NULL;
		if (n == 0)
			free(mine);
		b->found[c].tasks = NULL;
	}
	free(scratch);
}

/* ------------------------------------------------------------ last contact */

static int
frontmatter_date(const struct fm_date *d)
{
	return d->present ? d->day : DATE_NONE;
}

static int
last_contact_key(const struct builder *b, size_t c)
{
	return frontmatter_date(&note_person(
	    &b->v->notes[b->contacts[c].note])->last_contact);
}

static int
created_key(const struct builder *b, size_t c)
{
	return frontmatter_date(&note_person(
	    &b->v->notes[b->contacts[c].note])->created);
}

static int
latest_meeting(const struct builder *b, size_t c)
{
	return b->meeting[c];
}

/*
 * Where a last contact comes from (docs/rules.md, "Last contact"), in
 * order: a source's date is taken when no source before gave one, or,
 * for a source that moves the date on, when it is later (on a tie the
 * earlier source wins). A new source is a row and its date function.
 */
static const struct date_source {
	enum last_source id;
	const char *name;
	int moves_on;		/* a later date wins over the ones before */
	int (*date_of)(const struct builder *b, size_t contact);
} date_sources[] = {
	{ SOURCE_LAST_CONTACT, "last_contact", 0, last_contact_key },
	{ SOURCE_CREATED, "created", 0, created_key },
	{ SOURCE_MEETING, "meeting", 1, latest_meeting },
};

#define NSOURCES (sizeof(date_sources) / sizeof(date_sources[0]))

const char *
contact_source_name(enum last_source src)
{
	size_t i;

	if (src == SOURCE_NONE)
		return NULL;
	for (i = 0; i < NSOURCES; i++)
		if (date_sources[i].id == src)
			return date_sources[i].name;
	BUG("last contact source %d", (int)src);
}

static void
date_contacts(struct builder *b)
{
	size_t c, i;

	for (c = 0; c < b->ncontacts; c++) {
		struct contact *ct = &b->contacts[c];

		for (i = 0; i < NSOURCES; i++) {
			const struct date_source *src = &date_sources[i];
			int day = src->date_of(b, c);

			if (day == DATE_NONE || (ct->last_contact != DATE_NONE &&
			    !(src->moves_on && day > ct->last_contact)))
				continue;
			ct->last_contact = day;
			ct->source = src->id;
		}
	}
}

void
contact_build(struct contact_set *set, const struct vault *v,
    const struct engine_rules *rules, int today, struct diag_list *dl)
{
	struct builder b = { .v = v, .rules = rules, .today = today, .dl = dl,
		.lookup = STRBUF_INIT };
	size_t i;

	memset(set, 0, sizeof(*set));
	strmap_init(&b.names);
	for (i = 0; i < v->nnotes; i++)
		if (contact_note_is_person(&v->notes[i], rules) &&
		    valid_contact(&b, &v->notes[i]))
			add_contact(&b, set, i);
	b.meeting = xcalloc(b.ncontacts, sizeof(*b.meeting));
	b.found = xcalloc(b.ncontacts ? b.ncontacts : 1, sizeof(*b.found));
	for (i = 0; i < b.ncontacts; i++) {
		b.meeting[i] = DATE_NONE;
		b.contacts[i].earliest_item_due = DATE_NONE;
	}
	/* The queries' automaton is gone before the names' table comes. */
	associate_own(&b);
	compact_found(&b);
	add_names(&b);
	index_notes(&b);
	associate_links(&b);
	compact_found(&b);
	associate_meetings(&b);
	collect_items(&b);
	date_contacts(&b);

	set->items = b.contacts;
	set->n = b.ncontacts;
	free(b.found);
	free(b.meeting);
	strmap_release(&b.names);
	link_index_release(&b.notes);
	free(b.contact_of);
	arena_free(&b.keys);
	strbuf_release(&b.lookup);
}

void
contact_set_release(struct contact_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->items[i].items);
	free(set->items);
	arena_free(&set->names);
	memset(set, 0, sizeof(*set));
}
