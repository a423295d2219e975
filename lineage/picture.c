/* picture.c -- the lineage graph as pictures: Graphviz DOT and a Mermaid
 * flowchart, both drawn from one list of nodes (snapshots, runs, models,
 * environments) and edges (derivations, run inputs with their roles, run
 * outputs, deployments; dashed when no longer live). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export.h"
#include "store.h"
#include "util.h"

enum shape { SH_SNAPSHOT, SH_RUN, SH_MODEL, SH_ENV };

struct gnode {
    char id[40];
    enum shape shape;
    char *label;            /* lines separated by '\n' */
};

struct gedge {
    char from[40], to[40];
    char *label;            /* may be NULL */
    int dashed;
};

struct graph {
    struct gnode *n;
    size_t nn, capn;
    struct gedge *e;
    size_t ne, cape;
};

static void add_node(struct graph *g, enum shape sh, const char *id,
                     char *label)
{
    struct gnode *n;

    grow(&g->n, &g->capn, g->nn + 1, sizeof(*g->n));
    n = &g->n[g->nn++];
    snprintf(n->id, sizeof(n->id), "%s", id);
    n->shape = sh;
    n->label = label;
}

static void add_edge(struct graph *g, const char *from, const char *to,
                     const char *label, int dashed)
{
    struct gedge *e;

    grow(&g->e, &g->cape, g->ne + 1, sizeof(*g->e));
    e = &g->e[g->ne++];
    snprintf(e->from, sizeof(e->from), "%s", from);
    snprintf(e->to, sizeof(e->to), "%s", to);
    e->label = label != NULL ? xstrdup(label) : NULL;
    e->dashed = dashed;
}

static void graph_release(struct graph *g)
{
    size_t i;

    for (i = 0; i < g->nn; i++)
        free(g->n[i].label);
    for (i = 0; i < g->ne; i++)
        free(g->e[i].label);
    free(g->n);
    free(g->e);
}

static const char *base_of(const char *path)
{
    const char *s = strrchr(path, '/');

    return s != NULL ? s + 1 : path;
}

/* How to add a node or edge kind to the pictures: a query and a row
 * here.  Each query yields id, then label parts (nodes) or from-id,
 * to-id, label, dashed (edges); fmt builds the label from the parts. */
static const struct gquery {
    int is_edge;
    enum shape shape;
    const char *from_prefix, *to_prefix;
    const char *sql;
} gqueries[] = {
    { 0, SH_SNAPSHOT, "s", NULL,
      "SELECT s.id, d.name, substr(s.sha256, 1, 12), coalesce((SELECT "
      "'check: ' || c.verdict FROM checks c WHERE c.snapshot_id = s.id "
      "ORDER BY c.id DESC LIMIT 1), '') FROM snapshots s "
      "JOIN datasets d ON d.id = s.dataset_id ORDER BY s.id" },
    { 0, SH_RUN, "r", NULL,
      "SELECT r.id, 'run ' || r.name, coalesce(f.status, 'running'), '' "
      "FROM runs r LEFT JOIN run_finishes f ON f.run_id = r.id "
      "ORDER BY r.id" },
    { 0, SH_MODEL, "m", NULL,
      "SELECT id, path, substr(sha256, 1, 12), '' FROM models ORDER BY id" },
    { 0, SH_ENV, "e", NULL,
      "SELECT min(id), 'env ' || env, '', '' FROM deployments GROUP BY env "
      "ORDER BY env" },
    { 1, 0, "s", "s",
      "SELECT di.snapshot_id, d.output_id, coalesce(d.transform, 'derived'), "
      "0 FROM derivation_inputs di JOIN derivations d ON d.id = "
      "di.derivation_id ORDER BY di.id" },
    { 1, 0, "s", "r",
      "SELECT snapshot_id, run_id, role, 0 FROM run_inputs ORDER BY id" },
    { 1, 0, "r", "m",
      "SELECT run_id, model_id, NULL, 0 FROM run_models ORDER BY id" },
    { 1, 0, "m", "e",
      "SELECT d.model_id, (SELECT min(e.id) FROM deployments e WHERE "
      "e.env = d.env), CASE WHEN d.model_id = (SELECT l.model_id FROM "
      "deployments l WHERE l.env = d.env ORDER BY l.id DESC LIMIT 1) "
      "THEN 'live since ' || max(d.deployed) ELSE 'was deployed ' || "
      "max(d.deployed) END, d.model_id != (SELECT l.model_id FROM "
      "deployments l WHERE l.env = d.env ORDER BY l.id DESC LIMIT 1) "
      "FROM deployments d GROUP BY d.model_id, d.env ORDER BY min(d.id)" },
};

