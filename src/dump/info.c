/* vfio-dump info: VFIO_DEVICE_GET_INFO with its capability chain. */
#include <stdio.h>

#include "tool/cli.h"
#include "dump.h"
#include "util/report.h"
#include "vfio/vfio_nodes.h"

static const struct poptOption options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

static const char *backend_detail(const struct vfio_dev *d, char *buf, size_t len)
{
	char node[32];

	if (d->iommufd.device >= 0)
		snprintf(buf, len, "iommufd (/dev/vfio/devices/%s, IOAS %u)", d->iommufd.cdev, d->iommufd.ioas);
	else
		snprintf(buf, len, "group (/dev/vfio/%s)", vfio_group_node_name(d->group, node, sizeof(node)));
	return buf;
}

static void print_text(const struct vfio_dev *d, const struct vfio_device_desc *info)
{
	char buf[256];
	size_t i;

	printf("device        %s\n", d->address);
	printf("backend       %s\n", backend_detail(d, buf, sizeof(buf)));
	printf("flags         0x%x (%s)\n", info->flags, vfio_device_flags_format(info->flags, buf, sizeof(buf)));
	printf("regions       %u\n", info->num_regions);
	printf("irqs          %u\n", info->num_irqs);
	printf("capabilities  %s\n", info->n_caps ? "" : "none");
	for (i = 0; i < info->n_caps; i++) {
		const char *name = vfio_device_cap_name(info->caps[i].id);

		printf("  [0x%x] id %u v%u %s\n", info->caps[i].offset, info->caps[i].id, info->caps[i].version,
		       name ? name : "unknown");
	}
	if (info->has_pci_atomic_comp)
		printf("atomic ops    0x%x (PCIe AtomicOp completer sizes)\n", info->pci_atomic_comp);
	if (info->problem[0])
		printf("problem       %s\n", info->problem);
}

static void print_json(const struct vfio_dev *d, const struct vfio_device_desc *info)
{
	struct json j;
	char buf[256];
	size_t i;

	dump_json_begin(&j, d);
	json_string(&j, "cdev", d->iommufd.device >= 0 ? d->iommufd.cdev : NULL);
	json_uint(&j, "flags", info->flags);
	json_string(&j, "flag_names", vfio_device_flags_format(info->flags, buf, sizeof(buf)));
	json_uint(&j, "num_regions", info->num_regions);
	json_uint(&j, "num_irqs", info->num_irqs);
	json_array_begin(&j, "capabilities");
	for (i = 0; i < info->n_caps; i++) {
		json_object_begin(&j, NULL);
		json_uint(&j, "id", info->caps[i].id);
		json_uint(&j, "version", info->caps[i].version);
		json_string(&j, "name", vfio_device_cap_name(info->caps[i].id));
		json_object_end(&j);
	}
	json_array_end(&j);
	json_int_or_null(&j, "pci_atomic_comp", info->pci_atomic_comp, info->has_pci_atomic_comp);
	json_string(&j, "problem", info->problem[0] ? info->problem : NULL);
	dump_json_end(&j);
}

static bool show_info(const struct vfio_dev *d)
{
	struct vfio_device_desc info;
	char why[256];

	if (vfio_device_info_get(d->device, &info, why, sizeof(why)) < 0) {
		vt_error(d->address, "VFIO_DEVICE_GET_INFO failed", "%s", why);
		return false;
	}
	if (tool_common.json)
		print_json(d, &info);
	else
		print_text(d, &info);
	return true;
}

int cmd_info(int argc, const char **argv)
{
	return dump_device_command(argc, argv, options, NULL, show_info);
}
