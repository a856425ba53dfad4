/*
 * strmap.c - string → values hash table and string set (see strmap.h).
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define VALUE_NONE UINT32_MAX	/* the end of a chain in m->values */

/* 16 bytes: a vault's contacts put tens of thousands of names in a map. */
struct strmap_entry {
	const char *key;	/* NULL: empty slot */
	uint32_t len : 24;	/* a key comes from a note: under 16 MiB */
	uint32_t tag : 8;	/* hash bits the slot does not tell */
	uint32_t head;		/* first value in m->values (pairs) */
};

#define KEY_MAX ((1u << 24) - 1)

/*
 * Keys are hashed a word at a time: paths and names are tens of bytes,
 * and a vault hashes hundreds of thousands of them. The last word is
 * padded with zeros, the length is mixed in, and a final mix (as in
 * splitmix64) spreads every bit, since the slot and tag take the high
 * ones.
 */
#define ONES 0x0101010101010101ULL

static inline uint64_t
load_word(const char *s, size_t n)
{
	uint64_t w = 0;

	memcpy(&w, s, n < 8 ? n : 8);
	return w;
}

/* Each byte of w in 'A'..'Z' to 'a'..'z', the eight at once. */
static inline uint64_t
fold_word(uint64_t w)
{
	uint64_t low7 = w & (0x7f * ONES);
	uint64_t from_a = low7 + (0x80 - 'A') * ONES;	/* top bit: >= 'A' */
	uint64_t past_z = low7 + (0x80 - 'Z' - 1) * ONES; /* top bit: > 'Z' */
	uint64_t upper = from_a & ~past_z & ~w & (0x80 * ONES);

	return w | upper >> 2;
}

static inline uint64_t
mix_word(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

static inline uint64_t
finish_hash(uint64_t h, size_t n)
{
	h ^= n;
	h ^= h >> 30;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 27;
	h *= 0x94D049BB133111EBULL;
	return h ^ (h >> 31);
}

static inline uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i += 8)
		h = mix_word(h, load_word(s + i, n - i));
	return finish_hash(h, n);
}

static inline uint64_t
hash_folded(const char *s, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i += 8)
		h = mix_word(h, fold_word(load_word(s + i, n - i)));
	return finish_hash(h, n);
}

static inline uint64_t
hash_key(const struct strmap *m, const char *s, size_t n)
{
	return m->fold ? hash_folded(s, n) : hash_bytes(s, n);
}

static int
same_key(int fold, const char *a, const char *b, size_t n)
{
	size_t i;

	if (memcmp(a, b, n) == 0)
		return 1;
	if (!fold)
		return 0;
	for (i = 0; i < n; i += 8)
		if (fold_word(load_word(a + i, n - i)) !=
		    fold_word(load_word(b + i, n - i)))
			return 0;
	return 1;
}

void
strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void
strmap_init_folded(struct strmap *m)
{
	strmap_init(m);
	m->fold = 1;
}

static unsigned
tag_of(uint64_t h)
{
	return (unsigned)(h >> 56);
}

/*
 * The home slot of hash h in a table of cap (a power of two) slots: the
 * high bits of h mixed once more (Fibonacci hashing), so that a set's
 * 32-bit hashes spread as well as a map's 64-bit ones.
 */
static size_t
home_slot(uint64_t h, size_t cap)
{
	return (size_t)((h * 0x9E3779B97F4A7C15ULL) >>
	    (64 - __builtin_ctzll((unsigned long long)cap)));
}

static struct strmap_entry *
find_slot(struct strmap_entry *slots, size_t cap, int fold, const char *key,
    size_t len, uint64_t h)
{
	size_t i = home_slot(h, cap);

	for (;;) {
		struct strmap_entry *e = &slots[i];

		if (e->key == NULL || (e->tag == tag_of(h) && e->len == len &&
		    same_key(fold, e->key, key, len)))
			return e;
		i = (i + 1) & (cap - 1);
	}
}

