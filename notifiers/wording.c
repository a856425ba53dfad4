/*
 * wording.c - the words of a reminder message and the one walk over a
 * batch (see wording.h), with the two styles several services share: the
 * text (plain or Markdown) and the HTML.
 */
#include "wording.h"

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

#define ITEM_TEXT_MAX 200	/* bytes of an item's text a message shows */

static const char test_sentence[] =
    "This is a test message from followup: this notifier works.\n";

/* ------------------------------------------------------------ words */

char *
reminder_title(const struct reminder_batch *b)
{
	if (b->test)
		return xstrdup("followup: a test message");
	if (!b->digest && b->n == 1)
		return xasprintf("Follow up with %s", b->items[0].name);
	return xasprintf("followup: %zu %s to follow up", b->n,
	    b->n == 1 ? "person" : "people");
}

char *
reminder_summary(const struct reminder *r)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, r->state);
	if (r->days_since_contact >= 0)
		strbuf_addf(&sb, " · %d day%s since contact",
		    r->days_since_contact, plural(r->days_since_contact));
	else
		strbuf_adds(&sb, " · no contact on record");
	if (r->days_overdue > 0)
		strbuf_addf(&sb, " · due %s (%d day%s ago)", r->due,
		    r->days_overdue, plural(r->days_overdue));
	else if (r->days_overdue == 0)
		strbuf_addf(&sb, " · due today");
	else
		strbuf_addf(&sb, " · due %s (in %d day%s)", r->due,
		    -r->days_overdue, plural(r->days_overdue));
	return strbuf_detach(&sb);
}

/* At most max bytes of s, cut at a UTF-8 boundary, with "…" when cut. */
static void
add_cut(struct strbuf *sb, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max) {
		strbuf_add(sb, s, n);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	strbuf_add(sb, s, max);
	strbuf_adds(sb, "…");
}

char *
reminder_item_line(const struct reminder_item *it)
{
	struct strbuf sb = STRBUF_INIT;

	add_cut(&sb, it->text, ITEM_TEXT_MAX);
	/* "📅 2026-12-01" in the text says it already. */
	if (it->due != NULL && strstr(it->text, it->due) == NULL)
		strbuf_addf(&sb, " (due %s)", it->due);
	return strbuf_detach(&sb);
}

char *
reminder_late_note(const struct reminder *r)
{
	if (r->late_since == NULL)
		return NULL;
	return xasprintf("late: should have gone out on %s", r->late_since);
}

char *
reminder_more(size_t n)
{
	return xasprintf("and %zu more", n);
}

/* The entity HTML writes c as, or NULL when c stands for itself. */
static const char *
html_entity(char c)
{
	switch (c) {
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '&': return "&amp;";
	case '"': return "&quot;";
	default: return NULL;
	}
}

void
strbuf_add_html_escaped(struct strbuf *sb, const char *s)
{
	const char *entity;

	for (; *s; s++)
		if ((entity = html_entity(*s)) != NULL)
			strbuf_adds(sb, entity);
		else
			strbuf_addch(sb, *s);
}

/* ------------------------------------------------------------ the walk */

/* What budget leaves once used is spent; RENDER_NO_LIMIT for none. */
static size_t
room_left(size_t budget, size_t used)
{
	if (budget == 0)
		return RENDER_NO_LIMIT;
	return used < budget ? budget - used : 0;
}

/* How many reminders the walk may show at most. */
static size_t
shown_limit(const struct reminder_batch *b, const struct reminder_style *s)
{
	size_t shown = b->shown && b->shown < b->n ? b->shown : b->n;

	if (s->max_shown > 0 && shown > s->max_shown)
		shown = s->max_shown;
	return shown;
}

/* The items of w->r while they fit; returns how many it listed. */
static size_t
walk_items(struct reminder_walk *w, const struct reminder_style *s,
    size_t used, void *ud)
{
	const struct reminder *r = w->r;
	size_t k, size;

	for (k = 0; k < r->nitems; k++) {
		char *line;

		if (s->max_items > 0 && k >= s->max_items)
			break;
		w->item = &r->items[k];
		w->line = line = reminder_item_line(w->item);
		w->room = room_left(s->item_budget, used);
		size = s->item(w, ud);
		free(line);
		if (size == RENDER_FULL)
			break;
		used += size;
	}
	w->item = NULL;
	w->line = NULL;
	w->room = RENDER_NO_LIMIT;
	return k;
}

/* "and N more" for the items of w->r beyond the listed ones. */
static void
walk_more_items(const struct reminder_walk *w,
    const struct reminder_style *s, size_t listed, void *ud)
{
	const struct reminder *r = w->r;
	size_t n = r->nitems - listed;
	char *more;

	if (r->nitems_total > r->nitems)
		n += r->nitems_total - r->nitems;
	if (n == 0 || s->more_items == NULL)
		return;
	more = reminder_more(n);
	s->more_items(more, ud);
	free(more);
}

