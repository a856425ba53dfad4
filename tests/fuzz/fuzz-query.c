/*
 * fuzz-query - libFuzzer harness for tasks query blocks: any bytes, cut
 * into lines, go through query_parse() (with a preset and a global
 * query), query_print(), and query_matches() on a few tasks. Any input
 * gives a query or an error, never a crash, a leak or a hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/obsidian.h"
#include "../../core/query.h"
#include "../../core/select.h"
#include "../../core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct query_preset presets[] = {
		{ "open", "not done\n(has due date) OR \\\n (no due date)" },
		{ "self", "preset self" },
	};
	static const char *deps[] = { "a1" };
	struct task_more more = { DATE_NONE, 20000, DATE_INVALID, DATE_NONE,
		DATE_NONE, "every week", "a1", deps, 1 };
	struct task tasks[2] = {
		{ .text = "call Ana #work/x \xF0\x9F\x93\x85 2026-01-08",
		    .symbol = " ", .due = 20460 },
		{ .text = "done thing", .symbol = "x", .status = TASK_DONE,
		    .more = &more, .due = DATE_NONE },
	};
	struct note note = { .path = "People/Ana Lima.md", .ntasks = 2 };
	static const char *items[] = { "Ana", "Bo" };
	static size_t lens[] = { 3, 2 };
#define TQ_TEXT "not done\n(has id) OR \\\n(no id)"
	static const char *tq[] = { TQ_TEXT };
	static size_t tqlen[] = { sizeof(TQ_TEXT) - 1 };
	static const struct query_property props[] = {
		{ "people", 6, items, lens, 2, 1 },
		{ "TQ_extra_instructions", 21, tq, tqlen, 1, 0 },
	};
	const struct query_file file = { props, 2, "TQ_", 3, NULL, NULL };
	struct obsidian_settings st;
	struct query_preset *own_presets;
	size_t own_npresets;
	char *own_global;
	struct vault v;
	struct arena a = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	struct query_line *lines;
	struct strbuf out = STRBUF_INIT;
	struct query_env *e;
	struct query q;
	size_t n = 0, i, start = 0;

	if (size > 200000)
		return 0;
	lines = xcalloc(size + 1, sizeof(*lines));
	for (i = 0; i <= size; i++)
		if (i == size || data[i] == '\n') {
			lines[n].line = (int)n + 2;
			lines[n].text = (const char *)data + start;
			lines[n].len = i - start;
			n++;
			start = i + 1;
		}
	obsidian_settings_defaults(&st);
	own_presets = st.presets;
	own_npresets = st.npresets;
	own_global = st.global_query;
	st.presets = presets;
	st.npresets = 2;
	st.global_query = (char *)"path does not include Archive/";
	query_parse(&a, note.path, 0, 1, lines, n, &st, &file, &q, &dl);
	query_print(&q, &out);
	memset(&v, 0, sizeof(v));
	v.notes = &note;
	v.nnotes = 1;
	v.tasks = tasks;
	v.ntasks = 2;
	v.settings = &st;
	e = query_env_new(&v, 20463);
	for (i = 0; i < 2; i++)
		(void)query_matches(e, &q, &tasks[i], &note);
	query_env_free(e);
	st.presets = own_presets;
	st.npresets = own_npresets;
	st.global_query = own_global;
	obsidian_settings_release(&st);
	strbuf_release(&out);
	diag_list_release(&dl);
	arena_free(&a);
	free(lines);
	return 0;
}
