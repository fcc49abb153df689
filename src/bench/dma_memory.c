#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/mman.h>

#include "dma_memory.h"
#include "util/report.h"
#include "util/sysfs.h"

#ifndef MFD_HUGE_2MB	/* glibc's sys/mman.h has MFD_HUGETLB only; linux/memfd.h would clash with it */
#define MFD_HUGE_2MB HUGETLB_FLAG_ENCODE_2MB
#endif

static const struct {
	const char *name;
	uint64_t page;
	int mmap_flags;
	bool memfd;
	unsigned memfd_flags;
} backings[DMA_N_BACKINGS] = {
	[DMA_ANON] = { "anon", 4096, 0, false, 0 },
	[DMA_THP] = { "thp", 2ULL << 20, 0, false, 0 },
	[DMA_HUGETLB_2M] = { "hugetlb2m", 2ULL << 20, MAP_HUGETLB | MAP_HUGE_2MB, false, 0 },
	[DMA_HUGETLB_1G] = { "hugetlb1g", 1ULL << 30, MAP_HUGETLB | MAP_HUGE_1GB, false, 0 },
	[DMA_MEMFD] = { "memfd", 4096, 0, true, 0 },
	[DMA_MEMFD_HUGETLB_2M] = { "memfd-hugetlb2m", 2ULL << 20, 0, true, MFD_HUGETLB | MFD_HUGE_2MB },
};

const char *dma_backing_name(enum dma_backing b)
{
	return backings[b].name;
}

bool dma_backing_parse(const char *text, enum dma_backing *out)
{
	int b;

	for (b = 0; b < DMA_N_ANONYMOUS; b++)
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
	bool huge_2m;

	switch (b) {
	case DMA_THP:
		if (sysfs_path(path, sizeof(path), "kernel/mm/transparent_hugepage/enabled") &&
		    sysfs_read_line(path, line, sizeof(line)) && strstr(line, "[never]")) {
			snprintf(buf, len, "transparent huge pages are disabled (kernel/mm/transparent_hugepage/enabled: never)");
			return buf;
		}
		return NULL;
	case DMA_HUGETLB_2M:
	case DMA_MEMFD_HUGETLB_2M:
	case DMA_HUGETLB_1G:
		huge_2m = b != DMA_HUGETLB_1G;
		pages = read_u64(huge_2m ? "kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
					 : "kernel/mm/hugepages/hugepages-1048576kB/free_hugepages");
		need = (size + backings[b].page - 1) / backings[b].page;
		if (pages >= need)
			return NULL;
		snprintf(buf, len, "%llu free %s hugepages, %llu needed: reserve them (echo N > "
			 "/sys/kernel/mm/hugepages/hugepages-%s/nr_hugepages)", (unsigned long long)pages,
			 huge_2m ? "2 MiB" : "1 GiB", (unsigned long long)need, huge_2m ? "2048kB" : "1048576kB");
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

/*
 * A memfd of size bytes (rounded up to its page) mapped shared at an address aligned to
 * align: inside a larger PROT_NONE reservation when align exceeds the page.
 */
static bool memfd_alloc(enum dma_backing b, uint64_t size, uint64_t align, struct dma_buffer *buf,
			char *why, size_t whylen)
{
	uint64_t page = backings[b].page, file_len = (size + page - 1) / page * page;
	void *p;

	buf->fd = memfd_create("vfio-bench", MFD_CLOEXEC | backings[b].memfd_flags);
	if (buf->fd < 0) {
		vt_why_errno(errno, why, whylen, "memfd_create (%s)", backings[b].name);
		return false;
	}
	buf->has_fd = true;
	if (ftruncate(buf->fd, (off_t)file_len) < 0) {
		vt_why_errno(errno, why, whylen, "ftruncate of the memfd to %llu bytes (%s)",
			     (unsigned long long)file_len, backings[b].name);
		return false;
	}
	buf->len = align > page ? file_len + align : file_len;
	buf->base = mmap(NULL, buf->len, align > page ? PROT_NONE : PROT_READ | PROT_WRITE,
			 align > page ? MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE : MAP_SHARED,
			 align > page ? -1 : buf->fd, 0);
	if (buf->base == MAP_FAILED) {
		buf->base = NULL;
		vt_why_errno(errno, why, whylen, "mmap of %llu bytes (%s)", (unsigned long long)buf->len,
			     backings[b].name);
		return false;
	}
	buf->p = buf->base;
	if (align > page) {
		/* Replaces the aligned part of the reservation, which munmap of base..len frees. */
		p = (void *)(((uintptr_t)buf->base + align - 1) & ~(uintptr_t)(align - 1));
		p = mmap(p, file_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, buf->fd, 0);
		if (p == MAP_FAILED) {
			vt_why_errno(errno, why, whylen, "mmap of the memfd at an %llu-aligned address (%s)",
				     (unsigned long long)align, backings[b].name);
			return false;
		}
		buf->p = p;
	}
	return true;
}

bool dma_buffer_alloc(enum dma_backing b, uint64_t size, uint64_t align, struct dma_buffer *buf,
		      char *why, size_t whylen)
{
	bool huge = backings[b].mmap_flags != 0;
	uint64_t page = backings[b].page;

	memset(buf, 0, sizeof(*buf));
	if (align < page)
		align = page;
	if (backings[b].memfd) {
		if (!memfd_alloc(b, size, align, buf, why, whylen)) {
			dma_buffer_free(buf);
			return false;
		}
		touch(buf->p, size, 4096);
		return true;
	}
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
	if (buf->has_fd)
		close(buf->fd);
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
