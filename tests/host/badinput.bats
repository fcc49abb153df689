#!/usr/bin/env bats
# Bad input: one line "vfio-admin: ..." on stderr, exit 2, nothing on stdout.

load helpers

setup_file() { fixtures_setup q35-lab; }

bad() {
    run --separate-stderr admin q35-lab "$@"
    assert_usage_error
}

@test "unknown option: list --bogus" { bad list --bogus; }
@test "unknown short option: list -x" { bad list -x; }
@test "unknown option: groups --bogus" { bad groups --bogus; }
@test "unknown global option: --bogus list" { bad --bogus list; }
@test "unknown subcommand" { bad frobnicate; }
@test "unknown subcommand that looks like an address" { bad 0000:00:00.0; }

@test "--tree is unknown to groups" { bad groups --tree; }

@test "groups: bad filter values are usage errors too" {
    bad groups -s zz:00.0
    bad groups -d 8086
    bad groups -c gpu
    bad groups -k ''
    bad groups --tree
}

@test "unknown class name" { bad list --class gpu; }
@test "class: 3 hex digits" { bad list --class 030; }
@test "class: 8 hex digits" { bad list --class 03000000; }
@test "class: not hex" { bad list --class 0g; }
@test "class: empty" { bad list --class ''; }

@test "unknown device (non-glob address with no device)" { bad list -s 0000:0e:00.0; }
@test "unknown device in another domain" { bad list -s 0001:00:00.0; }

@test "--group abc" { bad list --group abc; }
@test "--group -1" { bad list --group -1; }
@test "--group empty" { bad list --group ''; }
@test "--group 1x" { bad list --group 1x; }
@test "groups -g abc" { bad groups -g abc; }

@test "-d without colon" { bad list -d 8086; }
@test "-d with non-hex vendor" { bad list -d zz:11e8; }
@test "-d with 5-digit device" { bad list -d 8086:12345; }
@test "-d with three parts" { bad list -d 8086:1234:1; }

@test "missing argument: -s" { bad list -s; }
@test "missing argument: --slot" { bad list --slot; }
@test "missing argument: -d" { bad list -d; }
@test "missing argument: --class" { bad list --class; }
@test "missing argument: -g" { bad list -g; }
@test "missing argument: --driver" { bad list --driver; }
@test "missing argument: groups -g" { bad groups -g; }

@test "error line has the shape 'vfio-admin: <subject>: <what>...'" {
    run --separate-stderr admin q35-lab list --class gpu
    assert_usage_error
    [[ "${stderr_lines[0]}" =~ ^vfio-admin:\ [^\ ].*:\ [^\ ] ]] || fail "${stderr_lines[0]}"
    [[ "${stderr_lines[0]}" == *gpu* ]] || fail "subject not named: ${stderr_lines[0]}"
}

@test "unreadable sysfs: exit 2, one line" {
    VFIO_TOOLS_SYSFS="$BATS_FILE_TMPDIR/does-not-exist" run --separate-stderr "$ADMIN" list
    assert_usage_error
    VFIO_TOOLS_SYSFS="$BATS_FILE_TMPDIR/does-not-exist" run --separate-stderr "$ADMIN" groups
    assert_usage_error
}

@test "json mode does not change error handling" {
    bad list --json --class gpu
    bad list -J -s zz:00.0
    bad groups -J -g abc
}
