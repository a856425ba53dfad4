/*
 * Unit tests: the date phrases of Tasks' date filters (core/datephrase.c).
 * Each row is what Tasks 8.3.0 (DateParser.ts with chrono-node 2.3.9 and
 * moment) reads for "OPERATOR PHRASE" on a given today: the operator and
 * the inclusive range, or that followup refuses it. The expected ranges
 * were checked against Tasks' own code run on the same todays.
 */
#include <stdlib.h>

#include "../../core/date.h"
#include "../../core/datephrase.h"
#include "unit.h"

#define REFUSED NULL

static const struct {
	const char *text;	/* what follows `due ` */
	const char *today;
	enum date_op op;
	const char *first, *last;	/* REFUSED: -1 */
} rows[] = {
#include "datephrase-table.h"
};

static const char *
op_name(enum date_op op)
{
	static const char *names[] = { "on", "before", "after",
		"on or before", "on or after" };

	return names[op];
}

static void
check_row(size_t i)
{
	struct date_phrase p;
	enum date_op op;
	int today, first, last, r;
	char name[256], f[DATE_BUFSZ], l[DATE_BUFSZ];

	if (date_parse_exact(rows[i].today, strlen(rows[i].today), &today) !=
	    DATE_OK)
		abort();
	snprintf(name, sizeof(name), "datephrase \"%s\" on %s", rows[i].text,
	    rows[i].today);
	r = date_filter_parse(rows[i].text, strlen(rows[i].text), &op, &p);
	if (rows[i].first == REFUSED) {
		CHECK(name, r == -1, "accepted, want refused");
		return;
	}
	if (r != 0) {
		CHECK(name, 0, "refused, want %s %s..%s", op_name(rows[i].op),
		    rows[i].first, rows[i].last);
		return;
	}
	date_phrase_resolve(&p, today, &first, &last);
	date_format(first, f);
	date_format(last, l);
	CHECK(name, op == rows[i].op && strcmp(f, rows[i].first) == 0 &&
	    strcmp(l, rows[i].last) == 0, "got %s %s..%s, want %s %s..%s",
	    op_name(op), f, l, op_name(rows[i].op), rows[i].first,
	    rows[i].last);
}

/* Each operator against a range 2026-01-05..2026-01-11. */
static void
check_operators(void)
{
	static const struct {
		enum date_op op;
		int in_before, in_first, in_last, in_after;
	} ops[] = {
		{ DO_ON, 0, 1, 1, 0 },
		{ DO_BEFORE, 1, 0, 0, 0 },
		{ DO_AFTER, 0, 0, 0, 1 },
		{ DO_ON_OR_BEFORE, 1, 1, 1, 0 },
		{ DO_ON_OR_AFTER, 0, 1, 1, 1 },
	};
	int first = date_from_ymd(2026, 1, 5), last = date_from_ymd(2026, 1, 11);
	size_t i;
	char name[64];

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		snprintf(name, sizeof(name), "datephrase operator %s",
		    op_name(ops[i].op));
		CHECK(name, date_op_matches(ops[i].op, first, last, first - 1) ==
		    ops[i].in_before &&
		    date_op_matches(ops[i].op, first, last, first) ==
		    ops[i].in_first &&
		    date_op_matches(ops[i].op, first, last, last) ==
		    ops[i].in_last &&
		    date_op_matches(ops[i].op, first, last, last + 1) ==
		    ops[i].in_after, "wrong");
	}
}

/* A long phrase is refused, in time linear in its length. */
static void
check_long_phrase(void)
{
	size_t n = 100 * 1024, i;
	char *s = malloc(n);
	struct date_phrase p;
	enum date_op op;

	for (i = 0; i < n; i++)
		s[i] = i % 7 == 6 ? ' ' : "in 3 da"[i % 7];
	CHECK("datephrase 100 KB phrase refused",
	    date_filter_parse(s, n, &op, &p) == -1, "accepted");
	free(s);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(i);
	check_operators();
	check_long_phrase();
	return unit_exit();
}
