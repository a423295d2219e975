/* fuzz_read_csv.c -- libFuzzer target: the fast CSV scanner against
 * libcsv (src/read_csv.c).
 *
 * The first two input bytes pick the options (delimiter, BOM, small
 * field and record limits, chunking, a callback that stops early); the
 * rest is the CSV.  Every run parses the bytes four ways (scanner and
 * libcsv, whole and chunked) and abort()s when the transcripts differ.
 * Built and run by tests/fuzz/run.sh; with -DFUZZ_MAIN it is a plain
 * program that replays the files named on its command line. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csv_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void report(const char *what, const struct buf *a,
                   const struct buf *b, long at)
{
    fprintf(stderr, "fuzz_read_csv: %s differs at byte %ld\n", what, at);
    fprintf(stderr, "--- reference (scanner, one feed)\n");
    fwrite(a->data, 1, a->len, stderr);
    fprintf(stderr, "--- %s\n", what);
    fwrite(b->data, 1, b->len, stderr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[4] = { ',', '\t', ';', ' ' };
    static const size_t fields[8] = { 0, 1, 2, 3, 5, 8, 16, 64 };
    static const size_t records[4] = { 0, 4, 10, 40 };
    static const long chunks[8] = { 1, 2, 3, 7, -5, -16, -64, 4096 };
    struct csv_opts o = CSV_OPTS_INIT;
    struct buf ref = BUF_INIT, b = BUF_INIT;
    const char *csv;
    size_t n;
    long stop, at;
    uint64_t seed;
    int i, bad;

    if (size < 2)
        return 0;
    o.delim = delims[data[0] & 3];
    o.skip_bom = (data[0] >> 2) & 1;
    o.max_field = fields[(data[0] >> 3) & 7];
    o.max_record = records[(data[0] >> 6) & 3];
    o.name = "fuzz.csv";
    stop = (data[1] & 0x80) ? (long)((data[1] >> 3) & 15) : -1;
    seed = data[1];
    csv = (const char *)data + 2;
    n = size - 2;

    bad = csvd_run(csv, n, &o, 0, 0, seed, stop, &ref);
    for (i = 0; i < 4 && !bad; i++) {
        static const char *const what[4] = {
            "libcsv, one feed", "scanner, chunked", "libcsv, chunked",
            "scanner, 1-byte chunks"
        };
        long chunk = i == 0 ? 0 : i == 3 ? 1 : chunks[data[1] & 7];

        buf_reset(&b);
        bad = csvd_run(csv, n, &o, i == 0 || i == 2, chunk, seed, stop, &b);
        at = csvd_diff(&ref, &b);
        if (at >= 0) {
            report(what[i], &ref, &b, at);
            abort();
        }
    }
    if (bad) {
        fprintf(stderr, "fuzz_read_csv: a row broke the row.h contract\n");
        abort();
    }
    buf_release(&ref);
    buf_release(&b);
    return 0;
}

#include "fuzz_main.h"
