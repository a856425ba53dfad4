/*
 * dispatch.h - who gets reminded of whom, and when: the reminders of a
 * scan through every configured notifier, once per due episode, with the
 * ledger around every message (docs/design.md, "Never spamming").
 *
 *   - an episode (contact, due date, state) goes to a notifier once,
 *     again only after notify.repeat_days (0: never again);
 *   - the ledger records `sending` before a request goes out and `sent`
 *     once the service took it; a message of unknown outcome is sent
 *     again only where the service drops repeats (notifier_ops
 *     idempotent), else reported and held back;
 *   - 429, 5xx and no connection are retried within
 *     notify.retry_seconds, then left for the next run;
 *   - at most notify.max_per_run a notifier, the rest waiting; a
 *     reminder that became due on a day no run came by is sent once,
 *     marked late; quiet hours send nothing;
 *   - one message per notifier (notify.digest), or one per contact.
 *
 * `notify` and `run` are made of these; nothing here prints but the
 * lines asked for on say. The binary reaches this module only through
 * dispatch_api (cmd/module.h).
 *
 * Memory: a struct dispatch owns its notifiers; dispatch_close() frees
 * them. The step_env and plan it was opened with are borrowed until then.
 */
#ifndef FOLLOWUP_DISPATCH_H
#define FOLLOWUP_DISPATCH_H

#include <stddef.h>
#include <stdio.h>

struct diag_list;
struct scan_result;
struct step_env;

/* What `notify` was asked to do; all zero for a plain sending. */
struct notify_plan {
	const char *only;	/* the one notifier so named; NULL: all */
	int dry_run;		/* print every request; send, keep nothing */
	int test;		/* a test message each; the ledger untouched */
	/*
	 * Forget the reminders of unknown outcome first (of `only`, or of
	 * every notifier), so that they go out in this run.
	 */
	int release;
};

struct notify_counts {
	size_t notifiers;	/* that could be opened */
	size_t broken;		/* that the config could not open */
	size_t sent;		/* reminders the services took */
	size_t failed;		/* not delivered: tried again next run */
	size_t unknown;		/* no answer: may have arrived */
	size_t waiting;		/* over a limit: for the next run */
	int quiet_hours;	/* nothing sent: notify.quiet_hours */
};

struct dispatch;

/*
 * Open the notifiers of the config (with plan->only, the one so named)
 * into *d. Returns how many the config names that way; those that cannot
 * be opened are config errors on dl, counted as broken in nc.
 */
size_t dispatch_open(struct dispatch **d, const struct step_env *env,
    const struct notify_plan *plan, struct notify_counts *nc,
    struct diag_list *dl);
/* How many could be opened. */
size_t dispatch_count(const struct dispatch *d);
/* Whether one of them attaches the feed (attach_calendar). */
int dispatch_wants_calendar(const struct dispatch *d);
/* Whether it is quiet hours now; if so, and say is set, say so. */
int dispatch_quiet_hours(const struct step_env *env, FILE *say);
/*
 * Send the reminders of r through d's notifiers. calendar (len bytes),
 * when not NULL, is the feed for those that attach it. say, when not
 * NULL, gets a line per notifier.
 */
void dispatch_send(struct dispatch *d, const struct scan_result *r,
    const char *calendar, size_t calendar_len, FILE *say,
    struct notify_counts *nc, struct diag_list *dl);
void dispatch_close(struct dispatch *d);

/* `run`'s step: open every notifier, mind quiet hours, send, close. */
void dispatch_step(const struct step_env *env, const struct scan_result *r,
    const char *calendar, size_t calendar_len, FILE *say,
    struct notify_counts *nc, struct diag_list *dl);

/*
 * For `followup check`: every notifier opened (URL, secret, CA file);
 * nothing sent. Says a line each on say (NULL: silent). 0, or -1 (diags).
 */
int dispatch_check(const struct step_env *env, FILE *say,
    struct diag_list *dl);

/* What the binary calls, in followup-net.so. */
struct dispatch_api {
	size_t (*open)(struct dispatch **d, const struct step_env *env,
	    const struct notify_plan *plan, struct notify_counts *nc,
	    struct diag_list *dl);
	size_t (*count)(const struct dispatch *d);
	int (*wants_calendar)(const struct dispatch *d);
	int (*quiet_hours)(const struct step_env *env, FILE *say);
	void (*send)(struct dispatch *d, const struct scan_result *r,
	    const char *calendar, size_t calendar_len, FILE *say,
	    struct notify_counts *nc, struct diag_list *dl);
	void (*close)(struct dispatch *d);
	void (*step)(const struct step_env *env, const struct scan_result *r,
	    const char *calendar, size_t calendar_len, FILE *say,
	    struct notify_counts *nc, struct diag_list *dl);
	int (*check)(const struct step_env *env, FILE *say,
	    struct diag_list *dl);
};

extern const struct dispatch_api dispatch_api;

#endif
