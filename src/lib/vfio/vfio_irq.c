/*
 * One interrupt vector of a VFIO device delivered to an eventfd (VFIO_DEVICE_SET_IRQS,
 * <linux/vfio.h>).  trigger, wait and unmask are on vfio-bench's hot path: they allocate
 * nothing and format nothing unless they fail.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "util/report.h"
#include "vfio/vfio_info.h"
#include "vfio/vfio_irq.h"

static const char *const wait_names[] = {
	[VFIO_IRQ_WAIT_READ] = "read",
	[VFIO_IRQ_WAIT_EPOLL] = "epoll",
	[VFIO_IRQ_WAIT_BUSY] = "busy",
};

#define N_WAITS (sizeof(wait_names) / sizeof(wait_names[0]))

int vfio_irq_wait_parse(const char *text, enum vfio_irq_wait *out)
{
	size_t i;

	for (i = 0; text && i < N_WAITS; i++) {
		if (strcmp(text, wait_names[i]) == 0) {
			*out = (enum vfio_irq_wait)i;
			return 0;
		}
	}
	return -1;
}

const char *vfio_irq_wait_name(enum vfio_irq_wait w)
{
	return (unsigned)w < N_WAITS ? wait_names[w] : "?";
}

/*
 * VFIO_DEVICE_SET_IRQS on vector 0 (count 0 or 1) of index, with no data or one eventfd.
 * Returns 0 or -errno (no message: the callers word it).
 */
static int set_irqs(int device, uint32_t index, uint32_t flags, uint32_t count, int fd)
{
	union {
		struct vfio_irq_set set;
		uint8_t bytes[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	} u;
	int32_t fd32 = fd;
	size_t argsz = sizeof(struct vfio_irq_set);

	memset(&u.set, 0, sizeof(u.set));
	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		memcpy(u.bytes + sizeof(struct vfio_irq_set), &fd32, sizeof(fd32));
		argsz += sizeof(fd32);
	}
	u.set.argsz = (uint32_t)argsz;
	u.set.flags = flags;
	u.set.index = index;
	u.set.start = 0;
	u.set.count = count;
	return ioctl(device, VFIO_DEVICE_SET_IRQS, &u.set) < 0 ? -errno : 0;
}

/* "MSI: what: strerror(err)" into why; returns -err.  Only on failures (it formats). */
static int irq_fail(const struct vfio_irq *irq, int err, char *why, size_t whylen, const char *what)
{
	char buf[16];

	return vt_why_errno(err, why, whylen, "%s: %s", vfio_pci_irq_name(irq->index, buf, sizeof(buf)), what);
}

static void close_fds(struct vfio_irq *irq)
{
	if (irq->epoll >= 0)
		close(irq->epoll);
	if (irq->eventfd >= 0)
		close(irq->eventfd);
	irq->epoll = irq->eventfd = -1;
}

int vfio_irq_enable(struct vfio_irq *irq, int device, uint32_t index, enum vfio_irq_wait wait,
		    char *why, size_t whylen)
{
	struct vfio_irq_desc desc;
	char buf[16];
	const char *name = vfio_pci_irq_name(index, buf, sizeof(buf));
	int r;

	*irq = (struct vfio_irq){ .device = device, .index = index, .eventfd = -1, .epoll = -1, .wait = wait };
	if ((unsigned)wait >= N_WAITS)
		return vt_why(EINVAL, why, whylen, "%s: unknown wait mode %d", name, (int)wait);
	r = vfio_irq_info_get(device, index, &desc, why, whylen);
	if (r < 0)
		return r;
	if (desc.err)
		return vt_why_errno(desc.err, why, whylen, "%s: VFIO_DEVICE_GET_IRQ_INFO", name);
	if (desc.count < 1)
		return vt_why(ENODEV, why, whylen, "%s: the device has no vector of this kind (count 0)", name);
	if (!(desc.flags & VFIO_IRQ_INFO_EVENTFD))
		return vt_why(EOPNOTSUPP, why, whylen, "%s: VFIO offers no eventfd signalling for it", name);

	irq->eventfd = eventfd(0, EFD_CLOEXEC | (wait == VFIO_IRQ_WAIT_BUSY ? EFD_NONBLOCK : 0));
	if (irq->eventfd < 0)
		return vt_why_errno(errno, why, whylen, "%s: eventfd", name);
	if (wait == VFIO_IRQ_WAIT_EPOLL) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = irq->eventfd };

		irq->epoll = epoll_create1(EPOLL_CLOEXEC);
		if (irq->epoll < 0 || epoll_ctl(irq->epoll, EPOLL_CTL_ADD, irq->eventfd, &ev) < 0) {
			r = vt_why_errno(errno, why, whylen, "%s: epoll", name);
			close_fds(irq);
			return r;
		}
	}
	r = set_irqs(device, index, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 1, irq->eventfd);
	if (r < 0) {
		close_fds(irq);
		if (r == -EINVAL)
			return vt_why_errno(-r, why, whylen,
					    "%s: VFIO_DEVICE_SET_IRQS (enable; is another interrupt index enabled?)",
					    name);
		return vt_why_errno(-r, why, whylen, "%s: VFIO_DEVICE_SET_IRQS (enable)", name);
	}
	return 0;
}

