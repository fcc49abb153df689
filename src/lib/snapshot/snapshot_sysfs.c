#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/live_facts.h"
#include "pci/pci_config.h"
#include "snapshot/snapshot_sysfs.h"
#include "util/report.h"
#include "util/sysfs.h"

struct sysfs_walk {
	struct snapshot_archive *a;
	char root[PATH_MAX];	/* sysfs_root(), resolved */
	char **copied;		/* device directories already copied (relative to root) */
	size_t n_copied;
};

/*
 * A device's attributes: the PCI core's (and virtio's and mdev's), none that a driver adds:
 * those may hold serial numbers (amdgpu's serial_number), and reading some wakes the device.
 * Never resourceN (reading an I/O BAR's is port I/O), rom or vpd.
 */
static const char *const device_files[] = {
	"vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision", "modalias",
	"irq", "numa_node", "local_cpulist", "label", "index", "acpi_index", "driver_override",
	"resource", "config", "boot_vga", "reset_method", "d3cold_allowed", "power_state",
	"current_link_speed", "current_link_width", "max_link_speed", "max_link_width",
	"secondary_bus_number", "subordinate_bus_number", "ari_enabled", "msi_bus", "enable",
	"broken_parity_status", "sriov_totalvfs", "sriov_numvfs", "sriov_offset", "sriov_stride",
	"sriov_vf_device", "sriov_drivers_autoprobe", "sriov_vf_total_msix", "sriov_vf_msix_count",
	"features", "dev", "name", "device_api", "available_instances", "description", NULL,
};
static const char *const device_links[] = {
	"driver", "iommu_group", "iommu", "physfn", "of_node", "mdev_type", "subsystem", NULL,
};
static const char *const device_dirs[] = { "vfio-dev", "msi_irqs", NULL };
/* the buses whose devices/ links are copied whole (list, groups, check read them) */
static const char *const walked_buses[] = { "pci", "virtio", "mdev", NULL };

/* DMI: the model, never the serials nor the UUID */
static const char *const dmi_files[] = {
	"sys_vendor", "product_name", "product_version", "product_family", "board_vendor", "board_name",
	"bios_vendor", "bios_version", "bios_date", NULL,
};

/* device-tree properties that identify one machine (serials, location codes hold them too) */
static const char *const dt_denied[] = { "serial", "system-id", "vpd", "loc-code", "uuid", "mac-address", NULL };

static bool listed(const char *const *names, const char *name)
{
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

static bool full_path(const struct sysfs_walk *w, char *buf, size_t len, const char *rel)
{
	return snprintf(buf, len, "%s/%s", w->root, rel) < (int)len;
}

static bool archive_name(char *buf, size_t len, const char *rel)
{
	return snprintf(buf, len, "sys/%s", rel) < (int)len;
}

static void copy_file(struct sysfs_walk *w, const char *rel)
{
	char path[PATH_MAX], name[PATH_MAX];

	if (full_path(w, path, sizeof(path), rel) && archive_name(name, sizeof(name), rel))
		snapshot_add_file(w->a, name, path);
}

static void copy_link(struct sysfs_walk *w, const char *rel)
{
	char path[PATH_MAX], name[PATH_MAX];

	if (full_path(w, path, sizeof(path), rel) && archive_name(name, sizeof(name), rel))
		snapshot_add_link(w->a, name, path);
}

/* The config space with the serial numbers zeroed. */
static void copy_config(struct sysfs_walk *w, const char *rel)
{
	char path[PATH_MAX], name[PATH_MAX];
	struct pci_config cfg;
	size_t len;
	char *data;

	if (!full_path(w, path, sizeof(path), rel) || !archive_name(name, sizeof(name), rel) ||
	    !(data = snapshot_read(path, PCI_CONFIG_MAX_SIZE, &len))) {
		w->a->skipped++;
		return;
	}
	memset(cfg.data, 0xff, sizeof(cfg.data));
	memcpy(cfg.data, data, len);
	cfg.len = len;
	w->a->masked += pci_config_mask_serials(&cfg);
	snapshot_add_data(w->a, name, cfg.data, len);
	free(data);
}

/* A link's target as a path relative to the root; false when it leaves the root. */
static bool resolve(const struct sysfs_walk *w, const char *rel, char *out, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];
	size_t n = strlen(w->root);

	if (!full_path(w, path, sizeof(path), rel) || !realpath(path, real) || strncmp(real, w->root, n) != 0 ||
	    real[n] != '/')
		return false;
	return snprintf(out, len, "%s", real + n + 1) < (int)len;
}

