/*
 * The fields of the registers IOMMU_GET_HW_INFO returns, one table.  Positions as Linux
 * 7.2's drivers read them: Intel VT-d CAP/ECAP (VT-d spec 11.4.2, 11.4.3;
 * intel/iommu.h), AMD-Vi EFR/EFR2 (MMIO 0x30, 0x1a0; amd/amd_iommu_types.h), Arm SMMUv3
 * IDR0/1/3/5, IIDR, AIDR (SMMUv3 spec 6.3.1-6.3.6; arm-smmu-v3.h), Tegra241 CMDQV PARAM.
 */
#include <stdio.h>
#include <string.h>

#include "iommu/iommu_hw_regs.h"

static void reserved(uint64_t field, struct hw_fact *f)
{
	f->kind = HW_FACT_TEXT;
	snprintf(f->text, sizeof(f->text), "reserved (%llu)", (unsigned long long)field);
}

static void append(struct hw_fact *f, const char *word)
{
	size_t len = strnlen(f->text, sizeof(f->text));

	f->kind = HW_FACT_TEXT;
	snprintf(f->text + len, sizeof(f->text) - len, "%s%s", len ? " " : "", word);
}

/* The names of the bits set in field, or "none". */
static void bit_names(uint64_t field, struct hw_fact *f, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (field & (UINT64_C(1) << i))
			append(f, names[i]);
	if (!f->text[0])
		append(f, "none");
}

/* A field that encodes a number: values[field], or reserved past the list. */
static void lookup(uint64_t field, struct hw_fact *f, const uint16_t *values, size_t n)
{
	if (field < n)
		f->value = values[field];
	else
		reserved(field, f);
}

