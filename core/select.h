/*
 * select.h - which tasks of a vault a query block selects (query.h reads
 * the blocks; docs/rules.md, "Query blocks", says what each filter means).
 *
 * Pure functions of the vault and the day. A struct query_env holds what
 * a run works out once (compiled regexes, the ids that block or are
 * blocked); it is the caller's, freed with query_env_free().
 */
#ifndef FOLLOWUP_SELECT_H
#define FOLLOWUP_SELECT_H

#include <stddef.h>

#include "model.h"

struct query_env;

/*
 * Can closed tasks change which open tasks q selects? Only through its
 * `limit` or `limit groups`, which count closed tasks too, unless a
 * top-level `not done` keeps them out.
 */
int query_counts_closed(const struct query *q);

/* For the queries of vault v run on day today (v may not change after). */
struct query_env *query_env_new(const struct vault *v, int today);
void query_env_free(struct query_env *e);

/*
 * Does task t, in note tn, satisfy q? A block with an error selects
 * nothing; one with no filter, every task. `limit` is not applied here.
 */
int query_matches(struct query_env *e, const struct query *q,
    const struct task *t, const struct note *tn);

/*
 * Run the queries qs[0..n) of vault v over all of its tasks and call
 * fn(arg, i, task) for every task that query qs[i] selects (for a block
 * with `limit N`, the first N in Tasks' default order: status type,
 * urgency, due date, priority, path, then the vault's order). A query
 * whose top level is a conjunction holding a positive
 * path/folder/filename "includes" filter is looked up with one
 * Aho-Corasick pass over every note's path, so the work grows with the
 * vault plus the matches, not with queries times tasks; a query without
 * one has to look at every task. The automaton's memory is bounded:
 * past some tens of thousands of such queries, more passes are made.
 */
void query_select(const struct vault *v, const size_t *qs, size_t n,
    int today, void (*fn)(void *arg, size_t i, size_t task), void *arg);

/*
 * Put tasks[0..n) (indexes into v's tasks) in the order Tasks sorts what
 * block q selects on day today: q's `sort by` lines, then Sort.ts'
 * default order, then the vault's order.
 */
void query_sort(const struct vault *v, const struct query *q, int today,
    size_t *tasks, size_t n);

/*
 * Then, for a block with `group by` lines, list tasks[0..n) (in
 * query_sort() order) as Tasks lists its groups: group by group, the
 * groups in the order of their names, each group's first
 * `limit groups` N tasks; a task under several groups (two tags) once,
 * at its first. Returns how many are kept, in tasks[0..).
 */
size_t query_group(const struct vault *v, const struct query *q, int today,
    size_t *tasks, size_t n);

#endif
