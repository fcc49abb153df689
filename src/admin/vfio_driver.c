#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/driver_modules.h"
#include "binding/persist_conf.h"
#include "pci/pci_device.h"
#include "util/report.h"
#include "util/sysfs.h"
#include "vfio_driver.h"

void vfio_driver_choose(const struct vfio_variants *variants, const char *forced, const char *address,
			struct vfio_driver_choice *c)
{
	struct vfio_choice v;

	memset(c, 0, sizeof(*c));
	if (forced) {	/* a loaded variant's module name stands for its driver */
		vfio_driver_registered(forced, c->driver, sizeof(c->driver));
		return;
	}
	if (vfio_variant_for(variants, address, &v)) {
		vfio_choice_reason(&v, c->why, sizeof(c->why));
		snprintf(c->module, sizeof(c->module), "%s", v.module);
	}
	snprintf(c->driver, sizeof(c->driver), "%s", v.driver);
}

bool vfio_driver_check_pf(const char *address, const struct vfio_driver_choice *c)
{
	char why[512];

	if (!vfio_variant_pf_conflict(address, c->module[0] ? c->module : c->driver, why, sizeof(why)))
		return true;
	vt_error(address, "refused", "%s", why);
	return false;
}

/* A step whose target was a module name gets the driver's registered name. */
static void rename_step(struct bind_step *s, const char *driver)
{
	if (strcmp(s->to_driver, driver) == 0)
		return;
	if (strcmp(s->to_override, s->to_driver) == 0)
		snprintf(s->to_override, sizeof(s->to_override), "%s", driver);
	snprintf(s->to_driver, sizeof(s->to_driver), "%s", driver);
}

/* Loads step i's driver; renames the steps from i on that name it, and marks them done. */
static int load_step(struct bind_plan *plan, size_t i, bool *done, enum iommu_platform platform)
{
	char name[64], why[512], driver[64], *note;
	bool resolved;
	size_t k;

	snprintf(name, sizeof(name), "%s", plan->step[i].to_driver);
	if (driver_modules_load(name, platform, why, sizeof(why)) < 0) {
		vt_error(name, "driver unavailable", "%s%s", why,
			 *plan->step[i].why ? "; --driver vfio-pci binds without the variant driver" : "");
		return 2;
	}
	resolved = driver_modules_resolve(name, driver, sizeof(driver));
	for (k = i; k < plan->n; k++) {
		struct bind_step *s = &plan->step[k];

		if (done[k] || strcmp(s->to_driver, name) != 0)
			continue;
		if (resolved)
			rename_step(s, driver);
		if ((note = strstr(s->why, "; module ")))
			*note = '\0';
		done[k] = true;
	}
	return 0;
}

int vfio_driver_load_plan(struct bind_plan *plan, enum iommu_platform platform)
{
	bool *done = vt_xcalloc(plan->n + 1, sizeof(*done));
	size_t i;
	int rc = 0;

	for (i = 0; i < plan->n && rc == 0; i++)
		if (!done[i] && *plan->step[i].to_driver && strcmp(plan->step[i].to_driver, "*") != 0)
			rc = load_step(plan, i, done, platform);
	free(done);
	return rc;
}

const char *vfio_driver_registered(const char *name, char *buf, size_t len)
{
	if (!driver_modules_resolve(name, buf, len))
		snprintf(buf, len, "%s", name);
	return buf;
}

/* The first present device with these ids, by address. */
static bool present_with_ids(uint16_t vendor, uint16_t device, char *address, size_t len)
{
	char path[PATH_MAX], line[32];
	struct dirent **e;
	bool found = false;
	int i, k;

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices") || (k = scandir(path, &e, NULL, alphasort)) < 0)
		return false;
	for (i = 0; i < k; i++) {
		if (!found && e[i]->d_name[0] != '.' &&
		    sysfs_path(path, sizeof(path), "bus/pci/devices/%s/vendor", e[i]->d_name) &&
		    sysfs_read_line(path, line, sizeof(line)) && strtoul(line, NULL, 16) == vendor &&
		    sysfs_path(path, sizeof(path), "bus/pci/devices/%s/device", e[i]->d_name) &&
		    sysfs_read_line(path, line, sizeof(line)) && strtoul(line, NULL, 16) == device &&
		    strlen(e[i]->d_name) < len) {
			memcpy(address, e[i]->d_name, strlen(e[i]->d_name) + 1);
			found = true;
		}
		free(e[i]);
	}
	free(e);
	return found;
}

const char *vfio_driver_persist_default(const char *device, char *driver, size_t len, char *why, size_t whylen)
{
	struct vfio_variants variants;
	struct vfio_driver_choice c;
	struct persist_entry e;
	char address[64], err[128];

	snprintf(driver, len, "vfio-pci");
	if (why && whylen)
		*why = '\0';
	if (!persist_parse_device(device, &e, err, sizeof(err)))
		return driver;
	if (!e.by_id)
		snprintf(address, sizeof(address), "%s", e.address);
	else if (!present_with_ids(e.vendor, e.device, address, sizeof(address)))
		return driver;
	vfio_variants_load(&variants);
	vfio_driver_choose(&variants, NULL, address, &c);
	vfio_variants_free(&variants);
	snprintf(driver, len, "%s", c.driver);
	if (why && whylen)
		snprintf(why, whylen, "%s", c.why);
	return driver;
}
