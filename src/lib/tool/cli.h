/* Verb dispatch and popt handling shared by the three tools. */
#ifndef VT_CLI_H
#define VT_CLI_H

#include <popt.h>
#include <stdbool.h>

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, const char **argv);
};

struct cli_program {
	const char *name;		/* "vfio-admin" */
	const char *summary;		/* one line for --help */
	const struct cli_command *commands;	/* NULL-terminated; may be empty */
};

/* Runs argv[1] as a command; handles --help, --version and unknown commands. */
int cli_dispatch(const struct cli_program *prog, int argc, char **argv);

/* "vfio-admin list": used in hints and usage lines. */
const char *cli_command_path(void);
/* For commands with subcommands ("vfio-admin persist add"). */
void cli_set_command_path(const char *path);

/*
 * Next option from popt: its val, 0 at the end of the options, -1 after reporting a
 * bad option (the caller exits 2). Handles -h/--help and -V/--version itself (prints
 * and exits 0) when the table holds CLI_HELP_OPTION.
 */
int cli_next_option(poptContext ctx);

#define CLI_HELP_VAL 0x1001
#define CLI_VERSION_VAL 0x1002
/* -h/--help and -V/--version, for every command's table. */
#define CLI_HELP_OPTION \
	{ "help", 'h', POPT_ARG_NONE, NULL, CLI_HELP_VAL, "Show this help", NULL }, \
	{ "version", 'V', POPT_ARG_NONE, NULL, CLI_VERSION_VAL, "Show the version", NULL }

#endif
