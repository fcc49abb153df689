#include <stdio.h>
#include <stdlib.h>

#include "checks/acs_checks.h"
#include "pci/pci_caps.h"
#include "util/report.h"

/* " [ACSCap SV TB RR CR UF DT; ACSCtl SV RR CR UF]", or "" without ACS. */
static void format_acs_bits(const struct acs_info *a, char *buf, size_t len)
{
	char cap[64], ctl[64];

	if (!a->has_acs) {
		buf[0] = '\0';
		return;
	}
	pci_acs_bits_format(a->acs_cap, cap, sizeof(cap));
	pci_acs_bits_format(a->acs_ctl, ctl, sizeof(ctl));
	snprintf(buf, len, " [ACSCap %s; ACSCtl %s]", cap[0] ? cap : "-", ctl[0] ? ctl : "-");
}

/* What a port or a multifunction device without isolation means for the devices around it. */
static const char *not_isolated_hint(const struct acs_info *a)
{
	return a->bridge ? "devices below it are not isolated from each other or from it" :
			   "its functions can reach each other: they share one group";
}

static void report_quirk_hop(struct findings *fs, const struct pci_device *h, const struct acs_info *a,
			     const char *type)
{
	const struct acs_quirk_match *q = &a->quirk;

	if (a->verdict == ACS_QUIRK_ENABLED)
		findings_add(fs, LEVEL_PASS, "acs.port", h->address, NULL,
			     "%s: ACS provided by the kernel's quirk for %s%s%s%s", type, q->quirk->what,
			     q->detail[0] ? " (" : "", q->detail, q->detail[0] ? ")" : "");
	else
		findings_add(fs, LEVEL_WARN, "acs.port", h->address,
			     not_isolated_hint(a),
			     "%s: not isolated: the kernel's quirk for %s says so%s%s%s", type, q->quirk->what,
			     q->detail[0] ? " (" : "", q->detail, q->detail[0] ? ")" : "");
}

static void report_hop(struct findings *fs, const struct pci_device *h, const struct acs_hop *hop)
{
	const struct acs_info *a = &hop->info;
	const char *type = pci_port_type_name(a->port_type);
	char bits[64], regs[160];

	format_acs_bits(a, regs, sizeof(regs));
	switch (a->verdict) {
	case ACS_OK:
		findings_add(fs, LEVEL_PASS, "acs.port", h->address, NULL, "%s: ACS enabled (%s)%s", type,
			     pci_acs_bits_format(ACS_REQUIRED & a->acs_cap, bits, sizeof(bits)), regs);
		break;
	case ACS_NO_CAP:
		findings_add(fs, LEVEL_WARN, "acs.port", h->address,
			     not_isolated_hint(a),
			     "%s: no ACS capability", type);
		break;
	case ACS_CTL_MISSING:
		findings_add(fs, LEVEL_WARN, "acs.port", h->address,
			     "the firmware or pci=config_acs= left them off; the kernel merges the groups below",
			     "%s: ACS control lacks %s%s", type,
			     pci_acs_bits_format(a->missing, bits, sizeof(bits)), regs);
		break;
	case ACS_CONVENTIONAL:
	case ACS_BRIDGE_TYPE:
		if (a->bridge)
			findings_add(fs, LEVEL_WARN, "acs.port", h->address, NULL,
				     "%s: devices below share its requester ID",
				     a->verdict == ACS_CONVENTIONAL ? "conventional PCI bridge" : type);
		else
			findings_add(fs, LEVEL_WARN, "acs.port", h->address, NULL,
				     "%s: multifunction without ACS: its functions share a group", type);
		break;
	case ACS_NOT_CHECKED:
		findings_add(fs, LEVEL_NOTE, "acs.port", h->address, NULL,
			     "%s: not checked by the kernel (single function)", type);
		break;
	case ACS_QUIRK_ENABLED:
	case ACS_QUIRK_DISABLED:
		report_quirk_hop(fs, h, a, type);
		break;
	case ACS_UNKNOWN:	/* the PCIe type is unreadable too; the header type is not */
		findings_add(fs, LEVEL_NOTE, "acs.port", h->address, "run as root to read config space",
			     "%s: ACS unknown: config space beyond 64 bytes is unreadable",
			     a->bridge ? "bridge" : "device");
		break;
	}
}

/* The environment and every device's config space, read once for all the devices checked. */
static const struct acs_info *context_infos(struct acs_check_state *st)
{
	if (!st->have_env) {
		acs_env_detect(&st->env);
		st->have_env = true;
	}
	if (!st->infos)
		st->infos = acs_read_all(st->devices, &st->env);
	return st->infos;
}

