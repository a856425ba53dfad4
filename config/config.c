/*
 * config.c - the YAML config of followup.yml(5) (see config.h).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "../core/contact.h"
#include "../core/diag.h"
#include "../core/fileio.h"
#include "../core/paths.h"
#include "../core/date.h"
#include "../core/util.h"

enum key_type {
	KT_PATH,
	KT_STRING_LIST,
	KT_CADENCE,		/* days above 0: 30, 30d, 4w */
	KT_FACTOR,		/* a number above 0 */
	KT_DAYS,		/* whole days, 0 or more */
	KT_TAG_CADENCES,	/* mapping tag → cadence, in order */
	KT_SECTION,		/* a mapping with keys of its own */
	KT_STRING,		/* a non-empty string */
	KT_SECRET,		/* a string that is a secret: never quoted */
	KT_COMPONENT,		/* event or todo */
	KT_CLOCK,		/* HH:MM, as minutes after midnight */
	KT_URL,			/* http:// or https://, maybe with userinfo */
	KT_BOOL,		/* true/false, yes/no, on/off */
	KT_COUNT,		/* a whole number, 1 or more */
	KT_SECONDS,		/* whole seconds, 1 or more */
	KT_QUIET_HOURS,		/* "HH:MM-HH:MM" */
	KT_STATES,		/* a list of contact states */
	KT_NOTIFIERS,		/* the list of notifiers */
};

struct loader;
struct config_key {
	const char *name;
	enum key_type type;
	size_t offset;		/* of the field in struct config */
	size_t count_offset;	/* of a KT_STRING_LIST's count */
	const struct config_key *keys;	/* for KT_SECTION */
	const char *help;
	/* For KT_SECTION, MAY: checks across its keys, once they are read. */
	void (*check)(struct loader *l, yaml_node_t *node);
};

#define CONFIG_MAX_FILE ((size_t)1 << 20)
/* A secret's file: its first line is the secret. */
#define SECRET_MAX ((size_t)64 << 10)

#define FIELD(f) offsetof(struct config, f), 0
#define LIST(f, n) offsetof(struct config, f), offsetof(struct config, n)
#define NO_FIELD 0, 0

static const struct config_key contacts_keys[] = {
	{ "types", KT_STRING_LIST,
	    LIST(rules.contact_types, rules.ncontact_types), NULL,
	    "frontmatter `type` values that make a contact" },
	{ "tags", KT_STRING_LIST,
	    LIST(rules.contact_tags, rules.ncontact_tags), NULL,
	    "tags that make a contact, with the tags nested under them" },
	{ NULL, 0, NO_FIELD, NULL, NULL },
};

static void check_ics(struct loader *l, yaml_node_t *node);

static const struct config_key ics_keys[] = {
	{ "path", KT_PATH, FIELD(ics.path), NULL,
	    "where the feed is written" },
	{ "horizon_days", KT_DAYS, FIELD(ics.horizon_days), NULL,
	    "how far ahead ok contacts appear" },
	{ "component", KT_COMPONENT, FIELD(ics.component), NULL,
	    "event or todo" },
	{ "alarm", KT_CLOCK, FIELD(ics.alarm), NULL,
	    "a reminder at HH:MM on the day" },
	{ "publish", KT_URL, FIELD(ics.publish), NULL,
	    "the WebDAV or CalDAV URL the feed goes to" },
	{ "publish_user", KT_STRING, FIELD(ics.publish_user), NULL,
	    "the user name for publish" },
	{ "publish_password", KT_SECRET, FIELD(ics.publish_password.value),
	    NULL, "the password for publish, in this file (chmod 600)" },
	{ "publish_password_file", KT_PATH,
	    FIELD(ics.publish_password.file), NULL,
	    "a file holding the password for publish" },
	{ "publish_password_env", KT_STRING,
	    FIELD(ics.publish_password.env), NULL,
	    "an environment variable holding the password for publish" },
	{ "publish_credential", KT_STRING,
	    FIELD(ics.publish_password.credential), NULL,
	    "a systemd credential holding the password for publish" },
	{ "publish_ca_file", KT_PATH, FIELD(ics.publish_ca_file), NULL,
	    "CA certificates to verify the server with" },
	{ NULL, 0, NO_FIELD, NULL, NULL },
};

#define NFIELD(f) offsetof(struct config_notifier, f), 0

static const struct config_key notify_keys[] = {
	{ "digest", KT_BOOL, FIELD(notify.digest), NULL,
	    "one message per notifier per run (false: one per contact)" },
	{ "repeat_days", KT_DAYS, FIELD(notify.repeat_days), NULL,
	    "days before the same reminder goes out again" },
	{ "max_per_run", KT_COUNT, FIELD(notify.max_per_run), NULL,
	    "reminders per notifier per run; the rest wait" },
	{ "quiet_hours", KT_QUIET_HOURS, FIELD(notify.quiet_start), NULL,
	    "\"22:00-07:00\": no reminders then (local time)" },
	{ "retry_seconds", KT_SECONDS, FIELD(notify.retry_seconds), NULL,
	    "how long a run retries a failing notifier" },
	{ NULL, 0, NO_FIELD, NULL, NULL },
};

