/*
 * A PCI expansion ROM decoded: its chain of images (0x55AA header, PCI data structure
 * "PCIR"), each image's ids, class, code type (x86 BIOS, Open Firmware, HP PA-RISC, EFI
 * with its subsystem and machine type), length, last-image flag and the x86 checksum.
 * The bytes come from outside (a device, a file): every walk is bounded, and a malformed
 * chain stops it with one reason.
 */
#ifndef VT_PCI_ROM_H
#define VT_PCI_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* More images than any ROM has (GPUs carry 2 to 4): past it the chain is taken as corrupt. */
#define PCI_ROM_MAX_IMAGES 16
#define PCI_ROM_UNIT 512

enum pci_rom_code_type {
	PCI_ROM_CODE_X86 = 0,
	PCI_ROM_CODE_OPEN_FIRMWARE = 1,
	PCI_ROM_CODE_HPPA = 2,
	PCI_ROM_CODE_EFI = 3,
};

struct pci_rom_image {
	size_t offset;			/* from the start of the ROM */
	size_t length;			/* the PCIR's image length × 512 */
	bool truncated;			/* the image runs past the bytes given */
	unsigned header_units;		/* byte 2 of the header: x86 initialisation size, 512-byte units */
	unsigned pcir_offset;		/* from the start of the image */
	uint16_t vendor_id, device_id;
	uint32_t class24;		/* class << 16 | subclass << 8 | prog-if */
	unsigned pcir_revision;		/* 0: PCI 2.x layout, 3: PCI Firmware 3.0 */
	unsigned pcir_length;
	uint16_t code_revision;		/* the vendor's revision level of the code */
	uint8_t code_type;
	bool last;			/* bit 7 of the indicator */
	bool has_checksum;		/* x86 images: sum of the image's bytes (0 is valid) */
	uint8_t checksum;
	bool efi;			/* an EFI image with the 0x0EF1 signature */
	uint16_t efi_subsystem, efi_machine, efi_compression, efi_image_offset;
	char note[160];			/* what is odd but did not stop the walk; "" when nothing */
};

struct pci_rom {
	struct pci_rom_image image[PCI_ROM_MAX_IMAGES];
	size_t n;
	size_t total_length;		/* end of the last image, within the bytes given */
	/*
	 * When the walk stopped because the bytes given end too early, how many bytes it needed
	 * (a reader can fetch them and decode again); else 0.
	 */
	size_t need;
	char problem[192];		/* why the walk stopped before a last image; "" when it did not */
};

/* Decodes len bytes; true when the chain ended at an image with the last-image flag. */
bool pci_rom_decode(const uint8_t *data, size_t len, struct pci_rom *rom);

/* "x86 BIOS", "Open Firmware", "HP PA-RISC", "EFI", or NULL for other code types. */
const char *pci_rom_code_type_name(uint8_t code_type);
/* "x64", "AArch64", ... for EFI machine types (PE/COFF's), or NULL. */
const char *pci_rom_efi_machine_name(uint16_t machine);
/* "boot service driver", ... for EFI subsystems, or NULL. */
const char *pci_rom_efi_subsystem_name(uint16_t subsystem);
/* True when every byte is 0xff (a disabled or hidden ROM reads so); true for len 0. */
bool pci_rom_all_ff(const uint8_t *data, size_t len);

#endif
