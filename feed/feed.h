/*
 * feed.h - the feed step: build the iCalendar feed of a scan
 * (calendar.h), write it where the config says, publish it (publish.h),
 * and check, for `followup check`, that all of that could be done. `ics`
 * and `run` are made of these; they print nothing themselves but what
 * feed_print_count() is asked to, and put what went wrong on dl.
 *
 * The calendar's parameters come from the config in one place here
 * (horizon, VEVENT or VTODO, alarm, the vault's name for links).
 *
 * The binary reaches this module only through feed_api (cmd/module.h
 * loads it from followup-net.so); the unit tests call the functions.
 *
 * Memory: a struct feed_result owns the calendar and the previous feed;
 * feed_result_release() frees them. Paths returned are the caller's.
 */
#ifndef FOLLOWUP_FEED_H
#define FOLLOWUP_FEED_H

#include <stddef.h>
#include <stdio.h>

#include "calendar.h"
#include "publish.h"

struct diag_list;
struct scan_result;
struct step_env;
struct config;

struct feed_result {
	struct calendar cal;	/* valid when built */
	int built;
	int todo;		/* VTODOs */
	int written;		/* 1 written, 0 unchanged, -1 not written */
	struct publish_result published;
	char *previous;		/* the feed on disk before; NULL */
	size_t previous_len;
	int had_previous;
};

/*
 * Where the feed goes: output_arg, else ics.path, else the default (its
 * folder created). NULL when there is no HOME.
 */
char *feed_path(const struct config *cfg, const char *output_arg);

/*
 * Build the feed of r into fr, going on from the feed at path (NULL:
 * none, as for standard output), and check it with libical. Returns 0,
 * or -1 (diags): a file at path that is not a feed is never overwritten.
 */
int feed_build(const struct step_env *env, const struct scan_result *r,
    const char *path, struct feed_result *fr, struct diag_list *dl);
/* Write it to path atomically, unless only DTSTAMP would change. */
int feed_write(const char *path, struct feed_result *fr,
    struct diag_list *dl);
/* PUT it to ics.publish. */
int feed_publish(const struct step_env *env, struct feed_result *fr,
    struct diag_list *dl);
/* "(12 events)", or "(10 to-dos, 2 events)". */
void feed_print_count(FILE *out, const struct feed_result *fr);
void feed_result_release(struct feed_result *fr);

/*
 * For `followup check`: the feed's folder writable, a file already there
 * a feed, ics.publish usable (its password at hand); nothing contacted.
 * Says a line each on say (NULL: silent). Returns 0, or -1 (diags).
 */
int feed_check(const struct step_env *env, FILE *say, struct diag_list *dl);

/* What the binary calls, in followup-net.so. */
struct feed_api {
	char *(*path)(const struct config *cfg, const char *output_arg);
	int (*build)(const struct step_env *env, const struct scan_result *r,
	    const char *path, struct feed_result *fr, struct diag_list *dl);
	int (*write)(const char *path, struct feed_result *fr,
	    struct diag_list *dl);
	int (*publish)(const struct step_env *env, struct feed_result *fr,
	    struct diag_list *dl);
	void (*print_count)(FILE *out, const struct feed_result *fr);
	void (*release)(struct feed_result *fr);
	int (*check)(const struct step_env *env, FILE *say,
	    struct diag_list *dl);
};

extern const struct feed_api feed_api;

#endif
