/*
 * query.c - the ```tasks query blocks of Obsidian Tasks (see query.h and
 * docs/rules.md, "Query blocks"): Query.ts, Scanner.ts, FilterParser.ts,
 * BooleanField.ts, BooleanPreprocessor.ts and the fields of
 * src/Query/Filter, read line by line.
 */
#include "query.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datephrase.h"
#include "date.h"
#include "diag.h"
#include "obsidian.h"
#include "regex.h"
#include "util.h"

/* Presets in presets, Booleans in sub-expressions: deep enough. */
#define MAX_DEPTH 64
#define MAX_PAREN_DEPTH 500

enum fp { FP_OK, FP_UNKNOWN, FP_ERROR };

struct parser {
	struct arena *a;
	const char *path;
	const struct obsidian_settings *st;
	const struct query_file *file;
	struct query_filter *filters;
	size_t nfilters, capf;
	struct query_node *nodes;
	size_t nnodes, capn;
	struct query_sort *sorts;
	size_t nsorts, caps;
	struct query_group *groups;
	size_t ngroups, capgroups;
	int limit_groups;
	size_t nlines;		/* top-level statements so far */
	int ignore_global;
	int limit;
	int depth;
	int nothing;		/* filter by function seen */
	struct strbuf err;	/* the error, once there is one */
	/* The placeholders' values. */
	char *folder, *root, *stem_path, *stem_name;
	const char *filename;
};

/* ------------------------------------------------------------ words */

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
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* ------------------------------------------------------------ output */

static void
push_node(struct parser *p, enum query_node_op op, uint32_t arg)
{
	GROW(p->nodes, p->capn, p->nnodes + 1);
	p->nodes[p->nnodes].op = (unsigned char)op;
	p->nodes[p->nnodes].arg = arg;
	p->nnodes++;
}

static struct query_filter *
new_filter(struct parser *p)
{
	GROW(p->filters, p->capf, p->nfilters + 1);
	memset(&p->filters[p->nfilters], 0, sizeof(p->filters[0]));
	return &p->filters[p->nfilters];
}

/* The filter new_filter() gave, kept: a leaf of the expression. */
static void
keep_filter(struct parser *p, int top)
{
	p->filters[p->nfilters].top = (unsigned char)top;
	push_node(p, QN_FILTER, (uint32_t)p->nfilters);
	p->nfilters++;
}

static enum fp
fail(struct parser *p, const char *fmt, const char *s, size_t n)
{
	if (p->err.len == 0)
		strbuf_addf(&p->err, fmt, (int)(n > 300 ? 300 : n), s);
	return FP_ERROR;
}

/*
 * JavaScript in queries (filter/sort/group by function, placeholders
 * that are not Tasks' own) runs only when the user turned it on in
 * Obsidian; it is off by default and kept outside the vault, and
 * followup cannot run it either way.
 */
static enum fp
javascript(struct parser *p, const char *s, size_t n)
{
	p->nothing = 1;
	return fail(p, "\"%.*s\" is JavaScript, which Tasks runs only when "
	    "it is turned on in Obsidian (it is off by default); followup "
	    "cannot run it", s, n);
}

/* ------------------------------------------------------------ fields */

/* "includes X", "does not include X", "regex matches /X/", ... */
static enum fp
text_filter(struct parser *p, const char *s, size_t n, int tags, int top,
    enum query_field field)
{
	static const struct {
		const char *verb;
		int negate, regex, tags_only;
	} verbs[] = {
		{ "includes ", 0, 0, 0 },
		{ "does not include ", 1, 0, 0 },
		{ "include ", 0, 0, 1 },
		{ "do not include ", 1, 0, 1 },
		{ "regex matches ", 0, 1, 0 },
		{ "regex does not match ", 1, 1, 0 },
	};
	struct query_filter *f;
	size_t i, w;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (verbs[i].tags_only && !tags)
			continue;
		w = strlen(verbs[i].verb);
		if (starts(s, n, verbs[i].verb))
			break;
	}
	if (i == sizeof(verbs) / sizeof(verbs[0]))
		return FP_UNKNOWN;
	s += w;
	n -= w;
	f = new_filter(p);
	f->field = (unsigned char)field;
	f->negate = (unsigned char)verbs[i].negate;
	if (verbs[i].regex) {
		const char *pat;
		size_t patlen;
		unsigned flags;
		struct regex *re;

		trim_span(&s, &n);
		if (regex_split(s, n, &pat, &patlen, &flags, &p->err) != 0)
			return FP_ERROR;
		re = regex_compile(pat, patlen, flags, &p->err);
		if (re == NULL)
			return FP_ERROR;
		regex_free(re);
		f->verb = QV_REGEX;
		f->flags = (unsigned char)flags;
		s = pat;
		n = patlen;
	}
	f->text = arena_strndup(p->a, s, n);
	f->textlen = (uint32_t)n;
	keep_filter(p, top);
	return FP_OK;
}

static const struct {
	const char *name;
	enum query_field field;
	int tags;
} text_fields[] = {
	/* In FilterParser.ts' order, status.name first. */
	{ "status.name ", QF_STATUS_NAME, 0 },
	{ "path ", QF_PATH, 0 },
	{ "folder ", QF_FOLDER, 0 },
	{ "root ", QF_ROOT, 0 },
	{ "description ", QF_DESCRIPTION, 0 },
	{ "tags ", QF_TAGS, 1 },
	{ "tag ", QF_TAGS, 1 },
	{ "heading ", QF_HEADING, 0 },
	{ "filename ", QF_FILENAME, 0 },
	{ "recurrence ", QF_RECURRENCE, 0 },
	{ "id ", QF_ID, 0 },
};

/* Instructions that are whole lines: "done", "has tags", ... */
static const struct {
	const char *line;
	enum query_field field;
	int negate;
} fixed[] = {
	{ "done", QF_DONE, 0 },
	{ "not done", QF_DONE, 1 },
	{ "is recurring", QF_RECURRING, 0 },
	{ "is not recurring", QF_RECURRING, 1 },
	{ "has tags", QF_HAS_TAGS, 0 },
	{ "has tag", QF_HAS_TAGS, 0 },
	{ "no tags", QF_HAS_TAGS, 1 },
	{ "no tag", QF_HAS_TAGS, 1 },
	{ "exclude sub-items", QF_SUB_ITEMS, 0 },
	{ "has id", QF_HAS_ID, 0 },
	{ "no id", QF_HAS_ID, 1 },
	{ "has depends on", QF_HAS_DEPENDS, 0 },
	{ "no depends on", QF_HAS_DEPENDS, 1 },
	{ "is blocked", QF_BLOCKED, 0 },
	{ "is not blocked", QF_BLOCKED, 1 },
	{ "is blocking", QF_BLOCKING, 0 },
	{ "is not blocking", QF_BLOCKING, 1 },
};

