/*
 * linkpath.c - link paths and the note each resolves to (see linkpath.h).
 */
#include "linkpath.h"

#include <stdlib.h>
#include <string.h>

/* Longer "folder/name" links (no real path is) are not remembered. */
#define ENDING_KEY_MAX 4096

static int
has_scheme(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < n; i++) {
		char c = s[i];

		if (c == ':')
			return 1;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
			return 0;
	}
	return 0;
}

int
linkpath_from_href(const char *s, size_t n, struct strbuf *out)
{
	size_t i;

	strbuf_reset(out);
	trim_span(&s, &n);
	if (n == 0 || has_scheme(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] != '%') {
			strbuf_addch(out, s[i]);
			continue;
		}
		if (i + 2 >= n)
			goto as_written;
		hi = hex_value(s[i + 1]);
		lo = hex_value(s[i + 2]);
		if (hi < 0 || lo < 0)
			goto as_written;
		strbuf_addch(out, (char)(hi * 16 + lo));
		i += 2;
	}
	if (utf8_first_invalid((const unsigned char *)out->buf, out->len) ==
	    out->len)
		return 1;
as_written:
	strbuf_reset(out);
	strbuf_add(out, s, n);
	return 1;
}

/* The link path of target: no subpath, trimmed, no ".md". */
static void
link_path(const char **target, size_t *n)
{
	const char *hash = memchr(*target, '#', *n);

	if (hash != NULL)
		*n = (size_t)(hash - *target);
	trim_span(target, n);
	if (*n >= 3 && ascii_casecmp_n(*target + *n - 3, 3, ".md", 3) == 0)
		*n -= 3;
}

static int
is_relative(const char *s, size_t n)
{
	return (n >= 2 && s[0] == '.' && s[1] == '/') ||
	    (n >= 3 && s[0] == '.' && s[1] == '.' && s[2] == '/');
}

int
linkpath_is_bare(const char *target, size_t n)
{
	link_path(&target, &n);
	return n > 0 && memchr(target, '/', n) == NULL;
}

static void
lower_into(struct strbuf *sb, const char *s, size_t n)
{
	size_t i, at = sb->len;

	strbuf_add(sb, s, n);
	for (i = at; i < sb->len; i++)
		if (sb->buf[i] >= 'A' && sb->buf[i] <= 'Z')
			sb->buf[i] += 'a' - 'A';
}

void
link_index_init(struct link_index *ix)
{
	memset(ix, 0, sizeof(*ix));
	strmap_init(&ix->by_path);
	strmap_init_folded(&ix->by_base);
	strmap_init(&ix->endings);
	ix->scratch = (struct strbuf)STRBUF_INIT;
}

/* The per-note arrays hold cap entries, the per-slot ones capslots. */
static void
grow_notes(struct link_index *ix, size_t want)
{
	size_t old = ix->cap;

	GROW(ix->next, ix->cap, want);
	if (ix->cap != old) {
		ix->pathlen = xrealloc(ix->pathlen, ix->cap *
		    sizeof(*ix->pathlen));
		ix->key = xrealloc(ix->key, ix->cap * sizeof(*ix->key));
	}
}

static void
grow_slots(struct link_index *ix, size_t want)
{
	size_t old = ix->capslots;

	GROW(ix->best, ix->capslots, want);
	if (ix->capslots != old) {
		ix->head = xrealloc(ix->head, ix->capslots * sizeof(*ix->head));
		ix->chainlen = xrealloc(ix->chainlen, ix->capslots *
		    sizeof(*ix->chainlen));
		ix->mapped = xrealloc(ix->mapped, ix->capslots);
	}
}

void
link_index_reserve(struct link_index *ix, size_t n)
{
	grow_notes(ix, n);
	grow_slots(ix, n);
	strmap_reserve(&ix->by_base, n);
}

static size_t
lookup_one(const struct strmap *m, const char *key, size_t len)
{
	size_t it;

	return strmap_first(m, key, len, &it);
}

/* A chain longer than this is looked up through by_path. */
#define CHAIN_WALK_MAX 16

