#!/usr/bin/env bats
# Shell completion (completions/): the bash functions called as bash calls them
# (COMP_LINE/COMP_POINT, COMP_WORDS/COMP_CWORD split at COMP_WORDBREAKS) against
# fake sysfs trees, the option lists checked against each command's --help, and
# the zsh file loaded by compinit and driven in a zpty.

load helpers

COMPLETIONS="$REPO_ROOT/completions"

setup_file() {
    fixtures_setup q35-lab noiommu
    # what vfio-admin bind recorded (restore offers these first)
    mkdir -p "$BATS_FILE_TMPDIR/state"
    touch "$BATS_FILE_TMPDIR/state/0000:05:00.0" "$BATS_FILE_TMPDIR/state/.lock"
    # what vfio-admin persist add wrote (persist remove offers these)
    mkdir -p "$BATS_FILE_TMPDIR/etc/vfio-tools"
    printf '%s\n' '# vfio-admin persist' '0000:01:00.0 driver=vfio-pci' '' \
        '1234:11e8 driver=pci-stub owner=root' >"$BATS_FILE_TMPDIR/etc/vfio-tools/persist.conf"
}

setup() {
    source "$COMPLETIONS/vfio-admin"
    source "$COMPLETIONS/vfio-dump"
    source "$COMPLETIONS/vfio-bench"
    VFIO_TOOLS_SYSFS="$(fx q35-lab)"
    VFIO_TOOLS_STATE="$BATS_FILE_TMPDIR/state"
    VFIO_TOOLS_ETC="$BATS_FILE_TMPDIR/etc"
    export VFIO_TOOLS_SYSFS VFIO_TOOLS_STATE VFIO_TOOLS_ETC
    export VFIO_TOOLS_MODULES="$BATS_FILE_TMPDIR/no-modules"   # no variant drivers unless a test adds them
    COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
}

