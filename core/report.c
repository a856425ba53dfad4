/* report.c - JSON and text output of the contacts (see report.h). */
#include "report.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "engine.h"
#include "task.h"
#include "util.h"

static json_t *
json_date(int day)
{
	char buf[DATE_BUFSZ];

	if (!date_is_day(day))
		return json_null();
	return json_string(date_format(day, buf));
}

json_t *
report_json_text(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	json_t *out;

	if (s == NULL)
		return json_null();
	n = strlen(s);
	if (utf8_first_invalid((const unsigned char *)s, n) == n)
		return json_stringn(s, n);
	strbuf_add_utf8_mended(&sb, s, n, 0);
	out = json_stringn(strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	return out;
}

json_t *
report_diag_json(const struct diag *d)
{
	json_t *o = json_object();

	json_object_set_new(o, "path", report_json_text(d->path));
	json_object_set_new(o, "line", d->line ? json_integer(d->line) :
	    json_null());
	json_object_set_new(o, "message", report_json_text(d->message));
	json_object_set_new(o, "hint", report_json_text(d->hint));
	return o;
}

static json_t *
item_json(const struct vault *v, const struct task *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "path", json_string(v->notes[t->note].path));
	json_object_set_new(o, "line", json_integer(t->line));
	json_object_set_new(o, "text", json_string(t->text));
	json_object_set_new(o, "status", json_string(task_status_name(
	    task_status(t))));
	json_object_set_new(o, "due", json_date(t->due));
	return o;
}

static json_t *
contact_json(const struct vault *v, const struct contact *c)
{
	json_t *o = json_object(), *items = json_array();
	size_t i;

	json_object_set_new(o, "name", report_json_text(c->name));
	json_object_set_new(o, "path", report_json_text(c->path));
	json_object_set_new(o, "last_contact", json_date(c->last_contact));
	json_object_set_new(o, "last_contact_source",
	    report_json_text(contact_source_name(c->source)));
	json_object_set_new(o, "days_since_contact",
	    c->days_since_contact == DATE_NONE ? json_null() :
	    json_integer(c->days_since_contact));
	json_object_set_new(o, "cadence_days", json_integer(c->cadence_days));
	json_object_set_new(o, "due", json_date(c->due));
	json_object_set_new(o, "days_overdue", json_integer(c->days_overdue));
	json_object_set_new(o, "state", json_string(contact_state_name(
	    c->state)));
	for (i = 0; i < c->nitems; i++)
		json_array_append_new(items, item_json(v, &v->tasks[c->items[i]]));
	json_object_set_new(o, "open_items", items);
	return o;
}

static json_t *
diags_json(const struct diag_list *dl, enum diag_level level)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < dl->n; i++)
		if (dl->items[i].level == level)
			json_array_append_new(arr,
			    report_diag_json(&dl->items[i]));
	return arr;
}

char *
report_json(const struct scan_result *r, const char *vault, unsigned states)
{
	json_t *root = json_object(), *contacts = json_array();
	char *out, *copy;
	size_t i;

	json_object_set_new(root, "today", json_date(r->today));
	json_object_set_new(root, "vault", report_json_text(vault));
	for (i = 0; i < r->contacts.n; i++) {
		const struct contact *c = &r->contacts.items[i];

		if (states & (1u << c->state))
			json_array_append_new(contacts,
			    contact_json(&r->vault, c));
	}
	json_object_set_new(root, "contacts", contacts);
	json_object_set_new(root, "errors", diags_json(&r->diags, DIAG_ERROR));
	json_object_set_new(root, "warnings", diags_json(&r->diags,
	    DIAG_WARNING));
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (out == NULL)
		BUG("json_dumps failed");
	copy = xasprintf("%s\n", out);
	free(out);
	return copy;
}

static const char *
state_color(enum contact_state st)
{
	switch (st) {
	case STATE_COLD:
		return "\033[1;34m";
	case STATE_OVERDUE:
		return "\033[1;31m";
	case STATE_DUE:
		return "\033[33m";
	case STATE_NEVER:
		return "\033[35m";
	case STATE_SNOOZED:
		return "\033[2m";
	case STATE_OK:
		return "\033[32m";
	case STATE_COUNT:
		break;
	}
	BUG("contact state %d", (int)st);
}

void
report_fputs_shown(const char *s, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(s);

	if (utf8_is_plain(s, n)) {
		fputs(s, out);
		return;
	}
	strbuf_add_utf8_mended(&sb, s, n, UTF8_CONTROLS_SHOWN);
	fputs(strbuf_str(&sb), out);
	strbuf_release(&sb);
}