/* Every bridge up to the root bus; the device itself when the kernel checks it (multifunction). */
void check_acs_path(struct findings *fs, struct acs_check_state *st, const struct pci_device *dev)
{
	struct acs_hop hops[64];
	size_t n = acs_path(st->devices, context_infos(st), (size_t)(dev - st->devices->dev), hops, 64), i;

	for (i = 0; i < n; i++)
		if (i > 0 || hops[i].info.multifunction || hops[i].info.quirk.quirk)
			report_hop(fs, &st->devices->dev[hops[i].index], &hops[i]);
}

/* "a b c": devices in the kernel group or the predicted group but not both. */
static size_t list_difference(const struct pci_device_list *devices, const struct acs_prediction *predicted,
			      const struct pci_device *dev, bool in_kernel, char *buf, size_t len)
{
	size_t i, off = 0, count = 0;
	int p = predicted[dev - devices->dev].group;

	buf[0] = '\0';
	for (i = 0; i < devices->n; i++) {
		bool k = devices->dev[i].iommu_group == dev->iommu_group, q = predicted[i].group == p;

		if (devices->dev[i].iommu_group < 0)	/* the kernel joins only devices with a group */
			continue;
		if ((in_kernel ? k && !q : q && !k) && off < len) {
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? " " : "", devices->dev[i].address);
			count++;
		}
	}
	return count;
}

/* " (with the kernel's quirk for X at ADDR: detail)", or "" when the rules alone explain it. */
static void describe_quirk(const struct acs_check_state *st, const struct acs_prediction *pr,
			   char *buf, size_t len)
{
	const struct acs_info *a;

	buf[0] = '\0';
	if (pr->join == ACS_JOIN_DMA_ALIAS && pr->alias_quirk) {
		snprintf(buf, len, ", through the kernel's DMA alias quirk for %s (shares requester IDs with %s)",
			 pr->alias_quirk->what, st->devices->dev[pr->via].address);
		return;
	}
	if (pr->quirk_at < 0)
		return;
	a = &st->infos[pr->quirk_at];
	snprintf(buf, len, ", with the kernel's quirk for %s at %s%s%s%s", a->quirk.quirk->what,
		 st->devices->dev[pr->quirk_at].address, a->quirk.detail[0] ? " (" : "", a->quirk.detail,
		 a->quirk.detail[0] ? ")" : "");
}

static void check_vmd(struct findings *fs, const struct acs_check_state *st, const struct pci_device *dev,
		      const struct acs_prediction *pr)
{
	if (pr->join != ACS_JOIN_VMD)
		return;
	findings_add(fs, LEVEL_NOTE, "acs.vmd", dev->address,
		     "disable VMD in the firmware to assign these devices separately",
		     "in the VMD endpoint %s's group: the kernel sends this domain's DMA through it",
		     st->devices->dev[pr->via].address);
}

void check_acs_reconcile(struct findings *fs, struct acs_check_state *st, const struct pci_device *dev)
{
	char extra[512], missing[512], how[320];
	size_t n_extra, n_missing;
	const struct acs_prediction *pr;

	if (!st->predicted) {
		st->predicted = vt_xcalloc(st->devices->n ? st->devices->n : 1, sizeof(*st->predicted));
		acs_predict_machine(st->devices, context_infos(st), &st->env, st->predicted);
	}
	pr = &st->predicted[dev - st->devices->dev];
	if (pr->group < 0) {
		findings_add(fs, LEVEL_NOTE, "acs.reconcile", dev->address, "run as root to read config space",
			     "ACS analysis incomplete: config space unreadable");
		return;
	}
	check_vmd(fs, st, dev, pr);
	n_extra = list_difference(st->devices, st->predicted, dev, true, extra, sizeof(extra));
	n_missing = list_difference(st->devices, st->predicted, dev, false, missing, sizeof(missing));
	describe_quirk(st, pr, how, sizeof(how));
	if (!n_extra && !n_missing)
		findings_add(fs, LEVEL_PASS, "acs.reconcile", dev->address, NULL,
			     "ACS analysis predicts the kernel's group %d%s%s", dev->iommu_group,
			     pr->join == ACS_JOIN_VMD ? ", through the VMD endpoint " : "",
			     pr->join == ACS_JOIN_VMD ? st->devices->dev[pr->via].address : how);
	else
		findings_add(fs, LEVEL_WARN, "acs.reconcile", dev->address,
			     "pcie_acs_override= (an out-of-tree patch) or a quirk newer than this table can do this",
			     "not explained: %s%s%s%s%s%s; neither the ACS rules nor the kernel's quirks (%s%s%s) "
			     "explain it", n_extra ? "the kernel's group also holds " : "", n_extra ? extra : "",
			     n_extra && n_missing ? "; " : "", n_missing ? "the kernel separated " : "",
			     n_missing ? missing : "", n_missing ? " from it" : "", KERNEL_QUIRKS_SOURCE,
			     st->env.kernel_release[0] ? "; this kernel: " : "", st->env.kernel_release);
}

void acs_check_state_free(struct acs_check_state *st)
{
	free(st->predicted);
	free(st->infos);
	st->predicted = NULL;
	st->infos = NULL;
}
