/*
 * query.h - the ```tasks query blocks of Obsidian Tasks, the subset of
 * DESIGN.md §3 (filters one a line, all must hold).
 *
 * A block with a line followup does not support is never guessed at:
 * query_parse() reports a warning naming the file, line and filter and
 * the block selects nothing. Relative dates ("today", "in 3 days") are
 * kept relative and resolved against the run's today in query_matches(),
 * so a parsed block does not depend on the day it was read.
 */
#ifndef FOLLOWUP_QUERY_H
#define FOLLOWUP_QUERY_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct diag_list;
struct task;
struct note;

enum query_field {
	QF_DONE,		/* done / not done */
	QF_PATH,
	QF_FOLDER,
	QF_FILENAME,
	QF_DESCRIPTION,
	QF_TAGS,
	QF_HAS_DUE,		/* has due date / no due date */
	QF_DUE,			/* due before/after/on/... DATE */
	QF_STATUS_TYPE,
};

enum query_cmp {
	QC_BEFORE,
	QC_AFTER,
	QC_ON,
	QC_ON_OR_BEFORE,
	QC_ON_OR_AFTER,
};

/* 24 bytes: a vault can hold a query block per contact. */
struct query_filter {
	const char *text;	/* needle for the includes filters */
	uint32_t textlen;
	int date;		/* absolute day, or offset from today */
	unsigned char field;	/* enum query_field */
	unsigned char negate;	/* "not done", "does not include", "is not" */
	unsigned char cmp;	/* enum query_cmp */
	unsigned char date_relative;
	unsigned char status;	/* enum task_status for QF_STATUS_TYPE */
};

struct query {
	size_t note;		/* the note holding the block */
	int line;		/* line of the opening fence */
	struct query_filter *filters;
	size_t nfilters;
};

/* One line of a block's body, with its line number in the file. */
struct query_line {
	int line;
	const char *text;
	size_t len;
};

/*
 * Parse a block's lines for note n (whose vault-relative path is path).
 * Returns 0 and fills *q, or -1 after a warning on dl (unsupported line).
 */
int query_parse(struct arena *a, const char *path, size_t note,
    int fence_line, const struct query_line *lines, size_t nlines,
    struct query *q, struct diag_list *dl);

/* Does task t, in note tn, satisfy every filter of q on day today? */
int query_matches(const struct query *q, const struct task *t,
    const struct note *tn, int today);

struct vault;

/*
 * Run the queries qs[0..n) of vault v over all of its tasks and call
 * fn(arg, i, task) for every task that query qs[i] selects. A query with
 * a positive path/folder/filename "includes" filter is looked up with one
 * Aho-Corasick pass over every note's path, so the work grows with the
 * vault plus the matches, not with queries times tasks; a query without
 * one has to look at every task. The automaton's memory is bounded: past
 * some tens of thousands of such queries, more passes are made.
 */
void query_select(const struct vault *v, const size_t *qs, size_t n,
    int today, void (*fn)(void *arg, size_t i, size_t task), void *arg);

#endif
