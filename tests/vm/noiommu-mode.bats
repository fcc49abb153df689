#!/usr/bin/env bats
# VFIO's no-IOMMU mode on the lab's iommufd kernel (topology noiommu: no IOMMU,
# vfio.enable_unsafe_noiommu_mode=1, an edu below a root port): check says
# loudly there is no isolation, bind refuses without --noiommu, and with it
# the device is reachable through /dev/vfio/noiommu-N (dump, irq) while
# dma-map has nothing to map.
load common
bats_require_minimum_version 1.5.0

BENCH=${ADMIN%/*}/vfio-bench
EDU=0000:01:00.0

@test "no-IOMMU mode: check FAILs it; bind refuses without --noiommu; with it, /dev/vfio/noiommu-N; dump and irq work, dma-map has nothing to map" {
	local -A before=()
	local group node
	[[ $(</sys/module/vfio/parameters/enable_unsafe_noiommu_mode) == Y ]] || fail "no-IOMMU mode is off"
	run "$ADMIN" check "$EDU"
	assert_failure 1
	assert_line "FAIL  machine: NO-IOMMU MODE IS ENABLED: vfio gives user space devices without any DMA isolation  (a device used this way can DMA anywhere in host memory; only for trusted devices)"
	assert_line "NOTE  machine: VFIO backend (--backend auto): group: /dev/vfio/noiommu-N (no-IOMMU devices have no cdev)"

	read_state before
	run --separate-stderr "$ADMIN" bind "$EDU"
	assert_failure 1
	assert_equal "$stderr" "vfio-admin: $EDU: refused: no IOMMU: vfio-pci would take it in no-IOMMU mode, with no DMA isolation: a user of it can read and write all host memory; for a trusted device only, --noiommu binds it anyway"
	assert_same_state before

	run "$ADMIN" bind --noiommu --owner nobody "$EDU"
	assert_success
	group=$(basename "$(readlink /sys/bus/pci/devices/$EDU/iommu_group)")
	node=/dev/vfio/noiommu-$group
	assert_equal "$(</sys/kernel/iommu_groups/$group/name)" vfio-noiommu
	assert_line "$EDU: $node owned by nobody"
	assert_equal "$(stat -c '%U %a' "$node")" "nobody 660"
	[[ ! -e /dev/vfio/devices ]]

	run "$ADMIN" check "$EDU"
	assert_failure 1
	assert_line "FAIL  $EDU: NO DMA ISOLATION: group $group is VFIO's no-IOMMU group: the device can read and write all host memory  (only for a trusted device in a machine without an IOMMU; vfio-admin bind wants --noiommu)"
	assert_line "NOTE  $EDU: VFIO backend (--backend auto): group through $node"
	assert_line --regexp "^FAIL  $EDU: not assignable: no DMA isolation \(VFIO no-IOMMU mode\)"
	run "$ADMIN" groups --json
	assert_equal "$(jq -c ".groups[] | select(.group == $group) | [.type, .viable]" <<<"$output")" '["no-IOMMU",true]'

	run "$DUMP" info "$EDU"
	assert_success
	assert_line "backend       group ($node)"
	run "$DUMP" iommu --json "$EDU"
	assert_success
	assert_equal "$(jq -c '[.iommu_type, .isolation]' <<<"$output")" '["no-IOMMU",false]'
	run "$DUMP" read "$EDU" BAR0 0 4
	assert_success
	assert_output "00000000: ed 00 00 01"
	run --separate-stderr "$BENCH" irq -n 20 --json "$EDU"
	assert_success
	assert_equal "$(jq -c '[.run.triggers_sent, .run.interrupts_received]' <<<"$output")" '["20","20"]'
	run --separate-stderr "$BENCH" dma-map "$EDU"
	assert_failure 2
	assert_equal "$stderr" "vfio-bench: $EDU: nothing to map: in no-IOMMU mode the device's DMA uses physical addresses"
	run "$ADMIN" restore "$EDU"
	assert_success
	[[ ! -e $node ]]
}
