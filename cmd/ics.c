/* ics.c - `followup ics`: write the feed (DESIGN.md §7), then publish it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "../feed/calendar.h"
#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/util.h"
#include "../net/http.h"
#include "../feed/publish.h"
#include "../net/url.h"

enum { OPT_OUTPUT = OPT_FIRST_COMMAND_OPTION, OPT_NO_PUBLISH };

#define FEED_MAX ((size_t)64 << 20)

char *
feed_path(const struct common *c, const char *output_arg)
{
	char *output, *dir;

	if (output_arg != NULL)
		return xstrdup(output_arg);
	if (c->cfg.ics.path != NULL)
		return xstrdup(c->cfg.ics.path);
	output = xdg_path("XDG_DATA_HOME", ".local/share", "followup.ics");
	if (output == NULL)
		return NULL;
	/* Only the default folder is created. */
	dir = xstrdup(output);
	*strrchr(dir, '/') = '\0';
	file_mkdirs(dir, 0755);	/* a failure shows when writing */
	free(dir);
	return output;
}

/*
 * The previous feed at path, which SEQUENCE and LAST-MODIFIED go on from:
 * 0 read, 1 none, -1 unreadable or not a feed (diag).
 */
static int
read_previous(const char *path, struct feed_result *fr, struct diag_list *dl)
{
	int rc = file_read_all(path, FEED_MAX, &fr->previous,
	    &fr->previous_len, dl);

	if (rc == 0 && fr->previous_len > 0 &&
	    !calendar_is_ical(fr->previous, fr->previous_len)) {
		diag_error(dl, DIAG_CANT_WRITE, path, 0, "remove it, or choose "
		    "another path with --output or ics.path", "this file is "
		    "not an iCalendar feed: not overwritten");
		return -1;
	}
	return rc;
}

int
feed_build(const struct common *c, const struct scan_result *r,
    const char *path, struct feed_result *fr, struct diag_list *dl)
{
	struct calendar_params params;
	char *name, *prodid;
	int prev_rc = 1, rc;

	memset(fr, 0, sizeof(*fr));
	fr->written = -1;
	fr->todo = c->cfg.ics.component == ICS_TODO;
	if (path != NULL && (prev_rc = read_previous(path, fr, dl)) < 0)
		return -1;
	name = common_vault_name(c);
	prodid = xasprintf("-//followup//followup %s//EN", FOLLOWUP_VERSION);
	params = (struct calendar_params){
		.now = c->now,
		.horizon_days = c->cfg.ics.horizon_days,
		.todo = fr->todo,
		.alarm = c->cfg.ics.alarm,
		.vault_name = name,
		.prodid = prodid,
		.previous = fr->previous,
		.previous_len = fr->previous_len,
	};
	rc = calendar_build(&fr->cal, r, &params, dl);
	free(prodid);
	free(name);
	if (rc != 0)
		return -1;
	fr->built = 1;
	if (calendar_check(fr->cal.text, fr->cal.len, fr->cal.nitems, dl) != 0)
		return -1;
	fr->had_previous = prev_rc == 0;
	return 0;
}

int
feed_write(const char *path, struct feed_result *fr, struct diag_list *dl)
{
	if (fr->had_previous && calendar_same(fr->previous, fr->previous_len,
	    fr->cal.text, fr->cal.len)) {
		fr->written = 0;
		return 0;
	}
	/* Private: a new feed is 0600. */
	if (file_write_atomic(path, fr->cal.text, fr->cal.len, 0600, dl) != 0)
		return -1;
	fr->written = 1;
	return 0;
}

int
feed_publish(const struct common *c, struct feed_result *fr,
    struct diag_list *dl)
{
	const struct config_ics *ics = &c->cfg.ics;
	struct publish_params p = {
		.url = ics->publish,
		.user = ics->publish_user,
		.ca_file = ics->publish_ca_file,
	};
	char *password = NULL, *dir, *state = NULL;
	int rc;

