#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "iommu/kernel_quirks.h"
#include "util/report.h"
#include "vfio/vfio_features.h"

/* Newer than the 6.1 uAPI: numbers of Linux 7.2's include/uapi/linux/vfio.h. */
#ifndef VFIO_MIGRATION_PRE_COPY
#define VFIO_MIGRATION_PRE_COPY (1 << 2)		/* 6.2 */
#endif
#ifndef VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
#define VFIO_DEVICE_FEATURE_MIG_DATA_SIZE 9		/* 6.2 */
#endif
#ifndef VFIO_DEVICE_FEATURE_BUS_MASTER
#define VFIO_DEVICE_FEATURE_BUS_MASTER 10		/* 6.7 */
#endif
#ifndef VFIO_DEVICE_FEATURE_DMA_BUF
#define VFIO_DEVICE_FEATURE_DMA_BUF 11			/* 6.19 */
#endif
#ifndef VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2
#define VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 12	/* 7.1 */
#endif

_Static_assert(sizeof(struct vfio_device_feature) == 8, "struct vfio_device_feature");
_Static_assert(sizeof(struct vfio_device_feature_migration) == 8, "struct vfio_device_feature_migration");
_Static_assert(sizeof(struct vfio_device_feature_mig_state) == 8, "struct vfio_device_feature_mig_state");

#define MIGRATION_VARIANT "a variant driver provides it; vfio-pci does not"
#define LOW_POWER_DRIVERS "vfio-pci and its variants offer it"
#define DIRTY_TRACKING "variant drivers that log DMA in the device offer it, such as mlx5 and pds; vfio-pci does not"

const struct vfio_feature_def vfio_feature_table[] = {
	{ VFIO_DEVICE_FEATURE_PCI_VF_TOKEN, "PCI_VF_TOKEN", "5.7",
	  "set the VF token shared by an SR-IOV PF's user and its VFs' users",
	  "vfio-pci offers it on an SR-IOV PF" },
	{ VFIO_DEVICE_FEATURE_MIGRATION, "MIGRATION", "5.18",
	  "live migration (protocol v2) and its optional states", MIGRATION_VARIANT },
	{ VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, "MIG_DEVICE_STATE", "5.18",
	  "read or change the device's migration state", MIGRATION_VARIANT },
	{ VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, "LOW_POWER_ENTRY", "6.0",
	  "let the device go to a low-power state while idle (runtime PM)", LOW_POWER_DRIVERS },
	{ VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP, "LOW_POWER_ENTRY_WITH_WAKEUP", "6.0",
	  "the same, with an eventfd signalled when it wakes", LOW_POWER_DRIVERS },
	{ VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, "LOW_POWER_EXIT", "6.0",
	  "keep the device out of low-power states again", LOW_POWER_DRIVERS },
	{ VFIO_DEVICE_FEATURE_DMA_LOGGING_START, "DMA_LOGGING_START", "6.1",
	  "start logging the pages the device writes by DMA (dirty tracking)", DIRTY_TRACKING },
	{ VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP, "DMA_LOGGING_STOP", "6.1",
	  "stop that logging", DIRTY_TRACKING },
	{ VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT, "DMA_LOGGING_REPORT", "6.1",
	  "read and clear the dirty-page bitmap", DIRTY_TRACKING },
	{ VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, "MIG_DATA_SIZE", "6.2",
	  "estimate the data that STOP_COPY will move", MIGRATION_VARIANT },
	{ VFIO_DEVICE_FEATURE_BUS_MASTER, "BUS_MASTER", "6.7",
	  "allow or block the device's DMA where the bus has no config space",
	  "only vfio-cdx offers it: PCI devices use their config space" },
	{ VFIO_DEVICE_FEATURE_DMA_BUF, "DMA_BUF", "6.19",
	  "export slices of a BAR as dma-bufs (peer-to-peer DMA)",
	  "vfio-pci offers it when the kernel has CONFIG_VFIO_PCI_DMABUF, which needs PCI_P2PDMA" },
	{ VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2, "MIG_PRECOPY_INFOv2", "7.1",
	  "opt in to the flags of VFIO_MIG_GET_PRECOPY_INFO",
	  "offered to devices that migrate with PRE_COPY" },
};
const size_t vfio_feature_table_len = N_ELEMS(vfio_feature_table);

_Static_assert(N_ELEMS(vfio_feature_table) <= N_ELEMS(((struct vfio_features *)0)->status),
	       "struct vfio_features holds the whole table");

const struct vfio_feature_def *vfio_feature_find(uint16_t number)
{
	size_t i;

	for (i = 0; i < vfio_feature_table_len; i++)
		if (vfio_feature_table[i].number == number)
			return &vfio_feature_table[i];
	return NULL;
}

static bool kernel_predates(const char *release, const char *since)
{
	return release && kernel_release_compare(release, since) < 0;
}

static void describe_errno(char *buf, size_t len, int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		snprintf(buf, len, "%s (%s)", name, strerror(err));
	else
		snprintf(buf, len, "errno %d", err);
}

static void probe_failed_reason(struct vfio_feature_status *st)
{
	char get[64], set[64];

	describe_errno(get, sizeof(get), st->get_err);
	describe_errno(set, sizeof(set), st->set_err);
	if (st->get_err == st->set_err)
		snprintf(st->reason, sizeof(st->reason), "the probe failed: %s", get);
	else
		snprintf(st->reason, sizeof(st->reason), "the probe failed: GET %s, SET %s", get, set);
}

