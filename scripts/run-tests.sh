#!/bin/sh
# Runs Criterion test programs and closes with one line CI can read:
# "check: N passed, N failed".  Tests under build/sanitize/ run against
# the sanitized build of sgdplot, the others against ./sgdplot.
set -u
passed=0
failed=0
for t in "$@"; do
	case $t in
	build/sanitize/*)
		bin=build/sanitize/sgdplot
		sanitized=1
		;;
	*)
		bin=./sgdplot
		sanitized=
		;;
	esac
	echo "== $t"
	out=$(SGDPLOT_BIN=$bin SGDPLOT_SANITIZED=$sanitized \
		ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$t" --jobs 1 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E 'Synthesis: Tested: [0-9]+' | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(printf '%s\n' "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0}))
	# A program that died without its summary, or failed with all its
	# tests passing (a sanitizer report at exit), counts as one failure.
	if [ "$rc" != 0 ] && { [ -z "$line" ] || [ "${f:-0}${c:-0}" = 00 ]; }; then
		echo "$t: exit status $rc" >&2
		failed=$((failed + 1))
	fi
done
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
