/*
 * tagrule.h - a note's inline tags as Obsidian finds them in its text
 * (Obsidian help: Tags.md, "Tag format").
 *
 * A tag is '#' at the start of the text or after white space, then a
 * run of letters, digits, '_', '-', '/' and any non-ASCII character
 * (Obsidian allows Unicode letters and emoji); it needs one character
 * that is not a digit (#1984 is no tag). Code and headings' markers are
 * the caller's to leave out: this reads plain text only. Linear in n.
 */
#ifndef FOLLOWUP_TAGRULE_H
#define FOLLOWUP_TAGRULE_H

#include <stddef.h>

/*
 * The next tag of text[0..n) from *pos (start at 0), without its '#':
 * returns 1 with its span, 0 at the end. after_space says whether what
 * comes before text[0] is white space or nothing (a '#' at 0 may start
 * a tag).
 */
int tagrule_next(const char *text, size_t n, int after_space, size_t *pos,
    const char **tag, size_t *len);

#endif
