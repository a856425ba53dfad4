/*
 * run.c - `followup run`: what the timer calls (docs/design.md, "Commands").
 *
 * Under a lock, so that two runs never overlap: scan the vault once, then
 * write the feed, publish it and send the reminders, in that order. A
 * step that fails does not stop the ones after it, except that a feed
 * that could not be built is not published, and nothing follows a vault
 * that could not be read (an empty feed would wipe every subscriber's
 * events). Each step logs one line with its counts, as text or as JSON
 * lines, on stderr, which systemd hands to the journal; there each line
 * carries its priority. The exit status is the worst any step met.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "module.h"
#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/paths.h"
#include "../core/report.h"
#include "../core/util.h"
#include "../feed/feed.h"
#include "../notifiers/dispatch.h"

enum { OPT_WAIT = OPT_FIRST_COMMAND_OPTION, OPT_LOG_FORMAT, OPT_ALLOW_EMPTY };

#define MAX_WAIT_SECONDS 86400

struct run_options {
	long wait_seconds;
	int json;
};

struct logger {
	const struct common *c;
	int json;
	int journal;		/* stderr is the journal */
};

/* What the steps after the scan use: the module's tables. */
struct steps {
	const struct logger *lg;
	struct common *c;
	const struct step_env *env;
	const struct feed_api *feed;
	const struct dispatch_api *dispatch;
};

/* ------------------------------------------------------------ logging */

/*
 * Whether stderr is connected to the journal: systemd says so in
 * JOURNAL_STREAM ("device:inode" of the stream it gave the service).
 */
static int
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) != 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

static void
json_time(json_t *o)
{
	struct timespec ts;
	struct tm tm;
	char buf[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	json_object_set_new(o, "time", json_sprintf("%s.%03ldZ", buf,
	    ts.tv_nsec / 1000000));
}

/* The syslog priority the journal reads at the start of a line. */
static const char *
journal_priority(const char *level)
{
	if (strcmp(level, "error") == 0)
		return "<3>";
	if (strcmp(level, "warning") == 0)
		return "<4>";
	return "<6>";
}

static void
emit_json(const struct logger *lg, const char *level, json_t *o)
{
	char *line;

	json_time(o);
	json_object_set_new(o, "level", json_string(level));
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6) | JSON_ENSURE_ASCII);
	if (line != NULL) {
		fprintf(stderr, "%s%s\n", lg->journal ? journal_priority(level) :
		    "", line);
		free(line);
	}
}

/*
 * One line for step: text (printf format) or, in JSON, the fields of o
 * with step, status and level added. Consumes o. Quiet keeps errors.
 */
static void
log_step(const struct logger *lg, const char *step, int status, json_t *o,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
log_step(const struct logger *lg, const char *step, int status, json_t *o,
    const char *fmt, ...)
{
	const char *level = status != 0 ? "error" : "info";
	va_list ap;
	char *text;

	if (lg->c->quiet && status == 0) {
		json_decref(o);
		return;
	}
	if (lg->json) {
		json_t *line = json_object();

		json_object_set_new(line, "step", json_string(step));
		json_object_set_new(line, "status", json_integer(status));
		json_object_update(line, o);
		json_decref(o);
		emit_json(lg, level, line);
		json_decref(line);
		return;
	}
	json_decref(o);
	fprintf(stderr, "%sfollowup run: %s: ", lg->journal ? (status ?
	    "<3>" : "<6>") : "", step);
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	report_fputs_shown(text, stderr);	/* it may quote a path */
	free(text);
	fputc('\n', stderr);
}

/* The problems a step met, after its line: as text, or as JSON lines. */
static void
log_diags(const struct logger *lg, const char *step,
    const struct diag_list *dl)
{
	size_t i;

	if (!lg->json) {
		report_diags(stderr, dl, lg->c->quiet, (lg->c->color_err ?
		    REPORT_COLOR : 0) | (lg->journal ? REPORT_JOURNAL : 0));
		return;
	}
	for (i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];
		json_t *o;

		if (d->level == DIAG_WARNING && lg->c->quiet)
			continue;
		o = json_pack("{s:s}", "step", step);
		json_object_update_new(o, report_diag_json(d));
		emit_json(lg, d->level == DIAG_ERROR ? "error" : "warning", o);
		json_decref(o);
	}
}

/*
 * End a step: print its problems, move them to all, and return the
 * step's status.
 */
static int
end_step(const struct logger *lg, const char *step, struct diag_list *dl,
    struct diag_list *all)
{
	int status = diag_exit_status(dl);

	fflush(stdout);
	log_diags(lg, step, dl);
	diag_list_move(all, dl);
	return status;
}

/* ------------------------------------------------------------ the steps */

static int
scan_step(const struct logger *lg, struct common *c, struct scan_result *r,
    struct diag_list *all)
{
	double t0 = monotonic_seconds();
	struct diag_list dl = DIAG_LIST_INIT;
	size_t errors, warnings;
	int failed, status;