/*
 * Reminder i of b, with used of the message budget spent before it:
 * returns its size, or RENDER_FULL when the style dropped it.
 */
static size_t
walk_reminder(const struct reminder_batch *b, size_t i,
    const struct reminder_style *s, size_t used, void *ud)
{
	struct reminder_walk w = { &b->items[i], i, NULL, NULL, NULL, NULL,
	    RENDER_NO_LIMIT, NULL };
	char *summary = reminder_summary(w.r), *late = reminder_late_note(w.r);
	char *more_after = NULL;
	size_t size;

	w.summary = summary;
	w.late = late;
	size = s->begin_reminder(&w, ud);
	walk_more_items(&w, s, walk_items(&w, s, size, ud), ud);
	w.room = room_left(s->message_budget, used);
	if (s->message_budget > 0 && i + 1 < b->n)
		w.more_after = more_after = reminder_more(b->n - i - 1);
	size = s->end_reminder ? s->end_reminder(&w, ud) : 0;
	if (size == RENDER_FULL && i == 0)
		BUG("a style dropped the first reminder of a message");
	free(summary);
	free(late);
	free(more_after);
	return size;
}

size_t
reminder_render(const struct reminder_batch *b,
    const struct reminder_style *s, void *ud)
{
	size_t i, size, used = 0, limit = shown_limit(b, s);

	if (s->title != NULL) {
		char *title = reminder_title(b);

		used = s->title(title, ud);
		free(title);
	}
	if (b->test) {
		if (s->test != NULL)
			s->test(test_sentence, ud);
		return 0;
	}
	if (s->begin_list != NULL)
		s->begin_list(ud);
	for (i = 0; i < limit; i++) {
		if ((size = walk_reminder(b, i, s, used, ud)) == RENDER_FULL)
			break;
		used += size;
	}
	if (s->end_list != NULL)
		s->end_list(ud);
	if (i < b->n && s->more_reminders != NULL) {
		char *more = reminder_more(b->n - i);

		s->more_reminders(more, ud);
		free(more);
	}
	return i;
}

/* ------------------------------------------------------------ text */

/* The text style's userdata: the message, and the reminder being made. */
struct text_out {
	struct strbuf text;
	struct strbuf reminder;	/* added to text once it is kept */
	enum text_style style;
	const char *heading;	/* NULL: none */
};

/* Code points in s: the text style's budget counts them. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Markdown's special characters in a name or a task, escaped. */
static void
add_markdown_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|~", *s) != NULL)
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s);
	}
}

static size_t
text_title(const char *title, void *ud)
{
	struct text_out *t = ud;

	(void)title;
	if (t->heading == NULL)
		return 0;
	strbuf_adds(&t->text, t->heading);
	return utf8_chars(t->heading);
}

static void
text_test(const char *text, void *ud)
{
	strbuf_adds(&((struct text_out *)ud)->text, text);
}

static size_t
text_begin_reminder(const struct reminder_walk *w, void *ud)
{
	struct text_out *t = ud;

	strbuf_reset(&t->reminder);
	if (t->style == TEXT_MARKDOWN) {
		strbuf_adds(&t->reminder, "**[");
		add_markdown_escaped(&t->reminder, w->r->name);
		strbuf_addf(&t->reminder, "](%s)**", w->r->link);
	} else
		strbuf_adds(&t->reminder, w->r->name);
	strbuf_addf(&t->reminder, " — %s\n", w->summary);
	if (w->late != NULL)
		strbuf_addf(&t->reminder, "  (%s)\n", w->late);
	return 0;
}

static size_t
text_item(const struct reminder_walk *w, void *ud)
{
	struct text_out *t = ud;

	strbuf_adds(&t->reminder, "  - ");
	if (t->style == TEXT_MARKDOWN)
		add_markdown_escaped(&t->reminder, w->line);
	else
		strbuf_adds(&t->reminder, w->line);
	strbuf_addch(&t->reminder, '\n');
	return 0;
}

static void
text_more_items(const char *more, void *ud)
{
	strbuf_addf(&((struct text_out *)ud)->reminder, "  - %s\n", more);
}

/* Kept when it fits with the "and N more" line that would follow it. */
static size_t
text_end_reminder(const struct reminder_walk *w, void *ud)
{
	struct text_out *t = ud;
	size_t size = utf8_chars(strbuf_str(&t->reminder));
	size_t closing = w->more_after ? utf8_chars(w->more_after) + 1 : 0;

	if (w->index > 0 && size + closing > w->room)
		return RENDER_FULL;
	strbuf_add(&t->text, strbuf_str(&t->reminder), t->reminder.len);
	return size;
}

