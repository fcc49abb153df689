#!/usr/bin/env bats
# Man pages (man/*.scd): each renders without groff or man warnings, and each
# tool's page documents exactly the long options its --help prints (the tool's
# and every command's, commands taken from the tool's own "Commands:" list).

load helpers

MAN_SRC="$REPO_ROOT/man"

# Render every page afresh with scdoc (as the Makefile does), so that the test
# never reads a stale build/man.
setup_file() {
    local scd
    mkdir -p "$BATS_FILE_TMPDIR/man"
    for scd in "$MAN_SRC"/*.scd; do
        scdoc <"$scd" >"$BATS_FILE_TMPDIR/man/$(basename "$scd" .scd)" || {
            echo "# scdoc failed on $scd" >&3
            return 1
        }
    done
}

# help_commands TOOL [COMMAND...]: the commands of the "Commands:" list in
# "TOOL [COMMAND...] --help" (none when it has no such list)
help_commands() {
    local out
    out="$("$VFIO_TOOLS_BIN/$1" "${@:2}" --help)" || {
        echo "$* --help failed" >&2
        return 1
    }
    awk '/^Commands:/ { on = 1; next } on && /^[^ ]/ { on = 0 }
         on && /^  [a-z]/ { print $1 }' <<<"$out"
}

# help_options TOOL [COMMAND...]: the long options of "TOOL [COMMAND...] --help",
# one per line (popt: "  -x, --long=ARG  text" or "      --long  text"; option
# names in the description column are not options of that line), --help and
# --version left out
help_options() {
    local out
    out="$("$VFIO_TOOLS_BIN/$1" "${@:2}" --help)" || {
        echo "$* --help failed" >&2
        return 1
    }
    sed -nE 's/^ +(-[[:alnum:]], )?(--[[:alnum:]][[:alnum:]-]*).*/\2/p' <<<"$out" |
        { grep -vxE -- '--(help|version)' || true; } | LC_ALL=C sort -u
}

# tool_help_options TOOL [COMMAND...]: "WHERE<TAB>--option" for the --help of
# TOOL [COMMAND...] and, recursively, of each command in its "Commands:" list
# ("vfio-admin bind<TAB>--driver", "vfio-admin persist add<TAB>--owner")
tool_help_options() {
    local cmd cmds opts
    (($# <= 3)) || { echo "$*: commands nested too deep" >&2; return 1; }
    opts="$(help_options "$@")" || return 1
    [[ -z "$opts" ]] || sed "s/^/$*\t/" <<<"$opts"
    cmds="$(help_commands "$@")" || return 1
    for cmd in $cmds; do
        tool_help_options "$@" "$cmd" || return 1
    done
}

# man_options PAGE.scd: the long options the page documents, that is names in
# bold (*--name*, *-n, --name*, *--a*, *--b* _X_ ...), one per line, --help
# and --version left out
man_options() {
    awk '{ gsub(/\\\*/, ""); n = split($0, f, "*")
           for (i = 2; i <= n; i += 2) print f[i] }' "$1" |
        grep -oE -- '--[[:alnum:]][[:alnum:]-]*' |
        grep -vxE -- '--(help|version)' | LC_ALL=C sort -u
}

# compare_options PAGE TOOL...: fails listing every long option printed by a
# --help of the TOOLs that PAGE (man/PAGE.scd) does not document, and every
# option PAGE documents that no --help of the TOOLs prints
compare_options() {
    local page="$1" scd="$MAN_SRC/$1.scd" tool help documented missing=""
    shift
    help="$(for tool in "$@"; do tool_help_options "$tool" || exit 1; done 2>&1)" ||
        fail "$help"
    documented="$(man_options "$scd")"
    [[ -n "$help" && -n "$documented" ]] || fail "$page: no options found (help: '$help')"
    # in a --help, not in the page
    missing="$(awk -F'\t' -v page="man/$page.scd" '
        NR == FNR { doc[$1] = 1; next }
        !($2 in doc) { print "  " $1 ": " $2 " is not documented in " page }' \
        <(echo "$documented") <(echo "$help"))"
    # in the page, in no --help
    missing+=$'\n'"$(cut -f2 <<<"$help" | LC_ALL=C sort -u |
        LC_ALL=C comm -13 - <(echo "$documented") |
        sed "s|^|  man/$page.scd: |; s|\$| is in no --help of $*|")"
    missing="$(sed '/^$/d' <<<"$missing")"
    [[ -z "$missing" ]] || fail "$(printf 'options of %s vs man/%s.scd:\n%s' "$*" "$page" "$missing")"
}

@test "every man page renders without warnings (groff -ww, man -l)" {
    local page errs=""
    [[ -n "$(ls "$MAN_SRC"/*.scd)" ]]
    for page in "$BATS_FILE_TMPDIR"/man/*; do
        errs+="$(groff -man -ww -z "$page" 2>&1)"
        errs+="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)"
        errs+="$(LC_ALL=C.UTF-8 MANWIDTH=60 man --warnings -l "$page" 2>&1 >/dev/null)"
    done
    [[ -z "$errs" ]] || fail "warnings: $errs"
}

@test "vfio-admin(8) documents exactly the options of vfio-admin --help" {
    compare_options vfio-admin.8 vfio-admin
}

@test "vfio-dump(8) documents exactly the options of vfio-dump --help" {
    compare_options vfio-dump.8 vfio-dump
}

@test "vfio-bench(8) documents exactly the options of vfio-bench --help" {
    compare_options vfio-bench.8 vfio-bench
}

@test "vfio-tools(7) names only options that exist" {
    local documented help extra
    documented="$(man_options "$MAN_SRC/vfio-tools.7.scd")"
    help="$(for t in vfio-admin vfio-dump vfio-bench; do
                tool_help_options "$t" || exit 1
            done 2>&1)" || fail "$help"
    help="$(cut -f2 <<<"$help" | LC_ALL=C sort -u)"
    extra="$(LC_ALL=C comm -23 <(echo "$documented") <(echo "$help"))"
    [[ -z "$extra" ]] || fail "man/vfio-tools.7.scd names options no tool has: $extra"
}
