/*
 * task.c - the grammar of an Obsidian Tasks line (see task.h and
 * docs/rules.md, "Tasks").
 *
 * Tasks reads a line with JavaScript regular expressions, each anchored
 * at the end of the line (DefaultTaskSerializer.ts,
 * DataviewTaskSerializer.ts): "📅 *(\d{4}-\d{2}-\d{2})$" and the like,
 * removed one after the other and the rest trimmed, until none matches.
 * Each is matched here by walking back from the end of the line, which is
 * what such a pattern can match: the value's characters never include
 * the field's symbol, so only one place can start it.
 */
#include "task.h"

#include <string.h>

#include "date.h"
#include "diag.h"
#include "obsidian.h"
#include "util.h"

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
	return (enum task_status)t->status;
}

int
task_status_is_open(enum task_status st)
{
	return st == TASK_TODO || st == TASK_IN_PROGRESS || st == TASK_ON_HOLD;
}

int
task_is_open(const struct task *t)
{
	return task_status_is_open(task_status(t));
}

/* ------------------------------------------------------- white space */

size_t
js_space_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 0)
		return 0;
	if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;	/* U+00A0 */
	if (n < 3)
		return 0;
	if ((u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80) ||	/* U+1680 */
	    (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0x80 &&
	    u[2] <= 0x8A) || u[2] == 0xA8 || u[2] == 0xA9 ||
	    u[2] == 0xAF)) ||	/* U+2000-200A, 2028, 2029, 202F */
	    (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F) ||	/* U+205F */
	    (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) ||	/* U+3000 */
	    (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF))	/* U+FEFF */
		return 3;
	return 0;
}

size_t
js_space_before(const char *s, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (js_space_at(s + n - k, k) == k)
			return k;
	return 0;
}

void
js_trim(const char **s, size_t *n)
{
	size_t k;

	while ((k = js_space_at(*s, *n)) != 0) {
		*s += k;
		*n -= k;
	}
	while ((k = js_space_before(*s, *n)) != 0)
		*n -= k;
}

static size_t
trim_end(const char *s, size_t n)
{
	size_t k;

	while ((k = js_space_before(s, n)) != 0)
		n -= k;
	return n;
}

/* ------------------------------------------------------ the line start */

size_t
task_checkbox(const char *s, size_t n, char sym[5])
{
	size_t clen;

	if (n < 3 || s[0] != '[')
		return 0;
	clen = utf8_seq_len((const unsigned char *)s + 1, n - 1);
	if (clen == 0 || n < clen + 2 || s[1 + clen] != ']')
		return 0;
	if (n > clen + 2 && s[2 + clen] != ' ' && s[2 + clen] != '\t')
		return 0;
	memcpy(sym, s + 1, clen);
	sym[clen] = '\0';
	return n > clen + 2 ? clen + 3 : clen + 2;
}

int
task_line_prefix(const char *line, size_t n, size_t *indent)
{
	size_t i = 0, k = 0, digits = 0;

	while (i < n && (line[i] == '>' || (k = js_space_at(line + i,
	    n - i)) != 0))
		i += line[i] == '>' ? 1 : k;
	*indent = i;
	if (i < n && (line[i] == '-' || line[i] == '*' || line[i] == '+'))
		i++;
	else {
		while (i < n && line[i] >= '0' && line[i] <= '9') {
			i++;
			digits++;
		}
		if (digits == 0 || i >= n || (line[i] != '.' && line[i] != ')'))
			return 0;
		i++;
	}
	if (i >= n)
		return 0;
	while (i < n && line[i] == ' ')
		i++;
	return i == n;
}

int
task_indent_is_sub_item(const char *indent, size_t n)
{
	size_t i, last = n;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (indent[i] == '>')
			last = i;
	if (last == n)
		return 1;
	return !(n - last - 1 == 0 || (n - last - 1 == 1 &&
	    indent[last + 1] == ' '));
}

/* ------------------------------------------------------------ tags */

