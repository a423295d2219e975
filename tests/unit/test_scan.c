/* test_scan.c -- the parallel mode of scan.c gives the streaming mode's
 * rows: every record once, in file order, with its record and line
 * number, however the file is cut into parts and whichever worker takes
 * what (scan_opts' test knobs: parallel_min, parts, steal_min).  The
 * assertions hold whatever the timing; only which path runs varies. */
#include "testutil.h"
#include <unistd.h>
#include "scan.h"

/* ---- a sink that records (record, line, first field) ---- */

struct rec {
    uint64_t record, line;
    char id[24];
    size_t nfields;
};

struct log {
    struct rec *r;
    size_t n, cap;
};

static void log_add(struct log *l, const struct rec *r)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->r = realloc(l->r, l->cap * sizeof(*l->r));
        assert_non_null(l->r);
    }
    l->r[l->n++] = *r;
}

static void *rec_new(void *self, unsigned worker)
{
    (void)self;
    (void)worker;
    return calloc(1, sizeof(struct log));
}

static int rec_row(void *ws, const struct row *row, struct assay_err *err)
{
    struct rec r;
    size_t n = row->nfields ? row->len[0] : 0;

    (void)err;
    memset(&r, 0, sizeof(r));
    r.record = row->record;
    r.line = row->line;
    r.nfields = row->nfields;
    if (n > sizeof(r.id) - 1)
        n = sizeof(r.id) - 1;
    if (row->nfields)
        memcpy(r.id, row->field[0], n);
    log_add(ws, &r);
    return 0;
}

static void rec_merge(void *self, void *ws, uint64_t rec_off,
                      uint64_t line_off)
{
    struct log *all = self, *l = ws;
    size_t i;

    for (i = 0; i < l->n; i++) {
        l->r[i].record += rec_off;
        l->r[i].line += line_off;
        log_add(all, &l->r[i]);
    }
    free(l->r);
    free(l);
}

struct result {
    struct log log;
    struct scan_info info;
    int rc;
    struct assay_err err;
};

static void run(const char *path, unsigned threads, unsigned parts,
                uint64_t steal_min, size_t chunk, struct result *res)
{
    struct scan_opts so = SCAN_OPTS_INIT;
    struct scan_sink sk;
    struct scan *s;

    memset(res, 0, sizeof(*res));
    so.threads = threads;
    so.parallel_min = 1;
    so.parts = parts;
    so.steal_min = steal_min;
    so.chunk = chunk;
    s = scan_open(path, &so, &res->err);
    assert_non_null(s);
    memset(&sk, 0, sizeof(sk));
    sk.name = "record";
    sk.self = &res->log;
    sk.worker_new = rec_new;
    sk.row = rec_row;
    sk.merge = rec_merge;
    scan_add_sink(s, &sk);
    res->rc = scan_run(s, &res->err);
    res->info = *scan_info(s);
    scan_free(s);
}

static void same(const struct result *a, const struct result *b)
{
    size_t i;

    assert_int_equal(a->rc, b->rc);
    if (a->rc != 0) {
        assert_int_equal(a->err.status, b->err.status);
        assert_string_equal(a->err.msg, b->err.msg);
        return;
    }
    assert_string_equal(a->info.sha256, b->info.sha256);
    assert_int_equal(a->info.rows, b->info.rows);
    assert_int_equal(a->info.lines, b->info.lines);
    assert_int_equal(a->log.n, b->log.n);
    for (i = 0; i < a->log.n; i++) {
        assert_int_equal(a->log.r[i].record, b->log.r[i].record);
        assert_int_equal(a->log.r[i].line, b->log.r[i].line);
        assert_int_equal(a->log.r[i].nfields, b->log.r[i].nfields);
        assert_string_equal(a->log.r[i].id, b->log.r[i].id);
    }
}

/* A file of nrec records; every 7th has a quoted field with a newline,
 * commas and doubled quotes in it (a cut must not land inside), every
 * 1000th has a missing field. */
static char *make_csv(const char *eol, size_t nrec, const char *tail)
{
    static char path[64];
    FILE *f;
    size_t i;

    snprintf(path, sizeof(path), "/tmp/assay-test-scan-%ld.csv",
             (long)getpid());
    f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "id,text,n%s", eol);
    for (i = 1; i <= nrec; i++) {
        if (i % 1000 == 0)
            fprintf(f, "r%zu,short%s", i, eol);
        else if (i % 7 == 0)
            fprintf(f, "r%zu,\"line one%sline \"\"two\"\", with commas,\","
                    "%zu%s", i, eol, i, eol);
        else
            fprintf(f, "r%zu,plain text %zu,%zu%s", i, i * 31 % 977, i, eol);
    }
    fputs(tail, f);
    fclose(f);
    return path;
}

/* expect_rows: the rows of a good file; 0: the file is bad input. */
static void check_file(const char *path, size_t expect_rows)
{
    /* one part (the second worker splits it at once), two (the default),
     * more; splitting any unread rest, or none smaller than 8 MiB; reads
     * of 1 MiB or of 4 KiB (small reads leave more to split) */
    static const unsigned parts[] = { 1, 2, 3, 7, 16 };
    static const uint64_t steal[] = { 0, 1 };
    static const size_t chunk[] = { 0, 4096 };
    struct result ref, got;
    size_t i, j, c;

    run(path, 1, 0, 0, 0, &ref);
    if (expect_rows > 0) {
        assert_int_equal(ref.rc, 0);
        assert_int_equal(ref.info.rows, expect_rows);
    } else {
        assert_int_equal(ref.rc, -1);
        assert_int_equal(ref.err.located, 1);
    }
    for (i = 0; i < ARRAY_SIZE(parts); i++)
        for (j = 0; j < ARRAY_SIZE(steal); j++)
            for (c = 0; c < ARRAY_SIZE(chunk); c++) {
                run(path, 2, parts[i], steal[j], chunk[c], &got);
                same(&ref, &got);
                free(got.log.r);
            }
    free(ref.log.r);
}

