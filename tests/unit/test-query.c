/*
 * Unit tests: tasks query blocks parsed (core/query.c): each block's
 * lines, and the postfix expression query_print() gives, or its error.
 */
#include <stdlib.h>

#include "../../core/diag.h"
#include "../../core/obsidian.h"
#include "../../core/query.h"
#include "../../core/util.h"
#include "unit.h"

static const struct {
	const char *lines;	/* "\n" between a block's lines */
	const char *tree;	/* query_print(), or "error: ..." (a prefix) */
} cases[] = {
	{ "not done", "[!done top]" },
	{ "NOT DONE", "[!done top]" },
	{ "done\npath includes a", "[done top] [path \"a\" top] AND" },
	{ "path includes {{query.file.folder}}",
	    "[path \"Meetings/2025/\" top]" },
	{ "filename includes {{query.file.filenameWithoutExtension}}",
	    "[filename \"Ana Lima\" top]" },
	{ "path includes {{query.file.pathWithoutExtension}}",
	    "[path \"Meetings/2025/Ana Lima\" top]" },
	{ "path includes {{query.file.root}}", "[path \"Meetings/\" top]" },
	{ "path includes {{ query.file.path }}",
	    "[path \"Meetings/2025/Ana Lima.md\" top]" },
	{ "description includes {{query.file.nope}}",
	    "error: unknown placeholder" },
	/* A missing property is Tasks' "invalid placeholder result 'null'". */
	{ "description includes {{query.file.property('x')}}",
	    "error: the note has no property" },
	{ "description includes {{query.file.property('Client')}}",
	    "[description \"Acme\" top]" },
	{ "description includes {{query.file.property(\"people\")}}",
	    "[description \"[\"Ana\",\"Bo\"]\" top]" },
	{ "description includes {{query.file.hasProperty('client')}}",
	    "[description \"true\" top]" },
	{ "description includes {{query.file.hasProperty('x')}}",
	    "[description \"false\" top]" },
	/* Not Tasks' own placeholders: JavaScript, which is off by default. */
	{ "description includes {{query.file.property(xy)}}",
	    "error: \"{{query.file.property(xy)}}\" is JavaScript" },
	{ "description includes {{query.file.property( 'x' )}}",
	    "error: \"{{query.file.property( 'x' )}}\" is JavaScript" },
	{ "path includes {{{query.file.path}}}",
	    "error: \"{{{query.file.path}}\" is JavaScript" },
	{ "# TQ_extra_instructions\ndone",
	    "[!done top] [has-id top] AND [done top] AND" },
	{ "description includes x {{! a comment }}",
	    "error: \"{{! a comment }}\" is JavaScript" },
	{ "{{preset.this_folder}}", "[folder \"Meetings/2025/\" top]" },
	{ "# a comment {{nope}}", "" },
	{ "group by filename\nhide edit button\nshort mode\nexplain\n"
	    "view list\nsort by tag", " group 15" },
	{ "group by status.type reverse\ngroup by tags\ngroup by nosuch",
	    " group 2 reverse group 18" },
	{ "sort by function task.due", "error: \"sort by function task.due\" is "
	    "JavaScript" },
	{ "group by function task.due", "error: \"group by function task.due\" "
	    "is JavaScript" },
	{ "sort by due\nsort by status.type reverse", " sort 4 sort 1 reverse" },
	{ "limit 5", " limit 5" },
	{ "limit to 7 tasks", " limit 7" },
	{ "limit groups to 2", " limit-groups 2" },
	{ "(path includes a) OR (path includes b)",
	    "[path \"a\"] [path \"b\"] OR" },
	{ "(path includes a) AND (path includes b)",
	    "[path \"a\" top] [path \"b\" top] AND" },
	{ "(done) AND NOT (path includes b)",
	    "[done top] [path \"b\"] NOT AND" },
	{ "(done) OR NOT (path includes b)", "[done] [path \"b\"] NOT OR" },
	{ "NOT (done)", "[done] NOT" },
	{ "(done)", "[done top]" },
	{ "[done] OR [not done]", "[done] [!done] OR" },
	{ "{done} XOR {not done}", "[done] [!done] XOR" },
	{ "\"done\" OR \"not done\"", "[done] [!done] OR" },
	/* NOT > XOR > AND > OR */
	{ "(done) OR (has id) AND (no id)",
	    "[done] [has-id] [!has-id] AND OR" },
	{ "(done) AND (has id) XOR (no id)",
	    "[done top] [has-id] [!has-id] XOR AND" },
	{ "((done) OR (has id)) AND (no id)",
	    "[done] [has-id] OR [!has-id top] AND" },
	{ "(done) AND \\\n    (has id)", "[done top] [has-id top] AND" },
	{ "description includes a\\\\", "[description \"a\\\" top]" },
	{ "(done) OR [has id]", "error: all filters in a Boolean" },
	{ "(done) OR (nonsense here)",
	    "error: couldn't parse sub-expression 'nonsense here'" },
	/* As Tasks: the delimiters are checked before the operators. */
	{ "(done) OR", "error: all filters in a Boolean" },
	{ "(done) (has id)",
	    "error: couldn't parse sub-expression 'done) (has id'" },
	{ "(done) AND ((has id)", "error: malformed boolean query" },
	/* Tasks takes the ")" of "(x)" for a delimiter too. */
	{ "(description includes (x)) OR (done)",
	    "error: malformed boolean query" },
	{ "(description includes (x) ) OR (done)",
	    "error: malformed boolean query" },
	{ "(description includes x(y)z) OR (done)",
	    "[description \"x(y)z\"] [done] OR" },
	{ "filter by function task.due.moment", "error: \"filter by function" },
	{ "path regex matches /a/b/i", "[path re\"a/b\" top]" },
	{ "path regex matches /(/", "error: invalid regular expression" },
	{ "path regex matches abc", "error: the regular expression" },
	{ "path regex matches /a/q", "error: invalid flags" },
	{ "tags include #home", "[tags \"#home\" top]" },
	{ "tag does not include x", "[!tags \"x\" top]" },
	{ "has tags\nno tags", "[has-tags top] [!has-tags top] AND" },
	{ "heading includes Plan", "[heading \"Plan\" top]" },
	{ "root includes Meet", "[root \"Meet\" top]" },
	{ "status.name includes todo", "[status.name \"todo\" top]" },
	{ "status.type is ON_HOLD", "[status.type=4 top]" },
	{ "status.type is not NON_TASK", "[!status.type=5 top]" },
	{ "status.type is WAITING", "error: invalid status.type" },
	{ "priority is high", "[priority=4 top]" },
	{ "priority above none", "[priority=0 above top]" },
	{ "priority is not lowest", "[!priority=1 top]" },
	{ "is recurring", "[recurring top]" },
	{ "recurrence includes week", "[recurrence \"week\" top]" },
	{ "exclude sub-items", "[exclude-sub-items top]" },
	{ "id includes abc\nhas depends on\nis blocked\nis not blocking",
	    "[id \"abc\" top] [has-depends-on top] AND [blocked top] AND "
	    "[!blocking top] AND" },
	{ "has scheduled date", "[has-date:scheduled top]" },
	{ "no happens date", "[!has-date:happens top]" },
	{ "due date is invalid", "[date-invalid:due top]" },
	{ "starts before 2026-01-01", "[date:start op1 " },
	{ "due today", "[date:due op0 " },
	{ "due this week", "[date:due op0 " },
	{ "happens in or before 2026-W02", "[date:happens op3 " },
	{ "due someday", "error: do not understand the date" },
	{ "frobnicate", "error: do not understand query" },
	{ "preset mine", "[!done top]" },
	{ "{{preset.mine}}", "[!done top]" },
	{ "preset this_file", "[path \"Meetings/2025/Ana Lima.md\" top]" },
	{ "preset nope", "error: unknown preset" },
	{ "ignore global query\ndone", "[done top]" },
};

