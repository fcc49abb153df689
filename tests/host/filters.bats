#!/usr/bin/env bats
# "vfio-admin list" filters: -s, -d, -c, -g, -k, alone and combined (AND).

load helpers

setup_file() { fixtures_setup q35-lab; }

EDUS=(0000:00:03.0 0000:01:00.0 0000:04:00.0 0000:05:00.0 0000:07:01.0)
PCI_BRIDGES=(0000:00:04.0 0000:00:05.0 0000:00:06.0 0000:00:07.0 0000:00:08.0
             0000:00:0a.0 0000:00:0b.0 0000:02:00.0 0000:03:00.0 0000:03:01.0
             0000:06:00.0 10000:00:02.0)

@test "no filter lists every device of the fake tree, in address order" {
    run --separate-stderr admin q35-lab list
    assert_success
    [[ "$(table_addresses)" == "$(fixture_devices q35-lab)" ]] || \
        fail "got: $(table_addresses)"
}

@test "header line has the contract's columns" {
    run --separate-stderr admin q35-lab list
    assert_success
    read -ra cols <<<"${lines[0]}"
    [[ "${cols[*]}" == "ADDRESS CLASS DEVICE IDS DRIVER GROUP VFIO VFIO_DRIVER NUMA" ]] || \
        fail "header: ${lines[0]}"
}

# -d / --id
@test "-d VENDOR: (vendor only)" {
    expect_rows q35-lab "list -d 8086:" 0000:00:00.0 0000:00:0e.0 0000:00:1f.0 \
        0000:00:1f.2 0000:00:1f.3 0000:0a:00.0 10000:00:02.0 10000:01:00.0
}

@test "-d :DEVICE (device only)" {
    expect_rows q35-lab "list -d :11e8" "${EDUS[@]}"
}

@test "-d VENDOR:DEVICE" {
    expect_rows q35-lab "list -d 10de:10f0" 0000:08:00.1
    expect_rows q35-lab "list --id 1234:11e8" "${EDUS[@]}"
    expect_rows q35-lab "list --id=1af4:1005" 0000:07:02.0
}

@test "-d accepts upper-case hex" {
    expect_rows q35-lab "list -d 10DE:10F0" 0000:08:00.1
}

@test "-d matching nothing: empty, exit 0" {
    expect_rows q35-lab "list -d 8086:ffff"
    expect_rows q35-lab "list -d dead:"
}

# -c / --class by name
@test "--class display / vga" {
    expect_rows q35-lab "list --class display" 0000:08:00.0
    expect_rows q35-lab "list -c vga" 0000:08:00.0
}

@test "--class storage (class 01)" {
    expect_rows q35-lab "list --class storage" 0000:00:0e.0 0000:00:1f.2 0000:09:00.0 10000:01:00.0
}

@test "--class nvme / sata (subclass names)" {
    expect_rows q35-lab "list --class nvme" 0000:09:00.0 10000:01:00.0
    expect_rows q35-lab "list --class sata" 0000:00:1f.2
}

@test "--class network / ethernet" {
    expect_rows q35-lab "list --class network" 0000:00:09.0 0000:0a:00.0 0000:0b:00.0
    expect_rows q35-lab "list --class ethernet" 0000:00:09.0 0000:0a:00.0 0000:0b:00.0
}

@test "--class multimedia / audio" {
    expect_rows q35-lab "list --class multimedia" 0000:08:00.1
    expect_rows q35-lab "list --class audio" 0000:08:00.1
}

@test "--class bridge (class 06) and its subclasses" {
    expect_rows q35-lab "list --class bridge" 0000:00:00.0 0000:00:04.0 0000:00:05.0 \
        0000:00:06.0 0000:00:07.0 0000:00:08.0 0000:00:0a.0 0000:00:0b.0 0000:00:1f.0 \
        0000:02:00.0 0000:03:00.0 0000:03:01.0 0000:06:00.0 10000:00:02.0
    expect_rows q35-lab "list --class pci-bridge" "${PCI_BRIDGES[@]}"
    expect_rows q35-lab "list --class host-bridge" 0000:00:00.0
    expect_rows q35-lab "list --class isa-bridge" 0000:00:1f.0
}

@test "--class unclassified and serial" {
    expect_rows q35-lab "list --class unclassified" "${EDUS[@]}"
    expect_rows q35-lab "list --class serial" 0000:00:1f.3
}

@test "--class name with no device: empty, exit 0" {
    expect_rows q35-lab "list --class usb"
    expect_rows q35-lab "list --class wireless"
    expect_rows q35-lab "list --class accelerator"
}

@test "every class name of the contract is accepted" {
    local n
    for n in unclassified storage network display multimedia memory bridge communication \
             system input docking processor serial wireless intelligent satellite encryption \
             signal accelerator instrumentation coprocessor vga nvme sata ethernet usb audio \
             pci-bridge host-bridge isa-bridge; do
        run --separate-stderr admin q35-lab list --class "$n"
        [[ "$status" -eq 0 ]] || fail "--class $n: exit $status, stderr: $stderr"
    done
}

