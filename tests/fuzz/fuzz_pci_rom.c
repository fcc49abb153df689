/*
 * libFuzzer target: any bytes as an expansion ROM through the image walk. Checks what the
 * walk promises: bounded images in order inside the bytes, a reason whenever it stops early,
 * and a "need" a reader can act on only when the bytes ran out.
 */
#include <stdlib.h>
#include <string.h>

#include "pci/pci_rom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pci_rom rom;
	bool ok = pci_rom_decode(data, size, &rom);
	size_t i, end = 0;

	if (rom.n > PCI_ROM_MAX_IMAGES || ok == (rom.problem[0] != '\0') || rom.total_length > size ||
	    (ok && rom.need) || (rom.need && rom.need <= size) ||
	    strnlen(rom.problem, sizeof(rom.problem)) >= sizeof(rom.problem))
		abort();
	for (i = 0; i < rom.n; i++) {
		const struct pci_rom_image *im = &rom.image[i];

		if (im->offset != end || im->offset >= size || (!im->truncated && im->length > size - im->offset) ||
		    (im->truncated && i + 1 != rom.n) || (im->last && i + 1 != rom.n) ||
		    strnlen(im->note, sizeof(im->note)) >= sizeof(im->note))
			abort();
		end = im->offset + im->length;
		pci_rom_code_type_name(im->code_type);
		pci_rom_efi_machine_name(im->efi_machine);
		pci_rom_efi_subsystem_name(im->efi_subsystem);
	}
	if (ok && (!rom.n || !rom.image[rom.n - 1].last || rom.total_length != end))
		abort();
	pci_rom_all_ff(data, size);
	return 0;
}
