/*
 * select.c - which tasks a query block selects (see select.h and
 * docs/rules.md, "Query blocks"): the fields of Tasks' src/Query/Filter,
 * the Boolean stack of BooleanField.ts, TaskDependency's blocked and
 * blocking, and Sort.ts' default order for `limit`.
 */
#include "select.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmatch.h"
#include "collate.h"
#include "date.h"
#include "datephrase.h"
#include "obsidian.h"
#include "regex.h"
#include "store.h"
#include "strmap.h"
#include "task.h"
#include "util.h"

struct regex_slot {
	const struct query_filter *f;
	struct regex *re;	/* NULL: does not compile (never matches) */
};

struct query_env {
	const struct vault *v;
	const struct obsidian_settings *st;
	int today;
	struct strbuf desc;	/* scratch: a task's description */
	int *stack;		/* the Boolean stack */
	size_t capstack;
	/* Compiled regexes by filter: open addressing, a power of two. */
	struct regex_slot *re;
	size_t capre, nre;
	/* The ids of open tasks, and the ids open tasks depend on. */
	int deps_built;
	struct strmap open_ids, open_deps;
};

struct query_env *
query_env_new(const struct vault *v, int today)
{
	struct query_env *e = xcalloc(1, sizeof(*e));

	e->v = v;
	e->st = vault_settings(v);
	e->today = today;
	return e;
}

void
query_env_free(struct query_env *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->capre; i++)
		regex_free(e->re[i].re);
	free(e->re);
	free(e->stack);
	strbuf_release(&e->desc);
	if (e->deps_built) {
		strmap_release(&e->open_ids);
		strmap_release(&e->open_deps);
	}
	free(e);
}

/* ------------------------------------------------------------ helpers */

static int
is_done(const struct task *t)
{
	/* Status.isCompleted(): DONE, CANCELLED and NON_TASK. */
	return t->status == TASK_DONE || t->status == TASK_CANCELLED ||
	    t->status == TASK_NON_TASK;
}

int
query_counts_closed(const struct query *q)
{
	size_t k;

	if (q->error != NULL || (q->limit < 0 && q->limit_groups < 0))
		return 0;
	for (k = 0; k < q->nfilters; k++)
		if (q->filters[k].top && q->filters[k].field == QF_DONE &&
		    q->filters[k].negate)
			return 0;
	return 1;
}

static size_t
ptr_hash(const void *p, size_t cap)
{
	uintptr_t x = (uintptr_t)p;

	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ull;
	return (size_t)(x >> 7) & (cap - 1);
}

static const struct regex *
regex_of(struct query_env *e, const struct query_filter *f)
{
	size_t i;

	if (e->nre * 2 >= e->capre) {
		struct regex_slot *old = e->re;
		size_t oldcap = e->capre, k;

		e->capre = oldcap ? oldcap * 2 : 16;
		e->re = xcalloc(e->capre, sizeof(*e->re));
		for (k = 0; k < oldcap; k++) {
			if (old[k].f == NULL)
				continue;
			for (i = ptr_hash(old[k].f, e->capre); e->re[i].f;
			    i = (i + 1) & (e->capre - 1))
				;
			e->re[i] = old[k];
		}
		free(old);
	}
	for (i = ptr_hash(f, e->capre); e->re[i].f != NULL;
	    i = (i + 1) & (e->capre - 1))
		if (e->re[i].f == f)
			return e->re[i].re;
	e->re[i].f = f;
	e->re[i].re = regex_compile(f->text, f->textlen, f->flags, NULL);
	e->nre++;
	return e->re[i].re;
}

static void
build_deps(struct query_env *e)
{
	const struct vault *v = e->v;
	size_t i, k;

	strmap_init(&e->open_ids);
	strmap_init(&e->open_deps);
	e->deps_built = 1;
	for (i = 0; i < v->ntasks; i++) {
		const struct task *t = &v->tasks[i];

		if (t->more == NULL || is_done(t))
			continue;
		if (t->more->id != NULL && t->more->id[0] != '\0')
			strmap_add(&e->open_ids, t->more->id,
			    strlen(t->more->id), i);
		for (k = 0; k < t->more->ndepends_on; k++)
			strmap_add(&e->open_deps, t->more->depends_on[k],
			    strlen(t->more->depends_on[k]), i);
	}
}

/* Task.isBlocked(): open, and depends on an open task's id. */
static int
is_blocked(struct query_env *e, const struct task *t)
{
	size_t k;

	if (t->more == NULL || t->more->ndepends_on == 0 || is_done(t))
		return 0;
	if (!e->deps_built)
		build_deps(e);
	for (k = 0; k < t->more->ndepends_on; k++)
		if (strmap_has(&e->open_ids, t->more->depends_on[k],
		    strlen(t->more->depends_on[k])))
			return 1;
	return 0;
}

