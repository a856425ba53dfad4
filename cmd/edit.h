/*
 * edit.h - what `contacted` and `snooze` share: set one date key in the
 * frontmatter of the note NAME means, atomically, keeping every other
 * byte (core/fmedit.h makes the bytes, core/fileio.h writes them).
 *
 * NAME is a contact's name, one of its aliases, its file name, or its
 * path relative to the vault (".md" optional); exact matches first, then
 * ASCII case-insensitive ones; any other note by its path only, and only
 * when no contact is named. A note that changed on disk meanwhile is
 * left alone (exit 75).
 */
#ifndef FOLLOWUP_EDIT_H
#define FOLLOWUP_EDIT_H

#include "cmd.h"

/* The value of the command's one option that gives the day. */
enum { EDIT_OPT_DATE = OPT_FIRST_COMMAND_OPTION };

struct edit_options {
	const char *key;	/* "last_contact" or "snooze_until" */
	const char *option;	/* "--date" or "--until" */
	const char *date_arg;
	const char *name;	/* NAME as typed */
};

/*
 * Run the command: options (the common ones and EDIT_OPT_DATE as
 * o->option), NAME, then the edit. Returns the exit status.
 */
int edit_run(const struct command *cmd, int argc, char **argv,
    const struct option *options, struct edit_options *o);

#endif
