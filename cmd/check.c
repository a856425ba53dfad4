/* check.c - `followup check`: every problem in the vault and the config. */
#include <stdlib.h>

#include "cmd.h"
#include "../core/engine.h"
#include "../core/util.h"

int
cmd_check(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	int rc, scanned = 0;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, NULL, NULL)) >= 0)
		goto out;
	/* A config error does not stop the check: the vault is checked too. */
	rc = common_setup(&c, &dl);
	if (rc != EXIT_CONFIG) {
		struct diag_list out = DIAG_LIST_INIT;
		FILE *say = c.quiet ? NULL : stdout;

		/* What run would write to and send through, untouched. */
		feed_check(&c, say, &out);
		notify_check(&c, say, &out);
		if (diag_exit_status(&out) == EXIT_CONFIG)
			rc = EXIT_CONFIG;
		diag_list_move(&dl, &out);
	}
	if (c.vault != NULL) {
		common_scan(&c, &r);
		diag_list_move(&dl, &r.diags);
		scanned = 1;
	}
	fflush(stdout);
	common_print_diags(&c, &dl);
	if (!c.quiet) {
		size_t errors = diag_count(&dl, DIAG_ERROR);
		size_t warnings = diag_count(&dl, DIAG_WARNING);

		printf("%s: ", c.cfg.file ? c.cfg.file : "config: defaults");
		printf("%s\n", rc == EXIT_CONFIG ? "errors (see above)" : "ok");
		if (scanned)
			printf("%s: %zu notes, %zu contacts, %zu tasks\n",
			    c.vault, r.vault.nnotes, r.contacts.n,
			    r.vault.ntasks);
		printf("%zu error%s, %zu warning%s\n", errors,
		    errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	}
	if (diag_exit_status(&dl) != 0)
		rc = diag_exit_status(&dl);
	if (scanned)
		scan_result_release(&r);
out:
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}
