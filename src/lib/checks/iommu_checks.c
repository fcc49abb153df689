/* IOMMU present in firmware, enabled by the kernel, default domains, ACS override. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iommu/device_group.h"
#include "checks/host_checks.h"
#include "util/sysfs.h"

bool kernel_cmdline_read(char *buf, size_t len)
{
	char path[PATH_MAX];

	return procfs_path(path, sizeof(path), "cmdline") && sysfs_read_line(path, buf, len);
}

bool kernel_cmdline_has(const char *word)
{
	char line[4096], *tok, *save;
	size_t n = strlen(word);
	bool prefix = n && word[n - 1] == '=';

	if (!kernel_cmdline_read(line, sizeof(line)))
		return false;
	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		if (prefix ? strncmp(tok, word, n) == 0 : strcmp(tok, word) == 0)
			return true;
	return false;
}

bool kernel_cmdline_value(const char *key, char *value, size_t len)
{
	char line[4096], *tok, *save;
	size_t n = strlen(key);
	bool found = false;

	if (!kernel_cmdline_read(line, sizeof(line)))
		return false;
	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		if (strncmp(tok, key, n) == 0) {	/* the last one wins, as in the kernel */
			snprintf(value, len, "%s", tok + n);
			found = true;
		}
	return found;
}

/* "DMA x3, identity x1" from the groups' type files; counts the groups. */
static size_t describe_domains(char *buf, size_t len, size_t *identity)
{
	static const char *const types[] = { "DMA", "DMA-FQ", "identity", "blocked", "unknown" };
	size_t count[sizeof(types) / sizeof(types[0]) + 1] = { 0 }, groups = 0, i, off = 0;
	char path[PATH_MAX], type[32];
	struct dirent *e;
	DIR *dir;

	buf[0] = '\0';
	if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups") || !(dir = opendir(path)))
		return 0;
	while ((e = readdir(dir))) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9' || vfio_group_is_made_up(atoi(e->d_name)))
			continue;	/* VFIO's own groups (no-IOMMU, mdev) are no IOMMU's */
		groups++;
		if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups/%s/type", e->d_name) ||
		    !sysfs_read_line(path, type, sizeof(type)))
			strcpy(type, "unknown");
		for (i = 0; i < sizeof(types) / sizeof(types[0]) && strcmp(type, types[i]) != 0; i++)
			;
		count[i]++;
	}
	closedir(dir);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (count[i] && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s x%zu", off ? ", " : "",
						types[i], count[i]);
	*identity = count[2];
	return groups;
}

void iommu_checks_run(struct findings *fs, enum iommu_platform platform)
{
	const char *enable_hint = iommu_enable_hint(platform, machine_arch_of(platform));
	struct iommu_platform_info info;
	size_t groups, identity = 0;
	char domains[256];

	iommu_platform_describe(&info);
	groups = describe_domains(domains, sizeof(domains), &identity);
	if (platform != IOMMU_PLATFORM_NONE)
		findings_add(fs, LEVEL_PASS, "iommu.firmware", "machine", NULL, "IOMMU hardware: %s (%s%s): %s",
			     info.name, info.firmware ? info.firmware : "no firmware table found",
			     platform == IOMMU_PLATFORM_POWER ? ", one per host bridge" : "",
			     info.n_units ? info.units : "no IOMMU unit registered by the kernel");
	else if (groups)
		findings_add(fs, LEVEL_NOTE, "iommu.firmware", "machine", NULL,
			     "IOMMU groups exist, but no known IOMMU firmware table or class entry was found");
	else
		findings_add(fs, LEVEL_FAIL, "iommu.firmware", "machine", enable_hint,
			     "no IOMMU announced by the firmware (no ACPI DMAR, IVRS, IORT or VIOT, no POWER PHB IOMMU)");

	if (groups == 0 && info.n_units) {
		findings_add(fs, LEVEL_NOTE, "iommu.enabled", "machine",
			     "a group forms when the kernel probes a device for the IOMMU; if binding vfio-pci forms "
			     "none, the kernel dropped the IOMMU: Linux 7.2 unregisters a virtio-iommu whose probe of "
			     "one device failed (one behind a conventional PCI bridge, in the VM lab), and its log shows "
			     "groups added, then none",
			     "IOMMU unit registered (%s), but no device is in an IOMMU group", info.units);
	} else if (groups == 0) {
		findings_add(fs, LEVEL_FAIL, "iommu.enabled", "machine", enable_hint,
			     "the kernel has not enabled an IOMMU: /sys/kernel/iommu_groups is empty");
	} else {
		findings_add(fs, LEVEL_PASS, "iommu.enabled", "machine", NULL,
			     "IOMMU enabled by the kernel: %zu groups", groups);
		findings_add(fs, identity ? LEVEL_NOTE : LEVEL_PASS, "iommu.domain", "machine",
			     identity ? "iommu=pt leaves host DMA untranslated; VFIO still isolates the groups it takes" : NULL,
			     "default domains: %s", domains);
	}
	if (kernel_cmdline_has("pcie_acs_override="))
		findings_add(fs, LEVEL_WARN, "iommu.acs_override", "machine",
			     "remove pcie_acs_override= for groups that reflect the hardware",
			     "pcie_acs_override= is on the kernel command line: IOMMU groups are not proof of isolation");
}
