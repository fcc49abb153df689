/* SR-IOV for vfio-admin: the sriov command's state display, and what restore undoes of it. */
#ifndef VFIO_ADMIN_SRIOV_H
#define VFIO_ADMIN_SRIOV_H

#include <stdbool.h>
#include <stddef.h>

#include "pci/device_filter.h"
#include "pci/pci_device.h"
#include "pci/pci_sriov.h"
#include "util/json.h"

void sriov_print_text(const struct pci_sriov *s);
void sriov_json(struct json *j, const struct pci_sriov *s);

/*
 * The first half of restoring the PFs whose sriov_numvfs/autoprobe vfio-admin changed
 * (those the filter selects; every recorded one when it selects none): VFs that are not
 * the recorded ones are removed (sriov_numvfs 0) and their bind records dropped, before
 * restore plans its driver changes.  Returns the PFs to finish; false in *ok after reporting.
 */
size_t sriov_restore_begin(const struct device_filter *f, const struct pci_device_list *devices,
			   bool dry_run, char ***pfs, bool *ok);
/*
 * The second half, after the driver changes (when run): the recorded autoprobe, then the
 * recorded count; records dropped once restored.  Frees pfs.
 */
bool sriov_restore_end(char **pfs, size_t n, bool dry_run, bool run);
/* True when ADDRESS is one of pfs and has no bind record: restore leaves its driver alone. */
bool sriov_restore_only(char **pfs, size_t n, const char *address);
/*
 * persist apply: a PF's VF count as persist.conf's numvfs= says (-1: leave it), through 0
 * when it changes from nonzero.  Not recorded for restore (persist owns it).  True when
 * nothing failed (reported).
 */
bool sriov_apply_numvfs(const char *address, int numvfs);
/* True when some PF has an SR-IOV record. */
bool sriov_restore_pending(void);

#endif
