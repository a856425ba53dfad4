/*
 * fuzz-fmedit - libFuzzer harness for fm_set_value() (core/fmedit.c). The
 * first byte picks the key; the rest is the note. When the edit succeeds
 * it asserts what fmedit.h promises:
 *   - the bytes outside the edited span are the input's, and the span's
 *     new bytes hold the date;
 *   - the result is a note whose frontmatter note.c reads without error,
 *     and the key reads back as the new date (for a UTF-8 note: the vault
 *     refuses any other);
 *   - setting the same date again changes nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/date.h"
#include "../../core/diag.h"
#include "../../core/fmedit.h"
#include "../../core/note.h"
#include "../../core/store.h"
#include "../../core/util.h"
#include "../../core/vault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DATE "2026-11-25"

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz-fmedit: %s\n", what);
		abort();
	}
}

/* The note reads back with key = DATE. */
static void
check_reads_back(const char *key, const char *out, size_t outlen)
{
	struct vault v = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	const struct note_person *p;
	const struct fm_date *d;

	vault_add_file(&v, "People/Ana.md", out, outlen, &dl);
	check(v.nnotes == 1, "the note is not read");
	check(!(v.notes[0].flags & NOTE_FRONTMATTER_BAD),
	    "the frontmatter does not parse");
	p = note_person(&v.notes[0]);
	d = strcmp(key, "last_contact") == 0 ? &p->last_contact :
	    &p->snooze_until;
	check(d->present && !d->bad &&
	    d->day == date_from_ymd(2026, 11, 25), "the key does not read "
	    "back as the date");
	store_release(&v);
	diag_list_release(&dl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "last_contact", "snooze_until" };
	struct diag_list dl = DIAG_LIST_INIT;
	struct fm_edit e;
	const char *text, *key;
	char *out = NULL, *again = NULL;
	size_t len, outlen, againlen;

	if (size == 0 || size > 65536)
		return 0;
	key = keys[data[0] % 2];
	text = (const char *)data + 1;
	len = size - 1;
	if (fm_set_value("People/Ana.md", text, len, key, DATE, &out, &outlen,
	    &e, &dl) != 0) {
		check(out == NULL && dl.n > 0, "refused without a diag");
		goto out;
	}
	check(dl.n == 0, "a diag on success");
	check(e.start <= e.end && e.end <= len, "span out of the input");
	check(outlen == len - (e.end - e.start) + e.inserted,
	    "length does not add up");
	check(memcmp(out, text, e.start) == 0, "bytes before the span changed");
	check(memcmp(out + e.start + e.inserted, text + e.end, len - e.end) ==
	    0, "bytes after the span changed");
	check(memmem(out + e.start, e.inserted, DATE, strlen(DATE)) != NULL,
	    "the span lacks the date");
	check(out[outlen] == '\0', "not NUL-terminated");
	if (utf8_first_invalid((const unsigned char *)out, outlen) == outlen)
		check_reads_back(key, out, outlen);
	fm_edit_release(&e);
	check(fm_set_value("People/Ana.md", out, outlen, key, DATE, &again,
	    &againlen, &e, &dl) == 0 && againlen == outlen &&
	    memcmp(again, out, outlen) == 0, "a second edit changes it");
out:
	fm_edit_release(&e);
	free(again);
	free(out);
	diag_list_release(&dl);
	return 0;
}
