/*
 * note.h - read one note: its frontmatter (with libyaml), then its body
 * (body.h), into the model through the store.
 *
 * note_parse() implements the "Frontmatter" and "Dates" parts of
 * docs/rules.md: BOM, "---" ... "---"/"...", libyaml errors at the file's
 * line, impossible dates. It records what it read; deciding who is a
 * contact is contact.h's job. Strings live in the vault's arena.
 *
 * A contact's date keeps its text only when it is bad, for the message,
 * and a meeting's bad date is reported as the note is read; attendees are
 * names kept once (store_name()).
 */
#ifndef FOLLOWUP_NOTE_H
#define FOLLOWUP_NOTE_H

#include <stddef.h>

struct vault;
struct diag_list;

/*
 * Report a date value that is not a date (bad: enum date_parse) for key
 * at path:line; raw[0..rawlen) is the value as written.
 */
void note_bad_date(struct diag_list *dl, const char *path, const char *key,
    int line, int bad, const char *raw, size_t rawlen);

/*
 * obsidian://open?vault=NAME&file=PATH (without ".md"): the link that
 * opens the note at path in Obsidian; the caller's.
 */
char *note_open_url(const char *vault_name, const char *path);

/*
 * Where the frontmatter of buf (a whole file) is, by the rules
 * note_parse() follows: after an optional UTF-8 BOM, a first line "---",
 * up to the next line "---" or "...". Returns 1 with the YAML's span
 * (between the fences) and where the body starts; 0 when there is none
 * (*body_off: after the BOM); -1 when it is never closed.
 */
int note_find_frontmatter(const char *buf, size_t len, size_t *yaml_off,
    size_t *yaml_len, size_t *body_off);

/*
 * Parse buf (a whole file, valid UTF-8) as the note `relpath` and append
 * it, its tasks and its queries to v. Problems go to dl.
 */
void note_parse(struct vault *v, const char *relpath, const char *buf,
    size_t len, struct diag_list *dl);

#endif
