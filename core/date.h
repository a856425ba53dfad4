/*
 * date.h - calendar dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), so that the schedule's arithmetic is plain subtraction.
 *
 * Parsing is strict about the calendar (2025-02-29 is refused) and lenient
 * about what follows a date: a date-time counts as its calendar date as
 * written, with no time-zone conversion (docs/rules.md, "Dates").
 */
#ifndef FOLLOWUP_DATE_H
#define FOLLOWUP_DATE_H

#include <stddef.h>

#define DATE_NONE (-2147483647 - 1)
/* A date written where one goes but not on the calendar (2026-02-30). */
#define DATE_INVALID (-2147483647)
/* "YYYY-MM-DD"; a computed day past 9999 has more digits ("10000-01-30"). */
#define DATE_BUFSZ 16

/* Is d a day on the calendar, not DATE_NONE or DATE_INVALID? */
static inline int
date_is_day(int d)
{
	return d != DATE_NONE && d != DATE_INVALID;
}

int date_from_ymd(int y, int m, int d);
/*
 * The last day followup takes as today, and the last an item of its feed
 * may start on (3000-12-30): libical, whose parse is the check every feed
 * passes, reads no date after 3000-12-31, and an event ends the day after
 * it starts.
 */
int date_feed_last_day(void);
void date_to_ymd(int day, int *y, int *m, int *d);
/* Writes "YYYY-MM-DD" into buf (DATE_BUFSZ bytes) and returns buf. */
char *date_format(int day, char *buf);

enum date_parse {
	DATE_OK,
	DATE_NOT_A_DATE,	/* not shaped like YYYY-MM-DD */
	DATE_IMPOSSIBLE,	/* shaped like one, not on the calendar */
};

/*
 * Parse exactly "YYYY-MM-DD" at s (n bytes, nothing after it).
 */
enum date_parse date_parse_exact(const char *s, size_t n, int *day);
/*
 * Parse a date or a date-time: "YYYY-MM-DD" alone or followed by 'T', 't'
 * or spaces and a time, "HH:MM[:SS[.fraction]]" and an optional zone (Z,
 * +HH, +HHMM, +HH:MM) as YAML and Obsidian write them. The time is
 * checked, not read: the date is the calendar date as written. Anything
 * else after the date ("2025-11-01 garbage") is not a date.
 */
enum date_parse date_parse_datetime(const char *s, size_t n, int *day);
/* A date at the start of s: 10 bytes "YYYY-MM-DD" not followed by a digit. */
enum date_parse date_parse_prefix(const char *s, size_t n, int *day);

/*
 * A cadence in days: "14", "14d", "2w" (docs/rules.md, "Cadence"), above
 * 0. Returns 0, or -1 when s is none.
 */
int date_parse_cadence(const char *s, size_t n, int *days);

#endif
