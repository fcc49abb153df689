#!/usr/bin/env bats
# vfio-admin snapshot in a foreign-architecture guest (POWER pseries with its device
# tree's DMA windows; Arm virt with an SMMUv3 and a GICv3 ITS, ACPI or device tree),
# analysed there with --sysroot: the same list, groups, check and slots --json as the
# machine's own, but for the findings marked live-only (tests/snapshot-compare.bash).
# tests/vm/snapshot.bats analyses x86 guests' snapshots on the host. Linked into each
# lab's tests/ (their common.bash sets CROSS_BUILD and the edus).
load common
load ../../../snapshot-compare

@test "snapshot: --sysroot gives this machine's list, groups, check and slots" {
	local name args
	run --separate-stderr "$ADMIN" snapshot -o "$BATS_TEST_TMPDIR/s.tar"
	assert_success
	set -f # '*' is vfio-admin's glob
	while read -r name args; do
		# shellcheck disable=SC2086 # args are words
		"$ADMIN" $args --json >"$BATS_TEST_TMPDIR/live.json" 2>/dev/null || (($? == 1)) || fail "$args"
		# shellcheck disable=SC2086
		"$ADMIN" $args --json --sysroot "$BATS_TEST_TMPDIR/s.tar" >"$BATS_TEST_TMPDIR/snap.json" \
			2>"$BATS_TEST_TMPDIR/err" || (($? == 1)) || fail "$args --sysroot: $(<"$BATS_TEST_TMPDIR/err")"
		snapshot_same "$BATS_TEST_TMPDIR/live.json" "$BATS_TEST_TMPDIR/snap.json"
		cp "$BATS_TEST_TMPDIR/snap.json" "$BATS_TEST_TMPDIR/snap-$name.json"
	done <<<"$SNAPSHOT_COMMANDS"
	set +f
	# the platform's own evidence came through: POWER's windows, Arm's SMMUv3
	run jq -r '[.findings[] | select(.live_only | not) | .id] | unique | join(" ")' "$BATS_TEST_TMPDIR/snap-check-all.json"
	case $(uname -m) in
	ppc64le) assert_output --partial spapr.window ;;
	aarch64) assert_output --partial iommu.reserved ;;
	esac
}