/* Task.isBlocking(): open, with an id an open task depends on. */
static int
is_blocking(struct query_env *e, const struct task *t)
{
	if (t->more == NULL || t->more->id == NULL || t->more->id[0] == '\0' ||
	    is_done(t))
		return 0;
	if (!e->deps_built)
		build_deps(e);
	return strmap_has(&e->open_deps, t->more->id, strlen(t->more->id));
}

static int
task_date(const struct task *t, enum query_date d)
{
	const struct task_more *m = t->more;

	switch (d) {
	case QD_DUE:
		return t->due;
	case QD_SCHEDULED:
		return m ? m->scheduled : DATE_NONE;
	case QD_START:
		return m ? m->start : DATE_NONE;
	case QD_CREATED:
		return m ? m->created : DATE_NONE;
	case QD_DONE:
		return m ? m->done : DATE_NONE;
	case QD_CANCELLED:
		return m ? m->cancelled : DATE_NONE;
	case QD_HAPPENS:
		break;
	}
	BUG("date field %d", (int)d);
}

static int
date_matches(const struct query_filter *f, int day, int first, int last)
{
	if (day == DATE_NONE)
		/* StartDateField: a task with no start date matches. */
		return f->date_field == QD_START;
	if (day == DATE_INVALID)
		return 0;
	return date_op_matches((enum date_op)f->op, first, last, day);
}

static int
date_filter(const struct query_env *e, const struct query_filter *f,
    const struct task *t)
{
	static const enum query_date happens[] = {
		QD_START, QD_SCHEDULED, QD_DUE,
	};
	struct date_phrase ph = { f->phrase_a, f->phrase_b, f->phrase_kind,
		f->phrase_unit };
	int first, last;
	size_t i;

	date_phrase_resolve(&ph, e->today, &first, &last);
	if (f->date_field != QD_HAPPENS)
		return date_matches(f, task_date(t, f->date_field), first, last);
	/* HappensDateField: any of the three, missing ones never match. */
	for (i = 0; i < 3; i++) {
		int day = task_date(t, happens[i]);

		if (date_is_day(day) && date_op_matches((enum date_op)f->op,
		    first, last, day))
			return 1;
	}
	return 0;
}

static int
has_date(const struct query_filter *f, const struct task *t, int invalid)
{
	enum query_date d = f->date_field;
	int k;

	for (k = QD_DUE; k < QD_HAPPENS; k++) {
		int day;

		if (d != QD_HAPPENS ? (int)d != k : !(k == QD_DUE ||
		    k == QD_SCHEDULED || k == QD_START))
			continue;
		day = task_date(t, (enum query_date)k);
		if (invalid ? day == DATE_INVALID : day != DATE_NONE)
			return 1;
	}
	return 0;
}

static int
text_hit(struct query_env *e, const struct query_filter *f,
    const char *hay, size_t n)
{
	if (f->verb == QV_REGEX) {
		const struct regex *re = regex_of(e, f);

		return re != NULL && regex_matches(re, hay, n);
	}
	return ascii_contains(hay, n, f->text, f->textlen);
}

/* The global filter is not a tag to Tasks' tag filters. */
static int
is_global_filter(const struct query_env *e, const char *tag, size_t n)
{
	const char *g = e->st->global_filter;

	return g != NULL && strlen(g) == n && memcmp(g, tag, n) == 0;
}

static int
tags_hit(struct query_env *e, const struct query_filter *f,
    const struct task *t, size_t *count)
{
	size_t pos = 0, textlen = strlen(t->text), len;
	const char *tag;

	*count = 0;
	while (task_next_tag(t->text, textlen, &pos, &tag, &len)) {
		if (is_global_filter(e, tag, len))
			continue;
		++*count;
		if (f != NULL && text_hit(e, f, tag, len))
			return 1;
	}
	return 0;
}

static int
root_of(const struct note *tn, const char **s)
{
	const char *slash = strchr(tn->path, '/');

	if (slash == NULL) {
		*s = "/";
		return 1;
	}
	*s = tn->path;
	return (int)(slash - tn->path) + 1;
}

static int
priority_hit(const struct query_filter *f, const struct task *t)
{
	int a = task_priority_rank((enum task_priority)t->priority);
	int b = task_priority_rank((enum task_priority)f->status);

	return f->cmp == 1 ? a > b : f->cmp == 2 ? a < b : a == b;
}

/* A filter that looks only at the note: the same for all its tasks. */
static int
is_note_filter(const struct query_filter *f)
{
	return f->field == QF_PATH || f->field == QF_FOLDER ||
	    f->field == QF_FILENAME || f->field == QF_ROOT;
}

