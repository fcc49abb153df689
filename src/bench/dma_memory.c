#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/mman.h>

#include "dma_memory.h"
#include "util/report.h"
#include "util/sysfs.h"

static const struct {
	const char *name;
	uint64_t page;
	int mmap_flags;
} backings[DMA_N_BACKINGS] = {
	[DMA_ANON] = { "anon", 4096, 0 },
	[DMA_THP] = { "thp", 2ULL << 20, 0 },
	[DMA_HUGETLB_2M] = { "hugetlb2m", 2ULL << 20, MAP_HUGETLB | MAP_HUGE_2MB },
	[DMA_HUGETLB_1G] = { "hugetlb1g", 1ULL << 30, MAP_HUGETLB | MAP_HUGE_1GB },
};

const char *dma_backing_name(enum dma_backing b)
{
	return backings[b].name;
}

bool dma_backing_parse(const char *text, enum dma_backing *out)
{
	int b;

	for (b = 0; b < DMA_N_BACKINGS; b++)
		if (strcmp(text, backings[b].name) == 0) {
			*out = (enum dma_backing)b;
			return true;
		}
	return false;
}

uint64_t dma_backing_page(enum dma_backing b)
{
	return backings[b].page;
}

static uint64_t read_u64(const char *rel)
{
	char path[PATH_MAX], line[64];
	unsigned long long v;

	if (!sysfs_path(path, sizeof(path), "%s", rel) || !sysfs_read_line(path, line, sizeof(line)) ||
	    sscanf(line, "%llu", &v) != 1)
		return 0;
	return v;
}

const char *dma_backing_unavailable(enum dma_backing b, uint64_t size, char *buf, size_t len)
{
	char path[PATH_MAX], line[128];
	uint64_t pages, need;

	switch (b) {
	case DMA_THP:
		if (sysfs_path(path, sizeof(path), "kernel/mm/transparent_hugepage/enabled") &&
		    sysfs_read_line(path, line, sizeof(line)) && strstr(line, "[never]")) {
			snprintf(buf, len, "transparent huge pages are disabled (kernel/mm/transparent_hugepage/enabled: never)");
			return buf;
		}
		return NULL;
	case DMA_HUGETLB_2M:
	case DMA_HUGETLB_1G:
		pages = read_u64(b == DMA_HUGETLB_2M ? "kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
						     : "kernel/mm/hugepages/hugepages-1048576kB/free_hugepages");
		need = (size + backings[b].page - 1) / backings[b].page;
		if (pages >= need)
			return NULL;
		snprintf(buf, len, "%llu free %s hugepages, %llu needed: reserve them (echo N > "
			 "/sys/kernel/mm/hugepages/hugepages-%s/nr_hugepages)", (unsigned long long)pages,
			 b == DMA_HUGETLB_2M ? "2 MiB" : "1 GiB", (unsigned long long)need,
			 b == DMA_HUGETLB_2M ? "2048kB" : "1048576kB");
		return buf;
	default:
		return NULL;
	}
}

static void touch(void *p, uint64_t size, uint64_t page)
{
	volatile uint8_t *b = p;
	uint64_t off;

	for (off = 0; off < size; off += page)
		b[off] = 1;
}

bool dma_buffer_alloc(enum dma_backing b, uint64_t size, uint64_t align, struct dma_buffer *buf,
		      char *why, size_t whylen)
{
	bool huge = backings[b].mmap_flags != 0;
	uint64_t page = backings[b].page;

	memset(buf, 0, sizeof(*buf));
	if (align < page)
		align = page;
	buf->len = huge ? (size + page - 1) / page * page : size + align;
	buf->base = mmap(NULL, buf->len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | backings[b].mmap_flags, -1, 0);
	if (buf->base == MAP_FAILED) {
		buf->base = NULL;
		vt_why_errno(errno, why, whylen, "mmap of %llu bytes (%s)", (unsigned long long)buf->len,
			     backings[b].name);
		return false;
	}
	buf->p = huge ? buf->base : (void *)(((uintptr_t)buf->base + align - 1) & ~(uintptr_t)(align - 1));
	if (b == DMA_ANON)
		madvise(buf->p, size, MADV_NOHUGEPAGE);	/* 4K pages, whatever THP's default */
	else if (b == DMA_THP && madvise(buf->p, size, MADV_HUGEPAGE) < 0) {
		vt_why_errno(errno, why, whylen, "madvise(MADV_HUGEPAGE)");
		dma_buffer_free(buf);
		return false;
	}
	touch(buf->p, size, 4096);
	return true;
}

void dma_buffer_free(struct dma_buffer *buf)
{
	if (buf->base)
		munmap(buf->base, buf->len);
	memset(buf, 0, sizeof(*buf));
}

uint64_t dma_mem_available(void)
{
	char path[PATH_MAX], line[256];
	unsigned long long kb;
	uint64_t bytes = 0;
	FILE *f;

	if (!procfs_path(path, sizeof(path), "meminfo") || !(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			bytes = kb * 1024;
			break;
		}
	fclose(f);
	return bytes;
}
