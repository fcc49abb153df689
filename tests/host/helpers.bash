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
# No vfio-pci variant driver unless a test provides module files (tests/host/variant.bats):
# the machine's own /lib/modules must not change what the fixtures show.
: "${VFIO_TOOLS_MODULES:=/nonexistent/vfio-tools-test-modules}"
export VFIO_TOOLS_MODULES
# Nor a note about the initramfs unless a test installs the hook (tests/host/initramfs.bats).
: "${VFIO_TOOLS_ROOT:=/nonexistent/vfio-tools-test-root}"
export VFIO_TOOLS_ROOT
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
    fixtures_build "$@"
}

# fixtures_build NAME...: as fixtures_setup, without needing vfio-admin
fixtures_build() {
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
        fail "jq '$1' failed (got '$got') on: ${output:0:300}..."
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

# Drivers that count as vfio: vfio-pci and its variants (by the module
# holders link the fixture creates, or the conventional *_vfio_pci name).
is_vfio_driver() {
    local root="$1" drv="$2" mod
    [[ "$drv" == vfio-pci ]] && return 0
    mod="$(readlink "$root/bus/pci/drivers/$drv/module" 2>/dev/null)" || mod=""
    mod="${mod##*/}"
    [[ -n "$mod" && -e "$root/module/vfio_pci_core/holders/$mod" ]] && return 0
    [[ "$drv" == *_vfio_pci || "$drv" == *-vfio-pci ]]
}

# vfio_drivers FIXTURE: names of the drivers in the tree that count as vfio
vfio_drivers() {
    local root drv
    root="$(fx "$1")"
    for drv in $(ls "$root/bus/pci/drivers"); do
        is_vfio_driver "$root" "$drv" && echo "$drv"
    done
    return 0
}

# fake_facts FIXTURE: one TSV line per device, read straight from the fake
# tree (no vfio-admin), sorted by address:
#   address vendor device class numa_node driver group parent
# (vendor/device/class without 0x; driver, group, parent empty when absent)
fake_facts() {
    local root
    root="$(fx "$1")"
    {
        find "$root/devices" -type l \( -name driver -o -name iommu_group \) \
            -printf 'L\t%h\t%f\t%l\n'
        find "$root/devices" -type f \( -name vendor -o -name device -o -name class \
            -o -name numa_node \) -print0 |
            xargs -0 awk '{ n = split(FILENAME, p, "/"); d = FILENAME
                            sub("/[^/]*$", "", d); print "F\t" d "\t" p[n] "\t" $0 }'
    } | awk -F'\t' '
        function base(s) { sub(".*/", "", s); return s }
        { dir = $2; addr = base(dir); seen[addr] = 1
          if ($1 == "L") { val[addr, $3] = base($4) }
          else { v = $4; sub("^0x", "", v); val[addr, $3] = v }
          par = dir; sub("/[^/]*$", "", par)
          if (base(par) ~ /^pci/) sub("/[^/]*$", "", par)   # a VMD domain: its endpoint
          par = base(par)
          if (par !~ /^[0-9a-f]+:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7]$/) par = ""
          parent[addr] = par }
        END { for (a in seen)
                print a "\t" val[a, "vendor"] "\t" val[a, "device"] "\t" val[a, "class"] "\t" \
                      val[a, "numa_node"] "\t" val[a, "driver"] "\t" val[a, "iommu_group"] "\t" \
                      parent[a] }' | LC_ALL=C sort
}

# fake_tree_json FIXTURE: what the fake tree itself says about every device,
# as a JSON array in address order, computed without vfio-admin:
# [{address, vendor_id, device_id, class_id, prog_if, driver, iommu_group,
#   vfio, numa_node, parent}]
fake_tree_json() {
    local vfio
    vfio="$(vfio_drivers "$1" | jq -R -s -c 'split("\n") | map(select(length > 0))')"
    fake_facts "$1" | jq -R -s --argjson vfio "$vfio" '
        def nul: if . == "" then null else . end;
        split("\n") | map(select(length > 0) | split("\t") | {
            address: .[0], vendor_id: .[1], device_id: .[2],
            class_id: .[3][0:4], prog_if: .[3][4:6],
            driver: (.[5] | nul),
            iommu_group: (.[6] | nul | if . == null then null else tonumber end),
            vfio: (.[5] as $d | $vfio | index($d) != null),
            numa_node: (.[4] | tonumber | if . < 0 then null else . end),
            parent: (.[7] | nul)
        })'
}

