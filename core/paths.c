/* paths.c - where followup keeps its files (see paths.h). */
#include "paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "util.h"

#define STATE "XDG_STATE_HOME", ".local/state"

char *
paths_config(void)
{
	return xdg_path("XDG_CONFIG_HOME", ".config", "config.yml");
}

char *
paths_feed(void)
{
	return xdg_path("XDG_DATA_HOME", ".local/share", "followup.ics");
}

char *
paths_state_dir(void)
{
	return xdg_path(STATE, "");
}

int
paths_make_state_dir(const char *what, struct diag_list *dl)
{
	char *dir = paths_state_dir();
	int rc = 0;

	if (dir == NULL) {
		diag_error(dl, DIAG_CONFIG, NULL, 0, "set HOME or "
		    "XDG_STATE_HOME", "no folder for %s", what);
		return -1;
	}
	if (file_mkdirs(dir, 0700) != 0) {
		diag_error(dl, DIAG_CANT_WRITE, dir, 0, "check that the "
		    "folder can be created", "cannot create this folder: %s",
		    strerror(errno));
		rc = -1;
	}
	free(dir);
	return rc;
}

char *
paths_scan_cache(void)
{
	return xdg_path(STATE, "scan-cache.db");
}

char *
paths_ledger(void)
{
	return xdg_path(STATE, "state.db");
}

char *
paths_publish_state(const char *shown_url)
{
	char *name = xasprintf("publish-%016llx.state",
	    hash_fnv1a64(shown_url, strlen(shown_url)));
	char *path = xdg_path(STATE, name);

	free(name);
	return path;
}

char *
paths_run_lock(void)
{
	return xdg_path(STATE, "run.lock");
}
