#!/usr/bin/env bats
# vfio-dump through type1 VFIO on an arm64 guest (SMMUv3), the edu bound:
# info, regions, irqs, iommu (type1v2, the SMMU's page sizes, the IOVA ranges
# without the software MSI window the group reserves) and a read of BAR0's ID
# register (little-endian here: 0x010000ed).
load common

setup_file() {
	"$VFIO_TOOLS_BIN"/vfio-admin bind 0000:01:00.0 >/dev/null
}

@test "info, regions, irqs, iommu and read through type1 VFIO: the MSI window left out of the IOVA ranges" {
	local g
	g=$(group_of "$EDU")
	run --separate-stderr "$DUMP" info "$EDU" --json
	assert_success
	assert_equal "$(jq -c '[.backend, .group, .flag_names, .num_regions, .num_irqs]' <<<"$output")" "[\"group\",$g,\"PCI RESET\",9,5]"
	assert_edu_regions_irqs "$EDU"

	# The group reserves the software MSI window (the ITS doorbell is mapped
	# there for the device), and VFIO's IOVA ranges are everything else below
	# the SMMU's 48-bit input range.
	assert_equal "$(cat "/sys/kernel/iommu_groups/$g/reserved_regions")" "$MSI_WINDOW"
	run --separate-stderr "$DUMP" iommu "$EDU" --json
	assert_success
	assert_equal "$(jq -c '[.iommu_type, .group, .page_sizes, .page_size_names, [.iova_ranges[] | [.start, .end]]]' <<<"$output")" \
		"[\"type1v2\",$g,\"0x40201000\",\"4K 2M 1G\",[[\"0x0\",\"0x7ffffff\"],[\"0x8100000\",\"0xffffffffffff\"]]]"
	run "$DUMP" iommu "$EDU"
	assert_success
	assert_line --regexp "^iommu +type1v2 \\(group $g\\)\$"
	assert_line '  0x0000000000000000-0x0000000007ffffff'
	assert_line '  0x0000000008100000-0x0000ffffffffffff'

	# The edu's ID register, 0x010000ed, little-endian on qemu-system-aarch64.
	run "$DUMP" read "$EDU" BAR0 0 4
	assert_success
	assert_output '00000000: ed 00 00 01'
}