static const struct config_key notifier_keys[] = {
	{ "name", KT_STRING, NFIELD(name), NULL,
	    "the notifier's name, in messages and in the ledger" },
	{ "url", KT_SECRET, NFIELD(url.value), NULL,
	    "the notifier's URL, in this file (chmod 600)" },
	{ "url_file", KT_PATH, NFIELD(url.file), NULL,
	    "a file holding the URL" },
	{ "url_env", KT_STRING, NFIELD(url.env), NULL,
	    "an environment variable holding the URL" },
	{ "credential", KT_STRING, NFIELD(url.credential), NULL,
	    "a systemd credential holding the URL" },
	{ "states", KT_STATES, NFIELD(states), NULL,
	    "which states it hears about: cold, overdue, due, never, ok" },
	{ "ca_file", KT_PATH, NFIELD(ca_file), NULL,
	    "CA certificates to verify the service with" },
	{ "timeout", KT_SECONDS, NFIELD(timeout), NULL,
	    "seconds a request may take" },
	{ "attach_calendar", KT_BOOL, NFIELD(attach_calendar), NULL,
	    "email: attach the feed's events" },
	{ NULL, 0, NO_FIELD, NULL, NULL },
};

static const struct config_key top_keys[] = {
	{ "vault", KT_PATH, FIELD(vault), NULL, "the vault folder" },
	{ "exclude", KT_STRING_LIST, LIST(rules.exclude, rules.nexclude), NULL,
	    "folders to skip, relative to the vault" },
	{ "cadence_days", KT_CADENCE, FIELD(rules.cadence_days), NULL,
	    "default days between contacts" },
	{ "cold_factor", KT_FACTOR, FIELD(rules.cold_factor), NULL,
	    "cold after this many cadences" },
	{ "due_soon_days", KT_DAYS, FIELD(rules.due_soon_days), NULL,
	    "due when this close" },
	{ "cadence_by_tag", KT_TAG_CADENCES, FIELD(rules.cadence_by_tag), NULL,
	    "cadence per tag, first match wins" },
	{ "contacts", KT_SECTION, NO_FIELD, contacts_keys,
	    "who is a contact" },
	{ "ics", KT_SECTION, NO_FIELD, ics_keys, "the calendar feed",
	    check_ics },
	{ "notify", KT_SECTION, NO_FIELD, notify_keys, "reminders" },
	{ "notifiers", KT_NOTIFIERS, NO_FIELD, notifier_keys,
	    "where reminders go" },
	{ NULL, 0, NO_FIELD, NULL, NULL },
};

struct loader {
	struct config *cfg;
	/* What a key's offset is relative to: cfg, or the notifier being
	 * read. */
	void *base;
	yaml_document_t *doc;
	const char *file;
	struct diag_list *dl;
	int errors;
};

static char **
strings_dup(const char *const *src, size_t n)
{
	char **dst = xcalloc(n, sizeof(*dst));
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = xstrdup(src[i]);
	return dst;
}

void
config_init(struct config *cfg)
{
	static const char *const types[] = { "people" };
	static const char *const tags[] = { "type/people" };

	memset(cfg, 0, sizeof(*cfg));
	cfg->rules.cadence_days = 30;
	cfg->rules.cold_factor = 2;
	cfg->rules.due_soon_days = 7;
	cfg->rules.contact_types = strings_dup(types, 1);
	cfg->rules.ncontact_types = 1;
	cfg->rules.contact_tags = strings_dup(tags, 1);
	cfg->rules.ncontact_tags = 1;
	cfg->ics.horizon_days = 30;
	cfg->ics.component = ICS_EVENT;
	cfg->ics.alarm = -1;
	cfg->ics.publish_password.file_key = "publish_password_file";
	cfg->ics.publish_password.credential_key = "publish_credential";
	cfg->notify.digest = 1;
	cfg->notify.repeat_days = 7;
	cfg->notify.max_per_run = 20;
	cfg->notify.quiet_start = cfg->notify.quiet_end = -1;
	cfg->notify.retry_seconds = 60;
}

char *
config_expand_home(const char *path)
{
	const char *home = getenv("HOME");

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') &&
	    home != NULL && home[0] != '\0')
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

char *
config_default_path(void)
{
	return paths_config();
}

static int
line_of(const yaml_node_t *node)
{
	return (int)node->start_mark.line + 1;
}

static void
config_error(struct loader *l, const yaml_node_t *node, const char *hint,
    const char *what)
{
	diag_error(l->dl, DIAG_CONFIG, l->file, node ? line_of(node) : 0,
	    hint, "%s", what);
	l->errors++;
}

