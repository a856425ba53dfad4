/*
 * engine.h - one scan of a vault, from files to ordered, scheduled
 * contacts: vault → note → contact + task → schedule (docs/design.md,
 * "Data flow").
 *
 * Every command that needs the contacts calls engine_scan() once. It
 * reads the vault's Obsidian settings first (obsidian.h), and the notes
 * under them; the templates folder they name is skipped like an excluded
 * one. The engine takes the rules it needs (rules.h), never the whole
 * config. The result owns the settings, the vault, the contacts and the
 * diags; scan_result_release() frees all of it.
 */
#ifndef FOLLOWUP_ENGINE_H
#define FOLLOWUP_ENGINE_H

#include "contact.h"
#include "diag.h"
#include "model.h"
#include "obsidian.h"
#include "rules.h"

struct scan_result {
	/* The vault's .obsidian settings, read once; the vault borrows them. */
	struct obsidian_settings settings;
	struct vault vault;
	struct contact_set contacts;
	struct diag_list diags;	/* note errors and warnings, sorted */
	int today;
};

/* The scan cache of cache.h for a scan; NULL: every note is read. */
struct scan_cache_opts {
	const char *path;	/* the SQLite file; its folder is created */
	/*
	 * The wall clock when the scan starts, which the cache needs to tell
	 * a note rewritten in the same instant.
	 */
	long long now_ns;
};

/* Which tasks the scan keeps in r->vault. */
enum engine_tasks {
	ENGINE_ALL_TASKS,	/* closed ones too: commands that list tasks */
	/*
	 * What the contacts need: open tasks, and closed ones only when a
	 * query's limit counts them (query_counts_closed()). Closed tasks
	 * are most of a long-kept vault's, and never anyone's item.
	 */
	ENGINE_OPEN_TASKS,
};

/*
 * Scan root with rules for day today, through the cache when given,
 * keeping the tasks which asks for. Returns 0, or -1 when the vault
 * cannot be read at all (a DIAG_NO_VAULT error in r->diags).
 */
int engine_scan(struct scan_result *r, const char *root,
    const struct engine_rules *rules, int today,
    const struct scan_cache_opts *cache, enum engine_tasks which);
void scan_result_release(struct scan_result *r);

#endif
