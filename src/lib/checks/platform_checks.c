/* What the platform costs: kernel options that change isolation, and the reserved IOVA regions. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/host_checks.h"
#include "iommu/device_group.h"
#include "iommu/reserved_regions.h"
#include "util/report.h"
#include "util/sysfs.h"

struct iommu_option {
	const char *key;	/* "amd_iommu=" */
	const char *value;	/* one of its comma-separated values ("force_isolation"), a prefix when
				 * it ends in '=' ("config_acs="); NULL: any value not listed before */
	enum finding_level level;
	const char *effect;
};

static const char unknown[] = "a value this tool does not know: see the kernel's admin-guide/kernel-parameters";

static const struct iommu_option options[] = {
	{ "amd_iommu=", "off", LEVEL_WARN, "AMD-Vi is disabled: no DMA isolation and no interrupt remapping" },
	{ "amd_iommu=", "on", LEVEL_NOTE, "not an option Linux knows (it logs \"AMD-Vi: Unknown option - 'on'\"): "
	  "AMD-Vi is on unless amd_iommu=off, so this does nothing" },
	{ "amd_iommu=", "force_isolation", LEVEL_NOTE,
	  "every device gets a DMA domain of its own in the host, even where iommu=pt would leave it untranslated" },
	{ "amd_iommu=", "force_enable", LEVEL_NOTE,
	  "AMD-Vi is enabled even on chipsets the kernel turns it off for (known firmware bugs)" },
	{ "amd_iommu=", "fullflush", LEVEL_NOTE, "the old spelling of iommu.strict=1: the IOTLB is flushed at every unmap" },
	{ "amd_iommu=", "pgtbl_v1", LEVEL_NOTE, "DMA domains use the v1 (host) page table format" },
	{ "amd_iommu=", "pgtbl_v2", LEVEL_NOTE,
	  "DMA domains use the v2 (x86 format) page table where the IOMMU supports it, else v1" },
	{ "amd_iommu=", "irtcachedis", LEVEL_NOTE,
	  "the interrupt remapping table cache is off (a workaround for firmware that leaves it stale)" },
	{ "amd_iommu=", "nohugepages", LEVEL_NOTE,
	  "4 KiB IOMMU pages only: large VFIO mappings take more IOTLB entries and map slower" },
	{ "amd_iommu=", "v2_pgsizes_only", LEVEL_NOTE, "IOMMU pages of 4 KiB, 2 MiB and 1 GiB only" },
	{ "amd_iommu=", NULL, LEVEL_NOTE, unknown },
	{ "amd_iommu_intr=", "legacy", LEVEL_NOTE,
	  "interrupt remapping in the legacy format: device interrupts are not posted to guests (no AVIC)" },
	{ "amd_iommu_intr=", "legacy_ga", LEVEL_NOTE,
	  "interrupt remapping in the 128-bit format, without posting to guests' virtual APIC" },
	{ "amd_iommu_intr=", "vapic", LEVEL_NOTE,
	  "device interrupts are posted to guests' virtual APIC (AVIC) where the IOMMU supports it" },
	{ "amd_iommu_intr=", NULL, LEVEL_NOTE, unknown },
	{ "intel_iommu=", "on", LEVEL_PASS, "VT-d is turned on by the command line" },
	{ "intel_iommu=", "off", LEVEL_WARN, "VT-d is disabled: no DMA isolation and no interrupt remapping" },
	{ "intel_iommu=", "igfx_off", LEVEL_NOTE,
	  "the integrated graphics device is left untranslated: it is neither isolated nor safely assignable" },
	{ "intel_iommu=", "sm_on", LEVEL_NOTE, "scalable mode on (PASID and nested translation need it)" },
	{ "intel_iommu=", "sm_off", LEVEL_NOTE, "scalable mode off: no PASID, no nested translation" },
	{ "intel_iommu=", NULL, LEVEL_NOTE, unknown },
	{ "iommu=", "pt", LEVEL_NOTE,
	  "host DMA is untranslated (identity domains) for the devices the host keeps; VFIO still isolates the groups it takes" },
	{ "iommu=", "nopt", LEVEL_NOTE, "host DMA is translated (DMA domains)" },
	{ "iommu=", "off", LEVEL_WARN, "the IOMMU is disabled" },
	{ "iommu.passthrough=", "1", LEVEL_NOTE,
	  "host DMA is untranslated (identity domains) for the devices the host keeps; VFIO still isolates the groups it takes" },
	{ "iommu.passthrough=", "0", LEVEL_NOTE, "host DMA is translated (DMA domains)" },
	{ "iommu.strict=", "0", LEVEL_NOTE,
	  "lazy IOTLB invalidation for host DMA: a host device may reach freed buffers for a few milliseconds; "
	  "VFIO's domains are not affected" },
	{ "iommu.strict=", "1", LEVEL_NOTE, "strict IOTLB invalidation: the IOTLB is flushed at every unmap" },
	{ "intremap=", "off", LEVEL_WARN, "interrupt remapping is disabled: MSIs are not isolated" },
	{ "intremap=", "nosid", LEVEL_WARN, "interrupt source IDs are not checked: a device can raise others' interrupts" },
	{ "intremap=", "nopost", LEVEL_NOTE, "device interrupts are not posted to guests" },
	{ "ivrs_ioapic", NULL, LEVEL_NOTE, "overrides the firmware's IVRS table: its IOAPIC IDs are wrong on this board" },
	{ "ivrs_hpet", NULL, LEVEL_NOTE, "overrides the firmware's IVRS table: its HPET ID is wrong on this board" },
	{ "ivrs_acpihid", NULL, LEVEL_NOTE, "overrides the firmware's IVRS table for an ACPI device" },
	{ "pci=", "config_acs=", LEVEL_NOTE,
	  "ACS control set by hand: the groups of these devices follow these settings, not the firmware's" },
	{ "pci=", "noats", LEVEL_NOTE, "ATS is off: devices do not cache translations (safer with untrusted devices)" },
	{ "arm-smmu-v3.disable_bypass=", "0", LEVEL_WARN,
	  "devices the SMMU has no domain for bypass it: their DMA is untranslated" },
	{ "arm-smmu.disable_bypass=", "0", LEVEL_WARN, "devices the SMMU has no domain for bypass it: their DMA is untranslated" },
};

