/*
 * Unit tests: long inputs to the query reader and the filters stay
 * linear (core/query.c, core/select.c, core/regex.c): a 100 KB query
 * line, a 1 MB task description. Each input is timed at half and at full
 * size; the time may at most about double (a quadratic reading would
 * quadruple), with room for a noisy machine.
 */
#include <stdlib.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/obsidian.h"
#include "../../core/query.h"
#include "../../core/select.h"
#include "../../core/util.h"
#include "unit.h"

/* The line: prefix, then unit repeated to fill size bytes, then suffix. */
static char *
long_line(const char *prefix, const char *unit, const char *suffix,
    size_t size)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, prefix);
	while (sb.len + strlen(unit) + strlen(suffix) <= size)
		strbuf_adds(&sb, unit);
	strbuf_adds(&sb, suffix);
	return strbuf_detach(&sb);
}

/* Seconds to parse line and match it against a task of text text. */
static double
time_query(const char *line, const char *text, int *rc)
{
	struct task t = { .text = text, .symbol = " ", .due = DATE_NONE };
	struct note note = { .path = "People/Ana.md", .ntasks = 1 };
	struct vault v;
	struct arena a = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	struct query_line ql = { 2, line, strlen(line) };
	struct query_env *e;
	struct query q;
	double start = monotonic_seconds();
	int k;

	memset(&v, 0, sizeof(v));
	v.notes = &note;
	v.nnotes = 1;
	v.tasks = &t;
	v.ntasks = 1;
	for (k = 0; k < 3; k++) {
		*rc = query_parse(&a, note.path, 0, 1, &ql, 1, NULL, NULL, &q, &dl);
		e = query_env_new(&v, 20463);
		(void)query_matches(e, &q, &t, &note);
		query_env_free(e);
	}
	diag_list_release(&dl);
	arena_free(&a);
	return monotonic_seconds() - start;
}

static const struct {
	const char *name;
	const char *prefix, *unit, *suffix;	/* the query line */
	int line_grows;	/* else the description grows, to 1 MB */
	const char *text_unit;
} cases[] = {
	{ "many ORs", "", "(done) OR ", "(not done)", 1, NULL },
	{ "many AND NOTs", "(done)", " AND NOT (has id)", "", 1, NULL },
	{ "opening delimiters", "", "(", "done)", 1, NULL },
	{ "NOT NOT NOT", "", "NOT ", "(done)", 1, NULL },
	{ "closing delimiters", "(done", ")", "", 1, NULL },
	{ "spaces after close", "(done)", " ", "OR (done)", 1, NULL },
	{ "long needle", "description includes ", "ab", "", 1, NULL },
	{ "placeholders", "path includes ", "{{query.file.path}}", "", 1,
	    NULL },
	{ "unclosed placeholders", "path includes ", "{{", "", 1, NULL },
	{ "long regex", "description regex matches /", "a?", "/", 1, NULL },
	{ "description includes", "description includes zz", "", "", 0,
	    "ab " },
	{ "description needle repeats", "description includes "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "", "", 0, "a" },
	{ "description backtracking regex",
	    "description regex matches /(a+)+b/", "", "", 0, "a" },
	{ "tags", "tags include #zz", "", "", 0, "#a " },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t full = cases[i].line_grows ? 100000 : 1000000;
		double t[2];
		int rc, h;

		for (h = 0; h < 2; h++) {
			size_t size = h == 0 ? full / 2 : full;
			char *line, *text;

			if (cases[i].line_grows) {
				line = long_line(cases[i].prefix, cases[i].unit,
				    cases[i].suffix, size);
				text = xstrdup("call Ana #work");
			} else {
				line = xstrdup(cases[i].prefix);
				text = long_line("", cases[i].text_unit, "",
				    size);
			}
			t[h] = time_query(line, text, &rc);
			free(line);
			free(text);
		}
		CHECK(cases[i].name, t[1] < 2.0 && t[1] < 3.0 * t[0] + 0.05,
		    "%.3fs at half size, %.3fs at full size", t[0], t[1]);
	}
	return unit_exit();
}
