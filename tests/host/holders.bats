#!/usr/bin/env bats
# shellcheck disable=SC2154 # stderr: set by run --separate-stderr
# Processes that hold a device through VFIO, on fake trees: /proc/PID/fd links and
# fdinfo files; unbind, restore and bind refuse the device naming the process, check
# reports it. The kernel's side is proven in the VM lab (tests/vm/holders.bats).

load helpers

setup_file() { fixtures_setup q35-lab; }

EDU=0000:01:00.0	# on vfio-pci in IOMMU group 3

setup() {
    export VFIO_TOOLS_SYSFS="$BATS_TEST_TMPDIR/sys" VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" \
        VFIO_TOOLS_DEV="$BATS_TEST_TMPDIR/dev" VFIO_TOOLS_ETC="$BATS_TEST_TMPDIR/etc" \
        VFIO_TOOLS_STATE="$BATS_TEST_TMPDIR/state"
    cp -a "$(fx q35-lab)" "$VFIO_TOOLS_SYSFS"
    mkdir -p "$VFIO_TOOLS_PROC/self" "$VFIO_TOOLS_PROC/net" "$VFIO_TOOLS_DEV/vfio" "$VFIO_TOOLS_ETC"
    : >"$VFIO_TOOLS_PROC/self/mountinfo"
    : >"$VFIO_TOOLS_PROC/swaps"
    printf 'vendor_id\t: GenuineIntel\n' >"$VFIO_TOOLS_PROC/cpuinfo"
}

# The device's path as the kernel's fdinfo writes it: /sys/devices/...
syspath() {
    local root dev
    root=$(readlink -f "$VFIO_TOOLS_SYSFS")
    dev=$(readlink -f "$VFIO_TOOLS_SYSFS/bus/pci/devices/$1")
    echo "/sys${dev#"$root"}"
}

# holder PID COMM FD TARGET [FDINFO-LINE]: a process with one fd link (and its fdinfo)
holder() {
    local dir=$VFIO_TOOLS_PROC/$1
    mkdir -p "$dir/fd" "$dir/fdinfo"
    echo "$2" >"$dir/comm"
    ln -s "$4" "$dir/fd/$3"
    printf 'pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t1057\n%s' "${5:+$5$'\n'}" >"$dir/fdinfo/$3"
}

refused() { # WHY COMMAND...: exit 1, one line naming the holder, no plan
    local why=$1
    shift
    run --separate-stderr "$ADMIN" "$@"
    assert_equal "$status" 1
    assert_equal "$stderr" "vfio-admin: $EDU: in use by the host: $why; --force overrides"
    assert_equal "$output" ""
}

@test "unbind, restore and bind refuse a device whose VFIO device fd a process holds (fdinfo names it)" {
    local why="pid 4242 (qemu-system-x86) holds its VFIO device fd"
    holder 4242 qemu-system-x86 7 'anon_inode:[vfio-device]' "vfio-device-syspath: $(syspath $EDU)"
    refused "$why" unbind --dry-run $EDU
    refused "$why" restore --dry-run $EDU
    refused "$why" bind --dry-run --driver pci-stub $EDU
    run --separate-stderr "$ADMIN" restore --dry-run --force $EDU
    assert_success
    assert_equal "$stderr" "vfio-admin: $EDU: --force overrides: $why"
    assert_equal "$output" "$EDU: vfio-pci -> (kernel's choice)"
    run --separate-stderr "$ADMIN" check --json $EDU
    jq -e --arg m "held by pid 4242 (qemu-system-x86) through its VFIO device fd" \
        '[.findings[] | select(.id == "vfio.holder" and .subject == "0000:01:00.0")] | length == 1 and .[0].message == $m and .[0].level == "NOTE"' <<<"$output"
    jq -e '.findings[] | select(.id == "reset" and (.message | startswith("VFIO'"'"'s reset flag unknown: another process holds")))' <<<"$output"
    run --separate-stderr "$ADMIN" check $EDU
    assert_output --partial "$EDU: held by pid 4242 (qemu-system-x86) through its VFIO device fd"
}

@test "a device fd naming another device, or a device on another driver: not refused" {
    holder 4242 qemu-system-x86 7 'anon_inode:[vfio-device]' "vfio-device-syspath: $(syspath 0000:07:02.0)"
    run --separate-stderr "$ADMIN" unbind --dry-run $EDU
    assert_success
    assert_equal "$output" "$EDU: vfio-pci -> (none)"
    rm "$VFIO_TOOLS_PROC/4242/fdinfo/7"
    holder 4243 python3 5 'anon_inode:[vfio-device]'
    run --separate-stderr "$ADMIN" unbind --dry-run 0000:07:02.0
    assert_success
    assert_equal "$stderr" ""
}

@test "before 6.18 (fdinfo names no device): refused conservatively while the group is busy" {
    local why="pid 4243 (python3) holds a VFIO device fd; Linux before 6.18 does not say which device"
    holder 4243 python3 5 'anon_inode:[vfio-device]'
    refused "$why" unbind --dry-run $EDU
    refused "$why" restore --dry-run $EDU
    run --separate-stderr "$ADMIN" check --json $EDU
    jq -e '.findings[] | select(.id == "vfio.holder" and (.message | startswith("maybe held by pid 4243 (python3): it holds a VFIO device fd")))' <<<"$output"
    # The group node opens: no fd holds a device of the group, so this fd is another's.
    : >"$VFIO_TOOLS_DEV/vfio/3"
    run --separate-stderr "$ADMIN" unbind --dry-run $EDU
    assert_success
    assert_equal "$stderr" ""
}

@test "the group node or the cdev open: named with the node" {
    holder 4244 qemu-system-x86 9 /dev/vfio/3
    refused "pid 4244 (qemu-system-x86) has /dev/vfio/3 open" unbind --dry-run $EDU
    ln -s 'anon_inode:[vfio-device]' "$VFIO_TOOLS_PROC/4244/fd/10"
    printf 'vfio-device-syspath: %s\n' "$(syspath $EDU)" >"$VFIO_TOOLS_PROC/4244/fdinfo/10"
    refused "pid 4244 (qemu-system-x86) holds its VFIO device fd and has /dev/vfio/3 open" restore --dry-run $EDU
    run --separate-stderr "$ADMIN" check --json $EDU
    jq -e '.findings[] | select(.id == "vfio.holder" and .message == "held by pid 4244 (qemu-system-x86) through its VFIO device fd and /dev/vfio/3")' <<<"$output"
}
