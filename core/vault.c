/*
 * vault.c - walk the vault and read its notes (see vault.h).
 */
#include "vault.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "fileio.h"
#include "note.h"
#include "notecodec.h"
#include "store.h"
#include "strmap.h"

/*
 * Folders kept open after the walk, so that a note is opened by its name
 * in its folder: opening by the whole path from the root looks every
 * folder up again, which costs as much as the read itself, more so when
 * two threads do it at once. Beyond this many, or a quarter of the limit
 * on open files, by the whole path.
 */
#define OPEN_FOLDERS_MAX 256

/* A note the walk found. */
struct file {
	const char *path;	/* in the vault's arena: the note's path */
	int dirfd;		/* its open folder, or -1: open from the root */
};

/*
 * The notes are read in chunks of CHUNK_FILES consecutive ones (in walk
 * order, which is path order), each into a vault and diags of its own, by
 * two threads that take the next chunk when done with one; the chunks are
 * then appended in order. So the notes are in path order and the result
 * does not depend on which thread read what.
 */
#define CHUNK_FILES 256

struct chunk {
	struct file files[CHUNK_FILES];
	size_t nfiles;
	struct vault v;
	struct diag_list dl;
	int done;		/* under the reader's lock */
};

/*
 * What the walk and the readers share. The walk lists notes into chunks
 * while the readers already read the chunks before: a chunk is ready once
 * the next one has begun (whose first path ends the chunk's range in the
 * cache) or the walk is over, and the walk touches it no more.
 */
struct reader {
	pthread_mutex_t lock;
	pthread_cond_t ready;	/* a chunk became ready, or the walk ended */
	struct chunk **chunks;	/* under lock */
	size_t nchunks, capchunks;	/* under lock */
	size_t next;		/* the next chunk to take, under lock */
	int walked;		/* the walk is over, under lock */
	int rootfd;
	struct scan_cache *cache;
	const struct obsidian_settings *settings;
};