static const char *
scalar(const yaml_node_t *node)
{
	if (node == NULL || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
read_string_list(struct loader *l, const struct config_key *k,
    yaml_node_t *node)
{
	char ***field = (char ***)((char *)l->base + k->offset);
	size_t *count = (size_t *)((char *)l->base + k->count_offset);
	char **list = NULL;
	size_t n = 0, cap = 0;
	yaml_node_item_t *it;
	const char *s;

	if ((s = scalar(node)) != NULL) {
		list = xcalloc(1, sizeof(*list));
		list[n++] = xstrdup(s);
	} else if (node->type == YAML_SEQUENCE_NODE) {
		for (it = node->data.sequence.items.start;
		    it < node->data.sequence.items.top; it++) {
			yaml_node_t *child = yaml_document_get_node(l->doc, *it);

			if ((s = scalar(child)) == NULL) {
				char *msg = xasprintf("\"%s\" must be a list of "
				    "strings", k->name);

				config_error(l, child, "write one string a line, "
				    "e.g. \"- Templates\"", msg);
				free(msg);
				free_strings(list, n);
				return -1;
			}
			GROW(list, cap, n + 1);
			list[n++] = xstrdup(s);
		}
	} else {
		char *msg = xasprintf("\"%s\" must be a list of strings",
		    k->name);

		config_error(l, node, "e.g. [Templates, Archive]", msg);
		free(msg);
		return -1;
	}
	free_strings(*field, *count);
	*field = list;
	*count = n;
	return 0;
}

static int
read_number(struct loader *l, const struct config_key *k, yaml_node_t *node)
{
	const char *s = scalar(node);
	char *end = NULL, *msg;
	void *field = (char *)l->base + k->offset;
	int days;

	if (s != NULL) {
		switch (k->type) {
		case KT_CADENCE:
			if (date_parse_cadence(s, strlen(s), &days) == 0) {
				*(int *)field = days;
				return 0;
			}
			break;
		case KT_DAYS: {
			long v;

			errno = 0;
			v = strtol(s, &end, 10);
			if (errno == 0 && end != s && *end == '\0' && v >= 0 &&
			    v <= 100000) {
				*(int *)field = (int)v;
				return 0;
			}
			break;
		}
		case KT_COUNT:
		case KT_SECONDS: {
			long v;

			errno = 0;
			v = strtol(s, &end, 10);
			if (errno == 0 && end != s && *end == '\0' && v >= 1 &&
			    v <= 100000) {
				*(int *)field = (int)v;
				return 0;
			}
			break;
		}
		case KT_FACTOR: {
			double v;

			errno = 0;
			v = strtod(s, &end);
			if (errno == 0 && end != s && *end == '\0' &&
			    isfinite(v) && v > 0) {
				*(double *)field = v;
				return 0;
			}
			break;
		}
		default:
			BUG("key %s is not a number", k->name);
		}
	}
	msg = xasprintf("\"%s\" must be %s, not \"%s\"", k->name,
	    k->type == KT_CADENCE ? "a number of days above 0" :
	    k->type == KT_DAYS ? "a whole number of days, 0 or more" :
	    k->type == KT_COUNT ? "a whole number, 1 or more" :
	    k->type == KT_SECONDS ? "a whole number of seconds, 1 or more" :
	    "a number above 0", s ? s : "a list or a mapping");
	config_error(l, node, k->type == KT_CADENCE ?
	    "write days (30), Nd (30d) or Nw (4w)" : k->type == KT_DAYS ?
	    "e.g. 7" : k->type == KT_COUNT ? "e.g. 20" :
	    k->type == KT_SECONDS ? "e.g. 30" : "e.g. 2 or 1.5", msg);
	free(msg);
	return -1;
}

static int
read_path(struct loader *l, const struct config_key *k, yaml_node_t *node)
{
	char **field = (char **)((char *)l->base + k->offset);
	const char *s = scalar(node);
	char *path, *msg;

	if (s == NULL || s[0] == '\0') {
		int folder = strcmp(k->name, "vault") == 0;

		msg = xasprintf("\"%s\" must be a %s path", k->name,
		    folder ? "folder" : "file");
		config_error(l, node, folder ? "e.g. ~/Notes" :
		    "e.g. ~/.local/share/followup/followup.ics", msg);
		free(msg);
		return -1;
	}
	path = config_expand_home(s);
	if (path[0] != '/' && strchr(l->file, '/') != NULL) {
		/* Relative to the config file, not to wherever cron runs. */
		const char *slash = strrchr(l->file, '/');
		char *abs = xasprintf("%.*s/%s", (int)(slash - l->file),
		    l->file, path);

		free(path);
		path = abs;
	}
	free(*field);
	*field = path;
	return 0;
}

static int
read_tag_cadences(struct loader *l, yaml_node_t *node)
{
	struct config *cfg = l->cfg;
	struct cadence_rule *rules = NULL;
	size_t n = 0, cap = 0, i;
	yaml_node_pair_t *pair;

	if (node->type != YAML_MAPPING_NODE) {
		config_error(l, node, "e.g. \"tier/1: 14\" on its own line, "
		    "indented under cadence_by_tag:",
		    "\"cadence_by_tag\" must map tags to days");
		return -1;
	}
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = yaml_document_get_node(l->doc, pair->key);
		yaml_node_t *val = yaml_document_get_node(l->doc, pair->value);
		const char *tag = scalar(key), *s = scalar(val);
		int days;

		if (tag == NULL || s == NULL ||
		    date_parse_cadence(s, strlen(s), &days) != 0) {
			char *msg = xasprintf("cadence for tag \"%s\" must be "
			    "a number of days above 0", tag ? tag : "?");

			config_error(l, val ? val : key,
			    "write days (14), Nd (14d) or Nw (2w)", msg);
			free(msg);
			continue;
		}
		GROW(rules, cap, n + 1);
		rules[n].tag = xstrdup(tag[0] == '#' ? tag + 1 : tag);
		rules[n].days = days;
		n++;
	}
	for (i = 0; i < cfg->rules.ncadence_by_tag; i++)
		free(cfg->rules.cadence_by_tag[i].tag);
	free(cfg->rules.cadence_by_tag);
	cfg->rules.cadence_by_tag = rules;
	cfg->rules.ncadence_by_tag = n;
	return 0;
}

static int
read_string(struct loader *l, const struct config_key *k, yaml_node_t *node)
{
	char **field = (char **)((char *)l->base + k->offset);
	const char *s = scalar(node);
	char *msg;

	if (s == NULL || s[0] == '\0') {
		msg = xasprintf("\"%s\" must be a string", k->name);
		config_error(l, node, k->help, msg);
		free(msg);
		return -1;
	}
	if (k->type == KT_SECRET && l->cfg->secret_line == 0)
		l->cfg->secret_line = line_of(node);
	free(*field);
	*field = xstrdup(s);
	return 0;
}

static int
read_component(struct loader *l, const struct config_key *k,
    yaml_node_t *node)
{
	enum ics_component *field = (enum ics_component *)((char *)l->base +
	    k->offset);
	const char *s = scalar(node);
	char *msg;

	if (s != NULL && strcmp(s, "event") == 0) {
		*field = ICS_EVENT;
		return 0;
	}
	if (s != NULL && strcmp(s, "todo") == 0) {
		*field = ICS_TODO;
		return 0;
	}
	msg = xasprintf("\"%s\" must be event or todo, not \"%s\"", k->name,
	    s ? s : "a list or a mapping");
	config_error(l, node, "event makes calendar events (VEVENT); todo "
	    "makes tasks with a due date (VTODO)", msg);
	free(msg);
	return -1;
}

/* "HH:MM" (the first 5 bytes of s) as minutes after midnight, or -1. */
static int
parse_clock(const char *s)
{
	int h;

	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
	    s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	if (h >= 24)
		return -1;
	return h * 60 + (s[3] - '0') * 10 + (s[4] - '0');
}

static int
read_clock(struct loader *l, const struct config_key *k, yaml_node_t *node)
{
	int *field = (int *)((char *)l->base + k->offset);
	const char *s = scalar(node);
	char *msg;

	if (s != NULL && strlen(s) == 5 && parse_clock(s) >= 0) {
		*field = parse_clock(s);
		return 0;
	}
	msg = xasprintf("\"%s\" must be a time of day HH:MM, not \"%s\"",
	    k->name, s ? s : "a list or a mapping");
	config_error(l, node, "e.g. \"09:00\": 00:00 to 23:59", msg);
	free(msg);
	return -1;
}

/*
 * An http(s) URL: scheme, "//", a host. Its userinfo, when there is one,
 * is a secret (a password, or a token as the user): then the config
 * holds one.
 */
static int
read_url(struct loader *l, const struct config_key *k, yaml_node_t *node)
{
	char **field = (char **)((char *)l->base + k->offset);
	const char *s = scalar(node), *auth, *end, *at;
	char *msg;
	size_t i;

	if (s == NULL)
		goto bad;
	if (strncasecmp(s, "https://", 8) == 0)
		auth = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		auth = s + 7;
	else
		goto bad;
	end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (i = 0; auth + i < end; i++)
		if (auth[i] == '@')
			at = auth + i;
	if ((at ? end - at - 1 : end - auth) <= 0)
		goto bad;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			goto bad;
	/* Any userinfo is a secret: a user alone may be a token. */
	if (at != NULL && l->cfg->secret_line == 0)
		l->cfg->secret_line = line_of(node);
	free(*field);
	*field = xstrdup(s);
	return 0;
bad:
	/* The value is not quoted: it may hold a password. */
	msg = xasprintf("\"%s\" must be an http:// or https:// URL with a "
	    "host", k->name);
	config_error(l, node, "e.g. https://dav.example.org/alice/followup/ "
	    "(no spaces; percent-encode them as %20)", msg);
	free(msg);
	return -1;
}

static int
read_bool(struct loader *l, const struct config_key *k, yaml_node_t *node)
{
	static const char *const yes[] = { "true", "yes", "on", "True",
	    "Yes", "On", "TRUE", "YES", "ON" };
	static const char *const no[] = { "false", "no", "off", "False",
	    "No", "Off", "FALSE", "NO", "OFF" };
	int *field = (int *)((char *)l->base + k->offset);
	const char *s = scalar(node);
	char *msg;
	size_t i;

	for (i = 0; s != NULL && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*field = 1;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*field = 0;
			return 0;
		}
	}
	msg = xasprintf("\"%s\" must be true or false, not \"%s\"", k->name,
	    s ? s : "a list or a mapping");
	config_error(l, node, k->help, msg);
	free(msg);
	return -1;
}

