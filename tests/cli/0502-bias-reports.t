#!/bin/sh
# assay bias writes every report format, on stdout (--format) and to
# files (--report FMT=PATH, atomically); the JSON file equals the stdout
# JSON; the JUnit validates; bad --report specs are usage errors.
. "$(dirname "$0")/lib.sh"
D="$DATA/bias"
B="--facet grp --facet-value d --label label --label-value 1 --predicted pred"

run bias "$D/posttrain_edges.csv" $B --format json
is "$rc" 0 "bias json"
printf '%s\n' "$out" > "$T/stdout.json"

run bias "$D/posttrain_edges.csv" $B --report json="$T/r.json" \
    --report markdown="$T/r.md" --report junit="$T/r.xml" \
    --report sarif="$T/r.sarif" --report html="$T/r.html" \
    --report text="$T/r.txt"
is "$rc" 0 "bias with six --report files"
like "$out" 'pre-training' "text still on stdout"
is "$(cmp "$T/stdout.json" "$T/r.json" >/dev/null && echo same)" same \
    "--report json= is the bias JSON contract, same as --format json"
is "$(cat "$T/r.txt")" "$out" "--report text= equals stdout text"
like "$(cat "$T/r.md")" '\| grp = d \| label = 1 \| DPL \|' "markdown has the DPL row"
like "$(cat "$T/r.html")" '<html' "html written"
is "$(jget "$T/r.sarif" 'd["version"]')" "2.1.0" "sarif 2.1.0"
ls "$T" | grep -q 'tmp' && tmpleft=yes || tmpleft=no
is "$tmpleft" no "no temporary files left behind"
if [ -n "$SHARED" ] && command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --schema "$SHARED/junit-xsd/JUnit.xsd" "$T/r.xml" 2>/dev/null
    is "$?" 0 "bias JUnit validates against JUnit.xsd"
else
    skip "xmllint or ../shared absent"
fi

run bias "$D/posttrain_edges.csv" $B --format junit
is "$rc" 0 "--format junit"
like "$out" '<testsuites>' "junit on stdout"

GITHUB_STEP_SUMMARY="$T/summary.md" "$ASSAY" bias "$D/posttrain_edges.csv" \
    $B --format github > "$T/gh.txt" 2>&1
is "$?" 0 "--format github"
like "$(cat "$T/summary.md")" '\| grp = d \| label = 1 \| DPL \|' \
    "--format github appends the Markdown summary to \$GITHUB_STEP_SUMMARY"

run bias "$D/posttrain_edges.csv" $B --format yaml
is "$rc" 2 "unknown --format is a usage error"
like "$err" "unknown format 'yaml'" "names the format"
run bias "$D/posttrain_edges.csv" $B --report junit
is "$rc" 2 "--report without =PATH"
like "$err" "FORMAT=PATH" "says the form"
run bias "$D/posttrain_edges.csv" $B --report pdf="$T/x.pdf"
is "$rc" 2 "--report with an unknown format"
run bias "$D/posttrain_edges.csv" $B --report json="$T/no/such/dir/x.json"
is "$rc" 4 "an unwritable --report path is an I/O error"
like "$err" "cannot write '$T/no/such/dir/x.json'" "names the path"
done_testing
