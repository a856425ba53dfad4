/*
 * note.c - a note's frontmatter (libyaml), then its body (body.c). See
 * note.h and docs/rules.md, "Frontmatter" and "Dates".
 */
#include "note.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "body.h"
#include "date.h"
#include "diag.h"
#include "query.h"
#include "store.h"
#include "util.h"

/* Frontmatter keys followup reads; the rest belongs to the user. */
enum fm_key {
	K_TYPE,
	K_TAGS,
	K_FOLLOWUP,
	K_TITLE,
	K_ALIASES,
	K_LAST_CONTACT,
	K_CREATED,
	K_DATE,
	K_ATTENDEES,
	K_CADENCE,
	K_SNOOZE_UNTIL,
	K_BIRTHDAY,
	K_COUNT,
};

static const char *const fm_key_names[K_COUNT] = {
	[K_TYPE] = "type",
	[K_TAGS] = "tags",
	[K_FOLLOWUP] = "followup",
	[K_TITLE] = "title",
	[K_ALIASES] = "aliases",
	[K_LAST_CONTACT] = "last_contact",
	[K_CREATED] = "created",
	[K_DATE] = "date",
	[K_ATTENDEES] = "attendees",
	[K_CADENCE] = "cadence",
	[K_SNOOZE_UNTIL] = "snooze_until",
	[K_BIRTHDAY] = "birthday",
};

/* Names (store_name()) gathered for one list. */
struct names {
	const char **items;
	size_t n, cap;
};

static void
names_add(struct vault *v, struct names *l, const char *s, size_t len)
{
	GROW(l->items, l->cap, l->n + 1);
	l->items[l->n++] = store_name(v, s, len);
}

/* The list in v's arena, its exact size; l's own array is freed. */
static const char **
names_keep(struct vault *v, struct names *l, size_t *n)
{
	const char **kept = store_names(v, l->items, l->n);

	*n = l->n;
	free(l->items);
	memset(l, 0, sizeof(*l));
	return kept;
}

struct fm_ctx {
	struct vault *v;
	struct note *note;
	struct note_person *person;	/* made on the first person key */
	/* Lists as read, copied to the arena once all are known. */
	struct names types, tags, aliases, attendees;
	/* The meeting date as written, while the YAML document lives. */
	const char *date_text;
	size_t date_len;
	yaml_document_t *doc;
	int first_line;		/* file line of the YAML's first line */
	struct diag_list *dl;
	/* Every key's scalar or list of scalars, when a query block asks. */
	struct query_property *props;
	size_t nprops, capprops;
};

static struct note_person *
person_of(struct fm_ctx *c)
{
	if (c->person == NULL) {
		c->person = arena_alloc(&c->v->arena, sizeof(*c->person));
		memset(c->person, 0, sizeof(*c->person));
		c->note->person = c->person;
	}
	return c->person;
}

static const char *
scalar(yaml_node_t *node, size_t *len)
{
	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return NULL;
	*len = node->data.scalar.length;
	return (const char *)node->data.scalar.value;
}

/* An empty value or YAML's null spellings, in plain style only. */
static int
scalar_is_null(yaml_node_t *node)
{
	const char *s;
	size_t n;

	s = scalar(node, &n);
	if (s == NULL)
		return 0;
	trim_span(&s, &n);
	if (n == 0)
		return 1;
	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return (n == 1 && s[0] == '~') || ascii_casecmp_n(s, n, "null", 4) == 0;
}

static int
file_line(const struct fm_ctx *c, yaml_node_t *node)
{
	return c->first_line + (int)node->start_mark.line;
}

/* A tag or a type: trimmed, without a leading '#'. */
static void
add_word(struct fm_ctx *c, struct names *l, const char *s, size_t len)
{
	trim_span(&s, &len);
	if (len > 0 && s[0] == '#') {
		s++;
		len--;
	}
	if (len > 0)
		names_add(c->v, l, s, len);
}

