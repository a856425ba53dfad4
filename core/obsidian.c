/*
 * obsidian.c - the vault's own settings (see obsidian.h). The defaults
 * are Tasks' own: StatusSettings' core statuses (Todo, Done) and its
 * default custom ones (In Progress, Cancelled), the emoji format, no
 * global filter or query.
 */
#include "obsidian.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "diag.h"
#include "fileio.h"
#include "strmap.h"
#include "util.h"

/* A settings file larger than this is not what Obsidian writes. */
#define SETTINGS_MAX_FILE ((size_t)4 << 20)

/*
 * Tasks' defaultPresets (Presets.ts): there unless data.json has its own.
 * Initialised at compile time: the scan's threads read it unlocked.
 */
#define P(name, query) { (char *)(name), (char *)(query) }
static struct query_preset default_presets[] = {
	P("this_file", "path includes {{query.file.path}}"),
	P("this_folder", "folder includes {{query.file.folder}}"),
	P("this_folder_only",
	    "filter by function task.file.folder === query.file.folder"),
	P("this_root", "root includes {{query.file.root}}"),
	P("hide_date_fields", "# Hide any values for all date fields\n"
	    "hide due date\nhide scheduled date\nhide start date\n"
	    "hide created date\nhide done date\nhide cancelled date"),
	P("hide_non_date_fields", "# Hide all the non-date fields, but not "
	    "tags\nhide id\nhide depends on\nhide recurrence rule\n"
	    "hide on completion\nhide priority"),
	P("hide_query_elements", "# Hide toolbar, postpone, edit and "
	    "backlinks\nhide toolbar\nhide postpone button\n"
	    "hide edit button\nhide backlinks"),
	P("hide_everything", "# Hide everything except description and any "
	    "tags\npreset hide_date_fields\npreset hide_non_date_fields\n"
	    "preset hide_query_elements"),
};
#undef P
#define NDEFAULT_PRESETS (sizeof(default_presets) / sizeof(default_presets[0]))

static const struct {
	const char *symbol, *name;
	enum task_status type;
} default_statuses[] = {
	{ " ", "Todo", TASK_TODO },
	{ "x", "Done", TASK_DONE },
	{ "/", "In Progress", TASK_IN_PROGRESS },
	{ "-", "Cancelled", TASK_CANCELLED },
};

void
obsidian_settings_defaults(struct obsidian_settings *s)
{
	size_t i, n = sizeof(default_statuses) / sizeof(default_statuses[0]);

	memset(s, 0, sizeof(*s));
	s->statuses = xcalloc(n, sizeof(*s->statuses));
	for (i = 0; i < n; i++) {
		strcpy(s->statuses[i].symbol, default_statuses[i].symbol);
		s->statuses[i].name = xstrdup(default_statuses[i].name);
		s->statuses[i].type = default_statuses[i].type;
	}
	s->nstatuses = n;
	s->filename_date_format = xstrdup("");
	s->presets = xcalloc(NDEFAULT_PRESETS, sizeof(*s->presets));
	for (i = 0; i < NDEFAULT_PRESETS; i++) {
		s->presets[i].name = xstrdup(default_presets[i].name);
		s->presets[i].query = xstrdup(default_presets[i].query);
	}
	s->npresets = NDEFAULT_PRESETS;
}

/* Initialised at compile time: the scan's threads read it unlocked. */
static struct status_def builtin_statuses[] = {
	{ " ", (char *)"Todo", TASK_TODO },
	{ "x", (char *)"Done", TASK_DONE },
	{ "/", (char *)"In Progress", TASK_IN_PROGRESS },
	{ "-", (char *)"Cancelled", TASK_CANCELLED },
};
static const struct obsidian_settings builtin_settings = {
	.statuses = builtin_statuses,
	.nstatuses = sizeof(builtin_statuses) / sizeof(builtin_statuses[0]),
	.filename_date_format = (char *)"",
	.presets = default_presets,
	.npresets = NDEFAULT_PRESETS,
};

const struct obsidian_settings *
obsidian_settings_builtin(void)
{
	return &builtin_settings;
}

const struct obsidian_settings *
vault_settings(const struct vault *v)
{
	return v->settings ? v->settings : obsidian_settings_builtin();
}

