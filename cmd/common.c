/* common.c - options, config and today shared by every command. */
#include "cmd.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/date.h"
#include "../core/engine.h"
#include "../core/paths.h"
#include "../core/report.h"
#include "../core/util.h"

static void
print_help(const struct command *cmd)
{
	printf("usage: followup %s [options]\n\n%s\n\n", cmd->name,
	    cmd->summary);
	if (cmd->help != NULL) {
		cmd->help(stdout);
		putchar('\n');
	} else if (cmd->usage && cmd->usage[0])
		printf("%s\n", cmd->usage);
	printf("Options for every command:\n"
	    "  --vault DIR        the vault (else config \"vault\")\n"
	    "  --config FILE      the config (else "
	    "$XDG_CONFIG_HOME/followup/config.yml)\n"
	    "  --today YYYY-MM-DD compute as of this day (else the local "
	    "date)\n"
	    "  --no-cache         read every note, neither using nor updating\n"
	    "                     the scan cache\n"
	    "  -q, --quiet        print errors only\n"
	    "  -v, --verbose      say more\n"
	    "  -h, --help         this help\n"
	    "  --version          the version\n\n"
	    "Exit status: 0 all well, 64 usage, 65 a note is bad, 66 vault "
	    "missing,\n73 cannot write, 75 try again later, 78 config "
	    "error. See followup(1).\n");
}

static int
use_color(int fd)
{
	const char *no = getenv("NO_COLOR");

	return isatty(fd) && (no == NULL || no[0] == '\0');
}

void
common_init(struct common *c, const struct command *cmd)
{
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	c->tasks = ENGINE_OPEN_TASKS;
	config_init(&c->cfg);
	c->color_out = use_color(STDOUT_FILENO);
	c->color_err = use_color(STDERR_FILENO);
}

int
usage_error(const struct common *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "followup %s: ", c->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  hint: see 'followup %s --help'\n", c->cmd->name);
	return EXIT_USAGE;
}

int
common_option(struct common *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_VAULT:
		c->vault_arg = arg;
		return 1;
	case OPT_CONFIG:
		c->config_arg = arg;
		return 1;
	case OPT_TODAY:
		c->today_arg = arg;
		return 1;
	case 'q':
		c->quiet = 1;
		return 1;
	case OPT_NO_CACHE:
		c->no_cache = 1;
		return 1;
	case 'v':
		c->verbose++;
		return 1;
	case 'h':
	case OPT_HELP:
		print_help(c->cmd);
		return -1 - EXIT_OK;
	case OPT_VERSION:
		printf("followup %s\n", FOLLOWUP_VERSION);
		return -1 - EXIT_OK;
	case '?':
		return -1 - usage_error(c, "unknown option or missing value "
		    "(see above)");
	}
	return 0;
}

int
common_parse(struct common *c, int argc, char **argv,
    const struct option *options, own_option_fn own, void *ctx)
{
	int opt, handled, rc;

	opterr = 1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, options,
	    NULL)) != -1) {
		if ((handled = common_option(c, opt, optarg)) < 0)
			return -1 - handled;
		if (handled)
			continue;
		if (own == NULL)
			return usage_error(c, "unknown option");
		if ((rc = own(c, opt, optarg, ctx)) != 0)
			return rc;
	}
	if (optind < argc)
		return usage_error(c, "unexpected argument \"%s\"",
		    argv[optind]);
	return -1;
}

