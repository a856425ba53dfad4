/*
 * snooze.c - `followup snooze NAME --until D`: put a contact off, setting
 * snooze_until in the note (edit.h).
 */
#include "edit.h"

static int
cmd_snooze(const struct command *cmd, int argc, char **argv)
{
	return edit_run(cmd, argc, argv, "snooze_until", "--until");
}

const struct command cmd_snooze_entry = {
	.name = "snooze",
	.summary = "Put a contact off: set snooze_until in the note.",
	.usage =
	    "  followup snooze NAME --until YYYY-MM-DD\n\n"
	    "NAME as for contacted. Until that day the contact is snoozed and no\n"
	    "reminder goes out.\n\n"
	    "Options:\n"
	    "  --until YYYY-MM-DD  the day the snooze ends (after today)\n",
	.run = cmd_snooze,
};
