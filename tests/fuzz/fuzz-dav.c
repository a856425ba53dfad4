/*
 * fuzz-dav - libFuzzer harness for what followup reads from a WebDAV
 * server and from a previous feed: the multistatus reader, percent-decoding
 * (feed/publish.c) and the feed comparison (feed/calendar.c). The
 * first byte picks which, as md4c's harnesses pick flags; any bytes give
 * a result, never a crash or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../feed/calendar.h"
#include "../../core/util.h"
#include "../../feed/dav.h"
#include "../../feed/publish.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	struct dav_listing l;
	size_t n = size - 1, i, half;
	char *s;

	if (size < 1 || size > 65536)
		return 0;
	switch (data[0] % 3) {
	case 0:
		if (dav_parse_multistatus(text, n, &l) == 0) {
			for (i = 0; i < l.n; i++) {
				s = percent_decode(l.items[i].href,
				    strlen(l.items[i].href));
				free(s);
			}
			dav_listing_release(&l);
		}
		break;
	case 1:
		half = n / 2;
		(void)calendar_same(text, half, text + half, n - half);
		(void)calendar_content_hash(text, n);
		(void)calendar_is_ical(text, n);
		break;
	default:
		s = percent_decode(text, n);
		free(s);
		break;
	}
	return 0;
}