const struct status_def *
obsidian_status(const struct obsidian_settings *s, const char *sym,
    size_t len)
{
	static const struct status_def unknown = { "", "Unknown", TASK_TODO };
	size_t i;

	for (i = 0; i < s->nstatuses; i++)
		if (strlen(s->statuses[i].symbol) == len &&
		    memcmp(s->statuses[i].symbol, sym, len) == 0)
			return &s->statuses[i];
	return &unknown;
}

unsigned long long
obsidian_parse_hash(const struct obsidian_settings *s)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long h;
	size_t i;

	strbuf_addf(&sb, "format %d\nfilter %s\nfilename %d %s\n",
	    s->dataview_format, s->global_filter ? s->global_filter : "",
	    s->filename_as_scheduled, s->filename_date_format);
	for (i = 0; i < s->nfilename_date_folders; i++)
		strbuf_addf(&sb, "folder %s\n", s->filename_date_folders[i]);
	for (i = 0; i < s->nstatuses; i++)
		strbuf_addf(&sb, "status %s %d %s\n", s->statuses[i].symbol,
		    (int)s->statuses[i].type, s->statuses[i].name);
	strbuf_addf(&sb, "daily %s %s\n", s->daily_folder ? s->daily_folder :
	    "", s->daily_format ? s->daily_format : "");
	/* A block is parsed with the global query and the presets. */
	strbuf_addf(&sb, "global query %zu %s\n", s->global_query ?
	    strlen(s->global_query) : 0, s->global_query ? s->global_query :
	    "");
	for (i = 0; i < s->npresets; i++)
		strbuf_addf(&sb, "preset %zu %s %zu %s\n",
		    strlen(s->presets[i].name), s->presets[i].name,
		    strlen(s->presets[i].query), s->presets[i].query);
	h = hash_fnv1a64(sb.buf, sb.len);
	strbuf_release(&sb);
	return h;
}

void
obsidian_settings_release(struct obsidian_settings *s)
{
	size_t i;

	for (i = 0; i < s->nstatuses; i++)
		free(s->statuses[i].name);
	free(s->statuses);
	for (i = 0; i < s->nfilename_date_folders; i++)
		free(s->filename_date_folders[i]);
	free(s->filename_date_folders);
	for (i = 0; i < s->npresets; i++) {
		free(s->presets[i].name);
		free(s->presets[i].query);
	}
	free(s->presets);
	free(s->global_filter);
	free(s->global_query);
	free(s->filename_date_format);
	free(s->templates_folder);
	free(s->daily_folder);
	free(s->daily_format);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------ filename as date */

static int
days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* moment([y, m - 1, d]).isValid(), as a day number or DATE_NONE. */
static int
valid_date(int y, int m, int d)
{
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return DATE_NONE;
	return date_from_ymd(y, m, d);
}

/* Read exactly min..max digits at *p into *out; 0 when there are none. */
static int
take_digits(const char **p, const char *end, size_t min, size_t max,
    int *out)
{
	size_t n = 0;
	int v = 0;

	while (*p + n < end && n < max && isdigit((unsigned char)(*p)[n]))
		v = v * 10 + ((*p)[n++] - '0');
	if (n < min)
		return 0;
	*p += n;
	*out = v;
	return 1;
}

static const char *const month_names[12] = { "January", "February",
	"March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December" };
static const char *const day_names[7] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };

/*
 * Match one of names (whole, or its first three letters when short) at
 * *p, case-insensitively as moment does; its index, or -1.
 */
static int
take_name(const char **p, const char *end, const char *const *names,
    int n, int short_form)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t len = short_form ? 3 : strlen(names[i]);

		if ((size_t)(end - *p) >= len &&
		    strncasecmp(*p, names[i], len) == 0) {
			*p += len;
			return i;
		}
	}
	return -1;
}

/* The format's tokens this reader knows, longest first. */
enum token { T_YYYY, T_YY, T_MMMM, T_MMM, T_MM, T_M, T_Do, T_DD, T_D,
	T_dddd, T_ddd, T_NONE };
static const char *const tokens[] = { "YYYY", "YY", "MMMM", "MMM", "MM",
	"M", "Do", "DD", "D", "dddd", "ddd" };

static enum token
token_at(const char *f, size_t *len)
{
	size_t i;

	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
		*len = strlen(tokens[i]);
		if (strncmp(f, tokens[i], *len) == 0)
			return (enum token)i;
	}
	return T_NONE;
}

