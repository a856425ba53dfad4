/*
 * vault.c - walk the vault and read its notes (see vault.h).
 */
#include "vault.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"

struct walk {
	struct vault *v;
	char *const *exclude;
	size_t nexclude;
	struct scan_cache *cache;
	struct strbuf buf;	/* one file at a time; reused */
	struct strbuf path;	/* the entry's path from the root; reused */
	struct diag_list *dl;
};

/*
 * A folder's entry. Its name is at off in the folder's name pool, stored
 * with a "/" after a folder's name so that the sort key is the string
 * itself; the "/" is cut off once sorted.
 */
struct entry {
	size_t off;
	unsigned char type;	/* DT_* */
};

static int
is_excluded(const struct walk *w, const char *rel)
{
	size_t i;

	for (i = 0; i < w->nexclude; i++) {
		const char *e = w->exclude[i];
		size_t n;

		while (e[0] == '.' && e[1] == '/')
			e += 2;
		n = strlen(e);
		while (n > 0 && e[n - 1] == '/')
			n--;
		if (n > 0 && strlen(rel) == n && memcmp(rel, e, n) == 0)
			return 1;
	}
	return 0;
}

static int
ends_with_md(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/*
 * Sorting a folder's entries by name, with "/" after folder names, and
 * walking depth first visits files in byte order of their whole path.
 */
static int
cmp_entry(const void *a, const void *b, void *pool)
{
	return strcmp((const char *)pool + ((const struct entry *)a)->off,
	    (const char *)pool + ((const struct entry *)b)->off);
}

static void walk_dir(struct walk *w, int dirfd);
static void visit_file(struct walk *w, int dirfd, const char *path,
    const char *name, const struct stat *st);

static void
walk_entry(struct walk *w, int dirfd, const char *name, unsigned char type)
{
	const char *path;
	size_t parent = w->path.len;
	struct stat st;
	int fd;

	if (parent > 0)
		strbuf_addch(&w->path, '/');
	strbuf_adds(&w->path, name);
	path = w->path.buf;
	if (fstatat(dirfd, name, &st, 0) != 0) {
		/* A broken link, or gone since the folder was read. */
		if (ends_with_md(name))
			diag_error(w->dl, DIAG_NOTE, path, 0,
			    "point the link at an existing note, or remove it",
			    "cannot read: %s", strerror(errno));
	} else if (S_ISDIR(st.st_mode) && type != DT_LNK) {
		/* Links to folders are not followed: they could loop. */
		if (name[0] != '.' && !is_excluded(w, path)) {
			fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY |
			    O_CLOEXEC | O_NOFOLLOW);
			if (fd < 0)
				diag_error(w->dl, DIAG_NOTE, path, 0,
				    "check the folder's permissions",
				    "cannot read folder: %s", strerror(errno));
			else {
				walk_dir(w, fd);
				close(fd);
			}
		}
	} else if (S_ISREG(st.st_mode) && ends_with_md(name))
		visit_file(w, dirfd, path, name, &st);
	w->path.len = parent;
	w->path.buf[parent] = '\0';
}

