/*
 * util.h - memory, growable buffers and small string helpers shared by
 * every module.
 *
 * Three tiers of failure, never mixed: a user's problem is a struct diag
 * (diag.h); a bug in followup is BUG(), which prints file and line and
 * aborts; running out of memory makes the x*() allocators exit with 71.
 *
 * struct arena hands out memory that lives until arena_free(): the engine
 * keeps every string it extracts from a vault in one arena, so the many
 * small pieces of a scan are released at once and never individually.
 */
#ifndef FOLLOWUP_UTIL_H
#define FOLLOWUP_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
void bug_at(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* The "s" of "N things": "" for one (and for "-1 day"). */
static inline const char *
plural(long long n)
{
	return n == 1 || n == -1 ? "" : "s";
}

/* Grow *p (an array of elem-sized items with capacity *cap) to hold need. */
void grow_array(void **p, size_t *cap, size_t need, size_t elem);
#define GROW(arr, cap, need) \
	grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr)))

struct arena_block;
struct arena {
	struct arena_block *head;
};

void *arena_alloc(struct arena *a, size_t n);
/* align: a power of two up to 16. */
void *arena_take_aligned(struct arena *a, size_t n, size_t align);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Make src's memory dst's: it lives until arena_free(dst). src is empty. */
void arena_adopt(struct arena *dst, struct arena *src);
void arena_free(struct arena *a);
/* An array of exactly the n pointers at src, in a (NULL when n is 0). */
const char **arena_copy_ptrs(struct arena *a, const char *const *src,
    size_t n);
/* Append a copy of s[0..len) to the arena array *arr of *n strings. */
void arena_push_string(struct arena *a, const char ***arr, size_t *n,
    const char *s, size_t len);

/*
 * struct strbuf - a NUL-terminated growable string. Appends beyond
 * STRBUF_MAX are a bug: no input followup reads is that large.
 */
#define STRBUF_MAX ((size_t)1 << 30)
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
/* The string, owned by the caller; the strbuf is left empty. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Never NULL: "" for an empty buffer. */
const char *strbuf_str(const struct strbuf *sb);

/* RFC 3986: every byte but the unreserved characters as %XX. */
void strbuf_add_percent_encoded(struct strbuf *sb, const char *s);
/* Overwrite s (a password, a token) with zeros, then free it. NULL is fine. */
void free_secret(char *s);
/* 0-15 for a hex digit, else -1. */
int hex_value(char c);
/* s (n bytes) with every "%XX" decoded (a stray '%' kept); the caller's. */
char *percent_decode(const char *s, size_t n);

/*
 * A file of followup's in an XDG base folder: "$VAR/followup/FILE" when
 * the variable holds an absolute path, else "$HOME/FALLBACK/followup/FILE"
 * (fallback like ".local/state"); NULL without either. FILE may be "" for
 * the folder itself. The caller owns the result.
 */
char *xdg_path(const char *var, const char *fallback, const char *file);

/* ASCII-only case folding: names and tags compare this way. */
int ascii_casecmp_n(const char *a, size_t alen, const char *b, size_t blen);
/* How many bytes s[0..n) starts with that are ASCII (n: all of them). */
size_t ascii_span(const char *s, size_t n);
/* Case-insensitive (ASCII) substring test; an empty needle matches. */
int ascii_contains(const char *hay, size_t haylen, const char *needle,
    size_t nlen);
char *arena_lowercase(struct arena *a, const char *s, size_t n);

/*
 * Whether real, an absolute path with its links resolved, lies inside
 * the folder root (resolved too); root itself does not count.
 */
int path_is_inside(const char *real, const char *root);

/* Trim ASCII spaces and tabs (and a trailing CR) from both ends. */
void trim_span(const char **s, size_t *n);

/* Length of the valid UTF-8 sequence at s (1-4), 0 when invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);
/* Offset of the first invalid UTF-8 byte, or n when all is valid. */
size_t utf8_first_invalid(const unsigned char *s, size_t n);
/*
 * Append s[0..n) with each ill-formed sequence as one U+FFFD (as
 * JavaScript's TextDecoder mends it) and, with
 * UTF8_CONTROLS_AS_SPACE, every control character (C0, DEL) as a space:
 * text from file names that must become JSON, or a one-line message.
 */
#define UTF8_CONTROLS_AS_SPACE 1u
/*
 * Or, with UTF8_CONTROLS_SHOWN, every control character (C0, DEL and the
 * C1 ones, U+0080 to U+009F) as a visible escape: \n, \r, \t, \e, else
 * \xHH (\u0085 for C1), as `ls -b` shows a name. For a terminal or a log
 * line: nothing from a note can move the cursor, retitle the window, ring
 * or forge a line.
 */
#define UTF8_CONTROLS_SHOWN 2u
void strbuf_add_utf8_mended(struct strbuf *sb, const char *s, size_t n,
    unsigned flags);
/* Whether s[0..n) is valid UTF-8 with no control character (C0, DEL, C1). */
int utf8_is_plain(const char *s, size_t n);

/* Seconds on a clock that only goes forward: for budgets and timings. */
double monotonic_seconds(void);
/* Sleep ms milliseconds, through interrupting signals. */
void sleep_ms(long ms);

/* The 64-bit FNV-1a hash of s[0..n): stable ids (UIDs, message ids). */
unsigned long long hash_fnv1a64(const char *s, size_t n);

/* Levenshtein distance, capped at 64; for "did you mean" hints. */
int edit_distance(const char *a, const char *b);

#endif
