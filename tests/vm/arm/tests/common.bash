# Shared by the Arm lab's bats files (tests/vm/arm/run-tests runs them in an
# arm64 guest: `load common`). The guest's machine is tests/vm/arm/lab's:
# QEMU virt with an SMMUv3 and a GICv3 ITS, booted through UEFI/ACPI
# (LAB_BOOT=acpi) or with a device tree (LAB_BOOT=dt); a root port at
# 0000:00:01.0 with an edu (dma_mask=~0) behind it at 0000:01:00.0, and the
# lab's three virtio-9p shares at 0000:00:02.0-0000:00:04.0.

# shellcheck disable=SC2034 # read by ../../cross/bats-common
CROSS_BUILD=build-arm64
load ../../cross/bats-common
# shellcheck disable=SC2034
EDU=0000:01:00.0 RP=0000:00:01.0 LAB_SHARES="0000:00:02.0 0000:00:03.0 0000:00:04.0"
# The software MSI window the SMMU drivers reserve in every group (MSI_IOVA_BASE,
# MSI_IOVA_LENGTH in drivers/iommu/arm/arm-smmu-v3), where the ITS doorbell is mapped.
# shellcheck disable=SC2034
MSI_WINDOW="0x0000000008000000 0x00000000080fffff msi"

setup() {
	[[ $(uname -m) == aarch64 && -n ${LAB_BOOT:-} ]] ||
		fail "run this file in the Arm lab: tests/vm/arm/run-tests"
	[[ -x $ADMIN ]] || fail "no $ADMIN: make build-arm64"
}

# Under DT, Linux 6.12 leaves the root port's ACS off ("PCI: Fix ACS
# enablement for Root Ports in DT platforms", 2025) unless the kernel line
# configures it: the edu then shares the root port's group.
shared_group() { [[ $LAB_BOOT == dt && $LAB_APPEND != *config_acs=* ]]; }

group_of() { # ADDRESS: its IOMMU group number (fails when it has none)
	local g
	g=$(readlink "/sys/bus/pci/devices/$1/iommu_group") || return 1
	echo "${g##*/}"
}

bind_edu() {
	run "$ADMIN" bind "$EDU"
	assert_success
}