static bool value_matches(const char *want, const char *value)
{
	size_t n;

	if (!want)
		return true;
	n = strlen(want);
	return n && want[n - 1] == '=' ? strncmp(value, want, n) == 0 : strcmp(value, want) == 0;
}

/* The entry for an option word by its prefix (ivrs_ioapic[32]=..., ivrs_hpet=...). */
static const struct iommu_option *prefix_lookup(const char *word)
{
	size_t i, n;

	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		n = strlen(options[i].key);
		if (options[i].key[n - 1] != '=' && strncmp(word, options[i].key, n) == 0)
			return &options[i];
	}
	return NULL;
}

/* The first entry for key ("amd_iommu=") that value matches. */
static const struct iommu_option *option_lookup(const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strcmp(options[i].key, key) == 0 && value_matches(options[i].value, value))
			return &options[i];
	return NULL;
}

void iommu_option_checks_run(struct findings *fs)
{
	char line[4096], key[64], *tok, *save, *eq, *value, *vsave;
	const struct iommu_option *o;

	if (!kernel_cmdline_read(line, sizeof(line)))
		return;
	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (!(eq = strchr(tok, '=')) || (size_t)(eq - tok) + 2 > sizeof(key))
			continue;
		if ((o = prefix_lookup(tok))) {
			findings_add(fs, o->level, "iommu.options", "machine", NULL, "%s: %s", tok, o->effect);
			continue;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - tok) + 1, tok);
		for (value = strtok_r(eq + 1, ",", &vsave); value; value = strtok_r(NULL, ",", &vsave))
			if ((o = option_lookup(key, value)))
				findings_add(fs, o->level, "iommu.options", "machine", NULL, "%s%s: %s", key, value, o->effect);
	}
}

struct region_seen {
	struct reserved_region r;
	size_t groups;		/* how many groups have it */
	char first[64];		/* the first few group numbers ("3 7 12") */
};

/* Adds group's regions to seen[]; false when the group has no reserved_regions file. */
static bool collect_group(int group, struct region_seen **seen, size_t *n)
{
	struct reserved_regions rr;
	size_t i, j, off;

	if (!reserved_regions_read(group, &rr))
		return false;
	for (i = 0; i < rr.n; i++) {
		for (j = 0; j < *n; j++)
			if ((*seen)[j].r.start == rr.r[i].start && (*seen)[j].r.end == rr.r[i].end &&
			    strcmp((*seen)[j].r.type, rr.r[i].type) == 0)
				break;
		if (j == *n) {
			*seen = vt_xrealloc(*seen, *n + 1, sizeof(**seen));
			memset(&(*seen)[j], 0, sizeof(**seen));
			(*seen)[j].r = rr.r[i];
			(*n)++;
		}
		off = strlen((*seen)[j].first);
		if ((*seen)[j].groups++ < 4)
			snprintf((*seen)[j].first + off, sizeof((*seen)[j].first) - off, "%s%d", off ? " " : "", group);
	}
	reserved_regions_free(&rr);
	return true;
}

void reserved_region_checks_run(struct findings *fs, enum iommu_platform platform)
{
	enum machine_arch arch = machine_arch_of(platform);
	struct region_seen *seen = NULL;
	char path[PATH_MAX], size[32];
	size_t n = 0, groups = 0, i;
	struct dirent *e;
	DIR *dir;

	if (!sysfs_path(path, sizeof(path), "kernel/iommu_groups") || !(dir = opendir(path)))
		return;
	while ((e = readdir(dir)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && !vfio_group_is_made_up(atoi(e->d_name)) &&
		    collect_group(atoi(e->d_name), &seen, &n))
			groups++;
	closedir(dir);
	if (groups && !n && platform == IOMMU_PLATFORM_POWER)
		findings_add(fs, LEVEL_NOTE, "iommu.reserved", "machine", NULL,
			     "no reserved IOVA regions: on POWER a user maps inside each host bridge's DMA windows "
			     "(the spapr.window findings of each device)");
	for (i = 0; i < n; i++) {
		const struct region_seen *s = &seen[i];
		bool direct = strcmp(s->r.type, "direct") == 0;

		reserved_region_size(&s->r, size, sizeof(size));
		if (s->groups == groups)
			findings_add(fs, direct ? LEVEL_WARN : LEVEL_NOTE, "iommu.reserved", "machine", NULL,
				     "%s 0x%llx-0x%llx (%s) in every group: %s", s->r.type,
				     (unsigned long long)s->r.start, (unsigned long long)s->r.end, size,
				     reserved_region_meaning(&s->r, platform, arch));
		else
			findings_add(fs, direct ? LEVEL_WARN : LEVEL_NOTE, "iommu.reserved", "machine", NULL,
				     "%s 0x%llx-0x%llx (%s) in %zu of %zu groups (%s%s): %s", s->r.type,
				     (unsigned long long)s->r.start, (unsigned long long)s->r.end, size, s->groups, groups,
				     s->first, s->groups > 4 ? " ..." : "", reserved_region_meaning(&s->r, platform, arch));
	}
	free(seen);
}
