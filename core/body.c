/*
 * body.c - the Markdown walk of a note's body with md4c (see body.h).
 *
 * md4c reports a list item's first text in pieces (it splits at '[' and
 * ']'), so the leading run of plain text of an item's first paragraph is
 * gathered until anything else happens (a span, a line break, a nested
 * block, the end of the item) and only then is the item decided. That run
 * is what CommonMark calls the item's first text node.
 */
#include "body.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "linkpath.h"
#include "obsidian.h"
#include "query.h"
#include "store.h"
#include "tagrule.h"
#include "task.h"
#include "util.h"

/* Longest leading text needed to decide: "[" + 4-byte char + "] ". */
#define LEAD_MAX 8

/* Where an item stands in being decided. */
enum li_state {
	LI_START,	/* entered, nothing seen yet */
	LI_LEAD,	/* gathering the leading text of its first paragraph */
	LI_TASK_TEXT,	/* a task: still inside its first paragraph */
	LI_DONE,	/* decided, first paragraph over */
};

struct li {
	enum li_state state;
	int in_para;		/* first paragraph was opened with a P block */
	size_t task;		/* index in v->tasks when it is a task */
	const char *text;	/* its text in the file, until it is stored */
	size_t textlen;
	const char *first;	/* where the leading text begins */
	const char *line_end;	/* the end of a task's first line */
	char lead[LEAD_MAX];
	size_t leadlen;
	int link_first;		/* its first paragraph opened with a link */
};

struct scan {
	struct vault *v;
	size_t note;
	const char *path;
	const char *buf;
	size_t len;
	struct diag_list *dl;

	size_t cursor_off;	/* offset_to_line's memo */
	int cursor_line;

	const struct obsidian_settings *settings;
	/* Tasks' scheduled date for its undated tasks (DATE_NONE: none). */
	int filename_date;
	const struct query_file *qfile;	/* the note's properties */

	struct li *stack;
	size_t depth, cap;
	int quotes;		/* blockquotes (and callouts) around the walk */

	/*
	 * The heading tasks stand under (Obsidian's cache lists those
	 * outside lists and quotes): its text once seen, and its number in
	 * the vault once a task needed it.
	 */
	int in_heading;
	const char *heading_first, *heading_last;
	struct task_span heading;
	uint32_t heading_id;

	/* The wikilinks of the task being read (one at a time). */
	const char **links;
	size_t nlinks, caplinks;
	/*
	 * A markdown link whose href md4c had to copy (escapes): where it
	 * stands is known from its label's first text.
	 */
	struct strbuf href;
	int href_pending;
	/* The note's inline tags (Obsidian's), for its list of tags. */
	const char **tags;
	size_t ntags, captags;
	const char **deps;	/* its dependencies, while they are kept */
	size_t capdeps;

	int in_query;
	int query_fence_line;
	struct query_line *qlines;
	size_t nqlines, capqlines;
	/*
	 * The block's lines so far, each ended by a NUL; the current one
	 * begins at qline_start. They are needed only until it is parsed.
	 */
	struct strbuf qline;
	size_t qline_start;
	int qline_line;
	int last_qline;
};

static int
line_of(struct scan *s, const char *p)
{
	size_t off;

	if (p < s->buf || p > s->buf + s->len)
		return 0;
	off = (size_t)(p - s->buf);
	if (off < s->cursor_off) {
		s->cursor_off = 0;
		s->cursor_line = 1;
	}
	while (s->cursor_off < off) {
		const char *nl = memchr(s->buf + s->cursor_off, '\n',
		    off - s->cursor_off);

		if (nl == NULL) {
			s->cursor_off = off;
			break;
		}
		s->cursor_line++;
		s->cursor_off = (size_t)(nl - s->buf) + 1;
	}
	return s->cursor_line;
}

static struct li *
top(struct scan *s)
{
	return s->depth ? &s->stack[s->depth - 1] : NULL;
}

/* Where the line holding p starts. */
static const char *
line_start(const struct scan *s, const char *p)
{
	while (p > s->buf && p[-1] != '\n')
		p--;
	return p;
}

/*
 * The rest of the line after "[c]", trimmed, or NULL when the line is
 * not a task line as Tasks reads it (TaskRegularExpressions.taskRegex:
 * blanks and '>', a list marker, spaces, the checkbox) or when the
 * checkbox is not written literally: "\\[ ] a" and "&#91; ] a" read as
 * "[ ] a" but their author asked for a bracket, not a checkbox. *indent
 * gets what stands before the list marker.
 */
