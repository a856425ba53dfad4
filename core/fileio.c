/* fileio.c - whole-file reads and atomic writes (see fileio.h). */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#define LOCK_POLL_MS 100	/* how often a waiting lock tries again */

const char *
file_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "a link";
}

void
file_remove_sqlite(const char *path)
{
	static const char *const sides[] = { "", "-wal", "-shm", "-journal" };
	size_t i;

	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		char *p = xasprintf("%s%s", path, sides[i]);

		unlink(p);
		free(p);
	}
}

static const char *
read_hint(int err)
{
	if (err == EISDIR)
		return "the path is a folder: name a file in it";
	if (err == EACCES || err == EPERM)
		return "check the file's permissions";
	return "is it the right file?";
}

int
file_read_all(const char *path, size_t max, char **buf, size_t *len,
    struct diag_list *dl)
{
	const char *why;
	int rc = file_read_regular(path, max, buf, len, NULL, &why);

	if (rc < 0)
		diag_error(dl, DIAG_CANT_WRITE, path, 0, read_hint(errno),
		    "cannot read this file: %s", why);
	return rc;
}

/* The folder of path ("." when it has none); the caller's. */
static char *
folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static const char *
write_hint(int err)
{
	switch (err) {
	case ENOENT:
		return "create the folder first, or write the file somewhere "
		    "else; nothing was changed";
	case ENOTDIR:
		return "a part of the path is a file, not a folder: choose "
		    "another path; nothing was changed";
	case EACCES:
	case EPERM:
	case EROFS:
		return "make the folder writable, or write the file somewhere "
		    "else; nothing was changed";
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		return "free some space; the previous file was left as it was";
	case EISDIR:
		return "the path is a folder: name a file in it; nothing was "
		    "changed";
	}
	return "the previous file was left as it was";
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* What file_replace_if_unchanged() expects to find before it renames. */
struct expect {
	const char *old;
	size_t oldlen;
	const struct stat *was;	/* may be NULL */
};

/* Does path hold exactly data (len bytes)? */
static int
holds(const char *path, const char *data, size_t len)
{
	char chunk[65536];
	size_t seen = 0;
	ssize_t n;
	int fd, same = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while (same) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			same = n == 0 && seen == len;
			break;
		}
		same = seen + (size_t)n <= len &&
		    memcmp(data + seen, chunk, (size_t)n) == 0;
		seen += (size_t)n;
	}
	close(fd);
	return same;
}

/*
 * Is target still what the caller read? The same file (device, inode),
 * size and mtime, and the same bytes: an editor that saved the same bytes
 * through a new file counts as a change too, which only costs a retry.
 */
static int
unchanged(const char *target, const struct expect *x)
{
	struct stat st;

	if (stat(target, &st) != 0)
		return 0;
	if (x->was != NULL && (st.st_dev != x->was->st_dev ||
	    st.st_ino != x->was->st_ino || st.st_size != x->was->st_size ||
	    st.st_mtim.tv_sec != x->was->st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != x->was->st_mtim.tv_nsec))
		return 0;
	return holds(target, x->old, x->oldlen);
}

/*
 * Our temporary files are named ".BASE" TEMPORARY_MARK "XXXXXX": the mark
 * tells them from the ".BASE.XXXXXX" files of other tools (rsync's), so
 * that only ours are ever removed.
 */
#define TEMPORARY_MARK ".followup-"

/*
 * How much of base names its temporary file: all of it
 * unless that would pass the longest name a folder takes.
 */
static size_t
temporary_stem_len(const char *base)
{
	size_t n = strlen(base);

	return n > NAME_MAX - 1 - (sizeof(TEMPORARY_MARK) - 1) - 6 ?
	    NAME_MAX - 1 - (sizeof(TEMPORARY_MARK) - 1) - 6 : n;
}

int
file_is_temporary(const char *name, size_t *stem_len)
{
	const char *mark;
	size_t i, mlen = sizeof(TEMPORARY_MARK) - 1;

	if (name[0] != '.' || (mark = strstr(name + 1, TEMPORARY_MARK)) ==
	    NULL || mark == name + 1)
		return 0;
	while (strstr(mark + 1, TEMPORARY_MARK) != NULL)
		mark = strstr(mark + 1, TEMPORARY_MARK);
	if (strlen(mark + mlen) != 6)
		return 0;
	for (i = 0; mark[mlen + i] != '\0'; i++) {
		char c = mark[mlen + i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')))
			return 0;
	}
	if (stem_len != NULL)
		*stem_len = (size_t)(mark - name - 1);
	return 1;
}

/* Whether name is one of our temporary files for base. */
static int
is_temporary_of(const char *name, const char *base)
{
	size_t stem;

	return file_is_temporary(name, &stem) &&
	    stem == temporary_stem_len(base) && strncmp(name + 1, base,
	    stem) == 0;
}

/*
 * Remove the temporary files of base in dir that a writer stopped dead
 * (SIGKILL, a power cut) left behind, saying so on dl. Only ours,
 * regular, and untouched for min_age seconds: a live writer holds its
 * file for the time a write takes, never FILE_STALE_SECONDS (0 for a
 * caller that holds the writers' lock). Best effort: a failure changes
 * nothing.
 */
static void
remove_temporaries(const char *dir, const char *base, long min_age,
    struct diag_list *dl)
{
	time_t now = time(NULL);
	struct dirent *e;
	struct stat st;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!is_temporary_of(e->d_name, base) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    now - st.st_mtime >= min_age &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0) {
			char *gone = xasprintf("%s/%s", dir, e->d_name);

			diag_warn(dl, DIAG_CANT_WRITE, gone, 0, NULL,
			    "removed this temporary file, which a followup "
			    "stopped while writing %s left behind", base);
			free(gone);
		}
	}
	closedir(d);
}