static const struct {
	const char *name;	/* as in "has NAME date" */
	enum query_date date;
} date_fields[] = {
	/* FilterParser.ts' order. */
	{ "happens", QD_HAPPENS },
	{ "cancelled", QD_CANCELLED },
	{ "created", QD_CREATED },
	{ "start", QD_START },
	{ "scheduled", QD_SCHEDULED },
	{ "due", QD_DUE },
	{ "done", QD_DONE },
};

/* The word a date filter line starts with: "starts" for the start date. */
static const char *
date_keyword(enum query_date d)
{
	return d == QD_START ? "starts" : d == QD_HAPPENS ? "happens" : d == QD_CANCELLED ? "cancelled" :
	    d == QD_CREATED ? "created" : d == QD_SCHEDULED ? "scheduled" :
	    d == QD_DUE ? "due" : "done";
}

/* Could s be a date filter? Its first word says (spares the snprintf()s). */
static int
may_be_date_filter(const char *s, size_t n)
{
	static const char *const words[] = {
		"has ", "no ", "happens ", "cancelled ", "created ", "start ",
		"starts ", "scheduled ", "due ", "done ",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (starts(s, n, words[i]))
			return 1;
	return 0;
}

static enum fp
date_filter(struct parser *p, const char *s, size_t n, int top)
{
	char buf[40];
	size_t i, w;

	if (!may_be_date_filter(s, n))
		return FP_UNKNOWN;
	for (i = 0; i < sizeof(date_fields) / sizeof(date_fields[0]); i++) {
		enum query_date d = date_fields[i].date;
		struct query_filter *f;
		enum date_op op;
		struct date_phrase ph;

		snprintf(buf, sizeof(buf), "has %s date", date_fields[i].name);
		if (equals(s, n, buf) || (snprintf(buf, sizeof(buf),
		    "no %s date", date_fields[i].name), equals(s, n, buf))) {
			f = new_filter(p);
			f->field = QF_HAS_DATE;
			f->date_field = (unsigned char)d;
			f->negate = starts(s, n, "no ");
			keep_filter(p, top);
			return FP_OK;
		}
		snprintf(buf, sizeof(buf), "%s date is invalid",
		    date_fields[i].name);
		if (equals(s, n, buf)) {
			f = new_filter(p);
			f->field = QF_DATE_INVALID;
			f->date_field = (unsigned char)d;
			keep_filter(p, top);
			return FP_OK;
		}
		snprintf(buf, sizeof(buf), "%s ", date_keyword(d));
		if (!starts(s, n, buf))
			continue;
		w = strlen(buf);
		if (date_filter_parse(s + w, n - w, &op, &ph) != 0)
			return fail(p, "do not understand the date in "
			    "\"%.*s\"", s, n);
		f = new_filter(p);
		f->field = QF_DATE;
		f->date_field = (unsigned char)d;
		f->op = (unsigned char)op;
		f->phrase_a = ph.a;
		f->phrase_b = ph.b;
		f->phrase_kind = ph.kind;
		f->phrase_unit = ph.unit;
		keep_filter(p, top);
		return FP_OK;
	}
	return FP_UNKNOWN;
}

static enum fp
status_type_filter(struct parser *p, const char *s, size_t n, int top)
{
	static const struct {
		const char *word;
		enum task_status status;
	} types[] = {
		{ "TODO", TASK_TODO }, { "IN_PROGRESS", TASK_IN_PROGRESS },
		{ "DONE", TASK_DONE }, { "CANCELLED", TASK_CANCELLED },
		{ "ON_HOLD", TASK_ON_HOLD }, { "NON_TASK", TASK_NON_TASK },
	};
	struct query_filter *f;
	int negate = 0;
	size_t i;

	if (!starts(s, n, "status.type "))
		return FP_UNKNOWN;
	s += 12;
	n -= 12;
	if (starts(s, n, "is not ")) {
		negate = 1;
		s += 7;
		n -= 7;
	} else if (starts(s, n, "is ")) {
		s += 3;
		n -= 3;
	} else {
		return fail(p, "do not understand \"status.type %.*s\"", s, n);
	}
	trim_span(&s, &n);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (equals(s, n, types[i].word)) {
			f = new_filter(p);
			f->field = QF_STATUS_TYPE;
			f->negate = (unsigned char)negate;
			f->status = (unsigned char)types[i].status;
			keep_filter(p, top);
			return FP_OK;
		}
	return fail(p, "invalid status.type \"%.*s\": TODO, IN_PROGRESS, "
	    "ON_HOLD, DONE, CANCELLED or NON_TASK", s, n);
}

static enum fp
priority_filter(struct parser *p, const char *s, size_t n, int top)
{
	static const struct {
		const char *word;
		enum task_priority pr;
	} names[] = {
		{ "lowest", PRIORITY_LOWEST }, { "low", PRIORITY_LOW },
		{ "none", PRIORITY_NONE }, { "medium", PRIORITY_MEDIUM },
		{ "high", PRIORITY_HIGH }, { "highest", PRIORITY_HIGHEST },
	};
	struct query_filter *f;
	int cmp = 0, negate = 0;
	size_t i;

	if (!starts(s, n, "priority "))
		return FP_UNKNOWN;
	s += 9;
	n -= 9;
	if (starts(s, n, "is ")) {
		s += 3;
		n -= 3;
	}
	if (starts(s, n, "above "))
		cmp = 1, s += 6, n -= 6;
	else if (starts(s, n, "below "))
		cmp = 2, s += 6, n -= 6;
	else if (starts(s, n, "not "))
		negate = 1, s += 4, n -= 4;
	trim_span(&s, &n);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (equals(s, n, names[i].word)) {
			f = new_filter(p);
			f->field = QF_PRIORITY;
			f->cmp = (unsigned char)cmp;
			f->negate = (unsigned char)negate;
			f->status = (unsigned char)names[i].pr;
			keep_filter(p, top);
			return FP_OK;
		}
	return fail(p, "do not understand priority \"%.*s\"", s, n);
}

static enum fp parse_boolean(struct parser *p, const char *s, size_t n,
    int top);

/* One filter (FilterParser.ts' parseFilter()): Boolean last. */
static enum fp
parse_filter(struct parser *p, const char *s, size_t n, int top)
{
	enum fp r;
	size_t i, w;

	trim_span(&s, &n);
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (equals(s, n, fixed[i].line)) {
			struct query_filter *f = new_filter(p);

			f->field = (unsigned char)fixed[i].field;
			f->negate = (unsigned char)fixed[i].negate;
			keep_filter(p, top);
			return FP_OK;
		}
	if (starts(s, n, "status.name ")) {
		r = text_filter(p, s + 12, n - 12, 0, top, QF_STATUS_NAME);
		if (r != FP_UNKNOWN)
			return r;
	}
	if ((r = status_type_filter(p, s, n, top)) != FP_UNKNOWN)
		return r;
	if ((r = priority_filter(p, s, n, top)) != FP_UNKNOWN)
		return r;
	if ((r = date_filter(p, s, n, top)) != FP_UNKNOWN)
		return r;
	for (i = 1; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		w = strlen(text_fields[i].name);
		if (!starts(s, n, text_fields[i].name))
			continue;
		r = text_filter(p, s + w, n - w, text_fields[i].tags, top,
		    text_fields[i].field);
		if (r != FP_UNKNOWN)
			return r;
	}
	if (starts(s, n, "filter by function"))
		return javascript(p, s, n);
	return parse_boolean(p, s, n, top);
}

/* ------------------------------------------------------------ Booleans */

/*
 * BooleanField.ts: the line is cut into filters and operators the way
 * BooleanPreprocessor.ts cuts it (at ")  AND  (", at "NOT (", at the
 * delimiters that open and close it), then the operators are read with
 * boon-js' precedence, NOT, XOR, AND, OR, from the strongest.
 */
struct bool_part {
	const char *s;
	size_t n;
	int filter;		/* is_a_filter(), worked out once */
};

struct bool_cut {
	char open, close;
	struct bool_part *parts;
	size_t nparts, cap;
};

static int is_a_filter(const struct bool_cut *c, const char *s, size_t n);

static void
add_part(struct bool_cut *c, const char *s, size_t n)
{
	if (n == 0)
		return;
	GROW(c->parts, c->cap, c->nparts + 1);
	c->parts[c->nparts].s = s;
	c->parts[c->nparts].n = n;
	c->parts[c->nparts].filter = is_a_filter(c, s, n);
	c->nparts++;
}

static int
is_open(const struct bool_cut *c, char ch)
{
	return ch == c->open;
}

static int
is_close(const struct bool_cut *c, char ch)
{
	return ch == c->close;
}

static size_t
skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n && (is_space(s[i]) || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static int
word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);

	return n - i >= k && memcmp(s + i, w, k) == 0;
}

