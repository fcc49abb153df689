#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pci/device_filter.h"
#include "util/report.h"

void device_filter_init(struct device_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->group = -1;
}

void device_filter_free(struct device_filter *f)
{
	free(f->sel);
	free(f->driver);
	device_filter_init(f);
}

bool device_filter_add_selector(struct device_filter *f, const char *text)
{
	struct pci_selector sel;
	char why[128];

	if (!pci_selector_parse(text, &sel, why, sizeof(why))) {
		vt_error(*text ? text : "''", "invalid PCI address", "%s", why);
		return false;
	}
	f->sel = vt_xrealloc(f->sel, f->n_sel + 1, sizeof(*f->sel));
	f->sel[f->n_sel++] = sel;
	return true;
}

bool device_filter_set_id(struct device_filter *f, const char *text)
{
	char why[128];

	if (!pci_id_filter_parse(text, &f->id, why, sizeof(why))) {
		vt_error(*text ? text : "''", "invalid VENDOR:DEVICE", "%s", why);
		return false;
	}
	f->has_id = true;
	return true;
}

bool device_filter_set_class(struct device_filter *f, const char *text)
{
	char why[160];

	if (!pci_class_filter_parse(text, &f->cls, why, sizeof(why))) {
		vt_error(*text ? text : "''", "unknown device class", "%s", why);
		return false;
	}
	f->has_class = true;
	return true;
}

bool device_filter_set_group(struct device_filter *f, const char *text)
{
	char *end;
	long v;

	v = strtol(text, &end, 10);
	if (!*text || *end || *text == '-' || *text == '+' || v < 0 || v > INT_MAX) {
		vt_error(*text ? text : "''", "invalid IOMMU group", "expected a group number (0, 1, 2, ...)");
		return false;
	}
	f->group = (int)v;
	return true;
}

bool device_filter_set_driver(struct device_filter *f, const char *text)
{
	if (!*text || strchr(text, '/')) {
		vt_error(*text ? text : "''", "invalid driver name",
			 "expected a driver name as in /sys/bus/pci/drivers, or 'none'");
		return false;
	}
	free(f->driver);
	f->driver = vt_xstrdup(text);
	return true;
}

static bool driver_matches(const char *want, const char *have)
{
	if (strcmp(want, "none") == 0)
		return !have;
	return have && strcmp(want, have) == 0;
}

bool device_filter_selects_devices(const struct device_filter *f)
{
	return f->n_sel || f->has_id || f->has_class || f->driver;
}

bool device_filter_match(const struct device_filter *f, const struct pci_device *d)
{
	size_t i;

	if (f->n_sel) {
		for (i = 0; i < f->n_sel; i++)
			if (pci_selector_match(&f->sel[i], &d->addr))
				break;
		if (i == f->n_sel)
			return false;
	}
	if (f->has_id && !pci_id_filter_match(&f->id, d->vendor_id, d->device_id))
		return false;
	if (f->has_class && !pci_class_filter_match(&f->cls, d->class24))
		return false;
	if (f->group >= 0 && d->iommu_group != f->group)
		return false;
	return !f->driver || driver_matches(f->driver, d->driver);
}

bool device_filter_check_exact(const struct device_filter *f, const struct pci_device_list *list)
{
	size_t i;

	for (i = 0; i < f->n_sel; i++)
		if (!f->sel[i].is_glob && !pci_device_list_find(list, &f->sel[i].addr)) {
			vt_error(f->sel[i].pattern, "no such device", "not in /sys/bus/pci/devices");
			return false;
		}
	return true;
}
