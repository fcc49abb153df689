#include <stdlib.h>
#include <string.h>

#include "iommu/slot_map.h"
#include "pci/pci_slots.h"
#include "util/report.h"

/* What every port's prediction shares: the machine's devices as read once. */
struct machine {
	const struct pci_device_list *list;
	const struct acs_env *env;
	struct acs_info *info;
	bool *part;
};

static bool is_port(const struct acs_info *a)
{
	return a->port_type == PCI_PORT_ROOT_PORT || a->port_type == PCI_PORT_DOWNSTREAM;
}

static bool below(const struct pci_device_list *list, size_t dev, size_t port)
{
	size_t hops = 0;

	for (long p = list->dev[dev].parent; p >= 0 && hops++ < list->n; p = list->dev[p].parent)
		if ((size_t)p == port)
			return true;
	return false;
}

/*
 * The machine without what is below the port, with a single-function PCIe endpoint at
 * secondary:00.0 instead (last, as the kernel adds a hot-plugged card). new_index maps old
 * indices to new ones (-1: removed).
 */
static size_t build_with_card(const struct machine *m, size_t port, unsigned secbus, struct pci_device_list *out,
			      struct acs_info *info, bool *part, long *new_index)
{
	const struct pci_device_list *list = m->list;
	size_t n = 0;

	for (size_t i = 0; i < list->n; i++) {
		new_index[i] = below(list, i, port) ? -1 : (long)n;
		if (new_index[i] < 0)
			continue;
		out->dev[n] = list->dev[i];
		info[n] = m->info[i];
		part[n] = m->part[i];
		n++;
	}
	for (size_t i = 0; i < n; i++)
		if (out->dev[i].parent >= 0)
			out->dev[i].parent = new_index[out->dev[i].parent];
	memset(&out->dev[n], 0, sizeof(out->dev[n]));
	out->dev[n].addr = (struct pci_addr){ .domain = list->dev[port].addr.domain, .bus = secbus };
	pci_addr_format(&out->dev[n].addr, out->dev[n].address);
	out->dev[n].iommu_group = -1;
	out->dev[n].numa_node = -1;
	out->dev[n].parent = new_index[port];
	info[n] = (struct acs_info){ .verdict = ACS_NOT_CHECKED, .rule_verdict = ACS_NOT_CHECKED,
				     .port_type = PCI_PORT_ENDPOINT };
	part[n] = true;
	out->n = n + 1;
	return n;
}

/* The first hop from the port up whose ACS fails. */
static long first_blocker(const struct machine *m, size_t port)
{
	size_t hops = 0;

	for (long i = (long)port; i >= 0 && hops++ < m->list->n; i = acs_upstream(m->list, (size_t)i))
		if (acs_verdict_enabled(m->info[i].verdict) == 0)
			return i;
	return -1;
}

static void predict_port(const struct machine *m, size_t port, unsigned secbus, struct slot_prediction *s)
{
	size_t n = m->list->n + 1, card;
	struct pci_device_list with = { .dev = vt_xcalloc(n, sizeof(struct pci_device)) };
	struct acs_info *info = vt_xcalloc(n, sizeof(*info));
	struct acs_prediction *pr = vt_xcalloc(n, sizeof(*pr));
	bool *part = vt_xcalloc(n, sizeof(bool)), only_bridges = true;
	long *new_index = vt_xcalloc(m->list->n, sizeof(long));
	size_t *old_index = vt_xcalloc(n, sizeof(size_t));

	card = build_with_card(m, port, secbus, &with, info, part, new_index);
	for (size_t i = 0; i < m->list->n; i++)
		if (new_index[i] >= 0)
			old_index[new_index[i]] = i;
	acs_predict(&with, info, part, m->env, pr);
	s->card = pr[card];
	s->kernel_group = -1;
	if (s->card.via >= 0)
		s->card.via = (long)old_index[s->card.via];
	if (s->card.quirk_at >= 0)
		s->card.quirk_at = (long)old_index[s->card.quirk_at];
	s->mates = vt_xcalloc(n, sizeof(size_t));
	for (size_t i = 0; i < card && pr[card].group >= 0; i++) {
		if (pr[i].group != pr[card].group || !part[i])
			continue;
		s->mates[s->n_mates++] = old_index[i];
		s->kernel_group = m->list->dev[old_index[i]].iommu_group;
		/* the bridges above it, not a VMD endpoint (a device that must be assigned with it) */
		only_bridges &= (below(m->list, port, old_index[i]) || old_index[i] == port) &&
				m->list->dev[old_index[i]].addr.domain == m->list->dev[port].addr.domain;
	}
	if (pr[card].group < 0)
		s->outcome = SLOT_UNKNOWN;
	else
		s->outcome = !s->n_mates ? SLOT_ALONE : only_bridges ? SLOT_WITH_PORT : SLOT_SHARED;
	s->blocker = s->outcome == SLOT_ALONE ? -1 : first_blocker(m, port);
	if (s->blocker >= 0)
		s->blocker_info = m->info[s->blocker];
	if (s->card.quirk_at >= 0)
		s->quirk_info = m->info[s->card.quirk_at];
	free(with.dev);
	free(info);
	free(pr);
	free(part);
	free(new_index);
	free(old_index);
}