static const char *
rest_of_line(const struct scan *s, const struct li *li, size_t *len,
    struct task_span *indent)
{
	const char *p = li->first, *stop = s->buf + s->len, *end, *ls;
	char sym[5];
	size_t avail, box, ilen;

	if (p > s->buf && p[-1] == '\\')
		return NULL;
	ls = line_start(s, p);
	if (!task_line_prefix(ls, (size_t)(p - ls), &ilen))
		return NULL;
	indent->p = ls;
	indent->n = ilen;
	end = memchr(p, '\n', (size_t)(stop - p));
	avail = (size_t)((end ? end : stop) - p);
	if (avail > 0 && p[avail - 1] == '\r')
		avail--;
	box = task_checkbox(p, avail, sym);
	if (box == 0)
		return NULL;
	p += box;
	avail -= box;
	js_trim(&p, &avail);
	*len = avail;
	return p;
}

/*
 * A task is stored once its first paragraph is over: its wikilinks are
 * known then, and go in one record with its text.
 */
/* The dependencies "a, b,c" as names. */
static const char **
keep_depends_on(struct scan *s, struct task_span ids, uint32_t *n)
{
	size_t i = 0, count = 0;

	while (i < ids.n) {
		size_t start;

		while (i < ids.n && (ids.p[i] == ' ' || ids.p[i] == ','))
			i++;
		start = i;
		while (i < ids.n && ids.p[i] != ' ' && ids.p[i] != ',')
			i++;
		if (i == start)
			continue;
		GROW(s->deps, s->capdeps, count + 1);
		s->deps[count++] = store_name(s->v, ids.p + start, i - start);
	}
	*n = (uint32_t)count;
	return store_names(s->v, s->deps, count);
}

/* What the line carries besides its due date and priority. */
static void
keep_task_more(struct scan *s, struct task *t, const struct task_line *tl)
{
	struct task_more m = {
		.scheduled = tl->dates[TD_SCHEDULED],
		.start = tl->dates[TD_START],
		.created = tl->dates[TD_CREATED],
		.done = tl->dates[TD_DONE],
		.cancelled = tl->dates[TD_CANCELLED],
	};

	if (tl->recurrence.p)
		m.recurrence = store_name(s->v, tl->recurrence.p,
		    tl->recurrence.n);
	if (tl->id.p)
		m.id = store_name(s->v, tl->id.p, tl->id.n);
	if (tl->depends_on.p)
		m.depends_on = keep_depends_on(s, tl->depends_on,
		    &m.ndepends_on);
	t->more = store_task_more(s->v, &m);
}

static uint32_t
current_heading(struct scan *s)
{
	if (s->heading.p != NULL && s->heading_id == 0)
		s->heading_id = store_heading(s->v, s->heading.p,
		    s->heading.n);
	return s->heading_id;
}

/*
 * A task is stored once its first paragraph is over: its wikilinks are
 * known then, and go in one record with its text.
 */
static void
add_task(struct scan *s, struct li *li, const char *sym,
    const struct status_def *status, const struct task_line *tl,
    struct task_span indent)
{
	struct vault *v = s->v;
	struct task *t = store_task(v, s->note);
	struct task_line dated;

	/*
	 * A task with none of the three dates Tasks plans by is scheduled
	 * on the date in its note's name, when the settings ask for it
	 * (DateFallback.canApplyFallback()).
	 */
	if (s->filename_date != DATE_NONE && tl->dates[TD_DUE] == DATE_NONE &&
	    tl->dates[TD_SCHEDULED] == DATE_NONE &&
	    tl->dates[TD_START] == DATE_NONE) {
		dated = *tl;
		dated.dates[TD_SCHEDULED] = s->filename_date;
		tl = &dated;
		t->flags |= TASK_SCHEDULED_FROM_FILENAME;
	}
	t->line = (unsigned)line_of(s, li->first);
	memcpy(t->symbol, sym, strnlen(sym, sizeof(t->symbol)));
	t->status = (unsigned char)status->type;
	t->priority = (unsigned char)tl->priority;
	t->due = tl->dates[TD_DUE];
	if (task_indent_is_sub_item(indent.p, indent.n))
		t->flags |= TASK_SUB_ITEM;
	if (task_line_has_more(tl))
		keep_task_more(s, t, tl);
	t->heading = current_heading(s);
	task_line_check(tl, s->path, (int)t->line, s->dl);
	li->task = v->ntasks - 1;
	s->nlinks = 0;
}

