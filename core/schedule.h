/*
 * schedule.h - the rules of docs/rules.md, "Schedule": when each contact
 * is due, how many days overdue, its state, and the order of the list.
 *
 * Pure arithmetic on day numbers: today comes from the caller (--today or
 * the local date), never from the clock.
 */
#ifndef FOLLOWUP_SCHEDULE_H
#define FOLLOWUP_SCHEDULE_H

struct contact;
struct contact_set;
struct engine_rules;

/* Fill due, days_since_contact, days_overdue and state of every contact. */
void schedule_apply(struct contact_set *set, const struct engine_rules *rules,
    int today);
/* Order: days_overdue, largest first; then name, bytewise; then path. */
void schedule_sort(struct contact_set *set);

/*
 * The day a scheduled contact entered its state (due, overdue or cold),
 * as the rules date it: what a reminder that went out late is late from.
 * 0 for the other states, and for a cold contact never contacted.
 */
int schedule_state_since(const struct contact *c,
    const struct engine_rules *rules);

#endif