static unsigned secondary_bus(const struct pci_device_list *list, size_t port)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));
	unsigned bus = 0xff;

	if (pci_config_read(list->dev[port].address, cfg) && cfg->len >= 0x1a)
		bus = pci_config_u8(cfg, 0x19);
	free(cfg);
	return bus;
}

static bool slot_implemented(const struct pci_device *d)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));
	bool yes = pci_config_read(d->address, cfg) && pci_caps_slot_implemented(cfg);

	free(cfg);
	return yes;
}

void slot_map_build(const struct pci_device_list *list, const struct acs_env *env, struct slot_map *map)
{
	struct machine m = { .list = list, .env = env, .info = vt_xcalloc(list->n ? list->n : 1, sizeof(struct acs_info)) };
	struct pci_slot_list slots;

	memset(map, 0, sizeof(*map));
	for (size_t i = 0; i < list->n; i++)
		acs_read(list, i, env, &m.info[i]);
	m.part = acs_devices_taking_part(list);
	pci_slot_list_load(&slots);
	map->slot = vt_xcalloc(list->n ? list->n : 1, sizeof(*map->slot));
	map->names = vt_xcalloc(list->n ? list->n : 1, sizeof(*map->names));
	for (size_t i = 0; i < list->n; i++) {
		struct slot_prediction *s = &map->slot[map->n];
		const struct pci_slot *ps;

		if (!is_port(&m.info[i]))
			continue;
		s->port = i;
		s->port_type = m.info[i].port_type;
		s->secondary_bus = secondary_bus(list, i);
		s->slot_implemented = slot_implemented(&list->dev[i]);
		ps = pci_slot_on_bus(&slots, list->dev[i].addr.domain, s->secondary_bus);
		if (ps) {
			memcpy(map->names[map->n], ps->name, sizeof(map->names[0]));
			s->slot_name = map->names[map->n];
		}
		for (size_t j = 0; j < list->n; j++)
			s->n_occupants += below(list, j, i);
		/* POWER groups by partitionable endpoint, which config space does not show. */
		if (env->platform == IOMMU_PLATFORM_POWER) {
			s->outcome = SLOT_UNKNOWN;
			s->card = (struct acs_prediction){ .group = -1, .via = -1, .quirk_at = -1 };
			s->kernel_group = -1;
			s->blocker = -1;
		} else {
			predict_port(&m, i, s->secondary_bus, s);
		}
		map->n++;
	}
	pci_slot_list_free(&slots);
	free(m.info);
	free(m.part);
}

void slot_map_free(struct slot_map *map)
{
	for (size_t i = 0; i < map->n; i++)
		free(map->slot[i].mates);
	free(map->slot);
	free(map->names);
	memset(map, 0, sizeof(*map));
}

const char *slot_outcome_name(enum slot_outcome o)
{
	switch (o) {
	case SLOT_ALONE:
		return "alone";
	case SLOT_WITH_PORT:
		return "with-port";
	case SLOT_SHARED:
		return "shared";
	case SLOT_UNKNOWN:
		return "unknown";
	}
	return "unknown";
}
