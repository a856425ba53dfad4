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

#include "diag.h"
#include "query.h"
#include "store.h"
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
	char lead[LEAD_MAX];
	size_t leadlen;
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

	struct li *stack;
	size_t depth, cap;

	/* The wikilinks of the task being read (one at a time). */
	const char **links;
	size_t nlinks, caplinks;

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

/*
 * The rest of the line after "[c] ", trimmed, or NULL when there is none
 * or when the checkbox is not written literally: "\\[ ] a" and "&#91; ] a"
 * read as "[ ] a" but their author asked for a bracket, not a checkbox.
 */
static const char *
rest_of_line(const struct scan *s, const struct li *li, size_t *len)
{
	const char *p = li->first, *stop = s->buf + s->len, *end;
	char sym[5];
	enum task_status st;
	size_t avail, box;

	if (p > s->buf && p[-1] == '\\')
		return NULL;
	end = memchr(p, '\n', (size_t)(stop - p));
	avail = (size_t)((end ? end : stop) - p);
	box = task_checkbox(p, avail, sym, &st);
	if (box == 0)
		return NULL;
	p += box;
	avail -= box;
	trim_span(&p, &avail);
	*len = avail;
	return avail ? p : NULL;
}

/*
 * A task is stored once its first paragraph is over: its wikilinks are
 * known then, and go in one record with its text.
 */
static void
add_task(struct scan *s, struct li *li, const char *sym,
    enum task_status st, const char *text, size_t textlen)
{
	struct vault *v = s->v;
	struct task *t = store_task(v, s->note);

	t->line = (unsigned)line_of(s, li->first);
	memcpy(t->symbol, sym, strnlen(sym, sizeof(t->symbol)));
	(void)st;	/* the symbol says it: task_status() */
	task_read_dates(t, text, textlen, s->path, s->dl);
	li->task = v->ntasks - 1;
	li->text = text;
	li->textlen = textlen;
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

/* The leading text of the item is over: is it a task? */
static void
decide(struct scan *s, struct li *li)
{
	char sym[5];
	enum task_status st;
	const char *text;
	size_t textlen;

	if (li->state != LI_START && li->state != LI_LEAD)
		return;
	li->state = LI_DONE;
	if (li->first == NULL ||
	    task_checkbox(li->lead, li->leadlen, sym, &st) == 0)
		return;
	text = rest_of_line(s, li, &textlen);
	if (text == NULL)
		return;
	if (st == TASK_DONE || st == TASK_CANCELLED) {
		/*
		 * A closed task is never anyone's open item: it is checked
		 * (a bad due date is still an error) but not kept, which
		 * keeps memory down on large vaults.
		 */
		if (!s->v->keep_closed_tasks) {
			struct task closed = { .line = (unsigned)line_of(s,
			    li->first) };

			task_read_dates(&closed, text, textlen, s->path, s->dl);
			return;
		}
	}
	add_task(s, li, sym, st, text, textlen);
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
	if (query_parse(&v->arena, s->path, s->note, s->query_fence_line,
	    s->qlines, s->nqlines, &q, s->dl) != 0)
		return;
	store_query(v, &q);
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
add_link(struct scan *s, const MD_ATTRIBUTE *target)
{
	const char *p = target->text;
	size_t n = target->size;
	const char *bar = memchr(p, '|', n);

	if (bar != NULL)
		n = (size_t)(bar - p);
	trim_span(&p, &n);
	if (n > 0) {
		GROW(s->links, s->caplinks, s->nlinks + 1);
		s->links[s->nlinks++] = store_name(s->v, p, n);
	}
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct scan *s = userdata;
	struct li *li = top(s);

	if (li == NULL)
		return 0;
	decide(s, li);
	if (li->state == LI_TASK_TEXT && type == MD_SPAN_WIKILINK)
		add_link(s, &((MD_SPAN_WIKILINK_DETAIL *)detail)->target);
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	(void)type;
	(void)detail;
	(void)userdata;
	return 0;
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *p, MD_SIZE size, void *userdata)
{
	struct scan *s = userdata;
	struct li *li = top(s);

	if (s->in_query && type == MD_TEXT_CODE) {
		query_text(s, p, size);
		return 0;
	}
	if (li == NULL || (li->state != LI_START && li->state != LI_LEAD))
		return 0;
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

/* Cheap test before md4c: can this body hold a task or a query at all? */
static int
may_hold_tasks(const char *body, size_t n)
{
	const char *p = body, *end = body + n;

	while ((p = memchr(p, '[', (size_t)(end - p))) != NULL) {
		if (end - p >= 3 && (p[2] == ']' || (unsigned char)p[1] >= 0x80))
			return 1;
		p++;
	}
	return memmem(body, n, "tasks", 5) != NULL;
}

int
body_scan(struct vault *v, size_t note, const char *buf, size_t len,
    size_t body_off, struct diag_list *dl)
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
	};
	int rc = 0;

	if (body_off >= len || !may_hold_tasks(buf + body_off, len - body_off))
		return 0;
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
	free(s.links);
	free(s.stack);
	free(s.qlines);
	strbuf_release(&s.qline);
	return rc;
}