/* Put the notes of a long chain in by_path, the oldest first. */
static void
map_chain(struct link_index *ix, size_t slot)
{
	size_t *ids = xcalloc(ix->chainlen[slot], sizeof(*ids));
	struct strbuf low = STRBUF_INIT;
	size_t id, k = 0;

	for (id = ix->head[slot]; id != LINK_NONE; id = ix->next[id])
		ids[k++] = id;
	/* Not ix->scratch: it holds the key being looked up. */
	while (k-- > 0) {
		strbuf_reset(&low);
		lower_into(&low, ix->key[ids[k]], ix->pathlen[ids[k]]);
		strmap_get_or_add(&ix->by_path, arena_strndup(&ix->keys,
		    low.buf, low.len), low.len, ids[k]);
	}
	strbuf_release(&low);
	ix->mapped[slot] = 1;
	free(ids);
}

/*
 * The note whose lowercased path (without ".md") is key[0..n), or
 * STRMAP_NONE, found through the chain of its base name: walked when it
 * is short, else (a name many notes share) through by_path, filled for
 * that chain the first time. Two paths that differ in case only: the
 * first one added is the path.
 */
static size_t
path_lookup(struct link_index *ix, const char *key, size_t n)
{
	const char *slash = memrchr(key, '/', n);
	const char *base = slash ? slash + 1 : key;
	size_t slot = lookup_one(&ix->by_base, base, n - (size_t)(base - key));
	size_t id, found = STRMAP_NONE;

	if (slot == STRMAP_NONE)
		return STRMAP_NONE;
	if (ix->chainlen[slot] > CHAIN_WALK_MAX) {
		if (!ix->mapped[slot])
			map_chain(ix, slot);
		return lookup_one(&ix->by_path, key, n);
	}
	/* The chain runs newest first. */
	for (id = ix->head[slot]; id != LINK_NONE; id = ix->next[id])
		if (ix->pathlen[id] == n &&
		    ascii_casecmp_n(ix->key[id], n, key, n) == 0)
			found = id;
	return found;
}

void
link_index_add(struct link_index *ix, const char *path)
{
	size_t n = strlen(path), id = ix->n, slot;
	const char *p = path, *slash, *base;

	/* A path is kept whole: '#' in a file name is not a subpath. */
	if (n >= 3 && ascii_casecmp_n(p + n - 3, 3, ".md", 3) == 0)
		n -= 3;
	grow_notes(ix, id + 1);
	ix->next[id] = LINK_NONE;
	ix->pathlen[id] = (uint32_t)n;
	ix->key[id] = path;	/* compared case-insensitively */
	ix->n++;
	slash = memrchr(p, '/', n);
	base = slash ? slash + 1 : p;
	/* The map folds case: the base name is borrowed from the path. */
	slot = strmap_get_or_add(&ix->by_base, base, n - (size_t)(base - p),
	    ix->nslots);
	if (slot == ix->nslots) {
		ix->nslots++;
		grow_slots(ix, slot + 1);
		ix->best[slot] = ix->head[slot] = id;
		ix->chainlen[slot] = 1;
		ix->mapped[slot] = 0;
		return;
	}
	ix->chainlen[slot]++;
	if (ix->pathlen[id] < ix->pathlen[ix->best[slot]])
		ix->best[slot] = id;
	ix->next[id] = ix->head[slot];
	ix->head[slot] = id;
}

/*
 * Resolve "./" and "../" of rel against the folder of source into sb
 * (lowercased). 0 when it climbs above the root.
 */
static int
join_relative(struct strbuf *sb, const char *source, const char *rel,
    size_t n)
{
	const char *slash = strrchr(source, '/');
	size_t i = 0;

	strbuf_reset(sb);
	if (slash != NULL)
		lower_into(sb, source, (size_t)(slash - source));
	while (i < n) {
		size_t j = i;

		while (j < n && rel[j] != '/')
			j++;
		if (j - i == 2 && rel[i] == '.' && rel[i + 1] == '.') {
			char *up;

			if (sb->len == 0)
				return 0;
			up = memrchr(sb->buf, '/', sb->len);
			sb->len = up ? (size_t)(up - sb->buf) : 0;
			sb->buf[sb->len] = '\0';
		} else if (!(j - i == 1 && rel[i] == '.') && j > i) {
			if (sb->len > 0)
				strbuf_addch(sb, '/');
			lower_into(sb, rel + i, j - i);
		}
		i = j + 1;
	}
	return sb->len > 0;
}

