/*
 * The kernel's vfio_pci aliases, and the one that fits a device best, as libvirt (10.0+)
 * picks it. vfio-pci variant drivers (mlx5_vfio_pci, virtio_vfio_pci, xe-vfio-pci, ...)
 * list their ids as "alias vfio_pci:v<8>d<8>sv<8>sd<8>bc<2>sc<2>i<2> MODULE" lines in
 * modules.alias (built-in drivers as "MODULE.alias=vfio_pci:..." records in
 * modules.builtin.modinfo, which kernels after 6.12 fill), with '*' for any field; vfio-pci
 * itself has the catch-all "vfio_pci:v*d*sv*sd*bc*sc*i*". A device's modalias, "pci:"
 * turned into "vfio_pci:", is matched against each: the match with the fewest wildcards
 * wins. Ties go to the pattern with more literal characters, then to the smaller module
 * name, then to the smaller pattern (byte order): the answer never depends on the order
 * of the file's lines (libvirt keeps the first line of a tie).
 *
 * The files are data from outside: lines longer than VFIO_ALIAS_LINE_MAX are skipped,
 * at most VFIO_ALIAS_MAX entries are kept, matching needs no recursion and no
 * allocation and takes at most pattern length x text length steps.
 */
#ifndef VT_VFIO_ALIAS_H
#define VT_VFIO_ALIAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VFIO_ALIAS_PREFIX "vfio_pci:"
#define VFIO_ALIAS_LINE_MAX 1024
#define VFIO_ALIAS_MAX 4096
#define VFIO_ALIAS_PATTERN_MAX 256
#define VFIO_ALIAS_MODULE_MAX 64

struct vfio_alias {
	char *pattern;		/* "vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i*" */
	char *module;		/* "virtio_vfio_pci" */
};

struct vfio_alias_table {
	struct vfio_alias *a;
	size_t n;
	size_t skipped;		/* malformed or too long vfio_pci lines, and entries past the cap */
};

struct vfio_alias_match {
	char module[VFIO_ALIAS_MODULE_MAX];	/* "" when nothing matched */
	char pattern[VFIO_ALIAS_PATTERN_MAX];
	unsigned wildcards;
};

/* fnmatch-like: '*' any run of characters, '?' any one, every other byte itself. */
bool vfio_alias_glob(const char *pattern, const char *text);
/* The '*' and '?' in a pattern. */
unsigned vfio_alias_wildcards(const char *pattern);

/*
 * Reads a modules.alias file (builtin false: "alias PATTERN MODULE" lines) or a
 * modules.builtin.modinfo file (builtin true: NUL-separated "MODULE.alias=PATTERN"
 * records), adding the vfio_pci entries to t.
 */
void vfio_alias_table_read(struct vfio_alias_table *t, FILE *f, bool builtin);
void vfio_alias_table_free(struct vfio_alias_table *t);

/* Whether any entry is not vfio-pci's own (a variant driver exists at all). */
bool vfio_alias_table_has_variants(const struct vfio_alias_table *t);

/*
 * The best entry for a "vfio_pci:v..." modalias (see the top): true and *m filled, or
 * false when no entry matches.
 */
bool vfio_alias_best(const struct vfio_alias_table *t, const char *modalias, struct vfio_alias_match *m);

#endif
