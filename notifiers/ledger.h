/*
 * ledger.h - what was sent to whom (docs/design.md, "Never spamming"), in
 * SQLite at $XDG_STATE_HOME/followup/state.db, so that followup never
 * spams.
 *
 * One row per notifier and due episode (contact, due date, state):
 *   sending  recorded, in its own transaction, before the request goes
 *            out;
 *   sent     once the service accepted it;
 *   unknown  the request went out and no answer came (a timeout, a crash
 *            while sending): it may have arrived. Not sent again before
 *            repeat_days, and reported.
 * A request that failed for sure leaves no row: the next run sends it.
 *
 * Promises: every change is a transaction (a crash leaves the ledger as it
 * was before or after it); the schema carries a version (PRAGMA
 * user_version) and a ledger from a newer followup is refused, not
 * rewritten; writers are serialised (a lock file), so two runs at once
 * send each reminder once. A read-only ledger (for --dry-run) never creates or
 * changes the file.
 *
 * Memory: struct ledger is opaque and owned by the caller (ledger_close).
 * Strings returned in struct ledger_row are the caller's
 * (ledger_rows_release).
 */
#ifndef FOLLOWUP_LEDGER_H
#define FOLLOWUP_LEDGER_H

#include <stddef.h>
#include <time.h>

struct diag_list;
struct ledger;

#define LEDGER_SCHEMA_VERSION 1
/* PRAGMA application_id of a ledger: "FUPL". */
#define LEDGER_APPLICATION_ID 0x4655504c
#define LEDGER_APPLICATION_ID_SQL "1179996236"

enum ledger_status {
	LEDGER_NONE,		/* no row */
	LEDGER_SENDING,
	LEDGER_SENT,
	LEDGER_UNKNOWN,
};

/* One due episode of one contact. */
struct ledger_episode {
	const char *contact;	/* the note's path */
	int due;		/* day number */
	const char *state;	/* "overdue", ... */
};

struct ledger_row {
	char *notifier;
	char *contact;
	int due;
	char *state;
	enum ledger_status status;
	int day;		/* the day it was (last) sent or tried */
	char *message;		/* the id of the message it went in */
};

/*
 * Open the ledger at path. A writer (!readonly) first holds it for this
 * process (flock on PATH.lock), waiting up to wait_seconds for another
 * followup, and only then opens, creates or checks the database, so two
 * processes never set it up at once; ledger_close() lets go. A missing
 * file opened read-only is an empty ledger, and nothing is created.
 * Returns 0; 1 when another process still holds it after the wait; -1
 * with a diag on dl.
 */
int ledger_open(struct ledger **out, const char *path, int readonly,
    int wait_seconds, struct diag_list *dl);
void ledger_close(struct ledger *l);

/*
 * What the ledger says of episode e for notifier: its status and the day
 * of the last attempt (*day; 0 when none).
 */
enum ledger_status ledger_lookup(struct ledger *l, const char *notifier,
    const struct ledger_episode *e, int *day);

/*
 * Rows left in `sending` by a run that stopped while sending (for any
 * notifier): into *rows (the caller's; ledger_rows_release).
 */
int ledger_interrupted(struct ledger *l, struct ledger_row **rows,
    size_t *n);
/*
 * Settle an interrupted row: as unknown (it may have arrived), or
 * forgotten (it will be sent again as a new message).
 */
int ledger_settle(struct ledger *l, const struct ledger_row *row,
    int forget);
void ledger_rows_release(struct ledger_row *rows, size_t n);

/*
 * Record episodes as `sending` for notifier, in the message with the id
 * message, today, in one transaction.
 */
int ledger_begin(struct ledger *l, const char *notifier,
    const struct ledger_episode *e, size_t n, const char *message, int today,
    time_t now);
/*
 * After the request: LEDGER_SENT or LEDGER_UNKNOWN marks them so;
 * LEDGER_NONE removes them (failed for sure: sent again next run).
 */
int ledger_end(struct ledger *l, const char *notifier,
    const struct ledger_episode *e, size_t n, enum ledger_status st,
    int today);

/*
 * Forget notifier's reminders of unknown outcome (every notifier's when
 * NULL), so that they go out again: what `notify --release` does once
 * the user knows they did not arrive. Returns how many, or -1.
 */
long ledger_release_unknown(struct ledger *l, const char *notifier);
/*
 * How many of notifier's reminders are of unknown outcome, and the day
 * of the earliest (*since; 0 when none). -1 when it cannot be read.
 */
long ledger_count_unknown(struct ledger *l, const char *notifier,
    int *since);

/* The day of the last notify run, 0 when none; and setting it. */
int ledger_last_run(struct ledger *l);
int ledger_set_last_run(struct ledger *l, int today);

/* The last SQLite error, for messages. */
const char *ledger_error(const struct ledger *l);

#endif
