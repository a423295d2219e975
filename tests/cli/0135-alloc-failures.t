#!/bin/sh
# 0135-alloc-failures.t -- out of memory at any allocation: one message
# and exit code 4, never a crash or a hang, whatever threads are running
# (ASSAY_FAIL_ALLOC=N fails the N-th allocation, util.c).  Each command is
# run with N = 1, 2, ... until it gets through without a failure.
. "$(dirname "$0")/lib.sh"

cat > "$T/d.csv" <<'CSV'
id,grp,amount,when,note,label
1,a,10.5,2024-01-02,first,1
2,b,3,2024-01-03,"quoted, note",0
3,a,7.25,2024-02-01,,0
3,b,,2024-02-02,x,1
CSV
R="$DATA/check/gate.yml"

sweep() {   # sweep DESC ARGS...: every N fails with exit 4 and the message
    desc=$1
    shift
    n=1
    bad=""
    while [ "$n" -le 3000 ]; do
        ASSAY_FAIL_ALLOC=$n timeout 60 "$ASSAY" "$@" >/dev/null 2>"$T/err"
        rc=$?
        if [ "$rc" -ne 4 ]; then
            break
        fi
        if [ "$(cat "$T/err")" != "assay: error: out of memory" ]; then
            bad="N=$n: $(head -c 200 "$T/err")"
            break
        fi
        n=$((n + 1))
    done
    if [ -z "$bad" ] && [ "$rc" -gt 1 ]; then
        bad="N=$n: exit $rc: $(head -c 200 "$T/err")"
    fi
    is "$bad" "" "$desc: $((n - 1)) allocation failures, each exit 4"
}

sweep "check" check "$T/d.csv" --rules "$R" --no-record
sweep "check, recorded" check "$T/d.csv" --rules "$R"
sweep "profile" profile "$T/d.csv" --format json
sweep "hash" hash "$T/d.csv"
sweep "bias" bias "$T/d.csv" --facet grp --facet-value a --label label \
    --label-value 1 --format json
done_testing
