/*
 * Unit tests: the vault's Obsidian settings (core/obsidian.c), as tables
 * of data.json shapes and what Tasks makes of them, of note paths and the
 * scheduled date Tasks reads from their names, and of files the loader
 * must refuse without hanging.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/fileio.h"
#include "../../core/obsidian.h"
#include "../../core/store.h"
#include "../../core/util.h"
#include "../../core/vault.h"
#include "unit.h"

static const struct {
	const char *name, *json;
	int dataview;
	const char *global_filter;	/* NULL: none */
	const char *statuses;	/* symbol and type digit per status */
	size_t warnings;
} tasks_files[] = {
	{ "empty object", "{}", 0, NULL, " 0x2/1-3", 0 },
	{ "emoji format", "{\"taskFormat\": \"tasksPluginEmoji\"}", 0, NULL,
	  " 0x2/1-3", 0 },
	{ "dataview format", "{\"taskFormat\": \"dataview\"}", 1, NULL,
	  " 0x2/1-3", 0 },
	{ "unknown format", "{\"taskFormat\": \"markdown\"}", 0, NULL,
	  " 0x2/1-3", 1 },
	{ "global filter", "{\"globalFilter\": \"#task\"}", 0, "#task",
	  " 0x2/1-3", 0 },
	{ "empty global filter", "{\"globalFilter\": \"\"}", 0, NULL,
	  " 0x2/1-3", 0 },
	{ "filter of wrong type", "{\"globalFilter\": [1]}", 0, NULL,
	  " 0x2/1-3", 1 },
	{ "not JSON", "{\"globalFilter\": ", 0, NULL, " 0x2/1-3", 1 },
	{ "not an object", "[1, 2]", 0, NULL, " 0x2/1-3", 1 },
	{ "duplicate key", "{\"a\": 1, \"a\": 2}", 0, NULL, " 0x2/1-3", 1 },
	{ "custom statuses replace the defaults' custom ones",
	  "{\"statusSettings\": {\"coreStatuses\": [{\"symbol\": \" \", "
	  "\"type\": \"TODO\"}, {\"symbol\": \"x\", \"type\": \"DONE\"}], "
	  "\"customStatuses\": [{\"symbol\": \"X\", \"type\": \"DONE\"}, "
	  "{\"symbol\": \"?\", \"type\": \"NON_TASK\"}, {\"symbol\": \"!\", "
	  "\"type\": \"ON_HOLD\"}, {\"symbol\": \"-\", \"type\": "
	  "\"CANCELLED\"}]}}", 0, NULL, " 0x2X2?5!4-3", 0 },
	{ "the first status of a symbol wins",
	  "{\"statusSettings\": {\"coreStatuses\": [{\"symbol\": \" \", "
	  "\"type\": \"TODO\"}, {\"symbol\": \"x\", \"type\": \"DONE\"}], "
	  "\"customStatuses\": [{\"symbol\": \"x\", \"type\": \"TODO\"}, "
	  "{\"symbol\": \"y\", \"type\": \"DONE\"}, {\"symbol\": \"y\", "
	  "\"type\": \"TODO\"}]}}", 0, NULL, " 0x2y2", 0 },
	{ "unknown type is TODO, EMPTY too",
	  "{\"statusSettings\": {\"customStatuses\": [{\"symbol\": \"a\", "
	  "\"type\": \"MAYBE\"}, {\"symbol\": \"b\"}, {\"symbol\": \"c\", "
	  "\"type\": \"EMPTY\"}]}}", 0, NULL, " 0x2a0b0c0", 0 },
	{ "custom status without a symbol is a space",
	  "{\"statusSettings\": {\"coreStatuses\": [{\"symbol\": \"x\", "
	  "\"type\": \"DONE\"}], \"customStatuses\": [{\"type\": \"DONE\"}]}}",
	  0, NULL, "x2 2", 0 },
	{ "a two-character symbol is refused",
	  "{\"statusSettings\": {\"customStatuses\": [{\"symbol\": \"ab\", "
	  "\"type\": \"DONE\"}, {\"symbol\": \"\xC3\xA9\", \"type\": "
	  "\"DONE\"}]}}", 0, NULL, " 0x2\xC3\xA9" "2", 1 },
	{ "status settings of wrong type",
	  "{\"statusSettings\": \"none\"}", 0, NULL, " 0x2/1-3", 1 },
	{ "a status with no symbol (a new row of the settings) is unused",
	  "{\"statusSettings\": {\"customStatuses\": [{\"symbol\": \"\", "
	  "\"name\": \"\", \"type\": \"TODO\"}]}}", 0, NULL, " 0x2", 0 },
	{ "status list of wrong type",
	  "{\"statusSettings\": {\"customStatuses\": 3}}", 0, NULL,
	  " 0x2/1-3", 1 },
	{ "a status that is no object",
	  "{\"statusSettings\": {\"customStatuses\": [3, {\"symbol\": "
	  "\"X\", \"type\": \"DONE\"}]}}", 0, NULL, " 0x2X2", 1 },
	{ "a name of the wrong type",
	  "{\"statusSettings\": {\"customStatuses\": [{\"symbol\": \"X\", "
	  "\"name\": 5, \"type\": \"DONE\"}]}}", 0, NULL, " 0x2X2", 1 },
};

