#!/usr/bin/env bats
# A process that holds the edu through VFIO is named, and unbind and restore refuse the
# device instead of blocking in the kernel (vfio-pci's remove waits for every device fd):
#   1. the device fd alone (group and container closed): on Linux 6.18+ its fdinfo names
#      the device ("holds its VFIO device fd"); before, the conservative line;
#   2. the group node open; 3. the cdev open (kernels with VFIO cdevs).
# check names the holder too. The holder is tests/vm/hold-device-fd; every vfio-admin
# that could block runs under a watchdog that kills the holder, which frees the kernel.
load common
bats_require_minimum_version 1.5.0

EDU=0000:01:00.0
HOLD=$BATS_TEST_DIRNAME/hold-device-fd

setup() {
	[[ -f ${LAB_TOPOLOGY:-} ]] || fail "LAB_TOPOLOGY is unset: run this file with tests/vm/run-tests"
	[[ -x $ADMIN ]] || fail "no $ADMIN: build the tools first (make)"
	scan_sysfs
	run timeout 60 "$ADMIN" bind "$EDU"
	assert_success
	GROUP=/dev/vfio/$(basename "$(readlink "/sys/bus/pci/devices/$EDU/iommu_group")")
	HOLDER_PID='' HOLDER_IN=''
}

teardown() {
	if [[ -n $HOLDER_PID ]]; then
		kill "$HOLDER_PID" 2>/dev/null || true
		wait "$HOLDER_PID" 2>/dev/null || true
	fi
	[[ -z $HOLDER_IN ]] || exec {HOLDER_IN}>&-
	timeout 60 "$ADMIN" restore >/dev/null 2>&1 || true
}

# Linux MAJOR.MINOR or newer runs here.
kernel_at_least() { # MAJOR MINOR
	local release major minor
	read -r release </proc/sys/kernel/osrelease
	IFS=.- read -r major minor _ <<<"$release"
	((major > $1 || (major == $1 && minor >= $2)))
}

# Starts hold-device-fd [MODE] on the edu, waits (30 s at most) for its "ready"; sets
# HOLDER_PID and HOLDER_WHO ("pid N (COMM)"). Its stdin is a FIFO held open here.
start_holder() { # [--group|--cdev]
	local fifo=$BATS_TEST_TMPDIR/holder.in out=$BATS_TEST_TMPDIR/holder.out line='' comm
	local deadline=$((SECONDS + 30))
	mkfifo "$fifo"
	python3 "$HOLD" "$@" "$EDU" <"$fifo" >"$out" 2>&1 3>&- &
	HOLDER_PID=$!
	exec {HOLDER_IN}>"$fifo"
	until read -r line <"$out" && [[ $line == ready ]]; do
		kill -0 "$HOLDER_PID" 2>/dev/null || fail "hold-device-fd $* died: $(<"$out")"
		((SECONDS < deadline)) || fail "hold-device-fd $* not ready after 30 s"
		sleep 0.05
	done
	read -r comm <"/proc/$HOLDER_PID/comm"
	HOLDER_WHO="pid $HOLDER_PID ($comm)"
}

# The holder's fd links, one a line, sorted.
holder_fds() {
	local fd
	for fd in /proc/"$HOLDER_PID"/fd/*; do readlink "$fd"; done | sort
}

# Runs vfio-admin ARGS... into status, output and stderr. Should it still run after
# 60 s, it is blocked in the kernel: the holder is killed, which ends the kernel's
# wait, and the test fails.
admin_guarded() { # ARGS...
	local out=$BATS_TEST_TMPDIR/admin.out err=$BATS_TEST_TMPDIR/admin.err pid
	"$ADMIN" "$@" >"$out" 2>"$err" 3>&- &
	pid=$!
	if ! timeout 60 tail --pid="$pid" -f /dev/null; then
		kill "$HOLDER_PID"
		wait "$pid" || true
		fail "vfio-admin $* blocked for 60 s (freed by killing the holder)"
	fi
	status=0
	wait "$pid" || status=$?
	output=$(<"$out")
	stderr=$(<"$err")
}

# unbind and restore refuse the edu with WHY, exit 1, and leave it on vfio-pci.
assert_refused() { # WHY
	local cmd
	for cmd in unbind restore; do
		admin_guarded "$cmd" "$EDU"
		assert_equal "$status" 1
		assert_equal "$stderr" "vfio-admin: $EDU: in use by the host: $1; --force overrides"
		assert_equal "$(basename "$(readlink "/sys/bus/pci/devices/$EDU/driver")")" vfio-pci
	done
}

# check --json's vfio.holder messages about the edu.
holder_findings() {
	run timeout 120 "$ADMIN" check --json "$EDU"
	jq -r --arg a "$EDU" '.findings[] | select(.id == "vfio.holder" and .subject == $a) | .message' <<<"$output"
}

@test "the VFIO device fd alone: named through fdinfo (Linux 6.18+) or conservatively; unbind and restore refuse, then work once it is closed" {
	local why held
	start_holder
	run holder_fds
	[[ $output == *'anon_inode:[vfio-device]'* && $output != *"$GROUP"* && $output != */dev/vfio/vfio* ]] ||
		fail "the holder does not hold the device fd alone: $output"
	if kernel_at_least 6 18; then
		why="$HOLDER_WHO holds its VFIO device fd"
		held="held by $HOLDER_WHO through its VFIO device fd"
	else
		why="$HOLDER_WHO holds a VFIO device fd; Linux before 6.18 does not say which device"
		held="maybe held by $HOLDER_WHO: it holds a VFIO device fd, and Linux before 6.18 does not say which device"
	fi
	assert_refused "$why"
	assert_equal "$(holder_findings)" "$held"
	# Not on a VFIO driver: a device fd that names no device is not this one's.
	admin_guarded unbind --dry-run "${PARENT[$EDU]}"
	assert_success
	assert_equal "$stderr" ""

	kill "$HOLDER_PID"
	wait "$HOLDER_PID" || true
	HOLDER_PID=''
	admin_guarded restore "$EDU"
	assert_success
	[[ $(basename "$(readlink "/sys/bus/pci/devices/$EDU/driver")") != vfio-pci ]]
}

@test "the group node open: named with the node" {
	start_holder --group
	run holder_fds
	[[ $output == *"$GROUP"* && $output != *'anon_inode:[vfio-device]'* ]] ||
		fail "the holder does not hold the group node alone: $output"
	assert_refused "$HOLDER_WHO has $GROUP open"
	assert_equal "$(holder_findings)" "held by $HOLDER_WHO through $GROUP"
}

@test "the cdev open: named with the node" {
	local cdev
	cdev=$(echo /sys/bus/pci/devices/$EDU/vfio-dev/vfio*)
	# Without CONFIG_VFIO_DEVICE_CDEV (Debian's kernels) vfio-dev/vfioN has no dev number.
	[[ -e $cdev/dev ]] || skip "no VFIO cdevs on this kernel ($LAB_KERNEL)"
	cdev=/dev/vfio/devices/${cdev##*/}
	start_holder --cdev
	assert_refused "$HOLDER_WHO has $cdev open"
	assert_equal "$(holder_findings)" "held by $HOLDER_WHO through $cdev"
}
