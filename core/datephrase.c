/*
 * datephrase.c - the operators and date phrases of Tasks' date filters
 * (docs/rules.md, "Query blocks: dates"). Tasks reads a phrase in this
 * order (DateParser.parseDateRange): a relative range ("last week"), a
 * numbered range ("2026-W02"), then chrono-node's dates, one or two; and
 * when all fail, chrono on the operator and the phrase together (so that
 * "in 3 days" reads as a date). Chrono finds dates anywhere in a text;
 * here a phrase must be a date and nothing else, so a phrase Tasks reads
 * with words around its date is refused (the caller warns) rather than
 * read by a guess.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "datephrase.h"

enum phrase_kind {
	PK_DAYS,	/* today + a .. today + b */
	PK_DATES,	/* the days a .. b */
	PK_PERIOD,	/* the week, month... (unit) a periods from today's */
	PK_MONTHS,	/* today + a months, the day clamped to the month */
	PK_WEEKDAY,	/* weekday a (Sunday 0) chosen the way b says */
	PK_MONTHDAY,	/* day b of month a in the year closest to today */
};

/* How chrono picks a weekday: the closest one, or in a Sunday week. */
enum weekday_pick {
	WP_CLOSEST,
	WP_THIS,
	WP_NEXT,
	WP_LAST,
};

enum period_unit {
	PU_WEEK,
	PU_MONTH,
	PU_QUARTER,
	PU_YEAR,
};

static const char *const period_names[] = { "week", "month", "quarter",
	"year" };

/*
 * The largest moves accepted ("in 99999 days", "in 3000 months"): past
 * them a date could leave the years date.h writes with four digits.
 */
#define MAX_DAYS 99999
#define MAX_MONTHS 3000

static int weekday(int day);
static int digits(const char *s, size_t n, int *value);
static int last_of_month(int y, int m);

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Does s (n bytes) start with word, ignoring ASCII case? */
static int
starts_word(const char *s, size_t n, const char *word)
{
	size_t i, w = strlen(word);

	if (n < w)
		return 0;
	for (i = 0; i < w; i++)
		if (lower(s[i]) != word[i])
			return 0;
	return 1;
}

static int
is_word(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && starts_word(s, n, word);
}

/* The length of the run of non-blanks at s. */
static size_t
token_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && !is_space(s[i]))
		i++;
	return i;
}

/* Skip one token and the blanks after it. */
static size_t
next_token(const char *s, size_t n, size_t at)
{
	at += token_len(s + at, n - at);
	while (at < n && is_space(s[at]))
		at++;
	return at;
}

static int
parse_count(const char *s, size_t n, int *value)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > MAX_DAYS)
		return -1;
	*value = (int)v;
	return 0;
}

static void
set_days(struct date_phrase *p, int a, int b)
{
	p->kind = PK_DAYS;
	p->unit = 0;
	p->a = a;
	p->b = b;
}

static void
set_period(struct date_phrase *p, int unit, int offset)
{
	p->kind = PK_PERIOD;
	p->unit = (unsigned char)unit;
	p->a = offset;
	p->b = 0;
}

static void
set_dates(struct date_phrase *p, int a, int b)
{
	p->kind = PK_DATES;
	p->unit = 0;
	p->a = a < b ? a : b;
	p->b = a < b ? b : a;
}

/* Find word (lower case) in a NULL-ended list, ignoring case. */
static int
word_index(const char *s, size_t n, const char *const *words)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (is_word(s, n, words[i]))
			return i;
	return -1;
}

/* chrono's count of a time unit: digits, one..twelve, a, an. */
static int
parse_amount(const char *s, size_t n, int *value)
{
	static const char *const words[] = { "a", "an", "one", "two",
		"three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", NULL };
	int i = word_index(s, n, words);

	if (i >= 0) {
		*value = i < 2 ? 1 : i - 1;
		return 0;
	}
	return parse_count(s, n, value);
}

