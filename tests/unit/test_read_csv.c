/* test_read_csv.c -- the CSV reader (src/read_csv.c): exact rows, line
 * and record numbers, errors; the same rows for every chunking; the fast
 * scanner against libcsv on every file in tests/data/csv/ and on
 * hundreds of random and mutated inputs; size limits; the real datasets
 * in ../shared when present. */
#include "testutil.h"
#include <dirent.h>
#include <unistd.h>
#include "read_csv.h"
#include "status.h"
#include "util.h"
#include "../fuzz/csv_diff.h"

#define CSV_DIR TEST_DATA "/csv"

/* ---- a compact transcript for the tables ----
 * One line per row: "LINE:RECORD" then each field as [text] (unquoted)
 * or {text} (quoted); an error adds "! STATUS MESSAGE". */

static int compact_row(void *ctx, const struct row *row)
{
    struct buf *b = ctx;
    size_t i;

    buf_printf(b, "%llu:%llu", (unsigned long long)row->line,
               (unsigned long long)row->record);
    for (i = 0; i < row->nfields; i++) {
        buf_addc(b, row->quoted[i] ? '{' : '[');
        buf_add(b, row->field[i], row->len[i]);
        buf_addc(b, row->quoted[i] ? '}' : ']');
    }
    buf_addc(b, '\n');
    return 0;
}

/* Parse with options o; force picks libcsv; chunk as in csv_diff.h.
 * Returns a new string; caller frees. */
static char *compact(const char *data, size_t n, const struct csv_opts *o,
                     int force, long chunk)
{
    struct buf b = BUF_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    struct csv_reader *r = csv_reader_new(o, compact_row, &b);
    uint64_t seed = 99;
    size_t off = 0, k;
    int rc = 0;

    csv_reader_force_libcsv(r, force);
    while (off < n && rc == 0) {
        k = csvd_next_chunk(chunk, &seed, n - off);
        rc = csv_reader_feed(r, data + off, k, &err);
        off += k;
    }
    if (rc == 0)
        rc = csv_reader_finish(r, &err);
    if (rc != 0)
        buf_printf(&b, "! %d %s", (int)err.status, err.msg);
    csv_reader_free(r);
    return buf_detach(&b);
}

/* ---- exact rows ---- */

static const struct {
    const char *csv;
    char delim;
    const char *want;
} cases[] = {
    { "", ',', "" },
    { "a,b,c\n", ',', "1:0[a][b][c]\n" },
    { "a,b\n1,2", ',', "1:0[a][b]\n2:1[1][2]\n" },
    { "a,b\r\n1,2\r\n", ',', "1:0[a][b]\n2:1[1][2]\n" },
    { "a\rb\r\rc", ',', "1:0[a]\n2:1[b]\n4:2[c]\n" },
    { "\n\n\r\na\n\n\nb\n\r\n\nc\n\n", ',',
      "4:0[a]\n7:1[b]\n10:2[c]\n" },
    { "\"\",,\"\"\n", ',', "1:0{}[]{}\n" },
    { "\"\"\n", ',', "1:0{}\n" },
    { ",\n", ',', "1:0[][]\n" },
    { "x,\n", ',', "1:0[x][]\n" },
    { "\"a,b\",\"c\"\"d\",\"\"\"\"\n", ',', "1:0{a,b}{c\"d}{\"}\n" },
    { "1,\"x\ny\",2\n3,4\n", ',', "1:0[1]{x\ny}[2]\n3:1[3][4]\n" },
    { "1,\"x\r\ny\r\n\",2\n3\n", ',', "1:0[1]{x\r\ny\r\n}[2]\n4:1[3]\n" },
    { "1,\"x\ry\",2\n3\n", ',', "1:0[1]{x\ry}[2]\n3:1[3]\n" },
    { "1,\"\n\n\n\"\n3\n", ',', "1:0[1]{\n\n\n}\n5:1[3]\n" },
    { "  a , b  \n", ',', "1:0[  a ][ b  ]\n" },
    { "\" a \", b\n", ',', "1:0{ a }[ b]\n" },
    { "\xef\xbb\xbf" "id\n1\n", ',', "1:0[id]\n2:1[1]\n" },
    { "\xef\xbb\xbf\"id\"\n", ',', "1:0{id}\n" },
    { "\xef\xbb\xbf", ',', "" },
    { "\xef\xbb", ',', "1:0[\xef\xbb]\n" },
    { "\xef\xbbx,\xef\xbb\xbf\n", ',', "1:0[\xef\xbbx][\xef\xbb\xbf]\n" },
    { "\xff\xfe,\xc3\x28\n", ',', "1:0[\xff\xfe][\xc3\x28]\n" },
    { "a\tb\n\"x\ty\"\t,\n", '\t', "1:0[a][b]\n2:1{x\ty}[,]\n" },
    { "a;b,c\n", ';', "1:0[a][b,c]\n" },
    { "a b\n\"x y\" z\n", ' ', "1:0[a][b]\n2:1{x y}[z]\n" },
    { "a,b,c\n1,2\n1,2,3,4\n\n5\n", ',',
      "1:0[a][b][c]\n2:1[1][2]\n3:2[1][2][3][4]\n5:3[5]\n" },
    { "h\n\"abc\"", ',', "1:0[h]\n2:1{abc}\n" },
    { "h\n\"abc\"\r", ',', "1:0[h]\n2:1{abc}\n" },
    { "a\x01\x02\x0b\x0c,b\n", ',', "1:0[a\x01\x02\x0b\x0c][b]\n" },
};

