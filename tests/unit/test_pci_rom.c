#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_rom.h"
#include "tap.h"

static uint8_t rom_buf[64 * 1024];

static void w16(size_t off, uint16_t v)
{
	rom_buf[off] = v & 0xff;
	rom_buf[off + 1] = v >> 8;
}

static void w32(size_t off, uint32_t v)
{
	w16(off, v & 0xffff);
	w16(off + 2, v >> 16);
}

/* Makes the image's bytes sum to 0 mod 256 through its last byte. */
static void fix_checksum(size_t off, size_t units)
{
	size_t i, end = off + units * PCI_ROM_UNIT;
	unsigned sum = 0;

	rom_buf[end - 1] = 0;
	for (i = off; i < end; i++)
		sum += rom_buf[i];
	rom_buf[end - 1] = (uint8_t)(0x100 - sum % 256);
}

/* An image at off: header, PCIR at ptr, units × 512 bytes, code type, last flag. */
static void image(size_t off, unsigned ptr, unsigned units, uint8_t code, bool last)
{
	size_t p = off + ptr;

	memset(rom_buf + off, 0, units ? units * PCI_ROM_UNIT : PCI_ROM_UNIT);
	rom_buf[off] = 0x55;
	rom_buf[off + 1] = 0xaa;
	rom_buf[off + 2] = (uint8_t)units;
	w16(off + 0x18, (uint16_t)ptr);
	memcpy(rom_buf + p, "PCIR", 4);
	w16(p + 4, 0x1234);
	w16(p + 6, 0x1111);
	w16(p + 0x0a, 0x18);
	rom_buf[p + 0x0c] = 3;
	rom_buf[p + 0x0d] = 0x00;	/* prog-if, subclass, class: VGA */
	rom_buf[p + 0x0e] = 0x00;
	rom_buf[p + 0x0f] = 0x03;
	w16(p + 0x10, (uint16_t)units);
	w16(p + 0x12, 0x0102);
	rom_buf[p + 0x14] = code;
	rom_buf[p + 0x15] = last ? 0x80 : 0;
}

static void efi_header(size_t off, uint16_t subsystem, uint16_t machine)
{
	w32(off + 4, 0x0ef1);
	w16(off + 8, subsystem);
	w16(off + 0x0a, machine);
	w16(off + 0x0c, 1);
	w16(off + 0x16, 0x40);
}

static void test_good_chain(void)
{
	struct pci_rom rom;
	bool ok;

	memset(rom_buf, 0xff, sizeof(rom_buf));
	image(0, 0x1c, 2, PCI_ROM_CODE_X86, false);
	fix_checksum(0, 2);
	image(0x400, 0x1c, 3, PCI_ROM_CODE_EFI, false);
	efi_header(0x400, 11, 0x8664);
	image(0xa00, 0x20, 1, PCI_ROM_CODE_EFI, true);
	efi_header(0xa00, 11, 0xaa64);
	ok = pci_rom_decode(rom_buf, sizeof(rom_buf), &rom);
	tap_ok(ok && rom.n == 3 && !rom.problem[0] && rom.total_length == 0xc00 && rom.need == 0,
	       "pci_rom: x86 + two EFI images decode, total 0xc00 (n=%zu, total 0x%zx: %s)", rom.n,
	       rom.total_length, rom.problem);
	tap_ok(rom.image[0].vendor_id == 0x1234 && rom.image[0].device_id == 0x1111 &&
	       rom.image[0].class24 == 0x030000 && rom.image[0].length == 1024 && rom.image[0].pcir_offset == 0x1c &&
	       rom.image[0].code_revision == 0x0102 && rom.image[0].pcir_revision == 3 && !rom.image[0].last &&
	       rom.image[0].header_units == 2,
	       "pci_rom: image 0's ids, class, length, PCIR offset and revision");
	tap_ok(rom.image[0].has_checksum && rom.image[0].checksum == 0 && !rom.image[1].has_checksum,
	       "pci_rom: the x86 image's checksum is valid; EFI images have none");
	tap_ok(rom.image[1].efi && rom.image[1].efi_subsystem == 11 && rom.image[1].efi_machine == 0x8664 &&
	       rom.image[1].efi_compression == 1 && rom.image[1].efi_image_offset == 0x40 &&
	       rom.image[2].efi_machine == 0xaa64 && rom.image[2].last && rom.image[2].offset == 0xa00,
	       "pci_rom: EFI subsystem, machine types x64 and AArch64, compression, last flag");
	tap_ok(strcmp(pci_rom_efi_machine_name(0x8664), "x64") == 0 &&
	       strcmp(pci_rom_efi_machine_name(0xaa64), "AArch64") == 0 &&
	       strcmp(pci_rom_efi_machine_name(0x5064), "RISC-V64") == 0 &&
	       strcmp(pci_rom_efi_machine_name(0x6264), "LoongArch64") == 0 &&
	       strcmp(pci_rom_efi_machine_name(0x0ebc), "EBC") == 0 && !pci_rom_efi_machine_name(0x1234) &&
	       strcmp(pci_rom_efi_subsystem_name(11), "boot service driver") == 0 &&
	       strcmp(pci_rom_code_type_name(0), "x86 BIOS") == 0 &&
	       strcmp(pci_rom_code_type_name(1), "Open Firmware") == 0 &&
	       strcmp(pci_rom_code_type_name(2), "HP PA-RISC") == 0 && !pci_rom_code_type_name(0x70),
	       "pci_rom: code type, EFI machine and subsystem names");

	rom_buf[0x10] ^= 1;
	pci_rom_decode(rom_buf, sizeof(rom_buf), &rom);
	tap_ok(rom.image[0].has_checksum && rom.image[0].checksum == 0x01, "pci_rom: a changed byte breaks the checksum");
}