static void
text_more_reminders(const char *more, void *ud)
{
	strbuf_addf(&((struct text_out *)ud)->text, "%s\n", more);
}

static const struct reminder_style text_style = {
	.title = text_title,
	.test = text_test,
	.begin_reminder = text_begin_reminder,
	.item = text_item,
	.more_items = text_more_items,
	.end_reminder = text_end_reminder,
	.more_reminders = text_more_reminders,
};

char *
reminder_text_within(const struct reminder_batch *b, enum text_style style,
    const char *heading, size_t max_chars, size_t *shown)
{
	struct reminder_style s = text_style;
	struct text_out t = { STRBUF_INIT, STRBUF_INIT, style, heading };
	size_t n;

	s.message_budget = max_chars;
	n = reminder_render(b, &s, &t);
	if (shown != NULL)
		*shown = n;
	strbuf_release(&t.reminder);
	return strbuf_detach(&t.text);
}

char *
reminder_text(const struct reminder_batch *b, enum text_style style)
{
	return reminder_text_within(b, style, NULL, 0, NULL);
}

/* ------------------------------------------------------------ HTML */

struct html_out {
	struct strbuf *sb;
	const struct html_layout *layout;
};

/* Whether r's list item holds a list of its open items. */
static int
has_item_list(const struct reminder *r)
{
	return r->nitems > 0 || r->nitems_total > r->nitems;
}

/* "<tag>text</tag>" and the layout's line break, text escaped. */
static void
html_block(const struct html_out *h, const char *tag, const char *text)
{
	strbuf_addf(h->sb, "<%s>", tag);
	strbuf_add_html_escaped(h->sb, text);
	strbuf_addf(h->sb, "</%s>%s", tag, h->layout->newline);
}

static size_t
html_title(const char *title, void *ud)
{
	struct html_out *h = ud;

	html_block(h, h->layout->heading, title);
	return 0;
}

static void
html_test(const char *text, void *ud)
{
	html_block(ud, "p", text);
}

static void
html_begin_list(void *ud)
{
	struct html_out *h = ud;

	strbuf_addf(h->sb, "<ul>%s", h->layout->newline);
}

static size_t
html_begin_reminder(const struct reminder_walk *w, void *ud)
{
	struct strbuf *sb = ((struct html_out *)ud)->sb;

	strbuf_adds(sb, "<li><a href=\"");
	strbuf_add_html_escaped(sb, w->r->link);
	strbuf_adds(sb, "\"><strong>");
	strbuf_add_html_escaped(sb, w->r->name);
	strbuf_adds(sb, "</strong></a> — ");
	strbuf_add_html_escaped(sb, w->summary);
	if (w->late != NULL) {
		strbuf_adds(sb, "<br>\n<em>");
		strbuf_add_html_escaped(sb, w->late);
		strbuf_adds(sb, "</em>");
	}
	if (has_item_list(w->r))
		strbuf_adds(sb, "\n<ul>\n");
	return 0;
}

/* An item of a reminder's own list: "<li>text</li>", escaped. */
static void
html_list_item(struct html_out *h, const char *text)
{
	strbuf_adds(h->sb, "<li>");
	strbuf_add_html_escaped(h->sb, text);
	strbuf_adds(h->sb, "</li>\n");
}

static size_t
html_item(const struct reminder_walk *w, void *ud)
{
	html_list_item(ud, w->line);
	return 0;
}

static void
html_more_items(const char *more, void *ud)
{
	html_list_item(ud, more);
}

static size_t
html_end_reminder(const struct reminder_walk *w, void *ud)
{
	struct strbuf *sb = ((struct html_out *)ud)->sb;

	if (has_item_list(w->r))
		strbuf_adds(sb, "</ul>");
	strbuf_adds(sb, "</li>\n");
	return 0;
}

static void
html_end_list(void *ud)
{
	struct html_out *h = ud;

	strbuf_addf(h->sb, "</ul>%s", h->layout->newline);
}

static void
html_more_reminders(const char *more, void *ud)
{
	html_block(ud, "p", more);
}

static const struct reminder_style html_style = {
	.title = html_title,
	.test = html_test,
	.begin_list = html_begin_list,
	.begin_reminder = html_begin_reminder,
	.item = html_item,
	.more_items = html_more_items,
	.end_reminder = html_end_reminder,
	.end_list = html_end_list,
	.more_reminders = html_more_reminders,
};

void
reminder_html(struct strbuf *sb, const struct reminder_batch *b,
    const struct html_layout *layout)
{
	struct html_out h = { sb, layout };

	reminder_render(b, &html_style, &h);
}
