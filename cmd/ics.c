/*
 * ics.c - `followup ics`: write the feed, then publish it (feed/feed.h;
 * docs/design.md, "The feed").
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "module.h"
#include "../core/engine.h"
#include "../feed/feed.h"

enum { OPT_OUTPUT = OPT_FIRST_COMMAND_OPTION, OPT_NO_PUBLISH,
	OPT_ALLOW_EMPTY };

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
	else if (opt == OPT_ALLOW_EMPTY)
		c->allow_empty = 1;
	else
		return usage_error(c, "unknown option");
	return 0;
}

/* Write the feed of r to output (or standard output), then publish it. */
static void
write_and_publish(struct common *c, const struct feed_api *feed,
    const struct ics_options *o, const char *output,
    const struct scan_result *r, struct feed_result *fr,
    struct diag_list *dl)
{
	const struct step_env *env = common_step_env(c);
	int to_stdout = strcmp(output, "-") == 0;
	FILE *say = to_stdout ? stderr : stdout;

	if (feed->build(env, r, to_stdout ? NULL : output, fr, dl) != 0)
		return;
	if (to_stdout) {
		fwrite(fr->cal.text, 1, fr->cal.len, stdout);
	} else if (feed->write(output, fr, dl) == 0 && !c->quiet) {
		fprintf(say, "%s %s ", fr->written ? "wrote" : output,
		    fr->written ? output : "unchanged");
		feed->print_count(say, fr);
		fputc('\n', say);
	}
	if (c->cfg.ics.publish != NULL && !o->no_publish) {
		int published;

		fflush(stdout);
		published = feed->publish(env, fr, dl) == 0;
		if (!c->quiet && (published || fr->published.sent ||
		    fr->published.deleted || fr->published.refused)) {
			fprintf(say, "published: %zu sent, %zu deleted, %zu "
			    "unchanged", fr->published.sent,
			    fr->published.deleted, fr->published.unchanged);
			if (fr->published.refused)
				fprintf(say, ", %zu refused",
				    fr->published.refused);
			fputc('\n', say);
		}
	}
}

static int
cmd_ics(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "no-publish", no_argument, NULL, OPT_NO_PUBLISH },
		{ "allow-empty", no_argument, NULL, OPT_ALLOW_EMPTY },
		{ NULL, 0, NULL, 0 },
	};
	const struct feed_api *feed = NULL;
	struct ics_options o = { NULL, 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	struct feed_result fr = { 0 };
	struct scan_result r;
	struct common c;
	char *output = NULL;
	int rc;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, ics_option,
	    &o)) >= 0)
		goto out;
	if (o.output != NULL && o.output[0] == '\0') {
		rc = usage_error(&c, "--output needs a file name (or - for "
		    "standard output)");
		goto out;
	}
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}
	if ((feed = module_feed(cmd->name)) == NULL) {
		rc = EXIT_UNAVAILABLE;
		goto out;
	}
	if ((output = feed->path(&c.cfg, o.output)) == NULL) {
		rc = usage_error(&c, "no place for the feed: pass --output "
		    "FILE, set ics.path, or set HOME");
		goto out;
	}
	if ((rc = common_scan_or_report(&c, &r)) != 0)
		goto out;
	write_and_publish(&c, feed, &o, output, &r, &fr, &dl);
	fflush(stdout);	/* what was done first, then what went wrong */
	diag_list_move(&r.diags, &dl);
	common_print_diags(&c, &r.diags);
	rc = diag_exit_status(&r.diags);
	scan_result_release(&r);
out:
	if (feed != NULL)
		feed->release(&fr);
	free(output);
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}

const struct command cmd_ics_entry = {
	.name = "ics",
	.summary = "Write the iCalendar feed of follow-ups, and publish it.",
	.usage =
	    "Options:\n"
	    "  --output FILE       where the feed goes (else config\n"
	    "                      ics.path, else\n"
	    "                      $XDG_DATA_HOME/followup/followup.ics);\n"
	    "                      - for standard output\n"
	    "  --no-publish        do not publish, even with ics.publish\n"
	    "  --allow-empty       let a vault of no contact empty a feed\n"
	    "                      that has follow-ups (else refused: is\n"
	    "                      the folder mounted?)\n",
	.run = cmd_ics,
};
