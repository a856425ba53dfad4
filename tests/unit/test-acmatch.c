/* Unit tests: Aho-Corasick matching (core/acmatch.c) against a naive scan. */
#include <stdlib.h>

#include "../../core/acmatch.h"
#include "../../core/util.h"
#include "unit.h"

struct hits {
	size_t count[64];	/* per needle id */
	int bad_end;
	const char *text;
	const char *const *needles;
};

static void
on_hit(void *arg, size_t id, size_t end)
{
	struct hits *h = arg;
	size_t n = strlen(h->needles[id]);

	h->count[id]++;
	if (end < n || !ascii_contains(h->text + end - n, n, h->needles[id], n))
		h->bad_end = 1;
}

static size_t
naive_count(const char *text, const char *needle)
{
	size_t n = strlen(needle), len = strlen(text), i, c = 0;

	for (i = 0; i + n <= len; i++)
		c += ascii_casecmp_n(text + i, n, needle, n) == 0;
	return c;
}

int
main(void)
{
	static const char *const needles[] = { "he", "she", "his", "hers",
		"Ana Lima", "ana", "a", "People/", "lima.md", "x" };
	static const char *const texts[] = { "ushers", "People/Ana Lima.md",
		"PEOPLE/ANA LIMA.MD", "hishehershe", "", "aaaa",
		"Meetings/2025-01-02 ana lima, Bo.md" };
	size_t nn = sizeof(needles) / sizeof(needles[0]), i, k;
	struct acm *m = acm_new();
	char name[128];
	unsigned seed = 7;

	for (i = 0; i < nn; i++)
		acm_add(m, needles[i], strlen(needles[i]), i);
	acm_build(m);
	CHECK("acm needles", acm_needles(m) == nn, "%zu", acm_needles(m));
	for (k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		struct hits h = { { 0 }, 0, texts[k], needles };
		int ok = 1;

		acm_scan(m, texts[k], strlen(texts[k]), on_hit, &h);
		for (i = 0; i < nn; i++)
			ok &= h.count[i] == naive_count(texts[k], needles[i]);
		snprintf(name, sizeof(name), "acm \"%s\" equals naive scan",
		    texts[k]);
		CHECK(name, ok && !h.bad_end, "counts differ");
	}
	acm_free(m);

	/* Random needles over a small alphabet stress the failure links. */
	for (k = 0; k < 200; k++) {
		char pool[40][8], text[200];
		const char *ptrs[40];
		struct hits h = { { 0 } };
		int ok = 1;

		m = acm_new();
		for (i = 0; i < 40; i++) {
			size_t len = 1 + (seed = seed * 1103515245 + 12345) % 6, j;

			for (j = 0; j < len; j++)
				pool[i][j] = "abAB"[(seed = seed * 1103515245 +
				    12345) >> 16 & 3];
			pool[i][len] = '\0';
			ptrs[i] = pool[i];
			acm_add(m, pool[i], len, i);
		}
		acm_build(m);
		for (i = 0; i + 1 < sizeof(text); i++)
			text[i] = "abAB"[(seed = seed * 1103515245 + 12345) >> 16 & 3];
		text[sizeof(text) - 1] = '\0';
		h.text = text;
		h.needles = ptrs;
		acm_scan(m, text, strlen(text), on_hit, &h);
		for (i = 0; i < 40; i++)
			ok &= h.count[i] == naive_count(text, pool[i]);
		if (!ok || h.bad_end) {
			CHECK("acm random needles", 0, "round %zu differs", k);
			acm_free(m);
			return unit_exit();
		}
		acm_free(m);
	}
	CHECK("acm 200 random rounds equal naive scan", 1, "-");
	acm_free(NULL);
	return unit_exit();
}
