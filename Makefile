# sgdplot - see README.md.  `make figures` and `make check` are the two
# commands; the other targets are listed under .PHONY.

CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
WARNINGS = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -pthread
# CI builds with -Werror; so can you: make WERROR=-Werror
WERROR ?=
PKGS = libpng zlib inih
PREFIX ?= /usr/local

# Recursively expanded, so pkg-config runs after scripts/deps.sh has.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
TEST_CFLAGS = $(shell pkg-config --cflags criterion)
TEST_LIBS = $(shell pkg-config --libs criterion)

# The sources, listed once.  Everything but main.c goes into the library
# that the program, the tests and the fuzzer link.
LIB_SRCS = src/error.c src/numfmt.c src/batch.c src/descent.c src/plot.c \
	src/gnuplot.c src/png_check.c src/fsutil.c src/summary.c src/cache.c \
	src/figure.c src/workers.c src/sweep.c src/overview.c \
	src/vector.c src/textbuf.c
TESTS = test_batch test_descent test_plot test_png_check test_fsutil \
	test_e2e test_faults test_cache test_charts test_cli

# Where objects go: build/ for the normal build; `make sanitize` reuses
# these rules with BUILD=build/sanitize and sanitizer flags.
BUILD = build
PROG = sgdplot
LIB = $(BUILD)/libsgdplot.a
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
TEST_BINS = $(TESTS:%=$(BUILD)/%)
DEPS_OK = build/.deps-ok

SANITIZE_FLAGS = -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60

.PHONY: all deps figures check unit sanitize sanitize-build fuzz bench \
	install uninstall clean lint

all: $(PROG) build/sgdplot-fastpng.so

# Installs missing Debian packages (or says which, when not root).
# The stamp keeps later builds from asking again.
deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@mkdir -p build
	scripts/deps.sh
	@touch $@
# The tests' tools too (Criterion, valgrind, clang, xmllint, pdfinfo...).
CHECK_DEPS_OK = build/.check-deps-ok
$(CHECK_DEPS_OK): scripts/deps.sh | $(DEPS_OK)
	scripts/deps.sh check
	@touch $@

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(DEPS_OK)
	@mkdir -p $(BUILD)
	$(CC) $(WARNINGS) $(WERROR) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS)

# Loaded into gnuplot, not linked into sgdplot (see src/fastpng.c).
build/sgdplot-fastpng.so: src/fastpng.c | $(DEPS_OK)
	$(CC) $(WARNINGS) $(WERROR) -O2 -g -fPIC -shared $(PKG_CFLAGS) \
		-o $@ $< $(shell pkg-config --libs libpng) -ldl

$(PROG): $(BUILD)/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -pthread -o $@ $(BUILD)/main.o $(LIB) \
		$(PKG_LIBS) -lm

$(BUILD)/test_%: tests/test_%.c tests/helpers.h $(LIB) | $(CHECK_DEPS_OK)
	$(CC) $(WARNINGS) $(WERROR) $(CFLAGS) -Isrc $(PKG_CFLAGS) \
		$(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(TEST_LIBS) \
		$(PKG_LIBS) -lm

figures: $(PROG) build/sgdplot-fastpng.so
	./$(PROG) -q -o figures figures/article.ini

lint:
	@scripts/lint.sh

# Unit and end-to-end tests of this build.
unit: $(PROG) build/sgdplot-fastpng.so $(TEST_BINS)
	@scripts/run-tests.sh $(TEST_BINS)

# The same tests, built and run under AddressSanitizer and
# UndefinedBehaviorSanitizer (scripts/run-tests.sh points the tests of
# build/sanitize/ at build/sanitize/sgdplot).
SANITIZE_MAKE = $(MAKE) --no-print-directory BUILD=build/sanitize \
	PROG=build/sanitize/sgdplot CFLAGS="$(SANITIZE_FLAGS)" \
	LDFLAGS="-fsanitize=address,undefined"
sanitize-build:
	@$(SANITIZE_MAKE) build/sanitize/sgdplot $(TESTS:%=build/sanitize/%)
sanitize: sanitize-build
	@scripts/run-tests.sh $(TESTS:%=build/sanitize/%)

# Everything, closing with one "N passed, N failed" line.
check: lint $(PROG) build/sgdplot-fastpng.so $(TEST_BINS) sanitize-build
	@scripts/run-tests.sh $(TEST_BINS) $(TESTS:%=build/sanitize/%)

# libFuzzer on the batch parser: FUZZ_SECONDS (default 60) of new inputs,
# starting from the seeds in tests/fuzz-corpus/.  A crasher is written to
# build/fuzz/; keep it in tests/fuzz-corpus/ once fixed.
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
build/fuzz/fuzz_batch: tests/fuzz_batch.c $(LIB_SRCS) $(wildcard src/*.h) \
		| $(CHECK_DEPS_OK)
	@$(MAKE) --no-print-directory CC=clang BUILD=build/fuzz \
		CFLAGS="$(FUZZ_FLAGS)" build/fuzz/libsgdplot.a
	clang $(WARNINGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc \
		$(PKG_CFLAGS) -o $@ $< build/fuzz/libsgdplot.a $(PKG_LIBS) -lm
fuzz: build/fuzz/fuzz_batch
	@mkdir -p build/fuzz/corpus
	build/fuzz/fuzz_batch -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix=build/fuzz/ \
		-print_final_stats=1 build/fuzz/corpus tests/fuzz-corpus

# Installs the program, the library it loads into gnuplot, and the
# manual.  DESTDIR is for staging (packages); PREFIX where it will live.
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib/sgdplot
MANDIR = $(PREFIX)/share/man/man1
install: $(PROG) build/sgdplot-fastpng.so
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/sgdplot
	install -m 644 build/sgdplot-fastpng.so $(DESTDIR)$(LIBDIR)/
	install -m 644 sgdplot.1 $(DESTDIR)$(MANDIR)/sgdplot.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sgdplot $(DESTDIR)$(MANDIR)/sgdplot.1 \
		$(DESTDIR)$(LIBDIR)/sgdplot-fastpng.so
	-rmdir $(DESTDIR)$(LIBDIR) 2>/dev/null

clean:
	rm -rf build $(PROG)
