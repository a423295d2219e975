/* export.h -- what the exporters of lineage/ share (export.c owns the
 * dispatch and OpenLineage; prov.c PROV-JSON; picture.c DOT and Mermaid).
 * Each exporter runs inside the read transaction export.c opened and
 * appends its text to x->out. */
#ifndef ASSAY_LINEAGE_EXPORT_H
#define ASSAY_LINEAGE_EXPORT_H

#include "status.h"
#include "util.h"

struct store;

struct ex {
    struct store *st;
    const char *version;
    char *producer;
    struct buf out;
};

/* 0, or -1 with err. */
int export_openlineage(struct ex *x, struct assay_err *err);
int export_prov(struct ex *x, struct assay_err *err);
int export_dot(struct ex *x, struct assay_err *err);
int export_mermaid(struct ex *x, struct assay_err *err);

#endif
