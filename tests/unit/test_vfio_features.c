#include <errno.h>
#include <string.h>

#include "iommu/kernel_quirks.h"
#include "vfio/vfio_features.h"
#include "tap.h"

static void test_table(void)
{
	static const char *const names[] = {
		"PCI_VF_TOKEN", "MIGRATION", "MIG_DEVICE_STATE", "LOW_POWER_ENTRY",
		"LOW_POWER_ENTRY_WITH_WAKEUP", "LOW_POWER_EXIT", "DMA_LOGGING_START", "DMA_LOGGING_STOP",
		"DMA_LOGGING_REPORT", "MIG_DATA_SIZE", "BUS_MASTER", "DMA_BUF", "MIG_PRECOPY_INFOv2",
	};
	bool ordered = vfio_feature_table_len == sizeof(names) / sizeof(names[0]), complete = true;
	size_t i;

	for (i = 0; ordered && i < vfio_feature_table_len; i++) {
		const struct vfio_feature_def *d = &vfio_feature_table[i];

		ordered = d->number == i && !strcmp(d->name, names[i]);
		complete = complete && d->since && d->meaning && d->meaning[0] && d->provider && d->provider[0] &&
			   kernel_release_compare(d->since, "5.7") >= 0 && kernel_release_compare(d->since, "7.2") <= 0;
		if (i > 0)
			complete = complete && kernel_release_compare(vfio_feature_table[i - 1].since, d->since) <= 0;
	}
	tap_ok(ordered, "features: every number Linux 7.2 defines, 0..12, in order, with its uAPI name");
	tap_ok(complete, "features: each has a release between 5.7 and 7.2 (never older than the one before), a meaning, its drivers");
	tap_ok(!strcmp(vfio_feature_find(11)->since, "6.19") && !strcmp(vfio_feature_find(1)->since, "5.18") &&
		       !strcmp(vfio_feature_find(3)->since, "6.0") && !strcmp(vfio_feature_find(0)->since, "5.7") &&
		       !strcmp(vfio_feature_find(12)->since, "7.1"),
	       "features: DMA_BUF since 6.19, MIGRATION 5.18, LOW_POWER_ENTRY 6.0, PCI_VF_TOKEN 5.7, MIG_PRECOPY_INFOv2 7.1");
	tap_ok(vfio_feature_find(13) == NULL && vfio_feature_find(0xffff) == NULL, "features: 13 and above are unknown");
}

static struct vfio_feature_status classify(uint16_t number, int get_err, int set_err, const char *release)
{
	struct vfio_feature_status st = { .def = vfio_feature_find(number), .get_err = get_err, .set_err = set_err };

	vfio_feature_classify(&st, release);
	return st;
}

static void test_classify(void)
{
	struct vfio_feature_status st;

	st = classify(3, EINVAL, 0, "6.12.118");
	tap_ok(st.state == VFIO_FEATURE_OFFERED && !st.get && st.set && !st.reason[0] &&
		       !strcmp(vfio_feature_directions(&st), "SET"),
	       "classify: EINVAL for GET, 0 for SET: offered, SET only, no reason");
	st = classify(2, 0, 0, "6.12.118");
	tap_ok(st.state == VFIO_FEATURE_OFFERED && !strcmp(vfio_feature_directions(&st), "GET SET"), "classify: both: GET SET");
	st = classify(11, 0, EINVAL, "6.12.118");
	tap_ok(st.state == VFIO_FEATURE_OFFERED && !strcmp(vfio_feature_directions(&st), "GET"),
	       "classify: offered by an older kernel than its release (a backport): offered");

	st = classify(11, ENOTTY, ENOTTY, "6.12.118");
	tap_ok(st.state == VFIO_FEATURE_KERNEL_TOO_OLD && !strcmp(st.reason, "needs Linux 6.19 (this kernel is 6.12.118)") &&
		       !strcmp(vfio_feature_directions(&st), "-"),
	       "classify: ENOTTY on 6.12: needs Linux 6.19, naming this kernel");
	st = classify(12, ENOTTY, ENOTTY, "7.0.1-amd64");
	tap_ok(st.state == VFIO_FEATURE_KERNEL_TOO_OLD && !strcmp(st.reason, "needs Linux 7.1 (this kernel is 7.0.1-amd64)"),
	       "classify: 7.0.1-amd64 predates 7.1");
	st = classify(11, ENOTTY, ENOTTY, "6.19");
	tap_ok(st.state == VFIO_FEATURE_NOT_OFFERED, "classify: 6.19 itself is new enough");
	st = classify(11, ENOTTY, ENOTTY, "7.2.13+deb14-amd64");
	tap_ok(st.state == VFIO_FEATURE_NOT_OFFERED &&
		       !strcmp(st.reason, "the device's driver does not offer it (vfio-pci offers it when the kernel has "
					  "CONFIG_VFIO_PCI_DMABUF, which needs PCI_P2PDMA)"),
	       "classify: ENOTTY on 7.2: the driver does not offer it, and which drivers do");
	st = classify(1, ENOTTY, ENOTTY, NULL);
	tap_ok(st.state == VFIO_FEATURE_NOT_OFFERED &&
		       !strcmp(st.reason, "the device's driver does not offer it (a variant driver provides it; vfio-pci does not)"),
	       "classify: unknown kernel: the driver's");
	st = classify(12, EINVAL, EINVAL, "7.2.13");
	tap_ok(st.state == VFIO_FEATURE_REFUSED &&
		       !strcmp(st.reason, "EINVAL for GET and SET: the kernel has it, not for this device "
					  "(offered to devices that migrate with PRE_COPY)"),
	       "classify: EINVAL both ways: the kernel has it, not for this device");
	st = classify(11, EOPNOTSUPP, EOPNOTSUPP, "7.2.13");
	tap_ok(st.state == VFIO_FEATURE_PROBE_FAILED &&
		       !strcmp(st.reason, "the probe failed: EOPNOTSUPP (Operation not supported)"),
	       "classify: the same other errno both ways: named once");
	st = classify(0, EPERM, EINVAL, "7.2.13");
	tap_ok(st.state == VFIO_FEATURE_PROBE_FAILED &&
		       !strcmp(st.reason, "the probe failed: GET EPERM (Operation not permitted), SET EINVAL (Invalid argument)"),
	       "classify: different errnos: each direction's");
}

static void test_migration_names(void)
{
	char buf[64], small[12];

	tap_ok(!strcmp(vfio_migration_flags_format(7, buf, sizeof(buf)), "STOP_COPY P2P PRE_COPY"),
	       "migration flags: STOP_COPY P2P PRE_COPY");
	tap_ok(!strcmp(vfio_migration_flags_format(0, buf, sizeof(buf)), "none"), "migration flags: none");
	tap_ok(!strcmp(vfio_migration_flags_format(0x9, buf, sizeof(buf)), "STOP_COPY 0x8"), "migration flags: unknown bits in hex");
	tap_ok(!strcmp(vfio_migration_flags_format(7, small, sizeof(small)), "STOP_COPY"),
	       "migration flags: stops at a word that does not fit");
	tap_ok(!strcmp(vfio_mig_state_name(2), "RUNNING") && !strcmp(vfio_mig_state_name(7), "PRE_COPY_P2P") &&
		       vfio_mig_state_name(8) == NULL,
	       "migration states: RUNNING, PRE_COPY_P2P; 8 has no name");
}

void test_vfio_features(void)
{
	test_table();
	test_classify();
	test_migration_names();
}
