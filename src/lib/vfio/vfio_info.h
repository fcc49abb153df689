/*
 * What VFIO reports about a device and its IOMMU: VFIO_DEVICE_GET_INFO,
 * VFIO_DEVICE_GET_REGION_INFO, VFIO_DEVICE_GET_IRQ_INFO and the type1
 * VFIO_IOMMU_GET_INFO, with their capability chains.  The *_get() functions do the
 * ioctls (asking twice when argsz grows); the *_parse() functions decode a buffer the
 * kernel filled, and accept any bytes: chains are bounded, loop-safe and a broken one
 * is reported in `problem`, never followed out of the buffer.  A parse returns true when
 * nothing was wrong; false with `problem` set otherwise (a short fixed part, argsz beyond
 * the buffer, a broken chain, a capability too short for its fields, a count clamped to
 * what fits, a repeated id, more than VFIO_INFO_MAX_CAPS), keeping what it could decode.
 * A parse overwrites `out`: free a previous result first.  The *_format() functions
 * write "none" for no bits, and stop at a word that would not fit.
 */
#ifndef VT_VFIO_INFO_H
#define VT_VFIO_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One entry of a capability chain, as found. */
struct vfio_cap_ref {
	uint16_t id, version;
	uint32_t offset;		/* from the start of the info structure */
	size_t len;			/* bytes up to the next capability or the end */
};

/*
 * Walks a chain inside buf[0..len) from `first` (0 = none): calls fn for each entry
 * (stop early by returning non-zero).  Stops at a next of 0, a header that does not fit,
 * an offset inside the fixed part (< min_offset), an offset already visited, or after 64
 * entries; every stop other than next == 0 is a problem written to problem (may be NULL).
 * Returns the number of entries visited.
 */
size_t vfio_cap_chain_walk(const uint8_t *buf, size_t len, uint32_t first, size_t min_offset,
			   int (*fn)(const struct vfio_cap_ref *cap, const uint8_t *buf, void *arg),
			   void *arg, char *problem, size_t problemlen);

#define VFIO_INFO_MAX_CAPS 16

/* --- device --- */
struct vfio_device_desc {
	uint32_t flags;			/* VFIO_DEVICE_FLAGS_* */
	uint32_t num_regions, num_irqs;
	size_t n_caps;
	struct vfio_cap_ref caps[VFIO_INFO_MAX_CAPS];
	uint32_t pci_atomic_comp;	/* VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP flags, if present */
	bool has_pci_atomic_comp;
	char problem[128];
};
int vfio_device_info_get(int device, struct vfio_device_desc *out, char *why, size_t whylen);
bool vfio_device_info_parse(const uint8_t *buf, size_t len, struct vfio_device_desc *out);
/* "PCI RESET" etc.: names of the set VFIO_DEVICE_FLAGS_* bits, unknown ones as 0x..; returns buf. */
char *vfio_device_flags_format(uint32_t flags, char *buf, size_t len);
/* "PCI ATOMIC COMP", "zPCI base", ...: a device-info capability's name, or NULL. */
const char *vfio_device_cap_name(uint16_t id);

/* --- regions --- */
struct vfio_area {
	uint64_t offset, size;		/* inside the region */
};

struct vfio_region_desc {
	uint32_t index;
	int err;			/* 0, or the errno of GET_REGION_INFO (EINVAL: no such region, e.g. VGA) */
	uint32_t flags;			/* VFIO_REGION_INFO_FLAG_* */
	uint64_t size, offset;		/* offset: in the device fd, for pread/mmap */
	size_t n_caps;
	struct vfio_cap_ref caps[VFIO_INFO_MAX_CAPS];
	bool sparse;			/* VFIO_REGION_INFO_CAP_SPARSE_MMAP present */
	size_t n_areas;
	struct vfio_area *areas;	/* sparse mmap areas (malloc'd), n_areas of them */
	bool has_type;			/* VFIO_REGION_INFO_CAP_TYPE */
	uint32_t type, subtype;
	bool msix_mappable;		/* VFIO_REGION_INFO_CAP_MSIX_MAPPABLE */
	char problem[128];
};
/*
 * GET_REGION_INFO for index.  Returns 0, or a negative errno with why; a region the
 * device lacks (EINVAL) is still returned as 0 with out->err = EINVAL, so callers list it.
 */