	failed = common_scan(c, r) != 0;
	diag_list_move(&dl, &r->diags);
	errors = diag_count(&dl, DIAG_ERROR);
	warnings = diag_count(&dl, DIAG_WARNING);
	status = diag_exit_status(&dl);
	if (failed)
		log_step(lg, "scan", status, json_pack("{s:o}", "vault",
		    report_json_text(c->vault)), "%s cannot be read; nothing "
		    "else is done", c->vault);
	else
		log_step(lg, "scan", status, json_pack("{s:o,s:I,s:I,s:I,s:I,"
		    "s:I,s:I,s:I,s:f}", "vault", report_json_text(c->vault),
		    "notes", (json_int_t)r->vault.nnotes, "read",
		    (json_int_t)r->vault.nread, "cached",
		    (json_int_t)r->vault.ncached, "contacts",
		    (json_int_t)r->contacts.n, "tasks",
		    (json_int_t)r->vault.ntasks, "errors", (json_int_t)errors,
		    "warnings", (json_int_t)warnings, "seconds",
		    monotonic_seconds() - t0), "%zu notes, %zu contacts, %zu "
		    "tasks; %zu error%s, %zu warning%s (%.2f s)",
		    r->vault.nnotes, r->contacts.n, r->vault.ntasks, errors,
		    plural(errors), warnings, plural(warnings),
		    monotonic_seconds() - t0);
	end_step(lg, "scan", &dl, all);
	return failed ? -1 : 0;
}

static void
feed_step(const struct steps *x, const struct scan_result *r,
    struct feed_result *fr, struct diag_list *all)
{
	const struct logger *lg = x->lg;
	struct diag_list dl = DIAG_LIST_INIT;
	char *path = x->feed->path(&x->c->cfg, NULL), *count = NULL;
	size_t len = 0;
	FILE *f;
	int status;

	memset(fr, 0, sizeof(*fr));
	fr->written = -1;
	if (path == NULL)
		diag_error(&dl, DIAG_CONFIG, NULL, 0, "set ics.path, or HOME",
		    "no place for the feed");
	else if (x->feed->build(x->env, r, path, fr, &dl) == 0)
		x->feed->write(path, fr, &dl);
	status = diag_exit_status(&dl);
	if (fr->built && (f = open_memstream(&count, &len)) != NULL) {
		x->feed->print_count(f, fr);
		fclose(f);
	}
	log_step(lg, "feed", status, json_pack("{s:o,s:s,s:I}", "path",
	    report_json_text(path), "result", fr->written == 1 ? "written" :
	    fr->written == 0 ? "unchanged" : "failed", "items",
	    (json_int_t)(fr->built ? fr->cal.nitems : 0)), "%s %s %s",
	    fr->written == 1 ? "wrote" :
	    fr->written == 0 ? "unchanged:" : "not written:", path ? path :
	    "(no path)", count ? count : "");
	end_step(lg, "feed", &dl, all);
	free(count);
	free(path);
}

static void
publish_step(const struct steps *x, struct feed_result *fr,
    struct diag_list *all)
{
	const struct logger *lg = x->lg;
	struct diag_list dl = DIAG_LIST_INIT;
	const struct publish_result *p = &fr->published;
	int status;

	if (x->c->cfg.ics.publish == NULL) {
		log_step(lg, "publish", 0, json_pack("{s:s}", "result", "off"),
		    "off (no ics.publish in the config)");
		return;
	}
	if (!fr->built) {
		diag_error(&dl, DIAG_CANT_WRITE, NULL, 0, "see the feed's "
		    "error above", "publish: no feed to publish");
	} else {
		x->feed->publish(x->env, fr, &dl);
	}
	status = diag_exit_status(&dl);
	log_step(lg, "publish", status, json_pack("{s:s,s:I,s:I,s:I,s:I}",
	    "result", status ? "failed" : "published", "sent",
	    (json_int_t)p->sent, "deleted", (json_int_t)p->deleted,
	    "unchanged", (json_int_t)p->unchanged, "refused",
	    (json_int_t)p->refused), "%s%zu sent, %zu deleted, %zu unchanged, "
	    "%zu refused", status ? "failed after " : "", p->sent, p->deleted,
	    p->unchanged, p->refused);
	end_step(lg, "publish", &dl, all);
}

static void
notify_run_step(const struct steps *x, const struct scan_result *r,
    const struct feed_result *fr, struct diag_list *all)
{
	const struct logger *lg = x->lg;
	const struct common *c = x->c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct notify_counts nc;
	json_t *o;
	int status;

	/* Each notifier's line, with -v: text only (JSON lines stay JSON). */
	x->dispatch->step(x->env, r, fr->built ? fr->cal.text : NULL,
	    fr->built ? fr->cal.len : 0, c->verbose && !c->quiet && !lg->json ?
	    stderr : NULL, &nc, &dl);
	status = diag_exit_status(&dl);
	o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:b}", "notifiers",
	    (json_int_t)nc.notifiers, "sent", (json_int_t)nc.sent, "failed",
	    (json_int_t)nc.failed, "unknown", (json_int_t)nc.unknown,
	    "waiting", (json_int_t)nc.waiting, "quiet_hours", nc.quiet_hours);
	if (nc.notifiers + nc.broken == 0)
		log_step(lg, "notify", status, o, "no notifiers in the config");
	else if (nc.quiet_hours)
		log_step(lg, "notify", status, o, "quiet hours: reminders wait "
		    "for the first run after %02d:%02d",
		    c->cfg.notify.quiet_end / 60, c->cfg.notify.quiet_end % 60);
	else
		log_step(lg, "notify", status, o, "%zu reminder%s sent through "
		    "%zu notifier%s; %zu not delivered (next run), %zu of "
		    "unknown outcome, %zu waiting", nc.sent, plural(nc.sent),
		    nc.notifiers, plural(nc.notifiers), nc.failed,
		    nc.unknown, nc.waiting);
	end_step(lg, "notify", &dl, all);
}

