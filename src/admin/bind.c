/*
 * vfio-admin bind: give devices to their VFIO driver (the kernel's variant driver for the
 * device, else vfio-pci) or to --driver NAME, whole groups when asked.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binding/bind_plan.h"
#include "binding.h"
#include "tool/cli.h"
#include "commands.h"
#include "pci/device_filter.h"
#include "iommu/device_group.h"
#include "filter_options.h"
#include "checks/finding.h"
#include "checks/host_checks.h"
#include "iommu/iommu_group.h"
#include "iommu/iommu_platform.h"
#include "owner.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "vfio/vfio_nodes.h"
#include "vfio_driver.h"

struct bind_options {
	char *driver;			/* --driver, NULL for each device's VFIO driver */
	char *owner;
	char *timeout;
	int group, dry_run, force, noiommu;
	unsigned timeout_ms;
	uid_t uid;
	gid_t gid;
};

static bool in_selection(const struct pci_device **sel, size_t n, const struct pci_device *d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sel[i] == d)
			return true;
	return false;
}

/*
 * No-IOMMU mode (vfio.enable_unsafe_noiommu_mode=1) lets vfio-pci take a device that has
 * no IOMMU group, with no DMA isolation at all: only with --noiommu.
 */
static bool allow_without_iommu(const struct pci_device *d, const struct iommu_group *g, bool noiommu)
{
	bool mode = vfio_noiommu_mode();

	if (g && !vfio_group_is_noiommu(g->id))
		return true;
	/* virtio-iommu and the Arm SMMU form a device's group only when a driver binds it; under
	 * virtio-iommu Linux 7.2 shows no group at all before that, only the IOMMU unit */
	if (!g && !mode && (iommu_groups_exist() || iommu_unit_count()))
		return true;
	if (mode && noiommu)
		return true;
	if (mode)
		vt_error(d->address, "refused: no IOMMU",
			 "vfio-pci would take it in no-IOMMU mode, with no DMA isolation: a user of it can read and "
			 "write all host memory; for a trusted device only, --noiommu binds it anyway");
	else
		vt_error(d->address, "no IOMMU group", "the kernel has no IOMMU enabled, so vfio-pci cannot take it; "
			 "see 'vfio-admin check' for how to enable it");
	return false;
}

/*
 * VFIO takes whole groups: with --group every non-bridge member joins the selection;
 * without it, a member left on a host driver makes the group non-viable: refuse.
 */
static bool complete_groups(const struct iommu_group_list *groups,
			    const struct pci_device ***sel, size_t *n, bool whole_group, bool noiommu)
{
	size_t i, m, count = *n;
	bool ok = true;

	for (i = 0; i < count; i++) {
		const struct pci_device *d = (*sel)[i];
		const struct iommu_group *g = iommu_group_list_find(groups, d->iommu_group);
		char blockers[1024] = "";
		size_t off = 0;

		if (!allow_without_iommu(d, g, noiommu))
			return false;
		if (!g)
			continue;
		for (m = 0; m < g->n_members; m++) {
			const struct pci_device *p = g->member[m].pci;

			if (!p || pci_device_is_bridge(p) || in_selection(*sel, *n, p))
				continue;
			if (whole_group) {
				*sel = vt_xrealloc(*sel, *n + 1, sizeof(**sel));	/* NOLINT(bugprone-sizeof-expression): an array of pointers */
				(*sel)[(*n)++] = p;
			} else if (g->member[m].blocks && off < sizeof(blockers)) {
				off += (size_t)snprintf(blockers + off, sizeof(blockers) - off, "%s%s (%s)",
							off ? ", " : "", p->address, p->driver);
			}
		}
		if (off) {
			vt_error(d->address, "IOMMU group not viable",
				 "group %d also holds %s; bind them too with --group", g->id, blockers);
			ok = false;
		}
	}
	return ok;
}

static bool make_plan(const struct pci_device **sel, size_t n, const struct bind_options *o,
		      struct bind_plan *plan)
{
	struct vfio_variants variants = { 0 };
	struct vfio_driver_choice c;
	size_t i;
	bool ok = true;

	if (!o->driver)
		vfio_variants_load(&variants);
	for (i = 0; i < n; i++) {
		vfio_driver_choose(&variants, o->driver, sel[i]->address, &c);
		if (sel[i]->driver && strcmp(sel[i]->driver, c.driver) == 0) {
			printf("%s: already bound to %s (nothing to do)\n", sel[i]->address, c.driver);
			continue;
		}
		if ((!o->driver || strcmp(o->driver, "vfio-pci") != 0) && !vfio_driver_check_pf(sel[i]->address, &c)) {
			ok = false;
			continue;
		}
		ok &= binding_check_in_use(sel[i], o->force);
		bind_plan_add(plan, sel[i]->address, c.driver, c.driver, true);
		snprintf(plan->step[plan->n - 1].why, sizeof(plan->step[plan->n - 1].why), "%s", c.why);
	}
	vfio_variants_free(&variants);
	return ok;
}

