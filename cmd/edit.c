/*
 * edit.c - what `contacted` and `snooze` share (see edit.h): the only
 * commands that write a note (docs/design.md, "Writes").
 *
 * NAME is a contact's name, one of its aliases, its file name, or its
 * path relative to the vault (".md" optional); exact matches first, then
 * ASCII case-insensitive ones; any other note by its path only, and only
 * when no contact is named (find_notes). A contact here is a note the
 * config makes one, also when a bad date leaves it out of the contacts.
 * fm_set_value() makes the new bytes and file_replace_if_unchanged()
 * writes them, so a note that changed on disk meanwhile is left alone
 * (exit 75).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "edit.h"

/* How long an edit waits for another one (they take milliseconds). */
#define EDIT_LOCK_WAIT_SECONDS 30

/* The value of the command's one option that gives the day. */
enum { EDIT_OPT_DATE = OPT_FIRST_COMMAND_OPTION };

struct edit_options {
	const char *key;	/* "last_contact" or "snooze_until" */
	const char *option;	/* "--date" or "--until" */
	const char *date_arg;
	const char *name;	/* NAME as typed */
};
#include "../core/date.h"
#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/fmedit.h"
#include "../core/paths.h"
#include "../core/report.h"
#include "../core/store.h"
#include "../core/util.h"
#include "../core/vault.h"

/* A usage error with a hint of its own (usage_error's is generic). */
static int
usage_hint(const struct common *c, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
usage_hint(const struct common *c, const char *hint, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "followup %s: ", c->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  hint: %s\n", hint);
	return EXIT_USAGE;
}

/*
 * common_parse() takes no operand; this takes one, NAME, wherever it
 * stands among the options. Returns -1 to go on, else the exit status.
 */
static int
parse(struct common *c, int argc, char **argv, const struct option *options,
    struct edit_options *o)
{
	int opt, handled;

	opterr = 1;
	optind = 1;
	for (;;) {
		while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS,
		    options, NULL)) != -1) {
			if ((handled = common_option(c, opt, optarg)) < 0)
				return -1 - handled;
			if (handled)
				continue;
			if (opt != EDIT_OPT_DATE)
				return usage_error(c, "unknown option");
			o->date_arg = optarg;
		}
		if (optind >= argc)
			break;
		/* After "--" every word is NAME's, even one like an option. */
		if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
			while (optind < argc) {
				if (o->name != NULL)
					return usage_error(c, "unexpected "
					    "argument \"%s\" (quote a name "
					    "with spaces)", argv[optind]);
				o->name = argv[optind++];
			}
			break;
		}
		if (o->name != NULL)
			return usage_error(c, "unexpected argument \"%s\" "
			    "(quote a name with spaces)", argv[optind]);
		o->name = argv[optind++];
	}
	if (o->name == NULL || o->name[0] == '\0')
		return usage_error(c, "name the contact: followup %s NAME",
		    c->cmd->name);
	return -1;
}

/* The day the command writes, checked against today. */
static int
choose_date(const struct common *c, const struct edit_options *o, int *day)
{
	char a[DATE_BUFSZ], b[DATE_BUFSZ];
	int snooze = strcmp(o->key, "snooze_until") == 0;

	if (o->date_arg == NULL) {
		if (snooze)
			return usage_hint(c, "say until when, e.g. --until "
			    "2026-02-01", "--until DATE is required");
		*day = c->today;
		return 0;
	}
	if (date_parse_exact(o->date_arg, strlen(o->date_arg), day) !=
	    DATE_OK)
		return usage_hint(c, "write a real calendar date as "
		    "YYYY-MM-DD", "%s \"%s\" is not a real date written "
		    "YYYY-MM-DD", o->option, o->date_arg);
	if (!snooze && *day > c->today)
		return usage_hint(c, "a contact is recorded once it happened; "
		    "to put a contact off, use followup snooze NAME --until D",
		    "--date %s is after today (%s)", date_format(*day, a),
		    date_format(c->today, b));
	if (snooze && *day <= c->today)
		return usage_hint(c, "a snooze lasts until a later day; to "
		    "record a contact, use followup contacted NAME",
		    "--until %s is not after today (%s)", date_format(*day, a),
		    date_format(c->today, b));
	return 0;
}

/* Does s[0..n) say what the user typed (want, wantlen)? */
static int
same(const char *s, size_t n, const char *want, size_t wantlen, int fold)
{
	if (fold)
		return ascii_casecmp_n(s, n, want, wantlen) == 0;
	return n == wantlen && memcmp(s, want, n) == 0;
}

