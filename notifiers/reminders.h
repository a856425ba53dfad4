/*
 * reminders.h - a scan's contacts as the reminders the notifiers word
 * (struct reminder, notifier.h) and the due episodes the ledger keeps
 * (struct ledger_episode, ledger.h), built once per run for every
 * contact, in the order of the schedule.
 *
 * An episode is (contact, due date, state): a reminder goes to a notifier
 * once per episode. Someone never contacted is due today, every day, so
 * their episode is "never" itself (due 0), or each day would be a new
 * one.
 *
 * Memory: a struct reminder_set owns its arrays and its arena;
 * reminders_release() frees them. Names, paths and task texts are
 * borrowed from the scan, which must outlive the set.
 */
#ifndef FOLLOWUP_REMINDERS_H
#define FOLLOWUP_REMINDERS_H

#include <stddef.h>

#include "../core/util.h"
#include "ledger.h"
#include "wording.h"

struct scan_result;
struct engine_rules;

struct reminder_set {
	struct reminder *reminders;	/* in the order of the schedule */
	struct ledger_episode *episodes;
	int *since;		/* the day its state began; 0: unknown */
	int *state;		/* enum contact_state */
	size_t n;
	struct arena arena;
};

void reminders_prepare(struct reminder_set *p, const struct scan_result *res,
    const struct engine_rules *rules, const char *vault_name);
void reminders_release(struct reminder_set *p);

/* day as "YYYY-MM-DD" in the set's arena; NULL for DATE_NONE. */
const char *reminders_date(struct reminder_set *p, int day);

#endif
