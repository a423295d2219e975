/* compliance_md.c -- the compliance report in GitHub-flavoured Markdown.
 * Part of reports/: the sections of the HTML report (csections[] order)
 * as headings, GFM tables and lists; every data value goes through
 * esc_md() so it can neither open markup nor break a table.  The
 * lineage graph is a Mermaid flowchart whose labels are reduced to safe
 * characters, plus the edge table; histograms are Unicode sparklines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "compliance_int.h"

static void md(struct buf *b, const char *s, size_t max)
{
    if (s != NULL)
        esc_md(b, s, max);
}

static void mdv(struct buf *b, const struct json_t *v, size_t max)
{
    struct buf t = BUF_INIT;

    if (v == NULL || j_is_null(v))
        return;
    fmt_value(&t, v);
    esc_md(b, buf_cstr(&t), max);
    buf_release(&t);
}

static void cell(struct buf *b, const struct json_t *v, size_t max)
{
    buf_adds(b, " ");
    mdv(b, v, max);
    buf_adds(b, " |");
}

static void cells(struct buf *b, const char *s, size_t max)
{
    buf_adds(b, " ");
    md(b, s, max);
    buf_adds(b, " |");
}

static void upper(struct buf *b, const char *w)
{
    buf_adds(b, "**");
    for (; *w != '\0'; w++)
        buf_addc(b, (char)(*w >= 'a' && *w <= 'z' ? *w - 32 : *w));
    buf_adds(b, "**");
}

static void snap_name(struct buf *b, const struct csnap *s)
{
    char h[13];

    md(b, s->dataset, CR_SHORT);
    snprintf(h, sizeof h, "%s", s->sha256);
    buf_adds(b, " `");
    md(b, h, ESC_ALL);
    buf_adds(b, "`");
}

static void heading(struct buf *b, const char *id)
{
    size_t i = csection_index(id);
    const struct csection *c = &csections[i];

    buf_printf(b, "\n## %zu %s\n\n", i + 1, c->title);
    if (strcmp(c->id, "mapping") != 0)
        buf_printf(b, "> **Answers** Datasheets for Datasets: %s. EU AI "
                   "Act: %s. NIST AI RMF: %s. ISO/IEC 42001: %s.\n\n",
                   c->datasheet, c->euai, c->nist, c->iso);
}

/* ---- header ---- */

static void header(struct buf *b, const struct cmodel *m)
{
    const struct json_t *ledger = j_get(m->ev, "ledger");
    size_t i;

    buf_adds(b, "# Training data compliance report: ");
    md(b, m->name, 2 * CR_SHORT);
    buf_adds(b, "\n\n**Verdict:** ");
    upper(b, m->verdict);
    buf_printf(b, " — checks and bias limits: %zu failed, %zu errors, %zu warnings, %zu "
               "passed; %zu gaps to address\n\n",
               m->item_count[IC_FAIL], m->item_count[IC_ERROR],
               m->item_count[IC_WARN], m->item_count[IC_PASS],
               m->gap_count[GAP_FAIL] + m->gap_count[GAP_WARN]);
    buf_adds(b, "| | |\n| --- | --- |\n| Target |");
    buf_adds(b, " ");
    md(b, m->kind, 16);
    buf_adds(b, " ");
    md(b, m->ref, 4 * CR_SHORT);
    buf_adds(b, " |\n| Identifier |");
    cells(b, m->id, 80);
    buf_printf(b, "\n| Scope | %zu snapshots (%zu checked), %zu runs, %zu "
               "models, %zu deployments |\n", m->nsnaps, m->nchecked,
               j_len(j_get(m->ev, "runs")), j_len(j_get(m->ev, "models")),
               j_len(j_get(m->ev, "deployments")));
    buf_adds(b, "| Generated |");
    cells(b, m->generated, 40);
    buf_adds(b, "\n| Tool | assay ");
    md(b, m->tool_version, 32);
    buf_adds(b, " |\n");
    if (j_is_object(ledger)) {
        buf_adds(b, "| Lineage ledger | ");
        mdv(b, j_get(ledger, "entries"), 32);
        buf_adds(b, " entries, head `");
        md(b, j_string(j_get(ledger, "head")), 80);
        buf_adds(b, "` |\n");
    }
    buf_adds(b, "\n**Contents:** ");
    for (i = 0; i < ncsections; i++) {
        const char *t = csections[i].title;

        /* GitHub's heading anchor: lowercase, spaces as '-' */
        buf_printf(b, "%s[%zu %s](#%zu-", i > 0 ? " · " : "", i + 1, t,
                   i + 1);
        for (; *t != '\0'; t++)
            buf_addc(b, *t == ' ' ? '-' : (char)(*t >= 'A' && *t <= 'Z' ?
                                                   *t + 32 : *t));
        buf_adds(b, ")");
    }
    buf_adds(b, "\n");
}

