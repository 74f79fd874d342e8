# exsweep: GNU make build.
#
#   make            build build/exsweep (library + tool)
#   make check      unit, end-to-end and fuzz-corpus tests, then all again under ASan+UBSan
#   make demo       generate a sample evidence tree with a planted intrusion and scan it
#   make eval EVALDATA=../shared/evaldata   agreement with third-party verdicts; yara parity;
#                   the prefilter-off equivalence; ECS 9.4 conformance of the JSON lines;
#                   STIX 2.1 bundles against the OASIS schemas; SigmaHQ's rules loaded
#                   (make eval-sigma: that part alone)
#   make fuzz       libFuzzer binaries (clang) in build/fuzz/
#   make bench      benchmarks against peers (see bench/README.md)
#   make install    build/exsweep to $(DESTDIR)$(PREFIX)/bin, the man pages (build/man/) to
#                   $(DESTDIR)$(PREFIX)/share/man/man1, the bash completion to
#                   $(PREFIX)/share/bash-completion/completions (PREFIX=/usr/local); make uninstall
#
# Sources are found by folder, so adding a file never needs an edit here:
#   lib/**/*.c          the library (libexsweep.a)
#   cli/*.c             the command-line tool
#   tests/unit/test-*.c one cmocka executable each
#   tests/support/*.c   helpers linked into every test and tool under tests/
#   fuzz/fuzz_*.c       one libFuzzer target each; replayed over fuzz/corpus/<target>/ by make check
#   tools/*.c           programs make runs to generate sources (not installed)
#   docs/man/exsweep*.txt  each command's --help, option table and man page, and the bash
#                       completion's lists (scripts/gen-doc.awk; docs/man/README.md)

