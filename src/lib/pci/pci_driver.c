#include <limits.h>

#include "pci/pci_device.h"
#include "pci/pci_driver.h"
#include "util/sysfs.h"

bool pci_current_driver(const char *address, char *driver, size_t len)
{
	char path[PATH_MAX];

	driver[0] = '\0';
	return sysfs_path(path, sizeof(path), "bus/pci/devices/%s/driver", address) &&
	       sysfs_link_basename(path, driver, len);
}

bool pci_on_vfio_driver(const char *address)
{
	char driver[64];

	return pci_current_driver(address, driver, sizeof(driver)) && pci_driver_is_vfio(driver);
}
