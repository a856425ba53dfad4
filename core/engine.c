/* engine.c - one scan of a vault (see engine.h). */
#include "engine.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "fileio.h"
#include "notecodec.h"
#include "schedule.h"
#include "select.h"
#include "store.h"
#include "vault.h"

/* Create the folder that will hold path (mkdir -p), private to the user. */
static int
make_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		rc = file_mkdirs(dir, 0700);
	}
	free(dir);
	return rc;
}

/*
 * glibc raises its mmap threshold each time a big block is freed; the
 * vault's big arrays then grow by copying inside the heap and leave holes
 * the size of their old selves. A fixed threshold keeps them mapped, where
 * growing moves pages instead of copying them.
 */
static void
keep_big_arrays_mapped(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

/*
 * What the reading thread freed (its buffers, the chunks it filled, its
 * SQLite connection) stays in its malloc arena, where this thread cannot
 * reuse it for the association: hand the free pages back to the system.
 */
static void
give_back_reading_memory(void)
{
	malloc_trim(0);
}

/* The cache for root, or NULL (a warning on dl when it cannot be made). */
static struct scan_cache *
open_cache(const struct scan_cache_opts *opts, const char *root,
    const struct obsidian_settings *settings, struct diag_list *dl)
{
	struct scan_cache *cache = NULL;
	char *real;

	if (opts == NULL || (real = realpath(root, NULL)) == NULL)
		return NULL;
	if (make_parent(opts->path) != 0)
		diag_warn(dl, DIAG_NOTE, opts->path, 0,
		    "check that its folder can be created",
		    "cannot create the scan cache's folder: %s",
		    strerror(errno));
	else
		cache = cache_open(opts->path, real, notecodec_format(),
		    obsidian_parse_hash(settings), opts->now_ns, dl);
	free(real);
	return cache;
}

/*
 * The folders the walk skips: the configured ones, and the templates
 * folder, whose notes are not contacts and whose tasks and query blocks
 * are not read (their {{date}} placeholders are no errors). The array is
 * the caller's; its strings are borrowed.
 */
static char **
excluded_folders(const struct engine_rules *rules,
    const struct obsidian_settings *settings, size_t *n)
{
	char **v = xcalloc(rules->nexclude + 2, sizeof(*v));

	if (rules->nexclude > 0)
		memcpy(v, rules->exclude, rules->nexclude * sizeof(*v));
	*n = rules->nexclude;
	if (settings->templates_folder != NULL)
		v[(*n)++] = settings->templates_folder;
	return v;
}

/* Whether a query of v needs the closed tasks that v left out. */
static int
queries_count_closed(const struct vault *v)
{
	size_t i;

	for (i = 0; i < v->nqueries; i++)
		if (query_counts_closed(&v->queries[i]))
			return 1;
	return 0;
}

int
engine_scan(struct scan_result *r, const char *root,
    const struct engine_rules *rules, int today,
    const struct scan_cache_opts *opts, enum engine_tasks which)
{
	struct diag_list scan_dl = DIAG_LIST_INIT;
	struct scan_cache *cache;
	char **exclude;
	size_t nexclude;
	int rc, open_only = which == ENGINE_OPEN_TASKS;

	memset(r, 0, sizeof(*r));
	r->today = today;
	keep_big_arrays_mapped();
	obsidian_settings_load(&r->settings, root, &r->diags);
	cache = open_cache(opts, root, &r->settings, &r->diags);
	exclude = excluded_folders(rules, &r->settings, &nexclude);
	rc = vault_scan(&r->vault, root, exclude, nexclude, &r->settings,
	    open_only, cache, &scan_dl);
	/* Rare: a block's limit counts closed tasks. Read them all, then. */
	if (rc == 0 && open_only && queries_count_closed(&r->vault)) {
		store_release(&r->vault);
		diag_list_release(&scan_dl);
		rc = vault_scan(&r->vault, root, exclude, nexclude,
		    &r->settings, 0, cache, &scan_dl);
	}
	diag_list_move(&r->diags, &scan_dl);
	free(exclude);
	cache_close(cache, &r->diags);
	if (rc != 0)
		return -1;
	give_back_reading_memory();
	contact_build(&r->contacts, &r->vault, rules, today, &r->diags);
	schedule_apply(&r->contacts, rules, today);
	schedule_sort(&r->contacts);
	diag_list_sort(&r->diags);
	return 0;
}

void
scan_result_release(struct scan_result *r)
{
	contact_set_release(&r->contacts);
	store_release(&r->vault);
	obsidian_settings_release(&r->settings);
	diag_list_release(&r->diags);
}
