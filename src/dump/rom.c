/* vfio-dump rom: the expansion ROM through VFIO's ROM region, every image decoded; -o saves it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "tool/cli.h"
#include "dump.h"
#include "pci/pci_rom.h"
#include "util/report.h"
#include "util/units.h"

#define ROM_FILE_MAX (16u << 20)	/* the largest ROM BAR */

static char *opt_output, *opt_file;

static const struct poptOption options[] = {
	{ "output", 'o', POPT_ARG_STRING, &opt_output, 0, "Also write the raw ROM (its images) to FILE", "FILE" },
	{ "file", '\0', POPT_ARG_STRING, &opt_file, 0, "Decode a ROM file instead of a device's ROM", "FILE" },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, tool_common_options, 0, NULL, NULL },
	CLI_HELP_OPTION,
	POPT_TABLEEND
};

/* The ROM region, read on demand from its start: [0, have) is read. A file: d is NULL. */
struct rom_reader {
	const struct vfio_dev *d;
	const char *name;	/* the device's address or the file's name */
	uint64_t offset;	/* the region's offset in the device fd */
	size_t size;		/* the region's size (a power of two: the ROM BAR's) */
	uint8_t *buf;
	size_t have;
};

/*
 * Reads up to end (within the region) in 4-byte preads. No kernel refuses a wider pread:
 * vfio-pci splits it into accesses as wide as it allows (vfio_pci_core_do_io_rw). Since
 * vfio-pci learnt 8-byte accesses (6.11), an aligned span became 8-byte reads, which some
 * devices' ROMs (Intel's X710) answer with AER errors; the fix caps the ROM at 4 bytes
 * (vfio_pci_bar_rw's max_width, in the 6.12 stable and 7.2 sources), but the kernels in
 * between do not. Reading 4 bytes at a time gets dword accesses from every kernel.
 */
static bool fetch(struct rom_reader *r, size_t end)
{
	if (end > r->size)
		end = r->size;
	while (r->d && r->have < end) {
		errno = 0;
		if (pread(r->d->device, r->buf + r->have, 4, (off_t)(r->offset + r->have)) != 4) {
			vt_error(r->d->address, "cannot read the ROM region", "at 0x%zx: %s", r->have,
				 errno ? strerror(errno) : "short read");
			return false;
		}
		r->have += 4;
	}
	return true;
}

/*
 * Reads the images one after the other (the header, the PCIR, then the image), never the
 * rest of the BAR: the decoder says how far it needs to see.
 */
static bool read_rom(struct rom_reader *r, struct pci_rom *rom)
{
	if (!fetch(r, PCI_ROM_UNIT))
		return false;
	for (;;) {
		pci_rom_decode(r->buf, r->have, rom);
		if (!rom->need || rom->need <= r->have || r->have == r->size)
			return true;
		if (!fetch(r, rom->need))
			return false;
	}
}

static bool open_rom(const struct vfio_dev *d, struct rom_reader *r)
{
	struct vfio_region_desc reg;
	char why[256];

	if (vfio_region_info_get(d->device, VFIO_PCI_ROM_REGION_INDEX, &reg, why, sizeof(why)) < 0) {
		vt_error(d->address, "VFIO_DEVICE_GET_REGION_INFO failed", "ROM region: %s", why);
		return false;
	}
	vfio_region_desc_free(&reg);
	if (reg.err || reg.size == 0) {
		vt_error(d->address, "no option ROM",
			 "VFIO's ROM region is %s: the device has no expansion ROM BAR (or the firmware left it "
			 "unassigned), or vfio-pci found no 0xaa55 signature in it (the kernel logs \"Invalid PCI ROM "
			 "header signature\"); a VMM's rombar=0 hides a guest's ROM", reg.err ? strerror(reg.err) : "empty");
		return false;
	}
	if (!(reg.flags & VFIO_REGION_INFO_FLAG_READ)) {
		vt_error(d->address, "ROM region not readable", "VFIO does not allow reading it");
		return false;
	}
	r->d = d;
	r->name = d->address;
	r->offset = reg.offset;
	r->size = (size_t)reg.size;
	r->buf = vt_xmalloc(r->size);
	memset(r->buf, 0xff, r->size);
	r->have = 0;
	return true;
}

/* The ROM reads as no ROM: one line that says what it reads and where else to look. */
static void refuse_no_signature(const struct rom_reader *r)
{
	char hint[256];

	snprintf(hint, sizeof(hint), "the ROM BAR may be disabled or hidden (a VMM's rombar=0); on the host, the "
		 "sysfs rom file reads it too: echo 1 > /sys/bus/pci/devices/%s/rom", r->name);

	if (r->have < 2)
		vt_error(r->name, "not a ROM image", "%zu bytes", r->have);
	else if (pci_rom_all_ff(r->buf, r->have))
		vt_error(r->name, "ROM hidden or disabled", "its first %zu bytes read all 0xff%s%s", r->have,
			 r->d ? "; " : "", r->d ? hint : "");
	else
		vt_error(r->name, "no ROM signature", "offset 0 reads 0x%02x%02x, not 0x55aa%s%s",
			 r->buf[0], r->buf[1], r->d ? "; " : "", r->d ? hint : "");
}