BUILD   ?= build
SAN     ?=
CC      ?= cc
OPT     ?= -O2 -g
PKGS    := yara libhs libarchive libcrypto libssl libpcre2-8 libregf libcurl yaml-0.1
# libevtx is linked only by the EVTX comparison bench, not by the tool.
# libyaml reads Sigma rules (lib/sigma/); the test tools ecscheck (ECS's YAML schema) and
# collectcheck (the collection specs exsweep writes) use it too.
TOOL_PKGS :=

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# A missing library stops the build here, by name, rather than as a stream of compile errors.
# Goals that install the packages first (check and demo run scripts/install-deps.sh, then
# build in a sub-make that checks again) or that need none of them are let through.
NOPKG_GOALS := check demo deps clean lint uninstall
ifneq ($(filter-out $(NOPKG_GOALS),$(or $(MAKECMDGOALS),all)),)
PKG_MISSING := $(strip $(foreach p,$(PKGS) $(TOOL_PKGS),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
ifneq ($(PKG_MISSING),)
$(error pkg-config finds no $(PKG_MISSING): run 'make deps' (scripts/install-deps.sh))
endif
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-missing-field-initializers
# lib/compat: stand-ins for headers a -dev package includes but does not ship (libbfio.h),
# searched after the system's own.
COMPAT   := -idirafter lib/compat
CPPFLAGS += -D_GNU_SOURCE -Iinclude -Ilib -Itests/support $(PKG_CFLAGS) $(COMPAT)
CFLAGS   += -std=c17 $(OPT) $(WARN) -fno-strict-aliasing -pthread -MMD -MP
LDLIBS   += $(PKG_LIBS) -lpthread -lm

ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC  := $(sort $(shell find lib -name '*.c'))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_SRC  := $(sort $(wildcard cli/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
SUP_SRC  := $(sort $(wildcard tests/support/*.c))
SUP_OBJ  := $(SUP_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_RPL := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/replay/%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/%)

# The shipped YARA rules (rules/*.yar) become C data in the library: the embedded default set.
RULE_SRC := $(sort $(wildcard rules/*.yar))
RULE_GEN := $(BUILD)/gen/rules_embedded.c
RULE_OBJ := $(BUILD)/obj/gen/rules_embedded.o
LIB_OBJ  += $(RULE_OBJ)

# The HTML report's style and script (lib/report/html.css, html.js) become C data too.
HTML_SRC := lib/report/html.css lib/report/html.js
HTML_GEN := $(BUILD)/gen/html_assets.c
HTML_OBJ := $(BUILD)/obj/gen/html_assets.o
LIB_OBJ  += $(HTML_OBJ)

# Each command's documentation, docs/man/exsweep*.txt (the format: docs/man/README.md), becomes
# through scripts/gen-doc.awk: the --help texts and the option tables of the parsers in cli/
# (build/gen/cli_help.h), a man page each (build/man/*.1) and the bash completion
# (build/completion/exsweep: scripts/exsweep.bash and the commands' options).
DOC_SRC  := $(sort $(wildcard docs/man/exsweep*.txt))
DOC_GEN  := $(BUILD)/gen/cli_help.h
MAN_GEN  := $(DOC_SRC:docs/man/%.txt=$(BUILD)/man/%.1)
COMP_GEN := $(BUILD)/completion/exsweep
DOC_VERSION = $(shell sed -n 's/^\#define EXSWEEP_VERSION "\(.*\)"$$/\1/p' include/exsweep/exsweep.h)

# The prefilter databases, compiled at build time by tools/prefilter-db.c into C data (see
# lib/engines/prefilter_db.h). The tool links the library without them, plus an empty table.
PFDB_GEN  := $(BUILD)/gen/prefilter_db.c
PFDB_OBJ  := $(BUILD)/obj/gen/prefilter_db.o
PFDB_NONE := $(BUILD)/obj/gen/prefilter_none.o
PFDB_TOOL := $(BUILD)/gen/prefilter-db
BASE_OBJ  := $(LIB_OBJ)
LIB_OBJ   += $(PFDB_OBJ)

LIBA     := $(BUILD)/libexsweep.a
EXE      := $(BUILD)/exsweep

# Objects and test binaries are built through chained pattern rules: keep them.
.SECONDARY:

.PHONY: all check check-run demo eval eval-sigma fuzz bench clean deps lint tests install uninstall
all: $(EXE) $(TOOL_BIN) $(MAN_GEN) $(COMP_GEN)

Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(RULE_GEN): $(RULE_SRC) scripts/embed-rules.sh
	@mkdir -p $(@D)
	$(Q)scripts/embed-rules.sh $@ $(RULE_SRC)

$(HTML_GEN): $(HTML_SRC) scripts/embed-text.sh
	@mkdir -p $(@D)
	$(Q)scripts/embed-text.sh $@ xs_html_css=lib/report/html.css xs_html_js=lib/report/html.js

$(DOC_GEN): $(DOC_SRC) scripts/gen-doc.awk
	@mkdir -p $(@D)
	@$(if $(V),,echo "  GEN     $@")
	$(Q)awk -f scripts/gen-doc.awk -v mode=help $(DOC_SRC) >$@.tmp && mv $@.tmp $@

# The month of the page's last commit, when there is a git history.
$(BUILD)/man/%.1: docs/man/%.txt scripts/gen-doc.awk include/exsweep/exsweep.h
	@mkdir -p $(@D)
	@$(if $(V),,echo "  GEN     $@")
	$(Q)awk -f scripts/gen-doc.awk -v mode=man -v version="$(DOC_VERSION)" \
	  -v date="$$(git log -1 --format=%cd --date=format:%Y-%m -- $< 2>/dev/null)" $< >$@.tmp && \
	  mv $@.tmp $@

$(COMP_GEN): $(DOC_SRC) scripts/gen-doc.awk scripts/exsweep.bash
	@mkdir -p $(@D)
	@$(if $(V),,echo "  GEN     $@")
	$(Q){ cat scripts/exsweep.bash && awk -f scripts/gen-doc.awk -v mode=completion $(DOC_SRC); } \
	  >$@.tmp && mv $@.tmp $@

# The tool's sources include the generated help and option tables.
$(CLI_OBJ): $(DOC_GEN)
$(CLI_OBJ): CPPFLAGS += -I$(BUILD)/gen

$(BUILD)/gen/prefilter_none.c: Makefile
	@mkdir -p $(@D)
	$(Q)printf '#include "engines/prefilter_db.h"\nconst xs_pf_blob xs_pf_blobs[] = {{0, NULL, 0}};\n' >$@

$(PFDB_TOOL): $(BUILD)/obj/tools/prefilter-db.o $(BASE_OBJ) $(PFDB_NONE)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(PFDB_GEN): $(PFDB_TOOL)
	@$(if $(V),,echo "  GEN     $@")
	$(Q)$(PFDB_TOOL) >$@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(EXE): $(CLI_OBJ) $(LIBA)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(LDLIBS)

# Test tools (fixture generator, eval runner): tests/tools/<name>.c -> build/<name>
$(BUILD)/%: $(BUILD)/obj/tests/tools/%.o $(SUP_OBJ) $(LIBA)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(SUP_OBJ) $(LIBA) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(SUP_OBJ) $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(SUP_OBJ) $(LIBA) $(LDLIBS) -lcmocka

# Fuzz targets replayed without libFuzzer: the target plus fuzz/replay_main.c.
$(BUILD)/replay/%: $(BUILD)/obj/fuzz/%.o $(BUILD)/obj/fuzz/replay/replay_main.o $(LIBA)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The fault-injection driver (tests/torture/torture.c, run by make check): the library's objects
# linked with the project's own allocations, reads and failing third-party calls wrapped, one
# wrapper each in tests/torture/fault_wrap.c (the names are read from there). torture-libs
# replaces malloc for the whole process instead, libraries included: not under ASan, which
# replaces it itself.
TORT_SED  := -e 's/^PAIR([^,]*, *\([A-Za-z0-9_]*\),.*/\1/p' \
             -e 's/^ARCHIVE_NOMEM(\([A-Za-z0-9_]*\),.*/\1/p'
TORT_WRAP := $(shell sed -n $(TORT_SED) tests/torture/fault_wrap.c)
TORT_OBJ  := $(BUILD)/obj/tests/torture/torture.o
TORT_BIN  := $(BUILD)/torture $(if $(filter 1,$(SAN)),,$(BUILD)/torture-libs)

$(BUILD)/torture: $(TORT_OBJ) $(BUILD)/obj/tests/torture/fault_wrap.o $(SUP_OBJ) $(LIB_OBJ)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(foreach f,$(TORT_WRAP),-Wl,--wrap=$(f)) -o $@ $^ $(LDLIBS)

$(BUILD)/torture-libs: $(TORT_OBJ) $(BUILD)/obj/tests/torture/fault_libs.o $(SUP_OBJ) $(LIB_OBJ)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

tests: $(EXE) $(TOOL_BIN) $(MAN_GEN) $(COMP_GEN) $(UNIT_BIN) $(FUZZ_RPL) $(TORT_BIN)

# One pass of the whole suite in $(BUILD); results appended to $(BUILD)/results.
check-run: tests
	@BUILD=$(BUILD) tests/run.sh

# The README's test command: the suite, then the suite again under ASan+UBSan.
# Both passes always run (a failing first pass must not hide the second); tests/summary.sh
# sets the exit status, and counts a pass that left no results (a build error) as a failure.
check:
	@scripts/install-deps.sh --ci
	@rm -f $(BUILD)/results $(BUILD)/asan/results
	-$(MAKE) --no-print-directory check-run BUILD=$(BUILD)
	-$(MAKE) --no-print-directory check-run BUILD=$(BUILD)/asan SAN=1 OPT="-O1 -g"
	@tests/summary.sh $(BUILD)/results $(BUILD)/asan/results

demo:
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BUILD)

# Every row of expected_verdicts.csv is evaluated and printed; the exit status looks at the
# groups whose evidence this version reads (EVAL_GATE).
EVALDATA ?= ../shared/evaldata
EVAL_GATE ?= logs config evtx json misc
eval: all
	$(BUILD)/exsweep-eval $(EVALDATA) $(EVAL_GATE)
	@echo "== the build table against the build tables of the evaluation data (Health Checker's)"
	@$(BUILD)/buildtab-eval $(EVALDATA)
	@echo "== parity with the yara tool on third-party rules, and the benign Exchange configs"
	@BUILD=$(BUILD) EVALDATA=$(abspath $(EVALDATA)) tests/e2e-files/run.sh /dev/null
	@echo "== the prefilter's promise: the same findings with every log line a candidate"
	@BUILD=$(BUILD) tests/e2e/prefilter-off.sh --eval $(EVALDATA)
	@echo "== ECS 9.4: docs/ecs-fields.txt and the JSON lines of the sweep against the schema"
	@echo "   (the JSON lines are not gated until the writer follows the list; ECS_GATE=1 gates them)"
	@BUILD=$(BUILD) tests/eval-ecs.sh $(EVALDATA)
	@echo "== STIX 2.1: the bundles of the planted tree and of the evaldata sweep against the OASIS schemas"
	@BUILD=$(BUILD) tests/eval-stix.sh $(EVALDATA)
	@$(MAKE) --no-print-directory eval-sigma EVALDATA=$(EVALDATA)

# The Sigma part of eval alone (make eval-sigma EVALDATA=../shared/evaldata): SigmaHQ's rules
# loaded (gated at 95%), then exsweep scan --sigma with the 48 Exchange rules of
# $(EVALDATA)/rules/sigma over every row of expected_verdicts.csv, judged by the Sigma
# findings alone. Not gated yet (EVAL_SIGMA_GATE names the groups to gate; "none" by default):
# docs/sigma.md says how far it is.
EVAL_SIGMA_GATE ?= none
eval-sigma: $(BUILD)/sigma-eval $(BUILD)/exsweep-eval
	@echo "== Sigma: SigmaHQ's rules (rules*) loaded, or skipped with a reason; at least 95% loaded"
	$(BUILD)/sigma-eval $(EVALDATA)/sigmahq
	@echo "== Sigma: exsweep scan --sigma $(EVALDATA)/rules/sigma, rows judged by the Sigma findings alone"
	$(BUILD)/exsweep-eval --list --sigma $(EVALDATA)/rules/sigma $(EVALDATA) $(EVAL_SIGMA_GATE)

FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
fuzz: $(FUZZ_BIN)
$(BUILD)/fuzz/%: fuzz/%.c fuzz/sweep_one.h fuzz/probe_one.h $(LIB_SRC) $(RULE_GEN) $(HTML_GEN) $(PFDB_GEN)
	@mkdir -p $(@D)
	@$(if $(V),,echo "  FUZZ    $@")
	$(Q)clang -std=c17 -g -O1 $(WARN) -D_GNU_SOURCE -Iinclude -Ilib $(PKG_CFLAGS) $(COMPAT) \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(LIB_SRC) $(RULE_GEN) $(HTML_GEN) $(PFDB_GEN) $(LDLIBS)

bench: all
	bench/run.sh

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install

install: $(EXE) $(MAN_GEN) $(COMP_GEN)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 0755 $(EXE) $(DESTDIR)$(BINDIR)/exsweep
	$(INSTALL) -m 0644 $(MAN_GEN) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -d $(DESTDIR)$(COMPDIR)
	$(INSTALL) -m 0644 $(COMP_GEN) $(DESTDIR)$(COMPDIR)/exsweep

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/exsweep $(DESTDIR)$(COMPDIR)/exsweep \
	  $(DOC_SRC:docs/man/%.txt=$(DESTDIR)$(MANDIR)/man1/%.1)

deps:
	scripts/install-deps.sh

lint:
	scripts/lint.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
