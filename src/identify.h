/* identify.h -- the identity of one file, as lineage records it
 * (identify.c): SHA-256 of the bytes, and for tabular files (.csv, .tsv,
 * optionally .gz) the row digest, schema hash, rows and columns from one
 * scan.  Other files (models) are hashed as bytes only. */
#ifndef ASSAY_IDENTIFY_H
#define ASSAY_IDENTIFY_H

#include <stdint.h>
#include "status.h"

struct data_ident {
    char sha256[65];
    char row_digest[65];        /* "" when not tabular */
    char schema_hash[65];       /* "" when not tabular */
    uint64_t bytes;
    uint64_t rows;
    uint64_t columns;
    int64_t mtime_ns;
    int tabular;
};

/* 1 if the path names a tabular file by its extension. */
int data_is_tabular(const char *path);
/* Identify path.  0, or -1 with err (cannot open: ASSAY_EOPEN; malformed
 * CSV: ASSAY_ECSV ...). */
int data_identify(const char *path, struct data_ident *out,
                  struct assay_err *err);

#endif
