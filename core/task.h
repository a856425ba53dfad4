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
 * Wikilink targets are kept once per name when the vault has a set of
 * names (vault.h).
 */
#ifndef FOLLOWUP_TASK_H
#define FOLLOWUP_TASK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
 * A vault holds every open task at once: 24 bytes each, its text in the
 * arena (in one record with its wikilinks), its status read from its
 * symbol and its tags from its text when asked.
 */
struct task {
	/*
	 * The rest of the first line after "[c] ", trimmed. When it has
	 * wikilinks, their targets (as written, before '|') and their count
	 * come just before it: see task_link().
	 */
	const char *text;
	uint32_t note;		/* index in vault->notes */
	unsigned line : 31;	/* 1-based, in the file */
	unsigned has_links : 1;
	int due;		/* day number or DATE_NONE */
	char symbol[4];		/* the status character, UTF-8, NUL-padded */
};

/* The record before the text: nlinks pointers, then nlinks (uint32_t). */
static inline size_t
task_nlinks(const struct task *t)
{
	uint32_t n = 0;

	if (t->has_links)
		memcpy(&n, t->text - sizeof(n), sizeof(n));
	return n;
}

/* Wikilink target k (< task_nlinks()); the record need not be aligned. */
static inline const char *
task_link(const struct task *t, size_t k)
{
	const char *link;

	memcpy(&link, t->text - sizeof(uint32_t) -
	    (task_nlinks(t) - k) * sizeof(link), sizeof(link));
	return link;
}

/*
 * Store text[0..len) and the nlinks pointers at links as the record
 * task_link() reads, in v's arena. Returns the copy's text.
 */
const char *task_store_text(struct vault *v, const char *text, size_t len,
    const char *const *links, size_t nlinks);

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