/*
 * "N day(s)|week(s)|month(s)|year(s)": one amount of one unit, as days
 * (*months 0) or as months (*days 0). chrono adds hours and minutes too,
 * which would depend on the time of day: those are refused.
 */
static int
parse_time_unit(const char *s, size_t n, int *days, int *months)
{
	static const char *const units[] = { "day", "days", "week", "weeks",
		"month", "months", "year", "years", NULL };
	static const int per[] = { 1, 1, 7, 7, 1, 1, 12, 12 };
	size_t t = token_len(s, n), at = next_token(s, n, 0);
	int amount, u;

	/* chrono allows up to three blanks between the count and the unit. */
	if (at == t || at - t > 3 || parse_amount(s, t, &amount) != 0)
		return -1;
	u = word_index(s + at, n - at, units);
	if (u < 0 || (long)amount * per[u] > (u < 4 ? MAX_DAYS : MAX_MONTHS))
		return -1;
	*days = u < 4 ? amount * per[u] : 0;
	*months = u < 4 ? 0 : amount * per[u];
	return 0;
}

static void
set_moved(struct date_phrase *p, int days, int months)
{
	if (months == 0) {
		set_days(p, days, days);
		return;
	}
	p->kind = PK_MONTHS;
	p->unit = 0;
	p->a = months;
	p->b = 0;
}

/* Does s end with blanks then word? Sets *m to the length before them. */
static int
ends_with_word(const char *s, size_t n, const char *word, size_t *m)
{
	size_t w = strlen(word);

	if (n < w + 1 || !is_word(s + n - w, w, word) || !is_space(s[n - w - 1]))
		return 0;
	*m = n - w - 1;
	while (*m > 0 && is_space(s[*m - 1]))
		(*m)--;
	/* Five blanks at most before the word, as chrono counts them. */
	return n - w - *m <= 5;
}

/* "in 3 days", "after 2 weeks", "last 3 days", "+3 days" (chrono's
 * ENTimeUnitWithinFormatParser and ENTimeUnitCasualRelativeFormatParser). */
static int
parse_moved_prefix(const char *s, size_t n, struct date_phrase *p)
{
	static const char *const words[] = { "in", "within", "for", "after",
		"next", "this", "last", "past", NULL };
	size_t t = token_len(s, n), at = next_token(s, n, 0);
	int days, months, sign, i;

	if (n > 1 && (s[0] == '+' || s[0] == '-')) {
		sign = s[0] == '-' ? -1 : 1;
		at = 1;
		while (at < n && is_space(s[at]))
			at++;
	} else {
		i = word_index(s, t, words);
		if (i < 0 || at >= n)
			return -1;
		sign = i < 6 ? 1 : -1;
	}
	if (parse_time_unit(s + at, n - at, &days, &months) != 0)
		return -1;
	set_moved(p, sign * days, sign * months);
	return 0;
}

/* "3 days ago", "3 days later", "3 days from now" (chrono's
 * ENTimeUnitAgoFormatParser and ENTimeUnitLaterFormatParser). */
static int
parse_moved_suffix(const char *s, size_t n, struct date_phrase *p)
{
	static const char *const words[] = { "ago", "before", "earlier",
		"later", "after", "henceforth", "forward", "out", NULL };
	size_t m;
	int days, months, sign = 0, i;

	for (i = 0; words[i] != NULL && sign == 0; i++)
		if (ends_with_word(s, n, words[i], &m))
			sign = i < 3 ? -1 : 1;
	if (sign == 0 && ends_with_word(s, n, "from now", &m))
		sign = 1;
	if (sign == 0 || parse_time_unit(s, m, &days, &months) != 0)
		return -1;
	set_moved(p, sign * days, sign * months);
	return 0;
}

static int
parse_moved(const char *s, size_t n, struct date_phrase *p)
{
	return parse_moved_prefix(s, n, p) == 0 ||
	    parse_moved_suffix(s, n, p) == 0 ? 0 : -1;
}

