/* profile_bench.c -- nanoseconds per field of the profile sink alone.
 * Parses a CSV once into memory (read_csv.c), then times feeding every
 * record to the profile: one worker, and two workers over the two halves
 * merged in order (what scan.c does on a 2-core machine, minus threads).
 * Times are CPU time of this thread, so a busy machine skews them less.
 *
 * Build and run (from the repository root):
 *   python3 ../shared/bench/gen_dataset.py --rows 800000 --seed 1 \
 *       -o /tmp/100mb.csv
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
 *       -pthread -Isrc -o /tmp/profile_bench bench/profile_bench.c \
 *       src/profile.c src/sketch.c src/types.c src/hash.c src/json.c \
 *       src/util.c src/status.c src/read_csv.c src/scan.c src/crypto.c \
 *       -lcsv -ljansson -lxxhash -lcrypto -lz -lm
 *   /tmp/profile_bench /tmp/100mb.csv [repeats] [percol|json]
 * "percol" also times each column alone, "col J" only column J (for
 * perf), "json" prints the profile; BENCH_WARM=1 touches the table first.
 *
 * Measured (2-core EPYC VM shared with other jobs, so best of runs):
 * 1 GB file (136M fields), 19 ns/field with one or two workers; 100 MB,
 * 19.5 ns/field (one worker) and 21 (two: each pays its own switch to
 * sketches).  Exact-phase columns cost 6-13 ns a value, columns past
 * 16,384 distinct values 22-50 (Misra-Gries, HLL, KLL, parsing every
 * new value).  End to end, `assay profile` reads the 1 GB file in 2.7 s
 * wall (about 370 MB/s, two workers, SHA-256 included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "json.h"
#include "profile.h"
#include "read_csv.h"
#include "util.h"

/* Records kept in memory: field offsets into one text arena. */
struct table {
    struct buf text;
    size_t *off;                /* per field */
    uint32_t *len;
    size_t nf, fcap;
    size_t *rec;                /* first field of each record */
    size_t *rnf;
    size_t nrec, rcap;
    char **names;
    size_t ncols;
};

