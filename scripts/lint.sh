#!/bin/sh
# Keeps the functions STYLE.md bans out of src/ (as curl's checksrc does).
set -eu
banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atof|system|popen|tmpnam|mktemp|gets)[[:space:]]*\('
if grep -nE "$banned" src/*.c src/*.h; then
	echo "lint: banned function in src/ (see STYLE.md)" >&2
	exit 1
fi
echo "lint: no banned functions in src/"