	memset(&fr->published, 0, sizeof(fr->published));
	if (config_secret_read(&ics->publish_password, "the publish password",
	    &password, dl) != 0)
		return -1;
	if ((dir = xdg_path("XDG_STATE_HOME", ".local/state", "")) == NULL) {
		diag_error(dl, DIAG_CONFIG, NULL, 0, "set HOME or "
		    "XDG_STATE_HOME", "publish: no folder to remember what "
		    "was sent in");
		free_secret(password);
		return -1;
	}
	if (file_mkdirs(dir, 0700) != 0) {
		diag_error(dl, DIAG_CANT_WRITE, dir, 0, "check that the "
		    "folder can be created", "cannot create this folder: %s",
		    strerror(errno));
		free(dir);
		free_secret(password);
		return -1;
	}
	state = publish_state_path(dir, ics->publish);
	p.password = password;
	p.state_path = state;
	http_global_init();
	rc = publish_feed(&fr->cal, &p, &fr->published, dl);
	http_global_cleanup();
	free_secret(password);
	free(state);
	free(dir);
	return rc;
}

void
feed_result_release(struct feed_result *fr)
{
	if (fr->built)
		calendar_release(&fr->cal);
	free(fr->previous);
	memset(fr, 0, sizeof(*fr));
}

/* "(12 events)" or, for VTODOs, "(10 to-dos, 2 events)". */
void
feed_print_count(FILE *out, const struct feed_result *fr)
{
	const struct calendar *cal = &fr->cal;

	if (fr->todo)
		fprintf(out, "(%zu to-do%s, %zu event%s)", cal->nfollowups,
		    cal->nfollowups == 1 ? "" : "s", cal->nbirthdays,
		    cal->nbirthdays == 1 ? "" : "s");
	else
		fprintf(out, "(%zu event%s)", cal->nitems,
		    cal->nitems == 1 ? "" : "s");
}

/* ------------------------------------------------------------ check */

/* The folder of path, which must exist (or be made) and be writable. */
static int
check_feed_folder(const char *path, struct diag_list *dl)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int rc = 0;

	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_error(dl, DIAG_CANT_WRITE, path, 0, "create the folder, "
		    "or set ics.path to a file in one that exists", "the "
		    "feed's folder %s does not exist", dir);
		rc = -1;
	} else if (access(dir, W_OK | X_OK) != 0) {
		diag_error(dl, DIAG_CANT_WRITE, path, 0, "make the folder "
		    "writable, or set ics.path to another one", "the feed "
		    "cannot be written here: %s is not writable", dir);
		rc = -1;
	}
	free(dir);
	return rc;
}

/* The publish URL: its password at hand, its CA file readable. */
static int
check_publish(const struct common *c, struct diag_list *dl)
{
	const struct config_ics *ics = &c->cfg.ics;
	struct url u;
	const char *why;
	char *password = NULL;
	int rc = 0;

	if (url_parse(ics->publish, &u, &why) != 0) {
		diag_error(dl, DIAG_CONFIG, c->cfg.file, 0, "see "
		    "followup.yml(5), \"ics\"", "ics.publish: %s", why);
		return -1;
	}
	if (config_secret_read(&ics->publish_password, "the publish password",
	    &password, dl) != 0)
		rc = -1;
	if (strcmp(u.scheme, "http") == 0 && !http_host_is_loopback(u.host) &&
	    (password != NULL || u.password != NULL))
		diag_warn(dl, DIAG_CONFIG, c->cfg.file, 0, "use an https URL",
		    "ics.publish sends its password over plain http");
	if (ics->publish_ca_file != NULL &&
	    access(ics->publish_ca_file, R_OK) != 0) {
		diag_error(dl, DIAG_CONFIG, ics->publish_ca_file, 0, "check "
		    "ics.publish_ca_file", "ics.publish_ca_file cannot be "
		    "read: %s", strerror(errno));
		rc = -1;
	}
	free_secret(password);
	url_release(&u);
	return rc;
}

