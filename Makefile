# sgdplot - see README.md.  `make figures` and `make check` are the two
# commands; the rest is listed under .PHONY.

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS = -std=c11 -Wall -Wextra -Wpedantic -Wshadow
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
# that both the program and the tests link.
LIB_SRCS = src/error.c src/numfmt.c src/batch.c src/descent.c src/plot.c \
	src/gnuplot.c src/png_check.c src/fsutil.c src/summary.c
TESTS = tests/test_batch tests/test_descent tests/test_plot \
	tests/test_png_check tests/test_fsutil tests/test_e2e

BUILD = build
LIB = $(BUILD)/libsgdplot.a
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
TEST_BINS = $(TESTS:tests/%=$(BUILD)/%)

.PHONY: all deps figures check unit e2e sanitize fuzz bench install \
	uninstall clean lint

all: sgdplot

# Installs missing Debian packages (or says which, when not root).
# The stamp keeps later builds from asking again.
deps: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok: scripts/deps.sh
	@mkdir -p $(BUILD)
	scripts/deps.sh
	@touch $@

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/.deps-ok
	$(CC) $(WARNINGS) $(WERROR) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS)

sgdplot: $(BUILD)/main.o $(LIB)
	$(CC) $(CFLAGS) -o $@ $(BUILD)/main.o $(LIB) $(PKG_LIBS) -lm

$(BUILD)/test_%: tests/test_%.c tests/helpers.h $(LIB) | $(BUILD)/.deps-ok
	$(CC) $(WARNINGS) $(WERROR) $(CFLAGS) -Isrc $(PKG_CFLAGS) \
		$(TEST_CFLAGS) -o $@ $< $(LIB) $(TEST_LIBS) $(PKG_LIBS) -lm

figures: sgdplot
	./sgdplot -q -o figures figures/article.ini

lint:
	@scripts/lint.sh

check: sgdplot $(TEST_BINS) lint
	@scripts/run-tests.sh $(TEST_BINS)

clean:
	rm -rf $(BUILD) sgdplot
