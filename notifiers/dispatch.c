/*
 * dispatch.c - send what is due through every configured notifier, once
 * per due episode (see dispatch.h and docs/design.md, "Never spamming").
 *
 * The order of one run: hold the ledger (another followup sending waits,
 * then gives up with 75); settle what a stopped run left in `sending`;
 * then per notifier: pick the contacts in its states that the ledger has
 * not seen within repeat_days, at most max_per_run, record them as
 * `sending`, send (retrying 429 and 5xx inside notify.retry_seconds), and
 * record the outcome. One notifier failing never stops the others.
 */
#include "dispatch.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../config/config.h"
#include "../config/step.h"
#include "../core/contact.h"
#include "../core/date.h"
#include "../core/diag.h"
#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/paths.h"
#include "../core/util.h"
#include "../net/http.h"
#include "ledger.h"
#include "notifier.h"
#include "reminders.h"

#define LOCK_WAIT_SECONDS 300	/* for another followup that is sending */
#define MAX_ATTEMPTS 5
#define DEFAULT_TIMEOUT_S 30
#define DEFAULT_STATES ((1u << STATE_COLD) | (1u << STATE_OVERDUE) | \
	(1u << STATE_DUE))

/* The notifiers of one command, opened. */
struct dispatch {
	const struct step_env *env;
	const struct notify_plan *plan;
	struct notifier *ns;
	size_t nn;
};

/* One sending: the reminders of a scan through the open notifiers. */
struct run {
	const struct step_env *env;
	const struct notify_plan *plan;
	struct reminder_set *p;
	struct ledger *ledger;
	const char *today;
	const char *vault_name;
	const char *calendar;	/* for attach_calendar; NULL */
	size_t calendar_len;
	int last_run;
	struct diag_list *dl;
	/* Messages a stopped run left unanswered, for services that drop
	 * a repeat: sent again as they were, by message id. */
	struct ledger_row *again;
	size_t nagain;
	FILE *say;		/* a line per notifier; NULL */
	struct notify_counts *nc;
};

static void report_unknown(struct run *run, const struct ledger_row *row);

/* ------------------------------------------------------------ sending */

/*
 * Send req, again after a 429, a 5xx or no connection (and, where the
 * service drops repeats, after no answer) while *deadline allows: after
 * Retry-After when the service says, else 1 s, 2 s, 4 s, ...
 */
static void
send_with_retry(const struct notifier *n, const struct notifier_request *req,
    double deadline, struct send_result *res)
{
	long backoff_ms = 1000;
	int attempt;

	for (attempt = 1; ; attempt++) {
		long wait_ms;

		if (n->ops->send != NULL)
			n->ops->send(n, req, res);
		else
			notifier_http_send(n, req, res);
		if (res->outcome != SEND_RETRY && !(res->outcome ==
		    SEND_UNKNOWN && req->idempotent))
			return;
		if (attempt >= MAX_ATTEMPTS)
			return;
		wait_ms = res->retry_after_ms >= 0 ? res->retry_after_ms :
		    backoff_ms;
		if (monotonic_seconds() + wait_ms / 1000.0 > deadline)
			return;
		sleep_ms(wait_ms);
		backoff_ms *= 2;
		send_result_release(res);
	}
}

static const char *
outcome_words(enum send_outcome o)
{
	switch (o) {
	case SEND_ACCEPTED:
		return "sent";
	case SEND_RETRY:
		return "not delivered, sent again next run";
	case SEND_UNKNOWN:
		return "no answer: it may have arrived";
	case SEND_REJECTED:
		return "refused by the service, sent again next run";
	}
	return "?";
}

static void
count_outcome(struct notify_counts *nc, enum send_outcome o, size_t count)
{
	if (o == SEND_ACCEPTED)
		nc->sent += count;
	else if (o == SEND_UNKNOWN)
		nc->unknown += count;
	else
		nc->failed += count;
}

/* A stable id of the message: the notifier and the episodes it carries. */
static char *
message_id(const struct notifier *n, const struct reminder *const *rs,
    size_t count, const char *today, int test)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	char *id;

	strbuf_addf(&sb, "%s\n", n->name);
	if (test)
		strbuf_addf(&sb, "test %s\n", today);
	for (i = 0; i < count; i++)
		strbuf_addf(&sb, "%s\n", rs[i]->episode);
	id = xasprintf("%016llx", hash_fnv1a64(sb.buf, sb.len));
	strbuf_release(&sb);
	return id;
}

