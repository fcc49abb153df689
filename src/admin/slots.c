/* vfio-admin slots: for every root and downstream port, the group a card plugged there would join. */
#include <stdio.h>
#include <stdlib.h>

#include <libsmartcols.h>

#include "commands.h"
#include "filter_options.h"
#include "iommu/iommu_group.h"
#include "iommu/slot_map.h"
#include "pci/device_filter.h"
#include "pci/pci_caps.h"
#include "tool/cli.h"
#include "util/json.h"
#include "util/report.h"
#include "util/table.h"

struct slots_view {
	const struct pci_device_list *devices;
	const struct slot_map *map;
	const struct device_filter *filter;
	bool physical_only;
	enum iommu_platform platform;
};

static bool shown(const struct slots_view *v, const struct slot_prediction *s)
{
	if (v->physical_only && !s->slot_name[0] && !s->slot_implemented)
		return false;
	return device_filter_match(v->filter, &v->devices->dev[s->port]);
}

/* " (the kernel's quirk for X at ADDR)" when a quirk decided where the card lands. */
static void quirk_note(const struct slots_view *v, const struct slot_prediction *s, char *buf, size_t len)
{
	buf[0] = '\0';
	if (s->card.quirk_at >= 0 && s->quirk_info.quirk.quirk)
		snprintf(buf, len, " (the kernel's quirk for %s at %s)", s->quirk_info.quirk.quirk->what,
			 v->devices->dev[s->card.quirk_at].address);
}

/* Why the card lands where it does, in one line. */
static void describe_why(const struct slots_view *v, const struct slot_prediction *s, char *buf, size_t len)
{
	const struct pci_device_list *d = v->devices;
	char quirk[256];

	quirk_note(v, s, quirk, sizeof(quirk));
	if (v->platform == IOMMU_PLATFORM_POWER) {
		snprintf(buf, len, "POWER groups devices by partitionable endpoint, not by ACS: a card joins "
			 "the group of its PE (vfio-admin groups shows the host bridge's)");
		return;
	}
	switch (s->card.join) {
	case ACS_JOIN_NEW:
		snprintf(buf, len, "ACS isolates every port up to the root bus%s", quirk);
		return;
	case ACS_JOIN_VMD:
		snprintf(buf, len, "in the VMD domain of %s: the kernel sends its DMA through that endpoint "
			 "(disable VMD in the firmware to assign devices separately)", d->dev[s->card.via].address);
		return;
	case ACS_JOIN_ALIAS_BRIDGE:
		snprintf(buf, len, "below %s, a bridge to conventional PCI whose requester ID devices below share",
			 d->dev[s->card.via].address);
		return;
	case ACS_JOIN_UPSTREAM:
		if (s->blocker >= 0) {
			snprintf(buf, len, "%s %s: %s%s", d->dev[s->blocker].address,
				 pci_port_type_name(s->blocker_info.port_type),
				 acs_verdict_name(s->blocker_info.verdict), quirk);
			return;
		}
		snprintf(buf, len, "no ACS path above %s%s", d->dev[s->card.via].address, quirk);
		return;
	case ACS_JOIN_DMA_ALIAS:
	case ACS_JOIN_FUNCTION:
		snprintf(buf, len, "shares requester IDs with %s", d->dev[s->card.via].address);
		return;
	case ACS_JOIN_NONE:
		snprintf(buf, len, "unknown: config space of a bridge on the way is unreadable (run as root)");
		return;
	}
	buf[0] = '\0';
}

/* "alone", "with 0000:00:1c.0", "with 0000:00:1c.0 0000:03:00.0 ..." */
static void describe_group(const struct slots_view *v, const struct slot_prediction *s, char *buf, size_t len)
{
	size_t off = 0;

	if (s->outcome == SLOT_ALONE || s->outcome == SLOT_UNKNOWN) {
		snprintf(buf, len, "%s", s->outcome == SLOT_ALONE ? "alone" : "unknown");
		return;
	}
	off = (size_t)snprintf(buf, len, "with");
	for (size_t i = 0; i < s->n_mates && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " %s", v->devices->dev[s->mates[i]].address);
}