# -c / --class by hex
@test "--class 2-digit hex (class)" {
    expect_rows q35-lab "list --class 03" 0000:08:00.0
    expect_rows q35-lab "list --class 0c" 0000:00:1f.3
    expect_rows q35-lab "list -c ff" 0000:07:02.0
}

@test "--class 4-digit hex (class+subclass)" {
    expect_rows q35-lab "list --class 0300" 0000:08:00.0
    expect_rows q35-lab "list --class 0108" 0000:09:00.0 10000:01:00.0
    expect_rows q35-lab "list --class 0604" "${PCI_BRIDGES[@]}"
    expect_rows q35-lab "list --class 0c05" 0000:00:1f.3
}

@test "--class 6-digit hex (+prog-if)" {
    expect_rows q35-lab "list --class 030000" 0000:08:00.0
    expect_rows q35-lab "list --class 010802" 0000:09:00.0 10000:01:00.0
    expect_rows q35-lab "list --class 010601" 0000:00:1f.2
    expect_rows q35-lab "list --class 010600"
    expect_rows q35-lab "list --class 030001"
}

@test "--class hex in upper case" {
    expect_rows q35-lab "list --class 0C05" 0000:00:1f.3
}

# -g / --group
@test "--group N lists the group's members" {
    expect_rows q35-lab "list --group 9" 0000:06:00.0 0000:07:01.0 0000:07:02.0
    expect_rows q35-lab "list -g 1" 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3
    expect_rows q35-lab "list -g 0" 0000:00:00.0
    expect_rows q35-lab "list --group=14" 0000:08:00.0 0000:08:00.1
}

@test "--group N agrees with iommu_groups/N/devices for every group" {
    local g want
    for g in $(ls "$(fx q35-lab)/kernel/iommu_groups"); do
        want="$(ls "$(fx q35-lab)/kernel/iommu_groups/$g/devices" | LC_ALL=C sort)"
        run --separate-stderr admin q35-lab list --group "$g"
        assert_success
        [[ "$(table_addresses)" == "$want" ]] || \
            fail "group $g: expected [$want], got [$(table_addresses)]"
    done
}

@test "--group with no such group: one-line error, exit 2" {
    run --separate-stderr admin q35-lab list --group 99
    assert_usage_error
    [[ "$stderr" == *"99: no such IOMMU group"* ]] || fail "$stderr"
}

@test "groups takes list's filters: a group shows when a member matches" {
    run --separate-stderr admin q35-lab groups -s 0000:08:00.1 --json
    assert_success
    assert_jq '[.groups[].group] == [14]'
    run --separate-stderr admin q35-lab groups -k nvme --json
    assert_success
    assert_jq '[.groups[].group] == [12, 16]'
}

# -k / --driver
@test "--driver NAME" {
    expect_rows q35-lab "list --driver vfio-pci" 0000:01:00.0 0000:04:00.0 0000:07:01.0 0000:08:00.0
    expect_rows q35-lab "list -k nvme" 0000:09:00.0 10000:01:00.0
    expect_rows q35-lab "list -k pci-stub" 0000:05:00.0 0000:0a:00.0
    expect_rows q35-lab "list --driver mlx5_vfio_pci" 0000:0b:00.0
    expect_rows q35-lab "list --driver=snd_hda_intel" 0000:08:00.1
}

@test "--driver none lists driverless devices" {
    expect_rows q35-lab "list --driver none" 0000:00:00.0 0000:00:03.0 0000:06:00.0
}

@test "--driver with no such driver: empty, exit 0" {
    expect_rows q35-lab "list --driver e1000e"
}

# combined (AND)
@test "combined: -d 1234: --driver vfio-pci" {
    expect_rows q35-lab "list -d 1234: --driver vfio-pci" 0000:01:00.0 0000:04:00.0 0000:07:01.0
}

@test "combined: --class + --driver + -s glob" {
    expect_rows q35-lab "list --class nvme --driver nvme -s 10000:*" 10000:01:00.0
}

@test "combined: --group + --driver" {
    expect_rows q35-lab "list --group 14 --driver vfio-pci" 0000:08:00.0
    expect_rows q35-lab "list -g 9 -k none" 0000:06:00.0
}

@test "combined: -d 8086: --class bridge" {
    expect_rows q35-lab "list -d 8086: --class bridge" 0000:00:00.0 0000:00:1f.0 10000:00:02.0
}

@test "combined: -s glob + --class" {
    expect_rows q35-lab "list -s 0000:00:* -c pci-bridge" 0000:00:04.0 0000:00:05.0 \
        0000:00:06.0 0000:00:07.0 0000:00:08.0 0000:00:0a.0 0000:00:0b.0
}

@test "combined: exact -s + filter that excludes it: empty, exit 0" {
    expect_rows q35-lab "list -s 0000:09:00.0 --driver vfio-pci"
}

@test "combined: contradictory filters: empty, exit 0" {
    expect_rows q35-lab "list --class display --driver nvme"
}

@test "filters in --json give the same devices as the table" {
    run --separate-stderr admin q35-lab list -d 1234: --driver vfio-pci --json
    assert_success
    assert_jq '[.devices[].address] == ["0000:01:00.0","0000:04:00.0","0000:07:01.0"]'
}
