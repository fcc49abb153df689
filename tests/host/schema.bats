#!/usr/bin/env bats
# The JSON Schemas of doc/schema (the --json contract): each is a valid draft 2020-12 schema,
# and the real outputs of every command the fake trees can drive validate against theirs,
# closed objects included (a key missing from its schema fails here). vfio-dump and vfio-bench
# need a device on vfio-pci: the VM lab checks them (tests/vm/schema.bats); rom --file is here.

load helpers
load ../json-schema

CHECK="$REPO_ROOT/scripts/check-json-schema"

setup_file() {
    fixtures_setup q35-lab noiommu sriov acs-lab
    "$REPO_ROOT/tests/fuzz/mkcorpus-pci-rom" "$BATS_FILE_TMPDIR/roms"
}

setup() {
    export VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" VFIO_TOOLS_DEV="$BATS_TEST_TMPDIR/dev"
    export VFIO_TOOLS_ETC="$BATS_TEST_TMPDIR/etc" VFIO_TOOLS_STATE="$BATS_TEST_TMPDIR/state"
    mkdir -p "$VFIO_TOOLS_PROC/self" "$VFIO_TOOLS_DEV/vfio" "$VFIO_TOOLS_ETC"
    printf 'BOOT_IMAGE=/vmlinuz intel_iommu=on\n' >"$VFIO_TOOLS_PROC/cmdline"
    printf ' 24:  0  IR-PCI-MSI 512000-edge  ahci\n' >"$VFIO_TOOLS_PROC/interrupts"
    printf 'vendor_id\t: GenuineIntel\n' >"$VFIO_TOOLS_PROC/cpuinfo"
    : >"$VFIO_TOOLS_PROC/self/mountinfo"
    : >"$VFIO_TOOLS_PROC/swaps"
}

# on FIXTURE: the sysfs root of a fixture, for the commands' environment
on() { VFIO_TOOLS_SYSFS="$(fx "$1")" "${@:2}"; }

@test "every schema is a valid draft 2020-12 schema whose \$refs resolve" {
    run "$CHECK" --schemas
    assert_success
    assert_output --regexp '^schemas: [0-9]+ checked, 0 invalid$'
    local n
    n=$(find "$REPO_ROOT/doc/schema" -name '*.schema.json' | wc -l)
    assert_output "schemas: $n checked, 0 invalid"
}

@test "every schema has \$id, title, description and closes its top-level object" {
    local f
    for f in "$REPO_ROOT"/doc/schema/*.schema.json; do
        jq -e --arg n "${f##*/}" '(."$id" | endswith("/" + $n)) and (.title | length > 0) and (.description | length > 0)' "$f" >/dev/null ||
            fail "$f: \$id must end in its file name; title and description must be there"
        [[ $f == */common.schema.json ]] && continue
        jq -e '.additionalProperties == false or .unevaluatedProperties == false' "$f" >/dev/null ||
            fail "$f: the top-level object must be closed"
    done
}

@test "the checker: the path of the first error, exit 1; unknown schema and bad JSON: exit 2 or 1" {
    VFIO_TOOLS_SYSFS=$(fx q35-lab) "$ADMIN" list --json | jq '.devices[1].driver = 7' >"$BATS_TEST_TMPDIR/bad.json"
    run --separate-stderr "$CHECK" vfio-admin-list "$BATS_TEST_TMPDIR/bad.json"
    assert_failure 1
    [[ $stderr == "check-json-schema: $BATS_TEST_TMPDIR/bad.json: \$.devices[1].driver: "* ]] || fail "stderr: $stderr"
    run --separate-stderr "$CHECK" vfio-admin-list <<<'{"devices": [], "schema_version": "1.0", "extra": 1}'
    assert_failure 1
    [[ $stderr == "check-json-schema: stdin: \$: "*"'extra'"* ]] || fail "stderr: $stderr"
    run --separate-stderr "$CHECK" vfio-admin-list <<<'{"devices": []}'
    assert_failure 1
    run --separate-stderr "$CHECK" vfio-admin-list <<<'{"devices": [], "schema_version": "2.0"}'
    assert_failure 1
    run --separate-stderr "$CHECK" vfio-admin-list <<<'not json'
    assert_failure 1
    run --separate-stderr "$CHECK" no-such-schema <<<'{}'
    assert_failure 2
    [[ $stderr == "check-json-schema: no-such-schema: no such schema: one of: "*vfio-admin-list* ]] || fail "stderr: $stderr"
}

