#!/usr/bin/env bats
# vfio-admin on an arm64 guest (Arm lab: QEMU virt, SMMUv3, GICv3 ITS; UEFI/ACPI
# or device tree): list, groups, check, bind and restore of the edu behind its
# root port, in one test (bats costs about a second a test under TCG).
#   - the unbound edu has no IOMMU group: Linux 6.12 probes the IOMMU for a
#     device when a driver binds it (ACPI as well as DT); list and groups say so;
#   - after bind: under ACPI the edu is alone in its group (the root port's ACS
#     is on); under DT it shares the root port's group (Linux leaves a DT root
#     port's ACS off: "PCI: Fix ACS enablement for Root Ports in DT platforms",
#     2025), unless the kernel line has pci=config_acs (lab --append);
#   - check exits 1 exactly when its verdict for the edu is not-assignable, and
#     the bound edu's verdict agrees with VFIO (its group node opens);
#   - restore: every device's driver and override as before the bind.
load common

# Every device's address, driver and driver_override, one a line.
drivers() {
	local d
	for d in /sys/bus/pci/devices/*; do
		echo "${d##*/} $(basename "$(readlink "$d/driver" 2>/dev/null || echo none)") $(<"$d/driver_override")"
	done
}

# check's exit status and its verdict for the edu (in $verdict) agree: 1 for
# not-assignable, 0 otherwise.
check_agrees() {
	run --separate-stderr "$ADMIN" check "$EDU" --json
	verdict=$(jq -r --arg e "$EDU" '.devices[] | select(.address == $e) | .verdict' <<<"$output")
	[[ -n $verdict ]] || fail "check gave no verdict for $EDU: $output"
	if [[ $verdict == not-assignable ]]; then assert_failure 1; else assert_success; fi
}

@test "list, groups, check, bind and restore of the edu: its group as the firmware's ACS makes it, state restored" {
	local before g members verdict
	# Unbound: no IOMMU group yet; the root port and each share in a group of its own.
	run --separate-stderr "$ADMIN" list --json
	assert_success
	assert_equal "$(jq -c --arg e "$EDU" '.devices[] | select(.address == $e) | [.vendor_id, .device_id, .driver, .iommu_group, .parent]' <<<"$output")" \
		"[\"1234\",\"11e8\",null,null,\"$RP\"]"
	local a grp
	while read -r a grp; do # list agrees with sysfs about every device's group
		assert_equal "$grp" "$(group_of "$a" || echo null)"
	done < <(jq -r '.devices[] | "\(.address) \(.iommu_group)"' <<<"$output")
	run --separate-stderr "$ADMIN" groups --json
	assert_success
	# shellcheck disable=SC2086 # one share a word
	assert_equal "$(jq -c '[.groups[] | [.type, .viable, [.members[].address]]]' <<<"$output")" \
		"[[\"DMA\",true,[\"$RP\"]]$(printf ',["DMA",false,["%s"]]' $LAB_SHARES)]"
	# shellcheck disable=SC2086
	assert_equal "$(jq -c '[.groups[] | select(.viable | not) | .blockers[]]' <<<"$output")" \
		"[$(printf '"%s",' $LAB_SHARES | sed 's/,$//')]"
	check_agrees
	assert_equal "$verdict" not-assignable # no group yet: nothing tells it where it would land

	before=$(drivers)
	bind_edu
	assert_line "$EDU: (none) -> vfio-pci"
	g=$(group_of "$EDU")
	assert_line "$EDU: /dev/vfio/$g"
	[[ -c /dev/vfio/$g ]] || fail "no /dev/vfio/$g"
	assert_equal "$(basename "$(readlink "/sys/bus/pci/devices/$EDU/driver")")" vfio-pci
	assert_equal "$(<"/sys/bus/pci/devices/$EDU/driver_override")" vfio-pci
	[[ -e /sys/module/vfio_iommu_type1 ]] || fail "vfio_iommu_type1 not loaded by bind (the vfio softdep)"
	run --separate-stderr "$ADMIN" groups --json
	assert_success
	members=$(jq -c --argjson g "$g" '.groups[] | select(.group == $g) | [.viable, [.members[] | "\(.address) \(.driver)"]]' <<<"$output")
	if shared_group; then
		assert_equal "$members" "[true,[\"$RP pcieport\",\"$EDU vfio-pci\"]]"
		assert_equal "$(group_of "$RP")" "$g"
	else
		assert_equal "$members" "[true,[\"$EDU vfio-pci\"]]"
		[[ $(group_of "$RP") != "$g" ]] || fail "the edu shares group $g with the root port"
	fi
	assert_equal "$(cat "/sys/kernel/iommu_groups/$g/reserved_regions")" "$MSI_WINDOW"
	check_agrees
	[[ $verdict == assignable* ]] || fail "bound, VFIO opens group $g, and check says $verdict"
	exec 7<>"/dev/vfio/$g" || fail "VFIO does not open /dev/vfio/$g"
	exec 7<&-

	run "$ADMIN" restore
	assert_success
	assert_output "$EDU: vfio-pci -> (none)"
	assert_equal "$(drivers)" "$before"
	[[ ! -e /dev/vfio/$g ]] || fail "/dev/vfio/$g still there after restore"
	# The group the bind gave it stays (the kernel keeps a probed device's group).
	assert_equal "$(group_of "$EDU")" "$g"
}
