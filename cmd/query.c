/*
 * query.c - `followup query`: every ```tasks block of the vault and the
 * tasks it selects, as Obsidian Tasks would list them (every status,
 * closed tasks too; not followup's contact rules; in Tasks' order: its
 * groups, then the block's `sort by` lines and Tasks' default sort), in
 * text or JSON.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../core/engine.h"
#include "../core/report.h"
#include "../core/select.h"
#include "../core/store.h"
#include "../core/util.h"

enum { OPT_FORMAT = OPT_FIRST_COMMAND_OPTION };

struct query_options {
	int json;
};

/* One block's selection, in the order Tasks lists it (query_sort()). */
struct picked {
	size_t *tasks;
	size_t n, cap;
};

struct picks {
	struct picked *by_query;
};

static void
on_selected(void *arg, size_t i, size_t task)
{
	struct picks *p = arg;
	struct picked *q = &p->by_query[i];

	GROW(q->tasks, q->cap, q->n + 1);
	q->tasks[q->n++] = task;
}

static const struct vault *order_vault;	/* qsort has no argument */

static int
query_order(const void *pa, const void *pb)
{
	const struct query *a = &order_vault->queries[*(const size_t *)pa];
	const struct query *b = &order_vault->queries[*(const size_t *)pb];
	int c = strcmp(order_vault->notes[a->note].path,
	    order_vault->notes[b->note].path);

	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* Does diag d fall in block q of note path (its fence to its last line)? */
static int
diag_in_block(const struct diag *d, const char *path, const struct query *q)
{
	size_t dl, pl;

	if (d->path == NULL || d->line < q->line || d->line > q->end_line)
		return 0;
	dl = strlen(d->path);
	pl = strlen(path);
	return dl >= pl && strcmp(d->path + dl - pl, path) == 0 &&
	    (dl == pl || d->path[dl - pl - 1] == '/');
}

static void
print_text(const struct scan_result *r, const size_t *order, size_t n,
    const struct picks *p)
{
	const struct vault *v = &r->vault;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct query *q = &v->queries[order[i]];
		const struct picked *pk = &p->by_query[order[i]];

		report_printf_shown(stdout, "%s:%d: %zu selected%s%s",
		    v->notes[q->note].path, q->line, pk->n, q->error ?
		    "; error: " : "", q->error ? q->error : "");
		putchar('\n');
		for (k = 0; k < pk->n; k++) {
			const struct task *t = &v->tasks[pk->tasks[k]];

			report_printf_shown(stdout, "  %s:%u: %s",
			    v->notes[t->note].path, (unsigned)t->line, t->text);
			putchar('\n');
		}
	}
}

static void
print_json(const struct scan_result *r, const size_t *order, size_t n,
    const struct picks *p)
{
	const struct vault *v = &r->vault;
	json_t *root = json_object(), *list = json_array();
	size_t i, k;
	char *out;

	for (i = 0; i < n; i++) {
		const struct query *q = &v->queries[order[i]];
		const struct picked *pk = &p->by_query[order[i]];
		const char *path = v->notes[q->note].path;
		json_t *o = json_object(), *sel = json_array(),
		    *warn = json_array();

		json_object_set_new(o, "path", json_string(path));
		json_object_set_new(o, "line", json_integer(q->line));
		for (k = 0; k < pk->n; k++) {
			const struct task *t = &v->tasks[pk->tasks[k]];
			json_t *s = json_object();

			json_object_set_new(s, "path",
			    json_string(v->notes[t->note].path));
			json_object_set_new(s, "line", json_integer(t->line));
			json_array_append_new(sel, s);
		}
		json_object_set_new(o, "selected", sel);
		json_object_set_new(o, "error", q->error ?
		    json_string(q->error) : json_null());
		for (k = 0; k < r->diags.n; k++)
			if (diag_in_block(&r->diags.items[k], path, q))
				json_array_append_new(warn, json_string(
				    r->diags.items[k].message));
		json_object_set_new(o, "warnings", warn);
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "queries", list);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (out == NULL)
		BUG("json_dumps failed");
	printf("%s\n", out);
	free(out);
	json_decref(root);
}

static int
query_option(struct common *c, int opt, const char *arg, void *ctx)
{
	struct query_options *o = ctx;

	if (opt != OPT_FORMAT)
		return usage_error(c, "unknown option");
	if (strcmp(arg, "json") == 0)
		o->json = 1;
	else if (strcmp(arg, "text") == 0)
		o->json = 0;
	else
		return usage_error(c, "--format must be text or json, not "
		    "\"%s\"", arg);
	return 0;
}

static void
run_queries(const struct scan_result *r, int json)
{
	const struct vault *v = &r->vault;
	size_t n = v->nqueries, i;
	size_t *qs = xcalloc(n ? n : 1, sizeof(*qs));
	struct picks p;

	p.by_query = xcalloc(n ? n : 1, sizeof(*p.by_query));
	for (i = 0; i < n; i++)
		qs[i] = i;
	query_select(v, qs, n, r->today, on_selected, &p);
	for (i = 0; i < n; i++) {
		query_sort(v, &v->queries[i], r->today, p.by_query[i].tasks,
		    p.by_query[i].n);
		p.by_query[i].n = query_group(v, &v->queries[i], r->today,
		    p.by_query[i].tasks, p.by_query[i].n);
	}
	order_vault = v;
	if (n > 0)
		qsort(qs, n, sizeof(*qs), query_order);
	order_vault = NULL;
	if (json)
		print_json(r, qs, n, &p);
	else
		print_text(r, qs, n, &p);
	for (i = 0; i < n; i++)
		free(p.by_query[i].tasks);
	free(p.by_query);
	free(qs);
}

static int
cmd_query(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ NULL, 0, NULL, 0 },
	};
	struct query_options o = { 0 };
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	int rc;

	common_init(&c, cmd);
	c.tasks = ENGINE_ALL_TASKS;	/* a block may select done ones */
	if ((rc = common_parse(&c, argc, argv, options, query_option,
	    &o)) >= 0)
		goto out;
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}
	if ((rc = common_scan_or_report(&c, &r)) != 0)
		goto out;
	run_queries(&r, o.json);
	fflush(stdout);	/* the blocks first, then what went wrong */
	common_print_diags(&c, &r.diags);
	rc = diag_exit_status(&r.diags);
	scan_result_release(&r);
out:
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}

const struct command cmd_query_entry = {
	.name = "query",
	.summary = "List each tasks query block and the tasks it selects.",
	.usage = "Options:\n  --format text|json  output format (default "
	    "text)\n",
	.run = cmd_query,
};
