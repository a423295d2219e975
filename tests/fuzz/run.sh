#!/bin/sh
# run.sh -- build and run the CSV reader fuzzer (libFuzzer, ASan, UBSan).
#
#   sh tests/fuzz/run.sh [RUNS]        (default 200000; FUZZ_RUNS too)
#
# Builds build/fuzz/fuzz_read_csv with clang, makes a seed corpus from
# tests/data/csv (each file behind a few option prefixes, see
# fuzz_read_csv.c) and runs a bounded number of inputs.  Crashes land in
# build/fuzz/ as crash-*; copy them to tests/data/csv/fuzz-NAME.csv to keep
# them as regression cases.  Skips (exit 0) when clang or libFuzzer is
# missing.
set -eu

cd "$(dirname "$0")/../.."
runs=${1:-${FUZZ_RUNS:-200000}}
out=${B:-build}/fuzz
cc=${FUZZ_CC:-clang}

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: skipped: $cc not found (apt-get install clang)"
    exit 0
fi
mkdir -p "$out/corpus"
if ! "$cc" -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -Isrc -Itests/fuzz tests/fuzz/fuzz_read_csv.c src/read_csv.c \
        src/status.c src/util.c -lcsv -o "$out/fuzz_read_csv" \
        2>"$out/build.log"; then
    if grep -q -i 'fuzzer' "$out/build.log"; then
        echo "fuzz: skipped: $cc cannot build with -fsanitize=fuzzer"
        exit 0
    fi
    cat "$out/build.log" >&2
    exit 1
fi

# seeds: option bytes 00 00 (comma, defaults, one feed), 04 85 (BOM, stop
# early, chunks of 2), 1d 03 (tab, field limit 3, chunks of 7)
for f in tests/data/csv/*; do
    case $f in *.md) continue ;; esac
    b=$(basename "$f")
    for p in '\000\000' '\004\205' '\035\003'; do
        n=$(printf '%s' "$p" | od -An -tx1 | tr -d ' \n')
        { printf "$p"; cat "$f"; } > "$out/corpus/seed-$n-$b"
    done
done

echo "fuzz: $runs runs of $out/fuzz_read_csv"
exec "$out/fuzz_read_csv" -runs="$runs" -max_len=4096 -timeout=10 \
    -artifact_prefix="$out/" -print_final_stats=1 "$out/corpus"
