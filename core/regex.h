/*
 * regex.h - the regular expressions of Tasks' `regex matches /re/flags`
 * filters (Queries/Regular Expressions.md): JavaScript's RegExp as far
 * as PCRE2 gives it. <pcre2.h> is included only by regex.c.
 *
 * Flags i, m, s and u mean what they mean in JavaScript; d, g and y do
 * not change what .test() finds on a fresh RegExp and are accepted. A
 * match is bounded (PCRE2's match and depth limits): a pattern that
 * would backtrack without end fails to match instead of hanging.
 *
 * Memory: regex_compile() returns what the caller frees (regex_free()).
 */
#ifndef FOLLOWUP_REGEX_H
#define FOLLOWUP_REGEX_H

#include <stddef.h>

struct regex;
struct strbuf;

/*
 * Read "/pattern/flags" (s, n bytes) as Tasks does: the pattern runs to
 * the last '/'. Returns 0 with the pattern's span and QR_* flags (model.h),
 * or -1 with the reason in err.
 */
int regex_split(const char *s, size_t n, const char **pat, size_t *patlen,
    unsigned *flags, struct strbuf *err);

/* Compile; NULL with PCRE2's reason in err (which may be NULL). */
struct regex *regex_compile(const char *pat, size_t patlen, unsigned flags,
    struct strbuf *err);

/* Does re find a match in s (n bytes)? */
int regex_matches(const struct regex *re, const char *s, size_t n);

void regex_free(struct regex *re);

#endif
