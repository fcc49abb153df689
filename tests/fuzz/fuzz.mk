# libFuzzer targets: every tests/fuzz/fuzz_NAME.c (defining LLVMFuzzerTestOneInput) becomes
# build-fuzz/fuzz_NAME, linked with src/lib built the same way; its seeds are in
# tests/fuzz/corpus/NAME/.  `make fuzz` builds them, tests/fuzz/run runs them.
FUZZ_DIR     := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=gnu11 -D_GNU_SOURCE -DVFIO_TOOLS_VERSION='"$(VERSION)"' \
                $(filter-out -Werror,$(WARNINGS)) -Isrc/lib $(PKG_CFLAGS) \
                -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -MMD -MP
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o)

.PHONY: fuzz fuzz-clean

fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/.gitignore

# Keeps the build directory out of git without touching the top-level .gitignore.
$(FUZZ_DIR)/.gitignore:
	@mkdir -p $(dir $@)
	echo '*' > $@

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/libvfiotools.a: $(FUZZ_LIB_OBJ)
	$(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/libvfiotools.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)

fuzz-clean:
	rm -rf $(FUZZ_DIR)

clean: fuzz-clean

-include $(shell find $(FUZZ_DIR) -name '*.d' 2>/dev/null)