/* decode and compare the problem with want (a prefix), and need. */
static void expect_problem(size_t len, const char *want, size_t need, const char *what)
{
	struct pci_rom rom;
	bool ok = pci_rom_decode(rom_buf, len, &rom);

	tap_ok(!ok && strncmp(rom.problem, want, strlen(want)) == 0 && rom.need == need,
	       "pci_rom: %s: \"%s\" (need 0x%zx)", what, rom.problem, rom.need);
}

static void test_malformed(void)
{
	struct pci_rom rom;

	memset(rom_buf, 0xff, sizeof(rom_buf));
	expect_problem(sizeof(rom_buf), "no ROM signature at 0x0: reads 0xffff, not 0x55aa", 0, "all 0xff");
	tap_ok(pci_rom_all_ff(rom_buf, sizeof(rom_buf)) && pci_rom_all_ff(rom_buf, 0), "pci_rom: all 0xff seen");
	expect_problem(8, "the ROM ends before the first image's header (8 bytes)", 0x1a, "8 bytes");

	image(0, 0x1c, 1, PCI_ROM_CODE_X86, false);
	expect_problem(sizeof(rom_buf), "image 0 has no last-image flag, but no image follows at 0x200 (reads 0xffff",
		       0, "no last flag, nothing after");
	expect_problem(0x200, "image 0 has no last-image flag, but the ROM ends at 0x200", 0x21a,
		       "no last flag at the ROM's end");
	expect_problem(0x100, "image 0 at 0x0: its length 0x200 runs past the ROM's end at 0x100", 0x200,
		       "an image longer than the ROM");
	pci_rom_decode(rom_buf, 0x100, &rom);
	tap_ok(rom.n == 1 && rom.image[0].truncated && !rom.image[0].has_checksum && rom.total_length == 0x100,
	       "pci_rom: a truncated image is listed, without a checksum");
	expect_problem(0x30, "image 0 at 0x0: its PCIR pointer 0x1c points past the ROM's end at 0x30", 0x34,
		       "a PCIR past the end");

	w16(0x18, 0x80);
	expect_problem(sizeof(rom_buf), "image 0 at 0x0: no PCIR structure at its pointer 0x80 (reads \"....\" (00 00 00 00))",
		       0, "no PCIR");
	w16(0x18, 0xfffe);
	expect_problem(0x200, "image 0 at 0x0: its PCIR pointer 0xfffe points past", 0x10016, "a pointer past a short ROM");

	image(0, 0x1c, 0, PCI_ROM_CODE_X86, false);
	expect_problem(sizeof(rom_buf), "image 0 at 0x0: its PCIR gives an image length of 0", 0, "zero length");

	/* Every image 512 bytes, none the last: the walk stops at the bound. */
	for (size_t i = 0; i < 40; i++)
		image(i * 512, 0x1c, 1, PCI_ROM_CODE_OPEN_FIRMWARE, false);
	expect_problem(sizeof(rom_buf), "more than 16 images without a last-image flag", 0, "a chain without end");

	image(0, 0x1d, 1, PCI_ROM_CODE_HPPA, true);
	w16(0x1d + 0x0a, 0x10);
	tap_ok(pci_rom_decode(rom_buf, sizeof(rom_buf), &rom) && rom.n == 1 &&
	       strcmp(rom.image[0].note, "PCIR pointer 0x1d is not 4-byte aligned, as the PCI Firmware spec wants; "
					 "PCIR length 16 is shorter than the structure (24)") == 0,
	       "pci_rom: a misaligned PCIR and a short PCIR length are notes: %s", rom.image[0].note);

	image(0, 0x1c, 1, PCI_ROM_CODE_EFI, true);
	tap_ok(pci_rom_decode(rom_buf, sizeof(rom_buf), &rom) && !rom.image[0].efi &&
	       strcmp(rom.image[0].note, "code type EFI without the EFI header's 0x0EF1 signature") == 0,
	       "pci_rom: EFI code type without the EFI signature: a note");
}

/* SeaBIOS's VGA BIOS, when the host has it: the ROM QEMU's VGA device carries. */
static void test_seabios(void)
{
	const char *path = "/usr/share/seabios/vgabios-stdvga.bin";
	FILE *f = fopen(path, "rb");
	struct pci_rom rom;
	size_t n;

	if (!f) {
		tap_ok(true, "pci_rom: # SKIP %s absent", path);
		return;
	}
	n = fread(rom_buf, 1, sizeof(rom_buf), f);
	fclose(f);
	tap_ok(pci_rom_decode(rom_buf, n, &rom) && rom.n == 1 && rom.image[0].vendor_id == 0x1234 &&
	       rom.image[0].device_id == 0x1111 && rom.image[0].class24 == 0x030000 &&
	       rom.image[0].code_type == PCI_ROM_CODE_X86 && rom.image[0].last && rom.image[0].has_checksum &&
	       rom.image[0].checksum == 0 && rom.total_length == n,
	       "pci_rom: %s: one x86 image, 1234:1111, class 030000, checksum valid, %zu bytes", path, n);
}

void test_pci_rom(void)
{
	test_good_chain();
	test_malformed();
	test_seabios();
}
