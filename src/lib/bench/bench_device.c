/*
 * Device drivers for benchmarks and tests: one ops table per device, chosen by the
 * vendor:device read from the config region through VFIO.
 *
 * QEMU's edu (1234:11e8; shared/notes/vm-lab.md §11).  Its registers are
 * DEVICE_NATIVE_ENDIAN: little-endian on qemu-system-x86_64, big-endian on
 * qemu-system-ppc64 (shared/notes/power-tce.md §8, "edu on ppc64").  edu_open tells
 * which from the ID register (0x010000ed) and the accessors convert accordingly.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "bench/bench_device.h"
#include "util/report.h"
#include "vfio/vfio_info.h"

/* ---- edu ---- */

#define EDU_ID			0x00	/* 0x010000ed: version 1.0, 0xed */
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_DMA_START		0x1	/* stays set while the transfer runs */
#define EDU_DMA_TO_RAM		0x2	/* direction edu -> RAM (clear: RAM -> edu) */
#define EDU_DMA_IRQ		0x4	/* raise IRQ status 0x100 when done (not used here) */
#define EDU_BUFFER		0x40000	/* the device's 4 KiB DMA buffer, as a device address */
#define EDU_BUFFER_SIZE		4096	/* a transfer of the whole buffer aborts QEMU 7.2: stay below */
#define EDU_REGS_END		0x100	/* BAR0 must cover at least the registers */
#define EDU_POLL_NS		1000000	/* 1 ms between DMA status polls */

static uint32_t rd32(const struct bench_device *bd, unsigned off)
{
	uint32_t v = *(volatile const uint32_t *)(bd->bar0 + off);

	return bd->big_endian ? be32toh(v) : le32toh(v);
}

static void wr32(struct bench_device *bd, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(bd->bar0 + off) = bd->big_endian ? htobe32(v) : htole32(v);
}

/* One 8-byte access: the edu takes 4- or 8-byte accesses from 0x80 up. */
static void wr64(struct bench_device *bd, unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(bd->bar0 + off) = bd->big_endian ? htobe64(v) : htole64(v);
}

static int config_rw(struct bench_device *bd, bool is_write, unsigned off, void *buf, size_t len, char *why,
		     size_t whylen)
{
	ssize_t n = is_write ? pwrite(bd->device, buf, len, (off_t)(bd->config_offset + off))
			  : pread(bd->device, buf, len, (off_t)(bd->config_offset + off));

	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? vt_why_errno(errno, why, whylen, "config space 0x%02x: %s", off, is_write ? "pwrite" : "pread")
		     : vt_why(EIO, why, whylen, "config space 0x%02x: short %s (%zd of %zu bytes)", off,
			      is_write ? "pwrite" : "pread", n, len);
}

static int command_write(struct bench_device *bd, uint16_t cmd, char *why, size_t whylen)
{
	uint16_t le = htole16(cmd);

	return config_rw(bd, true, PCI_COMMAND, &le, sizeof(le), why, whylen);
}

