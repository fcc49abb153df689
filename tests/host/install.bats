#!/usr/bin/env bats
# make install / make uninstall into a DESTDIR: exactly the files the source tree
# calls for (tools, man pages, completions/*, udev/*.rules and udev/*.rules.in), with
# their modes, and uninstall takes them all back without touching the source tree.

load helpers

# The directories the Makefile defaults to, for PREFIX=/usr
BASHCOMPDIR="$(pkg-config --variable=completionsdir bash-completion 2>/dev/null || true)"
BASHCOMPDIR="${BASHCOMPDIR:-/usr/share/bash-completion/completions}"
UDEVRULESDIR="$(pkg-config --variable=udevdir udev 2>/dev/null || true)"
UDEVRULESDIR="${UDEVRULESDIR:-/lib/udev}/rules.d"
ZSHCOMPDIR=/usr/share/zsh/vendor-completions

# expected_files: "MODE PATH" of every file install must put under DESTDIR,
# computed from the source tree, sorted
expected_files() {
    local f name
    (
        shopt -s nullglob
        cd "$REPO_ROOT" || exit 1
        for f in src/*/main.c; do
            name="${f#src/}"
            echo "755 /usr/sbin/vfio-${name%/main.c}"
        done
        for f in man/*.scd; do
            name="$(basename "$f" .scd)"
            echo "644 /usr/share/man/man${name##*.}/$name"
        done
        for f in completions/*; do
            name="$(basename "$f")"
            if [[ "$name" == _* ]]; then
                echo "644 $ZSHCOMPDIR/$name"
            else
                echo "644 $BASHCOMPDIR/$name"
            fi
        done
        for f in udev/*.rules udev/*.rules.in; do
            echo "644 $UDEVRULESDIR/$(basename "$f" .in)"
        done
    ) | LC_ALL=C sort -k2
}

# installed_files DIR: "MODE PATH" of everything but directories under DIR
installed_files() {
    find "$1" ! -type d -printf '%m /%P\n' | LC_ALL=C sort -k2
}

# source_files: the files install copies from, and the build outputs it reads
source_files() {
    (
        shopt -s nullglob
        cd "$REPO_ROOT" || exit 1
        ls -d man/*.scd completions/* udev/* build/man/* build/vfio-*
    )
}

mk() {
    make -s -C "$REPO_ROOT" "$@"
}

@test "make install PREFIX=/usr DESTDIR: exactly the expected files and modes; uninstall removes them all" {
    local dest="$BATS_TEST_TMPDIR/stage" before want got
    before="$(source_files)"
    [[ "$before" == *man/vfio-admin.8.scd* ]] || fail "no man sources? $before"

    run mk install PREFIX=/usr DESTDIR="$dest"
    [[ "$status" -eq 0 ]] || fail "make install: exit $status: $output"
    want="$(expected_files)"
    got="$(installed_files "$dest")"
    [[ "$got" == "$want" ]] ||
        fail "$(printf 'installed files differ (< expected, > installed):\n%s' \
            "$(diff <(echo "$want") <(echo "$got"))")"
    # udev/*.rules.in: @BINDIR@ became the installed tools' directory
    local rules
    for rules in "$REPO_ROOT"/udev/*.rules.in; do
        [[ -e "$rules" ]] || continue
        rules="$dest$UDEVRULESDIR/$(basename "$rules" .in)"
        ! grep -v '^#' "$rules" | grep @BINDIR@ || fail "$rules: @BINDIR@ left"
        if grep -q vfio-admin "$rules"; then
            grep -q '"/usr/sbin/vfio-admin ' "$rules" ||
                fail "$rules: does not run /usr/sbin/vfio-admin: $(grep vfio-admin "$rules")"
        fi
    done

    run mk uninstall PREFIX=/usr DESTDIR="$dest"
    [[ "$status" -eq 0 ]] || fail "make uninstall: exit $status: $output"
    got="$(installed_files "$dest")"
    [[ -z "$got" ]] || fail "left behind by make uninstall: $got"

    # a second uninstall has nothing to do and succeeds
    run mk uninstall PREFIX=/usr DESTDIR="$dest"
    [[ "$status" -eq 0 ]] || fail "second make uninstall: exit $status: $output"

    [[ "$(source_files)" == "$before" ]] ||
        fail "$(printf 'the source tree changed:\n%s' \
            "$(diff <(echo "$before") <(source_files))")"
}

@test "install and uninstall refuse paths that land in the source tree, or relative directories" {
    local before
    before="$(source_files)"
    run mk uninstall DESTDIR="$REPO_ROOT" BINDIR=/build
    [[ "$status" -ne 0 ]] || fail "uninstall into the source tree was not refused"
    assert_output --partial "source tree"
    run mk install DESTDIR="$REPO_ROOT" BINDIR=/build
    [[ "$status" -ne 0 ]] || fail "install into the source tree was not refused"
    run mk uninstall DESTDIR="$BATS_TEST_TMPDIR/stage" MANDIR=share/man
    [[ "$status" -ne 0 ]] || fail "a relative MANDIR was not refused"
    assert_output --partial "not an absolute directory"
    [[ "$(source_files)" == "$before" ]] || fail "the source tree changed"
}