static const char *client[] = { "Acme" }, *people[] = { "Ana", "Bo" };
static const char *extra[] = { "not done\nhas id" };
static size_t client_len[] = { 4 }, people_len[] = { 3, 2 };
static size_t extra_len[] = { 15 };
static const struct query_property props[] = {
	{ "client", 6, client, client_len, 1, 0 },
	{ "people", 6, people, people_len, 2, 1 },
};
static const struct query_property tq_props[] = {
	{ "TQ_extra_instructions", 21, extra, extra_len, 1, 0 },
};
static const struct query_file file = { props, 2 };
static const struct query_file tq_file = { tq_props, 1, "TQ_extra_instructions", 21,
	NULL, NULL };

int
main(void)
{
	struct obsidian_settings st;
	char name[512];
	size_t i;

	/* Tasks' own presets stay beside the user's (the "preset this_file"
	 * case reads one of them). */
	obsidian_settings_defaults(&st);
	st.presets = xrealloc(st.presets, (st.npresets + 1) * sizeof(*st.presets));
	st.presets[st.npresets].name = xstrdup("mine");
	st.presets[st.npresets].query = xstrdup("not done");
	st.npresets++;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a = { 0 };
		struct diag_list dl = DIAG_LIST_INIT;
		struct query_line ql[16];
		struct strbuf out = STRBUF_INIT;
		struct query q;
		const char *s = cases[i].lines;
		size_t n = 0, want = strlen(cases[i].tree);
		int rc;

		while (n < 16) {
			const char *nl = strchr(s, '\n');

			ql[n].line = 7 + (int)n;
			ql[n].text = s;
			ql[n].len = nl ? (size_t)(nl - s) : strlen(s);
			n++;
			if (nl == NULL)
				break;
			s = nl + 1;
		}
		rc = query_parse(&a, "Meetings/2025/Ana Lima.md", 0, 6, ql, n,
		    &st, strncmp(cases[i].lines, "# TQ", 4) == 0 ? &tq_file : &file, &q, &dl);
		query_print(&q, &out);
		snprintf(name, sizeof(name), "query \"%s\"", cases[i].lines);
		CHECK(name, out.len >= want && memcmp(strbuf_str(&out),
		    cases[i].tree, want) == 0 && (strncmp(cases[i].tree,
		    "error", 5) == 0 ? rc == -1 && dl.n == 1 &&
		    dl.items[0].level == DIAG_WARNING : rc == 0 && dl.n == 0) &&
		    (out.len == want || strncmp(cases[i].tree, "error", 5) == 0 ||
		    cases[i].tree[want - 1] == ' '),
		    "got \"%s\" rc %d diags %zu", strbuf_str(&out), rc, dl.n);
		strbuf_release(&out);
		diag_list_release(&dl);
		arena_free(&a);
	}
	obsidian_settings_release(&st);
	return unit_exit();
}
