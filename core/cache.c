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
#include "util.h"
#include "vault.h"
#include "version.h"

/* Raise when the blob layout or what the engine extracts changes. */
#define CACHE_SCHEMA "followup-scan-cache 4 " FOLLOWUP_VERSION
#define RACY_NS 1000000000LL

struct scan_cache {
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
};

/* ---- blob encoding: little-endian integers, length-prefixed strings ---- */

static void
put_u32(struct strbuf *b, uint32_t v)
{
	unsigned char x[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff,
		v >> 24 & 0xff };

	strbuf_add(b, (const char *)x, 4);
}

static void
put_i32(struct strbuf *b, int v)
{
	put_u32(b, (uint32_t)v);
}

#define NULL_STR UINT32_MAX

static void
put_str(struct strbuf *b, const char *s)
{
	if (s == NULL) {
		put_u32(b, NULL_STR);
		return;
	}
	put_u32(b, (uint32_t)strlen(s));
	strbuf_adds(b, s);
}

static void
put_strs(struct strbuf *b, const char *const *v, size_t n)
{
	size_t i;

	put_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		put_str(b, v[i]);
}

static void
put_date(struct strbuf *b, const struct fm_date *d)
{
	put_i32(b, d->present);
	put_i32(b, d->bad);
	put_i32(b, d->day);
	put_i32(b, d->line);
	put_str(b, d->raw);
}

static void
put_day(struct strbuf *b, const struct fm_day *d)
{
	put_i32(b, d->present);
	put_i32(b, d->bad);
	put_i32(b, d->day);
	put_i32(b, d->line);
}

static void
put_cadence(struct strbuf *b, const struct fm_cadence *cad)
{
	put_i32(b, cad->present);
	put_i32(b, cad->bad);
	put_i32(b, cad->days);
	put_i32(b, cad->line);
	put_str(b, cad->raw);
}

static void
encode_person(struct strbuf *b, const struct note_person *p)
{
	put_str(b, p->title);
	put_strs(b, p->types, p->ntypes);
	put_strs(b, p->tags, p->ntags);
	put_strs(b, p->aliases, p->naliases);
	put_date(b, &p->last_contact);
	put_date(b, &p->created);
	put_date(b, &p->snooze_until);
	put_date(b, &p->birthday);
	put_i32(b, p->birthday_month);
	put_i32(b, p->birthday_day);
	put_cadence(b, &p->cadence);
}

static void
encode_note(struct strbuf *b, const struct vault *v, size_t index)
{
	const struct note *n = &v->notes[index];
	size_t i, k, first, nqueries = vault_queries(v, index, &first);

	put_u32(b, n->flags);
	put_u32(b, n->person != NULL);
	if (n->person != NULL)
		encode_person(b, n->person);
	put_strs(b, n->attendees, n->nattendees);
	put_day(b, &n->date);
	put_u32(b, (uint32_t)n->ntasks);
	for (i = 0; i < n->ntasks; i++) {
		const struct task *t = &v->tasks[n->task_first + i];

		put_i32(b, (int)t->line);
		put_str(b, t->text);
		put_u32(b, (uint32_t)strnlen(t->symbol, sizeof(t->symbol)));
		strbuf_add(b, t->symbol, strnlen(t->symbol, sizeof(t->symbol)));
		put_i32(b, t->due);
		put_u32(b, (uint32_t)task_nlinks(t));
		for (k = 0; k < task_nlinks(t); k++)
			put_str(b, task_link(t, k));
	}
	put_u32(b, (uint32_t)nqueries);
	for (i = 0; i < nqueries; i++) {
		const struct query *q = &v->queries[first + i];

		put_i32(b, q->line);
		put_u32(b, (uint32_t)q->nfilters);
		for (k = 0; k < q->nfilters; k++) {
			const struct query_filter *f = &q->filters[k];

			put_i32(b, (int)f->field);
			put_i32(b, f->negate);
			put_str(b, f->text);
			put_i32(b, (int)f->cmp);
			put_i32(b, f->date);
			put_i32(b, f->date_relative);
			put_i32(b, f->status);
		}
	}
}

static void
encode(struct strbuf *b, const struct vault *v, size_t note_first,
    const struct diag_list *dl, size_t diag_first)
{
	size_t i;

	put_u32(b, (uint32_t)(v->nnotes - note_first));
	for (i = note_first; i < v->nnotes; i++)
		encode_note(b, v, i);
	put_u32(b, (uint32_t)(dl->n - diag_first));
	for (i = diag_first; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];

		put_i32(b, (int)d->level);
		put_i32(b, (int)d->kind);
		put_i32(b, d->line);
		put_str(b, d->message);
		put_str(b, d->hint);
	}
}

