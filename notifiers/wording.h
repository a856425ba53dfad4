/*
 * wording.h - what a reminder message says, written once: the words every
 * service shares (a title, a summary, an item's line, the late note, "and
 * N more"), and the one walk over a batch that every message is made by,
 * reminder_render(), the way md4c's parser drives its renderers.
 *
 * The walk decides what is said, in which order, which reminders and
 * items fit, and counts the rest into "and N more". A service supplies a
 * struct reminder_style: callbacks that put each piece into its own
 * markup (Block Kit, embeds, an Adaptive Card, HTML, Markdown), and the
 * budgets it has. It never walks a batch itself: what it keeps is its
 * envelope (the request, the blocks around the pieces).
 *
 * For a batch b, the walk calls, in this order:
 *
 *   title                   always first
 *   test                    for a test message; then nothing else
 *   begin_list
 *   for each reminder shown (b->shown of them, at most max_shown):
 *     begin_reminder        its name and link (w->r), summary, late note
 *     item                  each open item, while the item budget lasts
 *     more_items            "and N more": the items not listed, if any
 *     end_reminder          kept, or dropped when the message is full
 *   end_list
 *   more_reminders          "and N more": the reminders not shown, if any
 *
 * Budgets, in whatever a service counts (bytes, characters): the style
 * measures, the walk keeps the account. A callback that may not fit is
 * given w->room, what the budget leaves; when what it would add is more,
 * it adds nothing and returns RENDER_FULL. The item budget is a
 * reminder's: begin_reminder's size and each item's. The message budget
 * is the message's: title's size and each kept reminder's. A message
 * shows at least one reminder: the first one is never dropped (a style
 * that does is a bug).
 *
 * Memory: every string a callback is given is borrowed for the call; the
 * walk frees it after. The functions returning char * return a string the
 * caller frees. Nothing keeps state between calls: a style is const and
 * its userdata the caller's.
 */
#ifndef FOLLOWUP_WORDING_H
#define FOLLOWUP_WORDING_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct strbuf;

/* ------------------------------------------------------------ input */

/* One open item of a contact, as a reminder shows it. */
struct reminder_item {
	const char *text;
	const char *due;	/* "YYYY-MM-DD", or NULL */
	const char *path;	/* the note it is in, relative to the vault */
	int line;
};

/* One contact to remind of. Dates are "YYYY-MM-DD". */
struct reminder {
	const char *name;
	const char *path;	/* relative to the vault */
	const char *link;	/* obsidian://open?vault=...&file=... */
	const char *state;	/* "cold", "overdue", "due", "never", ... */
	const char *due;
	const char *last_contact;	/* NULL: never */
	int days_since_contact;	/* -1: never */
	int days_overdue;	/* negative: days left */
	int cadence_days;
	const struct reminder_item *items;	/* the first few open items */
	size_t nitems;
	size_t nitems_total;	/* all open items (>= nitems) */
	const char *late_since;	/* should have gone out that day; NULL */
	/* The episode (contact, due, state) as a stable id: Matrix makes
	 * its transaction id from it, email its Message-ID. */
	const char *episode;
};

/* What one message carries: a digest, a single reminder, or a test. */
struct reminder_batch {
	const struct reminder *items;
	size_t n;
	/* How many of items the message shows; the rest are counted in
	 * "and N more" (reminder_more). notifier_format() lowers it until
	 * the message fits the service. */
	size_t shown;
	int digest;		/* a digest (even of one) or a single reminder */
	int test;		/* `notify --test`: no reminders, a hello */
	const char *today;
	const char *vault_name;
	const char *calendar;	/* the feed, when a notifier attaches it */
	size_t calendar_len;
	/* A stable id of this message (the episodes it carries). */
	const char *message_id;
	time_t now;		/* the clock (email's Date); 0: time(NULL) */
};

/* ------------------------------------------------------------ words */

/* "followup: 3 people to follow up" / "Follow up with Ada Lovelace". */
char *reminder_title(const struct reminder_batch *b);
/* "overdue · 45 days since contact · due 2026-11-20 (5 days ago)". */
char *reminder_summary(const struct reminder *r);
/* "Ask about the grant (due 2026-12-01)"; the due date only when the
 * text does not hold it already. */
char *reminder_item_line(const struct reminder_item *it);
/* "late: should have gone out on 2026-11-20", or NULL. */
char *reminder_late_note(const struct reminder *r);
/* "and 4 more" */
char *reminder_more(size_t n);

/* s with <, >, & and double quotes escaped for HTML. */
void strbuf_add_html_escaped(struct strbuf *sb, const char *s);

/* ------------------------------------------------------------ the walk */

