# vfio-tools: plain make + pkg-config. `make help` lists the targets.
VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
SCHEMADIR  ?= $(PREFIX)/share/vfio-tools/schema
# Completions and the udev rule go where bash-completion and udev look (their
# pkg-config files), whatever PREFIX is; set these to override.
BASHCOMPDIR  ?= $(or $(shell $(PKG_CONFIG) --variable=completionsdir bash-completion 2>/dev/null),$(PREFIX)/share/bash-completion/completions)
ZSHCOMPDIR   ?= $(PREFIX)/share/zsh/vendor-completions
UDEVRULESDIR ?= $(or $(shell $(PKG_CONFIG) --variable=udevdir udev 2>/dev/null),/lib/udev)/rules.d
# The initramfs hook and dracut module (initramfs/): where the two tools look, whatever PREFIX is.
INITRAMFSTOOLSDIR ?= /usr/share/initramfs-tools
DRACUTMODDIR      ?= /usr/lib/dracut/modules.d
# systemd reads units under /usr/local/lib/systemd/system as well as /usr/lib/...
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR    ?=
BUILDDIR   ?= build

CC         ?= cc
PKG_CONFIG ?= pkg-config
PKGS       := libpci libudev libkmod popt smartcols
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# Opened at run time by the code that calls them (src/lib/util/dl_api.h): headers only.
DLOPEN_PKGS := libkmod libpci smartcols
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(filter-out $(DLOPEN_PKGS),$(PKGS)) 2>/dev/null) -lm

CFLAGS     ?= -O2 -g
WARNINGS   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wformat=2 -Wno-format-nonliteral
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DVFIO_TOOLS_VERSION='"$(VERSION)"' \
              $(WARNINGS) -Isrc/lib $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP
# --as-needed: no library a tool does not call is mapped at its start (make bench: bench-startup).
ALL_LDFLAGS := -Wl,--as-needed -Wl,-O1 $(LDFLAGS) $(EXTRA_LDFLAGS)

