/* Unit tests: Obsidian's inline tags (core/tagrule.c). */
#include <stdlib.h>

#include "../../core/tagrule.h"
#include "unit.h"

static const struct {
	const char *text;
	int after_space;
	const char *want;	/* the tags, each followed by ';' */
} cases[] = {
	{ "#type/people", 1, "type/people;" },
	{ "#type/people", 0, "" },		/* glued to what comes before */
	{ "see #a and #b-c_d", 1, "a;b-c_d;" },
	{ "word#tag", 1, "" },
	{ "#2026 #y2026 #1984x", 1, "y2026;1984x;" },
	{ "#", 1, "" },
	{ "# heading", 1, "" },
	{ "##x", 1, "" },
	{ "#caf\xC3\xA9!", 1, "caf\xC3\xA9;" },
	{ "#a,#b", 1, "a;" },
	{ "(#a) #b.", 1, "b;" },
	{ "\t#tab #line", 1, "tab;line;" },
	{ "#a#b", 1, "a;" },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[256] = "";
		size_t pos = 0, len, n = strlen(cases[i].text);
		const char *tag;

		while (tagrule_next(cases[i].text, n, cases[i].after_space,
		    &pos, &tag, &len)) {
			strncat(got, tag, len);
			strcat(got, ";");
		}
		CHECK(cases[i].text, strcmp(got, cases[i].want) == 0,
		    "got \"%s\"", got);
	}
	return unit_exit();
}
