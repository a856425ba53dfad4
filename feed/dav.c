/*
 * dav.c - the WebDAV multistatus reader (see dav.h): RFC 4918 §13,
 * §14.16 (multistatus), §15 (resourcetype, getetag), RFC 4791 §4.2.
 */
#include "dav.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

#define XML_MAX_DEPTH 64

struct xml_reader {
	const char *s;
	size_t len, pos;
	char names[XML_MAX_DEPTH][32];
	int depth;
	struct strbuf text;
	int multistatus;
	int in_response;
	struct dav_entry entry;
	char *ps_etag;
	int ps_collection, ps_calendar;
	char *ps_status;
	struct dav_listing *out;
};

/* Decode XML's five entities and numeric references; the caller's. */
static char *
xml_text(const char *s, size_t n)
{
	static const struct {
		const char *name;
		char c;
	} entities[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i, k;

	trim_span(&s, &n);
	for (i = 0; i < n; i++) {
		if (s[i] != '&') {
			strbuf_addch(&sb, s[i]);
			continue;
		}
		for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
			size_t el = strlen(entities[k].name);

			if (n - i - 1 >= el &&
			    memcmp(s + i + 1, entities[k].name, el) == 0) {
				strbuf_addch(&sb, entities[k].c);
				i += el;
				break;
			}
		}
		if (k < sizeof(entities) / sizeof(entities[0]))
			continue;
		if (i + 2 < n && s[i + 1] == '#') {
			size_t j = i + 2;
			unsigned long cp = 0;
			int base = 10;

			if (s[j] == 'x' || s[j] == 'X') {
				base = 16;
				j++;
			}
			while (j < n && s[j] != ';' && hex_value(s[j]) >= 0 &&
			    hex_value(s[j]) < base && cp < 0x110000)
				cp = cp * (unsigned long)base +
				    (unsigned long)hex_value(s[j++]);
			if (j < n && s[j] == ';' && cp > 0 && cp < 0x80) {
				strbuf_addch(&sb, (char)cp);
				i = j;
				continue;
			}
		}
		strbuf_addch(&sb, '&');
	}
	return sb.len ? strbuf_detach(&sb) : xstrdup("");
}

static const char *
parent_name(const struct xml_reader *x, int up)
{
	int i = x->depth - 1 - up;

	return i >= 0 ? x->names[i] : "";
}

static void
xml_start(struct xml_reader *x, const char *name)
{
	const char *parent = parent_name(x, 0);

	if (strcmp(name, "multistatus") == 0 && x->depth == 0)
		x->multistatus = 1;
	else if (strcmp(name, "response") == 0) {
		/* A response left open before this one is dropped. */
		free(x->entry.href);
		free(x->entry.etag);
		memset(&x->entry, 0, sizeof(x->entry));
		x->in_response = 1;
	} else if (strcmp(name, "propstat") == 0) {
		free(x->ps_etag);
		free(x->ps_status);
		x->ps_etag = x->ps_status = NULL;
		x->ps_collection = x->ps_calendar = 0;
	} else if (strcmp(parent, "resourcetype") == 0) {
		if (strcmp(name, "collection") == 0)
			x->ps_collection = 1;
		else if (strcmp(name, "calendar") == 0)
			x->ps_calendar = 1;
	}
	strbuf_reset(&x->text);
}

/* Whether a <status> line says 2xx: "HTTP/1.1 200 OK". */
static int
status_ok(const char *status)
{
	const char *sp;

	if (status == NULL)
		return 1;
	sp = strchr(status, ' ');
	return sp != NULL && sp[1] == '2';
}

static void
xml_end(struct xml_reader *x, const char *name)
{
	const char *parent = parent_name(x, 1);
	char *t;

	if (!x->in_response)
		return;
	if (strcmp(name, "href") == 0 && strcmp(parent, "response") == 0) {
		free(x->entry.href);
		x->entry.href = xml_text(x->text.buf ? x->text.buf : "",
		    x->text.len);
	} else if (strcmp(name, "getetag") == 0) {
		t = xml_text(x->text.buf ? x->text.buf : "", x->text.len);
		free(x->ps_etag);
		x->ps_etag = t;
	} else if (strcmp(name, "status") == 0 &&
	    strcmp(parent, "propstat") == 0) {
		free(x->ps_status);
		x->ps_status = xml_text(x->text.buf ? x->text.buf : "",
		    x->text.len);
	} else if (strcmp(name, "propstat") == 0) {
		if (status_ok(x->ps_status)) {
			if (x->ps_etag != NULL && x->ps_etag[0] != '\0') {
				free(x->entry.etag);
				x->entry.etag = x->ps_etag;
				x->ps_etag = NULL;
			}
			x->entry.collection |= x->ps_collection;
			x->entry.calendar |= x->ps_calendar;
		}
	} else if (strcmp(name, "response") == 0) {
		if (x->entry.href != NULL) {
			GROW(x->out->items, x->out->cap, x->out->n + 1);
			x->out->items[x->out->n++] = x->entry;
		} else
			free(x->entry.etag);
		memset(&x->entry, 0, sizeof(x->entry));
		x->in_response = 0;
	}
}

