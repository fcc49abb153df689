#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "iommu/device_group.h"
#include "iommu/iommu_group.h"
#include "iommu/iommu_platform.h"
#include "util/report.h"
#include "util/sysfs.h"

bool iommu_member_blocks(const char *driver)
{
	return driver && !pci_driver_is_vfio(driver) &&
	       strcmp(driver, "pci-stub") != 0 && strcmp(driver, "pcieport") != 0;
}

static bool parse_group_number(const char *s, int *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	v = strtol(s, &end, 10);
	if (*end || v > INT_MAX)
		return false;
	*out = (int)v;
	return true;
}

static void fill_member(struct iommu_group_member *m, int group,
			const struct pci_device_list *devices)
{
	char path[PATH_MAX], driver[256], why[8];
	struct pci_addr addr;

	m->pci = pci_addr_parse(m->name, &addr, why, sizeof(why)) ?
		 pci_device_list_find(devices, &addr) : NULL;
	if (m->pci) {
		m->driver = m->pci->driver ? vt_xstrdup(m->pci->driver) : NULL;
	} else if (sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/devices/%s/driver",
			      group, m->name) &&
		   sysfs_link_basename(path, driver, sizeof(driver))) {
		m->driver = vt_xstrdup(driver);
	}
	m->blocks = iommu_member_blocks(m->driver);
}

static int compare_members(const void *a, const void *b)
{
	const struct iommu_group_member *x = a, *y = b;

	if (x->pci && y->pci)
		return pci_addr_compare(&x->pci->addr, &y->pci->addr);
	return strcmp(x->name, y->name);
}

static void load_group(struct iommu_group *g, const struct pci_device_list *devices)
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t cap = 0, i;
	DIR *dir;

	if (vfio_group_is_noiommu(g->id))
		snprintf(g->type, sizeof(g->type), "no-IOMMU");
	else if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/type", g->id) ||
		 !sysfs_read_line(path, g->type, sizeof(g->type)))
		g->type[0] = '\0';
	if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d/devices", g->id) ||
	    !(dir = opendir(path)))
		return;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(g->member[0].name))
			continue;
		if (g->n_members == cap) {
			cap = cap ? cap * 2 : 4;
			g->member = vt_xrealloc(g->member, cap, sizeof(*g->member));
		}
		memset(&g->member[g->n_members], 0, sizeof(g->member[0]));
		strcpy(g->member[g->n_members++].name, e->d_name);
	}
	closedir(dir);
	for (i = 0; i < g->n_members; i++) {
		fill_member(&g->member[i], g->id, devices);
		g->n_blockers += g->member[i].blocks;
	}
	if (g->n_members)
		qsort(g->member, g->n_members, sizeof(*g->member), compare_members);
}

static int compare_groups(const void *a, const void *b)
{
	const struct iommu_group *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

void iommu_group_list_load(struct iommu_group_list *groups, const struct pci_device_list *devices)
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t cap = 0, i;
	DIR *dir;
	int id;

	memset(groups, 0, sizeof(*groups));
	if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups") || !(dir = opendir(path)))
		return;		/* no IOMMU: normal, not an error */
	groups->present = true;
	while ((e = readdir(dir))) {
		if (!parse_group_number(e->d_name, &id))
			continue;
		if (groups->n == cap) {
			cap = cap ? cap * 2 : 16;
			groups->group = vt_xrealloc(groups->group, cap, sizeof(*groups->group));
		}
		memset(&groups->group[groups->n], 0, sizeof(groups->group[0]));
		groups->group[groups->n++].id = id;
	}
	closedir(dir);
	if (groups->n)	/* qsort and bsearch want a non-NULL array even when empty */
		qsort(groups->group, groups->n, sizeof(*groups->group), compare_groups);
	for (i = 0; i < groups->n; i++)
		load_group(&groups->group[i], devices);
}

void iommu_group_list_free(struct iommu_group_list *groups)
{
	size_t i, j;

	for (i = 0; i < groups->n; i++) {
		for (j = 0; j < groups->group[i].n_members; j++)
			free(groups->group[i].member[j].driver);
		free(groups->group[i].member);
	}
	free(groups->group);
	memset(groups, 0, sizeof(*groups));
}

const struct iommu_group *iommu_group_list_find(const struct iommu_group_list *groups, int id)
{
	struct iommu_group key = { .id = id };

	if (!groups->n)
		return NULL;
	return bsearch(&key, groups->group, groups->n, sizeof(*groups->group), compare_groups);
}

bool iommu_groups_exist(void)
{
	char path[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *dir;
	int id;

	if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups") || !(dir = opendir(path)))
		return false;
	while (!found && (e = readdir(dir)))
		found = parse_group_number(e->d_name, &id) && !vfio_group_is_made_up(id);
	closedir(dir);
	return found;
}

void iommu_note_disabled(void)
{
	if (iommu_unit_count())
		vt_note("no IOMMU groups, though an IOMMU unit is registered (vfio-admin check says more)");
	else
		vt_note("no IOMMU groups: the IOMMU is off or absent; %s",
			iommu_enable_hint(iommu_platform_detect(), machine_arch_detect()));
}

bool iommu_group_check_exists(int id)
{
	char path[PATH_MAX], subject[16];
	struct stat st;

	if (sysfs_path(path, sizeof(path), "kernel/iommu_groups/%d", id) && stat(path, &st) == 0)
		return true;
	snprintf(subject, sizeof(subject), "%d", id);
	vt_error(subject, "no such IOMMU group", "not in /sys/kernel/iommu_groups");
	return false;
}