/* Does f hold? t may be NULL for a note filter. Negation last. */
static int
filter_hit(struct query_env *e, const struct query_filter *f,
    const struct task *t, const struct note *tn)
{
	const char *hay = NULL;
	size_t haylen = 0, count;
	const struct status_def *sd;

	switch ((enum query_field)f->field) {
	case QF_DONE:
		return is_done(t);
	case QF_HAS_DUE:
		return t->due != DATE_NONE;
	case QF_DUE:
		return 0;
	case QF_STATUS_TYPE:
		return t->status == f->status;
	case QF_TAGS:
		return tags_hit(e, f, t, &count);
	case QF_HAS_TAGS:
		tags_hit(e, NULL, t, &count);
		return count > 0;
	case QF_RECURRING:
		return t->more != NULL && t->more->recurrence != NULL;
	case QF_SUB_ITEMS:
		return !(t->flags & TASK_SUB_ITEM);
	case QF_HAS_ID:
		return t->more != NULL && t->more->id != NULL &&
		    t->more->id[0] != '\0';
	case QF_HAS_DEPENDS:
		return t->more != NULL && t->more->ndepends_on > 0;
	case QF_BLOCKED:
		return is_blocked(e, t);
	case QF_BLOCKING:
		return is_blocking(e, t);
	case QF_PRIORITY:
		return priority_hit(f, t);
	case QF_DATE:
		return date_filter(e, f, t);
	case QF_HAS_DATE:
		return has_date(f, t, 0);
	case QF_DATE_INVALID:
		return has_date(f, t, 1);
	case QF_NOTHING:
		return 0;
	case QF_PATH:
		hay = tn->path;
		break;
	case QF_FOLDER:
		hay = note_folder(tn, &haylen);
		break;
	case QF_FILENAME:
		hay = note_filename(tn);
		break;
	case QF_ROOT:
		haylen = (size_t)root_of(tn, &hay);
		break;
	case QF_DESCRIPTION:
		task_description(t, e->st, 1, &e->desc);
		hay = strbuf_str(&e->desc);
		haylen = e->desc.len;
		if (haylen == 0)
			hay = "";
		return text_hit(e, f, hay, haylen);
	case QF_HEADING:
		hay = task_heading(e->v, t);
		if (hay == NULL)
			hay = "";
		break;
	case QF_STATUS_NAME:
		sd = obsidian_status(e->st, t->symbol, strnlen(t->symbol,
		    sizeof(t->symbol)));
		hay = sd->name;
		break;
	case QF_RECURRENCE:
		hay = t->more && t->more->recurrence ? t->more->recurrence : "";
		break;
	case QF_ID:
		hay = t->more && t->more->id ? t->more->id : "";
		break;
	}
	if (hay == NULL)
		BUG("query field %d", (int)f->field);
	if (haylen == 0)
		haylen = strlen(hay);
	return text_hit(e, f, hay, haylen);
}

static int
filter_matches(struct query_env *e, const struct query_filter *f,
    const struct task *t, const struct note *tn)
{
	return filter_hit(e, f, t, tn) != f->negate;
}

/*
 * The block's postfix expression on t. With note_checked, its top-level
 * note filters are known to hold already.
 */
/*
 * The commonest block is filters that must each hold: they are tried in
 * turn, and the first that fails ends it. -1 when q is not just that.
 */
static int
eval_conjunction(struct query_env *e, const struct query *q,
    const struct task *t, const struct note *tn, int note_checked)
{
	size_t k;

	for (k = 0; k < q->nfilters; k++)
		if (!q->filters[k].top)
			return -1;
	for (k = 0; k < q->nfilters; k++) {
		const struct query_filter *f = &q->filters[k];

		if (note_checked && is_note_filter(f))
			continue;
		if (!filter_matches(e, f, t, tn))
			return 0;
	}
	return 1;
}

static int
eval(struct query_env *e, const struct query *q, const struct task *t,
    const struct note *tn, int note_checked)
{
	size_t i, sp = 0;
	int all;

	if (q->error != NULL)
		return 0;
	if (q->nnodes == 0)
		return 1;
	if (q->nnodes == 2 * q->nfilters - 1 &&
	    (all = eval_conjunction(e, q, t, tn, note_checked)) >= 0)
		return all;
	GROW(e->stack, e->capstack, q->nnodes);
	for (i = 0; i < q->nnodes; i++) {
		const struct query_node *nd = &q->nodes[i];
		const struct query_filter *f;

		switch ((enum query_node_op)nd->op) {
		case QN_FILTER:
			f = &q->filters[nd->arg];
			e->stack[sp++] = note_checked && f->top &&
			    is_note_filter(f) ? 1 : filter_matches(e, f, t, tn);
			break;
		case QN_NOT:
			if (sp < 1)
				return 0;
			e->stack[sp - 1] = !e->stack[sp - 1];
			break;
		case QN_AND:
		case QN_OR:
		case QN_XOR:
			if (sp < 2)
				return 0;
			sp--;
			e->stack[sp - 1] = nd->op == QN_AND ?
			    e->stack[sp - 1] && e->stack[sp] : nd->op == QN_OR ?
			    e->stack[sp - 1] || e->stack[sp] :
			    e->stack[sp - 1] != e->stack[sp];
			break;
		}
	}
	/* A damaged expression (a cache row gone wrong) selects nothing. */
	return sp == 1 && e->stack[0];
}