/* A string that lists words: "a, b c" is three. */
static void
add_words_split(struct fm_ctx *c, struct names *l, const char *s,
    size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && (s[i] == ',' || s[i] == ' ' || s[i] == '\t'))
			i++;
		start = i;
		while (i < len && s[i] != ',' && s[i] != ' ' && s[i] != '\t')
			i++;
		if (i > start)
			add_word(c, l, s + start, i - start);
	}
}

/* A scalar or a list of scalars; a scalar is split when split is set. */
static void
read_words(struct fm_ctx *c, yaml_node_t *node, struct names *l, int split)
{
	yaml_node_item_t *it;
	const char *s;
	size_t len;

	if ((s = scalar(node, &len)) != NULL) {
		if (scalar_is_null(node))
			return;
		if (split)
			add_words_split(c, l, s, len);
		else
			add_word(c, l, s, len);
		return;
	}
	if (node->type != YAML_SEQUENCE_NODE)
		return;
	for (it = node->data.sequence.items.start;
	    it < node->data.sequence.items.top; it++) {
		yaml_node_t *child = yaml_document_get_node(c->doc, *it);

		if ((s = scalar(child, &len)) != NULL && !scalar_is_null(child))
			add_word(c, l, s, len);
	}
}

static void
read_aliases(struct fm_ctx *c, yaml_node_t *node)
{
	person_of(c);
	yaml_node_item_t *it;
	const char *s;
	size_t len;

	if ((s = scalar(node, &len)) != NULL) {
		trim_span(&s, &len);
		if (len > 0 && !scalar_is_null(node))
			names_add(c->v, &c->aliases, s, len);
		return;
	}
	if (node->type != YAML_SEQUENCE_NODE)
		return;
	for (it = node->data.sequence.items.start;
	    it < node->data.sequence.items.top; it++) {
		yaml_node_t *child = yaml_document_get_node(c->doc, *it);

		if ((s = scalar(child, &len)) == NULL || scalar_is_null(child))
			continue;
		trim_span(&s, &len);
		if (len > 0)
			names_add(c->v, &c->aliases, s, len);
	}
}

static void
add_attendee(struct fm_ctx *c, const char *s, size_t len)
{
	names_add(c->v, &c->attendees, s, len);
}

/* Every [[target]] in s; the target stops at '|'. */
static void
add_wikilinks(struct fm_ctx *c, const char *s, size_t len)
{
	size_t i = 0;

	while (i + 1 < len) {
		size_t start, end;

		if (s[i] != '[' || s[i + 1] != '[') {
			i++;
			continue;
		}
		start = i + 2;
		for (end = start; end + 1 < len; end++)
			if (s[end] == ']' && s[end + 1] == ']')
				break;
		if (end + 1 >= len)
			return;
		i = end + 2;
		for (size_t k = start; k < end; k++)
			if (s[k] == '|') {
				end = k;
				break;
			}
		if (end > start)
			add_attendee(c, s + start, end - start);
	}
}

/*
 * An unquoted "[[Ana Lima]]" is YAML for a list in a list: the scalars
 * inside nested sequences are link targets as they stand.
 */
static void
add_nested_links(struct fm_ctx *c, yaml_node_t *node, int depth)
{
	yaml_node_item_t *it;
	const char *s;
	size_t len;

	if (depth > 4 || node == NULL)
		return;
	if ((s = scalar(node, &len)) != NULL) {
		const char *bar = memchr(s, '|', len);

		if (bar != NULL)
			len = (size_t)(bar - s);
		trim_span(&s, &len);
		if (len > 0)
			add_attendee(c, s, len);
		return;
	}
	if (node->type != YAML_SEQUENCE_NODE)
		return;
	for (it = node->data.sequence.items.start;
	    it < node->data.sequence.items.top; it++)
		add_nested_links(c, yaml_document_get_node(c->doc, *it),
		    depth + 1);
}

static void
add_markdown_link(void *arg, const char *path, size_t len)
{
	add_attendee(arg, path, len);
}

