#!/bin/sh
# Markdown renders with cmark-gfm (GFM tables, no raw HTML from data);
# the github format is annotation lines, then the report fenced by
# ::stop-commands::, and appends a job summary to $GITHUB_STEP_SUMMARY.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tools/reports-lib.sh"

# cells FILE.html: "ok" when every table row has as many cells as its
# table's header row and no element other than ours came from data.
cells() {
    "$PY" - "$1" <<'PY'
import sys
from html.parser import HTMLParser
ALLOWED = {"h3", "h4", "p", "strong", "table", "thead", "tbody", "tr",
           "th", "td", "details", "summary", "sub", "br", "em"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad, self.rows, self.n = [], [], 0
    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.bad.append(tag)
        if tag == "table":
            self.rows.append([])
        elif tag == "tr":
            self.n = 0
        elif tag in ("td", "th"):
            self.n += 1
    def handle_endtag(self, tag):
        if tag == "tr":
            self.rows[-1].append(self.n)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
widths = [len(set(t)) for t in p.rows]
print("ok" if not p.bad and all(w == 1 for w in widths)
      else "bad tags %s widths %s" % (p.bad, widths))
PY
}

for f in $FIXTURES; do
    render markdown "$f"
    is "$rc" 0 "markdown renders $f"
    if have cmark-gfm; then
        cmark-gfm -e table -e strikethrough -e autolink --unsafe \
            "$T/$f.markdown" >"$T/$f.md.html"
        is "$?" 0 "$f: cmark-gfm -e table renders it"
        is "$(cells "$T/$f.md.html")" ok \
            "$f: tables are whole, no markup from data"
    else
        skip "cmark-gfm absent"
        skip "cmark-gfm absent"
    fi
done
if have cmark-gfm; then
    like "$(cat "$T/fail.md.html")" '<table>' "fail: has a table"
    like "$(cat "$T/hostile.md.html")" \
        '<td>col&lt;1&gt;\|&quot;x&quot;</td>' "escaped | and < survive as text"
else
    skip "cmark-gfm absent"
    skip "cmark-gfm absent"
fi

# ---- github ----
# shape FILE: "ok" when every line before ::stop-commands::TOKEN is an
# annotation, TOKEN resumes exactly once, and nothing follows but
# ::endgroup::.
shape() {
    "$PY" - "$1" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8", newline="").read().split("\n")
err = []
i = 0
while i < len(lines) and not lines[i].startswith("::group::"):
    if not re.match(r"::(error|warning|notice) [^\r]*::", lines[i]):
        err.append("line %d: %r" % (i + 1, lines[i][:60]))
    i += 1
m = re.match(r"::stop-commands::([0-9a-f]{32})$", lines[i + 1]) \
    if i + 1 < len(lines) else None
if not m:
    err.append("no stop-commands")
else:
    resume = "::%s::" % m.group(1)
    if lines.count(resume) != 1 or lines[-3:] != [resume, "::endgroup::", ""]:
        err.append("bad resume")
print("ok" if not err else "; ".join(err))
PY
}
for f in $FIXTURES; do
    render github "$f"
    is "$rc" 0 "github renders $f"
    is "$(shape "$T/$f.github")" ok "$f: annotations, then the fenced report"
done
x=$(cat "$T/fail.github")
like "$x" '^::error file=data/train.csv,line=1042,title=assay FAIL%3A age.range::age.range \(range, column age\): 12 of 999 failed%0A' \
    "::error with file, line, title and an escaped message"
like "$x" '^::warning file=data/train.csv,line=8,title=assay WARN%3A age.not_null::' \
    "warnings as ::warning"
x=$(cat "$T/hostile.github")
like "$x" '^::warning file=data/we%2Cird%3Ana%25me <x>.csv,line=5,title=assay WARN%3A %3A%3Aerror%3A%3Ainject::' \
    "property escaping of path and title"
is "$(grep -c '::error::pwned' "$T/hostile.github")" 2 \
    "'::error::' from data only inside a message or the fenced report"
LC_ALL=C grep -q "$(printf '\r')" "$T/hostile.github"
is "$?" 1 "no raw CR reaches the log"

# Job summary: appended (never truncated), under 1 MiB, renders.
export GITHUB_STEP_SUMMARY="$T/summary.md"
printf 'previous step\n' >"$GITHUB_STEP_SUMMARY"
render github fail
is "$rc" 0 "github with GITHUB_STEP_SUMMARY"
is "$(head -n1 "$GITHUB_STEP_SUMMARY")" "previous step" \
    "summary appended, earlier content kept"
like "$(cat "$GITHUB_STEP_SUMMARY")" '^### assay: .* FAIL' "summary heading"
is "$(( $(wc -c <"$GITHUB_STEP_SUMMARY") < 1048576 ))" 1 "summary under 1 MiB"
if have cmark-gfm; then
    cmark-gfm -e table "$GITHUB_STEP_SUMMARY" >"$T/summary.html"
    like "$(cat "$T/summary.html")" '<table>' "summary renders a table"
else
    skip "cmark-gfm absent"
fi
GITHUB_STEP_SUMMARY="$T/no/such/dir/summary.md" render github fail
is "$rc" 4 "unwritable summary is an error"
like "$(cat "$T/.err")" "cannot open step summary" "and says so"
unset GITHUB_STEP_SUMMARY
done_testing
