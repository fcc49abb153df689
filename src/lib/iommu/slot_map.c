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
 * The machine with a single-function PCIe endpoint below every port, after every device (the
 * kernel adds a hot-plugged card last): out has list->n + n_ports entries. A card depends only
 * on the bridges above it and on DMA aliases on its bus; it sits at device 1f.7 of the port's
 * secondary bus, where no alias quirk of what it replaces (at 00.x) points.
 */
static void add_cards(const struct machine *m, const size_t *ports, const unsigned *secbus, size_t n_ports,
		      struct pci_device_list *out, struct acs_info *info, bool *part)
{
	const struct pci_device_list *list = m->list;

	memcpy(out->dev, list->dev, list->n * sizeof(*list->dev));
	memcpy(info, m->info, list->n * sizeof(*info));
	memcpy(part, m->part, list->n * sizeof(*part));
	for (size_t k = 0; k < n_ports; k++) {
		struct pci_device *card = &out->dev[list->n + k];

		card->addr = (struct pci_addr){ .domain = list->dev[ports[k]].addr.domain, .bus = (uint8_t)secbus[k],
						.dev = 0x1f, .fn = 7 };
		pci_addr_format(&card->addr, card->address);
		card->iommu_group = -1;
		card->numa_node = -1;
		card->parent = (long)ports[k];
		info[list->n + k] = (struct acs_info){ .verdict = ACS_NOT_CHECKED, .rule_verdict = ACS_NOT_CHECKED,
						       .port_type = PCI_PORT_ENDPOINT };
		part[list->n + k] = true;
	}
	out->n = list->n + n_ports;
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

/* The devices of the card's group, less what it replaces below the port and the other cards. */
static void collect_mates(const struct machine *m, const struct acs_prediction *pr, size_t card,
			  struct slot_prediction *s)
{
	bool only_bridges = true;

	s->mates = vt_xcalloc(m->list->n ? m->list->n : 1, sizeof(size_t));
	s->kernel_group = -1;
	for (size_t i = 0; i < m->list->n && pr[card].group >= 0; i++) {
		if (pr[i].group != pr[card].group || !m->part[i] || below(m->list, i, s->port))
			continue;
		s->mates[s->n_mates++] = i;
		s->kernel_group = m->list->dev[i].iommu_group;
		/* the bridges above it, not a VMD endpoint (a device that must be assigned with it) */
		only_bridges &= (below(m->list, s->port, i) || i == s->port) &&
				m->list->dev[i].addr.domain == m->list->dev[s->port].addr.domain;
	}
	if (pr[card].group < 0)
		s->outcome = SLOT_UNKNOWN;
	else
		s->outcome = !s->n_mates ? SLOT_ALONE : only_bridges ? SLOT_WITH_PORT : SLOT_SHARED;
}

/* Every port's card predicted in one pass over the machine. */
static void predict_cards(const struct machine *m, struct slot_map *map)
{
	size_t n = m->list->n + map->n;
	struct pci_device_list with = { .dev = vt_xcalloc(n ? n : 1, sizeof(struct pci_device)) };
	struct acs_info *info = vt_xcalloc(n ? n : 1, sizeof(*info));
	struct acs_prediction *pr = vt_xcalloc(n ? n : 1, sizeof(*pr));
	bool *part = vt_xcalloc(n ? n : 1, sizeof(bool));
	size_t *ports = vt_xcalloc(map->n ? map->n : 1, sizeof(size_t));
	unsigned *secbus = vt_xcalloc(map->n ? map->n : 1, sizeof(unsigned));

	for (size_t k = 0; k < map->n; k++) {
		ports[k] = map->slot[k].port;
		secbus[k] = map->slot[k].secondary_bus;
	}
	add_cards(m, ports, secbus, map->n, &with, info, part);
	acs_predict(&with, info, part, m->env, pr);
	for (size_t k = 0; k < map->n; k++) {
		struct slot_prediction *s = &map->slot[k];

		s->card = pr[m->list->n + k];
		collect_mates(m, pr, m->list->n + k, s);
		s->blocker = s->outcome == SLOT_ALONE ? -1 : first_blocker(m, s->port);
		if (s->blocker >= 0)
			s->blocker_info = m->info[s->blocker];
		if (s->card.quirk_at >= 0)
			s->quirk_info = m->info[s->card.quirk_at];
	}
	free(with.dev);
	free(info);
	free(pr);
	free(part);
	free(ports);
	free(secbus);
}

/* The port's secondary bus (0xff when unreadable) and Slot Implemented bit, from one read. */
static void read_port(const struct pci_device *port, struct slot_prediction *s)
{
	struct pci_config *cfg = vt_xmalloc(sizeof(*cfg));

	s->secondary_bus = 0xff;
	if (pci_config_read(port->address, cfg)) {
		if (cfg->len >= 0x1a)
			s->secondary_bus = pci_config_u8(cfg, 0x19);
		s->slot_implemented = pci_caps_slot_implemented(cfg);
	}
	free(cfg);
}

void slot_map_build(const struct pci_device_list *list, const struct acs_env *env, struct slot_map *map)
{
	struct machine m = { .list = list, .env = env, .info = acs_read_all(list, env) };
	struct pci_slot_list slots;

	memset(map, 0, sizeof(*map));
	m.part = acs_devices_taking_part(list);
	pci_slot_list_load(&slots);
	map->slot = vt_xcalloc(list->n ? list->n : 1, sizeof(*map->slot));
	for (size_t i = 0; i < list->n; i++) {
		struct slot_prediction *s = &map->slot[map->n];
		const struct pci_slot *ps;

		if (!is_port(&m.info[i]))
			continue;
		s->port = i;
		s->port_type = m.info[i].port_type;
		read_port(&list->dev[i], s);
		ps = pci_slot_on_bus(&slots, list->dev[i].addr.domain, s->secondary_bus);
		if (ps)
			memcpy(s->slot_name, ps->name, sizeof(s->slot_name));
		for (size_t j = 0; j < list->n; j++)
			s->n_occupants += below(list, j, i);
		s->outcome = SLOT_UNKNOWN;
		s->card = (struct acs_prediction){ .group = -1, .via = -1, .quirk_at = -1 };
		s->kernel_group = -1;
		s->blocker = -1;
		map->n++;
	}
	/* POWER groups by partitionable endpoint, which config space does not show. */
	if (env->platform != IOMMU_PLATFORM_POWER)
		predict_cards(&m, map);
	pci_slot_list_free(&slots);
	free(m.info);
	free(m.part);
}

void slot_map_free(struct slot_map *map)
{
	for (size_t i = 0; i < map->n; i++)
		free(map->slot[i].mates);
	free(map->slot);
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
