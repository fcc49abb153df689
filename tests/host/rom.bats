#!/usr/bin/env bats
# vfio-dump rom without VFIO: usage errors, the refusals before any ioctl, and the decoder
# through --file on composed ROMs (tests/fuzz/mkcorpus-pci-rom) and, when the host has
# them, SeaBIOS's VGA BIOSes. What VFIO's ROM region gives is tested in the lab
# (tests/vm/gpu.bats).

load helpers

DUMP="$VFIO_TOOLS_BIN/vfio-dump"
STDVGA=/usr/share/seabios/vgabios-stdvga.bin

setup_file() {
    fixtures_setup q35-lab
    "$REPO_ROOT/tests/fuzz/mkcorpus-pci-rom" "$BATS_FILE_TMPDIR/roms"
}

rom() { # FILE [ARGS...]: vfio-dump rom --file FILE
    local f=$1
    shift
    run --separate-stderr "$DUMP" rom --file "$f" "$@"
}

refused() { # REGEX ARGS...: exit 2, nothing on stdout, one stderr line "vfio-dump: " + REGEX
    local regex=$1
    shift
    mkdir -p "$BATS_FILE_TMPDIR/dev"
    VFIO_TOOLS_SYSFS="$(fx q35-lab)" VFIO_TOOLS_DEV="$BATS_FILE_TMPDIR/dev" \
        run --separate-stderr "$DUMP" "$@"
    assert_usage_error vfio-dump
    [[ "${stderr_lines[0]}" =~ ^vfio-dump:\ $regex ]] || fail "'${stderr_lines[0]}' does not match '$regex'"
}

@test "help and usage: rom in the command list, its options; missing, extra and bad arguments" {
    run "$DUMP" --help
    assert_line --regexp '^  rom +The expansion ROM through VFIO'
    run "$DUMP" rom --help
    assert_success
    assert_line --regexp '^  -o, --output=FILE '
    assert_line --regexp '^      --file=FILE '
    assert_line --regexp '--json'
    refused "vfio-dump rom: missing argument: usage: vfio-dump rom \[OPTIONS\] DEVICE \| --file FILE$" rom
    refused "0000:01:00.0: unexpected argument: --file decodes a file, not a device$" rom --file /dev/null 0000:01:00.0
    refused "0000:04:00.0: unexpected argument: usage: vfio-dump rom \[OPTIONS\] DEVICE \| --file FILE$" rom 0000:01:00.0 0000:04:00.0
    refused "$BATS_FILE_TMPDIR/none: cannot read the ROM file: No such file or directory$" rom --file "$BATS_FILE_TMPDIR/none"
    refused "/dev/null: not a ROM image: 0 bytes$" rom --file /dev/null
    refused "0000:00:03.0: not bound to vfio-pci: it has no driver; run 'vfio-admin bind 0000:00:03.0' first$" rom 00:03.0
    refused "0000:01:00.0: cannot open through VFIO: .*/dev/vfio/vfio: No such file or directory" rom -o "$BATS_TEST_TMPDIR/x" 0000:01:00.0
    [[ ! -e $BATS_TEST_TMPDIR/x ]]
}

@test "composed ROMs: x86 with its checksum, EFI x64/AArch64/RISC-V64/LoongArch64, Open Firmware, HP PA-RISC" {
    rom "$BATS_FILE_TMPDIR/roms/x86-efi-x64" --json
    assert_success
    assert_equal "$(jq -c '[.device, .file != null, .region_size, .total_length, .complete, .problem]' <<<"$output")" \
        '[null,true,4096,3072,true,null]'
    assert_equal "$(jq -c '.images[] | [.index, .offset, .length, .vendor_id, .device_id, .class, .code_type_name, .last, .checksum, .efi]' <<<"$output")" \
        '[0,0,1024,"1234","1111","030000","x86 BIOS",false,{"sum":0,"valid":true},null]
[1,1024,2048,"1234","1111","030000","EFI",true,null,{"subsystem":11,"subsystem_name":"boot service driver","machine_type":"0x8664","machine_name":"x64","compressed":false,"image_offset":64}]'
    rom "$BATS_FILE_TMPDIR/roms/x86-efi-aarch64-riscv" --json
    assert_equal "$(jq -c '[.images[] | .efi.machine_name // .code_type_name]' <<<"$output")" \
        '["x86 BIOS","AArch64","RISC-V64","LoongArch64"]'
    rom "$BATS_FILE_TMPDIR/roms/openfirmware-hppa"
    assert_success
    assert_line --index 0 --regexp 'ROM image file: 1.5 KiB \(0x600\), 2 images, 0x600 bytes$'
    assert_line 'image 0 at 0x0: Open Firmware, 0x200 bytes (1 x 512)'
    assert_line 'image 1 at 0x200: HP PA-RISC, 0x400 bytes (2 x 512), last image'
    rom "$BATS_FILE_TMPDIR/roms/misaligned-pcir"
    assert_line '  note      PCIR pointer 0x1e is not 4-byte aligned, as the PCI Firmware spec wants'
    assert_line '  checksum  valid (the bytes sum to 0x00)'
}