@test "every document starts with schema_version, the one of json.h" {
    local want
    want=$(sed -n 's/^#define JSON_SCHEMA_VERSION "\(.*\)"$/\1/p' "$REPO_ROOT/src/lib/util/json.h")
    [[ -n $want ]] || fail "no JSON_SCHEMA_VERSION in json.h"
    run --separate-stderr on q35-lab "$ADMIN" list --json
    assert_equal "$(sed -n 2p <<<"$output")" "  \"schema_version\": \"$want\","
    run --separate-stderr "$VFIO_TOOLS_BIN/vfio-dump" rom --file "$BATS_FILE_TMPDIR/roms/x86-efi-x64" --json
    assert_equal "$(sed -n 2p <<<"$output")" "  \"schema_version\": \"$want\","
}

@test "list, list --tree, with filters, on every fixture" {
    local f
    for f in q35-lab noiommu sriov acs-lab; do
        valid vfio-admin-list on "$f" "$ADMIN" list --json
        valid vfio-admin-list on "$f" "$ADMIN" list --tree --json
    done
    valid vfio-admin-list on q35-lab "$ADMIN" list --json -k vfio-pci
    valid vfio-admin-list on q35-lab "$ADMIN" list --json -s '0000:ff:*'
    validated
}

@test "list --mdev: none, and a mediated device on a fake tree" {
    local sys=$BATS_TEST_TMPDIR/sys uuid=83b8f4f2-509f-382f-3c1e-e6bfe0fa1001 dev
    valid vfio-admin-list-mdev on q35-lab "$ADMIN" list --mdev --json
    cp -a "$(fx q35-lab)" "$sys"
    dev=$(readlink -f "$sys/bus/pci/devices/0000:00:03.0")
    mkdir -p "$dev/mdev_supported_types/mtty-2" "$dev/$uuid/vfio-dev/vfio3" "$sys/bus/mdev/devices" "$sys/bus/mdev/drivers/vfio_mdev"
    echo "Dual-port-serial" >"$dev/mdev_supported_types/mtty-2/name"
    echo "vfio-pci" >"$dev/mdev_supported_types/mtty-2/device_api"
    ln -s ../mdev_supported_types/mtty-2 "$dev/$uuid/mdev_type"
    ln -s "$sys/bus/mdev/drivers/vfio_mdev" "$dev/$uuid/driver"
    mkdir -p "$sys/kernel/iommu_groups/40/devices"
    ln -s "$sys/kernel/iommu_groups/40" "$dev/$uuid/iommu_group"
    ln -s "$dev/$uuid" "$sys/bus/mdev/devices/$uuid"
    VFIO_TOOLS_SYSFS=$sys run --separate-stderr "$ADMIN" list --mdev --json
    assert_success
    assert_jq ".mdevs | length == 1 and .[0].uuid == \"$uuid\" and .[0].iommu_group == 40"
    VFIO_TOOLS_SYSFS=$sys valid vfio-admin-list-mdev "$ADMIN" list --mdev --json
    validated
}

@test "groups on every fixture" {
    local f
    for f in q35-lab noiommu sriov acs-lab; do
        valid vfio-admin-groups on "$f" "$ADMIN" groups --json
    done
    validated
}

