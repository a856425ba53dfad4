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

#include "diag.h"

struct walk {
	int rootfd;
	char *const *exclude;
	size_t nexclude;
	char **paths;
	size_t npaths, cap;
	struct diag_list *dl;
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

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(struct walk *w, const char *rel);

static void
walk_entry(struct walk *w, const char *rel, const char *name)
{
	char *path = rel[0] ? xasprintf("%s/%s", rel, name) : xstrdup(name);
	struct stat st;

	if (fstatat(w->rootfd, path, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		diag_error(w->dl, DIAG_NOTE, path, 0, NULL, "cannot stat: %s",
		    strerror(errno));
		free(path);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		/* Links to files are read; links to folders could loop. */
		if (fstatat(w->rootfd, path, &st, 0) != 0) {
			if (ends_with_md(name))
				diag_error(w->dl, DIAG_NOTE, path, 0,
				    "point the link at an existing note, or "
				    "remove it", "cannot read: %s",
				    strerror(errno));
			free(path);
			return;
		}
		if (!S_ISREG(st.st_mode)) {
			free(path);
			return;
		}
	}
	if (S_ISDIR(st.st_mode)) {
		if (name[0] != '.' && !is_excluded(w, path))
			walk_dir(w, path);
		free(path);
	} else if (S_ISREG(st.st_mode) && ends_with_md(name)) {
		GROW(w->paths, w->cap, w->npaths + 1);
		w->paths[w->npaths++] = path;
	} else
		free(path);
}

static void
walk_dir(struct walk *w, const char *rel)
{
	int fd = openat(w->rootfd, rel[0] ? rel : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;
	struct dirent *de;

	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		diag_error(w->dl, DIAG_NOTE, rel, 0,
		    "check the folder's permissions",
		    "cannot read folder: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		walk_entry(w, rel, de->d_name);
	}
	closedir(dir);
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
read_note(int rootfd, const char *path, struct strbuf *buf,
    struct diag_list *dl)
{
	int fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char chunk[65536];
	ssize_t n;

	strbuf_reset(buf);
	if (fd < 0 || fstat(fd, &st) != 0) {
		diag_error(dl, DIAG_NOTE, path, 0,
		    "check the file's permissions", "cannot read: %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((size_t)st.st_size > VAULT_MAX_FILE) {
		diag_error(dl, DIAG_NOTE, path, 0,
		    "split the note, or move it out of the vault",
		    "file is %lld bytes, over the %zu MiB limit: skipped",
		    (long long)st.st_size, VAULT_MAX_FILE >> 20);
		close(fd);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_error(dl, DIAG_NOTE, path, 0, NULL,
			    "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (buf->len + (size_t)n > VAULT_MAX_FILE) {
			diag_error(dl, DIAG_NOTE, path, 0,
			    "split the note, or move it out of the vault",
			    "file grew over the %zu MiB limit while read: "
			    "skipped", VAULT_MAX_FILE >> 20);
			close(fd);
			return -1;
		}
		strbuf_add(buf, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int
vault_scan(struct vault *v, const char *root, char *const *exclude,
    size_t nexclude, struct diag_list *dl)
{
	struct walk w = { .exclude = exclude, .nexclude = nexclude, .dl = dl };
	struct strbuf buf = STRBUF_INIT;
	struct stat st;
	size_t i;

	memset(v, 0, sizeof(*v));
	v->root = xstrdup(root);
	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_error(dl, DIAG_NO_VAULT, root, 0,
		    "pass --vault DIR or set \"vault:\" in the config",
		    "vault folder %s", stat(root, &st) != 0 ?
		    "does not exist" : "is not a folder");
		return -1;
	}
	w.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.rootfd < 0) {
		diag_error(dl, DIAG_NO_VAULT, root, 0,
		    "check the folder's permissions",
		    "cannot open vault folder: %s", strerror(errno));
		return -1;
	}
	walk_dir(&w, "");
	if (w.npaths > 0)
		qsort(w.paths, w.npaths, sizeof(*w.paths), cmp_str);
	for (i = 0; i < w.npaths; i++) {
		if (read_note(w.rootfd, w.paths[i], &buf, dl) == 0) {
			v->bytes_read += buf.len;
			vault_add_file(v, w.paths[i], strbuf_str(&buf), buf.len,
			    dl);
		}
		free(w.paths[i]);
	}
	free(w.paths);
	strbuf_release(&buf);
	close(w.rootfd);
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
