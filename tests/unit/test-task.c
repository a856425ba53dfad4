/*
 * Unit tests: the Obsidian Tasks line grammar (core/task.c), as tables of
 * lines and what Tasks' serializers read from them.
 */
#include <stdlib.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/obsidian.h"
#include "../../core/task.h"
#include "../../core/util.h"
#include "unit.h"

static const struct {
	const char *text;
	size_t box;		/* 0: not a checkbox */
	const char *symbol;
} boxes[] = {
	{ "[ ] a", 4, " " },
	{ "[x] a", 4, "x" },
	{ "[X] a", 4, "X" },
	{ "[ ]\ta", 4, " " },
	{ "[ ]", 3, " " },
	{ "[\xC3\xA9] a", 5, "\xC3\xA9" },
	{ "[\xF0\x9F\x94\xA5] a", 7, "\xF0\x9F\x94\xA5" },
	{ "[] a", 0, NULL },
	{ "[  ] a", 0, NULL },
	{ "[xx] a", 0, NULL },
	{ "[ ]a", 0, NULL },
	{ "( ) a", 0, NULL },
	{ "[\xC3] a", 0, NULL },
};

/* What stands before the checkbox on its line (taskRegex). */
static const struct {
	const char *prefix;
	int task;
	const char *indent;
	int sub_item;
} prefixes[] = {
	{ "- ", 1, "", 0 },
	{ "-   ", 1, "", 0 },
	{ "* ", 1, "", 0 },
	{ "+ ", 1, "", 0 },
	{ "1. ", 1, "", 0 },
	{ "12) ", 1, "", 0 },
	{ "  - ", 1, "  ", 1 },
	{ "\t- ", 1, "\t", 1 },
	{ "> - ", 1, "> ", 0 },
	{ ">- ", 1, ">", 0 },
	{ ">  - ", 1, ">  ", 1 },
	{ "> > - ", 1, "> > ", 0 },
	{ ">   > - ", 1, ">   > ", 0 },
	{ "-\t", 0, "", 0 },
	{ "-", 0, "", 0 },
	{ "- - ", 0, "", 0 },
	{ "a. ", 0, "", 0 },
	{ ". ", 0, "", 0 },
};

/*
 * Each line as "desc|field=value ...": only the fields it carries, in a
 * fixed order (tags are the description's, with '#').
 */
