#!/bin/sh
# Runs each test program and closes with one line CI can read:
# "N passed, N failed".
set -u
passed=0
failed=0
for t in "$@"; do
	out=$("$t" --jobs 1 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E 'Synthesis: Tested: [0-9]+' | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(printf '%s\n' "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0}))
	if [ "$rc" != 0 ] && [ -z "$line" ]; then
		failed=$((failed + 1))
	fi
done
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