static void test_cases(void **state)
{
    struct csv_opts o = CSV_OPTS_INIT;
    size_t i;
    int force;

    (void)state;
    o.name = "t.csv";
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        o.delim = cases[i].delim;
        for (force = 0; force < 2; force++) {
            char *got = compact(cases[i].csv, strlen(cases[i].csv), &o,
                                force, 0);

            if (strcmp(got, cases[i].want) != 0) {
                print_error("case %zu (%s):\nwant:\n%s\ngot:\n%s\n", i,
                            force ? "libcsv" : "scanner", cases[i].want,
                            got);
                free(got);
                fail();
            }
            free(got);
        }
    }
}

/* ---- errors ---- */

static const struct {
    const char *csv;
    size_t len;                 /* 0: strlen */
    size_t max_field, max_record;
    const char *want;           /* rows, then "! STATUS MESSAGE" */
} errors[] = {
    { "a,b\n1,x\"y\n", 0, 0, 0,
      "1:0[a][b]\n! 5 t.csv:2:4: quote inside an unquoted field" },
    { "a,b\n1,\"x\"y\n", 0, 0, 0,
      "1:0[a][b]\n! 5 t.csv:2:6: unexpected 'y' after a closing quote" },
    { "a,\"x\" \n", 0, 0, 0,
      "! 5 t.csv:1:6: unexpected byte 0x20 after a closing quote" },
    { "a,b\n1,\"open\n2,3\n", 0, 0, 0,
      "1:0[a][b]\n! 5 t.csv:4:1: unterminated quoted field "
      "(opened at line 2, column 3)" },
    { "a,b\n1,\"open", 0, 0, 0,
      "1:0[a][b]\n! 5 t.csv:2:8: unterminated quoted field "
      "(opened at line 2, column 3)" },
    { "\"a\nb\nc,\"\"x", 0, 0, 0,
      "! 5 t.csv:3:6: unterminated quoted field "
      "(opened at line 1, column 1)" },
    { "a,b\n1,x\0y\n", 10, 0, 0,
      "1:0[a][b]\n! 6 t.csv:2:4: NUL byte in text data" },
    { "a\n\0", 3, 0, 0, "1:0[a]\n! 6 t.csv:2:1: NUL byte in text data" },
    { "a\n\"x\n\0\"", 7, 0, 0,
      "1:0[a]\n! 6 t.csv:3:1: NUL byte in text data" },
    { "ab,abcd,abcde,abcdef\n", 0, 5, 0,
      "! 4 t.csv:1:15: field 4 is longer than 5 bytes "
      "(--max-field-size raises the limit)" },
    { "\"a\"\"b\"\"c\",\"a\"\"b\"\"cd\"\n", 0, 5, 0,
      "! 4 t.csv:1:11: field 2 is longer than 5 bytes "
      "(--max-field-size raises the limit)" },
    { "ok\n\"a\nbcdef\"\n", 0, 5, 0,
      "1:0[ok]\n! 4 t.csv:2:1: field 1 is longer than 5 bytes "
      "(--max-field-size raises the limit)" },
    { "abc,def\nabc,defg\n", 0, 0, 7,
      "1:0[abc][def]\n! 4 t.csv:2: record is longer than 7 bytes "
      "(--max-field-size raises the limit)" },
    /* the first problem in byte order wins */
    { "abcdef\"\n", 0, 5, 0,
      "! 4 t.csv:1:1: field 1 is longer than 5 bytes "
      "(--max-field-size raises the limit)" },
    { "abcde\"\n", 0, 5, 0,
      "! 5 t.csv:1:6: quote inside an unquoted field" },
    { "ab\"\0\n", 5, 0, 0, "! 5 t.csv:1:3: quote inside an unquoted field" },
    { "\"ab\"\0\n", 6, 0, 0, "! 6 t.csv:1:5: NUL byte in text data" },
};

