/*
 * fileio.h - read a whole file, and write one atomically (DESIGN.md §6).
 *
 * file_write_atomic() writes to a temporary file in the same folder,
 * fsyncs it, renames it over the target and fsyncs the folder: a reader
 * sees the old bytes or the new ones, never a mix, and a write that fails
 * at any step leaves the old file exactly as it was (the temporary file
 * is removed). A target that is a symbolic link is followed, so the link
 * stays a link. An existing file keeps its permissions; a new one gets
 * `mode` less the umask.
 *
 * Failures are DIAG_CANT_WRITE (or, for reads, DIAG_CANT_WRITE too: the
 * files read here are the ones followup writes) diags naming the path,
 * with a hint that depends on what went wrong.
 */
#ifndef FOLLOWUP_FILEIO_H
#define FOLLOWUP_FILEIO_H

#include <stddef.h>

struct diag_list;

/*
 * Read path whole into *buf (NUL-terminated, the caller's; *len bytes
 * before the NUL). Returns 0; 1 when the file does not exist (nothing
 * added to dl, *buf NULL); -1 when it cannot be read or is larger than
 * max (a diag on dl).
 */
int file_read_all(const char *path, size_t max, char **buf, size_t *len,
    struct diag_list *dl);

/* Write data (len bytes) to path atomically. Returns 0, or -1 (diag). */
int file_write_atomic(const char *path, const char *data, size_t len,
    unsigned mode, struct diag_list *dl);

/*
 * Create folder path and its missing parents with mode (like mkdir -p).
 * Returns 0, or -1 with errno set.
 */
int file_mkdirs(const char *path, unsigned mode);

#endif