/* today, tomorrow, yesterday and their short forms (chrono's casual). */
static int
parse_casual_day(const char *s, size_t n, struct date_phrase *p)
{
	static const char *const words[] = { "yesterday", "today", "now",
		"tonight", "tomorrow", "tmr", "tmrw", NULL };
	static const int offsets[] = { -1, 0, 0, 0, 1, 1, 1 };
	int i = word_index(s, n, words);

	if (i < 0)
		return -1;
	set_days(p, offsets[i], offsets[i]);
	return 0;
}

/* chrono's weekday names and short forms, Sunday 0. */
static int
parse_weekday_name(const char *s, size_t n)
{
	static const char *const names[] = { "sunday", "monday", "tuesday",
		"wednesday", "thursday", "friday", "saturday", NULL };
	static const char *const shorts[] = { "sun", "mon", "tue", "wed",
		"thu", "fri", "sat", NULL };
	int i = word_index(s, n, names);

	if (i >= 0)
		return i;
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (is_word(s, n, "thur") || is_word(s, n, "thurs"))
		return 4;
	return word_index(s, n, shorts);
}

/* "monday", "this|next|last|past monday" (chrono's ENWeekdayParser). */
static int
parse_weekday(const char *s, size_t n, struct date_phrase *p)
{
	static const char *const picks[] = { "this", "next", "last", "past",
		NULL };
	static const int pick_of[] = { WP_THIS, WP_NEXT, WP_LAST, WP_LAST };
	size_t t = token_len(s, n), at = next_token(s, n, 0);
	int pick = WP_CLOSEST, wd, i;

	if (at < n) {
		i = word_index(s, t, picks);
		if (i < 0)
			return -1;
		pick = pick_of[i];
		s += at;
		n -= at;
	}
	wd = parse_weekday_name(s, n);
	if (wd < 0)
		return -1;
	p->kind = PK_WEEKDAY;
	p->unit = 0;
	p->a = wd;
	p->b = pick;
	return 0;
}

