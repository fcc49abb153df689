/*
 * The VF token of vfio-pci's SR-IOV support: a UUID that the user of a PF bound to
 * vfio-pci and the users of its VFs share.  The PF's user sets it with
 * VFIO_DEVICE_FEATURE_PCI_VF_TOKEN; a VF's user presents it when opening the VF:
 * "ADDRESS vf_token=UUID" as the name given to VFIO_GROUP_GET_DEVICE_FD, or
 * VFIO_DEVICE_BIND_FLAG_TOKEN on the cdev (checked there from Linux 6.17, and reliably
 * from 6.19 and 6.18.3: before, a copying bug lost the token).  vfio-pci draws a random
 * token when it binds the PF and keeps the last one set until the PF leaves vfio-pci,
 * whether or not anyone holds the PF open; it never tells it (no GET).
 */
#ifndef VT_VF_TOKEN_H
#define VT_VF_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VF_TOKEN_STRLEN 37	/* 36 characters and the NUL */

/* A UUID as 8-4-4-4-12 hex digits (either case): true and its 16 bytes, canonical lower case text. */
bool vf_token_parse(const char *text, uint8_t uuid[16], char canonical[VF_TOKEN_STRLEN]);

/* VFIO_DEVICE_FEATURE SET PCI_VF_TOKEN on a PF's device fd: 0, or a negative errno with why. */
int vf_token_set(int device_fd, const uint8_t uuid[16], char *why, size_t whylen);

/*
 * Whether this kernel checks a token given to VFIO_DEVICE_BIND_IOMMUFD, from its release
 * ("6.12.118+deb13-amd64"): true from 6.19 and 6.18.3; false with why otherwise.
 */
bool vf_token_cdev_supported(const char *release, char *why, size_t whylen);

#endif
