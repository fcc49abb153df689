# Arm lab: cross build of the tools for arm64 (issue 18).
# Included by the top-level Makefile, or: make -f Makefile -f tests/vm/arm/arm.mk build-arm64
#
# build-arm64   vfio-admin, vfio-dump and vfio-bench for arm64 in build-arm64/, compiled
#               by aarch64-linux-gnu-gcc against the arm64 user space that
#               tests/vm/arm/fetch unpacks (tests/vm/cross/cross.mk's cross_build)
# clean-arm64   remove build-arm64/
# check-arm     build-arm64, then the bats files of tests/vm/arm/tests in a UEFI/ACPI
#               and a device-tree guest at once (tests/vm/arm/run-tests; tests/run runs
#               it too, beside the POWER lab)
#
# Host packages (scripts/install-deps): gcc-aarch64-linux-gnu, libc6-dev-arm64-cross,
# qemu-system-arm, qemu-efi-aarch64.

ARM64_BUILDDIR ?= build-arm64
ARM64_CROSS    ?= aarch64-linux-gnu-
ARM_FETCH      := tests/vm/arm/fetch
include tests/vm/cross/cross.mk

.PHONY: build-arm64 clean-arm64 check-arm

build-arm64:
	$(call cross_build,build-arm64,$(ARM64_BUILDDIR),$(ARM64_CROSS),$(ARM_FETCH),aarch64-linux-gnu,gcc-aarch64-linux-gnu)

clean-arm64:
	rm -rf $(ARM64_BUILDDIR)

check-arm: build-arm64
	tests/vm/arm/run-tests
