/* ids.c -- sets of row ids and the recursive walks through derivations
 * (ids.h).  Used inside the caller's read transaction by graph.c and
 * evidence.c; owns nothing but the arrays of the sets it is given. */
#include <stdlib.h>
#include "ids.h"
#include "store.h"
#include "util.h"

void ids_add(struct ids *s, long long id)
{
    grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
    s->v[s->n++] = id;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

void ids_seal(struct ids *s)
{
    size_t i, k = 0;

    if (s->n == 0)
        return;
    qsort(s->v, s->n, sizeof(*s->v), cmp_ll);
    for (i = 0; i < s->n; i++)
        if (k == 0 || s->v[k - 1] != s->v[i])
            s->v[k++] = s->v[i];
    s->n = k;
}

int ids_has(const struct ids *s, long long id)
{
    return s->n > 0 && bsearch(&id, s->v, s->n, sizeof(*s->v),
                               cmp_ll) != NULL;
}

void ids_release(struct ids *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

char *ids_text(const struct ids *s)
{
    struct buf b = BUF_INIT;
    size_t i;

    buf_addc(&b, '[');
    for (i = 0; i < s->n; i++)
        buf_printf(&b, "%s%lld", i > 0 ? "," : "", s->v[i]);
    buf_addc(&b, ']');
    return buf_detach(&b);
}

int ids_query(struct store *st, struct ids *out, const char *sql,
              const struct ids *arr, long long one, struct assay_err *err)
{
    struct store_stmt *q;
    char *text = arr != NULL ? ids_text(arr) : NULL;
    int rc;

    q = arr != NULL ? store_query(st, err, sql, "s", text) :
        store_query(st, err, sql, "i", one);
    free(text);
    if (q == NULL)
        return -1;
    while ((rc = store_step(q, err)) == 1)
        ids_add(out, store_int(q, 0));
    store_done(q);
    ids_seal(out);
    return rc;
}

static const char up_sql[] =
    "WITH RECURSIVE up(id) AS ("
    " SELECT value FROM json_each(?)"
    " UNION"
    " SELECT di.snapshot_id FROM up"
    " JOIN derivations d ON d.output_id = up.id"
    " JOIN derivation_inputs di ON di.derivation_id = d.id)"
    " SELECT id FROM up";

static const char down_sql[] =
    "WITH RECURSIVE down(id) AS ("
    " SELECT value FROM json_each(?)"
    " UNION"
    " SELECT d.output_id FROM down"
    " JOIN derivation_inputs di ON di.snapshot_id = down.id"
    " JOIN derivations d ON d.id = di.derivation_id)"
    " SELECT id FROM down";

int ids_upstream(struct store *st, struct ids *out, const struct ids *seed,
                 struct assay_err *err)
{
    return ids_query(st, out, up_sql, seed, 0, err);
}

int ids_downstream(struct store *st, struct ids *out,
                   const struct ids *seed, struct assay_err *err)
{
    return ids_query(st, out, down_sql, seed, 0, err);
}