@test "check: the machine, and devices (assignable, with its group, not assignable, no-IOMMU)" {
    valid vfio-admin-check on q35-lab "$ADMIN" check --json
    valid vfio-admin-check on q35-lab "$ADMIN" check --json 0000:01:00.0 0000:00:1f.2 0000:00:03.0 '0000:08:00.*'
    valid vfio-admin-check on q35-lab "$ADMIN" check --json -k vfio-pci
    valid vfio-admin-check on noiommu "$ADMIN" check --json '*'
    valid vfio-admin-check on sriov "$ADMIN" check --json '*'
    valid vfio-admin-check on acs-lab "$ADMIN" check --json '*'
    validated
}

@test "slots, --physical" {
    local f
    for f in q35-lab acs-lab sriov; do
        valid vfio-admin-slots on "$f" "$ADMIN" slots --json
        valid vfio-admin-slots on "$f" "$ADMIN" slots --physical --json
    done
    validated
}

@test "sriov: a PF with VFs, and after --numvfs --dry-run" {
    local sys=$BATS_TEST_TMPDIR/sys
    cp -a "$(fx sriov)" "$sys"
    VFIO_TOOLS_SYSFS=$sys valid vfio-admin-sriov "$ADMIN" sriov --json 0000:01:00.0
    VFIO_TOOLS_SYSFS=$sys valid vfio-admin-sriov "$ADMIN" sriov --json 02:00.0
    VFIO_TOOLS_SYSFS=$sys valid vfio-admin-sriov "$ADMIN" sriov 01:00.0 --numvfs 3 --dry-run --json
    validated
}

@test "persist list: empty, entries by address and by ids, with owner and numvfs, and a bad line" {
    valid vfio-admin-persist-list on q35-lab "$ADMIN" persist list --json
    mkdir -p "$VFIO_TOOLS_ETC/vfio-tools"
    printf '%s\n' '0000:01:00.0 driver=vfio-pci owner=nobody' '1234:11e8 driver=pci-stub' \
        '0000:00:1f.2 driver=vfio-pci numvfs=2' 'nonsense here' >"$VFIO_TOOLS_ETC/vfio-tools/persist.conf"
    run --separate-stderr on q35-lab "$ADMIN" persist list --json
    assert_jq '(.entries | length == 3) and (.errors | length == 1)'
    valid vfio-admin-persist-list on q35-lab "$ADMIN" persist list --json
    validated
}

@test "vfio-dump rom --file: every decodable ROM of the fuzz corpus" {
    local f n=0
    for f in "$BATS_FILE_TMPDIR"/roms/*; do
        "$VFIO_TOOLS_BIN/vfio-dump" rom --file "$f" --json >/dev/null 2>&1 || continue
        valid vfio-dump-rom "$VFIO_TOOLS_BIN/vfio-dump" rom --file "$f" --json
        n=$((n + 1))
    done
    ((n >= 5)) || fail "only $n ROMs decoded"
    valid vfio-dump-rom "$VFIO_TOOLS_BIN/vfio-dump" rom --file "$BATS_FILE_TMPDIR/roms/x86-efi-x64" --json \
        -o "$BATS_TEST_TMPDIR/copy.rom"
    validated
}

@test "list, groups, check and slots on the real machines' trees (tests/fixtures/real)" {
    local d name sys
    for d in "$FIXTURES"/real/*.desc; do
        name=${d##*/}
        sys=$BATS_TEST_TMPDIR/${name%.desc}
        "$(mkfakesys_bin)" "$d" "$sys" || fail "mkfakesys $d"
        VFIO_TOOLS_SYSFS=$sys valid vfio-admin-list "$ADMIN" list --tree --json
        VFIO_TOOLS_SYSFS=$sys valid vfio-admin-groups "$ADMIN" groups --json
        VFIO_TOOLS_SYSFS=$sys valid vfio-admin-check "$ADMIN" check --json '*'
        VFIO_TOOLS_SYSFS=$sys valid vfio-admin-slots "$ADMIN" slots --json
        rm -rf "$sys"
    done
    validated
}