static void test_errors(void **state)
{
    struct csv_opts o = CSV_OPTS_INIT;
    size_t i, n;
    int force;
    long chunk;

    (void)state;
    o.name = "t.csv";
    for (i = 0; i < ARRAY_SIZE(errors); i++) {
        n = errors[i].len ? errors[i].len : strlen(errors[i].csv);
        o.max_field = errors[i].max_field;
        o.max_record = errors[i].max_record;
        for (force = 0; force < 2; force++) {
            for (chunk = 0; chunk <= 1; chunk++) {
                char *got = compact(errors[i].csv, n, &o, force, chunk);

                if (strcmp(got, errors[i].want) != 0) {
                    print_error("error case %zu (%s, chunk %ld):\nwant:\n%s"
                                "\ngot:\n%s\n", i,
                                force ? "libcsv" : "scanner", chunk,
                                errors[i].want, got);
                    free(got);
                    fail();
                }
                free(got);
            }
        }
    }
}

/* ---- the differential test ---- */

/* Parse data every way and compare each transcript with the scanner's
 * in one feed.  Returns 0 when all agree. */
static int differs(const char *data, size_t n, const struct csv_opts *o,
                   uint64_t seed, long stop, const char *what)
{
    static const long chunks[] = { 0, 1, 2, 3, 64, -7, -100 };
    struct buf ref = BUF_INIT, b = BUF_INIT;
    size_t i;
    long at;
    int force, rc = 0;

    if (csvd_run(data, n, o, 0, 0, seed, stop, &ref) != 0)
        rc = 1;
    for (i = 0; i < ARRAY_SIZE(chunks) && rc == 0; i++) {
        for (force = 0; force < 2 && rc == 0; force++) {
            if (i == 0 && force == 0)
                continue;
            buf_reset(&b);
            if (csvd_run(data, n, o, force, chunks[i], seed + i, stop,
                         &b) != 0) {
                rc = 1;
                break;
            }
            at = csvd_diff(&ref, &b);
            if (at >= 0) {
                print_error("%s: %s, chunk %ld differs at %ld:\n"
                            "--- scanner\n%.*s\n--- this\n%.*s\n", what,
                            force ? "libcsv" : "scanner", chunks[i], at,
                            (int)ref.len, ref.data ? ref.data : "",
                            (int)b.len, b.data ? b.data : "");
                rc = 1;
            }
        }
    }
    buf_release(&ref);
    buf_release(&b);
    return rc;
}

static char *slurp(const char *path, size_t *n)
{
    struct buf b = BUF_INIT;
    char tmp[65536];
    size_t k;
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return NULL;
    while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
        buf_add(&b, tmp, k);
    fclose(f);
    *n = b.len;
    if (b.data == NULL)
        return xstrdup("");
    return buf_detach(&b);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);

    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void test_files_differential(void **state)
{
    DIR *dir = opendir(CSV_DIR);
    struct dirent *de;
    int nfiles = 0;

    (void)state;
    assert_non_null(dir);
    while ((de = readdir(dir)) != NULL) {
        struct csv_opts o = CSV_OPTS_INIT;
        char *path, *data;
        size_t n;
        int bad;

        if (de->d_name[0] == '.' || has_suffix(de->d_name, ".md"))
            continue;
        path = xasprintf("%s/%s", CSV_DIR, de->d_name);
        data = slurp(path, &n);
        assert_non_null(data);
        o.name = de->d_name;
        o.delim = has_suffix(de->d_name, ".tsv") ? '\t' : ',';
        bad = differs(data, n, &o, 1, -1, path);
        /* small limits and an early stop take other paths */
        o.max_field = 3;
        bad |= differs(data, n, &o, 2, -1, path);
        o.max_field = 0;
        o.max_record = 9;
        bad |= differs(data, n, &o, 3, 2, path);
        free(data);
        free(path);
        assert_int_equal(bad, 0);
        nfiles++;
    }
    closedir(dir);
    assert_true(nfiles >= 20);
}