/* "22:00-07:00": start and end, local time; the end is not quiet. */
static int
read_quiet_hours(struct loader *l, const struct config_key *k,
    yaml_node_t *node)
{
	int *start = (int *)((char *)l->base + k->offset);
	const char *s = scalar(node);
	char *msg;

	if (s != NULL && strlen(s) == 11 && s[5] == '-' &&
	    parse_clock(s) >= 0 && parse_clock(s + 6) >= 0 &&
	    parse_clock(s) != parse_clock(s + 6)) {
		/* quiet_end follows quiet_start in struct config_notify. */
		start[0] = parse_clock(s);
		start[1] = parse_clock(s + 6);
		return 0;
	}
	msg = xasprintf("\"%s\" must be two different times HH:MM-HH:MM, "
	    "not \"%s\"", k->name, s ? s : "a list or a mapping");
	config_error(l, node, "e.g. \"22:00-07:00\" (quoted): quiet from "
	    "22:00 until 07:00, local time", msg);
	free(msg);
	return -1;
}

static int
read_states(struct loader *l, const struct config_key *k, yaml_node_t *node)
{
	unsigned *field = (unsigned *)((char *)l->base + k->offset);
	unsigned mask = 0;
	yaml_node_item_t *it;
	yaml_node_t *one[1];
	yaml_node_t **items = one;
	size_t n = 0, i;
	char *msg;

	if (node->type == YAML_SCALAR_NODE) {
		one[0] = node;
		n = 1;
	} else if (node->type == YAML_SEQUENCE_NODE) {
		n = (size_t)(node->data.sequence.items.top -
		    node->data.sequence.items.start);
		items = xcalloc(n ? n : 1, sizeof(*items));
		for (i = 0, it = node->data.sequence.items.start;
		    it < node->data.sequence.items.top; it++, i++)
			items[i] = yaml_document_get_node(l->doc, *it);
	}
	for (i = 0; i < n; i++) {
		const char *s = scalar(items[i]);
		int st = s ? contact_state_parse(s, strlen(s)) : -1;

		if (st < 0 || st == STATE_SNOOZED) {
			msg = xasprintf("\"%s\" holds \"%s\", which is not "
			    "a state a reminder is sent for", k->name,
			    s ? s : "a list or a mapping");
			config_error(l, items[i], "use cold, overdue, due, "
			    "never or ok", msg);
			free(msg);
			mask = 0;
			break;
		}
		mask |= 1u << st;
	}
	if (items != one)
		free(items);
	if (n == 0) {
		msg = xasprintf("\"%s\" must list states", k->name);
		config_error(l, node, "e.g. [cold, overdue, due]", msg);
		return -1;
	}
	if (mask == 0)
		return -1;
	*field = mask;
	return 0;
}

