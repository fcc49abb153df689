#!/usr/bin/env bats
# vfio-dump iommu's "hardware" section: IOMMU_GET_HW_INFO through the iommufd
# backend, on the iommufd topology (QEMU's intel-iommu with its defaults:
# caching-mode off, aw-bits 39, no scalable mode; the edu at 01:00.0):
#   - the type is intel_vtd and cap/ecap are the values the kernel shows in
#     /sys/class/iommu/dmar0/intel-iommu; the decoded facts are those bits;
#   - by kernel: both lab kernels fill out_max_pasid_log2 (Debian's 6.12.118
#     carries the 6.15 change), 0 for the edu; 7.x adds the capability
#     pci_ats_not_supported (the edu has no ATS), 6.12 reports none;
#   - --backend group, a mediated device, and (Debian's kernels, --kernel newest)
#     no /dev/iommu: one NOTE saying why there is none.
# Run with --kernel iommufd and --kernel iommufd-newest; --kernel newest runs the
# NOTE tests only.
load common
bats_require_minimum_version 1.5.0

EDU=0000:01:00.0
VTD=/sys/class/iommu/dmar0/intel-iommu
MDEV=83b8f4f2-509f-382f-3c1e-e6bfe0fa1002

teardown_file() {
	[[ -e /sys/bus/mdev/devices/$MDEV ]] && echo 1 >"/sys/bus/mdev/devices/$MDEV/remove"
	"$ADMIN" restore "$EDU" >/dev/null 2>&1 || true
}

# true or false: bit BIT of VALUE.
flag() { # VALUE BIT
	if ((($1 >> $2) & 1)); then echo true; else echo false; fi
}

# The iommufd kernels must have /dev/iommu; the others skip what needs it.
need_iommufd() {
	[[ -c /dev/iommu ]] && return
	[[ $LAB_KERNEL_KIND != iommufd* ]] || fail "no /dev/iommu on the $LAB_KERNEL_KIND kernel ($LAB_KERNEL)"
	skip "no /dev/iommu on the $LAB_KERNEL_KIND kernel"
}

# The capabilities the running kernel reports for the edu.
expected_capabilities() {
	local release
	release=$(uname -r)
	if ((${release%%.*} >= 7)); then echo '["pci_ats_not_supported"]'; else echo '[]'; fi
}

