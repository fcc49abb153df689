#!/usr/bin/env bats
# A lab guest's snapshot analysed on the host: the guest (the dump topology: an edu, bound
# to vfio-pci first, an e1000e, an nvme whose DSN QEMU fills) takes `vfio-admin snapshot`
# and its own list, groups, check and slots --json (tests/vm/snapshot-guest); the host,
# with another kernel and no IOMMU, analyses the snapshot with --sysroot and must give the
# same JSON, but for the findings marked live-only (tests/snapshot-compare.bash); the
# outputs match doc/schema. Runs on the host (a "host:" topology); kernel: $LAB_KERNEL_KIND.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load ../snapshot-compare
load ../json-schema

KIND=${LAB_KERNEL_KIND:-debian}
ADMIN=${VFIO_TOOLS_BIN:-$BATS_TEST_DIRNAME/../../build}/vfio-admin

# guest IOMMU: the snapshot of a guest under it, unpacked into $G
guest() {
	G=$BATS_TEST_TMPDIR/$1
	mkdir -p "$G"
	run --separate-stderr "$BATS_TEST_DIRNAME/lab" --topology dump --iommu "$1" --kernel "$KIND" -- \
		"$BATS_TEST_DIRNAME/snapshot-guest"
	[[ $status == 0 ]] || fail "guest ($1, $KIND): exit $status: ${output: -2000} $stderr"
	sed -n '/^SNAPSHOT-BEGIN$/,/^SNAPSHOT-END$/{//!p}' <<<"$output" | base64 -d | tar -xf - -C "$G" ||
		fail "no snapshot in the guest's output: ${output: -2000}"
}

# The host's analysis of $G/snap.tar equals the guest's own, command by command.
same_as_guest() {
	local name args
	set -f # '*' is vfio-admin's glob
	while read -r name args; do
		# shellcheck disable=SC2086 # args are words
		valid "vfio-admin-${name%%-*}" "$ADMIN" $args --json --sysroot "$G/snap.tar"
		# shellcheck disable=SC2086
		"$ADMIN" $args --json --sysroot "$G/snap.tar" >"$G/snap-$name.json" 2>"$G/err" || (($? == 1)) ||
			fail "$args --sysroot: $(<"$G/err")"
		snapshot_same "$G/live-$name.json" "$G/snap-$name.json"
	done <<<"$SNAPSHOT_COMMANDS"
	set +f
	validated
}

@test "$KIND: intel-iommu guest's snapshot, analysed here, gives its list, groups, check and slots" {
	guest intel
	same_as_guest
	run tar -tf "$G/snap.tar"
	assert_line --regexp '^sys/devices/virtual/iommu/dmar[0-9]+/intel-iommu/ecap$'
	assert_line --regexp '^dev/vfio/[0-9]+$'
	assert_line --regexp '^sys/devices/pci[0-9a-f:]+/.*/vfio-dev/vfio[0-9]+/$'
	assert_line sys/firmware/acpi/tables/DMAR
	# the nvme's DSN (QEMU's is not zero) was masked
	run cat "$G/snapshot.err"
	assert_output --regexp 'snap.tar: [0-9]+ bytes, [1-9][0-9]* serial numbers? masked'
	run jq -r '[.findings[] | select(.live_only) | .id] | unique | join(" ")' "$G/snap-check-all.json"
	assert_output "memlock reset vfio.module.vfio vfio.module.vfio_iommu_type1 vfio.module.vfio_pci"
}

@test "$KIND: AMD-Vi guest's snapshot, analysed here, gives its list, groups, check and slots" {
	[[ $KIND == debian ]] || skip "AMD-Vi and virtio-iommu: on Debian 6.12 only (CI time)"
	guest amd
	same_as_guest
	run tar -tf "$G/snap.tar"
	assert_line --regexp '/iommu/ivhd[0-9]+/amd-iommu/cap$'
	assert_line sys/firmware/acpi/tables/IVRS
}

@test "$KIND: virtio-iommu guest's snapshot, analysed here, gives its list, groups, check and slots" {
	[[ $KIND == debian ]] || skip "AMD-Vi and virtio-iommu: on Debian 6.12 only (CI time)"
	guest virtio
	same_as_guest
	run tar -tf "$G/snap.tar"
	assert_line --regexp '^sys/bus/virtio/devices/virtio[0-9]+$'
}
