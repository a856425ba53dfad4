/*
 * fileio.h - read a whole file, and write one atomically (docs/design.md,
 * "Writes"); one lock helper.
 *
 * file_write_atomic() writes to a temporary file in the same folder,
 * fsyncs it, renames it over the target and fsyncs the folder: a reader
 * sees the old bytes or the new ones, never a mix, and a write that fails
 * at any step leaves the old file exactly as it was (the temporary file
 * is removed). A target that is a symbolic link is followed, so the link
 * stays a link; a target that is not a regular file (a device, a FIFO) is
 * refused, never replaced. An existing file keeps its permissions; a new
 * one gets `mode` less the umask. A temporary file of the same target
 * that a writer killed outright left behind, untouched for ten minutes,
 * is removed after a successful write, with a warning saying so.
 *
 * Failures are DIAG_CANT_WRITE (or, for reads, DIAG_CANT_WRITE too: the
 * files read here are the ones followup writes) diags naming the path,
 * with a hint that depends on what went wrong.
 */
#ifndef FOLLOWUP_FILEIO_H
#define FOLLOWUP_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>

struct diag_list;

/*
 * Read path whole as file_read_regular() does. Returns 0; 1 when the file
 * does not exist (nothing added to dl, *buf NULL); -1 when it cannot be
 * read, is not a regular file or is larger than max (a diag on dl).
 */
int file_read_all(const char *path, size_t max, char **buf, size_t *len,
    struct diag_list *dl);

/*
 * Read path whole into *buf (NUL-terminated, the caller's; *len bytes
 * before the NUL), but only when it is a regular file: it is opened
 * without blocking, so a FIFO or a device is refused at once instead of
 * hanging the run, and so is a folder or a file over max bytes. When st
 * is given it gets the file's stat (its mode, for a secret's checks).
 * Returns 0; 1 when it does not exist (*why NULL); -1 with *why saying
 * what is wrong (static, or strerror()'s: use it at once) and errno set.
 * Nothing is added to any diag list: the caller names the file.
 */
int file_read_regular(const char *path, size_t max, char **buf,
    size_t *len, struct stat *st, const char **why);

/* Write data (len bytes) to path atomically. Returns 0, or -1 (diag). */
int file_write_atomic(const char *path, const char *data, size_t len,
    unsigned mode, struct diag_list *dl);

/*
 * Can path (a link followed) be replaced as file_write_atomic() does? The
 * file and its folder must be writable to us, and marked writable at all:
 * root could replace a file whose owner made it read-only (chmod 0444) in
 * a writable folder, or write in a read-only folder, and must not.
 * Returns 0, or -1 (a DIAG_CANT_WRITE diag with the chmod to run).
 */
int file_check_writable(const char *path, struct diag_list *dl);

/* What a file of this mode is, for a message: "a FIFO", "a folder"... */
const char *file_kind(mode_t mode);

/*
 * Remove the SQLite database at path and the files SQLite keeps beside
 * it (-wal, -shm, -journal): a cache to be rebuilt, a ledger that could
 * not be set up. Best effort.
 */
void file_remove_sqlite(const char *path);

/*
 * Is name (a file name, no folder) one of the temporary files that the
 * writers here create, ".BASE.followup-XXXXXX"? *stem_len (when given):
 * the length of BASE as it is in the name.
 */
int file_is_temporary(const char *name, size_t *stem_len);
/* Untouched this long, a temporary file is one a killed writer left. */
#define FILE_STALE_SECONDS 600
/*
 * Remove every temporary file of ours for path (a link followed), of any
 * age, saying so on dl: for a caller that holds the lock all writers of
 * path take, so that none of them is a live writer's.
 */
void file_remove_temporaries(const char *path, struct diag_list *dl);

#define FILE_CHANGED 1
/*
 * Replace path (which must exist) with data as file_write_atomic() does,
 * keeping its mode (and its owner, when root runs this), but only while
 * it is what the caller read: just before the rename it is read again and
 * must hold old (oldlen bytes) and, when was is given, still be the file
 * was describes (device, inode, size, mtime). A change that comes after
 * that check and before the rename is not seen: the window is the time a
 * rename takes. Returns 0; FILE_CHANGED when it changed (nothing written,
 * the temporary file removed, no diag: the caller says what to do); -1 (a
 * diag: not writable, or a step failed).
 */
int file_replace_if_unchanged(const char *path, const char *old,
    size_t oldlen, const struct stat *was, const char *data, size_t len,
    struct diag_list *dl);

/*
 * Create folder path and its missing parents with mode (like mkdir -p).
 * Returns 0, or -1 with errno set.
 */
int file_mkdirs(const char *path, unsigned mode);

#define FILE_LOCK_HELD (-1)
#define FILE_LOCK_FAILED (-2)
/*
 * Hold the file at path (created 0600, with its folder, 0700; a link is
 * not followed) with an exclusive flock, waiting up to wait_seconds while
 * another process holds it. Returns the descriptor, which holds the lock
 * until file_unlock(); FILE_LOCK_HELD when another process still holds it
 * after the wait (*holder: its pid when it wrote one and lives, else 0);
 * FILE_LOCK_FAILED with a diag on dl when it cannot be taken at all. The
 * holder's pid is written into the file, for that message.
 */
int file_lock(const char *path, long wait_seconds, long *holder,
    struct diag_list *dl);
/* Let go of what file_lock() took; the file stays. -1 does nothing. */
void file_unlock(int fd);

#endif
