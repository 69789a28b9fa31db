# ragtrack: hand-written GNU Makefile.  `make help` lists the targets.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
DESTDIR ?=

CC      ?= cc
PKGS    := ncursesw sqlite3
DEBS    := libncurses-dev libsqlite3-dev libcsv-dev pkg-config
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CPPFLAGS += -Iinclude -Ibuild -D_GNU_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS  += $(PKG_LIBS) -lcsv -lm -pthread

ifeq ($(V),1)
Q :=
else
Q := @
endif

# CORE: everything below the command line (what unit tests link); CLI: commands and main.
CLI_SRC  := src/main.c src/cli.c $(wildcard src/cmd_*.c)
CORE_SRC := $(filter-out $(CLI_SRC),$(wildcard src/*.c))
TUI_SRC  := $(wildcard src/tui/*.c)
ALL_SRC  := $(CORE_SRC) $(TUI_SRC) $(CLI_SRC)
OBJ      := $(ALL_SRC:%.c=build/%.o)
CORE_OBJ := $(CORE_SRC:%.c=build/%.o)
GEN      := build/schema_sql.h

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all run test test-deps bench fuzz man install uninstall clean deps help

all: ragtrack

help:
	@echo "make          build ./ragtrack"
	@echo "make run      build, create ragtrack.db from data/ if missing, open the program"
	@echo "make test     build and run every test (unit, CLI, screen, sanitizers)"
	@echo "make bench    performance against sqlite3 and VisiData (N=1000000 by default)"
	@echo "make fuzz     fuzz the importer (FUZZ_SECONDS=60)"
	@echo "make man      regenerate docs/ragtrack.1 (its KEYS section comes from the key table)"
	@echo "make install  install to \$$(DESTDIR)\$$(PREFIX) (PREFIX=$(PREFIX))"

# Missing build dependencies: install them when root, else stop with the command to run.
deps: build/.deps-ok
build/.deps-ok:
	$(Q)mkdir -p build
	$(Q)if pkg-config --exists $(PKGS) 2>/dev/null && [ -f /usr/include/csv.h ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing build dependencies: $(DEBS)"; \
	  (apt-get install -y -q $(DEBS) || (apt-get update -q && apt-get install -y -q $(DEBS))) >build/deps.log 2>&1 \
	    || { cat build/deps.log; echo "ragtrack: could not install dependencies; run: apt-get install $(DEBS)"; exit 1; }; \
	else echo "ragtrack: missing build dependencies; run: sudo apt-get install $(DEBS)"; exit 1; fi
	$(Q)touch $@

ragtrack: build/.deps-ok $(GEN) $(OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LDLIBS)

build/%.o: %.c build/.deps-ok $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(WARN) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# schema.sql is the single source of the schema: compiled in as a string.
build/schema_sql.h: schema.sql
	@mkdir -p build
	$(Q){ echo "static const char SCHEMA_SQL[] ="; sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ";"; } > $@


-include $(OBJ:.o=.d)

# The plans in data/ with no Review column of their own get their review's name here;
# every other data/*.csv is imported too (see data/README.md).
NAMED_PLANS := data/megan.csv data/julia.csv data/family-y.csv
IMPORT_DATA := --review Megan data/megan.csv --review Julia data/julia.csv \
	--review "Children of Family Y" data/family-y.csv --review "" \
	$(filter-out $(NAMED_PLANS),$(sort $(wildcard data/*.csv)))

# The database tests start from (each test copies it).
build/data.db: ragtrack $(wildcard data/*.csv)
	$(Q)rm -f $@ $@-wal $@-shm
	$(Q)RAGTRACK_NOW=2016-06-30T12:00:00Z ./ragtrack --db $@ import $(IMPORT_DATA) > build/data-import.log

run: ragtrack
	$(Q)if [ ! -f ragtrack.db ]; then rm -f ragtrack.db.tmp; ./ragtrack --db ragtrack.db.tmp import $(IMPORT_DATA) \
	  && mv ragtrack.db.tmp ragtrack.db; fi
	./ragtrack --db ragtrack.db

# ---- tests -------------------------------------------------------------
# Tools the tests drive (a test whose tool is missing says SKIP): installed when root.
TEST_TOOLS := tmux:tmux sqlite3:sqlite3 valgrind:valgrind xmllint:libxml2-utils python3:python3 setpriv:util-linux
test-deps: build/.test-deps-ok
build/.test-deps-ok:
	$(Q)mkdir -p build
	$(Q)missing=""; for t in $(TEST_TOOLS); do command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing test tools:$$missing"; \
	  (apt-get install -y -q $$missing || (apt-get update -q && apt-get install -y -q $$missing)) >build/test-deps.log 2>&1 \
	    || echo "ragtrack: could not install$$missing; the tests that need them will say SKIP"; \
	else echo "ragtrack: tests that need$$missing will say SKIP; to run them: sudo apt-get install$$missing"; fi
	$(Q)touch $@

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
ASAN_DIR := build/asan
ASAN_CORE_OBJ := $(CORE_SRC:%.c=$(ASAN_DIR)/%.o)
ASAN_OBJ := $(ALL_SRC:%.c=$(ASAN_DIR)/%.o)
ASAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(ASAN_DIR)/tests/%)

build/tests/%: tests/unit/%.c tests/unit/check.h $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(WARN) -Werror $(CPPFLAGS) -Itests/unit $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(CORE_OBJ) $(LDLIBS)

$(ASAN_DIR)/%.o: %.c build/.deps-ok $(GEN)
	@mkdir -p $(dir $@)
	@echo "  CC/ASAN $<"
	$(Q)$(CC) $(WARN) -Werror $(CPPFLAGS) $(PKG_CFLAGS) $(ASAN_FLAGS) -MMD -MP -c -o $@ $<

$(ASAN_DIR)/ragtrack: $(ASAN_OBJ)
	$(Q)$(CC) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

$(ASAN_DIR)/tests/%: tests/unit/%.c tests/unit/check.h $(ASAN_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(WARN) -Werror $(CPPFLAGS) -Itests/unit $(PKG_CFLAGS) $(ASAN_FLAGS) -o $@ $< $(ASAN_CORE_OBJ) $(LDLIBS)

-include $(ASAN_OBJ:.o=.d)

# test_fuzz_regressions compiles the fuzz harnesses in: rebuild it when they change
build/tests/test_fuzz_regressions $(ASAN_DIR)/tests/test_fuzz_regressions: $(wildcard tests/fuzz/*.c)

test: build/.test-deps-ok ragtrack build/data.db $(UNIT_BIN) $(ASAN_DIR)/ragtrack $(ASAN_UNIT_BIN)
	$(Q)tests/run.sh

# ---- bench, fuzz, install ------------------------------------------------
N ?= 1000000
bench: ragtrack
	$(Q)bench/run.sh $(N)

FUZZ_SECONDS ?= 60
fuzz: build/.deps-ok $(GEN)
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS)

# The man page: docs/ragtrack.1.in with the KEYS section the browser's key table
# generates; tests/cli/manpage.sh fails when the committed page is out of date.
man: ragtrack
	$(Q)./ragtrack tui --keys-man > build/keys.man
	$(Q)sed -e '/^@KEYS@$$/{r build/keys.man' -e 'd}' docs/ragtrack.1.in > docs/ragtrack.1

install: ragtrack
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 ragtrack $(DESTDIR)$(BINDIR)/ragtrack
	install -m 644 docs/ragtrack.1 $(DESTDIR)$(MANDIR)/ragtrack.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ragtrack $(DESTDIR)$(MANDIR)/ragtrack.1

clean:
	rm -rf build ragtrack
