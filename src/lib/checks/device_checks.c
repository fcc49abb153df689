#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "binding/vfio_holders.h"
#include "checks/device_checks.h"
#include "checks/display_checks.h"
#include "checks/variant_checks.h"
#include "checks/sriov_checks.h"
#include "iommu/device_group.h"
#include "pci/pci_caps.h"
#include "pci/pci_config.h"
#include "iommu/spapr_dt.h"
#include "vfio/spapr_vfio.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "vfio/vfio_iommufd.h"
#include "vfio/vfio_nodes.h"

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
	m->irq_ok = not_failed(fs, "irq.remapping") && not_failed(fs, "irq.msi_isolation");
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
	s = vt_xvasprintf(fmt, ap);
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

/* Config space offers a bus reset only to a device alone on a bus below a bridge. */
static bool alone_below_bridge(const struct pci_device_list *devices, const struct pci_device *dev)
{
	size_t i;

	if (dev->parent < 0)
		return false;
	for (i = 0; i < devices->n; i++)
		if (&devices->dev[i] != dev && devices->dev[i].addr.domain == dev->addr.domain &&
		    devices->dev[i].addr.bus == dev->addr.bus)
			return false;
	return true;
}

/*
 * The kernel's own list of reset methods (5.15+), else what config space offers. Returns
 * 1 when the device can be reset, 0 when not, -1 when unknown (config space unreadable).
 */
static int check_reset(struct findings *fs, const struct pci_device_list *devices,
		       const struct pci_device *dev)
{
	char path[PATH_MAX], methods[128] = "";
	struct pci_config *cfg;
	bool readable;
	size_t off = 0;

	if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s/reset_method", dev->address) &&
	    sysfs_read_line(path, methods, sizeof(methods)) && methods[0]) {
		findings_add(fs, LEVEL_PASS, "reset", dev->address, NULL, "reset methods (kernel): %s", methods);
		return 1;
	}
	cfg = vt_xmalloc(sizeof(*cfg));
	readable = pci_config_read(dev->address, cfg) && pci_config_complete(cfg);
	if (readable && (pci_caps_pcie_flr(cfg) || pci_caps_af_flr(cfg)))
		off += (size_t)snprintf(methods + off, sizeof(methods) - off, "flr ");
	if (readable && pci_caps_pm_reset(cfg))
		off += (size_t)snprintf(methods + off, sizeof(methods) - off, "pm ");
	free(cfg);
	if (alone_below_bridge(devices, dev))
		off += (size_t)snprintf(methods + off, sizeof(methods) - off, "bus ");
	if (off) {
		findings_add(fs, LEVEL_PASS, "reset", dev->address, NULL,
			     "reset methods (config space): %.*s%s", (int)off - 1, methods,
			     readable ? "" : "; FLR and PM reset unknown: config space beyond 64 bytes is unreadable");
		return 1;
	}
	if (!readable) {
		findings_add(fs, LEVEL_NOTE, "reset", dev->address, "run as root to read config space",
			     "reset methods unknown: config space beyond 64 bytes is unreadable");
		return -1;
	}
	findings_add(fs, LEVEL_WARN, "reset", dev->address,
		     "VFIO cannot reset it between users; a guest may see stale state",
		     "no reset method (no FLR, PM reset or bus reset)");
	return 0;
}

/*
 * The processes that hold the device through VFIO, each a NOTE; before Linux 6.18 a
 * device fd that names no device is reported as maybe this one's.  True when one surely does.
 */
static bool check_vfio_holders(struct findings *fs, const struct pci_device *dev)
{
	const char *hint = "vfio-admin unbind and restore refuse the device until it lets go";
	struct vfio_holders hs;
	char who[96], means[320];
	bool held = false;

	if (!pci_driver_is_vfio(dev->driver))
		return false;	/* a scan of every process's fds per device is for VFIO's devices only */
	vfio_holders_find(dev->address, dev->iommu_group, &hs);
	for (size_t i = 0; i < hs.n; i++) {
		vfio_holder_name(&hs.h[i], who, sizeof(who));
		vfio_holder_means(&hs.h[i], means, sizeof(means));
		if (hs.h[i].unattributed_fd)
			findings_add(fs, LEVEL_NOTE, "vfio.holder", dev->address, hint,
				     "maybe held by %s: it holds a VFIO device fd, and Linux before 6.18 does not say which device",
				     who);
		else
			findings_add(fs, LEVEL_NOTE, "vfio.holder", dev->address, hint, "held by %s through %s", who, means);
		held |= !hs.h[i].unattributed_fd;
	}
	vfio_holders_free(&hs);
	return held;
}