struct reader {
	const unsigned char *p, *end;
	int bad;
	struct arena *a;
};

static uint32_t
get_u32(struct reader *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 |
	    (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static int
get_i32(struct reader *r)
{
	return (int)get_u32(r);
}

static const char *
get_str(struct reader *r)
{
	uint32_t n = get_u32(r);
	const char *s;

	if (r->bad || n == NULL_STR)
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	s = arena_strndup(r->a, (const char *)r->p, n);
	r->p += n;
	return s;
}

/* A string as it stands in the blob (not NUL-terminated); 0 when bad. */
static int
get_span(struct reader *r, const char **s, size_t *n)
{
	uint32_t len = get_u32(r);

	if (r->bad || len == NULL_STR || (size_t)(r->end - r->p) < len) {
		r->bad = 1;
		return 0;
	}
	*s = (const char *)r->p;
	*n = len;
	r->p += len;
	return 1;
}

/* A count that cannot be larger than the bytes left: a guard on garbage. */
static uint32_t
get_count(struct reader *r)
{
	uint32_t n = get_u32(r);

	if (n > (size_t)(r->end - r->p)) {
		r->bad = 1;
		return 0;
	}
	return n;
}

/*
 * A list of names (attendees, wikilinks) into *names (grown as needed),
 * each kept once in v (vault_name()). Returns how many.
 */
static size_t
get_names(struct reader *r, struct vault *v, const char ***names,
    size_t *cap)
{
	uint32_t count = get_count(r), i;
	const char *s;
	size_t n;

	GROW(*names, *cap, (size_t)count + 1);
	for (i = 0; i < count && !r->bad; i++)
		if (get_span(r, &s, &n))
			(*names)[i] = vault_name(v, s, n);
	return r->bad ? 0 : count;
}

/*
 * A person's list (types, tags, aliases) in an array of its exact size,
 * each name kept once in v as the scan keeps it: not a copy per note.
 */
static void
get_strs(struct reader *r, struct vault *v, const char ***out, size_t *n)
{
	const char **names = NULL;
	size_t cap = 0;

	*n = get_names(r, v, &names, &cap);
	*out = arena_copy_ptrs(&v->arena, names, *n);
	free(names);
}

static void
get_date(struct reader *r, struct fm_date *d)
{
	d->present = get_i32(r);
	d->bad = get_i32(r);
	d->day = get_i32(r);
	d->line = get_i32(r);
	d->raw = get_str(r);
}

static void
get_day(struct reader *r, struct fm_day *d)
{
	d->present = get_i32(r);
	d->bad = get_i32(r);
	d->day = get_i32(r);
	d->line = get_i32(r);
}

static void
get_cadence(struct reader *r, struct fm_cadence *cad)
{
	cad->present = get_i32(r);
	cad->bad = get_i32(r);
	cad->days = get_i32(r);
	cad->line = get_i32(r);
	cad->raw = get_str(r);
}

static void
decode_tasks(struct reader *r, struct vault *v, size_t note)
{
	uint32_t n = get_count(r), i;
	const char **links = NULL;
	size_t caplinks = 0;

	for (i = 0; i < n && !r->bad; i++) {
		struct task *t;
		const char *sym = NULL, *text = NULL;
		size_t textlen = 0, symlen = 0, nlinks;

		GROW(v->tasks, v->captasks, v->ntasks + 1);
		t = &v->tasks[v->ntasks++];
		memset(t, 0, sizeof(*t));
		t->note = (uint32_t)note;
		t->line = (unsigned)get_i32(r);
		get_span(r, &text, &textlen);
		get_span(r, &sym, &symlen);
		t->due = get_i32(r);
		nlinks = get_names(r, v, &links, &caplinks);
		if (r->bad || symlen == 0 || symlen > sizeof(t->symbol) ||
		    memchr(sym, '\0', symlen) != NULL)
			r->bad = 1;
		else {
			memcpy(t->symbol, sym, symlen);
			t->text = task_store_text(v, text, textlen, links,
			    nlinks);
			t->has_links = nlinks > 0;
		}
	}
	free(links);
}

static void
decode_queries(struct reader *r, struct vault *v, size_t note)
{
	uint32_t n = get_count(r), i, k;

	for (i = 0; i < n && !r->bad; i++) {
		struct query *q;
		uint32_t nf;

		GROW(v->queries, v->capqueries, v->nqueries + 1);
		q = &v->queries[v->nqueries++];
		q->note = note;
		q->line = get_i32(r);
		nf = get_count(r);
		q->nfilters = nf;
		q->filters = arena_alloc(&v->arena, (nf ? nf : 1) *
		    sizeof(*q->filters));
		for (k = 0; k < nf && !r->bad; k++) {
			struct query_filter *f = &q->filters[k];

			f->field = (unsigned char)get_i32(r);
			f->negate = get_i32(r);
			f->text = get_str(r);
			f->textlen = f->text ? (uint32_t)strlen(f->text) : 0;
			f->cmp = (unsigned char)get_i32(r);
			f->date = get_i32(r);
			f->date_relative = get_i32(r);
			f->status = get_i32(r);
			if ((unsigned)f->field > QF_STATUS_TYPE ||
			    (unsigned)f->cmp > QC_ON_OR_AFTER)
				r->bad = 1;
		}
	}
}

static struct note_person *
decode_person(struct reader *r, struct vault *v)
{
	struct note_person *p = arena_alloc(r->a, sizeof(*p));

	memset(p, 0, sizeof(*p));
	p->title = get_str(r);
	get_strs(r, v, &p->types, &p->ntypes);
	get_strs(r, v, &p->tags, &p->ntags);
	get_strs(r, v, &p->aliases, &p->naliases);
	get_date(r, &p->last_contact);
	get_date(r, &p->created);
	get_date(r, &p->snooze_until);
	get_date(r, &p->birthday);
	p->birthday_month = get_i32(r);
	p->birthday_day = get_i32(r);
	get_cadence(r, &p->cadence);
	return p;
}

static void
decode_note(struct reader *r, struct vault *v, const char *relpath)
{
	size_t index = v->nnotes, nattendees, cap = 0;
	struct note *n = note_new(v, relpath);
	const char **attendees = NULL;

	n->flags = get_u32(r);
	if (get_u32(r))
		n->person = decode_person(r, v);
	nattendees = get_names(r, v, &attendees, &cap);
	n->attendees = arena_copy_ptrs(&v->arena, attendees, nattendees);
	n->nattendees = (uint32_t)nattendees;
	free(attendees);
	get_day(r, &n->date);
	decode_tasks(r, v, index);
	decode_queries(r, v, index);
	n = &v->notes[index];
	n->ntasks = (uint32_t)(v->ntasks - n->task_first);
}

/*
 * Append the blob's notes and diags. All or nothing: on a damaged blob
 * v and dl are put back as they were and -1 is returned.
 */
static int
decode(const void *blob, size_t len, struct vault *v, const char *relpath,
    struct diag_list *dl)
{
	struct reader r = { blob, (const unsigned char *)blob + len, 0,
		&v->arena };
	size_t nnotes = v->nnotes, ntasks = v->ntasks, nq = v->nqueries;
	struct diag_list mine = DIAG_LIST_INIT;
	uint32_t n, i;

	n = get_count(&r);
	for (i = 0; i < n && !r.bad; i++)
		decode_note(&r, v, relpath);
	n = get_count(&r);
	for (i = 0; i < n && !r.bad; i++) {
		enum diag_level level = (enum diag_level)get_i32(&r);
		enum diag_kind kind = (enum diag_kind)get_i32(&r);
		int line = get_i32(&r);
		const char *msg = get_str(&r), *hint = get_str(&r);

		if (!r.bad && msg != NULL)
			diag_add(&mine, level, kind, relpath, line, hint, "%s",
			    msg);
	}
	if (r.bad || r.p != r.end) {
		v->nnotes = nnotes;
		v->ntasks = ntasks;
		v->nqueries = nq;
		diag_list_release(&mine);
		return -1;
	}
	diag_list_move(dl, &mine);
	return 0;
}

/* ---- SQLite ---- */

static int
exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

enum schema { SCHEMA_OK, SCHEMA_NONE, SCHEMA_FOREIGN, SCHEMA_BROKEN };

static enum schema
schema_of(sqlite3 *db)
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

		if (v != NULL && strcmp((const char *)v, CACHE_SCHEMA) == 0)
			result = SCHEMA_OK;
	}
	sqlite3_finalize(st);
	return result;
}

