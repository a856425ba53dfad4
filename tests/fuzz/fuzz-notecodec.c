/*
 * fuzz-notecodec - libFuzzer harness for the scan cache's blobs. The first
 * byte picks what the rest is:
 *   even: a blob as a damaged or hostile cache file could hold it, fed to
 *         notecodec_decode(), which must refuse it or decode it without
 *         harm; what it decodes must encode again to the same bytes;
 *   odd:  a note, parsed, encoded, decoded into a second vault and encoded
 *         again: the two blobs must be the same bytes, and the decoded
 *         vault hold as many notes, tasks, queries and diagnostics.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/diag.h"
#include "../../core/notecodec.h"
#include "../../core/store.h"
#include "../../core/task.h"
#include "../../core/util.h"
#include "../../core/vault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same_blob(const struct strbuf *a, const struct strbuf *b)
{
	if (a->len != b->len || memcmp(strbuf_str(a), strbuf_str(b),
	    a->len) != 0)
		abort();
}

static void
decode_blob(const uint8_t *data, size_t size)
{
	struct vault v = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	struct strbuf again = STRBUF_INIT;
	struct strbuf in = STRBUF_INIT;

	strbuf_add(&in, (const char *)data, size);
	if (notecodec_decode(in.buf ? in.buf : "", in.len, &v, "a.md",
	    &dl) == 0) {
		/* Counts and enums were checked: the model is sound. */
		notecodec_encode(&again, &v, 0, &dl, 0);
		if (v.nnotes == 1 && v.notes[0].ntasks != v.ntasks)
			abort();
	}
	strbuf_release(&again);
	strbuf_release(&in);
	diag_list_release(&dl);
	store_release(&v);
}

/*
 * The blob of v read by a scan that keeps open tasks only, as a parse
 * that keeps them only does: the same open tasks, in the same order.
 */
static void
open_tasks_only(const struct strbuf *blob, const struct vault *v,
    const uint8_t *data, size_t size)
{
	struct vault w = { .open_tasks_only = 1 }, p = { 0 }, q = { 0 };
	struct diag_list dl = DIAG_LIST_INIT;
	size_t i, k = 0;

	if (notecodec_decode(strbuf_str(blob), blob->len, &w,
	    "People/Ana Lima.md", &dl) != 0)
		abort();
	for (i = 0; i < v->ntasks; i++) {
		if (!task_is_open(&v->tasks[i]))
			continue;
		if (k >= w.ntasks || w.tasks[k].line != v->tasks[i].line ||
		    strcmp(w.tasks[k].text, v->tasks[i].text) != 0)
			abort();
		k++;
	}
	if (k != w.ntasks || w.nnotes != v->nnotes ||
	    (w.nnotes == 1 && w.notes[0].ntasks != w.ntasks))
		abort();
	/* Parsed whole, then cut as a cached read does; parsed open only. */
	vault_add_file(&p, "People/Ana Lima.md", (const char *)data, size, &dl);
	store_drop_closed(&p, 0);
	q.open_tasks_only = 1;
	vault_add_file(&q, "People/Ana Lima.md", (const char *)data, size, &dl);
	if (p.ntasks != w.ntasks || q.ntasks != w.ntasks)
		abort();
	for (i = 0; i < w.ntasks; i++)
		if (p.tasks[i].line != w.tasks[i].line ||
		    q.tasks[i].line != w.tasks[i].line ||
		    strcmp(q.tasks[i].text, w.tasks[i].text) != 0)
			abort();
	diag_list_release(&dl);
	store_release(&w);
	store_release(&p);
	store_release(&q);
}

static void
round_trip(const uint8_t *data, size_t size)
{
	struct vault v = { 0 }, w = { 0 };
	struct diag_list dl = DIAG_LIST_INIT, dw = DIAG_LIST_INIT;
	struct strbuf first = STRBUF_INIT, second = STRBUF_INIT;

	vault_add_file(&v, "People/Ana Lima.md", (const char *)data, size, &dl);
	notecodec_encode(&first, &v, 0, &dl, 0);
	if (notecodec_decode(strbuf_str(&first), first.len, &w,
	    "People/Ana Lima.md", &dw) != 0)
		abort();
	notecodec_encode(&second, &w, 0, &dw, 0);
	same_blob(&first, &second);
	if (w.nnotes != v.nnotes || w.ntasks != v.ntasks ||
	    w.nqueries != v.nqueries || dw.n != dl.n)
		abort();
	open_tasks_only(&first, &v, data, size);
	strbuf_release(&first);
	strbuf_release(&second);
	diag_list_release(&dl);
	diag_list_release(&dw);
	store_release(&v);
	store_release(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 65536)
		return 0;
	if (data[0] & 1)
		round_trip(data + 1, size - 1);
	else
		decode_blob(data + 1, size - 1);
	return 0;
}
