#!/usr/bin/env bats
# vfio-dump through sPAPR TCE VFIO on a pseries guest:
#   1. iommu, for each host bridge: the 32-bit window, DDW support, page sizes,
#      windows and levels are the QEMU properties the lab gave it;
#      --probe-windows creates a 64-bit window at the bridge's dma64_win_addr,
#      is refused a second one with ENOSPC (explained), and removes what it
#      made (a second probe finds the same); the ddw=off bridge is flagged;
#   2. info, regions, irqs and config of the edu as VFIO shows them; read of
#      BAR0's ID register (the edu's registers are big-endian here).
load common

setup_file() {
	local all
	mapfile -t all < <(all_edus)
	"$VFIO_TOOLS_BIN"/vfio-admin bind "${all[@]}" >/dev/null
}

@test "iommu: each host bridge's windows as QEMU set them; --probe-windows finds the 64-bit window's address and ENOSPC" {
	local d e start size
	for d in "${!WIN32[@]}"; do
		e=${EDUS[$d]%% *}
		read -r start size <<<"${WIN32[$d]}"
		run --separate-stderr "$DUMP" iommu "$e" --json
		assert_success
		assert_equal "$(jq -c '[.iommu_type, .window32.start, .window32.size, .ddw]' <<<"$output")" \
			"[\"sPAPR TCE v2\",\"$start\",\"$size\",true]"
		if [[ $d == 0001 ]]; then
			assert_equal "$(jq -c '[.max_windows, .levels, .ddw_implausible]' <<<"$output")" '[4294967295,0,true]'
			run "$DUMP" iommu "$e"
			assert_line 'DDW           supported: page sizes 4K, max windows 4294967295, levels 0 (implausible: maps may fail)'
			run --separate-stderr "$DUMP" iommu "$e" --probe-windows --json
			assert_success
			# EINVAL the first time ("ibm,ddw-applicable not found"), ENODEV once the
			# kernel has put the device on its failed-DDW list (power-tce.md section 8)
			[[ $(jq -c '.window_probe | [.windows, .refused_errno]' <<<"$output") =~ ^\[\[\],\"(EINVAL|ENODEV)\"\]$ ]] ||
				fail "probe on the ddw=off bridge: $output"
			continue
		fi
		assert_equal "$(jq -c '[.max_windows, .levels, .ddw_implausible]' <<<"$output")" '[2,1,false]'
		run "$DUMP" iommu "$e"
		assert_success
		assert_line "32-bit window start $start size $size"
		assert_line "DDW           supported: page sizes ${PGSIZES[$d]}, max windows 2, levels 1"
		for _ in 1 2; do # the second probe finds what the first did: nothing was left behind
			run "$DUMP" iommu "$e" --probe-windows
			assert_success
			assert_line 'DDW probe     1 created (256 MiB, 4K pages)'
			assert_line "  window 1 at ${DDW64[$d]}"
			assert_line --regexp '^  window 2 refused: VFIO_IOMMU_SPAPR_TCE_CREATE .*: No space left on device: no free DMA window: the host bridge.s windows are all in use \(the default 32-bit window is one\)$'
		done
	done
	# Two edus on one bridge are one group: both show it.
	if [[ ${EDUS[0000]} == *' '* ]]; then
		run "$DUMP" iommu 0000:00:01.0
		assert_line --regexp '^iommu +sPAPR TCE v2 \(group [0-9]+\)$'
		assert_equal "${lines[1]}" "$("$DUMP" iommu 0000:00:00.0 | sed -n 2p)"
	fi
}

@test "info, regions, irqs, config and read through sPAPR VFIO" {
	local e=0000:00:00.0
	run "$DUMP" info "$e"
	assert_success
	assert_line 'flags         0x2 (PCI)'
	assert_line 'regions       9'
	assert_line 'irqs          5'
	assert_edu_regions_irqs "$e"
	# The ID register 0x010000ed, big-endian on qemu-system-ppc64: its bytes
	# are 01 00 00 ed, and a 4-byte load on this little-endian CPU reads 0xed000001.
	run "$DUMP" read "$e" BAR0 0 4
	assert_success
	assert_output '00000000: 01 00 00 ed'
	# Config space through VFIO and lspci's (sysfs) agree on the ids.
	run "$DUMP" config "$e" -x
	assert_success
	local ours theirs
	ours=$(grep -E '^[0-3]0: ' <<<"$output" | sed -n '1,4p')
	theirs=$(lspci -s "$e" -x | grep -E '^[0-3]0: ' | sed -n '1,4p')
	assert_equal "$(cut -c1-15 <<<"$ours")" "$(cut -c1-15 <<<"$theirs")"	# vendor and device ids
}