int
query_matches(struct query_env *e, const struct query *q,
    const struct task *t, const struct note *tn)
{
	return eval(e, q, t, tn, 0);
}

/* ------------------------------------------------------------ selection */

/* The filter whose needle finds a query's candidate notes, or NULL. */
static const struct query_filter *
anchor_of(const struct query *q)
{
	size_t i;

	if (q->error != NULL)
		return NULL;
	for (i = 0; i < q->nfilters; i++) {
		const struct query_filter *f = &q->filters[i];

		if (f->top && !f->negate && f->verb == QV_INCLUDES &&
		    f->textlen > 0 && (f->field == QF_PATH ||
		    f->field == QF_FOLDER || f->field == QF_FILENAME))
			return f;
	}
	return NULL;
}

enum { FIELD_PATH, FIELD_FOLDER, FIELD_FILENAME, NFIELDS };

struct selection {
	const struct vault *v;
	const size_t *qs;
	struct query_env *env;
	void (*fn)(void *arg, size_t i, size_t task);
	void *arg;
	size_t note;		/* the note being looked at */
	size_t *stamp;		/* per query: 1 + last note it was tried on */
	const struct query_filter **anchor;	/* per query: anchor_of() */
	/* Per query with a limit: its selected tasks, sorted at the end. */
	size_t **held;
	size_t *nheld, *capheld;
};

static void
selected(struct selection *sel, size_t i, size_t t)
{
	if (sel->v->queries[sel->qs[i]].limit < 0) {
		sel->fn(sel->arg, i, t);
		return;
	}
	GROW(sel->held[i], sel->capheld[i], sel->nheld[i] + 1);
	sel->held[i][sel->nheld[i]++] = t;
}

/*
 * query_matches() in two steps: the top-level note filters once per
 * note, then the expression once per task. known is a filter already
 * seen to hold (the anchor the automaton found), or NULL.
 */
static void
try_query(struct selection *sel, size_t i, size_t note,
    const struct query_filter *known)
{
	const struct vault *v = sel->v;
	const struct query *q = &v->queries[sel->qs[i]];
	const struct note *n = &v->notes[note];
	size_t t, k;

	if (q->error != NULL)
		return;
	for (k = 0; k < q->nfilters; k++) {
		const struct query_filter *f = &q->filters[k];

		if (f->top && is_note_filter(f) && f != known &&
		    !filter_matches(sel->env, f, NULL, n))
			return;
	}
	for (t = n->task_first; t < n->task_first + n->ntasks; t++)
		if (eval(sel->env, q, &v->tasks[t], n, 1))
			selected(sel, i, t);
}

