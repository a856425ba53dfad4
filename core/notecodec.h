/*
 * notecodec.h - what reading one file added to the model, as one blob:
 * the note with its person keys and attendees, its tasks, its query
 * blocks, and the diagnostics reading it gave. The scan cache keeps such
 * blobs by path (cache.h) and knows nothing of what is in them.
 *
 * The blob is written and read by walking a table of fields per struct
 * of model.h ({kind, offset} rows, in notecodec.c), so a field added to
 * the model is one row here; a field without a row is not cached, which
 * the case suite's warm runs (a second run of every case on the cache)
 * catch. notecodec_format() names the layout: it is a hash of the tables,
 * so a cache written with other tables is rebuilt, never misread.
 *
 * Integers are little-endian; strings are length-prefixed. Decoding is
 * all or nothing and checks every count and enum against the bytes and
 * the bounds it knows: a damaged blob is refused, never trusted.
 */
#ifndef FOLLOWUP_NOTECODEC_H
#define FOLLOWUP_NOTECODEC_H

#include <stddef.h>

struct strbuf;
struct vault;
struct diag_list;

/* The layout's name: the tables' hash and followup's version. Static. */
const char *notecodec_format(void);

/*
 * Append to b what reading one file added: v's notes from note_first on
 * (none or one) with their tasks and queries, and dl's diags from
 * diag_first on.
 */
void notecodec_encode(struct strbuf *b, const struct vault *v,
    size_t note_first, const struct diag_list *dl, size_t diag_first);

/*
 * Append the blob's notes (named relpath), tasks and queries to v through
 * the store, and its diags to dl. Returns 0, or -1 on a damaged blob: v
 * and dl are then as they were.
 */
int notecodec_decode(const void *blob, size_t len, struct vault *v,
    const char *relpath, struct diag_list *dl);

#endif