/*
 * file_write_atomic(), and with x the check of file_replace_if_unchanged()
 * just before the rename (FILE_CHANGED when it fails).
 */
static int
replace(const char *path, const char *data, size_t len, unsigned mode,
    const struct expect *x, struct diag_list *dl)
{
	char *target = NULL, *dir = NULL, *tmp = NULL, *base;
	const char *step = "create a temporary file in its folder";
	struct stat st;
	mode_t mask;
	int fd = -1, dfd, err, rc = -1, existed = 0;

	/* Follow a symbolic link, so that the link stays one. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (target = realpath(path, NULL)) == NULL) {
		err = errno;
		step = "follow the symbolic link";
		goto fail;
	}
	if (target == NULL)
		target = xstrdup(path);
	if (stat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			err = EISDIR;
			step = "replace it";
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			/* A device, a FIFO: never replaced by a file. */
			diag_error(dl, DIAG_CANT_WRITE, path, 0, "name a "
			    "regular file (or - for standard output); nothing "
			    "was changed", "cannot write this file: it is %s, "
			    "not a regular file", file_kind(st.st_mode));
			goto out;
		}
		mode = st.st_mode & 07777;
		existed = 1;
	} else {
		mask = umask(0);
		umask(mask);
		mode &= ~(unsigned)mask;
	}
	dir = folder_of(target);
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	tmp = xasprintf("%s/.%.*s" TEMPORARY_MARK "XXXXXX", dir,
	    (int)temporary_stem_len(base), base);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		err = errno;
		free(tmp);
		tmp = NULL;
		goto fail;
	}
	step = "write it";
	if (write_all(fd, data, len) != 0 || fchmod(fd, (mode_t)mode) != 0) {
		err = errno;
		goto fail;
	}
	/*
	 * A note keeps its owner when root edits it. Anyone else cannot give
	 * a file away; then it stays theirs, which is no reason to stop.
	 */
	if (x != NULL && existed && (st.st_uid != geteuid() ||
	    st.st_gid != getegid()))
		err = fchown(fd, st.st_uid, st.st_gid);
	step = "flush it to disk";
	if (fsync(fd) != 0) {
		err = errno;
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		err = errno;
		goto fail;
	}
	fd = -1;
	if (x != NULL && !unchanged(target, x)) {
		unlink(tmp);
		rc = FILE_CHANGED;
		goto out;
	}
	step = "rename the temporary file over it";
	if (rename(tmp, target) != 0) {
		err = errno;
		goto fail;
	}
	free(tmp);
	tmp = NULL;
	/*
	 * The rename itself must reach the disk too. The file is written
	 * whatever happens here, so a failure is only a warning (EINVAL: a
	 * file system that has no such thing to flush).
	 */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fsync(dfd) != 0) {
		err = errno;
		if (err != EINVAL)
			diag_warn(dl, DIAG_CANT_WRITE, path, 0, "the file was "
			    "written, but a crash now could undo it",
			    "cannot flush its folder to disk: %s",
			    strerror(err));
	}
	if (dfd >= 0)
		close(dfd);
	remove_temporaries(dir, base, FILE_STALE_SECONDS + 1, dl);
	rc = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	diag_error(dl, DIAG_CANT_WRITE, path, 0, write_hint(err),
	    "cannot write this file: %s (trying to %s)", strerror(err), step);
out:
	free(tmp);
	free(dir);
	free(target);
	return rc;
}

int
file_read_regular(const char *path, size_t max, char **buf, size_t *len,
    struct stat *stp, const char **why)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	ssize_t n;
	int fd, err;

	*buf = NULL;
	*len = 0;
	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		*why = S_ISDIR(st.st_mode) ? "it is a folder" :
		    S_ISFIFO(st.st_mode) ? "it is a FIFO, not a regular file" :
		    S_ISSOCK(st.st_mode) ? "it is a socket, not a regular file" :
		    "it is a device, not a regular file";
		goto fail;
	}
	if ((unsigned long long)st.st_size > max) {
		errno = EFBIG;
		*why = "it is too large";
		goto fail;
	}
	if (stp != NULL)
		*stp = st;
	GROW(sb.buf, sb.cap, (size_t)st.st_size + 2);
	for (;;) {
		n = read(fd, sb.buf + sb.len, sb.cap - sb.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			goto fail;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		if (sb.len > max) {
			errno = EFBIG;
			*why = "it is too large";
			goto fail;
		}
		GROW(sb.buf, sb.cap, sb.len + 65536);
	}
	sb.buf[sb.len] = '\0';
	close(fd);
	*len = sb.len;
	*buf = strbuf_detach(&sb);
	return 0;
fail:
	err = errno;
	close(fd);
	strbuf_release(&sb);
	errno = err;
	return -1;
}