static void read_mapping(struct loader *l, const struct config_key *keys,
    const char *section, yaml_node_t *node);
static void check_notifier(struct loader *l, struct config_notifier *nf,
    size_t position, yaml_node_t *node);

static int
read_notifiers(struct loader *l, const struct config_key *k,
    yaml_node_t *node)
{
	struct config *cfg = l->cfg;
	yaml_node_item_t *it;
	size_t cap = cfg->nnotifiers;

	if (node->type != YAML_SEQUENCE_NODE) {
		config_error(l, node, "write one \"- url: ...\" entry per "
		    "notifier", "\"notifiers\" must be a list");
		return -1;
	}
	for (it = node->data.sequence.items.start;
	    it < node->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(l->doc, *it);
		struct config_notifier *nf;
		char section[32];

		if (item->type != YAML_MAPPING_NODE) {
			config_error(l, item, "e.g. \"- url: json://host/"
			    "path\" with name, states, ... under it",
			    "each notifier must be a mapping");
			continue;
		}
		GROW(cfg->notifiers, cap, cfg->nnotifiers + 1);
		nf = &cfg->notifiers[cfg->nnotifiers++];
		memset(nf, 0, sizeof(*nf));
		nf->line = line_of(item);
		nf->url.file_key = "url_file";
		nf->url.credential_key = "credential";
		snprintf(section, sizeof(section), "notifiers[%zu]",
		    cfg->nnotifiers);
		l->base = nf;
		read_mapping(l, k->keys, section, item);
		l->base = cfg;
		check_notifier(l, nf, cfg->nnotifiers, item);
	}
	return 0;
}