static void
keep_task_text(struct scan *s, struct li *li)
{
	struct task *t = &s->v->tasks[li->task];

	t->text = store_task_text(s->v, li->text, li->textlen, s->links,
	    s->nlinks);
	t->has_links = s->nlinks > 0;
	s->nlinks = 0;
}

/*
 * The leading text of the item is over: is it a task? Only a line that
 * holds the global filter is one (Task.fromLine()).
 */
static void
decide(struct scan *s, struct li *li)
{
	const struct status_def *status;
	struct task_span indent;
	struct task_line tl;
	const char *text;
	size_t textlen;
	char sym[5];

	if (li->state != LI_START && li->state != LI_LEAD)
		return;
	li->state = LI_DONE;
	if (li->first == NULL || task_checkbox(li->lead, li->leadlen, sym) == 0)
		return;
	text = rest_of_line(s, li, &textlen, &indent);
	if (text == NULL)
		return;
	task_line_read(text, textlen, s->settings->dataview_format, &tl);
	if (s->settings->global_filter && memmem(tl.body.p, tl.body.n,
	    s->settings->global_filter, strlen(s->settings->global_filter)) ==
	    NULL)
		return;
	/*
	 * Closed tasks are kept too: a query can select them (`done`), and
	 * only open ones are anyone's items (contact.c). A scan for open
	 * tasks only checks their line and goes on.
	 */
	status = obsidian_status(s->settings, sym, strlen(sym));
	if (s->v->open_tasks_only && !task_status_is_open(status->type)) {
		task_line_check(&tl, s->path, line_of(s, li->first), s->dl);
		return;
	}
	li->text = text;
	li->textlen = textlen;
	li->line_end = text + textlen;
	add_task(s, li, sym, status, &tl, indent);
	li->state = LI_TASK_TEXT;
}

static void
end_first_block(struct scan *s, struct li *li)
{
	decide(s, li);
	if (li->state == LI_TASK_TEXT) {
		keep_task_text(s, li);
		li->state = LI_DONE;
	}
}

static int
is_tasks_fence(const MD_BLOCK_CODE_DETAIL *d)
{
	return d->fence_char != 0 && d->lang.size == 5 &&
	    memcmp(d->lang.text, "tasks", 5) == 0;
}

static void
query_begin(struct scan *s, const MD_BLOCK_CODE_DETAIL *d)
{
	s->in_query = 1;
	s->query_fence_line = line_of(s, d->lang.text);
	s->nqlines = 0;
	s->last_qline = s->query_fence_line;
	strbuf_reset(&s->qline);
	s->qline_start = 0;
	s->qline_line = 0;
}

static void
query_end_line(struct scan *s)
{
	struct query_line *ql;
	int line = s->qline_line ? s->qline_line : s->last_qline + 1;

	GROW(s->qlines, s->capqlines, s->nqlines + 1);
	ql = &s->qlines[s->nqlines++];
	ql->line = line;
	ql->len = s->qline.len - s->qline_start;
	ql->text = NULL;	/* the buffer may move: see query_finish() */
	strbuf_addch(&s->qline, '\0');
	s->qline_start = s->qline.len;
	s->last_qline = line;
	s->qline_line = 0;
}

static void
query_text(struct scan *s, const MD_CHAR *text, MD_SIZE size)
{
	while (size > 0) {
		const char *nl = memchr(text, '\n', size);
		size_t piece = nl ? (size_t)(nl - text) : size;

		if (piece > 0) {
			if (s->qline.len == s->qline_start &&
			    s->qline_line == 0)
				s->qline_line = line_of(s, text);
			strbuf_add(&s->qline, text, piece);
		}
		if (nl == NULL)
			return;
		query_end_line(s);
		text += piece + 1;
		size -= (MD_SIZE)(piece + 1);
	}
}

static void
query_finish(struct scan *s)
{
	struct vault *v = s->v;
	struct query q;
	const char *text;
	size_t i;

	if (s->qline.len > s->qline_start)
		query_end_line(s);
	s->in_query = 0;
	text = strbuf_str(&s->qline);
	for (i = 0; i < s->nqlines; i++) {
		s->qlines[i].text = text;
		text += s->qlines[i].len + 1;
	}
	/* A block with an error is kept too: it selects nothing. */
	(void)query_parse(&v->arena, s->path, s->note, s->query_fence_line,
	    s->qlines, s->nqlines, s->settings, s->qfile, &q, s->dl);
	store_query(v, &q);
}

