/* util.c - allocation, arenas, strbuf and string helpers (see util.h). */
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_OSERR 71

void
bug_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "followup: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void
out_of_memory(size_t n)
{
	fprintf(stderr, "followup: out of memory (%zu bytes)\n", n);
	exit(EXIT_OSERR);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory(count * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		out_of_memory(n);
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("bad format \"%s\"", fmt);
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > ((size_t)-1) / 2 / elem)
			out_of_memory(need * elem);
		ncap *= 2;
	}
	*p = xrealloc(*p, ncap * elem);
	*cap = ncap;
}

/* Arena: a list of blocks, bump allocation, 16-byte aligned pieces. */
#define ARENA_BLOCK 65536

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	_Alignas(16) unsigned char data[];
};

static void *
arena_take(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t at;
	void *p;

	at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (b == NULL || at > b->size || b->size - at < n) {
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;

		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		at = 0;
		if (n > ARENA_BLOCK / 4 && a->head != NULL) {
			/* A big piece gets its own block behind the current one. */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + at;
	b->used = at + n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	return arena_take(a, n, 16);
}

void *
arena_take_aligned(struct arena *a, size_t n, size_t align)
{
	return arena_take(a, n, align);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1, 1);	/* strings need no alignment */

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *p;

	va_start(ap, fmt);
	tmp = xvasprintf(fmt, ap);
	va_end(ap);
	p = arena_strdup(a, tmp);
	free(tmp);
	return p;
}

const char **
arena_copy_ptrs(struct arena *a, const char *const *src, size_t n)
{
	const char **copy;

	if (n == 0)
		return NULL;
	copy = arena_take(a, n * sizeof(*copy), _Alignof(const char *));
	memcpy(copy, src, n * sizeof(*copy));
	return copy;
}

void
arena_push_string(struct arena *a, const char ***arr, size_t *n,
    const char *s, size_t len)
{
	/* Pointer-aligned, not 16: these small arrays are many. */
	const char **grown = arena_take(a, (*n + 1) * sizeof(*grown),
	    _Alignof(const char *));

	if (*n)
		memcpy(grown, *arr, *n * sizeof(*grown));
	grown[(*n)++] = arena_strndup(a, s, len);
	*arr = grown;
}

void
arena_adopt(struct arena *dst, struct arena *src)
{
	struct arena_block *tail = src->head;

	if (tail == NULL)
		return;
	while (tail->next != NULL)
		tail = tail->next;
	/* Behind dst's current block, which keeps taking the small pieces. */
	if (dst->head == NULL)
		dst->head = src->head;
	else {
		tail->next = dst->head->next;
		dst->head->next = src->head;
	}
	src->head = NULL;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

void
strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	if (n > STRBUF_MAX || sb->len > STRBUF_MAX - n)
		BUG("strbuf over its %zu byte cap", (size_t)STRBUF_MAX);
	GROW(sb->buf, sb->cap, sb->len + n + 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_adds(sb, p);
	free(p);
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

char *
strbuf_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void
strbuf_add_percent_encoded(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			strbuf_addch(sb, (char)c);
		else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[c >> 4]);
			strbuf_addch(sb, hex[c & 15]);
		}
	}
}

char *
xdg_path(const char *var, const char *fallback, const char *file)
{
	const char *xdg = getenv(var);
	const char *home = getenv("HOME");
	const char *sep = file[0] ? "/" : "";

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/followup%s%s", xdg, sep, file);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/%s/followup%s%s", home, fallback, sep,
		    file);
	return NULL;
}