/* A note by its path, with or without ".md". */
static int
path_named(const struct note *note, const char *want, size_t wl, int fold)
{
	return same(note->path, strlen(note->path), want, wl, fold) ||
	    same(note->path, (size_t)(note_filename(note) - note->path) +
	    note_stem_len(note), want, wl, fold);
}

/* A person's note by its path, its name, its file name or an alias. */
static int
named(const struct note *note, const char *want, int fold)
{
	const struct note_person *p = note_person(note);
	size_t wl = strlen(want), n, i;
	const char *name = contact_note_name(note, &n);

	if (path_named(note, want, wl, fold) || same(name, n, want, wl, fold) ||
	    same(note_filename(note), note_stem_len(note), want, wl, fold))
		return 1;
	for (i = 0; i < p->naliases; i++)
		if (same(p->aliases[i], strlen(p->aliases[i]), want, wl, fold))
			return 1;
	return 0;
}

struct matches {
	size_t *notes;
	size_t n, cap;
};

/*
 * The notes NAME names, from the first of these that finds any: a
 * contact's path, name, file name or alias as typed, then the same
 * ASCII case-insensitively, then any note's path as typed, then
 * case-insensitively. A contact that a bad date leaves out of the
 * contacts counts as one: fixing that date is what the command is for.
 * A note that is no contact is named by its path only, and never by a
 * contact's name.
 */
static void
find_notes(const struct scan_result *r, const struct engine_rules *rules,
    const char *want, struct matches *m)
{
	size_t i, wl = strlen(want);
	int tier;

	for (tier = 0; tier < 4 && m->n == 0; tier++)
		for (i = 0; i < r->vault.nnotes; i++) {
			const struct note *note = &r->vault.notes[i];
			int fold = tier & 1;

			if (tier < 2 ? contact_note_is_person(note, rules) &&
			    named(note, want, fold) :
			    path_named(note, want, wl, fold)) {
				GROW(m->notes, m->cap, m->n + 1);
				m->notes[m->n++] = i;
			}
		}
}

/* Keep a copy of s[0..n) in *best when it is the nearest name yet. */
static void
nearer(const char *want, const char *s, size_t n, char **best, int *dist)
{
	char *copy = xstrndup(s, n);
	int d = edit_distance(want, copy);

	if (d < *dist) {
		*dist = d;
		free(*best);
		*best = copy;
	} else
		free(copy);
}

static void
not_found(const struct scan_result *r, const struct engine_rules *rules,
    const char *want, struct diag_list *dl)
{
	char *best = NULL, *hint;
	int dist = 64;
	size_t i, k, n;

	for (i = 0; i < r->vault.nnotes; i++) {
		const struct note *note = &r->vault.notes[i];
		const struct note_person *p = note_person(note);
		const char *name;

		if (!contact_note_is_person(note, rules))
			continue;
		name = contact_note_name(note, &n);
		nearer(want, name, n, &best, &dist);
		nearer(want, note_filename(note), note_stem_len(note), &best,
		    &dist);
		nearer(want, note->path, strlen(note->path), &best, &dist);
		for (k = 0; k < p->naliases; k++)
			nearer(want, p->aliases[k], strlen(p->aliases[k]),
			    &best, &dist);
	}
	/* A hint only for a near miss, not for any name at all. */
	if (best != NULL && (size_t)dist * 3 <= strlen(want) + 3)
		hint = xasprintf("did you mean \"%s\"? followup status lists "
		    "the contacts", best);
	else
		hint = xstrdup("followup status lists the contacts; a note "
		    "that is not one can be named by its path in the vault");
	diag_error(dl, DIAG_USAGE, NULL, 0, hint, "no contact or note is "
	    "named \"%s\"; nothing was changed", want);
	free(hint);
	free(best);
}

static void
ambiguous(const struct scan_result *r, const char *want,
    const struct matches *m, struct diag_list *dl)
{
	struct strbuf sb = STRBUF_INIT;
	const char *name;
	size_t i, n;

	for (i = 0; i < m->n; i++) {
		const struct note *note = &r->vault.notes[m->notes[i]];

		name = contact_note_name(note, &n);
		strbuf_addf(&sb, "%s\"%.*s\" (%s)", i ? ", " : "", (int)n,
		    name, note->path);
	}
	diag_error(dl, DIAG_USAGE, NULL, 0, "name one by its path, as in "
	    "followup contacted People/Name.md",
	    "\"%s\" names %zu notes: %s; nothing was changed", want, m->n,
	    strbuf_str(&sb));
	strbuf_release(&sb);
}

