#!/bin/sh
# JUnit XML: every fixture (tests/data/reports/) validates against both
# XSDs in ../shared/junit-xsd (Ant and Jenkins xUnit), with the shape
# GitLab and Jenkins read; data cannot break the XML.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tools/reports-lib.sh"

XSD="$SHARED/junit-xsd"
for f in $FIXTURES; do
    render junit "$f"
    is "$rc" 0 "junit renders $f"
    if [ -z "$SHARED" ] || ! have xmllint; then
        skip "xmllint or ../shared absent"
        skip "xmllint or ../shared absent"
        continue
    fi
    check "$f: valid against JUnit.xsd (Ant)" \
        xmllint --noout --schema "$XSD/JUnit.xsd" "$T/$f.junit"
    check "$f: valid against jenkins-xunit-junit-10.xsd" \
        xmllint --noout --schema "$XSD/jenkins-xunit-junit-10.xsd" \
        "$T/$f.junit"
done

# The validator really validates: the shared invalid example fails.
if [ -n "$SHARED" ] && have xmllint; then
    xmllint --noout --schema "$XSD/JUnit.xsd" \
        "$XSD/examples/invalid-testcase-file-attr.xml" >/dev/null 2>&1
    is "$?" 3 "xmllint rejects testcase@file (validator sanity)"
else
    skip "xmllint or ../shared absent"
fi

x=$(cat "$T/fail.junit")
like "$x" '^<testsuites>$' "testsuites has no attributes"
like "$x" '<testsuite name="churn_train" package="assay" id="0" timestamp="2026-11-18T11:06:40" hostname="localhost" tests="10" failures="6" errors="1"' \
    "required testsuite attributes, zone-less SOURCE_DATE_EPOCH timestamp"
like "$x" '<testcase name="age.range" classname="assay.range" time="0">' \
    "one testcase per check, classname assay.KIND"
like "$x" '<failure type="fail" message="12 values out of range \[18, 120\]">age.range' \
    "failure with type, message and the full text in the body"
like "$x" '^line 1042 \(record 1040\): "212"$' "samples in the body"
like "$x" '<error type="error" message=' "status error gives <error>"
unlike "$x" '<testcase [^>]*file=' "no testcase@file"

x=$(cat "$T/bias.junit")
like "$x" '<testcase name="bias.sex=Female.CI" classname="assay.bias"' \
    "bias findings are test cases"
like "$x" 'tests="5" failures="3" errors="0"' "bias-only counts"

# Hostile data: no XML-illegal control characters, nothing unescaped.
LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037]')" "$T/hostile.junit"
is "$?" 1 "no C0 control characters in the XML"
unlike "$(cat "$T/hostile.junit")" '<script' "markup in data is escaped"
if have xmllint; then
    check "hostile: well-formed" xmllint --noout "$T/hostile.junit"
else
    skip "xmllint absent"
fi
done_testing
