/*
 * cmd.h - what every command shares: its entry (struct command, one per
 * file, tmux-style, listed by main.c), the options every command takes
 * (--vault, --config, --today, --no-cache, -q, -v, --help, --version),
 * loading the config, choosing today and scanning.
 *
 * Only cmd/ prints and only cmd/ decides exit statuses (sysexits.h, as
 * docs/design.md, "Exit statuses", lists them). A command file holds its
 * options and the order of its steps; what a step does is the engine's
 * (core/), the feed's (feed/) or the dispatch's (notifiers/).
 */
#ifndef FOLLOWUP_CMD_H
#define FOLLOWUP_CMD_H

#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "../config/config.h"
#include "../config/step.h"
#include "../core/diag.h"
#include "../core/engine.h"
#include "../core/version.h"

#define EXIT_OK 0
#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_NOINPUT 66
#define EXIT_UNAVAILABLE 69	/* followup-net.so missing (module.h) */
#define EXIT_OSERR 71		/* out of memory (core/alloc.c, util.h) */
#define EXIT_CANTCREAT 73
#define EXIT_TEMPFAIL 75
#define EXIT_CONFIG 78

/* A command: `followup NAME ...` runs run(). */
struct command {
	const char *name;
	const char *summary;	/* one line, for `followup --help` */
	const char *usage;	/* its own options, for `followup NAME --help` */
	/* MAY: print them instead, when they come from a table. */
	void (*help)(FILE *out);
	int (*run)(const struct command *cmd, int argc, char **argv);
};

/* Option values for the options every command takes. */
enum {
	OPT_VAULT = 1000,
	OPT_CONFIG,
	OPT_TODAY,
	OPT_HELP,
	OPT_VERSION,
	OPT_NO_CACHE,
	OPT_FIRST_COMMAND_OPTION,
};

#define COMMON_LONG_OPTIONS \
	{ "vault", required_argument, NULL, OPT_VAULT }, \
	{ "config", required_argument, NULL, OPT_CONFIG }, \
	{ "today", required_argument, NULL, OPT_TODAY }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "version", no_argument, NULL, OPT_VERSION }, \
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE }
#define COMMON_SHORT_OPTIONS "+qvh"

struct common {
	const struct command *cmd;
	const char *vault_arg;
	const char *config_arg;
	const char *today_arg;
	int quiet;
	int verbose;
	int no_cache;
	/* The tasks its scan keeps: closed ones only for a command listing them. */
	enum engine_tasks tasks;
	int allow_empty;	/* ics, run: --allow-empty (step.h) */

	/* Filled by common_setup(). */
	struct config cfg;
	char *vault;		/* the folder to scan */
	time_t now;		/* the clock, or $FOLLOWUP_NOW (tests) */
	int today;		/* --today, else the local date of now */
	int color_out;		/* colour on stdout */
	int color_err;
	char *vault_name;	/* its folder's name, made when first asked */
	struct step_env env;	/* for the feed and the dispatch */
};

void common_init(struct common *c, const struct command *cmd);
/*
 * Handle a common option. Returns 1 when handled, 0 when opt is not a
 * common one, or -1 - status when the command must exit with status
 * (after --help or --version, or a bad value).
 */
int common_option(struct common *c, int opt, const char *arg);
/*
 * A command's own options: called for each option that is not a common
 * one; returns 0, or the exit status after a usage error.
 */
typedef int (*own_option_fn)(struct common *c, int opt, const char *arg,
    void *ctx);
/*
 * Parse argv against options (the common ones and the command's own,
 * handed to own, which may be NULL). Returns -1 when the command should
 * go on, else the status to exit with (after --help, or a usage error).
 */
int common_parse(struct common *c, int argc, char **argv,
    const struct option *options, own_option_fn own, void *ctx);
/* Report an unknown option or stray argument; returns EXIT_USAGE. */
int usage_error(const struct common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Load the config (config errors go to dl) and decide vault and today.
 * Returns 0, or the exit status when the command cannot go on.
 */
int common_setup(struct common *c, struct diag_list *dl);
void common_release(struct common *c);
/*
 * Flush stdout. When anything written to it was lost (a full disk, a
 * closed pipe) say so and return EXIT_CANTCREAT unless rc is worse.
 */
int common_finish_output(int rc);
struct scan_result;
/*
 * Scan the vault as the options say (with the scan cache unless
 * --no-cache). Returns 0, or -1 when the vault cannot be read.
 */
int common_scan(struct common *c, struct scan_result *r);
/*
 * common_scan() for a command that has nothing to do when the vault
 * cannot be read: then it prints what went wrong, releases r and returns
 * the exit status; else 0, and r is the caller's to release.
 */
int common_scan_or_report(struct common *c, struct scan_result *r);
/* Print diags to stderr as "path:line: message" (warnings unless -q). */
void common_print_diags(const struct common *c, const struct diag_list *dl);
/*
 * What the feed and the dispatch get of the command (config, clock,
 * today, the vault's name), made once; c keeps it.
 */
const struct step_env *common_step_env(struct common *c);

#endif
