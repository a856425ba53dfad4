/*
 * report.h - what `followup status` prints, in one of the formats of
 * report_formats[] (a table: a new format is one print function and one
 * row): the aligned text table, or the JSON document docs/followup.1
 * describes (built with jansson).
 *
 * A state mask selects contacts: bit (1 << STATE_x) set means shown;
 * REPORT_ALL_STATES shows all. Diags are printed as docs/design.md,
 * "Errors", says: "path:line: message" then "  hint: ...".
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

/* What a format is asked to show. */
struct report_options {
	const char *vault;	/* the vault as given */
	unsigned states;	/* the mask of states shown */
	unsigned flags;		/* REPORT_COLOR, REPORT_ITEMS */
};

struct report_format {
	const char *name;	/* as --format takes it */
	const char *help;	/* a few words for --help */
	void (*print)(FILE *out, const struct scan_result *r,
	    const struct report_options *o);
};

/* Every format, the first the default; ended by a NULL name. */
extern const struct report_format report_formats[];
/* The format called name, or NULL. */
const struct report_format *report_format_find(const char *name);

/*
 * fputs() of s (a name, a path, a task's text, a message quoting them)
 * for a terminal or a log: its control characters shown as escapes and
 * what is not UTF-8 as U+FFFD (util.h, UTF8_CONTROLS_SHOWN). Every text
 * from a vault that a command prints goes through this or through JSON.
 */
void report_fputs_shown(const char *s, FILE *out);
/*
 * fprintf() whose whole output is shown so: the format itself holds no
 * control character (print a newline apart).
 */
void report_printf_shown(FILE *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print diags; warnings are left out when quiet. */
void report_diags(FILE *out, const struct diag_list *dl, int quiet,
    unsigned flags);

#endif
