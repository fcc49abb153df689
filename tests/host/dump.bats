#!/usr/bin/env bats
# vfio-dump without VFIO: usage errors and the refusals that come before any
# ioctl (not bound, no IOMMU, group not viable, no /dev/vfio), against fake
# sysfs trees. What VFIO itself answers is tested in the lab (tests/vm/dump.bats).

load helpers

setup_file() { fixtures_setup q35-lab noiommu; }

DUMP="$VFIO_TOOLS_BIN/vfio-dump"

# dump FIXTURE ARGS...: vfio-dump against a fixture, with an empty /dev.
dump() {
    local fixture="$1"
    shift
    mkdir -p "$BATS_FILE_TMPDIR/dev"
    VFIO_TOOLS_SYSFS="$(fx "$fixture")" VFIO_TOOLS_DEV="$BATS_FILE_TMPDIR/dev" "$DUMP" "$@"
}

# refused FIXTURE REGEX ARGS...: exit 2, one stderr line "vfio-dump: " + REGEX.
refused() {
    local fixture="$1" regex="$2"
    shift 2
    run --separate-stderr dump "$fixture" "$@"
    assert_usage_error vfio-dump
    [[ "${stderr_lines[0]}" =~ ^vfio-dump:\ $regex ]] || fail "'${stderr_lines[0]}' does not match '$regex'"
}

@test "help: the program and every command answer --help with their options" {
    run "$DUMP" --help
    assert_success
    for c in info config regions bars read write irqs iommu; do
        assert_line --regexp "^  $c +"
        run "$DUMP" "$c" --help
        assert_success
        assert_line --regexp '--json'
        assert_line --regexp '--backend=auto\|group\|iommufd'
        run "$DUMP" --help
    done
    run "$DUMP" config --help
    assert_line --regexp '--diff-sysfs'
    run "$DUMP" read --help
    assert_line --regexp '--width=1\|2\|4\|8'
    assert_line --regexp '--mmap'
}

@test "usage errors: missing or extra arguments, bad options and numbers" {
    refused q35-lab "vfio-dump info: missing argument: usage: vfio-dump info \[OPTIONS\] DEVICE$" info
    refused q35-lab "0000:00:04.0: unexpected argument: " info 0000:01:00.0 0000:00:04.0
    refused q35-lab "--bogus: unknown option" config --bogus 0000:01:00.0
    refused q35-lab "frobnicate: unknown command" frobnicate
    refused q35-lab "tcp: unknown backend: use auto, group or iommufd$" info --backend tcp 0000:01:00.0
    refused q35-lab "vfio-dump read: missing argument: " read 0000:01:00.0 BAR0 0
    refused q35-lab "3: invalid --width: use 1, 2, 4 or 8$" read --width 3 0000:01:00.0 BAR0 0 4
    refused q35-lab "x: invalid --width: not a number" read --width x 0000:01:00.0 BAR0 0 4
    refused q35-lab "BAR9: unknown region: " read 0000:01:00.0 BAR9 0 4
    refused q35-lab "zz: invalid offset: not a number" read 0000:01:00.0 BAR0 zz 4
    refused q35-lab "-4: unknown option: " read 0000:01:00.0 BAR0 -4 4
    refused q35-lab "0: invalid length: must be at least 1$" read 0000:01:00.0 BAR0 0 0
    refused q35-lab "0x2000000: invalid length: out of range \(at most 16777216\)$" read 0000:01:00.0 BAR0 0 0x2000000
    refused q35-lab "99999999999999999999: invalid offset: not a number" read 0000:01:00.0 BAR0 99999999999999999999 4
    refused q35-lab "vfio-dump write: refusing to write without --force: " write --width 4 0000:01:00.0 BAR0 0 1
    refused q35-lab "vfio-dump write: --width is required: " write --force 0000:01:00.0 BAR0 0 1
    refused q35-lab "0x100: invalid value: out of range \(at most 255\)$" write --force --width 1 0000:01:00.0 BAR0 0 0x100
}

@test "refusals before VFIO: bad address, no device, not bound, no IOMMU group, not viable, no /dev/vfio" {
    refused q35-lab "zz:00.0: invalid PCI address: " info zz:00.0
    refused q35-lab "0000:42:00.0: no such PCI device" config 0000:42:00.0
    refused q35-lab "0000:00:03.0: not bound to vfio-pci: it has no driver; run 'vfio-admin bind 0000:00:03.0' first$" info 00:03.0
    refused q35-lab "0000:00:04.0: not bound to vfio-pci: its driver is pcieport; run 'vfio-admin bind 0000:00:04.0' first$" regions 0000:00:04.0
    refused q35-lab "0000:00:09.0: not bound to vfio-pci: its driver is virtio-pci; " irqs 0000:00:09.0
    refused noiommu "0000:01:00.0: no IOMMU group: the IOMMU is off or absent; (enable VT-d|enable the IOMMU \(AMD-Vi\)|the firmware must describe an SMMU|VFIO on POWER)" info 0000:01:00.0
    refused q35-lab "0000:07:01.0: IOMMU group not viable: group 9 also holds 0000:07:02.0 on virtio-pci; bind the whole group with 'vfio-admin bind --group 0000:07:01.0'$" iommu 0000:07:01.0
    refused q35-lab "0000:01:00.0: cannot open through VFIO: .*/dev/vfio/vfio: No such file or directory; is the vfio module loaded\? \('vfio-admin check'\)$" info 0000:01:00.0
    refused q35-lab "0000:01:00.0: cannot open through VFIO: .*no VFIO device node.*; the group backend may work: --backend group$" info --backend iommufd 0000:01:00.0
}
