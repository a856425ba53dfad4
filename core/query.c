/*
 * query.c - the ```tasks query blocks of Obsidian Tasks (see query.h and
 * docs/rules.md, "Query blocks").
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "util.h"

static const char *const presentation[] = {
	"sort by ", "group by ", "limit ", "hide ", "show ",
};
static const char *const presentation_words[] = {
	"explain", "short mode", "short", "full mode", "full",
};

struct placeholder {
	const char *name;
	const char *value;
};

/* Does s (n bytes) start with word, case-insensitively? */
static int
starts(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && ascii_casecmp_n(s, w, word, w) == 0;
}

static int
equals(const char *s, size_t n, const char *word)
{
	return ascii_casecmp_n(s, n, word, strlen(word)) == 0;
}

static int
is_presentation(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(presentation) / sizeof(presentation[0]); i++)
		if (starts(s, n, presentation[i]))
			return 1;
	for (i = 0; i < sizeof(presentation_words) /
	    sizeof(presentation_words[0]); i++)
		if (equals(s, n, presentation_words[i]))
			return 1;
	return 0;
}

static void
expand_placeholders(struct strbuf *out, const char *s, size_t n,
    const struct placeholder *ph, size_t nph)
{
	size_t i = 0, k;

	while (i < n) {
		int done = 0;

		for (k = 0; k < nph && s[i] == '{'; k++) {
			size_t len = strlen(ph[k].name);

			if (n - i >= len && memcmp(s + i, ph[k].name, len) == 0) {
				strbuf_adds(out, ph[k].value);
				i += len;
				done = 1;
				break;
			}
		}
		if (!done)
			strbuf_addch(out, s[i++]);
	}
}

static int
parse_number(const char *s, size_t n, int *value)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 6)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value = (int)v;
	return 0;
}

/* "2026-01-10", "today", "in 3 days", "2 days ago", ... */
static int
parse_when(const char *s, size_t n, struct query_filter *f)
{
	int days;
	size_t sp;

	trim_span(&s, &n);
	f->date_relative = 1;
	if (equals(s, n, "today")) {
		f->date = 0;
		return 0;
	}
	if (equals(s, n, "tomorrow")) {
		f->date = 1;
		return 0;
	}
	if (equals(s, n, "yesterday")) {
		f->date = -1;
		return 0;
	}
	if (starts(s, n, "in ")) {
		s += 3;
		n -= 3;
		for (sp = 0; sp < n && s[sp] != ' '; sp++)
			;
		if (parse_number(s, sp, &days) == 0 &&
		    (equals(s + sp, n - sp, " days") ||
		    equals(s + sp, n - sp, " day"))) {
			f->date = days;
			return 0;
		}
		return -1;
	}
	for (sp = 0; sp < n && s[sp] != ' '; sp++)
		;
	if (sp < n && parse_number(s, sp, &days) == 0 &&
	    (equals(s + sp, n - sp, " days ago") ||
	    equals(s + sp, n - sp, " day ago"))) {
		f->date = -days;
		return 0;
	}
	f->date_relative = 0;
	return date_parse_exact(s, n, &f->date) == DATE_OK ? 0 : -1;
}

static int
parse_due(const char *s, size_t n, struct query_filter *f)
{
	static const struct {
		const char *word;
		enum query_cmp cmp;
	} cmps[] = {
		{ "on or before ", QC_ON_OR_BEFORE },
		{ "on or after ", QC_ON_OR_AFTER },
		{ "before ", QC_BEFORE },
		{ "after ", QC_AFTER },
		{ "on ", QC_ON },
	};
	size_t i;

	f->field = QF_DUE;
	for (i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		size_t w = strlen(cmps[i].word);

		if (starts(s, n, cmps[i].word)) {
			f->cmp = cmps[i].cmp;
			return parse_when(s + w, n - w, f);
		}
	}
	return -1;
}

static int
parse_status_type(const char *s, size_t n, struct query_filter *f)
{
	static const struct {
		const char *word;
		enum task_status status;
	} types[] = {
		{ "TODO", TASK_TODO },
		{ "IN_PROGRESS", TASK_IN_PROGRESS },
		{ "DONE", TASK_DONE },
		{ "CANCELLED", TASK_CANCELLED },
	};
	size_t i;

	f->field = QF_STATUS_TYPE;
	if (starts(s, n, "not ")) {
		f->negate = 1;
		s += 4;
		n -= 4;
	}
	trim_span(&s, &n);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (equals(s, n, types[i].word)) {
			f->status = (int)types[i].status;
			return 0;
		}
	return -1;
}