/* ---- 1 identification ---- */

static void identification(struct buf *b, const struct cmodel *m)
{
    const struct json_t *runs = j_get(m->ev, "runs");
    const struct json_t *models = j_get(m->ev, "models");
    const struct json_t *r, *s;
    size_t i, k;

    heading(b, "identification");
    if (j_len(runs) > 0) {
        buf_adds(b, "Training runs:\n\n| Run | ID | Status | Code revision "
                 "| Started | Finished | Parameters | Metrics | Inputs |\n"
                 "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (i = 0; i < j_len(runs); i++) {
            r = j_at(runs, i);
            buf_adds(b, "|");
            cell(b, j_get(r, "name"), CR_SHORT);
            cell(b, j_get(r, "id"), 80);
            cell(b, j_get(r, "status"), CR_SHORT);
            cell(b, j_get(r, "code_rev"), CR_SHORT);
            cell(b, j_get(r, "started"), 40);
            cell(b, j_get(r, "finished"), 40);
            cell(b, j_get(r, "params"), VALUE_CAP);
            cell(b, j_get(r, "metrics"), VALUE_CAP);
            buf_adds(b, " ");
            for (k = 0; k < j_len(j_get(r, "inputs")); k++) {
                const struct json_t *in = j_at(j_get(r, "inputs"), k);

                if (k > 0)
                    buf_adds(b, "<br>");
                mdv(b, j_get(in, "role"), CR_SHORT);
                buf_adds(b, ": `");
                md(b, j_string(j_get(in, "sha256")), 12);   /* cut: "..." */
                buf_adds(b, "`");
            }
            buf_adds(b, " |\n");
        }
        buf_adds(b, "\n");
    }
    buf_adds(b, "Snapshots in scope:\n\n| # | Dataset | Path | Roles | Bytes "
             "| Rows | Columns | Recorded | Checks |\n| ---: | --- | --- | "
             "--- | ---: | ---: | ---: | --- | --- |\n");
    for (i = 0; i < m->nsnaps; i++) {
        s = m->snaps[i].obj;
        buf_printf(b, "| %zu | ", i + 1);
        snap_name(b, &m->snaps[i]);
        buf_adds(b, " |");
        cell(b, j_get(s, "path"), VALUE_CAP);
        if (csnap_role(m, i) != NULL)
            buf_printf(b, " %s |", csnap_role(m, i));
        else
            cell(b, j_get(s, "roles"), CR_SHORT);
        cell(b, j_get(s, "bytes"), 32);
        cell(b, j_get(s, "rows"), 32);
        cell(b, j_get(s, "columns"), 32);
        cell(b, j_get(s, "recorded"), 40);
        buf_adds(b, " ");
        upper(b, m->snaps[i].verdict);
        buf_adds(b, " |\n");
    }
    if (j_len(models) > 0) {
        buf_adds(b, "\nModels:\n\n| Path | sha256 | Bytes | Run |\n"
                 "| --- | --- | ---: | --- |\n");
        for (i = 0; i < j_len(models); i++) {
            r = j_at(models, i);
            buf_adds(b, "|");
            cell(b, j_get(r, "path"), VALUE_CAP);
            cell(b, j_get(r, "sha256"), 80);
            cell(b, j_get(r, "bytes"), 32);
            cell(b, j_get(r, "run"), 80);
            buf_adds(b, "\n");
        }
    }
}

/* ---- 2 provenance ---- */

/* Mermaid label text: letters, digits and " ._:/+,()-" kept, the rest
 * "_". */
