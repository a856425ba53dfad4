/*
 * reminders.h - sample reminder batches for the notifier unit tests: a
 * digest of three (one with a non-ASCII name, one late, one never
 * contacted), a single reminder, a test message, and a digest of many
 * long reminders that no service takes whole (to check the cut).
 *
 * sample_many() returns a batch that points into static storage it
 * rebuilds on every call; the others are static too. Nothing to free.
 */
#ifndef FOLLOWUP_TEST_REMINDERS_H
#define FOLLOWUP_TEST_REMINDERS_H

#include <stdio.h>
#include <string.h>

#include "../../notifiers/notifier.h"

static const struct reminder_item sample_items_ada[] = {
	{ "Send the paper on the analytical engine", "2026-11-20",
	    "People/Ada Lovelace.md", 12 },
	{ "Ask about <Babbage> & the \"difference\" engine", NULL,
	    "Meetings/2026-11-02 Ada Lovelace.md", 7 },
};

static const struct reminder_item sample_items_zoe[] = {
	{ "Café au lait — bring the 📅 notes", "2026-11-26",
	    "People/Zoë Ångström.md", 9 },
};

static const struct reminder sample_reminders[] = {
	{ "Ada Lovelace", "People/Ada Lovelace.md",
	    "obsidian://open?vault=vault&file=People%2FAda%20Lovelace",
	    "overdue", "2026-11-20", "2026-10-21", 35, 5, 30,
	    sample_items_ada, 2, 5, NULL,
	    "People/Ada Lovelace.md|2026-11-20|overdue" },
	{ "Zoë Ångström", "People/Zoë Ångström.md",
	    "obsidian://open?vault=vault&file=People%2FZo%C3%AB%20%C3%85ngstr%C3%B6m",
	    "cold", "2026-09-01", "2026-08-02", 115, 85, 30,
	    sample_items_zoe, 1, 1, "2026-11-20",
	    "People/Zoë Ångström.md|2026-09-01|cold" },
	{ "Grace Hopper", "People/Grace Hopper.md",
	    "obsidian://open?vault=vault&file=People%2FGrace%20Hopper",
	    "due", "2026-11-28", "2026-10-29", 27, -3, 30,
	    NULL, 0, 0, NULL,
	    "People/Grace Hopper.md|2026-11-28|due" },
};

static inline struct reminder_batch
sample_digest(void)
{
	struct reminder_batch b = { sample_reminders, 3, 3, 1, 0,
	    "2026-11-25", "vault", NULL, 0, "digest-0123456789abcdef" };

	return b;
}

static inline struct reminder_batch
sample_single(void)
{
	struct reminder_batch b = { sample_reminders, 1, 1, 0, 0,
	    "2026-11-25", "vault", NULL, 0, "single-0123456789abcdef" };

	return b;
}

static inline struct reminder_batch
sample_test(void)
{
	struct reminder_batch b = { NULL, 0, 0, 0, 1, "2026-11-25", "vault",
	    NULL, 0, "test-0123456789abcdef" };

	return b;
}

#define SAMPLE_MANY 400

/* SAMPLE_MANY reminders, each with long names and items. */
static inline struct reminder_batch
sample_many(void)
{
	static struct reminder many[SAMPLE_MANY];
	static struct reminder_item items[SAMPLE_MANY][3];
	static char names[SAMPLE_MANY][64], paths[SAMPLE_MANY][96];
	static char texts[SAMPLE_MANY][3][240];
	struct reminder_batch b = { many, SAMPLE_MANY, SAMPLE_MANY, 1, 0,
	    "2026-11-25", "vault", NULL, 0, "many-0123456789abcdef" };
	int i, j;

	for (i = 0; i < SAMPLE_MANY; i++) {
		snprintf(names[i], sizeof(names[i]), "Person number %04d "
		    "with a rather long name", i);
		snprintf(paths[i], sizeof(paths[i]), "People/Person %04d.md",
		    i);
		for (j = 0; j < 3; j++) {
			memset(texts[i][j], 'x', sizeof(texts[i][j]) - 1);
			texts[i][j][sizeof(texts[i][j]) - 1] = '\0';
			items[i][j].text = texts[i][j];
			items[i][j].due = NULL;
			items[i][j].path = paths[i];
			items[i][j].line = 10 + j;
		}
		many[i] = sample_reminders[0];
		many[i].name = names[i];
		many[i].path = paths[i];
		many[i].items = items[i];
		many[i].nitems = 3;
		many[i].nitems_total = 9;
		many[i].episode = paths[i];
	}
	return b;
}

#endif
