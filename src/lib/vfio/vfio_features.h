/*
 * The device features of VFIO_DEVICE_FEATURE (Linux 5.7+): the ones Linux 7.2's uAPI
 * numbers, the release that brought each, and what a device offers of them.  Offers
 * are asked with VFIO_DEVICE_FEATURE_PROBE, once with GET and once with SET: a probe
 * never gets or sets anything.  The kernel answers per direction: 0 offered, EINVAL
 * this direction is not (the feature is), ENOTTY the device's driver (or this kernel)
 * lacks the feature; a driver may refuse with another errno before looking at the
 * direction.  MIGRATION, when offered, is also read (its flags and the device state):
 * GETs only.
 */
#ifndef VT_VFIO_FEATURES_H
#define VT_VFIO_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vfio_feature_def {
	uint16_t number;
	const char *name;	/* "MIGRATION": the uAPI's VFIO_DEVICE_FEATURE_ name without the prefix */
	const char *since;	/* the Linux release that added it: "5.18" */
	const char *meaning;	/* one line */
	const char *provider;	/* which drivers offer it, for "does not offer it" */
};

extern const struct vfio_feature_def vfio_feature_table[];
extern const size_t vfio_feature_table_len;

/* The entry for a feature number, or NULL. */
const struct vfio_feature_def *vfio_feature_find(uint16_t number);

enum vfio_feature_state {
	VFIO_FEATURE_OFFERED,		/* GET or SET or both */
	VFIO_FEATURE_KERNEL_TOO_OLD,	/* not offered, and the running kernel predates it */
	VFIO_FEATURE_NOT_OFFERED,	/* ENOTTY: the device's driver does not offer it */
	VFIO_FEATURE_REFUSED,		/* EINVAL both ways: the feature exists, not for this device */
	VFIO_FEATURE_PROBE_FAILED,	/* another errno */
};

struct vfio_feature_status {
	const struct vfio_feature_def *def;
	int get_err, set_err;		/* errno of the PROBE|GET and PROBE|SET probes; 0: offered */
	enum vfio_feature_state state;
	bool get, set;			/* the directions offered */
	char reason[192];		/* why not offered ("" when offered) */
};

/*
 * Decides state, get, set and reason from def, get_err and set_err.  release: the
 * running kernel's ("6.12.118", "7.2.13+deb14-amd64"), or NULL when unknown (a
 * missing feature is then the driver's).  A feature either direction offers is
 * offered, whatever the kernel's version says (backports).
 */
void vfio_feature_classify(struct vfio_feature_status *st, const char *release);

/* "GET SET", "GET", "SET" or "-". */
const char *vfio_feature_directions(const struct vfio_feature_status *st);

/* MIGRATION's flags (VFIO_MIGRATION_*) and the device's migration state. */
struct vfio_migration_desc {
	bool has_flags;
	uint64_t flags;
	bool has_state;
	uint32_t state;			/* enum vfio_device_mig_state */
	int state_err;			/* errno of reading it, when !has_state */
};

/* Every feature of the table, probed on the device fd. */
struct vfio_features {
	struct vfio_feature_status status[16];
	size_t n;
	struct vfio_migration_desc migration;	/* has_flags when MIGRATION is offered */
};

void vfio_features_probe(int device, const char *release, struct vfio_features *out);

/* "STOP_COPY P2P PRE_COPY" (unknown bits as 0x..), "none"; returns buf. */
char *vfio_migration_flags_format(uint64_t flags, char *buf, size_t len);
/* "RUNNING", "STOP_COPY", ...; NULL for a number the uAPI does not name. */
const char *vfio_mig_state_name(uint32_t state);

#endif
