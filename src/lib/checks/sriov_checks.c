#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "checks/sriov_checks.h"
#include "iommu/kernel_quirks.h"
#include "pci/pci_driver.h"
#include "pci/pci_sriov.h"
#include "util/sysfs.h"

static void check_pf(struct findings *fs, const struct pci_sriov *s)
{
	static const char *const can[] = { "yes", "no", "unknown" };

	findings_add(fs, LEVEL_NOTE, "sriov.driver", s->address,
		     s->can_create == SRIOV_CANNOT && s->driver[0] && strcmp(s->driver, "vfio-pci") == 0 ?
		     "modprobe vfio-pci enable_sriov=1 (or write 1 to /sys/module/vfio_pci/parameters/enable_sriov)" : NULL,
		     "PF driver %s can create VFs: %s (%s)", s->driver[0] ? s->driver : "(none)", can[s->can_create],
		     s->can_why);
	if (s->autoprobe == 0)
		findings_add(fs, LEVEL_NOTE, "sriov.autoprobe", s->address, "vfio-admin sriov PF --autoprobe on",
			     "sriov_drivers_autoprobe is off: new VFs get no driver until one is bound");
	if (strcmp(s->driver, "vfio-pci") == 0)
		findings_add(fs, LEVEL_NOTE, "sriov.token", s->address,
			     "its user sets the token: vfio-admin sriov PF --vf-token UUID",
			     "PF on vfio-pci: its VFs open only with the VF token set on it (vfio-pci draws a random "
			     "one when it binds the PF)");
}

/* The cdev bind checks the VF token from 6.17 on; before, a VF's cdev opens without one. */
static void check_vf_cdev(struct findings *fs, const char *address)
{
	char path[PATH_MAX], release[64], cdev[32], hint[128];
	struct dirent *e;
	DIR *d;

	if (!procfs_kernel_release(release, sizeof(release)) || kernel_release_compare(release, "6.17") >= 0 ||
	    !sysfs_path(path, sizeof(path), "bus/pci/devices/%s/vfio-dev", address) || !(d = opendir(path)))
		return;
	cdev[0] = '\0';
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "vfio", 4) == 0 && strlen(e->d_name) < sizeof(cdev))
			memcpy(cdev, e->d_name, strlen(e->d_name) + 1);	/* snprintf: -Wformat-truncation at -O1 */
	closedir(d);
	if (!cdev[0] || !sysfs_path(path, sizeof(path), "bus/pci/devices/%s/vfio-dev/%s/dev", address, cdev) ||
	    access(path, F_OK) != 0)
		return;
	snprintf(hint, sizeof(hint), "limit who may open /dev/vfio/devices/%s (its owner and mode), or run Linux "
		 "6.19 or later", cdev);
	findings_add(fs, LEVEL_WARN, "sriov.token_cdev", address, hint,
		     "its cdev %s opens without the VF token: Linux %s's VFIO_DEVICE_BIND_IOMMUFD checks none "
		     "(it does from 6.17)", cdev, release);
}

static void check_vf(struct findings *fs, const char *address, const char *driver, const char *pf)
{
	char pf_driver[64];

	pci_current_driver(pf, pf_driver, sizeof(pf_driver));
	if (strcmp(pf_driver, "vfio-pci") == 0) {
		findings_add(fs, LEVEL_NOTE, "sriov.token", address, "vfio-dump/vfio-bench --vf-token UUID; QEMU: vf-token=UUID",
			     "VF token required: the PF %s is on vfio-pci, so VFIO opens this VF only with the "
			     "token set on the PF", pf);
		check_vf_cdev(fs, address);
	} else if (driver && pci_driver_is_vfio(driver) && pf_driver[0])
		findings_add(fs, LEVEL_NOTE, "sriov.token", address, NULL,
			     "no VF token: the PF %s is on the host driver %s, which the VF's user must trust "
			     "(it can reset or reconfigure the VF)", pf, pf_driver);
}

void sriov_checks_run(struct findings *fs, const struct pci_device *dev)
{
	struct pci_sriov s;
	char pf[PCI_ADDR_STRLEN + 8];

	if (pci_sriov_read(dev->address, &s)) {
		check_pf(fs, &s);
		pci_sriov_free(&s);
	} else if (pci_sriov_physfn(dev->address, pf, sizeof(pf))) {
		check_vf(fs, dev->address, dev->driver, pf);
	}
}