# comp LINE: complete LINE, the cursor at its end, as bash does: COMP_LINE,
# COMP_POINT, and COMP_WORDS/COMP_CWORD split at blanks and at runs of '=' and
# ':'. Leaves COMPREPLY as the function set it (each reply replaces what
# follows the current word's last '=' or ':'), and WORDS: the whole words that
# result.
# (The helpers turn off functrace: bats' DEBUG trap would make the functions
# they call a hundred times slower.)
comp() {
    local -
    set +T
    local line=$1 tool i c w='' kind='' keep cur
    tool=${line#sudo }
    tool=${tool%% *}
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMP_WORDS=()
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [[ $c == [[:space:]] ]]; then
            [[ -z $w ]] || COMP_WORDS+=("$w")
            w='' kind=''
        elif [[ $c == [=:] ]]; then
            [[ $kind != word ]] || { COMP_WORDS+=("$w") && w=''; }
            w+=$c kind=break
        else
            [[ $kind != break ]] || { COMP_WORDS+=("$w") && w=''; }
            w+=$c kind=word
        fi
    done
    COMP_WORDS+=("$w")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    "_${tool//-/_}"
    cur=${line##*[[:space:]]}
    keep=${cur%"${cur##*[=:]}"}
    WORDS=("${COMPREPLY[@]/#/$keep}")
}

# expect LINE WORD...: completing LINE gives exactly these words, in this order
expect() {
    local -
    set +T
    local line=$1 want got
    shift
    comp "$line"
    want="$(printf '%s\n' "$@")"
    got="$(printf '%s\n' "${WORDS[@]}")"
    [[ $got == "$want" ]] || fail "'$line': expected [$*], got [${WORDS[*]}]"
}

# expect_set LINE WORD...: the same words, in any order
expect_set() {
    local -
    set +T
    local line=$1 want got
    shift
    comp "$line"
    want="$(printf '%s\n' "$@" | LC_ALL=C sort -u)"
    got="$(printf '%s\n' "${WORDS[@]}" | LC_ALL=C sort -u)"
    [[ $got == "$want" ]] || fail "'$line': expected {$(echo $want)}, got {$(echo $got)}"
}

# help_options TOOL COMMAND...: the options "TOOL COMMAND... --help" lists
help_options() {
    local -
    set +T
    "$VFIO_TOOLS_BIN/$1" "${@:2}" --help |
        grep -E '^ +-' | grep -oE '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ,'
}

# addresses FIXTURE vfio|other: the fixture's devices on vfio-pci or a variant
# (per the tree itself), or the others, in address order
addresses() {
    local -
    set +T
    local vfio
    vfio="$(vfio_drivers "$1" | paste -sd '|')"
    fake_facts "$1" | awk -F'\t' -v want="$2" -v vfio="^($vfio)\$" \
        '(($6 ~ vfio) == (want == "vfio")) { print $1 }'
}

@test "bash: commands, and every option of every command as --help lists it" {
    expect "vfio-admin " list groups check slots bind unbind restore persist sriov snapshot
    expect "vfio-admin -" -h --help -V --version
    expect "vfio-admin l" list
    expect "vfio-dump " info config regions bars read write irqs iommu rom
    expect "vfio-dump r" regions read rom
    expect "vfio-bench " dma-map irq mmio
    expect "vfio-bench --v" --version
    expect "vfio-admin persist " add remove list apply sync
    expect "vfio-admin persist -" -h --help -V --version
    expect_set "vfio-admin persist add -" -h --help -V --version --driver -o --owner --numvfs
    expect_set "vfio-admin persist list -" -h --help -V --version -J --json
    expect "vfio-admin list --sl" --slot
    expect_set "vfio-admin bind --dr" --driver --dry-run
    local tool sub
    for tool in vfio-admin:list vfio-admin:groups vfio-admin:check vfio-admin:bind \
        vfio-admin:unbind vfio-admin:restore vfio-admin:sriov vfio-dump:info vfio-dump:config \
        vfio-dump:regions vfio-dump:bars vfio-dump:read vfio-dump:write vfio-dump:irqs \
        vfio-dump:iommu vfio-dump:rom vfio-bench:dma-map vfio-bench:irq vfio-bench:mmio; do
        sub=${tool#*:} tool=${tool%:*}
        if [[ $sub == config ]]; then
            # -xxx and -xxxx: -x repeated
            expect_set "$tool $sub -" $(help_options "$tool" "$sub") -xxx -xxxx
        else
            expect_set "$tool $sub -" $(help_options "$tool" "$sub")
        fi
    done
    for sub in add remove list apply sync; do
        expect_set "vfio-admin persist $sub -" $(help_options vfio-admin persist "$sub")
    done
}

@test "bash: option values: drivers, groups, classes, users, enumerations, regions" {
    expect "vfio-admin sriov --autoprobe " on off
    expect "vfio-admin sriov " # no SR-IOV PF in q35-lab
    local -a drivers groups
    mapfile -t drivers < <(ls "$(fx q35-lab)/bus/pci/drivers")
    mapfile -t groups < <(ls "$(fx q35-lab)/kernel/iommu_groups" | sort -n)
    expect_set "vfio-admin list --driver " none "${drivers[@]}"
    expect_set "vfio-admin bind --driver " "${drivers[@]}"
    expect "vfio-admin list --driver=vf" --driver=vfio-pci
    [[ "${COMPREPLY[*]}" == vfio-pci ]] || fail "after '--driver=': ${COMPREPLY[*]}"
    expect "vfio-admin groups -kmlx" -kmlx5_vfio_pci
    expect "vfio-admin persist add --driver pci" pci-stub pcieport
    expect "vfio-admin check -g " "${groups[@]}"
    expect "vfio-admin list --group=1" --group=1 --group=10 --group=11 --group=12 \
        --group=13 --group=14 --group=15 --group=16 --group=17 --group=18 --group=19
    expect "vfio-admin list --class " network storage display multimedia bridge serial \
        accelerator nvme ethernet vga usb audio
    expect "vfio-admin unbind -c n" network nvme
    expect "vfio-admin list -d 10de:" 10de:1b80 10de:10f0
    expect "vfio-admin persist add 1234:" 1234:11e8
    expect "vfio-admin bind --owner roo" root
    expect "vfio-admin bind -o root:roo" root:root
    [[ "${COMPREPLY[*]}" == root ]] || fail "after 'root:': ${COMPREPLY[*]}"
    expect "vfio-admin check --user roo" root
    expect "vfio-admin check --format " text json prometheus
    expect "vfio-admin groups --format=p" --format=prometheus
    : >"$BATS_TEST_TMPDIR/vfio_groups.prom"
    expect "vfio-admin groups -o $BATS_TEST_TMPDIR/vfio_g" "$BATS_TEST_TMPDIR/vfio_groups.prom"
    expect "vfio-dump info --backend " auto group iommufd
    expect "vfio-dump read -w " 1 2 4 8
    : >"$BATS_TEST_TMPDIR/gpu.rom"
    expect "vfio-dump rom -o $BATS_TEST_TMPDIR/gpu." "$BATS_TEST_TMPDIR/gpu.rom"
    expect "vfio-dump rom --file $BATS_TEST_TMPDIR/gpu." "$BATS_TEST_TMPDIR/gpu.rom"
    expect "vfio-dump read -m 0000:01:00.0 " BAR0 BAR1 BAR2 BAR3 BAR4 BAR5 ROM CONFIG VGA
    expect "vfio-dump write --force -w 4 0000:01:00.0 R" ROM
    expect "vfio-dump read 0000:01:00.0 BAR0 "
    expect "vfio-bench mmio --region=B" --region=BAR0 --region=BAR1 --region=BAR2 \
        --region=BAR3 --region=BAR4 --region=BAR5
    expect "vfio-bench mmio -W " 1 2 4 8
    expect "vfio-bench mmio -A " mmap pread both
    expect "vfio-bench irq -W " read epoll busy
    expect "vfio-bench irq --type " msi msix intx
    expect "vfio-bench irq -g " loopback device
    expect "vfio-bench dma-map -m " anon thp hugetlb2m hugetlb1g all
    expect "vfio-bench dma-map --memory=anon,h" --memory=anon,hugetlb2m --memory=anon,hugetlb1g
    expect "vfio-bench dma-map --window " 32bit 64bit
    expect "vfio-bench dma-map -w 10 -b i" iommufd
    expect "vfio-bench dma-map --sizes 4K,2M,1" 4K,2M,1G
}

@test "bash: device addresses from sysfs: vfio-pci only (dump, bench) or first (admin)" {
    local -a vfio other all
    mapfile -t vfio < <(addresses q35-lab vfio)
    mapfile -t other < <(addresses q35-lab other)
    mapfile -t all < <(fixture_devices q35-lab)
    [[ "${vfio[*]}" == *0000:01:00.0*0000:0b:00.0* ]] || fail "fixture: vfio devices: ${vfio[*]}"
    expect "vfio-dump info " "${vfio[@]}"
    expect "vfio-bench irq -T msix " "${vfio[@]}"
    expect "sudo vfio-dump regions " "${vfio[@]}"
    expect "vfio-dump info 0000:01" 0000:01:00.0
    [[ "${COMPREPLY[*]}" == 01:00.0 ]] || fail "after '0000:': ${COMPREPLY[*]}"
    expect "vfio-dump iommu 0b:" 0b:00.0
    expect "vfio-dump info 0000:01:00.0 "
    expect "vfio-admin list " "${all[@]}"
    expect "vfio-admin groups -s 0000:00:1f" 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3
    expect "vfio-admin unbind " "${vfio[@]}" "${other[@]}"
    expect "vfio-admin check -J " "${vfio[@]}" "${other[@]}"
    expect "vfio-admin bind --group " "${other[@]}" "${vfio[@]}"
    expect "vfio-admin restore 0000:0" 0000:05:00.0 "${vfio[@]}" \
        $(printf '%s\n' "${other[@]}" | grep -v -e '^0000:05:00.0$' -e '^10000:')
    expect "vfio-admin persist add " "${vfio[@]}" "${other[@]}" \
        $(fake_facts q35-lab | awk -F'\t' '!seen[$2 ":" $3]++ { print $2 ":" $3 }')
    expect "vfio-admin persist apply " "${vfio[@]}" "${other[@]}"
    expect "vfio-admin persist apply 0000:01:00.0 "
    expect "vfio-admin persist remove " 0000:01:00.0 1234:11e8
    expect "vfio-admin persist remove 0000:01:00.0 1" 1234:11e8
    expect "vfio-admin list -- -"
    # no device on vfio-pci: vfio-dump offers them all
    mapfile -t all < <(fixture_devices noiommu)
    VFIO_TOOLS_SYSFS="$(fx noiommu)" expect "vfio-bench dma-map " "${all[@]}"
}

@test "bash: the user's shell options are left alone; each file works alone" {
    set -u
    shopt -s failglob nocaseglob
    set -f
    expect "vfio-dump info 0000:0" 0000:01:00.0 0000:04:00.0 0000:07:01.0 0000:08:00.0 0000:0b:00.0
    expect "vfio-admin bind --owner root:roo" root:root
    local line
    for line in "vfio-admin " "vfio-admin persist " "vfio-admin persist remove 0" \
        "vfio-admin check -u r" "vfio-admin list -d 1" "vfio-admin restore -- " \
        "vfio-dump read 0000:01:00.0 B" "vfio-bench dma-map -m anon," "vfio-bench irq -c "; do
        comp "$line"
    done
    [[ $- == *f* ]] || fail "set -f undone"
    shopt -q failglob && shopt -q nocaseglob && ! shopt -q nullglob || fail "shopt changed"
    set +f +u
    shopt -u failglob nocaseglob
    local tool out
    for tool in vfio-admin vfio-dump vfio-bench; do
        out="$(bash --norc -c 'source "$1"; complete -p "$2"
                 COMP_LINE="$2 "; COMP_POINT=${#COMP_LINE}; "_${2//-/_}"; echo "${#COMPREPLY[@]}"' \
               _ "$COMPLETIONS/$tool" "$tool" 2>&1)"
        [[ "$out" == "complete -F _${tool//-/_} $tool"$'\n'[1-9]* ]] || fail "$tool alone: $out"
    done
    # one helpers block, the same in the three files
    local block
    block="$(sed -n '/^# ---- vfio-tools shared helpers: begin/,/^# ---- vfio-tools shared helpers: end/p' \
             "$COMPLETIONS/vfio-admin")"
    [[ -n "$block" ]] || fail "no shared helpers block in vfio-admin"
    for tool in vfio-dump vfio-bench; do
        [[ "$(sed -n '/^# ---- vfio-tools shared helpers: begin/,/^# ---- vfio-tools shared helpers: end/p' \
              "$COMPLETIONS/$tool")" == "$block" ]] || fail "$tool: shared helpers differ from vfio-admin's"
    done
    if command -v shellcheck >/dev/null; then
        run shellcheck -s bash "$COMPLETIONS"/vfio-admin "$COMPLETIONS"/vfio-dump "$COMPLETIONS"/vfio-bench
        assert_success
    fi
}

@test "zsh: compinit binds the three tools; completions in a zpty" {
    command -v zsh >/dev/null || skip "zsh not installed"
    local zd="$BATS_TEST_TMPDIR/zsh"
    mkdir -p "$zd"
    run zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2/zcompdump"
                   print -r -- $_comps[vfio-admin] $_comps[vfio-dump] $_comps[vfio-bench]
                   zcompile -U "$2/check.zwc" "$1/_vfio-tools"' _ "$COMPLETIONS" "$zd"
    assert_success
    assert_output "_vfio-tools _vfio-tools _vfio-tools"

    # An interactive zsh in a zpty: each line is typed, then TAB; a compadd
    # wrapper writes the matches the completion adds (sorted: zsh sorts them).
    # Nothing is typed before the line editor owns the terminal: the driver waits
    # for the prompt "READY> ", which only the prompt prints (the typed PS1 reads
    # RE''ADY), after the output of the line before. The line is then cleared with
    # ^Xk (kill-whole-line), a key the terminal's line discipline leaves alone,
    # never ^U, which a cooked terminal takes as its own "kill line".
    cat >"$zd/drive.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
zd=$1 comps=$2; shift 2
zpty -b z "zsh -f -i"
zpty -w z "PS1='RE''ADY> '; LISTMAX=100000; bindkey '^Xk' kill-whole-line; fpath=($comps \$fpath); autoload -Uz compinit; compinit -u -d $zd/zcompdump.i"
zpty -w z "compadd() { local a; for a; do [[ \$a == -[OAD] ]] && { builtin compadd \"\$@\"; return; }; done; local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >>| $zd/cur; builtin compadd \"\$@\"; }"
n=0
for l in "$@"; do
  zpty -w z "rm -f $zd/cur; print -r -- '== $l' >>| $zd/out; print \$(( $((++n)) * 1000 + 1 ))mark"
  zpty -r z x "*$((n * 1000 + 1))mark*READY> "
  zpty -w -n z "$l"$'\t'$'\C-x'k
  zpty -w z "[[ -f $zd/cur ]] && sort -u $zd/cur | tr '\n' ' ' >>| $zd/out; print >>| $zd/out"
done
zpty -w z "print \$(( 6 * 7 ))done"
zpty -r z x '*42done*'
zpty -d z
EOF
    local -a lines=(
        "vfio-admin "
        "vfio-admin list --driver v"
        "vfio-admin groups -kmlx"
        "vfio-admin check -g 1"
        "vfio-admin groups --format "
        "vfio-admin bind --owner roo"
        "vfio-admin persist "
        "vfio-admin persist remove "
        "vfio-dump info "
        "vfio-dump iommu 0b:"
        "vfio-dump read 0000:01:00.0 "
        "vfio-dump config -b "
        "vfio-bench irq --wait "
        "vfio-bench mmio -W "
    )
    # A deadline, not a pace: each step above waits for what it needs.
    timeout 120 zsh -f "$zd/drive.zsh" "$zd" "$COMPLETIONS" "${lines[@]}" ||
        fail "zpty driver failed: $(cat "$zd/out" 2>/dev/null)"
    local want
    want="$(cat <<'EOF'
== vfio-admin 
bind check groups list persist restore slots snapshot sriov unbind 
== vfio-admin list --driver v
vfio-pci virtio-pci vmd 
== vfio-admin groups -kmlx
mlx5_vfio_pci 
== vfio-admin check -g 1
1 10 11 12 13 14 15 16 17 18 19 
== vfio-admin groups --format 
json prometheus text 
== vfio-admin bind --owner roo
root 
== vfio-admin persist 
add apply list remove sync 
== vfio-admin persist remove 
0000:01:00.0 1234:11e8 
== vfio-dump info 
0000:01:00.0 0000:04:00.0 0000:07:01.0 0000:08:00.0 0000:0b:00.0 
== vfio-dump iommu 0b:
0b:00.0 
== vfio-dump read 0000:01:00.0 
BAR0 BAR1 BAR2 BAR3 BAR4 BAR5 CONFIG ROM VGA 
== vfio-dump config -b 
auto group iommufd 
== vfio-bench irq --wait 
busy epoll read 
== vfio-bench mmio -W 
1 2 4 8 
EOF
)"
    [[ "$(cat "$zd/out")" == "$want" ]] || fail "zsh completions: $(diff <(echo "$want") "$zd/out")"
}

@test "bash: bind and persist add --driver also offer the kernel's VFIO variant modules" {
    local -a drivers
    mapfile -t drivers < <(ls "$(fx q35-lab)/bus/pci/drivers")
    VFIO_TOOLS_MODULES=$BATS_TEST_TMPDIR/modules
    mkdir -p "$VFIO_TOOLS_MODULES"
    printf '%s\n' 'alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci' 'alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci' \
        'alias vfio_pci:v00001AF4d00001041sv*sd*bc*sc*i* virtio_vfio_pci' \
        'alias vfio_pci:v00001AF4d00001042sv*sd*bc*sc*i* virtio_vfio_pci' >"$VFIO_TOOLS_MODULES/modules.alias"
    printf 'xe_vfio_pci.alias=vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i*\0' >"$VFIO_TOOLS_MODULES/modules.builtin.modinfo"
    expect_set "vfio-admin bind --driver " "${drivers[@]}" virtio_vfio_pci xe_vfio_pci
    expect "vfio-admin persist add --driver virtio_" virtio_vfio_pci
    expect_set "vfio-admin list --driver " none "${drivers[@]}"
}
