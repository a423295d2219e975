#!/bin/sh
# The HTML compliance report in a real browser: Debian's headless
# Chromium (flags from ../shared/notes/conventions.md 3.2) renders a
# passing and a failing report to PNG and PDF.  Checks: the PNG has the
# requested size and is not blank, the PDF has pages and the verdict in
# its text, the CSP reports no violation (nothing was loaded from
# outside), and the HTML names no external URL in src/href.  Skipped
# when chromium or poppler-utils are absent.
. "$(dirname "$0")/lib.sh"
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ] || ! command -v pdfinfo >/dev/null 2>&1; then
    echo "1..0 # SKIP chromium or poppler-utils (pdfinfo) not installed"
    exit 0
fi
cd "$T" || exit 1
EX="$TOP/examples/churn"
cp "$EX/rules.yml" rules.yml
cp "$EX/clean.csv" clean.csv
cp "$EX/train.csv" train.csv
export SOURCE_DATE_EPOCH=1767225600

chrome() {  # chrome ARGS... -- headless, offline, a fresh profile
    _p=$(mktemp -d "$T/profile.XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$_p" "$@"
}

# png_size FILE: "WIDTHxHEIGHT" from the IHDR chunk
png_size() {
    python3 -c 'import struct,sys
d=open(sys.argv[1],"rb").read(24)
assert d[:8]==b"\x89PNG\r\n\x1a\n"
print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"
}

# png_colours FILE: distinct pixel rows (a blank page has 1)
png_rows() {
    python3 -c 'import struct,sys,zlib
d=open(sys.argv[1],"rb").read(); i=8; idat=b""
while i < len(d):
    n,=struct.unpack(">I",d[i:i+4]); t=d[i+4:i+8]
    if t==b"IHDR": w,h,bd,ct=struct.unpack(">IIBB",d[i+8:i+18])
    if t==b"IDAT": idat+=d[i+8:i+8+n]
    i+=12+n
raw=zlib.decompress(idat); bpp={2:3,6:4,0:1,4:2}[ct]; stride=w*bpp+1
print(len({raw[r*stride+1:(r+1)*stride] for r in range(h)}))' "$1"
}

run check clean.csv --rules rules.yml
is "$rc" 0 "clean.csv passes (recorded)"
run check train.csv --rules rules.yml
is "$rc" 1 "train.csv fails (recorded)"

for v in pass fail; do
    [ "$v" = pass ] && ref=clean.csv || ref=train.csv
    [ "$v" = pass ] && word=PASS || word=FAIL
    run report "$ref" -o "$v.html"
    is "$rc" 0 "$v: report written"

    # PNG
    chrome --screenshot="$T/$v.png" --window-size=1200,2000 \
        "file://$T/$v.html" >"$T/$v.png.log" 2>&1
    is "$?" 0 "$v: chromium screenshot exits 0"
    is "$(png_size "$v.png" 2>/dev/null)" 1200x2000 "$v: PNG is 1200x2000"
    rows=$(png_rows "$v.png" 2>/dev/null || echo 0)
    ok "$([ "$rows" -gt 100 ]; echo $?)" "$v: PNG is not blank ($rows distinct rows)"

    # PDF
    chrome --no-pdf-header-footer --print-to-pdf="$T/$v.pdf" \
        "file://$T/$v.html" >"$T/$v.pdf.log" 2>&1
    is "$?" 0 "$v: chromium print-to-pdf exits 0"
    pages=$(pdfinfo "$v.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    ok "$([ "${pages:-0}" -ge 1 ]; echo $?)" "$v: PDF has pages ($pages)"
    like "$(pdfinfo "$v.pdf" 2>/dev/null | sed -n 's/^Title: *//p')" \
        "Compliance report: .*\($word\)" "$v: PDF title is the report's"
    txt=$(pdftotext "$v.pdf" - 2>/dev/null)
    like "$txt" "Verdict" "$v: PDF text has the verdict"
    like "$txt" "$word" "$v: ... $word"
    like "$txt" "Evidence index" "$v: ... and the evidence index"

    # nothing loaded from outside: no CSP violation while rendering
    chrome --enable-logging=stderr --v=0 --dump-dom "file://$T/$v.html" \
        >"$T/$v.dom" 2>"$T/$v.err"
    is "$?" 0 "$v: chromium dump-dom exits 0"
    ok "$(grep -q 'Content Security Policy' "$v.err"; [ $? -ne 0 ]; echo $?)" \
        "$v: no Content-Security-Policy violation logged"
    like "$(cat "$v.dom")" '<section id="signoff"' "$v: the DOM has every section"
    ext=$(grep -Eo '(src|href|xlink:href)="[^"#][^"]*"' "$v.html" | sort -u)
    is "$ext" "" "$v: no src/href outside the document"
    urls=$(grep -Eo 'https?://[^"<> ]+' "$v.html" | grep -v '^http://www\.w3\.org/' | sort -u)
    is "$urls" "" "$v: no URL but the declared namespaces"
    unlike "$(cat "$v.html")" '<script|<link |<iframe|<object|<embed|@import|url\((["'"'"']?)(https?:|//)' \
        "$v: no script, link, frame, import or external url()"
done
done_testing