/* What a callback returns for a piece that does not fit w->room. */
#define RENDER_FULL SIZE_MAX
/* w->room when the style has no such budget. */
#define RENDER_NO_LIMIT SIZE_MAX

/* Where the walk is, for the callbacks of one reminder. */
struct reminder_walk {
	const struct reminder *r;	/* the reminder being walked */
	size_t index;		/* among those shown: 0 is the first */
	const char *summary;	/* reminder_summary(r) */
	const char *late;	/* reminder_late_note(r), or NULL */
	/* item: the open item, and its reminder_item_line(). */
	const struct reminder_item *item;
	const char *line;
	/* item: what the item budget leaves; end_reminder: what the
	 * message budget leaves; else RENDER_NO_LIMIT. */
	size_t room;
	/* end_reminder with a message budget: the "and N more" the message
	 * ends with if r is the last shown (room to keep for it), or NULL
	 * when r is the last of the batch. */
	const char *more_after;
};

/*
 * A message's markup, as callbacks, each given the caller's userdata
 * last. A MUST slot is always set; a MAY slot may be NULL, and then that
 * piece is left out. A size returned is what the piece adds as the
 * service counts it; a style without that budget may return 0.
 */
struct reminder_style {
	/* MAY: the message's title; returns its size (message budget). */
	size_t (*title)(const char *title, void *ud);
	/* MAY: a test message's one sentence, in place of any reminder. */
	void (*test)(const char *text, void *ud);
	/* MAY: before the first reminder (called when none is shown too). */
	void (*begin_list)(void *ud);
	/*
	 * MUST: a reminder begins: its name and link (w->r), summary and
	 * late note. Returns its size (the first of the item budget).
	 */
	size_t (*begin_reminder)(const struct reminder_walk *w, void *ud);
	/*
	 * MUST: an open item (w->item, w->line). Returns its size, or
	 * RENDER_FULL, adding nothing, when that is more than w->room: the
	 * walk then counts it and the rest in more_items.
	 */
	size_t (*item)(const struct reminder_walk *w, void *ud);
	/* MAY: "and N more" for the items of the reminder not listed. */
	void (*more_items)(const char *more, void *ud);
	/*
	 * MAY: the reminder ends. Returns its size (message budget), or
	 * RENDER_FULL when that is more than w->room: then the style takes
	 * back what it added of it, and the walk stops, counting it and the
	 * rest in more_reminders. MUST keep the first (w->index 0), cut to
	 * w->room if it can be.
	 */
	size_t (*end_reminder)(const struct reminder_walk *w, void *ud);
	/* MAY: after the last reminder shown (called when none is too). */
	void (*end_list)(void *ud);
	/* MAY: "and N more" for the reminders not shown. */
	void (*more_reminders)(const char *more, void *ud);
	size_t max_shown;	/* reminders at most; 0: b->shown */
	size_t max_items;	/* items a reminder lists at most; 0: all */
	size_t item_budget;	/* per reminder; 0: none */
	size_t message_budget;	/* for the whole message; 0: none */
};

/*
 * Walk b with style: the first b->shown reminders (all when 0) at most,
 * fewer when the budgets say so. Returns how many it showed, the first
 * ones (0 for a test): what a request says it carries (req->shown).
 */
size_t reminder_render(const struct reminder_batch *b,
    const struct reminder_style *style, void *ud);

/* ------------------------------------------------------------ styles */

enum text_style {
	TEXT_PLAIN,
	TEXT_MARKDOWN,		/* CommonMark: names as links, bold */
};

/*
 * The whole message as text, without a title: per shown reminder its
 * name (a link in Markdown), summary, late note and items ("and N more"
 * when cut), then "and N more" for the reminders not shown. For a test,
 * one sentence.
 */
char *reminder_text(const struct reminder_batch *b, enum text_style style);

/*
 * heading (NULL: none), then reminder_text() of as many reminders as fit
 * max_chars characters (code points) with it, "and N more" counted in;
 * at least one. max_chars 0: no limit. *shown (NULL: not wanted): how
 * many it shows, 0 for a test.
 */
char *reminder_text_within(const struct reminder_batch *b,
    enum text_style style, const char *heading, size_t max_chars,
    size_t *shown);

/* Where an HTML message breaks its lines, and how it heads itself. */
struct html_layout {
	const char *heading;	/* the title's element: "h2" */
	const char *newline;	/* after each block: "" or "\n" */
};

/*
 * b as HTML, appended to sb: the title as a heading, then a list of the
 * shown reminders (the name linked to its note, the summary, the late
 * note, the open items in a list of their own) and "and N more"; for a
 * test, its sentence. All of it escaped.
 */
void reminder_html(struct strbuf *sb, const struct reminder_batch *b,
    const struct html_layout *layout);

#endif
