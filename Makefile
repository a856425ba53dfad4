# followup - see README.md. `make demo` and `make test` work on a fresh
# Debian/Ubuntu machine: both install what is missing first (make deps).

SHELL = /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
# The systemd user units (followup.service, followup.timer): under $HOME in
# the folder for units of packages installed in the home directory
# ($XDG_DATA_HOME/systemd/user), else in $(PREFIX)/lib/systemd/user. Both
# are on the user manager's search path (for PREFIX /usr and /usr/local).
ifneq ($(and $(HOME),$(filter $(HOME) $(HOME)/%,$(PREFIX))),)
USERUNITDIR ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/systemd/user
else
USERUNITDIR ?= $(PREFIX)/lib/systemd/user
endif
CC ?= cc
PKG_CONFIG ?= pkg-config
PYTHON ?= /usr/bin/python3

# Debian packages: to build, and to run the tests against real peers.
BUILD_PKGS = gcc make pkg-config libyaml-dev libmd4c-dev libjansson-dev \
	libsqlite3-dev libical-dev libcurl4-openssl-dev libpcre2-dev
# nodejs and npm fetch ical.js (a test parser of the feed) from npm; a
# node of another origin (NodeSource) counts when `node` and `npm` run.
TEST_PKGS = python3 cmark valgrind clang libmd4c-html0-dev strace \
	python3-icalendar khal radicale apache2-utils python3-bcrypt rclone \
	openssl apprise python3-aiosmtpd systemd time \
	nodejs npm
