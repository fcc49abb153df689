#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "iommu/device_group.h"
#include "binding/in_use.h"
#include "iommu/iommu_group.h"
#include "iommu/iommu_platform.h"
#include "pci/pci_addr.h"
#include "pci/pci_device.h"
#include "pci/pci_driver.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "tool/tool_options.h"
#include "tool/vfio_open.h"
#include "pci/pci_sriov.h"
#include "vfio/vf_token.h"

#define DEVICE_NAME_LEN 48

/* The canonical address of an existing PCI device, or an existing mdev's UUID; false after reporting. */
static bool resolve_address(const char *text, char address[DEVICE_NAME_LEN])
{
	struct pci_addr addr;
	char why[256], path[PATH_MAX];
	struct stat st;
	size_t i;

	if (vfio_is_mdev_uuid(text)) {
		for (i = 0; text[i]; i++)
			address[i] = (char)tolower((unsigned char)text[i]);
		address[i] = '\0';
		if (sysfs_path(path, sizeof(path), "bus/mdev/devices/%s", address) && stat(path, &st) == 0)
			return true;
		vt_error(address, "no such mediated device", "see 'vfio-admin list --mdev'");
		return false;
	}
	if (!pci_addr_parse(text, &addr, why, sizeof(why))) {
		vt_error(text, "invalid PCI address", "%s", why);
		return false;
	}
	pci_addr_format(&addr, address);
	if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s", address) && stat(path, &st) == 0)
		return true;
	vt_error(address, "no such PCI device", "see 'vfio-admin list'");
	return false;
}

/* A PCI device must be on vfio-pci (or a variant); an mdev on its vendor driver (mtty, ...). */
static bool check_driver(const char *address)
{
	char path[PATH_MAX], driver[128];
	bool mdev = vfio_is_mdev_uuid(address);

	if (sysfs_path(path, sizeof(path), "bus/%s/devices/%s/driver", vfio_device_bus(address), address) &&
	    sysfs_link_basename(path, driver, sizeof(driver))) {
		if (mdev || pci_driver_is_vfio(driver))
			return true;
		vt_error(address, "not bound to vfio-pci", "its driver is %s; run 'vfio-admin bind %s' first",
			 driver, address);
	} else if (mdev)
		vt_error(address, "no driver", "its parent's vendor driver has not taken the mediated device");
	else
		vt_error(address, "not bound to vfio-pci", "it has no driver; run 'vfio-admin bind %s' first",
			 address);
	return false;
}

static bool check_group_exists(const char *address, int group)
{
	if (group >= 0)
		return true;
	if (iommu_groups_exist())
		vt_error(address, "no IOMMU group", "the IOMMU does not translate for this device");
	else
		vt_error(address, "no IOMMU group", "the IOMMU is off or absent; %s",
			 iommu_enable_hint(iommu_platform_detect(), machine_arch_detect()));
	return false;
}

/*
 * Names the members that keep the group from being viable (the kernel's rule), from the
 * group's devices/ directory and their driver links only: no PCI enumeration, which
 * would read every device's config space (and wake runtime-suspended ones).
 */
static bool check_group_viable(const char *address, int group)
{
	char dir[PATH_MAX], link[PATH_MAX], driver[128], blockers[512] = "";
	struct dirent **e;
	size_t len = 0;
	int i, n;

	if (!sysfs_path(dir, sizeof(dir), "kernel/iommu_groups/%d/devices", group) ||
	    (n = scandir(dir, &e, NULL, alphasort)) < 0)
		return true;	/* VFIO will say */
	for (i = 0; i < n; i++) {
		if (e[i]->d_name[0] != '.' && snprintf(link, sizeof(link), "%s/%s/driver", dir, e[i]->d_name) < (int)sizeof(link) &&
		    sysfs_link_basename(link, driver, sizeof(driver)) && iommu_member_blocks(driver) &&
		    len < sizeof(blockers))
			len += (size_t)snprintf(blockers + len, sizeof(blockers) - len, "%s%s on %s",
						len ? ", " : "", e[i]->d_name, driver);
		free(e[i]);
	}
	free(e);
	if (!len)
		return true;
	vt_error(address, "IOMMU group not viable",
		 "group %d also holds %s; bind the whole group with 'vfio-admin bind --group %s'",
		 group, blockers, address);
	return false;
}

/* EBUSY: say who holds the group when procfs tells. */
static void report_busy(const char *address, int group)
{
	struct in_use u;
	size_t i;

	in_use_scan(address, group, &u);
	for (i = 0; i < u.n; i++)
		if (u.r[i].kind == IN_USE_VFIO_OPEN) {
			vt_error(address, "device busy", "%s (a VMM or another VFIO user holds it)", u.r[i].text);
			break;
		}
	if (i == u.n)
		vt_error(address, "device busy", "another process holds IOMMU group %d", group);
	in_use_free(&u);
}

/*
 * The SR-IOV VF token check refused the device (EACCES from the step that hands it out),
 * or a token was given where none belongs (EINVAL there): one line that says which.
 */