static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Random CSV-ish bytes: mostly text, delimiters, quotes and line ends,
 * sometimes a NUL, a BOM or high bytes. */
static size_t random_csv(uint64_t *s, char *out, size_t cap)
{
    static const char alphabet[] = "ab,,,\"\"\"\n\n\r \t;x";
    size_t n = rnd(s) % cap, i;

    for (i = 0; i < n; i++) {
        uint64_t k = rnd(s) % 100;

        if (k < 2)
            out[i] = '\0';
        else if (k < 4)
            out[i] = (char)(0x80 + rnd(s) % 128);
        else if (k < 5 && i + 3 <= n) {
            memcpy(out + i, "\xef\xbb\xbf", 3);
            i += 2;
        } else
            out[i] = alphabet[rnd(s) % (sizeof(alphabet) - 1)];
    }
    /* well-formed quoting is more interesting than noise: often build
     * records from fields */
    if (rnd(s) % 2) {
        size_t o = 0;

        while (o + 16 < cap && rnd(s) % 12 != 0) {
            size_t j, len = rnd(s) % 6;

            if (rnd(s) % 3 == 0) {
                out[o++] = '"';
                for (j = 0; j < len; j++)
                    out[o++] = "a,\"\n\r b"[rnd(s) % 7];
                if (memchr(out + o - len, '"', len) != NULL)
                    out[o++] = '"';     /* often a stray one */
                out[o++] = '"';
            } else {
                for (j = 0; j < len; j++)
                    out[o++] = "abc d"[rnd(s) % 5];
            }
            out[o++] = rnd(s) % 4 == 0 ? (rnd(s) % 2 ? '\n' : '\r') : ',';
            if (rnd(s) % 5 == 0)
                out[o++] = '\n';
        }
        n = o;
    }
    return n;
}

static void mutate(uint64_t *s, char *p, size_t *n, size_t cap)
{
    int k = 1 + (int)(rnd(s) % 4);

    while (k-- > 0 && *n > 0) {
        size_t at = rnd(s) % *n;

        switch (rnd(s) % 4) {
        case 0:
            p[at] = "\"\n\r,\0x"[rnd(s) % 6];
            break;
        case 1:
            if (*n < cap) {
                memmove(p + at + 1, p + at, *n - at);
                p[at] = "\"\n\r,"[rnd(s) % 4];
                (*n)++;
            }
            break;
        case 2:
            memmove(p + at, p + at + 1, *n - at - 1);
            (*n)--;
            break;
        default:
            *n = at;                    /* truncate */
            break;
        }
    }
}

static void test_random_differential(void **state)
{
    static const char delims[] = { ',', ',', '\t', ';', ' ' };
    static const size_t fields[] = { 0, 0, 1, 2, 4, 7, 20 };
    static const size_t records[] = { 0, 0, 0, 3, 8, 30 };
    char buf[4096];
    uint64_t s = 12345;
    size_t n, i;
    int bad = 0, iter;

    (void)state;
    for (iter = 0; iter < 600 && !bad; iter++) {
        struct csv_opts o = CSV_OPTS_INIT;
        char what[64];

        if (iter % 3 == 2 && iter < 2 * (int)ARRAY_SIZE(cases) + 300) {
            /* mutate a table case */
            i = rnd(&s) % ARRAY_SIZE(cases);
            n = strlen(cases[i].csv);
            memcpy(buf, cases[i].csv, n);
            mutate(&s, buf, &n, sizeof(buf));
        } else {
            n = random_csv(&s, buf, 300);
            if (iter % 4 == 1)
                mutate(&s, buf, &n, sizeof(buf));
        }
        o.name = "r.csv";
        o.delim = delims[rnd(&s) % ARRAY_SIZE(delims)];
        o.skip_bom = rnd(&s) % 4 != 0;
        o.max_field = fields[rnd(&s) % ARRAY_SIZE(fields)];
        o.max_record = records[rnd(&s) % ARRAY_SIZE(records)];
        o.first_line = 1 + rnd(&s) % 3;
        o.first_record = rnd(&s) % 3;
        snprintf(what, sizeof(what), "random input %d", iter);
        bad = differs(buf, n, &o, (uint64_t)iter,
                      rnd(&s) % 8 == 0 ? (long)(rnd(&s) % 4) : -1, what);
    }
    assert_int_equal(bad, 0);
}

/* Well-formed CSV of about n bytes: quoted and unquoted fields, "" and
 * line ends inside quotes, LF, CRLF and (rarely) lone CR terminators,
 * blank lines, bytes >= 0x80.  Returns a new buffer; caller frees. */
