#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/libpci_api.h"
#include "pci/pci_device.h"
#include "pci/pci_names.h"
#include "util/report.h"
#include "util/sysfs.h"

static void __attribute__((noreturn)) libpci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vt_verror("libpci", "PCI enumeration failed", msg, ap);
	va_end(ap);
	exit(VT_EXIT_USAGE);
}

static void libpci_warning(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vt_verror("libpci", "warning", msg, ap);
	va_end(ap);
}

static void libpci_quiet(char *msg, ...)
{
	(void)msg;
}

static struct pci_access *open_libpci(void)
{
	const struct libpci_api *lp = libpci_api();
	struct pci_access *pacc = lp->alloc();
	char path[PATH_MAX];

	pacc->error = libpci_error;
	pacc->warning = getenv("VFIO_TOOLS_DEBUG") ? libpci_warning : libpci_quiet;
	pacc->debug = libpci_quiet;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	if (!sysfs_path(path, sizeof(path), "bus/pci"))
		libpci_error("sysfs path too long");
	lp->set_param(pacc, "sysfs.path", path);
	lp->init(pacc);
	return pacc;
}

static char *name_copy(const char *name)
{
	return name ? vt_xstrdup(name) : NULL;
}

static char *class_name(struct pci_names *names, unsigned class16)
{
	char *name = name_copy(pci_names_lookup(names, PCI_LOOKUP_CLASS, (int)class16, 0));
	char buf[16];
	size_t n;

	if (name) {
		/* With only the base class known, libpci appends " [ccss]": the id has its own key. */
		snprintf(buf, sizeof(buf), " [%04x]", class16);
		n = strlen(name);
		if (n > strlen(buf) && strcmp(name + n - strlen(buf), buf) == 0)
			name[n - strlen(buf)] = '\0';
		return name;
	}
	snprintf(buf, sizeof(buf), "Class %04x", class16);
	return vt_xstrdup(buf);
}

static int parse_group(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < 0 || v > INT_MAX ? -1 : (int)v;
}

/* The basename of a device's link (driver, iommu_group), or NULL without one. */
static char *read_device_link(const char *address, const char *link)
{
	char path[PATH_MAX], name[256];

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, link) ||
	    !sysfs_link_basename(path, name, sizeof(name)))
		return NULL;
	return vt_xstrdup(name);
}

static void fill_device(struct pci_names *names, struct pci_dev *p, struct pci_device *d)
{
	char *s;

	/*
	 * The driver and the group are read here, not with PCI_FILL_DRIVER and
	 * PCI_FILL_IOMMU_GROUP: libpci resolves the device path component by component for
	 * each, which costs 40 system calls a device.
	 */
	libpci_api()->fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT | PCI_FILL_NUMA_NODE);
	d->addr.domain = (uint32_t)p->domain;
	d->addr.bus = p->bus;
	d->addr.dev = p->dev;
	d->addr.fn = p->func;
	pci_addr_format(&d->addr, d->address);
	d->vendor_id = p->vendor_id;
	d->device_id = p->device_id;
	d->class24 = (uint32_t)p->device_class << 8 | p->prog_if;
	d->vendor_name = name_copy(pci_names_lookup(names, PCI_LOOKUP_VENDOR, p->vendor_id, 0));
	d->device_name = name_copy(pci_names_lookup(names, PCI_LOOKUP_DEVICE, p->vendor_id, p->device_id));
	d->class_name = class_name(names, p->device_class);
	d->driver = read_device_link(d->address, "driver");
	s = read_device_link(d->address, "iommu_group");
	d->iommu_group = parse_group(s);
	free(s);
	d->numa_node = p->numa_node >= 0 ? p->numa_node : -1;
	d->parent = -1;
}

static int compare_devices(const void *a, const void *b)
{
	return pci_addr_compare(&((const struct pci_device *)a)->addr,
				&((const struct pci_device *)b)->addr);
}