/* Read one token's value at *p into the date's parts; 0: no match. */
static int
take_token(enum token t, const char **p, const char *end, int *y, int *m,
    int *d, int *wday)
{
	int v;

	switch (t) {
	case T_YYYY:
		return take_digits(p, end, 4, 4, y);
	case T_YY:
		if (!take_digits(p, end, 2, 2, &v))
			return 0;
		/* moment's parseTwoDigitYear() */
		*y = v + (v > 68 ? 1900 : 2000);
		return 1;
	case T_MMMM:
	case T_MMM:
		v = take_name(p, end, month_names, 12, t == T_MMM);
		*m = v + 1;
		return v >= 0;
	case T_MM:
		return take_digits(p, end, 2, 2, m);
	case T_M:
		return take_digits(p, end, 1, 2, m);
	case T_DD:
		return take_digits(p, end, 2, 2, d);
	case T_D:
		return take_digits(p, end, 1, 2, d);
	case T_Do:
		if (!take_digits(p, end, 1, 2, d) || end - *p < 2)
			return 0;
		*p += 2;	/* st, nd, rd, th: checked below */
		return strncmp(*p - 2, *d % 10 == 1 && *d != 11 ? "st" :
		    *d % 10 == 2 && *d != 12 ? "nd" : *d % 10 == 3 &&
		    *d != 13 ? "rd" : "th", 2) == 0;
	case T_dddd:
	case T_ddd:
		*wday = take_name(p, end, day_names, 7, t == T_ddd);
		return *wday >= 0;
	case T_NONE:
		break;
	}
	return 0;
}

/*
 * moment(name, fmt, true): the whole name must match the format. Knows
 * the tokens above, [escaped text] and other characters as themselves;
 * a format with another letter token is not understood (DATE_NONE, and
 * the fixed patterns are tried).
 */
static int
date_from_format(const char *name, size_t len, const char *fmt)
{
	const char *p = name, *end = name + len;
	int y = INT_MIN, m = 1, d = 1, wday = -1, day;
	size_t tlen;

	while (*fmt != '\0') {
		enum token t = token_at(fmt, &tlen);

		if (t != T_NONE) {
			if (!take_token(t, &p, end, &y, &m, &d, &wday))
				return DATE_NONE;
			fmt += tlen;
		} else if (*fmt == '[') {
			const char *close = strchr(fmt + 1, ']');
			size_t n;

			if (close == NULL)
				return DATE_NONE;
			n = (size_t)(close - fmt - 1);
			if ((size_t)(end - p) < n || memcmp(p, fmt + 1, n) != 0)
				return DATE_NONE;
			p += n;
			fmt = close + 1;
		} else if (isalpha((unsigned char)*fmt)) {
			return DATE_NONE;	/* a token not known here */
		} else {
			if (p >= end || *p != *fmt)
				return DATE_NONE;
			p++;
			fmt++;
		}
	}
	if (p != end || y == INT_MIN)
		return DATE_NONE;
	day = valid_date(y, m, d);
	/* Strict moment refuses a weekday that is not the date's. */
	if (day != DATE_NONE && wday >= 0 && ((day % 7 + 11) % 7) != wday)
		return DATE_NONE;
	return day;
}

/* The first run of digits like YYYY-MM-DD (dashes: 1) or YYYYMMDD. */
static const char *
find_date_digits(const char *s, size_t len, int dashes)
{
	size_t want = dashes ? 10 : 8, i, k;

	for (i = 0; i + want <= len; i++) {
		for (k = 0; k < want; k++) {
			int dash = dashes && (k == 4 || k == 7);

			if (dash ? s[i + k] != '-' :
			    !isdigit((unsigned char)s[i + k]))
				break;
		}
		if (k == want)
			return s + i;
	}
	return NULL;
}

static int
digits(const char *p, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*p++ - '0');
	return v;
}

static int
in_date_folders(const struct obsidian_settings *s, const char *relpath)
{
	size_t i, n;

	if (s->nfilename_date_folders == 0)
		return 1;
	for (i = 0; i < s->nfilename_date_folders; i++) {
		n = strlen(s->filename_date_folders[i]);
		if (strncmp(relpath, s->filename_date_folders[i], n) == 0 &&
		    relpath[n] == '/')
			return 1;
	}
	return 0;
}