void vfio_feature_classify(struct vfio_feature_status *st, const char *release)
{
	const struct vfio_feature_def *def = st->def;

	st->get = st->get_err == 0;
	st->set = st->set_err == 0;
	st->reason[0] = '\0';
	if (st->get || st->set) {
		st->state = VFIO_FEATURE_OFFERED;
	} else if (kernel_predates(release, def->since)) {
		st->state = VFIO_FEATURE_KERNEL_TOO_OLD;
		snprintf(st->reason, sizeof(st->reason), "needs Linux %s (this kernel is %s)", def->since, release);
	} else if (st->get_err == ENOTTY || st->set_err == ENOTTY) {
		st->state = VFIO_FEATURE_NOT_OFFERED;
		snprintf(st->reason, sizeof(st->reason), "the device's driver does not offer it (%s)", def->provider);
	} else if (st->get_err == EINVAL && st->set_err == EINVAL) {
		st->state = VFIO_FEATURE_REFUSED;
		snprintf(st->reason, sizeof(st->reason), "EINVAL for GET and SET: the kernel has it, not for this device (%s)",
			 def->provider);
	} else {
		st->state = VFIO_FEATURE_PROBE_FAILED;
		probe_failed_reason(st);
	}
}

const char *vfio_feature_directions(const struct vfio_feature_status *st)
{
	if (st->get && st->set)
		return "GET SET";
	if (st->get)
		return "GET";
	return st->set ? "SET" : "-";
}

/* VFIO_DEVICE_FEATURE with data: 0 or an errno. */
static int feature_ioctl(int device, uint32_t flags, void *data, size_t len)
{
	union {
		struct vfio_device_feature hdr;
		uint8_t bytes[sizeof(struct vfio_device_feature) + 16];
	} buf;

	if (len > sizeof(buf.bytes) - sizeof(buf.hdr))
		return EINVAL;
	memset(&buf, 0, sizeof(buf));
	buf.hdr.argsz = sizeof(buf.hdr) + len;
	buf.hdr.flags = flags;
	if (ioctl(device, VFIO_DEVICE_FEATURE, &buf) < 0)
		return errno;
	memcpy(data, buf.bytes + sizeof(buf.hdr), len);
	return 0;
}

static int probe(int device, uint16_t number, uint32_t direction)
{
	struct vfio_device_feature f = {
		.argsz = sizeof(f),
		.flags = number | VFIO_DEVICE_FEATURE_PROBE | direction,
	};

	return ioctl(device, VFIO_DEVICE_FEATURE, &f) < 0 ? errno : 0;
}

static void read_migration(int device, const struct vfio_features *fs, struct vfio_migration_desc *m)
{
	struct vfio_device_feature_migration mig = { 0 };
	struct vfio_device_feature_mig_state state = { 0 };
	const struct vfio_feature_status *st;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < fs->n; i++) {
		st = &fs->status[i];
		if (st->def->number == VFIO_DEVICE_FEATURE_MIGRATION && st->get &&
		    !feature_ioctl(device, VFIO_DEVICE_FEATURE_MIGRATION | VFIO_DEVICE_FEATURE_GET, &mig, sizeof(mig))) {
			m->has_flags = true;
			m->flags = mig.flags;
		}
		if (st->def->number == VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE && st->get) {
			m->state_err = feature_ioctl(device, VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE | VFIO_DEVICE_FEATURE_GET,
						     &state, sizeof(state));
			m->has_state = !m->state_err;
			m->state = m->has_state ? state.device_state : 0;
		}
	}
}

void vfio_features_probe(int device, const char *release, struct vfio_features *out)
{
	struct vfio_feature_status *st;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < vfio_feature_table_len; i++) {
		st = &out->status[out->n++];
		st->def = &vfio_feature_table[i];
		st->get_err = probe(device, st->def->number, VFIO_DEVICE_FEATURE_GET);
		st->set_err = probe(device, st->def->number, VFIO_DEVICE_FEATURE_SET);
		vfio_feature_classify(st, release);
	}
	read_migration(device, out, &out->migration);
}

char *vfio_migration_flags_format(uint64_t flags, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ VFIO_MIGRATION_STOP_COPY, "STOP_COPY" },
		{ VFIO_MIGRATION_P2P, "P2P" },
		{ VFIO_MIGRATION_PRE_COPY, "PRE_COPY" },
	};
	size_t i, used = 0;
	uint64_t rest = flags;
	int n;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < N_ELEMS(names); i++) {
		if (!(flags & names[i].bit))
			continue;
		rest &= ~names[i].bit;
		n = snprintf(buf + used, len - used, "%s%s", used ? " " : "", names[i].name);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0';
			return buf;
		}
		used += n;
	}
	if (rest)
		snprintf(buf + used, len - used, "%s0x%llx", used ? " " : "", (unsigned long long)rest);
	else if (!used)
		snprintf(buf, len, "none");
	return buf;
}

const char *vfio_mig_state_name(uint32_t state)
{
	static const char *const names[] = {
		"ERROR", "STOP", "RUNNING", "STOP_COPY", "RESUMING", "RUNNING_P2P", "PRE_COPY", "PRE_COPY_P2P",
	};

	return state < N_ELEMS(names) ? names[state] : NULL;
}
