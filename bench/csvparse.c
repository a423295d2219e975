/* csvparse.c -- parse-only speed of the CSV reader (src/read_csv.c).
 *
 * Streams a file in 4 MiB reads (as scan.c does) into the reader with a
 * callback that only counts fields, with the fast scanner or (--libcsv)
 * through libcsv alone, and prints MB/s (best of RUNS, default 1).
 *
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Isrc bench/csvparse.c \
 *      src/read_csv.c src/status.c src/util.c -lcsv -o /tmp/csvparse
 *   python3 ../shared/bench/gen_dataset.py --rows 800000 --seed 1 \
 *      -o /tmp/100mb.csv
 *   /tmp/csvparse [--libcsv] /tmp/100mb.csv [runs] [feed-bytes] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "read_csv.h"
#include "util.h"

struct count {
    unsigned long long rows, fields, bytes, last;
};

static int on_row(void *ctx, const struct row *row)
{
    struct count *c = ctx;

    c->rows++;
    c->fields += row->nfields;
    c->last += row->len[row->nfields - 1];
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

/* Parse the file once, streaming it in feed-byte reads (as scan.c
 * does); returns wall seconds (*cpu: CPU seconds), or -1 on an error. */
static double parse(const char *path, size_t feed, int force,
                    struct count *c, double *cpu)
{
    struct csv_opts o = CSV_OPTS_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    struct csv_reader *r;
    double t0 = now(CLOCK_MONOTONIC), t;
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    char *buf = xmalloc(feed);
    size_t k;
    int rc = 0;
    FILE *f = fopen(path, "rb");

    if (f == NULL) {
        perror(path);
        free(buf);
        return -1;
    }
    memset(c, 0, sizeof(*c));
    r = csv_reader_new(&o, on_row, c);
    csv_reader_force_libcsv(r, force);
    while (rc == 0 && (k = fread(buf, 1, feed, f)) > 0) {
        rc = csv_reader_feed(r, buf, k, &err);
        c->bytes += k;
    }
    if (rc == 0)
        rc = csv_reader_finish(r, &err);
    t = now(CLOCK_MONOTONIC) - t0;
    *cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    csv_reader_free(r);
    fclose(f);
    free(buf);
    if (rc != 0) {
        fprintf(stderr, "csvparse: %s\n", err.msg);
        return -1;
    }
    return t;
}

int main(int argc, char **argv)
{
    struct count c;
    size_t feed;
    int runs, i, force = 0, a = 1;

    if (argc > 1 && strcmp(argv[1], "--libcsv") == 0) {
        force = 1;
        a++;
    }
    if (argc <= a) {
        fprintf(stderr, "usage: csvparse [--libcsv] FILE [RUNS] "
                "[FEED-BYTES]\n");
        return 2;
    }
    runs = argc > a + 1 ? atoi(argv[a + 1]) : 1;
    feed = argc > a + 2 ? (size_t)strtoul(argv[a + 2], NULL, 10)
                        : (size_t)4 << 20;
    if (runs < 1 || feed < 1)
        return 2;
    {
        double best = 1e30, bestcpu = 1e30, t, cpu;

        for (i = 0; i < runs; i++) {
            t = parse(argv[a], feed, force, &c, &cpu);
            if (t < 0)
                return 1;
            best = MIN(best, t);
            bestcpu = MIN(bestcpu, cpu);
        }
        printf("%-8s %7.1f MB/s wall %7.1f MB/s cpu  %llu records, "
               "%llu fields, %llu bytes\n", force ? "libcsv" : "scanner",
               c.bytes / best / 1e6, c.bytes / bestcpu / 1e6, c.rows,
               c.fields, c.bytes);
    }
    return 0;
}
