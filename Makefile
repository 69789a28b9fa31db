# ragtrack: hand-written GNU Makefile.  `make help` lists the targets.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
DESTDIR ?=

CC      ?= cc
# libpq: the PostgreSQL client library (--db postgresql://...; src/store_pg*.c)
PKGS    := ncursesw sqlite3 libpq
DEBS    := libncurses-dev libsqlite3-dev libcsv-dev libpq-dev pkg-config
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
GEN      := build/schema_sql.h build/schema_pg_sql.h

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all run test test-deps bench fuzz man install uninstall clean deps help

all: ragtrack

help:
	@echo "make          build ./ragtrack"
	@echo "make run      build, create ragtrack.db from data/ if missing, open the program"
	@echo "make test     build and run every test (unit, CLI on SQLite and PostgreSQL, screen, sanitizers)"
	@echo "make bench    performance against sqlite3 and VisiData (N=1000000 by default)"
	@echo "make fuzz     fuzz the importer (FUZZ_SECONDS=60)"
	@echo "make man      regenerate docs/ragtrack.1 (its KEYS section comes from the key table)"
	@echo "make install  install to \$$(DESTDIR)\$$(PREFIX) (PREFIX=$(PREFIX))"

# Missing packages: `make deps`, `make run` and `make test` install them when root (with
# apt-get); plain `make` only says what is missing.  Else each stops with the command to run.
deps run test test-deps: INSTALL := yes
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0
# how a stop message says to install: with sudo only where there is one
RUN_APT := $(if $(filter 0,$(shell id -u)),run: ,$(if $(shell command -v sudo 2>/dev/null),run: sudo ,run as root: ))apt-get install
# $(call apt_install,PACKAGES,LOG): install, with an update of the package lists first if
# the lists are too old to find them; the output goes to LOG.
apt_install = { $(APT_GET) install --no-install-recommends $(1) || { $(APT_GET) update && \
	$(APT_GET) install --no-install-recommends $(1); }; } </dev/null >$(2) 2>&1
# $(call can_install): true when this make may install packages (root, apt-get, INSTALL)
can_install = [ -n "$(INSTALL)" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null
DEPS_OK := pkg-config --exists $(PKGS) 2>/dev/null && [ -f /usr/include/csv.h ]

deps: build/.deps-ok
build/.deps-ok:
	$(Q)mkdir -p build
	$(Q)if $(DEPS_OK); then :; \
	elif $(can_install); then \
	  echo "installing build dependencies: $(DEBS)"; \
	  $(call apt_install,$(DEBS),build/deps.log) && $(DEPS_OK) \
	    || { tail -n 20 build/deps.log; echo "ragtrack: could not install the build dependencies (build/deps.log); $(RUN_APT) $(DEBS)"; exit 1; }; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "ragtrack: missing build dependencies; run: make deps (or: apt-get install $(DEBS))"; exit 1; \
	else echo "ragtrack: missing build dependencies; $(RUN_APT) $(DEBS)"; exit 1; fi
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

# schema_pg.sql: the same tables on PostgreSQL (db init), compiled in the same way; and
# each of its "-- @revision N" sections, in order, as SCHEMA_PG_REVISIONS[N].
build/schema_pg_sql.h: schema_pg.sql
	@mkdir -p build
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' $< | awk ' \
		/^-- @revision [0-9]+/ { if ($$3 + 0 != ++n) { print "schema_pg.sql: revision " $$3 " out of order" > "/dev/stderr"; bad = 1; exit 1 } } \
		{ line = "\"" $$0 "\\n\""; all = all line "\n"; if (n) rev[n] = rev[n] line "\n" } \
		END { if (bad) exit 1; printf "static const char SCHEMA_PG_SQL[] =\n%s;\n", all; \
		      printf "static const char *const SCHEMA_PG_REVISIONS[] = {\n\tNULL,\n"; \
		      for (i = 1; i <= n; i++) printf "%s,\n", rev[i]; print "};" }' > $@.tmp
	$(Q)mv $@.tmp $@


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

# The first run imports data/ into ragtrack.db; the import's warnings (one per kind of
# guess) go to RUN_LOG and only its summary line shows, naming the log.
RUN_DB  ?= ragtrack.db
RUN_LOG ?= $(RUN_DB:.db=)-import.log
run: ragtrack
	$(Q)if [ ! -f $(RUN_DB) ]; then rm -f $(RUN_DB).tmp; \
	  if ./ragtrack --db $(RUN_DB).tmp import $(IMPORT_DATA) >$(RUN_LOG); then \
	    mv $(RUN_DB).tmp $(RUN_DB); echo "$(RUN_DB): $$(tail -n 1 $(RUN_LOG)) (listed in $(RUN_LOG))"; \
	  else echo "ragtrack: the import of data/ failed; its output is in $(RUN_LOG)"; exit 1; fi; fi
	$(Q)./ragtrack --db $(RUN_DB)

# ---- tests -------------------------------------------------------------
# Tools the tests drive (tests/tools.txt: command and Debian package), installed when
# root, each package named once however many of its commands are missing; a test whose
# tool is missing says SKIP.  The stamp is written only once every
# tool is there, so a run that could not install them says so again next time.
# A line's third column, when there is one, is a folder (a glob) where the command lives
# when it is not on PATH (PostgreSQL's initdb and pg_ctl on Debian).
TEST_TOOLS := $(shell sed -e 's/\#.*//' -e '/^[[:space:]]*$$/d' -e 's/[[:space:]]*$$//' -e 's/[[:space:]][[:space:]]*/:/g' tests/tools.txt)
TOOLS_MISSING = missing=""; for t in $(TEST_TOOLS); do cmd=$${t%%:*}; pkg=$${t\#*:}; dir=$${pkg\#*:}; pkg=$${pkg%%:*}; \
	command -v $$cmd >/dev/null 2>&1 || { [ "$$dir" != "$$pkg" ] && ls $$dir/$$cmd >/dev/null 2>&1; } || \
	case " $$missing " in *" $$pkg "*) ;; *) missing="$$missing $$pkg" ;; esac; done
test-deps: build/.test-deps-ok
build/.test-deps-ok: tests/tools.txt
	$(Q)mkdir -p build
	$(Q)$(TOOLS_MISSING); \
	if [ -n "$$missing" ] && $(can_install); then \
	  echo "installing test tools:$$missing"; \
	  $(call apt_install,$$missing,build/test-deps.log) || { tail -n 20 build/test-deps.log; echo "ragtrack: apt-get failed (build/test-deps.log)"; }; \
	  $(TOOLS_MISSING); \
	fi; \
	if [ -z "$$missing" ]; then touch $@; \
	else echo "ragtrack: tests that need$$missing will say SKIP; to run them, $(RUN_APT)$$missing"; fi

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

# What the header classifier makes of each column (bench/cells_kept.py uses it).
build/colkinds: bench/colkinds.c $(CORE_OBJ)
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(WARN) $(CFLAGS) -o $@ $^ $(LDLIBS)

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
