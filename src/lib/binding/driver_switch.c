#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "binding/driver_switch.h"
#include "iommu/device_group.h"
#include "iommu/iommu_platform.h"
#include "pci/pci_device.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "util/wait.h"

#define PROBE_GRACE_MS 1000

void pci_current_override(const char *address, char *override, size_t len)
{
	char path[PATH_MAX];

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/driver_override", address) ||
	    !sysfs_read_line(path, override, len) || strcmp(override, "(null)") == 0)
		override[0] = '\0';
}

static int set_override(const char *address, const char *override, char *why, size_t whylen)
{
	char path[PATH_MAX];
	int r;

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/driver_override", address))
		return vt_why(ENAMETOOLONG, why, whylen, "sysfs path too long");
	/* A lone newline clears the override; an empty write is refused by the kernel. */
	r = sysfs_write(path, *override ? override : "\n");
	return r < 0 ? vt_why_errno(-r, why, whylen, "%s: writing '%s'", path, override) : 0;
}

/* A driver that is slow to let go answers EBUSY or EAGAIN: retry until the deadline. */
static int unbind_current(const char *address, long long deadline, char *why, size_t whylen)
{
	char driver[64], path[PATH_MAX];
	int r;

	while (pci_current_driver(address, driver, sizeof(driver))) {
		if (!sysfs_path(path, sizeof(path), "bus/pci/drivers/%s/unbind", driver))
			return vt_why(ENAMETOOLONG, why, whylen, "sysfs path too long");
		r = sysfs_write(path, address);
		if (r == 0 || r == -ENODEV)	/* ENODEV: it let go meanwhile */
			continue;
		if ((r != -EBUSY && r != -EAGAIN) || wait_now_ms() >= deadline)
			return vt_why_errno(-r, why, whylen, "unbinding from %s", driver);
		wait_sleep_ms(WAIT_POLL_MS);
	}
	return 0;
}

static bool driver_is(const char *address, const char *want)
{
	char driver[64];
	bool bound = pci_current_driver(address, driver, sizeof(driver));

	if (!want)
		return !bound;
	return strcmp(want, "*") == 0 || (bound && strcmp(driver, want) == 0);
}

/* Why a probe left the device without the driver it wanted, as far as sysfs tells. */
static const char *probe_failure(const char *address, const struct switch_target *t)
{
	if (!t->probe)
		return "";
	/* vfio-pci (and its variants) refuse a device in no IOMMU group, outside no-IOMMU mode. */
	if (t->driver && strstr(t->driver, "vfio") && vfio_group_of(address) < 0 && iommu_unit_count())
		return ": the probe failed: the device is in no IOMMU group, though an IOMMU is registered "
		       "(the kernel log says why: vfio-admin check too)";
	return ": the probe failed (the kernel log says why)";
}

int pci_switch_driver(const char *address, const struct switch_target *t, unsigned timeout_ms,
		      char *why, size_t whylen)
{
	long long deadline = wait_now_ms() + timeout_ms;
	char path[PATH_MAX], driver[64];
	int r;

	r = set_override(address, t->override, why, whylen);
	if (r == 0)
		r = unbind_current(address, deadline, why, whylen);
	if (r < 0)
		return r;
	if (t->probe) {
		if (!sysfs_path(path, sizeof(path), "bus/pci/drivers_probe"))
			return vt_why(ENAMETOOLONG, why, whylen, "sysfs path too long");
		/* A failed probe is usually silent here: the driver link tells. */
		r = sysfs_write(path, address);
		if (r < 0 && r != -ENODEV && r != -EINVAL)
			return vt_why_errno(-r, why, whylen, "drivers_probe");
	}
	/*
	 * PCI probes are synchronous: a device still without a driver after drivers_probe
	 * was refused; allow a second for drivers that probe asynchronously.
	 */
	if (t->probe && t->driver && !pci_current_driver(address, driver, sizeof(driver)) &&
	    deadline > wait_now_ms() + PROBE_GRACE_MS)
		deadline = wait_now_ms() + PROBE_GRACE_MS;
	while (!driver_is(address, t->driver)) {
		if (wait_now_ms() >= deadline) {
			bool bound = pci_current_driver(address, driver, sizeof(driver));

			return vt_why(ENODEV, why, whylen, "on %s after %u ms instead of %s%s",
				      bound ? driver : "no driver", timeout_ms, t->driver ? t->driver : "no driver",
				      probe_failure(address, t));
		}
		wait_sleep_ms(WAIT_POLL_MS);
	}
	return 0;
}
