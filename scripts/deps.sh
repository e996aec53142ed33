#!/bin/sh
# Installs the Debian packages sgdplot needs, if any are missing.
# Run as root it installs them; otherwise it prints the command to run.
# `deps.sh` is what building and running need; `deps.sh check` adds what
# the tests need.
set -eu
mode=${1:-build}

# package: what it is for
#   gcc, make, pkg-config: the build
#   libpng-dev, zlib1g-dev: decode and check figures, add text chunks
#   libinih-dev: parse batch files
#   gnuplot-nox: draw figures (terminal pngcairo)
#   fonts-dejavu-core: the font the figures name
#   libcriterion-dev: the unit and end-to-end tests
#   valgrind: the leak check in `make check`
#   clang, libclang-rt-dev: the libFuzzer target (`make fuzz`)
#   libxml2-utils, poppler-utils: the tests check SVG (xmllint) and PDF
#     (pdfinfo) output
#   man-db, mandoc: the tests check the manual page (man --warnings,
#     mandoc -T lint)
missing=""
need() { # need PACKAGE TEST...
	pkg=$1
	shift
	if ! "$@" >/dev/null 2>&1; then
		missing="$missing $pkg"
	fi
}
have_pc() { pkg-config --exists "$1"; }

# Building and running.
need gcc command -v cc
need make command -v make
need pkg-config command -v pkg-config
need libpng-dev have_pc libpng
need zlib1g-dev have_pc zlib
need libinih-dev have_pc inih
need gnuplot-nox command -v gnuplot
need fonts-dejavu-core test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [ "$mode" = check ]; then
	need libcriterion-dev have_pc criterion
	need valgrind command -v valgrind
	need clang command -v clang
	need libclang-rt-dev sh -c 'ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a'
	need libxml2-utils command -v xmllint
	need poppler-utils command -v pdfinfo
	need man-db command -v man
	need mandoc command -v mandoc
fi

# pkg-config itself missing makes every have_pc fail: fine, all get listed.
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "sgdplot needs:$missing" >&2
	echo "run as root: apt-get update && $cmd" >&2
	exit 1
fi
echo "scripts/deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
