/*
 * status.c - `followup status`: the contacts, in one of the formats of
 * core/report.h, whose table gives --format its names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../core/contact.h"
#include "../core/engine.h"
#include "../core/report.h"
#include "../core/util.h"

enum { OPT_FORMAT = OPT_FIRST_COMMAND_OPTION, OPT_STATE };

/* "cold,overdue" → a mask of states; -1 and *bad on an unknown one. */
static long
parse_states(const char *arg, const char **bad, size_t *badlen)
{
	unsigned mask = 0;
	const char *p = arg;

	while (*p) {
		size_t n = strcspn(p, ",");
		int st = contact_state_parse(p, n);

		if (st < 0) {
			*bad = p;
			*badlen = n;
			return -1;
		}
		mask |= 1u << st;
		p += n;
		if (*p == ',')
			p++;
	}
	return mask ? (long)mask : -1;
}

struct status_options {
	const struct report_format *format;
	unsigned states;
};

/* "text, json or csv": the names --format takes, from the table. */
static char *
format_names(const char *sep, const char *last_sep)
{
	const struct report_format *f;
	struct strbuf sb = STRBUF_INIT;

	for (f = report_formats; f->name != NULL; f++)
		strbuf_addf(&sb, "%s%s", f == report_formats ? "" :
		    f[1].name == NULL ? last_sep : sep, f->name);
	return strbuf_detach(&sb);
}

static int
status_option(struct common *c, int opt, const char *arg, void *ctx)
{
	struct status_options *o = ctx;
	const char *bad = "";
	size_t badlen = 0;
	long mask;

	if (opt == OPT_FORMAT) {
		if ((o->format = report_format_find(arg)) == NULL) {
			char *names = format_names(", ", " or ");
			int rc = usage_error(c, "--format must be %s, not "
			    "\"%s\"", names, arg);

			free(names);
			return rc;
		}
		return 0;
	}
	if (opt != OPT_STATE)
		return usage_error(c, "unknown option");
	if ((mask = parse_states(arg, &bad, &badlen)) < 0)
		return usage_error(c, "--state: \"%.*s\" is not a state "
		    "(snoozed, never, cold, overdue, due, ok)", (int)badlen,
		    bad);
	o->states = (unsigned)mask;
	return 0;
}

static int
cmd_status(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "state", required_argument, NULL, OPT_STATE },
		{ NULL, 0, NULL, 0 },
	};
	struct status_options o = { report_formats, REPORT_ALL_STATES };
	struct report_options ro;
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	int rc;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, status_option,
	    &o)) >= 0)
		goto out;
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}
	if ((rc = common_scan_or_report(&c, &r)) != 0)
		goto out;
	ro = (struct report_options){ c.vault, o.states,
		(c.color_out ? REPORT_COLOR : 0) |
		(c.verbose ? REPORT_ITEMS : 0) };
	o.format->print(stdout, &r, &ro);
	fflush(stdout);	/* the table first, then what went wrong */
	common_print_diags(&c, &r.diags);
	rc = diag_exit_status(&r.diags);
	scan_result_release(&r);
out:
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}

static void
status_help(FILE *out)
{
	char *names = format_names("|", "|");

	fprintf(out, "Options:\n  --format %-9s  output format (default %s)\n"
	    "  --state S,...       only these states: snoozed, never, cold,\n"
	    "                      overdue, due, ok\n", names,
	    report_formats[0].name);
	free(names);
}

const struct command cmd_status_entry = {
	.name = "status",
	.summary = "List contacts: who is due for a follow-up, and when.",
	.help = status_help,
	.run = cmd_status,
};
