/* vfio-dump config: config space read through the VFIO config region, decoded or in hex. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "tool/cli.h"
#include "iommu/device_group.h"
#include "dump.h"
#include "pci/pci_cap_decode.h"
#include "pci/pci_config.h"
#include "util/report.h"

enum { OPT_HEX = 'x' };

static int opt_hex, opt_verbose, opt_diff;

static const struct poptOption options[] = {
	{ NULL, 'x', POPT_ARG_NONE, NULL, OPT_HEX,
	  "Hex dump like lspci: -x 64 bytes, -xxx 256, -xxxx 4096", NULL },
	{ "verbose", 'v', POPT_ARG_NONE, &opt_verbose, 0, "Decoded capabilities too when -x is given", NULL },
	{ "diff-sysfs", '\0', POPT_ARG_NONE, &opt_diff, 0,
	  "List the bytes VFIO shows differently from sysfs' raw config (root)", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

static bool on_option(int val, const char *arg)
{
	(void)arg;
	if (val == OPT_HEX)
		opt_hex++;
	return val == OPT_HEX;
}

static size_t hex_length(const struct pci_config *cfg)
{
	size_t len = opt_hex >= 4 ? PCI_CONFIG_MAX_SIZE : opt_hex == 3 ? PCI_CONFIG_STD_SIZE : 64;

	if (opt_hex == 0)
		len = PCI_CONFIG_MAX_SIZE;
	return len < cfg->len ? len : cfg->len;
}

/* lspci -x's layout: "00: 34 12 e8 11 ...", 16 bytes a line. */
static void print_hex(const struct pci_config *cfg, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			printf("%02zx:", i);
		printf(" %02x", cfg->data[i]);
		if (i % 16 == 15 || i + 1 == len)
			putchar('\n');
	}
}

static void cap_label(const struct pci_cap *c, char *buf, size_t len)
{
	if (c->name)
		snprintf(buf, len, "%s", c->name);
	else
		snprintf(buf, len, "Capability ID 0x%0*x", c->extended ? 4 : 2, c->id);
}

static void print_caps(const struct pci_cap_list *caps)
{
	char label[96], fields[1024];
	size_t i;

	printf("Capabilities:%s\n", caps->n ? "" : " none");
	for (i = 0; i < caps->n; i++) {
		const struct pci_cap *c = &caps->caps[i];

		cap_label(c, label, sizeof(label));
		pci_cap_format_fields(c, fields, sizeof(fields));
		if (c->extended)
			printf("  [%03x v%u] %s%s%s\n", c->offset, c->version, label, fields[0] ? ": " : "", fields);
		else
			printf("  [%02x] %s%s%s\n", c->offset, label, fields[0] ? ": " : "", fields);
	}
	if (caps->problem[0])
		printf("Problem: %s\n", caps->problem);
}

/* --- --diff-sysfs --- */

struct config_diff {
	size_t n;
	unsigned offset[PCI_CONFIG_MAX_SIZE];
};