int
obsidian_filename_date(const struct obsidian_settings *s,
    const char *relpath)
{
	const char *slash, *dot, *base, *hit;
	size_t len;
	int day;

	if (!s->filename_as_scheduled || !in_date_folders(s, relpath))
		return DATE_NONE;
	slash = strrchr(relpath, '/');
	base = slash ? slash + 1 : relpath;
	dot = strrchr(base, '.');
	len = dot ? (size_t)(dot - base) : strlen(base);
	if (s->filename_date_format[0] != '\0' &&
	    (day = date_from_format(base, len, s->filename_date_format)) !=
	    DATE_NONE)
		return day;
	if ((hit = find_date_digits(base, len, 1)) != NULL)
		return valid_date(digits(hit, 4), digits(hit + 5, 2),
		    digits(hit + 8, 2));
	if ((hit = find_date_digits(base, len, 0)) != NULL)
		return valid_date(digits(hit, 4), digits(hit + 4, 2),
		    digits(hit + 6, 2));
	return DATE_NONE;
}

/* ------------------------------------------------------------ loading */

/* The file being read, for its warnings. */
struct reading {
	const char *file;	/* from the vault's root */
	struct diag_list *dl;
	const char *within;	/* the keys around the object read, or NULL */
};

static void
wrong_type(const struct reading *r, const char *key, const char *want)
{
	diag_warn(r->dl, DIAG_NOTE, r->file, 0,
	    "fix it in the plugin's settings; the default holds meanwhile",
	    "setting \"%s%s%s\" is not %s: ignored", r->within ? r->within :
	    "", r->within ? "." : "", key, want);
}

/* *out = the string at key, when it is one; 1 when there is one. */
static int
get_string(const struct reading *r, json_t *obj, const char *key,
    const char **out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		wrong_type(r, key, "a string");
		return 0;
	}
	*out = json_string_value(v);
	return 1;
}

static void
get_bool(const struct reading *r, json_t *obj, const char *key, int *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return;
	if (!json_is_boolean(v))
		wrong_type(r, key, "true or false");
	else
		*out = json_is_true(v);
}

/* Replace *field with a copy of the string at key; "" makes it NULL. */
static void
get_optional(const struct reading *r, json_t *obj, const char *key,
    char **field)
{
	const char *v;

	if (!get_string(r, obj, key, &v))
		return;
	free(*field);
	*field = v[0] != '\0' ? xstrdup(v) : NULL;
}

/* Status.getTypeFromStatusTypeString(): an unknown name is TODO. */
static enum task_status
status_type_named(const char *name)
{
	static const struct {
		const char *name;
		enum task_status type;
	} types[] = {
		{ "TODO", TASK_TODO },
		{ "DONE", TASK_DONE },
		{ "IN_PROGRESS", TASK_IN_PROGRESS },
		{ "ON_HOLD", TASK_ON_HOLD },
		{ "CANCELLED", TASK_CANCELLED },
		{ "NON_TASK", TASK_NON_TASK },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (name != NULL && strcmp(name, types[i].name) == 0)
			return types[i].type;
	return TASK_TODO;
}

static size_t
utf8_char_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0)
		return 2;
	if ((p[0] & 0xF0) == 0xE0)
		return 3;
	return 4;
}

/* The statuses read so far, and their symbols (to keep the first). */
struct status_list {
	struct status_def *v;
	size_t n, cap;
	struct strmap seen;
};

/* Append a copy of d unless its symbol is there already. */
static void
add_status(struct status_list *l, const char *sym, const char *name,
    enum task_status type)
{
	struct status_def *d;

	if (strmap_has(&l->seen, sym, strlen(sym)))
		return;
	strmap_add(&l->seen, sym, strlen(sym), l->n);
	GROW(l->v, l->cap, l->n + 1);
	d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	strcpy(d->symbol, sym);
	d->name = xstrdup(name);
	d->type = type;
}

/*
 * Append the statuses of the array at key to *list. StatusRegistry.add()
 * keeps the first status of a symbol and drops the later ones; a symbol
 * that is not one character can never be a checkbox's.
 */
