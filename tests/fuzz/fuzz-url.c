/*
 * fuzz-url - libFuzzer harness for notifier URLs: any bytes as a URL go
 * through url_parse(), then notifier_open() (the registry and the
 * service's own parse), what may be shown of it, and the formatting of a
 * test message and a digest. Nothing is sent. Any input gives a result or
 * a reason, never a crash or a leak; and no reason quotes the password.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../notifiers/notifier.h"
#include "../../notifiers/url.h"
#include "../unit/reminders.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_no_password(const struct notifier_url *u, const char *s)
{
	/* Short passwords may match by chance; long ones never should. */
	if (s != NULL && u->password != NULL && strlen(u->password) >= 12 &&
	    strstr(s, u->password) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notifier_url u;
	struct notifier n = { 0 };
	struct notifier_request req;
	struct reminder_batch b;
	const char *why;
	char *s, *reason = NULL, *shown;

	if (size > 16384)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (url_parse(s, &u, &why) == 0) {
		free(url_hostport(&u));
		(void)url_param_bool(&u, "to", 0);
		n.name = strdup("fuzz");
		if (notifier_open(&n, s, &reason) == 0) {
			b = sample_test();
			if (notifier_format(&n, &b, &req) == 0)
				notifier_request_release(&req);
			b = sample_digest();
			if (notifier_format(&n, &b, &req) == 0)
				notifier_request_release(&req);
		}
		check_no_password(&u, reason);
		shown = notifier_shown_url(&n);
		check_no_password(&u, shown);
		free(shown);
		free(reason);
		notifier_release(&n);
		url_release(&u);
	}
	free(s);
	return 0;
}
