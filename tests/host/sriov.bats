#!/usr/bin/env bats
# vfio-admin sriov on fake trees (tests/fixtures/sriov.desc): the PF's state, --numvfs and
# --autoprobe with their records, restore, the rollback, check's findings, persist's
# numvfs= and --vf-token's refusals.  What the kernel does is proven in the VM lab
# (tests/vm/sriov.bats).

load helpers

setup_file() { fixtures_setup sriov; }

setup() {
    export VFIO_TOOLS_SYSFS VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc" VFIO_TOOLS_STATE="$BATS_TEST_TMPDIR/state"
    export VFIO_TOOLS_ETC="$BATS_TEST_TMPDIR/etc" VFIO_TOOLS_DEV="$BATS_TEST_TMPDIR/dev"
    VFIO_TOOLS_SYSFS="$BATS_TEST_TMPDIR/sys"
    cp -a "$(fx sriov)" "$VFIO_TOOLS_SYSFS"
    mkdir -p "$VFIO_TOOLS_PROC/self" "$VFIO_TOOLS_PROC/net" "$VFIO_TOOLS_DEV"
    : >"$VFIO_TOOLS_PROC/self/mountinfo"
    : >"$VFIO_TOOLS_PROC/swaps"
    PF=$VFIO_TOOLS_SYSFS/bus/pci/devices/0000:01:00.0
}

sriov_attrs() { echo "$(cat "$PF/sriov_numvfs") $(cat "$PF/sriov_drivers_autoprobe")"; }

@test "sriov PF: counts, autoprobe, each VF's driver, override and group; what the driver can do and why" {
    run --separate-stderr "$ADMIN" sriov 01:00.0
    assert_success
    assert_equal "$output" "0000:01:00.0: SR-IOV PF on nvme: 2 of 4 VFs enabled, autoprobe on
  can create VFs: yes (nvme created the VFs present (2))
  VF 0 0000:01:00.1: nvme, IOMMU group 3
  VF 1 0000:01:00.2: vfio-pci, IOMMU group 4, driver_override vfio-pci"
    run --separate-stderr "$ADMIN" sriov --json 0000:01:00.0
    assert_success
    assert_jq '.address == "0000:01:00.0" and .driver == "nvme" and .total_vfs == 4 and .num_vfs == 2 and .autoprobe == true'
    assert_jq '.can_create_vfs == "yes" and .vf_token_required == false'
    assert_jq '[.vfs[] | "\(.index) \(.address) \(.driver) \(.driver_override) \(.group)"] == ["0 0000:01:00.1 nvme null 3", "1 0000:01:00.2 vfio-pci vfio-pci 4"]'
    run --separate-stderr "$ADMIN" sriov 03:00.0
    assert_line --index 0 "0000:03:00.0: SR-IOV PF without a driver: 0 of 8 VFs enabled, autoprobe on"
    assert_line --index 1 "  can create VFs: no (no driver: only the PF's driver creates VFs)"
}

@test "sriov: a PF on vfio-pci needs a token for its VFs; enable_sriov decides whether vfio-pci creates VFs" {
    run --separate-stderr "$ADMIN" sriov --json 02:00.0
    assert_jq '.driver == "vfio-pci" and .vf_token_required == true and .autoprobe == false and .can_create_vfs == "yes"'
    echo 0 >"$VFIO_TOOLS_SYSFS/bus/pci/devices/0000:02:00.0/sriov_numvfs"
    run --separate-stderr "$ADMIN" sriov --json 02:00.0
    assert_jq '.can_create_vfs == "unknown" and (.can_create_vfs_why | test("unreadable"))'
    mkdir -p "$VFIO_TOOLS_SYSFS/module/vfio_pci/parameters"
    echo N >"$VFIO_TOOLS_SYSFS/module/vfio_pci/parameters/enable_sriov"
    run --separate-stderr "$ADMIN" sriov 02:00.0
    assert_line --index 1 "  can create VFs: no (vfio-pci has enable_sriov=0: load it with 'modprobe vfio-pci enable_sriov=1' or write 1 to /sys/module/vfio_pci/parameters/enable_sriov)"
    assert_line --index 2 --partial "VF token: required"
    echo Y >"$VFIO_TOOLS_SYSFS/module/vfio_pci/parameters/enable_sriov"
    run --separate-stderr "$ADMIN" sriov --json 02:00.0
    assert_jq '.can_create_vfs == "yes" and (.can_create_vfs_why | test("enable_sriov=1"))'
}