static const struct {
	int dataview;
	const char *text;
	const char *read;
	int errors;
} lines[] = {
	/* Emoji format: fields only at the end, any order, leftmost wins. */
	{ 0, "call \xF0\x9F\x93\x85 2026-01-20", "call|due=2026-01-20", 0 },
	{ 0, "call \xF0\x9F\x93\x86 2026-01-21", "call|due=2026-01-21", 0 },
	{ 0, "call \xF0\x9F\x97\x93 2026-01-22", "call|due=2026-01-22", 0 },
	{ 0, "call \xF0\x9F\x97\x93\xEF\xB8\x8F 2026-01-23",
	    "call|due=2026-01-23", 0 },
	{ 0, "call \xF0\x9F\x93\x85" "2026-01-24", "call|due=2026-01-24", 0 },
	{ 0, "call\xF0\x9F\x93\x85  2026-01-24", "call|due=2026-01-24", 0 },
	{ 0, "call \xF0\x9F\x93\x85 2026-01-07 about the invoice",
	    "call \xF0\x9F\x93\x85 2026-01-07 about the invoice|", 0 },
	{ 0, "a \xF0\x9F\x93\x85 2026-01-20 \xF0\x9F\x93\x85 2026-01-21",
	    "a|due=2026-01-20", 0 },
	{ 0, "a \xE2\x8F\xB3 2026-01-05 \xF0\x9F\x9B\xAB 2026-01-04 "
	    "\xE2\x9E\x95 2026-01-01 \xF0\x9F\x94\x81 every week "
	    "\xF0\x9F\x86\x94 abc \xE2\x9B\x94 xyz \xE2\x8F\xAB",
	    "a|scheduled=2026-01-05 start=2026-01-04 created=2026-01-01 "
	    "priority=high recurrence=every week id=abc depends=xyz", 0 },
	{ 0, "k \xE2\x9C\x85 2026-01-02 \xF0\x9F\x94\xBA",
	    "k|done=2026-01-02 priority=highest", 0 },
	{ 0, "k \xE2\x9D\x8C 2026-01-03 \xE2\x8C\x9B 2026-01-04",
	    "k|scheduled=2026-01-04 cancelled=2026-01-03", 0 },
	{ 0, "x \xE2\x8F\xAB\xEF\xB8\x8F", "x|priority=high", 0 },
	{ 0, "x \xF0\x9F\x94\xBC", "x|priority=medium", 0 },
	{ 0, "x \xF0\x9F\x94\xBD", "x|priority=low", 0 },
	{ 0, "x \xE2\x8F\xAC", "x|priority=lowest", 0 },
	{ 0, "\xE2\x8F\xAB call", "\xE2\x8F\xAB call|", 0 },
	{ 0, "do #a \xF0\x9F\x93\x85 2026-01-20 #b",
	    "do #a #b|due=2026-01-20 tags=#a,#b", 0 },
	{ 0, "call \xF0\x9F\x93\x85 2026-01-20 ^abc-1", "call|due=2026-01-20", 0 },
	{ 0, "call ^abc \xF0\x9F\x93\x85 2026-01-20", "call ^abc|due=2026-01-20",
	    0 },
	{ 0, "call \xF0\x9F\x93\x85 2026-01-20^abc",
	    "call \xF0\x9F\x93\x85 2026-01-20^abc|", 0 },
	{ 0, "\xF0\x9F\x93\x85 2026-01-20", "|due=2026-01-20", 0 },
	{ 0, "call \xF0\x9F\x94\x81 every day when done",
	    "call|recurrence=every day when done", 0 },
	{ 0, "x \xF0\x9F\x86\x94 abc_1-2", "x|id=abc_1-2", 0 },
	{ 0, "x \xE2\x9B\x94 a, b,c", "x|depends=a,b,c", 0 },
	{ 0, "x \xE2\x9B\x94 a,,b", "x \xE2\x9B\x94 a,,b|", 0 },
	{ 0, "x \xF0\x9F\x8F\x81 delete", "x|", 0 },
	{ 0, "x \xF0\x9F\x93\x85 2026-02-30", "x|due=invalid", 1 },
	{ 0, "x \xE2\x8F\xB3 2025-13-01 \xF0\x9F\x93\x85 2026-02-31",
	    "x|due=invalid scheduled=invalid", 2 },
	{ 0, "x \xF0\x9F\x93\x85 soon", "x \xF0\x9F\x93\x85 soon|", 0 },
	{ 0, "x [due:: 2026-01-25]", "x [due:: 2026-01-25]|", 0 },
	{ 0, "#only", " #only|tags=#only", 0 },
	{ 0, "call #work and #people/ana", "call #work and #people/ana|"
	    "tags=#work,#people/ana", 0 },
	{ 0, "issue #123 and no#tag, nor [[A#heading]]",
	    "issue #123 and no#tag, nor [[A#heading]]|tags=#123", 0 },
	{ 0, "#caf\xC3\xA9, done", "#caf\xC3\xA9, done|tags=#caf\xC3\xA9", 0 },
	/* Dataview format: [field:: value] or (field:: value) at the end. */
	{ 1, "call [due:: 2026-01-25]", "call|due=2026-01-25", 0 },
	{ 1, "call (due:: 2026-01-26)", "call|due=2026-01-26", 0 },
	{ 1, "call [due::2026-01-27 ]", "call|due=2026-01-27", 0 },
	{ 1, "call [due:: 2026-01-25],", "call|due=2026-01-25", 0 },
	{ 1, "call [due:: 2026-01-25]  [priority:: high]",
	    "call|due=2026-01-25 priority=high", 0 },
	{ 1, "call [priority:: highest]", "call|priority=highest", 0 },
	{ 1, "call [priority:: higher]", "call [priority:: higher]|", 0 },
	{ 1, "call \xF0\x9F\x93\x85 2026-01-20",
	    "call \xF0\x9F\x93\x85 2026-01-20|", 0 },
	{ 1, "call [repeat:: every week] [scheduled:: 2026-01-05]",
	    "call|scheduled=2026-01-05 recurrence=every week", 0 },
	{ 1, "call [id:: abc] [dependsOn:: x, y]", "call|id=abc depends=x,y", 0 },
	{ 1, "call [due:: 2026-01-25)", "call [due:: 2026-01-25)|", 0 },
	{ 1, "call (due:: 2026-01-25]", "call (due:: 2026-01-25]|", 0 },
	{ 1, "call [completion:: 2026-01-02] [cancelled:: 2026-01-03] "
	    "[start:: 2026-01-04] [created:: 2026-01-01]",
	    "call|start=2026-01-04 created=2026-01-01 done=2026-01-02 "
	    "cancelled=2026-01-03", 0 },
	{ 1, "call [due:: 2026-01-25] text", "call [due:: 2026-01-25] text|", 0 },
};

