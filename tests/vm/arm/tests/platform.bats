#!/usr/bin/env bats
# check's platform evidence on arm64 (issue 18), in each guest of the Arm lab:
#   - iommu.firmware: Arm SMMUv3, described by ACPI IORT (UEFI guest) or the
#     device tree (dt guests), with the unit the kernel registered;
#   - iommu.reserved: the software MSI window (0x8000000, 1 MiB) in every group,
#     and what it costs; vfio-dump iommu shows the same region for the bound edu;
#   - irq.msi_isolation: the GICv3 ITS, with the kernel's evidence (the ITS
#     interrupt domains in /proc/interrupts, else the firmware's ITS);
#   - irq.iommufd_msi: Linux 6.12 with the iommufd backend: no MSI (before 6.15);
#     none with the group backend; no x86 irq.remapping finding at all.
load common

# What check says of the ITS: its domain in /proc/interrupts, else the firmware's.
its_evidence() {
	local line tok
	while read -r line; do
		for tok in $line; do
			if [[ $tok == ITS-* ]]; then
				echo "${tok%%-0000:*} interrupt domains in /proc/interrupts"
				return
			fi
		done
	done </proc/interrupts
	if [[ $LAB_BOOT == dt* ]]; then
		echo "the device tree describes an ITS; no MSI is in use yet"
	else
		echo "the ACPI MADT describes an ITS; no MSI is in use yet"
	fi
}

MSI_MEANING="the software MSI window: the kernel maps the interrupt controller's doorbell here for assigned devices; maps at these IOVAs fail (EINVAL), so a VMM keeps guest RAM out (QEMU's virt machine does: its RAM starts at 1 GiB) and an IOVA-as-VA process must avoid it"

@test "check: SMMUv3 and its firmware, the MSI window in every group and in vfio-dump iommu, MSIs isolated by the ITS, iommufd before 6.15" {
	local units=() u f fw
	for u in /sys/class/iommu/*; do [[ -e $u ]] && units+=("${u##*/}"); done
	fw="ACPI IORT"
	[[ $LAB_BOOT == dt* ]] && fw="device tree"
	for f in /sys/kernel/iommu_groups/*/reserved_regions; do
		assert_equal "$(<"$f")" "$MSI_WINDOW"
	done

	run --separate-stderr "$ADMIN" check --json --backend iommufd
	local platform_ids='^(iommu\.(firmware|options|reserved)|irq\..*)$'
	assert_equal "$(jq -r --arg re "$platform_ids" '.findings[] | select(.subject == "machine" and (.id | test($re))) |
		"\(.level) \(.id) \(.message)"' <<<"$output")" "PASS iommu.firmware IOMMU hardware: Arm SMMUv3 ($fw): ${units[*]}$(
		[[ $LAB_APPEND != *config_acs=* ]] || printf '\nNOTE iommu.options pci=config_acs=11101@pci:0:0: ACS control set by hand: the groups of these devices follow these settings, not the firmware'"'"'s')
NOTE iommu.reserved msi 0x8000000-0x80fffff (1 MiB) in every group: $MSI_MEANING
PASS irq.msi_isolation MSIs are isolated by the GICv3 ITS ($(its_evidence))
WARN irq.iommufd_msi Linux $(uname -r): iommufd before 6.15 does not map the MSI doorbell on Arm: a device opened through its VFIO cdev and iommufd gets no MSI"
	run --separate-stderr "$ADMIN" check --json --backend group
	assert_equal "$(jq -r '[.findings[] | select(.id == "irq.iommufd_msi" or .id == "irq.remapping")] | length' <<<"$output")" 0

	bind_edu
	run --separate-stderr "$DUMP" iommu --json "$EDU"
	assert_success
	assert_equal "$(jq -r '.reserved_regions[] | "\(.type) \(.start) \(.end) \(.size): \(.meaning)"' <<<"$output")" \
		"msi 0x8000000 0x80fffff 1 MiB: $MSI_MEANING"
	run "$ADMIN" restore
	assert_success
}