/* chrono's month names and short forms, January 1. */
static int
parse_month_name(const char *s, size_t n)
{
	static const char *const names[] = { "january", "february", "march",
		"april", "may", "june", "july", "august", "september",
		"october", "november", "december", NULL };
	static const char *const shorts[] = { "jan", "feb", "mar", "apr",
		"may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL };
	int i = word_index(s, n, names);

	if (i >= 0)
		return i + 1;
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (is_word(s, n, "sept"))
		return 9;
	i = word_index(s, n, shorts);
	return i >= 0 ? i + 1 : -1;
}

/* A day of the month: 1..31, with or without st, nd, rd, th. */
static int
parse_day_number(const char *s, size_t n)
{
	int d;

	if (n > 2 && (is_word(s + n - 2, 2, "st") || is_word(s + n - 2, 2,
	    "nd") || is_word(s + n - 2, 2, "rd") || is_word(s + n - 2, 2,
	    "th")))
		n -= 2;
	if (n < 1 || n > 2 || digits(s, n, &d) != 0 || d < 1 || d > 31)
		return -1;
	return d;
}

static int
days_in(int y, int m)
{
	return last_of_month(y, m) - date_from_ymd(y, m, 1) + 1;
}

/*
 * "25 May", "25th May", "May 25", "May 25th", each with an optional
 * four-digit year after it ("May 25 2026", "25 May 2026"); chrono's
 * month-name parsers, without their ranges, commas and two-digit years.
 */
static int
parse_month_day(const char *s, size_t n, struct date_phrase *p)
{
	size_t t1 = token_len(s, n), at2 = next_token(s, n, 0), t2, at3;
	int d, m, y = -1;

	/* Three blanks at most between the parts, as chrono allows. */
	if (at2 >= n || at2 - t1 > 3)
		return -1;
	t2 = token_len(s + at2, n - at2);
	at3 = next_token(s, n, at2);
	if (at3 < n && at3 - at2 - t2 > 3)
		return -1;
	if (at3 < n) {
		if (n - at3 != 4 || digits(s + at3, 4, &y) != 0 || y < 1000 ||
		    y > 2999)
			return -1;
	} else if (at2 + t2 != n)
		return -1;
	d = parse_day_number(s, t1);
	m = parse_month_name(s + at2, t2);
	if (d < 0 || m < 0) {
		m = parse_month_name(s, t1);
		d = parse_day_number(s + at2, t2);
	}
	if (d < 0 || m < 0)
		return -1;
	if (y < 0) {
		/* A day that is not in every year (29 February) is refused. */
		if (d > days_in(2025, m))
			return -1;
		p->kind = PK_MONTHDAY;
		p->unit = 0;
		p->a = m;
		p->b = d;
		return 0;
	}
	if (d > days_in(y, m))
		return -1;
	set_dates(p, date_from_ymd(y, m, d), date_from_ymd(y, m, d));
	return 0;
}

/*
 * "May", "Sept", "May 2026" (chrono's ENMonthNameParser): the first of the
 * month, in the year given or the one closest to today. A short name of
 * three letters alone ("Dec") is not a month to chrono.
 */
static int
parse_month_alone(const char *s, size_t n, struct date_phrase *p)
{
	size_t t = token_len(s, n), at = next_token(s, n, 0);
	int m = parse_month_name(s, t), y;

	if (m < 0)
		return -1;
	if (at >= n) {
		if (t <= 3 && !is_word(s, t, "may"))
			return -1;
		p->kind = PK_MONTHDAY;
		p->unit = 0;
		p->a = m;
		p->b = 1;
		return 0;
	}
	if (at - t > 3 || n - at != 4 || digits(s + at, 4, &y) != 0 ||
	    y < 1000 || y > 2999)
		return -1;
	set_dates(p, date_from_ymd(y, m, 1), date_from_ymd(y, m, 1));
	return 0;
}

/* A single date: YYYY-MM-DD. */
static int
parse_absolute(const char *s, size_t n, int *day)
{
	return date_parse_exact(s, n, day) == DATE_OK ? 0 : -1;
}

/* One date or two separated by blanks, as chrono finds them. */
static int
parse_dates(const char *s, size_t n, struct date_phrase *p)
{
	size_t t = token_len(s, n), at = next_token(s, n, 0);
	int a, b;

	if (parse_absolute(s, n, &a) == 0) {
		set_dates(p, a, a);
		return 0;
	}
	if (parse_casual_day(s, n, p) == 0 || parse_moved(s, n, p) == 0 ||
	    parse_weekday(s, n, p) == 0 || parse_month_day(s, n, p) == 0 ||
	    parse_month_alone(s, n, p) == 0)
		return 0;
	if (at < n && parse_absolute(s, t, &a) == 0 &&
	    parse_absolute(s + at, n - at, &b) == 0) {
		set_dates(p, a, b);
		return 0;
	}
	return -1;
}

/* Monday = 0 ... Sunday = 6; day 0 (1970-01-01) was a Thursday. */
static int
weekday(int day)
{
	int w = (day + 3) % 7;

	return w < 0 ? w + 7 : w;
}

/* The Monday of ISO week 1 of year y: the week holding 4 January. */
static int
iso_week_one(int y)
{
	int jan4 = date_from_ymd(y, 1, 4);

	return jan4 - weekday(jan4);
}

static int
iso_weeks_in(int y)
{
	return (iso_week_one(y + 1) - iso_week_one(y)) / 7;
}

static int
digits(const char *s, size_t n, int *value)
{
	size_t i;

	*value = 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		*value = *value * 10 + (s[i] - '0');
	}
	return n > 0 ? 0 : -1;
}

static int
last_of_month(int y, int m)
{
	return m == 12 ? date_from_ymd(y + 1, 1, 1) - 1 :
	    date_from_ymd(y, m + 1, 1) - 1;
}