/*
 * Send one message for the reminders sel[0..count) through n, with the
 * ledger around it. A message that shows fewer than count (the service's
 * limit) carries only those: *carried says how many; the others wait for
 * the next message. again_id, when set, is the id of the message these
 * reminders went in before, with no answer: the service drops the repeat.
 * Returns the outcome.
 */
static enum send_outcome
deliver(struct run *run, const struct notifier *n,
    const struct reminder *const *sel, const struct ledger_episode *eps,
    size_t count, int digest, int test, double deadline, size_t *carried,
    const char *again_id)
{
	struct reminder *copy = xcalloc(count ? count : 1, sizeof(*copy));
	struct reminder_batch b = { 0 };
	struct notifier_request req;
	struct send_result res = { 0 };
	char *id = again_id ? xstrdup(again_id) :
	    message_id(n, sel, count, run->today, test), *shown;
	enum ledger_status after;
	size_t i;

	for (i = 0; i < count; i++)
		copy[i] = *sel[i];
	b.items = copy;
	b.n = b.shown = count;
	b.digest = digest;
	b.test = test;
	b.today = run->today;
	b.vault_name = run->vault_name;
	b.message_id = id;
	b.now = run->env->now;
	if (run->calendar != NULL && n->attach_calendar) {
		b.calendar = run->calendar;
		b.calendar_len = run->calendar_len;
	}
	shown = notifier_shown_url(n);
	*carried = 0;
	if (notifier_format(n, &b, &req) != 0) {
		diag_error(run->dl, DIAG_TEMPFAIL, NULL, 0, NULL, "notifier %s "
		    "(%s): the message could not be made", n->name, shown);
		res.outcome = SEND_REJECTED;
		goto out;
	}
	/* Only what the message shows counts as told. */
	if (req.shown > 0 && req.shown < count)
		count = req.shown;
	*carried = count;
	if (run->plan->dry_run) {
		notifier_request_print(stdout, n, &req);
		res.outcome = SEND_ACCEPTED;
		goto done;
	}
	if (!test && ledger_begin(run->ledger, n->name, eps, count, id,
	    run->env->today, run->env->now) != 0) {
		/* Never send what the ledger could not record. */
		diag_error(run->dl, DIAG_CANT_WRITE, NULL, 0, "check the disk "
		    "and $XDG_STATE_HOME", "notifier %s: the ledger cannot "
		    "record the reminders (%s): nothing sent", n->name,
		    ledger_error(run->ledger));
		res.outcome = SEND_RETRY;
		goto done;
	}
	send_with_retry(n, &req, deadline, &res);
	if (!test)
		count_outcome(run->nc, res.outcome, count);
	if (!test) {
		/* Unknown: sent again next run, as the same message, only
		 * where that cannot double it (n->resend_safe; req.idempotent
		 * may hold for this run's session only). */
		after = res.outcome == SEND_ACCEPTED ? LEDGER_SENT :
		    res.outcome != SEND_UNKNOWN ? LEDGER_NONE :
		    n->resend_safe ? LEDGER_SENDING : LEDGER_UNKNOWN;
		if (ledger_end(run->ledger, n->name, eps, count, after,
		    run->env->today) != 0)
			diag_error(run->dl, DIAG_CANT_WRITE, NULL, 0, "check "
			    "the disk and $XDG_STATE_HOME", "notifier %s: the "
			    "ledger cannot record the outcome (%s)", n->name,
			    ledger_error(run->ledger));
	}
	if (res.outcome != SEND_ACCEPTED)
		diag_error(run->dl, res.denied ? DIAG_CONFIG : DIAG_TEMPFAIL,
		    NULL, 0,
		    res.outcome == SEND_UNKNOWN && !n->resend_safe ?
		    "not sent again before notify.repeat_days, so that it "
		    "never arrives twice; check the service" :
		    res.outcome == SEND_REJECTED ? "check the notifier's URL "
		    "and the service's settings" : "followup tries again on "
		    "its next run", "notifier %s (%s): %s%s%s", n->name, shown,
		    outcome_words(res.outcome), res.error ? ": " : "",
		    res.error ? res.error : "");
done:
	notifier_request_release(&req);
out:
	send_result_release(&res);
	free(shown);
	free(id);
	free(copy);
	return res.outcome;
}

