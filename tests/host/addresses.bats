#!/usr/bin/env bats
# Address parsing and matching through "vfio-admin list -s" (doc/interfaces.md,
# "Addresses").

load helpers

setup_file() { fixtures_setup q35-lab; }

# list_slot ARG EXPECTED-ADDRESS...: "list -s ARG" prints exactly these rows
list_slot() {
    local arg="$1"
    shift
    run --separate-stderr admin q35-lab list -s "$arg"
    assert_success
    [[ -z "$stderr" ]] || fail "unexpected stderr: $stderr"
    local want got
    want="$(printf '%s\n' "$@")"
    got="$(table_addresses)"
    [[ "$got" == "$want" ]] || fail "list -s $arg: expected [$want], got [$got]"
}

@test "full address" {
    list_slot 0000:01:00.0 0000:01:00.0
}

@test "short address BB:DD.F means domain 0000" {
    list_slot 01:00.0 0000:01:00.0
    list_slot 00:1f.0 0000:00:1f.0
}

@test "short address of a function other than 0" {
    list_slot 08:00.1 0000:08:00.1
}

@test "5-digit (VMD) domain" {
    list_slot 10000:01:00.0 10000:01:00.0
    list_slot 10000:00:02.0 10000:00:02.0
}

@test "short address does not match the VMD domain" {
    # 01:00.0 is 0000:01:00.0 only, never 10000:01:00.0
    list_slot 01:00.0 0000:01:00.0
}

@test "domain with fewer than 4 digits is accepted" {
    list_slot 0:01:00.0 0000:01:00.0
}

@test "8-digit domain is accepted (no such device: exit 2 but not a parse error)" {
    run --separate-stderr admin q35-lab list -s 00000000:01:00.0
    # a valid address: either it matches 0000:01:00.0 (same domain number) ...
    if [[ "$status" -eq 0 ]]; then
        [[ "$(table_addresses)" == "0000:01:00.0" ]] || fail "got: $output"
    else
        fail "8-digit domain rejected: status $status, stderr: $stderr"
    fi
}

@test "upper case is accepted and printed in lower case" {
    list_slot 0000:00:1F.0 0000:00:1f.0
    list_slot 0A:00.0 0000:0a:00.0
    list_slot 0000:0B:00.0 0000:0b:00.0
}

@test "glob on the function: 0000:08:00.*" {
    list_slot '0000:08:00.*' 0000:08:00.0 0000:08:00.1
}

@test "glob on the function, short form: 08:00.*" {
    list_slot '08:00.*' 0000:08:00.0 0000:08:00.1
}

@test "glob 0000:03:00.* matches only 03:00.0, not 03:01.0" {
    list_slot '0000:03:00.*' 0000:03:00.0
}

@test "glob 03:00.* (short form)" {
    list_slot '03:00.*' 0000:03:00.0
}

@test "glob with ? and [...]" {
    list_slot '0000:07:0?.0' 0000:07:01.0 0000:07:02.0
    list_slot '0000:00:1f.[02]' 0000:00:1f.0 0000:00:1f.2
}

@test "glob on the bus: 0000:0*:00.0 spans buses, sorted" {
    list_slot '0000:0[1-5]:00.0' 0000:01:00.0 0000:02:00.0 0000:03:00.0 0000:04:00.0 0000:05:00.0
}

@test "glob with upper-case hex matches lower-case devices" {
    list_slot '0000:00:1F.*' 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3
}

@test "glob in the VMD domain" {
    list_slot '10000:*' 10000:00:02.0 10000:01:00.0
}

@test "glob matching nothing: empty table, exit 0" {
    run --separate-stderr admin q35-lab list -s '0000:0e:*'
    assert_success
    [[ "$(table_addresses)" == "" ]] || fail "expected no rows, got: $output"
}

@test "glob matching nothing in JSON: {\"devices\": []}" {
    run --separate-stderr admin q35-lab list -s '0000:0e:*' --json
    assert_success
    assert_jq '.devices == []'
}

@test "long option --slot equals -s" {
    run --separate-stderr admin q35-lab list --slot 0000:01:00.0
    assert_success
    [[ "$(table_addresses)" == "0000:01:00.0" ]]
    run --separate-stderr admin q35-lab list --slot=0000:01:00.0
    assert_success
    [[ "$(table_addresses)" == "0000:01:00.0" ]]
}

@test "non-glob address naming no device: exit 2, one stderr line" {
    run --separate-stderr admin q35-lab list -s 0000:0e:00.0
    assert_usage_error
}

# Invalid addresses: exit 2, nothing on stdout, one line "vfio-admin: ..."
@test "invalid address: zz:00.0" {
    run --separate-stderr admin q35-lab list -s zz:00.0
    assert_usage_error
}

@test "invalid address: device > 1f (00:20.0)" {
    run --separate-stderr admin q35-lab list -s 00:20.0
    assert_usage_error
}

@test "invalid address: function > 7 (00:00.8)" {
    run --separate-stderr admin q35-lab list -s 00:00.8
    assert_usage_error
}

@test "invalid address: trailing component (0000:00:00.0.1)" {
    run --separate-stderr admin q35-lab list -s 0000:00:00.0.1
    assert_usage_error
}

@test "invalid address: empty" {
    run --separate-stderr admin q35-lab list -s ''
    assert_usage_error
}

@test "invalid address: 9 domain digits" {
    run --separate-stderr admin q35-lab list -s 000000000:00:00.0
    assert_usage_error
}

@test "invalid address: bus with 3 digits" {
    run --separate-stderr admin q35-lab list -s 0000:100:00.0
    assert_usage_error
}

@test "invalid address: missing function" {
    run --separate-stderr admin q35-lab list -s 0000:00:00
    assert_usage_error
}

@test "invalid address: garbage after the function" {
    run --separate-stderr admin q35-lab list -s '00:00.0x'
    assert_usage_error
}
