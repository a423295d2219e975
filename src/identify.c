/* identify.c -- one file's identity for lineage and `assay hash`
 * (identify.h): a scan with the identity sink (which infers the column
 * types for the schema hash in the same pass), or a plain SHA-256 for
 * non-tabular files. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "crypto.h"
#include "identify.h"
#include "identity.h"
#include "scan.h"
#include "util.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int data_is_tabular(const char *path)
{
    static const char *const ext[] = { ".csv", ".tsv", ".tab", ".csv.gz",
                                       ".tsv.gz", ".CSV", ".TSV" };
    size_t i;

    if (strcmp(path, "-") == 0)
        return 1;
    for (i = 0; i < ARRAY_SIZE(ext); i++)
        if (ends_with(path, ext[i]))
            return 1;
    return 0;
}

int data_identify(const char *path, struct data_ident *out,
                  struct assay_err *err)
{
    struct scan_opts so = SCAN_OPTS_INIT;
    struct scan *s = NULL;
    struct identity *id = NULL;
    const char **names = NULL, **types = NULL;
    size_t i, n;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (!data_is_tabular(path)) {
        unsigned long long bytes = 0;
        struct stat st;

        if (sha256_file(path, out->sha256, &bytes, err) < 0)
            return -1;
        out->bytes = bytes;
        if (stat(path, &st) == 0)
            out->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000LL +
                            st.st_mtim.tv_nsec;
        return 0;
    }
    s = scan_open(path, &so, err);
    if (s == NULL)
        goto out;
    id = identity_new(s);
    identity_want_types(id);
    scan_add_sink(s, identity_sink(id));
    if (scan_run(s, err) < 0)
        goto out;
    if (identity_finish(id, s, 0, err) < 0)
        goto out;
    n = scan_ncols(s);
    names = xcalloc(n + 1, sizeof(*names));
    types = xcalloc(n + 1, sizeof(*types));
    for (i = 0; i < n; i++) {
        names[i] = scan_colname(s, i);
        types[i] = vtype_name(identity_col_type(id, i));
    }
    identity_schema_hash(names, types, n, out->schema_hash);
    memcpy(out->sha256, scan_info(s)->sha256, 65);
    memcpy(out->row_digest, identity_row_digest(id), 65);
    out->bytes = scan_info(s)->bytes;
    out->rows = scan_info(s)->rows;
    out->columns = n;
    out->mtime_ns = scan_info(s)->mtime_ns;
    out->tabular = 1;
    rc = 0;
out:
    free(names);
    free(types);
    identity_free(id);
    scan_free(s);
    return rc;
}
