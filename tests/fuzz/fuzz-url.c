/*
 * fuzz-url - libFuzzer harness for notifier URLs: any bytes as a URL go
 * through url_parse(), then notifier_open() (the registry and the
 * service's own parse), what may be shown of it, and the formatting of a
 * test message and a digest, and what --dry-run prints of the digest.
 * Nothing is sent. Any input gives a result or a reason, never a crash or
 * a leak; and no reason, shown URL or dry run quotes the password.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../notifiers/notifier.h"
#include "../../net/url.h"
#include "../unit/reminders.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_no_password(const struct url *u, const char *s)
{
	/* Short passwords may match by chance; long ones never should,
	 * unless the scheme or the host (which may be shown) holds them. */
	if (s != NULL && u->password != NULL && strlen(u->password) >= 12 &&
	    strstr(s, u->password) != NULL &&
	    strstr(u->scheme, u->password) == NULL &&
	    strstr(u->host, u->password) == NULL)
		abort();
}

/* Whether the URL holds the password in a part a message may carry too
 * (a recipient in the path, a from= address). */
static int
password_elsewhere(const struct url *u)
{
	size_t i;

	if (u->password == NULL || u->password[0] == '\0')
		return 0;
	if (strstr(u->path, u->password) != NULL ||
	    (u->user != NULL && strstr(u->user, u->password) != NULL))
		return 1;
	for (i = 0; i < u->nparams; i++)
		if (strstr(u->params[i].key, u->password) != NULL ||
		    strstr(u->params[i].value, u->password) != NULL)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct url u;
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
			if (notifier_format(&n, &b, &req) == 0) {
				/* What --dry-run prints of it. */
				char *printed = NULL;
				size_t len = 0;
				FILE *f = open_memstream(&printed, &len);

				notifier_request_print(f, &n, &req);
				fclose(f);
				if (!password_elsewhere(&u))
					check_no_password(&u, printed);
				free(printed);
				notifier_request_release(&req);
			}
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
