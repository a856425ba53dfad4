/*
 * task.c - the grammar of an Obsidian Tasks line (see task.h and
 * docs/rules.md, "Tasks").
 */
#include "task.h"

#include <string.h>

#include "date.h"
#include "diag.h"
#include "util.h"

enum task_status
task_status_from_symbol(const char *sym, size_t len)
{
	if (len == 1) {
		switch (sym[0]) {
		case 'x':
		case 'X':
			return TASK_DONE;
		case '-':
			return TASK_CANCELLED;
		case '/':
			return TASK_IN_PROGRESS;
		}
	}
	return TASK_TODO;
}

const char *
task_status_name(enum task_status st)
{
	switch (st) {
	case TASK_TODO:
		return "todo";
	case TASK_IN_PROGRESS:
		return "in_progress";
	case TASK_DONE:
		return "done";
	case TASK_CANCELLED:
		return "cancelled";
	case TASK_ON_HOLD:
		return "on_hold";
	case TASK_NON_TASK:
		return "non_task";
	}
	BUG("task status %d", (int)st);
}

enum task_status
task_status(const struct task *t)
{
	return task_status_from_symbol(t->symbol, strnlen(t->symbol,
	    sizeof(t->symbol)));
}

int
task_is_open(const struct task *t)
{
	enum task_status st = task_status(t);

	return st == TASK_TODO || st == TASK_IN_PROGRESS || st == TASK_ON_HOLD;
}

size_t
task_checkbox(const char *s, size_t n, char sym[5], enum task_status *st)
{
	size_t clen;

	if (n < 4 || s[0] != '[')
		return 0;
	clen = utf8_seq_len((const unsigned char *)s + 1, n - 1);
	if (clen == 0 || n < clen + 3 || s[1 + clen] != ']' ||
	    s[2 + clen] != ' ')
		return 0;
	memcpy(sym, s + 1, clen);
	sym[clen] = '\0';
	*st = task_status_from_symbol(sym, clen);
	return clen + 3;
}

/* The due-date signifiers of Obsidian Tasks: 📅 📆 🗓. */
static size_t
due_emoji(const char *s, size_t n)
{
	static const char *const emoji[] = { "\xF0\x9F\x93\x85",
		"\xF0\x9F\x93\x86", "\xF0\x9F\x97\x93" };
	size_t i;

	for (i = 0; i < sizeof(emoji) / sizeof(emoji[0]); i++)
		if (n >= 4 && memcmp(s, emoji[i], 4) == 0) {
			if (n >= 7 && memcmp(s + 4, "\xEF\xB8\x8F", 3) == 0)
				return 7;
			return 4;
		}
	return 0;
}

/* "[due:: " or "(due:: ": the length of the opening, else 0. */
static size_t
dataview_due(const char *s, size_t n)
{
	if (n < 6 || (s[0] != '[' && s[0] != '(') ||
	    memcmp(s + 1, "due::", 5) != 0)
		return 0;
	return 6;
}

void
task_read_due(const char *text, size_t n, const char *path, int line, int *due,
    struct diag_list *dl)
{
	size_t i;

	*due = DATE_NONE;
	for (i = 0; i < n; i++) {
		size_t skip = due_emoji(text + i, n - i);
		int dataview = 0, day;
		enum date_parse r;

		if (skip == 0 && (skip = dataview_due(text + i, n - i)) != 0)
			dataview = 1;
		if (skip == 0)
			continue;
		i += skip;
		while (i < n && text[i] == ' ')
			i++;
		r = date_parse_prefix(text + i, n - i, &day);
		if (r == DATE_OK && dataview) {
			size_t j = i + 10;

			while (j < n && text[j] == ' ')
				j++;
			if (j >= n || (text[j] != ']' && text[j] != ')'))
				r = DATE_NOT_A_DATE;
		}
		if (r == DATE_IMPOSSIBLE) {
			diag_error(dl, DIAG_NOTE, path, line,
			    "write a real calendar date as YYYY-MM-DD",
			    "impossible due date \"%.10s\"", text + i);
			return;
		}
		if (r == DATE_OK) {
			*due = day;
			return;
		}
		i--;
	}
}

void
task_read_dates(struct task *t, const char *text, size_t n,
    const char *path, struct diag_list *dl)
{
	task_read_due(text, n, path, (int)t->line, &t->due, dl);
}

static int
tag_char(unsigned char c)
{
	if (c >= 0x80)
		return 1;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/';
}

int
task_next_tag(const char *text, size_t n, size_t *pos, const char **tag,
    size_t *len)
{
	size_t i;

	for (i = *pos; i < n; i++) {
		size_t start, j;
		int digits_only = 1;

		if (text[i] != '#' || (i > 0 && text[i - 1] != ' ' &&
		    text[i - 1] != '\t'))
			continue;
		start = i + 1;
		for (j = start; j < n && tag_char((unsigned char)text[j]); j++)
			if (text[j] < '0' || text[j] > '9')
				digits_only = 0;
		if (j > start && !digits_only) {
			*tag = text + start;
			*len = j - start;
			*pos = j;
			return 1;
		}
		i = j - 1 < i ? i : j - 1;
	}
	*pos = n;
	return 0;
}

void
task_read_fields(struct arena *a, const char *text, size_t n,
    const char *path, int line, int *due, const char ***tags,
    size_t *ntags, struct diag_list *dl)
{
	size_t pos = 0, len;
	const char *tag;

	task_read_due(text, n, path, line, due, dl);
	while (task_next_tag(text, n, &pos, &tag, &len))
		arena_push_string(a, tags, ntags, tag, len);
}
