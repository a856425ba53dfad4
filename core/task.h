/*
 * task.h - Obsidian Tasks lines: find them in a note's body and read their
 * grammar (status, due date, tags, wikilinks).
 *
 * Structure comes from md4c: a task is a list item whose first paragraph
 * begins with the text "[c] " (c one character), so that items in code
 * blocks, HTML blocks or headings never count and the result agrees with
 * CommonMark (tests/integration/cmark_diff.py checks this against cmark).
 * Inside the same walk, fenced code blocks whose info string is "tasks" are
 * handed to query.h.
 *
 * Everything task_scan_body() extracts lives in the vault's arena.
 */
#ifndef FOLLOWUP_TASK_H
#define FOLLOWUP_TASK_H

#include <stddef.h>
#include <stdint.h>

struct vault;
struct diag_list;
struct arena;

enum task_status {
	TASK_TODO,
	TASK_IN_PROGRESS,
	TASK_DONE,
	TASK_CANCELLED,
};

/*
 * A vault holds every open task at once: 48 bytes each, the strings in
 * the arena.
 */
struct task {
	const char *text;	/* rest of the first line after "[c] ", trimmed */
	/*
	 * Its tags (without '#', as written), then its wikilink targets (as
	 * written, before '|'): see task_tags() and task_links().
	 */
	const char **words;
	uint32_t note;		/* index in vault->notes */
	int line;		/* 1-based, in the file */
	int due;		/* day number or DATE_NONE */
	uint32_t ntags, nlinks;
	char symbol[5];		/* the status character, UTF-8 */
	unsigned char status;	/* enum task_status */
};

static inline const char *const *
task_tags(const struct task *t)
{
	return t->words;
}

static inline const char *const *
task_links(const struct task *t)
{
	return t->words + t->ntags;
}

/* " " and other unknown symbols are todo, "/" in progress, ... (rules.md). */
enum task_status task_status_from_symbol(const char *sym, size_t len);
const char *task_status_name(enum task_status st);	/* "todo", ... */
int task_is_open(const struct task *t);

/*
 * Read "[c] " at the start of s. On success returns the length of the
 * checkbox including its trailing space and fills sym (NUL-terminated)
 * and *st; returns 0 when s does not start with a checkbox.
 */
size_t task_checkbox(const char *s, size_t n, char sym[5],
    enum task_status *st);

/*
 * Read the due date and tags of a task's text (one line). An impossible
 * due date is reported on dl as an error at path:line and leaves *due at
 * DATE_NONE. Tags are allocated in a.
 */
void task_read_fields(struct arena *a, const char *text, size_t n,
    const char *path, int line, int *due, const char ***tags, size_t *ntags,
    struct diag_list *dl);

/*
 * Walk the body of note `note` of vault v with md4c. buf/len is the whole
 * file (line numbers count from its start); body_off is where the body
 * begins. Appends tasks and query blocks to v. Returns 0, or -1 when md4c
 * gave up (reported on dl).
 */
int task_scan_body(struct vault *v, size_t note, const char *buf, size_t len,
    size_t body_off, struct diag_list *dl);

#endif