/*
 * vfio-pci's own answer, the RESET flag of VFIO_DEVICE_GET_INFO, for a device bound to it
 * in a viable group that no one holds, opened through --backend. Opening the device makes
 * vfio-pci reset it, as every VFIO user's open does.
 */
static void check_vfio_reset(struct findings *fs, const struct device_report *r, int has_reset,
			     enum vfio_backend_choice backend, bool held)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_dev d;
	char why[512];
	int flag = -1;

	if (!pci_driver_is_vfio(r->dev->driver) || !r->group || !iommu_group_viable(r->group))
		return;
	if (held) {
		findings_add(fs, LEVEL_NOTE, "reset", r->dev->address, NULL,
			     "VFIO's reset flag unknown: another process holds the device (vfio.holder)");
		return;
	}
	if (sysroot_dir()) {
		findings_add(fs, LEVEL_NOTE, "reset", r->dev->address, NULL,
			     "VFIO's reset flag: read only on the machine itself (check opens the device there)");
		findings_mark_live_only(fs, fs->n - 1);
		return;
	}
	if (vfio_dev_open(&d, r->dev->address, r->group->id, backend, why, sizeof(why)) == 0) {
		if (ioctl(d.device, VFIO_DEVICE_GET_INFO, &info) < 0)
			vt_why_errno(errno, why, sizeof(why), "VFIO_DEVICE_GET_INFO");
		else
			flag = !!(info.flags & VFIO_DEVICE_FLAGS_RESET);
		vfio_dev_close(&d);
	}
	if (flag < 0)
		findings_add(fs, LEVEL_NOTE, "reset", r->dev->address, NULL, "VFIO's reset flag unknown: %s", why);
	else if (has_reset < 0 || flag == has_reset)
		findings_add(fs, flag ? LEVEL_PASS : LEVEL_NOTE, "reset", r->dev->address, NULL,
			     "VFIO's reset flag: %s%s", flag ? "set" : "clear",
			     has_reset < 0 ? "" : " (agrees)");
	else
		findings_add(fs, LEVEL_WARN, "reset", r->dev->address, NULL,
			     "VFIO's reset flag is %s, but the reset methods say %s",
			     flag ? "set" : "clear", has_reset ? "resettable" : "not resettable");
}

/*
 * The nodes a VFIO user opens this device through, as --backend auto picks them; and the
 * no-IOMMU group, which isolates nothing.
 */
static void check_vfio_backend(struct findings *fs, struct device_report *r)
{
	char devnode[PATH_MAX];
	struct vfio_nodes n;
	bool bound = pci_driver_is_vfio(r->dev->driver);

	if (r->group && vfio_group_is_noiommu(r->group->id)) {
		findings_add(fs, LEVEL_FAIL, "vfio.noiommu", r->dev->address,
			     "only for a trusted device in a machine without an IOMMU; vfio-admin bind wants --noiommu",
			     "NO DMA ISOLATION: group %d is VFIO's no-IOMMU group: the device can read and write all host memory",
			     r->group->id);
		add_reason(r, "no DMA isolation (VFIO no-IOMMU mode)");
	}
	if (!bound) {
		findings_add(fs, LEVEL_NOTE, "vfio.backend", r->dev->address, NULL, "once bound to vfio-pci, VFIO opens it through %s",
			     iommufd_present() && vfio_cdevs_supported() ? "its cdev on iommufd" : "its group");
		return;
	}
	if (!vfio_nodes_wait(r->dev->address, 0, &n, devnode, sizeof(devnode))) {
		findings_add(fs, LEVEL_WARN, "vfio.backend", r->dev->address, NULL, "bound to vfio-pci, but %s", devnode);
		return;
	}
	if (vfio_backend_auto(r->dev->address, r->group ? r->group->id : -1) == VFIO_BACKEND_IOMMUFD && n.cdev_node[0])
		findings_add(fs, LEVEL_NOTE, "vfio.backend", r->dev->address, NULL,
			     "VFIO backend (--backend auto): iommufd through %s (group node %s)", sysroot_display(n.cdev_node),
			     sysroot_display(n.group_node));
	else
		findings_add(fs, LEVEL_NOTE, "vfio.backend", r->dev->address, NULL,
			     "VFIO backend (--backend auto): group through %s%s", sysroot_display(n.group_node),
			     n.cdev_node[0] ? " (its cdev needs /dev/iommu)" : "");
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

/* VFs in the PF's own group cannot be given to another user than the PF's. */
static void report_vfs_in_group(struct findings *fs, const struct pci_device_list *devices,
				const struct pci_device *pf, long num)
{
	char path[PATH_MAX], name[64], why[8], shared[512] = "";
	struct pci_device *vf;
	struct pci_addr addr;
	size_t off = 0;
	long i;

	for (i = 0; i < num && off < sizeof(shared); i++)
		if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s/virtfn%ld", pf->address, i) &&
		    sysfs_link_basename(path, name, sizeof(name)) &&
		    pci_addr_parse(name, &addr, why, sizeof(why)) &&
		    (vf = pci_device_list_find(devices, &addr)) &&
		    pf->iommu_group >= 0 && vf->iommu_group == pf->iommu_group)
			off += (size_t)snprintf(shared + off, sizeof(shared) - off, "%s%s", off ? " " : "", name);
	if (off)
		findings_add(fs, LEVEL_WARN, "sriov", pf->address,
			     "the PF and these VFs can only be assigned together (no ACS between them)",
			     "VFs in the PF's IOMMU group %d: %s", pf->iommu_group, shared);
}