static int keep_row(void *ctx, const struct row *row)
{
    struct table *t = ctx;
    size_t i;

    if (row->record == 0) {
        t->ncols = row->nfields;
        t->names = xcalloc(row->nfields + 1, sizeof(char *));
        for (i = 0; i < row->nfields; i++)
            t->names[i] = xstrndup(row->field[i], row->len[i]);
        return 0;
    }
    if (t->nrec == t->rcap) {
        grow(&t->rec, &t->rcap, t->nrec + 1, sizeof(size_t));
        t->rnf = xrealloc(t->rnf, t->rcap * sizeof(size_t));
    }
    t->rec[t->nrec] = t->nf;
    t->rnf[t->nrec] = row->nfields;
    t->nrec++;
    for (i = 0; i < row->nfields; i++) {
        if (t->nf == t->fcap) {
            size_t c = t->fcap;

            grow(&t->off, &c, t->nf + 1, sizeof(size_t));
            t->len = xrealloc(t->len, c * sizeof(uint32_t));
            t->fcap = c;
        }
        t->off[t->nf] = t->text.len;
        t->len[t->nf] = row->len[i];
        buf_add(&t->text, row->field[i], row->len[i]);
        buf_addc(&t->text, '\0');
        t->nf++;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Time column j alone: ns per value.  The column is first gathered
 * into contiguous memory, as hot as a just-parsed row would be. */
static double one_column(const struct table *t, size_t j)
{
    const char *name = t->names[j];
    struct profile *p = profile_new_cols(&name, 1, NULL);
    const struct scan_sink *sk = profile_sink(p);
    void *ws = sk->worker_new(sk->self, 0);
    struct buf col = BUF_INIT;
    size_t *off = xmalloc((t->nrec + 1) * sizeof(size_t));
    uint32_t *len = xmalloc((t->nrec + 1) * sizeof(uint32_t));
    size_t r, n = 0;
    struct row row;
    const char *fp[1];
    double t0, t1;

    for (r = 0; r < t->nrec; r++) {
        if (t->rnf[r] != t->ncols)
            continue;
        off[n] = col.len;
        len[n] = t->len[t->rec[r] + j];
        buf_add(&col, t->text.data + t->off[t->rec[r] + j], len[n]);
        buf_addc(&col, '\0');
        n++;
    }
    memset(&row, 0, sizeof(row));
    row.nfields = 1;
    row.field = fp;
    t0 = now();
    for (r = 0; r < n; r++) {
        fp[0] = col.data + off[r];
        row.len = len + r;
        sk->row(ws, &row, NULL);
    }
    t1 = now();
    sk->merge(sk->self, ws, 0, 0);
    profile_free(p);
    buf_release(&col);
    free(off);
    free(len);
    return (t1 - t0) * 1e9 / (double)n;
}

/* Feed records [a, b) to one worker state. */
static void feed(const struct table *t, const struct scan_sink *sk, void *ws,
                 size_t a, size_t b, const char **fp)
{
    struct row row;
    size_t r, i;

    memset(&row, 0, sizeof(row));
    for (r = a; r < b; r++) {
        size_t f0 = t->rec[r];

        for (i = 0; i < t->rnf[r]; i++)
            fp[i] = t->text.data + t->off[f0 + i];
        row.nfields = t->rnf[r];
        row.field = fp;
        row.len = t->len + f0;
        row.record = r + 1;
        sk->row(ws, &row, NULL);
    }
}

int main(int argc, char **argv)
{
    struct table t;
    struct csv_opts co = CSV_OPTS_INIT;
    struct csv_reader *r;
    struct assay_err err = ASSAY_ERR_INIT;
    struct profile_opts po;
    FILE *f;
    char *chunk = xmalloc(1 << 20);
    const char **fp;
    size_t n, rep, reps = argc > 2 ? (size_t)atol(argv[2]) : 3;
    int workers;

    if (argc < 2) {
        fprintf(stderr, "usage: profile_bench FILE.csv [repeats]\n");
        return 2;
    }
    memset(&t, 0, sizeof(t));
    f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    r = csv_reader_new(&co, keep_row, &t);
    while ((n = fread(chunk, 1, 1 << 20, f)) > 0)
        if (csv_reader_feed(r, chunk, n, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    csv_reader_finish(r, &err);
    csv_reader_free(r);
    fclose(f);
    fp = xcalloc(t.ncols + 64, sizeof(char *));
    if (getenv("BENCH_WARM") != NULL) {     /* touch the table once */
        volatile size_t sum = 0;
        size_t k;

        for (k = 0; k < t.text.len; k += 64)
            sum += (unsigned char)t.text.data[k];
        for (k = 0; k < t.nf; k += 8)
            sum += t.off[k] + t.len[k];
    }
    memset(&po, 0, sizeof(po));
    printf("%zu records, %zu fields, %zu bytes of text\n", t.nrec, t.nf,
           t.text.len);
    if (argc > 4 && strcmp(argv[3], "col") == 0) {
        size_t j = (size_t)atol(argv[4]);

        for (rep = 0; rep < reps; rep++)
            printf("%-16s %6.2f ns/value\n", t.names[j], one_column(&t, j));
        return 0;
    }
    for (workers = 1; workers <= 2; workers++) {
        for (rep = 0; rep < reps; rep++) {
            struct profile *p = profile_new_cols(
                (const char *const *)t.names, t.ncols, &po);
            const struct scan_sink *sk = profile_sink(p);
            void *w0 = sk->worker_new(sk->self, 0), *w1 = NULL;
            size_t half = workers == 2 ? t.nrec / 2 : t.nrec;
            double t0, t1, t2, t3;
            struct json_t *j;

            if (workers == 2)
                w1 = sk->worker_new(sk->self, 1);
            t0 = now();
            feed(&t, sk, w0, 0, half, fp);
            if (w1 != NULL)
                feed(&t, sk, w1, half, t.nrec, fp);
            t1 = now();
            sk->merge(sk->self, w0, 0, 0);
            if (w1 != NULL)
                sk->merge(sk->self, w1, half, 0);
            t2 = now();
            j = profile_json(p);
            t3 = now();
            printf("%d worker(s): feed %.3f s = %.2f ns/field, merge %.1f ms,"
                   " finish %.1f ms\n", workers, t1 - t0,
                   (t1 - t0) * 1e9 / (double)t.nf, (t2 - t1) * 1e3,
                   (t3 - t2) * 1e3);
            if (rep == 0 && workers == 2 && argc > 3 &&
                strcmp(argv[3], "json") == 0)
                j_write(j, stdout, J_PRETTY);
            j_free(j);
            profile_free(p);
        }
    }
    if (argc > 3 && strcmp(argv[3], "percol") == 0) {
        size_t j;

        for (j = 0; j < t.ncols; j++)
            printf("%-16s %6.2f ns/value\n", t.names[j], one_column(&t, j));
    }
    return 0;
}