/* ------------------------------------------------------------ choosing */

/* Reminders held back because their outcome was unknown. */
struct held {
	size_t n;
	int since;		/* the day of the earliest; 0: none */
};

/*
 * Whether the ledger lets episode i go out to n today. repeat_days 0 is
 * never again: "again after 0 days" would be on every run, many a day.
 */
static int
due_for(struct run *run, const struct notifier *n, size_t i,
    struct held *held)
{
	int day, repeat = run->env->cfg->notify.repeat_days, due;
	enum ledger_status st = ledger_lookup(run->ledger, n->name,
	    &run->p->episodes[i], &day);

	if (st == LEDGER_NONE)
		return 1;
	due = repeat > 0 && run->env->today - day >= repeat &&
	    st != LEDGER_SENDING;
	if (!due && st == LEDGER_UNKNOWN) {
		held->n++;
		if (held->since == 0 || day < held->since)
			held->since = day;
	}
	return due;
}

/*
 * Reminders of unknown outcome are held back for repeat_days, so that
 * none arrives twice; said every run, with the way to send them now,
 * so that a cause mended (a server back, a token renewed) is no silence.
 */
static void
say_held(struct run *run, const struct notifier *n, const struct held *h)
{
	int repeat = run->env->cfg->notify.repeat_days;
	char since[DATE_BUFSZ], again[DATE_BUFSZ], *hint;

	if (h->n == 0)
		return;
	date_format(h->since, since);
	if (repeat > 0)
		date_format(h->since + repeat, again);
	hint = xasprintf("if %s did not arrive, send %s now: followup notify "
	    "--release --only %s", h->n == 1 ? "it" : "they", h->n == 1 ?
	    "it" : "them", n->name);
	diag_warn(run->dl, DIAG_TEMPFAIL, NULL, 0, hint, "notifier %s: %zu "
	    "reminder%s held back since %s: whether %s arrived is unknown "
	    "(no answer came, or followup stopped while sending); %s%s",
	    n->name, h->n, plural((long long)h->n), since, h->n == 1 ? "it" :
	    "they", repeat > 0 ? "sent again on " : "never sent again "
	    "(notify.repeat_days is 0)", repeat > 0 ? again : "");
	free(hint);
}

/* The index of the contact whose episode row is, or -1. */
static long
find_episode(const struct run *run, const struct ledger_row *row)
{
	size_t i;

	for (i = 0; i < run->p->n; i++) {
		const struct ledger_episode *e = &run->p->episodes[i];

		if (e->due == row->due && strcmp(e->contact, row->contact) == 0 &&
		    strcmp(e->state, row->state) == 0)
			return (long)i;
	}
	return -1;
}

/*
 * Send again, as the same message (same id: the service drops the
 * repeat), what n's rows in run->again hold: rows[first..end) per message.
 * A message whose reminders are not all still due cannot be made the same
 * again: it is settled as unknown, reported, not resent.
 */
static void
send_again(struct run *run, const struct notifier *n, double deadline)
{
	size_t first = 0, end, k, carried;

	while (first < run->nagain) {
		const struct ledger_row *r = &run->again[first];
		const struct reminder **sel;
		struct ledger_episode *eps;
		size_t count = 0;
		int whole = 1;

		for (end = first; end < run->nagain &&
		    strcmp(run->again[end].notifier, r->notifier) == 0 &&
		    strcmp(run->again[end].message, r->message) == 0; end++)
			;
		if (strcmp(r->notifier, n->name) != 0) {
			first = end;
			continue;
		}
		sel = xcalloc(end - first, sizeof(*sel));
		eps = xcalloc(end - first, sizeof(*eps));
		for (k = first; k < end; k++) {
			long i = find_episode(run, &run->again[k]);

			if (i < 0) {
				whole = 0;
				break;
			}
			sel[count] = &run->p->reminders[i];
			eps[count++] = run->p->episodes[i];
		}
		if (whole)
			deliver(run, n, sel, eps, count, count > 1 ||
			    run->env->cfg->notify.digest, 0, deadline, &carried,
			    r->message);
		else
			for (k = first; k < end; k++)
				report_unknown(run, &run->again[k]);
		free(sel);
		free(eps);
		first = end;
	}
}