static char *clean_csv(uint64_t *s, size_t n, size_t *len)
{
    struct buf b = BUF_INIT;
    size_t j, k;

    while (b.len < n) {
        size_t nf = 1 + rnd(s) % 12;

        for (j = 0; j < nf; j++) {
            size_t fl = rnd(s) % 40;

            if (j > 0)
                buf_addc(&b, ',');
            if (rnd(s) % 3 == 0) {
                buf_addc(&b, '"');
                for (k = 0; k < fl; k++) {
                    uint64_t x = rnd(s) % 40;

                    if (x == 0)
                        buf_add(&b, "\"\"", 2);
                    else if (x == 1)
                        buf_addc(&b, "\n\r,"[rnd(s) % 3]);
                    else if (x == 2)
                        buf_add(&b, "\r\n", 2);
                    else
                        buf_addc(&b, (char)('a' + x % 26));
                }
                buf_addc(&b, '"');
            } else {
                for (k = 0; k < fl; k++)
                    buf_addc(&b, rnd(s) % 50 == 0 ? (char)0xc3 :
                             (char)('0' + rnd(s) % 40));
            }
        }
        k = rnd(s) % 100;
        buf_adds(&b, k < 60 ? "\n" : k < 97 ? "\r\n" : k < 99 ? "\r" :
                 "\n\n\r\n");
    }
    *len = b.len;
    return buf_detach(&b);
}

/* Larger inputs, so that records cross 4 KiB and 64 KiB feeds and the
 * carry is filled piece by piece; some with one late defect. */
static void test_large_differential(void **state)
{
    static const long chunks[] = { 0, 4096, 65536, -5000, -70000, 1 };
    uint64_t s = 777;
    int iter, bad = 0;

    (void)state;
    for (iter = 0; iter < 8 && !bad; iter++) {
        struct csv_opts o = CSV_OPTS_INIT;
        struct buf ref = BUF_INIT, b = BUF_INIT;
        size_t n, i;
        char *data = clean_csv(&s, 50000 + rnd(&s) % 250000, &n);
        int force;

        if (iter % 2 == 1)
            data[n - 1 - rnd(&s) % 2000] = "\"\0\r,"[rnd(&s) % 4];
        if (iter == 6)
            o.max_field = 30;
        if (iter == 7)
            o.max_record = 200;
        bad = csvd_run(data, n, &o, 0, 0, 1, -1, &ref);
        for (i = 0; i < ARRAY_SIZE(chunks) && !bad; i++) {
            for (force = 0; force < 2 && !bad; force++) {
                if (chunks[i] == 1 && force == 1)
                    continue;
                buf_reset(&b);
                bad = csvd_run(data, n, &o, force, chunks[i], i, -1, &b);
                if (csvd_diff(&ref, &b) >= 0) {
                    print_error("large input %d: %s, chunk %ld differs at "
                                "%ld\n", iter, force ? "libcsv" : "scanner",
                                chunks[i], csvd_diff(&ref, &b));
                    bad = 1;
                }
            }
        }
        if (iter == 0)          /* the clean one is read to its end */
            assert_non_null(strstr(ref.data, "END records="));
        buf_release(&ref);
        buf_release(&b);
        free(data);
    }
    assert_int_equal(bad, 0);
}

/* Every two-way split of every table case gives the same rows. */
static void test_every_split(void **state)
{
    struct csv_opts o = CSV_OPTS_INIT;
    size_t i, cut, n;
    int force;

    (void)state;
    o.name = "t.csv";
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        n = strlen(cases[i].csv);
        o.delim = cases[i].delim;
        for (force = 0; force < 2; force++) {
            for (cut = 0; cut <= n; cut++) {
                struct buf b = BUF_INIT;
                struct assay_err err = ASSAY_ERR_INIT;
                struct csv_reader *r = csv_reader_new(&o, compact_row, &b);

                csv_reader_force_libcsv(r, force);
                assert_int_equal(csv_reader_feed(r, cases[i].csv, cut,
                                                 &err), 0);
                assert_int_equal(csv_reader_feed(r, cases[i].csv + cut,
                                                 n - cut, &err), 0);
                assert_int_equal(csv_reader_finish(r, &err), 0);
                assert_true(csv_reader_at_boundary(r));
                csv_reader_free(r);
                assert_string_equal(buf_cstr(&b), cases[i].want);
                buf_release(&b);
            }
        }
    }
}

