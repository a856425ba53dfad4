/*
 * acmatch.h - Aho-Corasick multi-pattern matching, ASCII case-insensitive.
 *
 * Finds every occurrence of every needle in a text in one pass, in time
 * linear in the text plus the matches, however many needles there are.
 * followup uses it to answer thousands of "path includes NAME" query
 * filters over every note's path without comparing each with each.
 *
 * The automaton owns copies of nothing: needles are read during acm_add()
 * only. acm_free(NULL) does nothing.
 */
#ifndef FOLLOWUP_ACMATCH_H
#define FOLLOWUP_ACMATCH_H

#include <stddef.h>

struct acm;

struct acm *acm_new(void);
/* Add a needle (len > 0) reported as id. Only before acm_build(). */
void acm_add(struct acm *m, const char *needle, size_t len, size_t id);
/* Compute failure links; the automaton is then read-only. */
void acm_build(struct acm *m);
/*
 * Call fn(arg, id, end) for every needle found in text, where end is the
 * offset just past the match. Needles ending at the same place come in no
 * particular order.
 */
void acm_scan(const struct acm *m, const char *text, size_t len,
    void (*fn)(void *arg, size_t id, size_t end), void *arg);
size_t acm_needles(const struct acm *m);
/* How many states the automaton has: what its memory grows with. */
size_t acm_states(const struct acm *m);
void acm_free(struct acm *m);

#endif
