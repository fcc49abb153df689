#!/usr/bin/env bats
# vfio-admin persist against a fake sysfs and /etc (VFIO_TOOLS_SYSFS, _ETC):
# the configuration file, its errors, list/match/owner. Binding through udev is
# tested in the lab (tests/vm/persist.bats).

load helpers

setup_file() { fixtures_setup q35-lab; }

setup() {
    export VFIO_TOOLS_ETC="$BATS_TEST_TMPDIR/etc"
    CONF="$VFIO_TOOLS_ETC/vfio-tools/persist.conf"
}

persist() { admin q35-lab persist "$@"; }

@test "add writes one line per device (canonical address or ids), replaces an entry, list shows what is present" {
    run persist add 01:00.0 --owner nobody
    assert_success
    assert_line "0000:01:00.0: persisted: vfio-pci, owner nobody"
    run persist add 1234:11E8 0000:00:1f.2 --driver pci-stub
    assert_success
    run persist add 0000:01:00.0
    assert_success
    assert_equal "$(grep -v '^#' "$CONF")" "0000:01:00.0 driver=vfio-pci
1234:11e8 driver=pci-stub
0000:00:1f.2 driver=pci-stub"
    assert_equal "$(stat -c %a "$CONF")" 644
    [[ -z "$(ls "$VFIO_TOOLS_ETC/vfio-tools" | grep -v '^persist.conf$')" ]] || fail "temporary files left"
    run persist list
    assert_success
    assert_line --index 0 --regexp '^DEVICE +DRIVER +OWNER +PRESENT'
    assert_line --regexp '^1234:11e8 +pci-stub +- +0000:00:03.0 \(no driver\), 0000:01:00.0 \(vfio-pci\), '
    run persist list --json
    assert_jq '.entries | length == 3'
    assert_jq '.entries[1].present | map(.address) | index("0000:05:00.0") != null'
    assert_jq '.errors == []'
}

@test "match and owner answer udev: an address entry wins over an ids entry; owner prints USER GROUP" {
    printf '%s\n' "1234:11e8 driver=pci-stub" "0000:01:00.0 driver=vfio-pci owner=nobody" >"$(mkdir -p "$(dirname "$CONF")"; echo "$CONF")"
    run persist match 0000:01:00.0
    assert_output vfio-pci
    run persist match 0000:00:03.0
    assert_output pci-stub
    run persist match 0000:00:00.0
    assert_success
    assert_output ''
    run persist owner 3
    assert_output "nobody $(id -gn nobody)"
    run persist owner 2
    assert_output ''
}

@test "a malformed line is reported with its file and line and skipped, the rest applies; add and remove refuse to rewrite it" {
    mkdir -p "$(dirname "$CONF")"
    printf '%s\n' "# comment" "0000:01:00.0 driver=vfio-pci" "zz:00.0" "1234:11e8 colour=blue" "" "0000:00:03.0 owner=" >"$CONF"
    run --separate-stderr persist list --json
    assert_success
    assert_equal "${#stderr_lines[@]}" 3
    assert_regex "${stderr_lines[0]}" "^vfio-admin: $CONF:3: malformed entry skipped: zz:00.0: not a PCI address or VENDOR:DEVICE: .*; the other entries apply\$"
    assert_equal "${stderr_lines[1]}" "vfio-admin: $CONF:4: malformed entry skipped: colour=blue: unknown option (driver=NAME, owner=USER[:GROUP], numvfs=N); the other entries apply"
    assert_equal "${stderr_lines[2]}" "vfio-admin: $CONF:6: malformed entry skipped: owner=: not USER or USER:GROUP; the other entries apply"
    assert_jq '[.entries[].device] == ["0000:01:00.0"] and (.errors | length) == 3'
    run persist match 0000:01:00.0
    assert_output vfio-pci
    run --separate-stderr persist add 0000:00:03.0
    assert_equal "$status" 2
    assert_equal "${stderr_lines[3]}" "vfio-admin: $CONF: not rewritten: fix or remove the malformed lines above first"
    assert_equal "$(wc -l <"$CONF")" 6
}

@test "bad input: one line, exit 2, the file unchanged" {
    run persist add 0000:01:00.0
    cp "$CONF" "$BATS_TEST_TMPDIR/before"
    bad() { run --separate-stderr persist "$@"; assert_usage_error; }
    bad
    bad frobnicate
    bad add
    bad add 12345:1
    bad add zz:00.0
    bad add --owner no-such-user 0000:01:00.0
    bad add --owner nobody:no-such-group 0000:01:00.0
    bad add --driver 'a b' 0000:01:00.0
    bad add --bogus 0000:01:00.0
    bad remove 0000:00:03.0
    bad remove
    bad list extra
    bad apply zz
    bad match
    cmp "$CONF" "$BATS_TEST_TMPDIR/before"
    run persist remove 01:00.0
    assert_success
    assert_equal "$(grep -cv '^#' "$CONF")" 0
}

@test "not root: add, remove and apply refuse up front and say why" {
    local dir
    dir=$(mktemp -d /tmp/vfio-admin.XXXXXX)
    chmod 755 "$dir"
    cp "$ADMIN" "$dir/"
    run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups env VFIO_TOOLS_ETC=/etc "$dir/vfio-admin" persist add 0000:01:00.0
    assert_usage_error
    assert_regex "${stderr_lines[0]}" "^vfio-admin: permission denied: editing the persist configuration needs root: /etc(/vfio-tools)? is not writable: run it as root\$"
    run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups env VFIO_TOOLS_ETC=/etc "$dir/vfio-admin" persist remove 0000:01:00.0
    assert_usage_error
    assert_regex "${stderr_lines[0]}" "^vfio-admin: permission denied: editing the persist configuration needs root"
    run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$dir/vfio-admin" persist apply
    assert_usage_error
    rm -rf "$dir"
}
