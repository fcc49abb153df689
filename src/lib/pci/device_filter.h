/* Device filters shared by every command that takes devices: -s -d --class --group --driver. */
#ifndef VT_DEVICE_FILTER_H
#define VT_DEVICE_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/pci_addr.h"
#include "pci/pci_class.h"
#include "pci/pci_device.h"
#include "pci/pci_id.h"

struct device_filter {
	struct pci_selector *sel;	/* any of them matches (OR) */
	size_t n_sel;
	bool has_id;
	struct pci_id_filter id;
	bool has_class;
	struct pci_class_filter cls;
	int group;			/* -1 = any */
	char *driver;			/* NULL = any, "none" = driverless */
};

void device_filter_init(struct device_filter *f);
void device_filter_free(struct device_filter *f);

/* Each setter reports a one-line error naming the bad text and returns false. */
bool device_filter_add_selector(struct device_filter *f, const char *text);
bool device_filter_set_id(struct device_filter *f, const char *text);
bool device_filter_set_class(struct device_filter *f, const char *text);
bool device_filter_set_group(struct device_filter *f, const char *text);
bool device_filter_set_driver(struct device_filter *f, const char *text);

/* Any criterion other than --group is set. */
bool device_filter_selects_devices(const struct device_filter *f);

bool device_filter_match(const struct device_filter *f, const struct pci_device *d);

/* Every exact (non-glob) address must name an existing device; reports the first that does not. */
bool device_filter_check_exact(const struct device_filter *f, const struct pci_device_list *list);

#endif
