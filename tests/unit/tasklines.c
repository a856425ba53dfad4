/*
 * tasklines - print "FILE:LINE" for every task followup finds in each
 * FILE, or "FILE:skip" when followup would skip the file. The cmark
 * differential test (tests/integration/cmark_diff.py) compares this with
 * CommonMark's reference parser.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../core/diag.h"
#include "../../core/util.h"
#include "../../core/vault.h"

static int
read_file(const char *path, struct strbuf *sb)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb->len + n > VAULT_MAX_FILE) {
			fclose(f);
			return -1;
		}
		strbuf_add(sb, chunk, n);
	}
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		struct strbuf sb = STRBUF_INIT;
		struct diag_list dl = DIAG_LIST_INIT;
		struct vault v = { 0 };
		size_t t;

		if (read_file(argv[i], &sb) != 0) {
			printf("%s:skip\n", argv[i]);
			strbuf_release(&sb);
			continue;
		}
		v.keep_closed_tasks = 1;
		vault_add_file(&v, argv[i], strbuf_str(&sb), sb.len, &dl);
		if (v.nnotes == 0 || (v.notes[0].flags & NOTE_BODY_SKIPPED))
			printf("%s:skip\n", argv[i]);
		for (t = 0; t < v.ntasks; t++)
			printf("%s:%d\n", argv[i], v.tasks[t].line);
		vault_release(&v);
		diag_list_release(&dl);
		strbuf_release(&sb);
	}
	return rc;
}
