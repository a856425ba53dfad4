/* version.h - followup's version, shown by --version and kept in caches. */
#ifndef FOLLOWUP_VERSION_H
#define FOLLOWUP_VERSION_H

#define FOLLOWUP_VERSION "0.1.0"

#endif
