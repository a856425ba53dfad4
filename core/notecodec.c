/*
 * notecodec.c - the model as blobs for the scan cache (see notecodec.h).
 *
 * One table per struct: each row says where a field is (offsetof) and
 * what it is; encode_fields() and decode_fields() walk the tables. What
 * is not a field of one struct (a note's tasks and query blocks, which
 * the store keeps in arrays of the vault) is written by the few
 * functions after the tables.
 */
#include "notecodec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "model.h"
#include "store.h"
#include "task.h"
#include "util.h"
#include "version.h"

/*
 * Raise when what the parser extracts changes while the tables stay the
 * same (a cached note would otherwise keep the old reading).
 */
#define NOTECODEC_RULES 9

enum field_kind {
	FK_INT,			/* int (or an enum) */
	FK_U32,			/* uint32_t */
	FK_UCHAR,		/* unsigned char */
	FK_BITS,		/* a bit-field, through get and set */
	FK_STR,			/* const char *, NULL allowed */
	FK_TEXT,		/* const char *, its uint32_t length at aux */
	FK_NAMES,		/* const char **, its size_t count at aux */
	FK_NAMES32,		/* const char **, its uint32_t count at aux */
	FK_STRUCT,		/* a struct of table sub, in place */
	FK_OPTIONAL,		/* a pointer to a struct of table sub, or NULL */
	FK_ARRAY,		/* sub's structs; a pointer, its size_t count at aux */
	FK_SYMBOL,		/* char[4]: a task's status symbol, 1 to 4 bytes */
	FK_TASK_TEXT,		/* a task's text with its wikilinks record */
	FK_HEADING,		/* a task's heading: its text, kept once */
};

struct table;

struct field {
	const char *name;	/* the member's: part of the format's hash */
	enum field_kind kind;
	size_t offset;
	size_t aux;
	const struct table *sub;
	/*
	 * Integers: decoding refuses a value above max (0: any); a bit-field's
	 * max is what its width holds.
	 */
	unsigned max;
	uint32_t (*get)(const void *obj);
	void (*set)(void *obj, uint32_t value);
};

struct table {
	const char *name;
	size_t size;
	const struct field *fields;
	size_t nfields;
};

