/* compliance_html.c -- the compliance report as one self-contained HTML
 * file.  Part of reports/: inline CSS and inline SVG only, no script, no
 * external fetch (a CSP meta forbids both), every data value escaped
 * with esc_html().  Sections follow csections[] (compliance.c); each
 * names the Datasheets questions and EU AI Act items it answers.  Every
 * chart carries a <title> with its numbers and sits beside a table.
 * Dense tables cap values (CR_SHORT), samples (CR_SAMPLES), top values
 * and bins, so 200 columns and 50 failing checks stay small. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "compliance_int.h"

static const char css[] =
    ":root{--fail:#b00020;--warn:#8a5300;--info:#0b5394;--pass:#1b7f3b;"
    "--error:#6a1b9a;--none:#5f5f5f;--line:#c8c8c8;font-family:system-ui,"
    "-apple-system,'Segoe UI',sans-serif;color:#1a1a1a;background:#fff}\n"
    "body{margin:0 auto;max-width:84rem;padding:1rem 2rem;"
    "line-height:1.4}\n"
    "h1{font-size:1.6rem;margin:.4rem 0}h2{border-bottom:2px solid "
    "var(--line);padding-bottom:.2rem;margin-top:2rem}h3{margin-top:1.4rem}"
    "\n"
    "table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.84rem}\n"
    "caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
    "th,td{border:1px solid var(--line);padding:.15rem .4rem;"
    "text-align:left;vertical-align:top}\n"
    "thead th{background:#f2f2f2}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".v,code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;"
    "font-size:.95em;overflow-wrap:anywhere;white-space:pre-wrap}"
    ".dim{color:#666}.h{font-family:ui-monospace,monospace;font-size:.8em;"
    "overflow-wrap:anywhere}\n"
    ".badge{display:inline-block;padding:0 .45rem;border-radius:.25rem;"
    "color:#fff;font-weight:600;font-size:.85em}\n"
    ".c-fail{background:var(--fail)}.c-warn{background:var(--warn)}"
    ".c-info{background:var(--info)}.c-pass{background:var(--pass)}"
    ".c-error{background:var(--error)}.c-none{background:var(--none)}\n"
    ".verdict{font-size:1.3rem}.big .badge{font-size:1.6rem;padding:"
    ".1rem .8rem}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem "
    "1rem;margin:.5rem 0}dl.meta dt{font-weight:600}dl.meta dd{margin:0;"
    "overflow-wrap:anywhere}\n"
    ".maps{font-size:.82rem;color:#444;border-left:3px solid var(--line);"
    "padding-left:.6rem}\n"
    "ul.smp{margin:.2rem 0 0;padding-left:1rem}ul.smp li{font-size:.9em}\n"
    "td.fill{min-width:10rem;height:2.2rem}table.sign td.fill{min-width:"
    "14rem;height:3rem}\n"
    "svg{overflow:visible}svg text{font-size:10px;fill:#333}"
    ".bar{fill:#4a78b5}.band{fill:#d8efd9}.axis{stroke:#888;"
    "stroke-width:1}.ci{stroke:#1a1a1a;stroke-width:2}.dot{fill:#1a1a1a}\n"
    ".node rect{stroke:#555;stroke-width:1.2}.k-snapshot rect{fill:#e8f0fb}"
    ".k-run rect{fill:#fdf0dc}.k-model rect{fill:#efe6f7}"
    ".k-deployment rect{fill:#e3f4e6}.node rect.s-fail{stroke:var(--fail);"
    "stroke-width:3}.node rect.s-warn,.node rect.s-unchecked{stroke:"
    "var(--warn);stroke-width:3;stroke-dasharray:5 3}.node .kind{font-size:"
    "9px;fill:#555}.node .lbl{font-size:11px;fill:#111}.edge{fill:none;"
    "stroke:#777;stroke-width:1.3}.elbl{font-size:9px;fill:#555}"
    ".arrowhead{fill:#777}\n"
    "figure{margin:.5rem 0;overflow-x:auto}figcaption{font-size:.85rem;"
    "color:#444}\n"
    "nav ol{columns:3 14rem;padding-left:1.4rem}\n"
    "footer{margin-top:2rem;color:#555;font-size:.85rem}\n"
    "@media print { section { break-inside: avoid } }\n"
    "@media print{body{max-width:none;padding:0}tr{break-inside:avoid}"
    "h2,h3,h4{break-after:avoid}.badge{border:1px solid #000;color:#000;"
    "background:none}figure{overflow:visible}}\n";

/* ---- small helpers ---- */

static void td(struct buf *b, const struct json_t *v, size_t max)
{
    buf_adds(b, j_is_number(v) ? "<td class=\"n\">" : "<td>");
    html_value(b, v, max);
    buf_adds(b, "</td>");
}

static void td_key(struct buf *b, const struct json_t *o, const char *key,
                   size_t max)
{
    td(b, j_get(o, key), max);
}

static void td_text(struct buf *b, const char *s, size_t max)
{
    buf_adds(b, "<td>");
    html_text(b, s, max);
    buf_adds(b, "</td>");
}

static void td_hash(struct buf *b, const char *s)
{
    buf_adds(b, "<td class=\"h\">");
    html_text(b, s, 80);
    buf_adds(b, "</td>");
}

static const char *word_class(const char *w)
{
    static const struct {
        const char *word, *cls;
    } map[] = {
        { "fail", "c-fail" }, { "warn", "c-warn" }, { "info", "c-info" },
        { "pass", "c-pass" }, { "error", "c-error" },
    };
    size_t i;

    for (i = 0; w != NULL && i < ARRAY_SIZE(map); i++)
        if (strcmp(map[i].word, w) == 0)
            return map[i].cls;
    return "c-none";
}

/* A badge for a verdict or severity word ("fail" ...). */
static void badge(struct buf *b, const char *w)
{
    struct buf up = BUF_INIT;
    size_t i;

    buf_adds(&up, w);
    for (i = 0; i < up.len; i++)
        if (up.data[i] >= 'a' && up.data[i] <= 'z')
            up.data[i] = (char)(up.data[i] - 32);
    buf_printf(b, "<span class=\"badge %s\">", word_class(w));
    html_text(b, buf_cstr(&up), 16);
    buf_adds(b, "</span>");
    buf_release(&up);
}

/* The first 12 characters of a hash, without a cut marker. */
static void short_hash(struct buf *b, const char *h)
{
    char tmp[13];

    snprintf(tmp, sizeof tmp, "%s", h != NULL ? h : "");
    html_text(b, tmp, ESC_ALL);
}

/* "churn_train b2d856c2827f" */
static void snap_name(struct buf *b, const struct csnap *s)
{
    html_text(b, s->dataset, CR_SHORT);
    buf_adds(b, " <span class=\"h dim\">");
    short_hash(b, s->sha256);
    buf_adds(b, "</span>");
}

