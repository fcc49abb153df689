/* vfio-dump: a device as VFIO shows it to user space (commands arrive with issue 5). */
#include "cli.h"

static const struct cli_command commands[] = {
	{ NULL, NULL, NULL },
};

static const struct cli_program program = {
	.name = "vfio-dump",
	.summary = "Show a device the way VFIO presents it: info, config, regions, IRQs, IOMMU.",
	.commands = commands,
};

int main(int argc, char **argv)
{
	return cli_dispatch(&program, argc, argv);
}