/* /dev/vfio/N (and the cdev) of every device of the plan: wait for them, hand them to --owner. */
static bool finish_vfio_nodes(const struct pci_device **sel, size_t n, const struct bind_options *o)
{
	struct vfio_nodes nodes;
	char why[PATH_MAX + 128];
	bool ok = true;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!vfio_nodes_wait(sel[i]->address, o->timeout_ms, &nodes, why, sizeof(why))) {
			vt_error(sel[i]->address, "bound to its VFIO driver, but", "%s", why);
			ok = false;
			continue;
		}
		if (o->owner && !vfio_nodes_give(&nodes, o->uid, o->gid, why, sizeof(why))) {
			vt_error(sel[i]->address, "cannot hand its VFIO nodes to the owner", "%s", why);
			ok = false;
			continue;
		}
		vfio_nodes_print(stdout, sel[i]->address, &nodes, o->owner);
	}
	return ok;
}

/* The owner's memlock limit decides how much guest memory VFIO may pin for them. */
#define TYPICAL_GUEST_MEM (4ull << 30)

static void report_owner_memlock(const struct bind_options *o)
{
	struct host_check_options opt = { NULL, TYPICAL_GUEST_MEM, VFIO_BACKEND_AUTO };
	struct findings fs = { NULL, 0 };
	char user[256];

	snprintf(user, sizeof(user), "%s", o->owner);
	user[strcspn(user, ":")] = '\0';
	opt.user = user;
	if (limit_checks_user(&fs, &opt))
		findings_print(&fs, 0, stdout, false);
	findings_free(&fs);
}

int cmd_bind(int argc, const char **argv)
{
	struct bind_options o = { 0 };
	struct device_filter filter;
	struct pci_device_list devices;
	struct iommu_group_list groups = { 0 };
	struct bind_plan plan = { 0 };
	const struct pci_device **sel = NULL;
	size_t n = 0, i;
	int rc = 2, lock = -1;
	bool vfio;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, device_options, 0,
		  "Devices to bind (positional addresses and globs too):", NULL },
		{ "driver", '\0', POPT_ARG_STRING, &o.driver, 0,
		  "Bind to this driver (default: the kernel's VFIO variant driver for the device, else vfio-pci; "
		  "vfio-pci opts out of variants)", "NAME" },
		{ "group", '\0', POPT_ARG_NONE, &o.group, 0, "Bind every non-bridge member of the devices' groups", NULL },
		{ "dry-run", 'n', POPT_ARG_NONE, &o.dry_run, 0, "Print the plan and stop", NULL },
		{ "force", 'f', POPT_ARG_NONE, &o.force, 0, "Bind devices the host is using (says what it overrides)", NULL },
		{ "owner", 'o', POPT_ARG_STRING, &o.owner, 0, "Hand /dev/vfio/N (and the device's cdev) to this user",
		  "USER[:GROUP]" },
		{ "noiommu", '\0', POPT_ARG_NONE, &o.noiommu, 0,
		  "In no-IOMMU mode, bind devices without an IOMMU (no DMA isolation: trusted devices only)", NULL },
		{ "timeout", 't', POPT_ARG_STRING, &o.timeout, 0, "Seconds to wait for each driver change (default 10)", "SECONDS" },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};

	device_filter_init(&filter);
	if (!binding_load(argc, argv, table, &o.dry_run, &filter, &devices, &lock))
		goto out_filter;
	o.timeout_ms = BIND_TIMEOUT_DEFAULT_S * 1000;
	if ((o.timeout && !binding_parse_timeout(o.timeout, &o.timeout_ms)) || (o.owner && !owner_parse(o.owner, &o.uid, &o.gid)))
		goto out_devices;
	if (o.driver && (!*o.driver || strchr(o.driver, '/'))) {
		vt_error(*o.driver ? o.driver : "''", "invalid driver name", "expected a name as in /sys/bus/pci/drivers");
		goto out_devices;
	}
	if (!device_filter_selects_devices(&filter) && filter.group < 0) {
		vt_error("bind", "no device given", "name devices by address, glob, -d VENDOR:DEVICE or --class");
		goto out_devices;
	}
	for (i = 0; i < devices.n; i++)
		if (device_filter_match(&filter, &devices.dev[i])) {
			sel = vt_xrealloc(sel, n + 1, sizeof(*sel));	/* NOLINT(bugprone-sizeof-expression): an array of pointers */
			sel[n++] = &devices.dev[i];
		}
	if (n == 0) {
		vt_error("bind", "no device matches", "see 'vfio-admin list' with the same filters");
		goto out_devices;
	}
	vfio = !o.driver || pci_driver_is_vfio(o.driver);
	iommu_group_list_load(&groups, &devices);
	rc = 1;
	if (vfio && !complete_groups(&groups, &sel, &n, o.group, o.noiommu))
		goto out_groups;
	if (!make_plan(sel, n, &o, &plan))
		goto out_plan;
	if (!o.dry_run && plan.n && (rc = vfio_driver_load_plan(&plan, iommu_platform_detect())) != 0)
		goto out_plan;
	plan.record = true;
	plan.timeout_ms = o.timeout_ms;
	rc = binding_run_plan(&plan, o.dry_run);
	if (rc == 0 && !o.dry_run && vfio && !finish_vfio_nodes(sel, n, &o))
		rc = 1;
	if (rc == 0 && !o.dry_run && o.owner)
		report_owner_memlock(&o);
out_plan:
	bind_plan_free(&plan);
out_groups:
	iommu_group_list_free(&groups);
	free(sel);
out_devices:
	pci_device_list_free(&devices);
out_filter:
	binding_end(lock);
	free(o.driver);
	free(o.owner);
	free(o.timeout);
	device_filter_free(&filter);
	return rc;
}
