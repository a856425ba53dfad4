/*
 * reminders.c - a scan's contacts as reminders (see reminders.h).
 */
#include "reminders.h"

#include <stdlib.h>
#include <string.h>

#include "../core/date.h"
#include "../core/engine.h"
#include "../core/note.h"
#include "../core/schedule.h"
#include "../core/store.h"
#include "../core/util.h"

#define ITEMS_SHOWN 3		/* open items a reminder lists */

const char *
reminders_date(struct reminder_set *p, int day)
{
	char buf[DATE_BUFSZ];

	if (day == DATE_NONE)
		return NULL;
	return arena_strdup(&p->arena, date_format(day, buf));
}

static void
prepare_items(struct reminder_set *p, struct reminder *r,
    const struct scan_result *res, const struct contact *c)
{
	struct reminder_item *items;
	size_t k, n = c->nitems < ITEMS_SHOWN ? c->nitems : ITEMS_SHOWN;

	items = arena_alloc(&p->arena, (n ? n : 1) * sizeof(*items));
	for (k = 0; k < n; k++) {
		const struct task *t = &res->vault.tasks[c->items[k]];

		items[k].text = t->text;
		items[k].due = reminders_date(p, t->due);
		items[k].path = res->vault.notes[t->note].path;
		items[k].line = t->line;
	}
	r->items = items;
	r->nitems = n;
	r->nitems_total = c->nitems;
}

void
reminders_prepare(struct reminder_set *p, const struct scan_result *res,
    const struct engine_rules *rules, const char *vault_name)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->n = res->contacts.n;
	p->reminders = xcalloc(p->n ? p->n : 1, sizeof(*p->reminders));
	p->episodes = xcalloc(p->n ? p->n : 1, sizeof(*p->episodes));
	p->since = xcalloc(p->n ? p->n : 1, sizeof(*p->since));
	p->state = xcalloc(p->n ? p->n : 1, sizeof(*p->state));
	for (i = 0; i < p->n; i++) {
		const struct contact *c = &res->contacts.items[i];
		struct reminder *r = &p->reminders[i];
		char *link = note_open_url(vault_name, c->path);
		/* Someone never contacted is due today, every day: the
		 * episode is "never" itself (0), or each day would be a new
		 * one and remind again, whatever repeat_days says. */
		int due = c->state == STATE_NEVER ? 0 : c->due;

		r->name = c->name;
		r->path = c->path;
		r->link = arena_strdup(&p->arena, link);
		free(link);
		r->state = contact_state_name(c->state);
		r->due = reminders_date(p, c->due);
		r->last_contact = reminders_date(p, c->last_contact);
		r->days_since_contact = c->days_since_contact == DATE_NONE ?
		    -1 : c->days_since_contact;
		r->days_overdue = c->days_overdue;
		r->cadence_days = c->cadence_days;
		prepare_items(p, r, res, c);
		r->episode = arena_printf(&p->arena, "%s|%s|%s", c->path,
		    due ? r->due : "-", r->state);
		p->episodes[i] = (struct ledger_episode){ c->path, due,
		    r->state };
		p->since[i] = schedule_state_since(c, rules);
		p->state[i] = (int)c->state;
	}
}

void
reminders_release(struct reminder_set *p)
{
	free(p->reminders);
	free(p->episodes);
	free(p->since);
	free(p->state);
	arena_free(&p->arena);
}
