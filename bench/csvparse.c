/* csvparse.c -- parse-only speed of the CSV reader (src/read_csv.c).
 *
 * Reads a whole file into memory, then parses it from memory in 64 KiB
 * feeds with a callback that only counts fields, once with the fast
 * scanner and once through libcsv alone, and prints MB/s (best of N).
 *
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Isrc bench/csvparse.c \
 *      src/read_csv.c src/status.c src/util.c -lcsv -o /tmp/csvparse
 *   python3 ../shared/bench/gen_dataset.py --rows 800000 --seed 1 \
 *      -o /tmp/100mb.csv
 *   /tmp/csvparse /tmp/100mb.csv [runs] [feed-bytes] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "read_csv.h"
#include "util.h"

struct count {
    unsigned long long rows, fields, bytes;
};

static int on_row(void *ctx, const struct row *row)
{
    struct count *c = ctx;

    c->rows++;
    c->fields += row->nfields;
    c->bytes += row->len[row->nfields - 1];
    return 0;
}

/* CPU time of this process: on a busy machine it moves less than the
 * wall clock (both are printed). */
static double now(clockid_t clk)
{
    struct timespec ts;

    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Returns wall seconds for one parse of data (*cpu: CPU seconds), or -1
 * on a parse error. */
static double parse(const char *data, size_t n, size_t feed, int force,
                    struct count *c, double *cpu)
{
    struct csv_opts o = CSV_OPTS_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    struct csv_reader *r;
    size_t off;
    double t0 = now(CLOCK_MONOTONIC), t;
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    int rc = 0;

    memset(c, 0, sizeof(*c));
    r = csv_reader_new(&o, on_row, c);
    csv_reader_force_libcsv(r, force);
    for (off = 0; off < n && rc == 0; off += feed)
        rc = csv_reader_feed(r, data + off, MIN(feed, n - off), &err);
    if (rc == 0)
        rc = csv_reader_finish(r, &err);
    t = now(CLOCK_MONOTONIC) - t0;
    *cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    csv_reader_free(r);
    if (rc != 0) {
        fprintf(stderr, "csvparse: %s\n", err.msg);
        return -1;
    }
    return t;
}

int main(int argc, char **argv)
{
    struct buf b = BUF_INIT;
    struct count c;
    char tmp[1 << 16];
    size_t k, feed;
    int runs, i, force;
    FILE *f;

    if (argc < 2) {
        fprintf(stderr, "usage: csvparse FILE [RUNS] [FEED-BYTES]\n");
        return 2;
    }
    runs = argc > 2 ? atoi(argv[2]) : 5;
    feed = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 65536;
    if (runs < 1 || feed < 1)
        return 2;
    f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
        buf_add(&b, tmp, k);
    fclose(f);
    for (force = 0; force < 2; force++) {
        double best = 1e30, bestcpu = 1e30, t, cpu;

        for (i = 0; i < runs; i++) {
            t = parse(b.data, b.len, feed, force, &c, &cpu);
            if (t < 0)
                return 1;
            best = MIN(best, t);
            bestcpu = MIN(bestcpu, cpu);
        }
        printf("%-8s %7.1f MB/s wall %7.1f MB/s cpu  %llu records, "
               "%llu fields, %zu bytes\n", force ? "libcsv" : "scanner",
               b.len / best / 1e6, b.len / bestcpu / 1e6, c.rows, c.fields,
               b.len);
    }
    buf_release(&b);
    return 0;
}
