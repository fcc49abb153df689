#!/usr/bin/env bats
# vfio-bench with the sPAPR TCE v2 backend on a pseries guest:
#   1. dma-map registers the memory and maps it in the default 32-bit window
#      and, with --window 64bit, in a dynamic window it creates at the host
#      bridge's 64-bit address; every mapping is proven by the edu's DMA
#      (--verify); 64K and 2M IOMMU pages with hugetlbfs memory;
#   2. the errors the kernel gives are explained: EPERM (memory not
#      registered), ENXIO (outside every window), EINVAL (64K IOMMU pages on 4K
#      memory), a page size the bridge does not offer; on the ddw=off bridge,
#      ENODEV for the map and the window;
#   3. irq: MSI and INTx loopback, MSI raised by the edu itself (its
#      big-endian registers): every interrupt sent is received.
load common

E=0000:00:00.0
FULL_MASK=(--dma-mask 0xffffffffffffffff)	# the lab's edus have dma_mask=~0

setup_file() {
	local all
	mapfile -t all < <(all_edus)
	"$VFIO_TOOLS_BIN"/vfio-admin bind "${all[@]}" >/dev/null
	echo 8 >/proc/sys/vm/nr_hugepages
}

# The JSON report's results as "case count" and its notes, one a line.
results() { jq -r '.results[] | "\(.case) \(.count)"' <<<"$output"; }
notes() { jq -r '.notes[]' <<<"$output"; }