/* Late: it became due on a day no run came by. */
static const char *
late_since(struct run *run, size_t i)
{
	int since = run->p->since[i];

	if (since <= 0 || since >= run->env->today || run->last_run == 0 ||
	    run->last_run >= since)
		return NULL;
	return reminders_date(run->p, since);
}

/* Returns how many reminders n should get now, into sel and eps. */
static size_t
choose(struct run *run, const struct notifier *n,
    const struct reminder **sel, struct ledger_episode *eps, size_t *waiting,
    struct held *held)
{
	size_t i, count = 0;
	int max = run->env->cfg->notify.max_per_run;

	*waiting = 0;
	for (i = 0; i < run->p->n; i++) {
		struct reminder *r = &run->p->reminders[i];

		if (!(n->states & (1u << run->p->state[i])) ||
		    !due_for(run, n, i, held))
			continue;
		if ((int)count >= max) {
			(*waiting)++;
			continue;
		}
		r->late_since = late_since(run, i);
		sel[count] = r;
		eps[count] = run->p->episodes[i];
		count++;
	}
	return count;
}

static void
notify_one(struct run *run, const struct notifier *n)
{
	const struct reminder **sel = xcalloc(run->p->n + 1, sizeof(*sel));
	struct ledger_episode *eps = xcalloc(run->p->n + 1, sizeof(*eps));
	double deadline = monotonic_seconds() +
	    run->env->cfg->notify.retry_seconds;
	size_t count, waiting, i, sent = 0, late = 0, carried;
	int digest = run->env->cfg->notify.digest;
	struct held held = { 0, 0 };

	if (run->plan->test) {
		if (deliver(run, n, NULL, NULL, 0, 0, 1, deadline, &carried,
		    NULL) == SEND_ACCEPTED && run->say != NULL)
			fprintf(run->say, "%s: test message sent\n", n->name);
		goto out;
	}
	send_again(run, n, deadline);
	count = choose(run, n, sel, eps, &waiting, &held);
	say_held(run, n, &held);
	if (count > 0 && digest) {
		if (deliver(run, n, sel, eps, count, 1, 0, deadline,
		    &carried, NULL) == SEND_ACCEPTED)
			sent = carried;
		/* What the service could not take waits for the next run. */
		waiting += count - carried;
		count = carried;
	} else {
		for (i = 0; i < count; i++)
			if (deliver(run, n, &sel[i], &eps[i], 1, 0, 0,
			    deadline, &carried, NULL) == SEND_ACCEPTED)
				sent++;
	}
	for (i = 0; i < count; i++)
		late += sel[i]->late_since != NULL;
	run->nc->waiting += waiting;
	if (run->say != NULL) {
		if (count == 0)
			fprintf(run->say, "%s: nothing new\n", n->name);
		else
			fprintf(run->say, "%s: %zu of %zu reminder%s sent%s%s\n",
			    n->name,
			    sent, count, plural(count),
			    digest ? " in one message" : "",
			    late ? " (some late)" : "");
		if (waiting)
			fprintf(run->say, "%s: %zu more wait for the next run (the "
			    "service's message limit, or notify.max_per_run, "
			    "%d)\n", n->name, waiting,
			    run->env->cfg->notify.max_per_run);
	}
out:
	free(sel);
	free(eps);
}

/* `notify --release`: what was held back goes out in this run. */
static void
release_unknown(struct run *run, const char *only)
{
	long n = ledger_release_unknown(run->ledger, only);

	if (n < 0)
		diag_error(run->dl, DIAG_CANT_WRITE, NULL, 0, "check the disk "
		    "and $XDG_STATE_HOME", "the ledger cannot release the "
		    "reminders held back: %s", ledger_error(run->ledger));
	else if (run->say != NULL)
		fprintf(run->say, "released %ld reminder%s of unknown outcome%s"
		    "%s: %s\n", n, plural(n), only ? " for " : "", only ? only :
		    "", n > 0 ? "they go out now" : "none was held back");
}

/* ------------------------------------------------------------ setup */

/*
 * Make notifier number i of the config. Returns 0, or -1 with a config
 * error naming it by position and shown URL.
 */
static int
open_notifier(const struct config *cfg, size_t i, struct notifier *n,
    struct diag_list *dl)
{
	const struct config_notifier *nf = &cfg->notifiers[i];
	char *url = NULL, *why = NULL, *what, *shown;
	int rc = 0;

