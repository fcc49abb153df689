# vfio-tools: plain make + pkg-config. `make help` lists the targets.
VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
BUILDDIR   ?= build

CC         ?= cc
PKG_CONFIG ?= pkg-config
PKGS       := libpci libudev libkmod popt smartcols
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm

CFLAGS     ?= -O2 -g
WARNINGS   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
              -Wformat=2 -Wno-format-nonliteral
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DVFIO_TOOLS_VERSION='"$(VERSION)"' \
              $(WARNINGS) -Isrc/lib $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -MMD -MP
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS)

LIB_SRC   := $(wildcard src/lib/*.c)
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

.PHONY: all asan fuzz install uninstall check check-host check-lab demo bench deps clean help

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

install: $(BINS) $(MANS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 $(filter %.8,$(MANS)) $(DESTDIR)$(MANDIR)/man8/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) \
	      $(patsubst $(BUILDDIR)/man/%.7,$(DESTDIR)$(MANDIR)/man7/%.7,$(filter %.7,$(MANS))) \
	      $(patsubst $(BUILDDIR)/man/%.8,$(DESTDIR)$(MANDIR)/man8/%.8,$(filter %.8,$(MANS)))

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

demo: deps
	$(MAKE) all
	tests/vm/demo

bench: all $(BUILDDIR)/dma_bare $(BUILDDIR)/stats_rss
	scripts/bench-list
	scripts/bench-bind
	scripts/bench-dma

clean:
	rm -rf build build-asan

help:
	@echo "make [all]      build $(TOOLS) into $(BUILDDIR)/"
	@echo "make asan       the same with ASan+UBSan into build-asan/"
	@echo "make fuzz       libFuzzer targets into build-fuzz/ (clang); tests/fuzz/run [SECONDS] runs them"
	@echo "make check      install dependencies, build, run host and lab tests"
	@echo "make check-host host tests only;  make check-lab: VM lab tests only"
	@echo "make demo       boot the VM lab and show list/groups/tree there"
	@echo "make bench      print benchmark figures (not a test)"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)"

include tests/fuzz/fuzz.mk

-include $(shell find $(BUILDDIR) -name '*.d' 2>/dev/null)
