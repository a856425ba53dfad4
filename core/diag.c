/* diag.c - the error value (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
diag_add(struct diag_list *dl, enum diag_level level, enum diag_kind kind,
    const char *path, int line, const char *hint, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	GROW(dl->items, dl->cap, dl->n + 1);
	d = &dl->items[dl->n++];
	d->level = level;
	d->kind = kind;
	d->path = path ? xstrdup(path) : NULL;
	d->line = line;
	va_start(ap, fmt);
	d->message = xvasprintf(fmt, ap);
	va_end(ap);
	d->hint = hint ? xstrdup(hint) : NULL;
}

void
diag_list_move(struct diag_list *dst, struct diag_list *src)
{
	GROW(dst->items, dst->cap, dst->n + src->n);
	if (src->n)
		memcpy(dst->items + dst->n, src->items,
		    src->n * sizeof(*src->items));
	dst->n += src->n;
	free(src->items);
	src->items = NULL;
	src->n = src->cap = 0;
}

size_t
diag_count(const struct diag_list *dl, enum diag_level level)
{
	size_t i, n = 0;

	for (i = 0; i < dl->n; i++)
		n += dl->items[i].level == level;
	return n;
}

static int
diag_order(const struct diag *a, const struct diag *b)
{
	int c;

	if (a->path == NULL || b->path == NULL)
		return (a->path != NULL) - (b->path != NULL);
	c = strcmp(a->path, b->path);
	if (c != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

void
diag_list_sort(struct diag_list *dl)
{
	size_t i, j;

	/* Insertion sort: stable, and the lists are short and nearly sorted. */
	for (i = 1; i < dl->n; i++) {
		struct diag tmp = dl->items[i];

		for (j = i; j > 0 && diag_order(&dl->items[j - 1], &tmp) > 0;
		    j--)
			dl->items[j] = dl->items[j - 1];
		dl->items[j] = tmp;
	}
}

static int
kind_rank(enum diag_kind kind)
{
	switch (kind) {
	case DIAG_CONFIG:
		return 6;
	case DIAG_USAGE:
		return 5;
	case DIAG_NO_VAULT:
		return 4;
	case DIAG_CANT_WRITE:
		return 3;
	case DIAG_TEMPFAIL:
		return 2;
	case DIAG_NOTE:
		return 1;
	}
	return 0;
}

int
diag_exit_status(const struct diag_list *dl)
{
	size_t i;
	int best = 0, status = 0;

	for (i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];

		if (d->level == DIAG_ERROR && kind_rank(d->kind) > best) {
			best = kind_rank(d->kind);
			status = (int)d->kind;
		}
	}
	return status;
}

void
diag_list_release(struct diag_list *dl)
{
	size_t i;

	for (i = 0; i < dl->n; i++) {
		free(dl->items[i].path);
		free(dl->items[i].message);
		free(dl->items[i].hint);
	}
	free(dl->items);
	dl->items = NULL;
	dl->n = dl->cap = 0;
}
