/* engine.c - one scan of a vault (see engine.h). */
#include "engine.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "../config/config.h"
#include "cache.h"
#include "fileio.h"
#include "schedule.h"

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

int
engine_scan_cached(struct scan_result *r, const char *root,
    const struct config *cfg, int today, const char *cache_path,
    long long now_ns)
{
	struct schedule_params params = {
		.today = today,
		.cold_factor = cfg->cold_factor,
		.due_soon_days = cfg->due_soon_days,
	};
	struct scan_cache *cache = NULL;
	char *real = realpath(root, NULL);
	int rc;

	memset(r, 0, sizeof(*r));
	r->today = today;
	keep_big_arrays_mapped();
	if (cache_path != NULL && real != NULL) {
		if (make_parent(cache_path) != 0)
			diag_warn(&r->diags, DIAG_NOTE, cache_path, 0,
			    "check that its folder can be created",
			    "cannot create the scan cache's folder: %s",
			    strerror(errno));
		else
			cache = cache_open(cache_path, real, now_ns, &r->diags);
	}
	rc = vault_scan(&r->vault, root, cfg->exclude, cfg->nexclude, cache,
	    &r->diags);
	cache_close(cache, &r->diags);
	free(real);
	if (rc != 0)
		return -1;
	give_back_reading_memory();
	contact_build(&r->contacts, &r->vault, cfg, today, &r->diags);
	schedule_apply(&r->contacts, &params);
	schedule_sort(&r->contacts);
	diag_list_sort(&r->diags);
	return 0;
}

int
engine_scan(struct scan_result *r, const char *root,
    const struct config *cfg, int today)
{
	return engine_scan_cached(r, root, cfg, today, NULL, 0);
}

void
scan_result_release(struct scan_result *r)
{
	contact_set_release(&r->contacts);
	vault_release(&r->vault);
	diag_list_release(&r->diags);
}
