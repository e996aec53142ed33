#!/bin/sh
# Keeps the functions STYLE.md bans out of src/ (as curl's checksrc does).
# String literals are blanked first: gnuplot's own sprintf() in a script
# we send it is not a C call.
set -eu
banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atof|system|popen|tmpnam|mktemp|gets)[[:space:]]*\('
found=0
for f in src/*.c src/*.h; do
	if sed -E 's/"([^"\\]|\\.)*"/""/g' "$f" | grep -nE "$banned" |
		sed "s|^|$f:|" | grep .; then
		found=1
	fi
done
if [ "$found" = 1 ]; then
	echo "lint: banned function in src/ (see STYLE.md)" >&2
	exit 1
fi
echo "lint: no banned functions in src/"
