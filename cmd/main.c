/* main.c - the command table and dispatch. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "module.h"

const struct command commands[] = {
	{ "status", "List contacts: who is due for a follow-up, and when.",
	    cmd_status,
	    "Options:\n"
	    "  --format text|json  output format (default text)\n"
	    "  --state S,...       only these states: snoozed, never, cold,\n"
	    "                      overdue, due, ok\n" },
	{ "check", "Check the vault and the config; print every problem, "
	    "send nothing.", cmd_from_module, "" },
	{ "ics", "Write the iCalendar feed of follow-ups, and publish it.",
	    cmd_from_module,
	    "Options:\n"
	    "  --output FILE       where the feed goes (else config\n"
	    "                      ics.path, else\n"
	    "                      $XDG_DATA_HOME/followup/followup.ics);\n"
	    "                      - for standard output\n"
	    "  --no-publish        do not publish, even with ics.publish\n" },
	{ "notify", "Send reminders of who is due through every notifier.",
	    cmd_from_module,
	    "Options:\n"
	    "  --dry-run           print every request that would go out\n"
	    "                      (secrets as ****); send and change nothing\n"
	    "  --only NAME         only the notifier with this name\n"
	    "  --test              one short test message to each notifier;\n"
	    "                      the ledger is not touched\n" },
	{ "run", "What the timer calls: scan once, write the feed, publish "
	    "it, send reminders.", cmd_from_module,
	    "Options:\n"
	    "  --wait SECONDS      when another run holds the lock, wait up\n"
	    "                      to this long for it (default 0: exit 75)\n"
	    "  --log-format FMT    text (default) or json: one JSON object a\n"
	    "                      line, on standard error\n" },
	{ "contacted", "Record a contact: set last_contact in the note.",
	    cmd_contacted,
	    "  followup contacted NAME [--date YYYY-MM-DD]\n\n"
	    "NAME is a contact's name, alias or file name, or a note's path in\n"
	    "the vault (.md optional). The note is replaced atomically, every\n"
	    "other byte kept.\n\n"
	    "Options:\n"
	    "  --date YYYY-MM-DD   the day of the contact (default today; not\n"
	    "                      after today)\n" },
	{ "snooze", "Put a contact off: set snooze_until in the note.",
	    cmd_snooze,
	    "  followup snooze NAME --until YYYY-MM-DD\n\n"
	    "NAME as for contacted. Until that day the contact is snoozed and no\n"
	    "reminder goes out.\n\n"
	    "Options:\n"
	    "  --until YYYY-MM-DD  the day the snooze ends (after today)\n" },
	{ NULL, NULL, NULL, NULL },
};

static void
print_usage(FILE *out)
{
	const struct command *cmd;

	fprintf(out, "usage: followup COMMAND [options]\n\n"
	    "followup keeps your network from going cold: it reads a vault "
	    "of Markdown\nnotes and says who to follow up with, and when.\n\n"
	    "Commands:\n");
	for (cmd = commands; cmd->name != NULL; cmd++)
		fprintf(out, "  %-10s %s\n", cmd->name, cmd->summary);
	fprintf(out, "\nSee 'followup COMMAND --help' and followup(1).\n");
}

int
main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("followup %s\n", FOLLOWUP_VERSION);
		return EXIT_OK;
	}
	for (cmd = commands; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, argv[1]) == 0)
			return cmd->run(cmd, argc - 1, argv + 1);
	/* The list comes from the table, so that it never falls behind. */
	fprintf(stderr, "followup: unknown command \"%s\"\n  hint: the "
	    "commands are", argv[1]);
	for (cmd = commands; cmd->name != NULL; cmd++)
		fprintf(stderr, "%s %s", cmd == commands ? "" :
		    cmd[1].name == NULL ? " and" : ",", cmd->name);
	fprintf(stderr, "; see 'followup --help'\n");
	return EXIT_USAGE;
}