/*
 * The length of "close \s* (AND|OR|AND +NOT|OR +NOT|XOR) \s* open" at i,
 * or 0.
 */
static size_t
binary_at(const struct bool_cut *c, const char *s, size_t n, size_t i)
{
	static const char *const ops[] = { "AND", "OR", "XOR" };
	size_t j, k, e;

	if (!is_close(c, s[i]))
		return 0;
	j = skip_spaces(s, n, i + 1);
	for (k = 0; k < 3; k++) {
		if (!word_at(s, n, j, ops[k]))
			continue;
		e = skip_spaces(s, n, j + strlen(ops[k]));
		if (e < n && is_open(c, s[e]))
			return e + 1 - i;
		/* AND +NOT, OR +NOT */
		if (k < 2) {
			size_t m = j + strlen(ops[k]);

			if (m < n && s[m] == ' ') {
				while (m < n && s[m] == ' ')
					m++;
				if (word_at(s, n, m, "NOT")) {
					e = skip_spaces(s, n, m + 3);
					if (e < n && is_open(c, s[e]))
						return e + 1 - i;
				}
			}
		}
	}
	return 0;
}

/* The length of "NOT \s* open" at i, or 0. */
static size_t
unary_at(const struct bool_cut *c, const char *s, size_t n, size_t i)
{
	size_t e;

	if (!word_at(s, n, i, "NOT"))
		return 0;
	e = skip_spaces(s, n, i + 3);
	return e < n && is_open(c, s[e]) ? e + 1 - i : 0;
}

/* Split a piece at its leading opening and trailing closing delimiters. */
static void
cut_ends(struct bool_cut *c, const char *s, size_t n)
{
	size_t a = 0, b = n;

	while (a < n && (is_open(c, s[a]) || s[a] == ' '))
		a++;
	add_part(c, s, a);
	if (a == n)
		return;
	while (b > a && (is_close(c, s[b - 1]) || s[b - 1] == ' '))
		b--;
	add_part(c, s + a, b - a);
	add_part(c, s + b, n - b);
}

/* Split a piece between binary operators at "NOT (". */
static void
cut_unary(struct bool_cut *c, const char *s, size_t n)
{
	size_t i = 0, start = 0, len;

	while (i < n) {
		if ((len = unary_at(c, s, n, i)) > 0) {
			if (i > start)
				cut_ends(c, s + start, i - start);
			cut_ends(c, s + i, len);
			i += len;
			start = i;
		} else {
			i++;
		}
	}
	if (n > start)
		cut_ends(c, s + start, n - start);
}

static void
cut_line(struct bool_cut *c, const char *s, size_t n)
{
	size_t i = 0, start = 0, len;

	while (i < n) {
		if ((len = binary_at(c, s, n, i)) > 0) {
			cut_unary(c, s + start, i - start);
			/* Tasks splits the operators' text at "NOT (" too. */
			cut_unary(c, s + i, len);
			i += len;
			start = i;
		} else {
			i++;
		}
	}
	cut_unary(c, s + start, n - start);
}

/* Is s made only of these? */
static int
only_of(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(set, s[i]) == NULL || s[i] == '\0')
			return 0;
	return n > 0;
}

static size_t
op_word(const char *s, size_t n, size_t i)
{
	if (word_at(s, n, i, "AND") || word_at(s, n, i, "XOR") ||
	    word_at(s, n, i, "NOT"))
		return 3;
	if (word_at(s, n, i, "OR"))
		return 2;
	return 0;
}

/* BooleanPreprocessor.ts' isAFilter(): not just operators and delimiters. */
static int
is_a_filter(const struct bool_cut *c, const char *s, size_t n)
{
	char set[4] = { ' ', c->open, c->close, '\0' };
	size_t i = 0, w;

	if (only_of(s, n, set))
		return 0;
	/* ^ *close *(AND|OR|XOR) *open *$ and ^close *(AND|OR|XOR)$ */
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && is_close(c, s[i])) {
		i++;
		while (i < n && s[i] == ' ')
			i++;
		w = op_word(s, n, i);
		if (w > 0 && !word_at(s, n, i, "NOT")) {
			i += w;
			if (i == n)
				return 0;
			while (i < n && s[i] == ' ')
				i++;
			if (i < n && is_open(c, s[i])) {
				i++;
				while (i < n && s[i] == ' ')
					i++;
				if (i == n)
					return 0;
			}
		}
		return 1;
	}
	/* ^(AND|OR|XOR|NOT) *open$ and ^(AND|OR|XOR|NOT)$ */
	w = op_word(s, n, 0);
	if (w > 0) {
		if (w == n)
			return 0;
		for (i = w; i < n && s[i] == ' '; i++)
			;
		if (i == n - 1 && is_open(c, s[i]))
			return 0;
	}
	return 1;
}

