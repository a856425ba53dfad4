/*
 * module.h - the code that needs libcurl or libical (the folders net/,
 * feed/ and notifiers/) is built into a module of its own,
 * followup-net.so, which the binary loads only when a command needs it:
 * `check`, `ics`, `notify` and `run`. A `followup status`, `contacted` or
 * `snooze` then never maps those libraries nor the dozens they pull in
 * (TLS, Kerberos, LDAP, ICU, ...): about 8 MiB of memory and a few
 * milliseconds of start-up, at every scan.
 *
 * The binary reaches the module through two tables of functions, the
 * feed's (feed/feed.h) and the reminders' (notifiers/dispatch.h), found
 * by name; it links none of the module's code, so a call that went
 * around them would not link. The module uses the engine linked into the
 * binary, which exports its symbols for it (-rdynamic).
 *
 * The module is looked for next to the binary (the build folder), then in
 * ../lib/followup/ from it (where `make install` puts it, whatever PREFIX
 * and DESTDIR were). One of another version or build (its mark,
 * net/abi.c, differs) is refused. It is loaded once and never unloaded.
 */
#ifndef FOLLOWUP_MODULE_H
#define FOLLOWUP_MODULE_H

#define MODULE_NAME "followup-net.so"

struct feed_api;
struct dispatch_api;

/*
 * The module's table for the command named command. When the module
 * cannot be loaded, says why on stderr and returns NULL: the command then
 * exits EXIT_UNAVAILABLE (69).
 */
const struct feed_api *module_feed(const char *command);
const struct dispatch_api *module_dispatch(const char *command);

#endif