@test "sriov: a VF, a device without SR-IOV, bad counts and bad options are usage errors" {
    run --separate-stderr "$ADMIN" sriov 01:00.1
    assert_usage_error
    assert_equal "$stderr" "vfio-admin: 0000:01:00.1: not an SR-IOV PF: it is a VF of 0000:01:00.0: name the PF"
    run --separate-stderr "$ADMIN" sriov 00:1c.0
    assert_usage_error
    assert_equal "$stderr" "vfio-admin: 0000:00:1c.0: not an SR-IOV PF: it has no SR-IOV capability (no sriov_totalvfs in sysfs)"
    run --separate-stderr "$ADMIN" sriov 01:00.0 --numvfs 5
    assert_usage_error
    assert_equal "$stderr" "vfio-admin: 5: invalid --numvfs: expected a count from 0 to 4 (sriov_totalvfs of 0000:01:00.0)"
    local bad
    for bad in "--numvfs -1" "--numvfs 1x" "--autoprobe maybe" "--vf-token 123" "--numvfs 1 --vf-token 7d4b0c52-87a4-4a4b-9bf3-7f3a1c6d2e10" "" "01:00.0 02:00.0" "zz"; do
        # shellcheck disable=SC2086
        run --separate-stderr "$ADMIN" sriov $( [[ $bad == "" || $bad == "01:00.0 02:00.0" || $bad == zz ]] || echo 01:00.0) $bad
        assert_usage_error
    done
    [[ ! -e $VFIO_TOOLS_STATE ]]
}

@test "sriov --numvfs --autoprobe: dry run plans; the change goes through 0, is recorded, restore puts it back" {
    run --separate-stderr "$ADMIN" sriov 01:00.0 --numvfs 1 --autoprobe off --dry-run
    assert_success
    assert_equal "$output" "0000:01:00.0: sriov_drivers_autoprobe on -> off
0000:01:00.0: sriov_numvfs 2 -> 0 -> 1"
    assert_equal "$(sriov_attrs)" "2 1"
    [[ ! -e $VFIO_TOOLS_STATE ]]
    mkdir -p "$VFIO_TOOLS_STATE"
    printf 'driver=nvme\noverride=\n' >"$VFIO_TOOLS_STATE/0000:01:00.2"
    run --separate-stderr "$ADMIN" sriov 01:00.0 --numvfs 1 --autoprobe off
    assert_success
    assert_line --index 0 "0000:01:00.0: sriov_drivers_autoprobe on -> off"
    assert_line --index 1 "0000:01:00.0: sriov_numvfs 2 -> 0 -> 1"
    assert_line --index 2 "0000:01:00.2: VF removed: its bind record dropped"
    assert_line --index 3 "0000:01:00.0: SR-IOV PF on nvme: 1 of 4 VFs enabled, autoprobe off"
    assert_equal "$(sriov_attrs)" "1 0"
    assert_equal "$(cat "$VFIO_TOOLS_STATE/0000:01:00.0.sriov")" "numvfs=2
autoprobe=1"
    [[ ! -e $VFIO_TOOLS_STATE/0000:01:00.2 ]]
    # a second change keeps the first record; the fake tree shows the third VF the kernel would add
    ln -s "$(readlink "$PF/virtfn1")" "$PF/virtfn2"
    run --separate-stderr "$ADMIN" sriov 01:00.0 --numvfs 3 --json
    assert_success
    assert_equal "$stderr" "0000:01:00.0: sriov_numvfs 1 -> 0 -> 3"
    assert_jq '.num_vfs == 3 and .autoprobe == false'
    assert_equal "$(head -1 "$VFIO_TOOLS_STATE/0000:01:00.0.sriov")" "numvfs=2"
    run --separate-stderr "$ADMIN" sriov 01:00.0 --numvfs 3
    assert_line --index 0 "0000:01:00.0: already as asked (nothing to do)"
    run --separate-stderr "$ADMIN" restore --dry-run
    assert_success
    assert_line --index 0 "0000:01:00.0: sriov_numvfs 3 -> 0 (recorded: 2)"
    assert_equal "$(sriov_attrs)" "3 0"
    # restore PF: its driver stays (no bind record), the count and autoprobe come back
    run --separate-stderr "$ADMIN" restore 01:00.0
    assert_success
    assert_equal "$output" "0000:01:00.0: sriov_numvfs 3 -> 0 (recorded: 2)
0000:01:00.0: sriov_drivers_autoprobe off -> on (recorded)
0000:01:00.0: sriov_numvfs 0 -> 2 (recorded)"
    assert_equal "$(sriov_attrs)" "2 1"
    assert_equal "$(readlink "$PF/driver" | xargs basename)" nvme
    [[ ! -e $VFIO_TOOLS_STATE/0000:01:00.0.sriov ]]
    run --separate-stderr "$ADMIN" restore
    assert_output "nothing recorded in $VFIO_TOOLS_STATE: nothing to restore"
}

