#!/usr/bin/env bats
# vfio-admin bind, unbind and restore with devices the host uses, on the
# host-devices topology under virtio-iommu (tests/vm/run-tests runs it as
# host-devices@virtio; the topology file lists the devices):
#   1. bad input: one line, exit 2, nothing changed;
#   2. the failure the issue names: vfio-pci's probe of the edu behind the
#      PCI bridge fails with EINVAL (vm-lab.md 9.2) after the first edu of the
#      plan was bound (both without a group until then);
#   3. virtio-rng from virtio-pci to vfio-pci and back, with a real probe
#      failure on the second device of a plan rolled back;
#   4. in use: an interface up with an address, a mounted disk; --force;
#   5. concurrency: 4 processes x 50 random operations on 3 devices.
# On Linux 7.x the edu behind the bridge makes the kernel drop the whole
# virtio-iommu at boot (its probe of that edu fails, and 7.2, unlike 6.12,
# then unregisters the IOMMU): no group, nothing binds. The first test proves
# what vfio-admin says then; the others need binding and skip.
# The state compared at each step is read_state's (common.bash): drivers,
# overrides, records, /dev/vfio/N. The tests run in order, each leaving the
# devices as it found them.
load common

GOOD=0000:01:00.0 # edu below a root port
BAD=0000:02:01.0  # edu behind the pci-bridge
RNG=0000:00:09.0  # virtio-rng-pci
NET=0000:00:0a.0  # virtio-net-pci
BLK=0000:00:0b.0  # virtio-blk-pci
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# The name of the one entry of a glob (the virtio child's interface or
# disk), or ''.
only() { # GLOB
	local m=("$@")
	[[ ${#m[@]} == 1 && -e ${m[0]} ]] && echo "${m[0]##*/}"
	return 0
}

# The driver of the virtio device on the PCI function ADDR, or ''.
virtio_driver() { # ADDR
	local m=(/sys/bus/pci/devices/"$1"/virtio*/driver)
	[[ ${#m[@]} == 1 && -e ${m[0]} ]] && (cd -P "${m[0]}" && echo "${PWD##*/}")
	return 0
}

# Linux 7.x: a registered IOMMU unit, no group at all.
iommu_dropped() {
	local groups=(/sys/kernel/iommu_groups/*) units=(/sys/class/iommu/*)
	[[ $(uname -r) == [7-9].* && ! -e ${groups[0]} && -e ${units[0]} ]]
}

# common.bash's setup, then the skip on a kernel that dropped the IOMMU.
eval "common_$(declare -f setup)"
setup() {
	common_setup
	[[ $BATS_TEST_NUMBER == 1 ]] || ! iommu_dropped ||
		skip "Linux $(uname -r) dropped the virtio-iommu at boot: nothing binds (test 1)"
}

@test "Linux 7.x: the edu behind the bridge makes the kernel drop the virtio-iommu; check notes units without groups, bind says the device is in no group and rolls back" {
	[[ $(uname -r) == [7-9].* ]] || skip "Linux 6.12 keeps the virtio-iommu (the edu behind the bridge alone fails)"
	iommu_dropped || fail "Linux $(uname -r) kept its groups: $(ls /sys/kernel/iommu_groups)"
	run "$ADMIN" check --json
	assert_equal "$(jq -r '.findings[] | select(.id == "iommu.enabled") | "\(.level) \(.message)"' <<<"$output")" \
		"NOTE IOMMU unit registered (0000:00:1c.0), but no device is in an IOMMU group"
	run "$ADMIN" bind "$GOOD"
	assert_failure 1
	assert_line "vfio-admin: $GOOD: switching driver failed: on no driver after 10000 ms instead of vfio-pci: the probe failed: the device is in no IOMMU group, though an IOMMU is registered (the kernel log says why: vfio-admin check too)"
	assert_line "vfio-admin: $GOOD: restored to (none)"
	[[ ! -e /sys/bus/pci/devices/$GOOD/driver ]] || fail "$GOOD is on a driver"
}

@test "--owner hands /dev/vfio/N to the user and reports its memlock; a blacklisted vfio-pci is refused, not loaded" {
	local node group
	run "$ADMIN" bind --owner nobody "$GOOD"
	assert_success
	group=$(basename "$(readlink "/sys/bus/pci/devices/$GOOD/iommu_group")")
	node=/dev/vfio/$group
	assert_line "$GOOD: $node owned by nobody"
	assert_line --regexp '^(PASS|WARN|FAIL)  machine: user nobody: '
	assert_equal "$(stat -c '%U %a' "$node")" "nobody 660"
	run "$ADMIN" restore "$GOOD"
	assert_success

	# Blacklisted and not loaded: administratively prohibited, nothing changes.
	modprobe -r vfio-pci
	echo "blacklist vfio_pci" >/etc/modprobe.d/vfio-tools-test.conf
	run "$ADMIN" bind "$GOOD"
	rm /etc/modprobe.d/vfio-tools-test.conf
	assert_failure 2
	assert_output --regexp "^vfio-admin: vfio-pci: driver unavailable: module vfio[-_]pci is administratively prohibited"
	[[ ! -e /sys/bus/pci/devices/$GOOD/driver ]]
	[[ ! -e /sys/module/vfio_pci ]]
}

@test "bad input: unknown driver, no such device, not root: one line, exit 2, nothing changed; already bound: exit 0, says so" {
	local -A before=()
	local cmd
	rm -rf "$STATE_DIR"
	read_state before

	run "$ADMIN" bind --driver no-such-driver "$RNG"
	assert_failure 2
	assert_equal "${#lines[@]}" 1
	assert_output --regexp '^vfio-admin: no-such-driver: [^:]+: .+'
	for cmd in bind unbind restore; do
		run "$ADMIN" "$cmd" 0000:00:05.0
		assert_failure 2
		assert_output --regexp '^vfio-admin: 0000:00:05\.0: no such device: .+'
		assert_equal "${#lines[@]}" 1
	done

	run "$ADMIN" bind --driver virtio-pci "$RNG"
	assert_success
	assert_output "$RNG: already bound to virtio-pci (nothing to do)"

	# As nobody: refused before anything is read or written; --dry-run works.
	for cmd in "bind $RNG" "unbind $RNG" "restore $RNG" restore; do
		# shellcheck disable=SC2086 # command and device
		run "${NOBODY[@]}" "$ADMIN" $cmd
		assert_failure 2
		assert_output --regexp '^vfio-admin: permission denied: .+'
		assert_equal "${#lines[@]}" 1
	done
	run "${NOBODY[@]}" "$ADMIN" bind --dry-run "$RNG"
	assert_success
	assert_output "$RNG: virtio-pci -> vfio-pci"
	assert_same_state before
}

# Under virtio-iommu neither edu has a group yet: a driver's probe forms it.
@test "virtio-iommu: vfio-pci's probe of the edu behind the PCI bridge fails (EINVAL) after the plan bound the first edu: rolled back, the failure named, no record; the first edu alone binds" {
	[[ $LAB_IOMMU == virtio ]] || skip "the probe fails under virtio-iommu only (vm-lab.md 9.2)"
	local -A before=() want=()
	local n
	read_state before

	run "$ADMIN" bind --timeout 2 "$GOOD" "$BAD"
	assert_failure 1
	assert_line "$GOOD: (none) -> vfio-pci"
	assert_line "$BAD: (none) -> vfio-pci"
	assert_line --regexp "^vfio-admin: $BAD: switching driver failed: .*(probe|EINVAL|Invalid argument)"
	assert_line "vfio-admin: $GOOD: restored to (none)"
	assert_same_state before
	# The premise: the kernel's own word on the probe.
	run dmesg
	assert_output --partial "$BAD: probe with driver vfio-pci failed with error -22"

	# The first edu alone: bound, its group formed, its node there.
	run "$ADMIN" bind --timeout 2 "$GOOD"
	assert_success
	scan_sysfs
	n=${GROUP_OF[$GOOD]:-none}
	assert_output "$GOOD: (none) -> vfio-pci
$GOOD: /dev/vfio/$n"
	copy_state before want
	expect_bound want before "$GOOD"
	want["node $n"]=present
	assert_same_state want
	run "$ADMIN" restore
	assert_success
	assert_output "$GOOD: vfio-pci -> (none)"
	assert_same_state before
}

@test "virtio-rng: virtio-pci -> vfio-pci; a plan failing on its second device (a real probe failure) rolls back; restore: virtio-pci and virtio_rng again" {
	local -A before=() want=()
	local n=${GROUP_OF[$RNG]}
	modprobe virtio_rng # no udev to load it
	read_state before
	assert_equal "$(virtio_driver "$RNG")" virtio_rng

	run "$ADMIN" bind "$RNG"
	assert_success
	assert_output "$RNG: virtio-pci -> vfio-pci
$RNG: /dev/vfio/$n"
	copy_state before want
	expect_bound want before "$RNG"
	want["node $n"]=present
	assert_same_state want

	# virtio-pci takes the rng back, then refuses the edu (its probe: ENODEV,
	# not a virtio device): the rng returns to vfio-pci, its record (the
	# original virtio-pci) kept, the edu without driver and override.
	run "$ADMIN" bind --driver virtio-pci --timeout 1 "$RNG" "$GOOD"
	assert_failure 1
	assert_line "$RNG: vfio-pci -> virtio-pci"
	assert_line "$GOOD: (none) -> virtio-pci"
	assert_line --regexp "^vfio-admin: $GOOD: switching driver failed: .*probe failed"
	assert_line "vfio-admin: $GOOD: restored to (none)"
	assert_line "vfio-admin: $RNG: restored to vfio-pci"
	assert_same_state want

	run "$ADMIN" restore
	assert_success
	assert_output "$RNG: vfio-pci -> virtio-pci"
	assert_same_state before
	assert_equal "$(virtio_driver "$RNG")" virtio_rng
}

@test "in use: an interface up with an address and a mounted disk are refused with the reason; --force proceeds and says so; restore brings them back" {
	local -A before=() want=()
	local ifname disk mnt=$BATS_TEST_TMPDIR/mnt a n lines=()
	modprobe -a virtio_net virtio_blk ext4
	ifname=$(only /sys/bus/pci/devices/$NET/virtio*/net/*)
	disk=$(only /sys/bus/pci/devices/$BLK/virtio*/block/*)
	[[ -n $ifname && -n $disk ]] || fail "no interface ($ifname) or disk ($disk) after modprobe"
	mkfs.ext4 -q "/dev/$disk"
	mkdir "$mnt"
	mount "/dev/$disk" "$mnt"
	ip link set "$ifname" up
	ip addr add 192.0.2.1/24 dev "$ifname"
	read_state before

	local net_why="network interface $ifname is up, has 192\.0\.2\.1/24[^;]*"
	local blk_why="block device $disk is mounted on $mnt"
	for a in bind unbind; do
		run "$ADMIN" "$a" "$NET" "$BLK"
		assert_failure 1
		assert_equal "${#lines[@]}" 2
		assert_line --index 0 --regexp "^vfio-admin: $NET: in use by the host: $net_why; --force overrides\$"
		assert_line --index 1 "vfio-admin: $BLK: in use by the host: $blk_why; --force overrides"
		assert_same_state before
	done

	run "$ADMIN" bind --force "$NET" "$BLK"
	assert_success
	assert_line --regexp "^vfio-admin: $NET: --force overrides: $net_why\$"
	assert_line "vfio-admin: $BLK: --force overrides: $blk_why"
	copy_state before want
	for a in "$NET" "$BLK"; do
		n=${GROUP_OF[$a]}
		assert_line "$a: virtio-pci -> vfio-pci"
		assert_line "$a: /dev/vfio/$n"
		expect_bound want before "$a"
		want["node $n"]=present
	done
	assert_equal "${#lines[@]}" 6
	assert_same_state want

	run "$ADMIN" restore
	assert_success
	assert_output "$NET: vfio-pci -> virtio-pci
$BLK: vfio-pci -> virtio-pci"
	assert_same_state before
	umount -l "$mnt" # the disk of before; restore brought a new one
	ifname=$(only /sys/bus/pci/devices/$NET/virtio*/net/*)
	disk=$(only /sys/bus/pci/devices/$BLK/virtio*/block/*)
	[[ -n $ifname && -n $disk ]] || fail "no interface ($ifname) or disk ($disk) after restore"
}

# OPS random operations on DEVICES, seeded by N; a failure (exit status, the
# command and its output) goes to LOG.
worker() { # N LOG
	local i rc op=() out=$BATS_TEST_TMPDIR/out.$1
	RANDOM=$1
	for ((i = 0; i < OPS; i++)); do
		local d=${DEVICES3[RANDOM % 3]}
		case $((RANDOM % 4)) in
		0) op=(bind "$d") ;;
		1) op=(unbind "$d") ;;
		2) op=(restore "$d") ;;
		3) op=(restore) ;;
		esac
		rc=0
		"$ADMIN" "${op[@]}" >"$out" 2>&1 || rc=$?
		if ((rc != 0)); then
			echo "worker $1, operation $i: vfio-admin ${op[*]}: exit $rc" >>"$2"
			sed 's/^/  /' "$out" >>"$2"
		fi
	done
}

@test "concurrency: 4 processes x 50 random bind/unbind/restore on 3 devices: each succeeds, the records match the kernel, a final restore returns every device, no record left" {
	local -A before=() now=()
	local pids=() w p a bad=() log=$BATS_TEST_TMPDIR/failures
	OPS=${LAB_BIND_OPS:-50}
	DEVICES3=("$RNG" "$NET" "$BLK")
	rm -rf "$STATE_DIR"
	read_state before
	for a in "${DEVICES3[@]}"; do
		[[ ${before["dev $a"]} == 'virtio-pci -' ]] || fail "$a is not on virtio-pci at the start"
	done

	: >"$log"
	for w in 1 2 3 4; do
		worker "$w" "$log" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p"
	done
	run cat "$log"
	assert_output ''

	# Every device off its original driver has a record, and every record
	# says what the device had at the start (virtio-pci, no override).
	read_state now
	for a in "${DEVICES3[@]}"; do
		if [[ ${now["dev $a"]} != 'virtio-pci -' || -n ${now["record $a"]:-} ]]; then
			[[ ${now["record $a"]:-} == 'driver=virtio-pci;override=;' ]] ||
				bad+=("$a ${now["dev $a"]}, record '${now["record $a"]:-}'")
		fi
	done
	for a in "${!now[@]}"; do
		[[ $a != 'record '* || " ${DEVICES3[*]} " == *" ${a#record } "* ]] || bad+=("stray $a")
	done
	assert_equal "inconsistent: ${bad[*]}" "inconsistent: "

	run "$ADMIN" restore
	assert_success
	assert_same_state before
}
