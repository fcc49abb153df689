#include <stdlib.h>
#include <string.h>

#include "iommu/acs.h"
#include "util/report.h"

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
}

void acs_read(const struct pci_device *dev, struct acs_info *out)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));

	acs_check(pci_config_read(dev->address, cfg) ? cfg : NULL, dev->addr.fn, out);
	free(cfg);
}

int acs_verdict_enabled(enum acs_verdict verdict)
{
	switch (verdict) {
	case ACS_NOT_CHECKED:
	case ACS_OK:
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
	}
	return "unknown";
}

/* The upstream bridge on the same root bus's hierarchy, or -1 at a root bus. */
static long upstream(const struct pci_device_list *list, size_t i)
{
	long p = list->dev[i].parent;

	if (p < 0 || (size_t)p >= list->n || list->dev[p].addr.domain != list->dev[i].addr.domain)
		return -1;
	return p;
}

/* The bridges that pci_for_each_dma_alias reports as the requester for devices below. */
static bool requester_alias(const struct acs_info *bridge)
{
	return bridge->verdict != ACS_UNKNOWN &&
	       (bridge->port_type == PCI_PORT_CONVENTIONAL ||
		bridge->port_type == PCI_PORT_PCIE_TO_PCI ||
		bridge->port_type == PCI_PORT_PCI_TO_PCIE);
}

size_t acs_path(const struct pci_device_list *list, size_t dev, struct acs_hop *hops, size_t max)
{
	size_t n = 0;
	long i;

	if (dev >= list->n)
		return 0;
	for (i = (long)dev; i >= 0 && n < max && n < list->n; i = upstream(list, (size_t)i)) {
		hops[n].index = (size_t)i;
		acs_read(&list->dev[i], &hops[n].info);
		hops[n].requester_alias = n > 0 && requester_alias(&hops[n].info);
		n++;
	}
	return n;
}

struct predictor {
	const struct pci_device_list *list;
	struct acs_info *info;
	int *group_of;
	unsigned char *state;	/* 0 to do, 1 in progress, 2 done */
	int next_group;
};

/* pci_acs_path_enabled(start, NULL, REQ_ACS_FLAGS): 1, 0, or -1 when it depends on an unknown. */
static int path_enabled(const struct predictor *p, long start)
{
	int result = 1;
	size_t hops = 0;

	for (long i = start; i >= 0 && hops++ < p->list->n; i = upstream(p->list, (size_t)i)) {
		int e = acs_verdict_enabled(p->info[i].verdict);

		if (e == 0)
			return 0;
		if (e < 0)
			result = -1;
	}
	return result;
}

static void predict(struct predictor *p, size_t i);

/* The group of a device that the kernel adds before the one at hand (an upstream bridge). */
static int group_before(struct predictor *p, long i)
{
	predict(p, (size_t)i);
	return p->group_of[i];
}

/* get_pci_function_alias_group: the lowest function of the slot without ACS that has a group. */
static int function_alias_group(const struct predictor *p, size_t i)
{
	const struct pci_addr *a = &p->list->dev[i].addr;

	for (size_t j = 0; j < p->list->n; j++) {
		const struct pci_addr *b = &p->list->dev[j].addr;

		if (j == i || p->state[j] != 2 || p->group_of[j] < 0 || b->domain != a->domain ||
		    b->bus != a->bus || b->dev != a->dev)
			continue;
		if (acs_verdict_enabled(p->info[j].verdict) == 0)
			return p->group_of[j];
	}
	return -1;
}

/* pci_device_group for device i: bridges are predicted before the devices below them. */
static int device_group(struct predictor *p, size_t i)
{
	long b;
	int e, g;

	if (p->info[i].verdict == ACS_UNKNOWN)
		return -1;
	/* pci_for_each_dma_alias: a bridge to conventional PCI puts its requester ID on DMA. */
	for (b = upstream(p->list, i); b >= 0; b = upstream(p->list, (size_t)b)) {
		if (p->info[b].verdict == ACS_UNKNOWN)
			return -1;
		if (requester_alias(&p->info[b]))
			return group_before(p, b);
	}
	/*
	 * The walk up from the device's bus stops at the first bridge with an ACS path to the
	 * root bus; otherwise that bridge becomes the base, and it already has a group.
	 */
	b = upstream(p->list, i);
	if (b >= 0) {
		e = path_enabled(p, b);
		if (e < 0)
			return -1;
		if (e == 0)
			return group_before(p, b);
	}
	if (p->info[i].multifunction && acs_verdict_enabled(p->info[i].verdict) == 0) {
		g = function_alias_group(p, i);
		if (g >= 0)
			return g;
	}
	return p->next_group++;
}

static void predict(struct predictor *p, size_t i)
{
	if (p->state[i] == 2)
		return;
	if (p->state[i] == 1) {	/* a parent loop: only a broken tree can have one */
		p->group_of[i] = -1;
		return;
	}
	p->state[i] = 1;
	p->group_of[i] = device_group(p, i);
	p->state[i] = 2;
}

void acs_predict_groups(const struct pci_device_list *list, int *group_of)
{
	struct predictor p = {
		.list = list,
		.info = vt_xcalloc(list->n, sizeof(*p.info)),
		.group_of = group_of,
		.state = vt_xcalloc(list->n, 1),
	};
	size_t i;

	for (i = 0; i < list->n; i++) {
		acs_read(&list->dev[i], &p.info[i]);
		group_of[i] = -1;
	}
	/* Address order is the kernel's order: bus numbers grow down the hierarchy. */
	for (i = 0; i < list->n; i++)
		predict(&p, i);
	free(p.info);
	free(p.state);
}