struct walk {
	struct vault *v;
	char *const *exclude;
	size_t nexclude;
	struct strbuf path;	/* the entry's path from the root; reused */
	struct reader *r;
	struct chunk *filling;	/* the chunk the walk is listing into */
	int folders[OPEN_FOLDERS_MAX];	/* kept open for the readers */
	size_t nfolders, maxfolders;
	struct diag_list *dl;
	char *realroot;		/* the root, links resolved; made when needed */
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

static void walk_dir(struct walk *w, int dirfd, int kept);
static void add_file(struct walk *w, int dirfd, const char *path);

/*
 * A note that is a FIFO, a socket or a device: never opened for long (a
 * FIFO's open would wait for a writer, and its read for data), an error.
 */
static void
not_regular(const char *path, mode_t mode, struct diag_list *dl)
{
	diag_error(dl, DIAG_NOTE, path, 0, "a note is a regular file: "
	    "remove this one or rename it so that it does not end in .md",
	    "is %s, not a note: skipped", file_kind(mode));
}

/*
 * Does the link at the walk's path lead to a note that the walk reads
 * where it is (inside the vault, in no dot-folder or excluded one)? Then
 * the link is not a second note: the same person counted twice.
 */
static int
links_to_a_walked_note(struct walk *w)
{
	char *full = xasprintf("%s/%s", w->v->root, w->path.buf), *real, *rel;
	char *slash;
	size_t n;
	int walked = 0;

	if (w->realroot == NULL && (w->realroot = realpath(w->v->root,
	    NULL)) == NULL)
		w->realroot = xstrdup("");
	real = realpath(full, NULL);
	free(full);
	if (real == NULL || !path_is_inside(real, w->realroot)) {
		free(real);
		return 0;
	}
	n = strlen(w->realroot);
	rel = real + n + (w->realroot[n - 1] != '/');
	walked = ends_with_md(rel) && rel[0] != '.';
	for (slash = strchr(rel, '/'); walked && slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		walked = !is_excluded(w, rel) && slash[1] != '.';
		*slash = '/';
	}
	free(real);
	return walked;
}

/* A folder the walk cannot open: its notes are unknown this scan. */
static void
unread_folder(struct walk *w, const char *path, int err)
{
	diag_error(w->dl, DIAG_NOTE, path, 0, err == EMFILE || err == ENFILE ?
	    "too many files are open: raise the limit (ulimit -n) or run "
	    "again; nothing published of this folder is taken back" :
	    "check the folder's permissions; nothing published of this "
	    "folder is taken back", "cannot read folder: %s", strerror(err));
	w->v->nunread_folders++;
}

/* kept: dirfd stays open after the walk (see OPEN_FOLDERS_MAX). */
static void
walk_entry(struct walk *w, int dirfd, int kept, const char *name,
    unsigned char type)
{
	const char *path;
	size_t parent = w->path.len;
	struct stat st;
	int fd;

	if (parent > 0)
		strbuf_addch(&w->path, '/');
	strbuf_adds(&w->path, name);
	path = w->path.buf;
	if (type == DT_REG) {
		/*
		 * A note: its reader stats it, on its own thread, which
		 * leaves the walk as little to do as `find` has.
		 */
		add_file(w, kept ? dirfd : -1, path);
	} else if (fstatat(dirfd, name, &st, 0) != 0) {
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
			if (fd < 0) {
				unread_folder(w, path, errno);
			} else if (w->nfolders < w->maxfolders) {
				w->folders[w->nfolders++] = fd;
				walk_dir(w, fd, 1);
			} else {
				walk_dir(w, fd, 0);
				close(fd);
			}
		}
	} else if (S_ISREG(st.st_mode) && ends_with_md(name)) {
		if (type != DT_LNK || !links_to_a_walked_note(w))
			add_file(w, kept ? dirfd : -1, path);
	}
	else if (!S_ISDIR(st.st_mode) && ends_with_md(name))
		not_regular(path, st.st_mode, w->dl);
	w->path.len = parent;
	w->path.buf[parent] = '\0';
}

/*
 * A temporary file of ours that a followup killed while it wrote a note
 * left behind: said, not removed (a scan writes nothing in the vault; the
 * next edit of that note removes it).
 */
static void
left_temporary(struct walk *w, int dirfd, const char *name)
{
	struct stat st;
	size_t parent = w->path.len;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(st.st_mode) || time(NULL) - st.st_mtime <=
	    FILE_STALE_SECONDS)
		return;
	if (parent > 0)
		strbuf_addch(&w->path, '/');
	strbuf_adds(&w->path, name);
	diag_warn(w->dl, DIAG_NOTE, w->path.buf, 0, "delete it; the next "
	    "followup contacted or snooze of that note removes it too",
	    "a temporary file that a followup stopped while editing a note "
	    "left behind");
	w->path.len = parent;
	w->path.buf[parent] = '\0';
}