	memset(n, 0, sizeof(*n));
	what = xasprintf("notifier %zu's URL", i + 1);
	if (config_secret_read(&nf->url, what, &url, dl) != 0 || url == NULL) {
		free(what);
		return -1;
	}
	free(what);
	n->position = (int)i + 1;
	n->states = nf->states ? nf->states : DEFAULT_STATES;
	n->timeout_ms = (nf->timeout ? nf->timeout : DEFAULT_TIMEOUT_S) *
	    1000L;
	n->ca_file = nf->ca_file ? xstrdup(nf->ca_file) : NULL;
	n->attach_calendar = nf->attach_calendar;
	if (notifier_open(n, url, &why) != 0) {
		shown = notifier_shown_url(n);
		diag_error(dl, DIAG_CONFIG, cfg->file, nf->line, "see "
		    "followup.yml(5) for the URL forms of each service",
		    "notifier %zu%s%s%s (%s): %s", i + 1, nf->name ? " (" : "",
		    nf->name ? nf->name : "", nf->name ? ")" : "", shown, why);
		free(shown);
		free(why);
		rc = -1;
	}
	n->name = nf->name ? xstrdup(nf->name) :
	    xasprintf("%s-%zu", n->scheme ? n->scheme : "notifier", i + 1);
	memset(url, 0, strlen(url));
	free(url);
	return rc;
}

/*
 * The name notifier i goes by (the caller's): its `name`, or else
 * "SCHEME-N" (its URL read only for the scheme).
 */
static char *
name_of(const struct config_notifier *nf, size_t i)
{
	struct diag_list quiet = DIAG_LIST_INIT;
	char *url = NULL, *dflt;
	size_t n;

	if (nf->name != NULL)
		return xstrdup(nf->name);
	config_secret_read(&nf->url, "a URL", &url, &quiet);
	diag_list_release(&quiet);
	n = url && strstr(url, "://") ? (size_t)(strstr(url, "://") - url) : 0;
	dflt = xasprintf("%.*s-%zu", (int)n, n ? url : "notifier", i + 1);
	for (n = 0; dflt[n] != '-'; n++)
		dflt[n] = (char)tolower((unsigned char)dflt[n]);
	free_secret(url);
	return dflt;
}

static int
named(const struct config_notifier *nf, size_t i, const char *name)
{
	char *mine = name_of(nf, i);
	int same = strcmp(mine, name) == 0;

	free(mine);
	return same;
}

/*
 * Names are unique: the ledger keeps what was sent by name, so a second
 * notifier of the same name would take the first's reminders for its
 * own and never send. n (notifier i of the config, just opened) whose
 * name one opened before it has is an error at its line.
 */
static int
name_taken(const struct config *cfg, const struct dispatch *d,
    const struct notifier *n, size_t i, struct diag_list *dl)
{
	size_t k;

	for (k = 0; k < d->nn; k++)
		if (strcmp(d->ns[k].name, n->name) == 0) {
			diag_error(dl, DIAG_CONFIG, cfg->file,
			    cfg->notifiers[i].line, "give one of them another "
			    "name (the ledger keeps what was sent by name)",
			    "notifier %zu goes by the name \"%s\", as "
			    "notifier %d does%s", i + 1, n->name,
			    d->ns[k].position, cfg->notifiers[i].name == NULL ?
			    " (the name followup gives a notifier without "
			    "one)" : "");
			return 1;
		}
	return 0;
}

/* Settle row as of unknown outcome, and say so. */
static void
report_unknown(struct run *run, const struct ledger_row *row)
{
	char buf[16];

	ledger_settle(run->ledger, row, 0);
	diag_warn(run->dl, DIAG_TEMPFAIL, row->contact, 0, "check the "
	    "service; it is not sent again before notify.repeat_days, so "
	    "that it never arrives twice", "the reminder (%s%s%s) to notifier "
	    "%s may not have arrived: followup stopped while sending it, or "
	    "no answer came", row->state, row->due ? ", due " : "",
	    row->due ? date_format(row->due, buf) : "", row->notifier);
}

