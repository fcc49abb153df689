/*
 * What `vfio-admin sriov --numvfs/--autoprobe` changed on a PF, so that `restore` can put
 * it back: one record per PF beside bind_state's, named ADDRESS.sriov, holding the
 * sriov_numvfs and sriov_drivers_autoprobe the PF had before the first change.
 */
#ifndef VT_SRIOV_STATE_H
#define VT_SRIOV_STATE_H

#include <stdbool.h>
#include <stddef.h>

struct sriov_record {
	char address[32];
	unsigned numvfs;
	bool autoprobe;
};

/* Saves r unless the PF already has a record (the first one wins). 0 or -errno. */
int sriov_state_record(const struct sriov_record *r);
/* 1 found, 0 none, negative errno on a malformed record. */
int sriov_state_load(const char *address, struct sriov_record *r);
int sriov_state_forget(const char *address);
/* Every PF with a record, sorted; the caller frees the array and its strings. */
size_t sriov_state_list(char ***addresses);

#endif
