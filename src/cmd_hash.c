/* cmd_hash.c -- `assay hash DATA...`: the identity of each file (SHA-256
 * of the bytes, order-independent row digest, schema hash), the values
 * the lineage graph records. */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crypto.h"
#include "identify.h"
#include "json.h"
#include "util.h"

static const struct opt opts[] = {
    { "format", 'f', OPT_ARG, "FMT", "text (default), json, or sha256sum "
      "(the coreutils format; the file hash alone, at the speed of "
      "libcrypto)" },
};

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *arr = NULL;
    const char *fmt;
    size_t i;
    int rc, status = EXIT_PASS;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    fmt = opt_get(&os, "format");
    if (fmt == NULL)
        fmt = "text";
    if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0 &&
        strcmp(fmt, "sha256sum") != 0) {
        rc = usage_error(self, "unknown format '%s' (text, json, sha256sum)",
                         fmt);
        goto out;
    }
    if (os.npos == 0) {
        rc = usage_error(self, "no input file");
        goto out;
    }
    arr = j_arr();
    for (i = 0; i < os.npos; i++) {
        struct data_ident id;
        struct json_t *o;

        /* sha256sum prints the file hash alone: no need to parse. */
        if (strcmp(fmt, "sha256sum") == 0 && strcmp(os.pos[i], "-") != 0) {
            char hex[65];

            if (sha256_file(os.pos[i], hex, NULL, &err) < 0)
                status = report_error(&err);
            else
                printf("%s  %s\n", hex, os.pos[i]);
            continue;
        }
        if (data_identify(os.pos[i], &id, &err) < 0) {
            status = report_error(&err);
            continue;
        }
        if (strcmp(fmt, "sha256sum") == 0) {
            printf("%s  %s\n", id.sha256, os.pos[i]);
            continue;
        }
        if (strcmp(fmt, "text") == 0) {
            printf("%s  %s\n", id.sha256, os.pos[i]);
            if (id.tabular)
                printf("  bytes %llu  rows %llu  columns %llu\n"
                       "  row_digest  %s\n  schema_hash %s\n",
                       (unsigned long long)id.bytes,
                       (unsigned long long)id.rows,
                       (unsigned long long)id.columns, id.row_digest,
                       id.schema_hash);
            else
                printf("  bytes %llu  (not tabular: bytes only)\n",
                       (unsigned long long)id.bytes);
            continue;
        }
        o = j_obj();
        j_set(o, "path", j_str(os.pos[i]));
        j_set(o, "sha256", j_str(id.sha256));
        j_set(o, "bytes", j_int((long long)id.bytes));
        j_set(o, "rows", id.tabular ? j_int((long long)id.rows) : j_null());
        j_set(o, "columns", id.tabular ? j_int((long long)id.columns) :
              j_null());
        j_set(o, "row_digest", id.tabular ? j_str(id.row_digest) : j_null());
        j_set(o, "schema_hash", id.tabular ? j_str(id.schema_hash) :
              j_null());
        j_push(arr, o);
    }
    if (strcmp(fmt, "json") == 0)
        j_write(arr, stdout, J_PRETTY);
    rc = status;
out:
    j_free(arr);
    opt_release(&os);
    return rc;
}

const struct command cmd_hash_def = {
    "hash", run,
    "assay hash DATA... [--format text|json|sha256sum]",
    "sha256, row digest and schema hash of each file",
    "The SHA-256 of a file's bytes equals sha256sum's.  For tabular files\n"
    "(.csv, .tsv, .gz) assay also gives:\n"
    "  row_digest   a digest of the records that ignores their order (the\n"
    "               same data shuffled has the same row digest)\n"
    "  schema_hash  a digest of the column names, order and inferred types\n"
    "\nExamples:\n"
    "  assay hash train.csv test.csv\n"
    "  assay hash --format sha256sum *.csv | sha256sum -c\n",
    opts, ARRAY_SIZE(opts),
};
