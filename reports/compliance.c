/* compliance.c -- the compliance report: model, mapping, JSON, dispatch.
 * Part of reports/.  Reads the evidence document of lineage_evidence()
 * (lineage/lineage.h) and builds the view the formats share: one
 * report_ctx per checked snapshot (model.c), the gaps, the verdict.
 * Owns the tables that map report sections to Datasheets for Datasets
 * questions, EU AI Act Art. 10 items, NIST AI RMF and ISO/IEC 42001,
 * and report_compliance(), which renders into a buffer and writes it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "compliance_int.h"

/* ---- mapping tables ----
 * To add a section: a row here (anchor, title, what it answers), then
 * render it in compliance_html.c and compliance_md.c in the same order. */
const struct csection csections[] = {
    { "identification", "Identification",
      "Motivation: for what purpose was the dataset created; who created "
      "it. Composition: what do the instances represent; how many "
      "instances are there; are there recommended data splits",
      "10(2)(e) availability and quantity; 10(3) relevance",
      "MAP 2.3, MEASURE 2.1", "A.7.2" },
    { "provenance", "Provenance",
      "Collection process: how was the data acquired; over what "
      "timeframe. Preprocessing: was the raw data saved in addition to the "
      "preprocessed data; is the preprocessing software available",
      "10(2)(b) collection processes and origin; 10(2)(c) preparation "
      "operations", "MAP 4.1", "A.7.3, A.7.5, A.7.6" },
    { "quality", "Data quality",
      "Composition: is any information missing; are there errors, sources "
      "of noise or redundancies. Preprocessing: was any cleaning done",
      "10(2)(c) cleaning; 10(2)(e) suitability; 10(3) as error-free and "
      "complete as possible", "MEASURE 2.1", "A.7.4" },
    { "profile", "Profile",
      "Composition: what data does each instance consist of; is there a "
      "label; the statistics of each field",
      "10(2)(d) what the data measures and represents; 10(2)(e) quantity "
      "and suitability; 10(3) statistical properties",
      "MEASURE 2.1", "A.7.4" },
    { "bias", "Bias examination",
      "Composition: does the dataset identify subpopulations and their "
      "distributions. Uses: could the composition result in unfair "
      "treatment of individuals or groups",
      "10(2)(f) examination for possible biases; 10(2)(g) measures to "
      "detect biases; 10(3) representativeness; 10(5) special categories "
      "used for bias detection", "MEASURE 2.11", "A.7.4" },
    { "gaps", "Gaps and mitigations",
      "Uses: are there tasks the dataset should not be used for. "
      "Maintenance: is there an erratum; how will updates be communicated",
      "10(2)(g) measures to prevent and mitigate biases; 10(2)(h) data "
      "gaps and shortcomings and how they are addressed",
      "MEASURE 1.1", "A.7.4, A.7.6" },
    { "signoff", "Verdict and sign-off",
      "Maintenance: who is supporting, hosting and maintaining the "
      "dataset; how can the owner be contacted",
      "Art. 10(2) data governance practices; Art. 11 and Annex IV "
      "technical documentation", "GOVERN 1.4", "A.7.2" },
    { "evidence", "Evidence index",
      "Distribution: does the dataset have an identifier. Maintenance: "
      "will older versions be supported; versioning",
      "Art. 11 and Annex IV 2(d) data provenance records; Art. 12 "
      "record-keeping", "MEASURE 2.1", "A.7.5" },
    { "mapping", "Mapping to frameworks",
      "(this table)", "(this table)", "", "" },
};
const size_t ncsections = ARRAY_SIZE(csections);

/* To add an item: the clause, what it asks, the sections that answer it
 * and how fully: "evidenced" (assay records it), "partial" (assay
 * records part; the reviewer completes), "reviewer" (not measurable from
 * the data: the sign-off must answer it). */
