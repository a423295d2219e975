/* ids.h -- sets of row ids and the graph walks over them (ids.c), shared
 * by the audit queries (graph.c) and the evidence document (evidence.c).
 *
 * A set is filled with ids_add() and made sorted and unique with
 * ids_seal(); the query helpers seal what they fill.  Walks are
 * recursive CTEs seeded with the set as a JSON array (json_each), each
 * step an index search (schema.sql, migration 2). */
#ifndef ASSAY_LINEAGE_IDS_H
#define ASSAY_LINEAGE_IDS_H

#include <stddef.h>
#include "status.h"

struct store;

struct ids {
    long long *v;
    size_t n, cap;
};
#define IDS_INIT { NULL, 0, 0 }

void ids_add(struct ids *s, long long id);
void ids_seal(struct ids *s);
int ids_has(const struct ids *s, long long id);     /* sealed sets only */
void ids_release(struct ids *s);
/* The set as a JSON array text, to bind for json_each(); caller frees. */
char *ids_text(const struct ids *s);

/* Add the first column of every row of sql to out, sql bound to the JSON
 * array of arr, or to the integer one when arr is NULL.  0 or -1. */
int ids_query(struct store *st, struct ids *out, const char *sql,
              const struct ids *arr, long long one, struct assay_err *err);
/* Snapshots seed rests on (derivation inputs, recursively), seed
 * included, into out.  0 or -1. */
int ids_upstream(struct store *st, struct ids *out, const struct ids *seed,
                 struct assay_err *err);
/* Snapshots derived from seed, recursively, seed included.  0 or -1. */
int ids_downstream(struct store *st, struct ids *out,
                   const struct ids *seed, struct assay_err *err);

#endif