void
report_printf_shown(FILE *out, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	report_fputs_shown(s, out);
	free(s);
}

static void
print_contact(FILE *out, const struct vault *v, const struct contact *c,
    unsigned flags)
{
	char due[DATE_BUFSZ], last[DATE_BUFSZ], days[16], cadence[16];
	const char *on = flags & REPORT_COLOR ? state_color(c->state) : "";
	const char *off = flags & REPORT_COLOR ? "\033[0m" : "";
	size_t i;

	date_format(c->due, due);
	if (c->last_contact == DATE_NONE)
		snprintf(last, sizeof(last), "never");
	else
		date_format(c->last_contact, last);
	snprintf(days, sizeof(days), "%+d", c->days_overdue);
	snprintf(cadence, sizeof(cadence), "%dd", c->cadence_days);
	fprintf(out, "%s%-8s%s  %-10s  %7s  %-12s  %7s  %4zu  ", on,
	    contact_state_name(c->state), off, due, days, last, cadence,
	    c->nitems);
	report_fputs_shown(c->name, out);
	fputc('\n', out);
	if (!(flags & REPORT_ITEMS))
		return;
	for (i = 0; i < c->nitems; i++) {
		const struct task *t = &v->tasks[c->items[i]];

		report_printf_shown(out, "%10s- [%.4s] %s  (%s:%d)", "",
		    t->symbol, t->text, v->notes[t->note].path, (int)t->line);
		fputc('\n', out);
	}
}

void
report_text(FILE *out, const struct scan_result *r, unsigned states,
    unsigned flags)
{
	size_t counts[STATE_COUNT] = { 0 }, i, shown = 0;
	const char *sep = "";

	fprintf(out, "%-8s  %-10s  %7s  %-12s  %7s  %4s  %s\n", "STATE",
	    "DUE", "OVERDUE", "LAST CONTACT", "CADENCE", "OPEN", "NAME");
	for (i = 0; i < r->contacts.n; i++) {
		const struct contact *c = &r->contacts.items[i];

		if (!(states & (1u << c->state)))
			continue;
		counts[c->state]++;
		shown++;
		print_contact(out, &r->vault, c, flags);
	}
	fprintf(out, "\n%zu contact%s", shown, plural(shown));
	for (i = 0; i < STATE_COUNT; i++) {
		if (counts[i] == 0)
			continue;
		fprintf(out, "%s %zu %s", sep[0] ? sep : ":", counts[i],
		    contact_state_name((enum contact_state)i));
		sep = ",";
	}
	fputc('\n', out);
}

void
report_diags(FILE *out, const struct diag_list *dl, int quiet,
    unsigned flags)
{
	const char *bold = flags & REPORT_COLOR ? "\033[1m" : "";
	const char *red = flags & REPORT_COLOR ? "\033[1;31m" : "";
	const char *yellow = flags & REPORT_COLOR ? "\033[1;33m" : "";
	const char *off = flags & REPORT_COLOR ? "\033[0m" : "";
	size_t i;

	for (i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];
		int err = d->level == DIAG_ERROR;

		if (!err && quiet)
			continue;
		if (flags & REPORT_JOURNAL)
			fputs(err ? "<3>" : "<4>", out);
		fputs(bold, out);
		if (d->path && d->line)
			report_printf_shown(out, "%s:%d: ", d->path, d->line);
		else if (d->path)
			report_printf_shown(out, "%s: ", d->path);
		fprintf(out, "%s%s%s:%s ", off, err ? red : yellow,
		    err ? "error" : "warning", off);
		report_fputs_shown(d->message, out);
		fputc('\n', out);
		if (d->hint) {
			fprintf(out, "%s  hint: ", flags & REPORT_JOURNAL ?
			    (err ? "<3>" : "<4>") : "");
			report_fputs_shown(d->hint, out);
			fputc('\n', out);
		}
	}
}

static void
print_json(FILE *out, const struct scan_result *r,
    const struct report_options *o)
{
	char *doc = report_json(r, o->vault, o->states);

	fputs(doc, out);
	free(doc);
}

static void
print_text(FILE *out, const struct scan_result *r,
    const struct report_options *o)
{
	report_text(out, r, o->states, o->flags);
}

const struct report_format report_formats[] = {
	{ "text", "an aligned table, coloured on a terminal", print_text },
	{ "json", "one JSON document (docs/followup.1, \"JSON\")",
	    print_json },
	{ NULL, NULL, NULL },
};

const struct report_format *
report_format_find(const char *name)
{
	const struct report_format *f;

	for (f = report_formats; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