/*
 * The numbered ranges of DateParser.parseNumberedDateRange: 2026, 2026-Q1,
 * 2026-01, 2026-W02 (an ISO week of an ISO year), the whole phrase.
 */
static int
parse_numbered(const char *s, size_t n, struct date_phrase *p)
{
	int y, v;

	if (n < 4 || digits(s, 4, &y) != 0)
		return -1;
	if (n == 4) {
		set_dates(p, date_from_ymd(y, 1, 1), date_from_ymd(y, 12, 31));
		return 0;
	}
	if (s[4] != '-')
		return -1;
	if (n == 7 && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
		v = s[6] - '0';
		set_dates(p, date_from_ymd(y, 3 * v - 2, 1),
		    last_of_month(y, 3 * v));
		return 0;
	}
	if (n == 7 && digits(s + 5, 2, &v) == 0 && v >= 1 && v <= 12) {
		set_dates(p, date_from_ymd(y, v, 1), last_of_month(y, v));
		return 0;
	}
	if (n == 8 && s[5] == 'W' && digits(s + 6, 2, &v) == 0 && v >= 1 &&
	    v <= iso_weeks_in(y)) {
		int monday = iso_week_one(y) + 7 * (v - 1);

		set_dates(p, monday, monday + 6);
		return 0;
	}
	return -1;
}

/*
 * DateParser.parseRelativeDateRange: the first "last|this|next
 * week|month|quarter|year" anywhere in the phrase (the regular expression
 * is not anchored and minds case), whatever is around it.
 */
static int
find_relative(const char *s, size_t n, struct date_phrase *p)
{
	static const char *const moves[] = { "last", "this", "next" };
	size_t i, m, u, w;

	for (i = 0; i + 5 < n; i++) {
		for (m = 0; m < 3; m++) {
			if (strncmp(s + i, moves[m], 4) != 0 || s[i + 4] != ' ')
				continue;
			for (u = 0; u < 4; u++) {
				w = strlen(period_names[u]);
				if (n - i - 5 >= w &&
				    strncmp(s + i + 5, period_names[u], w) == 0) {
					set_period(p, (int)u, (int)m - 1);
					return 0;
				}
			}
		}
	}
	return -1;
}

int
date_phrase_parse(const char *s, size_t n, struct date_phrase *p)
{
	trim(&s, &n);
	if (n == 0)
		return -1;
	if (find_relative(s, n, p) == 0 || parse_numbered(s, n, p) == 0)
		return 0;
	return parse_dates(s, n, p);
}

int
date_filter_parse(const char *s, size_t n, enum date_op *op,
    struct date_phrase *p)
{
	/* In the order of DateField.filterRegExp()'s alternatives. */
	static const struct {
		const char *word;
		enum date_op op;
	} ops[] = {
		{ "on or before", DO_ON_OR_BEFORE },
		{ "in or before", DO_ON_OR_BEFORE },
		{ "before", DO_BEFORE },
		{ "on or after", DO_ON_OR_AFTER },
		{ "in or after", DO_ON_OR_AFTER },
		{ "after", DO_AFTER },
		{ "on", DO_ON },
		{ "in", DO_ON },
	};
	const char *rest = s;
	size_t i, m = n;

	*op = DO_ON;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (starts_word(s, n, ops[i].word)) {
			*op = ops[i].op;
			rest = s + strlen(ops[i].word);
			m = n - strlen(ops[i].word);
			break;
		}
	}
	if (date_phrase_parse(rest, m, p) == 0)
		return 0;
	/*
	 * Tasks' second try: the operator and the phrase as one date, where
	 * chrono finds "in 3 days" or "after 3 days", and in "on or after 2
	 * weeks" the "after 2 weeks" at its end.
	 */
	if (rest == s)
		return -1;
	if (date_phrase_parse(s, n, p) == 0)
		return 0;
	i = (size_t)(rest - s);
	if (i > 5 && starts_word(rest - 5, 5, "after") && is_space(rest[-6]))
		return date_phrase_parse(rest - 5, m + 5, p);
	return -1;
}

