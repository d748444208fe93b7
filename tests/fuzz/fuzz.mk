# Fuzz targets (included by the Makefile).
#
#   make fuzz-replay            every target over its saved corpus and the
#                               regressions in tests/data/regress/ (part of
#                               make check), without libFuzzer
#   make fuzz FUZZ_SECONDS=60   libFuzzer (clang) on each target in turn;
#                               crashes land in build/libfuzzer/crashes/

FUZZ_SECONDS ?= 30
FUZZ_TARGETS  = $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_REPLAY   = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

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

fuzz-run: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/corpus/$$t $(BUILD)/crashes/$$t; \
		cp -n tests/fuzz/corpus/$$t/* $(BUILD)/corpus/$$t/ 2>/dev/null || true; \
		echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
		./$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/crashes/$$t/ $(BUILD)/corpus/$$t 2>&1 | \
			grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix)' || true; \
		ls $(BUILD)/crashes/$$t | sed "s|^|crash: $(BUILD)/crashes/$$t/|"; \
	done
endif
