#!/usr/bin/env bats
# vfio-admin persist with the real systemd-udevd from the host root, started
# in the guest, on the persist topology (an edu at 0000:01:00.0, a virtio-rng
# on virtio-pci at 0000:00:09.0, a free root port for a hot-plugged edu that
# appears as 0000:02:00.0):
#   1. a malformed line is reported with file and line and skipped, the rest
#      applies; bad input: one line, exit 2;
#   2. persist add (the edu by VENDOR:DEVICE with an owner, the rng by
#      address), then `udevadm trigger --action=add`: both on vfio-pci,
#      /dev/vfio/N owned by the user with mode 0660;
#   3. an edu hot-plugged through QEMU's monitor is bound by the rule alone;
#   4. an add event for every PCI device: udevd (its debug log) starts
#      vfio-admin only for the named devices, once each (the generated
#      70-vfio-tools-persist.rules match them in udev itself);
#   5. persist remove + trigger: every device back to its default driver
#      (virtio-pci; none for the edus), no override left.
# The tests run in order.
load common
bats_require_minimum_version 1.5.0

EDU=0000:01:00.0
RNG=0000:00:09.0
HOT=0000:02:00.0
CONF=/etc/vfio-tools/persist.conf

driver_of() { # ADDR
	local d=/sys/bus/pci/devices/$1/driver
	if [[ -e $d ]]; then (cd -P "$d" && echo "${PWD##*/}"); else echo none; fi
}

node_of() { # ADDR: ls -l style "OWNER:GROUP MODE" of /dev/vfio/N
	local g
	g=$(basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")")
	stat -c '%U:%G %a' "/dev/vfio/$g"
}

setup_file() {
	# udevd wants a /run of its own; the guest's overlay takes the rules file.
	mount -t tmpfs tmpfs /run
	mkdir -p /run/udev /etc/udev/rules.d
	sed "s,@BINDIR@,${VFIO_TOOLS_BIN:-$BATS_TEST_DIRNAME/../../build},g" \
		"$BATS_TEST_DIRNAME/../../udev/70-vfio-tools.rules.in" >/etc/udev/rules.d/70-vfio-tools.rules
	/lib/systemd/systemd-udevd --debug >/tmp/udevd.log 2>&1 &
	echo $! >/tmp/udevd.pid
	export SYSTEMD_IGNORE_CHROOT=1 # udevadm refuses to trigger in the lab's chroot otherwise
	modprobe -a vfio-pci vfio_iommu_type1
}

teardown_file() {
	kill "$(cat /tmp/udevd.pid)" 2>/dev/null || true
}

trigger() { # ADDR...
	local a paths=()
	for a; do paths+=("/sys/bus/pci/devices/$a"); done
	SYSTEMD_IGNORE_CHROOT=1 udevadm trigger --action=add "${paths[@]}"
	# the RUN programs (persist apply, one at a time under its lock) end before
	# their events leave the queue; TCG on a busy host can take minutes
	SYSTEMD_IGNORE_CHROOT=1 udevadm settle --timeout=300 || fail "udevadm settle: events still queued after 300 s"
}

@test "a malformed line is reported with its file and line and skipped, the rest applies; bad input is one line, exit 2" {
	mkdir -p /etc/vfio-tools
	printf '# test\n%s\n%s\n' "zz:00.0 driver=vfio-pci" "$EDU driver=vfio-pci owner=nobody" >"$CONF"
	run --separate-stderr "$ADMIN" persist apply
	assert_success
	assert_regex "${stderr_lines[0]}" "^vfio-admin: $CONF:2: malformed entry skipped: zz:00.0: not a PCI address or VENDOR:DEVICE: .*; the other entries apply\$"
	assert_line "$EDU: (none) -> vfio-pci (persisted)"
	assert_equal "$(driver_of $EDU) $(node_of $EDU)" "vfio-pci nobody:nogroup 660"
	run --separate-stderr "$ADMIN" persist add 1234:11e8
	assert_equal "$status" 2
	assert_equal "${stderr_lines[1]}" "vfio-admin: $CONF: not rewritten: fix or remove the malformed lines above first"
	rm "$CONF"
	run "$ADMIN" persist apply # nothing persisted: the edu goes back (no default driver)
	assert_success
	assert_line "$EDU: no longer persisted: vfio-pci -> (none)"
	assert_line "udev rules: /etc/udev/rules.d/70-vfio-tools-persist.rules removed; udev reloaded"
	[[ ! -e /etc/udev/rules.d/70-vfio-tools-persist.rules ]]
	for bad in "add" "add 12345:1" "add --owner nosuchuser $EDU" "add --driver 'a b' $EDU" "remove $EDU" "frob" "apply zz"; do
		eval "run --separate-stderr \"\$ADMIN\" persist $bad"
		assert_equal "$status" 2
		assert_equal "${#stderr_lines[@]}" 1
		assert_regex "${stderr_lines[0]}" '^vfio-admin: '
	done
}

