#!/bin/sh
# Checks the library and the tool for functions we do not use (unbounded copies, locale- or
# state-dependent parsing). Prints offending lines; exits 1 when there are any.
set -u
cd "$(dirname "$0")/.." || exit 2
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|atoll|atof|sscanf|tmpnam|mktemp|alloca)[[:space:]]*\('
out=$(grep -rnE "$banned" lib cli include tools 2>/dev/null | grep -v '^[^:]*:[0-9]*:[[:space:]]*/\?\*')
if [ -n "$out" ]; then
    echo "banned functions in lib/, cli/, include/ or tools/:"
    echo "$out"
    exit 1
fi
exit 0
