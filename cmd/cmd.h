/*
 * cmd.h - what every subcommand shares: the command table, the common
 * options of DESIGN.md §4 (--vault, --config, --today, -q, -v, --help,
 * --version), loading the config and choosing today.
 *
 * Only cmd/ prints and only cmd/ decides exit statuses (sysexits.h, as
 * DESIGN.md §6 lists them).
 */
#ifndef FOLLOWUP_CMD_H
#define FOLLOWUP_CMD_H

#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "../config/config.h"
#include "../feed/calendar.h"
#include "../core/diag.h"
#include "../core/version.h"
#include "../feed/publish.h"

#define EXIT_OK 0
#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_NOINPUT 66
#define EXIT_UNAVAILABLE 69	/* followup-net.so missing (module.h) */
#define EXIT_CANTCREAT 73
#define EXIT_TEMPFAIL 75
#define EXIT_CONFIG 78

struct command {
	const char *name;
	const char *summary;
	int (*run)(const struct command *cmd, int argc, char **argv);
	const char *usage;	/* options after the common ones */
};

extern const struct command commands[];

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

	/* Filled by common_setup(). */
	struct config cfg;
	char *vault;		/* the folder to scan */
	time_t now;		/* the clock, or $FOLLOWUP_NOW (tests) */
	int today;		/* --today, else the local date of now */
	int color_out;		/* colour on stdout */
	int color_err;
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
/* Print diags to stderr in the §6 format (warnings unless -q). */
void common_print_diags(const struct common *c, const struct diag_list *dl);
/* The vault's name as Obsidian knows it: its folder's name; the caller's. */
char *common_vault_name(const struct common *c);

/*
 * The steps of `followup run` that are commands of their own too: the
 * feed (ics.c) and the reminders (notify.c). Each puts what went wrong on
 * dl and says what it did in its result, printing nothing.
 */
struct feed_result {
	struct calendar cal;	/* valid when built */
	int built;
	int todo;		/* VTODOs */
	int written;		/* 1 written, 0 unchanged, -1 not written */
	struct publish_result published;
	char *previous;		/* the feed on disk before; NULL */
	size_t previous_len;
	int had_previous;
};

/*
 * Where the feed goes: output_arg, else ics.path, else the default (its
 * folder created). NULL when there is no HOME. The caller's.
 */
char *feed_path(const struct common *c, const char *output_arg);
/* Build the feed of r, going on from the feed at path (NULL: none). */
int feed_build(const struct common *c, const struct scan_result *r,
    const char *path, struct feed_result *fr, struct diag_list *dl);
/* Write it to path atomically, unless only DTSTAMP would change. */
int feed_write(const char *path, struct feed_result *fr,
    struct diag_list *dl);
/* PUT it to ics.publish. */
int feed_publish(const struct common *c, struct feed_result *fr,
    struct diag_list *dl);
/* "(12 events)", or "(10 to-dos, 2 events)". */
void feed_print_count(FILE *out, const struct feed_result *fr);
void feed_result_release(struct feed_result *fr);
/*
 * For `followup check`: the feed's folder writable, a file already there
 * a feed, ics.publish usable (its password at hand); nothing contacted.
 * Says a line each on say (NULL: silent). Returns 0, or -1 (diags).
 */
int feed_check(const struct common *c, FILE *say, struct diag_list *dl);

struct notify_counts {
	size_t notifiers;	/* that could be opened */
	size_t broken;		/* that the config could not open */
	size_t sent;		/* reminders the services took */
	size_t failed;		/* not delivered: tried again next run */
	size_t unknown;		/* no answer: may have arrived */
	size_t waiting;		/* over a limit: for the next run */
	int quiet_hours;	/* nothing sent: notify.quiet_hours */
};

/*
 * Send the reminders of r through every notifier, as `followup notify`
 * does. cal, when not NULL, is attached where a notifier asks for it.
 * say, when not NULL, gets a line per notifier.
 */
void notify_step(struct common *c, const struct scan_result *r,
    const struct calendar *cal, FILE *say, struct notify_counts *nc,
    struct diag_list *dl);

/* For `followup check`: every notifier opened (URL, secret, CA file);
 * nothing sent. Returns 0, or -1 (diags). */
int notify_check(const struct common *c, FILE *say, struct diag_list *dl);

int cmd_status(const struct command *cmd, int argc, char **argv);
int cmd_contacted(const struct command *cmd, int argc, char **argv);
int cmd_snooze(const struct command *cmd, int argc, char **argv);
/* These four are in followup-net.so: main.c runs them through module.h. */
int cmd_check(const struct command *cmd, int argc, char **argv);
int cmd_ics(const struct command *cmd, int argc, char **argv);
int cmd_notify(const struct command *cmd, int argc, char **argv);
int cmd_run(const struct command *cmd, int argc, char **argv);

#endif
