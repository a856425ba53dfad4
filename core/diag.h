/*
 * diag.h - the error value of docs/design.md, "Errors": {path, line,
 * message, hint}.
 *
 * Core code never prints and never exits: it appends a diag to a
 * diag_list and carries on with the rest. Only cmd/ prints them and maps
 * their kind to an exit status (diag_exit_status) in one place.
 *
 * A diag_list owns every string in it; diag_list_release() frees them.
 */
#ifndef FOLLOWUP_DIAG_H
#define FOLLOWUP_DIAG_H

#include <stddef.h>

enum diag_level {
	DIAG_WARNING,
	DIAG_ERROR,
};

/* What went wrong, which decides the exit status (sysexits.h values). */
enum diag_kind {
	DIAG_NOTE = 65,		/* EX_DATAERR: a note is bad */
	DIAG_USAGE = 64,	/* EX_USAGE */
	DIAG_NO_VAULT = 66,	/* EX_NOINPUT */
	DIAG_CANT_WRITE = 73,	/* EX_CANTCREAT */
	DIAG_TEMPFAIL = 75,	/* EX_TEMPFAIL: retried next run */
	DIAG_CONFIG = 78,	/* EX_CONFIG */
};

struct diag {
	enum diag_level level;
	enum diag_kind kind;
	char *path;	/* as shown to the user; may be NULL */
	int line;	/* 1-based; 0 when no line applies */
	char *message;	/* lowercase, no full stop */
	char *hint;	/* what to do; may be NULL */
};

struct diag_list {
	struct diag *items;
	size_t n;
	size_t cap;
};

#define DIAG_LIST_INIT { NULL, 0, 0 }

/* Append a diag; path and hint may be NULL; hint is taken as it is. */
void diag_add(struct diag_list *dl, enum diag_level level,
    enum diag_kind kind, const char *path, int line, const char *hint,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#define diag_error(dl, kind, path, line, hint, ...) \
	diag_add((dl), DIAG_ERROR, (kind), (path), (line), (hint), __VA_ARGS__)
#define diag_warn(dl, kind, path, line, hint, ...) \
	diag_add((dl), DIAG_WARNING, (kind), (path), (line), (hint), \
	    __VA_ARGS__)

/* Move every diag of src to the end of dst; src is left empty. */
void diag_list_move(struct diag_list *dst, struct diag_list *src);
size_t diag_count(const struct diag_list *dl, enum diag_level level);
/* Sort by path, then line, stably (diags without a path come first). */
void diag_list_sort(struct diag_list *dl);
/*
 * The exit status the errors in dl call for: the most severe kind present
 * (config > usage > no vault > cannot write > tempfail > note), or 0.
 */
int diag_exit_status(const struct diag_list *dl);
void diag_list_release(struct diag_list *dl);

#endif
