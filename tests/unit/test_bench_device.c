/* Interrupt wait modes, the driver table, the edu's DMA refusals, and vfio_irq on a non-VFIO fd. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "bench/bench_device.h"
#include "tap.h"
#include "vfio/vfio_irq.h"

static void test_wait_modes(void)
{
	static const char *const names[] = { "read", "epoll", "busy" };
	enum vfio_irq_wait w;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		w = (enum vfio_irq_wait)99;
		tap_ok(vfio_irq_wait_parse(names[i], &w) == 0 && strcmp(vfio_irq_wait_name(w), names[i]) == 0,
		       "wait mode %s parses and names back", names[i]);
	}
	w = VFIO_IRQ_WAIT_EPOLL;
	tap_ok(vfio_irq_wait_parse("poll", &w) == -1 && w == VFIO_IRQ_WAIT_EPOLL, "wait mode poll is unknown");
	tap_ok(vfio_irq_wait_parse("", &w) == -1 && vfio_irq_wait_parse("READ", &w) == -1 &&
	       vfio_irq_wait_parse(NULL, &w) == -1, "wait modes: empty, upper case and NULL are unknown");
	tap_ok(strcmp(vfio_irq_wait_name((enum vfio_irq_wait)7), "?") == 0, "wait mode name out of range");
}

static void test_known(void)
{
	char buf[64], tiny[6];
	const struct bench_device_ops *edu = bench_device_find(0x1234, 0x11e8);

	tap_ok(strcmp(bench_device_known(buf, sizeof(buf)), "edu (1234:11e8)") == 0, "known drivers: %s", buf);
	tap_ok(strcmp(bench_device_known(tiny, sizeof(tiny)), "edu (") == 0, "known drivers truncated: %s", tiny);
	tap_ok(edu && strcmp(edu->name, "edu") == 0 && edu->dma_limit == (UINT64_C(1) << 28) && edu->open &&
	       edu->trigger && edu->ack && edu->dma_copy && edu->close, "edu driver found, ops complete");
	tap_ok(!bench_device_find(0x1234, 0x1111) && !bench_device_find(0x8086, 0x11e8), "no driver for other ids");
}

/* A fake BAR0 in memory: the edu's registers up to 0x100, little-endian like the device. */
static uint8_t fake[0x100] __attribute__((aligned(8)));

static uint64_t fake_rd(unsigned off, size_t size)
{
	uint64_t v = 0;

	memcpy(&v, fake + off, size);
	return le64toh(v);	/* size bytes of a little-endian value, zero-extended */
}

static void fake_wr(unsigned off, size_t size, uint64_t v)
{
	v = htole64(v);
	memcpy(fake + off, &v, size);
}

static bool fake_zero(void)
{
	size_t i;

	for (i = 0; i < sizeof(fake); i++)
		if (fake[i])
			return false;
	return true;
}