/* A field whose values name things; past the list, or a NULL name: reserved. */
static void named(uint64_t field, struct hw_fact *f, const char *const *names, size_t n)
{
	if (field < n && names[field])
		append(f, names[field]);
	else
		reserved(field, f);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SHAPE(fn, how, type, ...)                                                    \
	static void fn(uint64_t field, struct hw_fact *f)                            \
	{                                                                            \
		static const type list[] = { __VA_ARGS__ };                          \
		how(field, f, list, COUNT(list));                                    \
	}

/* VT-d SAGAW bit N: a (30 + 9N)-bit, (N + 2)-level table; SLLPS bit 0: 2 MiB pages, bit 1: 1 GiB. */
SHAPE(sagaw_widths, bit_names, char *const, "30-bit/2-level", "39-bit/3-level", "48-bit/4-level",
      "57-bit/5-level", "64-bit/6-level")
SHAPE(sllps_sizes, bit_names, char *const, "2M", "1G", "512G", "1T")
/* AMD HATS: 4-, 5-, 6-level host tables; GATS: 4-, 5-level guest tables; IRTE table sizes. */
SHAPE(hats_levels, lookup, uint16_t, 4, 5, 6)
SHAPE(gats_levels, lookup, uint16_t, 4, 5)
SHAPE(irte_entries, lookup, uint16_t, 512, 2048)
/* SMMUv3 encodings. */
SHAPE(oas_bits, lookup, uint16_t, 32, 36, 40, 42, 44, 48, 52)
SHAPE(ttf_formats, named, char *const, NULL, "AArch32", "AArch64", "AArch32 AArch64")
SHAPE(httu_updates, named, char *const, "none", "access", "access dirty", "access dirty HAFT")
SHAPE(ttendian_orders, named, char *const, "mixed", NULL, "little", "big")
SHAPE(stall_models, named, char *const, "stall terminate", "terminate", "stall forced")
SHAPE(st_levels, named, char *const, "linear", "2-level")
SHAPE(vax_widths, named, char *const, "48-bit", "52-bit")

/* VT-d ND: 2^(4 + 2 * ND) domain IDs. */
static void nd_domains(uint64_t field, struct hw_fact *f)
{
	f->value = UINT64_C(1) << (4 + 2 * field);
}

static void plus_one(uint64_t field, struct hw_fact *f)
{
	f->value = field + 1;
}

static void hex(uint64_t field, struct hw_fact *f)
{
	(void)field;
	f->kind = HW_FACT_HEX;
}

/* SMMUv3 AIDR: ArchMajorRev 0 is SMMUv3, ArchMinorRev the x of v3.x. */
static void arch_version(uint64_t field, struct hw_fact *f)
{
	f->kind = HW_FACT_TEXT;
	if (field >> 4)
		snprintf(f->text, sizeof(f->text), "reserved (0x%llx)", (unsigned long long)field);
	else
		snprintf(f->text, sizeof(f->text), "SMMUv3.%llu", (unsigned long long)(field & 0xf));
}

const struct hw_field hw_fields[] = {
	/* iommufd's VT-d flags */
	{ "flags", "ERRATA_772415", "errata_772415_spr17",
	  "no read-only mappings on a nesting parent (Sapphire Rapids erratum)", 0, 1, NULL },
	/* VT-d CAP */
	{ "cap", "ND", "domains", "domain IDs (ND: 2^(4+2*ND))", 0, 3, nd_domains },
	{ "cap", "AFL", "afl", "advanced fault logging", 3, 1, NULL },
	{ "cap", "RWBF", "rwbf", "write-buffer flushing required", 4, 1, NULL },
	{ "cap", "PLMR", "plmr", "protected low-memory region", 5, 1, NULL },
	{ "cap", "PHMR", "phmr", "protected high-memory region", 6, 1, NULL },
	{ "cap", "CM", "cm", "caching mode: not-present entries may be cached (an emulated IOMMU)", 7, 1, NULL },
	{ "cap", "SAGAW", "sagaw", "second-level address widths and table levels", 8, 5, sagaw_widths },
	{ "cap", "MGAW", "mgaw", "maximum guest address width, bits", 16, 6, plus_one },
	{ "cap", "ZLR", "zlr", "zero-length DMA reads", 22, 1, NULL },
	{ "cap", "SLLPS", "sllps", "second-level large pages", 34, 4, sllps_sizes },
	{ "cap", "PSI", "psi", "page-selective IOTLB invalidation", 39, 1, NULL },
	{ "cap", "NFR", "nfr", "fault recording registers", 40, 8, plus_one },
	{ "cap", "MAMV", "mamv", "largest address mask of a page-selective invalidation", 48, 6, NULL },
	{ "cap", "DWD", "dwd", "write draining", 54, 1, NULL },
	{ "cap", "DRD", "drd", "read draining", 55, 1, NULL },
	{ "cap", "FL1GP", "fl1gp", "first-level 1 GiB pages", 56, 1, NULL },
	{ "cap", "PI", "pi", "posted interrupts", 59, 1, NULL },
	{ "cap", "FL5LP", "fl5lp", "first-level 5-level paging", 60, 1, NULL },
	{ "cap", "ECMDS", "ecmds", "enhanced command interface", 61, 1, NULL },
	{ "cap", "ESIRTPS", "esirtps", "interrupt remapping table pointer sets invalidate", 62, 1, NULL },
	{ "cap", "ESRTPS", "esrtps", "root table pointer sets invalidate", 63, 1, NULL },
	/* VT-d ECAP */
	{ "ecap", "C", "c", "coherent page walks (no cache flushes for table updates)", 0, 1, NULL },
	{ "ecap", "QI", "qi", "queued invalidation", 1, 1, NULL },
	{ "ecap", "DT", "dt", "device-TLBs (ATS)", 2, 1, NULL },
	{ "ecap", "IR", "ir", "interrupt remapping", 3, 1, NULL },
	{ "ecap", "EIM", "eim", "extended interrupt mode (x2APIC IDs)", 4, 1, NULL },
	{ "ecap", "PT", "pt", "pass-through", 6, 1, NULL },
	{ "ecap", "SC", "sc", "snoop control", 7, 1, NULL },
	{ "ecap", "MHMV", "mhmv", "largest interrupt-entry invalidation mask", 20, 4, NULL },
	{ "ecap", "MTS", "mts", "memory type support", 25, 1, NULL },
	{ "ecap", "NEST", "nest", "nested translation", 26, 1, NULL },
	{ "ecap", "PRS", "prs", "page requests (PRI)", 29, 1, NULL },
	{ "ecap", "ERS", "ers", "execute requests", 30, 1, NULL },
	{ "ecap", "SRS", "srs", "supervisor requests", 31, 1, NULL },
	{ "ecap", "NWFS", "nwfs", "no-write flag", 33, 1, NULL },
	{ "ecap", "EAFS", "eafs", "extended accessed flag", 34, 1, NULL },
	{ "ecap", "PSS", "pasid_bits", "PASID width, bits (PSS + 1; with PASID)", 35, 5, plus_one },
	{ "ecap", "PASID", "pasid", "process address space IDs", 40, 1, NULL },
	{ "ecap", "DIT", "dit", "device-TLB invalidation throttling", 41, 1, NULL },
	{ "ecap", "PDS", "pds", "page-request drain", 42, 1, NULL },
	{ "ecap", "SMTS", "smts", "scalable-mode translation", 43, 1, NULL },
	{ "ecap", "SLADS", "slads", "second-level accessed/dirty bits (dirty tracking)", 45, 1, NULL },
	{ "ecap", "SLTS", "slts", "second-level translation in scalable mode", 46, 1, NULL },
	{ "ecap", "FLTS", "flts", "first-level translation in scalable mode", 47, 1, NULL },
	{ "ecap", "SMPWC", "smpwc", "scalable-mode page-walk coherency", 48, 1, NULL },
	{ "ecap", "RPS", "rps", "RID_PASID field", 49, 1, NULL },
	{ "ecap", "PMS", "pms", "performance monitoring", 51, 1, NULL },
	/* AMD-Vi EFR */
	{ "efr", "PreFSup", "prefetch", "prefetch IOMMU pages command", 0, 1, NULL },
	{ "efr", "PPRSup", "ppr", "peripheral page requests (PRI)", 1, 1, NULL },
	{ "efr", "XTSup", "xt", "x2APIC interrupt remapping", 2, 1, NULL },
	{ "efr", "NXSup", "nx", "no-execute protection", 3, 1, NULL },
	{ "efr", "GTSup", "gt", "guest (nested) translation", 4, 1, NULL },
	{ "efr", "IASup", "ia", "invalidate-all command", 6, 1, NULL },
	{ "efr", "GASup", "ga", "guest virtual APIC (posted interrupts)", 7, 1, NULL },
	{ "efr", "HESup", "he", "hardware error registers", 8, 1, NULL },
	{ "efr", "PCSup", "pc", "performance counters", 9, 1, NULL },
	{ "efr", "HATS", "host_levels", "host page table levels", 10, 2, hats_levels },
	{ "efr", "GATS", "guest_levels", "guest page table levels", 12, 2, gats_levels },
	{ "efr", "GLXSup", "glx", "guest CR3 table levels field (GLX)", 14, 2, NULL },
	{ "efr", "GAMSup", "gam_vapic", "guest virtual APIC mode", 21, 1, NULL },
	{ "efr", "PASmax", "pasid_bits", "PASID width, bits (PASmax + 1)", 32, 5, plus_one },
	{ "efr", "MsiCapMmioSup", "msi_cap_mmio", "MSI capability MMIO access", 46, 1, NULL },
	{ "efr", "GIoSup", "gio", "guest I/O protection", 48, 1, NULL },
	{ "efr", "HASup", "ha", "host access bits", 49, 1, NULL },
	{ "efr", "EPHSup", "eph", "enhanced PPR handling", 50, 1, NULL },
	{ "efr", "HDSup", "hd", "host dirty bits (dirty tracking)", 52, 1, NULL },
	{ "efr", "SNPSup", "snp", "SEV-SNP", 63, 1, NULL },
	/* AMD-Vi EFR2 */
	{ "efr2", "SEVSNPIOSup", "sev_snp_io", "SEV-SNP trusted I/O", 1, 1, NULL },
	{ "efr2", "GCR3TRPMode", "gcr3trp_mode", "GCR3 table root pointer mode", 3, 1, NULL },
	{ "efr2", "SNPAVICSup", "snp_avic", "SNP virtual APIC support field", 5, 3, NULL },
	{ "efr2", "NumIntRemapSup", "irte_entries", "interrupt remapping table entries", 8, 2, irte_entries },
	{ "efr2", "HtRangeIgnore", "ht_range_ignore", "HyperTransport range ignored", 11, 1, NULL },
	/* SMMUv3 IDR0 */
	{ "idr0", "S2P", "s2p", "stage-2 translation", 0, 1, NULL },
	{ "idr0", "S1P", "s1p", "stage-1 translation", 1, 1, NULL },
	{ "idr0", "TTF", "ttf", "translation table formats", 2, 2, ttf_formats },
	{ "idr0", "COHACC", "cohacc", "coherent access (table walks, queues)", 4, 1, NULL },
	{ "idr0", "HTTU", "httu", "hardware table updates (dirty: dirty tracking)", 6, 2, httu_updates },
	{ "idr0", "HYP", "hyp", "hypervisor stage 1 contexts", 9, 1, NULL },
	{ "idr0", "ATS", "ats", "PCIe ATS", 10, 1, NULL },
	{ "idr0", "ASID16", "asid16", "16-bit ASIDs", 12, 1, NULL },
	{ "idr0", "MSI", "msi", "MSIs for queues and events", 13, 1, NULL },
	{ "idr0", "SEV", "sev", "WFE wake-up events", 14, 1, NULL },
	{ "idr0", "PRI", "pri", "page requests (PRI)", 16, 1, NULL },
	{ "idr0", "VMID16", "vmid16", "16-bit VMIDs", 18, 1, NULL },
	{ "idr0", "CD2L", "cd2l", "2-level context descriptor tables", 19, 1, NULL },
	{ "idr0", "TTENDIAN", "ttendian", "table endianness", 21, 2, ttendian_orders },
	{ "idr0", "STALL_MODEL", "stall_model", "faults that stall the transaction", 24, 2, stall_models },
	{ "idr0", "ST_LEVEL", "st_level", "stream table formats", 27, 2, st_levels },
	/* SMMUv3 IDR1 */
	{ "idr1", "SIDSIZE", "sidsize", "stream ID width, bits", 0, 6, NULL },
	{ "idr1", "SSIDSIZE", "ssidsize", "substream ID (PASID) width, bits", 6, 5, NULL },
	{ "idr1", "PRIQS", "priqs", "log2 of the PRI queue's entries", 11, 5, NULL },
	{ "idr1", "EVTQS", "evtqs", "log2 of the event queue's entries", 16, 5, NULL },
	{ "idr1", "CMDQS", "cmdqs", "log2 of the command queue's entries", 21, 5, NULL },
	{ "idr1", "ATTR_TYPES_OVR", "attr_types_ovr", "incoming attribute overrides", 27, 1, NULL },
	{ "idr1", "REL", "rel", "preset addresses are relative", 28, 1, NULL },
	{ "idr1", "QUEUES_PRESET", "queues_preset", "queue bases fixed", 29, 1, NULL },
	{ "idr1", "TABLES_PRESET", "tables_preset", "table bases fixed", 30, 1, NULL },
	/* SMMUv3 IDR3 */
	{ "idr3", "FWB", "fwb", "stage-2 forced write-back", 8, 1, NULL },
	{ "idr3", "RIL", "ril", "range invalidation", 10, 1, NULL },
	{ "idr3", "BBML", "bbml", "break-before-make level", 11, 2, NULL },
	/* SMMUv3 IDR5 */
	{ "idr5", "OAS", "oas", "output address width, bits", 0, 3, oas_bits },
	{ "idr5", "GRAN4K", "gran4k", "4K translation granule", 4, 1, NULL },
	{ "idr5", "GRAN16K", "gran16k", "16K translation granule", 5, 1, NULL },
	{ "idr5", "GRAN64K", "gran64k", "64K translation granule", 6, 1, NULL },
	{ "idr5", "VAX", "vax", "virtual address width", 10, 2, vax_widths },
	{ "idr5", "STALL_MAX", "stall_max", "stalled transactions at most", 16, 16, NULL },
	/* SMMUv3 IIDR, AIDR */
	{ "iidr", "Implementer", "implementer", "JEP106 code of the implementer", 0, 12, hex },
	{ "iidr", "Revision", "revision", "minor revision", 12, 4, NULL },
	{ "iidr", "Variant", "variant", "major revision", 16, 4, NULL },
	{ "iidr", "ProductID", "product_id", "product", 20, 12, hex },
	{ "aidr", "ArchRev", "arch", "architecture version", 0, 8, arch_version },
	/* Tegra241 CMDQV: PARAM fields, one a member */
	{ "version", "VER", "version", "CMDQ-V version (PARAM[3:0])", 0, 8, NULL },
	{ "log2vcmdqs", "LOG2VCMDQS", "log2vcmdqs", "log2 of the virtual command queues (PARAM[7:4])", 0, 8, NULL },
	{ "log2vsids", "LOG2VSIDS", "log2vsids", "log2 of the stream ID replacements (PARAM[15:12])", 0, 8, NULL },
};
const size_t hw_fields_len = COUNT(hw_fields);