/* Skip past the end marker `end` from x->pos; 0 when it is missing. */
static int
skip_past(struct xml_reader *x, const char *end)
{
	const char *p = memmem(x->s + x->pos, x->len - x->pos, end,
	    strlen(end));

	if (p == NULL)
		return 0;
	x->pos = (size_t)(p - x->s) + strlen(end);
	return 1;
}

int
dav_parse_multistatus(const char *xml, size_t len, struct dav_listing *out)
{
	struct xml_reader x = { .s = xml, .len = len, .out = out };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	while (x.pos < len) {
		const char *lt = memchr(xml + x.pos, '<', len - x.pos);
		size_t start, end, name_end, i;
		char quote = 0, name[32];
		const char *colon;
		int closing, empty;

		if (lt == NULL)
			break;
		strbuf_add(&x.text, xml + x.pos, (size_t)(lt - xml - x.pos));
		x.pos = (size_t)(lt - xml);
		if (len - x.pos >= 4 && memcmp(lt, "<!--", 4) == 0) {
			if (!skip_past(&x, "-->"))
				goto out;
			continue;
		}
		if (len - x.pos >= 9 && memcmp(lt, "<![CDATA[", 9) == 0) {
			const char *e = memmem(lt + 9, len - x.pos - 9, "]]>",
			    3);

			if (e == NULL)
				goto out;
			strbuf_add(&x.text, lt + 9, (size_t)(e - lt - 9));
			x.pos = (size_t)(e - xml) + 3;
			continue;
		}
		if (len - x.pos >= 2 && (lt[1] == '?' || lt[1] == '!')) {
			if (!skip_past(&x, ">"))
				goto out;
			continue;
		}
		/* A tag: find its '>' outside quoted attribute values. */
		for (i = x.pos + 1; i < len; i++) {
			if (quote) {
				if (xml[i] == quote)
					quote = 0;
			} else if (xml[i] == '"' || xml[i] == '\'')
				quote = xml[i];
			else if (xml[i] == '>')
				break;
		}
		if (i >= len)
			goto out;
		end = i;
		closing = xml[x.pos + 1] == '/';
		empty = !closing && xml[end - 1] == '/';
		start = x.pos + 1 + (size_t)closing;
		for (name_end = start; name_end < end &&
		    strchr(" \t\r\n/>", xml[name_end]) == NULL; name_end++)
			;
		colon = memchr(xml + start, ':', name_end - start);
		if (colon != NULL)
			start = (size_t)(colon - xml) + 1;
		if (name_end - start >= sizeof(name))
			name_end = start + sizeof(name) - 1;
		memcpy(name, xml + start, name_end - start);
		name[name_end - start] = '\0';
		x.pos = end + 1;
		if (closing) {
			xml_end(&x, name);
			if (x.depth > 0)
				x.depth--;
			strbuf_reset(&x.text);
			continue;
		}
		xml_start(&x, name);
		if (empty) {
			/* <getetag/>: a start and an end at once. */
			if (x.depth < XML_MAX_DEPTH) {
				snprintf(x.names[x.depth], sizeof(x.names[0]),
				    "%s", name);
				x.depth++;
				xml_end(&x, name);
				x.depth--;
			}
			continue;
		}
		if (x.depth >= XML_MAX_DEPTH)
			goto out;
		snprintf(x.names[x.depth], sizeof(x.names[0]), "%s", name);
		x.depth++;
	}
	rc = x.multistatus ? 0 : -1;
out:
	free(x.entry.href);
	free(x.entry.etag);
	free(x.ps_etag);
	free(x.ps_status);
	strbuf_release(&x.text);
	if (rc != 0)
		dav_listing_release(out);
	return rc;
}

void
dav_listing_release(struct dav_listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].href);
		free(l->items[i].etag);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}
