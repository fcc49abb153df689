/*
 * Device drivers for benchmarks and tests that need a device to act: raise an interrupt
 * on demand, acknowledge it, and prove a DMA mapping by having the device write into it.
 * A small ops table per device; the first is QEMU's edu (1234:11e8, shared/notes/vm-lab.md
 * §11: BAR0 registers, IRQ raise 0x60 / ack 0x64, DMA through 0x80..0x98 with its
 * 4 KiB buffer at device address 0x40000, 28-bit DMA mask by default).
 */
#ifndef VT_BENCH_DEVICE_H
#define VT_BENCH_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_device;

struct bench_device_ops {
	const char *name;			/* "edu" */
	uint16_t vendor, device;
	/* Maps what it needs (BAR0) and turns bus mastering on (needed for DMA and MSI). */
	int (*open)(struct bench_device *bd, char *why, size_t whylen);
	/* Makes the device raise its interrupt (MSI when enabled, else INTx). */
	int (*trigger)(struct bench_device *bd);
	/* Clears the interrupt condition in the device (before an INTx unmask). */
	int (*ack)(struct bench_device *bd);
	/*
	 * Has the device DMA `len` bytes (< 4096) from IOVA src into its own buffer and then
	 * back out to IOVA dst; waits for completion (timeout_ms).  The caller maps both.
	 */
	int (*dma_copy)(struct bench_device *bd, uint64_t src, uint64_t dst, size_t len, int timeout_ms,
			char *why, size_t whylen);
	uint64_t dma_limit;			/* highest usable IOVA + 1 (edu: 1 << 28 by default) */
	void (*close)(struct bench_device *bd);
};

struct bench_device {
	const struct bench_device_ops *ops;
	int device;			/* VFIO device fd (not owned) */
	uint64_t config_offset;		/* of the VFIO config region */
	volatile uint8_t *bar0;		/* mmap of BAR0, or NULL */
	size_t bar0_size;
	uint64_t dma_limit;		/* the ops' default; a caller that knows the device's DMA mask may set it */
	bool big_endian;		/* registers in big-endian order (edu on qemu-system-ppc64) */
	uint16_t saved_command;		/* restored on close */
};

/*
 * The driver for a device with these ids (from its config space through VFIO), opened:
 * 0, -ENODEV when no driver knows it (why says which ones exist), or another negative
 * errno with why.
 */
int bench_device_open(struct bench_device *bd, int device, char *why, size_t whylen);
void bench_device_close(struct bench_device *bd);
/* The driver for vendor:device, or NULL. */
const struct bench_device_ops *bench_device_find(uint16_t vendor, uint16_t device);
/* "edu (1234:11e8)": the devices a driver exists for, comma-separated, into buf. */
char *bench_device_known(char *buf, size_t len);

#endif