static void
statuses_text(const struct obsidian_settings *s, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < s->nstatuses; i++)
		strbuf_addf(sb, "%s%d", s->statuses[i].symbol,
		    (int)s->statuses[i].type);
}

static void
test_tasks_files(void)
{
	size_t i;

	for (i = 0; i < sizeof(tasks_files) / sizeof(tasks_files[0]); i++) {
		struct obsidian_settings s;
		struct diag_list dl = DIAG_LIST_INIT;
		struct strbuf sb = STRBUF_INIT;
		const char *gf;

		obsidian_settings_defaults(&s);
		obsidian_settings_read_tasks(&s, tasks_files[i].json,
		    strlen(tasks_files[i].json), "data.json", &dl);
		statuses_text(&s, &sb);
		gf = tasks_files[i].global_filter;
		CHECK(tasks_files[i].name,
		    s.dataview_format == tasks_files[i].dataview &&
		    (gf ? s.global_filter && strcmp(gf, s.global_filter) == 0 :
		    s.global_filter == NULL) &&
		    strcmp(strbuf_str(&sb), tasks_files[i].statuses) == 0 &&
		    diag_count(&dl, DIAG_WARNING) == tasks_files[i].warnings,
		    "format %d, filter %s, statuses \"%s\", %zu warnings",
		    s.dataview_format, s.global_filter ? s.global_filter : "-",
		    strbuf_str(&sb), diag_count(&dl, DIAG_WARNING));
		strbuf_release(&sb);
		obsidian_settings_release(&s);
		diag_list_release(&dl);
	}
}

/* Presets: Tasks' defaults, replaced whole by data.json's own. */
static void
test_presets(void)
{
	struct obsidian_settings s;
	struct diag_list dl = DIAG_LIST_INIT;
	const char *json = "{\"presets\": {\"mine\": \"not done\\ndue today\"},"
	    " \"globalQuery\": \"path does not include Archive\","
	    " \"removeGlobalFilter\": true}";

	obsidian_settings_defaults(&s);
	CHECK("presets: Tasks' defaults", s.npresets == 8 &&
	    strcmp(s.presets[0].name, "this_file") == 0 &&
	    obsidian_settings_builtin()->npresets == 8, "%zu", s.npresets);
	obsidian_settings_read_tasks(&s, json, strlen(json), "data.json", &dl);
	CHECK("presets: data.json's replace them", s.npresets == 1 &&
	    strcmp(s.presets[0].name, "mine") == 0 &&
	    strcmp(s.presets[0].query, "not done\ndue today") == 0,
	    "%zu", s.npresets);
	CHECK("global query and removeGlobalFilter", s.global_query &&
	    strcmp(s.global_query, "path does not include Archive") == 0 &&
	    s.remove_global_filter == 1 && dl.n == 0, "%s",
	    s.global_query ? s.global_query : "-");
	obsidian_settings_release(&s);
	diag_list_release(&dl);
}

