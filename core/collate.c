/*
 * collate.c - ICU root order, as far as collate.h says: three levels
 * (base characters, then accents, then case), each compared over the
 * whole text before the next is looked at.
 */
#include "collate.h"

#include <stdint.h>
#include <string.h>

#include "util.h"

/* ICU root order of ASCII's spaces, punctuation and symbols. */
static const char ascii_order[] =
    "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

/*
 * Primary weights: each of ascii_order's has a span of SPAN, so that the
 * symbols fit after '~' in code point order, and currency signs after '$'.
 */
#define SPAN 0x200000u
#define NASCII (sizeof(ascii_order) - 1)
enum {
	W_IGNORE = 0,
	W_ASCII = SPAN,			/* + SPAN * position in ascii_order */
	W_DIGITS = SPAN * (NASCII + 1),
	W_LETTER = SPAN * (NASCII + 2),	/* + 8 * (letter - 'a') */
	W_OTHER = SPAN * (NASCII + 3),	/* + code point */
};

/* U+00C0..U+017F: base letter ('.': not a letter), case, accent. */
static const char latin_base[] =
	"aaaaaaaceeeeiiiidnooooo.ouuuuyzsaaaaaaaceeeeiiii"
	"dnooooo.ouuuuyzyaaaaaaccccccccddddeeeeeeeeeegggg"
	"gggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooo"
	"oooorrrrrrsssssssstttttuuuuuuuuuuuuwwyyyzzzzzzs";
static const char latin_upper[] =
	"111111111111111111111110111111100000000000000000"
	"000000000000000010101010101010101010101010101010"
	"101010101010101010101010010101010101010100101010"
	"101010101010101010101010101010101010101011010100";

struct unit {
	uint32_t primary;	/* W_DIGITS: the run is digits[0..ndigits) */
	unsigned char accent, upper;
	const char *digits;
	size_t ndigits;
};

static uint32_t
decode(const unsigned char *s, size_t n, size_t *used)
{
	size_t len = utf8_seq_len(s, n), i;
	uint32_t cp;

	if (len == 0) {
		*used = 1;
		return 0xFFFD;
	}
	*used = len;
	if (len == 1)
		return s[0];
	cp = s[0] & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

static int
is_symbol(uint32_t cp)
{
	return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	    (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFFFD;
}

static int
is_ignorable(uint32_t cp)
{
	/* Controls but the spaces ascii_order holds, as in ICU. */
	if ((cp < 0x20 && (cp < '\t' || cp > '\r')) || (cp >= 0x7F &&
	    cp <= 0x9F))
		return 1;
	return (cp >= 0x300 && cp <= 0x36F) || cp == 0x200B || cp == 0x200C ||
	    cp == 0x200D || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	    cp == 0xFEFF;
}

/* The weights of a code point that is not an ASCII digit. */
static void
weigh(uint32_t cp, struct unit *u)
{
	const char *at;

	if (cp < 0x80 && cp != 0 && (at = strchr(ascii_order, (int)cp))) {
		u->primary = W_ASCII + SPAN * (uint32_t)(at - ascii_order);
	} else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') {
		u->primary = W_LETTER + 8 * ((cp | 0x20) - 'a');
		u->upper = cp < 'a';
	} else if (cp >= 0xC0 && cp < 0x180 && latin_base[cp - 0xC0] != '.') {
		u->primary = W_LETTER + 8 * (uint32_t)(latin_base[cp - 0xC0] -
		    'a');
		u->upper = latin_upper[cp - 0xC0] == '1';
		u->accent = 1;
	} else if (is_ignorable(cp)) {
		u->primary = W_IGNORE;
	} else if (cp >= 0x2010 && cp <= 0x2015) {
		u->primary = W_ASCII + SPAN * 7 + cp;	/* dashes, after '-' */
	} else if (cp >= 0x20A0 && cp <= 0x20CF) {
		/* Currency signs, after '$'. */
		u->primary = W_ASCII + SPAN * (NASCII - 1) + cp;
	} else if (is_symbol(cp)) {
		/* After '~', before '$': the last two of ascii_order. */
		u->primary = W_ASCII + SPAN * (NASCII - 2) + cp;
	} else {
		/* Greek and Cyrillic capitals share their small letter's weight. */
		if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F))
			u->upper = 1, cp += 0x20;
		else if (cp >= 0x400 && cp <= 0x40F)
			u->upper = 1, cp += 0x50;
		u->primary = W_OTHER + cp;
	}
}

