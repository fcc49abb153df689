#!/usr/bin/env bats
# check and groups --format prometheus (node_exporter's textfile collector): promtool
# accepts the output with no lint problem; no timestamps, no series twice, families
# whole; the samples say what --json says; hostile label values are escaped; -o FILE
# replaces the file in one step; the systemd units pass systemd-analyze verify.

load helpers

setup_file() {
    fixtures_setup q35-lab
    synthetic_setup synth 600
    local m=$BATS_FILE_TMPDIR/machine
    mkdir -p "$m/proc" "$m/dev/vfio" "$m/etc/security/limits.d"
    echo 'BOOT_IMAGE=/vmlinuz intel_iommu=on' >"$m/proc/cmdline"
    echo ' 24: 0 0 IR-PCI-MSI-0000:00:1f.2 1-edge ahci' >"$m/proc/interrupts"
    printf 'vendor_id\t: GenuineIntel\n' >"$m/proc/cpuinfo"
}

# vfio-admin against FIXTURE with the fake /proc, /dev and /etc of setup_file
tool() { # FIXTURE ARGS...
    local sys=$1 m=$BATS_FILE_TMPDIR/machine
    shift
    [[ $sys == /* ]] || sys=$(fx "$sys")
    VFIO_TOOLS_SYSFS="$sys" VFIO_TOOLS_PROC="$m/proc" VFIO_TOOLS_DEV="$m/dev" \
        VFIO_TOOLS_ETC="$m/etc" "$ADMIN" "$@"
}

# promtool check metrics on $output: exit 0 and nothing said (a lint problem exits 3)
assert_promtool() {
    local said
    said=$(promtool check metrics <<<"$output" 2>&1) || fail "promtool check metrics: $said"
    [[ -z $said ]] || fail "promtool check metrics: $said"
}

# What promtool 2.42 does not check and node_exporter refuses: a sample with a
# timestamp, the same series twice, a family's samples apart or before its TYPE.
assert_textfile_rules() {
    local bad
    bad=$(awk '
        /^# HELP / { help[$3] = 1; next }
        /^# TYPE / { if (!help[$3]) print "TYPE before HELP: " $3
                     if (typed[$3]++) print "family twice: " $3
                     cur = $3; next }
        /^#/ || /^$/ { next }
        { line = $0; value = line; sub(/.* /, "", value); series = substr(line, 1, length(line) - length(value) - 1)
          name = series; sub(/\{.*/, "", name)
          if (name != cur) print "sample outside its family: " line
          if (series ~ /\} [^ ]+$/ || (series !~ /\}$/ && series ~ / /)) print "a timestamp: " line
          if (seen[series]++) print "series twice: " series }' <<<"$output")
    [[ -z $bad ]] || fail "$bad"
}

# The samples of family NAME, "labels value" a line, sorted
samples() { # NAME
    grep -E "^$1(\{| )" <<<"$output" | sed -E "s/^$1//" | LC_ALL=C sort
}

@test "check --format prometheus: promtool passes, textfile rules hold, every family has HELP and TYPE" {
    run --separate-stderr tool q35-lab check '*' --format prometheus
    assert_equal "$status" 1    # as for text: a FAIL finding
    assert_promtool
    assert_textfile_rules
    local fam
    for fam in vfio_check_findings vfio_check_finding vfio_check_machine_ready \
        vfio_check_device_verdict vfio_check_timestamp_seconds; do
        grep -qx "# TYPE $fam gauge" <<<"$output" || fail "no gauge $fam"
        grep -q "^# HELP $fam [A-Z0-9]" <<<"$output" || fail "no HELP for $fam"
    done
}

