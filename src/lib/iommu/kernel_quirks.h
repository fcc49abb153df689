/*
 * The kernel's device-specific answers that decide IOMMU groups, as data: "is ACS enabled
 * on this device?" (pci_dev_acs_enabled[] in drivers/pci/quirks.c and the functions behind
 * it) and "which requester IDs does this device use?" (the DMA alias fixups there).
 * Read from KERNEL_QUIRKS_SOURCE; entries that later kernels added carry that version.
 * Each kind's conditions are the kernel function's, cited where the kind is evaluated.
 */
#ifndef VT_KERNEL_QUIRKS_H
#define VT_KERNEL_QUIRKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pci_config.h"

#define KERNEL_QUIRKS_SOURCE "Linux 6.12.118 (Debian linux-source-6.12)"
#define QUIRK_ANY_DEVICE 0xffffu

/* What the kernel's quirk functions look at. */
struct quirk_subject {
	uint16_t vendor, device;
	uint32_t class24;
	int port_type;			/* enum pci_port_type; PCI_PORT_CONVENTIONAL without PCIe */
	bool multifunction;		/* as the kernel sees it (header bit 7, or any function > 0) */
	bool root_bus;			/* on a root bus: no upstream bridge */
	const struct pci_config *cfg;	/* for quirks that read registers; NULL when unreadable */
	bool amd_ivrs;			/* the firmware describes an AMD IOMMU (ACPI IVRS table) */
};

enum acs_quirk_kind {
	ACS_QUIRK_AMD_SB,		/* AMD/ATI southbridge: multifunction on the root bus, with IVRS */
	ACS_QUIRK_MF_ENDPOINT,		/* multifunction endpoint whose functions cannot reach each other */
	ACS_QUIRK_RCIEP,		/* root-complex integrated endpoint (Intel: any device) */
	ACS_QUIRK_ROOT_PORT,		/* root ports isolated though ACS is absent (QCOM, HXT, NXP);
					 * the kernel does not check the type: any device answers */
	ACS_QUIRK_INTEL_PCH,		/* Intel PCH root ports: the kernel enables ACS through the RCBA */
	ACS_QUIRK_INTEL_SPT,		/* Sunrise Point family: ACS registers at dword offsets */
	ACS_QUIRK_CAVIUM,		/* Cavium ThunderX root ports */
	ACS_QUIRK_XGENE,		/* APM X-Gene / Ampere root ports */
	ACS_QUIRK_ZHAOXIN,		/* Zhaoxin root and downstream ports (device id ranges) */
	ACS_QUIRK_WANGXUN,		/* Wangxun NICs (device id list; others answer "not enabled") */
	ACS_QUIRK_AMAZON,		/* Amazon Annapurna Labs root ports */
	ACS_QUIRK_ALL,			/* any type: everything counts as enabled (Broadcom, Loongson, ...) */
	/*
	 * Not entries of pci_dev_acs_enabled[] but fixups that bear on ACS; their vendors have no
	 * other entry, so they sit at the table's end.
	 */
	ACS_QUIRK_IGNORE_SV,		/* the kernel drops SV from the cached ACSCap (IDT switches,
					 * 7.0): the standard registers answer, SV not required */
	ACS_QUIRK_STORE_FORWARD,	/* Pericom switches: RR erratum worked around by making the
					 * upstream port store-and-forward; never answers (listed so
					 * messages can name it) */
	/* add kinds as the kernel has them */
};

struct acs_quirk {
	uint16_t vendor;
	uint16_t device;		/* QUIRK_ANY_DEVICE: any */
	enum acs_quirk_kind kind;
	const char *what;		/* "Intel Sunrise Point PCH root ports" (for messages) */
	const char *since;		/* kernel that added it when later than the source; NULL */
};

struct acs_quirk_match {
	const struct acs_quirk *quirk;	/* NULL: no quirk answers, the standard rules decide */
	bool enabled;			/* the quirk's answer for the flags groups need (SV RR CR UF) */
	char detail[96];		/* "control at the dword offsets: SV RR CR UF", or "" */
};

/*
 * acs_quirk_table[] is pci_dev_acs_enabled[] in the kernel's order, then the
 * ACS_QUIRK_IGNORE_SV and ACS_QUIRK_STORE_FORWARD entries.
 *
 * pci_dev_specific_acs_enabled(dev, SV|RR|CR|UF): the first entry, in the kernel's table
 * order, whose vendor and device match and whose conditions hold (an entry that does not
 * apply, -ENOTTY, passes to the next). kernel_release ("6.1.0-17-amd64"): entries added
 * after it are skipped; NULL applies every entry. Returns whether a quirk answered.
 */
bool acs_quirk_lookup(const struct quirk_subject *s, const char *kernel_release,
		      struct acs_quirk_match *out);

enum dma_alias_kind {
	DMA_ALIAS_FUNCTION,		/* also uses the requester ID of function `function` of its slot
					 * (the kernel skips it on that function itself: the caller's
					 * test, the subject has no function number) */
	DMA_ALIAS_DEVFN,		/* also uses devfn `devfn` on its bus (fixed alias) */
	DMA_ALIAS_PCIE_BRIDGE,		/* a conventional bridge that puts subordinate 00.0 on DMA; the
					 * lookup checks the subject (not on a root bus, a bridge header,
					 * no PCIe capability), the caller its parent (PCIe, and not a
					 * PCIe-to-PCI bridge) */
	DMA_ALIAS_XLATE_ROOT,		/* the alias walk stops at this bridge (translation root) */
	DMA_ALIAS_FROM_REGISTERS,	/* aliases read from device registers (NTB): not predictable */
	DMA_ALIAS_EVERY_SLOT,		/* also uses functions 0 .. nr_functions - 1 of every slot on
					 * its bus (NTB proxy IDs: Intel VCA 5, PLX all 8) */
};

struct dma_alias_quirk {
	uint16_t vendor;
	uint16_t device;		/* QUIRK_ANY_DEVICE: any */
	uint32_t class24;		/* class match (class << 8 | prog-if) when class_shift < 24 */
	unsigned class_shift;		/* bits of class24 ignored: 8 matches class and subclass; 24 any */
	enum dma_alias_kind kind;
	uint8_t function;		/* DMA_ALIAS_FUNCTION */
	uint8_t devfn;			/* DMA_ALIAS_DEVFN */
	const char *what;		/* "Marvell 88SE9230 SATA (function 1 alias)" */
	const char *since;
	uint16_t subvendor, subdevice;	/* subsystem match, read from cfg (NULL cfg: no match); 0: any */
	uint8_t nr_functions;		/* DMA_ALIAS_EVERY_SLOT */
};

/*
 * The DMA alias fixups that apply to the subject (vendor, device, class, conditions), in table
 * order, at most max of them in out[]. Returns how many it stored (never more than max).
 */
size_t dma_alias_quirks_lookup(const struct quirk_subject *s, const char *kernel_release,
			       const struct dma_alias_quirk **out, size_t max);

/* The whole tables (for listing and tests). */
extern const struct acs_quirk acs_quirk_table[];
extern const size_t acs_quirk_table_len;
extern const struct dma_alias_quirk dma_alias_quirk_table[];
extern const size_t dma_alias_quirk_table_len;

/* "6.1.0-17-amd64" is older than "7.0": strcmp-like on the leading major.minor[.patch]. */
int kernel_release_compare(const char *a, const char *b);

#endif