@test "dma-map: default 32-bit window and a 64-bit dynamic window, every mapping proven by the edu's DMA" {
	local d e
	for d in 0000 0002; do
		[[ -n ${EDUS[$d]:-} ]] || continue
		e=${EDUS[$d]%% *}
		run --separate-stderr "$BENCH" dma-map "$e" --sizes 4K,64K,2M -n 20 --verify "${FULL_MASK[@]}" --json
		assert_success
		assert_equal "$(jq -r '.run.iommu_type' <<<"$output")" "sPAPR TCE v2"
		assert_equal "$(results | grep -c ' 20$')" 9
		assert_equal "$(notes | grep -c "the device's DMA reached the mapping")" 3
		# Mapped inside the 32-bit window: the first mapping at its start.
		read -r start _ <<<"${WIN32[$d]}"
		run bash -c "notes() { jq -r '.notes[]'; }; notes <<<'$output' | grep '^verify 4K anon'"
		assert_output --partial "at IOVA $(printf '0x%x' $((start + 0x1000)))"

		run --separate-stderr "$BENCH" dma-map "$e" --sizes 4K,64K -n 20 --window 64bit --verify "${FULL_MASK[@]}" --json
		assert_success
		assert_equal "$(jq -r '.run.dma_window' <<<"$output")" "64-bit dynamic at ${DDW64[$d]}, 1024 MiB, 4K pages"
		assert_equal "$(notes | grep -c "reached the mapping (2048 bytes at IOVA ${DDW64[$d]} and ")" 2
	done
	# Larger IOMMU pages need memory backed by pages at least as large.
	run --separate-stderr "$BENCH" dma-map "$E" --sizes 64K,2M -n 10 --window 64bit --iommu-page 64K \
		--memory hugetlb2m --verify "${FULL_MASK[@]}" --json
	assert_success
	assert_equal "$(jq -r '.run.dma_window' <<<"$output")" "64-bit dynamic at ${DDW64[0000]}, 1024 MiB, 64K pages"
	assert_equal "$(notes | grep -c "reached the mapping")" 2
	run --separate-stderr "$BENCH" dma-map "$E" --sizes 4K,2M -n 10 --window 64bit --iommu-page 2M \
		--memory hugetlb2m --verify "${FULL_MASK[@]}" --json
	assert_success
	assert_equal "$(notes | grep -c '^4K hugetlb2m: skipped: not a multiple of the 64-bit window.s IOMMU page$')" 1
	assert_equal "$(notes | grep -c "reached the mapping")" 1
	# Nothing was left registered, mapped or created: a plain run maps IOVA 0 again.
	run --separate-stderr "$BENCH" dma-map "$E" --sizes 4K -n 5 --iova 0 --json
	assert_success
	# Without --dma-mask the edu's default 28-bit mask cannot reach the 64-bit window: skipped, with why.
	run --separate-stderr "$BENCH" dma-map "$E" --sizes 4K -n 5 --window 64bit --verify --json
	assert_success
	assert_equal "$(notes)" "4K anon: skipped: no IOVA range holds it below the device's DMA limit (0x10000000; --dma-mask gives the device's real mask)"
}

@test "dma-map: EPERM, ENXIO, EINVAL and ENODEV explained; page sizes the bridge lacks refused" {
	run "$BENCH" dma-map "$E" --sizes 4K -n 5 --no-register
	assert_failure 2
	assert_output --regexp '^vfio-bench: 4K anon: map failed: VFIO_IOMMU_MAP_DMA of 0x1000 bytes at IOVA 0x0: Operation not permitted: the memory is not registered: sPAPR TCE v2 maps only memory registered first with VFIO_IOMMU_SPAPR_REGISTER_MEMORY \(windows: 32-bit 0x0-0x3fffffff\)$'
	run "$BENCH" dma-map "$E" --sizes 4K -n 5 --iova 0x40000000
	assert_failure 2
	assert_output --regexp '^vfio-bench: 4K anon: map failed: VFIO_IOMMU_MAP_DMA of 0x1000 bytes at IOVA 0x40000000: No such device or address: the IOVA range is outside every DMA window of the host bridge \(windows: 32-bit 0x0-0x3fffffff\)$'
	run "$BENCH" dma-map "$E" --sizes 64K -n 5 --window 64bit --iommu-page 64K
	assert_failure 2
	assert_output --regexp "^vfio-bench: 64K anon: map failed: VFIO_IOMMU_MAP_DMA of 0x10000 bytes at IOVA ${DDW64[0000]}: Invalid argument: the window.s IOMMU page is larger than the pages backing the buffer .* \\(windows: 32-bit 0x0-0x3fffffff, 64-bit ${DDW64[0000]}-0x80000003fffffff with 64K pages\\)\$"
	run "$BENCH" dma-map "$E" --sizes 4K -n 5 --window 64bit --iommu-page 1G
	assert_failure 2
	assert_output 'vfio-bench: --iommu-page: not offered by the host bridge: it offers 4K 64K 2M 16M'
	run "$BENCH" dma-map "$E" --sizes 4K -n 5 --iommu-page 64K
	assert_failure 2
	assert_output --regexp '^vfio-bench: --iommu-page: needs --window 64bit'
	# Past the end of the 64-bit window too.
	run "$BENCH" dma-map "$E" --sizes 4K -n 5 --window 64bit --iova 0x800000040000000
	assert_failure 2
	assert_output --partial 'No such device or address: the IOVA range is outside every DMA window'
	if [[ -n ${EDUS[0002]:-} ]]; then
		run "$BENCH" dma-map 0002:00:00.0 --sizes 4K -n 5 --window 64bit --iommu-page 2M
		assert_failure 2
		assert_output 'vfio-bench: --iommu-page: not offered by the host bridge: it offers 4K 64K'
		run "$BENCH" dma-map 0001:00:00.0 --sizes 4K -n 5 --window 64bit
		assert_failure 2
		assert_output --regexp '^vfio-bench: --window 64bit: cannot create the window: VFIO_IOMMU_SPAPR_TCE_CREATE .*: (No such device: the host bridge offers no dynamic DMA windows|Invalid argument: .*)$'
		run "$BENCH" dma-map 0001:00:00.0 --sizes 4K -n 5
		assert_failure 2
		assert_output --regexp '^vfio-bench: 4K anon: map failed: VFIO_IOMMU_MAP_DMA of 0x1000 bytes at IOVA 0x0: (No such device|Invalid argument): '
	fi
}

@test "irq: MSI and INTx loopback, MSI raised by the edu: every interrupt received" {
	assert_irqs_received "$E" "--type msi" "--type intx" "--type msi --trigger device" "--type msi --wait epoll"
}