static void mermaid_label(struct buf *b, const char *s, size_t max)
{
    size_t i;

    for (i = 0; s != NULL && s[i] != '\0' && i < max; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr(" ._:/+,()-", c) != NULL)
            buf_addc(b, (char)c);
        else
            buf_addc(b, '_');
    }
    if (s != NULL && strlen(s) > max)
        buf_adds(b, "...");
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

    heading(b, "provenance");
    g_layout(&g, graph);
    if (g.n > 0) {
        buf_adds(b, "```mermaid\nflowchart LR\n");
        for (i = 0; i < g.n; i++) {
            buf_printf(b, "  n%zu[\"", i);
            mermaid_label(b, g.nodes[i].kind, 16);
            buf_adds(b, ": ");
            mermaid_label(b, g.nodes[i].label, 40);
            buf_adds(b, "\"]\n");
        }
        for (i = 0; i < g.nedges; i++) {
            buf_printf(b, "  n%zu -->", g.edges[i].from);
            if (g.edges[i].label != NULL && *g.edges[i].label != '\0') {
                buf_adds(b, "|\"");
                mermaid_label(b, g.edges[i].label, 30);
                buf_adds(b, "\"|");
            }
            buf_printf(b, " n%zu\n", g.edges[i].to);
        }
        buf_adds(b, "```\n\n");
        if (g.total > g.n)
            buf_printf(b, "The first %zu of %zu nodes are drawn.\n\n", g.n,
                       g.total);
    } else {
        buf_adds(b, "No lineage graph was recorded.\n\n");
    }
    g_release(&g);
    if (j_len(edges) > 0) {
        buf_adds(b, "| From | Relation | To |\n| --- | --- | --- |\n");
        for (i = 0; i < j_len(edges); i++) {
            e = j_at(edges, i);
            buf_adds(b, "|");
            cells(b, cgraph_label(graph, j_string(j_get(e, "from"))),
                  CR_SHORT);
            cell(b, j_get(e, "label"), CR_SHORT);
            cells(b, cgraph_label(graph, j_string(j_get(e, "to"))), CR_SHORT);
            buf_adds(b, "\n");
        }
        buf_adds(b, "\n");
    }
    if (j_len(ders) > 0) {
        buf_adds(b, "Derivations (preparation operations):\n\n| Output | "
                 "Inputs | Transform | Code revision | Recorded |\n| --- | "
                 "--- | --- | --- | --- |\n");
        for (i = 0; i < j_len(ders); i++) {
            e = j_at(ders, i);
            buf_adds(b, "|");
            cell(b, j_get(e, "output"), 80);
            buf_adds(b, " ");
            for (k = 0; k < j_len(j_get(e, "inputs")); k++) {
                if (k > 0)
                    buf_adds(b, "<br>");
                mdv(b, j_at(j_get(e, "inputs"), k), 80);
            }
            buf_adds(b, " |");
            cell(b, j_get(e, "transform"), VALUE_CAP);
            cell(b, j_get(e, "code_rev"), CR_SHORT);
            cell(b, j_get(e, "recorded"), 40);
            buf_adds(b, "\n");
        }
        buf_adds(b, "\n");
    }
    buf_adds(b, "| Snapshot | Paths | Overwritten in place |\n| --- | --- | "
             "--- |\n");
    for (i = 0; i < m->nsnaps; i++) {
        const struct json_t *paths = j_get(m->snaps[i].obj, "paths");

        buf_adds(b, "| ");
        snap_name(b, &m->snaps[i]);
        buf_adds(b, " | ");
        for (k = 0; k < j_len(paths) && k < 10; k++) {
            if (k > 0)
                buf_adds(b, "<br>");
            mdv(b, j_at(paths, k), VALUE_CAP);
        }
        buf_printf(b, " | %s |\n", j_is_true(j_get(m->snaps[i].obj,
                   "overwrite")) ? "**WARN** yes" : "no");
    }
    if (j_len(deps) > 0) {
        buf_adds(b, "\n| Environment | Model | Deployed | Live |\n| --- | "
                 "--- | --- | --- |\n");
        for (i = 0; i < j_len(deps); i++) {
            e = j_at(deps, i);
            buf_adds(b, "|");
            cell(b, j_get(e, "env"), CR_SHORT);
            cell(b, j_get(e, "model"), 80);
            cell(b, j_get(e, "deployed"), 40);
            buf_printf(b, " %s |\n", j_is_true(j_get(e, "live")) ? "yes" :
                       "no");
        }
    }
}

/* ---- 3 data quality ---- */