static void
on_needle(void *arg, size_t i, size_t end)
{
	struct selection *sel = arg;

	(void)end;
	if (sel->stamp[i] == sel->note + 1)
		return;
	sel->stamp[i] = sel->note + 1;
	try_query(sel, i, sel->note, sel->anchor[i]);
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
		const struct query_filter *f = sel->anchor[*next];
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

/* ------------------------------------------------------------ limit */

struct sort_ctx {
	const struct vault *v;
	int today;
	const struct query *q;	/* its `sort by` lines come first */
	struct query_env *env;
	struct strbuf da, db;	/* scratch: two descriptions */
};

static struct sort_ctx *sort_ctx;	/* qsort has no argument */

/* StatusTypeField's group names: In Progress, Todo, On Hold, Done... */
static int
status_rank(const struct task *t)
{
	static const int rank[] = {
		[TASK_IN_PROGRESS] = 1, [TASK_TODO] = 2, [TASK_ON_HOLD] = 3,
		[TASK_DONE] = 4, [TASK_CANCELLED] = 5, [TASK_NON_TASK] = 6,
	};

	return t->status <= TASK_STATUS_LAST ? rank[t->status] : 7;
}

/* Urgency.ts, on day today. */
static double
urgency(const struct task *t, int today)
{
	double u = 0;
	int sch = t->more ? t->more->scheduled : DATE_NONE;
	int st = t->more ? t->more->start : DATE_NONE;

	if (date_is_day(t->due)) {
		double over = (double)today - t->due;

		/* 21 days mapped to 0.2 - 1.0 */
		u += 12.0 * (over >= 7 ? 1.0 : over >= -14 ?
		    (over + 14.0) * 0.8 / 21.0 + 0.2 : 0.2);
	}
	if (date_is_day(sch) && today >= sch)
		u += 5.0;
	if (date_is_day(st) && today < st)
		u -= 3.0;
	switch ((enum task_priority)t->priority) {
	case PRIORITY_HIGHEST:
		u += 1.5 * 6.0;
		break;
	case PRIORITY_HIGH:
		u += 1.0 * 6.0;
		break;
	case PRIORITY_MEDIUM:
		u += 0.65 * 6.0;
		break;
	case PRIORITY_NONE:
		u += 0.325 * 6.0;
		break;
	case PRIORITY_LOW:
		break;
	case PRIORITY_LOWEST:
		u -= 0.3 * 6.0;
		break;
	}
	return u;
}

/* DateTools' compareByDate(): a date first, then an invalid one, none last. */
static int
by_date(int a, int b)
{
	int ka = a == DATE_NONE ? 2 : a == DATE_INVALID;
	int kb = b == DATE_NONE ? 2 : b == DATE_INVALID;

	if (ka != kb)
		return ka - kb;
	if (ka != 0 || a == b)
		return 0;
	return a < b ? -1 : 1;
}

/* HappensDateField.earliestDate(): the earliest of start, scheduled, due. */
static int
happens_date(const struct task *t)
{
	static const enum query_date d[] = { QD_START, QD_SCHEDULED, QD_DUE };
	int best = DATE_NONE, k;

	for (k = 0; k < 3; k++) {
		int day = task_date(t, d[k]);

		if (date_is_day(day) && (best == DATE_NONE || day < best))
			best = day;
	}
	return best;
}

static int
by_text(const char *a, const char *b)
{
	return collate_compare(a, strlen(a), b, strlen(b));
}

static int
by_key(struct sort_ctx *sc, enum query_sort_key key, const struct task *a,
    const struct task *b)
{
	const struct vault *v = sc->v;
	double ua, ub;
	const char *ha, *hb;

	switch (key) {
	case QS_STATUS:
		return is_done(a) - is_done(b);
	case QS_STATUS_TYPE:
		return status_rank(a) - status_rank(b);
	case QS_URGENCY:
		ua = urgency(a, sc->today);
		ub = urgency(b, sc->today);
		return ua > ub ? -1 : ua < ub;
	case QS_PRIORITY:
		return task_priority_rank((enum task_priority)b->priority) -
		    task_priority_rank((enum task_priority)a->priority);
	case QS_DUE:
		return by_date(a->due, b->due);
	case QS_SCHEDULED:
		return by_date(task_date(a, QD_SCHEDULED),
		    task_date(b, QD_SCHEDULED));
	case QS_START:
		return by_date(task_date(a, QD_START), task_date(b, QD_START));
	case QS_CREATED:
		return by_date(task_date(a, QD_CREATED),
		    task_date(b, QD_CREATED));
	case QS_DONE:
		return by_date(task_date(a, QD_DONE), task_date(b, QD_DONE));
	case QS_CANCELLED:
		return by_date(task_date(a, QD_CANCELLED),
		    task_date(b, QD_CANCELLED));
	case QS_HAPPENS:
		return by_date(happens_date(a), happens_date(b));
	case QS_PATH:
		return by_text(v->notes[a->note].path, v->notes[b->note].path);
	case QS_FILENAME:
		return by_text(note_filename(&v->notes[a->note]),
		    note_filename(&v->notes[b->note]));
	case QS_DESCRIPTION:
		task_description(a, sc->env->st, 1, &sc->da);
		task_description(b, sc->env->st, 1, &sc->db);
		return by_text(strbuf_str(&sc->da), strbuf_str(&sc->db));
	case QS_HEADING:
		ha = task_heading(v, a);
		hb = task_heading(v, b);
		return by_text(ha ? ha : "", hb ? hb : "");
	}
	return 0;
}

/* The block's sort lines, then Sort.ts' defaultSorters(), then the vault's order. */
static int
default_order(const void *pa, const void *pb)
{
	static const enum query_sort_key defaults[] = {
		QS_STATUS_TYPE, QS_URGENCY, QS_DUE, QS_PRIORITY, QS_PATH,
	};
	struct sort_ctx *sc = sort_ctx;
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb, k;
	const struct task *a = &sc->v->tasks[ia], *b = &sc->v->tasks[ib];
	int c;

	for (k = 0; k < sc->q->nsorts; k++) {
		c = by_key(sc, (enum query_sort_key)sc->q->sorts[k].key, a, b);
		if (c != 0)
			return sc->q->sorts[k].reverse ? -c : c;
	}
	for (k = 0; k < sizeof(defaults) / sizeof(defaults[0]); k++)
		if ((c = by_key(sc, defaults[k], a, b)) != 0)
			return c;
	return ia < ib ? -1 : ia > ib;
}

static int
vault_order(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	return a < b ? -1 : a > b;
}

static void
sort_with(struct query_env *env, const struct vault *v, const struct query *q,
    int today, size_t *tasks, size_t n)
{
	struct sort_ctx ctx = { v, today, q, env, STRBUF_INIT, STRBUF_INIT };

	sort_ctx = &ctx;
	qsort(tasks, n, sizeof(size_t), default_order);
	sort_ctx = NULL;
	strbuf_release(&ctx.da);
	strbuf_release(&ctx.db);
}

void
query_sort(const struct vault *v, const struct query *q, int today,
    size_t *tasks, size_t n)
{
	struct query_env *env;

	if (n < 2)
		return;
	env = query_env_new(v, today);
	sort_with(env, v, q, today, tasks, n);
	query_env_free(env);
}

/* ------------------------------------------------------------ groups */

/* A task's names under one grouper: one, but for its tags. */
struct names {
	const char **v;
	size_t n, cap;
};

static void
add_name(struct names *nm, const char *s)
{
	GROW(nm->v, nm->cap, nm->n + 1);
	nm->v[nm->n++] = s;
}

/* TextField.escapeMarkdownCharacters(): \ and _ escaped. */
static const char *
escaped(struct arena *a, const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '_')
			strbuf_addch(&sb, '\\');
		strbuf_addch(&sb, s[i]);
	}
	out = arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	return out;
}