int
feed_check(const struct common *c, FILE *say, struct diag_list *dl)
{
	char *path = feed_path(c, NULL), *prev = NULL, *shown;
	size_t len = 0;
	int rc = 0;

	if (path == NULL) {
		diag_error(dl, DIAG_CONFIG, NULL, 0, "set ics.path, or HOME",
		    "no place for the feed");
		return -1;
	}
	if (check_feed_folder(path, dl) != 0)
		rc = -1;
	else if (file_read_all(path, FEED_MAX, &prev, &len, dl) < 0)
		rc = -1;
	else if (prev != NULL && len > 0 && !calendar_is_ical(prev, len)) {
		diag_error(dl, DIAG_CANT_WRITE, path, 0, "remove it, or "
		    "choose another path with ics.path", "this file is not "
		    "an iCalendar feed: followup will not overwrite it");
		rc = -1;
	}
	if (say != NULL)
		fprintf(say, "feed: %s %s\n", path, rc ? "(see above)" :
		    prev ? "ok" : "ok (not written yet)");
	free(prev);
	free(path);
	if (c->cfg.ics.publish == NULL)
		return rc;
	if (check_publish(c, dl) != 0)
		rc = -1;
	if (say != NULL) {
		shown = http_redact_url(c->cfg.ics.publish);
		fprintf(say, "publish: %s %s\n", shown, rc ? "(see above)" :
		    "ok (not contacted)");
		free(shown);
	}
	return rc;
}

struct ics_options {
	const char *output;
	int no_publish;
};

static int
ics_option(struct common *c, int opt, const char *arg, void *ctx)
{
	struct ics_options *o = ctx;

	if (opt == OPT_OUTPUT)
		o->output = arg;
	else if (opt == OPT_NO_PUBLISH)
		o->no_publish = 1;
	else
		return usage_error(c, "unknown option");
	return 0;
}

int
cmd_ics(const struct command *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		COMMON_LONG_OPTIONS,
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "no-publish", no_argument, NULL, OPT_NO_PUBLISH },
		{ NULL, 0, NULL, 0 },
	};
	struct common c;
	struct diag_list dl = DIAG_LIST_INIT;
	struct scan_result r;
	struct feed_result fr = { 0 };
	char *output = NULL;
	struct ics_options o = { NULL, 0 };
	int rc, to_stdout, scanned = 0;
	FILE *say = stdout;

	common_init(&c, cmd);
	if ((rc = common_parse(&c, argc, argv, options, ics_option,
	    &o)) >= 0)
		goto out;
	if (o.output != NULL && o.output[0] == '\0') {
		rc = usage_error(&c, "--output needs a file name (or - for "
		    "standard output)");
		goto out;
	}
	if ((rc = common_setup(&c, &dl)) != 0) {
		common_print_diags(&c, &dl);
		goto out;
	}
	if ((output = feed_path(&c, o.output)) == NULL) {
		rc = usage_error(&c, "no place for the feed: pass --output "
		    "FILE, set ics.path, or set HOME");
		goto out;
	}
	to_stdout = strcmp(output, "-") == 0;
	if (to_stdout)
		say = stderr;

	if (common_scan(&c, &r) != 0) {
		common_print_diags(&c, &r.diags);
		rc = diag_exit_status(&r.diags);
		scan_result_release(&r);
		goto out;
	}
	scanned = 1;
	if (feed_build(&c, &r, to_stdout ? NULL : output, &fr, &dl) != 0)
		goto report;
	if (to_stdout) {
		fwrite(fr.cal.text, 1, fr.cal.len, stdout);
	} else if (feed_write(output, &fr, &dl) == 0 && !c.quiet) {
		fprintf(say, "%s %s ", fr.written ? "wrote" : output,
		    fr.written ? output : "unchanged");
		feed_print_count(say, &fr);
		fputc('\n', say);
	}
	if (c.cfg.ics.publish != NULL && !o.no_publish) {
		fflush(stdout);
		rc = feed_publish(&c, &fr, &dl);
		if (!c.quiet && (rc == 0 || fr.published.sent ||
		    fr.published.deleted))
			fprintf(say, "published: %zu sent, %zu deleted, %zu "
			    "unchanged\n", fr.published.sent,
			    fr.published.deleted, fr.published.unchanged);
	}

report:
	fflush(stdout);	/* what was done first, then what went wrong */
	diag_list_move(&r.diags, &dl);
	common_print_diags(&c, &r.diags);
	rc = diag_exit_status(&r.diags);
out:
	feed_result_release(&fr);
	if (scanned)
		scan_result_release(&r);
	free(output);
	diag_list_release(&dl);
	common_release(&c);
	return common_finish_output(rc);
}