/* What a run that stopped while sending left: unknown, or to resend. */
static void
settle_interrupted(struct run *run, struct notifier *ns, size_t nn)
{
	struct ledger_row *rows;
	size_t n, i, k;

	if (ledger_interrupted(run->ledger, &rows, &n) != 0)
		return;
	for (i = 0; i < n; i++) {
		int forget = 0, ours = 0;

		/* Services that drop repeats get it again, same id. */
		for (k = 0; k < nn; k++)
			if (ns[k].ops != NULL && strcmp(ns[k].name,
			    rows[i].notifier) == 0) {
				ours = 1;
				forget = ns[k].resend_safe;
			}
		/*
		 * With --only, another notifier's rows wait for a run that
		 * sends to it: only that run knows whether its service takes
		 * a resend (settled here as unknown, a Matrix reminder would
		 * be held back for repeat_days).
		 */
		if (!ours && run->plan->only != NULL)
			continue;
		if (forget) {
			/* Kept as `sending`: send_again() sends it again. */
			run->again = xrealloc(run->again, (run->nagain + 1) *
			    sizeof(*run->again));
			run->again[run->nagain++] = rows[i];
			memset(&rows[i], 0, sizeof(rows[i]));
			continue;
		}
		report_unknown(run, &rows[i]);
	}
	ledger_rows_release(rows, n);
}

static int
open_ledger(struct run *run, int readonly)
{
	char *path;
	int rc;

	/* A read-only ledger (--dry-run) creates nothing. */
	if (!readonly && paths_make_state_dir("the ledger of sent reminders",
	    run->dl) != 0)
		return -1;
	if ((path = paths_ledger()) == NULL) {
		diag_error(run->dl, DIAG_CONFIG, NULL, 0, "set HOME or "
		    "XDG_STATE_HOME", "no folder for the ledger of sent "
		    "reminders");
		return -1;
	}
	rc = ledger_open(&run->ledger, path, readonly, LOCK_WAIT_SECONDS,
	    run->dl);
	if (rc == 1)
		diag_error(run->dl, DIAG_TEMPFAIL, path, 0, "it ends by "
		    "itself; this run sends nothing", "another followup has "
		    "been sending reminders for %d s", LOCK_WAIT_SECONDS);
	free(path);
	return rc == 0 ? 0 : -1;
}

size_t
dispatch_open(struct dispatch **out, const struct step_env *env,
    const struct notify_plan *plan, struct notify_counts *nc,
    struct diag_list *dl)
{
	const struct config *cfg = env->cfg;
	struct dispatch *d = xcalloc(1, sizeof(*d));
	size_t i, matched = 0;

	d->env = env;
	d->plan = plan;
	d->ns = xcalloc(cfg->nnotifiers + 1, sizeof(*d->ns));
	for (i = 0; i < cfg->nnotifiers; i++) {
		struct notifier *n = &d->ns[d->nn];

		/* Only --only reads a URL for its name before opening it. */
		if (plan->only != NULL && !named(&cfg->notifiers[i], i,
		    plan->only))
			continue;
		matched++;
		if (open_notifier(cfg, i, n, dl) == 0 &&
		    !name_taken(cfg, d, n, i, dl)) {
			d->nn++;
		} else {
			notifier_release(n);
			nc->broken++;
		}
	}
	nc->notifiers = d->nn;
	*out = d;
	return matched;
}

size_t
dispatch_count(const struct dispatch *d)
{
	return d->nn;
}

int
dispatch_wants_calendar(const struct dispatch *d)
{
	size_t i;

	for (i = 0; i < d->nn; i++)
		if (d->ns[i].attach_calendar)
			return 1;
	return 0;
}

void
dispatch_close(struct dispatch *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nn; i++)
		notifier_release(&d->ns[i]);
	free(d->ns);
	free(d);
}

int
dispatch_quiet_hours(const struct step_env *env, FILE *say)
{
	const struct config_notify *q = &env->cfg->notify;
	struct tm tm;
	int m, quiet;

	if (q->quiet_start < 0 || localtime_r(&env->now, &tm) == NULL)
		return 0;
	m = tm.tm_hour * 60 + tm.tm_min;
	if (q->quiet_start < q->quiet_end)
		quiet = m >= q->quiet_start && m < q->quiet_end;
	else
		quiet = m >= q->quiet_start || m < q->quiet_end;
	if (quiet && say != NULL)
		fprintf(say, "quiet hours (notify.quiet_hours): no reminders "
		    "now; they go out on the first run after %02d:%02d\n",
		    q->quiet_end / 60, q->quiet_end % 60);
	return quiet;
}