/*
 * Resolve NAME to one note. Returns its index, or -1 with a diag (none
 * or several).
 */
static long
resolve(const struct scan_result *r, const struct engine_rules *rules,
    const char *name, struct diag_list *dl)
{
	struct matches m = { NULL, 0, 0 };
	long found = -1;

	if (strncmp(name, "./", 2) == 0)
		name += 2;
	find_notes(r, rules, name, &m);
	if (m.n == 0)
		not_found(r, rules, name, dl);
	else if (m.n > 1)
		ambiguous(r, name, &m, dl);
	else
		found = (long)m.notes[0];
	free(m.notes);
	return found;
}

/*
 * Tests only: FOLLOWUP_TEST_EDIT_PAUSE_MS makes the command wait between
 * reading the note and replacing it, so that a test can change the note
 * in between and see the change detected. The line on stderr tells the
 * test when to make its change.
 */
static void
test_pause(void)
{
	const char *ms = getenv("FOLLOWUP_TEST_EDIT_PAUSE_MS");
	long v = ms ? strtol(ms, NULL, 10) : 0;
	struct timespec ts;

	if (v <= 0 || v > 60000)
		return;
	fprintf(stderr, "followup: pausing %ld ms "
	    "(FOLLOWUP_TEST_EDIT_PAUSE_MS)\n", v);
	fflush(stderr);
	ts.tv_sec = v / 1000;
	ts.tv_nsec = (v % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

static void
say_done(const struct common *c, const char *path, const char *key,
    const struct fm_edit *e, const char *date, const char *name)
{
	if (c->quiet)
		return;
	if (e == NULL)
		report_printf_shown(stdout, "%s: %s is %s already", path, key,
		    date);
	else
		report_printf_shown(stdout, "%s: %s %s -> %s", path, key,
		    e->old ? e->old : "(none)", date);
	if (name != NULL)
		report_printf_shown(stdout, " (%s)", name);
	putchar('\n');
}

/* A last_contact moved back (a typo mended, or a new one): said. */
static void
moved_back(const char *relpath, const char *key, const struct fm_edit *e,
    const char *date, struct diag_list *dl)
{
	char *hint;
	int was, now;

	if (strcmp(key, "last_contact") != 0 || e->old == NULL ||
	    date_parse_datetime(e->old, strlen(e->old), &was) != DATE_OK ||
	    date_parse_exact(date, strlen(date), &now) != DATE_OK ||
	    now >= was)
		return;
	hint = xasprintf("if that was not meant, run followup contacted "
	    "again with --date %s", e->old);
	diag_warn(dl, DIAG_NOTE, relpath, e->line, hint, "last_contact moved "
	    "back, from %s to %s", e->old, date);
	free(hint);
}

/*
 * The lock that keeps two edits apart (contacted and snooze on the same
 * note at once): the second waits, then reads the first one's note, so
 * that neither change is lost. Beside the ledger, never in the vault.
 * -1 when there is no state folder: the edit goes on, guarded by the
 * compare before the rename only.
 */
static int
lock_edits(struct diag_list *dl)
{
	char *dir = paths_state_dir(), *path;
	long holder = 0;
	int fd;

	if (dir == NULL)
		return -1;
	path = xasprintf("%s/edit.lock", dir);
	fd = file_lock(path, EDIT_LOCK_WAIT_SECONDS, &holder, dl);
	if (fd == FILE_LOCK_HELD)
		diag_error(dl, DIAG_TEMPFAIL, path, 0, "run the command again",
		    "another followup (pid %ld) has been editing a note for "
		    "%d seconds", holder, EDIT_LOCK_WAIT_SECONDS);
	free(path);
	free(dir);
	return fd;
}

/*
 * Is the file at full (a link followed) inside the vault? A note that is
 * a link to a file elsewhere is the user's to read, not followup's to
 * write: an edit writes inside the vault only.
 */
static int
inside_vault(const struct common *c, const char *relpath, const char *full,
    struct diag_list *dl)
{
	char *root = realpath(c->vault, NULL), *real = realpath(full, NULL);
	int inside = root != NULL && real != NULL && path_is_inside(real,
	    root);

	if (!inside && real != NULL)
		diag_error(dl, DIAG_CANT_WRITE, relpath, 0, "edit the file it "
		    "links to yourself, or make the note a file of the vault",
		    "is a link to a file outside the vault (%s): followup "
		    "writes inside the vault only; nothing was changed", real);
	free(root);
	free(real);
	return inside || real == NULL;	/* gone: the read says so */
}

/* Set the key in the note at relpath (vault-relative). */
static int
edit_note(const struct common *c, const char *relpath, const char *key,
    const char *date, const char *name, struct diag_list *dl)
{
	char *full = xasprintf("%s/%s", c->vault, relpath);
	char *buf = NULL, *out = NULL;
	size_t len = 0, outlen = 0;
	struct fm_edit e = { 0 };
	struct stat was;
	size_t ndiags = dl->n;
	int rc = EXIT_CANTCREAT, lock;

	/* A read-only note is refused before anything is made. */
	if (!inside_vault(c, relpath, full, dl) ||
	    file_check_writable(full, dl) != 0)
		goto out;
	if ((lock = lock_edits(dl)) == FILE_LOCK_HELD ||
	    lock == FILE_LOCK_FAILED) {
		rc = lock == FILE_LOCK_HELD ? EXIT_TEMPFAIL : EXIT_CANTCREAT;
		goto out;
	}
	/* Under the lock no other edit is at work: what is left is a dead
	 * one's, whatever its age. */
	if (lock >= 0)
		file_remove_temporaries(full, dl);
	if (stat(full, &was) != 0 ||
	    file_read_all(full, VAULT_MAX_FILE, &buf, &len, dl) != 0) {
		if (dl->n == ndiags)
			diag_error(dl, DIAG_CANT_WRITE, relpath, 0, "run "
			    "again", "the note went away while followup "
			    "worked; nothing was changed");
		goto unlock;
	}
	if (fm_set_value(relpath, buf, len, key, date, &out, &outlen, &e,
	    dl) != 0) {
		rc = EXIT_DATAERR;
		goto unlock;
	}
	if (outlen == len && memcmp(out, buf, len) == 0) {
		say_done(c, relpath, key, NULL, date, name);
		rc = EXIT_OK;
		goto unlock;
	}
	test_pause();
	switch (file_replace_if_unchanged(full, buf, len, &was, out, outlen,
	    dl)) {
	case 0:
		say_done(c, relpath, key, &e, date, name);
		moved_back(relpath, key, &e, date, dl);
		rc = EXIT_OK;
		break;
	case FILE_CHANGED:
		diag_error(dl, DIAG_TEMPFAIL, relpath, 0, "run the command "
		    "again: it reads the note as it is now",
		    "changed on disk while followup worked; nothing was "
		    "written");
		rc = EXIT_TEMPFAIL;
		break;
	default:
		rc = EXIT_CANTCREAT;
	}
unlock:
	file_unlock(lock);
out:
	fm_edit_release(&e);
	free(out);
	free(buf);
	free(full);
	return rc;
}

int
edit_run(const struct command *cmd, int argc, char **argv, const char *key,
    const char *option)
{
	const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ option + 2, required_argument, NULL, EDIT_OPT_DATE },
		{ NULL, 0, NULL, 0 },
	};
	struct edit_options edit = { key, option, NULL, NULL };
	struct edit_options *o = &edit;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	struct common c;
	char date[DATE_BUFSZ];
	int rc, day;
	long note;

	common_init(&c, cmd);
	if ((rc = parse(&c, argc, argv, options, o)) >= 0)
		goto out;
	if ((rc = common_setup(&c, &dl)) != 0)
		goto out;
	if ((rc = choose_date(&c, o, &day)) != 0)
		goto out;
	if (common_scan(&c, &r) != 0) {
		/* The vault cannot be read: that is all there is to say. */
		diag_list_move(&dl, &r.diags);
		rc = diag_exit_status(&dl);
		scan_result_release(&r);
		goto out;
	}
	/* Other notes' problems are for status and check, not for this. */
	if ((note = resolve(&r, &c.cfg.rules, o->name, &dl)) < 0) {
		rc = EXIT_USAGE;
	} else {
		const struct note *n = &r.vault.notes[note];
		size_t len;
		const char *name = contact_note_name(n, &len);
		char *shown = contact_note_is_person(n, &c.cfg.rules) ?
		    xstrndup(name, len) : NULL;

		rc = edit_note(&c, n->path, o->key, date_format(day, date),
		    shown, &dl);
		free(shown);
	}
	scan_result_release(&r);
out:
	common_print_diags(&c, &dl);
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}