static const struct {
	const char *text;
	const char *tags;	/* space-separated */
} tags[] = {
	{ "call #work and #people/ana", "#work #people/ana" },
	{ "#first word", "#first" },
	{ "no#tag here, nor [[A#heading]]", "" },
	{ "issue #123, #v2", "#123 #v2" },
	{ "#a\t#b", "#a" },
	{ "#a #b", "#a #b" },
	{ "x\xC2\xA0#nbsp", "#nbsp" },
	{ "#x! #y", "#x #y" },
};

static void
add_date(struct strbuf *sb, const char *name, int day)
{
	char buf[DATE_BUFSZ];

	if (day == DATE_NONE)
		return;
	strbuf_addf(sb, "%s%s=%s", sb->buf[sb->len - 1] == '|' ? "" : " ",
	    name, day == DATE_INVALID ? "invalid" : date_format(day, buf));
}

static void
add_span(struct strbuf *sb, const char *name, struct task_span v)
{
	if (v.p == NULL)
		return;
	strbuf_addf(sb, "%s%s=%.*s", sb->buf[sb->len - 1] == '|' ? "" : " ",
	    name, (int)v.n, v.p);
}

/* The line as the table writes it. */
static void
render(const char *text, int dataview, struct strbuf *out)
{
	struct obsidian_settings s = *obsidian_settings_builtin();
	struct task t = { .text = text };
	struct strbuf desc = STRBUF_INIT;
	struct task_line tl;
	size_t pos = 0, len, ntags = 0;
	const char *tag;

	s.dataview_format = dataview;
	task_line_read(text, strlen(text), dataview, &tl);
	task_description(&t, &s, 0, &desc);
	strbuf_reset(out);
	strbuf_addf(out, "%s|", strbuf_str(&desc));
	add_date(out, "due", tl.dates[TD_DUE]);
	add_date(out, "scheduled", tl.dates[TD_SCHEDULED]);
	add_date(out, "start", tl.dates[TD_START]);
	add_date(out, "created", tl.dates[TD_CREATED]);
	add_date(out, "done", tl.dates[TD_DONE]);
	add_date(out, "cancelled", tl.dates[TD_CANCELLED]);
	if (tl.priority != PRIORITY_NONE)
		strbuf_addf(out, "%spriority=%s", out->buf[out->len - 1] ==
		    '|' ? "" : " ", task_priority_name(tl.priority));
	add_span(out, "recurrence", tl.recurrence);
	add_span(out, "id", tl.id);
	if (tl.depends_on.p != NULL) {
		size_t i;

		strbuf_adds(out, out->buf[out->len - 1] == '|' ? "depends=" :
		    " depends=");
		for (i = 0; i < tl.depends_on.n; i++)
			if (tl.depends_on.p[i] != ' ')
				strbuf_addch(out, tl.depends_on.p[i]);
	}
	while (task_next_tag(desc.buf, desc.len, &pos, &tag, &len))
		strbuf_addf(out, "%s%.*s", ntags++ ? "," : out->buf[out->len -
		    1] == '|' ? "tags=" : " tags=", (int)len, tag);
	strbuf_release(&desc);
}

