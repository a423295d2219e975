#!/bin/sh
# run-unit.sh BIN... -- run cmocka unit tests; fail if any fails.
rc=0
for t in "$@"; do
    "$t" || rc=1
done
exit $rc
