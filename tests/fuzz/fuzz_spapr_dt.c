/*
 * libFuzzer target for the POWER device-tree DMA-window decoders (spapr_dt.h).  The first
 * byte picks the decoder (modulo 6), the rest is the property value:
 *   0  a one-cell property (#dma-address-cells, #size-cells)
 *   1  ibm,#dma-address-cells (4 bytes), ibm,#dma-size-cells (4 bytes), ibm,dma-window
 *   2  ibm,ddw-applicable            3  ibm,ddw-extensions
 *   4  ibm,supported-tce-sizes (powernv)
 *   5  a whole PHB: a flags byte, then six properties each as a length byte and that many
 *      bytes (address cells, size cells, dma-window, ddw-applicable, ddw-extensions,
 *      supported-tce-sizes; length 0xff = absent), then VFIO's view (start, size: 8 bytes
 *      each, big-endian; a byte of flags), compared with spapr_dma_info_agree.
 * Every property is copied into a buffer of its exact size so that ASan sees over-reads.
 */
#include <stdlib.h>
#include <string.h>

#include "iommu/spapr_dt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* why must be a NUL-terminated string inside its whylen bytes. */
static void check_why(const char *why, size_t whylen)
{
	if (whylen && strnlen(why, whylen) >= whylen)
		abort();
}

static uint8_t *dup_prop(const uint8_t *p, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		abort();
	if (len)
		memcpy(copy, p, len);
	return copy;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static bool decode_u32(const uint8_t *p, size_t len, uint32_t *out)
{
	uint8_t *copy = dup_prop(p, len);
	char why[64];
	bool ok = spapr_decode_u32(copy, len, out, why, 1 + len % sizeof(why));

	if (ok && (len != 4 || *out != ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
					(uint32_t)p[2] << 8 | p[3])))
		abort();
	if (!ok)
		check_why(why, 1 + len % sizeof(why));
	free(copy);
	return ok;
}

static bool decode_window(const uint8_t *p, size_t len, unsigned ac, unsigned sc,
			  struct spapr_window *w)
{
	uint8_t *copy = dup_prop(p, len);
	char why[128];
	bool ok = spapr_decode_dma_window(copy, len, ac, sc, w, why, sizeof(why));

	if (ok) {
		if (ac < 1 || ac > 4 || sc < 1 || sc > 4 || len != 4 * (1 + (size_t)ac + sc))
			abort();
		if (w->size == 0 || w->start + (w->size - 1) < w->start)
			abort();
	} else {
		check_why(why, sizeof(why));
	}
	free(copy);
	return ok;
}

static bool decode_applicable(const uint8_t *p, size_t len, uint32_t tokens[3])
{
	uint8_t *copy = dup_prop(p, len);
	char why[128];
	bool ok = spapr_decode_ddw_applicable(copy, len, tokens, why, sizeof(why));

	if (ok && (len < 12 || len % 4))
		abort();
	if (!ok)
		check_why(why, sizeof(why));
	free(copy);
	return ok;
}

static bool decode_extensions(const uint8_t *p, size_t len, uint32_t *reset, bool *q64)
{
	uint8_t *copy = dup_prop(p, len);
	char why[128];
	bool ok = spapr_decode_ddw_extensions(copy, len, reset, q64, why, sizeof(why));

	if (ok && (len < 4 || len % 4 || (len == 4 && (*reset || *q64))))
		abort();
	if (!ok)
		check_why(why, sizeof(why));
	free(copy);
	return ok;
}

static bool decode_tce_sizes(const uint8_t *p, size_t len, uint64_t *sizes)
{
	uint8_t *copy = dup_prop(p, len);
	char why[128];
	bool ok = spapr_decode_tce_sizes(copy, len, sizes, why, sizeof(why));

	if (ok && (len == 0 || len % 4 || *sizes == 0 || (*sizes & 0xfff)))
		abort();
	if (!ok)
		check_why(why, sizeof(why));
	free(copy);
	return ok;
}

/* Takes a length byte and that many bytes; false when absent (0xff) or cut short. */
static bool next_prop(const uint8_t **data, size_t *size, const uint8_t **p, size_t *len)
{
	if (*size < 1)
		return false;
	*len = (*data)[0];
	(*data)++;
	(*size)--;
	if (*len == 0xff)
		return false;
	if (*len > *size)
		*len = *size;
	*p = *data;
	*data += *len;
	*size -= *len;
	return true;
}

static void whole_phb(const uint8_t *data, size_t size)
{
	struct spapr_dma_info dt, vfio;
	const uint8_t *p;
	uint8_t tail[17] = { 0 };
	unsigned ac = 1, sc = 1;
	uint32_t v, tokens[3];
	char why[256];
	size_t len;
	bool ok;

	memset(&dt, 0, sizeof(dt));
	memset(&vfio, 0, sizeof(vfio));
	if (size < 1)
		return;
	dt.kind = data[0] & 1 ? SPAPR_PHB_POWERNV : SPAPR_PHB_PSERIES;
	data++;
	size--;
	if (next_prop(&data, &size, &p, &len) && decode_u32(p, len, &v))
		ac = v;
	if (next_prop(&data, &size, &p, &len) && decode_u32(p, len, &v))
		sc = v;
	if (next_prop(&data, &size, &p, &len))
		dt.has_win32 = decode_window(p, len, ac, sc, &dt.win32);
	if (next_prop(&data, &size, &p, &len) && decode_applicable(p, len, tokens)) {
		dt.ddw = true;
		dt.ddw_query = tokens[0];
		dt.ddw_create = tokens[1];
		dt.ddw_remove = tokens[2];
	}
	if (next_prop(&data, &size, &p, &len))
		decode_extensions(p, len, &dt.ddw_reset, &dt.ddw_query_64bit);
	if (next_prop(&data, &size, &p, &len))
		decode_tce_sizes(p, len, &dt.page_sizes);

	memcpy(tail, data, size < sizeof(tail) ? size : sizeof(tail));
	vfio.from_vfio = true;
	vfio.win32.start = be64(tail);
	vfio.win32.size = be64(tail + 8);
	vfio.has_win32 = tail[16] & 1;
	vfio.ddw = tail[16] & 2;

	if (!spapr_dma_info_agree(&dt, &dt, why, sizeof(why)))
		abort();
	ok = spapr_dma_info_agree(&dt, &vfio, why, 1 + tail[16] % 200);
	if (!ok) {
		check_why(why, 1 + tail[16] % 200);
		if (!(dt.has_win32 && vfio.has_win32 && (dt.win32.start != vfio.win32.start ||
							  dt.win32.size != vfio.win32.size)) &&
		    !(dt.kind == SPAPR_PHB_PSERIES && !dt.ddw && vfio.ddw))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spapr_window w;
	uint32_t v, tokens[3], ac = 1, sc = 1;
	uint64_t sizes;
	bool q64;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0:
		decode_u32(data + 1, size - 1, &v);
		break;
	case 1:
		if (size < 9)
			return 0;
		decode_u32(data + 1, 4, &ac);
		decode_u32(data + 5, 4, &sc);
		decode_window(data + 9, size - 9, ac, sc, &w);
		break;
	case 2:
		decode_applicable(data + 1, size - 1, tokens);
		break;
	case 3:
		decode_extensions(data + 1, size - 1, &v, &q64);
		break;
	case 4:
		decode_tce_sizes(data + 1, size - 1, &sizes);
		break;
	default:
		whole_phb(data + 1, size - 1);
		break;
	}
	return 0;
}
