/*
 * What `vfio-admin bind` changed, so that `restore` can undo it: one record per device
 * under /run/vfio-tools ($VFIO_TOOLS_STATE), holding the driver and driver_override the
 * device had before the first change; and the lock that serialises vfio-admin processes.
 */
#ifndef VT_BIND_STATE_H
#define VT_BIND_STATE_H

#include <stdbool.h>
#include <stddef.h>

struct bind_record {
	char address[32];
	char driver[64];	/* "" when the device had no driver */
	char override[64];	/* "" when driver_override was unset */
};

const char *bind_state_dir(void);

/*
 * Takes the exclusive lock (creating the directory), waiting for another vfio-admin
 * after saying so on stderr. Returns the lock's descriptor, or a negative errno with why.
 */
int bind_state_lock(char *why, size_t whylen);
void bind_state_unlock(int fd);

/* Saves r unless the device already has a record (the first one wins). 0 or -errno. */
int bind_state_record(const struct bind_record *r);
/* Loads the device's record: 1 found, 0 none, negative errno on a malformed record. */
int bind_state_load(const char *address, struct bind_record *r);
int bind_state_forget(const char *address);
/* Every recorded address, sorted; the caller frees the array and its strings. */
size_t bind_state_list(char ***addresses);

/*
 * Other records beside these, named ADDRESS + a suffix (sriov_state's ".sriov"): text
 * saved atomically unless the record exists (the first one wins; 0 or -errno), removed,
 * and the addresses that have one, sorted (freed by the caller).
 */
int bind_state_save_text(const char *address, const char *suffix, const char *text);
int bind_state_remove(const char *address, const char *suffix);
size_t bind_state_list_suffix(const char *suffix, char ***addresses);

#endif
