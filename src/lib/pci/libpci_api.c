#include "pci/libpci_api.h"
#include "util/dl_api.h"

const struct libpci_api *libpci_api(void)
{
	static struct libpci_api api;
	static bool loaded;
	const struct dl_symbol syms[] = {
		DL_SYMBOL(&api, "pci_", alloc),
		DL_SYMBOL(&api, "pci_", init),
		DL_SYMBOL(&api, "pci_", set_param),
		DL_SYMBOL(&api, "pci_", scan_bus),
		DL_SYMBOL(&api, "pci_", fill_info),
		DL_SYMBOL(&api, "pci_", lookup_name),
		DL_SYMBOL(&api, "pci_", cleanup),
	};

	if (!loaded) {
		dl_api_require(LIBPCI_SONAME, syms, sizeof(syms) / sizeof(syms[0]));
		loaded = true;
	}
	return &api;
}
