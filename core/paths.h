/*
 * paths.h - where followup keeps its files, each named once (the XDG
 * base folders, docs/design.md "State files"):
 *
 *   $XDG_CONFIG_HOME/followup/config.yml        the config
 *   $XDG_DATA_HOME/followup/followup.ics        the feed, by default
 *   $XDG_STATE_HOME/followup/scan-cache.db      the scan cache
 *   $XDG_STATE_HOME/followup/state.db           the ledger of reminders
 *   $XDG_STATE_HOME/followup/publish-HASH.state what was published where
 *   $XDG_STATE_HOME/followup/run.lock           one `run` at a time
 *
 * Each variable that is unset or not an absolute path falls back to its
 * place under $HOME (~/.config, ~/.local/share, ~/.local/state). Every
 * function returns a string the caller frees, or NULL when neither the
 * variable nor HOME says where; none creates anything but
 * paths_make_state_dir().
 */
#ifndef FOLLOWUP_PATHS_H
#define FOLLOWUP_PATHS_H

struct diag_list;

char *paths_config(void);
char *paths_feed(void);
/* The state folder itself: the ledger's and the publish state's. */
char *paths_state_dir(void);
/*
 * Create the state folder (0700) for what (\"the ledger of sent
 * reminders\"), with its parents. Returns 0, or -1 with a diag on dl.
 */
int paths_make_state_dir(const char *what, struct diag_list *dl);
char *paths_scan_cache(void);
char *paths_ledger(void);
/* For the publish URL as it may be shown (no secret): one file per URL. */
char *paths_publish_state(const char *shown_url);
/*
 * In the state folder, beside the ledger it guards: one path whatever
 * the environment, so that a run from cron (no XDG_RUNTIME_DIR) and one
 * from the timer take the same lock.
 */
char *paths_run_lock(void);

#endif
