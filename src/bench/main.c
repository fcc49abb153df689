/* vfio-bench: what a VFIO user pays for DMA mapping, interrupt delivery and MMIO. */
#include "bench.h"
#include "tool/cli.h"

static const struct cli_command commands[] = {
	{ "dma-map", "Map/unmap latency and mapping throughput by size and backing memory", cmd_dma_map },
	{ "irq", "Interrupt delivery latency: MSI, MSI-X or INTx, loopback or device-triggered", cmd_irq },
	{ "mmio", "Read and write latency of a BAR register through mmap and pread/pwrite", cmd_mmio },
	{ NULL, NULL, NULL },
};

static const struct cli_program program = {
	.name = "vfio-bench",
	.summary = "Measure what a VFIO user pays: DMA map/unmap, interrupt delivery, MMIO.",
	.commands = commands,
};

int main(int argc, char **argv)
{
	return cli_dispatch(&program, argc, argv);
}
