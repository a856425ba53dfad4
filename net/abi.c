/*
 * abi.c - the mark of followup-net.so (cmd/module.h): the binary loads
 * only a module of its own version, built from the same headers
 * (FOLLOWUP_ABI, their hash, from the Makefile), since the two share
 * structs.
 */
#include "../core/version.h"

extern const char followup_net_version[];
const char followup_net_version[] = FOLLOWUP_VERSION " " FOLLOWUP_ABI;
