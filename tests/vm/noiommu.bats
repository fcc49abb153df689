#!/usr/bin/env bats
# vfio-admin on a real kernel without an IOMMU (tests/vm/run-tests NAME@none):
# the listing still works, no device has a group, and one line on stderr says
# how to enable the IOMMU; check fails the IOMMU and interrupt remapping.

dirname() { echo "${1%/*}"; }
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
unset -f dirname

bats_require_minimum_version 1.5.0

ADMIN=${VFIO_TOOLS_BIN:-$BATS_TEST_DIRNAME/../../build}/vfio-admin

# How to turn the IOMMU on, for this guest's CPU (QEMU's TCG "max" CPU says
# AuthenticAMD even in q35; a GenuineIntel one gets VT-d's hint).
enable_hint() {
	local line
	while read -r line; do
		case $line in
		vendor_id*GenuineIntel*) echo "enable VT-d in the firmware setup, then add intel_iommu=on to the kernel command line if the kernel still forms no groups"; return ;;
		vendor_id*AuthenticAMD*) echo "enable the IOMMU (AMD-Vi) in the firmware setup: Linux turns it on by itself (amd_iommu=on is not an option: it does nothing)"; return ;;
		esac
	done </proc/cpuinfo
	echo "(no x86 vendor in /proc/cpuinfo)"
}

@test "no IOMMU: list and groups work, groups are null, one hint line each" {
	local groups=(/sys/kernel/iommu_groups/*) devices=(/sys/bus/pci/devices/*) json
	[[ ! -e ${groups[0]} ]] || fail "this guest has IOMMU groups: run it with --iommu none"

	run --separate-stderr "$ADMIN" list --json
	assert_success
	json=$output
	assert_equal "$(jq '.devices | length' <<<"$json")" "${#devices[@]}"
	assert_equal "$(jq '[.devices[] | select(.iommu_group != null)] | length' <<<"$json")" 0
	assert_equal "$(jq -r '[.devices[] | select(.device_id == "11e8") | .vfio] | unique | .[]' <<<"$json")" false
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "vfio-admin: note: no IOMMU groups: the IOMMU is off or absent; $(enable_hint)"

	run --separate-stderr "$ADMIN" list
	assert_success
	assert_regex "${lines[1]}" ' - +no +vfio-pci +-$'
	assert_equal "${#stderr_lines[@]}" 1

	run --separate-stderr "$ADMIN" groups --json
	assert_success
	assert_equal "$(jq -c . <<<"$output")" '{"schema_version":"1.1","groups":[]}'
	assert_equal "${#stderr_lines[@]}" 1
}

@test "no IOMMU: check EDU fails the IOMMU and interrupt remapping, with hints; the edu is not assignable; vfio-dump says why" {
	local edu="" d v id
	for d in /sys/bus/pci/devices/*; do
		read -r v <"$d/vendor"
		read -r id <"$d/device"
		[[ $v:$id == 0x1234:0x11e8 ]] && edu=${d##*/} && break
	done
	run --separate-stderr "$ADMIN" check --json "$edu"
	assert_failure 1
	assert_equal "$(jq -r '(.findings[] | select(.id | test("^(iommu\\.enabled|irq\\.remapping)$")) |
			"\(.id) \(.level) hint=\(.hint != null)"),
		(.devices[] | "\(.address) group=\(.group) \(.verdict) reasons=\(.reasons | length > 0)")' <<<"$output")" \
		"iommu.enabled FAIL hint=true
irq.remapping FAIL hint=true
$edu group=null not-assignable reasons=true"
	# vfio-dump says why it cannot open the edu: no IOMMU, not "not bound".
	run "${ADMIN%/*}/vfio-dump" info "$edu"
	assert_equal "$status" 2
	assert_output "vfio-dump: $edu: no IOMMU group: the IOMMU is off or absent; $(enable_hint)"
}
