/*
 * select.c - which tasks a query block selects (see select.h and
 * docs/rules.md, "Query blocks").
 */
#include "select.h"

#include <stdlib.h>
#include <string.h>

#include "acmatch.h"
#include "date.h"
#include "store.h"
#include "task.h"
#include "util.h"

static int
tags_contain(const struct task *t, const char *needle, size_t n)
{
	size_t pos = 0, textlen = strlen(t->text), len;
	const char *tag;

	while (task_next_tag(t->text, textlen, &pos, &tag, &len))
		if (ascii_contains(tag, len, needle, n))
			return 1;
	return 0;
}

static int
due_matches(const struct query_filter *f, const struct task *t, int today)
{
	int date = f->date_relative ? today + f->date : f->date;

	if (!date_is_day(t->due))
		return 0;
	switch ((enum query_cmp)f->cmp) {
	case QC_BEFORE:
		return t->due < date;
	case QC_AFTER:
		return t->due > date;
	case QC_ON:
		return t->due == date;
	case QC_ON_OR_BEFORE:
		return t->due <= date;
	case QC_ON_OR_AFTER:
		return t->due >= date;
	}
	BUG("query comparison %d", (int)f->cmp);
}

static int
filter_matches(const struct query_filter *f, const struct task *t,
    const struct note *tn, int today)
{
	const char *hay = NULL;
	size_t haylen = 0;
	int hit;

	switch ((enum query_field)f->field) {
	case QF_DONE:
		return (!task_is_open(t)) != f->negate;
	case QF_HAS_DUE:
		return (t->due != DATE_NONE) != f->negate;
	case QF_DUE:
		return due_matches(f, t, today);
	case QF_STATUS_TYPE:
		return ((int)task_status(t) == f->status) != f->negate;
	case QF_TAGS:
		return tags_contain(t, f->text, f->textlen) != f->negate;
	case QF_PATH:
		hay = tn->path;
		break;
	case QF_FOLDER:
		hay = note_folder(tn, &haylen);
		break;
	case QF_FILENAME:
		hay = note_filename(tn);
		break;
	case QF_DESCRIPTION:
		hay = t->text;
		break;
	}
	if (hay == NULL)
		BUG("query field %d", (int)f->field);
	if (haylen == 0)
		haylen = strlen(hay);
	hit = ascii_contains(hay, haylen, f->text, f->textlen);
	return hit != f->negate;
}

int
query_matches(const struct query *q, const struct task *t,
    const struct note *tn, int today)
{
	size_t i;

	for (i = 0; i < q->nfilters; i++)
		if (!filter_matches(&q->filters[i], t, tn, today))
			return 0;
	return 1;
}

/* The filter whose needle finds a query's candidate notes, or NULL. */
static const struct query_filter *
anchor_of(const struct query *q)
{
	size_t i;

	for (i = 0; i < q->nfilters; i++) {
		const struct query_filter *f = &q->filters[i];

		if (!f->negate && f->textlen > 0 && (f->field == QF_PATH ||
		    f->field == QF_FOLDER || f->field == QF_FILENAME))
			return f;
	}
	return NULL;
}

enum { FIELD_PATH, FIELD_FOLDER, FIELD_FILENAME, NFIELDS };

struct selection {
	const struct vault *v;
	const size_t *qs;
	int today;
	void (*fn)(void *arg, size_t i, size_t task);
	void *arg;
	size_t note;		/* the note being looked at */
	size_t *stamp;		/* per query: 1 + last note it was tried on */
};

/* A filter on the note's path, folder or file name: the same for its tasks. */
static int
is_note_filter(const struct query_filter *f)
{
	return f->field == QF_PATH || f->field == QF_FOLDER ||
	    f->field == QF_FILENAME;
}

/*
 * query_matches() in two steps: the filters on the note once per note,
 * then the others once per task. known is a filter already seen to hold
 * (the anchor the automaton found), or NULL.
 */
static void
try_query(const struct selection *sel, size_t i, size_t note,
    const struct query_filter *known)
{
	const struct vault *v = sel->v;
	const struct query *q = &v->queries[sel->qs[i]];
	const struct note *n = &v->notes[note];
	size_t t, k;

	for (k = 0; k < q->nfilters; k++)
		if (is_note_filter(&q->filters[k]) && &q->filters[k] != known &&
		    !filter_matches(&q->filters[k], NULL, n, sel->today))
			return;
	for (t = n->task_first; t < n->task_first + n->ntasks; t++) {
		for (k = 0; k < q->nfilters; k++)
			if (!is_note_filter(&q->filters[k]) &&
			    !filter_matches(&q->filters[k], &v->tasks[t], n,
			    sel->today))
				break;
		if (k == q->nfilters)
			sel->fn(sel->arg, i, t);
	}
}

