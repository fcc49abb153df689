# The foreign-architecture labs' cross build (tests/vm/power/power.mk, tests/vm/arm/arm.mk).
# $(call cross_build,TARGET,BUILDDIR,CROSS,FETCH,TRIPLET,GCC-PACKAGE) is the recipe of
# TARGET: vfio-admin, vfio-dump and vfio-bench into BUILDDIR with the top-level
# Makefile's own rules, flags and warnings, compiled by $(CROSS)gcc against the user
# space that FETCH unpacks (--sysroot; pkg-config looks only there, in its TRIPLET
# directory). When that user space changes, BUILDDIR starts over.
# Nothing here runs at parse time: a plain `make` neither fetches nor needs a cross compiler.

ifndef CROSS_MK_INCLUDED
CROSS_MK_INCLUDED := 1
# The makefile with the build rules: the first one make read (Makefile itself, or
# the -f Makefile before the lab's fragment).
CROSS_TOP_MAKEFILE := $(firstword $(MAKEFILE_LIST))

define cross_build
@command -v $(3)gcc >/dev/null || \
	{ echo "$(1): no $(3)gcc (apt-get install $(6))" >&2; exit 1; }
@root=$$($(4) --get ROOTFS) || exit 1; \
if [ -f $(2)/.rootfs ] && [ "$$(cat $(2)/.rootfs)" != "$$root" ]; then \
	echo "$(1): new $(5) user space, rebuilding"; rm -rf $(2); fi; \
mkdir -p $(2) && echo "$$root" >$(2)/.rootfs && \
$(MAKE) --no-print-directory -f $(CROSS_TOP_MAKEFILE) BUILDDIR=$(2) \
	CC="$(3)gcc --sysroot=$$root" AR=$(3)ar \
	PKG_CONFIG="env PKG_CONFIG_SYSROOT_DIR=$$root PKG_CONFIG_LIBDIR=$$root/usr/lib/$(5)/pkgconfig:$$root/usr/share/pkgconfig pkg-config" \
	$(2)/vfio-admin $(2)/vfio-dump $(2)/vfio-bench
endef
endif
