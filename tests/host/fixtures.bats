#!/usr/bin/env bats
# Self-tests of tests/fixtures/mkfakesys: the fake trees look like the
# kernel's sysfs as doc/interfaces.md describes (checked without vfio-admin,
# partly with libpci's own reader, lspci).

load helpers

setup_file() {
    fixtures_build q35-lab noiommu
    synthetic_setup synth 2048
}

# desc_field DESC ADDRESS KEY: value of KEY= on the dev line of ADDRESS
desc_devs() {
    awk '$1 == "dev" { print $2 }' "$FIXTURES/$1.desc"
}

canon() {
    local a="$1"
    [[ "$a" =~ ^[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$ ]] && a="0000:$a"
    echo "${a,,}"
}

# byte OFFSET FILE: one byte of a binary file, as 2 hex digits
byte() {
    od -An -tx1 -j "$1" -N 1 "$2" | tr -d ' \n'
}

have_lspci() { command -v lspci >/dev/null; }

@test "mkfakesys --help exits 0; bad usage exits 2" {
    local mk
    mk="$(mkfakesys_bin)"
    run "$mk" --help
    assert_success
    run "$mk"
    [[ "$status" -eq 2 ]]
    run "$mk" --synthetic 0 "$BATS_TEST_TMPDIR/x"
    [[ "$status" -eq 2 ]]
}

@test "mkfakesys refuses a non-empty output directory" {
    run "$(mkfakesys_bin)" "$FIXTURES/noiommu.desc" "$(fx q35-lab)"
    assert_failure
    assert_output --partial "not empty"
}

@test "mkfakesys reports description errors with file and line" {
    local d="$BATS_TEST_TMPDIR/bad.desc"
    printf 'dev 0000:00:00.0 vendor=8086 device=29c0 class=060000\ndev 00:01.0 vendor=xyz device=1 class=000000\n' >"$d"
    run "$(mkfakesys_bin)" "$d" "$BATS_TEST_TMPDIR/out"
    assert_failure
    assert_output --partial "bad.desc:2:"
    printf 'dev 00:01.0 vendor=1 device=1 class=000000 parent=00:09.0\n' >"$d"
    run "$(mkfakesys_bin)" "$d" "$BATS_TEST_TMPDIR/out2"
    assert_failure
    assert_output --partial "parent"
}

@test "every device of the description is in bus/pci/devices" {
    local want
    want="$(for a in $(desc_devs q35-lab); do canon "$a"; done | LC_ALL=C sort)"
    [[ "$(fixture_devices q35-lab)" == "$want" ]]
}

@test "every symlink resolves inside the fake tree" {
    local root l t
    for root in "$(fx q35-lab)" "$(fx noiommu)"; do
        while IFS= read -r l; do
            t="$(realpath -e "$l")" || fail "dangling link $l -> $(readlink "$l")"
            [[ "$t" == "$root"/* ]] || fail "$l resolves outside the tree: $t"
        done < <(find "$root" -type l)
    done
}

@test "device directories hold the attribute files of the contract" {
    local root a d f
    root="$(fx q35-lab)"
    for a in $(fixture_devices q35-lab); do
        d="$root/bus/pci/devices/$a"
        for f in vendor device class subsystem_vendor subsystem_device revision irq \
                 numa_node config resource driver_override; do
            [[ -f "$d/$f" ]] || fail "$a: no $f"
        done
    done
    [[ "$(cat "$root/bus/pci/devices/0000:00:00.0/driver_override")" == "(null)" ]]
    [[ "$(cat "$root/bus/pci/devices/0000:01:00.0/driver_override")" == "vfio-pci" ]]
    [[ "$(cat "$root/bus/pci/devices/0000:00:00.0/numa_node")" == "-1" ]]
    [[ "$(cat "$root/bus/pci/devices/0000:01:00.0/numa_node")" == "0" ]]
}

@test "link layout matches doc/interfaces.md" {
    local root
    root="$(fx q35-lab)"
    [[ "$(readlink "$root/bus/pci/devices/0000:00:04.0")" == "../../../devices/pci0000:00/0000:00:04.0" ]]
    [[ "$(readlink "$root/devices/pci0000:00/0000:00:04.0/driver")" == "../../../bus/pci/drivers/pcieport" ]]
    [[ "$(readlink "$root/devices/pci0000:00/0000:00:04.0/iommu_group")" == "../../../kernel/iommu_groups/2" ]]
    [[ "$(readlink "$root/kernel/iommu_groups/2/devices/0000:00:04.0")" == "../../../../devices/pci0000:00/0000:00:04.0" ]]
    [[ -d "$root/devices/pci0000:00/0000:00:05.0/0000:02:00.0/0000:03:01.0/0000:05:00.0" ]]
    [[ -d "$root/devices/pci0000:00/0000:00:0e.0/pci10000:00/10000:00:02.0/10000:01:00.0" ]]
    [[ "$(cat "$root/kernel/iommu_groups/1/type")" == "DMA" ]]
    [[ ! -e "$root/kernel/iommu_groups/18/type" ]]
}

@test "directories nest by the described parent (same domain)" {
    local root line addr parent dir
    root="$(fx q35-lab)"
    while read -r addr parent; do
        addr="$(canon "$addr")"; parent="$(canon "$parent")"
        dir="$(realpath "$root/bus/pci/devices/$addr")"
        if [[ "$parent" == "-" || -z "$parent" ]]; then
            [[ "$(basename "$(dirname "$dir")")" == pci* ]] || fail "$addr not on a root bus: $dir"
        elif [[ "${parent%%:*}" == "${addr%%:*}" ]]; then
            [[ "$(basename "$(dirname "$dir")")" == "$parent" ]] || fail "$addr not under $parent: $dir"
        fi
    done < <(awk '$1 == "dev" { p = "-"; for (i = 3; i <= NF; i++) if ($i ~ /^parent=/) p = substr($i, 8)
                                print $2, p }' "$FIXTURES/q35-lab.desc")
}

@test "driver and iommu_group links agree with the back links" {
    local root a dir drv grp
    root="$(fx q35-lab)"
    for a in $(fixture_devices q35-lab); do
        dir="$root/bus/pci/devices/$a"
        if drv="$(readlink "$dir/driver")"; then
            [[ -L "$root/bus/pci/drivers/${drv##*/}/$a" ]] || fail "$a: no back link in drivers/${drv##*/}"
        fi
        if grp="$(readlink "$dir/iommu_group")"; then
            [[ -L "$root/kernel/iommu_groups/${grp##*/}/devices/$a" ]] || fail "$a: not in group ${grp##*/}"
        fi
    done
    # and the other way round
    local g
    for g in $(ls "$root/kernel/iommu_groups"); do
        for a in $(ls "$root/kernel/iommu_groups/$g/devices"); do
            [[ "$(readlink "$root/bus/pci/devices/$a/iommu_group")" == */"$g" ]] || fail "$a/$g"
        done
    done
}

@test "config space header is consistent with the attribute files" {
    local root a d cfg cls size ht
    root="$(fx q35-lab)"
    for a in $(fixture_devices q35-lab); do
        d="$root/bus/pci/devices/$a"
        cfg="$d/config"
        size="$(stat -c %s "$cfg")"
        [[ "$size" -eq 256 || "$size" -eq 4096 ]] || fail "$a: config is $size bytes"
        [[ "$(byte 1 "$cfg")$(byte 0 "$cfg")" == "$(sed 's/^0x//' "$d/vendor")" ]] || fail "$a: vendor"
        [[ "$(byte 3 "$cfg")$(byte 2 "$cfg")" == "$(sed 's/^0x//' "$d/device")" ]] || fail "$a: device"
        cls="$(sed 's/^0x//' "$d/class")"
        [[ "$(byte 11 "$cfg")$(byte 10 "$cfg")$(byte 9 "$cfg")" == "$cls" ]] || fail "$a: class"
        [[ "$(byte 8 "$cfg")" == "$(sed 's/^0x//' "$d/revision")" ]] || fail "$a: revision"
        ht=$((0x$(byte 14 "$cfg")))
        if [[ "$cls" == 0604* ]]; then
            [[ $((ht & 0x7f)) -eq 1 ]] || fail "$a: bridge with header type $ht"
        else
            [[ $((ht & 0x7f)) -eq 0 ]] || fail "$a: header type $ht"
            [[ "$(byte 0x2d "$cfg")$(byte 0x2c "$cfg")" == "$(sed 's/^0x//' "$d/subsystem_vendor")" ]] || \
                fail "$a: subsystem vendor"
        fi
    done
}

@test "multifunction devices have bit 7 of the header type set, others not" {
    local root a mf ht
    root="$(fx q35-lab)"
    mf="$(awk '$1 == "dev" && / multifunction/ { print $2 }' "$FIXTURES/q35-lab.desc")"
    for a in $(fixture_devices q35-lab); do
        ht=$((0x$(byte 14 "$root/bus/pci/devices/$a/config")))
        if grep -qx "$a" <<<"$mf"; then
            [[ $((ht & 0x80)) -ne 0 ]] || fail "$a: multifunction bit missing"
        else
            [[ $((ht & 0x80)) -eq 0 ]] || fail "$a: unexpected multifunction bit"
        fi
    done
}

@test "bridge bus numbers cover the devices below them" {
    local cfg
    cfg="$(fx q35-lab)/bus/pci/devices/0000:00:05.0/config"
    [[ "$(byte 0x18 "$cfg") $(byte 0x19 "$cfg") $(byte 0x1a "$cfg")" == "00 02 05" ]]
    cfg="$(fx q35-lab)/bus/pci/devices/0000:02:00.0/config"
    [[ "$(byte 0x18 "$cfg") $(byte 0x19 "$cfg") $(byte 0x1a "$cfg")" == "02 03 05" ]]
}

@test "lspci (libpci) reads the q35 tree: same devices, ids, classes and drivers" {
    have_lspci || skip "lspci not installed"
    local root want got
    root="$(fx q35-lab)"
    got="$(lspci -A linux-sysfs -O "sysfs.path=$root/bus/pci" -D -n -mm 2>/dev/null |
           awk '{ gsub("\"", ""); print $1, $2, $3, $4 }')"
    want="$(fake_facts q35-lab | awk -F'\t' '{ print $1, substr($4, 1, 4), $2, $3 }')"
    [[ "$got" == "$want" ]] || fail "lspci: [$got] fake: [$want]"
    got="$(lspci -A linux-sysfs -O "sysfs.path=$root/bus/pci" -D -k 2>/dev/null |
           awk '/^[0-9a-f]/ { a = $1 } /Kernel driver in use:/ { print a, $NF }')"
    want="$(fake_facts q35-lab | awk -F'\t' '$6 != "" { print $1, $6 }')"
    [[ "$got" == "$want" ]] || fail "drivers: lspci [$got] fake [$want]"
}

@test "lspci -vv decodes the root port's PCIe and ACS capabilities" {
    have_lspci || skip "lspci not installed"
    run lspci -A linux-sysfs -O "sysfs.path=$(fx q35-lab)/bus/pci" -vv -s 00:04.0
    assert_output --partial "Express (v2) Root Port"
    assert_output --partial "ACSCtl:	SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+"
    assert_output --partial "IOMMU group: 2"
    assert_output --partial "NUMA node: 0"
}

@test "noiommu: empty kernel/iommu_groups, no iommu_group links" {
    local root
    root="$(fx noiommu)"
    [[ -d "$root/kernel/iommu_groups" ]]
    [[ -z "$(ls "$root/kernel/iommu_groups")" ]]
    [[ -z "$(find "$root/devices" -name iommu_group)" ]]
}

@test "vfio-pci variant driver is marked as a vfio_pci_core holder" {
    local root
    root="$(fx q35-lab)"
    [[ -L "$root/module/vfio_pci_core/holders/mlx5_vfio_pci" ]]
    [[ -L "$root/module/vfio_pci_core/holders/vfio_pci" ]]
    [[ ! -e "$root/module/vfio_pci_core/holders/pci_stub" ]]
    [[ "$(readlink "$root/bus/pci/drivers/vfio-pci/module")" == "../../../../module/vfio_pci" ]]
}

@test "synthetic 2048: 2048 devices, several domains, groups and a driver mix" {
    local root
    root="$(fx synth)"
    [[ "$(ls "$root/bus/pci/devices" | wc -l)" -eq 2048 ]]
    [[ "$(ls "$root/devices" | wc -l)" -ge 2 ]]
    [[ "$(ls "$root/kernel/iommu_groups" | wc -l)" -ge 500 ]]
    local d
    for d in vfio-pci nvme pcieport snd_hda_intel ixgbe pci-stub lpc_ich; do
        [[ -n "$(ls "$root/bus/pci/drivers/$d" | grep ':')" ]] || fail "no device on $d"
    done
    [[ -n "$(find "$root/devices" -maxdepth 6 -name numa_node -exec grep -lx 1 {} + | head -1)" ]]
}

@test "synthetic 2048: lspci reads all devices" {
    have_lspci || skip "lspci not installed"
    [[ "$(lspci -A linux-sysfs -O "sysfs.path=$(fx synth)/bus/pci" 2>/dev/null | wc -l)" -eq 2048 ]]
}
