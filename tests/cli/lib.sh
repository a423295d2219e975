# lib.sh -- helpers for the CLI tests (TAP).  Source it from a .t file:
#     . "$(dirname "$0")/lib.sh"
#     plan 3
#     run check data.csv --rules r.yml; is "$rc" 1 "gate fails"
#     like "$out" '"verdict": "fail"' "json verdict"
#     done_testing
# $ASSAY is the binary (set by make); $T a fresh temporary directory;
# $TOP the repository root; $SHARED ../shared when present (else empty).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
ASSAY=${ASSAY:-$TOP/assay}
T=$(mktemp -d "${TMPDIR:-/tmp}/assay-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export ASSAY_DB="$T/lineage.db"
export NO_COLOR=1
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY
SHARED=${ASSAY_SHARED:-}
if [ -z "$SHARED" ] && [ -f "$TOP/../shared/DESIGN.md" ]; then
    SHARED=$(cd "$TOP/../shared" && pwd)
fi
DATA="$TOP/tests/data"
_n=0
_failed=0

plan() { echo "1..$1"; }
done_testing() { echo "1..$_n"; [ "$_failed" -eq 0 ]; exit $?; }

# run ARGS...: runs assay; sets $out (stdout), $err (stderr), $rc.
run() {
    "$ASSAY" "$@" >"$T/.out" 2>"$T/.err"
    rc=$?
    out=$(cat "$T/.out")
    err=$(cat "$T/.err")
}

ok() {  # ok COND-EXIT-CODE DESC
    _n=$((_n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $_n - $2"
    else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
is() {  # is GOT WANT DESC
    _n=$((_n + 1))
    if [ "$1" = "$2" ]; then echo "ok $_n - $3"
    else
        echo "not ok $_n - $3"; _failed=$((_failed + 1))
        printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
        [ -s "$T/.err" ] && sed 's/^/#   stderr: /' "$T/.err" | head -5
    fi
}
like() {  # like TEXT REGEX DESC  (grep -E)
    _n=$((_n + 1))
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then echo "ok $_n - $3"
    else
        echo "not ok $_n - $3"; _failed=$((_failed + 1))
        printf '#   no match for: %s\n' "$2"
        printf '%s\n' "$1" | head -5 | sed 's/^/#   in: /'
    fi
}
unlike() {
    _n=$((_n + 1))
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then
        echo "not ok $_n - $3"; _failed=$((_failed + 1))
    else echo "ok $_n - $3"; fi
}
# skip_all REASON: the whole file is skipped; prove prints the reason.
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
skip() {  # skip DESC
    _n=$((_n + 1)); echo "ok $_n # skip $1"
}
# jq-free JSON probe: jget FILE EXPR, EXPR in Python syntax on `d`.
jget() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
