/*
 * query.c - the ```tasks query blocks of Obsidian Tasks (see query.h and
 * docs/rules.md, "Query blocks").
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "acmatch.h"
#include "date.h"
#include "diag.h"
#include "note.h"
#include "task.h"
#include "util.h"
#include "vault.h"

static const char *const presentation[] = {
	"sort by ", "group by ", "limit ", "hide ", "show ",
};
static const char *const presentation_words[] = {
	"explain", "short mode", "short", "full mode", "full",
};

struct placeholder {
	const char *name;
	const char *value;
};

/* Does s (n bytes) start with word, case-insensitively? */
static int
starts(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && ascii_casecmp_n(s, w, word, w) == 0;
}

static int
equals(const char *s, size_t n, const char *word)
{
	return ascii_casecmp_n(s, n, word, strlen(word)) == 0;
}

static int
is_presentation(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(presentation) / sizeof(presentation[0]); i++)
		if (starts(s, n, presentation[i]))
			return 1;
	for (i = 0; i < sizeof(presentation_words) /
	    sizeof(presentation_words[0]); i++)
		if (equals(s, n, presentation_words[i]))
			return 1;
	return 0;
}

static void
expand_placeholders(struct strbuf *out, const char *s, size_t n,
    const struct placeholder *ph, size_t nph)
{
	size_t i = 0, k;

	while (i < n) {
		int done = 0;

		for (k = 0; k < nph && s[i] == '{'; k++) {
			size_t len = strlen(ph[k].name);

			if (n - i >= len && memcmp(s + i, ph[k].name, len) == 0) {
				strbuf_adds(out, ph[k].value);
				i += len;
				done = 1;
				break;
			}
		}
		if (!done)
			strbuf_addch(out, s[i++]);
	}
}

static int
parse_number(const char *s, size_t n, int *value)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 6)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value = (int)v;
	return 0;
}

/* "2026-01-10", "today", "in 3 days", "2 days ago", ... */
static int
parse_when(const char *s, size_t n, struct query_filter *f)
{
	int days;
	size_t sp;

	trim_span(&s, &n);
	f->date_relative = 1;
	if (equals(s, n, "today")) {
		f->date = 0;
		return 0;
	}
	if (equals(s, n, "tomorrow")) {
		f->date = 1;
		return 0;
	}
	if (equals(s, n, "yesterday")) {
		f->date = -1;
		return 0;
	}
	if (starts(s, n, "in ")) {
		s += 3;
		n -= 3;
		for (sp = 0; sp < n && s[sp] != ' '; sp++)
			;
		if (parse_number(s, sp, &days) == 0 &&
		    (equals(s + sp, n - sp, " days") ||
		    equals(s + sp, n - sp, " day"))) {
			f->date = days;
			return 0;
		}
		return -1;
	}
	for (sp = 0; sp < n && s[sp] != ' '; sp++)
		;
	if (sp < n && parse_number(s, sp, &days) == 0 &&
	    (equals(s + sp, n - sp, " days ago") ||
	    equals(s + sp, n - sp, " day ago"))) {
		f->date = -days;
		return 0;
	}
	f->date_relative = 0;
	return date_parse_exact(s, n, &f->date) == DATE_OK ? 0 : -1;
}

static int
parse_due(const char *s, size_t n, struct query_filter *f)
{
	static const struct {
		const char *word;
		enum query_cmp cmp;
	} cmps[] = {
		{ "on or before ", QC_ON_OR_BEFORE },
		{ "on or after ", QC_ON_OR_AFTER },
		{ "before ", QC_BEFORE },
		{ "after ", QC_AFTER },
		{ "on ", QC_ON },
	};
	size_t i;

	f->field = QF_DUE;
	for (i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		size_t w = strlen(cmps[i].word);

		if (starts(s, n, cmps[i].word)) {
			f->cmp = cmps[i].cmp;
			return parse_when(s + w, n - w, f);
		}
	}
	return -1;
}

static int
parse_status_type(const char *s, size_t n, struct query_filter *f)
{
	static const struct {
		const char *word;
		enum task_status status;
	} types[] = {
		{ "TODO", TASK_TODO },
		{ "IN_PROGRESS", TASK_IN_PROGRESS },
		{ "DONE", TASK_DONE },
		{ "CANCELLED", TASK_CANCELLED },
	};
	size_t i;

	f->field = QF_STATUS_TYPE;
	if (starts(s, n, "not ")) {
		f->negate = 1;
		s += 4;
		n -= 4;
	}
	trim_span(&s, &n);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (equals(s, n, types[i].word)) {
			f->status = (int)types[i].status;
			return 0;
		}
	return -1;
}