#define ROW(type, f, k) { #f, (k), offsetof(struct type, f) }
#define ENUM(type, f, k, last) \
	{ #f, (k), offsetof(struct type, f), .max = (last) }
#define COUNTED(type, f, k, n) \
	{ #f, (k), offsetof(struct type, f), offsetof(struct type, n) }
#define NESTED(type, f, k, t) \
	{ #f, (k), offsetof(struct type, f), .sub = &(t) }
#define ARRAY(type, f, n, t) { #f, FK_ARRAY, offsetof(struct type, f), \
	offsetof(struct type, n), &(t) }
#define BITS(type, f, width) { #f, FK_BITS, .max = (1u << (width)) - 1, \
	.get = get_##type##_##f, .set = set_##type##_##f }
#define TABLE(type, rows) { #type, sizeof(struct type), rows, \
	sizeof(rows) / sizeof(rows[0]) }

/* A bit-field has no address: a getter and a setter stand for it. */
#define BITS_ACCESS(type, f) \
static uint32_t get_##type##_##f(const void *obj) \
{ return ((const struct type *)obj)->f; } \
static void set_##type##_##f(void *obj, uint32_t v) \
{ ((struct type *)obj)->f = v; }

BITS_ACCESS(fm_date, line)
BITS_ACCESS(fm_date, present)
BITS_ACCESS(fm_date, bad)
BITS_ACCESS(fm_day, line)
BITS_ACCESS(fm_day, present)
BITS_ACCESS(fm_day, bad)
BITS_ACCESS(fm_cadence, line)
BITS_ACCESS(fm_cadence, present)
BITS_ACCESS(fm_cadence, bad)
BITS_ACCESS(task, line)

/* ------------------------------------------------------------ tables */

static const struct field fm_date_rows[] = {
	ROW(fm_date, raw, FK_STR),
	ROW(fm_date, day, FK_INT),
	BITS(fm_date, line, LINE_BITS),
	BITS(fm_date, present, 1),
	BITS(fm_date, bad, DATE_BAD_BITS),
};
static const struct table fm_date_table = TABLE(fm_date, fm_date_rows);

static const struct field fm_day_rows[] = {
	ROW(fm_day, day, FK_INT),
	BITS(fm_day, line, LINE_BITS),
	BITS(fm_day, present, 1),
	BITS(fm_day, bad, DATE_BAD_BITS),
};
static const struct table fm_day_table = TABLE(fm_day, fm_day_rows);

static const struct field fm_cadence_rows[] = {
	ROW(fm_cadence, raw, FK_STR),
	ROW(fm_cadence, days, FK_INT),
	BITS(fm_cadence, line, LINE_BITS),
	BITS(fm_cadence, present, 1),
	BITS(fm_cadence, bad, 1),
};
static const struct table fm_cadence_table =
    TABLE(fm_cadence, fm_cadence_rows);

static const struct field person_rows[] = {
	ROW(note_person, title, FK_STR),
	COUNTED(note_person, types, FK_NAMES, ntypes),
	COUNTED(note_person, tags, FK_NAMES, ntags),
	COUNTED(note_person, aliases, FK_NAMES, naliases),
	NESTED(note_person, last_contact, FK_STRUCT, fm_date_table),
	NESTED(note_person, created, FK_STRUCT, fm_date_table),
	NESTED(note_person, snooze_until, FK_STRUCT, fm_date_table),
	NESTED(note_person, birthday, FK_STRUCT, fm_date_table),
	ROW(note_person, birthday_month, FK_INT),
	ROW(note_person, birthday_day, FK_INT),
	NESTED(note_person, cadence, FK_STRUCT, fm_cadence_table),
};
static const struct table person_table = TABLE(note_person, person_rows);

/* A note's own fields; its path is the cache's key, its tasks follow. */
static const struct field note_rows[] = {
	ROW(note, flags, FK_U32),
	NESTED(note, person, FK_OPTIONAL, person_table),
	COUNTED(note, attendees, FK_NAMES32, nattendees),
	NESTED(note, date, FK_STRUCT, fm_day_table),
};
static const struct table note_table = TABLE(note, note_rows);

static const struct field task_more_rows[] = {
	ROW(task_more, scheduled, FK_INT),
	ROW(task_more, start, FK_INT),
	ROW(task_more, created, FK_INT),
	ROW(task_more, done, FK_INT),
	ROW(task_more, cancelled, FK_INT),
	ROW(task_more, recurrence, FK_STR),
	ROW(task_more, id, FK_STR),
	COUNTED(task_more, depends_on, FK_NAMES32, ndepends_on),
};
static const struct table task_more_table = TABLE(task_more, task_more_rows);

/* The status first: a reader that wants open tasks only reads no further. */
static const struct field task_rows[] = {
	ENUM(task, status, FK_UCHAR, TASK_STATUS_LAST),
	BITS(task, line, TASK_LINE_BITS),
	ROW(task, text, FK_TASK_TEXT),
	ROW(task, symbol, FK_SYMBOL),
	ROW(task, due, FK_INT),
	NESTED(task, more, FK_OPTIONAL, task_more_table),
	ROW(task, heading, FK_HEADING),
	ENUM(task, priority, FK_UCHAR, PRIORITY_LAST),
	ROW(task, flags, FK_UCHAR),
};
static const struct table task_table = TABLE(task, task_rows);

static const struct field filter_rows[] = {
	ENUM(query_filter, field, FK_UCHAR, QF_LAST),
	ROW(query_filter, negate, FK_UCHAR),
	COUNTED(query_filter, text, FK_TEXT, textlen),
	ENUM(query_filter, cmp, FK_UCHAR, QC_LAST),
	ROW(query_filter, date, FK_INT),
	ROW(query_filter, date_relative, FK_UCHAR),
	/* A status type, or a priority for QF_PRIORITY. */
	ENUM(query_filter, status, FK_UCHAR, 8),
	ROW(query_filter, phrase_a, FK_INT),
	ROW(query_filter, phrase_b, FK_INT),
	ROW(query_filter, phrase_kind, FK_UCHAR),
	ROW(query_filter, phrase_unit, FK_UCHAR),
	ENUM(query_filter, verb, FK_UCHAR, QV_LAST),
	ROW(query_filter, flags, FK_UCHAR),
	ENUM(query_filter, date_field, FK_UCHAR, QD_LAST),
	ROW(query_filter, op, FK_UCHAR),
	ROW(query_filter, top, FK_UCHAR),
};
static const struct table filter_table = TABLE(query_filter, filter_rows);

static const struct field node_rows[] = {
	ROW(query_node, arg, FK_U32),
	ENUM(query_node, op, FK_UCHAR, QN_LAST),
};
static const struct table node_table = TABLE(query_node, node_rows);

static const struct field sort_rows[] = {
	ENUM(query_sort, key, FK_UCHAR, QS_LAST),
	ROW(query_sort, reverse, FK_UCHAR),
};
static const struct table sort_table = TABLE(query_sort, sort_rows);

/* A block's note is the one it is decoded for. */
static const struct field group_rows[] = {
	ENUM(query_group, key, FK_UCHAR, QG_LAST),
	ROW(query_group, reverse, FK_UCHAR),
};
static const struct table group_table = TABLE(query_group, group_rows);

static const struct field query_rows[] = {
	ROW(query, line, FK_INT),
	ROW(query, end_line, FK_INT),
	ROW(query, limit, FK_INT),
	ROW(query, limit_groups, FK_INT),
	ROW(query, error, FK_STR),
	ARRAY(query, filters, nfilters, filter_table),
	ARRAY(query, nodes, nnodes, node_table),
	ARRAY(query, sorts, nsorts, sort_table),
	ARRAY(query, groups, ngroups, group_table),
};
static const struct table query_table = TABLE(query, query_rows);

/* A diag's path is the note's. */
static const struct field diag_rows[] = {
	ENUM(diag, level, FK_INT, DIAG_ERROR),
	ROW(diag, kind, FK_INT),
	ROW(diag, line, FK_INT),
	ROW(diag, message, FK_STR),
	ROW(diag, hint, FK_STR),
};
static const struct table diag_table = TABLE(diag, diag_rows);

static const struct table *const all_tables[] = {
	&fm_date_table, &fm_day_table, &fm_cadence_table, &person_table,
	&note_table, &task_more_table, &task_table, &filter_table, &node_table, &sort_table,
	&group_table, &query_table, &diag_table,
};

_Static_assert(sizeof(enum diag_level) == sizeof(int) &&
    sizeof(enum diag_kind) == sizeof(int), "FK_INT reads an enum as int");

/* ------------------------------------------------------------ the format */

const char *
notecodec_format(void)
{
	static char name[96];
	unsigned long long h = 0;
	struct strbuf sb = STRBUF_INIT;
	size_t i, k;

	if (name[0] != '\0')
		return name;
	for (i = 0; i < sizeof(all_tables) / sizeof(all_tables[0]); i++) {
		const struct table *t = all_tables[i];

		strbuf_addf(&sb, "%s %zu:", t->name, t->size);
		for (k = 0; k < t->nfields; k++) {
			const struct field *f = &t->fields[k];

			strbuf_addf(&sb, " %s/%d/%zu/%zu/%s/%u", f->name,
			    (int)f->kind, f->offset, f->aux, f->sub ?
			    f->sub->name : "", f->max);
		}
		strbuf_addch(&sb, '\n');
	}
	h = hash_fnv1a64(sb.buf, sb.len);
	strbuf_release(&sb);
	snprintf(name, sizeof(name), "notes %016llx rules %d followup %s", h,
	    NOTECODEC_RULES, FOLLOWUP_VERSION);
	return name;
}

/* ------------------------------------------------------------ writing */

/* v as the blob writes a number: four bytes, least significant first. */
static void
u32_to(char *p, uint32_t v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)(v >> 8 & 0xff);
	p[2] = (char)(v >> 16 & 0xff);
	p[3] = (char)(v >> 24 & 0xff);
}