/* What ends a tag: TaskRegularExpressions.hashTags' [^ !@#$%^&*(),.?":{}|<>]. */
static int
tag_stop(unsigned char c)
{
	return c == ' ' || (c < 0x80 && strchr("!@#$%^&*(),.?\":{}|<>", c) &&
	    c != '\0');
}

int
task_next_tag(const char *text, size_t n, size_t *pos, const char **tag,
    size_t *len)
{
	size_t from = *pos, i, j, ws;

	/*
	 * A global match: the blank before a '#' must come after the last
	 * tag, so "#a\t#b" is the one tag "#a" ('\t' does not end a tag).
	 */
	for (i = from; i < n; i++) {
		if (text[i] != '#')
			continue;
		if (i > 0 && ((ws = js_space_before(text, i)) == 0 ||
		    i - ws < from))
			continue;
		for (j = i + 1; j < n && !tag_stop((unsigned char)text[j]); j++)
			;
		if (j > i + 1) {
			*tag = text + i;
			*len = trim_end(text + i, j - i);
			*pos = j;
			return 1;
		}
	}
	*pos = n;
	return 0;
}

/* -------------------------------------------- fields at the end (emoji) */

enum value_kind {
	VK_NONE,	/* the symbol is the value: a priority */
	VK_DATE,	/* \d{4}-\d{2}-\d{2} */
	VK_RULE,	/* [a-zA-Z0-9, !]+: a recurrence rule */
	VK_WORD,	/* [a-zA-Z]+: onCompletion */
	VK_ID,		/* [a-zA-Z0-9-_]+ */
	VK_IDS,		/* ids separated by commas */
};

static int
value_char(enum value_kind k, unsigned char c)
{
	int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	int digit = c >= '0' && c <= '9';

	switch (k) {
	case VK_RULE:
		return alpha || digit || c == ',' || c == ' ' || c == '!';
	case VK_WORD:
		return alpha;
	case VK_ID:
		return alpha || digit || c == '-' || c == '_';
	case VK_IDS:
		return alpha || digit || c == '-' || c == '_' || c == ',' ||
		    c == ' ';
	case VK_NONE:
	case VK_DATE:
		break;
	}
	return 0;
}

