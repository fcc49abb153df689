#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int n_tests, n_failed;

void tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	n_failed += !cond;
	printf("%sok %d - ", cond ? "" : "not ", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int tap_done(void)
{
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}

struct saved_env save_env(const char *name)
{
	const char *v = getenv(name);

	return (struct saved_env){ name, v ? strdup(v) : NULL };
}

void restore_env(struct saved_env *e)
{
	if (e->value)
		setenv(e->name, e->value, 1);
	else
		unsetenv(e->name);
	free(e->value);
}

int main(void)
{
	test_pci_addr();
	test_filters();
	test_json();
	test_spapr();
	test_pci_config();
	test_acs();
	test_limits();
	test_in_use();
	test_pci_cap_decode();
	test_vfio_info();
	test_vfio_features();
	test_stats();
	test_bench_device();
	test_kernel_quirks();
	test_iommu_hw_info();
	test_vfio_alias();
	test_pci_rom();
	test_sriov();
	test_dl_api();
	test_prometheus();
	test_atomic_file();
	test_tar();
	return tap_done();
}
