/* schedule.c - due dates, states and order (see schedule.h). */
#include "schedule.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "date.h"
#include "rules.h"

static void
schedule_one(struct contact *c, const struct engine_rules *rules, int today)
{
	int due = c->last_contact != DATE_NONE ?
	    c->last_contact + c->cadence_days : today;

	if (c->earliest_item_due != DATE_NONE && c->earliest_item_due < due)
		due = c->earliest_item_due;
	c->days_since_contact = c->last_contact != DATE_NONE ?
	    today - c->last_contact : DATE_NONE;

	if (c->snooze_until != DATE_NONE && c->snooze_until > today) {
		c->due = c->snooze_until;
		c->days_overdue = today - c->due;
		c->state = STATE_SNOOZED;
		return;
	}
	c->due = due;
	c->days_overdue = today - due;
	if (c->last_contact == DATE_NONE)
		c->state = STATE_NEVER;
	else if ((double)c->days_since_contact >=
	    rules->cold_factor * c->cadence_days)
		c->state = STATE_COLD;
	else if (c->days_overdue > 0)
		c->state = STATE_OVERDUE;
	else if (c->days_overdue >= -rules->due_soon_days)
		c->state = STATE_DUE;
	else
		c->state = STATE_OK;
}

void
schedule_apply(struct contact_set *set, const struct engine_rules *rules,
    int today)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		schedule_one(&set->items[i], rules, today);
}

static int
cmp_contact(const void *pa, const void *pb)
{
	const struct contact *a = pa, *b = pb;
	int c;

	if (a->days_overdue != b->days_overdue)
		return a->days_overdue > b->days_overdue ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->path, b->path);
}

void
schedule_sort(struct contact_set *set)
{
	if (set->n > 0)
		qsort(set->items, set->n, sizeof(*set->items), cmp_contact);
}

int
schedule_state_since(const struct contact *c,
    const struct engine_rules *rules)
{
	switch (c->state) {
	case STATE_DUE:
		return c->due - rules->due_soon_days;
	case STATE_OVERDUE:
		return c->due + 1;
	case STATE_COLD:
		if (c->last_contact == DATE_NONE)
			return 0;
		return c->last_contact + (int)ceil(rules->cold_factor *
		    c->cadence_days);
	default:
		return 0;
	}
}
