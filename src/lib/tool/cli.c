#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool/cli.h"
#include "util/report.h"

static char command_path[128];

const char *cli_command_path(void)
{
	return command_path;
}

void cli_set_command_path(const char *path)
{
	snprintf(command_path, sizeof(command_path), "%s", path);
}

static void print_help(const struct cli_program *prog, FILE *out)
{
	const struct cli_command *c;

	fprintf(out, "Usage: %s COMMAND [OPTIONS]\n%s\n", prog->name, prog->summary);
	if (prog->commands && prog->commands->name) {
		fputs("\nCommands:\n", out);
		for (c = prog->commands; c->name; c++)
			fprintf(out, "  %-10s %s\n", c->name, c->summary);
	}
	fprintf(out, "\nOptions:\n  -h, --help     Show this help\n"
		"  -V, --version  Show the version\n\n"
		"Run '%s COMMAND --help' for a command's options.\n", prog->name);
}

int cli_dispatch(const struct cli_program *prog, int argc, char **argv)
{
	const struct cli_command *c;
	const char *verb;

	vt_set_progname(prog->name);
	snprintf(command_path, sizeof(command_path), "%s", prog->name);
	if (argc < 2) {
		vt_error("command", "missing", "see '%s --help'", prog->name);
		return 2;
	}
	verb = argv[1];
	if (strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0 || strcmp(verb, "help") == 0) {
		print_help(prog, stdout);
		return 0;
	}
	if (strcmp(verb, "-V") == 0 || strcmp(verb, "--version") == 0) {
		printf("%s %s\n", prog->name, VFIO_TOOLS_VERSION);
		return 0;
	}
	for (c = prog->commands; c && c->name; c++)
		if (strcmp(c->name, verb) == 0) {
			snprintf(command_path, sizeof(command_path), "%s %s", prog->name, c->name);
			argv[1] = command_path;	/* popt names the program after argv[0] in help */
			return c->run(argc - 1, (const char **)argv + 1);
		}
	vt_error(verb, verb[0] == '-' ? "unknown option" : "unknown command",
		 "see '%s --help'", prog->name);
	return 2;
}

int cli_next_option(poptContext ctx)
{
	int rc = poptGetNextOpt(ctx);

	if (rc == CLI_HELP_VAL) {
		poptPrintHelp(ctx, stdout, 0);
		exit(0);
	}
	if (rc == CLI_VERSION_VAL) {
		printf("%s %s\n", vt_progname(), VFIO_TOOLS_VERSION);
		exit(0);
	}
	if (rc == -1)
		return 0;
	if (rc < -1) {
		vt_error(poptBadOption(ctx, POPT_BADOPTION_NOALIAS), poptStrerror(rc),
			 "see '%s --help'", cli_command_path());
		return -1;
	}
	return rc;
}