static bool report_vf_token(const struct vfio_dev *d, const char *token)
{
	char pf[PCI_ADDR_STRLEN + 8], driver[64], release[128], why[256];
	bool is_vf = pci_sriov_physfn(d->address, pf, sizeof(pf));
	struct pci_sriov s;
	bool is_pf = !is_vf && pci_sriov_read(d->address, &s);

	if (is_pf)
		pci_sriov_free(&s);
	driver[0] = '\0';
	if (is_vf)
		pci_current_driver(pf, driver, sizeof(driver));
	if (d->device_errno == EACCES && is_vf)
		vt_error(d->address, token ? "VF token wrong" : "VF token missing",
			 "the PF %s is on vfio-pci with a token; pass --vf-token UUID, the one its user set "
			 "('vfio-admin sriov %s --vf-token UUID')", pf, pf);
	else if (d->device_errno == EACCES && is_pf)
		vt_error(d->address, token ? "VF token wrong" : "VF token missing",
			 "its VFs are in use, so opening the PF takes their VF token; pass --vf-token UUID");
	else if (d->device_errno == EINVAL && token && strcmp(d->ops->name, "iommufd") == 0 &&
		 procfs_kernel_release(release, sizeof(release)) &&
		 !vf_token_cdev_supported(release, why, sizeof(why)))
		vt_error(d->address, "VF token refused", "%s; use --backend group", why);
	else if (d->device_errno == EINVAL && token && is_vf && strcmp(driver, "vfio-pci") != 0)
		vt_error(d->address, "VF token not wanted", "its PF %s is on %s, not vfio-pci; drop --vf-token",
			 pf, driver[0] ? driver : "no driver");
	else if (d->device_errno == EINVAL && token && !is_vf && !is_pf)
		vt_error(d->address, "VF token not wanted", "it is no SR-IOV PF or VF; drop --vf-token");
	else
		return false;
	return true;
}

bool vfio_open_device(const char *device, enum vfio_backend_choice backend, struct vfio_dev *d)
{
	char address[DEVICE_NAME_LEN], why[512];
	int group, r;

	if (!resolve_address(device, address))
		return false;
	group = vfio_group_of(address);
	/* Without an IOMMU vfio-pci takes no device: say that, not "not bound". */
	if ((group < 0 && !iommu_groups_exist() && !check_group_exists(address, group)) ||
	    !check_driver(address) || !check_group_exists(address, group) ||
	    /* an mdev's group is its own, held by its vendor driver (a VFIO driver) */
	    (!vfio_is_mdev_uuid(address) && !check_group_viable(address, group)))
		return false;
	r = vfio_dev_open_token(d, address, group, backend, tool_common.vf_token, why, sizeof(why));
	if (r == 0)
		return true;
	if (d->device_errno && report_vf_token(d, tool_common.vf_token))
		return false;
	if (r == -EBUSY)
		report_busy(address, group);
	else if (r == -EACCES)
		vt_error(address, "cannot open through VFIO", "%s; run as root or give the group to a user "
			 "with 'vfio-admin bind --owner USER %s'", why, address);
	else if (r == -EPERM)
		vt_error(address, "cannot open through VFIO", "%s; 'vfio-admin check %s' says why", why, address);
	else if (r == -ENOENT && d->ops && strcmp(d->ops->name, "iommufd") == 0)
		vt_error(address, "cannot open through VFIO", "%s; the group backend may work: --backend group", why);
	else if (r == -ENOENT)
		vt_error(address, "cannot open through VFIO", "%s; is the vfio module loaded? ('vfio-admin check')", why);
	else
		vt_error(address, "cannot open through VFIO", "%s", why);
	return false;
}

bool vfio_dev_read_config(const struct vfio_dev *d, struct pci_config *cfg)
{
	struct vfio_region_desc r;
	char why[256];
	ssize_t n;
	size_t want;

	memset(cfg->data, 0xff, sizeof(cfg->data));
	cfg->len = 0;
	if (vfio_region_info_get(d->device, VFIO_PCI_CONFIG_REGION_INDEX, &r, why, sizeof(why)) < 0 || r.err) {
		vt_error(d->address, "no config region", "%s", r.err ? strerror(r.err) : why);
		return false;
	}
	want = r.size < PCI_CONFIG_MAX_SIZE ? (size_t)r.size : PCI_CONFIG_MAX_SIZE;
	vfio_region_desc_free(&r);
	n = pread(d->device, cfg->data, want, (off_t)r.offset);
	if (n < 0 && want > PCI_CONFIG_STD_SIZE)	/* some devices fail beyond the standard space */
		n = pread(d->device, cfg->data, PCI_CONFIG_STD_SIZE, (off_t)r.offset);
	if (n < 64) {
		vt_error(d->address, "cannot read the config region", "%s", n < 0 ? strerror(errno) : "short read");
		return false;
	}
	cfg->len = (size_t)n;
	return true;
}

