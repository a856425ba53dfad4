/*
 * fmedit.h - set one top-level value in a note's frontmatter and keep
 * every other byte: what `contacted` and `snooze` write (docs/design.md,
 * "Writes").
 *
 * fm_set_value() finds the frontmatter as note.c does (note_find_
 * frontmatter(): an optional UTF-8 BOM, a first line "---", up to the next
 * line "---" or "..."), walks it with libyaml's parser events and splices
 * the new value over the bytes of the old one:
 *   - a plain value stays plain, a '...' or "..." value keeps its quotes;
 *     a comment after it, the line ending, everything else is kept;
 *   - an empty value ("key:") becomes "key: value";
 *   - a missing key is added as the frontmatter's last line, indented like
 *     the other top-level keys and ended like the file's first line;
 *   - a note with no frontmatter gets "---", "key: value", "---" after its
 *     BOM, each line ended like the file's first line (else "\n").
 * Of a key given twice the first is changed: it is the one note.c reads.
 *
 * It never guesses. A value that is a list, a mapping, a block scalar or
 * an alias, or that carries an anchor or a tag; a frontmatter that libyaml
 * rejects, that is not a mapping or is never closed; a flow mapping that
 * lacks the key: all are errors (DIAG_NOTE diags naming path and line) and
 * nothing is made. The result is parsed again before it is handed back:
 * the key must read back as value, or it is an error too.
 *
 * value is written as it is: it must need no quoting (a date does).
 *
 * Memory: text and value are only read. On success *out (NUL-terminated,
 * *outlen bytes before the NUL) and edit->old are the caller's; on failure
 * *out is NULL. fm_edit_release() frees what an edit holds.
 */
#ifndef FOLLOWUP_FMEDIT_H
#define FOLLOWUP_FMEDIT_H

#include <stddef.h>

struct diag_list;

/* What fm_set_value() changed: out is text with one span replaced. */
struct fm_edit {
	size_t start, end;	/* text[start..end) was replaced ... */
	size_t inserted;	/* ... by out[start..start + inserted) */
	char *old;		/* the old value as read; NULL when absent or empty */
	int line;		/* the line of the value in the file */
	int added;		/* the key was not there (1), nor a frontmatter (2) */
};

/*
 * Set key to value in the note text (len bytes). path names the note in
 * diags only. edit may be NULL. Returns 0, or -1 with a diag on dl.
 */
int fm_set_value(const char *path, const char *text, size_t len,
    const char *key, const char *value, char **out, size_t *outlen,
    struct fm_edit *edit, struct diag_list *dl);

void fm_edit_release(struct fm_edit *edit);

#endif