static int
is_date_shape(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	int i;

	for (i = 0; i < 10; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return 0;
	return 1;
}

/* taskIdSequenceRegex: id( *, *id *)*, after optional spaces. */
static int
is_id_sequence(const char *s, size_t n)
{
	size_t i = 0;

	for (;;) {
		size_t start;

		while (i < n && s[i] == ' ')
			i++;
		start = i;
		while (i < n && value_char(VK_ID, (unsigned char)s[i]))
			i++;
		if (i == start)
			return 0;
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			return 1;
		if (s[i++] != ',')
			return 0;
	}
}

/*
 * The value of kind k that ends line[0..n): its start, or (size_t)-1.
 * *vn gets its length.
 */
static size_t
value_before(const char *line, size_t n, enum value_kind k, size_t *vn)
{
	size_t i = n;

	if (k == VK_NONE) {
		*vn = 0;
		return n;
	}
	if (k == VK_DATE) {
		if (n < 10 || !is_date_shape(line + n - 10))
			return (size_t)-1;
		*vn = 10;
		return n - 10;
	}
	while (i > 0 && value_char(k, (unsigned char)line[i - 1]))
		i--;
	if (i == n || (k == VK_IDS && !is_id_sequence(line + i, n - i)))
		return (size_t)-1;
	*vn = n - i;
	return i;
}

static size_t
skip_spaces_back(const char *s, size_t i)
{
	while (i > 0 && s[i - 1] == ' ')
		i--;
	return i;
}

static int
ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

#define VS16 "\xEF\xB8\x8F"	/* U+FE0F, the emoji presentation selector */

/*
 * "SYMBOL\uFE0F? *VALUE$" for one of the symbols (NULL-terminated) at
 * the end of line[0..*n): the symbol's index, the value in *v, and the
 * line cut before the symbol and trimmed; -1 when it does not end so.
 */
static int
peel_emoji(const char *line, size_t *n, const char *const *symbols,
    enum value_kind k, struct task_span *v)
{
	size_t vn, at = value_before(line, *n, k, &vn), end;
	int i;

	if (at == (size_t)-1)
		return -1;
	end = k == VK_NONE ? at : skip_spaces_back(line, at);
	if (ends_with(line, end, VS16))
		end -= 3;
	for (i = 0; symbols[i] != NULL; i++)
		if (ends_with(line, end, symbols[i]))
			break;
	if (symbols[i] == NULL)
		return -1;
	v->p = k == VK_NONE ? line + end - strlen(symbols[i]) : line + at;
	v->n = k == VK_NONE ? strlen(symbols[i]) : vn;
	*n = trim_end(line, end - strlen(symbols[i]));
	return i;
}

/* ------------------------------------------ fields at the end (Dataview) */

/*
 * "[key:: VALUE]" or "(key:: VALUE)" at the end of line[0..*n), a comma
 * after it allowed (toInlineFieldRegex: the opening '[' needs a ']'
 * somewhere after it, '(' a ')'; either closes).
 */
static int
peel_dataview(const char *line, size_t *n, const char *key,
    enum value_kind k, struct task_span *v)
{
	size_t end = *n, at, vn, open;

	if (end > 0 && line[end - 1] == ',')
		end = skip_spaces_back(line, end - 1);
	if (end == 0 || (line[end - 1] != ']' && line[end - 1] != ')'))
		return 0;
	end = skip_spaces_back(line, end - 1);
	at = value_before(line, end, k, &vn);
	if (at == (size_t)-1)
		return 0;
	if (k == VK_RULE || k == VK_IDS)
		while (vn > 0 && line[at] == ' ') {
			at++;
			vn--;
		}
	open = skip_spaces_back(line, at);
	if (!ends_with(line, open, key))
		return 0;
	open = skip_spaces_back(line, open - strlen(key));
	if (open == 0)
		return 0;
	open--;
	if (line[open] == '[' ? memchr(line + open + 1, ']', *n - open - 1) ==
	    NULL : line[open] != '(' || memchr(line + open + 1, ')', *n -
	    open - 1) == NULL)
		return 0;
	v->p = line + at;
	v->n = vn;
	*n = trim_end(line, open);
	return 1;
}

/* "[priority:: high]": the value is one of Tasks' words. */
static int
peel_dataview_priority(const char *line, size_t *n, enum task_priority *p)
{
	static const char *const words[] = { "lowest", "low", "medium",
		"high", "highest" };
	struct task_span v;
	size_t i, m = *n;

	if (!peel_dataview(line, &m, "priority::", VK_WORD, &v))
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (v.n == strlen(words[i]) && memcmp(v.p, words[i], v.n) == 0) {
			*p = (enum task_priority)(PRIORITY_LOWEST + i);
			*n = m;
			return 1;
		}
	return 0;
}

/* ------------------------------------------------------------ the loop */

static const struct {
	enum task_date date;
	const char *name;
	const char *const symbols[4];
	const char *dataview_key;
} date_fields[] = {
	/* The order of deserialize(): done, cancelled, due, ... */
	{ TD_DONE, "done", { "\xE2\x9C\x85", NULL }, "completion::" },
	{ TD_CANCELLED, "cancelled", { "\xE2\x9D\x8C", NULL }, "cancelled::" },
	{ TD_DUE, "due", { "\xF0\x9F\x93\x85", "\xF0\x9F\x93\x86",
	    "\xF0\x9F\x97\x93", NULL }, "due::" },
	{ TD_SCHEDULED, "scheduled", { "\xE2\x8F\xB3", "\xE2\x8C\x9B", NULL },
	    "scheduled::" },
	{ TD_START, "start", { "\xF0\x9F\x9B\xAB", NULL }, "start::" },
	{ TD_CREATED, "created", { "\xE2\x9E\x95", NULL }, "created::" },
};

/* Lowest to highest, as enum task_priority counts from PRIORITY_LOWEST. */
static const char *const priority_symbols[] = {
	"\xE2\x8F\xAC", "\xF0\x9F\x94\xBD", "\xF0\x9F\x94\xBC",
	"\xE2\x8F\xAB", "\xF0\x9F\x94\xBA", NULL
};
static const char *const recurrence_symbol[] = { "\xF0\x9F\x94\x81", NULL };
static const char *const on_completion_symbol[] = { "\xF0\x9F\x8F\x81", NULL };
static const char *const id_symbol[] = { "\xF0\x9F\x86\x94", NULL };
static const char *const depends_symbol[] = { "\xE2\x9B\x94", NULL };

const char *
task_date_name(enum task_date d)
{
	size_t i;

	for (i = 0; i < sizeof(date_fields) / sizeof(date_fields[0]); i++)
		if (date_fields[i].date == d)
			return date_fields[i].name;
	BUG("task date %d", (int)d);
}

static int
peel_field(const char *line, size_t *n, int dataview,
    const char *const *symbols, const char *key, enum value_kind k,
    struct task_span *v)
{
	if (dataview)
		return peel_dataview(line, n, key, k, v);
	return peel_emoji(line, n, symbols, k, v) >= 0;
}

static int
peel_priority(const char *line, size_t *n, int dataview,
    enum task_priority *p)
{
	struct task_span v;
	int i;

	if (dataview)
		return peel_dataview_priority(line, n, p);
	i = peel_emoji(line, n, priority_symbols, VK_NONE, &v);
	if (i < 0)
		return 0;
	*p = (enum task_priority)(PRIORITY_LOWEST + i);
	return 1;
}

static void
set_date(struct task_line *tl, enum task_date d, struct task_span v)
{
	int day;

	tl->date_text[d] = v;
	tl->dates[d] = date_parse_exact(v.p, v.n, &day) == DATE_OK ? day :
	    DATE_INVALID;
}

/* hashTagsFromEnd: a tag ends the line; it goes back at the description's end. */
static int
peel_tag(const char *line, size_t *n, struct task_span *tag)
{
	size_t i = *n, ws;

	while (i > 0 && !tag_stop((unsigned char)line[i - 1]))
		i--;
	if (i == 0 || line[i - 1] != '#' || i == *n)
		return 0;
	i--;
	ws = js_space_before(line, i);
	if (i > 0 && ws == 0)
		return 0;
	tag->p = line + i;
	tag->n = *n - i;
	*n = trim_end(line, i - ws);
	return 1;
}

/* The fields deserialize() tries before tags: did any come off the end? */
static int
peel_before_tags(struct task_line *tl, const char *line, size_t *n,
    int dataview)
{
	struct task_span v;
	int matched = 0;
	size_t i;

	if (peel_priority(line, n, dataview, &tl->priority))
		matched = 1;
	for (i = 0; i < sizeof(date_fields) / sizeof(date_fields[0]); i++)
		if (peel_field(line, n, dataview, date_fields[i].symbols,
		    date_fields[i].dataview_key, VK_DATE, &v)) {
			set_date(tl, date_fields[i].date, v);
			matched = 1;
		}
	if (peel_field(line, n, dataview, recurrence_symbol, "repeat::",
	    VK_RULE, &v)) {
		js_trim(&v.p, &v.n);
		tl->recurrence = v;
		matched = 1;
	}
	if (peel_field(line, n, dataview, on_completion_symbol,
	    "onCompletion::", VK_WORD, &tl->on_completion))
		matched = 1;
	return matched;
}

/* One pass of deserialize()'s loop: did any field come off the end? */
static int
peel_once(struct task_line *tl, const char *line, size_t *n, int dataview)
{
	/*
	 * Every signifier emoji has a byte past ASCII: an ASCII line in the
	 * emoji format can end in a tag only, and the fields' patterns need
	 * not each scan its words back.
	 */
	int fields = dataview || ascii_span(line, *n) < *n;
	int matched = fields && peel_before_tags(tl, line, n, dataview);

	if (tl->ntags < TASK_LINE_RUNS && peel_tag(line, n,
	    &tl->tags[tl->ntags])) {
		tl->ntags++;
		matched = 1;
	}
	if (!fields)
		return matched;
	if (peel_field(line, n, dataview, id_symbol, "id::", VK_ID, &tl->id))
		matched = 1;
	if (peel_field(line, n, dataview, depends_symbol, "dependsOn::",
	    VK_IDS, &tl->depends_on))
		matched = 1;
	return matched;
}

/* blockLinkRegex: " ^id" at the very end. */
static size_t
without_block_link(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && (value_char(VK_ID, (unsigned char)s[i - 1]) &&
	    s[i - 1] != '_'))
		i--;
	if (i == n || i < 2 || s[i - 1] != '^' || s[i - 2] != ' ')
		return n;
	return trim_end(s, i - 2);
}

