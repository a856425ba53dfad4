/*
 * fuzz-datephrase - libFuzzer harness for the date phrases of Tasks' date
 * filters: any bytes as "OPERATOR PHRASE" through date_filter_parse(),
 * and a phrase read is resolved on several todays (a Monday, a Sunday,
 * 31 December, 29 February, the first and last years date.h writes).
 * Any input is read or refused, never a crash; a range read has its first
 * day on or before its last, and the operators agree with each other.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../core/date.h"
#include "../../core/datephrase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_range(const struct date_phrase *p, int today)
{
	int first, last, day;

	date_phrase_resolve(p, today, &first, &last);
	if (first > last)
		abort();
	for (day = first - 1; day <= first + 1; day++) {
		int on = date_op_matches(DO_ON, first, last, day);

		if (on && (!date_op_matches(DO_ON_OR_BEFORE, first, last, day) ||
		    !date_op_matches(DO_ON_OR_AFTER, first, last, day)))
			abort();
		if (on && (date_op_matches(DO_BEFORE, first, last, day) ||
		    date_op_matches(DO_AFTER, first, last, day)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int todays[][3] = { { 2026, 1, 5 }, { 2026, 1, 11 },
		{ 2026, 12, 31 }, { 2024, 2, 29 }, { 1000, 1, 1 },
		{ 9999, 12, 31 } };
	struct date_phrase p;
	enum date_op op;
	size_t i;

	if (date_filter_parse((const char *)data, size, &op, &p) != 0)
		return 0;
	if (op > DO_ON_OR_AFTER)
		abort();
	for (i = 0; i < sizeof(todays) / sizeof(todays[0]); i++)
		check_range(&p, date_from_ymd(todays[i][0], todays[i][1],
		    todays[i][2]));
	return 0;
}
