# make analyze: cppcheck, clang-tidy (.clang-tidy) and gcc -fanalyzer over src/
# (scripts/analyze; scripts/install-deps installs the tools).
.PHONY: analyze analyze-cflags

analyze:
	scripts/analyze

# The compiler flags, for scripts/analyze (not a user target).
analyze-cflags:
	@echo $(filter-out -MMD -MP,$(ALL_CFLAGS))
