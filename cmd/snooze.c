/*
 * snooze.c - `followup snooze NAME --until D`: put a contact off, setting
 * snooze_until in the note (edit.h).
 */
#include "edit.h"

static int
cmd_snooze(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "until", required_argument, NULL, EDIT_OPT_DATE },
		{ NULL, 0, NULL, 0 },
	};
	struct edit_options o = { "snooze_until", "--until", NULL, NULL };

	return edit_run(cmd, argc, argv, options, &o);
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