/* One URL source; a credential is a name; names are unique. */
static void
check_notifier(struct loader *l, struct config_notifier *nf,
    size_t position, yaml_node_t *node)
{
	const struct config_secret *u = &nf->url;
	int sources = (u->value != NULL) + (u->file != NULL) +
	    (u->env != NULL) + (u->credential != NULL);
	char *msg;
	size_t i;

	if (sources != 1) {
		msg = xasprintf("notifier %zu%s%s%s gives %s", position,
		    nf->name ? " (" : "", nf->name ? nf->name : "",
		    nf->name ? ")" : "", sources ? "its URL more than once" :
		    "no URL");
		config_error(l, node, "give exactly one of: url, url_file, "
		    "url_env, credential", msg);
		free(msg);
	}
	if (u->credential != NULL && (strchr(u->credential, '/') ||
	    strcmp(u->credential, ".") == 0 ||
	    strcmp(u->credential, "..") == 0))
		config_error(l, node, "name a file in $CREDENTIALS_DIRECTORY, "
		    "e.g. followup-chat", "a notifier's \"credential\" must "
		    "be a name, not a path");
	for (i = 0; nf->name != NULL && i + 1 < position; i++) {
		const char *other = l->cfg->notifiers[i].name;

		if (other != NULL && strcmp(other, nf->name) == 0) {
			msg = xasprintf("two notifiers are named \"%s\"",
			    nf->name);
			config_error(l, node, "give each notifier its own name: "
			    "the ledger tells them apart by it", msg);
			free(msg);
		}
	}
}

/* Userinfo of an http(s) URL: whether it names a user and a password. */
static void
url_userinfo(const char *url, int *user, int *password)
{
	const char *auth = strstr(url, "//"), *end, *at = NULL, *p;

	*user = *password = 0;
	if (auth == NULL)
		return;
	auth += 2;
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return;
	p = memchr(auth, ':', (size_t)(at - auth));
	*user = (p ? p : at) > auth;
	*password = p != NULL;
}

/* Across the keys of `ics`: one user, one password. */
static void
check_ics(struct loader *l, yaml_node_t *node)
{
	const struct config_ics *ics = &l->cfg->ics;
	const struct config_secret *pw = &ics->publish_password;
	int url_user = 0, url_password = 0, sources;

	if (ics->publish != NULL)
		url_userinfo(ics->publish, &url_user, &url_password);
	sources = url_password + (pw->value != NULL) + (pw->file != NULL) +
	    (pw->env != NULL) + (pw->credential != NULL);
	if (sources > 1)
		config_error(l, node, "keep one of: the password in the "
		    "publish URL, publish_password, publish_password_file, "
		    "publish_password_env, publish_credential",
		    "\"ics\" gives the publish password more than once");
	if (url_user && ics->publish_user != NULL)
		config_error(l, node, "keep one: the user in the publish URL "
		    "or publish_user",
		    "\"ics\" gives the publish user twice");
	if (pw->credential != NULL && (strchr(pw->credential, '/') ||
	    strcmp(pw->credential, ".") == 0 ||
	    strcmp(pw->credential, "..") == 0))
		config_error(l, node, "name a file in $CREDENTIALS_DIRECTORY, "
		    "e.g. followup-publish", "\"ics.publish_credential\" "
		    "must be a name, not a path");
}

static const struct config_key *
find_key(const struct config_key *keys, const char *name)
{
	for (; keys->name != NULL; keys++)
		if (strcmp(keys->name, name) == 0)
			return keys;
	return NULL;
}

static void
unknown_key(struct loader *l, const struct config_key *keys,
    const char *section, yaml_node_t *key)
{
	const char *name = scalar(key);
	const struct config_key *best = NULL, *k;
	int best_d = 1000;
	struct strbuf hint = STRBUF_INIT;
	char *msg;

	for (k = keys; k->name != NULL; k++) {
		int d = edit_distance(name ? name : "", k->name);

		if (d < best_d) {
			best_d = d;
			best = k;
		}
	}
	if (best != NULL && best_d <= 3)
		strbuf_addf(&hint, "did you mean \"%s\" (%s)? ", best->name,
		    best->help);
	strbuf_adds(&hint, "known keys");
	if (section)
		strbuf_addf(&hint, " under \"%s\"", section);
	strbuf_adds(&hint, ":");
	for (k = keys; k->name != NULL; k++)
		strbuf_addf(&hint, " %s", k->name);
	msg = xasprintf("unknown key \"%s%s%s\"", section ? section : "",
	    section ? "." : "", name ? name : "?");
	config_error(l, key, strbuf_str(&hint), msg);
	free(msg);
	strbuf_release(&hint);
}

static void read_mapping(struct loader *l, const struct config_key *keys,
    const char *section, yaml_node_t *node);