static const struct {
	const char *name;
	const char *format;	/* filenameAsScheduledDateFormat */
	const char *folders;	/* JSON list */
	const char *path;
	const char *date;	/* NULL: none */
} filename_dates[] = {
	{ "dashed", "", "[]", "Daily/2026-01-05.md", "2026-01-05" },
	{ "anywhere in the name", "", "[]", "Notes/Met 2026-01-05 Ana.md",
	  "2026-01-05" },
	{ "compact", "", "[]", "20260105.md", "2026-01-05" },
	{ "compact in a longer name", "", "[]", "log-20260105-x.md",
	  "2026-01-05" },
	{ "the first dashed one", "", "[]", "2026-01-05 to 2026-02-01.md",
	  "2026-01-05" },
	{ "dashed before compact", "", "[]", "20260201 2026-01-05.md",
	  "2026-01-05" },
	{ "an invalid dashed date: none", "", "[]", "2026-02-30 20260105.md",
	  NULL },
	{ "a leap day", "", "[]", "2024-02-29.md", "2024-02-29" },
	{ "no date", "", "[]", "Ana.md", NULL },
	{ "seven digits", "", "[]", "2026015.md", NULL },
	{ "the folder's name does not count", "", "[]", "2026-01-05/Ana.md",
	  NULL },
	{ "in a listed folder", "", "[\"Daily\"]", "Daily/2026-01-05.md",
	  "2026-01-05" },
	{ "in a subfolder of it", "", "[\"Daily\"]",
	  "Daily/2026/2026-01-05.md", "2026-01-05" },
	{ "outside the folders", "", "[\"Daily\"]", "Work/2026-01-05.md",
	  NULL },
	{ "a folder named alike", "", "[\"Daily\"]",
	  "Daily2/2026-01-05.md", NULL },
	{ "a folder with a slash never matches", "", "[\"Daily/\"]",
	  "Daily/2026-01-05.md", NULL },
	{ "moment format", "DD.MM.YYYY", "[]", "05.01.2026.md", "2026-01-05" },
	{ "moment format, escaped text", "[Daily] YYYY-MM-DD", "[]",
	  "Daily 2026-01-05.md", "2026-01-05" },
	{ "moment format, month name", "D MMMM YYYY", "[]",
	  "5 January 2026.md", "2026-01-05" },
	{ "moment format, short names", "ddd, MMM Do YY", "[]",
	  "Mon, Jan 5th 26.md", "2026-01-05" },
	{ "moment format, wrong weekday", "ddd YYYY-MM-DD", "[]",
	  "Tue 2026-01-05.md", "2026-01-05" },
	{ "moment format, no day: the first", "YYYY-MM", "[]", "2026-01.md",
	  "2026-01-01" },
	{ "moment format is strict, then the patterns", "DD.MM.YYYY", "[]",
	  "x 05.01.2026 2026-01-07.md", "2026-01-07" },
	{ "moment format, one-digit tokens", "D.M.YYYY", "[]", "5.1.2026.md",
	  "2026-01-05" },
	{ "moment format, an unknown token", "YYYY-[W]WW", "[]",
	  "2026-W02.md", NULL },
	{ "moment format, an impossible date", "DD.MM.YYYY", "[]",
	  "31.02.2026.md", NULL },
};

static void
test_filename_dates(void)
{
	size_t i;

	for (i = 0; i < sizeof(filename_dates) / sizeof(filename_dates[0]);
	    i++) {
		struct obsidian_settings s;
		struct diag_list dl = DIAG_LIST_INIT;
		char *json = xasprintf("{\"useFilenameAsScheduledDate\": true, "
		    "\"filenameAsScheduledDateFormat\": \"%s\", "
		    "\"filenameAsDateFolders\": %s}", filename_dates[i].format,
		    filename_dates[i].folders);
		char buf[DATE_BUFSZ];
		int day;

		obsidian_settings_defaults(&s);
		obsidian_settings_read_tasks(&s, json, strlen(json), "d", &dl);
		day = obsidian_filename_date(&s, filename_dates[i].path);
		CHECK(filename_dates[i].name, filename_dates[i].date ?
		    date_is_day(day) &&
		    strcmp(date_format(day, buf), filename_dates[i].date) == 0 :
		    day == DATE_NONE, "%s: %s", filename_dates[i].path,
		    date_is_day(day) ? date_format(day, buf) : "none");
		s.filename_as_scheduled = 0;
		CHECK("off by default", obsidian_filename_date(&s,
		    filename_dates[i].path) == DATE_NONE, "on");
		obsidian_settings_release(&s);
		diag_list_release(&dl);
		free(json);
	}
}

/* The scan gives undated tasks the filename's date (DateFallback). */
static void
test_filename_date_in_scan(void)
{
	static const char note[] = "- [ ] undated\n"
	    "- [ ] due 📅 2026-01-09\n- [ ] starts 🛫 2026-01-08\n"
	    "- [ ] created ➕ 2026-01-01\n- [x] done undated\n";
	static const int want[] = { 1, 0, 0, 1, 1 };
	struct obsidian_settings s;
	struct vault v = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	const char *json = "{\"useFilenameAsScheduledDate\": true}";
	char buf[DATE_BUFSZ];
	size_t i;

	obsidian_settings_defaults(&s);
	obsidian_settings_read_tasks(&s, json, strlen(json), "d", &dl);
	v.settings = &s;
	vault_add_file(&v, "Daily/2026-01-05.md", note, sizeof(note) - 1,
	    &dl);
	CHECK("scan: five tasks", v.ntasks == 5, "%zu", v.ntasks);
	for (i = 0; i < v.ntasks && i < 5; i++) {
		const struct task *t = &v.tasks[i];
		int got = (t->flags & TASK_SCHEDULED_FROM_FILENAME) &&
		    t->more && t->more->scheduled == date_from_ymd(2026, 1, 5);

		CHECK("scan: filename date only without due/scheduled/start",
		    got == want[i], "task %zu: %d (%s)", i, got, t->more &&
		    date_is_day(t->more->scheduled) ?
		    date_format(t->more->scheduled, buf) : "-");
	}
	store_release(&v);
	obsidian_settings_release(&s);
	diag_list_release(&dl);
}