/* ---- raw bytes, counters, options ---- */

struct rawcheck {
    const char *data;           /* the whole input */
    size_t rows;
    int bad;
};

static int raw_row(void *ctx, const struct row *row)
{
    struct rawcheck *c = ctx;
    static const char *const want[] = {
        "a,\"b\nc\"", "d", "\"e\"\"\",f"
    };

    if (c->rows >= ARRAY_SIZE(want) ||
        row->raw_len != strlen(want[c->rows]) ||
        memcmp(row->raw, want[c->rows], row->raw_len) != 0)
        c->bad = 1;
    c->rows++;
    return 0;
}

static void test_raw(void **state)
{
    static const char csv[] = "a,\"b\nc\"\r\n\nd\n\"e\"\"\",f";
    struct csv_opts o = CSV_OPTS_INIT;
    size_t n = strlen(csv);
    long chunk;
    int force;

    (void)state;
    for (force = 0; force < 2; force++) {
        for (chunk = 0; chunk <= 3; chunk++) {
            struct rawcheck c = { csv, 0, 0 };
            struct assay_err err = ASSAY_ERR_INIT;
            struct csv_reader *r = csv_reader_new(&o, raw_row, &c);
            uint64_t seed = 1;
            size_t off = 0, k;

            csv_reader_force_libcsv(r, force);
            while (off < n) {
                k = csvd_next_chunk(chunk, &seed, n - off);
                assert_int_equal(csv_reader_feed(r, csv + off, k, &err), 0);
                off += k;
            }
            assert_int_equal(csv_reader_finish(r, &err), 0);
            assert_int_equal(c.rows, 3);
            assert_int_equal(c.bad, 0);
            assert_int_equal(csv_reader_records(r), 3);
            assert_int_equal(csv_reader_lines(r), 4);
            csv_reader_free(r);
        }
    }
}

static void test_offsets_and_counters(void **state)
{
    struct csv_opts o = CSV_OPTS_INIT;
    struct assay_err err = ASSAY_ERR_INIT;
    struct buf b = BUF_INIT;
    struct csv_reader *r;
    char *got;

    (void)state;
    o.first_line = 101;
    o.first_record = 40;
    got = compact("x\n\ny\r\nz", 7, &o, 0, 0);
    assert_string_equal(got, "101:40[x]\n103:41[y]\n104:42[z]\n");
    free(got);

    r = csv_reader_new(&o, compact_row, &b);
    assert_true(csv_reader_at_boundary(r));
    assert_int_equal(csv_reader_feed(r, "a,\"b\n", 5, &err), 0);
    assert_false(csv_reader_at_boundary(r));
    assert_int_equal(csv_reader_records(r), 0);
    assert_int_equal(csv_reader_feed(r, "c\"\n\r\n", 5, &err), 0);
    assert_true(csv_reader_at_boundary(r));
    assert_int_equal(csv_reader_records(r), 1);
    assert_int_equal(csv_reader_lines(r), 3);
    assert_int_equal(csv_reader_finish(r, &err), 0);
    assert_string_equal(buf_cstr(&b), "101:40[a]{b\nc}\n");
    csv_reader_free(r);
    buf_release(&b);

    /* without skip_bom the BOM is data */
    o = (struct csv_opts)CSV_OPTS_INIT;
    o.skip_bom = 0;
    got = compact("\xef\xbb\xbfid\n", 6, &o, 0, 1);
    assert_string_equal(got, "1:0[\xef\xbb\xbfid]\n");
    free(got);
    /* a NULL options pointer means the defaults */
    r = csv_reader_new(NULL, compact_row, &b);
    assert_int_equal(csv_reader_feed(r, "p,q\n", 4, &err), 0);
    assert_int_equal(csv_reader_finish(r, &err), 0);
    assert_string_equal(buf_cstr(&b), "1:0[p][q]\n");
    csv_reader_free(r);
    buf_release(&b);
}

static int stop_at_two(void *ctx, const struct row *row)
{
    int *n = ctx;

    (void)row;
    return ++*n == 2 ? 42 : 0;
}