/* The simplified line's tokens: '(' ')' operators and filters. */
enum tok { T_OPEN, T_CLOSE, T_AND, T_OR, T_XOR, T_NOT, T_FILTER, T_BAD,
	T_END };

struct bool_reader {
	struct parser *p;
	struct bool_cut *c;
	size_t part;		/* the part being read */
	size_t pos;		/* in it, for non-filter parts */
	int depth;
	const char *line;
	size_t linelen;
};

static enum tok
peek(struct bool_reader *r, size_t *part, size_t *pos)
{
	size_t k = r->part, i = r->pos;

	for (; k < r->c->nparts; k++, i = 0) {
		const struct bool_part *bp = &r->c->parts[k];

		if (bp->filter) {
			if (i > 0)
				continue;
			*part = k + 1;
			*pos = 0;
			return T_FILTER;
		}
		for (; i < bp->n; i++) {
			char ch = bp->s[i];
			size_t w;

			if (ch == ' ' || ch == '\t' || (ch == '"' &&
			    r->c->open == '"'))
				continue;
			*part = k;
			if (ch == r->c->open) {
				*pos = i + 1;
				return T_OPEN;
			}
			if (ch == r->c->close) {
				*pos = i + 1;
				return T_CLOSE;
			}
			w = op_word(bp->s, bp->n, i);
			if (w == 0) {
				*pos = bp->n;
				return T_BAD;
			}
			*pos = i + w;
			return word_at(bp->s, bp->n, i, "AND") ? T_AND :
			    word_at(bp->s, bp->n, i, "OR") ? T_OR :
			    word_at(bp->s, bp->n, i, "XOR") ? T_XOR : T_NOT;
		}
	}
	*part = k;
	*pos = 0;
	return T_END;
}

static enum tok
next(struct bool_reader *r)
{
	size_t part, pos;
	enum tok t = peek(r, &part, &pos);

	r->part = part;
	r->pos = pos;
	return t;
}

static enum fp read_or(struct bool_reader *r, int top);

static enum fp
malformed(struct bool_reader *r, const char *why)
{
	struct parser *p = r->p;

	if (p->err.len == 0)
		strbuf_addf(&p->err, "malformed boolean query -- %s (check "
		    "the documentation for guidelines): \"%.*s\"", why,
		    (int)(r->linelen > 300 ? 300 : r->linelen), r->line);
	return FP_ERROR;
}

static enum fp
read_primary(struct bool_reader *r, int top)
{
	size_t part, pos;
	enum tok t = peek(r, &part, &pos);
	enum fp f;

	if (t == T_OPEN) {
		if (++r->depth > MAX_PAREN_DEPTH)
			return malformed(r, "too deeply nested");
		next(r);
		if ((f = read_or(r, top)) != FP_OK)
			return f;
		if (next(r) != T_CLOSE)
			return malformed(r, "missing closing delimiter");
		r->depth--;
		return FP_OK;
	}
	if (t == T_FILTER) {
		const struct bool_part *bp = &r->c->parts[part - 1];

		next(r);
		if (r->p->depth >= MAX_DEPTH)
			return malformed(r, "too deeply nested");
		r->p->depth++;
		f = parse_filter(r->p, bp->s, bp->n, top);
		r->p->depth--;
		if (f == FP_UNKNOWN) {
			struct strbuf *e = &r->p->err;

			strbuf_reset(e);
			strbuf_addf(e, "couldn't parse sub-expression '%.*s' "
			    "in \"%.*s\"", (int)(bp->n > 200 ? 200 : bp->n),
			    bp->s, (int)(r->linelen > 300 ? 300 : r->linelen),
			    r->line);
			return FP_ERROR;
		}
		return f;
	}
	return malformed(r, t == T_END ? "unexpected end of line" :
	    "unexpected token");
}

static enum fp
read_not(struct bool_reader *r, int top)
{
	size_t part, pos;
	enum fp f;

	if (peek(r, &part, &pos) == T_NOT) {
		if (++r->depth > MAX_PAREN_DEPTH)
			return malformed(r, "too deeply nested");
		next(r);
		if ((f = read_not(r, 0)) != FP_OK)
			return f;
		r->depth--;
		push_node(r->p, QN_NOT, 0);
		return FP_OK;
	}
	return read_primary(r, top);
}

/* One precedence level: operand (OP operand)*. */
static enum fp
read_level(struct bool_reader *r, int top, enum tok op,
    enum query_node_op node, enum fp (*operand)(struct bool_reader *, int))
{
	size_t part, pos, start_nodes = r->p->nnodes, first_filter =
	    r->p->nfilters;
	int many = 0;
	enum fp f;

	/* Which operands are conjuncts is known only once the level is read. */
	if ((f = operand(r, top)) != FP_OK)
		return f;
	while (peek(r, &part, &pos) == op) {
		next(r);
		if ((f = operand(r, top && node == QN_AND)) != FP_OK)
			return f;
		push_node(r->p, node, 0);
		many = 1;
	}
	if (many && node != QN_AND) {
		size_t k;

		for (k = first_filter; k < r->p->nfilters; k++)
			r->p->filters[k].top = 0;
	}
	(void)start_nodes;
	return FP_OK;
}

static enum fp
read_xor(struct bool_reader *r, int top)
{
	return read_level(r, top, T_XOR, QN_XOR, read_not);
}

static enum fp
read_and(struct bool_reader *r, int top)
{
	return read_level(r, top, T_AND, QN_AND, read_xor);
}

static enum fp
read_or(struct bool_reader *r, int top)
{
	return read_level(r, top, T_OR, QN_OR, read_and);
}

/* BooleanField's regex: an operator before a delimiter, or a delimited span. */
static int
looks_boolean(const char *s, size_t n)
{
	static const char opens[] = "([{\"", closes[] = ")]}\"";
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if ((word_at(s, n, i, "AND") || word_at(s, n, i, "OR") ||
		    word_at(s, n, i, "XOR") || word_at(s, n, i, "NOT"))) {
			size_t e = skip_spaces(s, n, i + op_word(s, n, i));

			if (e < n && strchr(opens, s[e]) && s[e] != '\0')
				return 1;
		}
	for (i = 0; i < n; i++)
		if (strchr(opens, s[i]) && s[i] != '\0') {
			size_t k;

			for (k = n; k > i + 2; k--)
				if (strchr(closes, s[k - 1]) && s[k - 1] != '\0')
					return 1;
			return 0;
		}
	return 0;
}