static void
heading_begin(struct scan *s)
{
	s->in_heading = 1;
	s->heading_first = s->heading_last = NULL;
}

/*
 * The heading's text as Obsidian's cache gives it: its lines as written,
 * without the '#' marks (and an ATX heading's closing ones) or the
 * setext underline.
 */
static void
heading_end(struct scan *s)
{
	const char *p, *end, *stop = s->buf + s->len;
	size_t n;

	s->in_heading = 0;
	s->heading_id = 0;
	s->heading.p = "";
	s->heading.n = 0;
	if (s->heading_first == NULL)
		return;
	p = line_start(s, s->heading_first);
	end = memchr(s->heading_last, '\n', (size_t)(stop - s->heading_last));
	n = (size_t)((end ? end : stop) - p);
	js_trim(&p, &n);
	if (n > 0 && *p == '#') {
		while (n > 0 && *p == '#') {
			p++;
			n--;
		}
		js_trim(&p, &n);
		end = p + n;
		while (end > p && end[-1] == '#')
			end--;
		if (end == p || end[-1] == ' ' || end[-1] == '\t')
			n = (size_t)(end - p);
		js_trim(&p, &n);
	}
	s->heading.p = p;
	s->heading.n = n;
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct scan *s = userdata;
	struct li *li = top(s);

	if (li != NULL) {
		if (type == MD_BLOCK_P && li->state == LI_START)
			li->in_para = 1;
		else
			end_first_block(s, li);
	}
	if (type == MD_BLOCK_QUOTE)
		s->quotes++;
	else if (type == MD_BLOCK_H && s->depth == 0 && s->quotes == 0)
		heading_begin(s);
	if (type == MD_BLOCK_LI) {
		GROW(s->stack, s->cap, s->depth + 1);
		li = &s->stack[s->depth++];
		memset(li, 0, sizeof(*li));
		li->state = LI_START;
	} else if (type == MD_BLOCK_CODE && is_tasks_fence(detail))
		query_begin(s, detail);
	return 0;
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct scan *s = userdata;
	struct li *li = top(s);

	(void)detail;
	if (type == MD_BLOCK_CODE && s->in_query)
		query_finish(s);
	if (type == MD_BLOCK_QUOTE)
		s->quotes--;
	else if (type == MD_BLOCK_H && s->in_heading)
		heading_end(s);
	if (li == NULL)
		return 0;
	if (type == MD_BLOCK_LI) {
		end_first_block(s, li);
		s->depth--;
	} else if (type == MD_BLOCK_P && li->in_para)
		end_first_block(s, li);
	return 0;
}

static void
keep_link(struct scan *s, const char *p, size_t n)
{
	trim_span(&p, &n);
	if (n > 0) {
		GROW(s->links, s->caplinks, s->nlinks + 1);
		s->links[s->nlinks++] = store_name(s->v, p, n);
	}
}

static void
add_link(struct scan *s, const MD_ATTRIBUTE *target)
{
	const char *p = target->text;
	size_t n = target->size;
	const char *bar = memchr(p, '|', n);

	if (bar != NULL)
		n = (size_t)(bar - p);
	keep_link(s, p, n);
}

/* Tasks reads a task's first line only: links further down are not its. */
static int
on_first_line(const struct li *li, const char *p)
{
	return p >= li->text && p <= li->line_end;
}

static int
in_source(const struct scan *s, const char *p)
{
	return p >= s->buf && p <= s->buf + s->len;
}

/*
 * A markdown link [text](href) is a link to a note as a wikilink is
 * (Obsidian: Internal links.md), its href percent-decoded; one with a
 * scheme (https:, mailto:) is not (linkpath.h). md4c removes the angle
 * brackets of (<Ana Lima.md>).
 */
