/*
 * fmedit.c - one frontmatter value replaced in place (see fmedit.h).
 *
 * libyaml's marks count characters, not bytes (a CRLF counts two), so a
 * mark becomes a byte offset by counting UTF-8 lead bytes. The parser
 * guesses the encoding as note.c's does, which for UTF-8 (the only text
 * taken) means a BOM at the start is no character and moves no mark.
 *
 * The third file to include <yaml.h>, after note.c and config.c: only
 * libyaml's parser events carry the marks an edit in place needs, and
 * note.c's reading (a loaded document) has no use for them.
 */
#include "fmedit.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"
#include "note.h"
#include "util.h"

/* The file line of the YAML's first line: the "---" is line 1. */
#define FIRST_LINE 2

/* What one walk over the frontmatter's events found. */
struct walk {
	const char *key;
	int has_root;		/* a mapping, not an empty document */
	int root_flow;		/* written { ... } */
	size_t nkeys;		/* top-level keys, a key given twice twice */
	size_t key_column;	/* of the first top-level key */
	/* The key's value, the first time the key is given. */
	int found;
	yaml_scalar_style_t style;
	size_t start, end;	/* in characters from the YAML's start */
	int line;		/* in the YAML, from 0 */
	char *value;		/* as read */
	/* Why the walk failed (message and hint) and where, when it did. */
	char *problem;
	const char *hint;
	int problem_line;
};

static void
walk_release(struct walk *w)
{
	free(w->value);
	free(w->problem);
}

static void
walk_fail(struct walk *w, const yaml_mark_t *mark, const char *hint,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
walk_fail(struct walk *w, const yaml_mark_t *mark, const char *hint,
    const char *fmt, ...)
{
	va_list ap;

	if (w->problem != NULL)
		return;
	va_start(ap, fmt);
	w->problem = xvasprintf(fmt, ap);
	va_end(ap);
	w->hint = hint;
	w->problem_line = (int)mark->line;
}

/* The key's value: a scalar we can write over, or a reason why not. */
static void
take_value(struct walk *w, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;

	if (ev->type == YAML_ALIAS_EVENT) {
		walk_fail(w, m, "write the date itself instead of the alias, "
		    "then run again", "\"%s\" is an alias (*%s)", w->key,
		    (const char *)ev->data.alias.anchor);
		return;
	}
	if (ev->data.scalar.anchor != NULL || ev->data.scalar.tag != NULL) {
		walk_fail(w, m, "remove the & or ! part before the value, "
		    "then run again", "\"%s\" has an anchor or a tag",
		    w->key);
		return;
	}
	if (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
		walk_fail(w, m, "write the date on the key's line, then run "
		    "again", "\"%s\" is a block scalar (| or >)", w->key);
		return;
	}
	w->found = 1;
	w->style = ev->data.scalar.style;
	w->start = ev->start_mark.index;
	w->end = ev->end_mark.index;
	w->line = (int)ev->start_mark.line;
	w->value = xstrndup((const char *)ev->data.scalar.value,
	    ev->data.scalar.length);
}

/* State of the walk through the root mapping's keys and values. */
struct walk_pos {
	int depth;	/* collections open */
	int is_value;	/* the next node at depth 1 is a value */
	int matching;	/* the last key at depth 1 is w->key, first time */
};

/* A node at depth 1 begins (ev: its first event). */
static void
node_begins(struct walk *w, struct walk_pos *p, const yaml_event_t *ev)
{
	int scalar = ev->type == YAML_SCALAR_EVENT;
	size_t klen = strlen(w->key);

	if (!p->is_value) {
		if (w->nkeys++ == 0)
			w->key_column = ev->start_mark.column;
		/* note.c reads the key an alias stands for: it may be ours. */
		if (ev->type == YAML_ALIAS_EVENT)
			walk_fail(w, &ev->start_mark, "write the key itself "
			    "instead of the alias, then run again", "a key is "
			    "an alias (*%s)", (const char *)
			    ev->data.alias.anchor);
		p->matching = !w->found && scalar &&
		    ev->data.scalar.length == klen &&
		    memcmp(ev->data.scalar.value, w->key, klen) == 0;
		return;
	}
	if (!p->matching)
		return;
	if (scalar || ev->type == YAML_ALIAS_EVENT)
		take_value(w, ev);
	else
		walk_fail(w, &ev->start_mark, "make it one date, written "
		    "YYYY-MM-DD, then run again",
		    "\"%s\" is a list or a mapping, not a single value",
		    w->key);
}

/* A node at depth 1 ended: a key is followed by its value. */
static void
node_ends(struct walk_pos *p)
{
	if (p->is_value)
		p->matching = 0;
	p->is_value = !p->is_value;
}

static void
root_event(struct walk *w, const yaml_event_t *ev)
{
	if (ev->type == YAML_MAPPING_START_EVENT) {
		w->has_root = 1;
		w->root_flow = ev->data.mapping_start.style ==
		    YAML_FLOW_MAPPING_STYLE;
		return;
	}
	/* An empty plain scalar is what an empty document holds. */
	if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length == 0 &&
	    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    ev->data.scalar.tag == NULL && ev->data.scalar.anchor == NULL)
		return;
	walk_fail(w, &ev->start_mark, "write one \"key: value\" a line "
	    "between the --- lines", "frontmatter is not a mapping of keys to "
	    "values");
}

