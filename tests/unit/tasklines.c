/*
 * tasklines - print "FILE:LINE" for every task followup finds in each
 * FILE, or "FILE:skip" when followup would skip the file. The cmark
 * differential test (tests/integration/cmark_diff.py) compares this with
 * CommonMark's reference parser.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../core/diag.h"
#include "../../core/fileio.h"
#include "../../core/store.h"
#include "../../core/util.h"
#include "../../core/vault.h"

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		struct diag_list dl = DIAG_LIST_INIT;
		struct vault v = { 0 };
		char *buf = NULL;
		size_t len = 0, t;

		/* Unreadable or over the limit: followup would skip it too. */
		if (file_read_all(argv[i], VAULT_MAX_FILE, &buf, &len, &dl) != 0) {
			printf("%s:skip\n", argv[i]);
			diag_list_release(&dl);
			continue;
		}
		vault_add_file(&v, argv[i], buf, len, &dl);
		if (v.nnotes == 0)
			printf("%s:skip\n", argv[i]);
		for (t = 0; t < v.ntasks; t++)
			printf("%s:%d\n", argv[i], v.tasks[t].line);
		store_release(&v);
		diag_list_release(&dl);
		free(buf);
	}
	return 0;
}