/*
 * Lines of 1 MB shaped to make a careless reader quadratic: fields,
 * tags, Dataview brackets and spaces repeated. Each must read in well
 * under a second (a quadratic reader takes minutes), tags included.
 */
static const char *const long_units[] = {
	"\xf0\x9f\x93\x85 2026-01-01 ", "#a ", "[due:: 2026-01-01] ",
	"[due:: ", "(", "  ", "\xf0\x9f\x94\xba", "#", "x ",
};

static void
check_long_lines(void)
{
	size_t i, size = 1u << 20;
	char name[128];

	for (i = 0; i < sizeof(long_units) / sizeof(long_units[0]); i++) {
		struct strbuf line = STRBUF_INIT;
		struct task_line tl;
		size_t pos = 0, len, ntags = 0, unit = strlen(long_units[i]);
		const char *tag;
		double t0;
		int dataview;

		strbuf_add(&line, "call", 4);
		while (line.len + unit <= size)
			strbuf_add(&line, long_units[i], unit);
		t0 = monotonic_seconds();
		for (dataview = 0; dataview <= 1; dataview++)
			task_line_read(line.buf, line.len, dataview, &tl);
		while (task_next_tag(line.buf, line.len, &pos, &tag, &len))
			ntags++;
		snprintf(name, sizeof(name), "a 1 MB line of \"%s\" reads in "
		    "linear time", long_units[i]);
		CHECK(name, monotonic_seconds() - t0 < 1.0 &&
		    tl.desclen <= tl.body.n, "%.2f s", monotonic_seconds() - t0);
		strbuf_release(&line);
	}
}

int
main(void)
{
	struct strbuf got = STRBUF_INIT;
	size_t i, indent;
	char name[512];

	for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
		char sym[5] = "";
		size_t n = task_checkbox(boxes[i].text, strlen(boxes[i].text),
		    sym);

		snprintf(name, sizeof(name), "checkbox \"%s\"", boxes[i].text);
		CHECK(name, n == boxes[i].box && (n == 0 ||
		    strcmp(sym, boxes[i].symbol) == 0), "got %zu \"%s\"", n, sym);
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		const char *p = prefixes[i].prefix;
		int task = task_line_prefix(p, strlen(p), &indent);

		snprintf(name, sizeof(name), "line start \"%s\"", p);
		CHECK(name, task == prefixes[i].task && (!task ||
		    (indent == strlen(prefixes[i].indent) &&
		    task_indent_is_sub_item(p, indent) ==
		    prefixes[i].sub_item)), "got %d, indent %zu, sub-item %d",
		    task, indent, task_indent_is_sub_item(p, indent));
	}
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct diag_list dl = DIAG_LIST_INIT;
		struct task_line tl;

		render(lines[i].text, lines[i].dataview, &got);
		task_line_read(lines[i].text, strlen(lines[i].text),
		    lines[i].dataview, &tl);
		task_line_check(&tl, "n.md", 3, &dl);
		snprintf(name, sizeof(name), "%s line \"%s\"",
		    lines[i].dataview ? "dataview" : "emoji", lines[i].text);
		CHECK(name, strcmp(strbuf_str(&got), lines[i].read) == 0 &&
		    (int)dl.n == lines[i].errors && (dl.n == 0 ||
		    dl.items[0].line == 3), "got \"%s\", %zu errors",
		    strbuf_str(&got), dl.n);
		diag_list_release(&dl);
	}
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t pos = 0, len, k = 0;
		const char *tag;

		strbuf_reset(&got);
		while (task_next_tag(tags[i].text, strlen(tags[i].text), &pos,
		    &tag, &len))
			strbuf_addf(&got, "%s%.*s", k++ ? " " : "", (int)len, tag);
		snprintf(name, sizeof(name), "tags \"%s\"", tags[i].text);
		CHECK(name, strcmp(strbuf_str(&got), tags[i].tags) == 0,
		    "got \"%s\"", strbuf_str(&got));
	}
	check_long_lines();
	strbuf_release(&got);
	return unit_exit();
}
