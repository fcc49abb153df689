#include <stdlib.h>
#include <string.h>

#include "iommu/acs.h"
#include "iommu/iommu_platform.h"
#include "util/report.h"
#include "util/sysfs.h"

/* pci_acs_flags_enabled: features ACSCap does not advertise count as enabled (except EC). */
static enum acs_verdict flags_verdict(const struct acs_info *a)
{
	if (!a->has_acs)
		return ACS_NO_CAP;
	return a->missing ? ACS_CTL_MISSING : ACS_OK;
}

/* pci_acs_enabled, less pci_dev_specific_acs_enabled (quirks). */
static enum acs_verdict type_verdict(const struct acs_info *a)
{
	switch (a->port_type) {
	case PCI_PORT_CONVENTIONAL:
		return ACS_CONVENTIONAL;
	case PCI_PORT_PCI_TO_PCIE:
	case PCI_PORT_PCIE_TO_PCI:
	case PCI_PORT_RC_EVENT_COLLECTOR:
		return ACS_BRIDGE_TYPE;
	case PCI_PORT_DOWNSTREAM:
	case PCI_PORT_ROOT_PORT:
		return flags_verdict(a);
	case PCI_PORT_ENDPOINT:
	case PCI_PORT_UPSTREAM:
	case PCI_PORT_LEGACY_ENDPOINT:
	case PCI_PORT_RC_ENDPOINT:
		return a->multifunction ? flags_verdict(a) : ACS_NOT_CHECKED;
	default:
		return ACS_NOT_CHECKED;
	}
}

void acs_check(const struct pci_config *cfg, unsigned function, struct acs_info *out)
{
	memset(out, 0, sizeof(*out));
	out->verdict = ACS_UNKNOWN;
	out->port_type = PCI_PORT_CONVENTIONAL;
	if (!cfg || cfg->len < 64)
		return;
	out->bridge = pci_config_header_type(cfg) == 1;
	/* pci_scan_slot marks every function > 0 multifunction, whatever its header says. */
	out->multifunction = pci_config_multifunction(cfg) || function > 0;
	if (!pci_config_complete(cfg))
		return;
	out->port_type = pci_caps_port_type(cfg);
	out->has_acs = pci_caps_acs(cfg, &out->acs_cap, &out->acs_ctl);
	if (out->has_acs)
		out->missing = ACS_REQUIRED & (out->acs_cap | PCI_ACS_EC) & ~out->acs_ctl;
	out->verdict = type_verdict(out);
	out->rule_verdict = out->verdict;
}

void acs_env_detect(struct acs_env *env)
{
	memset(env, 0, sizeof(*env));
	env->platform = iommu_platform_detect();
	env->amd_ivrs = env->platform == IOMMU_PLATFORM_AMD;
	procfs_kernel_release(env->kernel_release, sizeof(env->kernel_release));
}

const char *acs_env_release(const struct acs_env *env)
{
	return env->kernel_release[0] ? env->kernel_release : NULL;
}

void acs_quirk_subject(const struct pci_device_list *list, size_t i, const struct acs_info *info,
		       const struct pci_config *cfg, const struct acs_env *env, struct quirk_subject *s)
{
	const struct pci_device *dev = &list->dev[i];

	*s = (struct quirk_subject){
		.vendor = dev->vendor_id,
		.device = dev->device_id,
		.class24 = dev->class24,
		.port_type = info->port_type,
		.multifunction = info->multifunction,
		.root_bus = acs_upstream(list, i) < 0,
		.cfg = cfg,
		.amd_ivrs = env->amd_ivrs,
	};
}

/* Lets the kernel's quirks answer first, as pci_acs_enabled does (after acs_check). */
static void apply_quirks(const struct pci_device_list *list, size_t i, const struct pci_config *cfg,
			 const struct acs_env *env, struct acs_info *info)
{
	struct quirk_subject s;

	/* The quirks need the device's type and its registers: a short read leaves the rules' answer. */
	if (info->verdict == ACS_UNKNOWN)
		return;
	acs_quirk_subject(list, i, info, cfg, env, &s);
	if (!acs_quirk_lookup(&s, acs_env_release(env), &info->quirk))
		return;
	info->verdict = info->quirk.enabled ? ACS_QUIRK_ENABLED : ACS_QUIRK_DISABLED;
}

bool acs_quirk_decided(const struct acs_info *a)
{
	return a->quirk.quirk && acs_verdict_enabled(a->rule_verdict) != (a->quirk.enabled ? 1 : 0);
}

/* The upstream bridge on the same root bus's hierarchy, or -1 at a root bus. */
long acs_upstream(const struct pci_device_list *list, size_t i)
{
	long p = list->dev[i].parent;

	if (p < 0 || (size_t)p >= list->n || list->dev[p].addr.domain != list->dev[i].addr.domain)
		return -1;
	return p;
}

void acs_read(const struct pci_device_list *list, size_t i, const struct acs_env *env,
	      struct acs_info *out)
{
	const struct pci_device *dev = &list->dev[i];
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));
	bool readable = pci_config_read(dev->address, cfg);

	acs_check(readable ? cfg : NULL, dev->addr.fn, out);
	apply_quirks(list, i, readable ? cfg : NULL, env, out);
	free(cfg);
}

struct acs_info *acs_read_all(const struct pci_device_list *list, const struct acs_env *env)
{
	struct acs_info *infos = vt_xcalloc(list->n ? list->n : 1, sizeof(*infos));

	for (size_t i = 0; i < list->n; i++)
		acs_read(list, i, env, &infos[i]);
	return infos;
}

int acs_verdict_enabled(enum acs_verdict verdict)
{
	switch (verdict) {
	case ACS_NOT_CHECKED:
	case ACS_OK:
	case ACS_QUIRK_ENABLED:
		return 1;
	case ACS_UNKNOWN:
		return -1;
	default:
		return 0;
	}
}

const char *acs_verdict_name(enum acs_verdict verdict)
{
	switch (verdict) {
	case ACS_UNKNOWN:
		return "config space not readable";
	case ACS_NOT_CHECKED:
		return "ACS not required for this device type";
	case ACS_OK:
		return "ACS enabled";
	case ACS_NO_CAP:
		return "no ACS capability";
	case ACS_CTL_MISSING:
		return "ACS control lacks required bits";
	case ACS_CONVENTIONAL:
		return "conventional PCI: never isolated";
	case ACS_BRIDGE_TYPE:
		return "bridge type that is never isolated";
	case ACS_QUIRK_ENABLED:
		return "ACS provided by a kernel quirk";
	case ACS_QUIRK_DISABLED:
		return "not isolated by a kernel quirk's answer";
	}
	return "unknown";
}

/* The bridges that pci_for_each_dma_alias reports as the requester for devices below. */
bool acs_requester_alias(const struct acs_info *bridge)
{
	return bridge->verdict != ACS_UNKNOWN &&
	       (bridge->port_type == PCI_PORT_CONVENTIONAL ||
		bridge->port_type == PCI_PORT_PCIE_TO_PCI ||
		bridge->port_type == PCI_PORT_PCI_TO_PCIE);
}

size_t acs_path(const struct pci_device_list *list, const struct acs_info *infos, size_t dev,
		struct acs_hop *hops, size_t max)
{
	size_t n = 0;
	long i;

	if (dev >= list->n)
		return 0;
	for (i = (long)dev; i >= 0 && n < max && n < list->n; i = acs_upstream(list, (size_t)i)) {
		hops[n].index = (size_t)i;
		hops[n].info = infos[i];
		hops[n].requester_alias = n > 0 && acs_requester_alias(&hops[n].info);
		n++;
	}
	return n;
}
