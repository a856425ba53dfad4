/*
 * Unit tests: one frontmatter value set in place (core/fmedit.c). Every
 * case compares the whole output, byte for byte; a case whose want is
 * NULL must be refused with a diag and no output.
 */
#include <stdlib.h>

#include "../../core/diag.h"
#include "../../core/fmedit.h"
#include "unit.h"

#define LC "last_contact"
#define SU "snooze_until"
#define D "2026-11-25"

static const struct {
	const char *name;
	const char *in;
	const char *key;
	const char *want;	/* NULL: refused */
	const char *old;	/* the old value reported; NULL for none */
} cases[] = {
	{ "plain date", "---\nlast_contact: 2025-12-01\n---\nbody\n", LC,
	    "---\nlast_contact: " D "\n---\nbody\n", "2025-12-01" },
	{ "single quoted", "---\nlast_contact: '2025-12-01'\n---\n", LC,
	    "---\nlast_contact: '" D "'\n---\n", "2025-12-01" },
	{ "double quoted", "---\nlast_contact: \"2025-12-01\"\n---\n", LC,
	    "---\nlast_contact: \"" D "\"\n---\n", "2025-12-01" },
	{ "date-time becomes the date",
	    "---\nlast_contact: 2026-01-09T16:30:00-08:00\n---\n", LC,
	    "---\nlast_contact: " D "\n---\n", "2026-01-09T16:30:00-08:00" },
	{ "quoted date-time keeps its quotes",
	    "---\nlast_contact: '2026-01-09T16:30:00'\n---\n", LC,
	    "---\nlast_contact: '" D "'\n---\n", "2026-01-09T16:30:00" },
	{ "comment after the value",
	    "---\nlast_contact: 2025-12-01   # met at the conference\n---\n",
	    LC, "---\nlast_contact: " D "   # met at the conference\n---\n",
	    "2025-12-01" },
	{ "comment after a quoted value",
	    "---\nlast_contact: '2025-12-01' # x\n---\n", LC,
	    "---\nlast_contact: '" D "' # x\n---\n", "2025-12-01" },
	{ "comment lines around",
	    "---\n# who\ntype: people # a person\n\n# when\nlast_contact: "
	    "2025-12-01\n# end\n---\n", LC,
	    "---\n# who\ntype: people # a person\n\n# when\nlast_contact: " D
	    "\n# end\n---\n", "2025-12-01" },
	{ "trailing blanks kept", "---\nlast_contact: 2025-12-01  \t\n---\n",
	    LC, "---\nlast_contact: " D "  \t\n---\n", "2025-12-01" },
	{ "CRLF", "---\r\ntype: people\r\nlast_contact: 2025-12-01\r\n---\r\n"
	    "body\r\n", LC, "---\r\ntype: people\r\nlast_contact: " D "\r\n"
	    "---\r\nbody\r\n", "2025-12-01" },
	{ "BOM", "\xEF\xBB\xBF---\nlast_contact: 2025-12-01\n---\n", LC,
	    "\xEF\xBB\xBF---\nlast_contact: " D "\n---\n", "2025-12-01" },
	{ "BOM and CRLF", "\xEF\xBB\xBF---\r\nlast_contact: '2025-12-01'\r\n"
	    "---\r\n", LC, "\xEF\xBB\xBF---\r\nlast_contact: '" D "'\r\n"
	    "---\r\n", "2025-12-01" },
	{ "non-ASCII before the value",
	    "---\ntitle: Zoë Ångström — 東京\nlast_contact: 2025-12-01\n"
	    "---\n", LC, "---\ntitle: Zoë Ångström — 東京\nlast_contact: " D
	    "\n---\n", "2025-12-01" },
	{ "non-ASCII on the value's line",
	    "---\nlast_contact: 2025-12-01 # café ☕\n---\n", LC,
	    "---\nlast_contact: " D " # café ☕\n---\n", "2025-12-01" },
	{ "flow list before", "---\ntags: [type/people, tier/1]\n"
	    "last_contact: 2025-12-01\n---\n", LC,
	    "---\ntags: [type/people, tier/1]\nlast_contact: " D "\n---\n",
	    "2025-12-01" },
	{ "flow list, key missing", "---\ntags: [type/people, tier/1]\n---\n",
	    LC, "---\ntags: [type/people, tier/1]\nlast_contact: " D "\n---\n",
	    NULL },
	{ "block list before, key missing",
	    "---\ntags:\n  - type/people\n  - tier/1\n---\n", LC,
	    "---\ntags:\n  - type/people\n  - tier/1\nlast_contact: " D
	    "\n---\n", NULL },
	{ "block scalar last, key missing",
	    "---\nnotes: |\n  line one\n  line two\ntype: people\n---\n", LC,
	    "---\nnotes: |\n  line one\n  line two\ntype: people\n"
	    "last_contact: " D "\n---\n", NULL },
	{ "key missing, CRLF", "---\r\ntype: people\r\n---\r\nbody\r\n", LC,
	    "---\r\ntype: people\r\nlast_contact: " D "\r\n---\r\nbody\r\n",
	    NULL },
	/* Obsidian ends properties at "---" only: "..." leaves them open. */
	{ "a \"...\" line does not close it", "---\ntype: people\n...\nbody\n",
	    LC, NULL, NULL },
	{ "text after a \"...\" line is a second document",
	    "---\ntype: people\n...\nbody\n---\n", LC, NULL, NULL },
	{ "key missing, indented mapping", "---\n  type: people\n---\n", LC,
	    "---\n  type: people\n  last_contact: " D "\n---\n", NULL },
	{ "key missing, other key nested",
	    "---\nmeta:\n  last_contact: 2025-01-01\n---\n", LC,
	    "---\nmeta:\n  last_contact: 2025-01-01\nlast_contact: " D
	    "\n---\n", NULL },
	{ "empty frontmatter", "---\n---\nbody\n", LC,
	    "---\nlast_contact: " D "\n---\nbody\n", NULL },
	{ "frontmatter of comments only", "---\n# nothing yet\n---\n", LC,
	    "---\n# nothing yet\nlast_contact: " D "\n---\n", NULL },
	{ "empty value", "---\nlast_contact:\ntype: people\n---\n", LC,
	    "---\nlast_contact: " D "\ntype: people\n---\n", NULL },
	{ "empty value, CRLF", "---\r\nlast_contact:\r\n---\r\n", LC,
	    "---\r\nlast_contact: " D "\r\n---\r\n", NULL },
	{ "empty value with a space", "---\nlast_contact: \n---\n", LC,
	    "---\nlast_contact: " D " \n---\n", NULL },
	{ "empty value with a comment", "---\nlast_contact:   # when?\n---\n",
	    LC, "---\nlast_contact: " D "   # when?\n---\n", NULL },
	{ "null value", "---\nlast_contact: ~\n---\n", LC,
	    "---\nlast_contact: " D "\n---\n", "~" },
	{ "value on the next line", "---\nlast_contact:\n  2025-12-01\n---\n",
	    LC, "---\nlast_contact:\n  " D "\n---\n", "2025-12-01" },
	{ "duplicate key: the first changes",
	    "---\nlast_contact: 2025-01-01\nlast_contact: 2025-02-02\n---\n",
	    LC, "---\nlast_contact: " D "\nlast_contact: 2025-02-02\n---\n",
	    "2025-01-01" },
	{ "quoted key", "---\n'last_contact': 2025-12-01\n---\n", LC,
	    "---\n'last_contact': " D "\n---\n", "2025-12-01" },
	{ "keys are exact", "---\nLast_Contact: 2025-12-01\n---\n", LC,
	    "---\nLast_Contact: 2025-12-01\nlast_contact: " D "\n---\n",
	    NULL },
	{ "flow mapping with the key",
	    "---\n{type: people, last_contact: 2025-12-01}\n---\n", LC,
	    "---\n{type: people, last_contact: " D "}\n---\n", "2025-12-01" },
	{ "snooze_until", "---\nlast_contact: 2025-12-01\nsnooze_until: "
	    "2026-01-01\n---\n", SU, "---\nlast_contact: 2025-12-01\n"
	    "snooze_until: " D "\n---\n", "2026-01-01" },
	{ "no frontmatter", "# Alice\n\nbody\n", LC,
	    "---\nlast_contact: " D "\n---\n# Alice\n\nbody\n", NULL },
	{ "no frontmatter, CRLF", "# Alice\r\nbody\r\n", LC,
	    "---\r\nlast_contact: " D "\r\n---\r\n# Alice\r\nbody\r\n", NULL },
	{ "no frontmatter, BOM", "\xEF\xBB\xBF# Alice\n", LC,
	    "\xEF\xBB\xBF---\nlast_contact: " D "\n---\n# Alice\n", NULL },
	{ "no frontmatter, BOM and CRLF", "\xEF\xBB\xBF# A\r\n", LC,
	    "\xEF\xBB\xBF---\r\nlast_contact: " D "\r\n---\r\n# A\r\n", NULL },
	{ "empty file", "", LC, "---\nlast_contact: " D "\n---\n", NULL },
	{ "no line end at all", "just text", LC,
	    "---\nlast_contact: " D "\n---\njust text", NULL },
	{ "fence with trailing blanks", "---  \nlast_contact: 1\n---\t\n", LC,
	    "---  \nlast_contact: " D "\n---\t\n", "1" },

	/* Refused: never guessed. */
	{ "unclosed", "---\nlast_contact: 2025-12-01\nbody\n", LC, NULL,
	    NULL },
	{ "YAML error", "---\nlast_contact: [2025\n---\n", LC, NULL, NULL },
	{ "not a mapping", "---\n- a\n- b\n---\n", LC, NULL, NULL },
	{ "a scalar document", "---\njust words\n---\n", LC, NULL, NULL },
	{ "value is a list", "---\nlast_contact: [2025-12-01]\n---\n", LC,
	    NULL, NULL },
	{ "value is a block list", "---\nlast_contact:\n  - 2025-12-01\n---\n",
	    LC, NULL, NULL },
	{ "value is a mapping", "---\nlast_contact: {a: 1}\n---\n", LC, NULL,
	    NULL },
	{ "value is a block scalar", "---\nlast_contact: |\n  2025-12-01\n"
	    "---\n", LC, NULL, NULL },
	{ "value is an alias", "---\nd: &d 2025-12-01\nlast_contact: *d\n"
	    "---\n", LC, NULL, NULL },
	{ "a key is an alias (note.c reads it as the key it stands for)",
	    "---\na: &k last_contact\n*k : 2025-01-01\n---\n", LC, NULL,
	    NULL },
	{ "value has an anchor", "---\nlast_contact: &d 2025-12-01\n---\n", LC,
	    NULL, NULL },
	{ "value has a tag", "---\nlast_contact: !!str 2025-12-01\n---\n", LC,
	    NULL, NULL },
	{ "flow mapping without the key", "---\n{type: people}\n---\n", LC,
	    NULL, NULL },
	{ "key missing, CRLF, no body", "---\r\ntype: people\r\n---", LC,
	    "---\r\ntype: people\r\nlast_contact: " D "\r\n---", NULL },
	{ "BOM at the start of the YAML",
	    "---\n\xEF\xBB\xBFtype: people\nlast_contact: 1\n---\n", LC,
	    "---\n\xEF\xBB\xBFtype: people\nlast_contact: " D "\n---\n",
	    "1" },
	{ "BOM at the start of the YAML, key missing",
	    "---\r\n\xEF\xBB\xBFtype: people\r\n---\r\n", LC,
	    "---\r\n\xEF\xBB\xBFtype: people\r\nlast_contact: " D "\r\n"
	    "---\r\n", NULL },
	{ "not UTF-8", "---\ntitle: \xFF\xFE\nlast_contact: 1\n---\n", LC,
	    NULL, NULL },
	{ "alias without its anchor", "---\nlast_contact: 2025-12-01\n"
	    "x: *nowhere\n---\n", LC, NULL, NULL },
	{ "anchor given twice", "---\na: &x 1\nb: &x 2\nlast_contact: 1\n"
	    "---\n", LC, NULL, NULL },
	{ "tab indentation", "---\nlast_contact:\t2025\n\tx: 1\n---\n", LC,
	    NULL, NULL },
};

