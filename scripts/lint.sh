#!/bin/sh
# Checks the library and the tool for functions we do not use (unbounded copies, locale- or
# state-dependent parsing, open_memstream, which loses bytes silently: lib/core/memstream.h).
# Prints offending lines; exits 1 when there are any.
set -u
cd "$(dirname "$0")/.." || exit 2
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|atoll|atof|sscanf|tmpnam|mktemp|alloca|open_memstream)[[:space:]]*\('
out=$(grep -rnE "$banned" lib cli include tools 2>/dev/null | grep -v '^[^:]*:[0-9]*:[[:space:]]*/\?\*')
if [ -n "$out" ]; then
    echo "banned functions in lib/, cli/, include/ or tools/:"
    echo "$out"
    exit 1
fi

# Names: exs_/EXS_ is the public prefix, taken only by what include/exsweep/ declares (and the
# shipped YARA rules' names); everything internal to the library is xs_/XS_.
public=$(grep -rhoE '\b(exs|EXS)_[A-Za-z0-9_]+' include/exsweep | sort -u)
rules=$(sed -nE 's/^[[:space:]]*(private[[:space:]]+)?rule[[:space:]]+([A-Za-z0-9_]+).*/\2/p' rules/*.yar | sort -u)
used=$(grep -rhoE '\b(exs|EXS)_[A-Za-z0-9_]+' lib cli tools tests fuzz bench --include='*.c' --include='*.h' | sort -u)
stray=$(printf '%s\n' "$used" | grep -vxF -e "$public" -e "$rules" | grep -v '^$')
if [ -n "$stray" ]; then
    echo "internal names with the public prefix exs_ (internal ones are xs_; public ones are declared in include/exsweep/):"
    echo "$stray"
    exit 1
fi
leak=$(grep -rhoE '\b(xs|XS)_[A-Za-z0-9_]+' include/exsweep | sort -u)
if [ -n "$leak" ]; then
    echo "internal names (xs_) in the public headers:"
    echo "$leak"
    exit 1
fi
exit 0
