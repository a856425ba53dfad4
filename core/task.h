/*
 * task.h - the grammar of an Obsidian Tasks line: its checkbox and status,
 * its due date and its tags. Which list items are tasks at all is the
 * Markdown walk's business (body.h).
 *
 * Nothing here allocates but task_read_fields(), whose tags go in the
 * caller's arena.
 */
#ifndef FOLLOWUP_TASK_H
#define FOLLOWUP_TASK_H

#include <stddef.h>

#include "model.h"

struct diag_list;
struct arena;
struct strbuf;
struct obsidian_settings;

/*
 * The tags of text[0..n) one after the other, as Tasks finds them
 * (TaskRegularExpressions.hashTags: '#' at the start or after white
 * space, then anything but white space and !@#$%^&*(),.?":{}|<>), each
 * with its '#': start with *pos at 0; returns 1 with the next tag's
 * span, 0 at the end.
 */
int task_next_tag(const char *text, size_t n, size_t *pos,
    const char **tag, size_t *len);

const char *task_status_name(enum task_status st);	/* "todo", ... */
enum task_status task_status(const struct task *t);
int task_is_open(const struct task *t);
/* An open status: TODO, IN_PROGRESS, ON_HOLD (Tasks: not isCompleted()). */
int task_status_is_open(enum task_status st);

/*
 * Read "[c]" at the start of s, followed by white space or the end of s.
 * On success returns the length of the checkbox and of the one blank
 * after it, and fills sym (one UTF-8 character, NUL-terminated); returns
 * 0 when s does not start with a checkbox.
 */
size_t task_checkbox(const char *s, size_t n, char sym[5]);

/*
 * Is line[0..n), what comes before a checkbox on its line, the start of
 * a Tasks task line (TaskRegularExpressions.taskRegex: blanks and '>',
 * a list marker - * + 1. 1), then spaces)? *indent gets the length of
 * the blanks and '>' before the marker.
 */
int task_line_prefix(const char *line, size_t n, size_t *indent);

/*
 * Is a task whose indentation is indent[0..n) a sub-item, as `exclude
 * sub-items` sees it: any indentation but blockquote marks followed by
 * at most one space.
 */
int task_indent_is_sub_item(const char *indent, size_t n);

/* The dates a task line carries, in the order of struct task_line's dates. */
enum task_date {
	TD_DUE,
	TD_SCHEDULED,
	TD_START,
	TD_CREATED,
	TD_DONE,
	TD_CANCELLED,
};
#define TD_LAST TD_CANCELLED

/* Tasks' serializer runs its loop at most this often (maxRuns 20, <=). */
#define TASK_LINE_RUNS 21

/* One span of a task's text. */
struct task_span {
	const char *p;
	size_t n;
};

/*
 * What a task's text says, read the way Tasks' serializer reads it
 * (DefaultTaskSerializer.deserialize(), or the Dataview one's): the
 * block link removed first, then the fields it knows peeled from the end
 * of the line, in any order, until none is left; a field anywhere else
 * is text. Spans point into the text read.
 */
struct task_line {
	struct task_span body;	/* the text without its block link */
	size_t desclen;		/* the description: body.p[0..desclen) ... */
	struct task_span tags[TASK_LINE_RUNS];	/* ... then these, last first */
	size_t ntags;
	int dates[TD_LAST + 1];	/* day, DATE_NONE or DATE_INVALID */
	struct task_span date_text[TD_LAST + 1];	/* as written */
	enum task_priority priority;
	struct task_span recurrence, on_completion, id, depends_on;
};

/* Read text[0..n) (a task's text, trimmed) into *tl. */
void task_line_read(const char *text, size_t n, int dataview,
    struct task_line *tl);

/*
 * Report every date of tl that is not on the calendar as an error at
 * path:line (its field still reads as an invalid date, as in Tasks).
 */
void task_line_check(const struct task_line *tl, const char *path, int line,
    struct diag_list *dl);

/* Does tl carry anything struct task_more keeps? */
int task_line_has_more(const struct task_line *tl);

/* The date field's name: "due", "scheduled", ... */
const char *task_date_name(enum task_date d);

/*
 * The length of the JavaScript whitespace character (\s, what trim()
 * removes) that starts at s / ends at s + n, or 0.
 */
size_t js_space_at(const char *s, size_t n);
size_t js_space_before(const char *s, size_t n);
/* Remove JavaScript whitespace from both ends of the span. */
void js_trim(const char **s, size_t *n);

/*
 * The task's description as Tasks gives it (DefaultTaskSerializer's
 * deserialize(), or the Dataview format's): its text without the fields
 * peeled from the end of the line (dates, priority, recurrence, id,
 * dependencies, block id), the tags found among them put back at its end;
 * without the first occurrence of the global filter when strip_global is
 * set (what `description includes` searches). Into sb, reset first.
 */
void task_description(const struct task *t, const struct obsidian_settings *s,
    int strip_global, struct strbuf *sb);

/*
 * Priorities in the order `priority is above/below` compares them:
 * lowest 1, low 2, none 3, medium 4, high 5, highest 6.
 */
int task_priority_rank(enum task_priority p);
/* "highest", "high", "medium", "none", "low", "lowest". */
const char *task_priority_name(enum task_priority p);

#endif