static const char *header_field(unsigned off)
{
	static const struct { unsigned end; const char *name; } fields[] = {
		{ 0x02, "vendor" }, { 0x04, "device" }, { 0x06, "command" }, { 0x08, "status" },
		{ 0x09, "revision" }, { 0x0c, "class" }, { 0x0d, "cache line" }, { 0x0e, "latency" },
		{ 0x0f, "header type" }, { 0x10, "BIST" }, { 0x28, "BARs" }, { 0x2c, "CardBus CIS" },
		{ 0x30, "subsystem" }, { 0x34, "expansion ROM" }, { 0x35, "capabilities" },
		{ 0x3c, "reserved" }, { 0x3d, "interrupt line" }, { 0x3e, "interrupt pin" },
		{ 0x40, "min grant / max latency" },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (off < fields[i].end)
			return fields[i].name;
	return NULL;
}

/* "command", "MSI +0x2", "Express +0x8", or "" outside any known structure. */
static void describe_offset(const struct pci_cap_list *caps, unsigned off, char *buf, size_t len)
{
	const struct pci_cap *best = NULL;
	char label[96];
	size_t i;

	buf[0] = '\0';
	if (header_field(off)) {
		snprintf(buf, len, "%s", header_field(off));
		return;
	}
	for (i = 0; i < caps->n; i++) {
		const struct pci_cap *c = &caps->caps[i];

		if (c->extended == (off >= PCI_CONFIG_STD_SIZE) && c->offset <= off &&
		    (!best || c->offset > best->offset))
			best = c;
	}
	if (best) {
		cap_label(best, label, sizeof(label));
		snprintf(buf, len, "%s +0x%x", label, off - best->offset);
	}
}

static bool diff_sysfs(const struct vfio_dev *d, const struct pci_config *vfio, struct pci_config *raw,
		       struct config_diff *diff)
{
	size_t i, len;

	if (vfio_is_mdev_uuid(d->address)) {
		vt_error(d->address, "no --diff-sysfs", "a mediated device's config space exists only through VFIO");
		return false;
	}
	if (geteuid() != 0) {
		vt_error(d->address, "--diff-sysfs needs root", "sysfs gives other users only 64 bytes of config space");
		return false;
	}
	if (!pci_config_read(d->address, raw)) {
		vt_error(d->address, "cannot read sysfs config", "%s", strerror(errno));
		return false;
	}
	len = vfio->len < raw->len ? vfio->len : raw->len;
	diff->n = 0;
	for (i = 0; i < len; i++)
		if (vfio->data[i] != raw->data[i])
			diff->offset[diff->n++] = (unsigned)i;
	return true;
}

/* Runs of adjacent differing bytes, one line each. */
static void print_diff(const struct pci_cap_list *caps, const struct pci_config *vfio,
		       const struct pci_config *raw, const struct config_diff *diff)
{
	char where[128];
	size_t i, k, end;

	printf("Bytes VFIO shows differently from sysfs (%zu):%s\n", diff->n, diff->n ? "" : " none");
	for (i = 0; i < diff->n; i = end) {
		for (end = i + 1; end < diff->n && diff->offset[end] == diff->offset[end - 1] + 1; end++)
			;
		describe_offset(caps, diff->offset[i], where, sizeof(where));
		printf("  %03x", diff->offset[i]);
		if (end - i > 1)
			printf("-%03x", diff->offset[end - 1]);
		printf(" %-24s vfio", where);
		for (k = i; k < end; k++)
			printf(" %02x", vfio->data[diff->offset[k]]);
		printf("  sysfs");
		for (k = i; k < end; k++)
			printf(" %02x", raw->data[diff->offset[k]]);
		putchar('\n');
	}
}

static void json_fields(struct json *j, const struct pci_cap *c)
{
	unsigned i;

	json_object_begin(j, "fields");
	for (i = 0; i < c->n_fields; i++) {
		const struct pci_cap_field *f = &c->fields[i];

		switch (f->kind) {
		case PCI_CAP_FIELD_UINT:
			json_uint(j, f->key, f->num);
			break;
		case PCI_CAP_FIELD_HEX:
			json_hex(j, f->key, f->num);
			break;
		case PCI_CAP_FIELD_BOOL:
			json_bool(j, f->key, f->num != 0);
			break;
		case PCI_CAP_FIELD_TEXT:
			json_string(j, f->key, f->text);
			break;
		}
	}
	json_object_end(j);
}

static void json_caps(struct json *j, const struct pci_cap_list *caps)
{
	char label[96];
	size_t i;

	json_array_begin(j, "capabilities");
	for (i = 0; i < caps->n; i++) {
		const struct pci_cap *c = &caps->caps[i];

		json_object_begin(j, NULL);
		json_uint(j, "offset", c->offset);
		json_bool(j, "extended", c->extended);
		json_uint(j, "id", c->id);
		json_uint(j, "version", c->version);
		cap_label(c, label, sizeof(label));
		json_string(j, "name", label);
		json_fields(j, c);
		json_object_end(j);
	}
	json_array_end(j);
	json_string(j, "problem", caps->problem[0] ? caps->problem : NULL);
}

static void json_hex_bytes(struct json *j, const struct pci_config *cfg, size_t len)
{
	char *hex = vt_xmalloc(len * 2 + 1);
	size_t i;

	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", cfg->data[i]);
	hex[2 * len] = '\0';
	json_string(j, "bytes", hex);
	free(hex);
}

static void json_diff(struct json *j, const struct pci_cap_list *caps, const struct pci_config *vfio,
		      const struct pci_config *raw, const struct config_diff *diff)
{
	char where[128];
	size_t i;

	json_array_begin(j, "differences");
	for (i = 0; i < diff->n; i++) {
		json_object_begin(j, NULL);
		json_uint(j, "offset", diff->offset[i]);
		json_uint(j, "vfio", vfio->data[diff->offset[i]]);
		json_uint(j, "sysfs", raw->data[diff->offset[i]]);
		describe_offset(caps, diff->offset[i], where, sizeof(where));
		json_string(j, "where", where);
		json_object_end(j);
	}
	json_array_end(j);
}

static void print_json(const struct vfio_dev *d, const struct pci_config *cfg, const struct pci_cap_list *caps,
		       const struct pci_config *raw, const struct config_diff *diff)
{
	struct json j;

	dump_json_begin(&j, d);
	json_uint(&j, "size", cfg->len);
	json_hex_bytes(&j, cfg, hex_length(cfg));
	json_caps(&j, caps);
	if (diff)
		json_diff(&j, caps, cfg, raw, diff);
	dump_json_end(&j);
}

static void print_text(const struct vfio_dev *d, const struct pci_config *cfg, const struct pci_cap_list *caps,
		       const struct pci_config *raw, const struct config_diff *diff)
{
	if (!opt_hex || opt_verbose) {
		printf("%s: config space through VFIO, %zu bytes\n", d->address, cfg->len);
		print_caps(caps);
	}
	if (opt_hex)
		print_hex(cfg, hex_length(cfg));
	if (diff)
		print_diff(caps, cfg, raw, diff);
}

static bool show_config(const struct vfio_dev *d)
{
	static struct pci_config cfg, raw;
	static struct config_diff diff;
	struct pci_cap_list caps = { 0 };

	if (!vfio_dev_read_config(d, &cfg) || (opt_diff && !diff_sysfs(d, &cfg, &raw, &diff)))
		return false;
	pci_cap_decode(&cfg, &caps);
	if (tool_common.json)
		print_json(d, &cfg, &caps, &raw, opt_diff ? &diff : NULL);
	else
		print_text(d, &cfg, &caps, &raw, opt_diff ? &diff : NULL);
	pci_cap_list_free(&caps);
	return true;
}

int cmd_config(int argc, const char **argv)
{
	return dump_device_command(argc, argv, options, on_option, show_config);
}
