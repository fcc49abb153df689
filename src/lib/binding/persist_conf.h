/*
 * The persist configuration: devices bound to a driver at every boot and on hot-plug
 * (vfio-admin persist, udev/70-vfio-tools.rules).  One file, /etc/vfio-tools/persist.conf
 * (under $VFIO_TOOLS_ETC for tests), one entry a line, '#' starts a comment:
 *
 *     DEVICE [driver=NAME] [owner=USER[:GROUP]] [numvfs=N]
 *
 * DEVICE is a PCI address (0000:03:00.0; a short 03:00.0 is stored canonical) or
 * VENDOR:DEVICE in hex (10de:1b80: every such device).  driver defaults to vfio-pci.
 * numvfs (an SR-IOV PF) is the VF count to set once the PF is on its driver.
 * A malformed line is reported with its file and line number and skipped; the rest
 * applies.  Writes go to a temporary file in the same directory, fsync'd, then renamed.
 */
#ifndef VT_PERSIST_CONF_H
#define VT_PERSIST_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pci_addr.h"

struct persist_entry {
	bool by_id;			/* VENDOR:DEVICE, else an address */
	char address[PCI_ADDR_STRLEN];	/* canonical, when !by_id */
	uint16_t vendor, device;	/* when by_id */
	char driver[64];		/* "vfio-pci" by default */
	char owner[128];		/* "" or USER[:GROUP] */
	int numvfs;			/* SR-IOV VFs to enable (0..65535), -1 when not given */
};

struct persist_conf {
	struct persist_entry *e;
	size_t n;
	char **errors;			/* "FILE:LINE: why", one per skipped line */
	size_t n_errors;
};

/* The configuration file's path (under etc_path()). */
const char *persist_conf_path(void);

/* Parses one entry's words ("0000:03:00.0 driver=vfio-pci"): true, or false with why. */
bool persist_parse_line(const char *line, struct persist_entry *e, char *why, size_t whylen);
/* Parses a DEVICE word alone (an address or VENDOR:DEVICE): true, or false with why. */
bool persist_parse_device(const char *word, struct persist_entry *e, char *why, size_t whylen);

/* Parses text (file contents) named `file` for errors; never fails (bad lines skipped). */
void persist_conf_parse(struct persist_conf *c, const char *file, const char *text);
/* Loads persist_conf_path(): a missing file is an empty configuration; false with why on a read error. */
bool persist_conf_load(struct persist_conf *c, char *why, size_t whylen);
/* Writes every entry (with a header comment) atomically; 0 or a negative errno with why. */
int persist_conf_save(const struct persist_conf *c, char *why, size_t whylen);
void persist_conf_free(struct persist_conf *c);

/* The entry's DEVICE word: the address or "vvvv:dddd". */
const char *persist_device_word(const struct persist_entry *e, char *buf, size_t len);
/* Same device (same address, or same ids). */
bool persist_same_device(const struct persist_entry *a, const struct persist_entry *b);
/* The entry for a device present with these address and ids: an address entry wins over an id one. */
const struct persist_entry *persist_conf_match(const struct persist_conf *c, const char *address,
					       uint16_t vendor, uint16_t device);

#endif
