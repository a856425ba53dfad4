/*
 * strmap.h - a hash table from byte strings to small integers, with
 * several values per key (a name can belong to two contacts).
 *
 * Keys are borrowed: they must outlive the map. Lookups are O(1) on
 * average; the table doubles when it is half full.
 *
 * struct strset keeps one copy of each string it is given: the names
 * that thousands of notes repeat (attendees, wikilink targets) are then
 * stored once per reading thread instead of once per mention. The copies
 * live in the arena the caller passes (always the same one for a set);
 * the set's table is its own, and can be released before the copies.
 */
#ifndef FOLLOWUP_STRMAP_H
#define FOLLOWUP_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_entry;

struct strmap {
	struct strmap_entry *slots;
	size_t cap;		/* a power of two */
	size_t used;
	uint32_t *values;	/* chains: value, next index */
	size_t nvalues, capvalues;
	int fold;		/* keys equal with ASCII letters' case ignored */
};

#define STRMAP_NONE ((size_t)-1)

void strmap_init(struct strmap *m);
/*
 * A map whose keys are equal when they differ only in the case of ASCII
 * letters: a key is found by any spelling, and the first one added is
 * the one kept (and borrowed).
 */
void strmap_init_folded(struct strmap *m);
/* Make room for n keys at once: no rehash until there are more. */
void strmap_reserve(struct strmap *m, size_t n);
/*
 * Add value (below UINT32_MAX) under key (len bytes); a value already
 * there is not added. key is kept only when it is new (strmap_has()).
 */
void strmap_add(struct strmap *m, const char *key, size_t len, size_t value);
/*
 * The value under key (strmap_first()'s); when there is none, value is
 * added under it (the key kept as strmap_add() keeps it) and returned:
 * one lookup for both.
 */
size_t strmap_get_or_add(struct strmap *m, const char *key, size_t len,
    size_t value);
/*
 * Iterate the values of key: start with it = strmap_first(), then
 * strmap_next() until it returns STRMAP_NONE.
 */
int strmap_has(const struct strmap *m, const char *key, size_t len);
size_t strmap_first(const struct strmap *m, const char *key, size_t len,
    size_t *it);
size_t strmap_next(const struct strmap *m, size_t *it);
void strmap_release(struct strmap *m);

struct strset_slot;
struct arena;

struct strset {
	struct strset_slot *slots;
	size_t cap;		/* a power of two */
	size_t used;
};

#define STRSET_INIT { NULL, 0, 0 }

/* The set's copy of s[0..len), NUL-terminated, made in a when new. */
const char *strset_intern(struct strset *set, struct arena *a,
    const char *s, size_t len);
void strset_release(struct strset *set);

#endif