static void
put_u32(struct strbuf *b, uint32_t v)
{
	char x[4];

	u32_to(x, v);
	strbuf_add(b, x, 4);
}

#define NULL_STR UINT32_MAX

static void
put_span(struct strbuf *b, const char *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	strbuf_add(b, s, n);
}

static void
put_str(struct strbuf *b, const char *s)
{
	if (s == NULL)
		put_u32(b, NULL_STR);
	else
		put_span(b, s, strlen(s));
}

static void
put_names(struct strbuf *b, const char *const *v, size_t n)
{
	size_t i;

	put_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		put_str(b, v[i]);
}

static void
put_task_text(struct strbuf *b, const struct task *t)
{
	size_t k, n = task_nlinks(t);

	put_str(b, t->text);
	put_u32(b, (uint32_t)n);
	for (k = 0; k < n; k++)
		put_str(b, task_link(t, k));
}

/* The field at offset off of obj, of type type. */
#define AT(obj, off, type) (*(type *)((char *)(obj) + (off)))
#define CAT(obj, off, type) (*(type const *)((const char *)(obj) + (off)))

static void encode_fields(struct strbuf *b, const struct vault *v,
    const struct table *t, const void *obj);

static void
encode_field(struct strbuf *b, const struct vault *v, const struct field *f,
    const void *obj)
{
	const void *sub;
	size_t i, n;

	switch (f->kind) {
	case FK_INT:
		put_u32(b, (uint32_t)CAT(obj, f->offset, int));
		break;
	case FK_U32:
		put_u32(b, CAT(obj, f->offset, uint32_t));
		break;
	case FK_UCHAR:
		put_u32(b, CAT(obj, f->offset, unsigned char));
		break;
	case FK_BITS:
		put_u32(b, f->get(obj));
		break;
	case FK_STR:
		put_str(b, CAT(obj, f->offset, const char *));
		break;
	case FK_TEXT:
		if (CAT(obj, f->offset, const char *) == NULL)
			put_u32(b, NULL_STR);
		else
			put_span(b, CAT(obj, f->offset, const char *),
			    CAT(obj, f->aux, uint32_t));
		break;
	case FK_NAMES:
		put_names(b, CAT(obj, f->offset, const char *const *),
		    CAT(obj, f->aux, size_t));
		break;
	case FK_NAMES32:
		put_names(b, CAT(obj, f->offset, const char *const *),
		    CAT(obj, f->aux, uint32_t));
		break;
	case FK_STRUCT:
		encode_fields(b, v, f->sub, (const char *)obj + f->offset);
		break;
	case FK_OPTIONAL:
		sub = CAT(obj, f->offset, const void *);
		put_u32(b, sub != NULL);
		if (sub != NULL)
			encode_fields(b, v, f->sub, sub);
		break;
	case FK_ARRAY:
		sub = CAT(obj, f->offset, const void *);
		n = CAT(obj, f->aux, size_t);
		put_u32(b, (uint32_t)n);
		for (i = 0; i < n; i++)
			encode_fields(b, v, f->sub, (const char *)sub +
			    i * f->sub->size);
		break;
	case FK_SYMBOL:
		n = strnlen((const char *)obj + f->offset, 4);
		put_span(b, (const char *)obj + f->offset, n);
		break;
	case FK_TASK_TEXT:
		put_task_text(b, obj);
		break;
	case FK_HEADING:
		put_str(b, task_heading(v, obj));
		break;
	}
}

