#!/usr/bin/env bats
# vfio-bench on an arm64 guest (SMMUv3, GICv3 ITS), the edu bound:
#   1. dma-map: the edu's DMA goes through the SMMU and the data arrives
#      (--verify), at low IOVAs and at the top of the 48-bit range; a map into
#      the software MSI window fails with EINVAL and the tool says why;
#   2. irq: MSI (through the ITS: /proc/interrupts shows an ITS-PCI-MSI line for
#      the edu while it is enabled) and INTx, loopback and raised by the edu.
load common

FULL_MASK=(--dma-mask 0xffffffffffffffff) # the lab's edu has dma_mask=~0

setup_file() {
	"$VFIO_TOOLS_BIN"/vfio-admin bind 0000:01:00.0 >/dev/null
}

notes() { jq -r '.notes[]' <<<"$output"; }

@test "dma-map: the edu's DMA through the SMMU reaches every mapping; the MSI window refused with the reason" {
	run --separate-stderr "$BENCH" dma-map "$EDU" --sizes 4K,64K,2M -n 10 --verify "${FULL_MASK[@]}" --json
	assert_success
	assert_equal "$(jq -c '[.run.iommu_type, .run.iommu_page_sizes, ([.results[].count] | unique)]' <<<"$output")" '["type1v2","4K 2M 1G",[10]]'
	assert_regex "$(jq -r .run.iommu <<<"$output")" '^arm-smmu \(smmu3\.0x[0-9a-f]+\)$'
	assert_equal "$(notes | grep -c "the device's DMA reached the mapping")" 3
	# At the top of the SMMU's input range (the last 4K page below 2^48).
	run --separate-stderr "$BENCH" dma-map "$EDU" --sizes 4K -n 5 --iova 0xfffffffff000 --verify "${FULL_MASK[@]}" --json
	assert_success
	assert_equal "$(notes)" "verify 4K anon: the device's DMA reached the mapping (2048 bytes at IOVA 0xfffffffff000 and 0xfffffffff800)"
	# Into the software MSI window: type1 refuses a reserved IOVA with EINVAL.
	run "$BENCH" dma-map "$EDU" --sizes 4K -n 5 --iova 0x8000000
	assert_failure 2
	assert_output "vfio-bench: 4K anon: map failed: VFIO_IOMMU_MAP_DMA of 0x1000 bytes at IOVA 0x8000000: Invalid argument: the IOVA range is outside the IOMMU's usable ranges (0x0-0x7ffffff, 0x8100000-0xffffffffffff): it overlaps a reserved region (vfio-dump iommu)"
	# Nothing was left mapped: the same IOVA maps again.
	run "$BENCH" dma-map "$EDU" --sizes 4K -n 5 --iova 0x100000
	assert_success
}

@test "irq: MSI through the ITS and INTx, loopback and raised by the edu: every interrupt received" {
	assert_irqs_received "$EDU" "--type msi" "--type intx" "--type msi --trigger device" "--type intx --trigger device"
	# While the edu's MSI is enabled, the GICv3 ITS domain delivers it.
	"$BENCH" irq "$EDU" --type msi --trigger device --duration 60 >/dev/null 2>&1 &
	local pid=$! line
	run timeout 120 bash -c "until grep -q 'ITS-PCI-MSI-$EDU .*vfio-msi' /proc/interrupts; do sleep 0.05; done"
	line=$(grep "ITS-PCI-MSI-$EDU" /proc/interrupts || true)
	kill -TERM $pid
	wait $pid || true
	assert_success
	assert_regex "$line" "^ *[0-9]+: +[0-9]+ +ITS-PCI-MSI-$EDU +0 Edge +vfio-msi\\[0\\]\\($EDU\\)\$"
	run grep -c vfio /proc/interrupts
	assert_output 0
}
