/*
 * fuzz-obsidian - libFuzzer harness for the vault settings' reader: any
 * bytes as Tasks' data.json give settings and warnings, never a crash or
 * a leak; the settings read then date the notes of a few paths by their
 * names (the moment format comes from the input too), and are described.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../core/diag.h"
#include "../../core/obsidian.h"
#include "../../core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"Daily/2026-01-05.md", "20260105.md", "Notes/05.01.2026 Ana.md",
	"Mon, Jan 5th 26.md", "Journal/2026/January 5 2026.md", "a.md",
	"x/y/z/2026-13-45 2026-01-05.md", ".md", "no-extension",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obsidian_settings s;
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (size > 65536)
		return 0;
	obsidian_settings_defaults(&s);
	obsidian_settings_read_tasks(&s, (const char *)data, size,
	    ".obsidian/plugins/obsidian-tasks-plugin/data.json", &dl);
	/* The filename dates whether or not the file turned the option on. */
	s.filename_as_scheduled = 1;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		(void)obsidian_filename_date(&s, paths[i]);
	for (i = 0; i < s.nstatuses; i++)
		(void)obsidian_status(&s, s.statuses[i].symbol,
		    strlen(s.statuses[i].symbol));
	(void)obsidian_parse_hash(&s);
	obsidian_settings_describe(&s, &sb);
	strbuf_release(&sb);
	obsidian_settings_release(&s);
	diag_list_release(&dl);
	return 0;
}