static void
on_needle(void *arg, size_t i, size_t end)
{
	struct selection *sel = arg;

	(void)end;
	if (sel->stamp[i] == sel->note + 1)
		return;
	sel->stamp[i] = sel->note + 1;
	try_query(sel, i, sel->note, anchor_of(&sel->v->queries[sel->qs[i]]));
}

/*
 * The automata of one pass hold at most about this many states (28 bytes
 * each, with their share of the edges): a vault with tens of thousands
 * of query blocks is gone through in a few passes over the notes' paths
 * instead of holding one automaton for all of them.
 */
#define PASS_STATES 40000

static int
anchor_field(const struct query_filter *f)
{
	return f->field == QF_PATH ? FIELD_PATH : f->field == QF_FOLDER ?
	    FIELD_FOLDER : FIELD_FILENAME;
}

/*
 * Add the anchored queries from *next on to automata until they are
 * PASS_STATES big; *next is then the first query left for the next pass.
 */
static void
fill_automata(const struct selection *sel, size_t n, size_t *next,
    struct acm *by_field[NFIELDS])
{
	size_t states = 0, k;

	for (; *next < n && states < PASS_STATES; (*next)++) {
		const struct query_filter *f = anchor_of(
		    &sel->v->queries[sel->qs[*next]]);
		struct acm *m;

		if (f == NULL)
			continue;
		m = by_field[anchor_field(f)];
		if (m == NULL)
			m = by_field[anchor_field(f)] = acm_new();
		states -= acm_states(m);
		acm_add(m, f->text, f->textlen, *next);
		states += acm_states(m);
	}
	for (k = 0; k < NFIELDS; k++)
		if (by_field[k] != NULL)
			acm_build(by_field[k]);
}

/* One pass: the automata, and the unanchored[0..nun) queries, on every note. */
static void
select_pass(struct selection *sel, struct acm *const by_field[NFIELDS],
    const size_t *unanchored, size_t nun)
{
	const struct vault *v = sel->v;
	size_t note, k, i;

	for (note = 0; note < v->nnotes; note++) {
		const struct note *nt = &v->notes[note];
		size_t len[NFIELDS];
		const char *hay[NFIELDS];

		if (nt->ntasks == 0)
			continue;
		hay[FIELD_PATH] = nt->path;
		len[FIELD_PATH] = strlen(nt->path);
		hay[FIELD_FOLDER] = note_folder(nt, &len[FIELD_FOLDER]);
		hay[FIELD_FILENAME] = note_filename(nt);
		len[FIELD_FILENAME] = strlen(hay[FIELD_FILENAME]);
		sel->note = note;
		for (k = 0; k < NFIELDS; k++)
			if (by_field[k] != NULL)
				acm_scan(by_field[k], hay[k], len[k], on_needle,
				    sel);
		for (i = 0; i < nun; i++)
			try_query(sel, unanchored[i], note, NULL);
	}
}

void
query_select(const struct vault *v, const size_t *qs, size_t n, int today,
    void (*fn)(void *arg, size_t i, size_t task), void *arg)
{
	struct selection sel = { v, qs, today, fn, arg, 0, NULL };
	size_t *unanchored = xcalloc(n ? n : 1, sizeof(*unanchored));
	size_t nun = 0, i, k, next = 0;

	sel.stamp = xcalloc(n ? n : 1, sizeof(*sel.stamp));
	for (i = 0; i < n; i++)
		if (anchor_of(&v->queries[qs[i]]) == NULL)
			unanchored[nun++] = i;
	/* The unanchored queries go with the first pass. */
	do {
		struct acm *by_field[NFIELDS] = { NULL };

		fill_automata(&sel, n, &next, by_field);
		select_pass(&sel, by_field, unanchored, nun);
		nun = 0;
		for (k = 0; k < NFIELDS; k++)
			acm_free(by_field[k]);
	} while (next < n);
	free(unanchored);
	free(sel.stamp);
}
