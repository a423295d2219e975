#!/bin/sh
# The HTML report is one self-contained file: no script, no external
# fetch, the CSP meta, one h1, captioned tables, balanced markup, data
# escaped; 200 columns and 50 failing checks stay under 5 MB.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tools/reports-lib.sh"

CSP='<meta http-equiv="Content-Security-Policy" content="default-src '"'none'; style-src 'unsafe-inline'; img-src data:"'">'

# audit FILE: "ok", or what is wrong with the document's structure.
audit() {
    "$PY" - "$1" <<'PY'
import re, sys
from html.parser import HTMLParser
VOID = {"meta", "br", "rect", "line", "circle", "path", "hr", "img"}
OURS = {"html", "head", "meta", "title", "style", "body", "header", "h1",
        "h2", "h3", "p", "dl", "dt", "dd", "nav", "ul", "li", "a", "main",
        "section", "table", "caption", "thead", "tbody", "tr", "th", "td",
        "span", "details", "summary", "div", "svg", "desc", "rect", "line",
        "circle", "text", "footer"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.err, self.h1 = [], [], 0
        self.tables = self.captions = 0
    def handle_starttag(self, tag, attrs):
        if tag not in OURS:
            self.err.append("tag <%s>" % tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.err.append("event attribute %s" % k)
            if k in ("src", "href") and v and not v.startswith("#"):
                self.err.append("%s=%s" % (k, v))
        self.h1 += tag == "h1"
        self.tables += tag == "table"
        self.captions += tag == "caption"
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.err.append("</%s> closes %s" % (tag, self.stack[-1:]))
        else:
            self.stack.pop()
src = open(sys.argv[1], encoding="utf-8").read()
p = P()
p.feed(src)
if p.stack:
    p.err.append("unclosed %s" % p.stack)
if p.h1 != 1:
    p.err.append("%d h1" % p.h1)
if p.tables != p.captions:
    p.err.append("%d tables, %d captions" % (p.tables, p.captions))
if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", src):
    p.err.append("control characters")
if re.search(r"(?i)url\s*\(|@import|https?://", src):
    p.err.append("external reference")
print("ok" if not p.err else "; ".join(p.err[:5]))
PY
}

for f in $FIXTURES; do
    render html "$f"
    is "$rc" 0 "html renders $f"
    x=$(cat "$T/$f.html")
    unlike "$x" '<[sS][cC][rR][iI][pP][tT]' "$f: no <script"
    unlike "$x" '(src|href)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*(https?:)?//' \
        "$f: no src=/href= to an external URL"
    like "$x" "$CSP" "$f: CSP meta"
    like "$x" '^<!DOCTYPE html>$' "$f: doctype"
    is "$(audit "$T/$f.html")" ok "$f: balanced, one h1, captions, no fetch"
done
like "$(cat "$T/hostile.html")" '&lt;img src=x onerror=alert\(1\)&gt;' \
    "markup in data shows as text"
like "$(cat "$T/pass.html")" '<svg width="320" height="110" viewBox="0 0 320 110" role="img" aria-labelledby="g[0-9]+t g[0-9]+d"><title id=' \
    "histograms are inline SVG with a title and description"
like "$(cat "$T/bias.html")" '<rect class="band"' "bias interval bars"
like "$(cat "$T/pass.html")" '@media print' "print styles"
like "$(cat "$T/pass.html")" '2026-11-18T11:06:40Z' \
    "generated-at time honours SOURCE_DATE_EPOCH"

# Scale: 200 columns with histograms and long top values, 60 checks of
# which 50 fail with 100 long samples each.
"$PY" - "$FIX/fail.json" "$T/big.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
long = "<" * 20000
d["results"] = [{"id": "c%d.range" % i, "kind": "range",
                 "column": "c%d" % i, "severity": "fail",
                 "status": "fail" if i < 50 else "pass",
                 "failures": 1000 if i < 50 else 0, "checked": 10 ** 6,
                 "message": long,
                 "samples": [{"line": k + 2, "record": k + 1, "value": long}
                             for k in range(100 if i < 50 else 0)]}
                for i in range(60)]
d["profile"]["columns"] = [{
    "name": "column_%d" % i, "type": "number", "count": 10 ** 6,
    "nulls": 3, "distinct": 999, "min": 0, "max": 1, "mean": 0.5,
    "stddev": 0.29, "quantiles": {"p%02d" % q: q / 100 for q in range(1, 100)},
    "top": [{"value": long, "count": 100 - k} for k in range(50)],
    "histogram": {"edges": [k / 256 for k in range(257)],
                  "counts": [k * 37 % 1000 for k in range(256)]}}
    for i in range(200)]
json.dump(d, open(sys.argv[2], "w"))
PY
"$RENDER" render html "$T/big.json" >"$T/big.html"
is "$?" 0 "html renders 200 columns and 50 failing checks"
size=$(wc -c <"$T/big.html")
is "$((size < 5 * 1024 * 1024))" 1 "and stays under 5 MB ($size bytes)"
is "$(audit "$T/big.html")" ok "big report: balanced, captions, no fetch"
done_testing
