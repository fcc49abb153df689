# Shared setup for the host tests (bats >= 1.5).  Each .bats file does:
#   load helpers
#   setup_file() { fixtures_setup q35-lab noiommu; }
# and then runs the tools through the helpers below against fake sysfs trees
# that tests/fixtures/mkfakesys builds into $BATS_FILE_TMPDIR.

bats_require_minimum_version 1.5.0

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

REPO_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
FIXTURES="$REPO_ROOT/tests/fixtures"
: "${VFIO_TOOLS_BIN:=$REPO_ROOT/build}"
export VFIO_TOOLS_BIN
ADMIN="$VFIO_TOOLS_BIN/vfio-admin"

# The mkfakesys binary: $VFIO_TOOLS_BIN/mkfakesys when the Makefile built it,
# else compiled once per file into $BATS_FILE_TMPDIR.
mkfakesys_bin() {
    if [[ -x "$VFIO_TOOLS_BIN/mkfakesys" && \
          "$VFIO_TOOLS_BIN/mkfakesys" -nt "$FIXTURES/mkfakesys.c" ]]; then
        echo "$VFIO_TOOLS_BIN/mkfakesys"
        return
    fi
    local out="$BATS_FILE_TMPDIR/mkfakesys"
    if [[ ! -x "$out" ]]; then
        "${CC:-cc}" -std=gnu11 -O2 -Wall -Wextra -Werror -o "$out" \
            "$FIXTURES/mkfakesys.c" >&2 || return 1
    fi
    echo "$out"
}

# fixtures_setup NAME...: build tests/fixtures/NAME.desc into
# $BATS_FILE_TMPDIR/NAME (call from setup_file).
fixtures_setup() {
    [[ -x "$ADMIN" ]] || {
        echo "# $ADMIN not found: build first (make), or set VFIO_TOOLS_BIN" >&3
        return 1
    }
    local mk name
    mk="$(mkfakesys_bin)" || return 1
    for name in "$@"; do
        rm -rf "${BATS_FILE_TMPDIR:?}/$name"
        "$mk" "$FIXTURES/$name.desc" "$BATS_FILE_TMPDIR/$name" || return 1
    done
}

# sysfs root of a fixture built by fixtures_setup
fx() { echo "$BATS_FILE_TMPDIR/$1"; }

# admin FIXTURE ARGS...: run vfio-admin against a fixture; use with
# "run --separate-stderr admin ...".
admin() {
    local fixture="$1"
    shift
    VFIO_TOOLS_SYSFS="$(fx "$fixture")" "$ADMIN" "$@"
}

# Addresses (first column) of a table in $output, header skipped.
table_addresses() {
    awk 'NR > 1 { print $1 }' <<<"$output"
}

# Assert the usage-error contract: exit 2, nothing on stdout, exactly one
# stderr line starting "vfio-admin: ".
assert_usage_error() {
    local tool="${1:-vfio-admin}"
    if [[ "$status" -ne 2 ]]; then
        fail "expected exit 2, got $status (stdout: '$output', stderr: '$stderr')"
    fi
    if [[ -n "$output" ]]; then
        fail "expected empty stdout, got: $output"
    fi
    if [[ "${#stderr_lines[@]}" -ne 1 ]]; then
        fail "expected exactly one stderr line, got ${#stderr_lines[@]}: $stderr"
    fi
    if [[ "${stderr_lines[0]}" != "$tool: "* ]]; then
        fail "stderr line does not start with '$tool: ': ${stderr_lines[0]}"
    fi
}

# The JSON of $output must parse; then jq filter $1 must print "true".
assert_jq() {
    local got
    got="$(jq -e "$1" <<<"$output" 2>&1)" || \
        fail "jq '$1' failed (got '$got') on: ${output:0:2000}"
    [[ "$got" == "true" ]] || fail "jq '$1' gave '$got'"
}

# Devices of a fixture per the fake tree itself (sorted addresses).
fixture_devices() {
    ls "$(fx "$1")/bus/pci/devices" | LC_ALL=C sort
}

# expect_rows FIXTURE "ARGS" ADDRESS...: "vfio-admin ARGS" (split on blanks,
# no glob expansion) succeeds, prints nothing on stderr, and its table lists
# exactly these addresses in this order.
expect_rows() {
    local fixture="$1" args_s="$2"
    shift 2
    local -a args
    read -ra args <<<"$args_s"
    run --separate-stderr admin "$fixture" "${args[@]}"
    [[ "$status" -eq 0 ]] || fail "vfio-admin $args_s: exit $status, stderr: $stderr"
    [[ -z "$stderr" ]] || fail "vfio-admin $args_s: unexpected stderr: $stderr"
    local want="" got
    if (($#)); then want="$(printf '%s\n' "$@")"; fi
    got="$(table_addresses)"
    [[ "$got" == "$want" ]] || fail "vfio-admin $args_s: expected [$want], got [$got]"
}