static void test_stop_and_sticky(void **state)
{
    struct assay_err err = ASSAY_ERR_INIT;
    struct csv_reader *r;
    struct buf b = BUF_INIT;
    int n, force;

    (void)state;
    for (force = 0; force < 2; force++) {
        n = 0;
        r = csv_reader_new(NULL, stop_at_two, &n);
        csv_reader_force_libcsv(r, force);
        assert_int_equal(csv_reader_feed(r, "a\nb\nc\n", 6, &err), 42);
        assert_int_equal(n, 2);
        assert_int_equal(csv_reader_feed(r, "d\n", 2, &err), 42);
        assert_int_equal(csv_reader_finish(r, &err), 42);
        assert_int_equal(n, 2);
        csv_reader_free(r);
    }

    /* an error sticks: later calls fail the same way */
    r = csv_reader_new(NULL, compact_row, &b);
    assert_int_equal(csv_reader_feed(r, "a\"b\n", 4, &err), -1);
    assert_int_equal(err.status, ASSAY_ECSV);
    assert_true(err.located);
    memset(&err, 0, sizeof(err));
    assert_int_equal(csv_reader_feed(r, "ok\n", 3, &err), -1);
    assert_string_equal(err.msg, "-:1:2: quote inside an unquoted field");
    assert_int_equal(csv_reader_finish(r, &err), -1);
    assert_int_equal(csv_reader_finish(r, NULL), -1);
    csv_reader_free(r);
    buf_release(&b);
    csv_reader_free(NULL);
}

/* ---- a 10 MB field, written to /tmp at test time ---- */

struct bigcheck {
    size_t rows, biglen;
    int quoted;
};

static int big_row(void *ctx, const struct row *row)
{
    struct bigcheck *c = ctx;

    if (c->rows == 1 && row->nfields == 3) {
        c->biglen = row->len[1];
        c->quoted = row->quoted[1];
    }
    c->rows++;
    return 0;
}

static int feed_file(const char *path, struct csv_reader *r,
                     struct assay_err *err)
{
    char tmp[65536];
    size_t k;
    int rc = 0;
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    while (rc == 0 && (k = fread(tmp, 1, sizeof(tmp), f)) > 0)
        rc = csv_reader_feed(r, tmp, k, err);
    fclose(f);
    if (rc == 0)
        rc = csv_reader_finish(r, err);
    return rc;
}

static void test_big_field(void **state)
{
    char path[] = "/tmp/assay-bigfield-XXXXXX";
    const size_t big = 10 * 1000 * 1000;
    char *plain = xmalloc(1 << 20), *chunk = xmalloc(1 << 20);
    size_t done;
    int fd, quoted, force;
    FILE *f;

    (void)state;
    memset(plain, 'x', 1 << 20);
    memset(chunk, 'x', 1 << 20);
    memcpy(chunk + 1000, "\"\",\n", 4);     /* quoted: "" , and LF inside */
    for (quoted = 0; quoted < 2; quoted++) {
        fd = mkstemp(path);
        assert_true(fd >= 0);
        f = fdopen(fd, "wb");
        assert_non_null(f);
        fputs("id,text,n\n1,", f);
        if (quoted)
            fputc('"', f);
        for (done = 0; done < big; done += 1 << 20)
            fwrite(quoted ? chunk : plain, 1,
                   MIN((size_t)1 << 20, big - done), f);
        fputs(quoted ? "\",2\n3,y,4\n" : ",2\n3,y,4\n", f);
        assert_int_equal(fclose(f), 0);

        for (force = 0; force < 2; force++) {
            struct csv_opts o = CSV_OPTS_INIT;
            struct assay_err err = ASSAY_ERR_INIT;
            struct bigcheck c = { 0, 0, 0 };
            struct csv_reader *r;

            /* the default limit (1 MiB) stops it */
            o.name = "big.csv";
            r = csv_reader_new(&o, big_row, &c);
            csv_reader_force_libcsv(r, force);
            assert_int_equal(feed_file(path, r, &err), -1);
            assert_int_equal(err.status, ASSAY_ETOOBIG);
            assert_string_equal(err.msg,
                                "big.csv:2:3: field 2 is longer than "
                                "1048576 bytes (--max-field-size raises "
                                "the limit)");
            assert_int_equal(c.rows, 1);
            csv_reader_free(r);

            /* a raised limit reads it, byte-exact */
            o.max_field = 16u << 20;
            memset(&c, 0, sizeof(c));
            r = csv_reader_new(&o, big_row, &c);
            csv_reader_force_libcsv(r, force);
            assert_int_equal(feed_file(path, r, &err), 0);
            assert_int_equal(c.rows, 3);
            assert_int_equal(c.quoted, quoted);
            assert_int_equal(c.biglen, quoted ? big - 10 : big);
            assert_int_equal(csv_reader_lines(r), quoted ? 3 + 10 : 3);
            csv_reader_free(r);
        }
        unlink(path);
        memcpy(path + strlen(path) - 6, "XXXXXX", 6);
    }
    free(plain);
    free(chunk);
}