static enum fp
parse_boolean(struct parser *p, const char *s, size_t n, int top)
{
	static const char pairs[][2] = {
		{ '(', ')' }, { '[', ']' }, { '{', '}' }, { '"', '"' },
	};
	struct bool_cut c = { 0 };
	struct bool_reader r = { p, &c, 0, 0, 0, s, n };
	size_t i = 0, k, part, pos;
	enum fp f;

	if (!looks_boolean(s, n))
		return FP_UNKNOWN;
	/* BooleanDelimiters.fromInstructionLine(): after any capitals. */
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == ' '))
		i++;
	for (k = 0; k < 4; k++)
		if (i < n && s[i] == pairs[k][0] && s[n - 1] == pairs[k][1])
			break;
	if (k == 4)
		return fail(p, "all filters in a Boolean instruction must be "
		    "inside one of these pairs of delimiter characters: "
		    "(...) or [...] or {...} or \"...\"; combinations of "
		    "those delimiters are no longer supported: \"%.*s\"", s,
		    n);
	c.open = pairs[k][0];
	c.close = pairs[k][1];
	cut_line(&c, s, n);
	f = read_or(&r, top);
	if (f == FP_OK && peek(&r, &part, &pos) != T_END)
		f = malformed(&r, "unexpected token after the expression");
	free(c.parts);
	return f;
}

/* ------------------------------------------------------------ lines */

static int
is_presentation(const char *s, size_t n)
{
	static const char *const prefixes[] = {
		"group by ", "hide ", "show ", "view ", "short",
		"full", "explain",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (starts(s, n, prefixes[i]))
			return 1;
	return 0;
}

/* Query.ts' limitRegexp: ^limit (groups )?(to )?(\d+)( tasks?)? */
static int
parse_limit(struct parser *p, const char *s, size_t n)
{
	size_t i = 6;
	int groups = 0;
	long v = 0;

	if (!starts(s, n, "limit "))
		return 0;
	if (starts(s + i, n - i, "groups "))
		groups = 1, i += 7;
	if (starts(s + i, n - i, "to "))
		i += 3;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (v < 100000000)
			v = v * 10 + (s[i] - '0');
		i++;
	}
	if (groups)
		p->limit_groups = (int)v;
	else
		p->limit = (int)v;
	return 1;
}

/* A field word of `sort by` / `group by`, and the key it stands for. */
struct field_word {
	const char *word;
	unsigned char key;
};

/*
 * "PREFIX FIELD [reverse]": 0 when s does not start with prefix, else
 * 1, with *key the field's (-1 when it is none of words: presentation
 * only, ignored) and *reverse.
 */
static int
field_line(const char *s, size_t n, const char *prefix,
    const struct field_word *words, size_t nwords, int *key, int *reverse)
{
	size_t i, w = strlen(prefix);

	if (!starts(s, n, prefix))
		return 0;
	s += w;
	n -= w;
	trim_span(&s, &n);
	*key = -1;
	for (i = 0; i < nwords; i++) {
		w = strlen(words[i].word);
		if (!starts(s, n, words[i].word) || (n > w && s[w] != ' '))
			continue;
		*key = words[i].key;
		*reverse = n > w && equals(s + w, n - w, " reverse");
		break;
	}
	return 1;
}

/*
 * `group by FIELD [reverse]` (the fields' grouper()s): what Tasks lists
 * a block's tasks under, group by group. Another field is presentation
 * only, and ignored.
 */
static int
parse_group(struct parser *p, const char *s, size_t n)
{
	static const struct field_word words[] = {
		{ "status.name", QG_STATUS_NAME }, { "status.type", QG_STATUS_TYPE },
		{ "status", QG_STATUS }, { "priority", QG_PRIORITY },
		{ "urgency", QG_URGENCY }, { "due", QG_DUE },
		{ "scheduled", QG_SCHEDULED }, { "start", QG_START },
		{ "created", QG_CREATED }, { "done", QG_DONE },
		{ "cancelled", QG_CANCELLED }, { "happens", QG_HAPPENS },
		{ "path", QG_PATH }, { "folder", QG_FOLDER }, { "root", QG_ROOT },
		{ "filename", QG_FILENAME }, { "backlink", QG_BACKLINK },
		{ "heading", QG_HEADING }, { "tags", QG_TAGS },
		{ "recurring", QG_RECURRING }, { "recurrence", QG_RECURRENCE },
		{ "id", QG_ID },
	};
	int key, reverse;

	if (!field_line(s, n, "group by ", words,
	    sizeof(words) / sizeof(words[0]), &key, &reverse))
		return 0;
	if (key >= 0) {
		GROW(p->groups, p->capgroups, p->ngroups + 1);
		p->groups[p->ngroups].key = (unsigned char)key;
		p->groups[p->ngroups].reverse = (unsigned char)reverse;
		p->ngroups++;
	}
	return 1;
}

/*
 * `sort by FIELD [reverse]` (src/Query/Sort): the fields a limited block
 * is ordered by; others (group, tag N, function, random, ...) are
 * presentation only, and ignored.
 */
static int
parse_sort(struct parser *p, const char *s, size_t n)
{
	static const struct field_word words[] = {
		{ "status.type", QS_STATUS_TYPE }, { "status", QS_STATUS },
		{ "urgency", QS_URGENCY }, { "priority", QS_PRIORITY },
		{ "due", QS_DUE }, { "scheduled", QS_SCHEDULED },
		{ "start", QS_START }, { "created", QS_CREATED },
		{ "done", QS_DONE }, { "cancelled", QS_CANCELLED },
		{ "happens", QS_HAPPENS }, { "path", QS_PATH },
		{ "filename", QS_FILENAME }, { "description", QS_DESCRIPTION },
		{ "heading", QS_HEADING },
	};
	int key, reverse;

	if (!field_line(s, n, "sort by ", words,
	    sizeof(words) / sizeof(words[0]), &key, &reverse))
		return 0;
	if (key >= 0) {
		GROW(p->sorts, p->caps, p->nsorts + 1);
		p->sorts[p->nsorts].key = (unsigned char)key;
		p->sorts[p->nsorts].reverse = (unsigned char)reverse;
		p->nsorts++;
	}
	return 1;
}

static enum fp parse_statement(struct parser *p, const char *s, size_t n,
    int line, struct diag_list *dl);