/* Feed one event to the walk; returns 1 at the end of the stream. */
static int
walk_event(struct walk *w, struct walk_pos *p, const yaml_event_t *ev,
    int *docs)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			walk_fail(w, &ev->start_mark, "keep one YAML document "
			    "between the --- lines", "frontmatter holds more "
			    "than one YAML document");
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (p->depth == 0)
			root_event(w, ev);
		else if (p->depth == 1)
			node_begins(w, p, ev);
		p->depth++;
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (--p->depth == 1)
			node_ends(p);
		break;
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
		if (p->depth == 0)
			root_event(w, ev);
		else if (p->depth == 1) {
			node_begins(w, p, ev);
			node_ends(p);
		}
		break;
	default:
		break;
	}
	return 0;
}

static void
fail_yaml(struct walk *w, const yaml_parser_t *parser)
{
	walk_fail(w, &parser->problem_mark, "fix the YAML between the --- "
	    "lines, then run again", "frontmatter is not valid YAML: %s%s%s",
	    parser->problem ? parser->problem : "syntax error",
	    parser->context ? " " : "", parser->context ? parser->context : "");
}

/*
 * Load yaml as note.c does: the events alone do not tell an alias whose
 * anchor is missing, or an anchor given twice, which note.c refuses.
 */
static int
loads(struct walk *w, const char *yaml, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int ok;

	if (!yaml_parser_initialize(&parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml,
	    len);
	if ((ok = yaml_parser_load(&parser, &doc)) != 0)
		yaml_document_delete(&doc);
	else
		fail_yaml(w, &parser);
	yaml_parser_delete(&parser);
	return ok;
}

/* Walk yaml (len bytes). Returns 0, or -1 with w->problem set. */
static int
walk_yaml(struct walk *w, const char *yaml, size_t len)
{
	struct walk_pos p = { 0, 0, 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	int docs = 0, end = 0;

	if (!loads(w, yaml, len))
		return -1;

	if (!yaml_parser_initialize(&parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml,
	    len);
	while (!end && w->problem == NULL) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fail_yaml(w, &parser);
			break;
		}
		end = walk_event(w, &p, &ev, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return w->problem ? -1 : 0;
}

/*
 * The byte offset in s (len bytes of UTF-8) of character index, as
 * libyaml counts: a BOM at the very start is not counted.
 */
static size_t
char_to_byte(const char *s, size_t len, size_t index)
{
	size_t i = 0, chars = 0;

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == index)
			return i;
	}
	return len;
}

/* The line ending of the line at off: "\r\n", or "\n" (also for none). */
static const char *
line_ending(const char *text, size_t len, size_t off)
{
	const char *nl = memchr(text + off, '\n', len - off);

	return nl != NULL && nl > text + off && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* The new bytes for a key the walk found: value, in the old one's style. */
static void
replacement(const struct walk *w, const char *text, size_t start,
    const char *value, struct strbuf *sb)
{
	switch (w->style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		strbuf_addf(sb, "'%s'", value);
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		strbuf_addf(sb, "\"%s\"", value);
		break;
	default:
		/* "key:" has its empty value right after the colon. */
		if (w->start == w->end && text[start - 1] != ' ' &&
		    text[start - 1] != '\t')
			strbuf_addch(sb, ' ');
		strbuf_adds(sb, value);
	}
}

static void
splice(const char *text, size_t len, size_t start, size_t end,
    const struct strbuf *ins, char **out, size_t *outlen)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, text, start);
	strbuf_add(&sb, ins->buf ? ins->buf : "", ins->len);
	strbuf_add(&sb, text + end, len - end);
	*outlen = sb.len;
	*out = strbuf_detach(&sb);
}

/* Everything a call works on, so that helpers take one argument. */
struct job {
	const char *path, *text, *key, *value;
	size_t len;
	int has_frontmatter;
	size_t yaml_off, yaml_len, body_off;
	struct fm_edit e;
	struct diag_list *dl;
};

static int
fail_walk(struct job *j, struct walk *w)
{
	diag_error(j->dl, DIAG_NOTE, j->path, FIRST_LINE + w->problem_line,
	    w->hint, "%s; nothing was changed", w->problem);
	return -1;
}