/* The first day of the month m months from y-mo (mo 1..12). */
static int
month_start(int y, int mo, int m)
{
	int k = y * 12 + (mo - 1) + m;
	int ky = k >= 0 ? k / 12 : -((-k + 11) / 12);

	return date_from_ymd(ky, k - ky * 12 + 1, 1);
}

/* Today's week, month, quarter or year, moved by offset (DateRange.ts). */
static void
resolve_period(int unit, int offset, int today, int *first, int *last)
{
	int y, m, d, len;

	if (unit == PU_WEEK) {
		*first = today - weekday(today) + 7 * offset;
		*last = *first + 6;
		return;
	}
	date_to_ymd(today, &y, &m, &d);
	len = unit == PU_MONTH ? 1 : unit == PU_QUARTER ? 3 : 12;
	if (unit == PU_QUARTER)
		m = m - (m - 1) % 3;
	else if (unit == PU_YEAR)
		m = 1;
	*first = month_start(y, m, len * offset);
	*last = month_start(y, m, len * offset + len) - 1;
}

/* today + months, the day kept or clamped to the month's last (dayjs). */
static int
add_months(int today, int months)
{
	int y, m, d, first = 0, len;

	date_to_ymd(today, &y, &m, &d);
	first = month_start(y, m, months);
	date_to_ymd(first, &y, &m, &len);
	len = days_in(y, m);
	return first + (d < len ? d : len) - 1;
}

/* dayjs' day(n): weekday n of today's week, weeks starting on Sunday. */
static int
resolve_weekday(int wd, int pick, int today)
{
	int ref = (weekday(today) + 1) % 7, sunday = today - ref;

	switch (pick) {
	case WP_THIS:
		return sunday + wd;
	case WP_NEXT:
		return sunday + wd + 7;
	case WP_LAST:
		return sunday + wd - 7;
	default:
		break;
	}
	/* toDayJSClosestWeekday: the nearest of the three. */
	if (abs(wd - 7 - ref) < abs(wd - ref))
		return sunday + wd - 7;
	if (abs(wd + 7 - ref) < abs(wd - ref))
		return sunday + wd + 7;
	return sunday + wd;
}

/* findYearClosestToRef: m-d in today's year, the next or the last. */
static int
resolve_month_day(int m, int d, int today)
{
	int y, tm, td, here, next, last;

	date_to_ymd(today, &y, &tm, &td);
	here = date_from_ymd(y, m, d);
	next = date_from_ymd(y + 1, m, d);
	last = date_from_ymd(y - 1, m, d);
	if (abs(next - today) < abs(here - today))
		return next;
	if (abs(last - today) < abs(here - today))
		return last;
	return here;
}

void
date_phrase_resolve(const struct date_phrase *p, int today, int *first,
    int *last)
{
	switch (p->kind) {
	case PK_DAYS:
		*first = today + p->a;
		*last = today + p->b;
		return;
	case PK_PERIOD:
		resolve_period(p->unit, p->a, today, first, last);
		return;
	case PK_MONTHS:
		*first = *last = add_months(today, p->a);
		return;
	case PK_WEEKDAY:
		*first = *last = resolve_weekday(p->a, p->b, today);
		return;
	case PK_MONTHDAY:
		*first = *last = resolve_month_day(p->a, p->b, today);
		return;
	case PK_DATES:
	default:
		*first = p->a;
		*last = p->b;
		return;
	}
}

int
date_op_matches(enum date_op op, int first, int last, int day)
{
	switch (op) {
	case DO_BEFORE:
		return day < first;
	case DO_AFTER:
		return day > last;
	case DO_ON_OR_BEFORE:
		return day <= last;
	case DO_ON_OR_AFTER:
		return day >= first;
	case DO_ON:
	default:
		return day >= first && day <= last;
	}
}