static unsigned char
fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int
ascii_casecmp_n(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++) {
		unsigned char x = fold((unsigned char)a[i]);
		unsigned char y = fold((unsigned char)b[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

int
ascii_contains(const char *hay, size_t haylen, const char *needle,
    size_t nlen)
{
	size_t i, k, *fail;
	int hit = 0;

	if (nlen == 0)
		return 1;
	if (nlen > haylen)
		return 0;
	if (nlen <= 16) {
		for (i = 0; i + nlen <= haylen; i++)
			if (ascii_casecmp_n(hay + i, nlen, needle, nlen) == 0)
				return 1;
		return 0;
	}
	/* A long needle: Knuth-Morris-Pratt, so the time stays linear. */
	fail = xmalloc(nlen * sizeof(*fail));
	fail[0] = 0;
	for (i = 1, k = 0; i < nlen; i++) {
		while (k > 0 && fold((unsigned char)needle[i]) !=
		    fold((unsigned char)needle[k]))
			k = fail[k - 1];
		if (fold((unsigned char)needle[i]) ==
		    fold((unsigned char)needle[k]))
			k++;
		fail[i] = k;
	}
	for (i = 0, k = 0; i < haylen; i++) {
		while (k > 0 && fold((unsigned char)hay[i]) !=
		    fold((unsigned char)needle[k]))
			k = fail[k - 1];
		if (fold((unsigned char)hay[i]) == fold((unsigned char)needle[k]))
			k++;
		if (k == nlen) {
			hit = 1;
			break;
		}
	}
	free(fail);
	return hit;
}

char *
arena_lowercase(struct arena *a, const char *s, size_t n)
{
	char *p = arena_strndup(a, s, n);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)fold((unsigned char)p[i]);
	return p;
}

void
trim_span(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0) {
		char c = (*s)[*n - 1];

		if (c != ' ' && c != '\t' && c != '\r')
			break;
		(*n)--;
	}
}

size_t
utf8_seq_len(const unsigned char *s, size_t avail)
{
	size_t len, i;
	unsigned int cp;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (avail < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return len;
}

size_t
ascii_span(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t word;

	/* Notes are mostly ASCII: eight bytes at a time. */
	for (; n - i >= 8; i += 8) {
		memcpy(&word, s + i, 8);
		if ((word & 0x8080808080808080ULL) != 0)
			break;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

size_t
utf8_first_invalid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len;

		i += ascii_span((const char *)s + i, n - i);
		if (i == n)
			break;
		len = utf8_seq_len(s + i, n - i);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

/*
 * The bytes at p that one U+FFFD replaces: the longest start of a valid
 * sequence, at least one byte (Unicode 3.9 "maximal subpart", as
 * JavaScript's TextDecoder and so Obsidian mend a file).
 */
static size_t
maximal_subpart(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		need = 1;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		need = 2;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		need = 3;
	else
		return 1;
	if (p[0] == 0xE0)
		lo = 0xA0;
	else if (p[0] == 0xED)
		hi = 0x9F;
	else if (p[0] == 0xF0)
		lo = 0x90;
	else if (p[0] == 0xF4)
		hi = 0x8F;
	for (i = 1; i <= need && i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			break;
		lo = 0x80;
		hi = 0xBF;
	}
	return i;
}

/* One control character as `ls -b` shows it. */
static void
add_control_shown(struct strbuf *sb, unsigned char c)
{
	switch (c) {
	case '\n':
		strbuf_adds(sb, "\\n");
		break;
	case '\r':
		strbuf_adds(sb, "\\r");
		break;
	case '\t':
		strbuf_adds(sb, "\\t");
		break;
	case 0x1b:
		strbuf_adds(sb, "\\e");
		break;
	default:
		strbuf_addf(sb, "\\x%02x", c);
	}
}

void
strbuf_add_utf8_mended(struct strbuf *sb, const char *s, size_t n,
    unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	for (; n > 0; p += len, n -= len) {
		if ((flags & UTF8_CONTROLS_AS_SPACE) && (*p < ' ' ||
		    *p == 0x7f)) {
			strbuf_addch(sb, ' ');
			len = 1;
		} else if ((flags & UTF8_CONTROLS_SHOWN) && (*p < ' ' ||
		    *p == 0x7f)) {
			add_control_shown(sb, *p);
			len = 1;
		} else if ((flags & UTF8_CONTROLS_SHOWN) && n >= 2 &&
		    p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			strbuf_addf(sb, "\\u%04x", p[1]);
			len = 2;
		} else if ((len = utf8_seq_len(p, n)) == 0) {
			strbuf_adds(sb, "\xEF\xBF\xBD");
			len = maximal_subpart(p, n);
		} else
			strbuf_add(sb, (const char *)p, len);
	}
}

int
path_is_inside(const char *real, const char *root)
{
	size_t n = strlen(root);

	if (n == 0 || strncmp(real, root, n) != 0)
		return 0;
	return real[n] == '/' || (n == 1 && root[0] == '/' && real[1] != '\0');
}

int
utf8_is_plain(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	for (; n > 0; p += len, n -= len) {
		if (*p < 0x80) {
			if (*p < ' ' || *p == 0x7f)
				return 0;
			len = 1;
		} else if ((len = utf8_seq_len(p, n)) == 0 || (p[0] == 0xc2 &&
		    p[1] <= 0x9f))
			return 0;
	}
	return 1;
}

int
edit_distance(const char *a, const char *b)
{
	int prev[65], cur[65];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > 64 || lb > 64)
		return 64;
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins)
			    : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

void
free_secret(char *s)
{
	if (s != NULL)
		memset(s, 0, strlen(s));
	free(s);
}

int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
percent_decode(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0) {
			strbuf_addch(&sb, (char)(hi * 16 + lo));
			i += 2;
		} else
			strbuf_addch(&sb, s[i]);
	}
	return sb.len ? strbuf_detach(&sb) : xstrdup("");
}

double
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

unsigned long long
hash_fnv1a64(const char *s, size_t n)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