static void
walk_dir(struct walk *w, int dirfd, int kept)
{
	int fd = dup(dirfd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct entry *entries = NULL;
	struct strbuf pool = STRBUF_INIT;
	size_t n = 0, cap = 0, i;
	struct dirent *de;

	if (dir == NULL) {
		unread_folder(w, w->path.len ? w->path.buf : ".", errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		unsigned char type = de->d_type;
		struct stat st;

		if (de->d_name[0] == '.' && type != DT_DIR &&
		    file_is_temporary(de->d_name, NULL))
			left_temporary(w, dirfd, de->d_name);
		/* ".", "..", and the dot-folders (.obsidian, .trash, .git). */
		if (de->d_name[0] == '.' && (type == DT_DIR ||
		    strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0))
			continue;
		if (type == DT_UNKNOWN && fstatat(dirfd, de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == 0)
			type = IFTODT(st.st_mode);
		if (type != DT_DIR && type != DT_LNK &&
		    !ends_with_md(de->d_name))
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
		walk_entry(w, dirfd, kept, name, entries[i].type);
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

	struct strbuf mended = STRBUF_INIT;

	if (bad == len) {
		note_parse(v, relpath, buf, len, dl);
		return;
	}
	/*
	 * Obsidian reads such a file with U+FFFD for what is not UTF-8, and
	 * so does the scan; the note stays as it is on disk.
	 */
	diag_error(dl, DIAG_NOTE, relpath, line_of_offset(buf, bad),
	    "save the note as UTF-8 (most editors offer it under \"Save "
	    "with encoding\")",
	    "not valid UTF-8 (byte 0x%02X): read as Obsidian shows it, with "
	    "U+FFFD in place of what is not", (unsigned char)buf[bad]);
	strbuf_add_utf8_mended(&mended, buf, len, 0);
	note_parse(v, relpath, mended.buf, mended.len, dl);
	strbuf_release(&mended);
}

static void
too_big(const char *path, long long size, struct diag_list *dl)
{
	diag_error(dl, DIAG_NOTE, path, 0,
	    "split the note, or move it out of the vault",
	    "file is %lld bytes, over the %zu MiB limit: skipped", size,
	    VAULT_MAX_FILE >> 20);
}

/*
 * Read the whole open file fd into *buf (grown as needed), and close it.
 * size is its size from a stat, or -1 when it was not statted: then it is
 * statted only if it fills the buffer, to refuse it when it is too big as
 * the stat would have. 0, or -1 with a diag.
 */
static int
read_fd(int fd, const char *path, long long size, struct strbuf *buf,
    struct diag_list *dl)
{
	struct stat st;
	ssize_t n;
	int rc = -1;

	strbuf_reset(buf);
	/* One read of size + 1 bytes finds the end of an unchanged file. */
	GROW(buf->buf, buf->cap, size >= 0 ? (size_t)size + 2 : 65536);
	for (;;) {
		size_t room = buf->cap - buf->len - 1;

		n = read(fd, buf->buf + buf->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		/*
		 * Notes are opened without blocking: a FIFO put in a
		 * note's place after the walk reads as nothing, or as
		 * EAGAIN. An empty read is rare enough to be checked.
		 */
		if ((n == 0 && buf->len == 0) || (n < 0 && errno == EAGAIN)) {
			if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
				not_regular(path, st.st_mode, dl);
				goto out;
			}
		}
		if (n < 0) {
			diag_error(dl, DIAG_NOTE, path, 0, NULL,
			    "cannot read: %s", strerror(errno));
			goto out;
		}
		buf->len += (size_t)n;
		buf->buf[buf->len] = '\0';
		if (n == 0 || (size_t)n < room)
			break;
		if (size < 0 && fstat(fd, &st) == 0) {
			size = (long long)st.st_size;
			if ((size_t)size > VAULT_MAX_FILE) {
				too_big(path, size, dl);
				goto out;
			}
		}
		if (buf->len > VAULT_MAX_FILE) {
			diag_error(dl, DIAG_NOTE, path, 0,
			    "split the note, or move it out of the vault",
			    "file grew over the %zu MiB limit while read: "
			    "skipped", VAULT_MAX_FILE >> 20);
			goto out;
		}
		GROW(buf->buf, buf->cap, size >= 0 && (size_t)size + 2 >
		    buf->len + 65536 ? (size_t)size + 2 : buf->len + 65536);
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* Append c to the chunks, which makes the chunk before it ready. */
static void
publish_chunk(struct reader *r, struct chunk *c)
{
	pthread_mutex_lock(&r->lock);
	GROW(r->chunks, r->capchunks, r->nchunks + 1);
	r->chunks[r->nchunks++] = c;
	pthread_cond_broadcast(&r->ready);
	pthread_mutex_unlock(&r->lock);
}

/* dirfd: the note's folder when it stays open for the readers, else -1. */
static void
add_file(struct walk *w, int dirfd, const char *path)
{
	struct chunk *c = w->filling;
	struct file f = { arena_strdup(&w->v->arena, path), dirfd };

	if (c != NULL && c->nfiles < CHUNK_FILES) {
		c->files[c->nfiles++] = f;
		return;
	}
	/* A new chunk is published with its first path, its range's start. */
	c = xcalloc(1, sizeof(*c));
	c->v.settings = w->r->settings;
	c->v.paths_in_arena = 1;
	c->v.open_tasks_only = w->v->open_tasks_only;
	c->files[c->nfiles++] = f;
	w->filling = c;
	publish_chunk(w->r, c);
}

static void
end_walk(struct reader *r)
{
	pthread_mutex_lock(&r->lock);
	r->walked = 1;
	pthread_cond_broadcast(&r->ready);
	pthread_mutex_unlock(&r->lock);
}

static void
meta_of(const struct stat *st, struct file_meta *m)
{
	m->size = (long long)st->st_size;
	m->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL +
	    st->st_mtim.tv_nsec;
	m->ctime_ns = (long long)st->st_ctim.tv_sec * 1000000000LL +
	    st->st_ctim.tv_nsec;
	m->ino = (long long)st->st_ino;
}

/* One thread's tools. */
struct reading {
	struct reader *r;
	struct cache_view *view;
	struct strbuf buf;	/* one file at a time; reused */
	/*
	 * The strings of every chunk this thread reads: an arena per chunk
	 * would leave half a block unused per chunk.
	 */
	struct arena arena;
	struct strset names;	/* the names it read, in arena */
	struct strbuf blob;	/* what the cache gets of a note; reused */
};

static const char *
file_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A note the walk listed cannot be statted. */
static void
cannot_stat(const char *path, int err, struct diag_list *dl)
{
	/* A broken link, or gone since the folder was read. */
	diag_error(dl, DIAG_NOTE, path, 0,
	    "point the link at an existing note, or remove it",
	    "cannot read: %s", strerror(err));
}

static void
cannot_open(const char *path, int err, struct diag_list *dl)
{
	diag_error(dl, DIAG_NOTE, path, 0, err == EMFILE || err == ENFILE ?
	    "too many files are open: raise the limit (ulimit -n) or run "
	    "again" : "check the file's permissions", "cannot read: %s",
	    strerror(err));
}

/*
 * A note could not be opened before being statted: say what the scan
 * that stats first says (read_file()), which the stat tells apart.
 */
static void
explain_open_failure(int dirfd, const char *name, const char *path,
    int err, struct diag_list *dl)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, 0) != 0)
		cannot_stat(path, errno, dl);
	else if (!S_ISREG(st.st_mode))
		not_regular(path, st.st_mode, dl);
	else if ((size_t)st.st_size > VAULT_MAX_FILE)
		too_big(path, (long long)st.st_size, dl);
	else
		cannot_open(path, err, dl);
}

/*
 * Without a cache nothing needs a note's metadata: it is opened and read
 * at once, which saves a lookup of its name per note.
 */
static void
read_uncached(struct reading *t, const struct file *f, int dirfd,
    const char *name, struct vault *v, struct diag_list *dl)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);

	if (fd < 0)
		explain_open_failure(dirfd, name, f->path, errno, dl);
	else if (read_fd(fd, f->path, -1, &t->buf, dl) == 0) {
		v->bytes_read += t->buf.len;
		v->nread++;
		vault_add_file(v, f->path, strbuf_str(&t->buf), t->buf.len,
		    dl);
	}
}

/* The note as the cache has it, when the cache has it as it is now. */
static int
from_cache(struct reading *t, const char *path, const struct file_meta *m,
    struct vault *v, struct diag_list *dl)
{
	const void *blob;
	size_t len;

	if (!cache_lookup(t->view, path, m, &blob, &len) ||
	    notecodec_decode(blob, len, v, path, dl) != 0)
		return 0;
	v->ncached++;
	return 1;
}

static void
read_file(struct reading *t, const struct file *f, struct vault *v,
    struct diag_list *dl)
{
	int dirfd = f->dirfd >= 0 ? f->dirfd : t->r->rootfd;
	const char *name = f->dirfd >= 0 ? file_name(f->path) : f->path;
	size_t note_first = v->nnotes, diag_first = dl->n;
	struct file_meta m;
	struct stat st;
	int fd;

	if (t->r->cache == NULL) {
		read_uncached(t, f, dirfd, name, v, dl);
		return;
	}
	if (fstatat(dirfd, name, &st, 0) != 0) {
		cannot_stat(f->path, errno, dl);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		not_regular(f->path, st.st_mode, dl);
		return;
	}
	meta_of(&st, &m);
	if (t->view != NULL && from_cache(t, f->path, &m, v, dl))
		return;
	if ((size_t)st.st_size > VAULT_MAX_FILE)
		too_big(f->path, (long long)st.st_size, dl);
	else if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK)) < 0) {
		cannot_open(f->path, errno, dl);
		return;		/* unreadable now: not remembered */
	} else if (read_fd(fd, f->path, (long long)st.st_size, &t->buf,
	    dl) == 0) {
		/* The cache remembers every task, for every command. */
		int open_only = v->open_tasks_only;

		v->open_tasks_only = 0;
		v->bytes_read += t->buf.len;
		v->nread++;
		vault_add_file(v, f->path, strbuf_str(&t->buf), t->buf.len,
		    dl);
		v->open_tasks_only = open_only;
	} else
		return;		/* unreadable now: not remembered */
	strbuf_reset(&t->blob);
	notecodec_encode(&t->blob, v, note_first, dl, diag_first);
	cache_put(t->r->cache, f->path, &m, t->blob.buf, t->blob.len);
	if (v->open_tasks_only)
		store_drop_closed(v, note_first);
}