static void
read_status_list(const struct reading *outer, json_t *settings,
    const char *key, int custom, struct status_list *l)
{
	json_t *arr = json_object_get(settings, key), *st;
	char *within = xasprintf("statusSettings.%s[]", key);
	struct reading each = { outer->file, outer->dl, within };
	struct reading inside = { outer->file, outer->dl, "statusSettings" };
	const struct reading *r = &each;
	size_t i;

	json_array_foreach(arr, i, st) {
		const char *sym = custom ? " " : NULL, *name = "", *type = NULL;

		if (!json_is_object(st)) {
			wrong_type(&inside, key, "a list of statuses");
			continue;
		}
		get_string(r, st, "symbol", &sym);
		get_string(r, st, "name", &name);
		get_string(r, st, "type", &type);
		/* The settings tab adds a status with no symbol: unused. */
		if (sym == NULL || sym[0] == '\0')
			continue;
		if (strlen(sym) != utf8_char_len((const unsigned char *)sym)) {
			diag_warn(r->dl, DIAG_NOTE, r->file, 0,
			    "a checkbox holds one character",
			    "status \"%s\" has the symbol \"%s\", which no "
			    "checkbox can hold: ignored", name, sym);
			continue;
		}
		add_status(l, sym, name, status_type_named(type));
	}
	free(within);
}

static void
free_statuses(struct status_def *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

/*
 * statusSettings replaces the whole of Tasks' default (the settings are
 * merged key by key at the top only): its coreStatuses, then its
 * customStatuses. A list it lacks keeps the default's.
 */
static void
read_statuses(struct obsidian_settings *s, const struct reading *r,
    json_t *root)
{
	json_t *ss = json_object_get(root, "statusSettings");
	struct status_list l = { NULL, 0, 0, { 0 } };
	size_t i, k, ncore = 2;
	const char *keys[2] = { "coreStatuses", "customStatuses" };
	struct reading inside = { r->file, r->dl, "statusSettings" };

	if (ss == NULL || json_is_null(ss))
		return;
	if (!json_is_object(ss)) {
		wrong_type(r, "statusSettings", "an object");
		return;
	}
	strmap_init(&l.seen);
	for (i = 0; i < 2; i++) {
		json_t *arr = json_object_get(ss, keys[i]);
		size_t from = i == 0 ? 0 : ncore;
		size_t to = i == 0 ? ncore : s->nstatuses;

		if (json_is_array(arr)) {
			read_status_list(r, ss, keys[i], i == 1, &l);
			continue;
		}
		if (arr != NULL && !json_is_null(arr))
			wrong_type(&inside, keys[i], "a list of statuses");
		for (k = from; k < to && k < s->nstatuses; k++)
			add_status(&l, s->statuses[k].symbol,
			    s->statuses[k].name, s->statuses[k].type);
	}
	strmap_release(&l.seen);
	free_statuses(s->statuses, s->nstatuses);
	s->statuses = l.v;
	s->nstatuses = l.n;
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A folder as Tasks compares it: without the "/" at either end. */
static char *
folder_dup(const char *f)
{
	size_t n;

	while (*f == '/')
		f++;
	n = strlen(f);
	while (n > 0 && f[n - 1] == '/')
		n--;
	return xstrndup(f, n);
}

static void
read_filename_date(struct obsidian_settings *s, const struct reading *r,
    json_t *root)
{
	json_t *arr = json_object_get(root, "filenameAsDateFolders"), *v;
	const char *fmt;
	size_t i;

	get_bool(r, root, "useFilenameAsScheduledDate",
	    &s->filename_as_scheduled);
	if (get_string(r, root, "filenameAsScheduledDateFormat", &fmt)) {
		free(s->filename_date_format);
		s->filename_date_format = xstrdup(fmt);
	}
	if (arr == NULL || json_is_null(arr))
		return;
	if (!json_is_array(arr)) {
		wrong_type(r, "filenameAsDateFolders", "a list of folders");
		return;
	}
	free_strings(s->filename_date_folders, s->nfilename_date_folders);
	s->filename_date_folders = xcalloc(json_array_size(arr) + 1,
	    sizeof(char *));
	s->nfilename_date_folders = 0;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			wrong_type(r, "filenameAsDateFolders",
			    "a list of folders");
			continue;
		}
		/* As written: Tasks compares it so (DateFallback.ts). */
		s->filename_date_folders[s->nfilename_date_folders++] =
		    xstrdup(json_string_value(v));
	}
}

static void
free_presets(struct query_preset *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].query);
	}
	free(p);
}

