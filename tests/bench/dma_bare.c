/*
 * The baseline for vfio-bench's harness overhead: the barest VFIO map/unmap loop (one
 * group, type1v2, one reused anonymous 4K-page buffer at IOVA 0, no per-operation
 * timing, no statistics).  Prints the wall time per map+unmap pair in ns.
 *   dma_bare GROUP SIZE ITERATIONS
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <linux/vfio.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	char path[64];
	uint64_t size, n, i, t0, t1;
	int container, group;
	uint8_t *buf;

	if (argc != 4)
		return fprintf(stderr, "usage: dma_bare GROUP SIZE ITERATIONS\n"), 2;
	size = strtoull(argv[2], NULL, 0);
	n = strtoull(argv[3], NULL, 0);
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0 || ioctl(group, VFIO_GROUP_GET_STATUS, &status) < 0 ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE) || ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0 ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
		return perror("dma_bare: VFIO setup"), 2;
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return perror("dma_bare: mmap"), 2;
	madvise(buf, size, MADV_NOHUGEPAGE);
	for (i = 0; i < size; i += 4096)
		buf[i] = 1;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.iova = unmap.iova = 0;
	map.size = unmap.size = size;
	for (i = 0; i < 100; i++)	/* warm-up, as vfio-bench does by default */
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map) < 0 || ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) < 0)
			return perror("dma_bare: map/unmap"), 2;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map) < 0 || ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) < 0)
			return perror("dma_bare: map/unmap"), 2;
	t1 = now_ns();
	printf("%llu\n", (unsigned long long)((t1 - t0) / n));
	return 0;
}
