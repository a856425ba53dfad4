/*
 * tasks.c - `followup tasks`: every task of the vault as the Tasks plugin
 * reads it (docs/rules.md, "Tasks"), open and closed, with each field it
 * peels from the line. It is what a query block chooses from, and what
 * one compares with Obsidian to see whether a line means what it seems.
 *
 * The JSON is written one task at a time, so memory does not grow with
 * the output.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../core/date.h"
#include "../core/engine.h"
#include "../core/obsidian.h"
#include "../core/report.h"
#include "../core/task.h"
#include "../core/util.h"

enum { OPT_FORMAT = OPT_FIRST_COMMAND_OPTION };

enum tasks_format { TASKS_JSON, TASKS_TEXT };

static int
tasks_option(struct common *c, int opt, const char *arg, void *ctx)
{
	enum tasks_format *format = ctx;

	if (opt != OPT_FORMAT)
		return usage_error(c, "unknown option");
	if (strcmp(arg, "json") == 0)
		*format = TASKS_JSON;
	else if (strcmp(arg, "text") == 0)
		*format = TASKS_TEXT;
	else
		return usage_error(c, "--format must be text or json, not "
		    "\"%s\"", arg);
	return 0;
}

/* A date field: "YYYY-MM-DD", null when absent, "invalid" off the calendar. */
static json_t *
date_json(int day)
{
	char buf[DATE_BUFSZ];

	if (day == DATE_NONE)
		return json_null();
	if (day == DATE_INVALID)
		return json_string("invalid");
	return json_string(date_format(day, buf));
}

/* "in_progress" → "IN_PROGRESS": the type as Tasks spells it. */
static json_t *
status_type_json(enum task_status st)
{
	char buf[16];
	const char *name = task_status_name(st);
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(buf); i++)
		buf[i] = (char)toupper((unsigned char)name[i]);
	buf[i] = '\0';
	return json_string(buf);
}

static json_t *
status_json(const struct obsidian_settings *s, const struct task *t)
{
	/* A 4-byte symbol fills the field with no NUL after it. */
	size_t n = strnlen(t->symbol, sizeof(t->symbol));
	const struct status_def *def = obsidian_status(s, t->symbol, n);
	json_t *o = json_object();

	json_object_set_new(o, "symbol", json_stringn(t->symbol, n));
	json_object_set_new(o, "name", report_json_text(def->name));
	json_object_set_new(o, "type", status_type_json(task_status(t)));
	return o;
}

/* Its tags, from the description, less the global filter (Task.ts). */
static json_t *
tags_json(const struct obsidian_settings *s, const struct strbuf *desc)
{
	json_t *arr = json_array();
	size_t pos = 0, len;
	const char *tag;

	while (task_next_tag(desc->buf, desc->len, &pos, &tag, &len)) {
		if (s->global_filter != NULL &&
		    strlen(s->global_filter) == len &&
		    memcmp(s->global_filter, tag, len) == 0)
			continue;
		json_array_append_new(arr, json_stringn(tag, len));
	}
	return arr;
}

static json_t *
depends_json(const struct task_more *m)
{
	json_t *arr = json_array();
	uint32_t i;

	for (i = 0; m != NULL && i < m->ndepends_on; i++)
		json_array_append_new(arr, report_json_text(m->depends_on[i]));
	return arr;
}

static void
add_more_dates(json_t *o, const struct task_more *m)
{
	static const struct task_more none = { DATE_NONE, DATE_NONE,
		DATE_NONE, DATE_NONE, DATE_NONE, NULL, NULL, NULL, 0 };

	if (m == NULL)
		m = &none;
	json_object_set_new(o, "scheduled", date_json(m->scheduled));
	json_object_set_new(o, "start", date_json(m->start));
	json_object_set_new(o, "created", date_json(m->created));
	json_object_set_new(o, "done", date_json(m->done));
	json_object_set_new(o, "cancelled", date_json(m->cancelled));
}