@test "malformed ROMs: one problem line each, or one refusal line when no image decodes" {
    local name want
    while IFS='|' read -r name want; do
        rom "$BATS_FILE_TMPDIR/roms/$name"
        assert_success
        assert_equal "$(grep -c '^problem: ' <<<"$output")" 1
        assert_line "problem: $want"
    done <<'EOF'
no-last-flag|image 1 has no last-image flag, but no image follows at 0x400 (reads 0xffff, not 0x55aa)
length-past-end|image 0 at 0x0: its length 0x1000 runs past the ROM's end at 0x400
zero-length|image 0 at 0x0: its PCIR gives an image length of 0
EOF
    refused '.*/no-pcir: malformed ROM: image 0 at 0x0: no PCIR structure at its pointer 0x100 \(reads "...." \(00 00 00 00\)\)$' \
        rom --file "$BATS_FILE_TMPDIR/roms/no-pcir"
    refused '.*/pcir-past-end: malformed ROM: image 0 at 0x0: its PCIR pointer 0x30 points past the ROM.s end at 0x40$' \
        rom --file "$BATS_FILE_TMPDIR/roms/pcir-past-end"
    refused '.*/erased: ROM hidden or disabled: its first 512 bytes read all 0xff$' rom --file "$BATS_FILE_TMPDIR/roms/erased"
    printf 'MZ\x90\x00' >"$BATS_TEST_TMPDIR/pe"
    refused '.*/pe: no ROM signature: offset 0 reads 0x4d5a, not 0x55aa$' rom --file "$BATS_TEST_TMPDIR/pe"
}

@test "-o writes the images, not what follows them; JSON names the file" {
    head -c 512 /dev/zero | tr '\0' '\377' | cat "$BATS_FILE_TMPDIR/roms/x86" - >"$BATS_TEST_TMPDIR/padded"
    rom "$BATS_TEST_TMPDIR/padded" -o "$BATS_TEST_TMPDIR/out.rom" --json
    assert_success
    assert_jq ".output == \"$BATS_TEST_TMPDIR/out.rom\" and .total_length == 1024 and .region_size == 1536"
    cmp "$BATS_TEST_TMPDIR/out.rom" "$BATS_FILE_TMPDIR/roms/x86"
    rom "$BATS_TEST_TMPDIR/padded" -o /nonexistent/dir/x.rom
    assert_equal "$status" 2
    assert_equal "$stderr" "vfio-dump: /nonexistent/dir/x.rom: cannot write the ROM: No such file or directory"
}

@test "SeaBIOS's VGA BIOSes (QEMU's VGA ROMs): one x86 image each, ids as QEMU's devices, checksum valid" {
    local f
    [[ -f $STDVGA ]] || skip "no $STDVGA (the seabios package)"
    rom "$STDVGA"
    assert_success
    assert_output "$STDVGA: ROM image file: 39 KiB (0x9c00), 1 image, 0x9c00 bytes
image 0 at 0x0: x86 BIOS, 0x9c00 bytes (78 x 512), last image
  ids       1234:1111, class 030000, code revision 0x0001
  PCIR      at 0x99dc, revision 0, length 24
  checksum  valid (the bytes sum to 0x00)"
    for f in /usr/share/seabios/vgabios-*.bin; do
        rom "$f" --json -o "$BATS_TEST_TMPDIR/copy"
        # vgabios-isavga and -ramfb are ISA ROMs: no PCIR
        if [[ $f == *isavga* || $f == *ramfb* ]]; then
            assert_equal "$status" 2
            continue
        fi
        assert_success
        assert_jq '.complete and (.images | length) == 1 and .images[0].checksum.valid and .images[0].class == "030000"'
        cmp "$BATS_TEST_TMPDIR/copy" "$f"
    done
}
