/*
 * md2html - print md4c's HTML rendering of each FILE, each followed by a
 * line "\f". The cmark differential test compares the block structure of
 * this with cmark's, to tell a disagreement between the two Markdown
 * parsers apart from a mistake in followup's task detection.
 */
#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../core/diag.h"
#include "../../core/fileio.h"

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
		struct diag_list dl = DIAG_LIST_INIT;
		char *buf = NULL;
		size_t len = 0;

		if (file_read_all(argv[i], (size_t)1 << 30, &buf, &len,
		    &dl) != 0) {
			fprintf(stderr, "md2html: cannot read %s\n", argv[i]);
			diag_list_release(&dl);
			return 1;
		}
		if (md_html(buf, (MD_SIZE)len, emit, stdout, 0, 0) != 0)
			printf("<!-- md4c gave up -->");
		free(buf);
		printf("\n\f\n");
	}
	return 0;
}