static void section_open(struct buf *b, size_t i)
{
    const struct csection *c = &csections[i];

    buf_printf(b, "<section id=\"%s\" aria-labelledby=\"h-%s\">\n"
               "<h2 id=\"h-%s\">%zu %s</h2>\n", c->id, c->id, c->id, i + 1,
               c->title);
    if (strcmp(c->id, "mapping") != 0)
        buf_printf(b, "<p class=\"maps\"><strong>Answers</strong> "
                   "Datasheets for Datasets: %s. EU AI Act: %s. NIST AI "
                   "RMF: %s. ISO/IEC 42001: %s.</p>\n", c->datasheet,
                   c->euai, c->nist, c->iso);
}

/* ---- header, contents ---- */

static void meta(struct buf *b, const char *dt, const char *dd, size_t max)
{
    buf_printf(b, "<dt>%s</dt><dd>", dt);
    html_text(b, dd, max);
    buf_adds(b, "</dd>\n");
}

static void header(struct buf *b, const struct cmodel *m)
{
    const struct json_t *ev = m->ev, *ledger = j_get(ev, "ledger");
    struct buf t = BUF_INIT;

    buf_adds(b, "<header>\n<h1>Training data compliance report: ");
    html_text(b, m->name, 2 * CR_SHORT);
    buf_adds(b, "</h1>\n<p class=\"verdict\">Verdict: ");
    badge(b, m->verdict);
    buf_printf(b, " &#8212; checks and bias limits: %zu failed, %zu "
               "error%s, %zu warning%s, %zu passed; %zu gap%s to address"
               "</p>\n<dl class=\"meta\">\n",
               m->item_count[IC_FAIL], m->item_count[IC_ERROR],
               m->item_count[IC_ERROR] == 1 ? "" : "s",
               m->item_count[IC_WARN], m->item_count[IC_WARN] == 1 ? "" :
               "s", m->item_count[IC_PASS],
               m->gap_count[GAP_FAIL] + m->gap_count[GAP_WARN],
               m->gap_count[GAP_FAIL] + m->gap_count[GAP_WARN] == 1 ? "" :
               "s");
    buf_printf(&t, "%s %s", m->kind, m->ref);
    meta(b, "Target", buf_cstr(&t), 4 * CR_SHORT);
    meta(b, "Identifier", m->id, 80);
    buf_reset(&t);
    buf_printf(&t, "%zu snapshot%s (%zu checked), %zu run%s, %zu model%s, "
               "%zu deployment%s", m->nsnaps, m->nsnaps == 1 ? "" : "s",
               m->nchecked, j_len(j_get(ev, "runs")),
               j_len(j_get(ev, "runs")) == 1 ? "" : "s",
               j_len(j_get(ev, "models")),
               j_len(j_get(ev, "models")) == 1 ? "" : "s",
               j_len(j_get(ev, "deployments")),
               j_len(j_get(ev, "deployments")) == 1 ? "" : "s");
    meta(b, "Scope", buf_cstr(&t), ESC_ALL);
    meta(b, "Generated", m->generated, 40);
    buf_reset(&t);
    buf_printf(&t, "assay %s", m->tool_version);
    meta(b, "Tool", buf_cstr(&t), 64);
    if (j_is_object(ledger)) {
        buf_reset(&t);
        fmt_value(&t, j_get(ledger, "entries"));
        buf_adds(&t, " entries, head ");
        buf_adds(&t, j_string(j_get(ledger, "head")) ?
                 j_string(j_get(ledger, "head")) : "-");
        meta(b, "Lineage ledger", buf_cstr(&t), 160);
    }
    buf_adds(b, "</dl>\n</header>\n");
    buf_release(&t);
}

static void contents(struct buf *b)
{
    size_t i;

    buf_adds(b, "<nav aria-labelledby=\"h-contents\">\n<h2 id=\"h-contents\">"
             "Contents</h2>\n<ol>\n");
    for (i = 0; i < ncsections; i++)
        buf_printf(b, "<li><a href=\"#%s\">%s</a></li>\n", csections[i].id,
                   csections[i].title);
    buf_adds(b, "</ol>\n</nav>\n");
}

/* ---- 1 identification ---- */

