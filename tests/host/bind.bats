#!/usr/bin/env bats
# bind, unbind and restore on fake trees: plans (--dry-run), refusals and bad input.
# What the kernel does with the writes is proven in the VM lab (tests/vm/bind.bats).

load helpers

setup_file() { fixtures_setup q35-lab; }

setup() { writable_tree_setup "$(fx q35-lab)"; }

# Drivers and overrides of every device: must not change on a refusal or a dry run.
snapshot() {
    local d
    for d in "$VFIO_TOOLS_SYSFS"/bus/pci/devices/*; do
        echo "${d##*/} $(basename "$(readlink "$d/driver" 2>/dev/null)") $(cat "$d/driver_override")"
    done
}

@test "bind: a group left non-viable is refused with its members; --group plans them all" {
    local before
    before=$(snapshot)
    run --separate-stderr "$ADMIN" bind --dry-run 0000:07:01.0
    assert_equal "$status" 1
    assert_equal "$stderr" "vfio-admin: 0000:07:01.0: IOMMU group not viable: group 9 also holds 0000:07:02.0 (virtio-pci); bind them too with --group"
    run --separate-stderr "$ADMIN" bind --dry-run --group 0000:07:01.0
    assert_success
    assert_equal "$output" "0000:07:01.0: already bound to vfio-pci (nothing to do)
0000:07:02.0: virtio-pci -> vfio-pci"
    assert_equal "$(snapshot)" "$before"
    [[ ! -e $VFIO_TOOLS_STATE ]]
}

@test "bind: devices in use are refused with the reason; --force says what it overrides" {
    local nvme
    nvme=$(readlink -f "$VFIO_TOOLS_SYSFS/bus/pci/devices/0000:09:00.0")
    mkdir -p "$nvme/nvme/nvme0/nvme0n1/nvme0n1p2"
    echo 259:0 >"$nvme/nvme/nvme0/nvme0n1/dev"
    echo 259:2 >"$nvme/nvme/nvme0/nvme0n1/nvme0n1p2/dev"
    echo 2 >"$nvme/nvme/nvme0/nvme0n1/nvme0n1p2/partition"
    echo "29 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw" >"$VFIO_TOOLS_PROC/self/mountinfo"
    run --separate-stderr "$ADMIN" bind --dry-run --group 0000:09:00.0
    assert_equal "$status" 1
    assert_equal "$stderr" "vfio-admin: 0000:09:00.0: in use by the host: block device nvme0n1p2 is mounted on /; --force overrides"
    [[ -z $output ]]
    run --separate-stderr "$ADMIN" bind --dry-run --force 0000:09:00.0
    assert_success
    assert_equal "$stderr" "vfio-admin: 0000:09:00.0: --force overrides: block device nvme0n1p2 is mounted on /"
    assert_equal "$output" "0000:09:00.0: nvme -> vfio-pci"
}

@test "unbind and restore plans; restore without a record lets the kernel pick" {
    run --separate-stderr "$ADMIN" unbind --dry-run 0000:07:02.0 0000:00:03.0
    assert_success
    assert_equal "$output" "0000:00:03.0: already without a driver (nothing to do)
0000:07:02.0: virtio-pci -> (none)"
    mkdir -p "$VFIO_TOOLS_STATE"
    printf 'driver=virtio-pci\noverride=\n' >"$VFIO_TOOLS_STATE/0000:07:02.0"
    run --separate-stderr "$ADMIN" restore --dry-run
    assert_success
    assert_equal "$output" "0000:07:02.0: already on virtio-pci as recorded (nothing to do)"
    [[ -e $VFIO_TOOLS_STATE/0000:07:02.0 ]]   # a dry run forgets nothing
    run --separate-stderr "$ADMIN" restore --dry-run 0000:01:00.0
    assert_equal "$output" "0000:01:00.0: vfio-pci -> (kernel's choice)"
    printf 'garbage\n' >"$VFIO_TOOLS_STATE/0000:01:00.0"
    run --separate-stderr "$ADMIN" restore --dry-run 0000:01:00.0
    assert_equal "$status" 1
    [[ $stderr == "vfio-admin: 0000:01:00.0: unreadable record: "* ]]
}

@test "bad input: one line, exit 2, nothing changed" {
    local before
    before=$(snapshot)
    for args in "bind" "bind --dry-run 0000:99:00.0" "bind --dry-run --driver '' 01:00.0" \
        "bind --dry-run --driver a/b 01:00.0" "bind --dry-run --timeout 0 01:00.0" \
        "bind --dry-run --timeout x 01:00.0" "bind --dry-run --owner no-such-user-x 01:00.0" \
        "bind --dry-run --owner root:no-such-group-x 01:00.0" "bind --dry-run -d 9999:" \
        "bind -k nvme 01:00.0" "unbind" "restore --dry-run zz:00.0" "unbind --dry-run --timeout -1 01:00.0"; do
        eval "run --separate-stderr \"\$ADMIN\" $args"
        assert_usage_error
    done
    assert_equal "$(snapshot)" "$before"
}

@test "not root: bind, unbind and restore refuse up front; --dry-run works" {
    local nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups) open
    # bats' own directories are private: give nobody a readable copy of the tree.
    open=$(mktemp -d /tmp/vfio-tools-nonroot.XXXXXX)
    cp -a "$VFIO_TOOLS_SYSFS" "$VFIO_TOOLS_PROC" "$open/"
    chmod -R a+rX "$open"
    VFIO_TOOLS_SYSFS=$open/sys VFIO_TOOLS_PROC=$open/proc
    run --separate-stderr "${nobody[@]}" "$ADMIN" bind 0000:01:00.0
    assert_usage_error
    assert_equal "$stderr" "vfio-admin: permission denied: changing drivers needs root: run it as root (--dry-run does not)"
    run --separate-stderr "${nobody[@]}" "$ADMIN" restore
    assert_usage_error
    run --separate-stderr "${nobody[@]}" "$ADMIN" bind --dry-run 0000:05:00.0
    assert_success
    assert_equal "$output" "0000:05:00.0: pci-stub -> vfio-pci"
    rm -rf "$open"
}
