/*
 * net.c - the mark of followup-net.so (see module.h): the binary loads
 * only a module of its own version.
 */
#include "../core/version.h"

extern const char followup_net_version[];
const char followup_net_version[] = FOLLOWUP_VERSION;