static json_t *
task_json(const struct vault *v, const struct task *t, struct strbuf *desc)
{
	const struct obsidian_settings *s = vault_settings(v);
	json_t *o = json_object();

	task_description(t, s, 0, desc);
	json_object_set_new(o, "path", report_json_text(
	    v->notes[t->note].path));
	json_object_set_new(o, "line", json_integer(t->line));
	json_object_set_new(o, "status", status_json(s, t));
	json_object_set_new(o, "description", report_json_text(desc->buf));
	json_object_set_new(o, "due", date_json(t->due));
	add_more_dates(o, t->more);
	json_object_set_new(o, "priority", json_string(task_priority_name(
	    (enum task_priority)t->priority)));
	json_object_set_new(o, "recurrence", report_json_text(t->more ?
	    t->more->recurrence : NULL));
	json_object_set_new(o, "id", report_json_text(t->more &&
	    t->more->id ? t->more->id : ""));
	json_object_set_new(o, "depends_on", depends_json(t->more));
	json_object_set_new(o, "tags", tags_json(s, desc));
	json_object_set_new(o, "heading", report_json_text(t->heading ?
	    v->headings[t->heading - 1] : NULL));
	json_object_set_new(o, "sub_item", json_boolean(t->flags &
	    TASK_SUB_ITEM));
	return o;
}

/* Dump o compactly after prefix; it is freed. */
static void
put_json(FILE *out, const char *prefix, json_t *o)
{
	fputs(prefix, out);
	if (json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_ENCODE_ANY) != 0)
		BUG("json_dumpf failed");
	json_decref(o);
}

static void
print_diags_json(FILE *out, const struct diag_list *dl, enum diag_level lv,
    const char *key)
{
	const char *sep = "";
	size_t i;

	fprintf(out, "\"%s\":[", key);
	for (i = 0; i < dl->n; i++)
		if (dl->items[i].level == lv) {
			put_json(out, sep, report_diag_json(&dl->items[i]));
			sep = ",\n";
		}
	fputs("]", out);
}

static void
print_json(FILE *out, const struct scan_result *r)
{
	const struct vault *v = &r->vault;
	struct strbuf desc = STRBUF_INIT;
	const char *sep = "\n";
	size_t i;

	fputs("{\"tasks\":[", out);
	for (i = 0; i < v->ntasks; i++) {
		put_json(out, sep, task_json(v, &v->tasks[i], &desc));
		sep = ",\n";
	}
	fputs("\n],\n", out);
	print_diags_json(out, &r->diags, DIAG_ERROR, "errors");
	fputs(",\n", out);
	print_diags_json(out, &r->diags, DIAG_WARNING, "warnings");
	fputs("}\n", out);
	strbuf_release(&desc);
}

/* "People/Ana.md:12 [x] call about the invoice", one line each, made safe. */
static void
print_text(FILE *out, const struct scan_result *r)
{
	const struct vault *v = &r->vault;
	struct strbuf desc = STRBUF_INIT, line = STRBUF_INIT;
	size_t i;

	for (i = 0; i < v->ntasks; i++) {
		const struct task *t = &v->tasks[i];

		task_description(t, vault_settings(v), 0, &desc);
		strbuf_reset(&line);
		strbuf_addf(&line, "%s:%u [%.*s] ", v->notes[t->note].path,
		    (unsigned)t->line, (int)sizeof(t->symbol), t->symbol);
		strbuf_add(&line, desc.buf, desc.len);
		strbuf_reset(&desc);
		strbuf_add_utf8_mended(&desc, line.buf, line.len,
		    UTF8_CONTROLS_AS_SPACE);
		fprintf(out, "%s\n", desc.buf);
	}
	strbuf_release(&desc);
	strbuf_release(&line);
}

static int
cmd_tasks(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ NULL, 0, NULL, 0 },
	};
	enum tasks_format format = TASKS_TEXT;
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	int rc;

	common_init(&c, cmd);
	c.tasks = ENGINE_ALL_TASKS;	/* it lists done ones too */
	if ((rc = common_parse(&c, argc, argv, options, tasks_option,
	    &format)) >= 0)
		goto out;
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}
	if ((rc = common_scan_or_report(&c, &r)) != 0)
		goto out;
	if (format == TASKS_JSON)
		print_json(stdout, &r);
	else
		print_text(stdout, &r);
	fflush(stdout);	/* the tasks first, then what went wrong */
	common_print_diags(&c, &r.diags);
	rc = diag_exit_status(&r.diags);
	scan_result_release(&r);
out:
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}

static void
tasks_help(FILE *out)
{
	fprintf(out, "Options:\n  --format text|json  output format (default "
	    "text)\n");
}

const struct command cmd_tasks_entry = {
	.name = "tasks",
	.summary = "List every task of the vault as Obsidian Tasks reads it.",
	.help = tasks_help,
	.run = cmd_tasks,
};
