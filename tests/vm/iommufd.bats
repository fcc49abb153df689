#!/usr/bin/env bats
# The modern VFIO path on the lab's iommufd kernel (tests/vm/kernel-build,
# topology iommufd: an edu alone below a root port, intel-iommu):
#   1. check reports iommufd and cdevs and that --backend auto takes them;
#      bind --owner hands both /dev/vfio/N and /dev/vfio/devices/vfioN over;
#   2. vfio-dump info, config, regions, irqs through the cdev equal the group
#      backend's; iommu shows the IOAS's IOVA ranges;
#   3. vfio-bench dma-map --compare: type1 and iommufd on the same device and
#      sizes in one run, every mapping proven by the edu's DMA, the ratios;
#      irq through the cdev.
load common
bats_require_minimum_version 1.5.0

BENCH=${ADMIN%/*}/vfio-bench
EDU=0000:01:00.0

@test "check: iommufd and cdevs offered, auto takes iommufd; bind --owner hands the group node and the cdev over" {
	local cdev backend
	[[ -c /dev/iommu ]] || fail "no /dev/iommu: not the iommufd kernel (LAB_KERNEL=$LAB_KERNEL)"
	run "$ADMIN" check --json "$EDU"
	assert_success
	assert_equal "$(jq -r '.findings[] | select(.subject == "machine" and (.id | startswith("vfio.iommufd") or startswith("vfio.cdev") or startswith("vfio.backend"))) | .message' <<<"$output")" \
		"iommufd (/dev/iommu): present
VFIO device cdevs (/dev/vfio/devices/vfioN): offered by this kernel
VFIO backend (--backend auto): iommufd: each device's cdev bound to /dev/iommu"
	assert_equal "$(jq -r ".findings[] | select(.subject == \"$EDU\" and .id == \"vfio.backend\") | .message" <<<"$output")" \
		"once bound to vfio-pci, VFIO opens it through its cdev on iommufd"

	run "$ADMIN" bind --owner nobody "$EDU"
	assert_success
	cdev=$(echo /sys/bus/pci/devices/$EDU/vfio-dev/vfio*)
	cdev=/dev/vfio/devices/${cdev##*/}
	assert_line "$EDU: /dev/vfio/${GROUP_OF[$EDU]} owned by nobody"
	assert_line "$EDU: $cdev owned by nobody"
	assert_equal "$(stat -c '%U %a' "/dev/vfio/${GROUP_OF[$EDU]}" "$cdev")" "nobody 660
nobody 660"
	run "$ADMIN" check "$EDU"
	assert_success
	assert_line "NOTE  $EDU: VFIO backend (--backend auto): iommufd through $cdev (group node /dev/vfio/${GROUP_OF[$EDU]})"
	assert_line "PASS  $EDU: assignable alone (IOMMU group ${GROUP_OF[$EDU]})"
	# VFIO's reset flag, read through either backend.
	for backend in group iommufd; do
		run "$ADMIN" check --backend "$backend" "$EDU"
		assert_line "PASS  $EDU: VFIO's reset flag: set (agrees)"
	done
}

@test "vfio-dump through the cdev: info, config, regions and irqs equal the group backend's; iommu: the IOAS's IOVA ranges" {
	local cmd group iommufd
	run "$DUMP" info "$EDU"
	assert_success
	assert_line --regexp "^backend +iommufd \(/dev/vfio/devices/vfio[0-9]+, IOAS [0-9]+\)$"
	for cmd in "info --json" "config -xxx" "config --json" "regions --json" "irqs --json"; do
		# shellcheck disable=SC2086 # command and options
		group=$("$DUMP" $cmd --backend group "$EDU")
		# shellcheck disable=SC2086
		iommufd=$("$DUMP" $cmd --backend iommufd "$EDU")
		[[ $cmd == *--json ]] && group=$(jq -c 'del(.backend, .cdev, .ioas)' <<<"$group") &&
			iommufd=$(jq -c 'del(.backend, .cdev, .ioas)' <<<"$iommufd")
		assert_equal "$iommufd" "$group"
	done
	run "$DUMP" iommu --json "$EDU"
	assert_success
	assert_equal "$(jq -c '[.iommu_type, .iova_ranges, .alignment]' <<<"$output")" \
		'["iommufd",[{"start":"0x0","end":"0xfedfffff"},{"start":"0xfef00000","end":"0x7fffffffff"}],"0x1000"]'
	# The type1 container reports the same ranges for the same device.
	run "$DUMP" iommu --json --backend group "$EDU"
	assert_equal "$(jq -c '[.iommu_type, .iova_ranges]' <<<"$output")" \
		'["type1v2",[{"start":"0x0","end":"0xfedfffff"},{"start":"0xfef00000","end":"0x7fffffffff"}]]'
}