/* false when the directory rel was copied before (a module many drivers name, a device reached twice) */
static bool first_copy(struct sysfs_walk *w, const char *rel)
{
	size_t i;

	for (i = 0; i < w->n_copied; i++)
		if (strcmp(w->copied[i], rel) == 0)
			return false;
	w->copied = vt_xappend(w->copied, w->n_copied, sizeof(*w->copied));
	w->copied[w->n_copied++] = vt_xstrdup(rel);
	return true;
}

typedef void entry_fn(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg);

/* Calls fn for each entry of the directory rel (lstat'ed); false when it cannot be opened. */
static bool each_entry(struct sysfs_walk *w, const char *rel, entry_fn *fn, void *arg)
{
	char path[PATH_MAX], child[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (!full_path(w, path, sizeof(path), rel) || !(d = opendir(path)))
		return false;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    snprintf(child, sizeof(child), "%s/%s", rel, e->d_name) >= (int)sizeof(child))
			continue;
		fn(w, child, e->d_name, &st, arg);
	}
	closedir(d);
	return true;
}

/* Readable files and links, directories down to *depth levels more; never power/ nor uevent. */
static void tree_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	int depth = *(int *)arg - 1;

	if (strcmp(name, "power") == 0 || strcmp(name, "uevent") == 0)
		return;
	if (S_ISLNK(st->st_mode))
		copy_link(w, rel);
	else if (S_ISREG(st->st_mode) && (st->st_mode & S_IRUSR))
		copy_file(w, rel);
	else if (S_ISDIR(st->st_mode) && depth > 0)
		each_entry(w, rel, tree_entry, &depth);
}

static void copy_tree(struct sysfs_walk *w, const char *rel, int depth)
{
	char name[PATH_MAX], path[PATH_MAX];

	if (full_path(w, path, sizeof(path), rel) && access(path, F_OK) == 0 && archive_name(name, sizeof(name), rel))
		snapshot_add_dirs(w->a, name);
	each_entry(w, rel, tree_entry, &depth);
}

static void copy_module(struct sysfs_walk *w, const char *module)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "module/%s", module);
	if (first_copy(w, rel))
		copy_tree(w, rel, 2);	/* initstate, refcnt, parameters/, holders/, drivers/ */
}

static void copy_device(struct sysfs_walk *w, const char *rel);

static void device_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	char target[PATH_MAX];

	(void)arg;
	if (S_ISLNK(st->st_mode) && (listed(device_links, name) || strncmp(name, "virtfn", 6) == 0)) {
		copy_link(w, rel);
		if ((strcmp(name, "physfn") == 0 || strncmp(name, "virtfn", 6) == 0) && resolve(w, rel, target, sizeof(target)))
			copy_device(w, target);
		else if (strcmp(name, "mdev_type") == 0 && resolve(w, rel, target, sizeof(target)) && first_copy(w, target))
			copy_tree(w, target, 1);
	} else if (S_ISREG(st->st_mode) && (st->st_mode & S_IRUSR) && listed(device_files, name)) {
		if (strcmp(name, "config") == 0)
			copy_config(w, rel);
		else
			copy_file(w, rel);
	} else if (S_ISDIR(st->st_mode) && listed(device_dirs, name)) {
		copy_tree(w, rel, 2);
	}
}

static void copy_device(struct sysfs_walk *w, const char *rel)
{
	char name[PATH_MAX];

	if (!first_copy(w, rel))
		return;
	if (archive_name(name, sizeof(name), rel))
		snapshot_add_dirs(w->a, name);
	each_entry(w, rel, device_entry, NULL);
}

/* bus/BUS/devices/NAME links, and the devices they point to. */
static void bus_device_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	char target[PATH_MAX];

	(void)name, (void)arg;
	if (!S_ISLNK(st->st_mode))
		return;
	copy_link(w, rel);
	if (resolve(w, rel, target, sizeof(target)))
		copy_device(w, target);
}

static void copy_bus(struct sysfs_walk *w, const char *bus)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "bus/%s/devices", bus);
	each_entry(w, rel, bus_device_entry, NULL);
}

/* bus/pci/drivers/NAME: its device links and module link, and the module. */
static void driver_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	char link[PATH_MAX], target[PATH_MAX];

	(void)name, (void)arg;
	if (!S_ISDIR(st->st_mode))
		return;
	copy_tree(w, rel, 1);
	if (snprintf(link, sizeof(link), "%s/module", rel) < (int)sizeof(link) &&
	    resolve(w, link, target, sizeof(target)) && strncmp(target, "module/", 7) == 0)
		copy_module(w, target + 7);
}

/*
 * A group member of a bus that snapshot_sysfs() does not walk (platform devices on Arm):
 * its bus/BUS/devices/NAME link. A walked bus's links are copied by the walk, once.
 */
