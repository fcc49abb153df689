#!/usr/bin/env bats
# The JSON Schemas of doc/schema against the tools' real outputs on a kernel's VFIO (what the
# host's fake trees cannot give: every vfio-dump and vfio-bench command), in the dump topology
# (an edu, an e1000e, an nvme; Debian's kernels, every IOMMU) and the iommufd topology (the
# built kernels: the cdev backend, IOMMU_GET_HW_INFO, dma-map --compare and --map-file, an
# mtty mdev). Each test keeps its outputs, then validates them with scripts/check-json-schema
# (python3-jsonschema, through the host's root), one run per schema. Binds, then restores.
load common
load ../json-schema
bats_require_minimum_version 1.5.0

BENCH=${ADMIN%/*}/vfio-bench

# The devices the tests bind, by vendor and device (never the lab's own virtio
# devices, whatever their class): the edus, QEMU's e1000e and nvme.
devices() {
	local a v id
	for a in "${DEVICES[@]}"; do
		read -r v <"/sys/bus/pci/devices/$a/vendor"
		read -r id <"/sys/bus/pci/devices/$a/device"
		case $v:$id in
		0x1234:0x11e8 | 0x8086:0x10d3 | 0x1b36:0x0010) echo "$a" ;;
		esac
	done
}

@test "vfio-admin: list, --tree, --mdev, groups, check, slots, persist list; bind the devices" {
	local -a devs
	mapfile -t devs < <(devices)
	valid vfio-admin-list "$ADMIN" list --json
	valid vfio-admin-list "$ADMIN" list --tree --json
	valid vfio-admin-list-mdev "$ADMIN" list --mdev --json
	valid vfio-admin-groups "$ADMIN" groups --json
	valid vfio-admin-check "$ADMIN" check --json
	valid vfio-admin-check "$ADMIN" check --json "${devs[@]}"
	valid vfio-admin-slots "$ADMIN" slots --json
	valid vfio-admin-persist-list "$ADMIN" persist list --json
	run "$ADMIN" bind "${devs[@]}"
	assert_success
	valid vfio-admin-list "$ADMIN" list --json
	valid vfio-admin-groups "$ADMIN" groups --json
	valid vfio-admin-check "$ADMIN" check --json "${devs[@]}"
	validated
}

@test "vfio-dump: info, config, regions, bars, read, write, irqs, iommu, rom of each device, through each backend" {
	local a b edu=${EDUS[0]} rc
	local -a backends=(auto)
	[[ -c /dev/iommu ]] && backends+=(group iommufd)
	for a in $(devices); do
		for b in "${backends[@]}"; do
			valid vfio-dump-info "$DUMP" info --json --backend "$b" "$a"
			valid vfio-dump-config "$DUMP" config --json --backend "$b" "$a"
			valid vfio-dump-config "$DUMP" config -xxx --diff-sysfs --json --backend "$b" "$a"
			valid vfio-dump-regions "$DUMP" regions --json --backend "$b" "$a"
			valid vfio-dump-regions "$DUMP" bars --json --backend "$b" "$a"
			valid vfio-dump-irqs "$DUMP" irqs --json --backend "$b" "$a"
			valid vfio-dump-iommu "$DUMP" iommu --json --backend "$b" "$a"
			valid vfio-dump-read "$DUMP" read --json --backend "$b" "$a" CONFIG 0 64
		done
		# A device without a ROM image (the edu, an nvme without romfile) exits 2: nothing to check.
		rc=0
		"$DUMP" rom --json "$a" >/dev/null 2>&1 || rc=$?
		((rc == 2)) || valid vfio-dump-rom "$DUMP" rom --json -o "$BATS_TEST_TMPDIR/rom" "$a"
	done
	valid vfio-dump-read "$DUMP" read --json "$edu" BAR0 0 16 --width 4
	valid vfio-dump-read "$DUMP" read --json "$edu" BAR0 0 16 --width 8 --mmap
	# edu's BAR0+4 is its liveness register: it reads back the inverse of what is written.
	valid vfio-dump-read "$DUMP" write --json --force --width 4 "$edu" BAR0 4 0x12345678
	valid vfio-dump-read "$DUMP" write --json --force --width 4 --mmap "$edu" BAR0 4 0x12345678
	validated
}

@test "vfio-bench: dma-map, irq, mmio; with iommufd, dma-map --compare and --map-file" {
	local edu=${EDUS[0]}
	valid vfio-bench "$BENCH" dma-map "$edu" --sizes 4K,2M -n 20 --json
	valid vfio-bench "$BENCH" irq "$edu" -n 20 --json
	valid vfio-bench "$BENCH" mmio "$edu" -n 50 --access both --json
	if [[ -c /dev/iommu ]]; then
		valid vfio-bench "$BENCH" dma-map "$edu" --compare --sizes 4K,64K -n 20 --json
		valid vfio-bench "$BENCH" dma-map "$edu" --map-file --sizes 4K -n 20 --json
		valid vfio-bench "$BENCH" irq "$edu" --backend iommufd -n 20 --json
	fi
	validated
}

@test "an mtty mediated device (the iommufd kernels): list --mdev, vfio-dump by its UUID" {
	local uuid=83b8f4f2-509f-382f-3c1e-e6bfe0fa1002 types=/sys/class/mdev_bus/mtty/mdev_supported_types
	[[ -d $types ]] || skip "no mtty in this kernel (LAB_KERNEL=${LAB_KERNEL:-debian})"
	echo "$uuid" >"$types/mtty-2/create"
	valid vfio-admin-list-mdev "$ADMIN" list --mdev --json
	valid vfio-dump-info "$DUMP" info --json "$uuid"
	valid vfio-dump-regions "$DUMP" regions --json "$uuid"
	valid vfio-dump-irqs "$DUMP" irqs --json "$uuid"
	valid vfio-dump-iommu "$DUMP" iommu --json "$uuid"
	echo 1 >"/sys/bus/mdev/devices/$uuid/remove"
	validated
}

@test "restore the devices" {
	run "$ADMIN" restore
	assert_success
}
