/* vfio-admin: list devices and IOMMU groups, check and change their VFIO readiness. */
#include "tool/cli.h"
#include "commands.h"

static const struct cli_command commands[] = {
	{ "list", "List PCI devices with driver, IOMMU group and VFIO state", cmd_list },
	{ "groups", "List IOMMU groups, their members and whether VFIO can use them", cmd_groups },
	{ "check", "Check that the machine and devices can be assigned safely, and why not", cmd_check },
	{ "slots", "Show where a card would be isolated: the group a card in each port would join", cmd_slots },
	{ "bind", "Bind devices (whole groups with --group) to their VFIO driver, refusing devices in use", cmd_bind },
	{ "unbind", "Leave devices without a driver", cmd_unbind },
	{ "restore", "Give devices back the driver they had before bind or unbind", cmd_restore },
	{ "persist", "Bind devices at every boot and on hot-plug (udev): add, remove, list, apply", cmd_persist },
	{ "snapshot", "Write what list, groups and check read here into one tar, for a bug report (--sysroot reads it)", cmd_snapshot },
	{ "sriov", "Show and change a PF's SR-IOV VFs and autoprobe; set vfio-pci's VF token", cmd_sriov },
	{ NULL, NULL, NULL },
};

static const struct cli_program program = {
	.name = "vfio-admin",
	.summary = "Inspect and prepare PCI devices for VFIO.",
	.commands = commands,
};

int main(int argc, char **argv)
{
	return cli_dispatch(&program, argc, argv);
}
