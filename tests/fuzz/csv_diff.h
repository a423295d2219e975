/* csv_diff.h -- parse bytes into a transcript, for comparing the fast
 * scanner with libcsv (tests/unit/test_read_csv.c, fuzz_read_csv.c).
 *
 * A transcript lists every row (record, line, raw bytes, each field with
 * its quoted flag and exact bytes), the counters and the final status
 * and message.  Two runs agree when their transcripts are equal bytes.
 * Header-only (static functions): include it from one test file. */
#ifndef ASSAY_CSV_DIFF_H
#define ASSAY_CSV_DIFF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "read_csv.h"
#include "status.h"
#include "util.h"

struct csvd_ctx {
    struct buf *out;
    long stop_after;            /* stop with 7 after this many rows; -1 */
    long rows;
    int bad;                    /* a row broke the row.h contract */
};

static void csvd_bytes(struct buf *b, const char *p, size_t n)
{
    buf_printf(b, "%zu:", n);
    buf_add(b, p, n);
}

static int csvd_row(void *ctx, const struct row *row)
{
    struct csvd_ctx *c = ctx;
    size_t i;

    buf_printf(c->out, "R%llu L%llu N%zu raw=",
               (unsigned long long)row->record,
               (unsigned long long)row->line, row->nfields);
    csvd_bytes(c->out, row->raw, row->raw_len);
    buf_addc(c->out, '\n');
    for (i = 0; i < row->nfields; i++) {
        if (row->field[i][row->len[i]] != '\0' || row->quoted[i] > 1)
            c->bad = 1;
        buf_printf(c->out, " F%d ", row->quoted[i]);
        csvd_bytes(c->out, row->field[i], row->len[i]);
        buf_addc(c->out, '\n');
    }
    c->rows++;
    if (c->stop_after >= 0 && c->rows >= c->stop_after)
        return 7;
    return 0;
}

/* Chunk sizes: chunk 0 feeds everything at once, chunk > 0 in pieces of
 * that size, chunk < 0 in pseudo-random pieces of 1..-chunk bytes. */
static size_t csvd_next_chunk(long chunk, uint64_t *seed, size_t left)
{
    size_t k;

    if (chunk == 0)
        return left;
    if (chunk > 0) {
        k = (size_t)chunk;
    } else {
        *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
        k = 1 + (size_t)((*seed >> 33) % (uint64_t)(-chunk));
    }
    return k < left ? k : left;
}

/* Parse data[0..n) into out.  Returns 0, or 1 when a row broke the
 * contract (field not NUL-terminated, quoted not 0/1). */
static int csvd_run(const char *data, size_t n, const struct csv_opts *o,
                    int force, long chunk, uint64_t seed, long stop_after,
                    struct buf *out)
{
    struct csvd_ctx c;
    struct assay_err err = ASSAY_ERR_INIT;
    struct csv_reader *r;
    size_t off = 0, k;
    int rc = 0;

    c.out = out;
    c.stop_after = stop_after;
    c.rows = 0;
    c.bad = 0;
    r = csv_reader_new(o, csvd_row, &c);
    csv_reader_force_libcsv(r, force);
    while (off < n && rc == 0) {
        k = csvd_next_chunk(chunk, &seed, n - off);
        rc = csv_reader_feed(r, data + off, k, &err);
        off += k;
    }
    if (rc == 0)
        rc = csv_reader_finish(r, &err);
    if (rc == -1)
        buf_printf(out, "ERROR %d %s\n", (int)err.status, err.msg);
    else if (rc != 0)
        buf_printf(out, "STOP %d\n", rc);
    else
        buf_printf(out, "END records=%llu lines=%llu boundary=%d\n",
                   (unsigned long long)csv_reader_records(r),
                   (unsigned long long)csv_reader_lines(r),
                   csv_reader_at_boundary(r));
    csv_reader_free(r);
    return c.bad;
}

/* Index of the first differing byte of two transcripts, or -1. */
static long csvd_diff(const struct buf *a, const struct buf *b)
{
    size_t i, n = a->len < b->len ? a->len : b->len;

    for (i = 0; i < n; i++)
        if (a->data[i] != b->data[i])
            return (long)i;
    return a->len == b->len ? -1 : (long)n;
}

#endif
