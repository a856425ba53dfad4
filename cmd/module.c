/* module.c - load followup-net.so and run a command of it (see module.h). */
#include "module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../core/util.h"

/* What net.c marks the module with: the version and the headers' hash. */
#define MODULE_MARK FOLLOWUP_VERSION " " FOLLOWUP_ABI

typedef int (*command_fn)(const struct command *cmd, int argc, char **argv);

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

int
cmd_from_module(const struct command *cmd, int argc, char **argv)
{
	char *why, *name;
	void *handle = module_open(&why);
	command_fn run = NULL;

	if (handle != NULL) {
		name = xasprintf("cmd_%s", cmd->name);
		/* POSIX makes a function pointer of dlsym()'s void *. */
		*(void **)&run = dlsym(handle, name);
		if (run == NULL)
			why = xasprintf("%s has no %s", MODULE_NAME, name);
		free(name);
	}
	if (run == NULL) {
		fprintf(stderr, "followup: cannot load the command \"%s\": %s\n"
		    "  hint: install followup again (make install): it looks "
		    "for %s in ../lib/followup/ from its own folder\n",
		    cmd->name, why, MODULE_NAME);
		free(why);
		return EXIT_UNAVAILABLE;
	}
	/*
	 * Never unloaded: libstdc++ and the TLS libraries it brought stay
	 * loaded whatever dlclose() says.
	 */
	return run(cmd, argc, argv);
}
