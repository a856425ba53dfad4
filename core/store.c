/* store.c - the one writer of the model (see store.h). */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "task.h"

struct note *
store_note(struct vault *v, const char *relpath)
{
	struct note *note;

	GROW(v->notes, v->capnotes, v->nnotes + 1);
	note = &v->notes[v->nnotes++];
	memset(note, 0, sizeof(*note));
	/* Only the path is stored: the other names are parts of it. */
	note->path = v->paths_in_arena ? relpath :
	    arena_strdup(&v->arena, relpath);
	note->task_first = (uint32_t)v->ntasks;
	return note;
}

struct task *
store_task(struct vault *v, size_t note)
{
	struct task *t;

	GROW(v->tasks, v->captasks, v->ntasks + 1);
	t = &v->tasks[v->ntasks++];
	memset(t, 0, sizeof(*t));
	t->note = (uint32_t)note;
	v->notes[note].ntasks = (uint32_t)(v->ntasks -
	    v->notes[note].task_first);
	return t;
}

const char *
store_task_text(struct vault *v, const char *text, size_t len,
    const char *const *links, size_t nlinks)
{
	uint32_t n = (uint32_t)nlinks;
	size_t head = nlinks ? nlinks * sizeof(*links) + sizeof(n) : 0;
	char *record = arena_take_aligned(&v->arena, head + len + 1, 1);

	if (nlinks) {
		memcpy(record, links, nlinks * sizeof(*links));
		memcpy(record + head - sizeof(n), &n, sizeof(n));
	}
	memcpy(record + head, text, len);
	record[head + len] = '\0';
	return record + head;
}

const struct task_more *
store_task_more(struct vault *v, const struct task_more *m)
{
	struct task_more *copy = arena_take_aligned(&v->arena, sizeof(*copy),
	    _Alignof(struct task_more));

	*copy = *m;
	return copy;
}

uint32_t
store_heading(struct vault *v, const char *text, size_t len)
{
	GROW(v->headings, v->capheadings, v->nheadings + 1);
	v->headings[v->nheadings++] = store_name(v, text, len);
	return (uint32_t)v->nheadings;
}

void
store_query(struct vault *v, const struct query *q)
{
	GROW(v->queries, v->capqueries, v->nqueries + 1);
	v->queries[v->nqueries++] = *q;
}

const char *
store_name(struct vault *v, const char *s, size_t len)
{
	if (v->names == NULL)
		return arena_strndup(&v->arena, s, len);
	return strset_intern(v->names, &v->arena, s, len);
}

const char **
store_names(struct vault *v, const char *const *names, size_t n)
{
	return arena_copy_ptrs(&v->arena, names, n);
}

void
store_truncate(struct vault *v, size_t nnotes, size_t ntasks,
    size_t nqueries, size_t nheadings)
{
	v->nnotes = nnotes;
	v->ntasks = ntasks;
	v->nqueries = nqueries;
	v->nheadings = nheadings;
}

void
store_drop_closed(struct vault *v, size_t note_first)
{
	size_t i, kept;

	if (note_first >= v->nnotes)
		return;
	kept = v->notes[note_first].task_first;
	for (i = note_first; i < v->nnotes; i++) {
		struct note *n = &v->notes[i];
		size_t t, first = n->task_first, end = first + n->ntasks;

		n->task_first = (uint32_t)kept;
		for (t = first; t < end; t++)
			if (task_is_open(&v->tasks[t]))
				v->tasks[kept++] = v->tasks[t];
		n->ntasks = (uint32_t)(kept - n->task_first);
	}
	v->ntasks = kept;
}

void
store_append(struct vault *dst, struct vault *src)
{
	size_t i, notes = dst->nnotes, tasks = dst->ntasks;
	size_t queries = dst->nqueries, headings = dst->nheadings;

	GROW(dst->notes, dst->capnotes, notes + src->nnotes);
	GROW(dst->tasks, dst->captasks, tasks + src->ntasks);
	GROW(dst->queries, dst->capqueries, queries + src->nqueries);
	GROW(dst->headings, dst->capheadings, headings + src->nheadings);
	for (i = 0; i < src->nheadings; i++)
		dst->headings[headings + i] = src->headings[i];
	for (i = 0; i < src->nnotes; i++) {
		struct note *n = &dst->notes[notes + i];

		*n = src->notes[i];
		n->task_first += (uint32_t)tasks;
	}
	for (i = 0; i < src->ntasks; i++) {
		struct task *t = &dst->tasks[tasks + i];

		*t = src->tasks[i];
		t->note += (uint32_t)notes;
		if (t->heading != 0)
			t->heading += (uint32_t)headings;
	}
	for (i = 0; i < src->nqueries; i++) {
		dst->queries[queries + i] = src->queries[i];
		dst->queries[queries + i].note += notes;
	}
	dst->nnotes += src->nnotes;
	dst->ntasks += src->ntasks;
	dst->nqueries += src->nqueries;
	dst->nheadings += src->nheadings;
	dst->bytes_read += src->bytes_read;
	dst->nread += src->nread;
	dst->ncached += src->ncached;
	arena_adopt(&dst->arena, &src->arena);
	store_release(src);
}

void
store_release(struct vault *v)
{
	free(v->root);
	free(v->notes);
	free(v->tasks);
	free(v->queries);
	free(v->headings);
	arena_free(&v->arena);
	memset(v, 0, sizeof(*v));
}

size_t
store_queries(const struct vault *v, size_t note, size_t *first)
{
	size_t lo = 0, hi = v->nqueries, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->queries[mid].note < note)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < v->nqueries && v->queries[end].note == note;
	    end++)
		;
	*first = lo;
	return end - lo;
}

const char *
task_heading(const struct vault *v, const struct task *t)
{
	return t->heading != 0 ? v->headings[t->heading - 1] : NULL;
}

static const struct note_person no_person;

const struct note_person *
note_person(const struct note *note)
{
	return note->person ? note->person : &no_person;
}

const char *
note_folder(const struct note *note, size_t *n)
{
	size_t len = (size_t)(note_filename(note) - note->path);

	*n = len ? len : 1;
	return len ? note->path : "/";
}

size_t
note_stem_len(const struct note *note)
{
	const char *name = note_filename(note);
	size_t n = strlen(name);

	if (n >= 3 && ascii_casecmp_n(name + n - 3, 3, ".md", 3) == 0)
		n -= 3;
	return n;
}