/* A vault in a temporary folder with .obsidian/<rel> holding text. */
static char *
make_vault(const char *rel, const char *text)
{
	char tmpl[] = "/tmp/test-obsidian-XXXXXX";
	char *root = xstrdup(mkdtemp(tmpl));
	char *path = xasprintf("%s/.obsidian/%s", root, rel);
	char *dir = xstrdup(path);
	FILE *f;

	*strrchr(dir, '/') = '\0';
	file_mkdirs(dir, 0700);
	if (text != NULL && (f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
	free(dir);
	free(path);
	return root;
}

static void
remove_vault(const char *root)
{
	char *cmd = xasprintf("rm -rf '%s'", root);

	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", root);
	free(cmd);
	free((char *)root);
}

static void
test_files(void)
{
	struct obsidian_settings s;
	struct diag_list dl = DIAG_LIST_INIT;
	char *root, *path;

	root = make_vault("templates.json", "{\"folder\": \"/Meta/T/\"}");
	path = xasprintf("%s/.obsidian/daily-notes.json", root);
	{
		FILE *f = fopen(path, "w");

		if (f) {
			fputs("{\"folder\": \"Daily\", "
			    "\"format\": \"YYYY\"}", f);
			fclose(f);
		}
	}
	obsidian_settings_load(&s, root, &dl);
	CHECK("templates folder, slashes dropped", s.templates_folder &&
	    strcmp(s.templates_folder, "Meta/T") == 0 && dl.n == 0, "%s",
	    s.templates_folder ? s.templates_folder : "-");
	CHECK("daily notes", s.daily_folder && strcmp(s.daily_folder,
	    "Daily") == 0 && s.daily_format && strcmp(s.daily_format,
	    "YYYY") == 0, "%s", s.daily_folder ? s.daily_folder : "-");
	obsidian_settings_release(&s);
	diag_list_release(&dl);
	free(path);
	remove_vault(root);

	root = make_vault("plugins/obsidian-tasks-plugin/x", NULL);
	path = xasprintf("%s/.obsidian/plugins/obsidian-tasks-plugin/"
	    "data.json", root);
	mkfifo(path, 0600);
	obsidian_settings_load(&s, root, &dl);
	CHECK("a FIFO is refused, not waited on", dl.n == 1 &&
	    strstr(dl.items[0].message, "not a regular file") != NULL &&
	    s.nstatuses == 4, "%zu diags", dl.n);
	obsidian_settings_release(&s);
	diag_list_release(&dl);
	unlink(path);
	file_mkdirs(path, 0700);
	obsidian_settings_load(&s, root, &dl);
	CHECK("a folder is refused", dl.n == 1 &&
	    strstr(dl.items[0].message, "folder") != NULL, "%zu diags", dl.n);
	obsidian_settings_release(&s);
	diag_list_release(&dl);
	rmdir(path);
	if (truncate(path, 0) != 0) {
		FILE *f = fopen(path, "w");

		if (f)
			fclose(f);
	}
	if (truncate(path, (off_t)5 << 20) == 0) {
		obsidian_settings_load(&s, root, &dl);
		CHECK("a huge file is refused", dl.n == 1 &&
		    strstr(dl.items[0].message, "too large") != NULL,
		    "%zu diags", dl.n);
		obsidian_settings_release(&s);
		diag_list_release(&dl);
	}
	free(path);
	remove_vault(root);

	obsidian_settings_load(&s, "/nonexistent-vault", &dl);
	CHECK("no vault: defaults, no warning", dl.n == 0 &&
	    s.nstatuses == 4 && s.sources == 0, "%zu", dl.n);
	obsidian_settings_release(&s);
	diag_list_release(&dl);
}

int
main(void)
{
	test_tasks_files();
	test_presets();
	test_filename_dates();
	test_filename_date_in_scan();
	test_files();
	return unit_exit();
}