@test "check --format prometheus: the counts, findings, verdicts and machine readiness of --json" {
    local json want
    run --separate-stderr tool q35-lab check '*' --json
    json=$output
    run --separate-stderr tool q35-lab check '*' --format prometheus

    want=$(jq -r '.summary | to_entries[] | "{level=\"\(.key)\"} \(.value)"' <<<"$json" | LC_ALL=C sort)
    assert_equal "$(samples vfio_check_findings)" "$want"

    want=$(jq -r '.findings | group_by([.id, .subject, .level])[] |
        "{id=\"\(.[0].id)\",subject=\"\(.[0].subject)\",level=\"\(.[0].level | ascii_downcase)\"} \(length)"' \
        <<<"$json" | LC_ALL=C sort)
    assert_equal "$(samples vfio_check_finding)" "$want"

    want=$(jq -r '.devices[] | . as $d | ["assignable", "assignable-with-group", "not-assignable"][] |
        "\($d.address)\t\(.)\t\(if . == $d.verdict then 1 else 0 end)"' <<<"$json" | LC_ALL=C sort)
    assert_equal "$(samples vfio_check_device_verdict |
        sed -E 's/^\{device="([^"]*)",driver="[^"]*",group="[^"]*",verdict="([^"]*)"\} (.*)/\1\t\2\t\3/' |
        LC_ALL=C sort)" "$want"
    (($(jq '.devices | length' <<<"$json") > 20)) || fail "too few devices checked"

    want=$(jq -r 'if any(.findings[]; .subject == "machine" and .level == "FAIL") then 0 else 1 end' <<<"$json")
    assert_equal "$(samples vfio_check_machine_ready)" " $want"
}

@test "check --format prometheus: a device's driver and group labels; the timestamp is now" {
    local before after ts
    before=$(date +%s)
    run --separate-stderr tool q35-lab check 0000:01:00.0 00:09.0 --format prometheus
    after=$(date +%s)
    # not assignable: this fake machine lacks the VFIO modules
    assert_line 'vfio_check_device_verdict{device="0000:01:00.0",driver="vfio-pci",group="3",verdict="not-assignable"} 1'
    # no group: an empty label, which Prometheus takes as none
    assert_line --regexp '^vfio_check_device_verdict\{device="0000:00:09.0",driver="[^"]*",group="",verdict="not-assignable"\} 1$'
    ts=$(samples vfio_check_timestamp_seconds)
    ((ts >= before && ts <= after)) || fail "timestamp $ts not in [$before, $after]"
}

@test "exit status: the same for text, json and prometheus (check: 1 on a FAIL, also with -o)" {
    local args want fmt
    for args in "check" "check 0000:01:00.0" "check *" "groups" "groups -g 1"; do
        read -ra a <<<"$args"
        run --separate-stderr tool q35-lab "${a[@]}"
        want=$status
        [[ $args != check* ]] || assert_equal "$want" 1   # this fake machine lacks the VFIO modules
        for fmt in json prometheus; do
            run --separate-stderr tool q35-lab "${a[@]}" --format $fmt
            assert_equal "$args --format $fmt: $status" "$args --format $fmt: $want"
            run --separate-stderr tool q35-lab "${a[@]}" --format $fmt -o "$BATS_TEST_TMPDIR/out"
            assert_equal "$args --format $fmt -o: $status" "$args --format $fmt -o: $want"
        done
    done
}

@test "check --format prometheus: machine checks only: level counts, no device family" {
    run --separate-stderr tool q35-lab check --format prometheus
    assert_promtool
    assert_textfile_rules
    refute_output --partial vfio_check_device_verdict
    assert_equal "$(samples vfio_check_findings | wc -l)" 4
}

@test "groups --format prometheus: promtool passes; viability, members, types and blockers of --json" {
    local json want
    run --separate-stderr tool q35-lab groups --json
    json=$output
    run --separate-stderr tool q35-lab groups --format prometheus
    assert_success
    [[ -z $stderr ]] || fail "stderr: $stderr"
    assert_promtool
    assert_textfile_rules
    assert_equal "$(samples vfio_groups)" " $(jq '.groups | length' <<<"$json")"
    want=$(jq -r '.groups[] | "{group=\"\(.group)\"} \(if .viable then 1 else 0 end)"' <<<"$json" | LC_ALL=C sort)
    assert_equal "$(samples vfio_group_viable)" "$want"
    want=$(jq -r '.groups[] | "{group=\"\(.group)\"} \(.members | length)"' <<<"$json" | LC_ALL=C sort)
    assert_equal "$(samples vfio_group_members)" "$want"
    want=$(jq -r '.groups[] | "{group=\"\(.group)\",type=\"\(.type // "")\"} 1"' <<<"$json" | LC_ALL=C sort)
    assert_equal "$(samples vfio_group_info)" "$want"
    want=$(jq -r '.groups[] | .group as $g | .members[] |
        "{group=\"\($g)\",device=\"\(.address)\",driver=\"\(.driver // "")\"} \(if .blocks then 1 else 0 end)"' \
        <<<"$json" | LC_ALL=C sort)
    assert_equal "$(samples vfio_group_member_blocking)" "$want"
    grep -qx '# TYPE vfio_groups_timestamp_seconds gauge' <<<"$output" || fail "no timestamp family"
}

@test "groups --format prometheus: the filters choose the groups; none at all is a valid file" {
    run --separate-stderr tool q35-lab groups -g 3 --format prometheus
    assert_success
    assert_equal "$(samples vfio_groups)" " 1"
    assert_equal "$(samples vfio_group_viable)" '{group="3"} 1'
    run --separate-stderr tool q35-lab groups -k no-such-driver --format prometheus
    assert_success
    assert_promtool
    assert_equal "$(samples vfio_groups)" " 0"
    refute_output --partial vfio_group_viable
}

@test "600 synthetic devices: check '*' and groups pass promtool, no series twice" {
    run --separate-stderr tool synth groups --format prometheus
    assert_success
    assert_promtool
    assert_textfile_rules
    run --separate-stderr tool synth check '*' --format prometheus
    assert_promtool
    assert_textfile_rules
    assert_equal "$(grep -c '^vfio_check_device_verdict{' <<<"$output")" $((600 * 3))
}

@test "hostile label values: a driver with a quote, a backslash or a newline, a group type with a quote" {
    local root=$BATS_TEST_TMPDIR/hostile dev
    cat >"$BATS_TEST_TMPDIR/hostile.desc" <<'EOF'
driver ev"il\drv
group 0 type=DM"A\x
dev 00:01.0 vendor=1234 device=11e8 class=00ff00 group=0 driver=ev"il\drv
dev 00:02.0 vendor=1234 device=11e8 class=00ff00 group=1 driver=ev"il\drv
EOF
    "$(mkfakesys_bin)" "$BATS_TEST_TMPDIR/hostile.desc" "$root" >/dev/null
    # a newline: no desc line can hold one, so rename the driver of 00:02.0 by hand
    mkdir "$root/bus/pci/drivers/new"$'\n'"line"
    dev=$root/devices/pci0000:00/0000:00:02.0
    rm "$dev/driver"
    ln -s "../../../bus/pci/drivers/new"$'\n'"line" "$dev/driver"

    run --separate-stderr tool "$root" groups --format prometheus
    assert_success
    assert_promtool
    assert_line 'vfio_group_info{group="0",type="DM\"A\\x"} 1'
    assert_line 'vfio_group_member_blocking{group="0",device="0000:00:01.0",driver="ev\"il\\drv"} 1'
    assert_line 'vfio_group_member_blocking{group="1",device="0000:00:02.0",driver="new\nline"} 1'
    run --separate-stderr tool "$root" check '*' --format prometheus
    assert_promtool
    assert_textfile_rules
    assert_line 'vfio_check_device_verdict{device="0000:00:01.0",driver="ev\"il\\drv",group="0",verdict="not-assignable"} 1'
}

@test "--format: text is the default, json is --json; an unknown one or one against --json is a usage error" {
    local text json
    run --separate-stderr tool q35-lab groups
    text=$output
    run --separate-stderr tool q35-lab groups --format text
    assert_equal "$output" "$text"
    run --separate-stderr tool q35-lab groups --json
    json=$output
    run --separate-stderr tool q35-lab groups --format json
    assert_equal "$output" "$json"
    run --separate-stderr tool q35-lab groups --json --format json
    assert_equal "$output" "$json"
    run --separate-stderr tool q35-lab check --format=json --guest-mem 1G
    assert_jq '.summary | has("fail")'

    run --separate-stderr tool q35-lab check --format xml
    assert_usage_error
    [[ $stderr == *"xml: unknown format: use text, json or prometheus"* ]] || fail "$stderr"
    run --separate-stderr tool q35-lab groups --json --format prometheus
    assert_usage_error
    run --separate-stderr tool q35-lab groups --format
    assert_usage_error
}

@test "-o FILE: written whole beside it and renamed: nothing on stdout, no temporary left, mode 0644, replaced" {
    local dir=$BATS_TEST_TMPDIR/textfile
    mkdir "$dir"
    echo old >"$dir/vfio_check.prom"
    umask 022
    run --separate-stderr tool q35-lab check '*' --format prometheus -o "$dir/vfio_check.prom"
    assert_equal "$status" 1    # a FAIL, as on stdout: the file is written all the same
    assert_output ''
    run cat "$dir/vfio_check.prom"
    assert_promtool
    refute_line old
    assert_line --partial 'vfio_check_findings{level="fail"}'
    assert_equal "$(ls -A "$dir")" vfio_check.prom
    assert_equal "$(stat -c %a "$dir/vfio_check.prom")" 644

    run --separate-stderr tool q35-lab groups -g 3 --format prometheus -o "$dir/vfio_groups.prom"
    assert_success
    assert_output ''
    run --separate-stderr tool q35-lab groups -g 3 -o "$dir/vfio_groups.txt"
    assert_success
    grep -q '^ *3 ' "$dir/vfio_groups.txt" || fail "the table is not in the file: $(<"$dir/vfio_groups.txt")"
    assert_equal "$(ls -A "$dir" | tr '\n' ' ')" "vfio_check.prom vfio_groups.prom vfio_groups.txt "
}

@test "-o FILE in a missing or unwritable directory: exit 2, one line, the old file kept" {
    run --separate-stderr tool q35-lab groups --format prometheus -o "$BATS_TEST_TMPDIR/no/such/dir/x.prom"
    assert_usage_error
    [[ $stderr == *"x.prom: cannot write: cannot create a file beside it: No such file or directory" ]] || fail "$stderr"
    if ((EUID != 0)); then
        mkdir "$BATS_TEST_TMPDIR/ro"
        echo old >"$BATS_TEST_TMPDIR/ro/x.prom"
        chmod 555 "$BATS_TEST_TMPDIR/ro"
        run --separate-stderr tool q35-lab groups --format prometheus -o "$BATS_TEST_TMPDIR/ro/x.prom"
        chmod 755 "$BATS_TEST_TMPDIR/ro"
        assert_usage_error
        assert_equal "$(<"$BATS_TEST_TMPDIR/ro/x.prom")" old
    fi
}

@test "systemd units: systemd-analyze verify says nothing; the timer is not enabled by install" {
    command -v systemd-analyze >/dev/null || skip "no systemd-analyze"
    local d=$BATS_TEST_TMPDIR/units
    mkdir "$d"
    sed "/^#/!s|@BINDIR@|$VFIO_TOOLS_BIN|g" "$REPO_ROOT/systemd/vfio-tools-metrics.service.in" \
        >"$d/vfio-tools-metrics.service"
    cp "$REPO_ROOT/systemd/vfio-tools-metrics.timer" "$d/"
    run bash -c 'cd "$1" && systemd-analyze verify --man=no ./vfio-tools-metrics.service ./vfio-tools-metrics.timer 2>&1' _ "$d"
    assert_success
    assert_output ''
    grep -qx 'WantedBy=timers.target' "$d/vfio-tools-metrics.timer" || fail "the timer cannot be enabled"
    # what the service writes, in the textfile directory it may write to
    grep -qx 'ReadWritePaths=/var/lib/prometheus/node-exporter' "$d/vfio-tools-metrics.service" || fail "ReadWritePaths"
    grep -q -- '--format prometheus -o /var/lib/prometheus/node-exporter/vfio_check.prom' "$d/vfio-tools-metrics.service" ||
        fail "ExecStart"
}
