#!/usr/bin/env bats
# The initramfs parts (initramfs/): the initramfs-tools hook run with the real
# hook-functions into a DESTDIR (the files it adds, nothing without entries; the
# modules are checked in the lab, tests/vm/initramfs.bats, where a kernel's modules
# exist), the dracut module's functions against stubs of dracut's, and the note of
# persist add/remove when either is installed (VFIO_TOOLS_ROOT).

load helpers

setup_file() { fixtures_setup q35-lab; }

setup() {
    STAGE="$BATS_TEST_TMPDIR/stage"
    DEST="$BATS_TEST_TMPDIR/initramfs"
    mkdir -p "$STAGE/usr/sbin" "$STAGE/usr/lib/udev/rules.d" "$STAGE/etc/udev/rules.d" "$STAGE/etc/vfio-tools" "$DEST"
    cp "$ADMIN" "$STAGE/usr/sbin/vfio-admin"
    sed '/^#/!s|@BINDIR@|/usr/sbin|g' "$REPO_ROOT/udev/70-vfio-tools.rules.in" >"$STAGE/usr/lib/udev/rules.d/70-vfio-tools.rules"
    echo '# generated' >"$STAGE/etc/udev/rules.d/70-vfio-tools-persist.rules"
    echo '# unrelated' >"$STAGE/etc/udev/rules.d/60-other.rules"
    HOOK="$BATS_TEST_TMPDIR/hook"
    sed '/^#/!s|@BINDIR@|/usr/sbin|g' "$REPO_ROOT/initramfs/initramfs-tools/hooks/vfio-tools.in" >"$HOOK"
    chmod 755 "$HOOK"
}

# The hook as mkinitramfs runs it (its exported variables), reading $STAGE.
run_hook() {
    [[ -r /usr/share/initramfs-tools/hook-functions ]] || skip "initramfs-tools is not installed"
    run --separate-stderr env DESTDIR="$DEST" version=0.0.0-vfio-tools-test verbose=n CONFDIR=/nonexistent \
        MODULESDIR=/nonexistent VFIO_TOOLS_ROOT="$STAGE" "$HOOK"
}

@test "hook: prereqs; no persist.conf, or one without entries: nothing added" {
    run "$HOOK" prereqs
    assert_success
    assert_output ''
    run_hook
    assert_success
    [[ -z "$(find "$DEST" -mindepth 1)" ]] || fail "added: $(find "$DEST" -mindepth 1)"
    printf '# vfio-tools\n\n   \n# 0000:01:00.0 driver=vfio-pci\n' >"$STAGE/etc/vfio-tools/persist.conf"
    run_hook
    assert_success
    [[ -z "$(find "$DEST" -mindepth 1)" ]] || fail "added: $(find "$DEST" -mindepth 1)"
}

@test "hook: with entries, vfio-admin with every library it links, the vfio-tools rules and persist.conf" {
    printf '0000:01:00.0 driver=vfio-pci\n' >"$STAGE/etc/vfio-tools/persist.conf"
    run_hook
    assert_success
    [[ -x "$DEST/usr/sbin/vfio-admin" ]] || fail "no vfio-admin: $(find "$DEST")"
    cmp "$ADMIN" "$DEST/usr/sbin/vfio-admin"
    local lib
    for lib in $(ldd "$ADMIN" | sed -n 's|.*=> *\(/[^ ]*\) .*|\1|p'); do
        [[ -e "$DEST/usr${lib#/usr}" || -e "$DEST$lib" ]] || fail "$lib: not in the initramfs"
    done
    cmp "$STAGE/usr/lib/udev/rules.d/70-vfio-tools.rules" "$DEST/usr/lib/udev/rules.d/70-vfio-tools.rules"
    cmp "$STAGE/etc/udev/rules.d/70-vfio-tools-persist.rules" "$DEST/etc/udev/rules.d/70-vfio-tools-persist.rules"
    [[ ! -e "$DEST/etc/udev/rules.d/60-other.rules" ]] || fail "copied a rule that is not vfio-tools'"
    cmp "$STAGE/etc/vfio-tools/persist.conf" "$DEST/etc/vfio-tools/persist.conf"
    [[ ! -e "$DEST/etc/passwd" && ! -e "$DEST/etc/group" ]] || fail "the user database without an owner= entry"
}

@test "hook: an owner= entry brings the user database, for the hand-over of /dev/vfio/N there" {
    printf '0000:01:00.0 driver=vfio-pci\n1234:11e8 owner=alice:kvm\n' >"$STAGE/etc/vfio-tools/persist.conf"
    echo 'alice:x:1000:1000::/home/alice:/bin/sh' >"$STAGE/etc/passwd"
    echo 'kvm:x:104:alice' >"$STAGE/etc/group"
    run_hook
    assert_success
    cmp "$STAGE/etc/passwd" "$DEST/etc/passwd"
    cmp "$STAGE/etc/group" "$DEST/etc/group"
}

@test "hook: entries but no vfio-admin: one E: line, the build fails" {
    printf '0000:01:00.0\n' >"$STAGE/etc/vfio-tools/persist.conf"
    rm "$STAGE/usr/sbin/vfio-admin"
    run_hook
    assert_failure 1
    assert_equal "$stderr" "E: vfio-tools: $STAGE/usr/sbin/vfio-admin: missing; persisted devices will not be bound in the initramfs"
}