static void snap_heading(struct buf *b, const char *sec, size_t i,
                         const struct csnap *s)
{
    buf_printf(b, "\n### %s.%zu ", sec, i + 1);
    snap_name(b, s);
    buf_adds(b, " ");
    upper(b, s->verdict);
    if (s->upstream)
        buf_adds(b, " (upstream: context, not part of the verdict)");
    buf_adds(b, "\n\n");
}

static void check_row(struct buf *b, const struct ritem *it)
{
    const struct json_t *ss = j_get(it->obj, "samples"), *sm;
    struct buf t = BUF_INIT;
    size_t i, n = j_len(ss);

    buf_adds(b, "| ");
    upper(b, citem_word(it->cls));
    buf_adds(b, " |");
    cells(b, it->id, CR_SHORT);
    cells(b, it->kind, 24);
    cells(b, it->column, CR_SHORT);
    cell(b, j_get(it->obj, "failures"), 32);
    cell(b, j_get(it->obj, "checked"), 32);
    cell(b, j_get(it->obj, "observed"), CR_SHORT);
    if (j_get(it->obj, "limit") != NULL)
        fmt_limit(&t, j_get(it->obj, "limit"));
    cells(b, buf_cstr(&t), 2 * CR_SHORT);
    buf_adds(b, " ");
    md(b, it->message, VALUE_CAP);
    for (i = 0; it->cls != IC_PASS && i < n && i < CR_SAMPLES; i++) {
        sm = j_at(ss, i);
        buf_printf(b, "<br>line %lld (record %lld): ",
                   j_integer(j_get(sm, "line")),
                   j_integer(j_get(sm, "record")));
        if (j_string(j_get(sm, "value")) != NULL &&
            *j_string(j_get(sm, "value")) == '\0') {
            buf_adds(b, "(empty)");
        } else {
            buf_adds(b, "«");
            mdv(b, j_get(sm, "value"), 80);
            buf_adds(b, "»");
        }
    }
    if (it->cls != IC_PASS && n > CR_SAMPLES)
        buf_printf(b, "<br>%zu more samples in the JSON report",
                   n - CR_SAMPLES);
    buf_adds(b, " |\n");
    buf_release(&t);
}

static void quality(struct buf *b, const struct cmodel *m)
{
    const struct csnap *s;
    size_t i, k, n, *ord;

    heading(b, "quality");
    for (i = 0; i < m->nsnaps; i++) {
        s = &m->snaps[i];
        snap_heading(b, "3", i, s);
        if (s->check == NULL) {
            buf_adds(b, "Never checked: no data quality evidence for this "
                     "snapshot (listed in section 6).\n");
            continue;
        }
        buf_adds(b, "Checked ");
        mdv(b, j_get(s->check, "checked"), 40);
        buf_adds(b, " by assay ");
        mdv(b, j_get(s->check, "tool_version"), 32);
        buf_adds(b, " against the rules file ");
        mdv(b, j_get(j_get(s->check, "rules"), "path"), VALUE_CAP);
        buf_adds(b, " (sha256 `");
        mdv(b, j_get(j_get(s->check, "rules"), "sha256"), 80);
        buf_adds(b, "`).\n\n| Outcome | Check | Kind | Column | Failures | "
                 "Checked | Observed | Limit | Message and samples |\n"
                 "| --- | --- | --- | --- | ---: | ---: | --- | --- | --- |"
                 "\n");
        ord = csnap_checks(s, &n);
        for (k = 0; k < n; k++)
            check_row(b, &s->ctx.items[ord[k]]);
        free(ord);
    }
}

/* ---- 4 profile ---- */

/* Eight-level Unicode sparkline of a histogram's counts (merged to
 * CR_BINS). */
static void spark(struct buf *b, const struct json_t *c)
{
    static const char *const lv[] = {
        "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
        "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
    };
    const struct json_t *counts = j_get(j_get(c, "histogram"), "counts");
    size_t i, k, n = j_len(counts), group = (n + CR_BINS - 1) / CR_BINS;
    double v[CR_BINS], max = 0;
    size_t nb = 0;

    if (n == 0)
        return;
    for (i = 0; i < n; i += group, nb++) {
        v[nb] = 0;
        for (k = i; k < n && k < i + group; k++) {
            double x = j_number(j_at(counts, k));

            /* counts from a hostile document: only finite, >= 0 */
            if (isfinite(x) && x > 0)
                v[nb] += x;
        }
        if (!isfinite(v[nb]))
            v[nb] = 0;
        max = fmax(max, v[nb]);
    }
    for (i = 0; i < nb; i++) {
        int l = max > 0 ? (int)floor(7.0 * v[i] / max + 0.5) : 0;

        l = l < 0 ? 0 : l > 7 ? 7 : l;

        buf_adds(b, v[i] > 0 && l == 0 ? lv[0] : lv[l]);
    }
}

