#include <stdbool.h>
#include <string.h>

#include "binding/vfio_variant.h"
#include "checks/variant_checks.h"

/* The aliases, read at the first device checked and kept for the run. */
static const struct vfio_variants *variants(void)
{
	static struct vfio_variants v;
	static bool loaded;

	if (!loaded) {
		vfio_variants_load(&v);
		loaded = true;
	}
	return &v;
}

void variant_checks_run(struct findings *fs, const struct pci_device *dev)
{
	struct vfio_choice c;
	char why[512];

	if (pci_device_is_bridge(dev) || !vfio_variant_for(variants(), dev->address, &c))
		return;
	if (dev->driver && strcmp(dev->driver, c.driver) == 0)
		findings_add(fs, LEVEL_PASS, "vfio.variant", dev->address, NULL,
			     "on %s, the kernel's VFIO variant driver for it (alias %s)", c.driver, c.alias);
	else if (dev->driver && strcmp(dev->driver, "vfio-pci") == 0)
		findings_add(fs, LEVEL_NOTE, "vfio.variant", dev->address,
			     "'vfio-admin bind' moves it to the variant",
			     "on plain vfio-pci, which loses what %s adds (live migration, device-specific handling): "
			     "the kernel's VFIO variant driver for it (alias %s)", c.driver, c.alias);
	else
		findings_add(fs, LEVEL_NOTE, "vfio.variant", dev->address,
			     "'bind --driver vfio-pci' would lose what it adds (live migration, device-specific handling)",
			     "vfio-admin bind gives it %s, the kernel's VFIO variant driver for it (alias %s%s)", c.driver,
			     c.alias, c.resolved ? "" : "; its module is not loaded yet");
	if (vfio_variant_pf_conflict(dev->address, c.driver, why, sizeof(why)))
		findings_add(fs, LEVEL_WARN, "vfio.variant", dev->address, NULL, "bind refuses it: %s", why);
}
