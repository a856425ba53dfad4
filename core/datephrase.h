/*
 * datephrase.h - the dates and date ranges that Tasks' date filters read
 * (`due before 2026-01-05`, `scheduled this week`, `happens in or before
 * 2026-W02`, `done in two weeks`): the operator before the phrase, and the
 * phrase as an inclusive range of days (docs/rules.md, "Query blocks:
 * dates"). The rules are those of Tasks' DateField.ts, DateParser.ts and
 * DateRange.ts, and for words the subset of chrono-node documented there.
 *
 * A parsed phrase stays relative: it is resolved against a run's today
 * when the block is run, so a block parsed once (and kept in the scan
 * cache) does not depend on the day it was read.
 *
 * Memory: nothing is allocated; a struct date_phrase is a small value.
 * Its kind and unit numbers (core/datephrase.c) are what a cache keeps:
 * new ones are appended, never renumbered.
 */
#ifndef FOLLOWUP_DATEPHRASE_H
#define FOLLOWUP_DATEPHRASE_H

#include <stddef.h>

/* The word between the field and the phrase; none is DO_ON. */
enum date_op {
	DO_ON,			/* on, in, or nothing: inside the range */
	DO_BEFORE,		/* before the range's first day */
	DO_AFTER,		/* after the range's last day */
	DO_ON_OR_BEFORE,	/* on or before, in or before: up to its last */
	DO_ON_OR_AFTER,		/* on or after, in or after: from its first */
};

/*
 * A phrase, unresolved. kind and unit say how to turn a today into a
 * range; a and b are its numbers (days, an offset, a year and a week...).
 */
struct date_phrase {
	int a, b;
	unsigned char kind;
	unsigned char unit;
};

/*
 * Parse "OPERATOR PHRASE" (s, n bytes: what follows `due `, `starts `...).
 * Returns 0 and sets *op and *p, or -1 when Tasks would not read it
 * (then the caller warns, naming the line).
 */
int date_filter_parse(const char *s, size_t n, enum date_op *op,
    struct date_phrase *p);

/* Parse a phrase alone, with no operator. Returns 0 or -1. */
int date_phrase_parse(const char *s, size_t n, struct date_phrase *p);

/* The inclusive range of days p means on today (day numbers, date.h). */
void date_phrase_resolve(const struct date_phrase *p, int today, int *first,
    int *last);

/* Does day (a calendar day, date.h) satisfy op against [first, last]? */
int date_op_matches(enum date_op op, int first, int last, int day);

#endif