static void profile(struct buf *b, const struct cmodel *m)
{
    static const char *const qk[] = { "p5", "p50", "p95" };
    const struct json_t *cols, *c, *q, *top;
    size_t i, j, k;
    double count, nulls;

    heading(b, "profile");
    for (i = 0; i < m->nsnaps; i++) {
        if (m->snaps[i].check == NULL)
            continue;
        snap_heading(b, "4", i, &m->snaps[i]);
        cols = j_get(j_get(m->snaps[i].check, "profile"), "columns");
        if (j_len(cols) == 0) {
            buf_adds(b, "No profile was recorded with this check.\n");
            continue;
        }
        buf_adds(b, "| Column | Type | Count | Nulls | Distinct | Min | Max "
                 "| Mean | Std dev | p5 / p50 / p95 | Top values | "
                 "Distribution |\n| --- | --- | ---: | ---: | ---: | --- | "
                 "--- | ---: | ---: | --- | --- | --- |\n");
        for (j = 0; j < j_len(cols); j++) {
            c = j_at(cols, j);
            buf_adds(b, "|");
            cell(b, j_get(c, "name"), CR_SHORT);
            cell(b, j_get(c, "type"), 16);
            cell(b, j_get(c, "count"), 32);
            buf_adds(b, " ");
            mdv(b, j_get(c, "nulls"), 32);
            count = j_number(j_get(c, "count"));
            nulls = j_number(j_get(c, "nulls"));
            if (count > 0 && j_is_number(j_get(c, "nulls")))
                buf_printf(b, " (%.2g%%)", 100.0 * nulls / count);
            buf_adds(b, " |");
            cell(b, j_get(c, "distinct"), 32);
            cell(b, j_get(c, "min"), 24);
            cell(b, j_get(c, "max"), 24);
            cell(b, j_get(c, "mean"), 24);
            cell(b, j_get(c, "stddev"), 24);
            q = j_get(c, "quantiles");
            buf_adds(b, " ");
            for (k = 0; j_is_object(q) && k < ARRAY_SIZE(qk); k++) {
                if (k > 0)
                    buf_adds(b, " / ");
                mdv(b, j_get(q, qk[k]), 24);
            }
            buf_adds(b, " | ");
            top = j_get(c, "top");
            for (k = 0; k < j_len(top) && k < CR_TOP; k++) {
                if (k > 0)
                    buf_adds(b, "<br>");
                mdv(b, j_get(j_at(top, k), "value"), 24);
                buf_adds(b, " ×");
                mdv(b, j_get(j_at(top, k), "count"), 24);
            }
            buf_adds(b, " | ");
            spark(b, c);
            buf_adds(b, " |\n");
        }
    }
    if (m->nchecked == 0)
        buf_adds(b, "No snapshot in scope was profiled.\n");
}

/* ---- 5 bias ---- */

static void bias_stage(struct buf *b, const struct csnap *s,
                       const struct json_t *bo, const char *stage,
                       const char *title)
{
    struct json_t *o = j_get(bo, stage);
    const struct json_t *mv, *ci;
    const struct ritem *f;
    struct buf t = BUF_INIT;
    void *it;

    for (it = j_iter(o); it != NULL; it = j_iter_next(o, it)) {
        mv = j_iter_value(it);
        ci = j_get(mv, "ci95");
        f = csnap_finding(s, bo, j_iter_key(it));
        buf_adds(b, "|");
        cells(b, j_iter_key(it), 16);
        buf_printf(b, " %s |", title);
        if (j_get(mv, "value") != NULL && !j_is_null(j_get(mv, "value"))) {
            cell(b, j_get(mv, "value"), 32);
        } else {
            buf_adds(b, " not computed: ");
            md(b, j_string(j_get(mv, "error")), VALUE_CAP);
            buf_adds(b, " |");
        }
        buf_adds(b, " ");
        if (j_len(ci) == 2) {
            mdv(b, j_at(ci, 0), 32);
            buf_adds(b, " – ");
            mdv(b, j_at(ci, 1), 32);
        }
        buf_adds(b, " |");
        cell(b, j_get(mv, "p_value"), 32);
        buf_reset(&t);
        if (f != NULL && j_get(f->obj, "limit") != NULL)
            fmt_limit(&t, j_get(f->obj, "limit"));
        cells(b, buf_cstr(&t), CR_SHORT);
        buf_adds(b, " ");
        if (f != NULL)
            upper(b, citem_word(f->cls));
        else
            buf_adds(b, "no limit");
        buf_adds(b, " |\n");
    }
    buf_release(&t);
}

