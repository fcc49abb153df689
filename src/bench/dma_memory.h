/*
 * Buffers for dma-map: anonymous 4K pages, transparent huge pages, hugetlbfs 2M and 1G
 * (--memory's), and memfds mapped shared, with 4K pages (shmem) or 2M hugetlbfs pages
 * (--map-file's: the same pages by address and by file).
 */
#ifndef VFIO_BENCH_DMA_MEMORY_H
#define VFIO_BENCH_DMA_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dma_backing {
	DMA_ANON, DMA_THP, DMA_HUGETLB_2M, DMA_HUGETLB_1G,	/* anonymous: --memory's */
	DMA_MEMFD, DMA_MEMFD_HUGETLB_2M,			/* a memfd: --map-file's */
	DMA_N_BACKINGS
};
#define DMA_N_ANONYMOUS DMA_MEMFD

/* "anon", "thp", "hugetlb2m", "hugetlb1g", "memfd", "memfd-hugetlb2m". */
const char *dma_backing_name(enum dma_backing b);
/* The anonymous backings only (--memory's names). */
bool dma_backing_parse(const char *text, enum dma_backing *out);
/* The backing's page size: 4K, 2M, 2M, 1G, 4K, 2M (the default alignment). */
uint64_t dma_backing_page(enum dma_backing b);

/* Why this backing cannot be had for size bytes ("no 2 MiB hugepages free: ..."), or NULL. */
const char *dma_backing_unavailable(enum dma_backing b, uint64_t size, char *buf, size_t len);

struct dma_buffer {
	void *base;			/* what mmap returned */
	size_t len;			/* what was mapped */
	void *p;			/* the aligned buffer inside */
	int fd;				/* memfd backings: the file, mapped at p from offset 0 */
	bool has_fd;
};

/*
 * Allocates size bytes of backing b aligned to align (a power of two >= the backing's page;
 * hugetlb is aligned to its page only) and touches every page, so mapping it measures
 * pinning, not page faults.  A memfd is sized to size (rounded up to its page) and mapped
 * shared.  False with why.
 */
bool dma_buffer_alloc(enum dma_backing b, uint64_t size, uint64_t align, struct dma_buffer *buf,
		      char *why, size_t whylen);
void dma_buffer_free(struct dma_buffer *buf);

/* MemAvailable from procfs meminfo, in bytes (0 when unknown). */
uint64_t dma_mem_available(void);

#endif