# The dracut module's functions, with dracut's own replaced by stubs that log their calls.
dracut_module() { # FUNCTION
    run bash -c '
        require_binaries() { echo "require_binaries $*"; }
        inst_multiple() { echo "inst_multiple $*"; }
        inst_rules() { echo "inst_rules $*"; }
        inst_libdir_file() { echo "inst_libdir_file $*"; }
        instmods() { echo "instmods $* hostonly=$hostonly"; }
        hostonly=yes
        dracutsysrootdir=$1
        . "$2"
        "$3"; echo "rc $?"' _ "$STAGE" "$BATS_TEST_TMPDIR/module-setup.sh" "$1"
}

@test "dracut module: left out without entries; with them vfio-admin, persist.conf, the rules, the VFIO modules and the drivers named" {
    sed '/^#/!s|@BINDIR@|/usr/sbin|g' "$REPO_ROOT/initramfs/dracut/90vfio-tools/module-setup.sh.in" \
        >"$BATS_TEST_TMPDIR/module-setup.sh"
    dracut_module check
    assert_output 'rc 1'
    printf '# none\n' >"$STAGE/etc/vfio-tools/persist.conf"
    dracut_module check
    assert_output 'rc 1'
    printf '0000:01:00.0 driver=vfio-pci\n1af4:1041 driver=virtio_vfio_pci owner=nobody # a variant\n' \
        >"$STAGE/etc/vfio-tools/persist.conf"
    dracut_module check
    assert_output "require_binaries /usr/sbin/vfio-admin
rc 0"
    dracut_module depends
    assert_output "udev-rules
rc 0"
    dracut_module installkernel
    assert_output "instmods vfio vfio_iommu_type1 vfio_pci vfio-pci virtio_vfio_pci hostonly=
rc 0"
    dracut_module install
    assert_output "inst_multiple /usr/sbin/vfio-admin /etc/vfio-tools/persist.conf
inst_multiple /etc/passwd /etc/group
inst_libdir_file libkmod.so.2* libpci.so.3* libsmartcols.so.1*
inst_rules 70-vfio-tools.rules
inst_rules 70-vfio-tools-persist.rules
rc 0"
}

@test "persist add/remove: one note naming the rebuild command when the hook or the dracut module is installed beside its tool" {
    export VFIO_TOOLS_ETC="$BATS_TEST_TMPDIR/etc" VFIO_TOOLS_ROOT="$BATS_TEST_TMPDIR/root"
    local conf="$VFIO_TOOLS_ETC/vfio-tools/persist.conf"
    run --separate-stderr admin q35-lab persist add 01:00.0
    assert_success
    assert_equal "$stderr" ''
    # the hook without update-initramfs (or the tool alone): no note
    mkdir -p "$VFIO_TOOLS_ROOT/usr/share/initramfs-tools/hooks" "$VFIO_TOOLS_ROOT/usr/sbin" "$VFIO_TOOLS_ROOT/usr/bin"
    touch "$VFIO_TOOLS_ROOT/usr/share/initramfs-tools/hooks/vfio-tools"
    run --separate-stderr admin q35-lab persist add 01:00.0
    assert_equal "$stderr" ''
    touch "$VFIO_TOOLS_ROOT/usr/sbin/update-initramfs"
    run --separate-stderr admin q35-lab persist add 01:00.0
    assert_success
    assert_equal "$stderr" "vfio-admin: note: the initramfs has a copy of $conf: run 'update-initramfs -u' so that it binds as persisted at boot"
    run --separate-stderr admin q35-lab persist remove 01:00.0
    assert_success
    assert_equal "$stderr" "vfio-admin: note: the initramfs has a copy of $conf: run 'update-initramfs -u' so that it binds as persisted at boot"
    # dracut's module beside dracut: its own note
    rm "$VFIO_TOOLS_ROOT/usr/sbin/update-initramfs"
    mkdir -p "$VFIO_TOOLS_ROOT/usr/lib/dracut/modules.d/90vfio-tools"
    touch "$VFIO_TOOLS_ROOT/usr/lib/dracut/modules.d/90vfio-tools/module-setup.sh" "$VFIO_TOOLS_ROOT/usr/bin/dracut"
    run --separate-stderr admin q35-lab persist add 01:00.0
    assert_success
    assert_equal "$stderr" "vfio-admin: note: the initramfs has a copy of $conf: run 'dracut -f' so that it binds as persisted at boot"
    # a failed add says nothing of the initramfs
    run --separate-stderr admin q35-lab persist add zz:00.0
    assert_failure 2
    [[ "$stderr" != *initramfs* ]] || fail "noted on failure: $stderr"
}

@test "the hook (POSIX sh) and the dracut module (bash) pass shellcheck" {
    command -v shellcheck >/dev/null || skip "shellcheck is not installed"
    run shellcheck -s sh "$REPO_ROOT/initramfs/initramfs-tools/hooks/vfio-tools.in"
    assert_success
    run shellcheck -s bash "$REPO_ROOT/initramfs/dracut/90vfio-tools/module-setup.sh.in"
    assert_success
}
