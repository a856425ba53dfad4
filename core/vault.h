/*
 * vault.h - walk a vault and read every note into one struct vault
 * (model.h), from the scan cache (cache.h) where a note has not changed.
 *
 * vault_scan() finds every *.md file under the root (docs/rules.md,
 * "Vault": dot-folders and the configured excludes are skipped), then
 * reads each whole (refusing files over VAULT_MAX_FILE), checks that it
 * is UTF-8, and hands it to note_parse(). A note the cache holds as it is
 * now is decoded from it instead (notecodec.h), and a note read is put in
 * it. Two threads read chunks of consecutive notes, which are appended in
 * order: notes end up in byte order of path whatever thread read them. A
 * bad note adds a diag and the scan goes on. Files are only ever opened
 * for reading.
 *
 * The vault owns everything it holds (one arena and the arrays);
 * store_release() frees it. Note bodies are not kept.
 */
#ifndef FOLLOWUP_VAULT_H
#define FOLLOWUP_VAULT_H

#include <stddef.h>

#include "model.h"

#define VAULT_MAX_FILE ((size_t)16 << 20)

struct diag_list;
struct obsidian_settings;
struct scan_cache;

/*
 * Scan root. exclude lists folders relative to the root. The notes are
 * read under settings (borrowed for the vault's life: v->settings; NULL:
 * Tasks' defaults). With open_tasks_only, closed tasks are read but not
 * kept (v->open_tasks_only). With a cache (may be NULL), unchanged files
 * are taken from it and the others are remembered in it, all their tasks
 * included. Returns 0, or -1 when the root itself cannot be read (a
 * DIAG_NO_VAULT error on dl).
 */
int vault_scan(struct vault *v, const char *root, char *const *exclude,
    size_t nexclude, const struct obsidian_settings *settings,
    int open_tasks_only, struct scan_cache *cache, struct diag_list *dl);

/*
 * Parse one file's bytes as note `relpath` (also used by the fuzzers and
 * tests/tasklines): UTF-8 check, then note_parse().
 */
void vault_add_file(struct vault *v, const char *relpath, const char *buf,
    size_t len, struct diag_list *dl);

#endif