static void
enter_markdown_link(struct scan *s, struct li *li,
    const MD_SPAN_A_DETAIL *a)
{
	if (!linkpath_from_href(a->href.text, a->href.size, &s->href))
		return;
	if (in_source(s, a->href.text)) {
		if (on_first_line(li, a->href.text))
			keep_link(s, s->href.buf, s->href.len);
		return;
	}
	s->href_pending = 1;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct scan *s = userdata;
	struct li *li = top(s);

	if (li == NULL)
		return 0;
	/*
	 * "[x]" is a link when the note defines "[x]: /url", but a task
	 * list item's box is read before links are (GFM's task list
	 * extension, which Obsidian follows): the link's text decides.
	 */
	if (li->state == LI_START && type == MD_SPAN_A) {
		li->link_first = 1;
		return 0;
	}
	decide(s, li);
	if (li->state == LI_TASK_TEXT && type == MD_SPAN_WIKILINK &&
	    on_first_line(li, ((MD_SPAN_WIKILINK_DETAIL *)detail)->target.text))
		add_link(s, &((MD_SPAN_WIKILINK_DETAIL *)detail)->target);
	if (li->state == LI_TASK_TEXT && type == MD_SPAN_A)
		enter_markdown_link(s, li, detail);
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct scan *s = userdata;

	(void)detail;
	if (type == MD_SPAN_A)
		s->href_pending = 0;	/* no label to place it by */
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Obsidian's inline tags in text outside code and HTML (tagrule.h). */
static void
inline_tags(struct scan *s, const char *p, size_t size)
{
	size_t pos = 0, len;
	const char *tag;
	int after_space;

	if (!in_source(s, p) || memchr(p, '#', size) == NULL)
		return;
	after_space = p == s->buf || is_blank(p[-1]);
	while (tagrule_next(p, size, after_space, &pos, &tag, &len)) {
		GROW(s->tags, s->captags, s->ntags + 1);
		s->tags[s->ntags++] = store_name(s->v, tag, len);
	}
}

/*
 * The note's inline tags join its frontmatter tags: Obsidian lists both
 * as the note's (Tags.md). A note with none of the person keys gets a
 * person record for them.
 */
static void
keep_inline_tags(struct scan *s)
{
	struct note *note = &s->v->notes[s->note];
	const struct note_person *old = note->person;
	struct note_person *p;
	const char **all;
	size_t nold = old ? old->ntags : 0;

	if (s->ntags == 0)
		return;
	if (old != NULL)
		p = (struct note_person *)old;	/* this note's own, unshared */
	else {
		p = arena_alloc(&s->v->arena, sizeof(*p));
		memset(p, 0, sizeof(*p));
	}
	all = arena_alloc(&s->v->arena, (nold + s->ntags) * sizeof(*all));
	if (nold > 0)
		memcpy(all, old->tags, nold * sizeof(*all));
	memcpy(all + nold, s->tags, s->ntags * sizeof(*all));
	p->tags = all;
	p->ntags = nold + s->ntags;
	note->person = p;
}

/*
 * The first text of an item that opened with a link: when it stands
 * right after the link's "[", the box is read from the source line.
 */
static void
box_behind_link(struct scan *s, struct li *li, MD_TEXTTYPE type,
    const char *p)
{
	const char *stop = s->buf + s->len;

	li->link_first = 0;
	if (type == MD_TEXT_NORMAL && in_source(s, p) && p > s->buf &&
	    p[-1] == '[') {
		li->first = p - 1;
		li->leadlen = (size_t)(stop - li->first);
		if (li->leadlen > LEAD_MAX)
			li->leadlen = LEAD_MAX;
		memcpy(li->lead, li->first, li->leadlen);
	}
	decide(s, li);
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *p, MD_SIZE size, void *userdata)
{
	struct scan *s = userdata;
	struct li *li = top(s);

	if (s->href_pending && li != NULL && in_source(s, p)) {
		s->href_pending = 0;
		if (on_first_line(li, p))
			keep_link(s, s->href.buf, s->href.len);
	}
	if (type == MD_TEXT_NORMAL)
		inline_tags(s, p, size);
	if (s->in_query && type == MD_TEXT_CODE) {
		query_text(s, p, size);
		return 0;
	}
	if (s->in_heading && p >= s->buf && p + size <= s->buf + s->len) {
		if (s->heading_first == NULL)
			s->heading_first = p;
		s->heading_last = p + size;
	}
	if (li == NULL || (li->state != LI_START && li->state != LI_LEAD))
		return 0;
	if (li->link_first) {
		box_behind_link(s, li, type, p);
		return 0;
	}
	if (type != MD_TEXT_NORMAL) {
		decide(s, li);
		return 0;
	}
	if (li->state == LI_START) {
		li->state = LI_LEAD;
		li->first = p;
	}
	if (li->leadlen < LEAD_MAX) {
		size_t take = LEAD_MAX - li->leadlen;

		if (take > size)
			take = size;
		memcpy(li->lead + li->leadlen, p, take);
		li->leadlen += take;
	}
	return 0;
}

/* Could '#' at p start an inline tag (tagrule.h)? */
static int
may_start_tag(const char *body, const char *p, const char *end)
{
	unsigned char next = p + 1 < end ? (unsigned char)p[1] : ' ';

	return (p == body || is_blank(p[-1])) && !is_blank((char)next) &&
	    next != '#';
}

/*
 * Cheap test before md4c: can this body hold a task, a query or an
 * inline tag at all?
 */
static int
may_hold_tasks(const char *body, size_t n)
{
	const char *p = body, *end = body + n;

	while ((p = memchr(p, '#', (size_t)(end - p))) != NULL) {
		if (may_start_tag(body, p, end))
			return 1;
		p++;
	}
	p = body;

	while ((p = memchr(p, '[', (size_t)(end - p))) != NULL) {
		if (end - p >= 3 && (p[2] == ']' || (unsigned char)p[1] >= 0x80))
			return 1;
		p++;
	}
	return memmem(body, n, "tasks", 5) != NULL;
}

int
body_scan(struct vault *v, size_t note, const char *buf, size_t len,
    size_t body_off, const struct query_file *qf, struct diag_list *dl)
{
	MD_PARSER parser = {
		.abi_version = 0,
		.flags = MD_FLAG_WIKILINKS,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	struct scan s = {
		.v = v,
		.note = note,
		.path = v->notes[note].path,
		.buf = buf,
		.len = len,
		.dl = dl,
		.cursor_line = 1,
		.qline = STRBUF_INIT,
		.href = STRBUF_INIT,
		.settings = vault_settings(v),
		.qfile = qf,
	};
	int rc = 0;

	if (body_off >= len || !may_hold_tasks(buf + body_off, len - body_off))
		return 0;
	s.filename_date = obsidian_filename_date(s.settings, s.path);
	if (md_parse(buf + body_off, (MD_SIZE)(len - body_off), &parser,
	    &s) != 0) {
		diag_error(dl, DIAG_NOTE, s.path, 0, NULL,
		    "the Markdown parser gave up on this note");
		rc = -1;
	}
	/* md4c gave up inside a task's first paragraph: store it as read. */
	for (; s.depth > 0; s.depth--)
		if (s.stack[s.depth - 1].state == LI_TASK_TEXT)
			keep_task_text(&s, &s.stack[s.depth - 1]);
	keep_inline_tags(&s);
	free(s.links);
	free(s.tags);
	free(s.deps);
	free(s.stack);
	free(s.qlines);
	strbuf_release(&s.qline);
	strbuf_release(&s.href);
	return rc;
}

/* ------------------------------------------------ links in a property */

struct property_links {
	void (*fn)(void *arg, const char *path, size_t len);
	void *arg;
	struct strbuf href;
};

static int
property_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct property_links *pl = userdata;
	const MD_ATTRIBUTE *href;

	if (type != MD_SPAN_A)
		return 0;
	href = &((MD_SPAN_A_DETAIL *)detail)->href;
	if (linkpath_from_href(href->text, href->size, &pl->href) &&
	    pl->href.len > 0)
		pl->fn(pl->arg, pl->href.buf, pl->href.len);
	return 0;
}

static int
property_leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	(void)type;
	(void)detail;
	(void)userdata;
	return 0;
}

static int
property_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	(void)type;
	(void)detail;
	(void)userdata;
	return 0;
}

static int
property_text(MD_TEXTTYPE type, const MD_CHAR *p, MD_SIZE size,
    void *userdata)
{
	(void)type;
	(void)p;
	(void)size;
	(void)userdata;
	return 0;
}

void
body_markdown_links(const char *s, size_t len,
    void (*fn)(void *arg, const char *path, size_t len), void *arg)
{
	MD_PARSER parser = {
		.abi_version = 0,
		.flags = MD_FLAG_WIKILINKS,
		.enter_block = property_block,
		.leave_block = property_block,
		.enter_span = property_span,
		.leave_span = property_leave_span,
		.text = property_text,
	};
	struct property_links pl = { fn, arg, STRBUF_INIT };

	/* Most properties hold wikilinks or none: no parse for them. */
	if (memmem(s, len, "](", 2) == NULL)
		return;
	md_parse(s, (MD_SIZE)len, &parser, &pl);
	strbuf_release(&pl.href);
}