/* The shortest note whose key ends with "/" + key[0..n) (n > base). */
static size_t
shortest_ending(const struct link_index *ix, size_t slot, const char *key,
    size_t n)
{
	size_t id, found = LINK_NONE;

	for (id = ix->head[slot]; id != LINK_NONE; id = ix->next[id]) {
		size_t len = ix->pathlen[id];

		if (len <= n || ix->key[id][len - n - 1] != '/' ||
		    ascii_casecmp_n(ix->key[id] + len - n, n, key, n) != 0)
			continue;
		/* The chain runs newest first: ties go to the older. */
		if (found == LINK_NONE || len <= ix->pathlen[found])
			found = id;
	}
	return found;
}

size_t
link_index_resolve(struct link_index *ix, const char *target, size_t n,
    const char *source_path)
{
	struct strbuf *sb = &ix->scratch;
	const char *slash, *base;
	size_t id, slot, blen;

	link_path(&target, &n);
	if (n == 0)
		return LINK_NONE;
	if (is_relative(target, n)) {
		if (!join_relative(sb, source_path, target, n))
			return LINK_NONE;
		id = path_lookup(ix, sb->buf, sb->len);
		return id == STRMAP_NONE ? LINK_NONE : id;
	}
	if (target[0] == '/') {
		target++;
		n--;
	}
	if (n == 0)
		return LINK_NONE;
	if (memchr(target, '/', n) == NULL) {
		/*
		 * One note of that name: every rule below finds it. The map
		 * folds case, and a link is most often written as the note
		 * is named: looked up as written.
		 */
		slot = lookup_one(&ix->by_base, target, n);
		if (slot == STRMAP_NONE)
			return LINK_NONE;
		if (ix->next[ix->head[slot]] == LINK_NONE)
			return ix->head[slot];
	}
	strbuf_reset(sb);
	lower_into(sb, target, n);
	slash = memrchr(sb->buf, '/', sb->len);
	if ((id = path_lookup(ix, sb->buf, sb->len)) != STRMAP_NONE)
		return id;
	base = slash ? slash + 1 : sb->buf;
	blen = sb->len - (size_t)(base - sb->buf);
	if (blen == 0)
		return LINK_NONE;
	slot = lookup_one(&ix->by_base, base, blen);
	if (slot == STRMAP_NONE)
		return LINK_NONE;
	if (slash != NULL) {
		/* Kept as ix->n for none: a value is below UINT32_MAX. */
		if ((id = lookup_one(&ix->endings, sb->buf, sb->len)) ==
		    STRMAP_NONE) {
			id = shortest_ending(ix, slot, sb->buf, sb->len);
			if (sb->len > ENDING_KEY_MAX)
				return id;
			strmap_add(&ix->endings, arena_strndup(&ix->keys,
			    sb->buf, sb->len), sb->len,
			    id == LINK_NONE ? ix->n : id);
		}
		return id == ix->n ? LINK_NONE : id;
	}
	slash = strrchr(source_path, '/');
	if (slash != NULL) {
		size_t folder = (size_t)(slash - source_path) + 1;

		strbuf_reset(sb);
		lower_into(sb, source_path, folder);
		lower_into(sb, target, n);
		id = path_lookup(ix, sb->buf, sb->len);
		if (id != STRMAP_NONE)
			return id;
	}
	return ix->best[slot];
}

void
link_index_release(struct link_index *ix)
{
	strmap_release(&ix->by_path);
	strmap_release(&ix->by_base);
	strmap_release(&ix->endings);
	arena_free(&ix->keys);
	free(ix->best);
	free(ix->head);
	free(ix->chainlen);
	free(ix->mapped);
	free(ix->next);
	free(ix->pathlen);
	free(ix->key);
	strbuf_release(&ix->scratch);
	memset(ix, 0, sizeof(*ix));
}
