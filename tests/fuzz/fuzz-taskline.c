/*
 * fuzz-taskline - libFuzzer harness for the task line as Tasks reads it
 * (core/task.c). The first byte picks the format (emoji or Dataview); the
 * rest is one line. It asserts what task.h promises:
 *   - every span lies inside the line: the body, the description before
 *     the tags, each field's text;
 *   - a date is a calendar day, DATE_NONE, or DATE_INVALID, and an
 *     invalid one is reported by task_line_check();
 *   - the checkbox, the list prefix and the tags stay inside the line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/task.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz-taskline: %s\n", what);
		abort();
	}
}

static void
check_span(const char *line, size_t n, struct task_span sp, const char *what)
{
	if (sp.n == 0)
		return;
	check(sp.p >= line && sp.p + sp.n <= line + n, what);
}

static void
check_read(const char *line, size_t n, int dataview)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct task_line tl;
	size_t i, invalid = 0;

	task_line_read(line, n, dataview, &tl);
	check_span(line, n, tl.body, "body outside the line");
	check(tl.desclen <= tl.body.n, "description longer than the body");
	check(tl.ntags <= TASK_LINE_RUNS, "too many tags");
	for (i = 0; i < tl.ntags; i++) {
		check_span(line, n, tl.tags[i], "tag outside the line");
		check(tl.tags[i].p >= tl.body.p + tl.desclen,
		    "trailing tag inside the description");
	}
	for (i = 0; i <= TD_LAST; i++) {
		check_span(line, n, tl.date_text[i], "date outside the line");
		invalid += tl.dates[i] == DATE_INVALID;
	}
	check_span(line, n, tl.recurrence, "recurrence outside the line");
	check_span(line, n, tl.on_completion, "on completion outside");
	check_span(line, n, tl.id, "id outside the line");
	check_span(line, n, tl.depends_on, "depends on outside the line");
	check((unsigned)tl.priority <= PRIORITY_LAST, "priority out of range");
	task_line_check(&tl, "n.md", 1, &dl);
	check(dl.n == invalid, "an invalid date not reported, or one too many");
	diag_list_release(&dl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line, *tag;
	char sym[5];
	size_t n, pos = 0, len, indent;

	if (size < 1)
		return 0;
	line = (const char *)data + 1;
	n = size - 1;
	check_read(line, n, data[0] & 1);
	while (task_next_tag(line, n, &pos, &tag, &len))
		check(tag >= line && tag + len <= line + n && len > 0 &&
		    tag[0] == '#' && pos <= n, "tag outside the line");
	if (task_line_prefix(line, n, &indent))
		check(indent <= n, "indent past the line");
	len = task_checkbox(line, n, sym);
	check(len <= n, "checkbox past the line");
	return 0;
}
