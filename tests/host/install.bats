#!/usr/bin/env bats
# make install / make uninstall into a DESTDIR: exactly the files the source tree
# calls for (tools, man pages, completions/*, udev/*.rules and udev/*.rules.in, the
# initramfs-tools hook and the dracut module of initramfs/, systemd/*), with
# their modes, and uninstall takes them all back without touching the source tree.

load helpers

# The directories the Makefile defaults to, for PREFIX=/usr
BASHCOMPDIR="$(pkg-config --variable=completionsdir bash-completion 2>/dev/null || true)"
BASHCOMPDIR="${BASHCOMPDIR:-/usr/share/bash-completion/completions}"
UDEVRULESDIR="$(pkg-config --variable=udevdir udev 2>/dev/null || true)"
UDEVRULESDIR="${UDEVRULESDIR:-/lib/udev}/rules.d"
ZSHCOMPDIR=/usr/share/zsh/vendor-completions
SYSTEMDUNITDIR=/usr/lib/systemd/system

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
        echo "755 /usr/share/initramfs-tools/hooks/vfio-tools"
        echo "755 /usr/lib/dracut/modules.d/90vfio-tools/module-setup.sh"
        for f in systemd/*.service systemd/*.timer systemd/*.in; do
            echo "644 $SYSTEMDUNITDIR/$(basename "$f" .in)"
        done
        for f in doc/schema/*.schema.json; do
            echo "644 /usr/share/vfio-tools/schema/$(basename "$f")"
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
        ls -d man/*.scd completions/* udev/* initramfs/*/* systemd/* doc/schema/* build/man/* build/vfio-*
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

    # the initramfs hook and the dracut module: @BINDIR@ made BINDIR too
    for rules in "$dest/usr/share/initramfs-tools/hooks/vfio-tools" \
        "$dest/usr/lib/dracut/modules.d/90vfio-tools/module-setup.sh"; do
        ! grep -v '^#' "$rules" | grep @BINDIR@ || fail "$rules: @BINDIR@ left"
        grep -q '=/usr/sbin/vfio-admin$' "$rules" || fail "$rules: does not name /usr/sbin/vfio-admin"
    done
    run mk install PREFIX=/usr DESTDIR="$BATS_TEST_TMPDIR/elsewhere" INITRAMFSTOOLSDIR=/opt/i DRACUTMODDIR=/opt/d
    [[ "$status" -eq 0 ]] || fail "make install with INITRAMFSTOOLSDIR, DRACUTMODDIR: exit $status: $output"
    [[ -x "$BATS_TEST_TMPDIR/elsewhere/opt/i/hooks/vfio-tools" && \
        -x "$BATS_TEST_TMPDIR/elsewhere/opt/d/90vfio-tools/module-setup.sh" ]] ||
        fail "INITRAMFSTOOLSDIR/DRACUTMODDIR not honoured: $(find "$BATS_TEST_TMPDIR/elsewhere/opt")"

    # systemd/*.in: the same, and the metrics service runs the installed vfio-admin
    local unit
    for unit in "$REPO_ROOT"/systemd/*.in; do
        unit="$dest$SYSTEMDUNITDIR/$(basename "$unit" .in)"
        ! grep -v '^#' "$unit" | grep @BINDIR@ || fail "$unit: @BINDIR@ left"
    done
    grep -q '^ExecStart=/usr/sbin/vfio-admin check --format prometheus -o ' \
        "$dest$SYSTEMDUNITDIR/vfio-tools-metrics.service" || fail "the metrics service does not run /usr/sbin/vfio-admin"

    run mk uninstall PREFIX=/usr DESTDIR="$dest"
    [[ "$status" -eq 0 ]] || fail "make uninstall: exit $status: $output"
    [[ ! -e "$dest/usr/lib/dracut/modules.d/90vfio-tools" ]] || fail "make uninstall left the dracut module's directory"
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
    run mk uninstall DESTDIR="$BATS_TEST_TMPDIR/stage" SYSTEMDUNITDIR=lib/systemd/system
    [[ "$status" -ne 0 ]] || fail "a relative SYSTEMDUNITDIR was not refused"
    run mk install DESTDIR="$REPO_ROOT" SYSTEMDUNITDIR=/systemd BINDIR=/nonexistent-bindir
    [[ "$status" -ne 0 ]] || fail "installing units over systemd/ in the source tree was not refused"
    assert_output --partial "source tree"
    [[ "$(source_files)" == "$before" ]] || fail "the source tree changed"
}