# fake_viability_json FIXTURE: per group, the kernel's viability rule applied
# to the fake tree without vfio-admin (members: driverless, vfio-pci or a
# variant, pci-stub, or a bridge on pcieport are fine; others block):
# [{group, type, viable, blockers, members: [{address, driver, blocks}]}]
fake_viability_json() {
    local root g types vfio
    root="$(fx "$1")"
    vfio="$(vfio_drivers "$1" | jq -R -s -c 'split("\n") | map(select(length > 0))')"
    types="$(for g in $(ls "$root/kernel/iommu_groups"); do
                 printf '%s\t%s\n' "$g" "$(cat "$root/kernel/iommu_groups/$g/type" 2>/dev/null)"
             done | jq -R -s -c 'split("\n") | map(select(length > 0) | split("\t")
                                 | {key: .[0], value: .[1]}) | from_entries')"
    fake_facts "$1" | jq -R -s --argjson vfio "$vfio" --argjson types "$types" '
        split("\n") | map(select(length > 0) | split("\t") | select(.[6] != ""))
        | map({group: (.[6] | tonumber), address: .[0],
               driver: (if .[5] == "" then null else .[5] end), class: .[3]})
        | group_by(.group)
        | map({group: .[0].group,
               type: ($types[.[0].group | tostring] | if . == "" then null else . end),
               members: (sort_by(.address) | map({address, driver,
                   blocks: (if .driver == null or .driver == "pci-stub" then false
                            elif (.driver as $d | $vfio | index($d) != null) then false
                            elif .driver == "pcieport" and (.class[0:4] == "0604"
                                 or .class[0:4] == "0609") then false
                            else true end)}))}
              | .blockers = [.members[] | select(.blocks) | .address]
              | .viable = (.blockers | length == 0))'
}

# fake_groups_json FIXTURE: {"N": ["addr", ...], ...} from kernel/iommu_groups
fake_groups_json() {
    local root g
    root="$(fx "$1")"
    for g in $(ls "$root/kernel/iommu_groups" 2>/dev/null); do
        ls "$root/kernel/iommu_groups/$g/devices" | LC_ALL=C sort | sed "s/^/$g\t/"
    done | jq -R -s 'split("\n") | map(select(length > 0) | split("\t"))
                     | group_by(.[0]) | map({key: .[0][0], value: map(.[1])})
                     | from_entries'
}

# synthetic_setup NAME N: build "mkfakesys --synthetic N" into $BATS_FILE_TMPDIR/NAME
synthetic_setup() {
    local mk
    mk="$(mkfakesys_bin)" || return 1
    rm -rf "${BATS_FILE_TMPDIR:?}/$1"
    "$mk" --synthetic "$2" "$BATS_FILE_TMPDIR/$1"
}

# A per-test writable copy of fixture DIR as sysfs, a /proc with the empty files
# the in-use checks read, and a state directory: for tests that bind.
writable_tree_setup() { # DIR
    export VFIO_TOOLS_SYSFS="$BATS_TEST_TMPDIR/sys" VFIO_TOOLS_PROC="$BATS_TEST_TMPDIR/proc"
    export VFIO_TOOLS_STATE="$BATS_TEST_TMPDIR/state"
    cp -a "$1" "$VFIO_TOOLS_SYSFS"
    mkdir -p "$VFIO_TOOLS_PROC/self" "$VFIO_TOOLS_PROC/net"
    : >"$VFIO_TOOLS_PROC/self/mountinfo"
    : >"$VFIO_TOOLS_PROC/swaps"
}