/* ---- the real datasets (../shared) ---- */

struct dscheck {
    uint64_t records;           /* data records (header excluded) */
    size_t nfields;             /* of every record; 0 once two differ */
    const char *const *want;    /* "RECORD:FIELD:value", NULL-terminated */
    size_t matched;
    int quoted_seen;
};

static int ds_row(void *ctx, const struct row *row)
{
    struct dscheck *c = ctx;
    const char *const *w;

    if (row->record == 0)
        c->nfields = row->nfields;
    else if (row->nfields != c->nfields)
        c->nfields = 0;
    if (row->record > 0)
        c->records++;
    for (w = c->want; *w != NULL; w++) {
        unsigned long rec, fld;
        int used = 0;

        if (sscanf(*w, "%lu:%lu:%n", &rec, &fld, &used) != 2 ||
            rec != row->record || fld >= row->nfields)
            continue;
        if (strcmp(row->field[fld], *w + used) == 0 &&
            row->len[fld] == strlen(*w + used)) {
            c->matched++;
            c->quoted_seen += row->quoted[fld];
        }
    }
    return 0;
}

static void check_dataset(const char *rel, uint64_t records, size_t nfields,
                          const char *const *want, int quoted)
{
    const char *dir = shared_dir();
    char *path;
    size_t nwant = 0;
    int force;

    if (dir == NULL) {
        skip();
        return;
    }
    while (want[nwant] != NULL)
        nwant++;
    path = xasprintf("%s/datasets/%s", dir, rel);
    if (access(path, R_OK) != 0) {
        free(path);
        skip();
        return;
    }
    for (force = 0; force < 2; force++) {
        struct csv_opts o = CSV_OPTS_INIT;
        struct assay_err err = ASSAY_ERR_INIT;
        struct dscheck c = { 0, 0, want, 0, 0 };
        struct csv_reader *r;

        o.name = rel;
        r = csv_reader_new(&o, ds_row, &c);
        csv_reader_force_libcsv(r, force);
        if (feed_file(path, r, &err) != 0) {
            print_error("%s: %s\n", path, err.msg);
            fail();
        }
        assert_int_equal(c.records, records);
        assert_int_equal(c.nfields, nfields);
        assert_int_equal(c.matched, nwant);
        assert_int_equal(c.quoted_seen, quoted);
        assert_int_equal(csv_reader_lines(r), records + 1);
        csv_reader_free(r);
    }
    free(path);
}

static void test_compas(void **state)
{
    static const char *const want[] = {
        "0:0:id", "0:11:decile_score", "0:39:decile_score",
        "0:52:two_year_recid", "1:1:miguel hernandez",
        "1:23:Aggravated Assault w/Firearm", "1:20:",
        "11:23:Poss 3,4 MDMA (Ecstasy)", "7214:1:florencia sanmartin",
        NULL
    };

    (void)state;
    check_dataset("compas/compas-scores-two-years.csv", 7214, 53, want, 1);
}

static void test_adult(void **state)
{
    static const char *const want[] = {
        "0:14:income", "1:1:State-gov", "1:14:<=50K",
        "32561:2:287927", "32561:14:>50K", NULL
    };

    (void)state;
    check_dataset("adult/adult.csv", 32561, 15, want, 0);
}

static void test_bank(void **state)
{
    static const char *const want[] = {
        "0:16:y", "1:5:2143", "45211:1:entrepreneur", "45211:13:188",
        NULL
    };

    (void)state;
    check_dataset("bank_marketing/bank-full.csv", 45211, 17, want, 0);
}

static void test_german(void **state)
{
    static const char *const want[] = {
        "0:20:credit_risk", "1:0:A11", "1000:4:4576", "1000:20:1", NULL
    };

    (void)state;
    check_dataset("german_credit/german_credit.csv", 1000, 21, want, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_offsets_and_counters),
        cmocka_unit_test(test_stop_and_sticky),
        cmocka_unit_test(test_files_differential),
        cmocka_unit_test(test_random_differential),
        cmocka_unit_test(test_large_differential),
        cmocka_unit_test(test_big_field),
        cmocka_unit_test(test_compas),
        cmocka_unit_test(test_adult),
        cmocka_unit_test(test_bank),
        cmocka_unit_test(test_german),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