static int
create_schema(sqlite3 *db)
{
	return exec(db, "BEGIN IMMEDIATE;"
	    "DROP TABLE IF EXISTS scan_files;"
	    "DROP TABLE IF EXISTS meta;"
	    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	    "INSERT INTO meta VALUES ('schema', '" CACHE_SCHEMA "');"
	    "CREATE TABLE scan_files(vault TEXT NOT NULL, path TEXT NOT NULL,"
	    " size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, ino INTEGER,"
	    " read_ns INTEGER, data BLOB, PRIMARY KEY (vault, path))"
	    " WITHOUT ROWID;"
	    "COMMIT;");
}

static void
remove_db(const char *path)
{
	char *side;

	unlink(path);
	side = xasprintf("%s-wal", path);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", path);
	unlink(side);
	free(side);
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

/* The writer, on a cache of this version (rebuilt when it is not). */
static sqlite3 *
open_writer(const char *path, struct diag_list *dl)
{
	sqlite3 *db = open_db(path);
	int tries;

	for (tries = 0; db != NULL && tries < 2; tries++) {
		enum schema schema = SCHEMA_BROKEN;

		if (exec(db, "PRAGMA journal_mode=WAL") == SQLITE_OK)
			schema = schema_of(db);
		if (schema == SCHEMA_OK)
			return db;
		if (schema == SCHEMA_FOREIGN)
			diag_warn(dl, DIAG_NOTE, path, 0, "nothing to do",
			    "scan cache is from another version of followup: "
			    "rebuilding it");
		if (schema != SCHEMA_BROKEN && create_schema(db) == SQLITE_OK)
			return db;
		if (in_use(db)) {
			/* Another followup is setting it up: not damage. This
			 * run goes without the cache. */
			sqlite3_close(db);
			return NULL;
		}
		diag_warn(dl, DIAG_NOTE, path, 0,
		    "nothing to do: the cache is rebuilt from the notes",
		    "scan cache is damaged (%s): rebuilding it",
		    sqlite3_errmsg(db));
		sqlite3_close(db);
		remove_db(path);
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
	free(c);
}

struct scan_cache *
cache_open(const char *db_path, const char *root, long long now_ns,
    struct diag_list *dl)
{
	struct scan_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	c->root = xstrdup(root);
	c->now_ns = now_ns;
	c->path = xstrdup(db_path);
	c->wr = open_writer(db_path, dl);
	if (c->wr == NULL || prepare_writer(c) != 0 ||
	    exec(c->wr, "BEGIN IMMEDIATE") != SQLITE_OK) {
		diag_warn(dl, DIAG_NOTE, db_path, 0,
		    "check that the folder is writable; every note is read "
		    "meanwhile", "cannot use the scan cache: %s",
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
	if (!w->started)
		advance(w);
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
cache_load(struct cache_view *w, struct vault *v, const char *relpath,
    const struct file_meta *m, struct diag_list *dl)
{
	sqlite3_stmt *s = w->cursor;
	int fresh;

	if (!seek(w, relpath))
		return 0;
	fresh = sqlite3_column_int64(s, 1) == m->size &&
	    sqlite3_column_int64(s, 2) == m->mtime_ns &&
	    sqlite3_column_int64(s, 3) == m->ctime_ns &&
	    sqlite3_column_int64(s, 4) == m->ino &&
	    m->mtime_ns + RACY_NS < sqlite3_column_int64(s, 5) &&
	    m->ctime_ns + RACY_NS < sqlite3_column_int64(s, 5);
	if (fresh && decode(sqlite3_column_blob(s, 6),
	    (size_t)sqlite3_column_bytes(s, 6), v, relpath, dl) != 0)
		fresh = 0;
	advance(w);
	return fresh;
}

void
cache_store(struct scan_cache *c, const struct vault *v, const char *relpath,
    const struct file_meta *m, size_t note_first, const struct diag_list *dl,
    size_t diag_first)
{
	struct strbuf blob = STRBUF_INIT;
	sqlite3_stmt *s = c->put;

	encode(&blob, v, note_first, dl, diag_first);
	pthread_mutex_lock(&c->lock);
	sqlite3_bind_text(s, 1, c->root, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, relpath, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, m->size);
	sqlite3_bind_int64(s, 4, m->mtime_ns);
	sqlite3_bind_int64(s, 5, m->ctime_ns);
	sqlite3_bind_int64(s, 6, m->ino);
	sqlite3_bind_int64(s, 7, c->now_ns);
	sqlite3_bind_blob(s, 8, blob.buf ? blob.buf : "", (int)blob.len,
	    SQLITE_TRANSIENT);
	sqlite3_step(s);
	sqlite3_reset(s);
	pthread_mutex_unlock(&c->lock);
	strbuf_release(&blob);
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
	if (!w->started)
		advance(w);
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
