# tlbsim: a deterministic SMP/TLB simulator.  `make` builds ./tlbsim.
# Targets: check (every test), demo (install deps, build, explore, matrix),
# bench, noopt, san (ASan+UBSan build in build-san/), fuzz (libFuzzer
# harnesses in build-fuzz/, each run FUZZ_SECONDS), deps, clean, man,
# install and uninstall (PREFIX, DESTDIR).
CC      ?= cc
OPT     ?= -O2
PKGS     = yaml-0.1 sqlite3 zlib libxxhash
CFLAGS  += -std=c11 -Wall -Wextra -Wshadow -fno-common -g $(OPT) -I. \
           -D_POSIX_C_SOURCE=200809L $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lm -pthread
BUILD   ?= build
BIN     ?= tlbsim
PREFIX  ?= /usr/local
DESTDIR ?=
# The git commit tlbsim --version names: `git describe` at build time, or
# "unknown" outside a git checkout.  build/version.h is rewritten only when
# it changes, so only cli/main.c is recompiled.
GIT_DESC := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# Layers, lowest first: a layer includes only headers of layers before it.
LIB_SRC  = mmu/pte.c mmu/arch.c mmu/swap.c mmu/mem.c \
           cpus/tlb.c cpus/dirty.c \
           sim/program.c sim/world.c sim/exec.c sim/flush.c sim/page.c sim/vma.c sim/swap.c sim/outcome.c sim/explore.c sim/random.c sim/symmetry.c sim/livelock.c sim/run.c sim/sched.c \
           scenarios/yaml.c scenarios/compile.c scenarios/expr.c scenarios/machine.c \
           reports/timeline.c reports/witness.c reports/html.c reports/report.c reports/db.c reports/matrix.c reports/judge.c
# The command line, the top layer: shared parts, then one file per command.
MAIN_SRC = cli/opts.c cli/out.c cli/json.c cli/batch.c \
           cli/run.c cli/explore.c cli/check.c cli/compare.c cli/list.c cli/replay.c cli/db.c \
           cli/report.c cli/ops.c cli/models.c cli/main.c
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ = $(MAIN_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(BIN)

$(BIN): $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/version.h: FORCE
	@mkdir -p $(BUILD)
	@v='#define TLBSIM_GIT "$(GIT_DESC)"'; [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" >$@

$(BUILD)/cli/main.o: CFLAGS += -iquote $(BUILD)
$(BUILD)/cli/main.o: $(BUILD)/version.h

# The man page, from the --help texts.
$(BUILD)/tlbsim.1: $(BIN) cli/man.sh
	sh cli/man.sh ./$(BIN) >$@

man: $(BUILD)/tlbsim.1

# The binary, the man page, the scenario library (scenarios/*.yaml and
# scenarios/lib/*.yaml) and the bash completion under $(DESTDIR)$(PREFIX).
install: $(BIN) $(BUILD)/tlbsim.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/tlbsim/scenarios/lib $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/tlbsim
	install -m 644 $(BUILD)/tlbsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/tlbsim.1
	install -m 644 scenarios/*.yaml $(DESTDIR)$(PREFIX)/share/tlbsim/scenarios/
	install -m 644 scenarios/lib/*.yaml $(DESTDIR)$(PREFIX)/share/tlbsim/scenarios/lib/
	install -m 644 cli/tlbsim.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/tlbsim

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tlbsim $(DESTDIR)$(PREFIX)/share/man/man1/tlbsim.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/tlbsim
	rm -rf $(DESTDIR)$(PREFIX)/share/tlbsim

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS) -lcmocka

# test_cli tests the command line's own modules as well
$(BUILD)/tests/test_cli: $(BUILD)/cli/json.o $(BUILD)/cli/opts.o $(BUILD)/cli/out.o

units: $(UNIT_BIN)

# Install what is missing (Debian; root or sudo), then nothing else.
deps:
	@sh tests/deps.sh

check: deps
	@$(MAKE) --no-print-directory all units
	@$(MAKE) --no-print-directory BUILD=build-san BIN=tlbsim-san \
		OPT="-O0 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" tlbsim-san
	@$(MAKE) --no-print-directory tsan
	@if command -v clang >/dev/null 2>&1; then $(MAKE) --no-print-directory fuzz-build; fi
	@sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	./$(BIN) explore scenarios/mkclean.yaml --variant old --model blind --db tlbsim.db
	./$(BIN) compare scenarios --db tlbsim.db

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/bench.sh

noopt:
	$(MAKE) OPT=-O0

san:
	$(MAKE) BUILD=build-san BIN=tlbsim-san OPT="-O0 -fsanitize=address,undefined -fno-omit-frame-pointer"

# ThreadSanitizer build (tlbsim-tsan) for --jobs; tests/tsan.sh runs it.
tsan:
	@$(MAKE) --no-print-directory BUILD=build-tsan BIN=tlbsim-tsan OPT="-O1 -g -fsanitize=thread" tlbsim-tsan

# libFuzzer harnesses (fuzz/, clang): built with ASan+UBSan into build-fuzz/.
# fuzz-bins is the inner target, made with BUILD=build-fuzz CC=clang.
FUZZ_BUILD    = build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_NAMES    = compile sched explore
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS     = $(FUZZ_NAMES:%=$(BUILD)/fuzz_%)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
		OPT="-O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN)" fuzz-bins
	@sh fuzz/corpus.sh $(FUZZ_BUILD)/corpus

fuzz-bins: $(FUZZ_BINS)

$(BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_src.h $(LIB_OBJ)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(LDLIBS)

# Runs each harness FUZZ_SECONDS on a working copy of its seed corpus;
# crashes land in build-fuzz/crashes/ (replay: build-fuzz/fuzz_NAME FILE).
fuzz: fuzz-build
	@for h in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_BUILD)/grown/$$h $(FUZZ_BUILD)/crashes; \
		echo "== fuzz_$$h for $(FUZZ_SECONDS) s"; \
		dict=; [ $$h = sched ] || dict=-dict=fuzz/tlbsim.dict; \
		$(FUZZ_BUILD)/fuzz_$$h $$dict -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-timeout=10 -rss_limit_mb=1024 -max_len=65536 \
			-artifact_prefix=$(FUZZ_BUILD)/crashes/$$h- \
			$(FUZZ_BUILD)/grown/$$h $(FUZZ_BUILD)/corpus/$$h || exit 1; \
	done

clean:
	rm -rf build build-san build-tsan $(FUZZ_BUILD) $(BIN) tlbsim-san tlbsim-tsan

.PHONY: all units deps check demo bench noopt san tsan fuzz fuzz-build fuzz-bins clean man install uninstall FORCE
-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