/* Tasks' Scanner.ts: lines ending in one '\' continue on the next. */
static void
join_lines(const char *text, size_t len, size_t *used, struct strbuf *out)
{
	size_t i = 0;
	int cont = 0;

	strbuf_reset(out);
	while (i < len) {
		const char *s = text + i;
		const char *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i, a = 0;
		int ends1, ends2;

		i += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (cont)
			while (a < n && is_space(s[a]))
				a++;
		ends2 = n >= 2 && s[n - 1] == '\\' && s[n - 2] == '\\';
		ends1 = !ends2 && n >= 1 && s[n - 1] == '\\';
		if (cont)
			strbuf_addch(out, ' ');
		if (ends2) {
			strbuf_add(out, s + a, n - a - 1);
		} else if (ends1) {
			size_t b = n - 1;

			while (b > a && is_space(s[b - 1]))
				b--;
			strbuf_add(out, s + a, b - a);
		} else {
			strbuf_add(out, s + a, n - a);
		}
		cont = ends1;
		if (!cont)
			break;
	}
	*used = i;
}

/* The statements of text (a preset, the global query), one by one. */
static enum fp
parse_text(struct parser *p, const char *text, int line,
    struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(text), used;
	enum fp f = FP_OK;

	if (p->depth >= MAX_DEPTH)
		return fail(p, "presets nest too deeply: \"%.*s\"", text,
		    strlen(text));
	p->depth++;
	while (len > 0 && f == FP_OK) {
		join_lines(text, len, &used, &sb);
		text += used;
		len -= used;
		f = parse_statement(p, sb.buf ? sb.buf : "", sb.len, line, dl);
	}
	p->depth--;
	strbuf_release(&sb);
	return f;
}

static enum fp
parse_preset(struct parser *p, const char *name, size_t n, int line,
    struct diag_list *dl)
{
	const struct obsidian_settings *st = p->st;
	size_t i;

	trim_span(&name, &n);
	for (i = 0; st != NULL && i < st->npresets; i++)
		if (strlen(st->presets[i].name) == n &&
		    memcmp(st->presets[i].name, name, n) == 0)
			return parse_text(p, st->presets[i].query, line, dl);
	return fail(p, "unknown preset \"%.*s\" (the presets are in the "
	    "Tasks settings)", name, n);
}

/* The statement's expression, ANDed to the block's. */
static enum fp
parse_filter_statement(struct parser *p, const char *s, size_t n)
{
	enum fp f = parse_filter(p, s, n, 1);

	if (f == FP_UNKNOWN)
		return fail(p, "do not understand query: \"%.*s\"", s, n);
	if (f != FP_OK)
		return f;
	if (p->nlines++ > 0)
		push_node(p, QN_AND, 0);
	return FP_OK;
}

/* Query.ts' parseLine(), after the placeholders. */
static enum fp
parse_instruction(struct parser *p, const char *s, size_t n, int line,
    struct diag_list *dl)
{
	trim_span(&s, &n);
	if (n == 0 || s[0] == '#')
		return FP_OK;
	if (starts(s, n, "preset ") || starts(s, n, "preset\t"))
		return parse_preset(p, s + 7, n - 7, line, dl);
	if (starts(s, n, "ignore global query")) {
		p->ignore_global = 1;
		return FP_OK;
	}
	if (starts(s, n, "sort by function") ||
	    starts(s, n, "group by function"))
		return javascript(p, s, n);
	if (parse_limit(p, s, n) || parse_sort(p, s, n) ||
	    parse_group(p, s, n) ||
	    is_presentation(s, n))
		return FP_OK;
	return parse_filter_statement(p, s, n);
}

/* ------------------------------------------------------------ placeholders */

static const char *
placeholder_value(const struct parser *p, const char *name, size_t n)
{
	static const struct {
		const char *name;
		size_t offset;
	} names[] = {
		{ "query.file.path", 0 },
		{ "query.file.folder", 1 },
		{ "query.file.filename", 2 },
		{ "query.file.root", 3 },
		{ "query.file.pathWithoutExtension", 4 },
		{ "query.file.filenameWithoutExtension", 5 },
	};
	const char *values[] = { p->path, p->folder, p->filename, p->root,
		p->stem_path, p->stem_name };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    memcmp(names[i].name, name, n) == 0)
			return values[names[i].offset];
	return NULL;
}

/* The note's property named (n bytes), case-insensitively, or NULL. */
static const struct query_property *
find_property(const struct parser *p, const char *name, size_t n)
{
	size_t i;

	if (p->file != NULL && p->file->load != NULL)
		p->file->load(p->file);
	for (i = 0; p->file != NULL && i < p->file->nprops; i++)
		if (ascii_casecmp_n(p->file->props[i].name,
		    p->file->props[i].namelen, name, n) == 0)
			return &p->file->props[i];
	return NULL;
}

/*
 * The property's value as ExpandPlaceholders.ts' stringifyPlaceholderResult()
 * prints it: a scalar as it is, a list as JSON.stringify() writes it.
 * (Every item of a list is a string here: YAML numbers in a list are
 * quoted, where Obsidian would write them bare.)
 */
static void
add_property(struct strbuf *out, const struct query_property *pr)
{
	json_t *list;
	char *text;
	size_t i;

	if (!pr->is_list) {
		strbuf_add(out, pr->items[0], pr->lens[0]);
		return;
	}
	list = json_array();
	for (i = 0; i < pr->nitems; i++)
		json_array_append_new(list, json_stringn(pr->items[i],
		    pr->lens[i]));
	text = json_dumps(list, JSON_COMPACT | JSON_ENCODE_ANY);
	if (text == NULL)
		BUG("json_dumps failed");
	strbuf_adds(out, text);
	free(text);
	json_decref(list);
}

/*
 * KnownPlaceholderResolver.ts' singleStringArgumentRegex():
 * FN('name') or FN("name"), nothing else between the parentheses. The
 * name's span, or NULL.
 */
static const char *
string_argument(const char *s, size_t n, const char *fn, size_t *len)
{
	size_t w = strlen(fn), i;
	char quote;

	if (n < w + 4 || memcmp(s, fn, w) != 0 || s[w] != '(' ||
	    s[n - 1] != ')')
		return NULL;
	quote = s[w + 1];
	if ((quote != '\'' && quote != '"') || s[n - 2] != quote)
		return NULL;
	for (i = w + 2; i < n - 2; i++)
		if (s[i] == '\'' || s[i] == '"')
			return NULL;
	*len = n - w - 4;
	return s + w + 2;
}

/* Is this a found property with a value (TasksFile.hasProperty())? */
static int
property_is_set(const struct query_property *pr)
{
	return pr != NULL && (pr->is_list || pr->nitems > 0);
}

/*
 * resolveKnownPlaceholder(): 1 when name is one of Tasks' own
 * placeholders (its value added to out), 0 when it is not, -1 when it
 * is but has no value (then p->err says so).
 */
