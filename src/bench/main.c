/* vfio-bench: DMA mapping and interrupt micro-benchmarks (commands arrive with issue 6). */
#include "cli.h"

static const struct cli_command commands[] = {
	{ NULL, NULL, NULL },
};

static const struct cli_program program = {
	.name = "vfio-bench",
	.summary = "Measure VFIO DMA map/unmap, interrupt and MMIO latency.",
	.commands = commands,
};

int main(int argc, char **argv)
{
	return cli_dispatch(&program, argc, argv);
}