/* presets replaces Tasks' defaults whole, as the top-level merge does. */
static void
read_presets(struct obsidian_settings *s, const struct reading *r,
    json_t *root)
{
	json_t *obj = json_object_get(root, "presets"), *v;
	const char *name;
	size_t n = 0;

	if (obj == NULL || json_is_null(obj))
		return;
	if (!json_is_object(obj)) {
		wrong_type(r, "presets", "an object of named queries");
		return;
	}
	free_presets(s->presets, s->npresets);
	s->presets = xcalloc(json_object_size(obj) + 1, sizeof(*s->presets));
	json_object_foreach(obj, name, v) {
		if (!json_is_string(v)) {
			wrong_type(r, "presets", "an object of named queries");
			continue;
		}
		s->presets[n].name = xstrdup(name);
		s->presets[n].query = xstrdup(json_string_value(v));
		n++;
	}
	s->npresets = n;
}

static void
read_format(struct obsidian_settings *s, const struct reading *r,
    json_t *root)
{
	const char *fmt;

	if (!get_string(r, root, "taskFormat", &fmt))
		return;
	if (strcmp(fmt, "dataview") == 0)
		s->dataview_format = 1;
	else if (strcmp(fmt, "tasksPluginEmoji") == 0)
		s->dataview_format = 0;
	else
		diag_warn(r->dl, DIAG_NOTE, r->file, 0,
		    "Tasks knows \"tasksPluginEmoji\" and \"dataview\"",
		    "setting \"taskFormat\" is \"%s\": the emoji format holds",
		    fmt);
}

/* The JSON object in json, or NULL after a warning. */
static json_t *
parse_object(const struct reading *r, const char *json, size_t len)
{
	json_error_t err;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES |
	    JSON_ALLOW_NUL, &err);

	if (root == NULL) {
		diag_warn(r->dl, DIAG_NOTE, r->file, err.line > 0 ? err.line :
		    0, "fix the file, or let Obsidian write it again; the "
		    "defaults hold meanwhile", "not valid JSON: %s", err.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		diag_warn(r->dl, DIAG_NOTE, r->file, 0,
		    "the defaults hold meanwhile",
		    "not a JSON object of settings: ignored");
		json_decref(root);
		return NULL;
	}
	return root;
}

void
obsidian_settings_read_tasks(struct obsidian_settings *s, const char *json,
    size_t len, const char *file, struct diag_list *dl)
{
	struct reading r = { file, dl, NULL };
	json_t *root = parse_object(&r, json, len);

	if (root == NULL)
		return;
	s->sources |= OBSIDIAN_READ_TASKS;
	read_format(s, &r, root);
	get_optional(&r, root, "globalFilter", &s->global_filter);
	get_bool(&r, root, "removeGlobalFilter", &s->remove_global_filter);
	get_optional(&r, root, "globalQuery", &s->global_query);
	read_statuses(s, &r, root);
	read_filename_date(s, &r, root);
	read_presets(s, &r, root);
	json_decref(root);
}

/*
 * The bytes of rel (under root) when it is a regular file inside the
 * vault; NULL when it is missing (silently) or refused (a warning).
 */
static char *
read_settings_file(const char *root, const char *realroot, const char *rel,
    size_t *len, struct diag_list *dl)
{
	char *path = xasprintf("%s/%s", root, rel), *real, *buf = NULL;
	const char *why = NULL;

	real = realpath(path, NULL);
	if (real == NULL) {
		if (errno != ENOENT && errno != ENOTDIR)
			why = strerror(errno);
	} else if (!path_is_inside(real, realroot))
		why = "it is a link to a file outside the vault";
	else if (file_read_regular(real, SETTINGS_MAX_FILE, &buf, len,
	    NULL, &why) > 0)
		why = NULL;
	if (why != NULL)
		diag_warn(dl, DIAG_NOTE, rel, 0, "the defaults hold meanwhile",
		    "cannot read these settings: %s", why);
	free(real);
	free(path);
	return buf;
}

/* The object in rel, or NULL (missing, or a warning). */
static json_t *
load_object(const char *root, const char *realroot, const char *rel,
    struct diag_list *dl)
{
	struct reading r = { rel, dl, NULL };
	size_t len;
	char *buf = read_settings_file(root, realroot, rel, &len, dl);
	json_t *obj;

	if (buf == NULL)
		return NULL;
	obj = parse_object(&r, buf, len);
	free(buf);
	return obj;
}

