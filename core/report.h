/*
 * report.h - what `followup status` prints: the JSON of DESIGN.md §4
 * (built with jansson) and the aligned text table.
 *
 * A state mask selects contacts: bit (1 << STATE_x) set means shown;
 * REPORT_ALL_STATES shows all. Diags are printed as DESIGN.md §6 says:
 * "path:line: message" then "  hint: ...".
 */
#ifndef FOLLOWUP_REPORT_H
#define FOLLOWUP_REPORT_H

#include <stdio.h>

#include <jansson.h>

struct scan_result;
struct diag;
struct diag_list;

#define REPORT_ALL_STATES (~0u)

#define REPORT_COLOR	(1u << 0)
#define REPORT_ITEMS	(1u << 1)	/* list open items under each contact */
/* Each line starts with its syslog priority, "<3>", which the journal
 * reads off a service's stderr (sd-daemon(3)). */
#define REPORT_JOURNAL	(1u << 2)

/* The JSON document, NUL-terminated, owned by the caller. */
char *report_json(const struct scan_result *r, const char *vault,
    unsigned states);
void report_text(FILE *out, const struct scan_result *r, unsigned states,
    unsigned flags);
/*
 * s as a JSON string (NULL: JSON null). File names, and the texts and
 * messages that quote them, need not be UTF-8, which jansson refuses: a
 * byte that is not UTF-8 becomes U+FFFD. A new reference.
 */
json_t *report_json_text(const char *s);
/* One diag as {"path", "line", "message", "hint"}. A new reference. */
json_t *report_diag_json(const struct diag *d);

/* Print diags; warnings are left out when quiet. */
void report_diags(FILE *out, const struct diag_list *dl, int quiet,
    unsigned flags);

#endif