static void
read_value(struct loader *l, const struct config_key *k, yaml_node_t *val)
{
	char *msg;

	switch (k->type) {
	case KT_PATH:
		read_path(l, k, val);
		break;
	case KT_STRING_LIST:
		read_string_list(l, k, val);
		break;
	case KT_CADENCE:
	case KT_FACTOR:
	case KT_DAYS:
	case KT_COUNT:
	case KT_SECONDS:
		read_number(l, k, val);
		break;
	case KT_BOOL:
		read_bool(l, k, val);
		break;
	case KT_QUIET_HOURS:
		read_quiet_hours(l, k, val);
		break;
	case KT_STATES:
		read_states(l, k, val);
		break;
	case KT_NOTIFIERS:
		read_notifiers(l, k, val);
		break;
	case KT_TAG_CADENCES:
		read_tag_cadences(l, val);
		break;
	case KT_SECTION:
		if (val->type != YAML_MAPPING_NODE) {
			msg = xasprintf("\"%s\" must be a mapping", k->name);
			config_error(l, val, "indent its keys under it", msg);
			free(msg);
			break;
		}
		read_mapping(l, k->keys, k->name, val);
		break;
	case KT_STRING:
	case KT_SECRET:
		read_string(l, k, val);
		break;
	case KT_COMPONENT:
		read_component(l, k, val);
		break;
	case KT_CLOCK:
		read_clock(l, k, val);
		break;
	case KT_URL:
		read_url(l, k, val);
		break;
	}
	if (k->type == KT_SECTION && k->check != NULL &&
	    val->type == YAML_MAPPING_NODE)
		k->check(l, val);
}

static void
read_mapping(struct loader *l, const struct config_key *keys,
    const char *section, yaml_node_t *node)
{
	yaml_node_pair_t *pair, *prev;

	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = yaml_document_get_node(l->doc, pair->key);
		yaml_node_t *val = yaml_document_get_node(l->doc, pair->value);
		const char *name = scalar(key);
		const struct config_key *k;
		int again = 0;

		if (name == NULL || (k = find_key(keys, name)) == NULL) {
			unknown_key(l, keys, section, key);
			continue;
		}
		for (prev = node->data.mapping.pairs.start; prev < pair; prev++) {
			const char *pn = scalar(yaml_document_get_node(l->doc,
			    prev->key));

			if (pn != NULL && strcmp(pn, name) == 0)
				again = 1;
		}
		if (again) {
			char *msg = xasprintf("key \"%s\" given twice", name);

			config_error(l, key, "keep one of them", msg);
			free(msg);
			continue;
		}
		/* An empty value ("key:") keeps the default. */
		if (val->type == YAML_SCALAR_NODE &&
		    val->data.scalar.length == 0 &&
		    val->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			continue;
		read_value(l, k, val);
	}
}

static int
read_root(struct loader *l, yaml_node_t *root)
{
	if (root == NULL || (root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0))
		return 0;
	if (root->type != YAML_MAPPING_NODE) {
		config_error(l, root, "write one \"key: value\" a line",
		    "config is not a mapping of keys to values");
		return -1;
	}
	read_mapping(l, top_keys, NULL, root);
	return l->errors ? -1 : 0;
}

