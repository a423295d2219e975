# reports-lib.sh -- shared by tests/cli/07*-reports-*.t (after lib.sh).
# The writers are exercised through a test-only driver, not a hidden
# assay command: the unit test binary doubles as one,
#     test_reports render FORMAT DOC.json > OUT
# (tests/unit/test_reports.c).  It is found beside $ASSAY's build tree
# (build/ or build-san/), else under build/; when missing it is built
# here from the few sources the writers need (reports/ and the core
# modules json, util, status, crypto), so a half-built tree elsewhere
# does not stop these tests.  render FORMAT NAME writes $T/NAME.FORMAT
# and sets $rc.
FIX="$DATA/reports"
FIXTURES="pass fail bias hostile minimal"
export SOURCE_DATE_EPOCH=1795000000

RENDER=""
for _d in "$(dirname "$ASSAY")" "$TOP/build"; do
    if [ -x "$_d/tests/unit/test_reports" ]; then
        RENDER="$_d/tests/unit/test_reports"
        break
    fi
done
if [ -z "$RENDER" ]; then
    (cd "$TOP" && ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L \
        -D_DEFAULT_SOURCE -pthread -Isrc -I. -Itests/unit -g \
        -o "$T/test_reports" tests/unit/test_reports.c reports/*.c \
        src/json.c src/util.c src/status.c src/crypto.c \
        -ljansson -lcrypto -lcmocka -lm) >"$T/.make" 2>&1 &&
        RENDER="$T/test_reports"
fi
if [ -z "$RENDER" ]; then
    echo "Bail out! cannot build the render driver (tests/unit/test_reports)"
    sed 's/^/# /' "$T/.make" | tail -20
    exit 1
fi

# render FORMAT NAME: tests/data/reports/NAME.json -> $T/NAME.FORMAT
render() {
    "$RENDER" render "$1" "$FIX/$2.json" >"$T/$2.$1" 2>"$T/.err"
    rc=$?
}

# Debian's python3 when present: the pyenv shim on PATH takes a second
# or more to start, and these scripts call python many times.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
jget() {
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# have TOOL: 0 when TOOL is installed
have() { command -v "$1" >/dev/null 2>&1; }

# check DESC CMD...: one TAP line for CMD's exit status; its output is
# shown as diagnostics when it fails.
check() {
    _desc=$1
    shift
    "$@" >"$T/.chk" 2>&1
    _rc=$?
    ok "$_rc" "$_desc"
    [ "$_rc" -eq 0 ] || sed 's/^/#   /' "$T/.chk" | head -20
}
