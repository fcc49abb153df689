#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "binding/driver_modules.h"
#include "binding/driver_switch.h"
#include "binding/vfio_variant.h"
#include "pci/pci_device.h"
#include "util/sysfs.h"

void vfio_variants_module_dir(char *dir, size_t len)
{
	const char *env = getenv("VFIO_TOOLS_MODULES");
	char release[128];
	struct utsname u;

	if (sysroot_dir() && procfs_kernel_release(release, sizeof(release)))
		snprintf(dir, len, "%s/lib/modules/%s", sysroot_dir(), release);
	else if (env && *env)
		snprintf(dir, len, "%s", env);
	else if (uname(&u) == 0)
		snprintf(dir, len, "/lib/modules/%s", u.release);
	else
		snprintf(dir, len, "/lib/modules");
}

static bool read_file(struct vfio_alias_table *t, const char *dir, const char *name, bool builtin)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return false;
	vfio_alias_table_read(t, f, builtin);
	fclose(f);
	return true;
}

void vfio_variants_load(struct vfio_variants *v)
{
	memset(v, 0, sizeof(*v));
	vfio_variants_module_dir(v->dir, sizeof(v->dir));
	v->readable = read_file(&v->table, v->dir, "modules.alias", false);
	v->readable |= read_file(&v->table, v->dir, "modules.builtin.modinfo", true);
}

void vfio_variants_free(struct vfio_variants *v)
{
	vfio_alias_table_free(&v->table);
}

static unsigned long read_hex(const char *address, const char *attr)
{
	char path[PATH_MAX], line[32];

	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/%s", address, attr) ||
	    !sysfs_read_line(path, line, sizeof(line)))
		return 0;
	return strtoul(line, NULL, 16);
}

/* The device's modalias with vfio_pci: for pci: (composed from its ids when sysfs has none). */
static bool vfio_modalias(const char *address, char *buf, size_t len)
{
	char path[PATH_MAX], line[128];
	unsigned long class;

	if (sysfs_path(path, sizeof(path), "bus/pci/devices/%s/modalias", address) &&
	    sysfs_read_line(path, line, sizeof(line)) && strncmp(line, "pci:", 4) == 0)
		return (size_t)snprintf(buf, len, VFIO_ALIAS_PREFIX "%s", line + 4) < len;
	if (!sysfs_path(path, sizeof(path), "bus/pci/devices/%s/vendor", address) ||
	    !sysfs_read_line(path, line, sizeof(line)))
		return false;
	class = read_hex(address, "class");
	return (size_t)snprintf(buf, len, VFIO_ALIAS_PREFIX "v%08lXd%08lXsv%08lXsd%08lXbc%02lXsc%02lXi%02lX",
				strtoul(line, NULL, 16), read_hex(address, "device"),
				read_hex(address, "subsystem_vendor"), read_hex(address, "subsystem_device"),
				(class >> 16) & 0xff, (class >> 8) & 0xff, class & 0xff) < len;
}

bool vfio_choice_resolve(struct vfio_choice *c)
{
	char driver[64];

	if (!c->module[0] || !driver_modules_resolve(c->module, driver, sizeof(driver)))
		return c->resolved;
	snprintf(c->driver, sizeof(c->driver), "%s", driver);
	c->resolved = true;
	return true;
}

bool vfio_variant_for(const struct vfio_variants *v, const char *address, struct vfio_choice *c)
{
	struct vfio_alias_match m;
	char modalias[160];

	memset(c, 0, sizeof(*c));
	snprintf(c->driver, sizeof(c->driver), "vfio-pci");
	c->resolved = true;
	if (!vfio_alias_table_has_variants(&v->table) || !vfio_modalias(address, modalias, sizeof(modalias)) ||
	    !vfio_alias_best(&v->table, modalias, &m) || strcmp(m.module, "vfio_pci") == 0)
		return false;
	snprintf(c->module, sizeof(c->module), "%s", m.module);
	snprintf(c->alias, sizeof(c->alias), "%s", m.pattern);
	snprintf(c->driver, sizeof(c->driver), "%s", m.module);
	c->resolved = false;
	vfio_choice_resolve(c);
	return true;
}

void vfio_choice_reason(const struct vfio_choice *c, char *buf, size_t len)
{
	snprintf(buf, len, "the kernel's VFIO variant for this device: alias %s%s%s%s", c->alias,
		 c->resolved ? "" : "; module ", c->resolved ? "" : c->module, c->resolved ? "" : ", not loaded yet");
}

/* Variant drivers that set migration ops on a VF only when its PF is on this host driver. */
static const struct {
	const char *module;
	const char *pf_driver;
} migrating[] = {
	{ "mlx5_vfio_pci", "mlx5_core" },
	{ "hisi_acc_vfio_pci", "hisi_sec2, hisi_hpre or hisi_zip" },
	{ "pds_vfio_pci", "pds_core" },
	{ "qat_vfio_pci", "its QAT driver (qat_4xxx, qat_420xx or qat_6xxx)" },
	{ "xe_vfio_pci", "xe" },
	{ "virtio_vfio_pci", "virtio-pci" },
};

bool vfio_variant_pf_conflict(const char *address, const char *driver, char *why, size_t whylen)
{
	char module[64], path[PATH_MAX], pf[64], pf_driver[64];
	size_t i;

	snprintf(module, sizeof(module), "%s", driver);
	for (i = 0; module[i]; i++)
		if (module[i] == '-')
			module[i] = '_';
	for (i = 0; i < sizeof(migrating) / sizeof(migrating[0]) && strcmp(migrating[i].module, module) != 0; i++)
		;
	if (i == sizeof(migrating) / sizeof(migrating[0]) ||
	    !sysfs_path(path, sizeof(path), "bus/pci/devices/%s/physfn", address) ||
	    !sysfs_link_basename(path, pf, sizeof(pf)) || !pci_current_driver(pf, pf_driver, sizeof(pf_driver)) ||
	    !pci_driver_is_vfio(pf_driver))
		return false;
	snprintf(why, whylen, "%s migrates a VF only through its PF's host driver (%s), but PF %s is on %s: "
		 "give the PF back to its host driver first, or bind the VF with --driver vfio-pci (no migration)",
		 driver, migrating[i].pf_driver, pf, pf_driver);
	return true;
}
