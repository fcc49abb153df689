/*
 * One interrupt vector of a VFIO device delivered to an eventfd, for benchmarks and
 * tests: enable (VFIO_DEVICE_SET_IRQS with DATA_EVENTFD | ACTION_TRIGGER on vector 0 of
 * an index), trigger it from software (DATA_NONE | ACTION_TRIGGER: the loopback path),
 * wait for it three ways, unmask INTx (automasked after each interrupt) and disable.
 */
#ifndef VT_VFIO_IRQ_H
#define VT_VFIO_IRQ_H

#include <stddef.h>
#include <stdint.h>

enum vfio_irq_wait {
	VFIO_IRQ_WAIT_READ,		/* blocking read(2) of the eventfd */
	VFIO_IRQ_WAIT_EPOLL,		/* epoll_wait, then read */
	VFIO_IRQ_WAIT_BUSY,		/* non-blocking read in a loop (burns a CPU) */
};

/* "read", "epoll", "busy"; -1 for anything else. */
int vfio_irq_wait_parse(const char *text, enum vfio_irq_wait *out);	/* 0 ok, -1 unknown */
const char *vfio_irq_wait_name(enum vfio_irq_wait w);

struct vfio_irq {
	int device;			/* the VFIO device fd (not owned) */
	uint32_t index;			/* VFIO_PCI_INTX_IRQ_INDEX, _MSI_, _MSIX_ */
	int eventfd;			/* -1 when not enabled */
	int epoll;			/* -1 unless WAIT_EPOLL */
	enum vfio_irq_wait wait;
};

/* A vector that is not enabled (vfio_irq_disable on it does nothing); enable sets every field. */
#define VFIO_IRQ_INIT { .device = -1, .index = 0, .eventfd = -1, .epoll = -1, .wait = VFIO_IRQ_WAIT_READ }

/*
 * Checks with VFIO_DEVICE_GET_IRQ_INFO that the index exists with at least one vector
 * and EVENTFD, creates the eventfd (non-blocking for WAIT_BUSY) and enables vector 0.
 * Returns 0, or a negative errno with why (nothing left enabled or open).
 */
int vfio_irq_enable(struct vfio_irq *irq, int device, uint32_t index, enum vfio_irq_wait wait,
		    char *why, size_t whylen);

/* Raises vector 0 from software: VFIO signals the eventfd as if the device had. */
int vfio_irq_trigger(const struct vfio_irq *irq, char *why, size_t whylen);

/*
 * Waits up to timeout_ms (-1: forever; ignored by nothing: WAIT_BUSY polls until then)
 * for the eventfd and consumes it.  Returns the number of interrupts the eventfd had
 * counted (>= 1), 0 on timeout, or a negative errno with why (-EINTR when a signal
 * interrupts poll or epoll_wait; -EBADF when the vector is not enabled).
 */
long vfio_irq_wait(const struct vfio_irq *irq, int timeout_ms, char *why, size_t whylen);

/* INTx only: VFIO_DEVICE_SET_IRQS DATA_NONE | ACTION_UNMASK (after acknowledging the device). */
int vfio_irq_unmask(const struct vfio_irq *irq, char *why, size_t whylen);

/* Disables the index (ACTION_TRIGGER with count 0) and closes the eventfd; idempotent. */
void vfio_irq_disable(struct vfio_irq *irq);

#endif