void
task_line_read(const char *text, size_t n, int dataview,
    struct task_line *tl)
{
	size_t len, d;
	int runs;

	memset(tl, 0, sizeof(*tl));
	for (d = 0; d <= TD_LAST; d++)
		tl->dates[d] = DATE_NONE;
	tl->priority = PRIORITY_NONE;
	js_trim(&text, &n);
	tl->body.p = text;
	tl->body.n = without_block_link(text, n);
	len = tl->body.n;
	for (runs = 0; runs < TASK_LINE_RUNS; runs++)
		if (!peel_once(tl, text, &len, dataview))
			break;
	tl->desclen = len;
}

void
task_line_check(const struct task_line *tl, const char *path, int line,
    struct diag_list *dl)
{
	size_t i;

	for (i = 0; i < sizeof(date_fields) / sizeof(date_fields[0]); i++) {
		enum task_date d = date_fields[i].date;

		if (tl->dates[d] == DATE_INVALID)
			diag_error(dl, DIAG_NOTE, path, line,
			    "write a real calendar date as YYYY-MM-DD",
			    "impossible %s date \"%.*s\"", date_fields[i].name,
			    (int)tl->date_text[d].n, tl->date_text[d].p);
	}
}

int
task_line_has_more(const struct task_line *tl)
{
	size_t d;

	for (d = 0; d <= TD_LAST; d++)
		if (d != TD_DUE && tl->dates[d] != DATE_NONE)
			return 1;
	return tl->recurrence.p || tl->id.p || tl->depends_on.p;
}