/* The links a property's text holds: wikilinks and markdown links. */
static void
add_property_links(struct fm_ctx *c, const char *s, size_t len)
{
	add_wikilinks(c, s, len);
	body_markdown_links(s, len, add_markdown_link, c);
}

static void
read_attendees(struct fm_ctx *c, yaml_node_t *node)
{
	yaml_node_item_t *it;
	const char *s;
	size_t len;

	if ((s = scalar(node, &len)) != NULL) {
		add_property_links(c, s, len);
		return;
	}
	if (node->type != YAML_SEQUENCE_NODE)
		return;
	for (it = node->data.sequence.items.start;
	    it < node->data.sequence.items.top; it++) {
		yaml_node_t *child = yaml_document_get_node(c->doc, *it);

		if ((s = scalar(child, &len)) != NULL)
			add_property_links(c, s, len);
		else if (child->type == YAML_SEQUENCE_NODE)
			add_nested_links(c, child, 1);
	}
}

/*
 * Read a frontmatter value as text: its line, and whether it is given.
 * Returns the trimmed value, or NULL when it is empty (absent) or not a
 * scalar (present, and bad: *raw then says what it is).
 */
static const char *
raw_value(struct fm_ctx *c, yaml_node_t *node, int *line, int *present,
    const char **raw, size_t *len)
{
	const char *s;

	*line = file_line(c, node);
	*present = 0;
	if ((s = scalar(node, len)) == NULL) {
		*present = 1;
		*raw = "(a list or a mapping)";
		return NULL;
	}
	if (scalar_is_null(node))
		return NULL;
	trim_span(&s, len);
	*present = 1;
	return s;
}

/* Only a bad value is kept as written: the message quotes it. */
static void
keep_raw_if_bad(struct fm_ctx *c, unsigned bad, const char *s, size_t len,
    const char **raw)
{
	if (bad && s != NULL)
		*raw = arena_strndup(&c->v->arena, s, len);
}

/*
 * Read a date value into d (its text not kept) and return it as written:
 * the trimmed value, or what it is when not a scalar; NULL when absent.
 */
static const char *
parse_date_value(struct fm_ctx *c, yaml_node_t *node, struct fm_date *d,
    size_t *len)
{
	int line, present;
	const char *what = NULL;
	const char *s = raw_value(c, node, &line, &present, &what, len);

	d->line = (unsigned)line;
	d->present = (unsigned)present;
	if (s != NULL)
		d->bad = date_parse_datetime(s, *len, &d->day);
	else if (d->present) {
		d->bad = DATE_NOT_A_DATE;
		s = what;
		*len = strlen(what);
	}
	return s;
}

static void
read_date(struct fm_ctx *c, yaml_node_t *node, struct fm_date *d)
{
	size_t len = 0;
	const char *s = parse_date_value(c, node, d, &len);

	keep_raw_if_bad(c, d->bad, s, len, &d->raw);
}

static void
read_meeting_date(struct fm_ctx *c, yaml_node_t *node)
{
	struct fm_date d = { 0 };
	struct fm_day *day = &c->note->date;

	c->date_text = parse_date_value(c, node, &d, &c->date_len);
	day->day = d.day;
	day->line = d.line;
	day->present = d.present;
	day->bad = d.bad;
}

void
note_bad_date(struct diag_list *dl, const char *path, const char *key,
    int line, int bad, const char *raw, size_t rawlen)
{
	diag_error(dl, DIAG_NOTE, path, line,
	    "write a real calendar date as YYYY-MM-DD (e.g. 2025-12-01); the "
	    "contact is left out until then",
	    "%s \"%.*s\" is %s", key, (int)rawlen, raw,
	    bad == DATE_IMPOSSIBLE ? "not a real calendar date" :
	    "not a date");
}

/* The date of a meeting counts only with attendees: so does its error. */
static void
check_meeting_date(struct fm_ctx *c)
{
	const struct fm_day *d = &c->note->date;

	if (c->note->nattendees > 0 && d->present && d->bad)
		note_bad_date(c->dl, c->note->path, "date", (int)d->line,
		    (int)d->bad, c->date_text, c->date_len);
}

