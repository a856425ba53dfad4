/*
 * select.h - which tasks of a vault a query block selects (query.h reads
 * the blocks; docs/rules.md, "Query blocks", says what each filter means).
 *
 * Pure functions of the vault and the day: nothing is allocated that
 * outlives a call.
 */
#ifndef FOLLOWUP_SELECT_H
#define FOLLOWUP_SELECT_H

#include <stddef.h>

#include "model.h"

/* Does task t, in note tn, satisfy every filter of q on day today? */
int query_matches(const struct query *q, const struct task *t,
    const struct note *tn, int today);

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
