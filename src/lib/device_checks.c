#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_checks.h"
#include "report.h"
#include "sysfs.h"

const char *device_verdict_name(enum device_verdict v)
{
	static const char *const names[] = {
		[VERDICT_ASSIGNABLE] = "assignable",
		[VERDICT_WITH_GROUP] = "assignable-with-group",
		[VERDICT_NOT_ASSIGNABLE] = "not-assignable",
	};
	return names[v];
}

static const struct finding *find_id(const struct findings *fs, const char *id)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].id, id) == 0)
			return &fs->f[i];
	return NULL;
}

static bool not_failed(const struct findings *fs, const char *id)
{
	const struct finding *f = find_id(fs, id);

	return !f || f->level != LEVEL_FAIL;
}

void machine_state_from_findings(struct machine_state *m, enum iommu_platform platform,
				 const struct findings *fs)
{
	m->platform = platform;
	m->iommu_enabled = not_failed(fs, "iommu.enabled");
	m->irq_ok = not_failed(fs, "irq.remapping");
	m->vfio_ok = not_failed(fs, "vfio.module.vfio") && not_failed(fs, "vfio.module.vfio_pci") &&
		     not_failed(fs, "vfio.module.vfio_iommu_type1") &&
		     not_failed(fs, "vfio.module.vfio_iommu_spapr_tce");
}

static void add_reason(struct device_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_reason(struct device_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = vt_xstrdup("(out of memory)");
	va_end(ap);
	r->reasons = vt_xrealloc(r->reasons, r->n_reasons + 1, sizeof(*r->reasons));
	r->reasons[r->n_reasons++] = s;
}

/* Bridges stay on pcieport (or driverless): VFIO takes every other member. */
static bool member_needs_binding(const struct iommu_group_member *m)
{
	return !(m->pci && pci_device_is_bridge(m->pci));
}

static void check_group(struct findings *fs, const struct device_report *r, char *members, size_t len)
{
	const struct iommu_group *g = r->group;
	char blockers[1024] = "";
	size_t i, off = 0, boff = 0;

	for (i = 0; i < g->n_members && off < len; i++)
		off += (size_t)snprintf(members + off, len - off, "%s%s (%s)", i ? ", " : "",
					g->member[i].name, g->member[i].driver ? g->member[i].driver : "no driver");
	for (i = 0; i < g->n_members && boff < sizeof(blockers); i++)
		if (g->member[i].blocks)
			boff += (size_t)snprintf(blockers + boff, sizeof(blockers) - boff, "%s%s on %s",
						 boff ? ", " : "", g->member[i].name, g->member[i].driver);
	if (iommu_group_viable(g))
		findings_add(fs, LEVEL_PASS, "group.viable", r->dev->address, NULL,
			     "IOMMU group %d is viable", g->id);
	else
		findings_add(fs, LEVEL_FAIL, "group.viable", r->dev->address,
			     "bind every member of the group to vfio-pci (vfio-admin bind --group)",
			     "IOMMU group %d is not viable: %s", g->id, blockers);
	findings_add(fs, g->n_members > 1 ? LEVEL_NOTE : LEVEL_PASS, "group.members", r->dev->address, NULL,
		     "group %d: %s", g->id, members);
}

/* The kernel's own list of reset methods (5.15+), else what config space offers. */
static void check_reset(struct findings *fs, const struct pci_device *dev)
{
	char path[PATH_MAX], methods[128];

	if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s/reset_method", dev->address) &&
	    sysfs_read_line(path, methods, sizeof(methods)) && methods[0])
		findings_add(fs, LEVEL_PASS, "reset", dev->address, NULL, "reset methods: %s", methods);
	else
		findings_add(fs, LEVEL_WARN, "reset", dev->address,
			     "VFIO cannot reset it between users; a guest may see stale state",
			     "no reset method (no FLR, PM reset or bus reset)");
}

static bool read_sysfs_int(const char *address, const char *attr, long *out)
{
	char path[PATH_MAX], value[32];

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, attr) ||
	    !sysfs_read_line(path, value, sizeof(value)))
		return false;
	*out = strtol(value, NULL, 10);
	return true;
}