/* "YYYY-MM-DD", or "--MM-DD" without a year (as in RFC 6350). */
static void
read_birthday(struct fm_ctx *c, yaml_node_t *node)
{
	struct note_person *p = person_of(c);
	struct fm_date *d = &p->birthday;
	char ymd[DATE_BUFSZ];
	int day = DATE_NONE, y;

	read_date(c, node, d);
	if (d->present && !d->bad)
		day = d->day;
	else if (d->present && strlen(d->raw) == 7 &&
	    memcmp(d->raw, "--", 2) == 0) {
		/* In a leap year, so that --02-29 is a real date. */
		memcpy(ymd, "2000", 4);
		memcpy(ymd + 4, d->raw + 1, 7);
		d->bad = date_parse_exact(ymd, 10, &day);
		d->day = DATE_NONE;
	}
	if (d->present && !d->bad)
		date_to_ymd(day, &y, &p->birthday_month, &p->birthday_day);
}

static void
read_cadence(struct fm_ctx *c, yaml_node_t *node)
{
	struct fm_cadence *cad = &person_of(c)->cadence;
	size_t len;
	int line, present;
	const char *s = raw_value(c, node, &line, &present, &cad->raw, &len);

	cad->line = (unsigned)line;
	cad->present = (unsigned)present;
	if (s != NULL)
		cad->bad = date_parse_cadence(s, len, &cad->days) != 0;
	else if (cad->present)
		cad->bad = 1;
	keep_raw_if_bad(c, cad->bad, s, len, &cad->raw);
}

static int
is_false(yaml_node_t *node)
{
	static const char *const words[] = { "false", "no", "off" };
	const char *s;
	size_t len, i;

	if ((s = scalar(node, &len)) == NULL)
		return 0;
	trim_span(&s, &len);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (ascii_casecmp_n(s, len, words[i], strlen(words[i])) == 0)
			return 1;
	return 0;
}

static void
read_key(struct fm_ctx *c, enum fm_key key, yaml_node_t *value)
{
	struct note *note = c->note;
	const char *s;
	size_t len;

	switch (key) {
	case K_TYPE:
		person_of(c);
		read_words(c, value, &c->types, 0);
		break;
	case K_TAGS:
		person_of(c);
		read_words(c, value, &c->tags, 1);
		break;
	case K_FOLLOWUP:
		if (is_false(value))
			note->flags |= NOTE_FOLLOWUP_OFF;
		break;
	case K_TITLE:
		if ((s = scalar(value, &len)) != NULL && !scalar_is_null(value)) {
			trim_span(&s, &len);
			if (len > 0)
				person_of(c)->title = arena_strndup(
				    &c->v->arena, s, len);
		}
		break;
	case K_ALIASES:
		read_aliases(c, value);
		break;
	case K_LAST_CONTACT:
		read_date(c, value, &person_of(c)->last_contact);
		break;
	case K_CREATED:
		read_date(c, value, &person_of(c)->created);
		break;
	case K_DATE:
		read_meeting_date(c, value);
		break;
	case K_ATTENDEES:
		read_attendees(c, value);
		break;
	case K_CADENCE:
		read_cadence(c, value);
		break;
	case K_SNOOZE_UNTIL:
		read_date(c, value, &person_of(c)->snooze_until);
		break;
	case K_BIRTHDAY:
		read_birthday(c, value);
		break;
	case K_COUNT:
		BUG("K_COUNT is not a key");
	}
}

static int
lookup_key(const char *s, size_t len)
{
	int k;

	for (k = 0; k < K_COUNT; k++)
		if (strlen(fm_key_names[k]) == len &&
		    memcmp(fm_key_names[k], s, len) == 0)
			return k;
	if (len == 5 && memcmp(s, "alias", 5) == 0)
		return K_ALIASES;
	/* Obsidian's deprecated singular keys (Properties.md). */
	if (len == 3 && memcmp(s, "tag", 3) == 0)
		return K_TAGS;
	return -1;
}