static void json_slot(struct json *j, const struct slots_view *v, const struct slot_prediction *s)
{
	const struct pci_device *port = &v->devices->dev[s->port];
	char why[512], bus[16];

	describe_why(v, s, why, sizeof(why));
	snprintf(bus, sizeof(bus), "%04x:%02x", port->addr.domain, s->secondary_bus);
	json_object_begin(j, NULL);
	json_string(j, "port", port->address);
	json_string(j, "port_type", pci_port_type_name(s->port_type));
	json_string(j, "slot", s->slot_name[0] ? s->slot_name : NULL);
	json_bool(j, "slot_implemented", s->slot_implemented);
	json_string(j, "secondary_bus", bus);
	json_uint(j, "devices_below", s->n_occupants);
	json_string(j, "card_group", slot_outcome_name(s->outcome));
	json_int_or_null(j, "joins_group", s->kernel_group, s->kernel_group >= 0);
	json_array_begin(j, "with");
	for (size_t i = 0; i < s->n_mates; i++)
		json_string(j, NULL, v->devices->dev[s->mates[i]].address);
	json_array_end(j);
	json_string(j, "why", why);
	json_object_end(j);
}

static void print_json(const struct slots_view *v)
{
	struct json j;

	json_document_begin(&j, stdout);
	json_array_begin(&j, "slots");
	for (size_t i = 0; i < v->map->n; i++)
		if (shown(v, &v->map->slot[i]))
			json_slot(&j, v, &v->map->slot[i]);
	json_array_end(&j);
	json_document_end(&j);
}

enum { COL_PORT, COL_SLOT, COL_BELOW, COL_CARD, COL_WHY };

static void print_table(const struct slots_view *v)
{
	static const struct table_column cols[] = {
		[COL_PORT] = { "PORT", 12, 0 },
		[COL_SLOT] = { "SLOT", 4, 0 },
		[COL_BELOW] = { "NOW", 5, 0 },
		[COL_CARD] = { "A CARD THERE IS", 0.3, 0 },
		[COL_WHY] = { "WHY", 0.5, 0 },
	};
	struct libscols_table *tb = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	char group[1024], why[512];

	for (size_t i = 0; i < v->map->n; i++) {
		const struct slot_prediction *s = &v->map->slot[i];
		struct libscols_line *ln;

		if (!shown(v, s))
			continue;
		ln = table_line(tb, NULL);
		describe_group(v, s, group, sizeof(group));
		describe_why(v, s, why, sizeof(why));
		table_cell(ln, COL_PORT, "%s", v->devices->dev[s->port].address);
		table_cell(ln, COL_SLOT, "%s", s->slot_name[0] ? s->slot_name : s->slot_implemented ? "yes" : "-");
		if (s->n_occupants)
			table_cell(ln, COL_BELOW, "%zu dev", s->n_occupants);
		else
			table_cell(ln, COL_BELOW, "empty");
		table_cell(ln, COL_CARD, "%s", group);
		table_cell(ln, COL_WHY, "%s", why);
	}
	table_print_free(tb, stdout);
}

int cmd_slots(int argc, const char **argv)
{
	struct device_filter filter;
	struct pci_device_list devices;
	struct slot_map map;
	struct acs_env env;
	int json = 0, physical = 0, rc = 2;
	const struct poptOption table[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, filter_options, 0,
		  "Show only ports that match (filters combine with AND):", NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, sysroot_options, 0, "Elsewhere:", NULL },
		{ "physical", 'p', POPT_ARG_NONE, &physical, 0,
		  "Only ports that lead to a slot (named by the firmware, or Slot Implemented)", NULL },
		{ "json", 'J', POPT_ARG_NONE, &json, 0, "JSON output (keys in vfio-tools(7))", NULL },
		CLI_HELP_OPTION,
		POPT_TABLEEND
	};
	struct slots_view view = { .devices = &devices, .map = &map, .filter = &filter };

	device_filter_init(&filter);
	if (!filter_load_devices(argc, argv, table, &filter, &devices))
		goto out_filter;
	if (!iommu_groups_exist())
		iommu_note_disabled();
	acs_env_detect(&env);
	slot_map_build(&devices, &env, &map);
	view.physical_only = physical;
	view.platform = env.platform;
	if (json)
		print_json(&view);
	else
		print_table(&view);
	rc = 0;
	slot_map_free(&map);
	pci_device_list_free(&devices);
out_filter:
	device_filter_free(&filter);
	return rc;
}