static void test_parts_lf(void **state)
{
    (void)state;
    check_file(make_csv("\n", 30000, ""), 30000);
    unlink(make_csv("\n", 30000, ""));
}

static void test_parts_crlf(void **state)
{
    (void)state;
    check_file(make_csv("\r\n", 30000, "r-last,no newline at the end,1"),
               30001);
    unlink(make_csv("\r\n", 30000, ""));
}

/* Lone CRs end lines too: such a file stays on one part, same rows. */
static void test_lone_cr(void **state)
{
    (void)state;
    check_file(make_csv("\r", 20000, ""), 20000);
    unlink(make_csv("\r", 20000, ""));
}

/* An error in a late part reads exactly as the streaming mode's: same
 * status, same FILE:LINE:COL. */
static void test_error_late(void **state)
{
    char tail[] = "r-bad,\"unterminated quote,1\nr-x,y,2\n";

    (void)state;
    check_file(make_csv("\n", 30000, tail), 0);
    unlink(make_csv("\n", 30000, ""));
}

/* A lone CR (inside a quoted field) as the last byte of one of the
 * boundary walk's 64 KiB reads: the line count must see it, so the file
 * is not cut after it (a cut there had every later line number one
 * short).  Two parts: the walk starts at the middle of the data. */
static void test_cr_at_read_end(void **state)
{
    enum { NREC = 20000, FIELD = 200000 };
    char path[64];
    int d;

    (void)state;
    snprintf(path, sizeof(path), "/tmp/assay-test-scan-c%ld.csv",
             (long)getpid());
    for (d = -1; d <= 1; d++) {
        /* layout: "a,b\n", NREC records of 9 bytes, big,"<FIELD>"\n,
         * NREC records */
        size_t hdr = 4, start = hdr + 9 * NREC + 5;
        size_t size = start + FIELD + 2 + 9 * NREC;
        size_t target = hdr + (size - hdr) / 2;
        char *field = malloc(FIELD);
        FILE *f = fopen(path, "wb");
        struct result ref, got;
        size_t i;

        assert_non_null(field);
        assert_non_null(f);
        memset(field, 'y', FIELD);
        field[target + 65535 + (size_t)d - start] = '\r';
        fputs("a,b\n", f);
        for (i = 0; i < NREC; i++)
            fprintf(f, "r%05zu,x\n", i);
        fputs("big,\"", f);
        fwrite(field, 1, FIELD, f);
        fputs("\"\n", f);
        for (i = 0; i < NREC; i++)
            fprintf(f, "s%05zu,x\n", i);
        fclose(f);
        free(field);
        run(path, 1, 0, 0, 0, &ref);
        assert_int_equal(ref.rc, 0);
        assert_int_equal(ref.info.rows, 2 * NREC + 1);
        run(path, 2, 2, 0, 0, &got);
        same(&ref, &got);
        free(got.log.r);
        free(ref.log.r);
    }
    unlink(path);
}

/* Random files (fixed seeds) of short records mixing quoted fields
 * with newlines, CRLF and lone CRs, doubled quotes, stray quotes, empty
 * lines and ragged records, good and bad: every way of cutting them
 * gives the streaming mode's rows, lines and errors. */
static void test_random_files(void **state)
{
    static const char *const piece[] = {
        "a", "bb", "", "\"q\"", "\"x,y\"", "\"l1\nl2\"", "\"l1\r\nl2\"",
        "\"d\"\"q\"", "12", "3.5", "\"\"", "z\"z", "\"cr\rin\"",
    };
    static const char *const eol[] = { "\n", "\r\n", "\n", "\r" };
    char path[64];
    unsigned seed;

    (void)state;
    snprintf(path, sizeof(path), "/tmp/assay-test-scan-r%ld.csv",
             (long)getpid());
    for (seed = 1; seed <= 60; seed++) {
        uint64_t x = seed * 0x9E3779B97F4A7C15ULL;
        FILE *f = fopen(path, "wb");
        size_t i, j, nrec = 300 + seed * 7;
        /* most files clean (one line ending, no CR inside quotes), some
         * mixed (line endings, CRs in quotes, ragged records, in half of
         * them a stray quote near the end) */
        int messy = seed % 4 == 0;
        struct result ref, got;
        unsigned parts;

        assert_non_null(f);
        fputs("c1,c2,c3\n", f);
        for (i = 0; i < nrec; i++) {
            size_t nf = 3;

            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if (messy && x % 97 == 0)
                nf = 2 + x % 3;
            for (j = 0; j < nf; j++) {
                size_t k = (x >> (8 * j)) % ARRAY_SIZE(piece);

                /* a stray quote (bad input) only late in some files */
                if (k == 11 && !(messy && i > nrec * 9 / 10 && seed % 8 == 0))
                    k = 1;
                if (k == 12 && !messy)
                    k = 0;
                fprintf(f, "%s%s", j ? "," : "", piece[k]);
            }
            fputs(messy ? eol[(x >> 40) % 4] : eol[seed % 2], f);
        }
        fclose(f);
        run(path, 1, 0, 0, 0, &ref);
        for (parts = 1; parts <= 7; parts += 2) {
            run(path, 2, parts, 1, 64, &got);
            same(&ref, &got);
            free(got.log.r);
        }
        free(ref.log.r);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_lf),
        cmocka_unit_test(test_parts_crlf),
        cmocka_unit_test(test_lone_cr),
        cmocka_unit_test(test_error_late),
        cmocka_unit_test(test_cr_at_read_end),
        cmocka_unit_test(test_random_files),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