static int
local_today(time_t now)
{
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		BUG("localtime_r failed");
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int
common_setup(struct common *c, struct diag_list *dl)
{
	const char *fixed = getenv("FOLLOWUP_NOW");
	char *path = NULL, *end;
	int rc = 0;

	/* The one clock of a run. FOLLOWUP_NOW (seconds since the epoch)
	 * pins it for tests, as GIT_TEST_DATE_NOW does for git. */
	c->now = time(NULL);
	if (fixed != NULL && fixed[0] != '\0') {
		long long v;

		errno = 0;
		v = strtoll(fixed, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 ||
		    v > 253402300799LL)
			return usage_error(c, "FOLLOWUP_NOW \"%s\" is not a "
			    "number of seconds since 1970", fixed);
		c->now = (time_t)v;
	}
	if (c->today_arg != NULL) {
		if (date_parse_exact(c->today_arg, strlen(c->today_arg),
		    &c->today) != DATE_OK)
			return usage_error(c, "--today \"%s\" is not a real date "
			    "written YYYY-MM-DD", c->today_arg);
	} else
		c->today = local_today(c->now);
	if (c->today > date_feed_last_day()) {
		char last[DATE_BUFSZ];

		return usage_error(c, "%s is after %s, the last day the feed "
		    "can hold (iCalendar readers such as libical read no "
		    "later date)", c->today_arg != NULL ? "--today" :
		    "today (FOLLOWUP_NOW)", date_format(date_feed_last_day(),
		    last));
	}

	if (c->config_arg != NULL)
		rc = config_load(&c->cfg, c->config_arg, 1, dl);
	else if ((path = config_default_path()) != NULL)
		rc = config_load(&c->cfg, path, 0, dl);
	free(path);

	if (c->vault_arg != NULL)
		c->vault = xstrdup(c->vault_arg);
	else if (c->cfg.vault != NULL)
		c->vault = xstrdup(c->cfg.vault);
	else if (rc == 0) {
		diag_error(dl, DIAG_USAGE, NULL, 0,
		    "pass --vault DIR, or set \"vault:\" in "
		    "$XDG_CONFIG_HOME/followup/config.yml",
		    "no vault given");
		return EXIT_USAGE;
	}
	return rc == 0 ? 0 : EXIT_CONFIG;
}

int
common_scan(struct common *c, struct scan_result *r)
{
	struct scan_cache_opts cache = { NULL, 0 };
	struct timespec now;
	int rc;

	if (!c->no_cache)
		cache.path = paths_scan_cache();
	clock_gettime(CLOCK_REALTIME, &now);
	cache.now_ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
	rc = engine_scan(r, c->vault, &c->cfg.rules, c->today,
	    cache.path != NULL ? &cache : NULL, c->tasks);
	free((char *)cache.path);
	return rc;
}

int
common_scan_or_report(struct common *c, struct scan_result *r)
{
	int rc;

	if (common_scan(c, r) == 0)
		return 0;
	common_print_diags(c, &r->diags);
	rc = diag_exit_status(&r->diags);
	if (rc == 0)
		BUG("the scan failed without an error");
	scan_result_release(r);
	return rc;
}

void
common_print_diags(const struct common *c, const struct diag_list *dl)
{
	report_diags(stderr, dl, c->quiet, c->color_err ? REPORT_COLOR : 0);
}

int
common_finish_output(int rc)
{
	int lost = fflush(stdout) != 0;

	lost |= ferror(stdout);
	if (!lost)
		return rc;
	fprintf(stderr, "followup: cannot write the output: %s\n"
	    "  hint: check the disk or the pipe it goes to\n",
	    strerror(errno ? errno : EIO));
	return rc == EXIT_OK || rc == EXIT_DATAERR ? EXIT_CANTCREAT : rc;
}

void
common_release(struct common *c)
{
	config_release(&c->cfg);
	free(c->vault);
	free(c->vault_name);
}

const struct step_env *
common_step_env(struct common *c)
{
	char *real, *copy;

	/* No vault given (check goes on without one): links name none. */
	if (c->vault_name == NULL && c->vault == NULL)
		c->vault_name = xstrdup("");
	if (c->vault_name == NULL) {
		real = realpath(c->vault, NULL);
		copy = xstrdup(real ? real : c->vault);
		c->vault_name = xstrdup(basename(copy));
		free(copy);
		free(real);
	}
	c->env = (struct step_env){ &c->cfg, c->now, c->today,
		c->vault_name, c->allow_empty };
	return &c->env;
}