static int
known_placeholder(struct parser *p, const char *name, size_t n,
    struct strbuf *out)
{
	const struct query_property *pr;
	const char *v = placeholder_value(p, name, n), *key;
	size_t kn;

	if (v != NULL) {
		strbuf_adds(out, v);
		return 1;
	}
	if ((key = string_argument(name, n, "query.file.hasProperty",
	    &kn)) != NULL) {
		strbuf_adds(out, property_is_set(find_property(p, key, kn)) ?
		    "true" : "false");
		return 1;
	}
	if ((key = string_argument(name, n, "query.file.property",
	    &kn)) == NULL)
		return 0;
	pr = find_property(p, key, kn);
	if (!property_is_set(pr)) {
		fail(p, "the note has no property for \"{{%.*s}}\" (Tasks: "
		    "invalid placeholder result 'null')", name, n);
		return -1;
	}
	add_property(out, pr);
	return 1;
}

/* isPlainMustachePlaceholder(): a dotted name Mustache looks up. */
static int
is_dotted_name(const char *s, size_t n)
{
	size_t i;
	int start = 1;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && !start && i + 1 < n) {
			start = 1;
			continue;
		}
		if (!(isalpha(c) || c == '_' || c == '$' ||
		    (!start && isdigit(c))))
			return 0;
		start = 0;
	}
	return 1;
}

/* Mustache's lookup of a dotted name: {{preset.NAME}}. */
static enum fp
mustache_name(struct parser *p, const char *name, size_t n,
    struct strbuf *out)
{
	const struct obsidian_settings *st = p->st;
	size_t k;

	if (n > 7 && memcmp(name, "preset.", 7) == 0) {
		for (k = 0; st != NULL && k < st->npresets; k++)
			if (strlen(st->presets[k].name) == n - 7 &&
			    memcmp(st->presets[k].name, name + 7, n - 7) == 0) {
				strbuf_adds(out, st->presets[k].query);
				return FP_OK;
			}
		return fail(p, "unknown preset in placeholder \"{{%.*s}}\"",
		    name, n);
	}
	return fail(p, "unknown placeholder \"{{%.*s}}\"", name, n);
}

/*
 * One pass of ExpandPlaceholders.ts over a statement, with JavaScript
 * in queries off (Tasks' default, kept outside the vault): each {{...}},
 * to the first "}}", is one of Tasks' own placeholders or a dotted name
 * (preset.NAME); anything else would be JavaScript, which Tasks refuses:
 * {{! comments}}, {{{triple braces}}}, sections, calls.
 */
static enum fp
expand(struct parser *p, const char *s, size_t n, struct strbuf *out)
{
	size_t i = 0;

	while (i < n) {
		const char *open = memmem(s + i, n - i, "{{", 2);
		const char *close, *name;
		size_t at, nl;
		int r;

		if (open == NULL) {
			strbuf_add(out, s + i, n - i);
			break;
		}
		at = (size_t)(open - s);
		strbuf_add(out, s + i, at - i);
		close = memmem(open + 2, n - at - 2, "}}", 2);
		if (close == NULL)
			return fail(p, "unclosed placeholder in \"%.*s\"", s, n);
		name = open + 2;
		nl = (size_t)(close - name);
		i = (size_t)(close - s) + 2;
		trim_span(&name, &nl);
		if ((r = known_placeholder(p, name, nl, out)) < 0)
			return FP_ERROR;
		if (r > 0)
			continue;
		if (is_dotted_name(name, nl)) {
			if (mustache_name(p, name, nl, out) != FP_OK)
				return FP_ERROR;
			continue;
		}
		return javascript(p, open, i - at);
	}
	return FP_OK;
}

/*
 * Query.ts' expandPlaceholders(): passes until nothing changes, ten at
 * most (a placeholder's value may hold placeholders: a preset's text).
 */
static enum fp
expand_all(struct parser *p, const char *s, size_t n, struct strbuf *out)
{
	struct strbuf prev = STRBUF_INIT;
	enum fp f = FP_OK;
	int pass;

	strbuf_add(out, s, n);
	for (pass = 0; pass < 10 && f == FP_OK; pass++) {
		strbuf_reset(&prev);
		strbuf_add(&prev, strbuf_str(out), out->len);
		if (memmem(strbuf_str(&prev), prev.len, "{{", 2) == NULL)
			break;
		strbuf_reset(out);
		f = expand(p, strbuf_str(&prev), prev.len, out);
		if (f == FP_OK && out->len == prev.len &&
		    memcmp(strbuf_str(out), strbuf_str(&prev), prev.len) == 0)
			break;
	}
	strbuf_release(&prev);
	return f;
}

static enum fp
parse_statement(struct parser *p, const char *s, size_t n, int line,
    struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;
	const char *t = s;
	size_t tn = n;
	enum fp f;

	trim_span(&t, &tn);
	/* A comment is kept as it is: its placeholders are not expanded. */
	if (tn > 0 && t[0] == '#')
		return FP_OK;
	if (memmem(s, n, "{{", 2) == NULL)
		return parse_instruction(p, s, n, line, dl);
	f = expand_all(p, s, n, &sb);
	if (f == FP_OK) {
		/* A preset placeholder may bring several lines. */
		const char *text = sb.buf ? sb.buf : "";
		const char *nl = memchr(text, '\n', sb.len);

		if (nl == NULL)
			f = parse_instruction(p, text, sb.len, line, dl);
		else
			f = parse_text(p, text, line, dl);
	}
	strbuf_release(&sb);
	return f;
}

/* ------------------------------------------------------------ the block */

static void
placeholders_init(struct parser *p, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *first = strchr(path, '/');
	size_t len = strlen(path);
	size_t ext = len > 3 && strcmp(path + len - 3, ".md") == 0 ? 3 : 0;

	p->path = path;
	p->folder = slash ? xstrndup(path, (size_t)(slash - path) + 1) :
	    xstrdup("/");
	p->root = first ? xstrndup(path, (size_t)(first - path) + 1) :
	    xstrdup("/");
	p->filename = slash ? slash + 1 : path;
	p->stem_path = xstrndup(path, len - ext);
	p->stem_name = xstrndup(p->filename, strlen(p->filename) - ext);
}

static void
parser_release(struct parser *p)
{
	free(p->filters);
	free(p->nodes);
	free(p->sorts);
	free(p->groups);
	free(p->folder);
	free(p->root);
	free(p->stem_path);
	free(p->stem_name);
	strbuf_release(&p->err);
}

