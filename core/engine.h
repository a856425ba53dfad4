/*
 * engine.h - one scan of a vault, from files to ordered, scheduled
 * contacts: vault → note → contact + task → schedule (DESIGN.md §1).
 *
 * Every command that needs the contacts calls engine_scan() once. The
 * result owns the vault, the contacts and the diags; scan_result_release()
 * frees all of it.
 */
#ifndef FOLLOWUP_ENGINE_H
#define FOLLOWUP_ENGINE_H

#include "contact.h"
#include "diag.h"
#include "vault.h"

struct config;

struct scan_result {
	struct vault vault;
	struct contact_set contacts;
	struct diag_list diags;	/* note errors and warnings, sorted */
	int today;
};

/*
 * Scan root with cfg for day today. Returns 0, or -1 when the vault
 * cannot be read at all (a DIAG_NO_VAULT error in r->diags).
 */
int engine_scan(struct scan_result *r, const char *root,
    const struct config *cfg, int today);

/*
 * The same, with the scan cache of cache.h in the SQLite file cache_path
 * (its folder is created). now_ns is the wall clock when the scan starts,
 * which the cache needs to tell a note rewritten in the same instant.
 */
int engine_scan_cached(struct scan_result *r, const char *root,
    const struct config *cfg, int today, const char *cache_path,
    long long now_ns);
void scan_result_release(struct scan_result *r);

#endif
