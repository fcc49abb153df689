/* A minimal TAP producer for the C unit tests. */
#ifndef VT_TAP_H
#define VT_TAP_H

#include <stdbool.h>

void tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tap_done(void);

/* An environment variable saved before a test points it elsewhere, and put back after. */
struct saved_env {
	const char *name;
	char *value;	/* NULL when it was unset */
};

struct saved_env save_env(const char *name);
void restore_env(struct saved_env *e);	/* prints the plan; exit status: 0 when all passed */

void test_pci_addr(void);
void test_filters(void);
void test_json(void);
void test_spapr(void);
void test_pci_config(void);
void test_acs(void);
void test_limits(void);
void test_in_use(void);
void test_pci_cap_decode(void);
void test_vfio_info(void);
void test_vfio_features(void);
void test_stats(void);
void test_bench_device(void);
void test_kernel_quirks(void);
void test_iommu_hw_info(void);
void test_vfio_alias(void);
void test_pci_rom(void);
void test_sriov(void);
void test_dl_api(void);
void test_prometheus(void);
void test_atomic_file(void);
void test_tar(void);

#endif