@test "vfio-bench: dma-map --compare runs type1 and iommufd on the same sizes, DMA verified, with ratios; irq through the cdev" {
	run --separate-stderr "$BENCH" dma-map --compare --sizes 4K,64K,2M -n 50 --verify --json "$EDU"
	assert_success
	assert_equal "$(jq -c '[.backend, .run.backend, .run.iommu_type]' <<<"$output")" \
		'["compare","group, then iommufd (--compare)","type1v2, then iommufd"]'
	assert_equal "$(jq -c '[.results[] | "\(.backend) \(.case) \(.count)"]' <<<"$output")" \
		'["group group 4K anon map 50","group group 4K anon unmap 50","group group 4K anon map+unmap 50","group group 64K anon map 50","group group 64K anon unmap 50","group group 64K anon map+unmap 50","group group 2M anon map 50","group group 2M anon unmap 50","group group 2M anon map+unmap 50","iommufd iommufd 4K anon map 50","iommufd iommufd 4K anon unmap 50","iommufd iommufd 4K anon map+unmap 50","iommufd iommufd 64K anon map 50","iommufd iommufd 64K anon unmap 50","iommufd iommufd 64K anon map+unmap 50","iommufd iommufd 2M anon map 50","iommufd iommufd 2M anon unmap 50","iommufd iommufd 2M anon map+unmap 50"]'
	assert_equal "$(jq -r '.notes[]' <<<"$output" | grep -c "the device's DMA reached the mapping")" 6
	# Each ratio is iommufd's figure over the group's.
	assert_equal "$(jq -c '[.comparison.base, .comparison.other, (.comparison.cases | length),
		([.comparison.cases[] | select(.p50_ratio <= 0 or ((.iommufd_p50_ns / .group_p50_ns) - .p50_ratio | fabs) > 0.001)] | length)]' <<<"$output")" \
		'["group","iommufd",9,0]'
	run "$BENCH" dma-map --compare --sizes 4K -n 20 "$EDU"
	assert_success
	assert_line "iommufd over group (microseconds; RATIO = iommufd / group):"
	assert_line --regexp '^4K anon map\+unmap +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$'
	run "$BENCH" dma-map --compare --backend group "$EDU"
	assert_failure 2
	assert_output "vfio-bench: --compare: cannot be combined with --backend: it runs the group backend, then iommufd"

	run --separate-stderr "$BENCH" irq --backend iommufd -n 50 --json "$EDU"
	assert_success
	assert_equal "$(jq -c '[.backend, .run.triggers_sent, .run.interrupts_received, .run.timeouts]' <<<"$output")" '["iommufd","50","50","0"]'
	run --separate-stderr "$BENCH" irq --backend iommufd --trigger device -n 20 --json "$EDU"
	assert_success
	assert_equal "$(jq -c '[.run.interrupts_received, .run.timeouts]' <<<"$output")" '["20","0"]'
	run "$ADMIN" restore "$EDU"
	assert_success
	[[ ! -e /sys/bus/pci/devices/$EDU/vfio-dev ]]
}

@test "mdev: an mtty instance in list --mdev; vfio-dump info, regions and irqs by its UUID through the cdev and the group" {
	local uuid=83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 types=/sys/class/mdev_bus/mtty/mdev_supported_types group
	echo "$uuid" >"$types/mtty-2/create"
	group=$(basename "$(readlink /sys/bus/mdev/devices/$uuid/iommu_group)")
	run "$ADMIN" list --mdev --json
	assert_success
	assert_equal "$(jq -c '.mdevs' <<<"$output")" \
		"[{\"uuid\":\"$uuid\",\"parent\":\"mtty\",\"type\":\"mtty-2\",\"name\":\"Dual port serial\",\"device_api\":\"vfio-pci\",\"driver\":\"mtty\",\"iommu_group\":$group,\"cdev\":\"vfio0\"}]"
	run "$ADMIN" list --mdev
	assert_line --index 1 --regexp "^$uuid +mtty +mtty-2 +Dual port serial +vfio-pci +mtty +$group +vfio0$"
	run "$DUMP" info "${uuid^^}"
	assert_success
	assert_line "device        $uuid"
	assert_line "backend       iommufd (/dev/vfio/devices/vfio0, IOAS 2)"
	assert_line "flags         0x2 (PCI)"
	run "$DUMP" info --backend group "$uuid"
	assert_line "backend       group (/dev/vfio/$group)"
	# Two 8-byte I/O BARs (the two ports) and a config region; INTx and MSI.
	run "$DUMP" regions --json "$uuid"
	assert_success
	assert_equal "$(jq -c '[.regions[] | select(.size > 0) | [.name, .size]]' <<<"$output")" '[["BAR0",8],["BAR1",8],["CONFIG",255]]'
	run "$DUMP" irqs --json --backend group "$uuid"
	assert_success
	assert_equal "$(jq -c '[.irqs[] | select(.count > 0) | [.name, .count]]' <<<"$output")" '[["INTX",1],["MSI",1]]'
	run "$DUMP" info "${uuid%1}2"
	assert_failure 2
	assert_output "vfio-dump: ${uuid%1}2: no such mediated device: see 'vfio-admin list --mdev'"
	echo 1 >"/sys/bus/mdev/devices/$uuid/remove"
	run "$ADMIN" list --mdev --json
	assert_equal "$(jq -c .mdevs <<<"$output")" '[]'
}