/* ------------------------------------------------------------ command */

static int
run_option(struct common *c, int opt, const char *arg, void *ctx)
{
	struct run_options *o = ctx;
	char *end;

	if (opt == OPT_WAIT) {
		errno = 0;
		o->wait_seconds = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' ||
		    o->wait_seconds < 0 || o->wait_seconds > MAX_WAIT_SECONDS)
			return usage_error(c, "--wait %s: give whole seconds, "
			    "0 to %d", arg, MAX_WAIT_SECONDS);
	} else if (opt == OPT_ALLOW_EMPTY) {
		c->allow_empty = 1;
	} else if (opt == OPT_LOG_FORMAT) {
		if (strcmp(arg, "json") == 0)
			o->json = 1;
		else if (strcmp(arg, "text") == 0)
			o->json = 0;
		else
			return usage_error(c, "--log-format %s: text or json",
			    arg);
	} else {
		return usage_error(c, "unknown option");
	}
	return 0;
}

/* The steps after the lock; returns the worst status. */
static int
run_steps(const struct logger *lg, struct common *c)
{
	struct steps x = { lg, c, common_step_env(c),
		module_feed(c->cmd->name), module_dispatch(c->cmd->name) };
	struct diag_list all = DIAG_LIST_INIT;
	struct scan_result r;
	struct feed_result fr = { 0 };
	double t0 = monotonic_seconds();
	int status;

	if (x.feed == NULL || x.dispatch == NULL)
		return EXIT_UNAVAILABLE;
	if (scan_step(lg, c, &r, &all) == 0) {
		feed_step(&x, &r, &fr, &all);
		publish_step(&x, &fr, &all);
		notify_run_step(&x, &r, &fr, &all);
	}
	status = diag_exit_status(&all);
	log_step(lg, "done", status, json_pack("{s:f}", "seconds",
	    monotonic_seconds() - t0), "exit %d (%.2f s)", status,
	    monotonic_seconds() - t0);
	x.feed->release(&fr);
	scan_result_release(&r);
	diag_list_release(&all);
	return status;
}

static int
cmd_run(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "allow-empty", no_argument, NULL, OPT_ALLOW_EMPTY },
		{ NULL, 0, NULL, 0 },
	};
	struct run_options o = { 0, 0 };
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct logger lg;
	char *lock = NULL;
	long holder = 0;
	int rc, fd = -1;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, run_option, &o)) >= 0)
		goto out;
	lg = (struct logger){ &c, o.json, stderr_is_journal() };
	if ((lock = paths_run_lock()) == NULL) {
		diag_error(&dl, DIAG_CONFIG, NULL, 0, "set HOME, or "
		    "XDG_STATE_HOME", "no folder for the lock that keeps two "
		    "runs apart");
	} else if ((fd = file_lock(lock, o.wait_seconds, &holder, &dl)) ==
	    FILE_LOCK_HELD) {
		if (holder > 0)
			diag_error(&dl, DIAG_TEMPFAIL, lock, 0, "this run does "
			    "nothing; the next one goes on (or pass --wait "
			    "SECONDS)", "another followup run (pid %ld) is "
			    "running", holder);
		else
			diag_error(&dl, DIAG_TEMPFAIL, lock, 0, "this run does "
			    "nothing; the next one goes on (or pass --wait "
			    "SECONDS)", "another followup run is running");
	}
	if (fd < 0) {
		log_diags(&lg, "lock", &dl);
		rc = diag_exit_status(&dl);
		goto out;
	}
	/* A broken config is one error for the whole run: no step runs. */
	rc = common_setup(&c, &dl);
	log_diags(&lg, "config", &dl);	/* and its warnings */
	if (rc == 0)
		rc = run_steps(&lg, &c);
out:
	if (fd >= 0)
		file_unlock(fd);
	free(lock);
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}

const struct command cmd_run_entry = {
	.name = "run",
	.summary = "What the timer calls: scan once, write the feed, publish "
	    "it, send reminders.",
	.usage =
	    "Options:\n"
	    "  --wait SECONDS      when another run holds the lock, wait up\n"
	    "                      to this long for it (default 0: exit 75)\n"
	    "  --log-format FMT    text (default) or json: one JSON object a\n"
	    "                      line, on standard error\n"
	    "  --allow-empty       let a vault of no contact empty a feed\n"
	    "                      that has follow-ups (else refused: is\n"
	    "                      the folder mounted?)\n",
	.run = cmd_run,
};