static void check_sriov(struct findings *fs, const struct pci_device_list *devices, const struct pci_device *dev)
{
	char path[PATH_MAX], pf[64];
	long total, num;

	if (read_sysfs_int(dev->address, "sriov_totalvfs", &total) && total > 0) {
		if (!read_sysfs_int(dev->address, "sriov_numvfs", &num))
			num = 0;
		findings_add(fs, num ? LEVEL_WARN : LEVEL_NOTE, "sriov", dev->address,
			     num ? "set sriov_numvfs to 0 before assigning the PF, or assign the VFs instead" : NULL,
			     "SR-IOV physical function: %ld of %ld VFs enabled", num, total);
		report_vfs_in_group(fs, devices, dev, num);
	}
	if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s/physfn", dev->address) &&
	    sysfs_link_basename(path, pf, sizeof(pf)))
		findings_add(fs, LEVEL_NOTE, "sriov", dev->address, NULL, "SR-IOV virtual function of %s", pf);
}

/* ", page sizes 4K 64K 16M, 2 windows, 2 levels" for what is known. */
static void describe_spapr_extras(const struct spapr_dma_info *info, char *buf, size_t len)
{
	static const char *const units = "KMGTPE";
	size_t off = 0;
	unsigned bit;

	buf[0] = '\0';
	if (info->page_sizes) {
		off += (size_t)snprintf(buf + off, len - off, ", page sizes");
		for (bit = 10; bit < 64 && off < len; bit++)
			if (info->page_sizes & (1ull << bit))
				off += (size_t)snprintf(buf + off, len - off, " %llu%c",
							1ull << (bit % 10), units[bit / 10 - 1]);
	}
	if (info->max_windows && off < len)
		off += (size_t)snprintf(buf + off, len - off, ", %u windows", info->max_windows);
	if (info->levels && off < len)
		snprintf(buf + off, len - off, ", %u levels", info->levels);
}

static void check_spapr_windows_of(struct findings *fs, struct device_report *r, const struct pci_device *dev,
				   const struct host_check_options *opt)
{
	struct spapr_dma_info dt, vf;
	char why[256], why_vfio[256], extras[256];
	bool have_dt = spapr_dt_dma_info(dev->address, &dt, why, sizeof(why)) == 0;
	bool have_vfio = !sysroot_dir() && dev->iommu_group >= 0 &&
			 spapr_vfio_dma_info(dev->iommu_group, &vf, why_vfio, sizeof(why_vfio)) == 0;
	const struct spapr_dma_info *info = have_vfio ? &vf : have_dt ? &dt : NULL;
	bool small;

	if (!info) {
		findings_add(fs, LEVEL_NOTE, "spapr.window", dev->address, NULL, "DMA windows unknown: %s", why);
		return;
	}
	describe_spapr_extras(info, extras, sizeof(extras));
	if (!info->has_win32) {
		findings_add(fs, LEVEL_NOTE, "spapr.window", dev->address, NULL,
			     "32-bit DMA window unknown (%s); DDW %s%s", have_vfio ? "VFIO" : "device tree",
			     info->ddw ? "supported" : "not supported", extras);
		return;
	}
	small = opt->guest_mem && info->win32.size < opt->guest_mem;
	findings_add(fs, small ? LEVEL_WARN : LEVEL_PASS, "spapr.window", dev->address,
		     small ? "the guest needs a 64-bit dynamic window (DDW) to map all its memory" : NULL,
		     "32-bit DMA window 0x%llx-0x%llx (%llu MiB, from %s)%s; DDW %s%s",
		     (unsigned long long)info->win32.start,
		     (unsigned long long)(info->win32.start + info->win32.size - 1),
		     (unsigned long long)(info->win32.size >> 20), have_vfio ? "VFIO" : "the device tree",
		     small ? ", smaller than --guest-mem" : "", info->ddw ? "supported" : "not supported", extras);
	/* Seen on a PHB with QEMU's ddw=off: VFIO claims DDW with ~0 windows and 0 levels, and every map fails. */
	if (have_vfio && vf.ddw_implausible) {
		findings_add(fs, LEVEL_FAIL, "spapr.window", dev->address,
			     "check the host bridge's DMA window setup (the kernel log says why maps fail)",
			     "VFIO reports dynamic windows with %u windows and %u levels: this host bridge's TCE "
			     "setup is broken and DMA maps fail", vf.max_windows, vf.levels);
		add_reason(r, "the host bridge's DMA windows are unusable (implausible DDW information from VFIO)");
	}
	if (have_vfio && have_dt && !spapr_dma_info_agree(&dt, &vf, why, sizeof(why)))
		findings_add(fs, LEVEL_WARN, "spapr.window", dev->address, NULL,
			     "the device tree and VFIO disagree: %s", why);
	else if (have_vfio && have_dt)
		findings_add(fs, LEVEL_PASS, "spapr.window", dev->address, NULL,
			     "the device tree and VFIO agree on the 32-bit window and on DDW %s",
			     vf.ddw ? "support" : "absence");
}

