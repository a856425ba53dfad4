/*
 * query.h - read the ```tasks query blocks of Obsidian Tasks: the subset
 * of docs/rules.md, "Query blocks" (filters one a line, all must hold).
 * select.h runs them.
 *
 * A block with a line followup does not support is never guessed at:
 * query_parse() reports a warning naming the file, line and filter and
 * the block selects nothing. Relative dates ("today", "in 3 days") are
 * kept relative and resolved against the run's today when the block is
 * run, so a parsed block does not depend on the day it was read.
 */
#ifndef FOLLOWUP_QUERY_H
#define FOLLOWUP_QUERY_H

#include <stddef.h>

#include "model.h"

struct arena;
struct diag_list;

/* One line of a block's body, with its line number in the file. */
struct query_line {
	int line;
	const char *text;
	size_t len;
};

/*
 * Parse a block's lines for note n (whose vault-relative path is path).
 * Returns 0 and fills *q (its filters in a), or -1 after a warning on dl
 * (unsupported line).
 */
int query_parse(struct arena *a, const char *path, size_t note,
    int fence_line, const struct query_line *lines, size_t nlines,
    struct query *q, struct diag_list *dl);

#endif
