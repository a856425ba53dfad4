/*
 * Unit tests: markdown link targets and link resolution as Obsidian's
 * getFirstLinkpathDest() (core/linkpath.c).
 */
#include <stdlib.h>

#include "../../core/linkpath.h"
#include "../../core/util.h"
#include "unit.h"

static const struct {
	const char *href;
	int internal;
	const char *path;
} hrefs[] = {
	{ "Ana%20Lima.md", 1, "Ana Lima.md" },
	{ "Ana%20Lima", 1, "Ana Lima" },
	{ "People/Ana%20Lima.md#Notes", 1, "People/Ana Lima.md#Notes" },
	{ "../People/Ana%20Lima.md", 1, "../People/Ana Lima.md" },
	{ "Ana Lima.md", 1, "Ana Lima.md" },
	{ "Jos%C3%A9.md", 1, "Jos\xC3\xA9.md" },
	{ "100%25.md", 1, "100%.md" },
	{ "50%off.md", 1, "50%off.md" },	/* malformed: as written */
	{ "bad%C3.md", 1, "bad%C3.md" },	/* invalid UTF-8: as written */
	{ "trail%2", 1, "trail%2" },
	{ "https://example.com/Ana.md", 0, "" },
	{ "http://x", 0, "" },
	{ "mailto:ana@example.com", 0, "" },
	{ "obsidian://open?file=Ana", 0, "" },
	{ "file:///tmp/Ana.md", 0, "" },
	{ "", 0, "" },
	{ "#Heading", 1, "#Heading" },
	{ "C:notes", 0, "" },
};

static const char *const paths[] = {
	"Ana Lima.md",			/* 0 */
	"People/Ana Lima.md",		/* 1 */
	"People/Bo Chen.md",		/* 2 */
	"Work/People/Bo Chen.md",	/* 3 */
	"Meetings/2026/Standup.md",	/* 4 */
	"Meetings/Cy Diaz.md",		/* 5 */
	"Archive/Old/Cy Diaz.md",	/* 6 */
	"Team/Dee.md",			/* 7 */
	"Club/Dee.md",			/* 8 */
	"Deep/Er/Eve.md",		/* 9 */
	"Zz/Eve.md",			/* 10 */
};

static const struct {
	const char *target, *source;
	size_t want;
} links[] = {
	{ "Ana Lima", "Meetings/x.md", 0 },		/* root path first */
	{ "ana lima", "People/x.md", 0 },		/* before the folder */
	{ "People/Ana Lima", "x.md", 1 },
	{ "people/ana lima.md", "x.md", 1 },
	{ "/People/Ana Lima", "x.md", 1 },
	{ "Ana Lima#Notes", "x.md", 0 },
	{ "Ana Lima#^abc", "x.md", 0 },
	{ "Ana Lima.md", "x.md", 0 },
	{ "Bo Chen", "x.md", 2 },			/* shortest */
	{ "Bo Chen", "Work/People/x.md", 3 },		/* source's folder */
	{ "People/Bo Chen", "x.md", 2 },		/* exact path */
	{ "Work/People/Bo Chen", "x.md", 3 },
	{ "Old/Cy Diaz", "x.md", 6 },			/* path ending */
	{ "ld/Cy Diaz", "x.md", LINK_NONE },		/* not at a '/' */
	{ "../People/Ana Lima", "Meetings/x.md", 1 },
	{ "../../People/Ana Lima", "Meetings/2026/x.md", 1 },
	{ "./Cy Diaz", "Meetings/x.md", 5 },
	{ "./Cy Diaz.md", "Meetings/x.md", 5 },
	{ "../Ana Lima", "x.md", LINK_NONE },		/* above the root */
	{ "./Bo Chen", "x.md", LINK_NONE },		/* relative: exact only */
	{ "Dee", "x.md", 7 },				/* tie: first added */
	{ "Dee", "Club/x.md", 8 },
	{ "Eve", "x.md", 10 },
	{ "Nobody", "x.md", LINK_NONE },
	{ "", "x.md", LINK_NONE },
	{ "#Heading", "x.md", LINK_NONE },
	{ "  Bo Chen  ", "x.md", 2 },
};

/*
 * Forty notes called index: a chain past the walk limit is looked up
 * through a map, with the same answers (case-insensitive, the first of
 * two paths that differ in case only, the shortest for a bare name).
 */
static void
long_chain(void)
{
	static char chain_paths[40][64];	/* the index borrows them */
	struct link_index ix;
	size_t i, a, b, c, d;

	link_index_init(&ix);
	for (i = 0; i < 40; i++) {
		snprintf(chain_paths[i], sizeof(chain_paths[i]),
		    "Folder %02zu/Deeper/index.md", i);
		link_index_add(&ix, chain_paths[i]);
	}
	link_index_add(&ix, "Folder 07/DEEPER/Index.md");	/* 40 */
	link_index_add(&ix, "Top/index.md");			/* 41 */
	a = link_index_resolve(&ix, "Folder 07/Deeper/index", 22, "x.md");
	b = link_index_resolve(&ix, "folder 07/deeper/INDEX.md", 25, "x.md");
	c = link_index_resolve(&ix, "index", 5, "Elsewhere/x.md");
	d = link_index_resolve(&ix, "../Deeper/index", 15,
	    "Folder 33/Deeper/y.md");
	CHECK("a name forty notes share: by path, the first of a case pair, "
	    "the shortest, relative", a == 7 && b == 7 && c == 41 && d == 33,
	    "got %zu %zu %zu %zu", a, b, c, d);
	link_index_release(&ix);
}

int
main(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct link_index ix;
	size_t i;

	for (i = 0; i < sizeof(hrefs) / sizeof(hrefs[0]); i++) {
		int got = linkpath_from_href(hrefs[i].href,
		    strlen(hrefs[i].href), &sb);

		CHECK(hrefs[i].href, got == hrefs[i].internal &&
		    (!got || strcmp(sb.buf, hrefs[i].path) == 0),
		    "got %d \"%s\"", got, got ? sb.buf : "");
	}
	link_index_init(&ix);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		link_index_add(&ix, paths[i]);
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		size_t got = link_index_resolve(&ix, links[i].target,
		    strlen(links[i].target), links[i].source);
		char name[128];

		snprintf(name, sizeof(name), "resolve \"%s\" from %s",
		    links[i].target, links[i].source);
		CHECK(name, got == links[i].want, "got %zd", (ssize_t)got);
	}
	long_chain();
	CHECK("bare", linkpath_is_bare("Ana#x/y", 7) &&
	    !linkpath_is_bare("a/b", 3) && !linkpath_is_bare("../b", 4) &&
	    !linkpath_is_bare("#h", 2), "wrong");
	link_index_release(&ix);
	strbuf_release(&sb);
	return unit_exit();
}
