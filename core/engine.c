/* engine.c - one scan of a vault (see engine.h). */
#include "engine.h"

#include <string.h>

#include "../config/config.h"
#include "schedule.h"

int
engine_scan(struct scan_result *r, const char *root,
    const struct config *cfg, int today)
{
	struct schedule_params params = {
		.today = today,
		.cold_factor = cfg->cold_factor,
		.due_soon_days = cfg->due_soon_days,
	};

	memset(r, 0, sizeof(*r));
	r->today = today;
	if (vault_scan(&r->vault, root, cfg->exclude, cfg->nexclude,
	    &r->diags) != 0)
		return -1;
	contact_build(&r->contacts, &r->vault, cfg, today, &r->diags);
	schedule_apply(&r->contacts, &params);
	schedule_sort(&r->contacts);
	diag_list_sort(&r->diags);
	return 0;
}

void
scan_result_release(struct scan_result *r)
{
	contact_set_release(&r->contacts);
	vault_release(&r->vault);
	diag_list_release(&r->diags);
}
