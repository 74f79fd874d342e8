#!/bin/sh
# End-to-end cases of the file side (web shells and artefacts on disk), on trees written by
# build/mkfiletree from fixtures assembled at run time (never committed whole).
#
#   tests/e2e-files/run.sh [RESULTS]      BUILD=build (default) or build/asan
#   EVALDATA=../shared/evaldata            also check the third-party rule files and data
#
# Appends "PASS e2e-files/<case>", "FAIL e2e-files/<case>" or "SKIP e2e-files/<case> (why)"
# per case to RESULTS and exits non-zero when a case failed. Golden files in expected/ were
# reviewed by hand against the rules and the catalogue; this runner never writes them.
set -u
results=${1:-/dev/null}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in
/*) bdir=$BUILD ;;
*) bdir=$top/$BUILD ;;
esac
for t in mkfiletree exsfind exsweep; do
    [ -x "$bdir/$t" ] || { echo "e2e-files: $bdir/$t missing (run make)" >&2; echo "FAIL e2e-files/(build)" >>"$results"; exit 1; }
done
PATH="$bdir:$PATH"
LC_ALL=C
export PATH LC_ALL
EVALDATA=${EVALDATA:-}  # third-party data: only when asked (make eval sets it)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/exsweep-e2e-files.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

pass() { echo "PASS e2e-files/$1" >>"$results"; }
skip() { echo "SKIP e2e-files/$1 ($2)" >>"$results"; echo "e2e-files: $1 skipped: $2" >&2; }
bad() {
    echo "FAIL e2e-files/$1" >>"$results"
    echo "e2e-files: $1 failed: $2" >&2
    fail=1
}

# "count rule-id" per rule of a JSONL report, one a line, sorted by id.
rule_counts() {
    sed -n 's/.*"rule":{"id":"\([^"]*\)".*/\1/p' "$1" | sort | uniq -c | awk '{print $1, $2}' | tr '\n' ' '
}

mkfiletree "$tmp/planted" && mkfiletree --benign "$tmp/benign" || { bad trees "mkfiletree"; exit 1; }

# 1. The planted tree gives exactly the reviewed findings.
exsfind -w -j 2 "$tmp/planted" >"$tmp/planted.txt" 2>"$tmp/err"
if cmp -s "$tmp/planted.txt" "$here/expected/planted-files.txt"; then pass planted; else
    diff "$here/expected/planted-files.txt" "$tmp/planted.txt" >&2
    bad planted "findings differ from expected/planted-files.txt"
fi

# 2. The benign twin gives nothing, and exit status 0.
exsweep scan -q -f jsonl "$tmp/benign" >"$tmp/benign.jsonl" 2>"$tmp/err"
st=$?
nf=$(grep -c '"record":"finding"' "$tmp/benign.jsonl")
if [ "$st" -eq 0 ] && [ "$nf" -eq 0 ]; then pass benign-twin; else
    bad benign-twin "exit $st, $nf findings"
fi

# 3. A shell carries the URL it is served under and the requests made to it.
exsweep scan -q -f jsonl -j 1 "$tmp/planted" >"$tmp/p.jsonl" 2>"$tmp/err"
line=$(grep '"EXS-Y-WS-EVAL"' "$tmp/p.jsonl" | grep 'RedirSuiteServerProxy')
case "$line" in
*'"url":"/owa/auth/redirsuiteserverproxy.aspx"'*'"requests":"2","requests_answered":"2","requests_first":"2021-03-05T03:06:27.000Z","requests_last":"2021-03-05T03:07:27.000Z","requests_clients":"203.0.113.9=2","requests_methods":"GET=1,POST=1","requests_statuses":"200=2"'*)
    pass shell-requests ;;
*) bad shell-requests "no URL or requests on the RedirSuiteServerProxy.aspx finding: $line" ;;
esac