/*
 * The parent is the PCI device whose sysfs directory holds this one's: the component
 * before the last in the bus/pci/devices link (one readlink, where realpath costs one
 * per component). A root bus that a device provides (an Intel VMD domain:
 * .../0000:00:0e.0/pci10000:e0/10000:e0:06.0) makes that device the parent.
 */
static void link_parent(struct pci_device_list *list, struct pci_device *d)
{
	char path[PATH_MAX], target[PATH_MAX], why[8];
	struct pci_device *parent;
	struct pci_addr paddr;
	char *slash;
	ssize_t n;

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s", d->address))
		return;
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	if (!slash)
		return;
	*slash = '\0';
	slash = strrchr(target, '/');
	if (slash && !strncmp(slash + 1, "pci", 3)) {
		*slash = '\0';
		slash = strrchr(target, '/');
	}
	if (!pci_addr_parse(slash ? slash + 1 : target, &paddr, why, sizeof(why)))
		return;
	parent = pci_device_list_find(list, &paddr);
	if (parent)
		d->parent = parent - list->dev;
}

static bool load(struct pci_device_list *list, bool with_names)
{
	struct pci_access *pacc = open_libpci();
	struct pci_names *names = with_names ? pci_names_new(pacc) : NULL;
	struct pci_dev *p;
	size_t i = 0;

	libpci_api()->scan_bus(pacc);
	list->n = 0;
	for (p = pacc->devices; p; p = p->next)
		list->n++;
	list->dev = vt_xcalloc(list->n, sizeof(*list->dev));
	for (p = pacc->devices; p; p = p->next)
		fill_device(names, p, &list->dev[i++]);
	if (names)
		pci_names_free(names);
	libpci_api()->cleanup(pacc);
	qsort(list->dev, list->n, sizeof(*list->dev), compare_devices);
	for (i = 0; i < list->n; i++)
		link_parent(list, &list->dev[i]);
	return true;
}

bool pci_device_list_load(struct pci_device_list *list)
{
	return load(list, true);
}

bool pci_device_list_load_ids(struct pci_device_list *list)
{
	return load(list, false);
}

void pci_device_list_free(struct pci_device_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		free(list->dev[i].vendor_name);
		free(list->dev[i].device_name);
		free(list->dev[i].class_name);
		free(list->dev[i].driver);
	}
	free(list->dev);
	list->dev = NULL;
	list->n = 0;
}

struct pci_device *pci_device_list_find(const struct pci_device_list *list, const struct pci_addr *addr)
{
	struct pci_device key = { .addr = *addr };

	return bsearch(&key, list->dev, list->n, sizeof(*list->dev), compare_devices);
}

void pci_device_describe(const struct pci_device *d, char *buf, size_t len)
{
	char vendor[16], device[16];

	snprintf(vendor, sizeof(vendor), "Vendor %04x", d->vendor_id);
	snprintf(device, sizeof(device), "Device %04x", d->device_id);
	snprintf(buf, len, "%s %s", d->vendor_name ? d->vendor_name : vendor,
		 d->device_name ? d->device_name : device);
}

uint16_t pci_device_class16(const struct pci_device *d)
{
	return (uint16_t)(d->class24 >> 8);
}

bool pci_device_is_bridge(const struct pci_device *d)
{
	uint16_t c = pci_device_class16(d);

	return c == 0x0604 || c == 0x0609;
}

bool pci_driver_is_vfio(const char *driver)
{
	size_t n;

	if (!driver)
		return false;
	if (strcmp(driver, "vfio-pci") == 0)
		return true;
	/* module names are KBUILD_MODNAME (mlx5_vfio_pci); xe names its driver xe-vfio-pci */
	n = strlen(driver);
	return n > 9 && (strcmp(driver + n - 9, "_vfio_pci") == 0 || strcmp(driver + n - 9, "-vfio-pci") == 0);
}
