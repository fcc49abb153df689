/* Options and arguments shared by the tools that open one device (vfio-dump, vfio-bench). */
#ifndef VT_TOOL_OPTIONS_H
#define VT_TOOL_OPTIONS_H

#include <popt.h>
#include <stdbool.h>
#include <stddef.h>

#include "vfio/vfio_backend.h"

/* --json, --backend and --vf-token, set by tool_parse for every command. */
struct tool_common {
	int json;
	char *backend_text;
	enum vfio_backend_choice backend;
	char *vf_token;		/* an SR-IOV VF token (a UUID) to open the device with, or NULL */
};
extern struct tool_common tool_common;
extern struct poptOption tool_common_options[];

#define TOOL_MAX_ARGS 4

struct tool_args {
	size_t n;
	char *arg[TOOL_MAX_ARGS];
};

/*
 * Parses a command line whose table includes tool_common_options; options with a val
 * go to on_option (may be NULL; false after reporting stops).  Exactly min..max
 * positional arguments (usage names them).  False after reporting a usage error.
 */
bool tool_parse(int argc, const char **argv, const struct poptOption *table, const char *usage,
		size_t min, size_t max, bool (*on_option)(int val, const char *arg), struct tool_args *args);
void tool_args_free(struct tool_args *args);

/* Parses an unsigned number (decimal, 0x hex, or 0 octal) up to max; false after reporting. */
bool tool_parse_u64(const char *what, const char *text, unsigned long long max, unsigned long long *out);

#endif