static void
finish(struct parser *p, struct query *q)
{
	q->limit = p->limit;
	q->nfilters = p->nfilters;
	q->filters = arena_alloc(p->a, (p->nfilters ? p->nfilters : 1) *
	    sizeof(*p->filters));
	if (p->nfilters)
		memcpy(q->filters, p->filters, p->nfilters * sizeof(*p->filters));
	q->limit_groups = p->limit_groups;
	q->ngroups = p->ngroups;
	q->groups = arena_alloc(p->a, (p->ngroups ? p->ngroups : 1) *
	    sizeof(*p->groups));
	if (p->ngroups)
		memcpy(q->groups, p->groups, p->ngroups * sizeof(*p->groups));
	q->nsorts = p->nsorts;
	q->sorts = arena_alloc(p->a, (p->nsorts ? p->nsorts : 1) *
	    sizeof(*p->sorts));
	if (p->nsorts)
		memcpy(q->sorts, p->sorts, p->nsorts * sizeof(*p->sorts));
	q->nnodes = p->nnodes;
	q->nodes = arena_alloc(p->a, (p->nnodes ? p->nnodes : 1) *
	    sizeof(*p->nodes));
	if (p->nnodes)
		memcpy(q->nodes, p->nodes, p->nnodes * sizeof(*p->nodes));
}

int
query_parse(struct arena *a, const char *path, size_t note, int fence_line,
    const struct query_line *lines, size_t nlines,
    const struct obsidian_settings *settings, const struct query_file *file,
    struct query *q, struct diag_list *dl)
{
	struct parser p = { 0 };
	struct strbuf all = STRBUF_INIT, sb = STRBUF_INIT;
	enum fp f = FP_OK;
	size_t i = 0;
	int err_line = fence_line;

	p.a = a;
	p.st = settings;
	p.file = file;
	p.limit = -1;
	p.limit_groups = -1;
	placeholders_init(&p, path);
	memset(q, 0, sizeof(*q));
	q->note = note;
	q->line = fence_line;
	q->end_line = nlines ? lines[nlines - 1].line : fence_line;
	/* TQ_extra_instructions first, as if written above the lines. */
	if (file != NULL && file->yaml != NULL && memmem(file->yaml,
	    file->yamllen, "TQ_", 3) != NULL) {
		const struct query_property *tq = find_property(&p,
		    "TQ_extra_instructions", 21);

		if (tq != NULL && !tq->is_list && tq->nitems == 1) {
			char *text = xstrndup(tq->items[0], tq->lens[0]);

			f = parse_text(&p, text, fence_line, dl);
			free(text);
		}
	}
	/* Then the block's own lines, for `ignore global query`. */
	while (i < nlines && f == FP_OK) {
		size_t k = i, used;

		strbuf_reset(&all);
		for (k = i; k < nlines; k++) {
			strbuf_add(&all, lines[k].text, lines[k].len);
			if (lines[k].len == 0 ||
			    lines[k].text[lines[k].len - 1] != '\\' ||
			    (lines[k].len >= 2 &&
			    lines[k].text[lines[k].len - 2] == '\\'))
				break;
			strbuf_addch(&all, '\n');
		}
		join_lines(all.buf ? all.buf : "", all.len, &used, &sb);
		err_line = lines[i].line;
		f = parse_statement(&p, sb.buf ? sb.buf : "", sb.len,
		    lines[i].line, dl);
		i = k + 1;
	}
	if (f == FP_OK && !p.ignore_global && settings != NULL &&
	    settings->global_query != NULL) {
		/* The global query comes first: ANDed, the order is moot. */
		err_line = fence_line;
		f = parse_text(&p, settings->global_query, fence_line, dl);
	}
	if (f == FP_OK) {
		finish(&p, q);
	} else {
		q->error = arena_strdup(a, strbuf_str(&p.err));
		diag_warn(dl, DIAG_NOTE, path, err_line, p.nothing ? NULL :
		    "see the Tasks documentation, Queries/",
		    "tasks query: %s; the block selects nothing", q->error);
	}
	parser_release(&p);
	strbuf_release(&all);
	strbuf_release(&sb);
	return f == FP_OK ? 0 : -1;
}

/* ------------------------------------------------------------ printing */

static void
print_filter(const struct query_filter *f, struct strbuf *out)
{
	static const char *const fields[] = {
		"done", "path", "folder", "filename", "description", "tags",
		"has-due", "due", "status.type", "heading", "root",
		"status.name", "recurrence", "id", "has-tags", "recurring",
		"exclude-sub-items", "has-id", "has-depends-on", "blocked",
		"blocking", "priority", "date", "has-date", "date-invalid",
		"nothing",
	};
	static const char *const dates[] = {
		"due", "scheduled", "start", "created", "done", "cancelled",
		"happens",
	};

	strbuf_addf(out, "%s%s", f->negate ? "!" : "", fields[f->field]);
	if (f->field == QF_DATE || f->field == QF_HAS_DATE ||
	    f->field == QF_DATE_INVALID)
		strbuf_addf(out, ":%s", dates[f->date_field]);
	if (f->field == QF_DATE)
		strbuf_addf(out, " op%d %d..%d k%d", f->op, f->phrase_a,
		    f->phrase_b, f->phrase_kind);
	if (f->field == QF_STATUS_TYPE || f->field == QF_PRIORITY)
		strbuf_addf(out, "=%d", f->status);
	if (f->field == QF_PRIORITY && f->cmp)
		strbuf_addf(out, f->cmp == 1 ? " above" : " below");
	if (f->text != NULL)
		strbuf_addf(out, " %s\"%.*s\"", f->verb == QV_REGEX ? "re" : "",
		    (int)f->textlen, f->text);
}

void
query_print(const struct query *q, struct strbuf *out)
{
	static const char *const ops[] = { "", "NOT", "AND", "OR", "XOR" };
	size_t i;

	if (q->error != NULL) {
		strbuf_addf(out, "error: %s", q->error);
		return;
	}
	for (i = 0; i < q->nnodes; i++) {
		const struct query_node *nd = &q->nodes[i];

		if (i > 0)
			strbuf_addch(out, ' ');
		if (nd->op != QN_FILTER) {
			strbuf_adds(out, ops[nd->op]);
			continue;
		}
		strbuf_addch(out, '[');
		print_filter(&q->filters[nd->arg], out);
		if (q->filters[nd->arg].top)
			strbuf_adds(out, " top");
		strbuf_addch(out, ']');
	}
	if (q->limit >= 0)
		strbuf_addf(out, " limit %d", q->limit);
	for (i = 0; i < q->nsorts; i++)
		strbuf_addf(out, " sort %d%s", q->sorts[i].key,
		    q->sorts[i].reverse ? " reverse" : "");
	for (i = 0; i < q->ngroups; i++)
		strbuf_addf(out, " group %d%s", q->groups[i].key,
		    q->groups[i].reverse ? " reverse" : "");
	if (q->limit_groups >= 0)
		strbuf_addf(out, " limit-groups %d", q->limit_groups);
}