#define CONFIG_DIR ".obsidian"
#define TASKS_FILE CONFIG_DIR "/plugins/obsidian-tasks-plugin/data.json"
#define TEMPLATES_FILE CONFIG_DIR "/templates.json"
#define TEMPLATER_FILE CONFIG_DIR "/plugins/templater-obsidian/data.json"
#define DAILY_FILE CONFIG_DIR "/daily-notes.json"

/* A folder setting: "" or "/" is the vault's root, which is no folder. */
static void
read_folder(const struct reading *r, json_t *obj, const char *key,
    char **field)
{
	const char *v;

	if (!get_string(r, obj, key, &v))
		return;
	free(*field);
	*field = folder_dup(v);
	if ((*field)[0] == '\0') {
		free(*field);
		*field = NULL;
	}
}

static void
read_templates(struct obsidian_settings *s, const char *root,
    const char *realroot, struct diag_list *dl)
{
	struct reading core = { TEMPLATES_FILE, dl, NULL };
	struct reading templater = { TEMPLATER_FILE, dl, NULL };
	json_t *obj;

	if ((obj = load_object(root, realroot, TEMPLATES_FILE, dl)) != NULL) {
		s->sources |= OBSIDIAN_READ_TEMPLATES;
		read_folder(&core, obj, "folder", &s->templates_folder);
		json_decref(obj);
	}
	if (s->templates_folder != NULL)
		return;
	if ((obj = load_object(root, realroot, TEMPLATER_FILE, dl)) != NULL) {
		s->sources |= OBSIDIAN_READ_TEMPLATER;
		read_folder(&templater, obj, "templates_folder",
		    &s->templates_folder);
		json_decref(obj);
	}
}

static void
read_daily(struct obsidian_settings *s, const char *root,
    const char *realroot, struct diag_list *dl)
{
	struct reading r = { DAILY_FILE, dl, NULL };
	json_t *obj = load_object(root, realroot, DAILY_FILE, dl);

	if (obj == NULL)
		return;
	s->sources |= OBSIDIAN_READ_DAILY;
	read_folder(&r, obj, "folder", &s->daily_folder);
	get_optional(&r, obj, "format", &s->daily_format);
	json_decref(obj);
}

int
obsidian_settings_load(struct obsidian_settings *s, const char *root,
    struct diag_list *dl)
{
	char *realroot = realpath(root, NULL), *buf;
	size_t len;

	obsidian_settings_defaults(s);
	if (realroot == NULL)
		return 0;	/* the scan says what is wrong with it */
	buf = read_settings_file(root, realroot, TASKS_FILE, &len, dl);
	if (buf != NULL)
		obsidian_settings_read_tasks(s, buf, len, TASKS_FILE, dl);
	free(buf);
	read_templates(s, root, realroot, dl);
	read_daily(s, root, realroot, dl);
	free(realroot);
	return 0;
}

void
obsidian_settings_describe(const struct obsidian_settings *s,
    struct strbuf *sb)
{
	static const struct {
		unsigned bit;
		const char *name;
	} files[] = {
		{ OBSIDIAN_READ_TASKS, TASKS_FILE },
		{ OBSIDIAN_READ_TEMPLATES, TEMPLATES_FILE },
		{ OBSIDIAN_READ_TEMPLATER, TEMPLATER_FILE },
		{ OBSIDIAN_READ_DAILY, DAILY_FILE },
	};
	const char *sep = "";
	size_t i;

	strbuf_adds(sb, "settings read: ");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (s->sources & files[i].bit) {
			strbuf_addf(sb, "%s%s", sep, files[i].name);
			sep = ", ";
		}
	strbuf_addf(sb, "%s; %s format, ", sep[0] ? "" :
	    "none (Tasks' defaults)", s->dataview_format ? "dataview" :
	    "emoji");
	if (s->global_filter)
		strbuf_addf(sb, "global filter \"%s\", ", s->global_filter);
	else
		strbuf_adds(sb, "no global filter, ");
	strbuf_addf(sb, "%zu statuses, ", s->nstatuses);
	if (s->templates_folder)
		strbuf_addf(sb, "templates folder \"%s\"", s->templates_folder);
	else
		strbuf_adds(sb, "no templates folder");
	if (s->filename_as_scheduled)
		strbuf_adds(sb, ", filename as scheduled date");
}