static void
walk_dir(struct walk *w, int dirfd)
{
	int fd = dup(dirfd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct entry *entries = NULL;
	struct strbuf pool = STRBUF_INIT;
	size_t n = 0, cap = 0, i;
	struct dirent *de;

	if (dir == NULL) {
		diag_error(w->dl, DIAG_NOTE, w->path.len ? w->path.buf : ".",
		    0, "check the folder's permissions",
		    "cannot read folder: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		unsigned char type = de->d_type;
		struct stat st;

		/* ".", "..", and the dot-folders (.obsidian, .trash, .git). */
		if (de->d_name[0] == '.' && (type == DT_DIR ||
		    strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0))
			continue;
		if (type == DT_UNKNOWN && fstatat(dirfd, de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == 0)
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode)
			    ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		if (type != DT_DIR && type != DT_LNK &&
		    !(type == DT_REG && ends_with_md(de->d_name)))
			continue;
		GROW(entries, cap, n + 1);
		entries[n].off = pool.len;
		entries[n].type = type;
		strbuf_adds(&pool, de->d_name);
		if (type == DT_DIR)
			strbuf_addch(&pool, '/');
		strbuf_addch(&pool, '\0');
		n++;
	}
	closedir(dir);
	if (n > 1)
		qsort_r(entries, n, sizeof(*entries), cmp_entry, pool.buf);
	for (i = 0; i < n; i++) {
		char *name = pool.buf + entries[i].off;

		if (entries[i].type == DT_DIR)
			name[strlen(name) - 1] = '\0';
		walk_entry(w, dirfd, name, entries[i].type);
	}
	free(entries);
	strbuf_release(&pool);
}

static int
line_of_offset(const char *buf, size_t off)
{
	int line = 1;
	const char *p = buf, *end = buf + off;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

void
vault_add_file(struct vault *v, const char *relpath, const char *buf,
    size_t len, struct diag_list *dl)
{
	size_t bad = utf8_first_invalid((const unsigned char *)buf, len);

	if (bad < len) {
		diag_error(dl, DIAG_NOTE, relpath, line_of_offset(buf, bad),
		    "save the note as UTF-8 (most editors offer it under "
		    "\"Save with encoding\")",
		    "not valid UTF-8 (byte 0x%02X): note skipped",
		    (unsigned char)buf[bad]);
		return;
	}
	note_parse(v, relpath, buf, len, dl);
}

/* Read a whole file into *buf (grown as needed). 0, or -1 with a diag. */
static int
read_note(int dirfd, const char *name, const char *path, size_t size,
    struct strbuf *buf, struct diag_list *dl)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	strbuf_reset(buf);
	if (fd < 0) {
		diag_error(dl, DIAG_NOTE, path, 0,
		    "check the file's permissions", "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	/* One read of size + 1 bytes finds the end of an unchanged file. */
	GROW(buf->buf, buf->cap, size + 2);
	for (;;) {
		size_t room = buf->cap - buf->len - 1;

		n = read(fd, buf->buf + buf->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_error(dl, DIAG_NOTE, path, 0, NULL,
			    "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		buf->len += (size_t)n;
		buf->buf[buf->len] = '\0';
		if (n == 0 || (size_t)n < room)
			break;
		if (buf->len > VAULT_MAX_FILE) {
			diag_error(dl, DIAG_NOTE, path, 0,
			    "split the note, or move it out of the vault",
			    "file grew over the %zu MiB limit while read: "
			    "skipped", VAULT_MAX_FILE >> 20);
			close(fd);
			return -1;
		}
		GROW(buf->buf, buf->cap, buf->len + 65536);
	}
	close(fd);
	return 0;
}

static void
visit_file(struct walk *w, int dirfd, const char *path, const char *name,
    const struct stat *st)
{
	struct vault *v = w->v;
	struct file_meta m = {
		.size = (long long)st->st_size,
		.mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL +
		    st->st_mtim.tv_nsec,
		.ctime_ns = (long long)st->st_ctim.tv_sec * 1000000000LL +
		    st->st_ctim.tv_nsec,
		.ino = (long long)st->st_ino,
	};
	size_t note_first = v->nnotes, diag_first = w->dl->n;

	if (w->cache != NULL && cache_load(w->cache, v, path, &m, w->dl))
		return;
	if ((size_t)st->st_size > VAULT_MAX_FILE) {
		diag_error(w->dl, DIAG_NOTE, path, 0,
		    "split the note, or move it out of the vault",
		    "file is %lld bytes, over the %zu MiB limit: skipped",
		    (long long)st->st_size, VAULT_MAX_FILE >> 20);
	} else if (read_note(dirfd, name, path, (size_t)st->st_size, &w->buf,
	    w->dl) == 0) {
		v->bytes_read += w->buf.len;
		vault_add_file(v, path, strbuf_str(&w->buf), w->buf.len, w->dl);
	} else
		return;		/* unreadable now: not remembered */
	if (w->cache != NULL)
		cache_store(w->cache, v, path, &m, note_first, w->dl,
		    diag_first);
}

int
vault_scan(struct vault *v, const char *root, char *const *exclude,
    size_t nexclude, struct scan_cache *cache, struct diag_list *dl)
{
	struct walk w = { .v = v, .exclude = exclude, .nexclude = nexclude,
		.cache = cache, .buf = STRBUF_INIT, .path = STRBUF_INIT,
		.dl = dl };
	struct stat st;
	int rootfd;

	memset(v, 0, sizeof(*v));
	v->root = xstrdup(root);
	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_error(dl, DIAG_NO_VAULT, root, 0,
		    "pass --vault DIR or set \"vault:\" in the config",
		    "vault folder %s", stat(root, &st) != 0 ?
		    "does not exist" : "is not a folder");
		return -1;
	}
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		diag_error(dl, DIAG_NO_VAULT, root, 0,
		    "check the folder's permissions",
		    "cannot open vault folder: %s", strerror(errno));
		return -1;
	}
	strbuf_adds(&w.path, "");
	walk_dir(&w, rootfd);
	strbuf_release(&w.buf);
	strbuf_release(&w.path);
	close(rootfd);
	return 0;
}

void
vault_release(struct vault *v)
{
	free(v->root);
	free(v->notes);
	free(v->tasks);
	free(v->queries);
	arena_free(&v->arena);
	memset(v, 0, sizeof(*v));
}
