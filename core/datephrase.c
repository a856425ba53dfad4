/*
 * datephrase.c - a first reading of datephrase.h: absolute dates and
 * ranges, today, tomorrow, yesterday, "in N days" and "N days ago".
 * The full reading (weeks, months, numbered ranges, chrono words)
 * replaces this file.
 */
#include "datephrase.h"

#include <string.h>

#include "date.h"
#include "util.h"

enum { KIND_ABSOLUTE, KIND_RELATIVE };

static int
word(const char *s, size_t n, const char *w)
{
	return ascii_casecmp_n(s, n, w, strlen(w)) == 0;
}

static int
number(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || n > 6)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int
relative(const char *s, size_t n, int *off)
{
	size_t sp;
	int v;

	if (word(s, n, "today"))
		return *off = 0, 0;
	if (word(s, n, "tomorrow"))
		return *off = 1, 0;
	if (word(s, n, "yesterday"))
		return *off = -1, 0;
	if (n > 3 && ascii_casecmp_n(s, 3, "in ", 3) == 0) {
		s += 3;
		n -= 3;
		for (sp = 0; sp < n && s[sp] != ' '; sp++)
			;
		if (number(s, sp, &v) == 0 && (word(s + sp, n - sp, " days") ||
		    word(s + sp, n - sp, " day")))
			return *off = v, 0;
		return -1;
	}
	for (sp = 0; sp < n && s[sp] != ' '; sp++)
		;
	if (sp < n && number(s, sp, &v) == 0 && (word(s + sp, n - sp,
	    " days ago") || word(s + sp, n - sp, " day ago")))
		return *off = -v, 0;
	return -1;
}

int
date_phrase_parse(const char *s, size_t n, struct date_phrase *p)
{
	int a, b;

	trim_span(&s, &n);
	memset(p, 0, sizeof(*p));
	if (relative(s, n, &a) == 0) {
		p->kind = KIND_RELATIVE;
		p->a = p->b = a;
		return 0;
	}
	p->kind = KIND_ABSOLUTE;
	if (n == 21 && s[10] == ' ' && date_parse_exact(s, 10, &a) ==
	    DATE_OK && date_parse_exact(s + 11, 10, &b) == DATE_OK) {
		p->a = a < b ? a : b;
		p->b = a < b ? b : a;
		return 0;
	}
	if (date_parse_exact(s, n, &a) != DATE_OK)
		return -1;
	p->a = p->b = a;
	return 0;
}

int
date_filter_parse(const char *s, size_t n, enum date_op *op,
    struct date_phrase *p)
{
	static const struct {
		const char *w;
		enum date_op op;
	} ops[] = {
		{ "on or before ", DO_ON_OR_BEFORE },
		{ "on or after ", DO_ON_OR_AFTER },
		{ "in or before ", DO_ON_OR_BEFORE },
		{ "in or after ", DO_ON_OR_AFTER },
		{ "before ", DO_BEFORE },
		{ "after ", DO_AFTER },
		{ "on ", DO_ON },
		{ "in ", DO_ON },
	};
	size_t i;

	trim_span(&s, &n);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t w = strlen(ops[i].w);

		if (n > w && ascii_casecmp_n(s, w, ops[i].w, w) == 0 &&
		    date_phrase_parse(s + w, n - w, p) == 0) {
			*op = ops[i].op;
			return 0;
		}
	}
	*op = DO_ON;
	return date_phrase_parse(s, n, p);
}

void
date_phrase_resolve(const struct date_phrase *p, int today, int *first,
    int *last)
{
	*first = p->kind == KIND_RELATIVE ? today + p->a : p->a;
	*last = p->kind == KIND_RELATIVE ? today + p->b : p->b;
}

int
date_op_matches(enum date_op op, int first, int last, int day)
{
	switch (op) {
	case DO_ON:
		return day >= first && day <= last;
	case DO_BEFORE:
		return day < first;
	case DO_AFTER:
		return day > last;
	case DO_ON_OR_BEFORE:
		return day <= last;
	case DO_ON_OR_AFTER:
		return day >= first;
	}
	return 0;
}