static void bias(struct buf *b, const struct cmodel *m)
{
    const struct csnap *s;
    const struct json_t *bo;
    struct json_t *counts;
    struct buf f = BUF_INIT;
    size_t i, k;
    void *it;

    heading(b, "bias");
    buf_adds(b, "Facet d is the selected group, a the rest; metrics as "
             "SageMaker Clarify computes them.\n");
    for (i = 0; i < m->nsnaps; i++) {
        s = &m->snaps[i];
        if (s->check == NULL)
            continue;
        snap_heading(b, "5", i, s);
        if (s->nbias == 0)
            buf_adds(b, "No bias examination recorded: the rules file "
                     "declares no facet (listed in section 6).\n");
        for (k = 0; k < s->nbias; k++) {
            bo = doc_bias(s->check, k);
            buf_reset(&f);
            fmt_facet(&f, j_get(bo, "facet"));
            buf_adds(b, "**Facet ");
            md(b, buf_cstr(&f), CR_SHORT);
            buf_reset(&f);
            fmt_facet(&f, j_get(bo, "label"));
            buf_adds(b, ", label ");
            md(b, buf_cstr(&f), CR_SHORT);
            buf_adds(b, "**");
            if (j_string(j_get(bo, "mode")) != NULL) {
                buf_adds(b, " (");
                md(b, j_string(j_get(bo, "mode")), 16);
                buf_adds(b, " mode)");
            }
            buf_adds(b, "\n\n");
            counts = j_get(bo, "counts");
            if (j_iter(counts) != NULL) {
                buf_adds(b, "Counts: ");
                for (it = j_iter(counts); it != NULL;
                     it = j_iter_next(counts, it)) {
                    if (it != j_iter(counts))
                        buf_adds(b, ", ");
                    md(b, j_iter_key(it), 24);
                    buf_adds(b, " ");
                    mdv(b, j_iter_value(it), 24);
                }
                buf_adds(b, ".\n\n");
            }
            buf_adds(b, "| Metric | Stage | Value | 95% interval | p-value "
                     "| Limit | Outcome |\n| --- | --- | ---: | --- | ---: | "
                     "--- | --- |\n");
            bias_stage(b, s, bo, "pretraining", "pre-training");
            bias_stage(b, s, bo, "posttraining", "post-training");
            buf_adds(b, "\n");
        }
    }
    buf_release(&f);
}

/* ---- 6 gaps, 7 sign-off, 8 evidence, 9 mapping ---- */

static void gaps(struct buf *b, const struct cmodel *m)
{
    const struct cgap *g;
    size_t i;

    heading(b, "gaps");
    if (m->ngaps == 0)
        buf_adds(b, "No gaps found in the recorded evidence.\n\n");
    else
        buf_printf(b, "%zu gaps: %zu fail, %zu warn, %zu info.\n\n"
                   "| # | Severity | Snapshot | Item | Finding | EU AI Act "
                   "| Mitigation | Owner |\n| ---: | --- | --- | --- | --- | "
                   "--- | --- | --- |\n", m->ngaps, m->gap_count[GAP_FAIL],
                   m->gap_count[GAP_WARN], m->gap_count[GAP_INFO]);
    for (i = 0; i < m->ngaps && i < CR_GAPS; i++) {
        g = &m->gaps[i];
        buf_printf(b, "| %zu | ", i + 1);
        upper(b, gap_word(g->sev));
        buf_adds(b, " | ");
        if (g->snap > 0)
            snap_name(b, &m->snaps[g->snap - 1]);
        buf_adds(b, " |");
        cells(b, g->subject, CR_SHORT);
        cells(b, g->detail, VALUE_CAP);
        cells(b, g->clause, 32);
        buf_adds(b, "  |  |\n");
    }
    if (m->ngaps > CR_GAPS)
        buf_printf(b, "\n%zu more gaps are listed in the JSON report.\n",
                   m->ngaps - CR_GAPS);
    buf_adds(b, "\nNot measured by assay, to be answered by the reviewer:\n"
             "\n| EU AI Act | Asks | What the evidence covers | Answer |\n"
             "| --- | --- | --- | --- |\n");
    for (i = 0; i < ncclauses; i++)
        if (strcmp(cclauses[i].coverage, "evidenced") != 0)
            buf_printf(b, "| Art. %s | %s | %s |  |\n", cclauses[i].item,
                       cclauses[i].asks, cclauses[i].note);
}