static void check_sriov(struct findings *fs, const struct pci_device *dev)
{
	char path[PATH_MAX], pf[64];
	long total, num;

	if (read_sysfs_int(dev->address, "sriov_totalvfs", &total) && total > 0) {
		if (!read_sysfs_int(dev->address, "sriov_numvfs", &num))
			num = 0;
		findings_add(fs, num ? LEVEL_WARN : LEVEL_NOTE, "sriov", dev->address,
			     num ? "set sriov_numvfs to 0 before assigning the PF, or assign the VFs instead" : NULL,
			     "SR-IOV physical function: %ld of %ld VFs enabled", num, total);
	}
	if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s/physfn", dev->address) &&
	    sysfs_link_basename(path, pf, sizeof(pf)))
		findings_add(fs, LEVEL_NOTE, "sriov", dev->address, NULL, "SR-IOV virtual function of %s", pf);
}

static void decide(struct device_report *r, const struct machine_state *m)
{
	size_t i;

	if (!m->iommu_enabled)
		add_reason(r, "no IOMMU is enabled");
	else if (!r->group)
		add_reason(r, m->platform == IOMMU_PLATFORM_VIRTIO ?
			   "no IOMMU group yet (virtio-iommu forms it when a driver binds the device)" :
			   "the device has no IOMMU group");
	if (!m->irq_ok)
		add_reason(r, "interrupt remapping is off: VFIO's type1 backend refuses the container");
	if (!m->vfio_ok)
		add_reason(r, "the VFIO modules cannot be loaded");
	if (r->group)
		for (i = 0; i < r->group->n_members; i++)
			if (member_needs_binding(&r->group->member[i])) {
				r->bind = vt_xrealloc(r->bind, r->n_bind + 1, sizeof(*r->bind));
				r->bind[r->n_bind++] = r->group->member[i].name;
			}
	if (r->n_reasons)
		r->verdict = VERDICT_NOT_ASSIGNABLE;
	else
		r->verdict = r->n_bind > 1 ? VERDICT_WITH_GROUP : VERDICT_ASSIGNABLE;
}

static void report_verdict(struct findings *fs, const struct device_report *r)
{
	char list[1024] = "";
	size_t i, off = 0;

	switch (r->verdict) {
	case VERDICT_ASSIGNABLE:
		findings_add(fs, LEVEL_PASS, "verdict", r->dev->address, NULL,
			     "assignable alone (IOMMU group %d)", r->group->id);
		break;
	case VERDICT_WITH_GROUP:
		for (i = 0; i < r->n_bind && off < sizeof(list); i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? " " : "", r->bind[i]);
		findings_add(fs, LEVEL_NOTE, "verdict", r->dev->address, "vfio-admin bind --group binds them together",
			     "assignable with its group %d: bind %s", r->group->id, list);
		break;
	case VERDICT_NOT_ASSIGNABLE:
		for (i = 0; i < r->n_reasons && off < sizeof(list); i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? "; " : "", r->reasons[i]);
		findings_add(fs, LEVEL_FAIL, "verdict", r->dev->address, NULL, "not assignable: %s", list);
		break;
	}
}

void device_checks_run(struct findings *fs, const struct pci_device_list *devices,
		       const struct iommu_group_list *groups, const struct machine_state *m,
		       const struct host_check_options *opt, const struct pci_device *dev,
		       struct device_report *out)
{
	char members[2048];

	(void)devices;
	(void)opt;
	memset(out, 0, sizeof(*out));
	out->dev = dev;
	out->group = dev->iommu_group >= 0 ? iommu_group_list_find(groups, dev->iommu_group) : NULL;
	if (out->group)
		check_group(fs, out, members, sizeof(members));
	check_reset(fs, dev);
	check_sriov(fs, dev);
	decide(out, m);
	report_verdict(fs, out);
}

void device_report_free(struct device_report *r)
{
	size_t i;

	for (i = 0; i < r->n_reasons; i++)
		free(r->reasons[i]);
	free(r->reasons);
	free(r->bind);
	memset(r, 0, sizeof(*r));
}
