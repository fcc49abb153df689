/*
 * libFuzzer: the vfio_pci alias matcher over any bytes. The input's first line is the
 * device's modalias, the rest a modules.alias file; the same bytes are read once more as
 * a modules.builtin.modinfo (NUL-separated records).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding/vfio_alias.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t mlen = nl ? (size_t)(nl - data) : size;
	struct vfio_alias_table t = { 0 };
	struct vfio_alias_match m;
	char *modalias = malloc(mlen + 1);
	size_t i;
	FILE *f;

	if (!modalias)
		return 0;
	memcpy(modalias, data, mlen);
	modalias[mlen] = '\0';
	for (int builtin = 0; builtin < 2; builtin++) {
		f = size > mlen ? fmemopen((void *)(data + mlen), size - mlen, "r") : NULL;
		if (f) {
			vfio_alias_table_read(&t, f, builtin);
			fclose(f);
		}
	}
	if (vfio_alias_best(&t, modalias, &m) &&
	    (!vfio_alias_glob(m.pattern, modalias) || m.wildcards != vfio_alias_wildcards(m.pattern)))
		abort();
	for (i = 0; i < t.n; i++)
		vfio_alias_glob(t.a[i].pattern, t.a[i].pattern);
	vfio_alias_glob(modalias, modalias);
	vfio_alias_table_has_variants(&t);
	vfio_alias_table_free(&t);
	free(modalias);
	return 0;
}