/* The next ready chunk and its range's bounds; NULL when none is left. */
static struct chunk *
take_chunk(struct reader *r, const char **from, const char **to)
{
	struct chunk *c = NULL;
	size_t k;

	pthread_mutex_lock(&r->lock);
	while (!(r->next < r->nchunks && (r->next + 1 < r->nchunks ||
	    r->walked)) && !(r->walked && r->next >= r->nchunks))
		pthread_cond_wait(&r->ready, &r->lock);
	if (r->next < r->nchunks) {
		k = r->next++;
		c = r->chunks[k];
		*from = k > 0 ? c->files[0].path : NULL;
		*to = k + 1 < r->nchunks ? r->chunks[k + 1]->files[0].path :
		    NULL;
	}
	pthread_mutex_unlock(&r->lock);
	return c;
}

static void
read_chunk(struct reading *t, struct chunk *c, const char *from,
    const char *to)
{
	struct reader *r = t->r;
	size_t i;

	c->v.arena = t->arena;
	c->v.names = &t->names;
	if (t->view != NULL)
		cache_view_range(t->view, from, to);
	for (i = 0; i < c->nfiles; i++)
		read_file(t, &c->files[i], &c->v, &c->dl);
	t->arena = c->v.arena;
	c->v.arena.head = NULL;
	c->v.names = NULL;
	pthread_mutex_lock(&r->lock);
	c->done = 1;
	pthread_mutex_unlock(&r->lock);
}

