#!/bin/sh
# run-all.sh -- build and run every fuzzer (libFuzzer, ASan, UBSan) for a
# bounded number of runs each.
#
#   sh tests/fuzz/run-all.sh [RUNS]     (default 100000 each; FUZZ_RUNS too)
#   FUZZERS="rules expr" sh tests/fuzz/run-all.sh      (a subset)
#   FUZZ_TIME=600 sh tests/fuzz/run-all.sh             (seconds each instead)
#   sh tests/fuzz/run-all.sh --build                   (build only)
#
# Fuzzers: read_csv (tests/fuzz/run.sh), rules (fuzz_rules.c: rules files
# bound to a header and run over fixed records), expr (fuzz_expr.c:
# expressions compiled and evaluated), regex (fuzz_regex.c: patterns,
# the fast path against PCRE2).  Library objects are built with
# clang under build/fuzz/obj; each fuzzer's corpus grows in
# build/fuzz/NAME-corpus from its seeds (tests/fuzz/seeds.sh) and its
# dictionary (tests/fuzz/NAME.dict).  Crashes land in build/fuzz/ as
# NAME-crash-*: keep each as a regression case (tests/data/rules/fuzz-*.yml
# or a row in tests/unit/test_expr.c).  Skips (exit 0) when clang or
# libFuzzer is missing.
set -eu

cd "$(dirname "$0")/../.."
build_only=0
if [ "${1:-}" = --build ]; then
    build_only=1
    shift
fi
runs=${1:-${FUZZ_RUNS:-100000}}
fuzzers=${FUZZERS:-read_csv rules expr regex}
out=${B:-build}/fuzz
obj=$out/obj
cc=${FUZZ_CC:-clang}
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread -g -O1
       -fno-omit-frame-pointer -fsanitize=address,undefined
       -fno-sanitize-recover=all -Isrc -I."
libs="-lcsv $(pkg-config --libs jansson libpcre2-8 yaml-0.1 gsl libcrypto \
    zlib libxxhash 2>/dev/null || echo -ljansson -lpcre2-8 -lyaml -lgsl \
    -lgslcblas -lcrypto -lz -lxxhash) -lm -pthread"

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: skipped: $cc not found (apt-get install clang)"
    exit 0
fi
mkdir -p "$obj"
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n);
int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' \
        > "$out/probe.c" ||
   ! "$cc" -fsanitize=fuzzer "$out/probe.c" -o "$out/probe" \
        2>/dev/null; then
    echo "fuzz: skipped: $cc cannot build with -fsanitize=fuzzer"
    exit 0
fi

# The library objects the rules and expression fuzzers need: src/ core
# (not the command front ends, not attest.c, which needs lineage/) and
# rules/.  Rebuilt when a source or any header is newer.
newest_h=$(ls -t src/*.h rules/*.h | head -1)
objs=
for c in src/*.c rules/*.c; do
    case $c in src/main.c|src/cmd_*|src/attest.c) continue ;; esac
    o=$obj/$(echo "$c" | tr / _ | sed 's/\.c$/.o/')
    objs="$objs $o"
    if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
        echo "$c $o"
    fi
done > "$out/todo"
if [ -s "$out/todo" ]; then
    echo "fuzz: building $(wc -l < "$out/todo") objects"
    # shellcheck disable=SC2086
    xargs -P "$(nproc 2>/dev/null || echo 2)" -n 2 sh -c \
        "$cc $(echo $flags) -fsanitize=fuzzer-no-link -c -o \"\$2\" \"\$1\"" \
        sh < "$out/todo"
fi

build() {   # NAME: build $out/fuzz_NAME
    case $1 in
    read_csv) return 0 ;;           # run.sh builds it
    esac
    # shellcheck disable=SC2086
    $cc $flags -fsanitize=fuzzer -o "$out/fuzz_$1" "tests/fuzz/fuzz_$1.c" \
        $objs $libs
}

for f in $fuzzers; do
    build "$f"
done
sh tests/fuzz/seeds.sh "$out"
[ "$build_only" = 1 ] && exit 0

rc=0
for f in $fuzzers; do
    if [ "$f" = read_csv ]; then
        sh tests/fuzz/run.sh "$runs" || rc=1
        continue
    fi
    mkdir -p "$out/$f-corpus"
    if [ -n "${FUZZ_TIME:-}" ]; then
        budget="-max_total_time=$FUZZ_TIME"
    else
        budget="-runs=$runs"
    fi
    echo "fuzz: $f: $budget"
    # -max_len: rules files 8 KiB, expressions and patterns 2 KiB; the seeds exceed
    # neither (long inputs are the unit tests' and CLI tests' job).
    len=8192
    [ "$f" = rules ] || len=2048
    "$out/fuzz_$f" "$budget" -max_len=$len -timeout=10 -rss_limit_mb=2048 \
        -dict="tests/fuzz/$f.dict" -artifact_prefix="$out/$f-" \
        -print_final_stats=1 "$out/$f-corpus" "$out/$f-seeds" || rc=1
done
exit $rc