static int load_graph(struct ex *x, struct graph *g, struct assay_err *err)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < ARRAY_SIZE(gqueries) && rc == 0; i++) {
        const struct gquery *gq = &gqueries[i];
        struct store_stmt *q = store_query(x->st, err, gq->sql, "");

        if (q == NULL)
            return -1;
        while ((rc = store_step(q, err)) == 1) {
            char a[40], b[40];

            snprintf(a, sizeof(a), "%s%lld", gq->from_prefix,
                     store_int(q, 0));
            if (gq->is_edge) {
                snprintf(b, sizeof(b), "%s%lld", gq->to_prefix,
                         store_int(q, 1));
                add_edge(g, a, b, store_text(q, 2), store_int(q, 3) != 0);
            } else {
                const char *t1 = store_text(q, 1), *t2 = store_text(q, 2);
                const char *t3 = store_text(q, 3);

                if (gq->shape == SH_MODEL)
                    t1 = base_of(t1);
                add_node(g, gq->shape, a, xasprintf("%s%s%s%s%s", t1,
                                                    *t2 ? "\n" : "", t2,
                                                    *t3 ? "\n" : "", t3));
            }
        }
        store_done(q);
    }
    return rc;
}

/* A DOT string literal body: backslash, quote and newline escaped. */
static void dot_str(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\')
            buf_addc(b, '\\');
        if (*s == '\n')
            buf_adds(b, "\\n");
        else if ((unsigned char)*s >= 0x20)
            buf_addc(b, *s);
    }
    buf_addc(b, '"');
}

int export_dot(struct ex *x, struct assay_err *err)
{
    static const char *const shapes[] = {
        [SH_SNAPSHOT] = "box", [SH_RUN] = "ellipse", [SH_MODEL] = "box3d",
        [SH_ENV] = "house",
    };
    struct graph g;
    size_t i;
    int rc;

    memset(&g, 0, sizeof(g));
    rc = load_graph(x, &g, err);
    if (rc == 0) {
        buf_adds(&x->out, "digraph lineage {\n    rankdir=LR;\n"
                 "    node [fontname=\"Helvetica\", fontsize=10];\n"
                 "    edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (i = 0; i < g.nn; i++) {
            buf_printf(&x->out, "    %s [shape=%s, label=", g.n[i].id,
                       shapes[g.n[i].shape]);
            dot_str(&x->out, g.n[i].label);
            buf_adds(&x->out, "];\n");
        }
        for (i = 0; i < g.ne; i++) {
            buf_printf(&x->out, "    %s -> %s", g.e[i].from, g.e[i].to);
            if (g.e[i].label != NULL || g.e[i].dashed) {
                buf_adds(&x->out, " [");
                if (g.e[i].label != NULL) {
                    buf_adds(&x->out, "label=");
                    dot_str(&x->out, g.e[i].label);
                }
                if (g.e[i].dashed)
                    buf_printf(&x->out, "%sstyle=dashed",
                               g.e[i].label != NULL ? ", " : "");
                buf_addc(&x->out, ']');
            }
            buf_adds(&x->out, ";\n");
        }
        buf_adds(&x->out, "}\n");
    }
    graph_release(&g);
    return rc;
}

/* Mermaid label text inside "...": quotes and angle brackets as entity
 * codes, newlines as <br/>. */
static void mermaid_str(struct buf *b, const char *s)
{
    buf_addc(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"')
            buf_adds(b, "#quot;");
        else if (*s == '<')
            buf_adds(b, "#lt;");
        else if (*s == '>')
            buf_adds(b, "#gt;");
        else if (*s == '\n')
            buf_adds(b, "<br/>");
        else if ((unsigned char)*s >= 0x20)
            buf_addc(b, *s);
    }
    buf_addc(b, '"');
}

int export_mermaid(struct ex *x, struct assay_err *err)
{
    static const char *const open[] = {
        [SH_SNAPSHOT] = "[", [SH_RUN] = "([", [SH_MODEL] = "[[",
        [SH_ENV] = "{{",
    };
    static const char *const close[] = {
        [SH_SNAPSHOT] = "]", [SH_RUN] = "])", [SH_MODEL] = "]]",
        [SH_ENV] = "}}",
    };
    struct graph g;
    size_t i;
    int rc;

    memset(&g, 0, sizeof(g));
    rc = load_graph(x, &g, err);
    if (rc == 0) {
        buf_adds(&x->out, "flowchart LR\n");
        for (i = 0; i < g.nn; i++) {
            buf_printf(&x->out, "    %s%s", g.n[i].id, open[g.n[i].shape]);
            mermaid_str(&x->out, g.n[i].label);
            buf_printf(&x->out, "%s\n", close[g.n[i].shape]);
        }
        for (i = 0; i < g.ne; i++) {
            buf_printf(&x->out, "    %s %s", g.e[i].from,
                       g.e[i].dashed ? "-.->" : "-->");
            if (g.e[i].label != NULL) {
                buf_addc(&x->out, '|');
                mermaid_str(&x->out, g.e[i].label);
                buf_addc(&x->out, '|');
            }
            buf_printf(&x->out, " %s\n", g.e[i].to);
        }
    }
    graph_release(&g);
    return rc;
}