/* Letters that sort as two or three (ICU's expansions). */
static const struct {
	uint32_t cp;
	const char *as;
} expansions[] = {
	{ 0xC6, "AE" }, { 0xDF, "ss" }, { 0xE6, "ae" }, { 0x152, "OE" },
	{ 0x153, "oe" }, { 0xFB00, "ff" }, { 0xFB01, "fi" }, { 0xFB02, "fl" },
	{ 0xFB03, "ffi" }, { 0xFB04, "ffl" }, { 0xFB05, "st" }, { 0xFB06, "st" },
};

struct cursor {
	const char *s;
	size_t n, i;
	const char *pending;	/* the rest of an expansion */
};

static const char *
expansion(uint32_t cp)
{
	size_t k;

	for (k = 0; k < sizeof(expansions) / sizeof(expansions[0]); k++)
		if (expansions[k].cp == cp)
			return expansions[k].as;
	return NULL;
}

/* The next unit of the text, or 0 at its end. */
static int
next_unit(struct cursor *c, struct unit *u)
{
	const unsigned char *p = (const unsigned char *)c->s;
	const char *as;
	size_t used;
	uint32_t cp;

	memset(u, 0, sizeof(*u));
	if (c->pending != NULL && *c->pending != '\0') {
		weigh((unsigned char)*c->pending++, u);
		u->accent = 1;
		return 1;
	}
	while (c->i < c->n) {
		if (p[c->i] >= '0' && p[c->i] <= '9') {
			size_t start = c->i;

			while (c->i < c->n && p[c->i] >= '0' && p[c->i] <= '9')
				c->i++;
			while (start + 1 < c->i && p[start] == '0')
				start++;
			u->primary = W_DIGITS;
			u->digits = c->s + start;
			u->ndigits = c->i - start;
			return 1;
		}
		cp = decode(p + c->i, c->n - c->i, &used);
		c->i += used;
		if ((as = expansion(cp)) != NULL) {
			weigh((unsigned char)as[0], u);
			u->accent = 1;
			c->pending = as + 1;
			return 1;
		}
		weigh(cp, u);
		if (u->primary != W_IGNORE)
			return 1;
	}
	return 0;
}

static int
primary_cmp(const struct unit *a, const struct unit *b)
{
	int c;

	if (a->primary != b->primary)
		return a->primary < b->primary ? -1 : 1;
	if (a->primary != W_DIGITS)
		return 0;
	if (a->ndigits != b->ndigits)
		return a->ndigits < b->ndigits ? -1 : 1;
	c = memcmp(a->digits, b->digits, a->ndigits);
	return (c > 0) - (c < 0);
}

/* One level over the whole of both texts. */
static int
compare_level(const char *a, size_t alen, const char *b, size_t blen,
    int level)
{
	struct cursor ca = { a, alen, 0, NULL }, cb = { b, blen, 0, NULL };
	struct unit ua, ub;

	for (;;) {
		int ha = next_unit(&ca, &ua), hb = next_unit(&cb, &ub), c;

		if (!ha || !hb)
			return ha - hb;
		if (level == 1)
			c = primary_cmp(&ua, &ub);
		else if (level == 2)
			c = (int)ua.accent - (int)ub.accent;
		else
			c = (int)ua.upper - (int)ub.upper;
		if (c != 0)
			return c;
	}
}

int
collate_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	int level, c;

	for (level = 1; level <= 3; level++)
		if ((c = compare_level(a, alen, b, blen, level)) != 0)
			return c;
	return 0;
}
