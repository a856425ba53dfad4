/*
 * collate.h - text order as Obsidian Tasks sorts it: JavaScript's
 * a.localeCompare(b, undefined, { numeric: true }), which Obsidian's
 * Chromium answers with ICU's root collation.
 *
 * Not a whole collation table: the order is ICU's for ASCII (spaces,
 * then punctuation and symbols in root order, then digits, then letters),
 * for the Latin letters of U+00C0..U+017F (their base letter, accents
 * and then case deciding only a tie), symbols and emoji (before the
 * digits), digit runs (by their value), variation selectors and joiners
 * (ignored); other letters follow the Latin ones in code point order.
 * Bytes that are not UTF-8 sort as U+FFFD would.
 */
#ifndef FOLLOWUP_COLLATE_H
#define FOLLOWUP_COLLATE_H

#include <stddef.h>

/* <0, 0, >0 as a comes before, ties with, or comes after b. */
int collate_compare(const char *a, size_t alen, const char *b, size_t blen);

#endif