static int
parse_includes(struct arena *a, const char *s, size_t n,
    struct query_filter *f)
{
	static const struct {
		const char *word;
		int negate;
	} verbs[] = {
		{ "includes ", 0 }, { "include ", 0 },
		{ "does not include ", 1 }, { "do not include ", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		size_t w = strlen(verbs[i].word);

		if (!starts(s, n, verbs[i].word))
			continue;
		s += w;
		n -= w;
		trim_span(&s, &n);
		if (f->field == QF_TAGS && n > 0 && s[0] == '#') {
			s++;
			n--;
		}
		f->negate = verbs[i].negate;
		f->text = arena_strndup(a, s, n);
		f->textlen = (uint32_t)n;
		return 0;
	}
	return -1;
}

static int
parse_filter(struct arena *a, const char *s, size_t n,
    struct query_filter *f)
{
	static const struct {
		const char *word;
		enum query_field field;
	} fields[] = {
		{ "path ", QF_PATH }, { "folder ", QF_FOLDER },
		{ "filename ", QF_FILENAME }, { "description ", QF_DESCRIPTION },
		{ "tags ", QF_TAGS }, { "tag ", QF_TAGS },
	};
	size_t i;

	memset(f, 0, sizeof(*f));
	if (equals(s, n, "done") || equals(s, n, "not done")) {
		f->field = QF_DONE;
		f->negate = n > 4;
		return 0;
	}
	if (equals(s, n, "has due date") || equals(s, n, "no due date")) {
		f->field = QF_HAS_DUE;
		f->negate = starts(s, n, "no ");
		return 0;
	}
	if (starts(s, n, "due "))
		return parse_due(s + 4, n - 4, f);
	if (starts(s, n, "status.type is "))
		return parse_status_type(s + 15, n - 15, f);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t w = strlen(fields[i].word);

		if (starts(s, n, fields[i].word)) {
			f->field = fields[i].field;
			return parse_includes(a, s + w, n - w, f);
		}
	}
	return -1;
}

int
query_parse(struct arena *a, const char *path, size_t note, int fence_line,
    const struct query_line *lines, size_t nlines, struct query *q,
    struct diag_list *dl)
{
	const char *slash = strrchr(path, '/');
	const char *first = strchr(path, '/');
	char *folder = slash ? xstrndup(path, (size_t)(slash - path) + 1)
	    : xstrdup("/");
	char *root = first ? xstrndup(path, (size_t)(first - path) + 1)
	    : xstrdup("/");
	struct placeholder ph[] = {
		{ "{{query.file.path}}", path },
		{ "{{query.file.folder}}", folder },
		{ "{{query.file.filename}}", slash ? slash + 1 : path },
		{ "{{query.file.root}}", root },
	};
	struct query_filter *filters = NULL;
	size_t nfilters = 0, cap = 0, i;
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	for (i = 0; i < nlines; i++) {
		const char *s = lines[i].text;
		size_t n = lines[i].len;

		trim_span(&s, &n);
		if (n == 0 || s[0] == '#' || is_presentation(s, n))
			continue;
		strbuf_reset(&sb);
		expand_placeholders(&sb, s, n, ph, sizeof(ph) / sizeof(ph[0]));
		GROW(filters, cap, nfilters + 1);
		if (parse_filter(a, strbuf_str(&sb), sb.len,
		    &filters[nfilters]) != 0) {
			diag_warn(dl, DIAG_NOTE, path, lines[i].line,
			    "followup reads done, not done, path/folder/"
			    "filename/description includes, tags include, "
			    "has/no due date, due before/after/on DATE and "
			    "status.type is; it does not guess the rest",
			    "tasks query line \"%.*s\" is not supported: the "
			    "block is skipped", (int)n, s);
			rc = -1;
			break;
		}
		nfilters++;
	}
	if (rc == 0) {
		q->note = note;
		q->line = fence_line;
		q->nfilters = nfilters;
		q->filters = arena_alloc(a, (nfilters ? nfilters : 1) *
		    sizeof(*filters));
		if (nfilters)
			memcpy(q->filters, filters, nfilters * sizeof(*filters));
	}
	free(filters);
	free(folder);
	free(root);
	strbuf_release(&sb);
	return rc;
}

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

	if (t->due == DATE_NONE)
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