PKGS = yaml-0.1 md4c jansson sqlite3 libical libcurl libpcre2-8
# What followup-net.so needs besides the binary (cmd/module.h).
NET_PKGS = jansson libical libcurl sqlite3
CORE_PKGS = yaml-0.1 md4c jansson sqlite3 libpcre2-8

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CORE_LIBS = $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null)
NET_LIBS = $(shell $(PKG_CONFIG) --libs $(NET_PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
	-MMD -MP
LDLIBS = $(PKG_LIBS) -lm -pthread

BUILD ?= build
# The folders are the build's boundary (docs/design.md, "Layers"): the
# binary is core/, config/ and cmd/; what links libcurl or libical is in
# net/, feed/ and notifiers/, which make followup-net.so, loaded only by
# the commands that need it (cmd/module.h). The binary exports the
# engine's symbols to the module, whose objects are compiled apart, as
# position-independent code.
MAIN_SRC = $(wildcard core/*.c config/*.c cmd/*.c)
NET_SRC = $(wildcard net/*.c feed/*.c notifiers/*.c)
# The unit tests and the fuzzers link everything but the commands.
LIB_SRC = $(wildcard core/*.c config/*.c) $(NET_SRC)
UNIT_SRC = $(wildcard tests/unit/test-*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ = $(MAIN_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/test-%.c=$(BUILD)/tests/unit-%)
TOOL_BIN = $(BUILD)/tests/tasklines $(BUILD)/tests/md2html
NET_OBJ = $(NET_SRC:%.c=$(BUILD)/pic/%.o)
MODULE = $(BUILD)/followup-net.so
# The binary loads only a module built from the same headers: their hash
# marks both (cmd/module.c, net/abi.c), so a module left from another
# build is refused instead of sharing structs laid out otherwise.
ABI_HEADERS = $(sort $(wildcard core/*.h cmd/*.h config/*.h net/*.h feed/*.h \
	notifiers/*.h))
ABI_OBJ = $(BUILD)/cmd/module.o $(BUILD)/net/abi.o $(BUILD)/pic/net/abi.o
ABI = $(shell cat $(ABI_HEADERS) | sha256sum | cut -c1-16)
# cmd/module.c looks for it in ../lib/followup from the binary's folder.
MODULEDIR = $(PREFIX)/lib/followup

SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

.PHONY: all deps demo test check-suite install uninstall fuzz lint clean bench
# Keep the unit tests' objects: make would remove them after the link, and
# print that after the suite's closing "N passed, N failed" line.
.SECONDARY:

all: $(BUILD)/followup $(MODULE)

$(ABI_OBJ): ALL_CFLAGS += -DFOLLOWUP_ABI='"$(ABI)"'
$(ABI_OBJ): $(ABI_HEADERS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libfollowup.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

$(BUILD)/followup: $(MAIN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -rdynamic -o $@ $^ $(CORE_LIBS) -lm -pthread

$(MODULE): $(NET_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -o $@ $^ $(NET_LIBS) -lm

$(BUILD)/tests/unit-%: $(BUILD)/tests/unit/test-%.o $(BUILD)/libfollowup.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/tasklines: $(BUILD)/tests/unit/tasklines.o \
		$(BUILD)/libfollowup.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/md2html: $(BUILD)/tests/unit/md2html.o $(BUILD)/libfollowup.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lmd4c-html

# Install what is missing, and nothing when all is there.
deps:
	@missing=""; for p in $(BUILD_PKGS) $(if $(filter deps-test,$(MAKECMDGOALS))$(DEPS_TEST),$(TEST_PKGS)); do \
		case $$p in nodejs) command -v node >/dev/null && continue;; \
		npm) command -v npm >/dev/null && continue;; esac; \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@echo '$$ followup status --vault examples/vault --config examples/config.yml --today 2026-01-10'
	@$(BUILD)/followup status --vault examples/vault \
		--config examples/config.yml --today 2026-01-10 2>&1; \
	status=$$?; [ $$status -eq 0 ] || [ $$status -eq 65 ] || exit $$status; \
	echo "(exit $$status: the example vault holds a few broken notes on purpose, reported above)"
	@rm -rf $(BUILD)/demo; mkdir -p $(BUILD)/demo/runtime
	@echo; echo '$$ followup run --vault examples/vault --config examples/config.yml --today 2026-01-10 \'
	@echo '      (what the timer calls; its files under $(BUILD)/demo, the broken notes, shown above, left out)'
	@env HOME=$(CURDIR)/$(BUILD)/demo XDG_CONFIG_HOME=$(CURDIR)/$(BUILD)/demo/config \
		XDG_STATE_HOME=$(CURDIR)/$(BUILD)/demo/state XDG_DATA_HOME=$(CURDIR)/$(BUILD)/demo/data \
		XDG_RUNTIME_DIR=$(CURDIR)/$(BUILD)/demo/runtime \
		$(BUILD)/followup run --vault examples/vault --config examples/config.yml \
		--today 2026-01-10 2>&1 | grep -v -e '^  hint:' -e ': error:' -e ': warning:'; \
	status=$${PIPESTATUS[0]}; [ $$status -eq 0 ] || [ $$status -eq 65 ] || exit $$status; \
	echo "(the feed: $(BUILD)/demo/data/followup/followup.ics)"

check-suite: $(BUILD)/followup $(MODULE) $(UNIT_BIN) $(TOOL_BIN)
	$(TEST_ENV) $(PYTHON) tests/run.py $(BUILD)

test:
	@$(MAKE) --no-print-directory deps DEPS_TEST=1
	@$(MAKE) --no-print-directory check-suite
	@$(MAKE) --no-print-directory check-suite BUILD=build-san \
		CC=clang CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
		TEST_ENV="FOLLOWUP_SANITIZED=1 UBSAN_OPTIONS=print_stacktrace=1"

install: $(BUILD)/followup $(MODULE)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MODULEDIR) \
		$(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 \
		$(DESTDIR)$(PREFIX)/share/doc/followup
	install -m 755 $(BUILD)/followup $(DESTDIR)$(PREFIX)/bin/followup
	install -m 644 $(MODULE) $(DESTDIR)$(MODULEDIR)/
	install -m 644 docs/followup.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/followup.yml.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 config/followup.example.yml docs/rules.md \
		$(DESTDIR)$(PREFIX)/share/doc/followup/
	install -d $(DESTDIR)$(USERUNITDIR)
	sed 's|@BINDIR@|$(subst %,%%,$(BINDIR))|g' systemd/followup.service.in \
		> $(DESTDIR)$(USERUNITDIR)/followup.service
	chmod 644 $(DESTDIR)$(USERUNITDIR)/followup.service
	install -m 644 systemd/followup.timer $(DESTDIR)$(USERUNITDIR)/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/followup \
		$(DESTDIR)$(PREFIX)/share/man/man1/followup.1 \
		$(DESTDIR)$(PREFIX)/share/man/man5/followup.yml.5 \
		$(DESTDIR)$(USERUNITDIR)/followup.service \
		$(DESTDIR)$(USERUNITDIR)/followup.timer
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/followup $(DESTDIR)$(MODULEDIR)

# libFuzzer harnesses; FUZZ_SECONDS each (see tests/fuzz/README.md).
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_LIB_SRC = $(LIB_SRC)
# One a line: tests/fuzz/fuzz-NAME.c, seeded by tests/fuzz/seeds-NAME.
FUZZERS = note config dav url fmedit notecodec \
	taskline \
	datephrase \
	obsidian \
	query \
	linkpath \
	collate
fuzz:
	@$(MAKE) --no-print-directory deps DEPS_TEST=1
	@mkdir -p build-fuzz
	for h in $(FUZZERS); do \
		clang -std=c11 -D_GNU_SOURCE $(FUZZ_FLAGS) $(PKG_CFLAGS) \
			-DFOLLOWUP_ABI='"$(ABI)"' \
			-o build-fuzz/fuzz-$$h tests/fuzz/fuzz-$$h.c \
			$(FUZZ_LIB_SRC) $(LDLIBS) || exit 1; \
	done
	for h in $(FUZZERS); do \
		mkdir -p build-fuzz/corpus-$$h; \
		build-fuzz/fuzz-$$h -max_total_time=$(FUZZ_SECONDS) \
			-max_len=65536 -timeout=10 build-fuzz/corpus-$$h \
			$$(cat tests/fuzz/seeds-$$h) || exit 1; \
	done

BENCH_PKGS = hyperfine ripgrep time python3-yaml python3-icalendar
bench: all
	@$(MAKE) --no-print-directory deps BUILD_PKGS="$(BUILD_PKGS) $(BENCH_PKGS)"
	bench/run.sh $(BENCH_SIZES)

lint:
	clang-format --dry-run --Werror $(MAIN_SRC) $(NET_SRC) $(wildcard */*.h)

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(NET_OBJ:.o=.d) $(wildcard $(BUILD)/tests/unit/*.d)

# Compares followup with Obsidian Tasks' own code (needs its source and npm; not part of `make test`).
differential: $(BUILD)/followup
	sh tests/differential/setup.sh
	/usr/bin/python3 tests/differential/run.py --summary
.PHONY: differential
