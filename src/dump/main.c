/* vfio-dump: a device as VFIO shows it to user space, read through the VFIO ioctls. */
#include "tool/cli.h"
#include "dump.h"

static const struct cli_command commands[] = {
	{ "info", "Device flags, number of regions and IRQs, device capabilities, device features", cmd_info },
	{ "config", "Config space as VFIO shows it: decoded capabilities, hex (-x), --diff-sysfs", cmd_config },
	{ "regions", "Regions (BARs, ROM, config): size, offset, flags, sparse mmap areas", cmd_regions },
	{ "bars", "The same as regions", cmd_regions },
	{ "read", "Hex dump of a window of a region, through pread or mmap", cmd_read },
	{ "write", "Write one value into a region (needs --force and --width)", cmd_write },
	{ "irqs", "Interrupt indexes (INTx, MSI, MSI-X, ERR, REQ): counts and flags", cmd_irqs },
	{ "iommu", "The IOMMU's view: page sizes, IOVA ranges, DMA windows, hardware", cmd_iommu },
	{ "rom", "The expansion ROM through VFIO: every image decoded; -o saves it", cmd_rom },
	{ NULL, NULL, NULL },
};

static const struct cli_program program = {
	.name = "vfio-dump",
	.summary = "Show a vfio-pci device the way VFIO presents it to user space.",
	.commands = commands,
};

int main(int argc, char **argv)
{
	return cli_dispatch(&program, argc, argv);
}
