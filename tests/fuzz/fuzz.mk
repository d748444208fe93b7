# Fuzz targets (included by the Makefile).
#
#   make fuzz-replay            every target over its saved corpus and the
#                               regressions in tests/data/regress/ (part of
#                               make check), without libFuzzer
#   make fuzz FUZZ_SECONDS=60   libFuzzer (clang) on each target in turn,
#                               seeded from tests/fuzz/corpus/ and, for ddex
#                               and tags, ../shared/corpus/; crashes land in
#                               build/libfuzzer/crashes/

FUZZ_SECONDS ?= 30
FUZZ_TARGETS  = $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_REPLAY   = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
SHARED_CORPUS ?= ../shared/corpus

.PHONY: fuzz fuzz-replay fuzz-run

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CSTD) $(OPT) $(WARNINGS) $(CFLAGS) $(if $(WERROR),-Werror) \
		$(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all) \
		-Wno-missing-prototypes -o $@ $< tests/fuzz/replay.c $(LIB_OBJS) $(LDSAN) $(LDFLAGS) $(LIBS)

fuzz-replay: $(FUZZ_REPLAY)
	@set -e; for t in $(FUZZ_TARGETS); do \
		./$(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t \
			$$( [ -d tests/data/regress/$$t ] && echo tests/data/regress/$$t ); \
	done

# libFuzzer: everything rebuilt with clang under build/libfuzzer.
fuzz:
	@$(MAKE) --no-print-directory CC=clang FUZZ=1 fuzz-run

ifeq ($(FUZZ),1)
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes -fsanitize=fuzzer -o $@ $< \
		$(LIB_OBJS) $(LDSAN) $(LDFLAGS) $(LIBS)

# Seeds besides the saved corpus (read, never written to).
$(BUILD)/seeds/ddex:
	@mkdir -p $@
	@for f in $(SHARED_CORPUS)/ddex/*/*.xml; do \
		[ -f "$$f" ] && cp "$$f" "$@/$$(basename "$$(dirname "$$f")")-$$(basename "$$f" | tr ' ' _)"; \
	done; true

$(BUILD)/seeds/tags:
	@mkdir -p $@
	@[ -d $(SHARED_CORPUS)/audio ] && tests/fuzz/seed-tags $(SHARED_CORPUS)/audio $@ || true

fuzz-run: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%) $(BUILD)/seeds/ddex $(BUILD)/seeds/tags
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/corpus/$$t $(BUILD)/crashes/$$t; \
		cp -n tests/fuzz/corpus/$$t/* $(BUILD)/corpus/$$t/ 2>/dev/null || true; \
		echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
		./$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/crashes/$$t/ $(BUILD)/corpus/$$t \
			$$( [ -d $(BUILD)/seeds/$$t ] && echo $(BUILD)/seeds/$$t ) 2>&1 | \
			grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix)' || true; \
		ls $(BUILD)/crashes/$$t | sed "s|^|crash: $(BUILD)/crashes/$$t/|"; \
	done
endif
