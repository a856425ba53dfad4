/* date.c - civil dates as day numbers (see date.h). */
#include "date.h"

#include <stdio.h>

#include "util.h"

/* Howard Hinnant's days_from_civil, valid far beyond any note's dates. */
int
date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
date_feed_last_day(void)
{
	return date_from_ymd(3000, 12, 30);
}

void
date_to_ymd(int day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

char *
date_format(int day, char *buf)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* Never a parsed date: one a cadence carried past 9999. */
		snprintf(buf, DATE_BUFSZ, "%d-%02d-%02d", y, m, d);
		return buf;
	}
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static enum date_parse
parse_ten(const char *s, size_t n, int *day)
{
	static const int digit_at[] = { 0, 1, 2, 3, 5, 6, 8, 9 };
	int y, m, d;
	size_t i;

	if (n < 10 || s[4] != '-' || s[7] != '-')
		return DATE_NOT_A_DATE;
	for (i = 0; i < sizeof(digit_at) / sizeof(digit_at[0]); i++)
		if (!is_digit(s[digit_at[i]]))
			return DATE_NOT_A_DATE;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return DATE_IMPOSSIBLE;
	*day = date_from_ymd(y, m, d);
	return DATE_OK;
}

enum date_parse
date_parse_exact(const char *s, size_t n, int *day)
{
	if (n != 10)
		return DATE_NOT_A_DATE;
	return parse_ten(s, n, day);
}

/* Two digits at s[*i], at most max; they are stepped over. */
static int
two_digits(const char *s, size_t n, size_t *i, int max)
{
	int v;

	if (*i + 2 > n || !is_digit(s[*i]) || !is_digit(s[*i + 1]))
		return 0;
	v = (s[*i] - '0') * 10 + (s[*i + 1] - '0');
	*i += 2;
	return v <= max;
}

/*
 * What may follow a date in a date-time, as YAML's timestamps and
 * Obsidian's date-time properties write it: a time HH:MM, then :SS and a
 * fraction, then a zone (Z, +HH, +HHMM, +HH:MM), all but HH:MM optional;
 * YAML allows spaces before the zone. An hour of one digit is YAML's too.
 */
static int
is_time_tail(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 1 && is_digit(s[0]) && s[1] == ':')
		i = 1;			/* "9:30" */
	else if (!two_digits(s, n, &i, 24))
		return 0;
	if (i >= n || s[i++] != ':' || !two_digits(s, n, &i, 59))
		return 0;
	if (i < n && s[i] == ':') {
		i++;
		if (!two_digits(s, n, &i, 60))
			return 0;
		if (i < n && s[i] == '.') {
			if (++i >= n || !is_digit(s[i]))
				return 0;
			while (i < n && is_digit(s[i]))
				i++;
		}
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n)
		return 1;
	if (s[i] == 'Z' || s[i] == 'z')
		return i + 1 == n;
	if (s[i] != '+' && s[i] != '-')
		return 0;
	i++;
	if (n - i == 1 && is_digit(s[i]))
		return 1;		/* YAML's "-5" */
	if (!two_digits(s, n, &i, 23))
		return 0;
	if (i < n && s[i] == ':')
		i++;
	return i == n || (two_digits(s, n, &i, 59) && i == n);
}

enum date_parse
date_parse_datetime(const char *s, size_t n, int *day)
{
	size_t i = 11;

	if (n > 10) {
		if (s[10] != 'T' && s[10] != 't' && s[10] != ' ' &&
		    s[10] != '\t')
			return DATE_NOT_A_DATE;
		while (s[10] != 'T' && s[10] != 't' && i < n &&
		    (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (!is_time_tail(s + i, n - i))
			return DATE_NOT_A_DATE;
	}
	return parse_ten(s, n, day);
}

enum date_parse
date_parse_prefix(const char *s, size_t n, int *day)
{
	if (n > 10 && is_digit(s[10]))
		return DATE_NOT_A_DATE;
	return parse_ten(s, n, day);
}

int
date_parse_cadence(const char *s, size_t n, int *days)
{
	long value = 0;
	size_t i = 0;
	int mult = 1;

	trim_span(&s, &n);
	if (n == 0)
		return -1;
	if (s[n - 1] == 'd' || s[n - 1] == 'D')
		n--;
	else if (s[n - 1] == 'w' || s[n - 1] == 'W') {
		mult = 7;
		n--;
	}
	if (n > 0 && s[0] == '+')
		i++;
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || value > 100000)
			return -1;
		value = value * 10 + (s[i] - '0');
	}
	if (value <= 0)
		return -1;
	*days = (int)value * mult;
	return 0;
}
