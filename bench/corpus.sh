# The benches' corpora, made once and kept in bench/out/ (git-ignored) while their inputs stay
# the same. Sourced (". bench/corpus.sh") from the repository's root by bench/run.sh,
# bench/evtx/run.sh and bench/sigma/run.sh, so that a bench over the same kind of evidence
# reads the same files.

# bench_logs SIZE_MIB DATA STAMP: a week of an Exchange 2016 server's logs, SIZE_MIB MiB of
# them, from build/gentree --scale into DATA (the log bench's corpus, bench/README.md); kept
# while the size and the generator binary are the same (STAMP records them).
bench_logs() {
    _stamp="size=$1 gentree=$(cksum < build/gentree | cut -d' ' -f1)"
    if [ ! -f "$3" ] || [ "$(cat "$3")" != "$_stamp" ]; then
        rm -rf "$2" "$3"
        echo "bench: generating $1 MiB of logs into $2 ..." >&2
        build/gentree --scale "$1" "$2"
        echo "$_stamp" >"$3"
    fi
}

# bench_evtx SRC MIB OUT: whole copies of the .evtx files under SRC in OUT/data until about
# MIB MiB (the EVTX bench's corpus, bench/evtx/run.sh); OUT/sources lists the source files.
# Sets copies and set_bytes (the bytes of one copy of the set).
bench_evtx() {
    find "$1" -name '*.evtx' -type f | sort >"$3/sources"
    [ -s "$3/sources" ] || { echo "no .evtx files under $1" >&2; exit 1; }
    set_bytes=$(tr '\n' '\0' <"$3/sources" | xargs -0 cat | wc -c)
    copies=$(( ($2 * 1048576 + set_bytes - 1) / set_bytes ))
    if [ "$(cat "$3/data/.copies" 2>/dev/null)" != "$copies:$set_bytes" ]; then
        rm -rf "$3/data"
        mkdir -p "$3/data"
        _i=0
        while [ "$_i" -lt "$copies" ]; do
            _k=0
            while IFS= read -r _f; do
                cp "$_f" "$3/data/c$_i-$_k.evtx"
                _k=$((_k + 1))
            done <"$3/sources"
            _i=$((_i + 1))
        done
        echo "$copies:$set_bytes" >"$3/data/.copies"
    fi
}
