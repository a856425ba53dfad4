/*
 * registry.c - every notifier family, by URL scheme (DESIGN.md §1). A new
 * service is one file defining its struct notifier_ops and one line here.
 */
#include "notifier.h"

extern const struct notifier_ops notifier_json;
extern const struct notifier_ops notifier_slack;
extern const struct notifier_ops notifier_discord;
extern const struct notifier_ops notifier_teams;
extern const struct notifier_ops notifier_gchat;

const struct notifier_ops *const notifier_registry[] = {
	&notifier_json,
	&notifier_slack,
	&notifier_discord,
	&notifier_teams,
	&notifier_gchat,
	NULL,
};