/* The key at the end of the frontmatter, or a new frontmatter. */
static int
plan_addition(struct job *j, const struct walk *w, struct strbuf *ins)
{
	/* The first line's ending: the "---" line's, or the body's first. */
	const char *eol = line_ending(j->text, j->len, 0);
	size_t i;

	if (!j->has_frontmatter) {
		/* The body starts after the BOM. */
		strbuf_addf(ins, "---%s%s: %s%s---%s", eol, j->key, j->value,
		    eol, eol);
		j->e.start = j->e.end = j->body_off;
		j->e.added = 2;
		j->e.line = 2;
		return 0;
	}
	if (w->has_root && w->root_flow) {
		diag_error(j->dl, DIAG_NOTE, j->path, FIRST_LINE,
		    "add the key by hand, or write the frontmatter one "
		    "\"key: value\" a line",
		    "frontmatter is a flow mapping { ... } without \"%s\"; "
		    "nothing was changed", j->key);
		return -1;
	}
	for (i = 0; w->has_root && i < w->key_column; i++)
		strbuf_addch(ins, ' ');
	strbuf_addf(ins, "%s: %s%s", j->key, j->value, eol);
	j->e.start = j->e.end = j->yaml_off + j->yaml_len;
	j->e.added = 1;
	/* The line of the closing fence, which moves down one. */
	j->e.line = 1;
	for (i = 0; i < j->e.start; i++)
		j->e.line += j->text[i] == '\n';
	return 0;
}

/* The result must read back as value, with the same keys but the one. */
static int
verify(struct job *j, const struct walk *before, const char *out,
    size_t outlen)
{
	struct walk w = { .key = j->key };
	size_t yoff, ylen, boff;
	int ok;

	ok = note_find_frontmatter(out, outlen, &yoff, &ylen, &boff) == 1 &&
	    walk_yaml(&w, out + yoff, ylen) == 0 && w.found &&
	    strcmp(w.value, j->value) == 0 &&
	    w.nkeys == before->nkeys + (j->e.added ? 1 : 0);
	walk_release(&w);
	if (ok)
		return 0;
	diag_error(j->dl, DIAG_NOTE, j->path, j->e.line,
	    "set it by hand, then run again",
	    "cannot set \"%s\" here without changing what else the "
	    "frontmatter says; nothing was changed", j->key);
	return -1;
}

static int
plan(struct job *j, char **out, size_t *outlen)
{
	struct walk w = { .key = j->key };
	struct strbuf ins = STRBUF_INIT;
	int found, rc = -1;

	found = note_find_frontmatter(j->text, j->len, &j->yaml_off,
	    &j->yaml_len, &j->body_off);
	if (found < 0) {
		diag_error(j->dl, DIAG_NOTE, j->path, 1,
		    "end the frontmatter with a line \"---\" (or remove the "
		    "first line if the note has none)",
		    "frontmatter opened with \"---\" is never closed; nothing "
		    "was changed");
		return -1;
	}
	j->has_frontmatter = found > 0;
	/* libyaml would read other bytes as another encoding: no offsets. */
	if (found > 0 && utf8_first_invalid((const unsigned char *)j->text +
	    j->yaml_off, j->yaml_len) != j->yaml_len) {
		diag_error(j->dl, DIAG_NOTE, j->path, FIRST_LINE,
		    "save the note as UTF-8", "frontmatter is not valid "
		    "UTF-8; nothing was changed");
		return -1;
	}
	if (found > 0 && walk_yaml(&w, j->text + j->yaml_off, j->yaml_len) != 0) {
		rc = fail_walk(j, &w);
		goto out;
	}
	if (w.found) {
		const char *yaml = j->text + j->yaml_off;

		j->e.start = j->yaml_off + char_to_byte(yaml, j->yaml_len,
		    w.start);
		j->e.end = j->yaml_off + char_to_byte(yaml, j->yaml_len,
		    w.end);
		j->e.line = FIRST_LINE + w.line;
		if (w.value[0] != '\0')
			j->e.old = xstrdup(w.value);
		replacement(&w, j->text, j->e.start, j->value, &ins);
	} else if (plan_addition(j, &w, &ins) != 0)
		goto out;
	j->e.inserted = ins.len;
	splice(j->text, j->len, j->e.start, j->e.end, &ins, out, outlen);
	if ((rc = verify(j, &w, *out, *outlen)) != 0) {
		free(*out);
		*out = NULL;
	}
out:
	strbuf_release(&ins);
	walk_release(&w);
	return rc;
}

int
fm_set_value(const char *path, const char *text, size_t len,
    const char *key, const char *value, char **out, size_t *outlen,
    struct fm_edit *edit, struct diag_list *dl)
{
	struct job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.path = path;
	j.text = text;
	j.len = len;
	j.key = key;
	j.value = value;
	j.dl = dl;
	*out = NULL;
	*outlen = 0;
	if ((rc = plan(&j, out, outlen)) != 0)
		fm_edit_release(&j.e);
	if (edit != NULL)
		*edit = j.e;
	else
		fm_edit_release(&j.e);
	return rc;
}

void
fm_edit_release(struct fm_edit *edit)
{
	if (edit == NULL)
		return;
	free(edit->old);
	edit->old = NULL;
}