static void
rehash(struct strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64, i;
	struct strmap_entry *slots = xcalloc(ncap, sizeof(*slots));

	for (i = 0; i < m->cap; i++) {
		struct strmap_entry *e = &m->slots[i];

		if (e->key != NULL)
			*find_slot(slots, ncap, m->fold, e->key, e->len,
			    hash_key(m, e->key, e->len)) = *e;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = ncap;
}

void
strmap_reserve(struct strmap *m, size_t n)
{
	while ((n + 1) * 2 > m->cap)
		rehash(m);
}

int
strmap_has(const struct strmap *m, const char *key, size_t len)
{
	return m->cap > 0 && len <= KEY_MAX && find_slot(m->slots, m->cap,
	    m->fold, key, len, hash_key(m, key, len))->key != NULL;
}

/*
 * The entry for key, made (with no value yet) when it is new: what adding
 * and get-or-add share.
 */
static struct strmap_entry *
entry_for(struct strmap *m, const char *key, size_t len, size_t value,
    const char *who)
{
	uint64_t h = hash_key(m, key, len);
	struct strmap_entry *e;

	if (len > KEY_MAX || value >= VALUE_NONE)
		BUG("%s: key of %zu bytes, value %zu", who, len, value);
	if ((m->used + 1) * 2 > m->cap)
		rehash(m);
	e = find_slot(m->slots, m->cap, m->fold, key, len, h);
	if (e->key == NULL) {
		e->key = key;
		e->len = (uint32_t)len;
		e->tag = tag_of(h);
		e->head = VALUE_NONE;
		m->used++;
	}
	return e;
}

/* Put value first in e's chain. */
static void
push_value(struct strmap *m, struct strmap_entry *e, size_t value)
{
	GROW(m->values, m->capvalues, m->nvalues + 2);
	m->values[m->nvalues] = (uint32_t)value;
	m->values[m->nvalues + 1] = e->head;
	e->head = (uint32_t)m->nvalues;
	m->nvalues += 2;
}

void
strmap_add(struct strmap *m, const char *key, size_t len, size_t value)
{
	struct strmap_entry *e = entry_for(m, key, len, value, "strmap_add");
	uint32_t v;

	for (v = e->head; v != VALUE_NONE; v = m->values[v + 1])
		if (m->values[v] == value)
			return;
	push_value(m, e, value);
}

size_t
strmap_get_or_add(struct strmap *m, const char *key, size_t len,
    size_t value)
{
	struct strmap_entry *e = entry_for(m, key, len, value,
	    "strmap_get_or_add");

	if (e->head != VALUE_NONE)
		return m->values[e->head];
	push_value(m, e, value);
	return value;
}

size_t
strmap_first(const struct strmap *m, const char *key, size_t len, size_t *it)
{
	struct strmap_entry *e;

	*it = STRMAP_NONE;
	if (m->cap == 0)
		return STRMAP_NONE;
	if (len > KEY_MAX)
		return STRMAP_NONE;
	e = find_slot(m->slots, m->cap, m->fold, key, len,
	    hash_key(m, key, len));
	if (e->key == NULL)
		return STRMAP_NONE;
	*it = e->head == VALUE_NONE ? STRMAP_NONE : e->head;
	return strmap_next(m, it);
}

size_t
strmap_next(const struct strmap *m, size_t *it)
{
	size_t v;

	if (*it == STRMAP_NONE)
		return STRMAP_NONE;
	v = m->values[*it];
	*it = m->values[*it + 1] == VALUE_NONE ? STRMAP_NONE :
	    m->values[*it + 1];
	return v;
}

void
strmap_release(struct strmap *m)
{
	free(m->slots);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

struct strset_slot {
	const char *s;		/* NULL: empty slot */
	uint32_t len;
	uint32_t hash;
};

static struct strset_slot *
strset_slot(struct strset_slot *slots, size_t cap, const char *s,
    size_t len, uint32_t h)
{
	size_t i = home_slot(h, cap);

	while (slots[i].s != NULL && (slots[i].hash != h ||
	    slots[i].len != len || memcmp(slots[i].s, s, len) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void
strset_grow(struct strset *set)
{
	size_t ncap = set->cap ? set->cap * 2 : 256, i;
	struct strset_slot *slots = xcalloc(ncap, sizeof(*slots));

	for (i = 0; i < set->cap; i++) {
		struct strset_slot *e = &set->slots[i];

		if (e->s != NULL)
			*strset_slot(slots, ncap, e->s, e->len, e->hash) = *e;
	}
	free(set->slots);
	set->slots = slots;
	set->cap = ncap;
}

const char *
strset_intern(struct strset *set, struct arena *a, const char *s, size_t len)
{
	uint32_t h = (uint32_t)(hash_bytes(s, len) >> 32);
	struct strset_slot *e;

	if (len > UINT32_MAX)	/* never a name: no need to share it */
		return arena_strndup(a, s, len);
	if ((set->used + 1) * 2 > set->cap)
		strset_grow(set);
	e = strset_slot(set->slots, set->cap, s, len, h);
	if (e->s == NULL) {
		e->s = arena_strndup(a, s, len);
		e->len = (uint32_t)len;
		e->hash = h;
		set->used++;
	}
	return e->s;
}

void
strset_release(struct strset *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