const struct cclause cclauses[] = {
    { "10(2)(a)", "relevant design choices", "7 Sign-off", "reviewer",
      "the rules file encodes some choices; the rationale is the "
      "reviewer's" },
    { "10(2)(b)", "data collection processes, origin of data, original "
      "purpose of personal data", "2 Provenance, 8 Evidence", "partial",
      "paths, derivations and times are recorded; origin outside the "
      "lineage graph and purpose are not" },
    { "10(2)(c)", "preparation operations (annotation, labelling, "
      "cleaning, updating, enrichment, aggregation)",
      "2 Provenance, 3 Data quality", "partial",
      "recorded derivations and their transforms; labelling protocols "
      "are not" },
    { "10(2)(d)", "assumptions about what the data measures and "
      "represents", "4 Profile", "partial",
      "declared types and profiles; the assumptions themselves are the "
      "reviewer's" },
    { "10(2)(e)", "availability, quantity and suitability of the data",
      "1 Identification, 3 Data quality, 4 Profile", "evidenced",
      "row counts, null rates, validity checks" },
    { "10(2)(f)", "examination in view of possible biases", "5 Bias",
      "evidenced", "pre- and post-training bias metrics with intervals "
      "and limits, when the rules file declares facets" },
    { "10(2)(g)", "measures to detect, prevent and mitigate biases",
      "5 Bias, 6 Gaps", "partial",
      "detection is evidenced; mitigations are filled in section 6" },
    { "10(2)(h)", "data gaps or shortcomings and how they are addressed",
      "6 Gaps", "partial",
      "failing checks, unchecked and overwritten snapshots are listed; "
      "how they are addressed is filled in" },
    { "10(3)", "relevant, sufficiently representative, as error-free and "
      "complete as possible; appropriate statistical properties",
      "3 Data quality, 4 Profile, 5 Bias", "evidenced",
      "validity, completeness and uniqueness checks; profiles; class "
      "imbalance" },
    { "10(4)", "the geographical, contextual, behavioural or functional "
      "setting of use", "7 Sign-off", "reviewer",
      "not measurable from the data" },
    { "10(5)", "special categories of personal data only where strictly "
      "necessary for bias detection, with safeguards",
      "5 Bias, 7 Sign-off", "partial",
      "the bias facets name the sensitive columns used; safeguards and "
      "deletion are the reviewer's" },
};
const size_t ncclauses = ARRAY_SIZE(cclauses);

/* ---- formats ---- */

static const struct {
    const char *name, *ext1, *ext2;
} formats[] = {
    { "html", ".html", ".htm" },
    { "markdown", ".md", ".markdown" },
    { "json", ".json", NULL },
};