static void
encode_fields(struct strbuf *b, const struct vault *v, const struct table *t,
    const void *obj)
{
	size_t k;

	for (k = 0; k < t->nfields; k++)
		encode_field(b, v, &t->fields[k], obj);
}

/* A task is its size, then its fields: a reader can step over it. */
static void
encode_task(struct strbuf *b, const struct vault *v, const struct task *t)
{
	size_t at = b->len;

	put_u32(b, 0);
	encode_fields(b, v, &task_table, t);
	u32_to(b->buf + at, (uint32_t)(b->len - at - 4));
}

static void
encode_note(struct strbuf *b, const struct vault *v, size_t index)
{
	const struct note *n = &v->notes[index];
	size_t i, first, nqueries = store_queries(v, index, &first);

	encode_fields(b, v, &note_table, n);
	put_u32(b, n->ntasks);
	for (i = 0; i < n->ntasks; i++)
		encode_task(b, v, &v->tasks[n->task_first + i]);
	put_u32(b, (uint32_t)nqueries);
	for (i = 0; i < nqueries; i++)
		encode_fields(b, v, &query_table, &v->queries[first + i]);
}

void
notecodec_encode(struct strbuf *b, const struct vault *v, size_t note_first,
    const struct diag_list *dl, size_t diag_first)
{
	size_t i;

	put_u32(b, (uint32_t)(v->nnotes - note_first));
	for (i = note_first; i < v->nnotes; i++)
		encode_note(b, v, i);
	put_u32(b, (uint32_t)(dl->n - diag_first));
	for (i = diag_first; i < dl->n; i++)
		encode_fields(b, v, &diag_table, &dl->items[i]);
}