static void copy_bus_link(struct sysfs_walk *w, const char *dev_rel)
{
	char rel[PATH_MAX], bus[PATH_MAX], link[PATH_MAX * 2];
	const char *base = strrchr(dev_rel, '/');

	if (base && snprintf(rel, sizeof(rel), "%s/subsystem", dev_rel) < (int)sizeof(rel) &&
	    resolve(w, rel, bus, sizeof(bus)) && strncmp(bus, "bus/", 4) == 0 && !listed(walked_buses, bus + 4) &&
	    snprintf(link, sizeof(link), "%s/devices%s", bus, base) < (int)sizeof(link))
		copy_link(w, link);
}

static void group_member_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	char target[PATH_MAX];

	(void)name, (void)arg;
	if (!S_ISLNK(st->st_mode))
		return;
	copy_link(w, rel);
	if (resolve(w, rel, target, sizeof(target))) {
		copy_device(w, target);
		copy_bus_link(w, target);
	}
}

static void group_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	char devices[PATH_MAX];

	(void)name, (void)arg;
	if (!S_ISDIR(st->st_mode))
		return;
	copy_tree(w, rel, 1);	/* type, name, reserved_regions; devices/ below */
	snprintf(devices, sizeof(devices), "%s/devices", rel);
	each_entry(w, devices, group_member_entry, NULL);
}

static void iommu_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	char target[PATH_MAX];

	(void)name, (void)arg;
	if (S_ISDIR(st->st_mode)) {	/* a fake tree's; the kernel's are links */
		copy_tree(w, rel, 2);
		return;
	}
	copy_link(w, rel);
	if (resolve(w, rel, target, sizeof(target)) && first_copy(w, target))
		copy_tree(w, target, 2);	/* intel-iommu/, amd-iommu/: the registers; devices/ */
}

static void acpi_table_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	char archive[PATH_MAX];

	(void)arg;
	if (!S_ISREG(st->st_mode) || !archive_name(archive, sizeof(archive), rel))
		return;
	if (strcmp(name, "APIC") == 0)	/* its contents are read (MSI isolation on x86) */
		copy_file(w, rel);
	else
		snapshot_add_marker(w->a, archive);
}

static bool dt_allowed(const char *name)
{
	size_t i;

	for (i = 0; dt_denied[i]; i++)
		if (strstr(name, dt_denied[i]))
			return false;
	return true;
}

static void dt_entry(struct sysfs_walk *w, const char *rel, const char *name, const struct stat *st, void *arg)
{
	int depth = *(int *)arg - 1;
	char archive[PATH_MAX];

	if (!dt_allowed(name))
		return;
	if (S_ISREG(st->st_mode) && st->st_size <= 65536)
		copy_file(w, rel);
	else if (S_ISDIR(st->st_mode) && depth > 0 && archive_name(archive, sizeof(archive), rel)) {
		snapshot_add_dirs(w->a, archive);
		each_entry(w, rel, dt_entry, &depth);
	}
}

static void copy_named(struct sysfs_walk *w, const char *dir, const char *const *names)
{
	char rel[PATH_MAX], path[PATH_MAX];

	for (; *names; names++)
		if (snprintf(rel, sizeof(rel), "%s/%s", dir, *names) < (int)sizeof(rel) &&
		    full_path(w, path, sizeof(path), rel) && access(path, R_OK) == 0)
			copy_file(w, rel);
}

static void free_walk(struct sysfs_walk *w)
{
	size_t i;

	for (i = 0; i < w->n_copied; i++)
		free(w->copied[i]);
	free(w->copied);
}

bool snapshot_sysfs(struct snapshot_archive *a)
{
	struct sysfs_walk w = { .a = a };
	int depth = 32;
	size_t i;

	if (!realpath(sysfs_root(), w.root))
		return false;
	snapshot_add_dirs(a, "sys/kernel/iommu_groups");
	each_entry(&w, "kernel/iommu_groups", group_entry, NULL);
	for (i = 0; walked_buses[i]; i++)
		copy_bus(&w, walked_buses[i]);
	each_entry(&w, "bus/pci/drivers", driver_entry, NULL);
	copy_tree(&w, "bus/pci/slots", 2);
	each_entry(&w, "class/iommu", iommu_entry, NULL);
	for (i = 0; live_fact_modules[i]; i++)
		copy_module(&w, live_fact_modules[i]);
	copy_module(&w, "vfio_pci_core");
	copy_tree(&w, "kernel/mm/hugepages", 2);
	each_entry(&w, "firmware/acpi/tables", acpi_table_entry, NULL);
	each_entry(&w, "firmware/devicetree/base", dt_entry, &depth);
	copy_named(&w, "class/dmi/id", dmi_files);
	free_walk(&w);
	return true;
}
