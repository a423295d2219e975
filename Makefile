# assay -- Makefile.  GNU make.
#
#   make            build ./assay
#   make test       install missing Debian packages, build, run every test
#   make check      the whole suite under ASan + UBSan (build-san/)
#   make demo       install, build, run the gate on examples/churn
#   make bench      benchmarks (1 GB generated file; see bench/README.md)
#   make install    PREFIX=/usr/local DESTDIR=
#
# User CFLAGS are respected; warnings are always added (WERROR=1 makes
# them errors).  Each third-party library is wrapped by exactly one file:
# see DESIGN.md in the README.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
B       ?= build

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wformat=2 -Wno-unused-parameter -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
override CFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                   -pthread $(WARN) -Isrc -I.
ifneq ($(SANITIZE),)
override CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
                   -fno-sanitize-recover=all
override LDFLAGS += -fsanitize=$(SANITIZE)
endif

PKGS = jansson libpcre2-8 yaml-0.1 gsl sqlite3 libcrypto zlib libxxhash
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || \
    echo -ljansson -lpcre2-8 -lyaml -lgsl -lgslcblas -lm -lsqlite3 -lcrypto -lz -lxxhash)
LIBS = -lcsv $(PKG_LIBS) -lm -pthread

# The command front ends (main.c, cmd_*.c) go only into the binary; the
# library objects are what the unit tests link against.
CMD_SRC  := src/main.c $(wildcard src/cmd_*.c)
LIB_SRC  := $(filter-out $(CMD_SRC),$(wildcard src/*.c rules/*.c lineage/*.c reports/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
MAIN_OBJ := $(CMD_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
GEN      := $(B)/gen/schema_sql.h

.PHONY: all test check demo bench install uninstall clean deps unit cli fuzz lint
all: assay

assay: $(B)/assay
	@cp $(B)/assay assay

$(B)/assay: $(MAIN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/%.o: %.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CPPFLAGS) -I$(B)/gen -MMD -MP -c -o $@ $<

# lineage/schema.sql is compiled into the binary as a C string.
$(GEN): lineage/schema.sql scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh schema_sql < lineage/schema.sql > $@

$(B)/tests/unit/%: tests/unit/%.c $(LIB_OBJ) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CPPFLAGS) -I$(B)/gen -Itests/unit -o $@ $< $(LIB_OBJ) $(LIBS) -lcmocka

deps:
	@sh scripts/deps.sh

unit: $(UNIT_BIN)
	@sh scripts/run-unit.sh $(UNIT_BIN)

cli: assay
	@ASSAY=$(CURDIR)/$(B)/assay prove -f tests/cli/

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory cli

# Sanitizers: a separate build tree so normal objects are not mixed in.
check: deps
	@$(MAKE) --no-print-directory B=build-san SANITIZE=address,undefined \
	    CFLAGS="-O1 -g" unit
	@$(MAKE) --no-print-directory B=build-san SANITIZE=address,undefined \
	    CFLAGS="-O1 -g" build-san/assay
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ASSAY=$(CURDIR)/build-san/assay prove -f tests/cli/

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh ./assay

bench: all
	@sh bench/run.sh

fuzz: all
	@sh tests/fuzz/run-all.sh $(FUZZ_RUNS)

lint:
	@! grep -nE '\b(atoi|sprintf|strcpy|gets|strcat)\(' src/*.c rules/*.c \
	    lineage/*.c reports/*.c || { echo 'banned function'; exit 1; }

install: all
	install -Dm755 assay $(DESTDIR)$(BINDIR)/assay
	install -Dm644 doc/assay.1 $(DESTDIR)$(MANDIR)/man1/assay.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/assay $(DESTDIR)$(MANDIR)/man1/assay.1

clean:
	rm -rf build build-san assay

-include $(shell find $(B) -name '*.d' 2>/dev/null)
