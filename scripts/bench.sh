#!/usr/bin/env bash
# sgdplot's benchmark: each line is a ratio of two commands run in turn in
# this one run (A B A B ...), the median over several pairs, so that it
# holds on a shared, noisy machine.  Absolute times are printed for
# reference only.  Usage: scripts/bench.sh [PAIRS]   (from the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}
bin=./sgdplot
[ -x "$bin" ] || { echo "bench: build first: make" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# seconds CMD...: wall time of one run, output discarded
seconds() {
	local t0 t1
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
# ratio NAME TARGET A-FUNCTION B-FUNCTION: A/B over $pairs pairs
ratio() {
	local name=$1 target=$2 a=$3 b=$4 i ta tb r
	local ratios=() as=() bs=()
	for ((i = 0; i < pairs; i++)); do
		ta=$(seconds "$a")
		tb=$(seconds "$b")
		as+=("$ta")
		bs+=("$tb")
		ratios+=("$(awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%.6f\n", a / b }')")
	done
	r=$(printf '%s\n' "${ratios[@]}" | median)
	printf '%-44s ratio %.3f  (target %s; median A %.3f s, B %.3f s, %d pairs)\n' \
		"$name" "$r" "$target" \
		"$(printf '%s\n' "${as[@]}" | median)" \
		"$(printf '%s\n' "${bs[@]}" | median)" "$pairs"
}

# The floor: one gnuplot process drawing the same figures from the same
# scripts and data that sgdplot writes, one after another.
floor_script() { # DIR -> DIR/floor.gp
	(cd "$1" && for gp in *.gp; do
		[ "$gp" = floor.gp ] && continue
		echo "load '$gp'"
		echo "reset session"
	done) > "$1/floor.gp"
}

# 1. The article's batch: its four figures, its sweep, its two charts.
mkdir -p "$work/article"
"$bin" -q -o "$work/article" figures/article.ini
floor_script "$work/article"
article_sgdplot() { "$bin" -q --force -o "$work/article" figures/article.ini; }
article_floor() { (cd "$work/article" && gnuplot floor.gp); }

# 2. and 3. 200 varied configurations.
awk 'BEGIN {
	for (i = 0; i < 200; i++) {
		printf "[c%03d]\nlr = %.4f\ninit = %.2f\ncurvature = %s\nepochs = %d\n\n",
			i, 0.02 + i * 0.011, -1 + (i % 9) * 0.5,
			substr("0.5 1   1.5 2  ", (i % 4) * 4 + 1, 3), 10 * (1 + i % 4) * (1 + i % 4)
	}
}' > "$work/batch200.ini"
mkdir -p "$work/b200"
"$bin" -q -o "$work/b200" "$work/batch200.ini"
floor_script "$work/b200"
b200_sgdplot() { "$bin" -q --force -o "$work/b200" "$work/batch200.ini"; }
b200_floor() { (cd "$work/b200" && gnuplot floor.gp); }
b200_rerun() { "$bin" -q -o "$work/b200" "$work/batch200.ini"; }
# 2b: the floor again, with gnuplot compressing as sgdplot has it compress
# (src/fastpng.c): what is left is sgdplot's own design, not zlib's level.

echo "sgdplot benchmark: $(nproc) CPUs, $(gnuplot --version), $pairs pairs"
ratio "1. article: sgdplot / one-gnuplot floor" "<= 0.8" article_sgdplot article_floor
ratio "2. 200 configurations: sgdplot / floor" "<= 0.65" b200_sgdplot b200_floor
if [ -f build/sgdplot-fastpng.so ]; then
	fastpng=$(realpath build/sgdplot-fastpng.so)
	b200_fast_floor() { (cd "$work/b200" && LD_PRELOAD=$fastpng gnuplot floor.gp); }
	ratio "2b. the same, floor with sgdplot's encoding" "(for reference)" b200_sgdplot b200_fast_floor
fi
b200_sgdplot
ratio "3. unchanged rerun / full run (200)" "<= 0.05" b200_rerun b200_sgdplot

# 4. One run of a million epochs: wall time and peak memory.
printf '[million]\nlr = 0.001\nepochs = 1000000\n' > "$work/million.ini"
mkdir -p "$work/million"
walls=()
peaks=()
for ((i = 0; i < 3; i++)); do
	out=$(/usr/bin/time -f '%e %M' "$bin" -q --force -o "$work/million" "$work/million.ini" 2>&1 >/dev/null | tail -n 1)
	walls+=("${out% *}")
	peaks+=("${out#* }")
done
printf '%-44s wall %.2f s, peak %.1f MB  (target <= 3 s, <= 100 MB; median of 3)\n' \
	"4. 1,000,000 epochs" "$(printf '%s\n' "${walls[@]}" | median)" \
	"$(printf '%s\n' "${peaks[@]}" | median | awk '{ print $1 / 1024 }')"

# 5. The peer: matplotlib drawing the same four figures, and sgdplot
# drawing those four alone (no sweep, no charts).
if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
	mkdir -p "$work/mpl" "$work/four"
	sed '/^\[sweep\]/,$d' figures/article.ini > "$work/four.ini"
	mpl() { /usr/bin/python3 scripts/bench_matplotlib.py "$work/mpl"; }
	four_sgdplot() { "$bin" -q --force --no-charts -o "$work/four" "$work/four.ini"; }
	ratio "5. matplotlib / sgdplot (the four figures)" ">= 8" mpl four_sgdplot
else
	echo "5. matplotlib / sgdplot: skipped (apt-get install python3-matplotlib)"
fi
