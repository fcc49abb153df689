#!/usr/bin/env bats
# vfio-admin snapshot and --sysroot on fake trees: the snapshot of a tree, analysed with
# --sysroot, gives the tree's own list, groups, check and slots; serial numbers are masked;
# hostile or broken snapshots are refused with one line. (tests/vm/snapshot.bats: lab guests.)
load helpers
load ../snapshot-compare

setup_file() {
    fixtures_setup q35-lab acs-lab sriov
}

# snap FIXTURE FILE: a snapshot of the fixture (its /dev, /proc and /etc are this machine's)
snap() {
    VFIO_TOOLS_SYSFS="$(fx "$1")" "$ADMIN" snapshot -o "$2"
}

@test "snapshot: a tar GNU tar reads, with the info and live facts, never rom, vpd or resourceN" {
    run --separate-stderr snap q35-lab "$BATS_TEST_TMPDIR/s.tar"
    assert_success
    assert_output ""
    [[ $stderr == "vfio-admin: note: $BATS_TEST_TMPDIR/s.tar: "*" bytes, "*" masked"* ]] || fail "stderr: $stderr"
    run tar -tf "$BATS_TEST_TMPDIR/s.tar"
    assert_success
    assert_line vfio-tools/info
    assert_line vfio-tools/live-facts
    assert_line proc/cmdline
    assert_line sys/bus/pci/devices/0000:00:03.0
    assert_line --regexp '^sys/kernel/iommu_groups/[0-9]+/devices/0000:00:03.0$'
    refute_line --regexp '/(rom|vpd|resource[0-9].*|remove|rescan|reset)$'
    run tar -xOf "$BATS_TEST_TMPDIR/s.tar" vfio-tools/info
    assert_line "format 1"
    assert_line --regexp '^kernel .+'
    assert_line --regexp '^taken [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$'
    assert_line "taken_by vfio-tools $("$ADMIN" --version | awk '{print $2}')"
    run tar -xOf "$BATS_TEST_TMPDIR/s.tar" vfio-tools/live-facts
    assert_line --regexp '^module vfio_pci (missing|available|loaded|builtin) blacklisted=[01] install_disabled=[01] unsafe_interrupts_conf=[01]$'
    assert_line --regexp '^memlock root=[01] '
}

@test "--sysroot FILE: list, groups, check and slots equal the tree's own (q35-lab, acs-lab, sriov)" {
    local fixture c
    set -f  # "check *": the glob is vfio-admin's
    for fixture in q35-lab acs-lab sriov; do
        snap "$fixture" "$BATS_TEST_TMPDIR/$fixture.tar" 2>/dev/null || fail "snapshot of $fixture"
        for c in "list" "list --tree" "groups" "check" "check *" "slots"; do
            # shellcheck disable=SC2086 # c is words
            admin "$fixture" $c --json >"$BATS_TEST_TMPDIR/live.json" || (($? == 1)) || fail "$fixture: $c"
            # shellcheck disable=SC2086
            "$ADMIN" $c --json --sysroot "$BATS_TEST_TMPDIR/$fixture.tar" >"$BATS_TEST_TMPDIR/snap.json" \
                2>"$BATS_TEST_TMPDIR/err" || (($? == 1)) || fail "$fixture: $c --sysroot: $(<"$BATS_TEST_TMPDIR/err")"
            snapshot_same "$BATS_TEST_TMPDIR/live.json" "$BATS_TEST_TMPDIR/snap.json"
        done
    done
}

@test "--sysroot FILE: a pseries tree's DMA windows from the device tree, the same as the tree's own" {
    local sys
    fixtures_build power/pseries
    sys=$(fx power/pseries)
    "$FIXTURES/power/mkfakedt" pseries "$sys" >/dev/null
    mkdir -p "$sys/class/iommu/iommu-phb0000" "$sys/class/iommu/iommu-phb0001"
    snap power/pseries "$BATS_TEST_TMPDIR/p.tar" 2>/dev/null
    admin power/pseries check --json --guest-mem 2G 0000:00:01.0 0001:00:00.0 0003:00:00.0 >"$BATS_TEST_TMPDIR/live.json" || :
    "$ADMIN" check --json --guest-mem 2G --sysroot "$BATS_TEST_TMPDIR/p.tar" 0000:00:01.0 0001:00:00.0 0003:00:00.0 \
        >"$BATS_TEST_TMPDIR/snap.json" 2>/dev/null || :
    run jq -r '[.findings[] | select(.id == "spapr.window")] | length' "$BATS_TEST_TMPDIR/snap.json"
    assert_output 3
    snapshot_same "$BATS_TEST_TMPDIR/live.json" "$BATS_TEST_TMPDIR/snap.json"
}