int compliance_known(const char *fmt)
{
    size_t i;

    for (i = 0; fmt != NULL && i < ARRAY_SIZE(formats); i++)
        if (strcmp(fmt, formats[i].name) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k;

    if (suffix == NULL)
        return 0;
    k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

const char *compliance_format_for(const char *path)
{
    size_t i;

    for (i = 0; path != NULL && i < ARRAY_SIZE(formats); i++)
        if (ends_with(path, formats[i].ext1) ||
            ends_with(path, formats[i].ext2))
            return formats[i].name;
    return NULL;
}

const char *gap_word(enum gap_sev s)
{
    static const char *const w[GAP_COUNT] = { "fail", "warn", "info" };

    return (unsigned)s < GAP_COUNT ? w[s] : "info";
}

/* ---- lookups the formats share ---- */

const char *citem_word(enum item_class c)
{
    static const char *const w[IC_COUNT] = {
        [IC_ERROR] = "error", [IC_FAIL] = "fail", [IC_WARN] = "warn",
        [IC_INFO] = "info", [IC_PASS] = "pass",
    };

    return (unsigned)c < IC_COUNT ? w[c] : "info";
}

size_t csection_index(const char *id)
{
    size_t i;

    for (i = 0; i < ncsections; i++)
        if (strcmp(csections[i].id, id) == 0)
            return i;
    return 0;
}

const char *cgraph_label(const struct json_t *graph, const char *id)
{
    const struct json_t *nodes = j_get(graph, "nodes");
    size_t i;

    for (i = 0; id != NULL && i < j_len(nodes); i++)
        if (j_string(j_get(j_at(nodes, i), "id")) != NULL &&
            strcmp(j_string(j_get(j_at(nodes, i), "id")), id) == 0)
            return j_string(j_get(j_at(nodes, i), "label")) != NULL ?
                   j_string(j_get(j_at(nodes, i), "label")) : id;
    return id;
}

const char *csnap_role(const struct cmodel *m, size_t i)
{
    if (strcmp(m->snaps[i].sha256, m->id) == 0)
        return "target";
    return m->snaps[i].upstream ? "upstream" : NULL;
}

size_t *csnap_checks(const struct csnap *s, size_t *n)
{
    size_t *ord = ctx_order(&s->ctx), k;

    *n = 0;
    for (k = 0; k < s->ctx.nitems; k++)
        if (s->ctx.items[ord[k]].bias == NULL)
            ord[(*n)++] = ord[k];
    return ord;
}

const struct ritem *csnap_finding(const struct csnap *s,
                                  const struct json_t *bo,
                                  const char *metric)
{
    size_t i;

    for (i = 0; i < s->ctx.nitems; i++)
        if (s->ctx.items[i].bias == bo && s->ctx.items[i].metric != NULL &&
            strcmp(s->ctx.items[i].metric, metric) == 0)
            return &s->ctx.items[i];
    return NULL;
}

static void add_evrow(struct cevrow *rows, size_t *n,
                      const struct csnap *file, const char *artifact,
                      size_t max, const char *kind, const char *value)
{
    if (value == NULL || *value == '\0')
        return;
    rows[*n].file = file;
    rows[*n].artifact = artifact;
    rows[*n].max = max;
    rows[*n].kind = kind;
    rows[*n].value = value;
    ++*n;
}

struct cevrow *cevidence_rows(const struct cmodel *m, size_t *n)
{
    const struct json_t *models = j_get(m->ev, "models");
    const struct json_t *runs = j_get(m->ev, "runs");
    const struct json_t *rules;
    const struct csnap *s;
    struct cevrow *rows;
    size_t i;

    rows = xcalloc(4 * m->nsnaps + j_len(runs) + j_len(models) + 1,
                   sizeof *rows);
    *n = 0;
    for (i = 0; i < m->nsnaps; i++) {
        s = &m->snaps[i];
        add_evrow(rows, n, s, s->dataset, VALUE_CAP, "file sha256",
                  s->sha256);
        add_evrow(rows, n, NULL, s->dataset, CR_SHORT, "row digest",
                  j_string(j_get(s->obj, "row_digest")));
        add_evrow(rows, n, NULL, s->dataset, CR_SHORT, "schema hash",
                  j_string(j_get(s->obj, "schema_hash")));
        rules = j_get(s->check, "rules");
        if (s->check != NULL)
            add_evrow(rows, n, NULL, j_string(j_get(rules, "path")) ?
                      j_string(j_get(rules, "path")) : "rules file",
                      VALUE_CAP, "rules sha256",
                      j_string(j_get(rules, "sha256")));
    }
    for (i = 0; i < j_len(runs); i++)
        add_evrow(rows, n, NULL, j_string(j_get(j_at(runs, i), "name")),
                  CR_SHORT, "run id", j_string(j_get(j_at(runs, i), "id")));
    for (i = 0; i < j_len(models); i++)
        add_evrow(rows, n, NULL, j_string(j_get(j_at(models, i), "path")),
                  VALUE_CAP, "model sha256",
                  j_string(j_get(j_at(models, i), "sha256")));
    add_evrow(rows, n, NULL, "lineage ledger", 32, "ledger head",
              j_string(j_get(j_get(m->ev, "ledger"), "head")));
    return rows;
}

/* ---- the model ---- */

static const char *str_or(const struct json_t *o, const char *key,
                          const char *dflt)
{
    const char *s = j_string(j_get(o, key));

    return s != NULL ? s : dflt;
}

static void add_gap(struct cmodel *m, size_t *cap, enum gap_sev sev,
                    const char *kind, size_t snap, char *subject,
                    char *detail, const char *clause)
{
    struct cgap *g;

    grow(&m->gaps, cap, m->ngaps + 1, sizeof *m->gaps);
    g = &m->gaps[m->ngaps++];
    g->sev = sev;
    g->kind = kind;
    g->snap = snap;
    g->subject = subject;
    g->detail = detail;
    g->clause = clause;
    m->gap_count[sev]++;
}

static enum gap_sev sev_of(enum item_class c)
{
    if (c == IC_ERROR || c == IC_FAIL)
        return GAP_FAIL;
    return c == IC_WARN ? GAP_WARN : GAP_INFO;
}

/* The gaps of one checked snapshot: non-passing items, metrics that
 * could not be computed, no bias examination at all. */
static void snapshot_gaps(struct cmodel *m, size_t *cap, size_t k)
{
    const struct csnap *s = &m->snaps[k];
    const struct ritem *it;
    struct buf d = BUF_INIT;
    size_t i, b;
    void *iter;
    static const char *const stages[] = { "pretraining", "posttraining" };
    int st;

    for (i = 0; i < s->ctx.nitems; i++) {
        it = &s->ctx.items[i];
        if (it->cls == IC_PASS)
            continue;
        buf_reset(&d);
        fmt_counts(&d, it);
        if (it->message != NULL) {
            if (d.len > 0)
                buf_adds(&d, ": ");
            buf_adds(&d, it->message);
        }
        if (d.len == 0)
            buf_adds(&d, it->cls == IC_ERROR ? "could not be evaluated" :
                     "failed");
        add_gap(m, cap, sev_of(it->cls), it->bias ? "bias" : "check",
                k + 1, xstrdup(it->id), buf_detach(&d),
                it->bias ? "10(2)(f), 10(2)(g)" : "10(3)");
    }
    for (b = 0; b < s->nbias; b++) {
        const struct json_t *bo = doc_bias(s->check, b);

        for (st = 0; st < 2; st++) {
            struct json_t *o = j_get(bo, stages[st]);

            for (iter = j_iter(o); iter != NULL;
                 iter = j_iter_next(o, iter)) {
                const struct json_t *mv = j_iter_value(iter);

                if (!j_is_null(j_get(mv, "value")) ||
                    j_string(j_get(mv, "error")) == NULL)
                    continue;
                buf_reset(&d);
                fmt_facet(&d, j_get(bo, "facet"));
                add_gap(m, cap, GAP_INFO, "bias_error", k + 1,
                        xasprintf("%s (%s)", j_iter_key(iter),
                                  buf_cstr(&d)),
                        xasprintf("not computed: %s",
                                  j_string(j_get(mv, "error"))),
                        "10(2)(f)");
            }
        }
    }
    if (s->nbias == 0)
        add_gap(m, cap, GAP_INFO, "no_bias", k + 1, xstrdup("bias"),
                xstrdup("no bias examination recorded (the rules file "
                        "declares no facet)"), "10(2)(f)");
    buf_release(&d);
}

int cmodel_init(struct cmodel *m, const struct json_t *ev,
                const struct compliance_opts *o, struct assay_err *err)
{
    const struct json_t *target = j_get(ev, "target");
    const struct json_t *snaps = j_get(ev, "snapshots");
    const struct json_t *runs = j_get(ev, "runs");
    const char *gen, *v;
    size_t i, cap = 0, c, *order = NULL, nsubjects = 0;
    struct cgap *sorted;
    int worst = 0;              /* 0 pass, 1 warn, 2 fail */

    memset(m, 0, sizeof *m);
    if (!j_is_object(target))
        return seterr(err, ASSAY_EINPUT, "not an evidence document: no "
                      "'target' object");
    m->ev = ev;
    m->tool_version = o != NULL && o->tool_version != NULL ?
                      o->tool_version : "unknown";
    gen = j_string(j_get(ev, "generated"));
    if (gen != NULL && *gen != '\0')
        snprintf(m->generated, sizeof m->generated, "%s", gen);
    else
        now_rfc3339(m->generated, sizeof m->generated);
    m->kind = str_or(target, "kind", "snapshot");
    m->id = str_or(target, "id", "");
    m->ref = str_or(target, "ref", m->id);
    m->name = str_or(target, "name", *m->ref ? m->ref : m->id);
    m->nsnaps = j_len(snaps);
    m->snaps = xcalloc(m->nsnaps + 1, sizeof *m->snaps);
    for (i = 0; i < m->nsnaps; i++) {
        struct csnap *s = &m->snaps[i];

        s->obj = j_at(snaps, i);
        s->dataset = str_or(s->obj, "dataset", str_or(s->obj, "path",
                                                      "snapshot"));
        s->sha256 = str_or(s->obj, "sha256", "");
        s->check = j_get(s->obj, "check");
        if (!j_is_object(s->check))
            s->check = NULL;
        /* Subjects: the target itself, or inputs (they have roles). */
        s->upstream = strcmp(s->sha256, m->id) != 0 &&
                      j_len(j_get(s->obj, "roles")) == 0;
        nsubjects += !s->upstream;
    }
    if (nsubjects == 0)         /* nothing says which: all are subjects */
        for (i = 0; i < m->nsnaps; i++)
            m->snaps[i].upstream = 0;
    for (i = 0; i < m->nsnaps; i++) {
        struct csnap *s = &m->snaps[i];

        if (s->check == NULL) {
            s->verdict = "unchecked";
        } else {
            ctx_init(&s->ctx, s->check, NULL);
            s->verdict = s->ctx.verdict;
            s->nbias = doc_nbias(s->check);
            m->nchecked++;
        }
        if (s->upstream) {
            if (strcmp(s->verdict, "pass") != 0)
                add_gap(m, &cap, GAP_INFO, "upstream", i + 1,
                        xstrdup(s->dataset),
                        xasprintf("upstream snapshot (%s): what was derived "
                                  "from it is checked in its own right",
                                  s->check == NULL ? "never checked" :
                                  strcmp(s->verdict, "fail") == 0 ?
                                  "failed its checks" : "warned"),
                        "10(2)(c)");
        } else if (s->check == NULL) {
            add_gap(m, &cap, GAP_WARN, "unchecked", i + 1,
                    xstrdup(s->dataset),
                    xstrdup("never checked: no quality, profile or bias "
                            "evidence for this snapshot"), "10(2)(h), 10(3)");
        } else {
            for (c = 0; c < IC_COUNT; c++)
                m->item_count[c] += s->ctx.count[c];
            snapshot_gaps(m, &cap, i);
        }
        if (j_is_true(j_get(s->obj, "overwrite")))
            add_gap(m, &cap, GAP_WARN, "overwrite", i + 1,
                    xstrdup(str_or(s->obj, "path", s->dataset)),
                    xstrdup("overwritten in place: the path held other "
                            "content and no derivation produced this one"),
                    "10(2)(b)");
        if (s->upstream)
            continue;
        if (strcmp(s->verdict, "fail") == 0)
            worst = 2;
        else if (strcmp(s->verdict, "pass") != 0 && worst < 1)
            worst = 1;
    }
    for (i = 0; i < j_len(runs); i++) {
        v = j_string(j_get(j_at(runs, i), "status"));
        if (v != NULL && strcmp(v, "succeeded") != 0)
            add_gap(m, &cap, GAP_INFO, "run", 0,
                    xstrdup(str_or(j_at(runs, i), "name",
                                   str_or(j_at(runs, i), "id", "run"))),
                    xasprintf("training run status: %s", v), "Art. 12");
    }
    if (m->gap_count[GAP_WARN] > 0 && worst < 1)
        worst = 1;
    if (m->nsnaps == 0 && worst < 1)
        worst = 1;
    m->verdict = worst == 2 ? "fail" : worst == 1 ? "warn" : "pass";
    /* Stable sort by severity: qsort is not stable, so sort an index. */
    order = xcalloc(m->ngaps + 1, sizeof *order);
    c = 0;
    for (worst = 0; worst < GAP_COUNT; worst++)
        for (i = 0; i < m->ngaps; i++)
            if ((int)m->gaps[i].sev == worst)
                order[c++] = i;
    sorted = xcalloc(m->ngaps + 1, sizeof *sorted);
    for (i = 0; i < m->ngaps; i++)
        sorted[i] = m->gaps[order[i]];
    free(m->gaps);
    m->gaps = sorted;
    free(order);
    return 0;
}

void cmodel_release(struct cmodel *m)
{
    size_t i;

    for (i = 0; i < m->nsnaps; i++)
        if (m->snaps[i].check != NULL)
            ctx_release(&m->snaps[i].ctx);
    for (i = 0; i < m->ngaps; i++) {
        free(m->gaps[i].subject);
        free(m->gaps[i].detail);
    }
    free(m->snaps);
    free(m->gaps);
    memset(m, 0, sizeof *m);
}

const char *compliance_verdict(const struct json_t *evidence)
{
    struct cmodel m;
    const char *v;

    if (cmodel_init(&m, evidence, NULL, NULL) < 0)
        return "fail";
    v = m.verdict;          /* a static string */
    cmodel_release(&m);
    return v;
}

/* ---- JSON: the evidence plus verdict, gaps and mapping ---- */

struct json_t *compliance_json(const struct cmodel *m)
{
    struct json_t *doc = j_obj(), *a, *o, *counts;
    size_t i;
    int c;

    j_set(doc, "schema_version", j_int(1));
    o = j_obj();
    j_set(o, "name", j_str("assay"));
    j_set(o, "version", j_str(m->tool_version));
    j_set(doc, "tool", o);
    j_set(doc, "generated", j_str(m->generated));
    j_set(doc, "verdict", j_str(m->verdict));
    counts = j_obj();
    j_set(counts, "snapshots", j_int((long long)m->nsnaps));
    j_set(counts, "checked", j_int((long long)m->nchecked));
    for (c = 0; c < IC_COUNT; c++) {
        char key[16];
        const char *w = class_word((enum item_class)c);
        size_t k;

        for (k = 0; w[k] != '\0' && k + 1 < sizeof key; k++)
            key[k] = (char)(w[k] | 0x20);       /* ASCII lowercase */
        key[k] = '\0';
        j_set(counts, key, j_int((long long)m->item_count[c]));
    }
    j_set(doc, "summary", counts);
    a = j_arr();
    for (i = 0; i < m->ngaps; i++) {
        const struct cgap *g = &m->gaps[i];

        o = j_obj();
        j_set(o, "severity", j_str(gap_word(g->sev)));
        j_set(o, "kind", j_str(g->kind));
        j_set(o, "snapshot", g->snap > 0 ?
              j_str(m->snaps[g->snap - 1].sha256) : j_null());
        j_set(o, "subject", j_str(g->subject));
        j_set(o, "detail", j_str(g->detail));
        j_set(o, "clause", j_str(g->clause));
        j_set(o, "mitigation", j_null());
        j_push(a, o);
    }
    j_set(doc, "gaps", a);
    a = j_arr();
    for (i = 0; i < ncsections; i++) {
        if (strcmp(csections[i].id, "mapping") == 0)
            continue;
        o = j_obj();
        j_set(o, "section", j_int((long long)i + 1));
        j_set(o, "id", j_str(csections[i].id));
        j_set(o, "title", j_str(csections[i].title));
        j_set(o, "datasheet", j_str(csections[i].datasheet));
        j_set(o, "eu_ai_act", j_str(csections[i].euai));
        j_set(o, "nist_ai_rmf", j_str(csections[i].nist));
        j_set(o, "iso_42001", j_str(csections[i].iso));
        j_push(a, o);
    }
    o = j_obj();
    j_set(o, "sections", a);
    a = j_arr();
    for (i = 0; i < ncclauses; i++) {
        struct json_t *r = j_obj();

        j_set(r, "item", j_str(cclauses[i].item));
        j_set(r, "asks", j_str(cclauses[i].asks));
        j_set(r, "sections", j_str(cclauses[i].sections));
        j_set(r, "coverage", j_str(cclauses[i].coverage));
        j_set(r, "note", j_str(cclauses[i].note));
        j_push(a, r);
    }
    j_set(o, "eu_ai_act_article_10", a);
    j_set(doc, "mapping", o);
    j_set(doc, "evidence", j_copy((struct json_t *)m->ev));
    return doc;
}

/* ---- dispatch ---- */

int report_compliance(const struct json_t *evidence, const char *fmt,
                      const struct compliance_opts *o, FILE *fp,
                      struct assay_err *err)
{
    struct cmodel m;
    struct buf out = BUF_INIT;
    struct json_t *doc;
    char *s;
    int rc = 0;

    errno = 0;
    if (!compliance_known(fmt))
        return seterr(err, ASSAY_EUSAGE, "unknown report format '%s' "
                      "(html, markdown, json)", fmt != NULL ? fmt : "");
    if (cmodel_init(&m, evidence, o, err) < 0)
        return -1;
    if (strcmp(fmt, "html") == 0) {
        compliance_html(&out, &m);
    } else if (strcmp(fmt, "markdown") == 0) {
        compliance_md(&out, &m);
    } else {
        doc = compliance_json(&m);
        s = j_dump(doc, J_PRETTY);
        buf_adds(&out, s);
        buf_addc(&out, '\n');
        free(s);
        j_free(doc);
    }
    if ((out.len > 0 && fwrite(out.data, 1, out.len, fp) != out.len) ||
        fflush(fp) != 0 || ferror(fp))
        rc = seterr(err, ASSAY_EIO, "cannot write the report: %s",
                    strerror(errno != 0 ? errno : EIO));
    buf_release(&out);
    cmodel_release(&m);
    return rc;
}
