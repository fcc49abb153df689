#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "binding/driver_modules.h"
#include "pci/pci_device.h"
#include "util/kmod_api.h"
#include "util/report.h"
#include "util/sysfs.h"

static bool driver_registered(const char *driver)
{
	char path[PATH_MAX];

	return sysfs_path(path, sizeof(path), "bus/pci/drivers/%s", driver) && access(path, F_OK) == 0;
}

/* /sys/module/MODULE/drivers/pci:NAME: the driver a loaded or built-in module registered. */
static bool module_pci_driver(const char *name, char *driver, size_t len)
{
	char module[64], path[PATH_MAX];
	struct dirent *e;
	bool found = false;
	size_t i;
	DIR *d;

	if (snprintf(module, sizeof(module), "%s", name) >= (int)sizeof(module))
		return false;
	for (i = 0; module[i]; i++)
		if (module[i] == '-')
			module[i] = '_';
	if (!sysfs_path(path, sizeof(path), "module/%s/drivers", module) || !(d = opendir(path)))
		return false;
	while (!found && (e = readdir(d)))
		if (strncmp(e->d_name, "pci:", 4) == 0 && e->d_name[4] && strlen(e->d_name + 4) < len) {
			snprintf(driver, len, "%s", e->d_name + 4);
			found = true;
		}
	closedir(d);
	return found;
}

bool driver_modules_resolve(const char *name, char *driver, size_t len)
{
	if (driver_registered(name)) {
		snprintf(driver, len, "%s", name);
		return strlen(name) < len;
	}
	return module_pci_driver(name, driver, len) && driver_registered(driver);
}

static bool prohibited(const struct kmod_api *k, struct kmod_ctx *ctx, struct kmod_list *list,
		       struct kmod_module *mod)
{
	struct kmod_list *filtered = NULL;
	const char *install = k->module_get_install_commands(mod);
	bool blacklisted = false;

	if (k->module_get_initstate(mod) >= 0)	/* loaded or built in already */
		return false;
	if (k->module_apply_filter(ctx, KMOD_FILTER_BLACKLIST, list, &filtered) == 0) {
		blacklisted = filtered == NULL;
		k->module_unref_list(filtered);
	}
	return blacklisted || (install && (strstr(install, "/bin/false") || strstr(install, "/bin/true")));
}

static int load_one(const struct kmod_api *k, struct kmod_ctx *ctx, const char *name, char *why, size_t whylen)
{
	struct kmod_list *list = NULL;
	struct kmod_module *mod;
	int r;

	if (k->module_new_from_lookup(ctx, name, &list) < 0 || !list)
		return vt_why(ENOENT, why, whylen, "no module %s in /lib/modules", name);
	mod = k->module_get_module(list);
	if (prohibited(k, ctx, list, mod)) {
		r = vt_why(EPERM, why, whylen, "module %s is administratively prohibited "
			   "(blacklisted or disabled in /etc/modprobe.d)", name);
	} else {
		r = k->module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
		if (r < 0)
			r = vt_why_errno(-r, why, whylen, "loading module %s", name);
	}
	k->module_unref(mod);
	k->module_unref_list(list);
	return r;
}

int driver_modules_load(const char *driver, enum iommu_platform platform, char *why, size_t whylen)
{
	bool vfio = pci_driver_is_vfio(driver);
	const struct kmod_api *k;
	struct kmod_ctx *ctx;
	char name[64];
	int r = 0;

	if (driver_modules_resolve(driver, name, sizeof(name)) && !vfio)
		return 0;
	if (!(k = kmod_api(why, whylen)))
		return -ENOENT;
	ctx = k->new(NULL, NULL);
	if (!ctx)
		return vt_why(ENOMEM, why, whylen, "libkmod: cannot start");
	if (!driver_modules_resolve(driver, name, sizeof(name)))
		r = load_one(k, ctx, driver, why, whylen);
	if (r == 0 && vfio)
		r = load_one(k, ctx, platform == IOMMU_PLATFORM_POWER ? "vfio_iommu_spapr_tce" : "vfio_iommu_type1",
			     why, whylen);
	k->unref(ctx);
	if (r == 0 && !driver_modules_resolve(driver, name, sizeof(name)))
		r = vt_why(ENOENT, why, whylen, "no PCI driver %s after loading its module", driver);
	return r;
}