@test "iommufd --json: intel_vtd, cap and ecap equal sysfs', decoded as QEMU's defaults; PASID width and capabilities by kernel" {
	local cap ecap
	need_iommufd
	read -r cap <"$VTD/cap"
	read -r ecap <"$VTD/ecap"
	run "$ADMIN" bind "$EDU"
	assert_success
	run --separate-stderr "$DUMP" iommu --backend iommufd --json "$EDU"
	assert_success
	assert_equal "$(jq -c '.hw_info | [.type, .type_name, .data_len, .registers.flags, .registers.cap, .registers.ecap]' <<<"$output")" \
		"[1,\"intel_vtd\",24,\"0x1\",\"0x$cap\",\"0x$ecap\"]"
	assert_equal "$(jq -c '.hw_info | [.capabilities, .dirty_tracking, .max_pasid_log2, .notes, .decoded.flags.errata_772415_spr17]' <<<"$output")" \
		"[$(expected_capabilities),false,0,[],true]"
	assert_equal "$(jq -r '.hw_info_note' <<<"$output")" null
	# The decoded fields are the sysfs registers' bits.
	cap=$((16#$cap)) ecap=$((16#$ecap))
	assert_equal "$(jq -c '.hw_info.decoded.cap | [.domains, .mgaw, .cm, .psi, .sllps, .sagaw]' <<<"$output")" \
		"[$((1 << (4 + 2 * (cap & 7)))),$((((cap >> 16) & 0x3f) + 1)),$(flag $cap 7),$(flag $cap 39),\"2M 1G\",\"39-bit/3-level\"]"
	assert_equal "$(jq -c '.hw_info.decoded.ecap | [.qi, .ir, .pt, .eim, .c, .sc, .pasid, .smts, .slads, .nest, .mhmv]' <<<"$output")" \
		"[$(flag $ecap 1),$(flag $ecap 3),$(flag $ecap 6),$(flag $ecap 4),$(flag $ecap 0),$(flag $ecap 7),$(flag $ecap 40),$(flag $ecap 43),$(flag $ecap 45),$(flag $ecap 26),$(((ecap >> 20) & 15))]"
	# QEMU 7.2's intel-iommu without options: 39-bit, caching mode off, QI, IR, PT, no scalable mode.
	assert_equal "$(jq -c '.hw_info.decoded | [.cap.mgaw, .cap.cm, .ecap.qi, .ecap.ir, .ecap.pt, .ecap.smts]' <<<"$output")" \
		'[39,false,true,true,true,false]'
}

@test "iommufd text: the hardware section with the registers in hex and a line per field" {
	local cap ecap caps
	need_iommufd
	read -r cap <"$VTD/cap"
	read -r ecap <"$VTD/ecap"
	caps=none
	[[ $(expected_capabilities) == '[]' ]] || caps='0x8: pci_ats_not_supported'
	run "$ADMIN" bind "$EDU"
	run --separate-stderr "$DUMP" iommu "$EDU"
	assert_success
	assert_line --regexp '^iommu +iommufd \(IOAS [0-9]+, /dev/vfio/devices/vfio[0-9]+\)$'
	assert_line "hardware      Intel VT-d (intel_vtd, IOMMU_GET_HW_INFO type 1)"
	assert_line "  capabilities    $caps"
	assert_line "  dirty tracking  no"
	assert_line "  PASID width     0: no PASID (not supported by the device or the IOMMU, or not enabled)"
	assert_line "$(printf '  cap             0x%016x' "$((16#$cap))")"
	assert_line "$(printf '  ecap            0x%016x' "$((16#$ecap))")"
	assert_line --regexp '^    CM            no +caching mode'
	assert_line --regexp '^    MGAW          39 +maximum guest address width'
	assert_line --regexp '^    SAGAW         39-bit/3-level +'
	assert_line --regexp '^    SLADS         no +second-level accessed/dirty'
	refute_line --partial NOTE
}

@test "--backend group: one NOTE that IOMMU_GET_HW_INFO needs iommufd; a mediated device has no IOMMU to ask" {
	local note="IOMMU_GET_HW_INFO needs the iommufd backend: --backend group was chosen"
	[[ -c /dev/iommu ]] && note+="; --backend iommufd asks the IOMMU"
	run "$ADMIN" bind "$EDU"
	run --separate-stderr "$DUMP" iommu --backend group "$EDU"
	assert_success
	assert_line "NOTE          $note"
	refute_line --regexp '^hardware'
	run --separate-stderr "$DUMP" iommu --backend group --json "$EDU"
	assert_success
	assert_equal "$(jq -c '[.iommu_type, .hw_info, .hw_info_note]' <<<"$output")" "[\"type1v2\",null,\"$note\"]"
	run "$ADMIN" restore "$EDU"
	assert_success

	[[ -d /sys/class/mdev_bus/mtty ]] || return 0	# the mtty sample: built into the iommufd kernels only
	echo "$MDEV" >/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2/create
	run --separate-stderr "$DUMP" iommu --json "$MDEV"
	assert_success
	assert_equal "$(jq -c '[.backend, .hw_info, .hw_info_note]' <<<"$output")" \
		'["iommufd",null,"IOMMU_GET_HW_INFO: a mediated device has no IOMMU of its own (its parent driver reaches memory through iommufd'"'"'s access API)"]'
	echo 1 >"/sys/bus/mdev/devices/$MDEV/remove"
}

@test "a kernel without iommufd (--kernel newest): the NOTE says there is no /dev/iommu" {
	[[ ! -e /dev/iommu ]] || skip "this kernel has /dev/iommu: --backend auto takes iommufd"
	run "$ADMIN" bind "$EDU"
	assert_success
	run --separate-stderr "$DUMP" iommu "$EDU"
	assert_success
	assert_line "NOTE          IOMMU_GET_HW_INFO needs the iommufd backend: no /dev/iommu on this kernel (CONFIG_IOMMUFD)"
	run --separate-stderr "$DUMP" iommu --json "$EDU"
	assert_equal "$(jq -c '[.backend, .hw_info]' <<<"$output")" '["group",null]'
	run "$ADMIN" restore "$EDU"
	assert_success
}
