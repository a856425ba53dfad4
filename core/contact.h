/*
 * contact.h - who is a contact, and which tasks belong to whom
 * (docs/rules.md, "Who is a contact" and "Which tasks belong to a
 * contact").
 *
 * contact_build() turns a scanned vault into contacts with their last
 * contact (frontmatter or meeting), cadence and open items, each task
 * counted once per contact. Links and attendees resolve to one note each
 * as Obsidian resolves them (linkpath.h: every note's path indexed once),
 * and a bare link that reaches no note to a contact's name or alias (one
 * hash table), in time linear in the vault. schedule.h then dates them.
 *
 * A contact_set owns its arrays (each contact its items) and the names it
 * made from file names; titles and paths are borrowed from the vault,
 * which must outlive it.
 */
#ifndef FOLLOWUP_CONTACT_H
#define FOLLOWUP_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "util.h"

struct vault;
struct note;
struct diag_list;

enum contact_state {
	STATE_SNOOZED,
	STATE_NEVER,
	STATE_COLD,
	STATE_OVERDUE,
	STATE_DUE,
	STATE_OK,
	STATE_COUNT,
};

enum last_source {
	SOURCE_NONE,
	SOURCE_LAST_CONTACT,
	SOURCE_CREATED,
	SOURCE_MEETING,
};

struct contact {
	size_t note;		/* index in vault->notes */
	const char *name;
	const char *path;
	int last_contact;	/* day or DATE_NONE */
	enum last_source source;
	int cadence_days;
	int snooze_until;	/* day or DATE_NONE */
	int earliest_item_due;	/* day or DATE_NONE */
	uint32_t *items;	/* open tasks (vault->tasks), path/line order */
	size_t nitems;

	/* Filled by schedule_apply(). */
	int due;
	int days_since_contact;	/* DATE_NONE when never */
	int days_overdue;
	enum contact_state state;
};

struct contact_set {
	struct contact *items;
	size_t n;
	struct arena names;	/* names taken from file names */
};

/*
 * Build the contacts of v. today decides which meetings have happened.
 * Problems (impossible dates, bad cadence) go to dl and leave that
 * contact out.
 */
void contact_build(struct contact_set *set, const struct vault *v,
    const struct engine_rules *rules, int today, struct diag_list *dl);

/*
 * Do the rules make note a contact (its type or tags, no `followup:
 * false`, readable frontmatter)? True also of a contact that a bad date
 * leaves out of the set: it is still a person's note.
 */
int contact_note_is_person(const struct note *note,
    const struct engine_rules *rules);
/*
 * A person's name (docs/rules.md): its title, else its file name without
 * ".md"; *len bytes, not NUL-terminated in the second case. Points into
 * the note.
 */
const char *contact_note_name(const struct note *note, size_t *len);

const char *contact_state_name(enum contact_state st);
/* -1 when name is not a state. */
int contact_state_parse(const char *name, size_t len);
const char *contact_source_name(enum last_source src);	/* NULL for none */

void contact_set_release(struct contact_set *set);

#endif
