/*
 * feed.c - the feed step: build, write, publish, check (see feed.h and
 * docs/design.md, "The feed").
 */
#include "feed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config/config.h"
#include "../config/step.h"
#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/paths.h"
#include "../core/util.h"
#include "../core/version.h"
#include "../net/http.h"
#include "../net/url.h"

#define FEED_MAX ((size_t)64 << 20)

char *
feed_path(const struct config *cfg, const char *output_arg)
{
	char *output, *dir;

	if (output_arg != NULL)
		return xstrdup(output_arg);
	if (cfg->ics.path != NULL)
		return xstrdup(cfg->ics.path);
	output = paths_feed();
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

/* The calendar's parameters, from the config: the one place. */
static void
calendar_params_of(const struct step_env *env, const char *prodid,
    struct calendar_params *p)
{
	const struct config_ics *ics = &env->cfg->ics;

	*p = (struct calendar_params){
		.now = env->now,
		.horizon_days = ics->horizon_days,
		.todo = ics->component == ICS_TODO,
		.alarm = ics->alarm,
		.vault_name = env->vault_name,
		.prodid = prodid,
		.allow_empty = env->allow_empty,
	};
}

int
feed_build(const struct step_env *env, const struct scan_result *r,
    const char *path, struct feed_result *fr, struct diag_list *dl)
{
	struct calendar_params params;
	char *prodid;
	int prev_rc = 1, rc;

	memset(fr, 0, sizeof(*fr));
	fr->written = -1;
	fr->todo = env->cfg->ics.component == ICS_TODO;
	if (path != NULL && (prev_rc = read_previous(path, fr, dl)) < 0)
		return -1;
	prodid = xasprintf("-//followup//followup %s//EN", FOLLOWUP_VERSION);
	calendar_params_of(env, prodid, &params);
	params.previous = fr->previous;
	params.previous_len = fr->previous_len;
	rc = calendar_build(&fr->cal, r, &params, dl);
	free(prodid);
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
	/* A new feed's mode is the umask's, as for any file one writes. */
	if (file_write_atomic(path, fr->cal.text, fr->cal.len, 0666, dl) != 0)
		return -1;
	fr->written = 1;
	return 0;
}

int
feed_publish(const struct step_env *env, struct feed_result *fr,
    struct diag_list *dl)
{
	const struct config_ics *ics = &env->cfg->ics;
	struct publish_params p = {
		.url = ics->publish,
		.user = ics->publish_user,
		.ca_file = ics->publish_ca_file,
	};
	char *password = NULL, *shown, *state = NULL;
	int rc;

	memset(&fr->published, 0, sizeof(fr->published));
	if (config_secret_read(&ics->publish_password, "the publish password",
	    &password, dl) != 0)
		return -1;
	if (paths_make_state_dir("what publishing sent", dl) != 0) {
		free_secret(password);
		return -1;
	}
	shown = http_redact_url(ics->publish);
	state = paths_publish_state(shown);
	p.password = password;
	p.state_path = state;
	http_global_init();
	rc = publish_feed(&fr->cal, &p, &fr->published, dl);
	http_global_cleanup();
	free_secret(password);
	free(shown);
	free(state);
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
		    plural(cal->nfollowups), cal->nbirthdays,
		    plural(cal->nbirthdays));
	else
		fprintf(out, "(%zu event%s)", cal->nitems,
		    plural(cal->nitems));
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
check_publish(const struct config *cfg, struct diag_list *dl)
{
	const struct config_ics *ics = &cfg->ics;
	struct url u;
	const char *why;
	char *password = NULL;
	int rc = 0;

	if (url_parse(ics->publish, &u, &why) != 0) {
		diag_error(dl, DIAG_CONFIG, cfg->file, 0, "see "
		    "followup.yml(5), \"ics\"", "ics.publish: %s", why);
		return -1;
	}
	if (config_secret_read(&ics->publish_password, "the publish password",
	    &password, dl) != 0)
		rc = -1;
	if (strcmp(u.scheme, "http") == 0 && !http_host_is_loopback(u.host) &&
	    (password != NULL || u.password != NULL))
		diag_warn(dl, DIAG_CONFIG, cfg->file, 0, "use an https URL",
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
feed_check(const struct step_env *env, FILE *say, struct diag_list *dl)
{
	const struct config *cfg = env->cfg;
	char *path = feed_path(cfg, NULL), *prev = NULL, *shown;
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
	if (cfg->ics.publish == NULL)
		return rc;
	if (check_publish(cfg, dl) != 0)
		rc = -1;
	if (say != NULL) {
		shown = http_redact_url(cfg->ics.publish);
		fprintf(say, "publish: %s %s\n", shown, rc ? "(see above)" :
		    "ok (not contacted)");
		free(shown);
	}
	return rc;
}

const struct feed_api feed_api = {
	.path = feed_path,
	.build = feed_build,
	.write = feed_write,
	.publish = feed_publish,
	.print_count = feed_print_count,
	.release = feed_result_release,
	.check = feed_check,
};