/* The edu's refusals, through its ops on the fake BAR0, which must stay untouched. */
static void test_edu_refusals(void)
{
	static const struct {
		uint64_t src, dst;
		size_t len;
		int err;
		const char *what;
	} cases[] = {
		{ 0x100000, 0x200000, 0, EINVAL, "length 0" },
		{ 0x100000, 0x200000, 4096, EINVAL, "length 4096 (whole buffer)" },
		{ 0x100000, 0x200000, 1 << 20, EINVAL, "length 1 MiB" },
		{ 0x100000, 0x200000, SIZE_MAX, EINVAL, "length SIZE_MAX" },
		{ 1 << 28, 0x200000, 2048, ERANGE, "source at the DMA limit" },
		{ (1 << 28) - 2047, 0x200000, 2048, ERANGE, "source ending one byte past the limit" },
		{ UINT64_MAX - 10, 0x200000, 2048, ERANGE, "source wrapping around" },
		{ 0x100000, (1 << 28) - 1, 2, ERANGE, "destination crossing the limit" },
		{ 0x100000, UINT64_C(1) << 40, 2048, ERANGE, "destination far above the limit" },
		{ 0x100000, UINT64_MAX, 1, ERANGE, "destination at UINT64_MAX" },
	};
	struct bench_device bd = {
		.ops = bench_device_find(0x1234, 0x11e8),
		.device = -1,
		.bar0 = fake,
		.bar0_size = sizeof(fake),
		.dma_limit = UINT64_C(1) << 28,
	};
	char why[256];
	size_t i;
	int r;

	if (!bd.ops) {
		tap_ok(false, "edu refusals: no edu driver");
		return;
	}
	memset(fake, 0, sizeof(fake));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why[0] = '\0';
		r = bd.ops->dma_copy(&bd, cases[i].src, cases[i].dst, cases[i].len, 1000, why, sizeof(why));
		tap_ok(r == -cases[i].err && why[0] && fake_zero(), "edu DMA refused, BAR untouched: %s (%d: %s)",
		       cases[i].what, r, why);
	}
	r = bd.ops->dma_copy(&bd, 0x100000, 0x200000, 0, 1000, NULL, 0);
	tap_ok(r == -EINVAL && fake_zero(), "edu refusal without a why buffer (%d)", r);

	/* A DMA still running (start bit set): refused as busy, nothing written. */
	fake_wr(0x98, 4, 1);
	r = bd.ops->dma_copy(&bd, 0x100000, 0x200000, 2048, 1000, why, sizeof(why));
	fake_wr(0x98, 4, 0);
	tap_ok(r == -EBUSY && fake_zero(), "edu DMA refused while one runs: %s", why);

	/* The last bytes below the limit are fine: it starts RAM -> edu, and times out on the fake BAR. */
	r = bd.ops->dma_copy(&bd, (1 << 28) - 2048, (1 << 28) - 1, 1, 3, why, sizeof(why));
	tap_ok(r == -ETIMEDOUT && fake_rd(0x80, 8) == (1 << 28) - 2048 && fake_rd(0x88, 8) == 0x40000 &&
	       fake_rd(0x90, 8) == 1 && fake_rd(0x98, 4) == 1,
	       "edu DMA up to the limit starts (src, dst 0x40000, count 1, command 1): %s", why);
	memset(fake, 0, sizeof(fake));

	/* trigger writes 1 to 0x60; ack writes the IRQ status (0x24) back to 0x64. */
	tap_ok(bd.ops->trigger(&bd) == 0 && fake_rd(0x60, 4) == 1, "edu trigger writes 1 to 0x60");
	fake_wr(0x24, 4, 0x101);
	tap_ok(bd.ops->ack(&bd) == 0 && fake_rd(0x64, 4) == 0x101, "edu ack writes the IRQ status (0x101) to 0x64");
	/* qemu-system-ppc64's edu: the same registers in big-endian byte order. */
	memset(fake, 0, sizeof(fake));
	bd.big_endian = true;
	tap_ok(bd.ops->trigger(&bd) == 0 && fake_rd(0x60, 4) == 0x01000000, "big-endian edu: trigger writes 1 as bytes 00 00 00 01");
	fake_wr(0x24, 4, 0x01010000);
	tap_ok(bd.ops->ack(&bd) == 0 && fake_rd(0x64, 4) == 0x01010000, "big-endian edu: ack reads status 0x101 and writes it back");
	bd.big_endian = false;
	memset(fake, 0, sizeof(fake));
	bd.bar0 = NULL;
	tap_ok(bd.ops->trigger(&bd) < 0 && bd.ops->ack(&bd) < 0, "edu trigger/ack refuse an unmapped BAR0");
	r = bd.ops->dma_copy(&bd, 0x100000, 0x200000, 2048, 1000, why, sizeof(why));
	tap_ok(r == -EBADF, "edu DMA refuses an unmapped BAR0: %s", why);
}

static void test_irq_not_vfio(void)
{
	struct vfio_irq irq = VFIO_IRQ_INIT;
	struct vfio_irq bad;
	char why[256] = "";
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	int r;

	if (fd < 0) {
		tap_ok(false, "open /dev/null");
		return;
	}
	vfio_irq_disable(&irq);
	tap_ok(irq.eventfd == -1 && irq.epoll == -1, "disable of a never enabled vector does nothing");
	r = vfio_irq_enable(&irq, fd, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_WAIT_EPOLL, why, sizeof(why));
	tap_ok(r < 0 && why[0] && irq.eventfd == -1 && irq.epoll == -1 && irq.device == fd,
	       "enable on /dev/null fails cleanly (%d: %s)", r, why);
	r = vfio_irq_enable(&irq, fd, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_WAIT_BUSY, NULL, 0);
	tap_ok(r < 0 && irq.eventfd == -1 && irq.epoll == -1, "enable on /dev/null without a why buffer (%d)", r);
	r = vfio_irq_enable(&irq, fd, VFIO_PCI_INTX_IRQ_INDEX, (enum vfio_irq_wait)9, why, sizeof(why));
	tap_ok(r == -EINVAL && irq.eventfd == -1, "enable with an unknown wait mode: %s", why);
	why[0] = '\0';
	tap_ok(vfio_irq_wait(&irq, 0, why, sizeof(why)) == -EBADF && why[0], "wait on a disabled vector: %s", why);
	tap_ok(vfio_irq_trigger(&irq, why, sizeof(why)) < 0, "trigger on /dev/null fails: %s", why);
	tap_ok(vfio_irq_unmask(&irq, why, sizeof(why)) < 0, "unmask on /dev/null fails: %s", why);
	vfio_irq_disable(&irq);
	vfio_irq_disable(&irq);
	tap_ok(irq.eventfd == -1 && irq.epoll == -1, "disable is idempotent");

	bad = (struct vfio_irq)VFIO_IRQ_INIT;
	r = vfio_irq_enable(&bad, -1, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_WAIT_READ, why, sizeof(why));
	tap_ok(r == -EBADF && bad.eventfd == -1, "enable on fd -1: %s", why);
	close(fd);
}

void test_bench_device(void)
{
	test_wait_modes();
	test_known();
	test_edu_refusals();
	test_irq_not_vfio();
}
