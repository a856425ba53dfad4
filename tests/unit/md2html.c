/*
 * md2html - print md4c's HTML rendering of each FILE, each followed by a
 * line "\f". The cmark differential test compares the block structure of
 * this with cmark's, to tell a disagreement between the two Markdown
 * parsers apart from a mistake in followup's task detection.
 */
#include <md4c-html.h>
#include <stdio.h>

#include "../../core/util.h"

static void
emit(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	fwrite(text, 1, size, userdata);
}

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		struct strbuf sb = STRBUF_INIT;
		char chunk[65536];
		size_t n;
		FILE *f = fopen(argv[i], "rb");

		if (f == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			strbuf_add(&sb, chunk, n);
		fclose(f);
		if (md_html(strbuf_str(&sb), (MD_SIZE)sb.len, emit, stdout, 0,
		    0) != 0)
			printf("<!-- md4c gave up -->");
		printf("\n\f\n");
		strbuf_release(&sb);
	}
	return 0;
}
