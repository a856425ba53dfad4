/*
 * ledger.c - the SQLite ledger of sent reminders (see ledger.h).
 */
#include "ledger.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/diag.h"
#include "../core/fileio.h"
#include "../core/util.h"

struct ledger {
	sqlite3 *db;		/* NULL: read-only and no file yet */
	char *path;
	int lock_fd;
	int readonly;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS reminders ("
    " notifier TEXT NOT NULL,"
    " contact TEXT NOT NULL,"
    " due INTEGER NOT NULL,"
    " state TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('sending','sent','unknown')),"
    " day INTEGER NOT NULL,"
    " attempted_at INTEGER NOT NULL,"
    " message TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY (notifier, contact, due, state)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS meta ("
    " key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;";

static const char *const status_names[] = {
	[LEDGER_NONE] = "",
	[LEDGER_SENDING] = "sending",
	[LEDGER_SENT] = "sent",
	[LEDGER_UNKNOWN] = "unknown",
};

static enum ledger_status
status_parse(const char *s)
{
	if (s == NULL)
		return LEDGER_NONE;
	if (strcmp(s, "sending") == 0)
		return LEDGER_SENDING;
	if (strcmp(s, "sent") == 0)
		return LEDGER_SENT;
	if (strcmp(s, "unknown") == 0)
		return LEDGER_UNKNOWN;
	return LEDGER_NONE;
}

const char *
ledger_error(const struct ledger *l)
{
	return l->db ? sqlite3_errmsg(l->db) : "no ledger";
}

static int
exec(struct ledger *l, const char *sql)
{
	return sqlite3_exec(l->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The one integer that a query returns; -1 when it fails. */
static int
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
user_version(sqlite3 *db)
{
	return query_int(db, "PRAGMA user_version");
}

/*
 * Is this database ours? A ledger carries LEDGER_APPLICATION_ID; one that
 * an older followup made has none, but has version 1 and our tables. A
 * new database (no table at all) is ours to set up. Anything else is
 * another program's file, or a damaged one: taking it as a new ledger
 * would send every reminder again.
 */
static int
is_ours(sqlite3 *db, int *fresh)
{
	int app = query_int(db, "PRAGMA application_id");
	int tables = query_int(db, "SELECT count(*) FROM sqlite_schema");
	int known = query_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'table' AND name IN ('reminders', 'meta')");

	*fresh = app == 0 && tables == 0;
	if (*fresh)
		return 1;
	if (app == LEDGER_APPLICATION_ID)
		return 1;
	return app == 0 && user_version(db) == 1 && known == 2;
}

/* Create the tables of a new ledger, or check the version of an old one. */
static int
ensure_schema(struct ledger *l, struct diag_list *dl)
{
	int fresh, v;

	if (!is_ours(l->db, &fresh)) {
		diag_error(dl, DIAG_CONFIG, l->path, 0, "this file is not "
		    "the ledger of sent reminders that followup keeps: move "
		    "it away to start a new ledger (reminders already sent "
		    "may then be sent again)", "this is not a followup "
		    "ledger");
		return -1;
	}
	v = user_version(l->db);
	if (v > LEDGER_SCHEMA_VERSION) {
		diag_error(dl, DIAG_CONFIG, l->path, 0, "run the newer "
		    "followup that wrote it, or move the file away (reminders "
		    "may then be sent again)", "this ledger has schema "
		    "version %d; this followup knows up to %d", v,
		    LEDGER_SCHEMA_VERSION);
		return -1;
	}
	if ((v == LEDGER_SCHEMA_VERSION && !fresh && query_int(l->db,
	    "PRAGMA application_id") == LEDGER_APPLICATION_ID) || l->readonly)
		return v < 0 ? -1 : 0;
	/*
	 * New, or an older followup's (no application id yet). Later
	 * versions migrate here, step by step.
	 */
	if (exec(l, "BEGIN IMMEDIATE") != 0 || exec(l, schema) != 0 ||
	    exec(l, "PRAGMA user_version = 1") != 0 ||
	    exec(l, "PRAGMA application_id = " LEDGER_APPLICATION_ID_SQL) !=
	    0 || exec(l, "COMMIT") != 0) {
		diag_error(dl, DIAG_CANT_WRITE, l->path, 0, "check the folder "
		    "and the disk", "cannot set up the ledger: %s",
		    sqlite3_errmsg(l->db));
		exec(l, "ROLLBACK");
		return -1;
	}
	return 0;
}

/* Hold PATH.lock, waiting up to wait_seconds: 0, 1 (still held), -1. */
static int
hold(struct ledger *l, int wait_seconds, struct diag_list *dl)
{
	char *lock_path = xasprintf("%s.lock", l->path);
	long holder;

	l->lock_fd = file_lock(lock_path, wait_seconds, &holder, dl);
	free(lock_path);
	if (l->lock_fd == FILE_LOCK_HELD)
		return 1;
	return l->lock_fd < 0 ? -1 : 0;
}

int
ledger_open(struct ledger **out, const char *path, int readonly,
    int wait_seconds, struct diag_list *dl)
{
	struct ledger *l = xcalloc(1, sizeof(*l));
	struct stat st;
	int flags = readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc, made = 0;

	l->path = xstrdup(path);
	l->lock_fd = -1;
	l->readonly = readonly;
	*out = l;
	/*
	 * A writer holds the lock while SQLite creates the file, which is
	 * empty for a moment: a file is looked at under the lock only (a
	 * reader takes it too when the file looks empty).
	 */
	if (readonly && stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	if ((!readonly || st.st_size == 0) &&
	    (rc = hold(l, wait_seconds, dl)) != 0) {
		ledger_close(l);
		*out = NULL;
		return rc;
	}
	if (stat(path, &st) != 0) {
		if (readonly)
			return 0;
		made = 1;
	} else if (st.st_size == 0 || !S_ISREG(st.st_mode)) {
		/* SQLite would take an empty file for a new database. */
		diag_error(dl, DIAG_CONFIG, path, 0, "move it away to start "
		    "a new ledger (reminders already sent may then be sent "
		    "again)", "this is not a followup ledger: %s",
		    S_ISREG(st.st_mode) ? "the file is empty (0 bytes)" :
		    "it is not a regular file");
		ledger_close(l);
		*out = NULL;
		return -1;
	}
	if (sqlite3_open_v2(path, &l->db, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		diag_error(dl, DIAG_CANT_WRITE, path, 0, "check the folder's "
		    "permissions", "cannot open the ledger: %s",
		    l->db ? sqlite3_errmsg(l->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(l->db, 10000);
	/* The version first: a newer ledger is not touched at all. */
	if (ensure_schema(l, dl) != 0) {
		if (diag_count(dl, DIAG_ERROR) == 0)
			diag_error(dl, DIAG_CONFIG, path, 0, "move the file "
			    "away: a new ledger is made (reminders may then "
			    "be sent again)", "this is not a followup ledger: "
			    "%s", sqlite3_errmsg(l->db));
		goto fail;
	}
	if (!readonly && (exec(l, "PRAGMA journal_mode=WAL") != 0 ||
	    exec(l, "PRAGMA synchronous=FULL") != 0)) {
		diag_error(dl, DIAG_CANT_WRITE, path, 0, "check the folder "
		    "and the disk", "cannot use the ledger: %s",
		    sqlite3_errmsg(l->db));
		goto fail;
	}
	return 0;
fail:
	ledger_close(l);
	/*
	 * A ledger this open made and could not set up (a full disk) is
	 * removed: left empty, the next run would refuse it as not ours.
	 */
	if (made)
		file_remove_sqlite(path);	/* not the lock */
	*out = NULL;
	return -1;
}

void
ledger_close(struct ledger *l)
{
	if (l == NULL)
		return;
	if (l->db != NULL)
		sqlite3_close(l->db);
	file_unlock(l->lock_fd);
	free(l->path);
	free(l);
}

enum ledger_status
ledger_lookup(struct ledger *l, const char *notifier,
    const struct ledger_episode *e, int *day)
{
	sqlite3_stmt *st;
	enum ledger_status s = LEDGER_NONE;

	*day = 0;
	if (l->db == NULL || sqlite3_prepare_v2(l->db, "SELECT status, day "
	    "FROM reminders WHERE notifier = ?1 AND contact = ?2 AND due = ?3 "
	    "AND state = ?4", -1, &st, NULL) != SQLITE_OK)
		return LEDGER_NONE;
	sqlite3_bind_text(st, 1, notifier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e->contact, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, e->due);
	sqlite3_bind_text(st, 4, e->state, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s = status_parse((const char *)sqlite3_column_text(st, 0));
		*day = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return s;
}

static char *
column_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return xstrdup(s ? s : "");
}

int
ledger_interrupted(struct ledger *l, struct ledger_row **rows, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (l->db == NULL)
		return 0;
	if (sqlite3_prepare_v2(l->db, "SELECT notifier, contact, due, state, "
	    "day, message FROM reminders WHERE status = 'sending' ORDER BY "
	    "notifier, message, contact, due, state", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ledger_row *r;

		GROW(*rows, cap, *n + 1);
		r = &(*rows)[(*n)++];
		r->notifier = column_dup(st, 0);
		r->contact = column_dup(st, 1);
		r->due = sqlite3_column_int(st, 2);
		r->state = column_dup(st, 3);
		r->status = LEDGER_SENDING;
		r->day = sqlite3_column_int(st, 4);
		r->message = column_dup(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
ledger_settle(struct ledger *l, const struct ledger_row *row, int forget)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(l->db, forget ?
	    "DELETE FROM reminders WHERE notifier = ?1 AND contact = ?2 AND "
	    "due = ?3 AND state = ?4 AND status = 'sending'" :
	    "UPDATE reminders SET status = 'unknown' WHERE notifier = ?1 AND "
	    "contact = ?2 AND due = ?3 AND state = ?4 AND status = 'sending'",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, row->notifier, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->contact, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, row->due);
	sqlite3_bind_text(st, 4, row->state, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

long
ledger_release_unknown(struct ledger *l, const char *notifier)
{
	sqlite3_stmt *st;
	int rc;

	if (l->db == NULL)
		return 0;
	if (sqlite3_prepare_v2(l->db, "DELETE FROM reminders WHERE status = "
	    "'unknown' AND (?1 IS NULL OR notifier = ?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (notifier != NULL)
		sqlite3_bind_text(st, 1, notifier, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? (long)sqlite3_changes(l->db) : -1;
}

long
ledger_count_unknown(struct ledger *l, const char *notifier, int *since)
{
	sqlite3_stmt *st;
	long n = -1;

	*since = 0;
	if (l->db == NULL)
		return 0;
	if (sqlite3_prepare_v2(l->db, "SELECT count(*), coalesce(min(day), 0) "
	    "FROM reminders WHERE status = 'unknown' AND notifier = ?1", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, notifier, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int(st, 0);
		*since = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	return n;
}

void
ledger_rows_release(struct ledger_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].notifier);
		free(rows[i].contact);
		free(rows[i].state);
		free(rows[i].message);
	}
	free(rows);
}

/* Run sql once per episode, in one transaction. */
static int
for_each_episode(struct ledger *l, const char *sql, const char *notifier,
    const struct ledger_episode *e, size_t n, const char *status, int today,
    time_t now, const char *message)
{
	sqlite3_stmt *st;
	size_t i;
	int ok = 1;

	if (l->db == NULL || l->readonly)
		return -1;
	if (exec(l, "BEGIN IMMEDIATE") != 0)
		return -1;
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK) {
		exec(l, "ROLLBACK");
		return -1;
	}
	for (i = 0; i < n && ok; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, notifier, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, e[i].contact, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, e[i].due);
		sqlite3_bind_text(st, 4, e[i].state, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 5)
			sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 6)
			sqlite3_bind_int(st, 6, today);
		if (sqlite3_bind_parameter_count(st) >= 7)
			sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
		if (sqlite3_bind_parameter_count(st) >= 8)
			sqlite3_bind_text(st, 8, message, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (!ok || exec(l, "COMMIT") != 0) {
		exec(l, "ROLLBACK");
		return -1;
	}
	return 0;
}

int
ledger_begin(struct ledger *l, const char *notifier,
    const struct ledger_episode *e, size_t n, const char *message, int today,
    time_t now)
{
	return for_each_episode(l, "INSERT OR REPLACE INTO reminders (notifier, "
	    "contact, due, state, status, day, attempted_at, message) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", notifier, e, n, "sending",
	    today, now, message);
}

int
ledger_end(struct ledger *l, const char *notifier,
    const struct ledger_episode *e, size_t n, enum ledger_status st,
    int today)
{
	if (st == LEDGER_NONE)
		return for_each_episode(l, "DELETE FROM reminders WHERE "
		    "notifier = ?1 AND contact = ?2 AND due = ?3 AND state = ?4",
		    notifier, e, n, NULL, today, 0, NULL);
	return for_each_episode(l, "UPDATE reminders SET status = ?5, day = ?6 "
	    "WHERE notifier = ?1 AND contact = ?2 AND due = ?3 AND state = ?4",
	    notifier, e, n, status_names[st], today, 0, NULL);
}

int
ledger_last_run(struct ledger *l)
{
	sqlite3_stmt *st;
	int day = 0;

	if (l->db == NULL || sqlite3_prepare_v2(l->db, "SELECT value FROM meta "
	    "WHERE key = 'last_run_day'", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		day = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return day;
}

int
ledger_set_last_run(struct ledger *l, int today)
{
	sqlite3_stmt *st;
	int rc;

	if (l->db == NULL || l->readonly)
		return -1;
	if (sqlite3_prepare_v2(l->db, "INSERT OR REPLACE INTO meta (key, value) "
	    "VALUES ('last_run_day', ?1)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, today);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
