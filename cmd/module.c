/* module.c - load followup-net.so and find its tables (see module.h). */
#include "module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../core/util.h"
#include "../core/version.h"

/* What net/abi.c marks the module with: the version and the headers' hash. */
#define MODULE_MARK FOLLOWUP_VERSION " " FOLLOWUP_ABI

/* The folder of the running binary, with its "/"; NULL when unknown. */
static char *
binary_folder(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (slash == NULL)
		return NULL;
	slash[1] = '\0';
	return xstrdup(path);
}

/*
 * dlopen() the module from the first folder that has it. A module of
 * another version or build (left over from an older install) is refused:
 * the structs it shares with the binary may differ.
 */
static void *
module_open(char **why)
{
	static const char *const where[] = { "", "../lib/followup/" };
	char *folder = binary_folder();
	const char *version;
	void *handle = NULL;
	char *path;
	size_t i;

	*why = NULL;
	if (folder == NULL) {
		*why = xstrdup("cannot find the binary's folder "
		    "(/proc/self/exe)");
		return NULL;
	}
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		path = xasprintf("%s%s%s", folder, where[i], MODULE_NAME);
		if (access(path, F_OK) == 0 || i + 1 == sizeof(where) /
		    sizeof(where[0])) {
			/* RTLD_NOW: a missing symbol fails here, not later. */
			handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
			if (handle == NULL)
				*why = xstrdup(dlerror());
			free(path);
			break;
		}
		free(path);
	}
	free(folder);
	if (handle == NULL)
		return NULL;
	version = dlsym(handle, "followup_net_version");
	if (version == NULL || strcmp(version, MODULE_MARK) != 0) {
		*why = xasprintf("%s is of another build of followup (%s), "
		    "not this one (%s)", MODULE_NAME, version ? version :
		    "unknown", MODULE_MARK);
		dlclose(handle);
		return NULL;
	}
	return handle;
}

/* The module, loaded once; NULL after saying why. */
static void *
module_handle(const char *command)
{
	static void *handle;
	static int tried;
	char *why = NULL;

	if (!tried) {
		tried = 1;
		handle = module_open(&why);
	}
	/* No memory to map it in is no broken install: exit 71, as for all. */
	if (handle == NULL && why != NULL && (strstr(why, "failed to map "
	    "segment") != NULL || strstr(why, "Cannot allocate memory") !=
	    NULL)) {
		fprintf(stderr, "followup: out of memory: cannot load %s for "
		    "the command \"%s\" (%s)\n", MODULE_NAME, command, why);
		exit(EXIT_OSERR);
	}
	if (handle == NULL) {
		fprintf(stderr, "followup: cannot load the command \"%s\": %s\n"
		    "  hint: install followup again (make install): it looks "
		    "for %s in ../lib/followup/ from its own folder\n", command,
		    why ? why : "it did not load before", MODULE_NAME);
		free(why);
	}
	return handle;
}

/* The table called name in the module, or NULL after saying why. */
static const void *
module_table(const char *command, const char *name)
{
	void *handle = module_handle(command);
	const void *table;

	if (handle == NULL)
		return NULL;
	if ((table = dlsym(handle, name)) == NULL)
		fprintf(stderr, "followup: cannot load the command \"%s\": "
		    "%s has no %s\n  hint: install followup again (make "
		    "install)\n", command, MODULE_NAME, name);
	return table;
}

const struct feed_api *
module_feed(const char *command)
{
	return module_table(command, "feed_api");
}

const struct dispatch_api *
module_dispatch(const char *command)
{
	return module_table(command, "dispatch_api");
}
