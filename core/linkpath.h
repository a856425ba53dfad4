/*
 * linkpath.h - which note a link points at, as Obsidian resolves it
 * (docs/rules.md, "Links"; Obsidian help: Internal links.md, Settings.md
 * "New link format").
 *
 * A link's target is reduced to a link path: its "#heading" or
 * "#^block" subpath and a trailing ".md" dropped, folded to lower case
 * (Obsidian resolves links case-insensitively). A markdown link's href
 * is first percent-decoded (linkpath_from_href()). Then, like Obsidian's
 * getFirstLinkpathDest():
 *   - "./x" and "../x" are relative to the linking note's folder and
 *     name one vault path ("/x" names one from the root);
 *   - "folder/Name" is that vault path, else the shortest path that
 *     ends in "/folder/Name";
 *   - "Name" is the note at the root, else the one in the linking note's
 *     folder, else the shortest path of a note called Name.
 * Equal lengths go to the note added first (the vault's path order).
 *
 * struct link_index is built once over the vault's paths; each lookup
 * is O(1) on average: a "folder/Name" link that misses the exact path
 * walks the notes sharing the base name once, and its answer is kept
 * for the next link written so (add no note after the first lookup).
 * The index borrows the paths given to link_index_add(), which must
 * outlive it: it compares them, and their base names, case-insensitively.
 * Its own arena holds lowercased copies of the paths of long chains and
 * of the "folder/name" endings it has looked up.
 */
#ifndef FOLLOWUP_LINKPATH_H
#define FOLLOWUP_LINKPATH_H

#include <stddef.h>
#include <stdint.h>

#include "strmap.h"
#include "util.h"

#define LINK_NONE ((size_t)-1)

/*
 * Put the vault link that a markdown link's href s[0..n) stands for in
 * out: angle brackets are md4c's to remove; here a URI scheme
 * ("https:", "mailto:", "obsidian:") makes it no vault link (returns 0),
 * and %XX escapes are decoded as decodeURIComponent() does, except that
 * an href whose escapes are malformed or decode to invalid UTF-8 is
 * kept as written (Obsidian keeps it too). Returns 1 for a vault link.
 */
int linkpath_from_href(const char *s, size_t n, struct strbuf *out);

struct link_index {
	struct arena keys;	/* lowercased by_path and endings keys */
	struct strmap by_base;	/* base name -> slot (its chain: paths too) */
	struct strmap by_path;	/* path -> note, for long chains only */
	struct strmap endings;	/* "folder/name" -> its shortest ending */
	size_t *best;		/* per slot: the shortest path */
	size_t *head;		/* per slot: first note of its chain */
	uint32_t *chainlen;	/* per slot: notes in its chain */
	unsigned char *mapped;	/* per slot: its chain is in by_path */
	size_t *next;		/* per note: next note of the same base */
	uint32_t *pathlen;	/* per note: length of its key */
	const char **key;	/* per note: its path, borrowed (pathlen bytes) */
	size_t n, cap, nslots, capslots;
	struct strbuf scratch;
};

void link_index_init(struct link_index *ix);
/* Room for n notes at once (the vault's count): an optional speed-up. */
void link_index_reserve(struct link_index *ix, size_t n);
/* Add the note at vault path path (with ".md"): its index is the count so far. */
void link_index_add(struct link_index *ix, const char *path);
/*
 * The note (index in the order added) that link target[0..n) (as
 * written, before any '|') in the note at source_path points at, or
 * LINK_NONE.
 */
size_t link_index_resolve(struct link_index *ix, const char *target,
    size_t n, const char *source_path);
/*
 * Is target[0..n) a bare name ("Name", "Name#h", "Name.md"), no folder
 * and no relative path? Only those can fall back to followup's own
 * names (aliases, titles).
 */
int linkpath_is_bare(const char *target, size_t n);
void link_index_release(struct link_index *ix);

#endif