/* YAML's null for a property: "" and '' are empty strings, not null. */
static int
property_is_null(yaml_node_t *node)
{
	return node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    scalar_is_null(node);
}

/* A copy of the key's value (a scalar, or a list's scalars), if it is one. */
static void
keep_property(struct fm_ctx *c, const char *name, size_t len,
    yaml_node_t *value)
{
	struct query_property *pr;
	yaml_node_item_t *it;
	size_t n = 0, vl = 0;
	const char *v;

	if (value->type == YAML_SEQUENCE_NODE)
		n = (size_t)(value->data.sequence.items.top -
		    value->data.sequence.items.start);
	else if (value->type != YAML_SCALAR_NODE)
		return;
	GROW(c->props, c->capprops, c->nprops + 1);
	pr = &c->props[c->nprops++];
	memset(pr, 0, sizeof(*pr));
	pr->name = xstrndup(name, len);
	pr->namelen = len;
	pr->is_list = value->type == YAML_SEQUENCE_NODE;
	pr->items = xcalloc(n + 1, sizeof(*pr->items));
	pr->lens = xcalloc(n + 1, sizeof(*pr->lens));
	if (!pr->is_list) {
		v = scalar(value, &vl);
		if (v == NULL || property_is_null(value))
			return;
		pr->items[0] = xstrndup(v, vl);
		pr->lens[0] = vl;
		pr->nitems = 1;
		return;
	}
	for (it = value->data.sequence.items.start;
	    it < value->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(c->doc, *it);

		/* TasksFile.property() drops a list's nulls. */
		if (item == NULL || (v = scalar(item, &vl)) == NULL ||
		    property_is_null(item))
			continue;
		pr->items[pr->nitems] = xstrndup(v, vl);
		pr->lens[pr->nitems++] = vl;
	}
}

static void
props_release(struct fm_ctx *c)
{
	size_t i, k;

	for (i = 0; i < c->nprops; i++) {
		for (k = 0; k < c->props[i].nitems; k++)
			free((char *)c->props[i].items[k]);
		free((char *)c->props[i].name);
		free(c->props[i].items);
		free(c->props[i].lens);
	}
	free(c->props);
}

/*
 * The frontmatter's one YAML document. Obsidian rejects properties that
 * hold a second document (text after a "..." line), so they count as
 * invalid YAML here too. Returns 1 with doc loaded, 0 for a syntax error
 * (parser holds the problem), -1 for a second document at *line (counted
 * from 0).
 */
static int
load_one_document(yaml_parser_t *parser, yaml_document_t *doc, int *line)
{
	yaml_document_t more;
	int one;

	if (!yaml_parser_load(parser, doc))
		return 0;
	/*
	 * Only a "..." line ends a document that loaded: what follows it is
	 * the second one, be it YAML or not (libyaml wants a "---" then).
	 */
	if (!yaml_parser_load(parser, &more)) {
		*line = (int)parser->problem_mark.line;
		yaml_document_delete(doc);
		return -1;
	}
	one = yaml_document_get_root_node(&more) == NULL;
	*line = (int)more.start_mark.line;
	yaml_document_delete(&more);
	if (one)
		return 1;
	yaml_document_delete(doc);
	return -1;
}

/*
 * query_file's load(): the frontmatter read again, for its properties
 * only, the first time a query block of the note needs them (its
 * problems were reported by the first reading).
 */
static void
load_props(const struct query_file *cqf)
{
	struct query_file *qf = (struct query_file *)cqf;
	struct fm_ctx *c = qf->ctx;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *pair;
	int line;

	qf->load = NULL;
	if (!yaml_parser_initialize(&parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)qf->yaml,
	    qf->yamllen);
	if (load_one_document(&parser, &doc, &line) != 1) {
		yaml_parser_delete(&parser);
		return;
	}
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE)
		for (pair = root->data.mapping.pairs.start;
		    pair < root->data.mapping.pairs.top; pair++) {
			yaml_node_t *key = yaml_document_get_node(&doc,
			    pair->key);
			yaml_node_t *value = yaml_document_get_node(&doc,
			    pair->value);
			const char *s;
			size_t len;

			if ((s = scalar(key, &len)) != NULL && value != NULL)
				keep_property(c, s, len, value);
		}
	c->doc = NULL;
	qf->props = c->props;
	qf->nprops = c->nprops;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

