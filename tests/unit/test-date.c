/* Unit tests: calendar dates and cadences (core/date.c, core/note.c). */
#include <stdlib.h>

#include "../../core/date.h"
#include "../../core/note.h"
#include "unit.h"

static const struct {
	const char *text;
	enum date_parse want;
	const char *formatted;	/* when DATE_OK */
} datetimes[] = {
	{ "2025-12-01", DATE_OK, "2025-12-01" },
	{ "2026-01-09T16:30:00-08:00", DATE_OK, "2026-01-09" },
	{ "2026-01-09t23:59", DATE_OK, "2026-01-09" },
	{ "2026-01-09 16:30", DATE_OK, "2026-01-09" },
	{ "2001-12-14 21:59:43.10 -5", DATE_OK, "2001-12-14" },
	{ "2001-12-14t21:59:43.10-05:00", DATE_OK, "2001-12-14" },
	{ "2001-12-14T21:59:43Z", DATE_OK, "2001-12-14" },
	{ "2001-12-14T21:59:43+0530", DATE_OK, "2001-12-14" },
	{ "2001-12-14  9:05", DATE_OK, "2001-12-14" },
	{ "2025-11-01 garbage", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01 ", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T10", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T25:00", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T10:61", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T10:30:00.", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T10:30 EST", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T10:30Zulu", DATE_NOT_A_DATE, NULL },
	{ "2025-11-01T10:30+5:00", DATE_NOT_A_DATE, NULL },
	{ "2024-02-29", DATE_OK, "2024-02-29" },
	{ "2000-02-29", DATE_OK, "2000-02-29" },
	{ "1900-02-29", DATE_IMPOSSIBLE, NULL },
	{ "2025-02-29", DATE_IMPOSSIBLE, NULL },
	{ "2025-13-45", DATE_IMPOSSIBLE, NULL },
	{ "2025-04-31", DATE_IMPOSSIBLE, NULL },
	{ "2025-00-10", DATE_IMPOSSIBLE, NULL },
	{ "2025-01-00", DATE_IMPOSSIBLE, NULL },
	{ "2025-1-5", DATE_NOT_A_DATE, NULL },
	{ "2025/01/05", DATE_NOT_A_DATE, NULL },
	{ "yesterday", DATE_NOT_A_DATE, NULL },
	{ "2025-01-05x", DATE_NOT_A_DATE, NULL },
	{ "", DATE_NOT_A_DATE, NULL },
};

static const struct {
	const char *text;
	int ok;
	int days;
} cadences[] = {
	{ "14", 1, 14 }, { "14d", 1, 14 }, { "2w", 1, 14 }, { " 3W ", 1, 21 },
	{ "10D", 1, 10 }, { "+5", 1, 5 }, { "0", 0, 0 }, { "-3", 0, 0 },
	{ "0w", 0, 0 }, { "2m", 0, 0 }, { "w", 0, 0 }, { "", 0, 0 },
	{ "1.5", 0, 0 }, { "fortnight", 0, 0 }, { "99999999999", 0, 0 },
};

int
main(void)
{
	size_t i;
	char buf[DATE_BUFSZ], name[128];
	int day, y, m, d, bad = 0;

	for (i = 0; i < sizeof(datetimes) / sizeof(datetimes[0]); i++) {
		enum date_parse r = date_parse_datetime(datetimes[i].text,
		    strlen(datetimes[i].text), &day);

		snprintf(name, sizeof(name), "date parse \"%s\"",
		    datetimes[i].text);
		CHECK(name, r == datetimes[i].want && (r != DATE_OK ||
		    strcmp(date_format(day, buf), datetimes[i].formatted) == 0),
		    "got %d (%s), want %d", (int)r, r == DATE_OK ?
		    date_format(day, buf) : "-", (int)datetimes[i].want);
	}
	CHECK("date exact refuses a date-time",
	    date_parse_exact("2026-01-09T10:00", 16, &day) == DATE_NOT_A_DATE,
	    "accepted");
	CHECK("date prefix stops at the date",
	    date_parse_prefix("2026-01-09 rest", 15, &day) == DATE_OK &&
	    strcmp(date_format(day, buf), "2026-01-09") == 0, "refused");
	CHECK("date epoch", date_from_ymd(1970, 1, 1) == 0, "not 0");
	CHECK("date difference across a leap day",
	    date_from_ymd(2024, 3, 1) - date_from_ymd(2024, 2, 28) == 2,
	    "wrong");
	/* Every day from 1900 to 2100 round-trips. */
	for (day = date_from_ymd(1900, 1, 1); day < date_from_ymd(2100, 1, 1);
	    day++) {
		date_to_ymd(day, &y, &m, &d);
		if (date_from_ymd(y, m, d) != day)
			bad++;
	}
	CHECK("date round trip 1900-2100", bad == 0, "%d days differ", bad);

	for (i = 0; i < sizeof(cadences) / sizeof(cadences[0]); i++) {
		int got = -1, rc = date_parse_cadence(cadences[i].text,
		    strlen(cadences[i].text), &got);

		snprintf(name, sizeof(name), "cadence \"%s\"", cadences[i].text);
		CHECK(name, cadences[i].ok ? (rc == 0 && got == cadences[i].days)
		    : rc != 0, "rc %d days %d", rc, got);
	}
	return unit_exit();
}
