/*
 * alloc.c - every allocation in the program, a library's as much as
 * followup's own, either succeeds or ends the run with exit 71 and a
 * message (docs/followup.1, EXIT STATUS).
 *
 * followup's own allocators (xmalloc() and the others, util.h) already
 * do so. Libraries do not all check: libical, short of memory, goes on
 * with a NULL and crashes. So malloc(), calloc() and realloc() are
 * defined here, linked into the program, as glibc allows ("Replacing malloc" in
 * its manual): the dynamic linker resolves every library's calls to
 * them, and they hand each request to glibc's own allocator, which
 * free() and the rest keep using, stopping the program when it says no.
 * A library that would have recovered from a failed allocation (SQLite,
 * libcurl) stops too: what it held is then in the state a crash leaves,
 * which every file followup writes is made to survive (atomic renames,
 * SQLite's journal, the ledger's `sending`).
 *
 * Not under AddressSanitizer, whose own malloc() must stay the one.
 */
#include <stddef.h>
#include <unistd.h>

#define EXIT_OSERR 71		/* as util.h's allocators */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FOLLOWUP_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FOLLOWUP_ASAN 1
#endif

#ifndef FOLLOWUP_ASAN

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *p, size_t n);

void *malloc(size_t n);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);

/* No stdio here: it may need the memory there is none of. */
static void
no_memory(void)
{
	static const char msg[] = "followup: out of memory: stopped "
	    "(exit 71); every file it writes is kept as it was or written "
	    "whole\n";
	ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)w;
	_exit(EXIT_OSERR);
}

void *
malloc(size_t n)
{
	void *p = __libc_malloc(n);

	if (p == NULL && n != 0)
		no_memory();
	return p;
}

void *
calloc(size_t count, size_t size)
{
	void *p = __libc_calloc(count, size);

	if (p == NULL && count != 0 && size != 0)
		no_memory();
	return p;
}

void *
realloc(void *p, size_t n)
{
	void *q = __libc_realloc(p, n);

	if (q == NULL && n != 0)
		no_memory();
	return q;
}

#endif