LIB_SRC   := $(wildcard src/lib/*/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILDDIR)/%.o)
TOOLS     := vfio-admin vfio-dump vfio-bench
admin_SRC := $(wildcard src/admin/*.c)
dump_SRC  := $(wildcard src/dump/*.c)
bench_SRC := $(wildcard src/bench/*.c)
UNIT_SRC  := $(wildcard tests/unit/*.c)
BINS      := $(TOOLS:%=$(BUILDDIR)/%)
MAN_SRC   := $(wildcard man/*.scd)
MANS      := $(MAN_SRC:man/%.scd=$(BUILDDIR)/man/%)
TEST_BINS := $(if $(UNIT_SRC),$(BUILDDIR)/unit-tests) \
             $(if $(wildcard tests/fixtures/mkfakesys.c),$(BUILDDIR)/mkfakesys)

.PHONY: all asan fuzz install uninstall check check-host check-lab check-asan demo bench deps clean help

all: $(BINS) $(TEST_BINS) $(MANS)

$(BUILDDIR)/man/%: man/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@

$(BUILDDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILDDIR)/libvfiotools.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILDDIR)/vfio-admin: $(admin_SRC:%.c=$(BUILDDIR)/%.o) $(BUILDDIR)/libvfiotools.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)
$(BUILDDIR)/vfio-dump: $(dump_SRC:%.c=$(BUILDDIR)/%.o) $(BUILDDIR)/libvfiotools.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)
$(BUILDDIR)/vfio-bench: $(bench_SRC:%.c=$(BUILDDIR)/%.o) $(BUILDDIR)/libvfiotools.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)
$(BUILDDIR)/unit-tests: $(UNIT_SRC:%.c=$(BUILDDIR)/%.o) $(BUILDDIR)/libvfiotools.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)
$(BUILDDIR)/hello: tests/bench/hello.c
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)
$(BUILDDIR)/dma_bare: tests/bench/dma_bare.c
	$(CC) $(ALL_CFLAGS) -o $@ $<
$(BUILDDIR)/stats_rss: tests/bench/stats_rss.c $(BUILDDIR)/libvfiotools.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)
$(BUILDDIR)/mkfakesys: tests/fixtures/mkfakesys.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

# ASan + UBSan build of everything, in its own directory.
asan:
	$(MAKE) BUILDDIR=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined"

# What install puts, by source file: completions/vfio-admin... (bash),
# completions/_* (zsh), udev/*.rules (as they are) and udev/*.rules.in (@BINDIR@
# replaced by BINDIR, .in dropped); any of them may be absent.
BASH_COMPS    := $(wildcard $(TOOLS:%=completions/%))
ZSH_COMPS     := $(wildcard completions/_*)
UDEV_RULES    := $(wildcard udev/*.rules)
UDEV_RULES_IN := $(wildcard udev/*.rules.in)
INITRAMFS_IN  := initramfs/initramfs-tools/hooks/vfio-tools.in initramfs/dracut/90vfio-tools/module-setup.sh.in
# systemd/*.service and *.timer as they are, systemd/*.in as udev/*.rules.in
SYSTEMD_UNITS    := $(wildcard systemd/*.service systemd/*.timer)
SYSTEMD_UNITS_IN := $(wildcard systemd/*.in)
SCHEMAS       := $(wildcard doc/schema/*.schema.json)
# Installed paths, from names only: never a pattern that could match the sources.
INSTALLED  := $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) \
              $(patsubst man/%.scd,$(DESTDIR)$(MANDIR)/man7/%,$(filter %.7.scd,$(MAN_SRC))) \
              $(patsubst man/%.scd,$(DESTDIR)$(MANDIR)/man8/%,$(filter %.8.scd,$(MAN_SRC))) \
              $(BASH_COMPS:completions/%=$(DESTDIR)$(BASHCOMPDIR)/%) \
              $(ZSH_COMPS:completions/%=$(DESTDIR)$(ZSHCOMPDIR)/%) \
              $(UDEV_RULES:udev/%=$(DESTDIR)$(UDEVRULESDIR)/%) \
              $(UDEV_RULES_IN:udev/%.in=$(DESTDIR)$(UDEVRULESDIR)/%) \
              $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/vfio-tools \
              $(DESTDIR)$(DRACUTMODDIR)/90vfio-tools/module-setup.sh \
              $(SYSTEMD_UNITS:systemd/%=$(DESTDIR)$(SYSTEMDUNITDIR)/%) \
              $(SYSTEMD_UNITS_IN:systemd/%.in=$(DESTDIR)$(SYSTEMDUNITDIR)/%) \
              $(SCHEMAS:doc/schema/%=$(DESTDIR)$(SCHEMADIR)/%)
# Every directory must be absolute, and no installed path may be one of the
# files install copies (a DESTDIR or directory that points into this tree).
check-install-dirs = $(foreach v,BINDIR MANDIR BASHCOMPDIR ZSHCOMPDIR UDEVRULESDIR INITRAMFSTOOLSDIR DRACUTMODDIR SYSTEMDUNITDIR SCHEMADIR,\
	$(if $(filter /%,$($(v))),,$(error $(v)=$($(v)): not an absolute directory)))\
	$(if $(filter $(abspath $(BINS) $(MANS) $(MAN_SRC) $(BASH_COMPS) $(ZSH_COMPS) $(UDEV_RULES) $(UDEV_RULES_IN) \
		$(INITRAMFS_IN) $(SYSTEMD_UNITS) $(SYSTEMD_UNITS_IN) $(SCHEMAS)),\
		$(abspath $(INSTALLED))),$(error DESTDIR=$(DESTDIR): would install over the source tree))

install: $(BINS) $(MANS)
	$(check-install-dirs)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 $(filter %.8,$(MANS)) $(DESTDIR)$(MANDIR)/man8/
	$(if $(BASH_COMPS),install -d $(DESTDIR)$(BASHCOMPDIR))
	$(if $(BASH_COMPS),install -m 0644 $(BASH_COMPS) $(DESTDIR)$(BASHCOMPDIR)/)
	$(if $(ZSH_COMPS),install -d $(DESTDIR)$(ZSHCOMPDIR))
	$(if $(ZSH_COMPS),install -m 0644 $(ZSH_COMPS) $(DESTDIR)$(ZSHCOMPDIR)/)
	$(if $(UDEV_RULES)$(UDEV_RULES_IN),install -d $(DESTDIR)$(UDEVRULESDIR))
	$(if $(UDEV_RULES),install -m 0644 $(UDEV_RULES) $(DESTDIR)$(UDEVRULESDIR)/)
	$(foreach f,$(UDEV_RULES_IN),sed '/^#/!s|@BINDIR@|$(BINDIR)|g' $(f) >$(DESTDIR)$(UDEVRULESDIR)/$(notdir $(f:.in=)) && \
		chmod 0644 $(DESTDIR)$(UDEVRULESDIR)/$(notdir $(f:.in=)) &&) true
	install -d $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks $(DESTDIR)$(DRACUTMODDIR)/90vfio-tools
	sed '/^#/!s|@BINDIR@|$(BINDIR)|g' initramfs/initramfs-tools/hooks/vfio-tools.in >$(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/vfio-tools
	sed '/^#/!s|@BINDIR@|$(BINDIR)|g' initramfs/dracut/90vfio-tools/module-setup.sh.in >$(DESTDIR)$(DRACUTMODDIR)/90vfio-tools/module-setup.sh
	chmod 0755 $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/vfio-tools $(DESTDIR)$(DRACUTMODDIR)/90vfio-tools/module-setup.sh
	$(if $(SYSTEMD_UNITS)$(SYSTEMD_UNITS_IN),install -d $(DESTDIR)$(SYSTEMDUNITDIR))
	$(if $(SYSTEMD_UNITS),install -m 0644 $(SYSTEMD_UNITS) $(DESTDIR)$(SYSTEMDUNITDIR)/)
	$(foreach f,$(SYSTEMD_UNITS_IN),sed '/^#/!s|@BINDIR@|$(BINDIR)|g' $(f) >$(DESTDIR)$(SYSTEMDUNITDIR)/$(notdir $(f:.in=)) && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$(notdir $(f:.in=)) &&) true
	$(if $(SCHEMAS),install -d $(DESTDIR)$(SCHEMADIR))
	$(if $(SCHEMAS),install -m 0644 $(SCHEMAS) $(DESTDIR)$(SCHEMADIR)/)

uninstall:
	$(check-install-dirs)
	rm -f $(INSTALLED)
	rmdir $(DESTDIR)$(DRACUTMODDIR)/90vfio-tools 2>/dev/null || true

deps:
	scripts/install-deps

# Host tests, then the VM lab (tests/run prints "N passed, N failed").
check: deps
	$(MAKE) all
	tests/run

check-host: all
	tests/run --host

check-lab: all
	tests/run --lab

# Every suite (unit, host, fuzz, x86 and POWER labs) with the ASan+UBSan builds of the tools.
check-asan: deps
	$(MAKE) asan
	VFIO_TOOLS_BIN=$(CURDIR)/build-asan VFIO_TOOLS_POWER_BUILD=build-ppc64el-asan tests/run

demo: deps
	$(MAKE) all
	tests/vm/demo

bench: all $(BUILDDIR)/dma_bare $(BUILDDIR)/stats_rss $(BUILDDIR)/hello
	scripts/bench-startup
	scripts/bench-list
	scripts/bench-bind
	scripts/bench-bind-vfs
	scripts/bench-bind-vfs --device igb --qemu "$$(scripts/fetch-qemu-backports)"
	scripts/bench-dma
	scripts/bench-udev

clean:
	rm -rf build build-asan

help:
	@echo "make [all]      build $(TOOLS) into $(BUILDDIR)/"
	@echo "make asan       the same with ASan+UBSan into build-asan/"
	@echo "make fuzz       libFuzzer targets into build-fuzz/ (clang); tests/fuzz/run [SECONDS] runs them"
	@echo "make check      install dependencies, build, run host and lab tests"
	@echo "make check-host host tests only;  make check-lab: VM lab tests only"
	@echo "make check-asan every suite with the ASan+UBSan build (build-asan/)"
	@echo "make demo       boot the VM lab and show list/groups/tree there"
	@echo "make bench      print benchmark figures (not a test)"
	@echo "make analyze    cppcheck, clang-tidy and gcc -fanalyzer over src/ (scripts/analyze)"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)  (make uninstall: the same variables)"
	@echo "                BINDIR=$(BINDIR) MANDIR=$(MANDIR)"
	@echo "                BASHCOMPDIR=$(BASHCOMPDIR)"
	@echo "                ZSHCOMPDIR=$(ZSHCOMPDIR)"
	@echo "                UDEVRULESDIR=$(UDEVRULESDIR)"
	@echo "                INITRAMFSTOOLSDIR=$(INITRAMFSTOOLSDIR) DRACUTMODDIR=$(DRACUTMODDIR)"
	@echo "                SYSTEMDUNITDIR=$(SYSTEMDUNITDIR)"

include tests/fuzz/fuzz.mk

-include $(shell find $(BUILDDIR) -name '*.d' 2>/dev/null)
include tests/vm/power/power.mk
include tests/vm/arm/arm.mk
include scripts/analyze.mk
include tests/valgrind/valgrind.mk