@test "snapshot: a mediated device in an IOMMU group: its bus link once, and --sysroot lists it" {
    local root=$BATS_TEST_TMPDIR/tree u=83b8f4f2-509f-382f-3c1e-e6bfe0fa1001
    cp -a "$(fx q35-lab)" "$root"
    mkdir -p "$root/devices/virtual/mtty/$u" "$root/bus/mdev/devices" "$root/kernel/iommu_groups/99/devices"
    ln -s "../../../devices/virtual/mtty/$u" "$root/bus/mdev/devices/$u"
    ln -s ../../../../bus/mdev "$root/devices/virtual/mtty/$u/subsystem"
    ln -s "../../../../devices/virtual/mtty/$u" "$root/kernel/iommu_groups/99/devices/$u"
    ln -s ../../../../kernel/iommu_groups/99 "$root/devices/virtual/mtty/$u/iommu_group"
    VFIO_TOOLS_SYSFS=$root "$ADMIN" snapshot -o "$BATS_TEST_TMPDIR/s.tar" 2>/dev/null
    run tar -tf "$BATS_TEST_TMPDIR/s.tar"
    assert_equal "$(grep -c "^sys/bus/mdev/devices/$u\$" <<<"$output")" 1
    VFIO_TOOLS_SYSFS=$root "$ADMIN" list --mdev --json >"$BATS_TEST_TMPDIR/live.json"
    run --separate-stderr "$ADMIN" list --mdev --json --sysroot "$BATS_TEST_TMPDIR/s.tar"
    assert_success
    echo "$output" >"$BATS_TEST_TMPDIR/snap.json"
    assert_jq '[.mdevs[].uuid] == ["83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"]'
    snapshot_same "$BATS_TEST_TMPDIR/live.json" "$BATS_TEST_TMPDIR/snap.json"
}

@test "--sysroot: says what it is a snapshot of (stderr, JSON), marks the live-only findings" {
    snap q35-lab "$BATS_TEST_TMPDIR/s.tar" 2>/dev/null
    run --separate-stderr "$ADMIN" check --json --sysroot "$BATS_TEST_TMPDIR/s.tar" 0000:00:03.0
    [[ $status -le 1 ]] || fail "exit $status: $stderr"
    [[ $stderr == "vfio-admin: note: $BATS_TEST_TMPDIR/s.tar: a snapshot of "*", kernel "*", taken "*" by vfio-tools "*", not this machine" ]] ||
        fail "stderr: $stderr"
    assert_jq '.schema_version == "1.1" and (.snapshot | .machine != null and .kernel != null and (.taken | test("Z$")) and (.taken_by | startswith("vfio-tools ")))'
    assert_jq '[.findings[] | select(.live_only) | .id] | (index("vfio.module.vfio_pci") != null and index("memlock") != null)'
    assert_jq '[.findings[] | select(.live_only) | .id] | all(test("^(vfio\\.module\\..*|memlock|reset)$"))'
    run "$ADMIN" check --sysroot "$BATS_TEST_TMPDIR/s.tar"
    assert_line --regexp '^(PASS|NOTE|WARN|FAIL)  machine: vfio_pci: .*  \[recorded live when the snapshot was taken\]$'
    run "$ADMIN" list --json
    refute_output --partial '"snapshot"'
}

@test "--sysroot DIR: an extracted snapshot, the same as the file; the temporary extraction is removed" {
    local d=$BATS_TEST_TMPDIR/x t=$BATS_TEST_TMPDIR/tmp
    snap q35-lab "$BATS_TEST_TMPDIR/s.tar" 2>/dev/null
    mkdir -p "$d" "$t"
    tar -xf "$BATS_TEST_TMPDIR/s.tar" -C "$d"
    TMPDIR=$t "$ADMIN" groups --json --sysroot "$BATS_TEST_TMPDIR/s.tar" >"$BATS_TEST_TMPDIR/a.json" 2>/dev/null
    "$ADMIN" groups --json --sysroot "$d" >"$BATS_TEST_TMPDIR/b.json" 2>/dev/null
    assert_equal "$(jq -S . "$BATS_TEST_TMPDIR/a.json")" "$(jq -S . "$BATS_TEST_TMPDIR/b.json")"
    assert_equal "$(ls -A "$t")" ""
}