static void signoff(struct buf *b, const struct cmodel *m)
{
    heading(b, "signoff");
    buf_adds(b, "**Verdict:** ");
    upper(b, m->verdict);
    buf_adds(b, "\n\nThe verdict is fail when the target snapshot, or an "
             "input of the target run, failed a check or a bias limit of "
             "severity fail; warn when one warned or was never checked, or "
             "a snapshot was overwritten in place; else pass. Upstream "
             "snapshots are context. The verdict summarises recorded "
             "evidence only; the decision below is the reviewers'.\n\n"
             "Decision: [ ] accept  [ ] accept with the "
             "mitigations of section 6  [ ] reject\n\n"
             "| Role | Name | Date | Signature |\n| --- | --- | --- | --- |\n"
             "| Data owner |  |  |  |\n| Reviewer (data quality) |  |  |  |\n"
             "| Reviewer (fairness, legal) |  |  |  |\n"
             "| Approver |  |  |  |\n");
}

static void evidence(struct buf *b, const struct cmodel *m)
{
    struct cevrow *rows, *r;
    size_t i, n;

    heading(b, "evidence");
    buf_adds(b, "| # | Artifact | Kind | Value |\n| ---: | --- | --- | --- "
             "|\n");
    rows = cevidence_rows(m, &n);
    for (i = 0; i < n; i++) {
        r = &rows[i];
        buf_printf(b, "| %zu |", i + 1);
        if (r->file != NULL && j_string(j_get(r->file->obj, "path")))
            cells(b, j_string(j_get(r->file->obj, "path")), r->max);
        else
            cells(b, r->artifact, r->max);
        buf_printf(b, " %s | `", r->kind);
        md(b, r->value, 80);
        buf_adds(b, "` |\n");
    }
    free(rows);
    buf_adds(b, "\nTo verify: `assay lineage verify` re-walks the ledger and "
             "re-hashes the recorded files; `sha256sum FILE` gives each "
             "file sha256; `assay hash FILE` the row digest and schema "
             "hash.\n");
}

static void mapping(struct buf *b)
{
    size_t i;

    heading(b, "mapping");
    buf_adds(b, "| Section | Datasheets for Datasets | EU AI Act | NIST AI "
             "RMF 1.0 | ISO/IEC 42001 Annex A |\n| --- | --- | --- | --- | "
             "--- |\n");
    for (i = 0; i + 1 < ncsections; i++)
        buf_printf(b, "| %zu %s | %s | %s | %s | %s |\n", i + 1,
                   csections[i].title, csections[i].datasheet,
                   csections[i].euai, csections[i].nist, csections[i].iso);
    buf_adds(b, "\nEU AI Act Article 10 item by item:\n\n| Item | Asks | "
             "Answered in | Coverage | Note |\n| --- | --- | --- | --- | "
             "--- |\n");
    for (i = 0; i < ncclauses; i++)
        buf_printf(b, "| Art. %s | %s | %s | %s | %s |\n", cclauses[i].item,
                   cclauses[i].asks, cclauses[i].sections,
                   cclauses[i].coverage, cclauses[i].note);
}

void compliance_md(struct buf *out, const struct cmodel *m)
{
    header(out, m);
    identification(out, m);
    provenance(out, m);
    quality(out, m);
    profile(out, m);
    bias(out, m);
    gaps(out, m);
    signoff(out, m);
    evidence(out, m);
    mapping(out);
    buf_adds(out, "\n---\nGenerated by assay ");
    md(out, m->tool_version, 32);
    buf_adds(out, " at ");
    md(out, m->generated, 40);
    buf_adds(out, " from the lineage database.\n");
}
