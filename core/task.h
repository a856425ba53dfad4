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
 * The tags of text[0..n) one after the other (without '#', as written):
 * start with *pos at 0; returns 1 with the next tag's span, 0 at the end.
 */
int task_next_tag(const char *text, size_t n, size_t *pos,
    const char **tag, size_t *len);

/* " " and other unknown symbols are todo, "/" in progress, ... (rules.md). */
enum task_status task_status_from_symbol(const char *sym, size_t len);
const char *task_status_name(enum task_status st);	/* "todo", ... */
enum task_status task_status(const struct task *t);
int task_is_open(const struct task *t);

/*
 * Read "[c] " at the start of s. On success returns the length of the
 * checkbox including its trailing space and fills sym (NUL-terminated)
 * and *st; returns 0 when s does not start with a checkbox.
 */
size_t task_checkbox(const char *s, size_t n, char sym[5],
    enum task_status *st);

/*
 * The due date of a task's text (one line): the first 📅 📆 🗓 or
 * [due:: ] date. An impossible one is reported on dl as an error at
 * path:line and leaves *due at DATE_NONE, as does none.
 */
void task_read_due(const char *text, size_t n, const char *path, int line,
    int *due, struct diag_list *dl);

/*
 * The dates of task t from its text (one line; t->line says where it is
 * in the file at path, for the messages): today its due date, as
 * task_read_due() reads it. Every date a task line carries is read here,
 * so the Markdown walk need not know them.
 */
void task_read_dates(struct task *t, const char *text, size_t n,
    const char *path, struct diag_list *dl);

/*
 * Read the due date and tags of a task's text (one line), as
 * task_read_due() and task_next_tag() do. Tags are allocated in a.
 */
void task_read_fields(struct arena *a, const char *text, size_t n,
    const char *path, int line, int *due, const char ***tags, size_t *ntags,
    struct diag_list *dl);

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
