/*
 * body.h - the Markdown walk of a note's body: its tasks and its
 * ```tasks query blocks, found with md4c in one pass.
 *
 * Structure comes from md4c: a task is a list item whose first paragraph
 * begins with the text "[c] " (c one character), so that items in code
 * blocks, HTML blocks or headings never count and the result agrees with
 * CommonMark (tests/integration/cmark_diff.py checks this against cmark).
 * A line that is a task is read by task.h's grammar; a fenced code block
 * whose info string is "tasks" is handed to query_parse().
 *
 * What the walk finds goes into the vault through the store: link
 * targets (wikilinks as written, markdown links' hrefs decoded by
 * linkpath_from_href()) kept once per name when the vault has a set of
 * names; the note's inline tags (tagrule.h) join its frontmatter tags.
 */
#ifndef FOLLOWUP_BODY_H
#define FOLLOWUP_BODY_H

#include <stddef.h>

struct vault;
struct diag_list;
struct query_file;

/*
 * Walk the body of note `note` (an index in v->notes). buf/len is the
 * whole file (line numbers count from its start); body_off is where the
 * body begins. Appends tasks and query blocks to v; the blocks read the
 * note's properties in qf (NULL: none). Returns 0, or -1 when md4c gave
 * up (reported on dl).
 */
int body_scan(struct vault *v, size_t note, const char *buf, size_t len,
    size_t body_off, const struct query_file *qf, struct diag_list *dl);

/*
 * Call fn with the vault link of each markdown link [t](href) in the
 * text s[0..len) (a property's value), decoded as linkpath_from_href()
 * does; links with a scheme are left out. path is borrowed for the call
 * and not NUL-terminated.
 */
void body_markdown_links(const char *s, size_t len,
    void (*fn)(void *arg, const char *path, size_t len), void *arg);

#endif
