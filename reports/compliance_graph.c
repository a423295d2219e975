/* compliance_graph.c -- a layered left-to-right layout of the upstream
 * graph of an evidence document, for the compliance report's drawing.
 * Part of reports/.  Rank = the longest path from a source (relaxed at
 * most n times, so a cycle cannot loop forever); within a rank, nodes
 * are ordered by the mean row of their predecessors (one barycentre
 * sweep), then by document order.  Beyond CR_NODES nodes only the first
 * are drawn; the tables beside the drawing list them all. */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "compliance_int.h"

#define COL_GAP 96.0            /* between ranks: room for a label */
#define ROW_GAP 22.0            /* between rows */
#define MARGIN 10.0

static const char *nz(const char *s, const char *dflt)
{
    return s != NULL ? s : dflt;
}

static size_t find_node(const struct glayout *g, const char *id)
{
    size_t i;

    for (i = 0; id != NULL && i < g->n; i++)
        if (strcmp(g->nodes[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

struct keyed {
    double key;
    size_t idx;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void g_layout(struct glayout *g, const struct json_t *graph)
{
    const struct json_t *nodes = j_get(graph, "nodes");
    const struct json_t *edges = j_get(graph, "edges");
    size_t i, e, pass, k, maxrank = 0, maxrows = 0, *rows_in;
    struct keyed *ord;
    int changed;

    memset(g, 0, sizeof *g);
    g->total = j_len(nodes);
    g->n = MIN(g->total, (size_t)CR_NODES);
    g->nodes = xcalloc(g->n + 1, sizeof *g->nodes);
    for (i = 0; i < g->n; i++) {
        const struct json_t *nd = j_at(nodes, i);

        g->nodes[i].id = nz(j_string(j_get(nd, "id")), "");
        g->nodes[i].kind = nz(j_string(j_get(nd, "kind")), "node");
        g->nodes[i].label = nz(j_string(j_get(nd, "label")),
                               g->nodes[i].id);
    }
    g->edges = xcalloc(j_len(edges) + 1, sizeof *g->edges);
    for (e = 0; e < j_len(edges); e++) {
        const struct json_t *ed = j_at(edges, e);
        size_t f = find_node(g, j_string(j_get(ed, "from")));
        size_t t = find_node(g, j_string(j_get(ed, "to")));

        if (f == (size_t)-1 || t == (size_t)-1 || f == t)
            continue;
        g->edges[g->nedges].from = f;
        g->edges[g->nedges].to = t;
        g->edges[g->nedges].label = j_string(j_get(ed, "label"));
        g->nedges++;
    }
    /* Longest path from the sources; at most n sweeps (cycles). */
    for (pass = 0, changed = 1; changed && pass <= g->n; pass++) {
        changed = 0;
        for (e = 0; e < g->nedges; e++) {
            struct gnode *f = &g->nodes[g->edges[e].from];
            struct gnode *t = &g->nodes[g->edges[e].to];

            if (t->rank < f->rank + 1 && f->rank + 1 <= (int)g->n) {
                t->rank = f->rank + 1;
                changed = 1;
            }
        }
    }
    for (i = 0; i < g->n; i++)
        maxrank = MAX(maxrank, (size_t)g->nodes[i].rank);
    /* Rows: rank by rank, by the mean row of the predecessors. */
    rows_in = xcalloc(maxrank + 2, sizeof *rows_in);
    ord = xcalloc(g->n + 1, sizeof *ord);
    for (k = 0; k <= maxrank; k++) {
        size_t m = 0;

        for (i = 0; i < g->n; i++) {
            double sum = 0;
            size_t np = 0;

            if ((size_t)g->nodes[i].rank != k)
                continue;
            for (e = 0; e < g->nedges; e++)
                if (g->edges[e].to == i &&
                    (size_t)g->nodes[g->edges[e].from].rank < k) {
                    sum += g->nodes[g->edges[e].from].row;
                    np++;
                }
            ord[m].key = np > 0 ? sum / (double)np : (double)g->n + i;
            ord[m].idx = i;
            m++;
        }
        qsort(ord, m, sizeof *ord, keyed_cmp);
        for (i = 0; i < m; i++)
            g->nodes[ord[i].idx].row = (int)i;
        rows_in[k] = m;
        maxrows = MAX(maxrows, m);
    }
    /* Centre each rank vertically. */
    for (i = 0; i < g->n; i++) {
        struct gnode *nd = &g->nodes[i];
        double off = ((double)maxrows - (double)rows_in[nd->rank]) *
                     (GNODE_H + ROW_GAP) / 2.0;

        nd->x = MARGIN + nd->rank * (GNODE_W + COL_GAP);
        nd->y = MARGIN + off + nd->row * (GNODE_H + ROW_GAP);
    }
    g->width = 2 * MARGIN + (double)(maxrank + 1) * GNODE_W +
               (double)maxrank * COL_GAP;
    g->height = 2 * MARGIN + (double)maxrows * GNODE_H +
                (double)(maxrows > 0 ? maxrows - 1 : 0) * ROW_GAP;
    if (g->n == 0)
        g->width = g->height = 0;
    free(ord);
    free(rows_in);
}

void g_release(struct glayout *g)
{
    free(g->nodes);
    free(g->edges);
    memset(g, 0, sizeof *g);
}