@test "sriov --numvfs: a failed write is rolled back and says what it restored" {
    rm "$PF/sriov_numvfs"
    mkdir "$PF/sriov_numvfs"     # every write fails (EISDIR)
    run --separate-stderr "$ADMIN" sriov 01:00.0 --numvfs 1 --autoprobe off
    assert_failure 1
    assert_regex "$stderr" "^vfio-admin: 0000:01:00.0: SR-IOV change failed: writing 1 to sriov_numvfs .*; restored: autoprobe on\$"
    assert_equal "$(cat "$PF/sriov_drivers_autoprobe")" 1
}

@test "sriov --vf-token: only a PF on vfio-pci keeps a token; not root is refused up front" {
    run --separate-stderr "$ADMIN" sriov 01:00.0 --vf-token 7d4b0c52-87a4-4a4b-9bf3-7f3a1c6d2e10
    assert_failure 1
    assert_equal "$stderr" "vfio-admin: 0000:01:00.0: no VF token to set: the PF is on nvme: only vfio-pci keeps one; bind it with 'vfio-admin bind 0000:01:00.0' (and load vfio-pci with enable_sriov=1 to create VFs under it)"
    local open
    # bats' own directories are private: give nobody a readable copy of the tree.
    open=$(mktemp -d /tmp/vfio-tools-nonroot.XXXXXX)
    cp -a "$VFIO_TOOLS_SYSFS" "$open/"
    chmod -R a+rX "$open"
    run --separate-stderr env VFIO_TOOLS_SYSFS="$open/sys" setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$ADMIN" sriov 01:00.0 --numvfs 1
    assert_usage_error
    assert_equal "$stderr" "vfio-admin: permission denied: changing SR-IOV needs root: run it as root (--dry-run does not)"
    run --separate-stderr env VFIO_TOOLS_SYSFS="$open/sys" setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$ADMIN" sriov 01:00.0 --numvfs 1 --dry-run
    assert_success
    rm -rf "$open"
}

@test "vfio-dump and vfio-bench take --vf-token UUID; anything else is a usage error" {
    run --separate-stderr "$VFIO_TOOLS_BIN/vfio-dump" info --vf-token nope 01:00.1
    assert_usage_error vfio-dump
    assert_equal "$stderr" "vfio-dump: nope: invalid VF token: expected a UUID: 8-4-4-4-12 hex digits"
    run --separate-stderr "$VFIO_TOOLS_BIN/vfio-bench" mmio --vf-token 7d4b0c52-87a4-4a4b-9bf3-7f3a1c6d2e1 01:00.1
    assert_usage_error vfio-bench
    run --separate-stderr "$VFIO_TOOLS_BIN/vfio-dump" info --help
    assert_output --partial "--vf-token=UUID"
}

