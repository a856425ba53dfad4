/*
 * module.h - the commands that need libcurl or libical (check, ics,
 * notify, run) are built into a module of their own, followup-net.so,
 * which the binary loads only when one of them runs. A `followup status`,
 * `contacted` or `snooze` then never maps those libraries nor the dozens
 * they pull in (TLS, Kerberos, LDAP, ICU, ...): about 8 MiB of memory and
 * a few milliseconds of start-up, at every scan.
 *
 * The module is looked for next to the binary (the build folder), then in
 * ../lib/followup/ from it (where `make install` puts it, whatever PREFIX
 * and DESTDIR were). It uses the engine linked into the binary, which
 * exports its symbols for it (-rdynamic), and is never unloaded.
 */
#ifndef FOLLOWUP_MODULE_H
#define FOLLOWUP_MODULE_H

#define MODULE_NAME "followup-net.so"

struct command;

/*
 * The run of a command that lives in the module: load it (once) and run
 * its function cmd_NAME (cmd_ics for "ics"). When the module cannot be
 * loaded, says why on stderr and returns EXIT_UNAVAILABLE (69).
 */
int cmd_from_module(const struct command *cmd, int argc, char **argv);

#endif
