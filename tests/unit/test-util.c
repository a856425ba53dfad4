/* Unit tests: strings, UTF-8, the hash table (core/util.c, strmap.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/strmap.h"
#include "../../core/util.h"
#include "unit.h"

int
main(void)
{
	struct strmap m;
	size_t it, v, count = 0, sum = 0, i;
	char keys[2000][16];
	int missing = 0;

	CHECK("utf8 valid", utf8_first_invalid((const unsigned char *)
	    "caf\xC3\xA9 \xF0\x9F\x93\x85", 10) == 10, "invalid");
	CHECK("utf8 latin-1 byte", utf8_first_invalid((const unsigned char *)
	    "caf\xE9!", 5) == 3, "not at 3");
	CHECK("utf8 overlong", utf8_first_invalid((const unsigned char *)
	    "\xC0\xAF", 2) == 0, "accepted");
	CHECK("utf8 surrogate", utf8_first_invalid((const unsigned char *)
	    "\xED\xA0\x80", 3) == 0, "accepted");
	CHECK("utf8 truncated", utf8_first_invalid((const unsigned char *)
	    "ab\xE2\x82", 4) == 2, "not at 2");
	CHECK("edit distance", edit_distance("cadense_days", "cadence_days") == 1
	    && edit_distance("", "abc") == 3 && edit_distance("abc", "abc") == 0,
	    "wrong");
	CHECK("contains folds case", ascii_contains("People/Ana.md", 13,
	    "ana", 3) && !ascii_contains("Ana", 3, "anab", 4), "wrong");
	CHECK("casecmp", ascii_casecmp_n("Type/People", 11, "type/people", 11)
	    == 0 && ascii_casecmp_n("a", 1, "ab", 2) < 0, "wrong");

	strmap_init(&m);
	strmap_add(&m, "ana", 3, 1);
	strmap_add(&m, "ana", 3, 7);
	strmap_add(&m, "ana", 3, 1);	/* repeat: not added twice */
	strmap_add(&m, "bob", 3, 2);
	for (v = strmap_first(&m, "ana", 3, &it); v != STRMAP_NONE;
	    v = strmap_next(&m, &it)) {
		count++;
		sum += v;
	}
	CHECK("strmap several values, no repeats", count == 2 && sum == 8,
	    "count %zu sum %zu", count, sum);
	CHECK("strmap absent key", strmap_first(&m, "zed", 3, &it) ==
	    STRMAP_NONE, "found");
	for (i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key%zu", i);
		strmap_add(&m, keys[i], strlen(keys[i]), i);
	}
	for (i = 0; i < 2000; i++)
		if (strmap_first(&m, keys[i], strlen(keys[i]), &it) != i)
			missing++;
	CHECK("strmap survives growth", missing == 0, "%d missing", missing);
	strmap_release(&m);

	strmap_init_folded(&m);
	CHECK("folded map: first spelling is added",
	    strmap_get_or_add(&m, "Ana Lima", 8, 3) == 3, "not added");
	CHECK("folded map: another case finds it",
	    strmap_get_or_add(&m, "aNA lIMA", 8, 9) == 3 &&
	    strmap_first(&m, "ana lima", 8, &it) == 3, "not found");
	CHECK("folded map: only ASCII letters fold",
	    strmap_first(&m, "Ana_Lima", 8, &it) == STRMAP_NONE &&
	    !strmap_has(&m, "\xC3\x81na", 5), "found");
	for (i = 0; i < 2000; i++)
		strmap_add(&m, keys[i], strlen(keys[i]), i);
	missing = 0;
	for (i = 0; i < 2000; i++) {
		char up[16];
		size_t k;

		for (k = 0; keys[i][k]; k++)
			up[k] = (char)toupper((unsigned char)keys[i][k]);
		if (strmap_first(&m, up, k, &it) != i)
			missing++;
	}
	CHECK("folded map survives growth", missing == 0, "%d missing",
	    missing);
	strmap_release(&m);

	/*
	 * Every byte value, at each place of a key that spans two words:
	 * only 'A'..'Z' meet their lowercase letter.
	 */
	missing = 0;
	for (i = 0; i < 11; i++) {
		static char key[256][11];
		size_t c;

		strmap_init_folded(&m);
		for (c = 0; c < 256; c++) {
			memset(key[c], 'q', sizeof(key[c]));
			key[c][i] = (char)c;
			strmap_get_or_add(&m, key[c], sizeof(key[c]), c);
		}
		for (c = 0; c < 256; c++) {
			size_t want = c >= 'a' && c <= 'z' ? c - 32 : c;

			if (strmap_first(&m, key[c], sizeof(key[c]), &it) != want)
				missing++;
		}
		strmap_release(&m);
	}
	CHECK("folded map folds ASCII letters only, at any place",
	    missing == 0, "%d wrong", missing);
	CHECK("path inside: a file in the folder", path_is_inside(
	    "/v/People/Ana.md", "/v"), "no");
	CHECK("path inside: not a sibling that starts alike",
	    !path_is_inside("/vault2/Ana.md", "/vault"), "yes");
	CHECK("path inside: not the folder itself",
	    !path_is_inside("/v", "/v"), "yes");
	CHECK("path inside: anything under the root folder /",
	    path_is_inside("/etc/x", "/") && !path_is_inside("/", "/"), "no");
	return unit_exit();
}