/* The ledger around the sending, settled first unless nothing is kept. */
static void
send_through(struct run *run, struct dispatch *d)
{
	const struct notify_plan *o = run->plan;
	size_t i;

	if (!o->test && open_ledger(run, o->dry_run) != 0)
		return;
	if (!o->test && !o->dry_run) {
		settle_interrupted(run, d->ns, d->nn);
		run->last_run = ledger_last_run(run->ledger);
	}
	if (o->release && !o->test && !o->dry_run)
		release_unknown(run, o->only);
	http_global_init();
	for (i = 0; i < d->nn; i++)
		notify_one(run, &d->ns[i]);
	http_global_cleanup();
	if (!o->test && !o->dry_run)
		ledger_set_last_run(run->ledger, run->env->today);
	ledger_rows_release(run->again, run->nagain);
	ledger_close(run->ledger);
}

void
dispatch_send(struct dispatch *d, const struct scan_result *r,
    const char *calendar, size_t calendar_len, FILE *say,
    struct notify_counts *nc, struct diag_list *dl)
{
	struct reminder_set p;
	char today[DATE_BUFSZ];
	struct run run = { .env = d->env, .plan = d->plan, .p = &p,
		.today = date_format(d->env->today, today),
		.vault_name = d->env->vault_name, .calendar = calendar,
		.calendar_len = calendar_len, .dl = dl, .say = say, .nc = nc };

	reminders_prepare(&p, r, &d->env->cfg->rules, d->env->vault_name);
	send_through(&run, d);
	reminders_release(&p);
}

void
dispatch_step(const struct step_env *env, const struct scan_result *r,
    const char *calendar, size_t calendar_len, FILE *say,
    struct notify_counts *nc, struct diag_list *dl)
{
	static const struct notify_plan plan = { 0 };
	struct dispatch *d;

	memset(nc, 0, sizeof(*nc));
	dispatch_open(&d, env, &plan, nc, dl);
	if (d->nn > 0 && dispatch_quiet_hours(env, say))
		nc->quiet_hours = 1;
	else if (d->nn > 0)
		dispatch_send(d, r, calendar, calendar_len, say, nc, dl);
	dispatch_close(d);
}

int
dispatch_check(const struct step_env *env, FILE *say, struct diag_list *dl)
{
	static const struct notify_plan plan = { 0 };
	struct notify_counts nc = { 0 };
	struct dispatch *d;
	size_t i;
	char *shown;

	struct run run = { .env = env, .plan = &plan, .dl = dl };
	long held;
	int since;

	dispatch_open(&d, env, &plan, &nc, dl);
	if (d->nn > 0 && open_ledger(&run, 1) != 0)
		run.ledger = NULL;
	for (i = 0; i < d->nn; i++) {
		const struct notifier *n = &d->ns[i];

		if (n->ca_file != NULL && access(n->ca_file, R_OK) != 0) {
			diag_error(dl, DIAG_CONFIG, n->ca_file, 0, "check "
			    "the notifier's ca_file", "notifier %s: its "
			    "ca_file cannot be read: %s", n->name,
			    strerror(errno));
			nc.broken++;
			continue;
		}
		if (say != NULL) {
			shown = notifier_shown_url(n);
			fprintf(say, "notifier %s: %s ok (nothing sent)\n",
			    n->name, shown);
			free(shown);
		}
		if (run.ledger != NULL && (held = ledger_count_unknown(
		    run.ledger, n->name, &since)) > 0) {
			struct held h = { (size_t)held, since };

			say_held(&run, n, &h);
		}
	}
	ledger_close(run.ledger);
	if (say != NULL && nc.broken > 0)
		fprintf(say, "%zu notifier%s with problems (see above)\n",
		    nc.broken, plural(nc.broken));
	dispatch_close(d);
	return nc.broken > 0 ? -1 : 0;
}

const struct dispatch_api dispatch_api = {
	.open = dispatch_open,
	.count = dispatch_count,
	.wants_calendar = dispatch_wants_calendar,
	.quiet_hours = dispatch_quiet_hours,
	.send = dispatch_send,
	.close = dispatch_close,
	.step = dispatch_step,
	.check = dispatch_check,
};
