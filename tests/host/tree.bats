#!/usr/bin/env bats
# "vfio-admin list --tree" (table) and "--tree --json" (nesting under parent).

load helpers

setup_file() {
    fixtures_setup q35-lab
    fake_tree_json q35-lab >"$BATS_FILE_TMPDIR/expected.json"
}

# every node of a --tree --json output, flattened in document order
FLATTEN='[.devices[] | recurse(.children[]?)]'

@test "--tree exits 0, lists every device exactly once" {
    run --separate-stderr admin q35-lab list --tree
    assert_success
    [[ -z "$stderr" ]] || fail "stderr: $stderr"
    local got
    got="$(tail -n +2 <<<"$output" |
           sed -nE 's/^[^0-9a-f]*([0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]).*/\1/p' |
           LC_ALL=C sort)"
    [[ "$(tail -n +2 <<<"$output" | wc -l)" -eq "$(fixture_devices q35-lab | wc -l)" ]] || \
        fail "row count differs: $output"
    [[ "$got" == "$(fixture_devices q35-lab)" ]] || fail "got: $got"
}

@test "--tree table: roots start at column 0, children are indented below their parent" {
    run --separate-stderr admin q35-lab list -t
    assert_success
    local expected line addr parent prefix i
    expected="$(cat "$BATS_FILE_TMPDIR/expected.json")"
    declare -A row
    for ((i = 1; i < ${#lines[@]}; i++)); do
        line="${lines[$i]}"
        [[ "$line" =~ ([0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ]] || fail "no address in: $line"
        addr="${BASH_REMATCH[1]}"
        prefix="${line%%"$addr"*}"
        row[$addr]=$i
        parent="$(jq -r --arg a "$addr" '.[] | select(.address == $a) | .parent // ""' <<<"$expected")"
        if [[ -z "$parent" ]]; then
            [[ -z "$prefix" ]] || fail "root $addr is indented: '$line'"
        else
            [[ -n "$prefix" ]] || fail "child $addr (of $parent) not indented: '$line'"
            [[ -n "${row[$parent]:-}" ]] || fail "$addr printed before its parent $parent"
        fi
    done
}

@test "--tree --json is valid and nests children under their parent" {
    run --separate-stderr admin q35-lab list --tree --json
    assert_success
    [[ -z "$stderr" ]] || fail "stderr: $stderr"
    assert_jq 'keys == ["devices","schema_version"]'
    # top level: exactly the devices whose parent is null
    assert_jq 'all(.devices[]; .parent == null)'
    # each child names its enclosing node as parent
    assert_jq '[.devices[] | recurse(.children[]?) | . as $n
                | ($n.children // [])[] | .parent == $n.address] | all'
}

@test "--tree --json: every node has a children array" {
    run --separate-stderr admin q35-lab list --tree --json
    assert_success
    assert_jq "all($FLATTEN[]; .children | type == \"array\")"
}

@test "--tree --json: every device appears exactly once" {
    run --separate-stderr admin q35-lab list -t -J
    assert_success
    local want
    want="$(fixture_devices q35-lab | jq -R -s -c 'split("\n") | map(select(length > 0))')"
    assert_jq "($FLATTEN | map(.address) | sort) == ($want | sort)"
}

@test "--tree --json: nodes keep the list keys and values" {
    run --separate-stderr admin q35-lab list -t -J
    assert_success
    local expected
    expected="$(cat "$BATS_FILE_TMPDIR/expected.json")"
    run jq -n --argjson got "$output" --argjson want "$expected" '
        [$got | [.devices[] | recurse(.children[]?)] | sort_by(.address)[]
         | {address, vendor_id, device_id, class_id, prog_if, driver, iommu_group,
            vfio, numa_node, parent}] as $g
        | [range(0; $want | length) | select($g[.] != ($want | sort_by(.address))[.])]'
    assert_success
    [[ "$output" == "[]" ]] || fail "mismatching nodes at: $output"
}

@test "--tree --json: switch topology nests root port > upstream > downstream > endpoint" {
    run --separate-stderr admin q35-lab list -t -J
    assert_success
    assert_jq '(.devices[] | select(.address == "0000:00:05.0") | .children | map(.address))
               == ["0000:02:00.0"]'
    assert_jq '(.devices[] | select(.address == "0000:00:05.0") | .children[0].children
                | map(.address)) == ["0000:03:00.0", "0000:03:01.0"]'
    assert_jq '(.devices[] | select(.address == "0000:00:05.0") | .children[0].children[1].children
                | map(.address)) == ["0000:05:00.0"]'
}

@test "--tree --json: multifunction GPU+audio are siblings under the root port" {
    run --separate-stderr admin q35-lab list -t -J
    assert_success
    assert_jq '(.devices[] | select(.address == "0000:00:07.0") | .children | map(.address))
               == ["0000:08:00.0", "0000:08:00.1"]'
}

@test "--tree --json: a VMD domain hangs below its VMD endpoint, as in sysfs" {
    run --separate-stderr admin q35-lab list -t -J
    assert_success
    assert_jq '(.devices[] | select(.address == "0000:00:0e.0") | .children | map(.address))
               == ["10000:00:02.0"]'
    assert_jq '(.devices[] | select(.address == "0000:00:0e.0") | .children[0].children | map(.address))
               == ["10000:01:00.0"]'
}

@test "--tree --json: roots and children are in address order" {
    run --separate-stderr admin q35-lab list -t -J
    assert_success
    assert_jq '(.devices | map(.address)) as $r | $r == ($r | sort)'
    assert_jq "all($FLATTEN[]; (.children | map(.address)) as \$c | \$c == (\$c | sort))"
}