static void identification(struct buf *b, const struct cmodel *m)
{
    const struct json_t *runs = j_get(m->ev, "runs");
    const struct json_t *models = j_get(m->ev, "models");
    const struct json_t *r, *s;
    size_t i, k;

    section_open(b, csection_index("identification"));
    if (j_len(runs) > 0) {
        buf_printf(b, "<table>\n<caption>Training runs (%zu)</caption>\n"
                   "<thead><tr><th scope=\"col\">Run</th><th scope=\"col\">"
                   "ID</th><th scope=\"col\">Status</th><th scope=\"col\">"
                   "Code revision</th><th scope=\"col\">Started</th>"
                   "<th scope=\"col\">Finished</th><th scope=\"col\">"
                   "Parameters</th><th scope=\"col\">Metrics</th>"
                   "<th scope=\"col\">Inputs</th></tr></thead>\n<tbody>\n",
                   j_len(runs));
        for (i = 0; i < j_len(runs); i++) {
            r = j_at(runs, i);
            buf_adds(b, "<tr><th scope=\"row\">");
            html_value(b, j_get(r, "name"), CR_SHORT);
            buf_adds(b, "</th>");
            td_hash(b, j_string(j_get(r, "id")));
            td_key(b, r, "status", CR_SHORT);
            td_key(b, r, "code_rev", CR_SHORT);
            td_key(b, r, "started", 40);
            td_key(b, r, "finished", 40);
            td_key(b, r, "params", VALUE_CAP);
            td_key(b, r, "metrics", VALUE_CAP);
            buf_adds(b, "<td>");
            for (k = 0; k < j_len(j_get(r, "inputs")); k++) {
                const struct json_t *in = j_at(j_get(r, "inputs"), k);

                if (k > 0)
                    buf_adds(b, "<br>");
                html_value(b, j_get(in, "role"), CR_SHORT);
                buf_adds(b, ": <span class=\"h\">");
                short_hash(b, j_string(j_get(in, "sha256")));
                buf_adds(b, "</span>");
            }
            buf_adds(b, "</td></tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
    }
    buf_printf(b, "<table>\n<caption>Snapshots in scope (%zu)</caption>\n"
               "<thead><tr><th scope=\"col\">#</th><th scope=\"col\">"
               "Dataset</th><th scope=\"col\">Path</th><th scope=\"col\">"
               "Roles</th><th scope=\"col\">Bytes</th><th scope=\"col\">"
               "Rows</th><th scope=\"col\">Columns</th><th scope=\"col\">"
               "Recorded</th><th scope=\"col\">Checks</th></tr></thead>\n"
               "<tbody>\n", m->nsnaps);
    for (i = 0; i < m->nsnaps; i++) {
        s = m->snaps[i].obj;
        buf_printf(b, "<tr><td class=\"n\">%zu</td><th scope=\"row\">",
                   i + 1);
        snap_name(b, &m->snaps[i]);
        buf_adds(b, "</th><td class=\"v\">");
        html_value(b, j_get(s, "path"), VALUE_CAP);
        buf_adds(b, "</td>");
        if (csnap_role(m, i) != NULL)
            td_text(b, csnap_role(m, i), 8);
        else
            td_key(b, s, "roles", CR_SHORT);
        td_key(b, s, "bytes", 32);
        td_key(b, s, "rows", 32);
        td_key(b, s, "columns", 32);
        td_key(b, s, "recorded", 40);
        buf_adds(b, "<td>");
        badge(b, m->snaps[i].verdict);
        buf_adds(b, "</td></tr>\n");
    }
    buf_adds(b, "</tbody>\n</table>\n");
    if (j_len(models) > 0) {
        buf_adds(b, "<table>\n<caption>Models</caption>\n<thead><tr>"
                 "<th scope=\"col\">Path</th><th scope=\"col\">sha256</th>"
                 "<th scope=\"col\">Bytes</th><th scope=\"col\">Run</th>"
                 "</tr></thead>\n<tbody>\n");
        for (i = 0; i < j_len(models); i++) {
            r = j_at(models, i);
            buf_adds(b, "<tr><th scope=\"row\" class=\"v\">");
            html_value(b, j_get(r, "path"), VALUE_CAP);
            buf_adds(b, "</th>");
            td_hash(b, j_string(j_get(r, "sha256")));
            td_key(b, r, "bytes", 32);
            td_hash(b, j_string(j_get(r, "run")));
            buf_adds(b, "</tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
    }
    buf_adds(b, "</section>\n");
}

/* ---- 2 provenance ---- */

/* The csnap a graph node stands for (its id names the sha256). */
static const struct csnap *node_snap(const struct cmodel *m,
                                     const struct gnode *nd)
{
    size_t i;

    if (strcmp(nd->kind, "snapshot") != 0)
        return NULL;
    for (i = 0; i < m->nsnaps; i++)
        if (*m->snaps[i].sha256 != '\0' &&
            strcmp(strncmp(nd->id, "snapshot:", 9) == 0 ? nd->id + 9 :
                   nd->id, m->snaps[i].sha256) == 0)
            return &m->snaps[i];
    return NULL;
}

static void graph_svg(struct buf *b, const struct cmodel *m,
                      const struct glayout *g)
{
    size_t i;

    buf_printf(b, "<figure>\n<svg width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
               "aria-labelledby=\"pg-t pg-d\"><title id=\"pg-t\">Upstream "
               "lineage of ", g->width, g->height, g->width, g->height);
    html_text(b, m->name, CR_SHORT);
    buf_printf(b, "</title><desc id=\"pg-d\">%zu nodes and %zu edges drawn "
               "left to right from the sources; the table below lists the "
               "same edges.</desc>\n<defs><marker id=\"arrow\" viewBox=\"0 "
               "0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
               "markerHeight=\"7\" orient=\"auto\"><path class=\"arrowhead\""
               " d=\"M0,0L10,5L0,10z\"/></marker></defs>\n", g->n,
               g->nedges);
    for (i = 0; i < g->nedges; i++) {
        const struct gnode *f = &g->nodes[g->edges[i].from];
        const struct gnode *t = &g->nodes[g->edges[i].to];
        double x1 = f->x + GNODE_W, y1 = f->y + GNODE_H / 2;
        double x2 = t->x, y2 = t->y + GNODE_H / 2, mx = (x1 + x2) / 2;

        if (t->rank <= f->rank) {       /* a cycle: a straight line */
            x2 = t->x + GNODE_W / 2;
            y2 = t->y + (t->y > f->y ? 0 : GNODE_H);
            buf_printf(b, "<path class=\"edge\" d=\"M%.1f,%.1fL%.1f,%.1f\" "
                       "marker-end=\"url(#arrow)\"/>\n", x1, y1, x2, y2);
            continue;
        }
        buf_printf(b, "<path class=\"edge\" d=\"M%.1f,%.1fC%.1f,%.1f "
                   "%.1f,%.1f %.1f,%.1f\" marker-end=\"url(#arrow)\"/>\n",
                   x1, y1, mx, y1, mx, y2, x2, y2);
        if (g->edges[i].label != NULL && *g->edges[i].label != '\0') {
            buf_printf(b, "<text class=\"elbl\" x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"middle\">", mx, (y1 + y2) / 2 - 3);
            html_text(b, g->edges[i].label, 14);
            buf_adds(b, "</text>\n");
        }
    }
    for (i = 0; i < g->n; i++) {
        const struct gnode *nd = &g->nodes[i];
        const struct csnap *s = node_snap(m, nd);
        const char *kind = nd->kind;

        buf_adds(b, "<g class=\"node k-");
        html_text(b, kind, 16);
        buf_adds(b, "\"><title>");
        html_text(b, kind, 16);
        buf_adds(b, ": ");
        html_text(b, nd->label, VALUE_CAP);
        buf_adds(b, " (");
        html_text(b, nd->id, VALUE_CAP);
        if (s != NULL) {
            buf_adds(b, "), checks: ");
            html_text(b, s->verdict, 16);
        } else {
            buf_adds(b, ")");
        }
        buf_printf(b, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" "
                   "height=\"%.0f\" rx=\"6\"", nd->x, nd->y, GNODE_W,
                   GNODE_H);
        if (s != NULL && strcmp(s->verdict, "pass") != 0)
            buf_printf(b, " class=\"s-%s\"", s->verdict);
        buf_printf(b, "/><text class=\"kind\" x=\"%.1f\" y=\"%.1f\">",
                   nd->x + 8, nd->y + 15);
        html_text(b, kind, 16);
        if (s != NULL) {
            buf_adds(b, " &#183; checks ");
            html_text(b, s->verdict, 16);
        }
        buf_printf(b, "</text><text class=\"lbl\" x=\"%.1f\" y=\"%.1f\">",
                   nd->x + 8, nd->y + 33);
        html_text(b, nd->label, 26);
        buf_adds(b, "</text></g>\n");
    }
    buf_adds(b, "</svg>\n<figcaption>Figure 1. Upstream lineage, sources on "
             "the left");
    if (g->total > g->n)
        buf_printf(b, " (the first %zu of %zu nodes are drawn; the tables "
                   "list all)", g->n, g->total);
    buf_adds(b, ". A red border marks a snapshot that failed its checks, a "
             "dashed one a warning or no checks.</figcaption>\n</figure>\n");
}

static void provenance(struct buf *b, const struct cmodel *m)
{
    const struct json_t *graph = j_get(m->ev, "graph");
    const struct json_t *edges = j_get(graph, "edges");
    const struct json_t *ders = j_get(m->ev, "derivations");
    const struct json_t *deps = j_get(m->ev, "deployments");
    const struct json_t *e;
    struct glayout g;
    size_t i, k;

    section_open(b, csection_index("provenance"));
    g_layout(&g, graph);
    if (g.n > 0)
        graph_svg(b, m, &g);
    else
        buf_adds(b, "<p>No lineage graph was recorded.</p>\n");
    g_release(&g);
    if (j_len(edges) > 0) {
        buf_printf(b, "<table>\n<caption>Lineage edges (%zu)</caption>\n"
                   "<thead><tr><th scope=\"col\">From</th><th scope=\"col\">"
                   "Relation</th><th scope=\"col\">To</th></tr></thead>\n"
                   "<tbody>\n", j_len(edges));
        for (i = 0; i < j_len(edges); i++) {
            e = j_at(edges, i);
            buf_adds(b, "<tr><td>");
            html_text(b, cgraph_label(graph, j_string(j_get(e, "from"))),
                 CR_SHORT);
            buf_adds(b, "</td>");
            td_key(b, e, "label", CR_SHORT);
            buf_adds(b, "<td>");
            html_text(b, cgraph_label(graph, j_string(j_get(e, "to"))), CR_SHORT);
            buf_adds(b, "</td></tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
    }
    if (j_len(ders) > 0) {
        buf_printf(b, "<table>\n<caption>Derivations: preparation "
                   "operations (%zu)</caption>\n<thead><tr><th scope=\"col\">"
                   "Output</th><th scope=\"col\">Inputs</th><th scope="
                   "\"col\">Transform</th><th scope=\"col\">Code revision"
                   "</th><th scope=\"col\">Recorded</th></tr></thead>\n"
                   "<tbody>\n", j_len(ders));
        for (i = 0; i < j_len(ders); i++) {
            e = j_at(ders, i);
            buf_adds(b, "<tr>");
            td_hash(b, j_string(j_get(e, "output")));
            buf_adds(b, "<td class=\"h\">");
            for (k = 0; k < j_len(j_get(e, "inputs")); k++) {
                if (k > 0)
                    buf_adds(b, "<br>");
                html_value(b, j_at(j_get(e, "inputs"), k), 80);
            }
            buf_adds(b, "</td>");
            td_key(b, e, "transform", VALUE_CAP);
            td_key(b, e, "code_rev", CR_SHORT);
            td_key(b, e, "recorded", 40);
            buf_adds(b, "</tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
    }
    buf_adds(b, "<table>\n<caption>Where each snapshot was seen</caption>\n"
             "<thead><tr><th scope=\"col\">Snapshot</th><th scope=\"col\">"
             "Paths</th><th scope=\"col\">Overwritten in place</th></tr>"
             "</thead>\n<tbody>\n");
    for (i = 0; i < m->nsnaps; i++) {
        const struct json_t *paths = j_get(m->snaps[i].obj, "paths");

        buf_adds(b, "<tr><th scope=\"row\">");
        snap_name(b, &m->snaps[i]);
        buf_adds(b, "</th><td class=\"v\">");
        for (k = 0; k < j_len(paths) && k < 10; k++) {
            if (k > 0)
                buf_adds(b, "<br>");
            html_value(b, j_at(paths, k), VALUE_CAP);
        }
        if (j_len(paths) > 10)
            buf_printf(b, "<br>(%zu more)", j_len(paths) - 10);
        buf_adds(b, "</td><td>");
        if (j_is_true(j_get(m->snaps[i].obj, "overwrite")))
            badge(b, "warn");
        else
            buf_adds(b, "no");
        buf_adds(b, "</td></tr>\n");
    }
    buf_adds(b, "</tbody>\n</table>\n");
    if (j_len(deps) > 0) {
        buf_adds(b, "<table>\n<caption>Deployments</caption>\n<thead><tr>"
                 "<th scope=\"col\">Environment</th><th scope=\"col\">Model"
                 "</th><th scope=\"col\">Deployed</th><th scope=\"col\">Live"
                 "</th></tr></thead>\n<tbody>\n");
        for (i = 0; i < j_len(deps); i++) {
            e = j_at(deps, i);
            buf_adds(b, "<tr><th scope=\"row\">");
            html_value(b, j_get(e, "env"), CR_SHORT);
            buf_adds(b, "</th>");
            td_hash(b, j_string(j_get(e, "model")));
            td_key(b, e, "deployed", 40);
            td_text(b, j_is_true(j_get(e, "live")) ? "yes" : "no", 8);
            buf_adds(b, "</tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
    }
    buf_adds(b, "</section>\n");
}

/* ---- 3 data quality ---- */

/* "<h3 id="quality-2">3.2 churn_train (b2d8...) FAIL</h3>" */
static void snap_heading(struct buf *b, size_t sec, const struct csnap *s,
                         size_t i)
{
    buf_printf(b, "<h3 id=\"%s-%zu\">%zu.%zu ", csections[sec].id, i + 1,
               sec + 1, i + 1);
    snap_name(b, s);
    buf_adds(b, " ");
    badge(b, s->verdict);
    if (s->upstream)
        buf_adds(b, " <span class=\"dim\">upstream: context, not part "
                 "of the verdict</span>");
    buf_adds(b, "</h3>\n");
}

static void check_row(struct buf *b, const struct ritem *it)
{
    const struct json_t *ss = j_get(it->obj, "samples"), *sm;
    const struct json_t *obs = j_get(it->obj, "observed");
    struct buf t = BUF_INIT;
    size_t i, n = j_len(ss);

    buf_adds(b, "<tr><td>");
    badge(b, citem_word(it->cls));
    buf_adds(b, "</td><th scope=\"row\" class=\"v\">");
    html_text(b, it->id, CR_SHORT);
    buf_adds(b, "</th>");
    td_text(b, it->kind, 24);
    buf_adds(b, "<td class=\"v\">");
    html_text(b, it->column, CR_SHORT);
    buf_adds(b, "</td>");
    td(b, j_get(it->obj, "failures"), 32);
    td(b, j_get(it->obj, "checked"), 32);
    /* observed: objects are long; numbers and short strings fit */
    td(b, obs, CR_SHORT);
    buf_adds(b, "<td>");
    if (j_get(it->obj, "limit") != NULL && !j_is_null(j_get(it->obj,
                                                             "limit"))) {
        fmt_limit(&t, j_get(it->obj, "limit"));
        html_text(b, buf_cstr(&t), CR_SHORT * 2);
    }
    buf_adds(b, "</td><td>");
    html_text(b, it->message, VALUE_CAP);
    if (n > 0 && it->cls != IC_PASS) {
        buf_adds(b, "<ul class=\"smp\">");
        for (i = 0; i < n && i < CR_SAMPLES; i++) {
            sm = j_at(ss, i);
            buf_printf(b, "<li>line %lld (record %lld): ",
                       j_integer(j_get(sm, "line")),
                       j_integer(j_get(sm, "record")));
            if (j_string(j_get(sm, "value")) != NULL &&
                *j_string(j_get(sm, "value")) == '\0') {
                buf_adds(b, "<span class=\"dim\">(empty)</span>");
            } else {
                buf_adds(b, "<code>");
                html_value(b, j_get(sm, "value"), 80);
                buf_adds(b, "</code>");
            }
            buf_adds(b, "</li>");
        }
        if (n > CR_SAMPLES)
            buf_printf(b, "<li class=\"dim\">%zu more samples in the "
                       "JSON report</li>", n - CR_SAMPLES);
        buf_adds(b, "</ul>");
    }
    buf_adds(b, "</td></tr>\n");
    buf_release(&t);
}

static void quality(struct buf *b, const struct cmodel *m)
{
    size_t i, k, *ord, nchecks;
    const struct csnap *s;

    section_open(b, csection_index("quality"));
    for (i = 0; i < m->nsnaps; i++) {
        s = &m->snaps[i];
        snap_heading(b, csection_index("quality"), s, i);
        if (s->check == NULL) {
            buf_adds(b, "<p>Never checked: no data quality evidence for "
                     "this snapshot (listed in section 6).</p>\n");
            continue;
        }
        buf_adds(b, "<p>Checked ");
        html_value(b, j_get(s->check, "checked"), 40);
        buf_adds(b, " by assay ");
        html_value(b, j_get(s->check, "tool_version"), 32);
        buf_adds(b, " against the rules file <span class=\"v\">");
        html_value(b, j_get(j_get(s->check, "rules"), "path"), VALUE_CAP);
        buf_adds(b, "</span> (sha256 <span class=\"h\">");
        html_value(b, j_get(j_get(s->check, "rules"), "sha256"), 80);
        buf_printf(b, "</span>).</p>\n");
        ord = csnap_checks(s, &nchecks);
        buf_printf(b, "<table>\n<caption>Checks on ");
        html_text(b, s->dataset, CR_SHORT);
        buf_printf(b, " (%zu), worst first</caption>\n<thead><tr>"
                   "<th scope=\"col\">Outcome</th><th scope=\"col\">Check"
                   "</th><th scope=\"col\">Kind</th><th scope=\"col\">"
                   "Column</th><th scope=\"col\">Failures</th>"
                   "<th scope=\"col\">Checked</th><th scope=\"col\">"
                   "Observed</th><th scope=\"col\">Limit</th>"
                   "<th scope=\"col\">Message and samples</th></tr></thead>"
                   "\n<tbody>\n", nchecks);
        for (k = 0; k < nchecks; k++)
            check_row(b, &s->ctx.items[ord[k]]);
        buf_adds(b, "</tbody>\n</table>\n");
        free(ord);
    }
    if (m->nsnaps == 0)
        buf_adds(b, "<p>No snapshot in scope.</p>\n");
    buf_adds(b, "</section>\n");
}

/* ---- 4 profile ---- */

struct bin {
    double lo, hi, count;
};

/* {"edges": [n+1], "counts": [n]} merged down to CR_BINS bins.  Returns
 * the number of bins (0: none); *out is owned by the caller. */
static size_t bins_of(const struct json_t *h, struct bin **out)
{
    const struct json_t *edges = j_get(h, "edges");
    const struct json_t *counts = j_get(h, "counts");
    size_t i, j, k, n = j_len(counts), group;
    struct bin *v;

    *out = NULL;
    if (n == 0 || j_len(edges) != n + 1)
        return 0;
    v = xcalloc(n, sizeof *v);
    for (i = 0; i < n; i++) {
        v[i].lo = j_number(j_at(edges, i));
        v[i].hi = j_number(j_at(edges, i + 1));
        v[i].count = j_number(j_at(counts, i));
    }
    if (n > CR_BINS) {
        group = (n + CR_BINS - 1) / CR_BINS;
        for (i = 0, k = 0; i < n; i += group, k++) {
            struct bin mg = v[i];

            for (j = i + 1; j < n && j < i + group; j++) {
                mg.count += v[j].count;
                mg.hi = v[j].hi;
            }
            v[k] = mg;
        }
        n = k;
    }
    *out = v;
    return n;
}

/* A 120x26 bar chart; its <title> carries every number. */
static void sparkline(struct buf *b, const char *what, const char *col,
                      const double *counts, size_t n, const struct bin *bins,
                      const struct json_t *top)
{
    double max = 0, w, h;
    size_t i;

    for (i = 0; i < n; i++)
        max = fmax(max, counts[i]);
    w = 120.0 / (double)(n > 0 ? n : 1);
    buf_adds(b, "<svg width=\"120\" height=\"26\" viewBox=\"0 0 120 26\" "
             "role=\"img\"><title>");
    buf_adds(b, what);
    html_text(b, col, CR_SHORT);
    if (bins != NULL) {
        buf_adds(b, " from ");
        html_num(b, bins[0].lo);
        buf_adds(b, " to ");
        html_num(b, bins[n - 1].hi);
        buf_printf(b, ", %zu bins:", n);
    } else {
        buf_adds(b, ":");
    }
    for (i = 0; i < n; i++) {
        buf_adds(b, i > 0 ? ", " : " ");
        if (top != NULL) {
            html_value(b, j_get(j_at(top, i), "value"), 24);
            buf_adds(b, " ");
        }
        html_num(b, counts[i]);
    }
    buf_adds(b, "</title>");
    for (i = 0; i < n; i++) {
        /* a hostile document's count: negative or not finite draws 0 */
        h = max > 0 && isfinite(max) && counts[i] > 0 ?
            24.0 * counts[i] / max : 0;
        if (!(h >= 0 && h <= 24))
            h = 0;
        if (counts[i] > 0 && h < 1)
            h = 1;
        buf_printf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
                   "width=\"%.1f\" height=\"%.1f\"/>", w * (double)i,
                   25 - h, w > 2 ? w - 1 : w, h);
    }
    buf_adds(b, "<line class=\"axis\" x1=\"0\" y1=\"25.5\" x2=\"120\" "
             "y2=\"25.5\"/></svg>");
}

static void column_chart(struct buf *b, const struct json_t *c)
{
    struct bin *bins = NULL;
    size_t i, n = bins_of(j_get(c, "histogram"), &bins);
    const struct json_t *top = j_get(c, "top");
    double *counts;

    if (n > 0) {
        counts = xcalloc(n, sizeof *counts);
        for (i = 0; i < n; i++)
            counts[i] = bins[i].count;
        sparkline(b, "Histogram of ", j_string(j_get(c, "name")), counts,
                  n, bins, NULL);
        free(counts);
    } else if (j_len(top) > 0) {
        n = MIN(j_len(top), (size_t)10);
        counts = xcalloc(n, sizeof *counts);
        for (i = 0; i < n; i++)
            counts[i] = j_number(j_get(j_at(top, i), "count"));
        sparkline(b, "Most frequent values of ", j_string(j_get(c,
                  "name")), counts, n, NULL, top);
        free(counts);
    }
    free(bins);
}

static void profile_table(struct buf *b, const struct csnap *s)
{
    const struct json_t *cols = j_get(j_get(s->check, "profile"),
                                      "columns");
    const struct json_t *c, *q, *top;
    size_t i, k, n = j_len(cols);
    static const char *const qk[] = { "p5", "p50", "p95" };
    double count, nulls;

    if (n == 0) {
        buf_adds(b, "<p>No profile was recorded with this check.</p>\n");
        return;
    }
    buf_adds(b, "<table>\n<caption>Profile of ");
    html_text(b, s->dataset, CR_SHORT);
    buf_printf(b, " (%zu columns)</caption>\n<thead><tr><th scope=\"col\">"
               "Column</th><th scope=\"col\">Type</th><th scope=\"col\">"
               "Count</th><th scope=\"col\">Nulls</th><th scope=\"col\">"
               "Distinct</th><th scope=\"col\">Min</th><th scope=\"col\">"
               "Max</th><th scope=\"col\">Mean</th><th scope=\"col\">"
               "Std dev</th><th scope=\"col\">p5 / p50 / p95</th>"
               "<th scope=\"col\">Top values</th><th scope=\"col\">"
               "Distribution</th></tr></thead>\n<tbody>\n", n);
    for (i = 0; i < n; i++) {
        c = j_at(cols, i);
        buf_adds(b, "<tr><th scope=\"row\" class=\"v\">");
        html_value(b, j_get(c, "name"), CR_SHORT);
        buf_adds(b, "</th>");
        td_key(b, c, "type", 16);
        td_key(b, c, "count", 32);
        buf_adds(b, "<td class=\"n\">");
        html_value(b, j_get(c, "nulls"), 32);
        count = j_number(j_get(c, "count"));
        nulls = j_number(j_get(c, "nulls"));
        if (count > 0 && j_is_number(j_get(c, "nulls")))
            buf_printf(b, " (%.2g%%)", 100.0 * nulls / count);
        buf_adds(b, "</td>");
        td_key(b, c, "distinct", 32);
        td_key(b, c, "min", 24);
        td_key(b, c, "max", 24);
        td_key(b, c, "mean", 24);
        td_key(b, c, "stddev", 24);
        q = j_get(c, "quantiles");
        buf_adds(b, "<td class=\"n\">");
        if (j_is_object(q))
            for (k = 0; k < ARRAY_SIZE(qk); k++) {
                if (k > 0)
                    buf_adds(b, " / ");
                html_value(b, j_get(q, qk[k]), 24);
            }
        buf_adds(b, "</td><td class=\"v\">");
        top = j_get(c, "top");
        for (k = 0; k < j_len(top) && k < CR_TOP; k++) {
            if (k > 0)
                buf_adds(b, "<br>");
            html_value(b, j_get(j_at(top, k), "value"), 24);
            buf_adds(b, " <span class=\"dim\">&#215;");
            html_value(b, j_get(j_at(top, k), "count"), 24);
            buf_adds(b, "</span>");
        }
        buf_adds(b, "</td><td>");
        column_chart(b, c);
        buf_adds(b, "</td></tr>\n");
    }
    buf_adds(b, "</tbody>\n</table>\n");
}

static void profile(struct buf *b, const struct cmodel *m)
{
    size_t i;

    section_open(b, csection_index("profile"));
    buf_adds(b, "<p>Each distribution chart is titled with its numbers "
             "(hover or read it with assistive technology); the table "
             "row beside it gives the statistics.</p>\n");
    for (i = 0; i < m->nsnaps; i++) {
        if (m->snaps[i].check == NULL)
            continue;
        snap_heading(b, csection_index("profile"), &m->snaps[i], i);
        profile_table(b, &m->snaps[i]);
    }
    if (m->nchecked == 0)
        buf_adds(b, "<p>No snapshot in scope was profiled.</p>\n");
    buf_adds(b, "</section>\n");
}

/* ---- 5 bias ---- */

static double xpos(double v, double lo, double hi)
{
    return 4.0 + 172.0 * ((fmin(fmax(v, lo), hi) - lo) / (hi - lo));
}

/* A 180x22 whisker: the allowed band, zero, the 95% interval, the
 * value; titled with the same numbers. */
static void interval_bar(struct buf *b, const char *metric,
                         const struct json_t *mv, const struct json_t *lim)
{
    const struct json_t *v = j_get(mv, "value"), *ci = j_get(mv, "ci95");
    double lo = 0, hi = 0, blo, bhi, x0, x1, pad;
    int band = limit_band(lim, &blo, &bhi);
    int has_ci = j_len(ci) == 2 && j_is_number(j_at(ci, 0)) &&
                 j_is_number(j_at(ci, 1));
    struct buf t = BUF_INIT;

    if (!j_is_number(v) || (!band && !has_ci))
        return;
    band_widen(&lo, &hi, j_number(v));
    if (has_ci) {
        band_widen(&lo, &hi, j_number(j_at(ci, 0)));
        band_widen(&lo, &hi, j_number(j_at(ci, 1)));
    }
    if (band) {
        band_widen(&lo, &hi, blo);
        band_widen(&lo, &hi, bhi);
    }
    if (hi - lo < 1e-12) {
        lo -= 1;
        hi += 1;
    }
    pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    buf_adds(b, "<svg width=\"180\" height=\"22\" viewBox=\"0 0 180 22\" "
             "role=\"img\"><title>");
    html_text(b, metric, 16);
    buf_adds(b, " = ");
    html_num(b, j_number(v));
    if (has_ci) {
        buf_adds(b, ", 95% interval ");
        html_num(b, j_number(j_at(ci, 0)));
        buf_adds(b, " to ");
        html_num(b, j_number(j_at(ci, 1)));
    }
    if (band) {
        fmt_limit(&t, lim);
        buf_adds(b, ", allowed ");
        html_text(b, buf_cstr(&t), CR_SHORT);
    }
    buf_adds(b, "</title>");
    x0 = xpos(blo, lo, hi);
    x1 = xpos(bhi, lo, hi);
    if (band && x1 > x0)
        buf_printf(b, "<rect class=\"band\" x=\"%.1f\" y=\"3\" "
                   "width=\"%.1f\" height=\"16\"/>", x0, x1 - x0);
    buf_printf(b, "<line class=\"axis\" x1=\"%.1f\" y1=\"2\" x2=\"%.1f\" "
               "y2=\"20\"/>", xpos(0.0, lo, hi), xpos(0.0, lo, hi));
    if (has_ci)
        buf_printf(b, "<line class=\"ci\" x1=\"%.1f\" y1=\"11\" x2=\"%.1f\" "
                   "y2=\"11\"/><line class=\"ci\" x1=\"%.1f\" y1=\"7\" "
                   "x2=\"%.1f\" y2=\"15\"/><line class=\"ci\" x1=\"%.1f\" "
                   "y1=\"7\" x2=\"%.1f\" y2=\"15\"/>",
                   xpos(j_number(j_at(ci, 0)), lo, hi),
                   xpos(j_number(j_at(ci, 1)), lo, hi),
                   xpos(j_number(j_at(ci, 0)), lo, hi),
                   xpos(j_number(j_at(ci, 0)), lo, hi),
                   xpos(j_number(j_at(ci, 1)), lo, hi),
                   xpos(j_number(j_at(ci, 1)), lo, hi));
    buf_printf(b, "<circle class=\"dot\" cx=\"%.1f\" cy=\"11\" r=\"4\"/>"
               "</svg>", xpos(j_number(v), lo, hi));
    buf_release(&t);
}

static void bias_stage(struct buf *b, const struct csnap *s,
                       const struct json_t *bo, const char *stage,
                       const char *title)
{
    struct json_t *o = j_get(bo, stage);
    const struct json_t *mv, *ci, *lim, *p;
    const struct ritem *f;
    struct buf t = BUF_INIT;
    void *it;

    for (it = j_iter(o); it != NULL; it = j_iter_next(o, it)) {
        mv = j_iter_value(it);
        ci = j_get(mv, "ci95");
        f = csnap_finding(s, bo, j_iter_key(it));
        lim = f != NULL ? j_get(f->obj, "limit") : NULL;
        buf_adds(b, "<tr><th scope=\"row\">");
        html_text(b, j_iter_key(it), 16);
        buf_printf(b, "</th><td>%s</td>", title);
        if (!j_is_null(j_get(mv, "value")) && j_get(mv, "value") != NULL) {
            td(b, j_get(mv, "value"), 32);
        } else {
            buf_adds(b, "<td>not computed: ");
            html_text(b, j_string(j_get(mv, "error")), VALUE_CAP);
            buf_adds(b, "</td>");
        }
        buf_adds(b, "<td class=\"n\">");
        if (j_len(ci) == 2) {
            html_value(b, j_at(ci, 0), 32);
            buf_adds(b, " &#8211; ");
            html_value(b, j_at(ci, 1), 32);
        }
        buf_adds(b, "</td>");
        p = j_get(mv, "p_value");
        td(b, p, 32);
        buf_adds(b, "<td>");
        if (lim != NULL && !j_is_null(lim)) {
            buf_reset(&t);
            fmt_limit(&t, lim);
            html_text(b, buf_cstr(&t), CR_SHORT);
        }
        buf_adds(b, "</td><td>");
        if (f != NULL)
            badge(b, citem_word(f->cls));
        else
            buf_adds(b, "<span class=\"dim\">no limit</span>");
        buf_adds(b, "</td><td>");
        interval_bar(b, j_iter_key(it), mv, lim);
        buf_adds(b, "</td></tr>\n");
    }
    buf_release(&t);
}

static void bias_object(struct buf *b, const struct csnap *s,
                        const struct json_t *bo, size_t k)
{
    struct buf f = BUF_INIT;
    struct json_t *counts = j_get(bo, "counts");
    void *it;

    buf_adds(b, "<h4>Facet ");
    fmt_facet(&f, j_get(bo, "facet"));
    html_text(b, buf_cstr(&f), CR_SHORT);
    buf_reset(&f);
    fmt_facet(&f, j_get(bo, "label"));
    buf_adds(b, ", label ");
    html_text(b, buf_cstr(&f), CR_SHORT);
    if (j_string(j_get(bo, "group")) != NULL) {
        buf_adds(b, ", group ");
        html_text(b, j_string(j_get(bo, "group")), CR_SHORT);
    }
    if (j_string(j_get(bo, "predicted")) != NULL) {
        buf_adds(b, ", predicted ");
        html_text(b, j_string(j_get(bo, "predicted")), CR_SHORT);
    }
    if (j_string(j_get(bo, "mode")) != NULL) {
        buf_adds(b, " (");
        html_text(b, j_string(j_get(bo, "mode")), 16);
        buf_adds(b, " mode)");
    }
    buf_adds(b, "</h4>\n");
    if (j_iter(counts) != NULL) {
        buf_adds(b, "<p>Counts: ");
        for (it = j_iter(counts); it != NULL;
             it = j_iter_next(counts, it)) {
            if (it != j_iter(counts))
                buf_adds(b, ", ");
            html_text(b, j_iter_key(it), 24);
            buf_adds(b, " ");
            html_value(b, j_iter_value(it), 24);
        }
        buf_adds(b, ".</p>\n");
    }
    buf_printf(b, "<table>\n<caption>Bias metrics, facet %zu of ", k + 1);
    html_text(b, s->dataset, CR_SHORT);
    buf_adds(b, "</caption>\n<thead><tr><th scope=\"col\">Metric</th>"
             "<th scope=\"col\">Stage</th><th scope=\"col\">Value</th>"
             "<th scope=\"col\">95% interval</th><th scope=\"col\">p-value"
             "</th><th scope=\"col\">Limit</th><th scope=\"col\">Outcome"
             "</th><th scope=\"col\">Interval against the limit</th></tr>"
             "</thead>\n<tbody>\n");
    bias_stage(b, s, bo, "pretraining", "pre-training");
    bias_stage(b, s, bo, "posttraining", "post-training");
    buf_adds(b, "</tbody>\n</table>\n");
    buf_release(&f);
}

static void bias(struct buf *b, const struct cmodel *m)
{
    size_t i, k;
    const struct csnap *s;

    section_open(b, csection_index("bias"));
    buf_adds(b, "<p>Facet d is the selected group, a the rest; metrics "
             "as SageMaker Clarify computes them. Charts show the allowed "
             "band (green), zero, the 95% interval (whiskers) and the "
             "value (dot).</p>\n");
    for (i = 0; i < m->nsnaps; i++) {
        s = &m->snaps[i];
        if (s->check == NULL)
            continue;
        snap_heading(b, csection_index("bias"), s, i);
        if (s->nbias == 0)
            buf_adds(b, "<p>No bias examination recorded: the rules file "
                     "declares no facet (listed in section 6).</p>\n");
        for (k = 0; k < s->nbias; k++)
            bias_object(b, s, doc_bias(s->check, k), k);
    }
    if (m->nchecked == 0)
        buf_adds(b, "<p>No snapshot in scope was examined.</p>\n");
    buf_adds(b, "</section>\n");
}

/* ---- 6 gaps ---- */

static void gaps(struct buf *b, const struct cmodel *m)
{
    size_t i;
    const struct cgap *g;

    section_open(b, csection_index("gaps"));
    if (m->ngaps == 0)
        buf_adds(b, "<p>No gaps found in the recorded evidence.</p>\n");
    if (m->ngaps > 0) {
        buf_printf(b, "<table>\n<caption>Gaps and shortcomings (%zu: %zu "
                   "fail, %zu warn, %zu info)</caption>\n<thead><tr>"
                   "<th scope=\"col\">#</th><th scope=\"col\">Severity</th>"
                   "<th scope=\"col\">Snapshot</th><th scope=\"col\">Item"
                   "</th><th scope=\"col\">Finding</th><th scope=\"col\">"
                   "EU AI Act</th><th scope=\"col\">Mitigation</th>"
                   "<th scope=\"col\">Owner</th></tr></thead>\n<tbody>\n",
                   m->ngaps, m->gap_count[GAP_FAIL], m->gap_count[GAP_WARN],
                   m->gap_count[GAP_INFO]);
        for (i = 0; i < m->ngaps && i < CR_GAPS; i++) {
            g = &m->gaps[i];
            buf_printf(b, "<tr><td class=\"n\">%zu</td><td>", i + 1);
            badge(b, gap_word(g->sev));
            buf_adds(b, "</td><td>");
            if (g->snap > 0)
                snap_name(b, &m->snaps[g->snap - 1]);
            buf_adds(b, "</td><th scope=\"row\" class=\"v\">");
            html_text(b, g->subject, CR_SHORT);
            buf_adds(b, "</th><td>");
            html_text(b, g->detail, VALUE_CAP);
            buf_adds(b, "</td>");
            td_text(b, g->clause, 32);
            buf_adds(b, "<td class=\"fill\"></td><td class=\"fill\"></td>"
                     "</tr>\n");
        }
        buf_adds(b, "</tbody>\n</table>\n");
        if (m->ngaps > CR_GAPS)
            buf_printf(b, "<p>%zu more gaps are listed in the JSON report."
                       "</p>\n", m->ngaps - CR_GAPS);
    }
    buf_adds(b, "<table>\n<caption>Not measured by assay: to be answered "
             "by the reviewer</caption>\n<thead><tr><th scope=\"col\">"
             "EU AI Act</th><th scope=\"col\">Asks</th><th scope=\"col\">"
             "What the evidence covers</th><th scope=\"col\">Answer</th>"
             "</tr></thead>\n<tbody>\n");
    for (i = 0; i < ncclauses; i++) {
        if (strcmp(cclauses[i].coverage, "evidenced") == 0)
            continue;
        buf_printf(b, "<tr><th scope=\"row\">Art. %s</th><td>%s</td>"
                   "<td>%s</td><td class=\"fill\"></td></tr>\n",
                   cclauses[i].item, cclauses[i].asks, cclauses[i].note);
    }
    buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

/* ---- 7 verdict and sign-off ---- */

static void signoff(struct buf *b, const struct cmodel *m)
{
    static const char *const roles[] = {
        "Data owner", "Reviewer (data quality)",
        "Reviewer (fairness, legal)", "Approver",
    };
    size_t i;

    section_open(b, csection_index("signoff"));
    buf_adds(b, "<p class=\"verdict big\">Verdict: ");
    badge(b, m->verdict);
    buf_adds(b, "</p>\n<p>The verdict is <strong>fail</strong> when the "
             "target snapshot, or an input of the target run, failed a "
             "check or a bias limit of severity fail; <strong>warn</strong> "
             "when one warned or was never checked, or a snapshot was "
             "overwritten in place; else <strong>pass</strong>. Upstream "
             "snapshots are context. The verdict summarises recorded "
             "evidence only; the decision below is the reviewers'.</p>\n"
             "<p>Decision: &#9744; accept &#9744; accept with the "
             "mitigations of section 6 &#9744; reject</p>\n"
             "<table class=\"sign\">\n<caption>Sign-off</caption>\n<thead>"
             "<tr><th scope=\"col\">Role</th><th scope=\"col\">Name</th>"
             "<th scope=\"col\">Date</th><th scope=\"col\">Signature</th>"
             "</tr></thead>\n<tbody>\n");
    for (i = 0; i < ARRAY_SIZE(roles); i++)
        buf_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"fill\">"
                   "</td><td class=\"fill\"></td><td class=\"fill\"></td>"
                   "</tr>\n", roles[i]);
    buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

/* ---- 8 evidence index ---- */

static void evidence(struct buf *b, const struct cmodel *m)
{
    struct cevrow *rows, *r;
    struct buf a = BUF_INIT;
    size_t i, n;

    section_open(b, csection_index("evidence"));
    buf_adds(b, "<table>\n<caption>Every hash this report rests on"
             "</caption>\n<thead><tr><th scope=\"col\">#</th>"
             "<th scope=\"col\">Artifact</th><th scope=\"col\">Kind</th>"
             "<th scope=\"col\">Value</th></tr></thead>\n<tbody>\n");
    rows = cevidence_rows(m, &n);
    for (i = 0; i < n; i++) {
        r = &rows[i];
        buf_reset(&a);
        buf_adds(&a, r->artifact != NULL ? r->artifact : "");
        if (r->file != NULL) {      /* "dataset path" */
            buf_adds(&a, " ");
            buf_adds(&a, j_string(j_get(r->file->obj, "path")) ?
                     j_string(j_get(r->file->obj, "path")) : "");
        }
        buf_printf(b, "<tr><td class=\"n\">%zu</td><td>", i + 1);
        html_text(b, buf_cstr(&a), r->max);
        buf_printf(b, "</td><td>%s</td>", r->kind);
        td_hash(b, r->value);
        buf_adds(b, "</tr>\n");
    }
    free(rows);
    buf_adds(b, "</tbody>\n</table>\n<p>To verify: <code>assay lineage "
             "verify</code> re-walks the ledger and re-hashes the recorded "
             "files; <code>sha256sum FILE</code> gives each file sha256; "
             "<code>assay hash FILE</code> gives the row digest and schema "
             "hash; <code>assay report ");
    html_text(b, m->ref, VALUE_CAP);
    buf_adds(b, " --format json</code> gives this report as data.</p>\n"
             "</section>\n");
    buf_release(&a);
}

/* ---- 9 mapping ---- */

static void mapping(struct buf *b)
{
    size_t i;

    section_open(b, csection_index("mapping"));
    buf_adds(b, "<table>\n<caption>What each section answers</caption>\n"
             "<thead><tr><th scope=\"col\">Section</th><th scope=\"col\">"
             "Datasheets for Datasets</th><th scope=\"col\">EU AI Act "
             "(Regulation (EU) 2024/1689)</th><th scope=\"col\">NIST AI RMF "
             "1.0</th><th scope=\"col\">ISO/IEC 42001 Annex A</th></tr>"
             "</thead>\n<tbody>\n");
    for (i = 0; i + 1 < ncsections; i++)
        buf_printf(b, "<tr><th scope=\"row\"><a href=\"#%s\">%zu %s</a>"
                   "</th><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                   "</tr>\n", csections[i].id, i + 1, csections[i].title,
                   csections[i].datasheet, csections[i].euai,
                   csections[i].nist, csections[i].iso);
    buf_adds(b, "</tbody>\n</table>\n<table>\n<caption>EU AI Act Article 10 "
             "item by item</caption>\n<thead><tr><th scope=\"col\">Item"
             "</th><th scope=\"col\">Asks</th><th scope=\"col\">Answered "
             "in</th><th scope=\"col\">Coverage</th><th scope=\"col\">Note"
             "</th></tr></thead>\n<tbody>\n");
    for (i = 0; i < ncclauses; i++)
        buf_printf(b, "<tr><th scope=\"row\">Art. %s</th><td>%s</td>"
                   "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
                   cclauses[i].item, cclauses[i].asks, cclauses[i].sections,
                   cclauses[i].coverage, cclauses[i].note);
    buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

void compliance_html(struct buf *out, const struct cmodel *m)
{
    buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
             "<meta charset=\"utf-8\">\n"
             "<meta http-equiv=\"Content-Security-Policy\" content=\""
             "default-src 'none'; style-src 'unsafe-inline'; "
             "img-src data:\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, "
             "initial-scale=1\">\n<meta name=\"generator\" content=\""
             "assay ");
    html_text(out, m->tool_version, 32);
    buf_adds(out, "\">\n<title>Compliance report: ");
    html_text(out, m->name, CR_SHORT);
    buf_printf(out, " (%s)</title>\n<style>\n%s</style>\n</head>\n<body>\n",
               verdict_word(m->verdict), css);
    header(out, m);
    contents(out);
    buf_adds(out, "<main>\n");
    identification(out, m);
    provenance(out, m);
    quality(out, m);
    profile(out, m);
    bias(out, m);
    gaps(out, m);
    signoff(out, m);
    evidence(out, m);
    mapping(out);
    buf_adds(out, "</main>\n<footer><p>Generated by assay ");
    html_text(out, m->tool_version, 32);
    buf_adds(out, " at ");
    html_text(out, m->generated, 40);
    buf_adds(out, " from the lineage database. Self-contained: no scripts, "
             "no external resources.</p></footer>\n</body>\n</html>\n");
}
