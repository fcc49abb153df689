# make check-valgrind: the unit and host tests with every tool under valgrind
# memcheck (tests/valgrind/run); not part of tests/run or CI.
.PHONY: check-valgrind
check-valgrind: all
	VFIO_TOOLS_BIN=$(CURDIR)/$(BUILDDIR) tests/valgrind/run
