# POWER lab: cross build of the tools for ppc64el (issue 8).
# Included by the top-level Makefile, or: make -f Makefile -f tests/vm/power/power.mk build-ppc64el
#
# build-ppc64el   vfio-admin, vfio-dump and vfio-bench for ppc64el in build-ppc64el/,
#                 with the top-level Makefile's own rules, flags and warnings (-Werror),
#                 compiled by powerpc64le-linux-gnu-gcc against the ppc64el user space
#                 that tests/vm/power/fetch unpacks (--sysroot; pkg-config looks only
#                 there). When that user space changes, build-ppc64el/ starts over.
# build-ppc64el-asan  the same with ASan+UBSan in build-ppc64el-asan/ (runtimes linked
#                 statically: the guest's user space has no libasan); make check-asan
#                 runs the POWER lab with it
# clean-ppc64el   remove build-ppc64el/ and build-ppc64el-asan/
# power-smoke     build-ppc64el, then tests/vm/power/smoke in a 1-PHB and a 3-PHB guest
# check-power     build-ppc64el, then the bats files of tests/vm/power/tests in a 1-PHB
#                 and a 3-PHB guest at once (tests/vm/power/run-tests; tests/run runs
#                 it too, after the x86 lab)
#
# Host packages (scripts/install-deps): gcc-powerpc64le-linux-gnu, qemu-system-ppc (and
# what fetch needs: apt, dpkg, kmod, xz-utils).
# The recipe is tests/vm/cross/cross.mk's cross_build (shared with the Arm lab).
# Nothing here runs at parse time: a plain `make` neither fetches nor needs the cross compiler.

PPC64EL_BUILDDIR ?= build-ppc64el
PPC64EL_CROSS    ?= powerpc64le-linux-gnu-
POWER_FETCH      := tests/vm/power/fetch
include tests/vm/cross/cross.mk

.PHONY: build-ppc64el build-ppc64el-asan clean-ppc64el

build-ppc64el:
	$(call cross_build,build-ppc64el,$(PPC64EL_BUILDDIR),$(PPC64EL_CROSS),$(POWER_FETCH),powerpc64le-linux-gnu,gcc-powerpc64le-linux-gnu)

build-ppc64el-asan:
	@$(MAKE) --no-print-directory -f $(CROSS_TOP_MAKEFILE) build-ppc64el PPC64EL_BUILDDIR=build-ppc64el-asan \
		CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined -static-libasan -static-libubsan"

clean-ppc64el:
	rm -rf $(PPC64EL_BUILDDIR) build-ppc64el-asan

# The smoke run (tests/vm/power/smoke) in a 1-PHB and a 3-PHB guest, one after the other.
.PHONY: power-smoke
power-smoke: build-ppc64el
	LAB_TIMING=1 tests/vm/power/lab --phbs 1 -- tests/vm/power/smoke
	LAB_TIMING=1 tests/vm/power/lab --phbs 3 -- tests/vm/power/smoke

.PHONY: check-power
check-power: build-ppc64el
	tests/vm/power/run-tests