int
main(void)
{
	size_t i;
	char name[160];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag_list dl = DIAG_LIST_INIT;
		struct fm_edit e;
		char *out = NULL;
		size_t outlen = 0;
		int rc = fm_set_value("People/A.md", cases[i].in,
		    strlen(cases[i].in), cases[i].key, D, &out, &outlen, &e,
		    &dl);

		snprintf(name, sizeof(name), "fmedit %s", cases[i].name);
		if (cases[i].want == NULL) {
			CHECK(name, rc == -1 && out == NULL && dl.n == 1 &&
			    dl.items[0].path != NULL && dl.items[0].line > 0 &&
			    dl.items[0].hint != NULL,
			    "rc %d, %zu diags, out \"%s\"", rc, dl.n,
			    out ? out : "(null)");
		} else {
			int same_old = (e.old == NULL && cases[i].old == NULL) ||
			    (e.old != NULL && cases[i].old != NULL &&
			    strcmp(e.old, cases[i].old) == 0);

			CHECK(name, rc == 0 && out != NULL &&
			    outlen == strlen(cases[i].want) &&
			    memcmp(out, cases[i].want, outlen) == 0 &&
			    out[outlen] == '\0' && same_old && dl.n == 0,
			    "rc %d, got \"%s\", old \"%s\", %s", rc,
			    out ? out : "(null)", e.old ? e.old : "(null)",
			    dl.n ? dl.items[0].message : "no diag");
			/* The span says what changed: the rest is the input. */
			snprintf(name, sizeof(name), "fmedit %s: span",
			    cases[i].name);
			if (rc == 0)
				CHECK(name, memcmp(out, cases[i].in, e.start) ==
				    0 && strcmp(out + e.start + e.inserted,
				    cases[i].in + e.end) == 0, "span %zu..%zu "
				    "+%zu is wrong", e.start, e.end,
				    e.inserted);
		}
		fm_edit_release(&e);
		free(out);
		diag_list_release(&dl);
	}
	return unit_exit();
}
