/* vfio-dump info: VFIO_DEVICE_GET_INFO with its capability chain, and the device features VFIO offers. */
#include <stdio.h>
#include <sys/utsname.h>
#include <linux/vfio.h>

#include "tool/cli.h"
#include "dump.h"
#include "util/report.h"
#include "vfio/vfio_features.h"
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

static void print_feature_text(const struct vfio_feature_status *st, const struct vfio_migration_desc *mig)
{
	char flags[64];

	printf("  %-28s %-8s ", st->def->name, vfio_feature_directions(st));
	if (st->state == VFIO_FEATURE_PROBE_FAILED)
		printf("%s\n", st->reason);
	else if (st->state != VFIO_FEATURE_OFFERED)
		printf("not offered: %s\n", st->reason);
	else if (st->def->number == VFIO_DEVICE_FEATURE_MIGRATION && mig->has_flags)
		printf("%s: %s\n", st->def->meaning, vfio_migration_flags_format(mig->flags, flags, sizeof(flags)));
	else if (st->def->number == VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE && mig->has_state)
		printf("%s: now %s\n", st->def->meaning, vfio_mig_state_name(mig->state) ?: "unknown");
	else
		printf("%s\n", st->def->meaning);
}

static void print_text(const struct vfio_dev *d, const struct vfio_device_desc *info,
		       const struct vfio_features *fs, const char *release)
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
	printf("features      VFIO_DEVICE_FEATURE probes (Linux %s)\n", release ? release : "unknown");
	for (i = 0; i < fs->n; i++)
		print_feature_text(&fs->status[i], &fs->migration);
}

static void print_features_json(struct json *j, const struct vfio_features *fs)
{
	const struct vfio_feature_status *st;
	const struct vfio_migration_desc *mig = &fs->migration;
	char flags[64];
	size_t i;

	json_array_begin(j, "features");
	for (i = 0; i < fs->n; i++) {
		st = &fs->status[i];
		json_object_begin(j, NULL);
		json_string(j, "name", st->def->name);
		json_uint(j, "number", st->def->number);
		json_bool(j, "get", st->get);
		json_bool(j, "set", st->set);
		json_bool(j, "supported", st->state == VFIO_FEATURE_OFFERED);
		json_string(j, "reason", st->reason[0] ? st->reason : NULL);
		json_string(j, "since", st->def->since);
		json_string(j, "meaning", st->def->meaning);
		json_object_end(j);
	}
	json_array_end(j);
	if (!mig->has_flags) {
		json_null(j, "migration");
		return;
	}
	json_object_begin(j, "migration");
	json_hex(j, "flags", mig->flags);
	json_string(j, "flag_names", vfio_migration_flags_format(mig->flags, flags, sizeof(flags)));
	json_string(j, "device_state", mig->has_state ? vfio_mig_state_name(mig->state) ?: "unknown" : NULL);
	json_object_end(j);
}

static void print_json(const struct vfio_dev *d, const struct vfio_device_desc *info,
		       const struct vfio_features *fs, const char *release)
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
	json_string(&j, "kernel_release", release);
	print_features_json(&j, fs);
	dump_json_end(&j);
}

static bool show_info(const struct vfio_dev *d)
{
	struct vfio_device_desc info;
	struct vfio_features fs;
	struct utsname uts;
	const char *release;
	char why[256];

	if (vfio_device_info_get(d->device, &info, why, sizeof(why)) < 0) {
		vt_error(d->address, "VFIO_DEVICE_GET_INFO failed", "%s", why);
		return false;
	}
	release = uname(&uts) == 0 ? uts.release : NULL;
	vfio_features_probe(d->device, release, &fs);
	if (tool_common.json)
		print_json(d, &info, &fs, release);
	else
		print_text(d, &info, &fs, release);
	return true;
}

int cmd_info(int argc, const char **argv)
{
	return dump_device_command(argc, argv, options, NULL, show_info);
}