/* ---------------------------------------------------- the description */

void
task_description(const struct task *t, const struct obsidian_settings *s,
    int strip_global, struct strbuf *sb)
{
	struct task_line tl;
	size_t i;

	task_line_read(t->text, strlen(t->text), s->dataview_format, &tl);
	strbuf_reset(sb);
	strbuf_add(sb, tl.body.p, tl.desclen);
	if (tl.ntags > 0)
		strbuf_addch(sb, ' ');
	for (i = tl.ntags; i-- > 0;) {
		strbuf_add(sb, tl.tags[i].p, tl.tags[i].n);
		if (i > 0)
			strbuf_addch(sb, ' ');
	}
	if (strip_global && s->global_filter && s->global_filter[0]) {
		const char *p = sb->buf, *hit = memmem(sb->buf, sb->len,
		    s->global_filter, strlen(s->global_filter));
		size_t n;

		if (hit != NULL) {
			size_t k = strlen(s->global_filter);

			memmove((char *)hit, hit + k, sb->len - (size_t)(hit -
			    sb->buf) - k);
			sb->len -= k;
			sb->buf[sb->len] = '\0';
		}
		n = sb->len;
		js_trim(&p, &n);
		memmove(sb->buf, p, n);
		sb->len = n;
		sb->buf[n] = '\0';
	}
}

int
task_priority_rank(enum task_priority p)
{
	switch (p) {
	case PRIORITY_LOWEST:
		return 1;
	case PRIORITY_LOW:
		return 2;
	case PRIORITY_NONE:
		return 3;
	case PRIORITY_MEDIUM:
		return 4;
	case PRIORITY_HIGH:
		return 5;
	case PRIORITY_HIGHEST:
		return 6;
	}
	BUG("task priority %d", (int)p);
}

const char *
task_priority_name(enum task_priority p)
{
	static const char *const names[] = { "none", "lowest", "low",
		"medium", "high", "highest" };

	if ((unsigned)p > PRIORITY_LAST)
		BUG("task priority %d", (int)p);
	return names[p];
}