/*
 * DateField's grouper() for date key (QG_DUE ... QG_HAPPENS, in the order
 * of QD_DUE ... QD_HAPPENS): "2026-01-05 Monday", or what says there is
 * none.
 */
static const char *
date_group(struct arena *a, enum query_group_key key, const struct task *t)
{
	static const char *const weekdays[] = {
		"Thursday", "Friday", "Saturday", "Sunday", "Monday",
		"Tuesday", "Wednesday",
	};
	static const char *const fields[] = {
		"due", "scheduled", "start", "created", "done", "cancelled",
		"happens",
	};
	enum query_date d = (enum query_date)(QD_DUE + (key - QG_DUE));
	const char *field = fields[key - QG_DUE];
	int day = d == QD_HAPPENS ? happens_date(t) : task_date(t, d);
	char buf[DATE_BUFSZ], name[64];

	if (day == DATE_NONE)
		snprintf(name, sizeof(name), "No %s date", field);
	else if (day == DATE_INVALID)
		snprintf(name, sizeof(name), "%%%%0%%%% Invalid %s date", field);
	else
		snprintf(name, sizeof(name), "%s %s", date_format(day, buf),
		    weekdays[((day % 7) + 7) % 7]);
	return arena_strdup(a, name);
}

_Static_assert(QG_HAPPENS - QG_DUE == QD_HAPPENS - QD_DUE &&
    QG_CANCELLED - QG_DUE == QD_CANCELLED - QD_DUE,
    "date_group() maps the group keys onto the dates in order");

/* Status.typeGroupText: "%%2%%TODO". */
static const char *
status_type_group(struct arena *a, const struct task *t)
{
	char name[32];
	const char *type = task_status_name((enum task_status)t->status);
	size_t i, k = (size_t)snprintf(name, sizeof(name), "%%%%%d%%%%",
	    status_rank(t));

	for (i = 0; type[i] != '\0' && k + 1 < sizeof(name); i++)
		name[k++] = (char)toupper((unsigned char)type[i]);
	name[k] = '\0';
	return arena_strdup(a, name);
}

/* Task.priorityNameGroupText: "%%0%%Highest priority" ... "%%5%%Lowest". */
static const char *
priority_group(const struct task *t)
{
	static const char *const names[] = {
		[PRIORITY_HIGHEST] = "%%0%%Highest priority",
		[PRIORITY_HIGH] = "%%1%%High priority",
		[PRIORITY_MEDIUM] = "%%2%%Medium priority",
		[PRIORITY_NONE] = "%%3%%Normal priority",
		[PRIORITY_LOW] = "%%4%%Low priority",
		[PRIORITY_LOWEST] = "%%5%%Lowest priority",
	};

	return t->priority <= PRIORITY_LAST ? names[t->priority] : names[0];
}

/* The file name without ".md", as ListItem.filename reads it. */
static size_t
stem(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".md") == 0 ? n - 3 : n;
}

static void
tag_groups(struct query_env *e, struct arena *a, const struct task *t,
    struct names *out)
{
	size_t pos = 0, textlen = strlen(t->text), len, before = out->n;
	const char *tag;

	while (task_next_tag(t->text, textlen, &pos, &tag, &len))
		if (!is_global_filter(e, tag, len))
			add_name(out, arena_strndup(a, tag, len));
	if (out->n == before)
		add_name(out, "(No tags)");
}

