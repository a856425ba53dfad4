/*
 * query.h - read the ```tasks query blocks of Obsidian Tasks 8.3.0 as
 * Tasks reads them (docs/rules.md, "Query blocks"): `\` continuation
 * lines, placeholders, comments, presets, the global query, the
 * presentation lines (ignored, but for `limit`), every filter family and
 * their Boolean combinations. select.h runs them.
 *
 * A block Tasks would show an error for is never guessed at: its error
 * is kept in the query (it selects nothing) and reported as a warning
 * naming the file and line. Date phrases stay relative (datephrase.h)
 * and are resolved against the run's today when the block is run.
 *
 * Memory: what a parsed query points at lives in the arena a.
 */
#ifndef FOLLOWUP_QUERY_H
#define FOLLOWUP_QUERY_H

#include <stddef.h>

#include "model.h"

struct arena;
struct diag_list;
struct obsidian_settings;
struct strbuf;

/*
 * A frontmatter property of the query's note (TasksFile.property()): a
 * scalar's text, or a list's scalar items. Borrowed for query_parse().
 */
struct query_property {
	const char *name;
	size_t namelen;
	const char **items;	/* one for a scalar; a list's, in order */
	size_t *lens;
	size_t nitems;
	int is_list;
};

/*
 * The query's note, as the placeholders and TQ_* defaults read it. The
 * properties are read from its frontmatter (yaml, yamllen; NULL: none)
 * only when a block needs them: load, when set, MUST fill props and
 * nprops (once; later calls do nothing).
 */
struct query_file {
	const struct query_property *props;
	size_t nprops;
	const char *yaml;
	size_t yamllen;
	void (*load)(const struct query_file *qf);
	void *ctx;		/* load's */
};

/* One line of a block's body, with its line number in the file. */
struct query_line {
	int line;
	const char *text;
	size_t len;
};

/*
 * Parse a block's lines for note n (whose vault-relative path is path),
 * with the vault's settings (presets, global query; NULL: none) and the
 * note's properties (file; NULL: none): its TQ_extra_instructions come
 * before the block's lines (Query File Defaults.md). Fills
 * *q, always: on an error q->error says why and the function returns -1
 * after a warning on dl; else 0.
 */
int query_parse(struct arena *a, const char *path, size_t note,
    int fence_line, const struct query_line *lines, size_t nlines,
    const struct obsidian_settings *settings, const struct query_file *file,
    struct query *q, struct diag_list *dl);

/* The parsed expression in postfix, one line (for tests and debugging). */
void query_print(const struct query *q, struct strbuf *out);

#endif