@test "snapshot: the Device Serial Number and VPD registers are zeroed, the rest of config space kept" {
    local root=$BATS_TEST_TMPDIR/tree cfg x=$BATS_TEST_TMPDIR/x
    cp -a "$(fx q35-lab)" "$root"
    cfg=$root/bus/pci/devices/0000:01:00.0/config
    # a 4 KiB config: capability list at 0x40 (VPD: id 03, next 0, address 0x1234, data
    # "SN42"); extended capabilities at 0x100: DSN (0003, version 1, next 0) 0x0123456789abcdef
    python3 - "$cfg" <<'PY'
import sys
p = sys.argv[1]
c = bytearray(open(p, 'rb').read().ljust(4096, b'\0'))
c[0x06] |= 0x10                        # status: capability list
c[0x34] = 0x40
c[0x40:0x48] = bytes([0x03, 0x00, 0x34, 0x12]) + b'SN42'
c[0x100:0x10c] = (0x00010003).to_bytes(4, 'little') + (0x0123456789abcdef).to_bytes(8, 'little')
open(p, 'wb').write(c)
PY
    VFIO_TOOLS_SYSFS=$root run --separate-stderr "$ADMIN" snapshot -o "$BATS_TEST_TMPDIR/s.tar"
    assert_success
    [[ $stderr == *", 2 serial numbers masked"* ]] || fail "stderr: $stderr"
    mkdir "$x" && tar -xf "$BATS_TEST_TMPDIR/s.tar" -C "$x"
    local out
    out=$(find "$x/sys/devices" -path '*/0000:00:04.0/0000:01:00.0/config')
    assert_equal "$(od -An -tx1 -j $((0x100)) -N 12 "$out" | tr -d ' \n')" "030001000000000000000000"
    assert_equal "$(od -An -tx1 -j $((0x40)) -N 8 "$out" | tr -d ' \n')" "0300000000000000"
    cmp -n 64 "$cfg" "$out" || fail "the header changed"
    run grep -c SN42 "$BATS_TEST_TMPDIR/s.tar"
    assert_output 0
}

@test "--sysroot: a missing file, a file that is no tar, an archive that escapes: one line, exit 2" {
    run --separate-stderr "$ADMIN" list --sysroot "$BATS_TEST_TMPDIR/none.tar"
    assert_usage_error
    [[ $stderr == *"none.tar: cannot use it as --sysroot: No such file or directory" ]] || fail "$stderr"
    head -c 3000 /dev/urandom >"$BATS_TEST_TMPDIR/junk.tar"
    run --separate-stderr "$ADMIN" groups --sysroot "$BATS_TEST_TMPDIR/junk.tar"
    assert_usage_error
    [[ $stderr == *"junk.tar: not a readable snapshot: "* ]] || fail "$stderr"
    mkdir -p "$BATS_TEST_TMPDIR/e/sys"
    ln -s ../../../../etc "$BATS_TEST_TMPDIR/e/sys/up"
    tar -cf "$BATS_TEST_TMPDIR/escape.tar" -C "$BATS_TEST_TMPDIR/e" sys
    run --separate-stderr "$ADMIN" check --sysroot "$BATS_TEST_TMPDIR/escape.tar"
    assert_usage_error
    [[ $stderr == *"escape.tar: not a readable snapshot: "*"sys/up"* ]] || fail "$stderr"
    snap q35-lab "$BATS_TEST_TMPDIR/s.tar" 2>/dev/null
    run --separate-stderr "$ADMIN" list --sysroot "$BATS_TEST_TMPDIR/s.tar" --sysroot "$BATS_TEST_TMPDIR/s.tar"
    [[ $status == 2 && $stderr == *"s.tar: cannot use it as --sysroot: --sysroot is given twice" ]] || fail "$status: $stderr"
}

@test "snapshot: -o - to a pipe; an argument, an unwritable place: exit 2, one line" {
    VFIO_TOOLS_SYSFS=$(fx q35-lab) "$ADMIN" snapshot -o - 2>/dev/null | tar -t >"$BATS_TEST_TMPDIR/list"
    grep -qx vfio-tools/info "$BATS_TEST_TMPDIR/list" || fail "no vfio-tools/info in the stream"
    run --separate-stderr "$ADMIN" snapshot extra
    assert_usage_error
    run --separate-stderr "$ADMIN" snapshot -o /nonexistent/dir/s.tar
    assert_usage_error
    [[ $stderr == "vfio-admin: /nonexistent/dir/s.tar: cannot write: "* ]] || fail "$stderr"
}

@test "snapshot: without -o, vfio-snapshot-HOST-TIME.tar in the current directory" {
    cd "$BATS_TEST_TMPDIR"
    VFIO_TOOLS_SYSFS=$(fx q35-lab) run --separate-stderr "$ADMIN" snapshot
    assert_success
    run compgen -G 'vfio-snapshot-*-[0-9]*-[0-9]*.tar'
    assert_success
    assert_equal "${#lines[@]}" 1
}