/* The names the grouper key gives task t (the fields' grouper()s). */
static void
group_names(struct query_env *e, struct arena *a, enum query_group_key key,
    const struct task *t, struct names *out)
{
	const struct vault *v = e->v;
	const struct note *tn = &v->notes[t->note];
	const char *s, *h = task_heading(v, t), *fname = note_filename(tn);
	char buf[64];
	size_t n;

	switch (key) {
	case QG_STATUS:
		add_name(out, is_done(t) ? "Done" : "Todo");
		return;
	case QG_STATUS_NAME:
		s = obsidian_status(e->st, t->symbol, strnlen(t->symbol,
		    sizeof(t->symbol)))->name;
		add_name(out, s != NULL ? s : "");
		return;
	case QG_STATUS_TYPE:
		add_name(out, status_type_group(a, t));
		return;
	case QG_PRIORITY:
		add_name(out, priority_group(t));
		return;
	case QG_URGENCY:
		snprintf(buf, sizeof(buf), "%.2f", urgency(t, e->today));
		add_name(out, arena_strdup(a, strcmp(buf, "-0.00") ? buf :
		    "0.00"));
		return;
	case QG_DUE:
	case QG_SCHEDULED:
	case QG_START:
	case QG_CREATED:
	case QG_DONE:
	case QG_CANCELLED:
	case QG_HAPPENS:
		add_name(out, date_group(a, key, t));
		return;
	case QG_PATH:
		/* task.path.replace('.md', ''): the first ".md" anywhere. */
		s = strstr(tn->path, ".md");
		if (s == NULL) {
			add_name(out, escaped(a, tn->path, strlen(tn->path)));
			return;
		}
		{
			struct strbuf sb = STRBUF_INIT;

			strbuf_add(&sb, tn->path, (size_t)(s - tn->path));
			strbuf_adds(&sb, s + 3);
			add_name(out, escaped(a, sb.buf, sb.len));
			strbuf_release(&sb);
		}
		return;
	case QG_FOLDER:
		s = note_folder(tn, &n);
		add_name(out, escaped(a, s, n));
		return;
	case QG_ROOT:
		n = (size_t)root_of(tn, &s);
		add_name(out, escaped(a, s, n));
		return;
	case QG_FILENAME:
	case QG_BACKLINK:
		if (stem(fname) == strlen(fname)) {
			add_name(out, "Unknown Location");
			return;
		}
		{
			struct strbuf sb = STRBUF_INIT;

			strbuf_adds(&sb, "[[");
			strbuf_add(&sb, fname, stem(fname));
			if (key == QG_BACKLINK && h != NULL) {
				strbuf_addch(&sb, '#');
				strbuf_adds(&sb, h);
				strbuf_addch(&sb, '|');
				strbuf_add(&sb, fname, stem(fname));
				strbuf_adds(&sb, " > ");
				strbuf_adds(&sb, h);
			}
			strbuf_adds(&sb, "]]");
			add_name(out, arena_strndup(a, sb.buf, sb.len));
			strbuf_release(&sb);
		}
		return;
	case QG_HEADING:
		add_name(out, h != NULL && *h != '\0' ? h : "(No heading)");
		return;
	case QG_TAGS:
		tag_groups(e, a, t, out);
		return;
	case QG_RECURRING:
		add_name(out, t->more && t->more->recurrence ? "Recurring" :
		    "Not Recurring");
		return;
	case QG_RECURRENCE:
		add_name(out, t->more && t->more->recurrence ?
		    t->more->recurrence : "None");
		return;
	case QG_ID:
		add_name(out, t->more && t->more->id ? t->more->id : "");
		return;
	}
	BUG("group key %d", (int)key);
}

/* A task under one group: its names, one per grouper. */
struct grouped {
	const char **names;
	size_t pos;		/* in the sorted selection */
};

static const struct query *group_query;	/* qsort has no argument */