void
file_remove_temporaries(const char *path, struct diag_list *dl)
{
	char *target = realpath(path, NULL), *dir;
	const char *base;

	if (target == NULL)
		return;
	dir = folder_of(target);
	base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	remove_temporaries(dir, base, 0, dl);
	free(dir);
	free(target);
}

int
file_write_atomic(const char *path, const char *data, size_t len,
    unsigned mode, struct diag_list *dl)
{
	return replace(path, data, len, mode, NULL, dl);
}

/* Refuse a read-only file or folder (what: which, for the message). */
static int
refuse_read_only(const char *path, const char *what, const char *shown,
    int err, struct diag_list *dl)
{
	char *hint = xasprintf("make it writable (chmod u+w %s), then run "
	    "again; nothing was changed", shown);

	diag_error(dl, DIAG_CANT_WRITE, path, 0, hint, "%s is read-only%s%s",
	    what, err ? ": " : "", err ? strerror(err) : "");
	free(hint);
	return -1;
}

/*
 * Writable to us, and marked writable at all: root may write anything,
 * but a file its owner made read-only is not ours to replace.
 */
static int
writable(const char *path, const struct stat *st, int *err)
{
	*err = 0;
	if (access(path, W_OK) != 0) {
		*err = errno;
		return 0;
	}
	return (st->st_mode & 0222) != 0;
}

int
file_check_writable(const char *path, struct diag_list *dl)
{
	char *target = realpath(path, NULL), *dir = NULL;
	struct stat st;
	int err, rc = -1;

	if (target == NULL || stat(target, &st) != 0) {
		diag_error(dl, DIAG_CANT_WRITE, path, 0, read_hint(errno),
		    "cannot find this file: %s", strerror(errno));
		goto out;
	}
	if (!writable(target, &st, &err)) {
		refuse_read_only(path, "this file", target, err, dl);
		goto out;
	}
	dir = folder_of(target);
	if (stat(dir, &st) != 0 || !writable(dir, &st, &err)) {
		char *what = xasprintf("its folder %s (where the new file is "
		    "made)", dir);

		refuse_read_only(path, what, dir, err, dl);
		free(what);
		goto out;
	}
	rc = 0;
out:
	free(dir);
	free(target);
	return rc;
}

int
file_replace_if_unchanged(const char *path, const char *old, size_t oldlen,
    const struct stat *was, const char *data, size_t len,
    struct diag_list *dl)
{
	struct expect x = { old, oldlen, was };

	if (file_check_writable(path, dl) != 0)
		return -1;
	return replace(path, data, len, 0644, &x, dl);
}

int
file_mkdirs(const char *path, unsigned mode)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/*
 * The pid the holder wrote into the lock file, when that process lives;
 * 0 when unknown (a holder that is not a followup writes none).
 */
static long
lock_holder(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return 0;
	return pid;
}

static int
open_lock_file(const char *path, struct diag_list *dl)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd = -1;

	if (slash != NULL && slash != dir)
		*slash = '\0';
	if ((slash == NULL || slash == dir || file_mkdirs(dir, 0700) == 0) &&
	    (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) >= 0) {
		free(dir);
		return fd;
	}
	diag_error(dl, DIAG_CANT_WRITE, path, 0, "check that its folder "
	    "exists and is writable (XDG_RUNTIME_DIR and XDG_STATE_HOME "
	    "move it)", "cannot open the lock file: %s", strerror(errno));
	free(dir);
	return -1;
}

int
file_lock(const char *path, long wait_seconds, long *holder,
    struct diag_list *dl)
{
	double deadline = monotonic_seconds() + (double)wait_seconds;
	char pid[32];
	int fd, n;

	*holder = 0;
	if ((fd = open_lock_file(path, dl)) < 0)
		return FILE_LOCK_FAILED;
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			diag_error(dl, DIAG_CANT_WRITE, path, 0, NULL,
			    "cannot lock: %s", strerror(errno));
			close(fd);
			return FILE_LOCK_FAILED;
		}
		if (monotonic_seconds() >= deadline) {
			*holder = lock_holder(fd);
			close(fd);
			return FILE_LOCK_HELD;
		}
		sleep_ms(LOCK_POLL_MS);
	}
	/* Who holds it, for the message the next one gives. */
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* Only the message suffers; the lock is held. */
	}
	return fd;
}

void
file_unlock(int fd)
{
	if (fd < 0)
		return;
	/* The pid goes with the lock; the file stays, for the next. */
	if (ftruncate(fd, 0) != 0) {
		/* A stale pid is checked for life before it is shown. */
	}
	close(fd);
}