int vfio_irq_trigger(const struct vfio_irq *irq, char *why, size_t whylen)
{
	int r = set_irqs(irq->device, irq->index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 1, -1);

	return r < 0 ? irq_fail(irq, -r, why, whylen, "VFIO_DEVICE_SET_IRQS (trigger)") : 0;
}

int vfio_irq_unmask(const struct vfio_irq *irq, char *why, size_t whylen)
{
	int r = set_irqs(irq->device, irq->index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, 1, -1);

	return r < 0 ? irq_fail(irq, -r, why, whylen, "VFIO_DEVICE_SET_IRQS (unmask)") : 0;
}

/* Reads the eventfd's counter: >= 1, 0 when it had none (non-blocking), or -errno. */
static long consume(const struct vfio_irq *irq, char *why, size_t whylen)
{
	uint64_t n;
	ssize_t got = read(irq->eventfd, &n, sizeof(n));

	if (got == (ssize_t)sizeof(n))
		return n > LONG_MAX ? LONG_MAX : (long)n;
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (got < 0)
		return irq_fail(irq, errno, why, whylen, "read of the eventfd");
	return irq_fail(irq, EIO, why, whylen, "short read of the eventfd");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long wait_busy(const struct vfio_irq *irq, int timeout_ms, char *why, size_t whylen)
{
	uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : now_ns() + (uint64_t)timeout_ms * 1000000u;
	long n;

	for (;;) {
		n = consume(irq, why, whylen);
		if (n != 0)
			return n;
		if (now_ns() >= deadline)
			return 0;
	}
}

long vfio_irq_wait(const struct vfio_irq *irq, int timeout_ms, char *why, size_t whylen)
{
	int r;

	if (irq->eventfd < 0)
		return irq_fail(irq, EBADF, why, whylen, "wait on a vector that is not enabled");
	switch (irq->wait) {
	case VFIO_IRQ_WAIT_BUSY:
		return wait_busy(irq, timeout_ms, why, whylen);
	case VFIO_IRQ_WAIT_EPOLL: {
		struct epoll_event ev;

		r = epoll_wait(irq->epoll, &ev, 1, timeout_ms);
		if (r < 0)
			return irq_fail(irq, errno, why, whylen, "epoll_wait");
		break;
	}
	case VFIO_IRQ_WAIT_READ:
	default: {
		struct pollfd p = { .fd = irq->eventfd, .events = POLLIN };

		r = poll(&p, 1, timeout_ms);
		if (r < 0)
			return irq_fail(irq, errno, why, whylen, "poll");
		break;
	}
	}
	/* Readable, so the read cannot block (the eventfd is ours alone). */
	return r == 0 ? 0 : consume(irq, why, whylen);
}

void vfio_irq_disable(struct vfio_irq *irq)
{
	if (irq->eventfd >= 0)
		set_irqs(irq->device, irq->index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, -1);
	close_fds(irq);
}
