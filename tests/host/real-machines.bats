#!/usr/bin/env bats
# Real machines (tests/fixtures/real/, from public hardware-probe dumps) replayed through
# `vfio-admin check --json` by scripts/real-machines: every device the kernel put in a
# group is predicted exactly, by the kernel's ACS rules or with its quirk named.

load helpers

@test "at least 20 real machines, each with its source, kernel and a device in a group" {
    local n=0 desc
    for desc in "$FIXTURES"/real/*.desc; do
        grep -q '^# Source: github.com/linuxhw/LsPCI' "$desc" || fail "$desc: no source line"
        grep -q '^# Kernel [0-9]' "$desc" || fail "$desc: no kernel line"
        grep -q ' group=[0-9]' "$desc" || fail "$desc: no device in a group"
        n=$((n + 1))
    done
    ((n >= 20)) || fail "$n machines"
}

@test "every device of every real machine: the kernel's group predicted exactly, 0 unexplained" {
    VFIO_TOOLS_BIN=$(dirname "$ADMIN") MKFAKESYS=$(mkfakesys_bin) run "$REPO_ROOT/scripts/real-machines" -v
    echo "$output" >&3
    assert_success
    assert_line --regexp '^total: [0-9]+ machines +[0-9]+ +[0-9]+ +[0-9]+ +0$'
}
