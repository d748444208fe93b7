# blendcat — build, test, install.
#
#   make                 build build/blendcat
#   make check           -Werror build, unit tests, integration tests,
#                        unit tests, the fuzz corpus and integration tests
#                        again under ASan+UBSan
#   make fuzz            libFuzzer on every target (FUZZ_SECONDS=30 each)
#   make check-valgrind  the integration tests with blendcat under valgrind
#   make bench           load speed (scripts/bench), then the tag scan
#                        (scripts/bench-tags; alone: make bench-tags), the
#                        DDEX reader (scripts/bench-ddex; make bench-ddex),
#                        workbooks against CSV (scripts/bench-sheets;
#                        make bench-sheets) and check --diff
#                        (scripts/bench-diff; make bench-diff)
#   make demo            deps, build, local cluster, migrate, summary
#   make install PREFIX=/usr/local
#   make clean

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man/man1
DATADIR   = $(PREFIX)/share/blendcat
# The DDEX XSDs --validate-xsd uses (DDEX publishes them; blendcat does not
# ship them): make install XSD_SRC=DIR copies DIR's *.xsd, folders kept
# (ern43/, mead11/, allowed-value-sets.xsd...).
XSD_SRC  ?=

CC       ?= cc
PKG_CONFIG ?= pkg-config
PKGS      = libpq libxml-2.0 taglib_c libutf8proc libmagic nettle libzip libxxhash

WARNINGS  = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings
CSTD      = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT      ?= -O2 -g
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Iinclude $(PKG_CFLAGS)
CFLAGS   ?=
ALL_CFLAGS = $(CSTD) $(OPT) $(WARNINGS) $(CFLAGS) $(if $(WERROR),-Werror) -MMD -MP
CXXFLAGS ?=
ALL_CXXFLAGS = -std=c++17 $(OPT) -Wall -Wextra -Wpedantic $(CXXFLAGS) $(if $(WERROR),-Werror) -MMD -MP
LIBS      = $(PKG_LIBS) -lcsv -lm -lpthread
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# SANITIZE=address,undefined builds everything into build/san/; FUZZ=1
# (make fuzz) into build/libfuzzer/ with clang's libFuzzer instrumentation.
ifeq ($(FUZZ),1)
BUILD     = build/libfuzzer
ALL_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
LDSAN     = -fsanitize=address,undefined
else ifneq ($(SANITIZE),)
BUILD     = build/san
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_CXXFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN     = -fsanitize=$(SANITIZE)
else
BUILD     = build
LDSAN     =
endif

SRCS      = $(sort $(wildcard src/*.c))
OBJS      = $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS  = $(filter-out $(BUILD)/obj/main.o,$(OBJS))

# TagLib's C API has the property map (BPM, ISRC, COMPOSER...) from 2.0 on;
# for older TagLib, src/taglib_bridge.cpp adds it (include/blendcat/taglib_bridge.h).
ifneq ($(shell $(PKG_CONFIG) --atleast-version=2.0 taglib_c && echo yes),yes)
OBJS     += $(BUILD)/obj/taglib_bridge.o
CPPFLAGS += -DBLENDCAT_TAGLIB_BRIDGE
TAGLIB_CXXFLAGS := $(shell $(PKG_CONFIG) --cflags taglib 2>/dev/null)
LIBS     += $(shell $(PKG_CONFIG) --libs taglib 2>/dev/null) -lstdc++
endif
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BIN       = $(BUILD)/blendcat

.PHONY: all check check-valgrind unit unit-bins integration demo install uninstall clean deps bench \
	bench-tags bench-ddex bench-sheets bench-diff
.DEFAULT_GOAL := all
.SECONDARY:

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(TAGLIB_CXXFLAGS) $(ALL_CXXFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIB_OBJS)
	$(CC) $(LDSAN) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(CMOCKA_LIBS) $(LIBS)

# The unit test binaries, for `make unit`.
unit-bins: $(UNIT_BINS)

# Each test program, then one line: passed, failed, skipped (the tests of
# ../shared's corpus skip without it, see tests/unit/corpus.h).
unit: $(UNIT_BINS)
	@log=$$(mktemp); failed=0; \
	for t in $(UNIT_BINS); do \
		echo "== $$t"; ./$$t >$$log.1 2>&1 || failed=$$((failed + 1)); \
		cat $$log.1; cat $$log.1 >>$$log; \
	done; \
	sum() { awk -v w=$$1 '$$1 == "[" && $$2 == w && $$4 ~ /^[0-9]+$$/ { n += $$4 } END { print n + 0 }' $$log; }; \
	passed=$$(sum PASSED); skipped=$$(sum SKIPPED); rm -f $$log $$log.1; \
	echo; echo "unit: $$passed passed, $$failed programs failed$$([ "$$skipped" -gt 0 ] && \
		echo ", $$skipped skipped (no ../shared corpus)")"; \
	[ $$failed -eq 0 ]

integration: $(BIN)
	BLENDCAT=$(abspath $(BIN)) tests/integration/run

# make check: warnings are errors; plain build, then ASan+UBSan build.
check:
	@$(MAKE) --no-print-directory WERROR=1 unit integration
	@$(MAKE) --no-print-directory WERROR=1 SANITIZE=address,undefined unit fuzz-replay integration

# The integration tests once under valgrind's memcheck (slow: not part of
# make check).  Fails on any memory error or leak; the reports stay in
# build/valgrind/.
check-valgrind:
	@$(MAKE) --no-print-directory WERROR=1 $(BIN)
	@rm -rf build/valgrind && mkdir -p build/valgrind
	@VG_LOGS=$(abspath build/valgrind) BLENDCAT_REAL=$(abspath $(BIN)) \
		BLENDCAT=$(abspath tests/valgrind/blendcat) tests/integration/run; \
	rc=$$?; \
	reports=$$(find build/valgrind -name 'vg.*.log' -size +0 | wc -l); \
	echo "valgrind: $$(ls build/valgrind | wc -l) runs of blendcat, $$reports with a report"; \
	find build/valgrind -name 'vg.*.log' -size +0 -exec head -n 40 {} \; ; \
	[ $$rc -eq 0 ] && [ $$reports -eq 0 ]

demo:
	scripts/demo

bench:
	scripts/bench
	scripts/bench-tags
	scripts/bench-ddex
	scripts/bench-sheets
	scripts/bench-diff

bench-tags:
	scripts/bench-tags

bench-ddex:
	scripts/bench-ddex

bench-sheets: $(BIN)
	scripts/bench-sheets

bench-diff:
	scripts/bench-diff

deps:
	scripts/deps

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/schemas
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/blendcat
	install -m 0644 src/blendcat.1 $(DESTDIR)$(MANDIR)/blendcat.1
	install -m 0644 schemas/*.sql $(DESTDIR)$(DATADIR)/schemas/
	@if [ -n "$(XSD_SRC)" ]; then \
		[ -d "$(XSD_SRC)" ] || { echo "install: XSD_SRC=$(XSD_SRC) is not a directory" >&2; exit 1; }; \
		cd "$(XSD_SRC)" && find . -name '*.xsd' | while read -r f; do \
			install -d "$(abspath $(DESTDIR)$(DATADIR))/xsd/$$(dirname "$$f")" && \
			install -m 0644 "$$f" "$(abspath $(DESTDIR)$(DATADIR))/xsd/$$f" || exit 1; \
		done; \
		echo "install: DDEX XSDs from $(XSD_SRC) in $(DATADIR)/xsd"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/blendcat $(DESTDIR)$(MANDIR)/blendcat.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

include tests/fuzz/fuzz.mk

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)
