/*
 * POWER (sPAPR) TCE DMA windows of a PCI device's host bridge, from the device tree.
 *
 * pseries: the PHB node (pci@<BUID>) carries ibm,dma-window (the default 32-bit
 * window), and with dynamic DMA windows ibm,ddw-applicable and ibm,ddw-extensions.
 * powernv: the PHB node (pciex@...) carries ibm,supported-tce-sizes only; its windows
 * are known to VFIO alone (spapr_vfio.h).  shared/notes/power-tce.md §6.4 has the
 * formats and §8 the ways the tree and the kernel disagree.
 */
#ifndef VT_SPAPR_DT_H
#define VT_SPAPR_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A DMA window: PCI bus addresses [start, start + size).  No page size: neither
 * ibm,dma-window nor VFIO's GET_INFO gives one for the default window.
 */
struct spapr_window {
	uint32_t liobn;			/* logical I/O bus number; 0 when from VFIO */
	uint64_t start, size;
};

enum spapr_phb_kind {
	SPAPR_PHB_UNKNOWN,		/* from VFIO: the kernel does not say */
	SPAPR_PHB_PSERIES,		/* ibm,dma-window / ibm,ddw-applicable */
	SPAPR_PHB_POWERNV,		/* ibm,supported-tce-sizes */
};

struct spapr_dma_info {
	bool from_vfio;			/* else from the device tree */
	enum spapr_phb_kind kind;
	bool has_win32;			/* win32 is known (never from a powernv tree) */
	struct spapr_window win32;
	bool ddw;			/* dynamic DMA windows supported */
	uint64_t page_sizes;		/* bit n: 2^n-byte IOMMU pages; 0 = unknown */
	unsigned max_windows;		/* VFIO v2 only; 0 = unknown */
	unsigned levels;		/* VFIO v2 only; 0 = unknown */

	/* device tree only */
	char node[256];			/* DT path below the root, e.g. "pci@800000020000000" */
	uint32_t ddw_query, ddw_create, ddw_remove;	/* RTAS tokens (ibm,ddw-applicable) */
	uint32_t ddw_reset;		/* reset-pe-dma-windows token; 0 = none */
	bool ddw_query_64bit;		/* query-pe-dma-window returns 64-bit output */

	/* VFIO only */
	int iommu_type;			/* VFIO_SPAPR_TCE_v2_IOMMU or VFIO_SPAPR_TCE_IOMMU */
	bool ddw_implausible;		/* DDW flag set with max windows ~0 or 0 levels:
					   seen on a ddw=off PHB whose VFIO maps all fail */
};

/*
 * Reads the DMA windows of PCI device ADDRESS (its sysfs name, e.g. "0000:00:00.0")
 * from sysfs_root()/bus/pci/devices/ADDRESS/of_node upwards, up to the first node with
 * ibm,dma-window or ibm,ddw-applicable (pseries) or ibm,supported-tce-sizes (powernv).
 * Returns 0, or a negative errno (out zeroed) with a short reason in why (may be NULL):
 *   -ENOENT   no of_node (not POWER, or no such device) or it leaves the device tree
 *   -ENODATA  no node above the device has DMA window properties
 *   -EINVAL   a property is malformed (the reason names it)
 *   other     reading failed
 */
int spapr_dt_dma_info(const char *address, struct spapr_dma_info *out, char *why, size_t whylen);

/*
 * Pure decoders of property values (big-endian cells), bounds-checked, for any bytes.
 * On failure they return false and explain in why (which may be NULL).
 */

/* A single-cell property such as ibm,#dma-address-cells or #size-cells. */
bool spapr_decode_u32(const uint8_t *prop, size_t len, uint32_t *out, char *why, size_t whylen);

/*
 * ibm,dma-window: liobn (1 cell), bus address (addr_cells), size (size_cells); exactly
 * that long.  1..4 cells each, values must fit in 64 bits; a zero size is rejected (QEMU
 * writes 0 for a window of 4 GiB or more, which the guest kernel cannot use), and so is
 * a window that wraps past 2^64.
 */
bool spapr_decode_dma_window(const uint8_t *prop, size_t len, unsigned addr_cells,
			     unsigned size_cells, struct spapr_window *out, char *why, size_t whylen);

/* ibm,ddw-applicable: at least 3 cells: query, create, remove RTAS tokens. */
bool spapr_decode_ddw_applicable(const uint8_t *prop, size_t len, uint32_t tokens[3],
				 char *why, size_t whylen);

/*
 * ibm,ddw-extensions: a count N, then N cells: [1] reset-pe-dma-windows token,
 * [2] query-pe-dma-window 64-bit output flag.  Later extensions are ignored.
 */
bool spapr_decode_ddw_extensions(const uint8_t *prop, size_t len, uint32_t *reset_token,
				 bool *query_64bit, char *why, size_t whylen);

/* ibm,supported-tce-sizes: page shifts (12..63) -> a page-size bitmap. */
bool spapr_decode_tce_sizes(const uint8_t *prop, size_t len, uint64_t *page_sizes,
			    char *why, size_t whylen);

/*
 * Compares the device tree's view with VFIO's.  False, with the difference in why, when
 * both know the 32-bit window and disagree (the kernel rounds a size that is not a power
 * of 2 up, and maps past the real end then fail: power-tce.md §8 item 4), or when VFIO
 * claims DDW on a PHB whose tree has no ibm,ddw-applicable (§8 item 2).
 */
bool spapr_dma_info_agree(const struct spapr_dma_info *dt, const struct spapr_dma_info *vfio,
			  char *why, size_t whylen);

#endif
