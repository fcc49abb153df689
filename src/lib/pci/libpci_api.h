/* libpci, opened at run time by the commands that enumerate devices (util/dl_api.h). */
#ifndef VT_LIBPCI_API_H
#define VT_LIBPCI_API_H

#include <pci/pci.h>

#define LIBPCI_SONAME "libpci.so.3"

/* The functions used, typed by pci/pci.h; each member is the function pci_MEMBER. */
struct libpci_api {
	typeof(pci_alloc) *alloc;
	typeof(pci_init) *init;
	typeof(pci_set_param) *set_param;
	typeof(pci_scan_bus) *scan_bus;
	typeof(pci_fill_info) *fill_info;
	typeof(pci_lookup_name) *lookup_name;
	typeof(pci_cleanup) *cleanup;
};

/*
 * libpci.so.3's functions, opened on the first call and kept; when it cannot be loaded,
 * prints "prog: libpci.so.3: cannot load: DLERROR" and exits with VT_EXIT_USAGE.
 */
const struct libpci_api *libpci_api(void);

#endif
