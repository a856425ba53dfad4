/*
 * fuzz-collate - libFuzzer harness for the text order of Tasks' sorts:
 * the input is cut at its first NUL (else its middle) into two texts,
 * a and b. Any bytes give an order that is reflexive and antisymmetric,
 * and a text ties with itself; never a crash or a read past either text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/collate.h"
#include "../../core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t alen = nul ? (size_t)(nul - data) : size / 2;
	size_t blen = size - alen - (nul != NULL);
	/* Copies of their exact length, so that ASan sees any overread. */
	char *a = xmalloc(alen ? alen : 1), *b = xmalloc(blen ? blen : 1);

	memcpy(a, data, alen);
	memcpy(b, data + alen + (nul != NULL), blen);
	if (collate_compare(a, alen, a, alen) != 0 ||
	    sign(collate_compare(a, alen, b, blen)) !=
	    -sign(collate_compare(b, blen, a, alen)))
		abort();
	free(a);
	free(b);
	return 0;
}