/*
 * Under --sysroot VFIO is not opened: the windows come from the device tree. Where the
 * machine could open the group (its /dev/vfio/N existed), it read them from VFIO, which may
 * change the verdict: those findings and the verdict are live-only.
 */
static void check_spapr_windows(struct findings *fs, struct device_report *r, const struct pci_device *dev,
				const struct host_check_options *opt)
{
	char node[PATH_MAX], name[32];
	size_t from = fs->n;

	check_spapr_windows_of(fs, r, dev, opt);
	if (sysroot_dir() && dev->iommu_group >= 0 &&
	    devfs_path(node, sizeof(node), "vfio/%s", vfio_group_node_name(dev->iommu_group, name, sizeof(name))) &&
	    access(node, F_OK) == 0) {
		findings_mark_live_only(fs, from);
		r->live_only = true;
	}
}

static void decide(struct device_report *r, const struct machine_state *m)
{
	size_t i;

	if (!m->iommu_enabled)
		add_reason(r, "no IOMMU is enabled");
	else if (!r->group)
		add_reason(r, m->platform == IOMMU_PLATFORM_VIRTIO ?
			   "no IOMMU group yet (virtio-iommu forms it when a driver binds the device)" :
			   m->platform == IOMMU_PLATFORM_ARM ?
			   "no IOMMU group yet (the SMMU driver forms it when a driver binds the device: "
			   "check again after vfio-admin bind)" :
			   "the device has no IOMMU group");
	if (!m->irq_ok)
		add_reason(r, "MSIs are not isolated (no interrupt remapping, or no ITS): both VFIO backends refuse the group");
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
	if (r->live_only)
		findings_mark_live_only(fs, fs->n - 1);
}

void device_checks_run(struct findings *fs, struct device_check_context *ctx,
		       const struct pci_device *dev, struct device_report *out)
{
	char members[2048];
	bool held;

	memset(out, 0, sizeof(*out));
	out->dev = dev;
	out->group = dev->iommu_group >= 0 ? iommu_group_list_find(ctx->groups, dev->iommu_group) : NULL;
	if (out->group)
		check_group(fs, out, members, sizeof(members));
	ctx->acs.devices = ctx->devices;
	check_acs_path(fs, &ctx->acs, dev);
	if (out->group && ctx->machine->platform == IOMMU_PLATFORM_POWER)
		findings_add(fs, LEVEL_NOTE, "acs.reconcile", dev->address, NULL,
			     "POWER groups devices by partitionable endpoint (host bridge), not by ACS: group %d",
			     dev->iommu_group);
	else if (out->group && !vfio_group_is_noiommu(out->group->id))
		check_acs_reconcile(fs, &ctx->acs, dev);
	held = check_vfio_holders(fs, dev);
	check_vfio_reset(fs, out, check_reset(fs, ctx->devices, dev), ctx->opt->backend, held);
	check_vfio_backend(fs, out);
	check_sriov(fs, ctx->devices, dev);
	variant_checks_run(fs, dev);
	sriov_checks_run(fs, dev);
	if (ctx->machine->platform == IOMMU_PLATFORM_POWER)
		check_spapr_windows(fs, out, dev, ctx->opt);
	decide(out, ctx->machine);
	check_display(fs, ctx->devices, dev, out->bind, out->n_bind);
	report_verdict(fs, out);
}

void device_check_context_free(struct device_check_context *ctx)
{
	acs_check_state_free(&ctx->acs);
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