# 4. A rule that does not compile stops the sweep with its file and line (exit 2).
printf 'rule fine { condition: true }\nrule broken {\n  strings: $a = "x"\n  condition: $b\n}\n' >"$tmp/bad.yar"
exsweep scan --rules "$tmp/bad.yar" "$tmp/benign" >"$tmp/out" 2>"$tmp/err"
st=$?
if [ "$st" -eq 2 ] && grep -q "$tmp/bad.yar:[0-9]*: undefined string" "$tmp/err"; then pass broken-rule; else
    bad broken-rule "exit $st: $(cat "$tmp/err")"
fi

# 5. IOC lists in the MSTIC CSV layout: a hash on disk and an address in the logs.
h=$(sha256sum "$tmp/planted/Windows/Temp/d.bat" | cut -d' ' -f1)
{
    printf '%s\n' "DateAdded,FirstSeen,Indicator,IndicatorType,TLP"
    printf '%s\n' "2021-03-10,2021-03-05T10:07:29Z,$h,sha256,White"
    printf '%s\n' "2021-03-10,,203.0.113.9,ipaddress,White"
    printf '%s\n' '2021-03-10,,C:\Users\Public\run.ps1,filepath,White'
} >"$tmp/mstic.csv"
exsweep scan -q -f jsonl --ioc "$tmp/mstic.csv" "$tmp/planted" >"$tmp/ioc.jsonl" 2>"$tmp/err"
st=$?
iocs=$(grep -c '"id":"EXS-[A-Z-]*IOC[A-Z-]*"' "$tmp/ioc.jsonl")
if [ "$st" -eq 1 ] && [ "$iocs" -eq 3 ] &&
    grep -q '"EXS-FILE-HASH-IOC".*Windows/Temp/d.bat' "$tmp/ioc.jsonl" &&
    grep -q '"EXS-FILE-PATH-IOC".*Users/Public/run.ps1' "$tmp/ioc.jsonl" &&
    grep -q '"EXS-IOC-NET".*"address":"203.0.113.9"' "$tmp/ioc.jsonl"; then pass ioc-mstic; else
    bad ioc-mstic "exit $st, $iocs IOC findings (want exit 1 and the hash, path and address, once each)"
fi

# 6. The size policy: over --max-file-size, no rules and no hash; bad values are usage errors.
#    Every file is past 16 bytes: what is left are the name, location and log findings.
exsweep scan -q -f jsonl --max-file-size 16 "$tmp/planted" >"$tmp/small.jsonl" 2>"$tmp/err"
st=$?
got=$(rule_counts "$tmp/small.jsonl")
want="1 EXS-FILE-LSASS-DUMP 1 EXS-FILE-STAGING-ARCHIVE 8 EXS-FILE-WS-NONDEFAULT 1 EXS-FILE-WS-REMOVED 5 EXS-WS-ACCESS "
if [ "$st" -eq 1 ] && [ "$got" = "$want" ] && ! grep -q '"sha256"' "$tmp/small.jsonl"; then
    pass size-policy
else
    bad size-policy "exit $st, findings '$got' (want exit 1, '$want', no hashes)"
fi
exsweep scan --max-file-size 2G "$tmp/benign" >/dev/null 2>&1
st1=$?
exsweep scan --max-file-size 12Q "$tmp/benign" >/dev/null 2>&1
st2=$?
if [ "$st1" -eq 2 ] && [ "$st2" -eq 2 ]; then pass size-usage; else bad size-usage "exit $st1/$st2"; fi