static int
parse_includes(struct arena *a, const char *s, size_t n,
    struct query_filter *f)
{
	static const struct {
		const char *word;
		int negate;
	} verbs[] = {
		{ "includes ", 0 }, { "include ", 0 },
		{ "does not include ", 1 }, { "do not include ", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		size_t w = strlen(verbs[i].word);

		if (!starts(s, n, verbs[i].word))
			continue;
		s += w;
		n -= w;
		trim_span(&s, &n);
		if (f->field == QF_TAGS && n > 0 && s[0] == '#') {
			s++;
			n--;
		}
		f->negate = verbs[i].negate;
		f->text = arena_strndup(a, s, n);
		f->textlen = (uint32_t)n;
		return 0;
	}
	return -1;
}

static int
parse_filter(struct arena *a, const char *s, size_t n,
    struct query_filter *f)
{
	static const struct {
		const char *word;
		enum query_field field;
	} fields[] = {
		{ "path ", QF_PATH }, { "folder ", QF_FOLDER },
		{ "filename ", QF_FILENAME }, { "description ", QF_DESCRIPTION },
		{ "tags ", QF_TAGS }, { "tag ", QF_TAGS },
	};
	size_t i;

	memset(f, 0, sizeof(*f));
	if (equals(s, n, "done") || equals(s, n, "not done")) {
		f->field = QF_DONE;
		f->negate = n > 4;
		return 0;
	}
	if (equals(s, n, "has due date") || equals(s, n, "no due date")) {
		f->field = QF_HAS_DUE;
		f->negate = starts(s, n, "no ");
		return 0;
	}
	if (starts(s, n, "due "))
		return parse_due(s + 4, n - 4, f);
	if (starts(s, n, "status.type is "))
		return parse_status_type(s + 15, n - 15, f);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t w = strlen(fields[i].word);

		if (starts(s, n, fields[i].word)) {
			f->field = fields[i].field;
			return parse_includes(a, s + w, n - w, f);
		}
	}
	return -1;
}

int
query_parse(struct arena *a, const char *path, size_t note, int fence_line,
    const struct query_line *lines, size_t nlines, struct query *q,
    struct diag_list *dl)
{
	const char *slash = strrchr(path, '/');
	const char *first = strchr(path, '/');
	char *folder = slash ? xstrndup(path, (size_t)(slash - path) + 1)
	    : xstrdup("/");
	char *root = first ? xstrndup(path, (size_t)(first - path) + 1)
	    : xstrdup("/");
	struct placeholder ph[] = {
		{ "{{query.file.path}}", path },
		{ "{{query.file.folder}}", folder },
		{ "{{query.file.filename}}", slash ? slash + 1 : path },
		{ "{{query.file.root}}", root },
	};
	struct query_filter *filters = NULL;
	size_t nfilters = 0, cap = 0, i;
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	for (i = 0; i < nlines; i++) {
		const char *s = lines[i].text;
		size_t n = lines[i].len;

		trim_span(&s, &n);
		if (n == 0 || s[0] == '#' || is_presentation(s, n))
			continue;
		strbuf_reset(&sb);
		expand_placeholders(&sb, s, n, ph, sizeof(ph) / sizeof(ph[0]));
		GROW(filters, cap, nfilters + 1);
		if (parse_filter(a, strbuf_str(&sb), sb.len,
		    &filters[nfilters]) != 0) {
			diag_warn(dl, DIAG_NOTE, path, lines[i].line,
			    "followup reads done, not done, path/folder/"
			    "filename/description includes, tags include, "
			    "has/no due date, due before/after/on DATE and "
			    "status.type is; it does not guess the rest",
			    "tasks query line \"%.*s\" is not supported: the "
			    "block is skipped", (int)n, s);
			rc = -1;
			break;
		}
		nfilters++;
	}
	if (rc == 0) {
		q->note = note;
		q->line = fence_line;
		q->nfilters = nfilters;
		q->filters = arena_alloc(a, (nfilters ? nfilters : 1) *
		    sizeof(*filters));
		if (nfilters)
			memcpy(q->filters, filters, nfilters * sizeof(*filters));
	}
	free(filters);
	free(folder);
	free(root);
	strbuf_release(&sb);
	return rc;
}
