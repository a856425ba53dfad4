/*
 * schedule.h - the rules of DESIGN.md §3, "Schedule": when each contact
 * is due, how many days overdue, its state, and the order of the list.
 *
 * Pure arithmetic on day numbers: today comes from the caller (--today or
 * the local date), never from the clock.
 */
#ifndef FOLLOWUP_SCHEDULE_H
#define FOLLOWUP_SCHEDULE_H

struct contact_set;

struct schedule_params {
	int today;
	double cold_factor;
	int due_soon_days;
};

/* Fill due, days_since_contact, days_overdue and state of every contact. */
void schedule_apply(struct contact_set *set, const struct schedule_params *p);
/* Order: days_overdue, largest first; then name, bytewise; then path. */
void schedule_sort(struct contact_set *set);

#endif
