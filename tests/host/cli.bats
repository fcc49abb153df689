#!/usr/bin/env bats
# --help and --version (exit 0) for all three tools, and per subcommand.

load helpers

TOOLS=(vfio-admin vfio-dump vfio-bench)

@test "--help and -h: exit 0, usage on stdout, nothing on stderr" {
    local t opt
    for t in "${TOOLS[@]}"; do
        for opt in --help -h; do
            run --separate-stderr "$VFIO_TOOLS_BIN/$t" "$opt"
            [[ "$status" -eq 0 ]] || fail "$t $opt: exit $status"
            [[ -n "$output" ]] || fail "$t $opt: empty stdout"
            [[ -z "$stderr" ]] || fail "$t $opt: stderr: $stderr"
            grep -qi usage <<<"$output" || fail "$t $opt: no usage line: $output"
        done
    done
}

@test "--version and -V: exit 0, '<tool> <version>' on stdout" {
    local t opt
    for t in "${TOOLS[@]}"; do
        for opt in --version -V; do
            run --separate-stderr "$VFIO_TOOLS_BIN/$t" "$opt"
            [[ "$status" -eq 0 ]] || fail "$t $opt: exit $status"
            [[ -z "$stderr" ]] || fail "$t $opt: stderr: $stderr"
            [[ "${lines[0]}" =~ ^$t\ [0-9]+\.[0-9]+ ]] || fail "$t $opt: ${lines[0]}"
        done
    done
}

@test "the three tools report the same version" {
    local v t
    v="$("$VFIO_TOOLS_BIN/vfio-admin" --version)"
    for t in vfio-dump vfio-bench; do
        [[ "$("$VFIO_TOOLS_BIN/$t" --version)" == "$t ${v#vfio-admin }" ]] || \
            fail "$t: $("$VFIO_TOOLS_BIN/$t" --version) vs $v"
    done
}

@test "vfio-admin list --help / groups --help: exit 0, mention their options" {
    run --separate-stderr "$ADMIN" list --help
    assert_success
    [[ -z "$stderr" ]]
    local o
    for o in --slot --id --class --group --driver --json --tree; do
        grep -q -- "$o" <<<"$output" || fail "list --help lacks $o"
    done
    run --separate-stderr "$ADMIN" groups --help
    assert_success
    for o in --group --json; do
        grep -q -- "$o" <<<"$output" || fail "groups --help lacks $o"
    done
}

@test "vfio-admin list -h / -V work as subcommand options" {
    run --separate-stderr "$ADMIN" list -h
    assert_success
    run --separate-stderr "$ADMIN" list -V
    assert_success
    [[ "$output" =~ ^vfio-admin\ [0-9] ]] || fail "$output"
    run --separate-stderr "$ADMIN" groups -V
    assert_success
}

@test "--help lists the class names of the contract" {
    run --separate-stderr "$ADMIN" list --help
    assert_success
    local n
    for n in storage network display nvme ethernet; do
        grep -q -- "$n" <<<"$output" || fail "list --help does not mention class '$n'"
    done
}

@test "--help does not need a readable sysfs" {
    VFIO_TOOLS_SYSFS=/nonexistent run --separate-stderr "$ADMIN" --help
    assert_success
    VFIO_TOOLS_SYSFS=/nonexistent run --separate-stderr "$ADMIN" list --help
    assert_success
}
