/*
 * fuzz-config - libFuzzer harness for the config parser (libyaml and the
 * key table): any bytes give a config or diags, never a crash or a leak.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../config/config.h"
#include "../../core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct diag_list dl = DIAG_LIST_INIT;

	if (size > 65536)
		return 0;
	config_init(&cfg);
	config_parse(&cfg, "/fuzz/config.yml", (const char *)data, size, &dl);
	diag_list_release(&dl);
	config_release(&cfg);
	return 0;
}
