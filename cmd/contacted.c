/*
 * contacted.c - `followup contacted NAME [--date D]`: record a contact,
 * setting last_contact in the note (edit.h).
 */
#include "edit.h"

static int
cmd_contacted(const struct command *cmd, int argc, char **argv)
{
	return edit_run(cmd, argc, argv, "last_contact", "--date");
}

const struct command cmd_contacted_entry = {
	.name = "contacted",
	.summary = "Record a contact: set last_contact in the note.",
	.usage =
	    "  followup contacted NAME [--date YYYY-MM-DD]\n\n"
	    "NAME is a contact's name, alias or file name, or a note's path in\n"
	    "the vault (.md optional). The note is replaced atomically, every\n"
	    "other byte kept.\n\n"
	    "Options:\n"
	    "  --date YYYY-MM-DD   the day of the contact (default today; not\n"
	    "                      after today)\n",
	.run = cmd_contacted,
};
