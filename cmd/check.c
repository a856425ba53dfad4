/* check.c - `followup check`: every problem in the vault and the config. */
#include <stdlib.h>

#include "cmd.h"
#include "module.h"
#include "../core/engine.h"
#include "../core/report.h"
#include "../core/util.h"
#include "../feed/feed.h"
#include "../notifiers/dispatch.h"

/*
 * What run would write to and send through, untouched: the feed's folder,
 * the publish URL, every notifier. Returns the exit status it calls for.
 */
static int
check_outputs(struct common *c, struct diag_list *dl)
{
	const struct feed_api *feed = module_feed(c->cmd->name);
	const struct dispatch_api *dispatch = module_dispatch(c->cmd->name);
	struct diag_list out = DIAG_LIST_INIT;
	FILE *say = c->quiet ? NULL : stdout;
	int rc;

	if (feed == NULL || dispatch == NULL)
		return EXIT_UNAVAILABLE;
	feed->check(common_step_env(c), say, &out);
	dispatch->check(common_step_env(c), say, &out);
	rc = diag_exit_status(&out) == EXIT_CONFIG ? EXIT_CONFIG : 0;
	diag_list_move(dl, &out);
	return rc;
}

static int
cmd_check(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	int rc, outputs, scanned = 0;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, NULL, NULL)) >= 0)
		goto out;
	/* A config error does not stop the check: the vault is checked too. */
	rc = common_setup(&c, &dl);
	if (rc != EXIT_CONFIG && (outputs = check_outputs(&c, &dl)) != 0) {
		rc = outputs;
		if (rc == EXIT_UNAVAILABLE)
			goto out;
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

		report_printf_shown(stdout, "%s: ", c.cfg.file ? c.cfg.file :
		    c.config_arg ? c.config_arg : "config: defaults");
		printf("%s\n", rc == EXIT_CONFIG ? "errors (see above)" : "ok");
		if (scanned) {
			struct strbuf sb = STRBUF_INIT;

			obsidian_settings_describe(&r.settings, &sb);
			report_printf_shown(stdout, "%s: %s", c.vault,
			    strbuf_str(&sb));
			putchar('\n');
			strbuf_release(&sb);
			report_printf_shown(stdout, "%s: ", c.vault);
			printf("%zu note%s, %zu contact%s, %zu task%s\n",
			    r.vault.nnotes, plural(r.vault.nnotes),
			    r.contacts.n, plural(r.contacts.n), r.vault.ntasks,
			    plural(r.vault.ntasks));
		}
		printf("%zu error%s, %zu warning%s\n", errors, plural(errors),
		    warnings, plural(warnings));
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

const struct command cmd_check_entry = {
	.name = "check",
	.summary = "Check the vault and the config; print every problem, "
	    "send nothing.",
	.usage = "",
	.run = cmd_check,
};
