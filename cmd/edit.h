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

/*
 * Run the command that sets key ("last_contact", "snooze_until") to the
 * day its option gives ("--date", "--until"): the common options, that
 * one, NAME, then the edit. Returns the exit status.
 */
int edit_run(const struct command *cmd, int argc, char **argv,
    const char *key, const char *option);

#endif
