/*
 * notify.c - `followup notify`: send what is due through every configured
 * notifier, once per due episode (notifiers/dispatch.h has the rules).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "module.h"
#include "../core/engine.h"
#include "../feed/feed.h"
#include "../notifiers/dispatch.h"

enum { OPT_DRY_RUN = OPT_FIRST_COMMAND_OPTION, OPT_ONLY, OPT_TEST,
	OPT_RELEASE };

static int
notify_option(struct common *c, int opt, const char *arg, void *ctx)
{
	struct notify_plan *o = ctx;

	if (opt == OPT_DRY_RUN)
		o->dry_run = 1;
	else if (opt == OPT_TEST)
		o->test = 1;
	else if (opt == OPT_ONLY)
		o->only = arg;
	else if (opt == OPT_RELEASE)
		o->release = 1;
	else
		return usage_error(c, "unknown option");
	return 0;
}

/*
 * Scan, then send; the feed is built first when a notifier attaches it.
 * Returns the exit status, every problem printed.
 */
static int
scan_and_send(struct common *c, const struct dispatch_api *dispatch,
    struct dispatch *d, const struct notify_plan *o,
    struct notify_counts *nc, struct diag_list *dl)
{
	const struct step_env *env = common_step_env(c);
	const struct feed_api *feed = NULL;
	struct feed_result fr = { 0 };
	struct scan_result r;
	int rc, attach = 0;

	if (common_scan(c, &r) != 0) {
		diag_list_move(dl, &r.diags);
		scan_result_release(&r);
		common_print_diags(c, dl);
		return diag_exit_status(dl);
	}
	if (dispatch->wants_calendar(d) &&
	    (feed = module_feed(c->cmd->name)) != NULL)
		attach = feed->build(env, &r, NULL, &fr, dl) == 0;
	dispatch->send(d, &r, attach ? fr.cal.text : NULL,
	    attach ? fr.cal.len : 0, c->quiet || o->dry_run ? NULL : stdout,
	    nc, dl);
	if (feed != NULL)
		feed->release(&fr);
	fflush(stdout);
	diag_list_move(&r.diags, dl);
	common_print_diags(c, &r.diags);
	rc = diag_exit_status(&r.diags);
	scan_result_release(&r);
	return rc;
}

static int
cmd_notify(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "test", no_argument, NULL, OPT_TEST },
		{ "release", no_argument, NULL, OPT_RELEASE },
		{ NULL, 0, NULL, 0 },
	};
	const struct dispatch_api *dispatch = NULL;
	struct notify_plan o = { 0 };
	struct notify_counts nc = { 0 };
	struct dispatch *d = NULL;
	struct diag_list dl = DIAG_LIST_INIT;
	struct common c;
	int rc;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, notify_option,
	    &o)) >= 0)
		goto out;
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}
	if ((dispatch = module_dispatch(cmd->name)) == NULL) {
		rc = EXIT_UNAVAILABLE;
		goto out;
	}
	/* The notifiers first: a bad one is a config error, found early. */
	if (dispatch->open(&d, common_step_env(&c), &o, &nc, &dl) == 0 &&
	    o.only != NULL) {
		rc = usage_error(&c, "--only %s: no notifier has this name",
		    o.only);
		goto out;
	}
	if (c.cfg.nnotifiers == 0 && !c.quiet)
		fprintf(stderr, "followup: no notifiers in the config: nothing "
		    "to send (see followup.yml(5), \"notifiers\")\n");
	if (dispatch->count(d) > 0 && (o.dry_run || o.test ||
	    !dispatch->quiet_hours(&c.env, c.quiet ? NULL : stdout))) {
		rc = scan_and_send(&c, dispatch, d, &o, &nc, &dl);
		goto out;
	}
	fflush(stdout);
	common_print_diags(&c, &dl);
	rc = diag_exit_status(&dl);
out:
	if (d != NULL)
		dispatch->close(d);
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}

const struct command cmd_notify_entry = {
	.name = "notify",
	.summary = "Send reminders of who is due through every notifier.",
	.usage =
	    "Options:\n"
	    "  --dry-run           print every request that would go out\n"
	    "                      (secrets as ****); send and change nothing\n"
	    "  --only NAME         only the notifier with this name\n"
	    "  --test              one short test message to each notifier;\n"
	    "                      the ledger is not touched\n"
	    "  --release           send now the reminders held back because\n"
	    "                      their outcome was unknown (with --only:\n"
	    "                      that notifier's)\n",
	.run = cmd_notify,
};
