/*
 * obsidian.c - the vault's own settings (see obsidian.h). The defaults
 * are Tasks' own: StatusSettings' core statuses (Todo, Done) and its
 * default custom ones (In Progress, Cancelled), the emoji format, no
 * global filter or query.
 */
#include "obsidian.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

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
