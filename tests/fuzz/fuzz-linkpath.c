/*
 * fuzz-linkpath - libFuzzer harness for link paths and inline tags: the
 * input's lines are vault paths but the last, which is a link target
 * (resolved from the note at the first path) and a markdown href; the
 * whole input is also read for inline tags. Any bytes give a note, or
 * none, that was added, never a crash; tags stay inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/linkpath.h"
#include "../../core/tagrule.h"
#include "../../core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1), *line, *next, *last = NULL;
	const char *first = "", *tag;
	struct strbuf sb = STRBUF_INIT;
	struct link_index ix;
	size_t got, pos = 0, len, nadded = 0;

	memcpy(text, data, size);
	text[size] = '\0';
	while (tagrule_next(text, size, 1, &pos, &tag, &len))
		if (tag < text || tag + len > text + size || len == 0)
			abort();
	link_index_init(&ix);
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (next == NULL) {
			last = line;
			break;
		}
		link_index_add(&ix, line);
		if (nadded++ == 0)
			first = line;
	}
	if (last != NULL) {
		size_t n = strlen(last);

		got = link_index_resolve(&ix, last, n, first);
		if (got != LINK_NONE && got >= nadded)
			abort();
		if (linkpath_from_href(last, n, &sb)) {
			got = link_index_resolve(&ix, sb.buf, sb.len, first);
			if (got != LINK_NONE && got >= nadded)
				abort();
		}
		(void)linkpath_is_bare(last, n);
	}
	link_index_release(&ix);
	strbuf_release(&sb);
	free(text);
	return 0;
}
