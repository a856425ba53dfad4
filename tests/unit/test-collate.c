/*
 * Unit tests: text order as Tasks sorts it (core/collate.c). Each row is
 * two neighbours of a list sorted by node's
 * a.localeCompare(b, undefined, { numeric: true }) (ICU root order, as in
 * Obsidian), and that call's sign for them.
 */
#include <string.h>

#include "../../core/collate.h"
#include "unit.h"

static const struct {
	const char *a, *b;
	int sign;
} cases[] = {
	{ "", "(x)", -1 },
	{ "(x)", "[x]", -1 },
	{ "[x]", "@at", -1 },
	{ "@at", "#tag", -1 },
	{ "#tag", "+x", -1 },
	{ "+x", "~x", -1 },
	{ "~x", "\xE2""\x8F""\xAB"" high", -1 },
	{ "\xE2""\x8F""\xAB"" high", "\xE2""\x9C""\x85"" done", -1 },
	{ "\xE2""\x9C""\x85"" done", "$5", -1 },
	{ "$5", "\xE2""\x82""\xAC""5", -1 },
	{ "\xE2""\x82""\xAC""5", "5", -1 },
	{ "5", "a", -1 },
	{ "a", "A", -1 },
	{ "A", "a b", -1 },
	{ "a b", "a01", -1 },
	{ "a01", "A1", -1 },
	{ "A1", "a1b", -1 },
	{ "a1b", "a2", -1 },
	{ "a2", "a10", -1 },
	{ "a10", "ab", -1 },
	{ "ab", "anna", -1 },
	{ "anna", "Anna", -1 },
	{ "Anna", "\xC3""\x81""nna", -1 },
	{ "\xC3""\x81""nna", "Arger", -1 },
	{ "Arger", "\xC3""\xA4""rger", -1 },
	{ "\xC3""\xA4""rger", "\xC3""\x84""rger", -1 },
	{ "\xC3""\x84""rger", "call  z", -1 },
	{ "call  z", "call \xF0""\x9F""\x93""\x85"" 2026-01-07 about invoice", -1 },
	{ "call \xF0""\x9F""\x93""\x85"" 2026-01-07 about invoice", "call Ana about budget #work", -1 },
	{ "call Ana about budget #work", "call_b", -1 },
	{ "call_b", "call-b", -1 },
	{ "call-b", "call\xE2""\x80""\x94""b", -1 },
	{ "call\xE2""\x80""\x94""b", "callA", -1 },
	{ "callA", "ea", -1 },
	{ "ea", "\xC3""\xA9""a", -1 },
	{ "\xC3""\xA9""a", "eb", -1 },
	{ "eb", "emile", -1 },
	{ "emile", "Emile", -1 },
	{ "Emile", "\xC3""\x89""mile", -1 },
	{ "\xC3""\x89""mile", "\xEF""\xAC""\x81""", -1 },
	{ "\xEF""\xAC""\x81""", "item 9", -1 },
	{ "item 9", "item 10", -1 },
	{ "item 10", "item 010", 0 },
	{ "item 010", "Lodz", -1 },
	{ "Lodz", "\xC5""\x81""\xC3""\xB3""d\xC5""\xBA""", -1 },
	{ "\xC5""\x81""\xC3""\xB3""d\xC5""\xBA""", "Meetings/2026 Met.md", -1 },
	{ "Meetings/2026 Met.md", "Meetings/2026-01-15 Met.md", -1 },
	{ "Meetings/2026-01-15 Met.md", "Meetings/2026/x.md", -1 },
	{ "Meetings/2026/x.md", "naive", -1 },
	{ "naive", "na\xC3""\xAF""ve", -1 },
	{ "na\xC3""\xAF""ve", "Orsted", -1 },
	{ "Orsted", "\xC3""\x98""rsted", -1 },
	{ "\xC3""\x98""rsted", "People/ana lima.md", -1 },
	{ "People/ana lima.md", "People/Ana Lima.md", -1 },
	{ "People/Ana Lima.md", "sa", -1 },
	{ "sa", "sb", -1 },
	{ "sb", "\xC3""\x9F""a", -1 },
	{ "\xC3""\x9F""a", "uber", -1 },
	{ "uber", "Uber", -1 },
	{ "Uber", "\xC3""\xBC""ber", -1 },
	{ "\xC3""\xBC""ber", "x y", -1 },
	{ "x y", "x_y", -1 },
	{ "x_y", "x,y", -1 },
	{ "x,y", "x.y", -1 },
	{ "x.y", "zeta", -1 },
	{ "zeta", "zoe", -1 },
	{ "zoe", "Zoe", -1 },
	{ "Zoe", "zz", -1 },
	{ "zz", "\xCE""\xB6""", -1 },
	{ "\xCE""\xB6""", "\xD0""\x91""oris", -1 },
	{ "\xD0""\x91""oris", "\xD0""\xB1""\xD0""\xBE""\xD1""\x80""\xD0""\xB8""\xD1""\x81""", -1 },
	{ "\xD0""\xB1""\xD0""\xBE""\xD1""\x80""\xD0""\xB8""\xD1""\x81""", "\xE4""\xB8""\xAD""\xE6""\x96""\x87""", -1 },
};

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *a = cases[i].a, *b = cases[i].b;
		int ab = sign(collate_compare(a, strlen(a), b, strlen(b)));
		int ba = sign(collate_compare(b, strlen(b), a, strlen(a)));
		char name[200];

		snprintf(name, sizeof(name), "\"%s\" %s \"%s\"", a,
		    cases[i].sign < 0 ? "<" : "=", b);
		CHECK(name, ab == cases[i].sign && ba == -cases[i].sign,
		    "got %d, reversed %d", ab, ba);
	}
	CHECK("a control character is ignored, as in ICU",
	    collate_compare("a\x01" "b", 3, "ab", 2) == 0 &&
	    collate_compare("a\x7F" "b", 3, "ab", 2) == 0, "not ignored");
	CHECK("not UTF-8 sorts as U+FFFD, after ASCII punctuation",
	    collate_compare("\xFF", 1, "~", 1) > 0 &&
	    collate_compare("\xFF", 1, "0", 1) < 0, "wrong place");
	return unit_exit();
}
