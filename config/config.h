/*
 * config.h - followup's YAML config (followup.yml(5)), read with libyaml.
 *
 * One table of keys drives parsing, the "did you mean" hint for unknown
 * keys and the defaults. Every problem is a DIAG_CONFIG diag with the
 * file and line (exit 78).
 *
 * Secrets (the `ics.publish` password, notifier URLs) come from exactly
 * one place: the config itself, a file, an environment variable or a
 * systemd credential.
 * A config that holds one itself and that group or others can read is
 * refused, as ssh and msmtp do. No message ever quotes a secret.
 *
 * A struct config owns all its strings; config_release() frees them.
 */
#ifndef FOLLOWUP_CONFIG_H
#define FOLLOWUP_CONFIG_H

#include <stddef.h>

#include "../core/rules.h"

struct diag_list;

enum ics_component {
	ICS_EVENT,		/* VEVENT, for calendars */
	ICS_TODO,		/* VTODO with DUE, for task lists */
};

/* Where a secret is; at most one field is set. */
struct config_secret {
	char *value;		/* written in the config itself */
	char *file;		/* a file that holds it */
	char *env;		/* an environment variable that holds it */
	char *credential;	/* a file under $CREDENTIALS_DIRECTORY */
	/* The keys that name the file and the credential, for messages. */
	const char *file_key;
	const char *credential_key;
};

/* The `ics` section: the feed (docs/design.md, "The feed"). */
struct config_ics {
	char *path;		/* NULL: $XDG_DATA_HOME/followup/followup.ics */
	int horizon_days;
	enum ics_component component;
	int alarm;		/* minutes after midnight; -1: none */
	char *publish;		/* WebDAV/CalDAV URL (may hold userinfo) */
	char *publish_user;
	struct config_secret publish_password;
	char *publish_ca_file;	/* CA certificates for the server's TLS */
};

/* The `notify` section (docs/design.md, "Never spamming"). */
struct config_notify {
	int digest;		/* one message per notifier per run */
	int repeat_days;	/* the same episode again after this */
	int max_per_run;	/* reminders per notifier per run */
	int quiet_start;	/* minutes after midnight; -1: no quiet hours */
	int quiet_end;
	int retry_seconds;	/* retry budget per notifier per run */
};

/* One entry of `notifiers`. */
struct config_notifier {
	char *name;		/* NULL: "SCHEME-N" */
	int line;		/* of the entry in the config */
	struct config_secret url;	/* the URL is the secret */
	unsigned states;	/* 1 << enum contact_state; 0: the default */
	char *ca_file;
	int timeout;		/* seconds per request */
	int attach_calendar;	/* email: attach the feed */
};

struct config {
	char *file;		/* the file read, NULL when defaults only */
	char *vault;		/* expanded: "~" and relative to the file */
	struct engine_rules rules;	/* what the engine takes */
	struct config_ics ics;
	struct config_notify notify;
	struct config_notifier *notifiers;
	size_t nnotifiers;
	int secret_line;	/* line of a secret written in the file; 0 */
};

/* The defaults of followup.yml(5). */
void config_init(struct config *cfg);

/*
 * Where the config is looked for: `explicit_path` when given, else
 * $XDG_CONFIG_HOME/followup/config.yml (or ~/.config/...). Returned
 * string is the caller's.
 */
char *config_default_path(void);

/*
 * Load path into cfg (after config_init). A missing file is an error only
 * when must_exist is set. Returns 0, or -1 with DIAG_CONFIG diags on dl
 * (cfg then still holds usable defaults for the keys that were fine).
 */
int config_load(struct config *cfg, const char *path, int must_exist,
    struct diag_list *dl);

/*
 * Parse text (len bytes) as the config file `name` (used in messages and to
 * resolve a relative `vault`). Same contract as config_load().
 */
int config_parse(struct config *cfg, const char *name, const char *text,
    size_t len, struct diag_list *dl);

/*
 * Read the secret s points to now: the value itself, the file (its first
 * line), the environment variable, or $CREDENTIALS_DIRECTORY/NAME.
 * `what` names it in messages ("the publish password"). Returns 0 with
 * *out the caller's string, or NULL when s names none; -1 with a
 * DIAG_CONFIG diag on dl (which never holds the secret).
 */
int config_secret_read(const struct config_secret *s, const char *what,
    char **out, struct diag_list *dl);

/* "~/x" → "$HOME/x"; anything else copied. Caller owns the result. */
char *config_expand_home(const char *path);

void config_release(struct config *cfg);

#endif
