#!/usr/bin/env bats
# Hostile and malformed command lines across the three tools: each must print
# exactly one line on stderr starting with the program's name, nothing on
# stdout, exit 2, and change nothing (the fake tree's drivers and overrides and
# the persist file are compared before and after). Run against a fake sysfs,
# /dev and /etc; issue 9 repeats the file in the lab.

load helpers

setup_file() { fixtures_setup q35-lab; }

# One invocation per line: TOOL ARGS... (split on blanks; no quoting needed).
CASES='vfio-admin
vfio-admin frobnicate
vfio-admin --frobnicate
vfio-admin list --slot zz:zz.z
vfio-admin list -s 0000:00:20.0
vfio-admin list -s 0000:00:1f.8
vfio-admin list -d 12345:1
vfio-admin list -d xyz:
vfio-admin list --class gpu
vfio-admin list --class 1234567
vfio-admin list --group -1
vfio-admin list --group 99999999999999999999
vfio-admin list --driver
vfio-admin groups --tree
vfio-admin check --guest-mem 12Q
vfio-admin check --guest-mem -1G
vfio-admin check --user no-such-user-here
vfio-admin check 0000:42:00.0
vfio-admin bind
vfio-admin bind 0000:42:00.0
vfio-admin bind --driver a/b 0000:01:00.0 --dry-run
vfio-admin bind --timeout 0 0000:01:00.0 --dry-run
vfio-admin bind --timeout 99999999 0000:01:00.0 --dry-run
vfio-admin bind --owner no-such-user 0000:01:00.0
vfio-admin unbind 0000:42:00.0
vfio-admin restore zz
vfio-admin persist
vfio-admin persist frob
vfio-admin persist add
vfio-admin persist add 1:2:3
vfio-admin persist add --owner nobody:no-such-group 0000:01:00.0
vfio-admin persist remove
vfio-admin persist list extra
vfio-dump
vfio-dump frob
vfio-dump info
vfio-dump info 0000:01:00.0 extra
vfio-dump info zz
vfio-dump info 0000:42:00.0
vfio-dump info 00:03.0
vfio-dump info 0000:07:01.0
vfio-dump info --backend carrier-pigeon 0000:01:00.0
vfio-dump config -y 0000:01:00.0
vfio-dump read 0000:01:00.0 BAR9 0 4
vfio-dump read 0000:01:00.0 BAR0 0x 4
vfio-dump read 0000:01:00.0 BAR0 0 0
vfio-dump read 0000:01:00.0 BAR0 0 0x100000000
vfio-dump read --width 16 0000:01:00.0 BAR0 0 16
vfio-dump write 0000:01:00.0 BAR0 0 1
vfio-dump write --force 0000:01:00.0 BAR0 0 1
vfio-dump write --force --width 2 0000:01:00.0 BAR0 0 0x10000
vfio-bench
vfio-bench frob
vfio-bench dma-map
vfio-bench dma-map --sizes 1 0000:01:00.0
vfio-bench dma-map --sizes 4K,,2M 0000:01:00.0
vfio-bench dma-map --sizes 99999999999T 0000:01:00.0
vfio-bench dma-map --memory shm 0000:01:00.0
vfio-bench dma-map --align 12345 0000:01:00.0
vfio-bench dma-map -n 0 0000:01:00.0
vfio-bench dma-map --duration nan 0000:01:00.0
vfio-bench dma-map --cpu 100000 0000:01:00.0
vfio-bench dma-map --window 16bit 0000:01:00.0
vfio-bench dma-map --raw 0000:01:00.0
vfio-bench irq --type nmi 0000:01:00.0
vfio-bench irq --trigger pigeon 0000:01:00.0
vfio-bench irq --wait forever 0000:01:00.0
vfio-bench irq --timeout 99999999 0000:01:00.0
vfio-bench irq --json --csv 0000:01:00.0
vfio-bench mmio --width 3 0000:01:00.0
vfio-bench mmio --write 5 0000:01:00.0
vfio-bench mmio --access dma 0000:01:00.0
vfio-bench mmio 0000:42:00.0'

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
    local line tool args n=0 failures=() before after
    export VFIO_TOOLS_SYSFS="$(fx q35-lab)" VFIO_TOOLS_DEV="$BATS_FILE_TMPDIR/dev" VFIO_TOOLS_ETC="$BATS_FILE_TMPDIR/etc"
    export VFIO_TOOLS_STATE="$BATS_FILE_TMPDIR/state"
    mkdir -p "$VFIO_TOOLS_DEV"
    before=$(snapshot)
    while read -r tool args; do
        n=$((n + 1))
        # shellcheck disable=SC2086 # split on purpose
        run --separate-stderr "$VFIO_TOOLS_BIN/$tool" $args
        if [[ $status -ne 2 || -n $output || ${#stderr_lines[@]} -ne 1 || ${stderr_lines[0]} != "$tool: "* ]]; then
            failures+=("$tool $args: exit $status, stdout '${output:0:80}', stderr '${stderr:0:200}'")
        fi
    done <<<"$CASES"
    after=$(snapshot)
    ((n >= 50)) || fail "only $n cases"
    ((${#failures[@]} == 0)) || fail "$(printf '%s\n' "${failures[@]}")"
    [[ $before == "$after" ]] || fail "the fake system changed"
}