/* TaskGroups.sortTaskGroups(): name by name, in ICU order. */
static int
group_order(const void *pa, const void *pb)
{
	const struct grouped *a = pa, *b = pb;
	size_t k;

	for (k = 0; k < group_query->ngroups; k++) {
		const char *x = a->names[k], *y = b->names[k];
		int c = collate_compare(x, strlen(x), y, strlen(y));
		int reverse = group_query->groups[k].reverse;

		/* Urgency's groups go from the most urgent (UrgencyField). */
		if (group_query->groups[k].key == QG_URGENCY)
			reverse = !reverse;
		if (c == 0)
			c = strcmp(x, y);	/* two groups, not one */
		if (c != 0)
			return reverse ? -c : c;
	}
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static int
same_group(const struct query *q, const struct grouped *a,
    const struct grouped *b)
{
	size_t k;

	for (k = 0; k < q->ngroups; k++)
		if (strcmp(a->names[k], b->names[k]) != 0)
			return 0;
	return 1;
}

/*
 * TaskGroupingTree: a task goes under every combination of its names
 * (tags make several); appended to *all.
 */
static void
add_combinations(struct arena *a, const struct query *q,
    struct names *levels, size_t pos, struct grouped **all, size_t *n,
    size_t *cap)
{
	size_t total = 1, c, k;

	for (k = 0; k < q->ngroups; k++)
		total *= levels[k].n;
	for (c = 0; c < total; c++) {
		size_t rest = c;

		GROW(*all, *cap, *n + 1);
		(*all)[*n].pos = pos;
		(*all)[*n].names = arena_alloc(a, q->ngroups *
		    sizeof(*(*all)[*n].names));
		for (k = q->ngroups; k-- > 0;) {
			(*all)[*n].names[k] = levels[k].v[rest % levels[k].n];
			rest /= levels[k].n;
		}
		(*n)++;
	}
}

size_t
query_group(const struct vault *v, const struct query *q, int today,
    size_t *tasks, size_t n)
{
	struct query_env *env;
	struct arena a = { 0 };
	struct names *levels;
	struct grouped *all = NULL;
	size_t nall = 0, capall = 0, i, k, kept = 0, in_group = 0;
	size_t *order;
	unsigned char *seen;

	if (q->ngroups == 0 || n == 0)
		return n;
	env = query_env_new(v, today);
	levels = xcalloc(q->ngroups, sizeof(*levels));
	for (i = 0; i < n; i++) {
		for (k = 0; k < q->ngroups; k++) {
			levels[k].n = 0;
			group_names(env, &a, (enum query_group_key)
			    q->groups[k].key, &v->tasks[tasks[i]], &levels[k]);
		}
		add_combinations(&a, q, levels, i, &all, &nall, &capall);
	}
	group_query = q;
	qsort(all, nall, sizeof(*all), group_order);
	group_query = NULL;
	/* Each group's first limit_groups tasks; a task once, at its first. */
	order = xcalloc(n, sizeof(*order));
	seen = xcalloc(n, 1);
	for (i = 0; i < nall; i++) {
		if (i == 0 || !same_group(q, &all[i - 1], &all[i]))
			in_group = 0;
		if (q->limit_groups >= 0 &&
		    in_group++ >= (size_t)q->limit_groups)
			continue;
		if (seen[all[i].pos])
			continue;
		seen[all[i].pos] = 1;
		order[kept++] = tasks[all[i].pos];
	}
	memcpy(tasks, order, kept * sizeof(*tasks));
	free(order);
	free(seen);
	for (k = 0; k < q->ngroups; k++)
		free(levels[k].v);
	free(levels);
	free(all);
	arena_free(&a);
	query_env_free(env);
	return kept;
}

static void
flush_limited(struct selection *sel, size_t n, int today)
{
	size_t i, k, keep;

	for (i = 0; i < n; i++) {
		const struct query *q = &sel->v->queries[sel->qs[i]];

		if (q->limit < 0 || sel->nheld[i] == 0)
			continue;
		sort_with(sel->env, sel->v, q, today, sel->held[i],
		    sel->nheld[i]);
		keep = sel->nheld[i] < (size_t)q->limit ? sel->nheld[i] :
		    (size_t)q->limit;
		/* What is kept is given in the vault's order, like the rest. */
		qsort(sel->held[i], keep, sizeof(size_t), vault_order);
		for (k = 0; k < keep; k++)
			sel->fn(sel->arg, i, sel->held[i][k]);
		free(sel->held[i]);
	}
}

void
query_select(const struct vault *v, const size_t *qs, size_t n, int today,
    void (*fn)(void *arg, size_t i, size_t task), void *arg)
{
	struct selection sel = { 0 };
	size_t *unanchored = xcalloc(n ? n : 1, sizeof(*unanchored));
	size_t nun = 0, i, k, next = 0;

	sel.v = v;
	sel.qs = qs;
	sel.env = query_env_new(v, today);
	sel.fn = fn;
	sel.arg = arg;
	sel.stamp = xcalloc(n ? n : 1, sizeof(*sel.stamp));
	sel.held = xcalloc(n ? n : 1, sizeof(*sel.held));
	sel.nheld = xcalloc(n ? n : 1, sizeof(*sel.nheld));
	sel.capheld = xcalloc(n ? n : 1, sizeof(*sel.capheld));
	sel.anchor = xcalloc(n ? n : 1, sizeof(*sel.anchor));
	for (i = 0; i < n; i++) {
		sel.anchor[i] = anchor_of(&v->queries[qs[i]]);
		if (v->queries[qs[i]].error == NULL && sel.anchor[i] == NULL)
			unanchored[nun++] = i;
	}
	/* The unanchored queries go with the first pass. */
	do {
		struct acm *by_field[NFIELDS] = { NULL };

		fill_automata(&sel, n, &next, by_field);
		select_pass(&sel, by_field, unanchored, nun);
		nun = 0;
		for (k = 0; k < NFIELDS; k++)
			acm_free(by_field[k]);
	} while (next < n);
	flush_limited(&sel, n, today);
	query_env_free(sel.env);
	free(sel.held);
	free(sel.nheld);
	free(sel.capheld);
	free(unanchored);
	free(sel.anchor);
	free(sel.stamp);
}
