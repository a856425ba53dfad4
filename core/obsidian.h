/*
 * obsidian.h - the vault's own settings, as Obsidian and its Tasks plugin
 * keep them under .obsidian/: how a task line is written (emoji or
 * Dataview fields), which checkbox symbols mean what (the statuses), the
 * global filter and the global query, query presets, and the folders
 * that hold templates and daily notes (docs/rules.md, "Vault settings").
 *
 * obsidian_settings_defaults() gives what Obsidian and Tasks do with no
 * settings at all; obsidian_settings_load() reads the vault's files over
 * them. A file that is missing is no error; one that is not valid JSON,
 * or a value of the wrong type, is a warning naming the file, and the
 * default holds for what it could not read.
 *
 * Memory: struct obsidian_settings owns every string and array in it;
 * obsidian_settings_release() frees them. The scan borrows it for its
 * whole length.
 */
#ifndef FOLLOWUP_OBSIDIAN_H
#define FOLLOWUP_OBSIDIAN_H

#include <stddef.h>

#include "model.h"

struct diag_list;

/* One checkbox symbol and what it means (Tasks' StatusConfiguration). */
struct status_def {
	char symbol[5];		/* one UTF-8 character, NUL-terminated */
	char *name;		/* "Todo", "In Progress", ... */
	enum task_status type;
};

/* A named query of the Tasks settings (`preset NAME`). */
struct query_preset {
	char *name;
	char *query;		/* its lines, "\n" between them */
};

struct obsidian_settings {
	/* .obsidian/plugins/obsidian-tasks-plugin/data.json */
	int dataview_format;	/* taskFormat "dataview": [due:: D] fields */
	char *global_filter;	/* NULL: every checkbox line is a task */
	int remove_global_filter;	/* removeGlobalFilter: not shown */
	char *global_query;	/* NULL: none; before every block's lines */
	struct status_def *statuses;	/* core, then custom, in order */
	size_t nstatuses;
	int filename_as_scheduled;	/* useFilenameAsScheduledDate */
	char *filename_date_format;	/* "" or a moment.js format */
	char **filename_date_folders;
	size_t nfilename_date_folders;
	struct query_preset *presets;
	size_t npresets;
	/* .obsidian/templates.json (or Templater's data.json) */
	char *templates_folder;	/* NULL: none */
	/* .obsidian/daily-notes.json */
	char *daily_folder;	/* NULL: the vault's root */
	char *daily_format;	/* NULL: YYYY-MM-DD */
	unsigned sources;	/* OBSIDIAN_READ_*: the files read */
};

#define OBSIDIAN_READ_TASKS	(1u << 0)	/* Tasks' data.json */
#define OBSIDIAN_READ_TEMPLATES	(1u << 1)	/* templates.json */
#define OBSIDIAN_READ_TEMPLATER	(1u << 2)	/* Templater's data.json */
#define OBSIDIAN_READ_DAILY	(1u << 3)	/* daily-notes.json */

/* What Obsidian and Tasks do with no settings. */
void obsidian_settings_defaults(struct obsidian_settings *s);

/* The same defaults, shared and never freed (a vault with no settings). */
const struct obsidian_settings *obsidian_settings_builtin(void);

/* v->settings, or the built-in defaults when the vault has none. */
const struct obsidian_settings *vault_settings(const struct vault *v);

/*
 * Read the settings of the vault at root over the defaults (s is set up
 * by this call): Tasks' data.json, templates.json (else Templater's
 * templates_folder), daily-notes.json, all under .obsidian/. Each file
 * is read only when it is a regular file inside the vault (a FIFO, a
 * device, a file over 4 MiB or a link out of the vault is a warning).
 * Problems are warnings on dl naming the file and the key, and the
 * default holds for what could not be read. Returns 0.
 */
int obsidian_settings_load(struct obsidian_settings *s, const char *root,
    struct diag_list *dl);

/*
 * The status of the checkbox symbol sym (len bytes), as Tasks' registry
 * gives it: the first status with that symbol, else an unknown one (name
 * "Unknown", type TODO).
 */
const struct status_def *obsidian_status(const struct obsidian_settings *s,
    const char *sym, size_t len);

/*
 * A hash of every setting that changes how a note is read (the format,
 * the global filter, the statuses, the filename date): the scan cache
 * keeps what was read under it, so a change reads every note again.
 */
unsigned long long obsidian_parse_hash(const struct obsidian_settings *s);

/*
 * Read the Tasks settings in json (len bytes; data.json) over s, as
 * obsidian_settings_load() does; file names it in the warnings.
 */
void obsidian_settings_read_tasks(struct obsidian_settings *s,
    const char *json, size_t len, const char *file, struct diag_list *dl);

/*
 * The scheduled date Tasks gives the tasks of the note at relpath (from
 * the vault's root, ".md" included) when the setting "use filename as
 * scheduled date" is on and the note is in one of its folders (any, when
 * none is given): the file name read with the configured moment.js
 * format, else its first YYYY-MM-DD, else its first YYYYMMDD
 * (DateFallback.ts). DATE_NONE when there is none.
 */
int obsidian_filename_date(const struct obsidian_settings *s,
    const char *relpath);

/* One line saying what was read, for `followup check` (into sb). */
struct strbuf;
void obsidian_settings_describe(const struct obsidian_settings *s,
    struct strbuf *sb);

void obsidian_settings_release(struct obsidian_settings *s);

#endif
