/* status.c - `followup status`: the table of contacts, text or JSON. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../core/contact.h"
#include "../core/engine.h"
#include "../core/report.h"

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

int
cmd_status(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "state", required_argument, NULL, OPT_STATE },
		{ NULL, 0, NULL, 0 },
	};
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	unsigned states = REPORT_ALL_STATES;
	int json = 0, opt, rc, handled;

	common_init(&c, cmd);
	opterr = 1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, options,
	    NULL)) != -1) {
		if ((handled = common_option(&c, opt, optarg)) < 0) {
			rc = -1 - handled;
			goto out;
		}
		if (handled)
			continue;
		if (opt == OPT_FORMAT) {
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") == 0)
				json = 0;
			else {
				rc = usage_error(&c, "--format must be text or "
				    "json, not \"%s\"", optarg);
				goto out;
			}
		} else if (opt == OPT_STATE) {
			const char *bad = "";
			size_t badlen = 0;
			long mask = parse_states(optarg, &bad, &badlen);

			if (mask < 0) {
				rc = usage_error(&c, "--state: \"%.*s\" is not a "
				    "state (snoozed, never, cold, overdue, due, "
				    "ok)", (int)badlen, bad);
				goto out;
			}
			states = (unsigned)mask;
		}
	}
	if (optind < argc) {
		rc = usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
		goto out;
	}
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}
	if (common_scan(&c, &r) != 0) {
		common_print_diags(&c, &r.diags);
		rc = diag_exit_status(&r.diags);
		scan_result_release(&r);
		goto out;
	}
	if (json) {
		char *doc = report_json(&r, c.vault, states);

		fputs(doc, stdout);
		free(doc);
	} else
		report_text(stdout, &r, states, (c.color_out ? REPORT_COLOR : 0) |
		    (c.verbose ? REPORT_ITEMS : 0));
	fflush(stdout);	/* the table first, then what went wrong */
	common_print_diags(&c, &r.diags);
	rc = diag_exit_status(&r.diags);
	scan_result_release(&r);
out:
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}
