/*
 * step.h - what every step of a command gets besides the scan: the
 * config, the run's one clock, today, and the vault's name as Obsidian
 * knows it (for obsidian:// links). cmd/ fills one per command
 * (common_step_env()); the feed and the reminders only read it.
 *
 * Everything in it is borrowed from the command that made it.
 */
#ifndef FOLLOWUP_STEP_H
#define FOLLOWUP_STEP_H

#include <time.h>

struct config;

struct step_env {
	const struct config *cfg;
	time_t now;		/* the clock, or $FOLLOWUP_NOW (tests) */
	int today;		/* --today, else the local date of now */
	const char *vault_name;	/* the vault folder's name */
	/*
	 * --allow-empty: a scan of no contact may empty a feed that had
	 * follow-ups (else refused as a vault not mounted or not synced).
	 */
	int allow_empty;
};

#endif
