/* Unit tests: tasks query blocks, parse and match (core/query.c). */
#include <stdlib.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/note.h"
#include "../../core/query.h"
#include "../../core/select.h"
#include "../../core/task.h"
#include "../../core/util.h"
#include "unit.h"

/* The task every case is matched against. */
static const char task_path[] = "Meetings/2025/Ana Lima 1-1.md";
static struct note task_note = {
	.path = task_path,
};

static const struct {
	const char *line;
	int parses;
	int matches;
} cases[] = {
	{ "not done", 1, 1 },
	{ "NOT DONE", 1, 1 },
	{ "done", 1, 0 },
	{ "path includes ana lima", 1, 1 },
	{ "path includes .md", 1, 1 },
	{ "path does not include Ana", 1, 0 },
	{ "folder includes meetings/2025/", 1, 1 },
	{ "folder includes Ana", 1, 0 },
	{ "filename includes 1-1.md", 1, 1 },
	{ "description includes BUDGET", 1, 1 },
	{ "description does not include budget", 1, 0 },
	{ "tags include #people", 1, 1 },
	{ "tags include work", 1, 1 },
	{ "tag includes nope", 1, 0 },
	{ "tags do not include nope", 1, 1 },
	{ "has due date", 1, 1 },
	{ "no due date", 1, 0 },
	{ "due before 2026-01-16", 1, 1 },
	{ "due before 2026-01-15", 1, 0 },
	{ "due after 2026-01-14", 1, 1 },
	{ "due on 2026-01-15", 1, 1 },
	{ "due on or before 2026-01-15", 1, 1 },
	{ "due on or after 2026-01-16", 1, 0 },
	{ "due on today", 1, 0 },
	{ "due before tomorrow", 1, 0 },
	{ "due after yesterday", 1, 1 },
	{ "due on in 5 days", 1, 1 },
	{ "due after 3 days ago", 1, 1 },
	{ "due before 1 day ago", 1, 0 },
	{ "status.type is TODO", 1, 1 },
	{ "status.type is not TODO", 1, 0 },
	{ "status.type is in_progress", 1, 0 },
	{ "path includes {{query.file.folder}}", 1, 1 },
	{ "path includes {{query.file.path}}", 1, 0 },
	{ "filename includes {{query.file.filename}}", 1, 0 },
	{ "path includes {{query.file.root}}", 1, 1 },
	{ "# a comment", 1, 1 },
	{ "sort by due", 1, 1 },
	{ "group by filename", 1, 1 },
	{ "limit 5", 1, 1 },
	{ "short mode", 1, 1 },
	{ "explain", 1, 1 },
	{ "hide edit button", 1, 1 },
	{ "(path includes a) OR (path includes b)", 0, 0 },
	{ "filter by function task.due.moment", 0, 0 },
	{ "path regex matches /x/", 0, 0 },
	{ "due in date range 2026-01-01 2026-01-31", 0, 0 },
	{ "due before someday", 0, 0 },
	{ "status.type is NON_TASK", 0, 0 },
	{ "happens before 2026-01-01", 0, 0 },
};

int
main(void)
{
	struct task t = {
		.text = "Send the budget \xF0\x9F\x93\x85 2026-01-15 #work "
		    "#people/ana",
		.symbol = " ",
	};
	int today = date_from_ymd(2026, 1, 10);
	char name[256];
	size_t i;

	t.due = date_from_ymd(2026, 1, 15);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a = { 0 };
		struct diag_list dl = DIAG_LIST_INIT;
		struct query_line ql = { 7, cases[i].line, strlen(cases[i].line) };
		struct query q;
		int rc = query_parse(&a, "Meetings/2025/Ana Lima.md", 0, 6, &ql,
		    1, &q, &dl);
		int hit = rc == 0 && query_matches(&q, &t, &task_note, today);

		snprintf(name, sizeof(name), "query \"%s\"", cases[i].line);
		CHECK(name, (rc == 0) == cases[i].parses && hit ==
		    cases[i].matches && (cases[i].parses ? dl.n == 0 :
		    (dl.n == 1 && dl.items[0].line == 7 &&
		    dl.items[0].level == DIAG_WARNING)),
		    "parsed %d matched %d diags %zu", rc == 0, hit, dl.n);
		diag_list_release(&dl);
		arena_free(&a);
	}
	return unit_exit();
}