static bool write_output(const struct rom_reader *r, size_t len)
{
	int fd = open(opt_output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t done = 0;
	ssize_t n;

	if (fd < 0) {
		vt_error(opt_output, "cannot write the ROM", "%s", strerror(errno));
		return false;
	}
	while (done < len && (n = write(fd, r->buf + done, len - done)) > 0)
		done += (size_t)n;
	if (done < len || close(fd) < 0) {
		vt_error(opt_output, "cannot write the ROM", "%s", errno ? strerror(errno) : "short write");
		if (done < len)
			close(fd);
		return false;
	}
	return true;
}

static void print_image_text(size_t i, const struct pci_rom_image *im)
{
	const char *type = pci_rom_code_type_name(im->code_type);
	const char *machine = pci_rom_efi_machine_name(im->efi_machine);
	const char *subsystem = pci_rom_efi_subsystem_name(im->efi_subsystem);

	printf("image %zu at 0x%zx: ", i, im->offset);
	if (type)
		printf("%s", type);
	else
		printf("code type 0x%02x", im->code_type);
	printf(", 0x%zx bytes (%zu x 512)%s%s\n", im->length, im->length / PCI_ROM_UNIT,
	       im->truncated ? ", truncated" : "", im->last ? ", last image" : "");
	printf("  ids       %04x:%04x, class %06x, code revision 0x%04x\n", im->vendor_id, im->device_id,
	       im->class24, im->code_revision);
	printf("  PCIR      at 0x%x, revision %u, length %u\n", im->pcir_offset, im->pcir_revision, im->pcir_length);
	if (im->has_checksum)
		printf("  checksum  %s (the bytes sum to 0x%02x)\n", im->checksum ? "BAD" : "valid", im->checksum);
	if (im->efi) {
		printf("  EFI       ");
		if (subsystem)
			printf("%s", subsystem);
		else
			printf("subsystem %u", im->efi_subsystem);
		if (machine)
			printf(", %s", machine);
		else
			printf(", machine type 0x%04x", im->efi_machine);
		printf(", %s, image at 0x%x\n", im->efi_compression ? "compressed" : "uncompressed", im->efi_image_offset);
	}
	if (im->note[0])
		printf("  note      %s\n", im->note);
}

static void print_text(const struct rom_reader *r, const struct pci_rom *rom)
{
	char size[32];
	size_t i;

	format_size(r->size, size, sizeof(size));
	if (r->d)
		printf("%s: expansion ROM through VFIO: region %s (0x%zx), ", r->name, size, r->size);
	else
		printf("%s: ROM image file: %s (0x%zx), ", r->name, size, r->size);
	printf("%zu image%s, 0x%zx bytes\n", rom->n, rom->n == 1 ? "" : "s", rom->total_length);
	for (i = 0; i < rom->n; i++)
		print_image_text(i, &rom->image[i]);
	if (rom->problem[0])
		printf("problem: %s\n", rom->problem);
	if (opt_output)
		printf("wrote 0x%zx bytes to %s\n", rom->total_length, opt_output);
}

/* An id or class as the hex string vfio-admin list --json writes ("10de", "030000"). */
static void json_id(struct json *j, const char *key, int digits, unsigned value)
{
	char hex[16];

	snprintf(hex, sizeof(hex), "%0*x", digits, value);
	json_string(j, key, hex);
}

static void json_checksum(struct json *j, const struct pci_rom_image *im)
{
	if (im->has_checksum) {
		json_object_begin(j, "checksum");
		json_uint(j, "sum", im->checksum);
		json_bool(j, "valid", im->checksum == 0);
		json_object_end(j);
	} else
		json_null(j, "checksum");
}

static void json_efi(struct json *j, const struct pci_rom_image *im)
{
	if (!im->efi)
		json_null(j, "efi");
	else {
		json_object_begin(j, "efi");
		json_uint(j, "subsystem", im->efi_subsystem);
		json_string(j, "subsystem_name", pci_rom_efi_subsystem_name(im->efi_subsystem));
		json_hex(j, "machine_type", im->efi_machine);
		json_string(j, "machine_name", pci_rom_efi_machine_name(im->efi_machine));
		json_bool(j, "compressed", im->efi_compression != 0);
		json_uint(j, "image_offset", im->efi_image_offset);
		json_object_end(j);
	}
}

static void json_image(struct json *j, size_t i, const struct pci_rom_image *im)
{
	json_object_begin(j, NULL);
	json_uint(j, "index", i);
	json_uint(j, "offset", im->offset);
	json_uint(j, "length", im->length);
	json_bool(j, "truncated", im->truncated);
	json_id(j, "vendor_id", 4, im->vendor_id);
	json_id(j, "device_id", 4, im->device_id);
	json_id(j, "class", 6, im->class24);
	json_uint(j, "code_type", im->code_type);
	json_string(j, "code_type_name", pci_rom_code_type_name(im->code_type));
	json_uint(j, "code_revision", im->code_revision);
	json_bool(j, "last", im->last);
	json_uint(j, "pcir_offset", im->pcir_offset);
	json_uint(j, "pcir_revision", im->pcir_revision);
	json_uint(j, "pcir_length", im->pcir_length);
	json_uint(j, "header_size", (unsigned long long)im->header_units * PCI_ROM_UNIT);
	json_checksum(j, im);
	json_efi(j, im);
	json_string(j, "note", im->note[0] ? im->note : NULL);
	json_object_end(j);
}

static void print_json(const struct rom_reader *r, const struct pci_rom *rom)
{
	struct json j;
	size_t i;

	if (r->d)
		dump_json_begin(&j, r->d);
	else {
		json_document_begin(&j, stdout);
		json_null(&j, "device");
		json_null(&j, "backend");
		json_null(&j, "group");
	}
	json_string(&j, "file", r->d ? NULL : r->name);
	json_uint(&j, "region_size", r->size);
	json_uint(&j, "read_length", r->have);
	json_uint(&j, "total_length", rom->total_length);
	json_bool(&j, "complete", !rom->problem[0]);
	json_array_begin(&j, "images");
	for (i = 0; i < rom->n; i++)
		json_image(&j, i, &rom->image[i]);
	json_array_end(&j);
	json_string(&j, "problem", rom->problem[0] ? rom->problem : NULL);
	json_string(&j, "output", opt_output);
	dump_json_end(&j);
}

/* Decodes what r holds (reading more from a device as the walk needs), prints it, writes -o. */
static bool show(struct rom_reader *r)
{
	struct pci_rom *rom = vt_xmalloc(sizeof(*rom));
	bool ok = false;

	if (!read_rom(r, rom))
		goto out;
	if (rom->n == 0) {
		if (r->have >= 2 && r->buf[0] == 0x55 && r->buf[1] == 0xaa)
			vt_error(r->name, "malformed ROM", "%s", rom->problem);
		else
			refuse_no_signature(r);
		goto out;
	}
	if (opt_output && !write_output(r, rom->total_length))
		goto out;
	if (tool_common.json)
		print_json(r, rom);
	else
		print_text(r, rom);
	ok = true;
out:
	free(rom);
	return ok;
}

static bool show_rom(const struct vfio_dev *d)
{
	struct rom_reader r = { 0 };
	bool ok = open_rom(d, &r) && show(&r);

	free(r.buf);
	return ok;
}

static bool load_file(struct rom_reader *r)
{
	FILE *f = fopen(opt_file, "rbe");
	size_t n;

	if (!f) {
		vt_error(opt_file, "cannot read the ROM file", "%s", strerror(errno));
		return false;
	}
	r->name = opt_file;
	r->buf = vt_xmalloc(ROM_FILE_MAX + 1);
	n = fread(r->buf, 1, ROM_FILE_MAX + 1, f);
	if (ferror(f))
		vt_error(opt_file, "cannot read the ROM file", "%s", strerror(errno));
	else if (n > ROM_FILE_MAX)
		vt_error(opt_file, "not a ROM image", "larger than 16 MiB, the largest ROM BAR");
	else {
		fclose(f);
		r->size = r->have = n;
		return true;
	}
	fclose(f);
	return false;
}

/* DEVICE or --file FILE: one of them; false after reporting. */
static bool one_source(const struct tool_args *args)
{
	if (opt_file && args->n)
		vt_error(args->arg[0], "unexpected argument", "--file decodes a file, not a device");
	else if (!opt_file && !args->n)
		vt_error(cli_command_path(), "missing argument", "usage: %s [OPTIONS] DEVICE | --file FILE",
			 cli_command_path());
	else
		return true;
	return false;
}

int cmd_rom(int argc, const char **argv)
{
	int rc = 2;
	struct tool_args args;
	struct rom_reader r = { 0 };
	struct vfio_dev d;

	if (!tool_parse(argc, argv, options, "[OPTIONS] DEVICE | --file FILE", 0, 1, NULL, &args))
		return 2;
	if (!one_source(&args)) {
		tool_args_free(&args);
		return 2;
	}
	if (opt_file)
		rc = load_file(&r) && show(&r) ? 0 : 2;
	else if (vfio_open_device(args.arg[0], tool_common.backend, &d)) {
		rc = show_rom(&d) ? 0 : 2;
		vfio_dev_close(&d);
	}
	free(r.buf);
	tool_args_free(&args);
	return rc;
}