# 7. Parity with the yara command line tool: on the same user rules and files, the set of
#    (file, rule) matches is the same. exsweep compiles each rule file in its own namespace,
#    so yara runs once per rule file too.
parity() { # name dir rulefile...
    name=$1
    dir=$2
    shift 2
    : >"$tmp/yara.txt"
    for r in "$@"; do
        yara -w -r "$r" "$dir" 2>/dev/null | sed "s#^\([^ ]*\) $dir/#\1 #" >>"$tmp/yara.txt"
    done
    sort -u "$tmp/yara.txt" -o "$tmp/yara.txt"
    set -- $(for r in "$@"; do printf -- '--rules %s ' "$r"; done)
    exsweep scan -q -f jsonl "$@" "$dir" 2>"$tmp/err" |
        grep '"category":"YARA"' |
        sed -n 's/.*"rule":{"id":"\([^"]*\)".*"file":{"path":"\([^"]*\)".*/\1 \2/p' |
        grep -v '!/' | sort -u >"$tmp/exs.txt"
    if [ -s "$tmp/yara.txt" ] && cmp -s "$tmp/yara.txt" "$tmp/exs.txt"; then
        pass "parity-$name"
        echo "e2e-files: parity-$name: $(wc -l <"$tmp/exs.txt") matches agree" >&2
    else
        diff "$tmp/yara.txt" "$tmp/exs.txt" | head -20 >&2
        bad "parity-$name" "match sets differ (or empty)"
    fi
}
if command -v yara >/dev/null 2>&1; then
    cat >"$tmp/user.yar" <<'RULES'
rule u_text { strings: $a = "aspnet_client" nocase condition: $a }
rule u_wide { strings: $a = "aspnet_client" wide condition: $a }
rule u_hex { strings: $a = { 4D 5A ?? 00 } condition: $a at 0 }
rule u_regex { strings: $a = /Request\.(Item|Form|Files)\[/ condition: #a >= 1 }
rule u_size { condition: filesize < 64 }
private rule u_priv { strings: $a = "Page Language" condition: $a }
rule u_uses_private { condition: u_priv and filesize > 10 }
rule u_none { strings: $a = "never appears anywhere 9d2e" condition: $a }
RULES
    parity fixtures "$tmp/planted" "$tmp/user.yar"
    sb="$EVALDATA/rules/yara/signature-base"
    if [ -n "$EVALDATA" ] && [ -d "$sb" ]; then
        parity signature-base "$tmp/planted" "$sb/apt_hafnium.yar" "$sb/expl_proxyshell.yar" \
            "$sb/apt_webshell_chinachopper.yar" "$sb/gen_webshells.yar" "$sb/thor-webshells.yar" \
            "$sb/webshell_regeorg.yar" "$sb/apt_hafnium_log_sigs.yar"
        parity evaldata "$EVALDATA" "$sb/apt_hafnium_log_sigs.yar" "$sb/expl_proxyshell.yar" \
            "$sb/vuln_proxynotshell_cve_2022_41040.yar" "$sb/apt_hafnium.yar"
        # The rule file that needs Loki's external variables compiles and runs.
        #    The tree is the benign twin: nothing may fire, and the exit status is 0.
        exsweep scan -q -f jsonl --rules "$sb/gen_webshells_ext_vars.yar" "$tmp/benign" >"$tmp/ext.jsonl" 2>"$tmp/err"
        st=$?
        nf=$(grep -c '"record":"finding"' "$tmp/ext.jsonl")
        if [ "$st" -eq 0 ] && [ "$nf" -eq 0 ]; then pass ext-vars; else
            bad ext-vars "exit $st, $nf findings: $(cat "$tmp/err")"
        fi
    elif [ -z "$EVALDATA" ]; then
        skip parity-signature-base "third-party rules are read by make eval only"
    else
        skip parity-signature-base "no $sb"
    fi
else
    skip parity "yara command line tool not installed (apt-get install yara)"
fi

# 8. The third-party benign Exchange configuration files give no finding.
cfg="$EVALDATA/config/css-exchange-healthchecker"
if [ -n "$EVALDATA" ] && [ -d "$cfg" ]; then
    exsweep scan -q -f jsonl "$cfg" >"$tmp/cfg.jsonl" 2>"$tmp/err"
    st=$?
    if [ "$st" -eq 0 ] && ! grep -q '"record":"finding"' "$tmp/cfg.jsonl"; then pass exchange-configs; else
        bad exchange-configs "exit $st: $(grep '"record":"finding"' "$tmp/cfg.jsonl" | head -c 300)"
    fi
elif [ -z "$EVALDATA" ]; then
    skip exchange-configs "third-party configs are read by make eval only"
else
    skip exchange-configs "no $cfg"
fi

exit $fail
