#!/usr/bin/env bats
# What a run maps at start: libkmod, libpci and libsmartcols are opened at run time
# (src/lib/util/dl_api.h) by the code that calls them, never by --version; a missing one
# stops only the commands that need it, in one line. The figures: make bench (bench-startup).

load helpers

setup_file() { fixtures_setup q35-lab; }

setup() { writable_tree_setup "$(fx q35-lab)"; }

# loaded CMD...: the shared objects the dynamic loader opens for CMD, one per line, as
# "NAME needed" (at start) or "NAME dlopen" (at run time)
loaded() {
    LD_DEBUG=files "$@" 2>&1 >/dev/null |
        sed -nE 's/.*file=([^ ]+) \[0\]; +needed by .*/\1 needed/p; s/.*file=([^ ]+) \[0\]; +dynamically loaded by .*/\1 dlopen/p' |
        sort -u
}

# hidden "LIB..." CMD...: CMD with these libraries unreadable (a private mount namespace
# binds /dev/null over each); skips the test where that cannot be done (not root).
hidden() {
    local libs=$1 lib path mounts=""
    shift
    [[ $EUID -eq 0 ]] && command -v unshare >/dev/null || skip "hiding a library needs root and unshare"
    for lib in $libs; do
        path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
        [[ -n $path ]] || skip "$lib: not in the ld.so cache"
        mounts+="mount --bind /dev/null $(printf %q "$path") && "
    done
    unshare -m sh -c "$mounts exec \"\$@\"" sh "$@"
}

@test "--version maps neither libkmod nor libpci nor libsmartcols (nor what they pull in)" {
    local tool
    for tool in vfio-admin vfio-dump vfio-bench; do
        run loaded "$VFIO_TOOLS_BIN/$tool" --version
        assert_success
        refute_output --regexp 'lib(kmod|pci|smartcols|udev|crypto|lzma|zstd)\.'
        assert_output --partial "libpopt.so.0 needed"
    done
}

@test "list opens libpci, and libsmartcols for its table only; never libkmod" {
    run loaded "$ADMIN" list
    assert_success
    assert_line "libpci.so.3 dlopen"
    assert_line "libsmartcols.so.1 dlopen"
    refute_output --partial libkmod
    run loaded "$ADMIN" list --json
    assert_line "libpci.so.3 dlopen"
    refute_output --partial libsmartcols
}

@test "check opens libkmod for the module findings, which then name each module's state" {
    run loaded "$ADMIN" check
    assert_line "libkmod.so.2 dlopen"
    run --separate-stderr "$ADMIN" check --json
    assert_jq '[.findings[] | select(.id | startswith("vfio.module."))] | length == 3'
    refute_output --partial "module state unknown"
}

@test "bind looks a missing driver's module up through libkmod" {
    run --separate-stderr "$ADMIN" bind --driver vfio-tools-nonesuch --timeout 1 0000:00:06.0
    assert_usage_error
    assert_equal "$stderr" "vfio-admin: vfio-tools-nonesuch: driver unavailable: no module vfio-tools-nonesuch in /lib/modules"
}

@test "without the three libraries, every --version runs" {
    local tool
    for tool in vfio-admin vfio-dump vfio-bench; do
        run --separate-stderr hidden "libkmod.so.2 libpci.so.3 libsmartcols.so.1" "$VFIO_TOOLS_BIN/$tool" --version
        assert_success
        assert_output "$tool $(sed -n 's/^VERSION *:= *//p' "$REPO_ROOT/Makefile")"
    done
}

@test "without libkmod: bind to a driver it must load fails in one line (exit 2); check says why it cannot tell" {
    run --separate-stderr hidden libkmod.so.2 "$ADMIN" bind --driver vfio-tools-nonesuch --timeout 1 0000:00:06.0
    assert_usage_error
    assert_regex "$stderr" '^vfio-admin: vfio-tools-nonesuch: driver unavailable: libkmod\.so\.2: cannot load: .+'
    run --separate-stderr hidden libkmod.so.2 "$ADMIN" check --json
    assert_jq '[.findings[] | select(.id == "vfio.module.vfio")][0].message | test("^vfio: module state unknown: libkmod\\.so\\.2: cannot load: ")'
    run --separate-stderr hidden libkmod.so.2 "$ADMIN" list
    assert_success
}

@test "without libpci, list fails in one line (exit 2); without libsmartcols, only its table does" {
    run --separate-stderr hidden libpci.so.3 "$ADMIN" list
    assert_usage_error
    assert_regex "$stderr" '^vfio-admin: libpci\.so\.3: cannot load: .+'
    run --separate-stderr hidden libsmartcols.so.1 "$ADMIN" list
    assert_usage_error
    assert_regex "$stderr" '^vfio-admin: libsmartcols\.so\.1: cannot load: .+'
    run --separate-stderr hidden libsmartcols.so.1 "$ADMIN" list --json
    assert_success
}