static void
read_mapping(struct fm_ctx *c, yaml_node_t *root)
{
	yaml_node_pair_t *pair;
	int seen_line[K_COUNT] = { 0 };

	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = yaml_document_get_node(c->doc, pair->key);
		yaml_node_t *value = yaml_document_get_node(c->doc,
		    pair->value);
		const char *s;
		size_t len;
		int k;

		if ((s = scalar(key, &len)) == NULL || value == NULL)
			continue;
		if ((k = lookup_key(s, len)) < 0)
			continue;
		if (seen_line[k]) {
			diag_warn(c->dl, DIAG_NOTE, c->note->path,
			    file_line(c, key),
			    "remove one of them: followup reads the first",
			    "key \"%s\" given again (first on line %d)",
			    fm_key_names[k], seen_line[k]);
			continue;
		}
		seen_line[k] = file_line(c, key);
		read_key(c, (enum fm_key)k, value);
	}
}

static void
keep_lists(struct fm_ctx *c)
{
	size_t n;

	if (c->person != NULL) {
		c->person->types = names_keep(c->v, &c->types,
		    &c->person->ntypes);
		c->person->tags = names_keep(c->v, &c->tags, &c->person->ntags);
		c->person->aliases = names_keep(c->v, &c->aliases,
		    &c->person->naliases);
	}
	c->note->attendees = names_keep(c->v, &c->attendees, &n);
	c->note->nattendees = (uint32_t)n;
}

