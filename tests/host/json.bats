#!/usr/bin/env bats
# "vfio-admin list --json": validity, keys, types and values (doc/interfaces.md).

load helpers

setup_file() {
    fixtures_setup q35-lab
    # one run shared by most tests
    VFIO_TOOLS_SYSFS="$(fx q35-lab)" "$ADMIN" list --json >"$BATS_FILE_TMPDIR/list.json"
    fake_tree_json q35-lab >"$BATS_FILE_TMPDIR/expected.json"
}

setup() {
    output="$(cat "$BATS_FILE_TMPDIR/list.json")"
}

KEYS='["address","class","class_id","device","device_id","driver","iommu_group","numa_node","parent","prog_if","vendor","vendor_id","vfio","vfio_driver"]'

@test "--json and -J exit 0, print valid JSON, nothing on stderr" {
    run --separate-stderr admin q35-lab list --json
    assert_success
    [[ -z "$stderr" ]] || fail "stderr: $stderr"
    jq -e . >/dev/null <<<"$output"
    run --separate-stderr admin q35-lab list -J
    assert_success
    jq -e . >/dev/null <<<"$output"
}

@test "top level is {\"schema_version\", \"devices\": [...]} and nothing else" {
    assert_jq 'type == "object" and (keys == ["devices","schema_version"]) and (.devices | type == "array")'
}

@test "one object per device of the fake tree, in address order" {
    local want
    want="$(fixture_devices q35-lab | jq -R -s -c 'split("\n") | map(select(length > 0))')"
    assert_jq "[.devices[].address] == $want"
}

@test "every device has exactly the contract's keys" {
    assert_jq "all(.devices[]; (keys == $KEYS))"
}

@test "types: strings, numbers, booleans and nulls as the contract says" {
    assert_jq 'all(.devices[];
        (.address | type == "string" and test("^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$"))
        and (.class | type == "string" and length > 0)
        and (.class_id | type == "string" and test("^[0-9a-f]{4}$"))
        and (.prog_if | type == "string" and test("^[0-9a-f]{2}$"))
        and (.vendor | type == "string" or type == "null")
        and (.device | type == "string" or type == "null")
        and (.vendor_id | type == "string" and test("^[0-9a-f]{4}$"))
        and (.device_id | type == "string" and test("^[0-9a-f]{4}$"))
        and (.driver | type == "string" or type == "null")
        and (.iommu_group | type == "number" or type == "null")
        and (.vfio | type == "boolean")
        and (.numa_node | type == "number" or type == "null")
        and (.parent | type == "string" or type == "null"))'
}

@test "values agree with the fake tree (ids, class, driver, group, vfio, numa, parent)" {
    local expected
    expected="$(cat "$BATS_FILE_TMPDIR/expected.json")"
    run jq -n --argjson got "$output" --argjson want "$expected" '
        [$got.devices[] | {address, vendor_id, device_id, class_id, prog_if, driver,
                           iommu_group, vfio, numa_node, parent}] as $g
        | [range(0; [$g, $want] | map(length) | max)
           | select($g[.] != $want[.]) | {got: $g[.], want: $want[.]}]'
    assert_success
    [[ "$output" == "[]" ]] || fail "mismatches: $output"
}

@test "driverless device: driver null, vfio false" {
    assert_jq '.devices[] | select(.address == "0000:00:00.0") | .driver == null and .vfio == false'
}

@test "vfio-pci device: vfio true" {
    assert_jq '.devices[] | select(.address == "0000:01:00.0")
               | .driver == "vfio-pci" and .vfio == true'
}

@test "vfio-pci variant (mlx5_vfio_pci) counts as vfio" {
    assert_jq '.devices[] | select(.address == "0000:0b:00.0")
               | .driver == "mlx5_vfio_pci" and .vfio == true'
}

@test "pci-stub is not vfio" {
    assert_jq '.devices[] | select(.address == "0000:05:00.0")
               | .driver == "pci-stub" and .vfio == false'
}

@test "iommu_group is a number; a device without a group has null" {
    assert_jq '(.devices[] | select(.address == "0000:07:02.0") | .iommu_group) == 9'
    assert_jq '(.devices[] | select(.address == "0000:00:09.0") | .iommu_group) == null'
}

@test "numa_node: -1 in sysfs is null; 0 and 1 are numbers" {
    assert_jq '(.devices[] | select(.address == "0000:00:00.0") | .numa_node) == null'
    assert_jq '(.devices[] | select(.address == "0000:01:00.0") | .numa_node) == 0'
    assert_jq '(.devices[] | select(.address == "0000:05:00.0") | .numa_node) == 1'
}

@test "parent is the upstream bridge address, null on a root bus" {
    assert_jq '(.devices[] | select(.address == "0000:04:00.0") | .parent) == "0000:03:00.0"'
    assert_jq '(.devices[] | select(.address == "0000:03:01.0") | .parent) == "0000:02:00.0"'
    assert_jq '(.devices[] | select(.address == "0000:07:02.0") | .parent) == "0000:06:00.0"'
    assert_jq '(.devices[] | select(.address == "0000:00:1f.0") | .parent) == null'
}

@test "VMD domain: 5-digit address, parent inside the domain" {
    assert_jq '(.devices[] | select(.address == "10000:01:00.0") | .parent) == "10000:00:02.0"'
    assert_jq '(.devices[] | select(.address == "10000:01:00.0") | .class_id) == "0108"'
}

@test "class_id and prog_if split the 6-digit class" {
    assert_jq '.devices[] | select(.address == "0000:09:00.0")
               | .class_id == "0108" and .prog_if == "02"'
    assert_jq '.devices[] | select(.address == "0000:00:1f.2")
               | .class_id == "0106" and .prog_if == "01"'
}

@test "class and vendor/device names come from pci.ids" {
    assert_jq '.devices[] | select(.address == "0000:00:1f.0")
               | .class == "ISA bridge" and .vendor == "Intel Corporation"
                 and .device == "82801IB (ICH9) LPC Interface Controller"'
    assert_jq '(.devices[] | select(.address == "0000:08:00.1") | .class) == "Audio device"'
}

@test "unknown vendor (1234 is not in pci.ids): vendor and device null" {
    assert_jq '.devices[] | select(.address == "0000:01:00.0") | .vendor == null and .device == null'
}

@test "class name of a class without a subclass entry is the pci.ids class name" {
    # contract example: class_id 00ff -> "Unclassified device"
    assert_jq '(.devices[] | select(.address == "0000:01:00.0") | .class) == "Unclassified device"'
    assert_jq '(.devices[] | select(.address == "0000:07:02.0") | .class) == "Unassigned class"'
}

@test "JSON and table agree on addresses, drivers and groups" {
    local table
    table="$(VFIO_TOOLS_SYSFS="$(fx q35-lab)" "$ADMIN" list |
             awk 'NR > 1 { print $1, $(NF-4), $(NF-3) }')"
    run jq -r '.devices[] | "\(.address) \(.driver // "-") \(.iommu_group // "-")"' <<<"$output"
    assert_success
    [[ "$output" == "$table" ]] || fail "table: [$table] json: [$output]"
}
