/* What restore undoes of `vfio-admin sriov --numvfs/--autoprobe`: the recorded count and autoprobe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/bind_state.h"
#include "binding/sriov_state.h"
#include "sriov.h"
#include "util/report.h"

bool sriov_restore_pending(void)
{
	char **pfs;
	size_t n = sriov_state_list(&pfs), i;

	for (i = 0; i < n; i++)
		free(pfs[i]);
	free(pfs);
	return n > 0;
}

static bool selected(const struct device_filter *f, const struct pci_device_list *devices, const char *address)
{
	struct pci_addr addr;
	const struct pci_device *d;
	char why[8];

	if (!device_filter_selects_devices(f))
		return true;
	return pci_addr_parse(address, &addr, why, sizeof(why)) && (d = pci_device_list_find(devices, &addr)) &&
	       device_filter_match(f, d);
}

/* VFs other than the recorded ones go first: removing them (0) before the PF changes driver. */
static bool remove_vfs(const struct pci_sriov *s, const struct sriov_record *r, bool dry_run)
{
	struct bind_record vf;
	char why[512];
	size_t i;

	if (s->num == 0 || s->num == r->numvfs)
		return true;
	printf("%s: sriov_numvfs %u -> 0 (recorded: %u)\n", s->address, s->num, r->numvfs);
	if (dry_run)
		return true;
	if (pci_sriov_write_numvfs(s->address, 0, s->driver, why, sizeof(why)) < 0) {
		vt_error(s->address, "cannot restore SR-IOV", "%s; nothing changed, record kept", why);
		return false;
	}
	for (i = 0; i < s->n_vf; i++)
		if (bind_state_load(s->vf[i].address, &vf) == 1)
			bind_state_forget(s->vf[i].address);
	return true;
}

size_t sriov_restore_begin(const struct device_filter *f, const struct pci_device_list *devices,
			   bool dry_run, char ***pfs, bool *ok)
{
	char **all;
	size_t n = sriov_state_list(&all), kept = 0, i;
	struct sriov_record r;
	struct pci_sriov s;

	*pfs = NULL;
	for (i = 0; i < n; i++) {
		if (!selected(f, devices, all[i])) {
			free(all[i]);
			continue;
		}
		if (sriov_state_load(all[i], &r) != 1) {
			vt_error(all[i], "unreadable SR-IOV record", "%s/%s.sriov is malformed: remove it",
				 bind_state_dir(), all[i]);
			*ok = false;
		} else if (!pci_sriov_read(all[i], &s)) {
			fprintf(stderr, "%s: %s: SR-IOV recorded but the PF is gone (hot-unplugged?): record kept\n",
				vt_progname(), all[i]);
		} else {
			if (remove_vfs(&s, &r, dry_run)) {
				*pfs = vt_xrealloc(*pfs, kept + 1, sizeof(**pfs));
				(*pfs)[kept++] = all[i];
				all[i] = NULL;
			} else {
				*ok = false;
			}
			pci_sriov_free(&s);
		}
		free(all[i]);
	}
	free(all);
	return kept;
}

static bool finish_one(const char *address, bool dry_run)
{
	struct sriov_record r;
	struct pci_sriov s;
	char why[512];
	bool ok = true;

	if (sriov_state_load(address, &r) != 1 || !pci_sriov_read(address, &s))
		return false;
	if (s.autoprobe != (int)r.autoprobe) {
		printf("%s: sriov_drivers_autoprobe %s -> %s (recorded)\n", address, s.autoprobe ? "on" : "off",
		       r.autoprobe ? "on" : "off");
		if (!dry_run && pci_sriov_write_autoprobe(address, r.autoprobe, why, sizeof(why)) < 0) {
			vt_error(address, "cannot restore sriov_drivers_autoprobe", "%s; record kept", why);
			ok = false;
		}
	}
	if (ok && s.num != r.numvfs) {
		printf("%s: sriov_numvfs %u -> %u (recorded)\n", address, s.num, r.numvfs);
		if (!dry_run && pci_sriov_write_numvfs(address, r.numvfs, s.driver, why, sizeof(why)) < 0) {
			vt_error(address, "cannot restore sriov_numvfs", "%s; record kept", why);
			ok = false;
		}
	}
	if (ok && s.autoprobe == (int)r.autoprobe && s.num == r.numvfs)
		printf("%s: SR-IOV already as recorded (nothing to do)\n", address);
	if (ok && !dry_run)
		sriov_state_forget(address);
	pci_sriov_free(&s);
	return ok;
}

bool sriov_restore_only(char **pfs, size_t n, const char *address)
{
	struct bind_record r;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(pfs[i], address) == 0)
			return bind_state_load(address, &r) == 0;
	return false;
}

bool sriov_restore_end(char **pfs, size_t n, bool dry_run, bool run)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < n; i++) {
		if (run)
			ok &= finish_one(pfs[i], dry_run);
		free(pfs[i]);
	}
	free(pfs);
	return ok;
}
