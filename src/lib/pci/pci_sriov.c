#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_sriov.h"
#include "util/report.h"
#include "util/sysfs.h"

static bool read_attr(const char *address, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	return sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, attr) &&
	       sysfs_read_line(path, buf, len);
}

static bool read_unsigned(const char *address, const char *attr, unsigned *out)
{
	char value[32], *end;
	unsigned long v;

	if (!read_attr(address, attr, value, sizeof(value)))
		return false;
	v = strtoul(value, &end, 10);
	if (end == value || *end || v > 65535)
		return false;
	*out = (unsigned)v;
	return true;
}

static void link_name(const char *address, const char *link, char *buf, size_t len)
{
	char path[PATH_MAX];

	buf[0] = '\0';
	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, link) ||
	    !sysfs_link_basename(path, buf, len))
		buf[0] = '\0';
}

static void read_vf(const char *address, struct pci_sriov_vf *vf)
{
	char group[16], *end;
	long g;

	if (snprintf(vf->address, sizeof(vf->address), "%s", address) >= (int)sizeof(vf->address))
		vf->address[0] = '\0'; /* read_vfs passes only names shorter than this */
	link_name(address, "driver", vf->driver, sizeof(vf->driver));
	link_name(address, "iommu_group", group, sizeof(group));
	g = strtol(group, &end, 10);
	vf->group = group[0] && !*end ? (int)g : -1;
	if (!read_attr(address, "driver_override", vf->override, sizeof(vf->override)) ||
	    strcmp(vf->override, "(null)") == 0)
		vf->override[0] = '\0';
}

/* virtfn0, virtfn1, ... until the first missing one. */
static void read_vfs(struct pci_sriov *s)
{
	char name[32], vf[PCI_ADDR_STRLEN + 8];
	size_t i;

	for (i = 0; i < 65536; i++) {
		snprintf(name, sizeof(name), "virtfn%zu", i);
		link_name(s->address, name, vf, sizeof(vf));
		if (!vf[0] || strlen(vf) >= PCI_ADDR_STRLEN)
			break;
		s->vf = vt_xappend(s->vf, s->n_vf, sizeof(*s->vf));
		read_vf(vf, &s->vf[s->n_vf++]);
	}
}

int pci_sriov_vfio_enable_sriov(void)
{
	char path[PATH_MAX], value[8];

	if (!sysfs_path(path, sizeof(path), "module/vfio_pci/parameters/enable_sriov") ||
	    !sysfs_read_line(path, value, sizeof(value)))
		return -1;
	return value[0] == 'Y' || value[0] == 'y' || value[0] == '1';
}

static void infer_can_create(struct pci_sriov *s)
{
	int param;

	s->can_create = SRIOV_UNKNOWN;
	if (!s->driver[0]) {
		s->can_create = SRIOV_CANNOT;
		snprintf(s->can_why, sizeof(s->can_why), "no driver: only the PF's driver creates VFs");
	} else if (s->num > 0) {
		s->can_create = SRIOV_CAN;
		snprintf(s->can_why, sizeof(s->can_why), "%s created the VFs present (%u)", s->driver, s->num);
	} else if (strcmp(s->driver, "vfio-pci") == 0) {
		param = pci_sriov_vfio_enable_sriov();
		s->can_create = param < 0 ? SRIOV_UNKNOWN : param ? SRIOV_CAN : SRIOV_CANNOT;
		snprintf(s->can_why, sizeof(s->can_why), "%s",
			 param < 0 ? "vfio-pci's enable_sriov parameter is unreadable (/sys/module/vfio_pci/parameters)" :
			 param ? "vfio-pci has enable_sriov=1 (/sys/module/vfio_pci/parameters/enable_sriov)" :
			 "vfio-pci has enable_sriov=0: load it with 'modprobe vfio-pci enable_sriov=1' or write 1 "
			 "to /sys/module/vfio_pci/parameters/enable_sriov");
	} else if (strcmp(s->driver, "pci-stub") == 0) {
		s->can_create = SRIOV_CANNOT;
		snprintf(s->can_why, sizeof(s->can_why), "pci-stub has no sriov_configure");
	} else {
		snprintf(s->can_why, sizeof(s->can_why),
			 "sysfs does not show whether %s implements sriov_configure: writing sriov_numvfs tells "
			 "(ENOENT: it does not)", s->driver);
	}
}

bool pci_sriov_read(const char *address, struct pci_sriov *s)
{
	unsigned autoprobe;

	memset(s, 0, sizeof(*s));
	snprintf(s->address, sizeof(s->address), "%s", address);
	if (!read_unsigned(address, "sriov_totalvfs", &s->total))
		return false;
	if (!read_unsigned(address, "sriov_numvfs", &s->num))
		s->num = 0;
	s->autoprobe = read_unsigned(address, "sriov_drivers_autoprobe", &autoprobe) ? autoprobe != 0 : -1;
	link_name(address, "driver", s->driver, sizeof(s->driver));
	read_vfs(s);
	infer_can_create(s);
	return true;
}

void pci_sriov_free(struct pci_sriov *s)
{
	free(s->vf);
	memset(s, 0, sizeof(*s));
}

bool pci_sriov_physfn(const char *address, char *pf, size_t len)
{
	link_name(address, "physfn", pf, len);
	return pf[0] != '\0';
}

static int write_attr(const char *address, const char *attr, const char *value, char *why, size_t whylen)
{
	char path[PATH_MAX];
	int r;

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, attr))
		return vt_why(ENAMETOOLONG, why, whylen, "sysfs path too long");
	r = sysfs_write(path, value);
	return r < 0 ? vt_why_errno(-r, why, whylen, "writing %s to %s", value, attr) : 0;
}

int pci_sriov_write_numvfs(const char *address, unsigned n, const char *driver, char *why, size_t whylen)
{
	char value[16];
	int r;

	snprintf(value, sizeof(value), "%u", n);
	r = write_attr(address, "sriov_numvfs", value, NULL, 0);
	if (r == 0)
		return 0;
	if (r == -ENOENT && (!driver || !*driver))
		return vt_why(ENOENT, why, whylen, "writing %u to sriov_numvfs: the PF has no driver, and only "
			      "its driver creates VFs", n);
	if (r == -ENOENT && strcmp(driver, "vfio-pci") == 0)
		return vt_why(ENOENT, why, whylen, "writing %u to sriov_numvfs: vfio-pci creates VFs only with "
			      "enable_sriov=1 ('modprobe vfio-pci enable_sriov=1', or write 1 to "
			      "/sys/module/vfio_pci/parameters/enable_sriov)", n);
	if (r == -ENOENT)
		return vt_why(ENOENT, why, whylen, "writing %u to sriov_numvfs: %s cannot create VFs "
			      "(no sriov_configure)", n, driver);
	if (r == -EBUSY)
		return vt_why(EBUSY, why, whylen, "writing %u to sriov_numvfs: VFs are enabled already "
			      "(0 must come first)", n);
	if (r == -ERANGE)
		return vt_why(ERANGE, why, whylen, "writing %u to sriov_numvfs: more than sriov_totalvfs", n);
	return vt_why_errno(-r, why, whylen, "writing %u to sriov_numvfs (the kernel log says why)", n);
}

int pci_sriov_write_autoprobe(const char *address, bool on, char *why, size_t whylen)
{
	return write_attr(address, "sriov_drivers_autoprobe", on ? "1" : "0", why, whylen);
}