@test "check: the PF's driver and autoprobe, the VF token on a PF on vfio-pci and on its VFs" {
    local f
    run --separate-stderr "$ADMIN" check --json 01:00.0 01:00.2 02:00.0 02:02.0
    f=$(jq -r '[.findings[] | select(.id | startswith("sriov.")) | "\(.id) \(.subject) \(.level) \(.message)"] | join("\n")' <<<"$output")
    assert_equal "$f" "sriov.driver 0000:01:00.0 NOTE PF driver nvme can create VFs: yes (nvme created the VFs present (2))
sriov.token 0000:01:00.2 NOTE no VF token: the PF 0000:01:00.0 is on the host driver nvme, which the VF's user must trust (it can reset or reconfigure the VF)
sriov.driver 0000:02:00.0 NOTE PF driver vfio-pci can create VFs: yes (vfio-pci created the VFs present (1))
sriov.autoprobe 0000:02:00.0 NOTE sriov_drivers_autoprobe is off: new VFs get no driver until one is bound
sriov.token 0000:02:00.0 NOTE PF on vfio-pci: its VFs open only with the VF token set on it (vfio-pci draws a random one when it binds the PF)
sriov.token 0000:02:02.0 NOTE VF token required: the PF 0000:02:00.0 is on vfio-pci, so VFIO opens this VF only with the token set on the PF"
}

@test "persist: numvfs= is kept, listed and refused when malformed" {
    local conf=$VFIO_TOOLS_ETC/vfio-tools/persist.conf
    run --separate-stderr "$ADMIN" persist add 01:00.0 --driver nvme --numvfs 2
    assert_success
    assert_equal "$(grep -v '^#' "$conf")" "0000:01:00.0 driver=nvme numvfs=2"
    run --separate-stderr "$ADMIN" persist list --json
    assert_jq '.entries[0].numvfs == 2'
    run --separate-stderr "$ADMIN" persist add 03:00.0 --numvfs 1x
    assert_usage_error
    printf '%s\n' "0000:02:00.0 numvfs=99999" >>"$conf"
    run --separate-stderr "$ADMIN" persist list --json
    assert_equal "$stderr" "vfio-admin: $conf:4: malformed entry skipped: numvfs=99999: not a VF count (0 to 65535); the other entries apply"
    assert_jq '[.entries[].numvfs] == [2]'
}

@test "check: a VF of a vfio-pci PF with a cdev: WARN before Linux 6.17 (its cdev bind checks no token), nothing from 6.17" {
    local vf=$VFIO_TOOLS_SYSFS/bus/pci/devices/0000:02:02.0 rel f
    mkdir -p "$vf/vfio-dev/vfio3" "$VFIO_TOOLS_PROC/sys/kernel"
    echo 511:3 >"$vf/vfio-dev/vfio3/dev"
    for rel in 6.12.118+deb12-amd64 6.17.0 7.2.13+deb14-amd64; do
        echo "$rel" >"$VFIO_TOOLS_PROC/sys/kernel/osrelease"
        run --separate-stderr "$ADMIN" check --json 02:02.0
        f=$(jq -r '[.findings[] | select(.id == "sriov.token_cdev") | "\(.level) \(.message) (\(.hint))"] | join("\n")' <<<"$output")
        if [[ $rel == 6.12* ]]; then
            assert_equal "$f" "WARN its cdev vfio3 opens without the VF token: Linux $rel's VFIO_DEVICE_BIND_IOMMUFD checks none (it does from 6.17) (limit who may open /dev/vfio/devices/vfio3 (its owner and mode), or run Linux 6.19 or later)"
        else
            assert_equal "$f" ""
        fi
    done
}