static int edu_open(struct bench_device *bd, char *why, size_t whylen)
{
	struct vfio_region_desc bar;
	uint16_t cmd;
	uint32_t id;
	void *map;
	int r;

	r = vfio_region_info_get(bd->device, VFIO_PCI_BAR0_REGION_INDEX, &bar, why, whylen);
	if (r < 0)
		return r;
	vfio_region_desc_free(&bar);
	if (bar.err)
		return vt_why_errno(bar.err, why, whylen, "edu: BAR0: VFIO_DEVICE_GET_REGION_INFO");
	if (!(bar.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return vt_why(EOPNOTSUPP, why, whylen, "edu: BAR0 cannot be mmapped (no MMAP flag)");
	if (bar.size < EDU_REGS_END)
		return vt_why(ENODEV, why, whylen, "edu: BAR0 is 0x%llx bytes, too small for the registers",
			      (unsigned long long)bar.size);

	r = config_rw(bd, false, PCI_COMMAND, &cmd, sizeof(cmd), why, whylen);
	if (r < 0)
		return r;
	bd->saved_command = le16toh(cmd);
	/* Memory space for the BAR; bus master for DMA and for MSI (an MSI is a DMA write). */
	if ((bd->saved_command & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) != (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) {
		r = command_write(bd, bd->saved_command | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, why, whylen);
		if (r < 0)
			return r;
	}

	map = mmap(NULL, (size_t)bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, bd->device, (off_t)bar.offset);
	if (map == MAP_FAILED) {
		r = vt_why_errno(errno, why, whylen, "edu: mmap of BAR0 (0x%llx bytes at 0x%llx)",
				 (unsigned long long)bar.size, (unsigned long long)bar.offset);
		command_write(bd, bd->saved_command, NULL, 0);
		return r;
	}
	bd->bar0 = map;
	bd->bar0_size = (size_t)bar.size;

	bd->big_endian = false;
	id = rd32(bd, EDU_ID);
	if ((id & 0xff) != 0xed && (id >> 24) == 0xed)
		bd->big_endian = true;	/* the bytes 01 00 00 ed read as 0xed000001 */
	else if ((id & 0xff) != 0xed) {
		r = vt_why(ENODEV, why, whylen, "edu: ID register reads 0x%08x, not an edu", id);
		munmap(map, bd->bar0_size);
		bd->bar0 = NULL;
		bd->bar0_size = 0;
		command_write(bd, bd->saved_command, NULL, 0);
		return r;
	}
	return 0;
}

static int edu_trigger(struct bench_device *bd)
{
	if (!bd->bar0)
		return -EBADF;
	wr32(bd, EDU_IRQ_RAISE, 1);
	return 0;
}

static int edu_ack(struct bench_device *bd)
{
	uint32_t status;

	if (!bd->bar0)
		return -EBADF;
	status = rd32(bd, EDU_IRQ_STATUS);
	if (status)
		wr32(bd, EDU_IRQ_ACK, status);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Starts one transfer and polls the start bit until it clears or the deadline passes. */
static int edu_dma_step(struct bench_device *bd, uint64_t src, uint64_t dst, size_t len, uint32_t cmd,
			uint64_t deadline, int timeout_ms, const char *what, char *why, size_t whylen)
{
	static const struct timespec pause = { 0, EDU_POLL_NS };

	wr64(bd, EDU_DMA_SRC, src);
	wr64(bd, EDU_DMA_DST, dst);
	wr64(bd, EDU_DMA_COUNT, len);
	wr32(bd, EDU_DMA_CMD, cmd | EDU_DMA_START);
	while (rd32(bd, EDU_DMA_CMD) & EDU_DMA_START) {
		if (now_ns() >= deadline)
			return vt_why(ETIMEDOUT, why, whylen, "edu: DMA %s still running after %d ms", what, timeout_ms);
		nanosleep(&pause, NULL);
	}
	return 0;
}

static int edu_dma_copy(struct bench_device *bd, uint64_t src, uint64_t dst, size_t len, int timeout_ms,
			char *why, size_t whylen)
{
	const uint64_t limit = bd->dma_limit;
	uint64_t deadline;
	int r;

	/* Every refusal comes before the first register access: a bad edu DMA kills the VM. */
	if (len == 0 || len >= EDU_BUFFER_SIZE)
		return vt_why(EINVAL, why, whylen, "edu: DMA length %zu: must be 1 to %d bytes (the edu buffer is 4 KiB"
			      " and a transfer of all of it aborts QEMU)", len, EDU_BUFFER_SIZE - 1);
	if (src >= limit || len > limit - src)
		return vt_why(ERANGE, why, whylen, "edu: DMA source 0x%llx+%zu reaches the DMA limit 0x%llx"
			      " (the edu's dma_mask)", (unsigned long long)src, len, (unsigned long long)limit);
	if (dst >= limit || len > limit - dst)
		return vt_why(ERANGE, why, whylen, "edu: DMA destination 0x%llx+%zu reaches the DMA limit 0x%llx"
			      " (the edu's dma_mask)", (unsigned long long)dst, len, (unsigned long long)limit);
	if (!bd->bar0)
		return vt_why(EBADF, why, whylen, "edu: BAR0 is not mapped");
	if (rd32(bd, EDU_DMA_CMD) & EDU_DMA_START)
		return vt_why(EBUSY, why, whylen, "edu: a DMA is still running");

	deadline = timeout_ms < 0 ? UINT64_MAX : now_ns() + (uint64_t)timeout_ms * 1000000u;
	r = edu_dma_step(bd, src, EDU_BUFFER, len, 0, deadline, timeout_ms, "RAM -> edu", why, whylen);
	if (r == 0)
		r = edu_dma_step(bd, EDU_BUFFER, dst, len, EDU_DMA_TO_RAM, deadline, timeout_ms, "edu -> RAM", why,
				 whylen);
	return r;
}

static void edu_close(struct bench_device *bd)
{
	if (bd->bar0) {
		munmap((void *)bd->bar0, bd->bar0_size);
		bd->bar0 = NULL;
		bd->bar0_size = 0;
		command_write(bd, bd->saved_command, NULL, 0);
	}
}

static const struct bench_device_ops edu_ops = {
	.name = "edu",
	.vendor = 0x1234,
	.device = 0x11e8,
	.open = edu_open,
	.trigger = edu_trigger,
	.ack = edu_ack,
	.dma_copy = edu_dma_copy,
	.dma_limit = UINT64_C(1) << 28,
	.close = edu_close,
};

/* ---- the table ---- */

static const struct bench_device_ops *const drivers[] = { &edu_ops };

#define N_DRIVERS (sizeof(drivers) / sizeof(drivers[0]))

const struct bench_device_ops *bench_device_find(uint16_t vendor, uint16_t device)
{
	size_t i;

	for (i = 0; i < N_DRIVERS; i++)
		if (drivers[i]->vendor == vendor && drivers[i]->device == device)
			return drivers[i];
	return NULL;
}

char *bench_device_known(char *buf, size_t len)
{
	size_t i, used = 0;
	int n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < N_DRIVERS && used < len; i++) {
		n = snprintf(buf + used, len - used, "%s%s (%04x:%04x)", i ? ", " : "", drivers[i]->name,
			     drivers[i]->vendor, drivers[i]->device);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

int bench_device_open(struct bench_device *bd, int device, char *why, size_t whylen)
{
	struct vfio_region_desc cfg;
	uint16_t ids[2];
	char known[128];
	int r;

	*bd = (struct bench_device){ .device = device };
	r = vfio_region_info_get(device, VFIO_PCI_CONFIG_REGION_INDEX, &cfg, why, whylen);
	if (r < 0)
		return r;
	vfio_region_desc_free(&cfg);
	if (cfg.err)
		return vt_why_errno(cfg.err, why, whylen, "config region: VFIO_DEVICE_GET_REGION_INFO");
	if (cfg.size < PCI_STD_HEADER_SIZEOF)
		return vt_why(ENODEV, why, whylen, "config region is %llu bytes", (unsigned long long)cfg.size);
	bd->config_offset = cfg.offset;
	r = config_rw(bd, false, PCI_VENDOR_ID, ids, sizeof(ids), why, whylen);
	if (r < 0)
		return r;
	ids[0] = le16toh(ids[0]);
	ids[1] = le16toh(ids[1]);
	bd->ops = bench_device_find(ids[0], ids[1]);
	if (!bd->ops)
		return vt_why(ENODEV, why, whylen, "no driver for %04x:%04x (drivers exist for: %s)", ids[0], ids[1],
			      bench_device_known(known, sizeof(known)));
	bd->dma_limit = bd->ops->dma_limit;
	r = bd->ops->open(bd, why, whylen);
	if (r < 0)
		bd->ops = NULL;
	return r;
}

void bench_device_close(struct bench_device *bd)
{
	if (bd->ops && bd->ops->close)
		bd->ops->close(bd);
	bd->ops = NULL;
}
