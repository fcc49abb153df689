#!/usr/bin/env bats
# Hostile and malformed command lines across the three tools (tests/hostile.bash):
# each must print exactly one line on stderr starting with the program's name,
# nothing on stdout, exit 2, and change nothing (the fake tree's drivers and
# overrides and the persist file are compared before and after). Run against a
# fake sysfs, /dev and /etc; tests/vm/hostile.bats runs the same cases in the lab.

load helpers
load ../hostile

setup_file() { fixtures_setup q35-lab; }

# Drivers and overrides of every fake device, and the persist file.
snapshot() {
    local root d
    root="$(fx q35-lab)"
    for d in "$root"/bus/pci/devices/*; do
        printf '%s %s %s\n' "${d##*/}" "$(readlink "$d/driver" 2>/dev/null)" "$(cat "$d/driver_override" 2>/dev/null)"
    done
    cat "$BATS_FILE_TMPDIR/etc/vfio-tools/persist.conf" 2>/dev/null || true
}

@test "every malformed invocation: one line 'TOOL: ...' on stderr, nothing on stdout, exit 2, nothing changed" {
    local before after bin
    export VFIO_TOOLS_SYSFS="$(fx q35-lab)" VFIO_TOOLS_DEV="$BATS_FILE_TMPDIR/dev" VFIO_TOOLS_ETC="$BATS_FILE_TMPDIR/etc"
    export VFIO_TOOLS_STATE="$BATS_FILE_TMPDIR/state"
    mkdir -p "$VFIO_TOOLS_DEV"
    bin=$(hostile_public_bin "$VFIO_TOOLS_BIN")
    before=$(snapshot)
    hostile_run "$bin" 0000:01:00.0
    after=$(snapshot)
    rm -rf "$bin"
    ((hostile_n >= 50)) || fail "only $hostile_n cases"
    ((${#hostile_failures[@]} == 0)) || fail "$(printf '%s\n' "${hostile_failures[@]}")"
    [[ $before == "$after" ]] || fail "the fake system changed"
}
