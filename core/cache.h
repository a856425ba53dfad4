/*
 * cache.h - the scan cache: a blob per file of the vault, kept in SQLite
 * so that a run over an unchanged vault reads no note. What a blob holds
 * is the caller's business (notecodec.h): the cache knows paths, file
 * metadata and bytes, nothing of notes.
 *
 * One row per file: path, size, mtime and ctime with nanoseconds, inode,
 * when it was read, and the blob. A row is trusted only when all the metadata
 * match and the file had not been touched for a second before it was read
 * (a note rewritten within the same timestamp tick, same size, would
 * otherwise go unseen: git calls this the racy case). Rows of files that
 * are gone are deleted.
 *
 * The cache lives in its own SQLite file so that a corrupt cache can be
 * thrown away without touching anything else; a corrupt file, or one
 * whose blobs are of another format (another version of followup, or of
 * the codec's tables), is rebuilt with a warning. Rows are read
 * through views: a view is one cursor over a range of paths, read in path
 * order alongside the files of that range (visited in the same order), so
 * memory does not grow with the vault. Each thread of a scan has its own
 * view; cache_put() may be called from any of them.
 *
 * cache_open() returns a handle the caller closes with cache_close(),
 * after closing its views with cache_view_close().
 */
#ifndef FOLLOWUP_CACHE_H
#define FOLLOWUP_CACHE_H

#include <stddef.h>

struct diag_list;

struct file_meta {
	long long size;
	long long mtime_ns;
	long long ctime_ns;
	long long ino;
};

struct scan_cache;
struct cache_view;

/*
 * Open or create the cache at db_path for the vault at root, holding
 * blobs of format (a name that changes whenever their layout does); now_ns
 * is when this scan started. read_key says how the vault's notes are read
 * (its settings: obsidian_parse_hash()): when it is not the one the
 * vault's rows were put under, they are all dropped, silently, and every
 * note is read again. Returns NULL after a warning on dl when the cache
 * cannot be used, or silently while another followup is creating it: the
 * scan then goes on without it.
 */
struct scan_cache *cache_open(const char *db_path, const char *root,
    const char *format, unsigned long long read_key, long long now_ns,
    struct diag_list *dl);

/*
 * A view for one thread: a reader of its own. Never NULL: a view that
 * cannot read finds nothing, and the notes are read.
 */
struct cache_view *cache_view_open(struct scan_cache *c);

/*
 * Finish the view's range (delete its rows that no file matched), then
 * look at the rows whose path is in [from, to) (a NULL bound: none). The
 * bounds are borrowed until the next call.
 */
void cache_view_range(struct cache_view *w, const char *from,
    const char *to);

/*
 * Called for every file of the view's range in walk order. When the row
 * for relpath is fresh (m is what it was when the row was put), return 1
 * with its blob, borrowed until the next call on the view; else return 0
 * and the caller reads the file.
 */
int cache_lookup(struct cache_view *w, const char *relpath,
    const struct file_meta *m, const void **blob, size_t *len);

/* Remember blob (len bytes) for relpath as it is now (m). */
void cache_put(struct scan_cache *c, const char *relpath,
    const struct file_meta *m, const void *blob, size_t len);

/* Finish the range as cache_view_range() does, close. NULL: nothing. */
void cache_view_close(struct cache_view *w);

/* Commit, close. NULL does nothing. */
void cache_close(struct scan_cache *c, struct diag_list *dl);

#endif