static void
parse_yaml(struct fm_ctx *c, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int loaded, line;

	if (!yaml_parser_initialize(&parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if ((loaded = load_one_document(&parser, &doc, &line)) < 0) {
		diag_error(c->dl, DIAG_NOTE, c->note->path,
		    c->first_line + line,
		    "only a line \"---\" ends the frontmatter: replace the "
		    "\"...\" line with \"---\"",
		    "frontmatter holds a second YAML document after a \"...\" "
		    "line: not a contact, as Obsidian shows no properties");
		c->note->flags |= NOTE_FRONTMATTER_BAD;
		yaml_parser_delete(&parser);
		return;
	}
	if (!loaded) {
		line = c->first_line + (int)parser.problem_mark.line;

		diag_error(c->dl, DIAG_NOTE, c->note->path, line,
		    "fix the YAML between the --- lines; quote values that "
		    "hold \": \", \"#\" or start with [ { * & ! | >",
		    "frontmatter is not valid YAML: %s%s%s",
		    parser.problem ? parser.problem : "syntax error",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		c->note->flags |= NOTE_FRONTMATTER_BAD;
		yaml_parser_delete(&parser);
		return;
	}
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || scalar_is_null(root))
		;	/* empty frontmatter */
	else if (root->type != YAML_MAPPING_NODE) {
		diag_error(c->dl, DIAG_NOTE, c->note->path, c->first_line,
		    "write one \"key: value\" a line between the --- lines",
		    "frontmatter is not a mapping of keys to values");
		c->note->flags |= NOTE_FRONTMATTER_BAD;
	} else
		read_mapping(c, root);
	keep_lists(c);
	check_meeting_date(c);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

/* Length of the line at s (without its end), and where the next begins. */
static size_t
line_at(const char *s, size_t avail, size_t *next)
{
	const char *nl = memchr(s, '\n', avail);
	size_t len = nl ? (size_t)(nl - s) : avail;

	*next = nl ? len + 1 : avail;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	return len;
}

/*
 * The fence at the start of the line; trailing blanks are forgiven. Only
 * "---" opens and closes: Obsidian does not end its properties at YAML's
 * "..." document end marker.
 */
static int
is_fence(const char *s, size_t len, const char *fence)
{
	if (len < 3 || memcmp(s, fence, 3) != 0)
		return 0;
	for (len -= 3, s += 3; len > 0; len--, s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

/*
 * Find the frontmatter of buf (after the BOM at off). Returns 1 and the
 * YAML's span and the body's start when there is some, 0 when there is
 * none, -1 when it is never closed.
 */
static int
find_frontmatter(const char *buf, size_t len, size_t off, size_t *yaml_off,
    size_t *yaml_len, size_t *body_off)
{
	size_t next, pos;
	size_t first = line_at(buf + off, len - off, &next);

	if (!is_fence(buf + off, first, "---"))
		return 0;
	pos = off + next;
	*yaml_off = pos;
	while (pos < len) {
		size_t l = line_at(buf + pos, len - pos, &next);

		if (is_fence(buf + pos, l, "---")) {
			*yaml_len = pos - *yaml_off;
			*body_off = pos + next;
			return 1;
		}
		pos += next;
	}
	return -1;
}

/* Whether a line of buf is YAML's "..." end marker, which misleads. */
static int
has_dots_line(const char *buf, size_t len, size_t pos)
{
	size_t next;

	while (pos < len) {
		size_t l = line_at(buf + pos, len - pos, &next);

		if (is_fence(buf + pos, l, "..."))
			return 1;
		pos += next;
	}
	return 0;
}

int
note_find_frontmatter(const char *buf, size_t len, size_t *yaml_off,
    size_t *yaml_len, size_t *body_off)
{
	size_t off = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
	*body_off = off;
	return find_frontmatter(buf, len, off, yaml_off, yaml_len, body_off);
}

char *
note_open_url(const char *vault_name, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(path);
	char *file;

	if (n > 3 && strcmp(path + n - 3, ".md") == 0)
		n -= 3;
	file = xstrndup(path, n);
	strbuf_adds(&sb, "obsidian://open?vault=");
	strbuf_add_percent_encoded(&sb, vault_name);
	strbuf_adds(&sb, "&file=");
	strbuf_add_percent_encoded(&sb, file);
	free(file);
	return strbuf_detach(&sb);
}

void
note_parse(struct vault *v, const char *relpath, const char *buf,
    size_t len, struct diag_list *dl)
{
	struct note *note = store_note(v, relpath);
	struct fm_ctx c;
	struct query_file qf = { 0 };
	struct fm_ctx props = { 0 };
	size_t off = 0, yaml_off = 0, yaml_len = 0, body_off = 0;
	size_t index = v->nnotes - 1;
	int found;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
	found = find_frontmatter(buf, len, off, &yaml_off, &yaml_len,
	    &body_off);
	memset(&c, 0, sizeof(c));
	if (found < 0) {
		/*
		 * Obsidian then sees no properties and reads the whole file
		 * as Markdown, tasks included; so does followup, but the
		 * note is no contact: its properties are not what was meant.
		 */
		diag_error(dl, DIAG_NOTE, note->path, 1,
		    has_dots_line(buf, len, off) ?
		    "end the frontmatter with a line \"---\": Obsidian does "
		    "not end it at a line \"...\"" :
		    "end the frontmatter with a line \"---\" (or remove the "
		    "first line if the note has none)",
		    "frontmatter opened with \"---\" is never closed: not a "
		    "contact; its lines are read as text, as Obsidian does");
		note->flags |= NOTE_FRONTMATTER_BAD;
		body_scan(v, index, buf, len, off, &qf, dl);
		return;
	}
	if (found > 0) {
		note->flags |= NOTE_HAS_FRONTMATTER;
		c.v = v;
		c.note = note;
		c.first_line = 2;
		c.dl = dl;
		parse_yaml(&c, buf + yaml_off, yaml_len);
		if (!(note->flags & NOTE_FRONTMATTER_BAD)) {
			qf.yaml = buf + yaml_off;
			qf.yamllen = yaml_len;
			qf.load = load_props;
			qf.ctx = &props;
		}
	} else
		body_off = off;

	body_scan(v, index, buf, len, body_off, &qf, dl);
	props_release(&props);
}