static int
parse_document(struct loader *l, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc;

	if (!yaml_parser_initialize(&parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if (!yaml_parser_load(&parser, &doc)) {
		char *msg = xasprintf("config is not valid YAML: %s%s%s",
		    parser.problem ? parser.problem : "syntax error",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");

		diag_error(l->dl, DIAG_CONFIG, l->file,
		    (int)parser.problem_mark.line + 1,
		    "fix the YAML; quote values that hold \": \" or \"#\"",
		    "%s", msg);
		free(msg);
		yaml_parser_delete(&parser);
		return -1;
	}
	yaml_parser_delete(&parser);
	/* Every value read is copied: the document goes with the parse. */
	l->doc = &doc;
	rc = read_root(l, yaml_document_get_root_node(&doc));
	l->doc = NULL;
	yaml_document_delete(&doc);
	return rc;
}

int
config_parse(struct config *cfg, const char *name, const char *text,
    size_t len, struct diag_list *dl)
{
	struct loader l = { .cfg = cfg, .base = cfg, .dl = dl };

	free(cfg->file);
	cfg->file = xstrdup(name);
	l.file = cfg->file;
	return parse_document(&l, text, len);
}

int
config_load(struct config *cfg, const char *path, int must_exist,
    struct diag_list *dl)
{
	const char *why;
	char *text;
	size_t len;
	struct stat st;
	int rc = file_read_regular(path, CONFIG_MAX_FILE, &text, &len, &st,
	    &why);

	if (rc > 0 && !must_exist)
		return 0;
	if (rc != 0) {
		diag_error(dl, DIAG_CONFIG, path, 0,
		    "pass an existing file with --config, or none for the "
		    "defaults", "cannot read config: %s", rc > 0 ?
		    strerror(ENOENT) : errno == EFBIG ? "it is over 1 MiB" :
		    why);
		return -1;
	}
	rc = config_parse(cfg, path, text, len, dl);
	free(text);
	if (cfg->secret_line != 0 && (st.st_mode & 077) != 0) {
		char *hint = xasprintf("chmod 600 %s, or keep the secret out "
		    "of it: publish_password_file, publish_password_env or "
		    "publish_credential; a notifier's url_file, url_env or "
		    "credential", path);

		diag_error(dl, DIAG_CONFIG, path, cfg->secret_line, hint,
		    "config holds a secret and group or others can read "
		    "it (mode %03o): refused", (unsigned)(st.st_mode & 0777));
		free(hint);
		rc = -1;
	}
	return rc;
}

static void
config_secret_release(struct config_secret *s)
{
	if (s->value != NULL)
		memset(s->value, 0, strlen(s->value));
	free(s->value);
	free(s->file);
	free(s->env);
	free(s->credential);
}

/*
 * Refuse a secret's file that others could read or replace, as ssh
 * refuses such a key: its mode must give group and others nothing, and
 * it must be ours (or root's).
 */
static int
secret_file_guarded(const char *path, const struct stat *st,
    const char *what, struct diag_list *dl)
{
	char *hint;

	if ((st->st_mode & 077) == 0 && (st->st_uid == geteuid() ||
	    st->st_uid == 0))
		return 0;
	if ((st->st_mode & 077) != 0) {
		hint = xasprintf("chmod 600 %s", path);
		diag_error(dl, DIAG_CONFIG, path, 0, hint, "%s: group or "
		    "others can %s this file (mode %03o): refused", what,
		    (st->st_mode & 022) != 0 ? "write" : "read",
		    (unsigned)(st->st_mode & 0777));
	} else {
		hint = xasprintf("chown it to the user followup runs as, or "
		    "write the secret in a file of your own");
		diag_error(dl, DIAG_CONFIG, path, 0, hint, "%s: this file "
		    "belongs to another user (uid %ld): refused", what,
		    (long)st->st_uid);
	}
	free(hint);
	return -1;
}

/*
 * The first line of file path, at most SECRET_MAX bytes; NULL with a
 * diag. guarded: check who may read it (not for a systemd credential,
 * whose folder systemd guards).
 */
static char *
secret_from_file(const char *path, const char *what, const char *key,
    int guarded, struct diag_list *dl)
{
	const char *why;
	char *text, *out;
	size_t len;
	struct stat st;
	int rc = file_read_regular(path, SECRET_MAX, &text, &len, &st, &why);

	if (rc != 0) {
		char *hint = xasprintf("check %s, or the file's permissions",
		    key);

		diag_error(dl, DIAG_CONFIG, path, 0, hint, "cannot read %s "
		    "from this file: %s", what, rc > 0 ? strerror(ENOENT) :
		    why);
		free(hint);
		return NULL;
	}
	text[strcspn(text, "\r\n")] = '\0';
	if (guarded && secret_file_guarded(path, &st, what, dl) != 0)
		out = NULL;
	else if (text[0] == '\0') {
		diag_error(dl, DIAG_CONFIG, path, 0, "write it on the file's "
		    "first line", "%s: this file's first line is empty", what);
		out = NULL;
	} else
		out = xstrdup(text);
	memset(text, 0, len);
	free(text);
	return out;
}

int
config_secret_read(const struct config_secret *s, const char *what,
    char **out, struct diag_list *dl)
{
	const char *v;
	char *path;

	*out = NULL;
	if (s->value != NULL) {
		*out = xstrdup(s->value);
	} else if (s->file != NULL) {
		*out = secret_from_file(s->file, what, s->file_key, 1, dl);
	} else if (s->env != NULL) {
		if ((v = getenv(s->env)) == NULL || v[0] == '\0') {
			diag_error(dl, DIAG_CONFIG, NULL, 0, "set it in the "
			    "environment followup runs in (for systemd: "
			    "Environment= or a credential)", "%s: the "
			    "environment variable %s is not set", what, s->env);
			return -1;
		}
		*out = xstrdup(v);
	} else if (s->credential != NULL) {
		if ((v = getenv("CREDENTIALS_DIRECTORY")) == NULL ||
		    v[0] == '\0') {
			char *hint = xasprintf("run followup from a systemd "
			    "unit with LoadCredential= (see systemd.exec(5)), "
			    "or use %s", s->file_key);

			diag_error(dl, DIAG_CONFIG, NULL, 0, hint,
			    "%s: $CREDENTIALS_DIRECTORY is not set", what);
			free(hint);
			return -1;
		}
		path = xasprintf("%s/%s", v, s->credential);
		*out = secret_from_file(path, what, s->credential_key, 0,
		    dl);
		free(path);
	} else
		return 0;
	return *out != NULL ? 0 : -1;
}

void
config_release(struct config *cfg)
{
	size_t i;

	free(cfg->file);
	free(cfg->vault);
	free_strings(cfg->rules.exclude, cfg->rules.nexclude);
	for (i = 0; i < cfg->rules.ncadence_by_tag; i++)
		free(cfg->rules.cadence_by_tag[i].tag);
	free(cfg->rules.cadence_by_tag);
	free_strings(cfg->rules.contact_types, cfg->rules.ncontact_types);
	free_strings(cfg->rules.contact_tags, cfg->rules.ncontact_tags);
	free(cfg->ics.path);
	free(cfg->ics.publish);
	free(cfg->ics.publish_user);
	free(cfg->ics.publish_ca_file);
	config_secret_release(&cfg->ics.publish_password);
	for (i = 0; i < cfg->nnotifiers; i++) {
		free(cfg->notifiers[i].name);
		free(cfg->notifiers[i].ca_file);
		config_secret_release(&cfg->notifiers[i].url);
	}
	free(cfg->notifiers);
	memset(cfg, 0, sizeof(*cfg));
}
