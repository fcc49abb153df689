#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pci/pci_rom.h"

/* The ROM header (PCI Firmware 3.0 and UEFI's PCI option ROM header) and the PCIR structure. */
#define ROM_HEADER_SIZE		0x1a	/* up to and including the PCIR pointer */
#define ROM_PCIR_POINTER	0x18
#define EFI_SIGNATURE		0x0ef1
#define PCIR_SIZE		0x18	/* the fields read here */
#define PCIR_INDICATOR_LAST	0x80

static uint16_t u16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void add_note(struct pci_rom_image *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_note(struct pci_rom_image *im, const char *fmt, ...)
{
	size_t used = strlen(im->note);
	va_list ap;

	if (used && used + 2 < sizeof(im->note))
		used += (size_t)snprintf(im->note + used, sizeof(im->note) - used, "; ");
	if (used >= sizeof(im->note))
		return;
	va_start(ap, fmt);
	vsnprintf(im->note + used, sizeof(im->note) - used, fmt, ap);
	va_end(ap);
}

static bool stop(struct pci_rom *rom, size_t need, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool stop(struct pci_rom *rom, size_t need, const char *fmt, ...)
{
	va_list ap;

	rom->need = need;
	va_start(ap, fmt);
	vsnprintf(rom->problem, sizeof(rom->problem), fmt, ap);
	va_end(ap);
	return false;
}

/* "PCIR" as it should read, else the four bytes printable ('.' for the others) and in hex. */
static void describe_signature(const uint8_t *p, char *buf, size_t len)
{
	char text[5];
	int i;

	for (i = 0; i < 4; i++)
		text[i] = isprint(p[i]) ? (char)p[i] : '.';
	text[4] = '\0';
	snprintf(buf, len, "\"%s\" (%02x %02x %02x %02x)", text, p[0], p[1], p[2], p[3]);
}

static void decode_efi(const uint8_t *img, struct pci_rom_image *im)
{
	if (u32_at(img + 4) != EFI_SIGNATURE) {
		add_note(im, "code type EFI without the EFI header's 0x0EF1 signature");
		return;
	}
	im->efi = true;
	im->efi_subsystem = u16_at(img + 0x08);
	im->efi_machine = u16_at(img + 0x0a);
	im->efi_compression = u16_at(img + 0x0c);
	im->efi_image_offset = u16_at(img + 0x16);
	if (im->efi_image_offset >= im->length && !im->truncated)
		add_note(im, "the EFI image offset 0x%x is past the image's end", im->efi_image_offset);
}

/* The PCIR fields of image n at off, whose header and PCIR are inside len. */
static void read_pcir(const uint8_t *data, size_t off, unsigned ptr, struct pci_rom_image *im)
{
	const uint8_t *pcir = data + off + ptr;

	memset(im, 0, sizeof(*im));
	im->offset = off;
	im->header_units = data[off + 2];
	im->pcir_offset = ptr;
	im->vendor_id = u16_at(pcir + 4);
	im->device_id = u16_at(pcir + 6);
	im->pcir_length = u16_at(pcir + 0x0a);
	im->pcir_revision = pcir[0x0c];
	im->class24 = (uint32_t)pcir[0x0f] << 16 | (uint32_t)pcir[0x0e] << 8 | pcir[0x0d];
	im->length = (size_t)u16_at(pcir + 0x10) * PCI_ROM_UNIT;
	im->code_revision = u16_at(pcir + 0x12);
	im->code_type = pcir[0x14];
	im->last = pcir[0x15] & PCIR_INDICATOR_LAST;
	if (ptr % 4)
		add_note(im, "PCIR pointer 0x%x is not 4-byte aligned, as the PCI Firmware spec wants", ptr);
	if (im->pcir_length < PCIR_SIZE)
		add_note(im, "PCIR length %u is shorter than the structure (24)", im->pcir_length);
}

static void finish_image(const uint8_t *data, size_t len, struct pci_rom_image *im)
{
	size_t i, end = im->truncated ? len : im->offset + im->length;
	unsigned sum = 0;

	if (im->code_type == PCI_ROM_CODE_X86 && !im->truncated && im->length) {
		for (i = im->offset; i < end; i++)
			sum += data[i];
		im->has_checksum = true;
		im->checksum = (uint8_t)sum;
	}
	if (im->code_type == PCI_ROM_CODE_EFI && im->offset + ROM_HEADER_SIZE <= len)
		decode_efi(data + im->offset, im);
}

bool pci_rom_decode(const uint8_t *data, size_t len, struct pci_rom *rom)
{
	size_t off = 0;
	unsigned ptr;
	char sig[40];

	memset(rom, 0, sizeof(*rom));
	for (;;) {
		struct pci_rom_image *im = &rom->image[rom->n];

		if (rom->n == PCI_ROM_MAX_IMAGES)
			return stop(rom, 0, "more than %d images without a last-image flag: the chain is corrupt",
				    PCI_ROM_MAX_IMAGES);
		if (len < ROM_HEADER_SIZE || off > len - ROM_HEADER_SIZE) {
			if (rom->n == 0)
				return stop(rom, ROM_HEADER_SIZE, "the ROM ends before the first image's header (%zu bytes)", len);
			return stop(rom, off + ROM_HEADER_SIZE, "image %zu has no last-image flag, but the ROM ends at 0x%zx",
				    rom->n - 1, len);
		}
		if (data[off] != 0x55 || data[off + 1] != 0xaa) {
			if (rom->n == 0)
				return stop(rom, 0, "no ROM signature at 0x0: reads 0x%02x%02x, not 0x55aa",
					    data[0], data[1]);
			return stop(rom, 0, "image %zu has no last-image flag, but no image follows at 0x%zx (reads 0x%02x%02x, not 0x55aa)",
				    rom->n - 1, off, data[off], data[off + 1]);
		}
		ptr = u16_at(data + off + ROM_PCIR_POINTER);
		if (ptr > len - off || len - off - ptr < PCIR_SIZE)
			return stop(rom, off + ptr + PCIR_SIZE, "image %zu at 0x%zx: its PCIR pointer 0x%x points past the ROM's end at 0x%zx",
				    rom->n, off, ptr, len);
		if (memcmp(data + off + ptr, "PCIR", 4) != 0) {
			describe_signature(data + off + ptr, sig, sizeof(sig));
			return stop(rom, 0, "image %zu at 0x%zx: no PCIR structure at its pointer 0x%x (reads %s)",
				    rom->n, off, ptr, sig);
		}
		read_pcir(data, off, ptr, im);
		rom->n++;
		if (im->length == 0) {
			finish_image(data, len, im);
			return stop(rom, 0, "image %zu at 0x%zx: its PCIR gives an image length of 0", rom->n - 1, off);
		}
		if (im->length > len - off) {
			im->truncated = true;
			finish_image(data, len, im);
			rom->total_length = len;
			return stop(rom, off + im->length, "image %zu at 0x%zx: its length 0x%zx runs past the ROM's end at 0x%zx",
				    rom->n - 1, off, im->length, len);
		}
		finish_image(data, len, im);
		off += im->length;
		rom->total_length = off;
		if (im->last)
			return true;
	}
}

enum rom_name_kind { NAME_CODE_TYPE, NAME_MACHINE, NAME_SUBSYSTEM };

/* Code types (PCI Firmware 3.0), EFI machine types (PE/COFF's) and EFI subsystems. */
static const struct rom_name {
	uint8_t kind;
	uint16_t number;
	const char *name;
} rom_names[] = {
	{ NAME_CODE_TYPE, PCI_ROM_CODE_X86, "x86 BIOS" }, { NAME_CODE_TYPE, PCI_ROM_CODE_OPEN_FIRMWARE, "Open Firmware" },
	{ NAME_CODE_TYPE, PCI_ROM_CODE_HPPA, "HP PA-RISC" }, { NAME_CODE_TYPE, PCI_ROM_CODE_EFI, "EFI" },
	{ NAME_MACHINE, 0x014c, "IA32" }, { NAME_MACHINE, 0x0200, "IA64" }, { NAME_MACHINE, 0x0ebc, "EBC" },
	{ NAME_MACHINE, 0x8664, "x64" }, { NAME_MACHINE, 0x01c2, "ARM" }, { NAME_MACHINE, 0xaa64, "AArch64" },
	{ NAME_MACHINE, 0x5032, "RISC-V32" }, { NAME_MACHINE, 0x5064, "RISC-V64" }, { NAME_MACHINE, 0x5128, "RISC-V128" },
	{ NAME_MACHINE, 0x6232, "LoongArch32" }, { NAME_MACHINE, 0x6264, "LoongArch64" },
	{ NAME_SUBSYSTEM, 10, "application" }, { NAME_SUBSYSTEM, 11, "boot service driver" },
	{ NAME_SUBSYSTEM, 12, "runtime driver" }, { NAME_SUBSYSTEM, 13, "EFI ROM" },
};

static const char *rom_name(enum rom_name_kind kind, unsigned number)
{
	const struct rom_name *n = rom_names, *end = rom_names + sizeof(rom_names) / sizeof(rom_names[0]);

	while (n < end && (n->kind != kind || n->number != number))
		n++;
	return n < end ? n->name : NULL;
}

const char *pci_rom_code_type_name(uint8_t code_type)
{
	return rom_name(NAME_CODE_TYPE, code_type);
}

const char *pci_rom_efi_machine_name(uint16_t machine)
{
	return rom_name(NAME_MACHINE, machine);
}

const char *pci_rom_efi_subsystem_name(uint16_t subsystem)
{
	return rom_name(NAME_SUBSYSTEM, subsystem);
}

bool pci_rom_all_ff(const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (data[i] != 0xff)
			return false;
	return true;
}
