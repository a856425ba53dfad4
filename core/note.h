/*
 * note.h - one note: its names, its frontmatter (read with libyaml) and
 * where its tasks sit in the vault's array (its query blocks are found
 * by note: vault_queries()).
 *
 * note_parse() implements the "Frontmatter" and "Dates" parts of
 * docs/rules.md: BOM, "---" ... "---"/"...", libyaml errors at the file's
 * line, impossible dates. It records what it read; deciding who is a
 * contact is contact.h's job. Strings live in the vault's arena.
 *
 * A vault holds every note at once, so a note is kept small (48 bytes):
 * what only a contact reads is in a struct note_person, which only notes
 * with such keys have (in the arena too); a contact's date keeps its text
 * only when it is bad, for the message, and a meeting's bad date is
 * reported as the note is read; attendees are names kept once (vault.h).
 */
#ifndef FOLLOWUP_NOTE_H
#define FOLLOWUP_NOTE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vault;
struct diag_list;

/*
 * A frontmatter value as read. Whether a bad value is an error depends on
 * the note (a bad `created` matters only for a contact), so note_parse()
 * records it with its line and contact.c reports it.
 */
struct fm_date {
	const char *raw;	/* the value as written when bad, else NULL */
	int day;
	unsigned line : 28;	/* a file of VAULT_MAX_FILE has fewer */
	unsigned present : 1;	/* key given with a non-empty value */
	unsigned bad : 3;	/* enum date_parse, 0 when valid */
};

/* A meeting's date: what struct fm_date holds but its text. */
struct fm_day {
	int day;
	unsigned line : 28;
	unsigned present : 1;
	unsigned bad : 3;
};

struct fm_cadence {
	const char *raw;	/* the value as written when bad, else NULL */
	int days;
	unsigned line : 28;
	unsigned present : 1;
	unsigned bad : 1;
};

#define NOTE_HAS_FRONTMATTER	(1u << 0)
#define NOTE_FRONTMATTER_BAD	(1u << 1)	/* unclosed, YAML error */
#define NOTE_FOLLOWUP_OFF	(1u << 2)	/* followup: false */
#define NOTE_BODY_SKIPPED	(1u << 3)	/* unclosed: body not read */

/* The frontmatter that makes a contact and dates it. */
struct note_person {
	const char *title;	/* NULL unless a non-empty string */
	const char **types;
	size_t ntypes;
	const char **tags;	/* without '#' */
	size_t ntags;
	const char **aliases;
	size_t naliases;
	struct fm_date last_contact, created, snooze_until;
	/*
	 * birthday: "YYYY-MM-DD" (day set) or "--MM-DD" (no year: day is
	 * DATE_NONE). birthday_month and birthday_day are 0 unless it is valid.
	 */
	struct fm_date birthday;
	int birthday_month, birthday_day;
	struct fm_cadence cadence;
};

struct note {
	const char *path;	/* relative to the root, "/" separated */
	/* NULL when the note has none of its keys: see note_person(). */
	const struct note_person *person;
	const char **attendees;	/* wikilink targets as written */
	/*
	 * A meeting's: when it is bad and the note has attendees, the error
	 * is reported as the note is read, which needs no copy of its text.
	 */
	struct fm_day date;
	uint32_t flags;
	uint32_t nattendees;
	uint32_t task_first, ntasks;	/* range in vault->tasks */
	/* Its query blocks: vault_queries() finds them. */
};

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

/* The note's person keys; all absent (never NULL) when it has none. */
const struct note_person *note_person(const struct note *note);

/* The note's folder with its "/", or "/" at the vault root; n: its length. */
const char *note_folder(const struct note *note, size_t *n);
/* The length of the file name without ".md". */
size_t note_stem_len(const struct note *note);

/*
 * Report a date value that is not a date (bad: enum date_parse) for key
 * at path:line; raw[0..rawlen) is the value as written.
 */
void note_bad_date(struct diag_list *dl, const char *path, const char *key,
    int line, int bad, const char *raw, size_t rawlen);

/* Cadence as in DESIGN.md §3: "14", "14d", "2w". Returns 0 or -1. */
int cadence_parse(const char *s, size_t n, int *days);

/*
 * obsidian://open?vault=NAME&file=PATH (without ".md"): the link that
 * opens the note at path in Obsidian; the caller's.
 */
char *note_open_url(const char *vault_name, const char *path);

/*
 * Append an empty note named relpath to v (names set, no frontmatter, no
 * tasks yet) and return it; it stays valid until v->notes grows again.
 */
struct note *note_new(struct vault *v, const char *relpath);

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
