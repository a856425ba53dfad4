/*
 * registry.c - every notifier family, by URL scheme (docs/design.md,
 * "Tables that plug in"). A new service is one file defining its struct
 * notifier_ops and one line here.
 */
#include "notifier.h"

extern const struct notifier_ops notifier_email;
extern const struct notifier_ops notifier_json;
extern const struct notifier_ops notifier_slack;
extern const struct notifier_ops notifier_discord;
extern const struct notifier_ops notifier_teams;
extern const struct notifier_ops notifier_gchat;
extern const struct notifier_ops notifier_mattermost;
extern const struct notifier_ops notifier_matrix;
extern const struct notifier_ops notifier_ntfy;

const struct notifier_ops *const notifier_registry[] = {
	&notifier_email,
	&notifier_json,
	&notifier_slack,
	&notifier_discord,
	&notifier_teams,
	&notifier_gchat,
	&notifier_mattermost,
	&notifier_matrix,
	&notifier_ntfy,
	NULL,
};
