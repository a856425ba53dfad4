/*
 * regex.c - JavaScript-like regular expressions through PCRE2 (see
 * regex.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

/* Enough for any sane filter; a runaway backtrack stops here. */
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct regex {
	pcre2_code *code;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
};

int
regex_split(const char *s, size_t n, const char **pat, size_t *patlen,
    unsigned *flags, struct strbuf *err)
{
	size_t last, i;
	unsigned seen = 0;

	if (n < 3 || s[0] != '/') {
		strbuf_addf(err, "the regular expression \"%.*s\" must be "
		    "written as /pattern/flags", (int)(n > 200 ? 200 : n), s);
		return -1;
	}
	for (last = n - 1; last > 0 && s[last] != '/'; last--)
		;
	if (last < 2) {
		strbuf_addf(err, "the regular expression \"%.*s\" must be "
		    "written as /pattern/flags", (int)(n > 200 ? 200 : n), s);
		return -1;
	}
	*flags = 0;
	for (i = last + 1; i < n; i++) {
		const char *known = "imsudgyv";
		const char *k = memchr(known, s[i], strlen(known));
		unsigned bit;

		if (k == NULL || (seen & (bit = 1u << (k - known)))) {
			strbuf_addf(err, "invalid flags \"%.*s\" in the regular "
			    "expression", (int)(n - last - 1), s + last + 1);
			return -1;
		}
		seen |= bit;
	}
	*flags = (seen & 1 ? QR_I : 0) | (seen & 2 ? QR_M : 0) |
	    (seen & 4 ? QR_S : 0) | (seen & (8 | 128) ? QR_U : 0);
	*pat = s + 1;
	*patlen = last - 1;
	return 0;
}

struct regex *
regex_compile(const char *pat, size_t patlen, unsigned flags,
    struct strbuf *err)
{
	uint32_t opts = PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF;
	int code;
	PCRE2_SIZE off;
	struct regex *re;
	pcre2_code *c;

	/* JavaScript reads \u, \x{..} like PCRE2's ALT_BSUX; $ is not \n-fuzzy. */
	opts |= PCRE2_DOLLAR_ENDONLY;
	if (flags & QR_I)
		opts |= PCRE2_CASELESS;
	if (flags & QR_M)
		opts = (opts & ~PCRE2_DOLLAR_ENDONLY) | PCRE2_MULTILINE;
	if (flags & QR_S)
		opts |= PCRE2_DOTALL;
	/* Code points either way; \w and \d stay ASCII, as in JavaScript. */
	opts |= PCRE2_UTF;
	c = pcre2_compile((PCRE2_SPTR)pat, patlen, opts, &code, &off, NULL);
	if (c == NULL) {
		if (err != NULL) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(code, msg, sizeof(msg));
			strbuf_addf(err, "invalid regular expression /%.*s/: "
			    "%s at offset %zu", (int)(patlen > 200 ? 200 :
			    patlen), pat, (const char *)msg, (size_t)off);
		}
		return NULL;
	}
	re = xcalloc(1, sizeof(*re));
	re->code = c;
	re->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, DEPTH_LIMIT);
	re->md = pcre2_match_data_create_from_pattern(c, NULL);
	if (re->mctx == NULL || re->md == NULL)
		BUG("pcre2 out of memory");
	return re;
}

int
regex_matches(const struct regex *re, const char *s, size_t n)
{
	/* Invalid UTF-8 is checked for (an error: no match), never assumed. */
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md,
	    re->mctx);

	return rc >= 0;
}

void
regex_free(struct regex *re)
{
	if (re == NULL)
		return;
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re);
}
