/*
 * rules.h - what the engine takes from the config: the rules of
 * docs/rules.md that a user can set (who is a contact, cadences, when a
 * contact is cold or due, which folders to skip). config.h fills one from
 * followup.yml; tests and fuzzers fill one by hand.
 *
 * The engine only reads it; whoever fills it owns its strings.
 */
#ifndef FOLLOWUP_RULES_H
#define FOLLOWUP_RULES_H

#include <stddef.h>

struct cadence_rule {
	char *tag;		/* without '#' */
	int days;
};

struct engine_rules {
	char **exclude;		/* folders relative to the vault */
	size_t nexclude;
	int cadence_days;	/* the default cadence */
	double cold_factor;	/* cold after this many cadences */
	int due_soon_days;	/* due when this close */
	struct cadence_rule *cadence_by_tag;	/* the first tag wins */
	size_t ncadence_by_tag;
	char **contact_types;	/* frontmatter `type` values of a contact */
	size_t ncontact_types;
	char **contact_tags;	/* tags of a contact */
	size_t ncontact_tags;
};

#endif
