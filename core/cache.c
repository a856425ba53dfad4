/*
 * cache.c - the scan cache in SQLite (see cache.h).
 *
 * One writer that records this scan's changes in one transaction, and
 * one reader per view that walks the old rows of its range of paths in
 * order. In WAL mode a reader keeps its snapshot while the writer writes;
 * the writer took the write lock first, so every view sees the same
 * snapshot. Views run on different threads: the writer is shared under a
 * mutex, each view's connection is its own.
 */
#include "cache.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "util.h"

/*
 * The layout of the database; the blobs' own is the caller's format,
 * which is part of the schema too (cache_open()).
 */
#define CACHE_LAYOUT "followup-scan-cache 6"
#define RACY_NS 1000000000LL

struct scan_cache {
	char *schema;		/* CACHE_LAYOUT and the blobs' format */
	sqlite3 *wr;
	sqlite3_stmt *put, *del;
	pthread_mutex_t lock;	/* over wr and its statements */
	char *root;
	long long now_ns;
	char *path;		/* the database file, for messages */
};

struct cache_view {
	struct scan_cache *c;
	sqlite3 *rd;
	/* Old rows of a range in path order; by which bounds are given. */
	sqlite3_stmt *ranges[4];
	sqlite3_stmt *cursor;	/* the one in use, or NULL */
	int started;		/* the cursor has been stepped */
	int have_row;		/* and stands on a row */
	int taken;		/* that row was handed out: step past it next */
};

/* ---- SQLite ---- */

static int
exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

enum schema { SCHEMA_OK, SCHEMA_NONE, SCHEMA_FOREIGN, SCHEMA_BROKEN };

static enum schema
schema_of(sqlite3 *db, const char *schema)
{
	sqlite3_stmt *st;
	enum schema result = SCHEMA_FOREIGN;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1,
	    &st, NULL);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return SCHEMA_BROKEN;
	}
	rc = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc == 0)
		return SCHEMA_NONE;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = "
	    "'schema'", -1, &st, NULL) != SQLITE_OK)
		return SCHEMA_FOREIGN;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);

		if (v != NULL && strcmp((const char *)v, schema) == 0)
			result = SCHEMA_OK;
	}
	sqlite3_finalize(st);
	return result;
}

