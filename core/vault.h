/*
 * vault.h - walk a vault and read every note into one struct vault.
 *
 * vault_scan() finds every *.md file under the root (DESIGN.md §3:
 * dot-folders and the configured excludes are skipped), then reads each
 * whole (refusing files over VAULT_MAX_FILE), checks that it is UTF-8, and
 * hands it to note_parse(). Notes end up in byte order of path whatever
 * thread read them: two threads read the two halves of the list, and the
 * second half is appended after the first. A bad note adds a diag and the
 * scan goes on. Files are only ever opened for reading.
 *
 * The vault owns everything it holds (one arena and the arrays);
 * vault_release() frees it. Note bodies are not kept.
 */
#ifndef FOLLOWUP_VAULT_H
#define FOLLOWUP_VAULT_H

#include <stddef.h>

#include "util.h"
#include "note.h"
#include "task.h"
#include "query.h"

#define VAULT_MAX_FILE ((size_t)16 << 20)

struct diag_list;
struct strset;

struct vault {
	char *root;
	struct arena arena;
	struct note *notes;
	size_t nnotes, capnotes;
	struct task *tasks;
	size_t ntasks, captasks;
	struct query *queries;
	size_t nqueries, capqueries;
	size_t bytes_read;
	/*
	 * Done and cancelled tasks are dropped as they are read: they never
	 * count. tests/tasklines keeps them to compare every task line.
	 */
	int keep_closed_tasks;
	/*
	 * Set by vault_scan(): the paths it hands to note_parse() and the
	 * cache are in the vault's arena already, and notes point at them
	 * instead of copying.
	 */
	int paths_in_arena;
	/*
	 * Set by vault_scan() while a thread reads: attendees and wikilink
	 * targets are kept once each, in the set (borrowed, not owned).
	 */
	struct strset *names;
};

struct scan_cache;

/*
 * Scan root. exclude lists folders relative to the root. With a cache
 * (may be NULL), unchanged files are taken from it and the others are
 * remembered in it. Returns 0, or -1 when the root itself cannot be read
 * (a DIAG_NO_VAULT error on dl).
 */
int vault_scan(struct vault *v, const char *root, char *const *exclude,
    size_t nexclude, struct scan_cache *cache, struct diag_list *dl);

/*
 * Parse one file's bytes as note `relpath` (also used by the fuzzers and
 * tests/tasklines): UTF-8 check, then note_parse().
 */
void vault_add_file(struct vault *v, const char *relpath, const char *buf,
    size_t len, struct diag_list *dl);

/*
 * The query blocks of note `note`: how many, from *first on in
 * v->queries (which are in note order).
 */
size_t vault_queries(const struct vault *v, size_t note, size_t *first);

/*
 * A copy of the name s[0..len) in v's arena: the one copy of it when v
 * has a set of names, a copy of its own otherwise.
 */
const char *vault_name(struct vault *v, const char *s, size_t len);

void vault_release(struct vault *v);

#endif