/* ------------------------------------------------------------ reading */

#define NAMES_ON_STACK 16

struct reader {
	const unsigned char *p, *end;
	int bad;
	struct vault *v;
	/*
	 * Scratch for a list of names: most lists are short, and a blob is
	 * decoded per note, so they go on the stack until one is longer.
	 */
	const char **names;
	size_t capnames;
	const char *few[NAMES_ON_STACK];
	/* The last task's heading: the tasks under one come in a row. */
	const char *heading;
	size_t headinglen;
	uint32_t heading_id;
};

static uint32_t
u32_at(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint32_t
get_u32(struct reader *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	v = u32_at(r->p);
	r->p += 4;
	return v;
}

/* A count that cannot be larger than the bytes left: a guard on garbage. */
static uint32_t
get_count(struct reader *r)
{
	uint32_t n = get_u32(r);

	if (n > (size_t)(r->end - r->p)) {
		r->bad = 1;
		return 0;
	}
	return n;
}

/*
 * A string as it stands in the blob (not NUL-terminated): 1; 0 for a NULL
 * one (null_ok) or a damaged blob (r->bad).
 */
static int
get_span(struct reader *r, const char **s, size_t *n, int null_ok)
{
	uint32_t len = get_u32(r);

	*s = NULL;
	*n = 0;
	if (!r->bad && len == NULL_STR && null_ok)
		return 0;
	if (r->bad || len == NULL_STR || (size_t)(r->end - r->p) < len) {
		r->bad = 1;
		return 0;
	}
	*s = (const char *)r->p;
	*n = len;
	r->p += len;
	return 1;
}

static const char *
get_str(struct reader *r)
{
	const char *s;
	size_t n;

	if (!get_span(r, &s, &n, 1))
		return NULL;
	return arena_strndup(&r->v->arena, s, n);
}

/*
 * A list of names into r->names, each kept once in the vault as the scan
 * keeps it (store_name()). Returns how many.
 */
static size_t
get_names(struct reader *r)
{
	uint32_t count = get_count(r), i;
	const char *s;
	size_t n;

	if (count >= r->capnames) {
		if (r->names == r->few) {
			r->names = NULL;
			r->capnames = 0;
		}
		GROW(r->names, r->capnames, (size_t)count + 1);
	}
	for (i = 0; i < count && !r->bad; i++)
		if (get_span(r, &s, &n, 0))
			r->names[i] = store_name(r->v, s, n);
	return r->bad ? 0 : count;
}

static inline unsigned
get_bounded(struct reader *r, const struct field *f)
{
	uint32_t v = get_u32(r);

	if (f->max != 0 && v > f->max)
		r->bad = 1;
	return v;
}

static void
get_symbol(struct reader *r, char *symbol)
{
	const char *s;
	size_t n;

	if (!get_span(r, &s, &n, 0) || n == 0 || n > 4 ||
	    memchr(s, '\0', n) != NULL) {
		r->bad = 1;
		return;
	}
	memset(symbol, 0, 4);
	memcpy(symbol, s, n);
}

static void
get_task_text(struct reader *r, struct task *t)
{
	const char *text;
	size_t len, nlinks;

	get_span(r, &text, &len, 0);
	nlinks = get_names(r);
	if (r->bad)
		return;
	t->text = store_task_text(r->v, text, len, r->names, nlinks);
	t->has_links = nlinks > 0;
}

static void decode_fields(struct reader *r, const struct table *t,
    void *obj);

/* A heading's number in the vault, stored once for a run of tasks. */
static uint32_t
get_heading(struct reader *r, const char *s, size_t n)
{
	if (r->heading_id == 0 || n != r->headinglen ||
	    memcmp(s, r->heading, n) != 0) {
		r->heading = s;
		r->headinglen = n;
		r->heading_id = store_heading(r->v, s, n);
	}
	return r->heading_id;
}

static void *
get_struct_copy(struct reader *r, const struct table *t, size_t n)
{
	char *p = arena_alloc(&r->v->arena, (n ? n : 1) * t->size);
	size_t i;

	memset(p, 0, (n ? n : 1) * t->size);
	for (i = 0; i < n && !r->bad; i++)
		decode_fields(r, t, p + i * t->size);
	return p;
}

/* The fields that are more than a number (decode_fields() does those). */
static void
decode_field(struct reader *r, const struct field *f, void *obj)
{
	const char *s;
	size_t n;

	switch (f->kind) {
	case FK_INT:
	case FK_U32:
	case FK_UCHAR:
	case FK_BITS:
		BUG("decode_field: a number");
	case FK_STR:
		AT(obj, f->offset, const char *) = get_str(r);
		break;
	case FK_TEXT:
		get_span(r, &s, &n, 1);
		AT(obj, f->offset, const char *) = s ?
		    arena_strndup(&r->v->arena, s, n) : NULL;
		AT(obj, f->aux, uint32_t) = (uint32_t)n;
		break;
	case FK_NAMES:
		n = get_names(r);
		AT(obj, f->offset, const char **) = store_names(r->v,
		    r->names, n);
		AT(obj, f->aux, size_t) = n;
		break;
	case FK_NAMES32:
		n = get_names(r);
		AT(obj, f->offset, const char **) = store_names(r->v,
		    r->names, n);
		AT(obj, f->aux, uint32_t) = (uint32_t)n;
		break;
	case FK_STRUCT:
		decode_fields(r, f->sub, (char *)obj + f->offset);
		break;
	case FK_OPTIONAL:
		AT(obj, f->offset, void *) = get_u32(r) ?
		    get_struct_copy(r, f->sub, 1) : NULL;
		break;
	case FK_ARRAY:
		n = get_count(r);
		AT(obj, f->offset, void *) = get_struct_copy(r, f->sub, n);
		AT(obj, f->aux, size_t) = n;
		break;
	case FK_SYMBOL:
		get_symbol(r, (char *)obj + f->offset);
		break;
	case FK_TASK_TEXT:
		get_task_text(r, obj);
		break;
	case FK_HEADING:
		if (get_span(r, &s, &n, 1))
			AT(obj, f->offset, uint32_t) = get_heading(r, s, n);
		break;
	}
}

/* Numbers, most of a blob's fields, are read here without a call. */
static void
decode_fields(struct reader *r, const struct table *t, void *obj)
{
	size_t k;
	uint32_t v;

	for (k = 0; k < t->nfields && !r->bad; k++) {
		const struct field *f = &t->fields[k];

		switch (f->kind) {
		case FK_INT:
			AT(obj, f->offset, int) = (int)get_bounded(r, f);
			break;
		case FK_U32:
			AT(obj, f->offset, uint32_t) = get_bounded(r, f);
			break;
		case FK_UCHAR:
			v = get_bounded(r, f);
			r->bad |= v > 0xff;
			AT(obj, f->offset, unsigned char) = (unsigned char)v;
			break;
		case FK_BITS:
			/* max is the field's width: a wider value is damage. */
			f->set(obj, get_bounded(r, f));
			break;
		default:
			decode_field(r, f, obj);
		}
	}
}

/*
 * A task of note index; a closed one is stepped over when the vault
 * keeps open tasks only (its status is the first field).
 */
static void
decode_task(struct reader *r, size_t index)
{
	uint32_t size = get_count(r);
	const unsigned char *end = r->p + size;

	if (r->bad)
		return;
	if (r->v->open_tasks_only && size >= 4) {
		uint32_t status = u32_at(r->p);

		if (status <= TASK_STATUS_LAST &&
		    !task_status_is_open((enum task_status)status)) {
			r->p = end;
			return;
		}
	}
	decode_fields(r, &task_table, store_task(r->v, index));
	if (!r->bad && r->p != end)
		r->bad = 1;
}

static void
decode_note(struct reader *r, const char *relpath)
{
	size_t index = r->v->nnotes;
	uint32_t n, i;

	decode_fields(r, &note_table, store_note(r->v, relpath));
	n = get_count(r);
	for (i = 0; i < n && !r->bad; i++)
		decode_task(r, index);
	n = get_count(r);
	for (i = 0; i < n && !r->bad; i++) {
		struct query q = { .note = index };

		decode_fields(r, &query_table, &q);
		if (!r->bad)
			store_query(r->v, &q);
	}
}

static void
decode_diags(struct reader *r, const char *relpath, struct diag_list *dl)
{
	uint32_t n = get_count(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		struct diag d = { 0 };

		decode_fields(r, &diag_table, &d);
		if (!r->bad && d.message != NULL)
			diag_add(dl, d.level, d.kind, relpath, d.line, d.hint,
			    "%s", d.message);
	}
}

int
notecodec_decode(const void *blob, size_t len, struct vault *v,
    const char *relpath, struct diag_list *dl)
{
	struct reader r = { blob, (const unsigned char *)blob + len, 0, v,
		NULL, NAMES_ON_STACK, { NULL } };
	size_t nnotes = v->nnotes, ntasks = v->ntasks, nq = v->nqueries;
	size_t nheadings = v->nheadings;
	struct diag_list mine = DIAG_LIST_INIT;
	uint32_t n, i;

	r.names = r.few;
	n = get_count(&r);
	for (i = 0; i < n && !r.bad; i++)
		decode_note(&r, relpath);
	decode_diags(&r, relpath, &mine);
	if (r.names != r.few)
		free(r.names);
	if (r.bad || r.p != r.end) {
		store_truncate(v, nnotes, ntasks, nq, nheadings);
		diag_list_release(&mine);
		return -1;
	}
	if (mine.n > 0)
		diag_list_move(dl, &mine);
	return 0;
}
