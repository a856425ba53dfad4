/* main.c - the command table and dispatch. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

/* Every command, in the order --help lists them; each file has its own. */
extern const struct command cmd_status_entry, cmd_check_entry,
    cmd_ics_entry, cmd_notify_entry, cmd_run_entry, cmd_contacted_entry,
    cmd_snooze_entry, cmd_tasks_entry, cmd_query_entry;

static const struct command *const commands[] = {
	&cmd_status_entry,
	&cmd_check_entry,
	&cmd_ics_entry,
	&cmd_notify_entry,
	&cmd_run_entry,
	&cmd_contacted_entry,
	&cmd_snooze_entry,
	&cmd_tasks_entry,
	&cmd_query_entry,
	NULL,
};

static void
print_usage(FILE *out)
{
	const struct command *const *cmd;

	fprintf(out, "usage: followup COMMAND [options]\n\n"
	    "followup keeps your network from going cold: it reads a vault "
	    "of Markdown\nnotes and says who to follow up with, and when.\n\n"
	    "Commands:\n");
	for (cmd = commands; *cmd != NULL; cmd++)
		fprintf(out, "  %-10s %s\n", (*cmd)->name, (*cmd)->summary);
	fprintf(out, "\nSee 'followup COMMAND --help' and followup(1).\n");
}

int
main(int argc, char **argv)
{
	const struct command *const *cmd;

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
	for (cmd = commands; *cmd != NULL; cmd++)
		if (strcmp((*cmd)->name, argv[1]) == 0)
			return (*cmd)->run(*cmd, argc - 1, argv + 1);
	/* The list comes from the table, so that it never falls behind. */
	fprintf(stderr, "followup: unknown command \"%s\"\n  hint: the "
	    "commands are", argv[1]);
	for (cmd = commands; *cmd != NULL; cmd++)
		fprintf(stderr, "%s %s", cmd == commands ? "" :
		    cmd[1] == NULL ? " and" : ",", (*cmd)->name);
	fprintf(stderr, "; see 'followup --help'\n");
	return EXIT_USAGE;
}
