/* ics.c - `followup ics`: write the feed (DESIGN.md §7), then publish it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "../core/calendar.h"
#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/util.h"
#include "../notifiers/http.h"
#include "../notifiers/publish.h"

enum { OPT_OUTPUT = OPT_FIRST_COMMAND_OPTION, OPT_NO_PUBLISH };

#define FEED_MAX ((size_t)64 << 20)

static int
publish(const struct common *c, const struct calendar *cal, int quiet,
    FILE *say, struct diag_list *dl)
{
	const struct config_ics *ics = &c->cfg.ics;
	struct publish_params p = {
		.url = ics->publish,
		.user = ics->publish_user,
		.ca_file = ics->publish_ca_file,
	};
	struct publish_result res;
	char *password = NULL, *dir, *state = NULL;
	int rc;

	if (config_secret_read(&ics->publish_password, "the publish password",
	    &password, dl) != 0)
		return -1;
	if ((dir = xdg_path("XDG_STATE_HOME", ".local/state", "")) == NULL) {
		diag_error(dl, DIAG_CONFIG, NULL, 0, "set HOME or "
		    "XDG_STATE_HOME", "publish: no folder to remember what "
		    "was sent in");
		free(password);
		return -1;
	}
	if (file_mkdirs(dir, 0700) != 0) {
		diag_error(dl, DIAG_CANT_WRITE, dir, 0, "check that the "
		    "folder can be created", "cannot create this folder: %s",
		    strerror(errno));
		free(dir);
		free(password);
		return -1;
	}
	state = publish_state_path(dir, ics->publish);
	p.password = password;
	p.state_path = state;
	http_global_init();
	rc = publish_feed(cal, &p, &res, dl);
	http_global_cleanup();
	if (!quiet && (rc == 0 || res.sent || res.deleted))
		fprintf(say, "published: %zu sent, %zu deleted, %zu "
		    "unchanged\n", res.sent, res.deleted, res.unchanged);
	if (password != NULL)
		memset(password, 0, strlen(password));
	free(password);
	free(state);
	free(dir);
	return rc;
}

/* "(12 events)" or, for VTODOs, "(10 to-dos, 2 events)". */
static void
print_count(FILE *out, const struct calendar *cal, int todo)
{
	if (todo)
		fprintf(out, "(%zu to-do%s, %zu event%s)\n", cal->nfollowups,
		    cal->nfollowups == 1 ? "" : "s", cal->nbirthdays,
		    cal->nbirthdays == 1 ? "" : "s");
	else
		fprintf(out, "(%zu event%s)\n", cal->nitems,
		    cal->nitems == 1 ? "" : "s");
}

struct ics_options {
	const char *output;
	int no_publish;
};

static int
ics_option(struct common *c, int opt, const char *arg, void *ctx)
{
	struct ics_options *o = ctx;

	if (opt == OPT_OUTPUT)
		o->output = arg;
	else if (opt == OPT_NO_PUBLISH)
		o->no_publish = 1;
	else
		return usage_error(c, "unknown option");
	return 0;
}

int
cmd_ics(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "no-publish", no_argument, NULL, OPT_NO_PUBLISH },
		{ NULL, 0, NULL, 0 },
	};
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	struct calendar cal;
	struct calendar_params params;
	const char *output_arg = NULL;
	char *output = NULL, *name = NULL, *previous = NULL, *prodid = NULL;
	size_t previous_len = 0;
	struct ics_options o = { NULL, 0 };
	int rc, no_publish, to_stdout, scanned = 0;
	int built = 0, prev_rc = 1;
	FILE *say = stdout;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, ics_option,
	    &o)) >= 0)
		goto out;
	output_arg = o.output;
	no_publish = o.no_publish;
	if (output_arg != NULL && output_arg[0] == '\0') {
		rc = usage_error(&c, "--output needs a file name (or - for "
		    "standard output)");
		goto out;
	}
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}

	/* Where the feed goes. Only the default folder is created. */
	if (output_arg != NULL)
		output = xstrdup(output_arg);
	else if (c.cfg.ics.path != NULL)
		output = xstrdup(c.cfg.ics.path);
	else if ((output = xdg_path("XDG_DATA_HOME", ".local/share",
	    "followup.ics")) != NULL) {
		char *dir = xstrdup(output);

		*strrchr(dir, '/') = '\0';
		file_mkdirs(dir, 0755);	/* a failure shows when writing */
		free(dir);
	} else {
		rc = usage_error(&c, "no place for the feed: pass --output "
		    "FILE, set ics.path, or set HOME");
		goto out;
	}
	to_stdout = strcmp(output, "-") == 0;
	if (to_stdout)
		say = stderr;

	if (common_scan(&c, &r) != 0) {
		common_print_diags(&c, &r.diags);
		rc = diag_exit_status(&r.diags);
		scan_result_release(&r);
		goto out;
	}
	scanned = 1;

	/* The previous feed: what SEQUENCE and LAST-MODIFIED go on from. */
	if (!to_stdout) {
		prev_rc = file_read_all(output, FEED_MAX, &previous,
		    &previous_len, &dl);
		if (prev_rc < 0)
			goto report;
		if (prev_rc == 0 && previous_len > 0 &&
		    !calendar_is_ical(previous, previous_len)) {
			diag_error(&dl, DIAG_CANT_WRITE, output, 0,
			    "remove it, or choose another path with --output "
			    "or ics.path",
			    "this file is not an iCalendar feed: not "
			    "overwritten");
			goto report;
		}
	}
	name = common_vault_name(&c);
	prodid = xasprintf("-//followup//followup %s//EN", FOLLOWUP_VERSION);
	params = (struct calendar_params){
		.now = c.now,
		.horizon_days = c.cfg.ics.horizon_days,
		.todo = c.cfg.ics.component == ICS_TODO,
		.alarm = c.cfg.ics.alarm,
		.vault_name = name,
		.prodid = prodid,
		.previous = previous,
		.previous_len = previous_len,
	};
	if (calendar_build(&cal, &r, &params, &r.diags) != 0)
		goto report;
	built = 1;
	if (calendar_check(cal.text, cal.len, cal.nitems, &dl) != 0)
		goto report;

	if (to_stdout) {
		fwrite(cal.text, 1, cal.len, stdout);
	} else if (prev_rc == 0 && calendar_same(previous, previous_len,
	    cal.text, cal.len)) {
		if (!c.quiet) {
			fprintf(say, "%s unchanged ", output);
			print_count(say, &cal, params.todo);
		}
	} else if (file_write_atomic(output, cal.text, cal.len, 0600,
	    &dl) == 0 && !c.quiet) {	/* private: a new feed is 0600 */
		fprintf(say, "wrote %s ", output);
		print_count(say, &cal, params.todo);
	}
	if (c.cfg.ics.publish != NULL && !no_publish) {
		fflush(stdout);
		publish(&c, &cal, c.quiet, say, &dl);
	}

report:
	fflush(stdout);	/* what was done first, then what went wrong */
	diag_list_move(&r.diags, &dl);
	common_print_diags(&c, &r.diags);
	rc = diag_exit_status(&r.diags);
out:
	if (built)
		calendar_release(&cal);
	if (scanned)
		scan_result_release(&r);
	free(previous);
	free(prodid);
	free(name);
	free(output);
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}
