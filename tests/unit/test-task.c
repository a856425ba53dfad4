/* Unit tests: the Obsidian Tasks line grammar (core/task.c). */
#include <stdlib.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/task.h"
#include "../../core/util.h"
#include "unit.h"

static const struct {
	const char *text;
	size_t box;		/* 0: not a checkbox */
	const char *symbol;
	enum task_status status;
} boxes[] = {
	{ "[ ] a", 4, " ", TASK_TODO },
	{ "[x] a", 4, "x", TASK_DONE },
	{ "[X] a", 4, "X", TASK_DONE },
	{ "[-] a", 4, "-", TASK_CANCELLED },
	{ "[/] a", 4, "/", TASK_IN_PROGRESS },
	{ "[?] a", 4, "?", TASK_TODO },
	{ "[>] a", 4, ">", TASK_TODO },
	{ "[\xC3\xA9] a", 5, "\xC3\xA9", TASK_TODO },
	{ "[\xF0\x9F\x94\xA5] a", 7, "\xF0\x9F\x94\xA5", TASK_TODO },
	{ "[] a", 0, NULL, 0 },
	{ "[  ] a", 0, NULL, 0 },
	{ "[xx] a", 0, NULL, 0 },
	{ "[ ]a", 0, NULL, 0 },
	{ "( ) a", 0, NULL, 0 },
	{ "[\xC3] a", 0, NULL, 0 },
};

static const struct {
	const char *text;
	const char *due;	/* NULL: none */
	int errors;
} dues[] = {
	{ "call \xF0\x9F\x93\x85 2026-01-20", "2026-01-20", 0 },
	{ "call \xF0\x9F\x93\x86 2026-01-21", "2026-01-21", 0 },
	{ "call \xF0\x9F\x97\x93 2026-01-22", "2026-01-22", 0 },
	{ "call \xF0\x9F\x97\x93\xEF\xB8\x8F 2026-01-23", "2026-01-23", 0 },
	{ "call \xF0\x9F\x93\x85\xEF\xB8\x8F" "2026-01-24", "2026-01-24", 0 },
	{ "call [due:: 2026-02-01]", "2026-02-01", 0 },
	{ "call (due:: 2026-02-02) later", "2026-02-02", 0 },
	{ "call [due::2026-02-03 ]", "2026-02-03", 0 },
	{ "\xE2\x8F\xB3 2026-01-05 scheduled is not due", NULL, 0 },
	{ "\xF0\x9F\x9B\xAB 2026-01-05 start is not due", NULL, 0 },
	{ "\xE2\x9C\x85 2026-01-05 done date is not due", NULL, 0 },
	{ "call \xF0\x9F\x93\x85 2026-02-30", NULL, 1 },
	{ "call \xF0\x9F\x93\x85 soon", NULL, 0 },
	{ "first \xF0\x9F\x93\x85 2026-03-01 then \xF0\x9F\x93\x85 2026-01-01",
	    "2026-03-01", 0 },
	{ "\xF0\x9F\x94\xBA \xF0\x9F\x93\x85 2026-01-07 \xF0\x9F\x94\x81 every week",
	    "2026-01-07", 0 },
};

static const struct {
	const char *text;
	const char *tags;	/* space-separated */
} tags[] = {
	{ "call #work and #people/ana", "work people/ana" },
	{ "#first word", "first" },
	{ "no#tag here, nor [[A#heading]]", "" },
	{ "issue #123 is a number, #v2 is a tag", "v2" },
	{ "#caf\xC3\xA9, done", "caf\xC3\xA9" },
};

int
main(void)
{
	size_t i, k;
	char name[256], buf[DATE_BUFSZ];

	for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
		char sym[5] = "";
		enum task_status st = TASK_TODO;
		size_t got = task_checkbox(boxes[i].text, strlen(boxes[i].text),
		    sym, &st);

		snprintf(name, sizeof(name), "checkbox \"%s\"", boxes[i].text);
		CHECK(name, got == boxes[i].box && (got == 0 ||
		    (strcmp(sym, boxes[i].symbol) == 0 &&
		    st == boxes[i].status)), "got %zu \"%s\" %s", got, sym,
		    task_status_name(st));
	}
	for (i = 0; i < sizeof(dues) / sizeof(dues[0]); i++) {
		struct arena a = { 0 };
		struct diag_list dl = DIAG_LIST_INIT;
		const char **t = NULL;
		size_t nt = 0;
		int due;

		task_read_fields(&a, dues[i].text, strlen(dues[i].text), "n.md",
		    3, &due, &t, &nt, &dl);
		snprintf(name, sizeof(name), "due \"%s\"", dues[i].text);
		CHECK(name, (dues[i].due ? due != DATE_NONE &&
		    strcmp(date_format(due, buf), dues[i].due) == 0 :
		    due == DATE_NONE) && (int)dl.n == dues[i].errors &&
		    (dl.n == 0 || dl.items[0].line == 3),
		    "got %s, %zu diags", due == DATE_NONE ? "none" :
		    date_format(due, buf), dl.n);
		diag_list_release(&dl);
		arena_free(&a);
	}
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		struct arena a = { 0 };
		struct diag_list dl = DIAG_LIST_INIT;
		struct strbuf got = STRBUF_INIT;
		const char **t = NULL;
		size_t nt = 0;
		int due;

		task_read_fields(&a, tags[i].text, strlen(tags[i].text), "n.md",
		    1, &due, &t, &nt, &dl);
		for (k = 0; k < nt; k++)
			strbuf_addf(&got, "%s%s", k ? " " : "", t[k]);
		snprintf(name, sizeof(name), "tags \"%s\"", tags[i].text);
		CHECK(name, strcmp(strbuf_str(&got), tags[i].tags) == 0,
		    "got \"%s\"", strbuf_str(&got));
		strbuf_release(&got);
		diag_list_release(&dl);
		arena_free(&a);
	}
	return unit_exit();
}