@test "persist add, then udevadm trigger --action=add: on vfio-pci, /dev/vfio/N owned by the user, 0660" {
	run "$ADMIN" persist add --owner nobody 1234:11e8
	assert_success
	run "$ADMIN" persist add 00:09.0
	assert_success
	assert_line "udev rules: /etc/udev/rules.d/70-vfio-tools-persist.rules written (2 entries); udev reloaded"
	assert_equal "$(grep -v '^#' "$CONF")" "1234:11e8 driver=vfio-pci owner=nobody
$RNG driver=vfio-pci"
	assert_equal "$(driver_of $EDU) $(driver_of $RNG)" "none virtio-pci" # nothing applied yet
	trigger "$EDU" "$RNG"
	assert_equal "$(driver_of $EDU) $(driver_of $RNG)" "vfio-pci vfio-pci"
	assert_equal "$(node_of $EDU)" "nobody:nogroup 660"
	assert_equal "$(node_of $RNG)" "root:root 600"
	run "$ADMIN" persist list --json
	assert_equal "$(jq -c '[.entries[] | [.device, .owner, [.present[] | "\(.address) \(.driver)"]]]' <<<"$output")" \
		"[[\"1234:11e8\",\"nobody\",[\"$EDU vfio-pci\"]],[\"$RNG\",null,[\"$RNG vfio-pci\"]]]"
}

@test "an edu hot-plugged through QEMU's monitor is bound by the udev rule alone, its node owned by the user" {
	[[ ! -e /sys/bus/pci/devices/$HOT ]]
	qemu_monitor device_add edu,bus=rp2,id=hot1 >/dev/null
	wait_for 60 "$HOT appears in sysfs" test -e "/sys/bus/pci/devices/$HOT"
	SYSTEMD_IGNORE_CHROOT=1 udevadm settle --timeout=300 || fail "udevadm settle: events still queued after 300 s"
	assert_equal "$(driver_of $HOT)" vfio-pci
	assert_equal "$(node_of $HOT)" "nobody:nogroup 660"
	assert_equal "$(cat /sys/bus/pci/devices/$HOT/driver_override)" vfio-pci
}

@test "an add event for every PCI device: udevd starts vfio-admin only for the named devices, once each" {
	local from spawned all
	from=$(wc -l </tmp/udevd.log)
	SYSTEMD_IGNORE_CHROOT=1 udevadm trigger --action=add --subsystem-match=pci
	SYSTEMD_IGNORE_CHROOT=1 udevadm settle --timeout=300 || fail "udevadm settle: events still queued after 300 s"
	all=$(ls /sys/bus/pci/devices | wc -l)
	# udevd's debug log: "ADDRESS: Starting 'PROGRAM ARGS'" for each process it spawns
	spawned=$(tail -n +"$((from + 1))" /tmp/udevd.log |
		grep -oE "[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]: Starting '[^']*/vfio-admin " |
		sed 's/: Starting .*//' | sort | uniq -c | awk '{ print $2 " " $1 }' | paste -sd' ')
	echo "$all PCI devices; vfio-admin started for: $spawned" >&3
	assert_equal "$spawned" "$RNG 1 $EDU 1 $HOT 1" # in address order
	(( all > 6 ))
	assert_equal "$(driver_of $EDU) $(driver_of $RNG) $(driver_of $HOT)" "vfio-pci vfio-pci vfio-pci"
}

@test "persist remove, then a trigger: every device back to its default driver, no override left" {
	run "$ADMIN" persist remove 1234:11e8 "$RNG"
	assert_success
	trigger "$EDU" "$RNG" "$HOT"
	assert_equal "$(driver_of $EDU) $(driver_of $RNG) $(driver_of $HOT)" "none virtio-pci none"
	assert_equal "$(cat /sys/bus/pci/devices/{$EDU,$RNG,$HOT}/driver_override | sort -u)" "(null)"
	run "$ADMIN" persist list
	assert_output 'DEVICE         DRIVER     OWNER          PRESENT (DRIVER NOW)'
}