static void *
read_chunks(void *arg)
{
	struct reading *t = arg;
	struct chunk *c;
	const char *from, *to;

	while ((c = take_chunk(t->r, &from, &to)) != NULL)
		read_chunk(t, c, from, to);
	return NULL;
}

/* Chunk k, once done (else NULL). */
static struct chunk *
done_chunk(struct reader *r, size_t k)
{
	struct chunk *c = NULL;

	pthread_mutex_lock(&r->lock);
	if (k < r->nchunks && r->chunks[k]->done)
		c = r->chunks[k];
	pthread_mutex_unlock(&r->lock);
	return c;
}

/*
 * Append the chunks from *merged on that are done, in order, and free
 * them, so that they do not all wait in memory until the end. Only once
 * the walk is over.
 */
static void
merge_done(struct reader *r, size_t *merged, struct vault *v,
    struct diag_list *dl)
{
	struct chunk *c;

	while ((c = done_chunk(r, *merged)) != NULL) {
		store_append(v, &c->v);
		diag_list_move(dl, &c->dl);
		free(c);
		(*merged)++;
	}
}

/*
 * Walk on this thread while a second one (when the machine has a second
 * processor) reads the chunks already listed; then read on this one too,
 * appending the chunks as they are done.
 */
static void
scan_files(struct walk *w, int rootfd, struct scan_cache *cache)
{
	struct reader r = { .rootfd = rootfd, .cache = cache,
		.settings = w->v->settings };
	struct reading t[2] = {
		{ &r, NULL, STRBUF_INIT, { NULL }, STRSET_INIT, STRBUF_INIT },
		{ &r, NULL, STRBUF_INIT, { NULL }, STRSET_INIT, STRBUF_INIT },
	};
	size_t merged = 0, i;
	struct chunk *c;
	const char *from, *to;
	pthread_t thread;
	int threaded;

	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.ready, NULL);
	for (i = 0; i < 2 && cache != NULL; i++)
		t[i].view = cache_view_open(cache);
	threaded = sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
	    pthread_create(&thread, NULL, read_chunks, &t[1]) == 0;
	w->r = &r;
	walk_dir(w, rootfd, 1);
	end_walk(&r);
	if (r.nchunks == 0 && cache != NULL)	/* every row: a file gone */
		cache_view_range(t[0].view, NULL, NULL);
	while ((c = take_chunk(&r, &from, &to)) != NULL) {
		read_chunk(&t[0], c, from, to);
		merge_done(&r, &merged, w->v, w->dl);
	}
	if (threaded)
		pthread_join(thread, NULL);
	merge_done(&r, &merged, w->v, w->dl);
	if (merged != r.nchunks)
		BUG("%zu of %zu chunks read", merged, r.nchunks);
	for (i = 0; i < 2; i++) {
		cache_view_close(t[i].view);
		strbuf_release(&t[i].buf);
		strbuf_release(&t[i].blob);
		strset_release(&t[i].names);
		arena_adopt(&w->v->arena, &t[i].arena);
	}
	pthread_cond_destroy(&r.ready);
	pthread_mutex_destroy(&r.lock);
	free(r.chunks);
}

static size_t
folders_to_keep(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur / 4 >= OPEN_FOLDERS_MAX)
		return OPEN_FOLDERS_MAX;
	return (size_t)(rl.rlim_cur / 4);
}

int
vault_scan(struct vault *v, const char *root, char *const *exclude,
    size_t nexclude, const struct obsidian_settings *settings,
    int open_tasks_only, struct scan_cache *cache, struct diag_list *dl)
{
	struct walk w = { .v = v, .exclude = exclude, .nexclude = nexclude,
		.path = STRBUF_INIT, .dl = dl };
	struct stat st;
	int rootfd;

	memset(v, 0, sizeof(*v));
	v->root = xstrdup(root);
	v->paths_in_arena = 1;
	v->settings = settings;
	v->open_tasks_only = open_tasks_only;
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
	w.maxfolders = folders_to_keep();
	scan_files(&w, rootfd, cache);
	strbuf_release(&w.path);
	free(w.realroot);
	while (w.nfolders > 0)
		close(w.folders[--w.nfolders]);
	close(rootfd);
	return 0;
}
