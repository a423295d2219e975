#!/bin/sh
# seeds.sh OUT -- lay out the fuzzers' seed corpora under OUT:
#   OUT/rules-seeds: every rules file in tests/data/rules (and hostile/),
#     examples/churn/rules.yml, rules/packs/*.yml, tests/fuzz/seeds/*.yml
#   OUT/expr-seeds: each line of tests/fuzz/expr-seeds.txt and each
#     expr: value found in those rules files
#   OUT/regex-seeds: each line of tests/fuzz/regex-seeds.txt and each
#     pattern: in those rules files, followed by a few subjects
# Run from the repository root (run-all.sh does).
set -eu

out=$1
rm -rf "$out/rules-seeds" "$out/expr-seeds" "$out/regex-seeds"
mkdir -p "$out/rules-seeds" "$out/expr-seeds" "$out/regex-seeds"
for f in tests/data/rules/*.yml tests/data/rules/*.json \
         tests/data/rules/hostile/*.yml examples/churn/rules.yml \
         rules/packs/*.yml tests/fuzz/seeds/*.yml; do
    [ -f "$f" ] || continue
    cp "$f" "$out/rules-seeds/$(echo "$f" | tr / _)"
done
{
    cat tests/fuzz/expr-seeds.txt
    cat tests/data/rules/*.yml examples/churn/rules.yml rules/packs/*.yml \
        tests/fuzz/seeds/*.yml 2>/dev/null |
        sed -n 's/.*expr: *//p' | sed 's/^"\(.*\)"[} ]*$/\1/'
} | awk 'length($0) > 0 && length($0) < 2048 { print > (d "/seed-" NR) }' \
    d="$out/expr-seeds"
{
    cat tests/fuzz/regex-seeds.txt
    cat tests/data/rules/*.yml examples/churn/rules.yml rules/packs/*.yml \
        tests/fuzz/seeds/*.yml 2>/dev/null |
        sed -n "s/.*pattern: *'\\(.*\\)'.*/\\1/p"
} | awk 'length($0) > 0 { f = d "/seed-" NR; print > f
        print "12345\naaaaaaaaaaaaaaaaaaaaaaaaaaab\nab_9 x\n-1.5\n]-a" > f }' \
    d="$out/regex-seeds"