int vfio_region_info_get(int device, uint32_t index, struct vfio_region_desc *out, char *why, size_t whylen);
bool vfio_region_info_parse(const uint8_t *buf, size_t len, struct vfio_region_desc *out);
void vfio_region_desc_free(struct vfio_region_desc *r);
/* "BAR0".."BAR5", "ROM", "CONFIG", "VGA" for the vfio-pci indexes, else "REGION<n>". */
const char *vfio_pci_region_name(uint32_t index, char *buf, size_t len);
/* Region index for a name ("BAR0", "bar0", "config", "rom", "vga") or a number; -1 if none. */
int vfio_pci_region_index(const char *name);
/* "R W MMAP" ...; returns buf. */
char *vfio_region_flags_format(uint32_t flags, char *buf, size_t len);
/* "PCI vendor 8086 / 1", "GFX / IGD OpRegion", ...; returns buf. */
char *vfio_region_type_format(uint32_t type, uint32_t subtype, char *buf, size_t len);
/* "sparse mmap", "type", "MSI-X mappable", "NVLink2 SSA TGT", ...: or NULL. */
const char *vfio_region_cap_name(uint16_t id);

/* --- interrupts --- */
struct vfio_irq_desc {
	uint32_t index;
	int err;			/* 0, or errno of GET_IRQ_INFO (EINVAL: ERR on a conventional device) */
	uint32_t flags;			/* VFIO_IRQ_INFO_* */
	uint32_t count;
};
int vfio_irq_info_get(int device, uint32_t index, struct vfio_irq_desc *out, char *why, size_t whylen);
/* "INTX", "MSI", "MSIX", "ERR", "REQ", else "IRQ<n>". */
const char *vfio_pci_irq_name(uint32_t index, char *buf, size_t len);
/* "EVENTFD MASKABLE AUTOMASKED NORESIZE"; returns buf. */
char *vfio_irq_flags_format(uint32_t flags, char *buf, size_t len);

/* --- type1 IOMMU (container fd after VFIO_SET_IOMMU) --- */
/* (Not linux/vfio.h's struct vfio_iova_range, whose name this would clash with.) */
struct iova_range {
	uint64_t start, end;		/* inclusive */
};

struct vfio_type1_desc {
	uint32_t flags;			/* VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS */
	uint64_t iova_pgsizes;
	size_t n_caps;
	struct vfio_cap_ref caps[VFIO_INFO_MAX_CAPS];
	size_t n_ranges;
	struct iova_range *ranges;	/* malloc'd; from CAP_IOVA_RANGE */
	bool has_ranges;
	bool has_migration;		/* CAP_MIGRATION */
	uint32_t migration_flags;
	uint64_t migration_pgsize_bitmap, max_dirty_bitmap_size;
	bool has_dma_avail;		/* CAP_DMA_AVAIL */
	uint32_t dma_avail;
	char problem[128];
};
int vfio_type1_info_get(int container, struct vfio_type1_desc *out, char *why, size_t whylen);
bool vfio_type1_info_parse(const uint8_t *buf, size_t len, struct vfio_type1_desc *out);
void vfio_type1_desc_free(struct vfio_type1_desc *d);
/* "IOVA range", "migration", "DMA available", or NULL. */
const char *vfio_type1_cap_name(uint16_t id);
/*
 * "4K 2M 1G" from a page-size bitmap (bit n = 2^n bytes, units B K M G T P E); returns buf.
 * Runs of three or more consecutive sizes are shortened: one that reaches bit 63 to "4K+"
 * ("4K and every larger power of two": virtio-iommu's 0xfffffffffffff000), any other to
 * "4K..16K" (every power of two from 4K to 16K).  0 gives "none".
 */
char *vfio_pgsizes_format(uint64_t bitmap, char *buf, size_t len);

#endif
