/*
 * store.h - the one writer of the model (model.h), and its accessors.
 *
 * Everything that adds to a struct vault goes through here: the parser
 * (note.c, body.c), the scan cache's decoder (notecodec.c) and the scan,
 * which appends what each reading thread made (store_append()). So the
 * invariants hold in one place: notes in the order they are added, a
 * note's tasks one range of vault->tasks right after the note's own
 * task_first, its query blocks in note order, every string in the arena.
 *
 * Pointers store_note() and store_task() return stay valid until the next
 * call that adds to the same array; strings and records stay valid until
 * store_release().
 */
#ifndef FOLLOWUP_STORE_H
#define FOLLOWUP_STORE_H

#include <stddef.h>

#include "model.h"

/*
 * Append an empty note named relpath (no frontmatter, no tasks yet) and
 * return it. Its path is relpath itself when v->paths_in_arena, else a
 * copy.
 */
struct note *store_note(struct vault *v, const char *relpath);

/* Append a zeroed task of note `note` (an index) and return it. */
struct task *store_task(struct vault *v, size_t note);

/*
 * Store text[0..len) and the nlinks pointers at links as the record
 * task_link() reads, in v's arena. Returns the copy's text.
 */
const char *store_task_text(struct vault *v, const char *text, size_t len,
    const char *const *links, size_t nlinks);

/*
 * A heading tasks stand under, kept once (store_name()); returns the
 * number a task keeps (struct task's heading), never 0.
 */
uint32_t store_heading(struct vault *v, const char *text, size_t len);

/* A copy of *m in v's arena (its strings are there already). */
const struct task_more *store_task_more(struct vault *v,
    const struct task_more *m);

/* Append a copy of q (its filters are in v's arena already). */
void store_query(struct vault *v, const struct query *q);

/*
 * A copy of the name s[0..len) in v's arena: the one copy of it when v
 * has a set of names, a copy of its own otherwise.
 */
const char *store_name(struct vault *v, const char *s, size_t len);

/* An array of exactly the n names at names, in v's arena (NULL for 0). */
const char **store_names(struct vault *v, const char *const *names,
    size_t n);

/*
 * Cut v back to its first nnotes notes, ntasks tasks, nqueries queries
 * and nheadings headings: what a reader that gave up halfway had added is gone (its
 * strings stay in the arena until store_release()).
 */
void store_truncate(struct vault *v, size_t nnotes, size_t ntasks,
    size_t nqueries, size_t nheadings);

/*
 * Drop the closed tasks of notes note_first.. (the last ones added, whose
 * tasks end v->tasks); the open ones keep their order. Their strings
 * stay in the arena until store_release().
 */
void store_drop_closed(struct vault *v, size_t note_first);

/*
 * Move src's notes, tasks, queries and strings to the end of dst, which
 * is what reading src's files after dst's would have made. src is left
 * empty.
 */
void store_append(struct vault *dst, struct vault *src);

void store_release(struct vault *v);

/* ------------------------------------------------------------ reading */

/*
 * The query blocks of note `note`: how many, from *first on in
 * v->queries (which are in note order).
 */
size_t store_queries(const struct vault *v, size_t note, size_t *first);

/* The closest heading at or above task t, or NULL. */
const char *task_heading(const struct vault *v, const struct task *t);

/* The note's person keys; all absent (never NULL) when it has none. */
const struct note_person *note_person(const struct note *note);

/*
 * The file name, with ".md": the end of the path. Found when asked, not
 * kept: a vault holds every note, and few notes are asked for it.
 */
static inline const char *
note_filename(const struct note *note)
{
	const char *slash = strrchr(note->path, '/');

	return slash ? slash + 1 : note->path;
}

/* The note's folder with its "/", or "/" at the vault root; n: its length. */
const char *note_folder(const struct note *note, size_t *n);
/* The length of the file name without ".md". */
size_t note_stem_len(const struct note *note);

#endif