static int
create_schema(sqlite3 *db, const char *schema)
{
	sqlite3_stmt *st = NULL;
	int rc = exec(db, "BEGIN IMMEDIATE;"
	    "DROP TABLE IF EXISTS scan_files;"
	    "DROP TABLE IF EXISTS meta;"
	    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	    "CREATE TABLE scan_files(vault TEXT NOT NULL, path TEXT NOT NULL,"
	    " size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, ino INTEGER,"
	    " read_ns INTEGER, data BLOB, PRIMARY KEY (vault, path))"
	    " WITHOUT ROWID;");

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO meta VALUES ('schema', "
		    "?)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, schema, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		return exec(db, "COMMIT");
	exec(db, "ROLLBACK");
	return rc;
}

static sqlite3 *
open_db(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* Whether the last error was another connection holding the file. */
static int
in_use(sqlite3 *db)
{
	int code = sqlite3_errcode(db) & 0xff;

	return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

/*
 * Whether the last error says the file is damaged (or holds what it
 * should not), which a rebuild mends; a full disk, an I/O error or a
 * read-only folder is no damage, and removing the cache then would
 * leave nothing where a good cache was.
 */
static int
damaged(sqlite3 *db)
{
	int code = sqlite3_errcode(db) & 0xff;

	return code == SQLITE_OK || code == SQLITE_CORRUPT ||
	    code == SQLITE_NOTADB || code == SQLITE_SCHEMA ||
	    code == SQLITE_MISMATCH;
}

/* The writer, on a cache of this version (rebuilt when it is not). */
static sqlite3 *
open_writer(const char *path, const char *want, struct diag_list *dl)
{
	sqlite3 *db = open_db(path);
	int tries;

	for (tries = 0; db != NULL && tries < 2; tries++) {
		enum schema schema = SCHEMA_BROKEN;

		if (exec(db, "PRAGMA journal_mode=WAL") == SQLITE_OK)
			schema = schema_of(db, want);
		if (schema == SCHEMA_OK)
			return db;
		if (schema == SCHEMA_FOREIGN)
			diag_warn(dl, DIAG_NOTE, path, 0, "nothing to do",
			    "scan cache is from another version of followup: "
			    "rebuilding it");
		if (schema != SCHEMA_BROKEN && create_schema(db, want) ==
		    SQLITE_OK)
			return db;
		if (in_use(db)) {
			/* Another followup is setting it up: not damage. This
			 * run goes without the cache. */
			sqlite3_close(db);
			return NULL;
		}
		if (!damaged(db)) {
			diag_warn(dl, DIAG_NOTE, path, 0, "free some space or "
			    "check the disk; the cache is kept as it is, and "
			    "every note is read meanwhile", "cannot use the "
			    "scan cache now: %s", sqlite3_errmsg(db));
			sqlite3_close(db);
			return NULL;
		}
		diag_warn(dl, DIAG_NOTE, path, 0,
		    "nothing to do: the cache is rebuilt from the notes",
		    "scan cache is damaged (%s): rebuilding it",
		    sqlite3_errmsg(db));
		sqlite3_close(db);
		file_remove_sqlite(path);
		db = open_db(path);
	}
	sqlite3_close(db);
	return NULL;
}

static int
prepare_writer(struct scan_cache *c)
{
	if (sqlite3_prepare_v2(c->wr, "INSERT OR REPLACE INTO scan_files"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &c->put, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(c->wr, "DELETE FROM scan_files WHERE vault = ?"
	    " AND path = ?", -1, &c->del, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

static void
finish(struct scan_cache *c)
{
	sqlite3_finalize(c->put);
	sqlite3_finalize(c->del);
	sqlite3_close(c->wr);
	pthread_mutex_destroy(&c->lock);
	free(c->root);
	free(c->path);
	free(c->schema);
	free(c);
}

/*
 * Keep the vault's rows only when they were read under read_key: a
 * setting that changes how notes read (the task format, the statuses)
 * changes what every blob should hold. In a transaction of its own,
 * committed before the views open: they read what is committed.
 */
static int
check_read_key(struct scan_cache *c, unsigned long long read_key)
{
	char *key = xasprintf("read-key %s", c->root);
	char *want = xasprintf("%016llx", read_key);
	sqlite3_stmt *st = NULL;
	int same = 0, rc;

	rc = exec(c->wr, "BEGIN IMMEDIATE");
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->wr, "SELECT value FROM meta WHERE "
		    "key = ?", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const unsigned char *v = sqlite3_column_text(st, 0);

			same = v != NULL && strcmp((const char *)v, want) == 0;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_OK && !same)
		rc = sqlite3_prepare_v2(c->wr, "DELETE FROM scan_files WHERE "
		    "vault = ?", -1, &st, NULL);
	if (rc == SQLITE_OK && !same) {
		sqlite3_bind_text(st, 1, c->root, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == SQLITE_OK && !same)
		rc = sqlite3_prepare_v2(c->wr, "INSERT OR REPLACE INTO meta "
		    "VALUES (?, ?)", -1, &st, NULL);
	if (rc == SQLITE_OK && !same) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, want, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	free(key);
	free(want);
	if (rc == SQLITE_OK)
		return exec(c->wr, "COMMIT");
	exec(c->wr, "ROLLBACK");
	return rc;
}

struct scan_cache *
cache_open(const char *db_path, const char *root, const char *format,
    unsigned long long read_key, long long now_ns, struct diag_list *dl)
{
	struct scan_cache *c = xcalloc(1, sizeof(*c));
	size_t said = dl->n;

	pthread_mutex_init(&c->lock, NULL);
	c->root = xstrdup(root);
	c->now_ns = now_ns;
	c->path = xstrdup(db_path);
	c->schema = xasprintf("%s %s", CACHE_LAYOUT, format);
	c->wr = open_writer(db_path, c->schema, dl);
	if (c->wr == NULL || prepare_writer(c) != 0 ||
	    check_read_key(c, read_key) != SQLITE_OK ||
	    exec(c->wr, "BEGIN IMMEDIATE") != SQLITE_OK) {
		if (dl->n == said)	/* open_writer() said nothing yet */
			diag_warn(dl, DIAG_NOTE, db_path, 0,
			    "check that the folder is writable; every note is "
			    "read meanwhile", "cannot use the scan cache: %s",
			    c->wr ? sqlite3_errmsg(c->wr) : strerror(errno));
		finish(c);
		return NULL;
	}
	return c;
}

static void
forget(struct scan_cache *c, const char *relpath)
{
	pthread_mutex_lock(&c->lock);
	sqlite3_bind_text(c->del, 1, c->root, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->del, 2, relpath, -1, SQLITE_TRANSIENT);
	sqlite3_step(c->del);
	sqlite3_reset(c->del);
	pthread_mutex_unlock(&c->lock);
}

static void
advance(struct cache_view *w)
{
	w->started = 1;
	w->have_row = sqlite3_step(w->cursor) == SQLITE_ROW;
}

/*
 * Move the cursor to relpath's row: rows before it belong to files that
 * are gone and are deleted. Returns 1 when the cursor is on relpath.
 */
static int
seek(struct cache_view *w, const char *relpath)
{
	if (w->cursor == NULL)
		return 0;
	if (!w->started || w->taken)
		advance(w);
	w->taken = 0;
	while (w->have_row) {
		const char *row = (const char *)sqlite3_column_text(w->cursor,
		    0);
		int cmp = row ? strcmp(row, relpath) : -1;

		if (cmp == 0)
			return 1;
		if (cmp > 0)
			return 0;
		if (row)
			forget(w->c, row);
		advance(w);
	}
	return 0;
}

int
cache_lookup(struct cache_view *w, const char *relpath,
    const struct file_meta *m, const void **blob, size_t *len)
{
	sqlite3_stmt *s = w->cursor;

	if (!seek(w, relpath))
		return 0;
	w->taken = 1;
	if (sqlite3_column_int64(s, 1) != m->size ||
	    sqlite3_column_int64(s, 2) != m->mtime_ns ||
	    sqlite3_column_int64(s, 3) != m->ctime_ns ||
	    sqlite3_column_int64(s, 4) != m->ino ||
	    m->mtime_ns + RACY_NS >= sqlite3_column_int64(s, 5) ||
	    m->ctime_ns + RACY_NS >= sqlite3_column_int64(s, 5))
		return 0;
	*blob = sqlite3_column_blob(s, 6);
	*len = (size_t)sqlite3_column_bytes(s, 6);
	if (*blob == NULL)
		*blob = "";
	return 1;
}

void
cache_put(struct scan_cache *c, const char *relpath,
    const struct file_meta *m, const void *blob, size_t len)
{
	sqlite3_stmt *s = c->put;

	pthread_mutex_lock(&c->lock);
	sqlite3_bind_text(s, 1, c->root, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, relpath, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, m->size);
	sqlite3_bind_int64(s, 4, m->mtime_ns);
	sqlite3_bind_int64(s, 5, m->ctime_ns);
	sqlite3_bind_int64(s, 6, m->ino);
	sqlite3_bind_int64(s, 7, c->now_ns);
	sqlite3_bind_blob(s, 8, len ? blob : "", (int)len, SQLITE_TRANSIENT);
	sqlite3_step(s);
	sqlite3_reset(s);
	pthread_mutex_unlock(&c->lock);
}

struct cache_view *
cache_view_open(struct scan_cache *c)
{
	struct cache_view *w = xcalloc(1, sizeof(*w));

	w->c = c;
	w->rd = open_db(c->path);
	/*
	 * A view reads each page once, in order: a page cache of its own
	 * (2 MiB by default) would only hold memory until the scan ends.
	 */
	if (w->rd != NULL && (exec(w->rd, "PRAGMA cache_size=-256") !=
	    SQLITE_OK || exec(w->rd, "BEGIN") != SQLITE_OK)) {
		sqlite3_close(w->rd);
		w->rd = NULL;
	}
	return w;
}

/* Rows of the range after the last file seen are files that are gone. */
static void
finish_range(struct cache_view *w)
{
	if (w->cursor == NULL)
		return;
	if (!w->started || w->taken)
		advance(w);
	w->taken = 0;
	while (w->have_row) {
		const char *row = (const char *)sqlite3_column_text(w->cursor,
		    0);

		if (row)
			forget(w->c, row);
		advance(w);
	}
	sqlite3_reset(w->cursor);
	w->cursor = NULL;
}

static sqlite3_stmt *
range_statement(struct cache_view *w, int from, int to)
{
	sqlite3_stmt **st = &w->ranges[(from ? 1 : 0) | (to ? 2 : 0)];
	char *sql;

	if (*st != NULL || w->rd == NULL)
		return *st;
	/* One statement per shape, so that each is a range of the key. */
	sql = xasprintf("SELECT path, size, mtime_ns, ctime_ns, ino, read_ns,"
	    " data FROM scan_files WHERE vault = ?1%s%s ORDER BY path",
	    from ? " AND path >= ?2" : "", to ? " AND path < ?3" : "");
	if (sqlite3_prepare_v2(w->rd, sql, -1, st, NULL) != SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
	}
	free(sql);
	return *st;
}

void
cache_view_range(struct cache_view *w, const char *from, const char *to)
{
	sqlite3_stmt *st;

	finish_range(w);
	w->started = 0;
	w->have_row = 0;
	st = range_statement(w, from != NULL, to != NULL);
	if (st == NULL)
		return;		/* nothing is found: every note is read */
	sqlite3_bind_text(st, 1, w->c->root, -1, SQLITE_STATIC);
	if (from != NULL)
		sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	if (to != NULL)
		sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	w->cursor = st;
}

void
cache_view_close(struct cache_view *w)
{
	size_t i;

	if (w == NULL)
		return;
	finish_range(w);
	for (i = 0; i < sizeof(w->ranges) / sizeof(w->ranges[0]); i++)
		sqlite3_finalize(w->ranges[i]);
	if (w->rd != NULL)
		exec(w->rd, "COMMIT");
	sqlite3_close(w->rd);
	free(w);
}

void
cache_close(struct scan_cache *c, struct diag_list *dl)
{
	if (c == NULL)
		return;
	if (exec(c->wr, "COMMIT") != SQLITE_OK)
		diag_warn(dl, DIAG_NOTE, c->path, 0,
		    "the next run reads every note again",
		    "cannot save the scan cache: %s", sqlite3_errmsg(c->wr));
	finish(c);
}
