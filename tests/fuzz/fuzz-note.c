/*
 * fuzz-note - libFuzzer harness for everything a note goes through:
 * UTF-8 check, frontmatter (libyaml), tasks and query blocks (md4c), then
 * contacts, schedule and the JSON report. The first byte picks the file
 * name, so wikilinks can resolve to the note itself.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../config/config.h"
#include "../../core/contact.h"
#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/engine.h"
#include "../../core/report.h"
#include "../../core/schedule.h"
#include "../../core/vault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "Ana Lima.md", "People/Bob.md",
		"Meetings/2026-01-02 Ana Lima.md", "a.md" };
	struct scan_result r = { 0 };
	struct config cfg;
	char *json;

	if (size == 0 || size > 65536)
		return 0;
	config_init(&cfg);
	r.today = date_from_ymd(2026, 1, 10);
	vault_add_file(&r.vault, names[data[0] % 4], (const char *)data + 1,
	    size - 1, &r.diags);
	contact_build(&r.contacts, &r.vault, &cfg.rules, r.today, &r.diags);
	schedule_apply(&r.contacts, &cfg.rules, r.today);
	schedule_sort(&r.contacts);
	json = report_json(&r, "fuzz", REPORT_ALL_STATES);
	free(json);
	scan_result_release(&r);
	config_release(&cfg);
	return 0;
}
