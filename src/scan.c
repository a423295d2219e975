/* scan.c -- the one streaming pass (pipeline driver; see scan.h).
 *
 * Owns the input: opens the file ("-" is stdin; *.gz goes through zlib,
 * the only zlib user), finds and parses the header, hashes the raw bytes
 * with SHA-256, and feeds every data record to every sink.
 *
 * Two modes:
 *  - streaming (stdin, gzip, small files, one core): read, hash and parse
 *    chunk by chunk on one thread;
 *  - parallel (a large regular file): one worker starts at the top
 *    while a second one takes over the second half: a pre-pass over the
 *    first half counts quotes and line ends to find a record boundary near
 *    the middle (quote parity: outside quotes exactly when an even number
 *    of '"' precede, which holds for every file strict RFC 4180 parsing
 *    accepts) and the line number there; a third thread hashes the whole
 *    file.  A worker that finishes first takes over half of what the
 *    other has left the same way (see "balancing").  Each part has its
 *    own sink states, merged in file order: exact results
 *    (counts, checks, samples, bias tables, hashes) equal the streaming
 *    mode's; sketches (quantiles, histograms, top values past the exact
 *    cap) depend on where the parts were cut, within their stated error. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "crypto.h"
#include "read_csv.h"
#include "scan.h"
#include "util.h"

enum {
    CHUNK = 1 << 20,                    /* bytes per read (x3 buffers) */
    MAX_SINKS = 16,
    MAX_WORKERS = 2,
};
#define PARALLEL_MIN_BYTES (64ULL << 20)

struct scan {
    char *path;
    struct scan_opts opts;
    char delim;
    int is_stdin, gz;
    struct stat st;
    char **names;
    size_t ncols;
    /* Streaming: bytes already read past the header (the data's start). */
    unsigned char *pending;
    size_t npending;
    uint64_t hdr_end;           /* byte offset of the first data byte */
    uint64_t hdr_lines;         /* physical lines up to hdr_end */
    int fd;                     /* open input (streaming) */
    struct sha256 *sha;         /* streaming hash of raw bytes */
    z_stream zs;
    unsigned char *zraw;        /* compressed input; zs.next_in points in */
    int zs_live;
    int zs_mid;                 /* inside a gzip member (not at its end) */
    struct scan_sink sinks[MAX_SINKS];
    size_t nsinks;
    struct scan_info info;
    atomic_ullong progress;     /* bytes processed, for the progress line */
};

/* ---- small I/O helpers ---- */

static ssize_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t k = read(fd, (char *)buf + got, n - got);

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

static ssize_t pread_full(int fd, void *buf, size_t n, uint64_t off)
{
    size_t got = 0;

    while (got < n) {
        ssize_t k = pread(fd, (char *)buf + got, n - got,
                          (off_t)(off + got));

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- raw input (streaming): bytes from file/stdin, inflated if gzip ---- */

/* Read up to cap decompressed bytes into out.  Returns bytes (0 at EOF)
 * or -1 with err.  Hashes the raw bytes as they are read. */
static ssize_t stream_read(struct scan *s, unsigned char *out, size_t cap,
                           struct assay_err *err)
{
    unsigned char *raw = s->zraw;
    ssize_t k;

    if (!s->gz) {
        k = read_full(s->fd, out, cap);
        if (k < 0)
            return seterr(err, ASSAY_EIO, "cannot read '%s': %s", s->path,
                          strerror(errno));
        sha256_update(s->sha, out, (size_t)k);
        s->info.bytes += (uint64_t)k;
        return k;
    }
    s->zs.next_out = out;
    s->zs.avail_out = (uInt)cap;
    while (s->zs.avail_out > 0) {
        int zr;

        if (s->zs.avail_in == 0) {
            k = read_full(s->fd, raw, CHUNK);
            if (k < 0)
                return seterr(err, ASSAY_EIO, "cannot read '%s': %s",
                              s->path, strerror(errno));
            if (k == 0) {
                if (s->zs_mid)
                    return seterr(err, ASSAY_EENCODING, "'%s': truncated "
                                  "gzip data (the file ends inside a "
                                  "compressed member)", s->path);
                break;
            }
            sha256_update(s->sha, raw, (size_t)k);
            s->info.bytes += (uint64_t)k;
            s->zs.next_in = raw;
            s->zs.avail_in = (uInt)k;
        }
        zr = inflate(&s->zs, Z_NO_FLUSH);
        s->zs_mid = zr != Z_STREAM_END;
        if (zr == Z_STREAM_END) {
            /* Concatenated gzip members are one stream (as gzip -d). */
            if (inflateReset(&s->zs) != Z_OK)
                break;
            continue;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR)
            return seterr(err, ASSAY_EENCODING, "'%s': invalid gzip data "
                          "(%s)", s->path, s->zs.msg ? s->zs.msg :
                          "inflate failed");
        if (zr == Z_BUF_ERROR && s->zs.avail_in > 0)
            return seterr(err, ASSAY_EENCODING, "'%s': invalid gzip data",
                          s->path);
    }
    return (ssize_t)(cap - s->zs.avail_out);
}

/* ---- header ---- */

struct hdr_ctx {
    struct scan *s;
    int got;
};

static int take_header(void *ctx, const struct row *row)
{
    struct hdr_ctx *h = ctx;
    struct scan *s = h->s;
    size_t i;

    if (h->got)
        return 0;
    h->got = 1;
    s->ncols = row->nfields;
    s->names = xcalloc(row->nfields + 1, sizeof(char *));
    for (i = 0; i < row->nfields; i++)
        s->names[i] = xstrndup(row->field[i], row->len[i]);
    return 0;
}

/* Find the end of the first record in buf[0..n): returns the offset just
 * past its terminator and the lines it spans, or -1 if not complete.
 * Leading empty lines and a BOM are skipped (as the reader does). */
static long header_end(const unsigned char *buf, size_t n, int eof,
                       size_t *start, uint64_t *lines)
{
    size_t i = 0;
    int inq = 0, any = 0;
    uint64_t nl = 0;

    if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
        i = 3;
    while (i < n && (buf[i] == '\n' || buf[i] == '\r')) {
        if (buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n')
            i++;
        i++;
        nl++;
    }
    *start = i;
    for (; i < n; i++) {
        unsigned char c = buf[i];

        if (c == '"') {
            inq = !inq;
        } else if ((c == '\n' || c == '\r') && !inq) {
            if (c == '\r') {
                if (i + 1 >= n && !eof)
                    return -1;          /* CR at the end: need one more */
                if (i + 1 < n && buf[i + 1] == '\n')
                    i++;
            }
            *lines = nl + 1;
            return (long)(i + 1);
        } else if (c == '\n' || (c == '\r' && !(i + 1 < n &&
                                                buf[i + 1] == '\n'))) {
            nl++;
        }
        any = 1;
    }
    if (eof && (any || inq)) {
        *lines = nl + 1;
        return (long)n;
    }
    return -1;
}

static int parse_header(struct scan *s, const unsigned char *buf,
                        size_t start, size_t end, struct assay_err *err)
{
    struct csv_opts co = CSV_OPTS_INIT;
    struct hdr_ctx h = { s, 0 };
    struct csv_reader *r;
    int rc;

    co.delim = s->delim;
    co.name = s->path;
    co.skip_bom = 0;
    co.first_line = 1;
    if (s->opts.max_field)
        co.max_field = s->opts.max_field;
    r = csv_reader_new(&co, take_header, &h);
    rc = csv_reader_feed(r, (const char *)buf + start, end - start, err);
    if (rc == 0)
        rc = csv_reader_finish(r, err);
    csv_reader_free(r);
    if (rc != 0)
        return -1;
    if (!h.got)
        return seterr(err, ASSAY_EINPUT, "'%s' is empty: no header row",
                      s->path);
    return 0;
}

struct scan *scan_open(const char *path, const struct scan_opts *opts,
                       struct assay_err *err)
{
    struct scan *s = xcalloc(1, sizeof(*s));
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, start = 0;
    long end = -1;
    int eof = 0;

    s->path = xstrdup(path);
    if (opts != NULL)
        s->opts = *opts;
    s->fd = -1;
    s->is_stdin = strcmp(path, "-") == 0;
    s->gz = ends_with(path, ".gz");
    s->delim = s->opts.delim ? s->opts.delim
             : (ends_with(path, ".tsv") || ends_with(path, ".tsv.gz") ||
                ends_with(path, ".tab")) ? '\t' : ',';
    if (s->is_stdin) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            seterr(err, ASSAY_EOPEN, "cannot open '%s': %s", path,
                   strerror(errno));
            goto fail;
        }
    }
    if (fstat(s->fd, &s->st) < 0) {
        seterr(err, ASSAY_EIO, "cannot stat '%s': %s", path, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(s->st.st_mode)) {
        seterr(err, ASSAY_EOPEN, "cannot read '%s': Is a directory", path);
        goto fail;
    }
    s->info.regular = S_ISREG(s->st.st_mode) && !s->is_stdin;
    s->info.compressed = s->gz;
    s->info.mtime_ns = s->is_stdin ? 0 :
        (int64_t)s->st.st_mtim.tv_sec * 1000000000LL + s->st.st_mtim.tv_nsec;
    s->sha = sha256_new();
    if (s->gz) {
        if (inflateInit2(&s->zs, 15 + 32) != Z_OK) {
            seterr(err, ASSAY_EINTERNAL, "zlib initialisation failed");
            goto fail;
        }
        s->zs_live = 1;
        s->zraw = xmalloc(CHUNK);
    }
    /* Read until the header record is complete. */
    while (end < 0 && !eof) {
        ssize_t k;

        grow(&buf, &cap, len + 65536, 1);
        k = stream_read(s, buf + len, cap - len, err);
        if (k < 0)
            goto fail;
        if (k == 0)
            eof = 1;
        len += (size_t)k;
        end = header_end(buf, len, eof, &start, &s->hdr_lines);
        if (end < 0 && len > (16u << 20)) {
            seterr(err, ASSAY_ETOOBIG, "'%s': header row longer than 16 MiB",
                   path);
            goto fail;
        }
    }
    if (end < 0) {
        seterr(err, ASSAY_EINPUT, "'%s' is empty: no header row", path);
        goto fail;
    }
    if (memchr(buf, '\0', (size_t)end) != NULL) {
        seterr_at(err, ASSAY_EENCODING, path, 1, 0,
                  "NUL byte in the header: not a text file");
        goto fail;
    }
    if (parse_header(s, buf, start, (size_t)end, err) < 0)
        goto fail;
    s->hdr_end = (uint64_t)end;
    s->npending = len - (size_t)end;
    s->pending = xmalloc(s->npending + 1);
    memcpy(s->pending, buf + end, s->npending);
    free(buf);
    return s;
fail:
    free(buf);
    scan_free(s);
    return NULL;
}

void scan_free(struct scan *s)
{
    size_t i;

    if (s == NULL)
        return;
    if (s->fd >= 0 && !s->is_stdin)
        close(s->fd);
    if (s->zs_live)
        inflateEnd(&s->zs);
    free(s->zraw);
    if (s->sha != NULL) {
        unsigned char md[32];

        sha256_final(s->sha, md);
    }
    for (i = 0; i < s->ncols; i++)
        free(s->names[i]);
    free(s->names);
    free(s->pending);
    free(s->path);
    free(s);
}

size_t scan_ncols(const struct scan *s) { return s->ncols; }
const char *scan_path(const struct scan *s) { return s->path; }
const struct scan_info *scan_info(const struct scan *s) { return &s->info; }

const char *scan_colname(const struct scan *s, size_t i)
{
    return i < s->ncols ? s->names[i] : NULL;
}

long scan_col(const struct scan *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->ncols; i++)
        if (strcmp(s->names[i], name) == 0)
            return (long)i;
    return -1;
}

void scan_add_sink(struct scan *s, const struct scan_sink *sink)
{
    if (s->nsinks < MAX_SINKS)
        s->sinks[s->nsinks++] = *sink;
}

/* ---- dispatch ---- */

struct worker {
    struct scan *s;
    unsigned id;
    struct typed_row typed;     /* this record's shared parses */
    void *ws[MAX_SINKS];
    struct assay_err err;
    uint64_t begin, end;        /* byte range (parallel mode); end may
                                   shrink (struct pool) */
    uint64_t reserved;          /* read or being read up to here */
    int running;
    uint64_t first_line;
    uint64_t records, lines;
    int failed;
    int at_boundary;
};

static int dispatch(void *ctx, const struct row *row)
{
    struct worker *w = ctx;
    struct scan *s = w->s;
    struct row r = *row;
    size_t i;

    w->typed.seq++;             /* a new record: no cell is valid */
    r.typed = &w->typed;
    for (i = 0; i < s->nsinks; i++)
        if (s->sinks[i].row(w->ws[i], &r, &w->err) < 0) {
            w->failed = 1;
            return 1;
        }
    return 0;
}

static void worker_init(struct worker *w, struct scan *s, unsigned id)
{
    size_t i;

    memset(w, 0, sizeof(*w));
    w->s = s;
    w->id = id;
    w->typed.n = s->ncols;
    /* written for every record: padded so that two workers' cells never
     * share a cache line */
    w->typed.cell = xcalloc(s->ncols + 4, sizeof(*w->typed.cell));
    w->typed.cell += 2;
    for (i = 0; i < s->nsinks; i++)
        w->ws[i] = s->sinks[i].worker_new(s->sinks[i].self, id);
}

/* The worker's last record is in: let sinks finish on this thread. */
static void worker_done(struct worker *w)
{
    struct scan *s = w->s;
    size_t i;

    for (i = 0; i < s->nsinks; i++)
        if (s->sinks[i].done != NULL)
            s->sinks[i].done(w->ws[i]);
}

static struct csv_reader *worker_reader(struct worker *w, uint64_t first_line)
{
    struct scan *s = w->s;
    struct csv_opts co = CSV_OPTS_INIT;

    co.delim = s->delim;
    co.name = s->path;
    co.skip_bom = 0;
    co.first_line = first_line;
    co.first_record = 1;
    if (s->opts.max_field)
        co.max_field = s->opts.max_field;
    return csv_reader_new(&co, dispatch, w);
}

/* Feed through a reader; a callback stop (sink error) becomes -1. */
static int feed(struct worker *w, struct csv_reader *r, const void *p,
                size_t n)
{
    struct assay_err e = ASSAY_ERR_INIT;
    int rc = csv_reader_feed(r, (const char *)p, n, &e);

    if (rc == 0)
        return 0;
    if (rc < 0)
        w->err = e;
    w->failed = 1;
    return -1;
}

static int finish_reader(struct worker *w, struct csv_reader *r)
{
    struct assay_err e = ASSAY_ERR_INIT;
    int rc = csv_reader_finish(r, &e);

    if (rc == 0)
        return 0;
    if (rc < 0)
        w->err = e;
    w->failed = 1;
    return -1;
}

/* ---- progress line ---- */

static void human(double b, char *out, size_t n)
{
    const char *u[] = { "B", "KB", "MB", "GB", "TB" };
    int i = 0;

    while (b >= 1000 && i < 4) {
        b /= 1000;
        i++;
    }
    snprintf(out, n, i ? "%.1f %s" : "%.0f %s", b, u[i]);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress_draw(struct scan *s, double t0, int last)
{
    unsigned long long done = atomic_load(&s->progress);
    double dt = now_s() - t0;
    char a[32], b[32], rate[32];

    if (!s->opts.progress)
        return;
    if (last) {
        fputs("\r\033[K", stderr);
        return;
    }
    human((double)done, a, sizeof(a));
    human(dt > 0 ? (double)done / dt : 0, rate, sizeof(rate));
    if (s->info.regular && !s->gz && s->st.st_size > 0) {
        human((double)s->st.st_size, b, sizeof(b));
        fprintf(stderr, "\rassay: reading %s  %s / %s (%2.0f%%)  %s/s\033[K",
                s->path, a, b, 100.0 * (double)done / (double)s->st.st_size,
                rate);
    } else {
        fprintf(stderr, "\rassay: reading %s  %s  %s/s\033[K", s->path, a,
                rate);
    }
}

/* ---- streaming mode ---- */

static int run_streaming(struct scan *s, struct worker *w,
                         struct assay_err *err)
{
    struct csv_reader *r = worker_reader(w, s->hdr_lines + 1);
    unsigned char *buf = xmalloc(CHUNK);
    double t0 = now_s(), last = t0;
    int rc = -1;

    if (feed(w, r, s->pending, s->npending) < 0)
        goto out;
    for (;;) {
        ssize_t k = stream_read(s, buf, CHUNK, err);

        if (k < 0)
            goto out;
        if (k == 0)
            break;
        atomic_fetch_add(&s->progress, (unsigned long long)k);
        if (s->opts.progress && now_s() - last > 0.1) {
            last = now_s();
            progress_draw(s, t0, 0);
        }
        if (feed(w, r, buf, (size_t)k) < 0)
            goto out;
    }
    if (finish_reader(w, r) < 0)
        goto out;
    w->records = csv_reader_records(r);
    w->lines = csv_reader_lines(r);
    worker_done(w);
    rc = 0;
out:
    if (rc < 0 && w->failed)
        *err = w->err;
    progress_draw(s, t0, 1);
    csv_reader_free(r);
    free(buf);
    return rc;
}

/* ---- parallel mode ---- */

/* Count bytes equal to c in a word (exact SWAR: a byte is zero after the
 * xor exactly when its high bit ends up set below; the multiply adds the
 * flags into the top byte, at most 8: no popcount instruction needed). */
static inline unsigned count_byte(uint64_t x, uint64_t c8)
{
    const uint64_t lo7 = 0x7F7F7F7F7F7F7F7FULL;
    uint64_t y = x ^ c8, t = (y & lo7) + lo7;

    t = ~(t | y | lo7);
    return (unsigned)(((t >> 7) * 0x0101010101010101ULL) >> 56);
}

struct prepass {
    uint64_t quotes, lf, cr, crlf;
    int prev_cr;
};

/* CRs and CRLFs in p[i..e) (n bytes in the block: a CR at its end looks
 * no further). */
static void prepass_cr(struct prepass *pp, const unsigned char *p, size_t i,
                       size_t e, size_t n)
{
    size_t j;

    for (j = i; j < e; j++)
        if (p[j] == '\r') {
            pp->cr++;
            if (j + 1 < n && p[j + 1] == '\n')
                pp->crlf++;
        }
}

static void prepass_block(struct prepass *pp, const unsigned char *p,
                          size_t n)
{
    size_t i = 0;

    if (n > 0 && pp->prev_cr && p[0] == '\n')
        pp->crlf++;
#ifdef __SSE2__
    {
        const __m128i vq = _mm_set1_epi8('"'), vl = _mm_set1_epi8('\n'),
                      vc = _mm_set1_epi8('\r'), z = _mm_setzero_si128();

        /* byte counters, folded into 64-bit sums every 255 vectors */
        while (i + 16 <= n) {
            __m128i aq = z, al = z;
            size_t k;

            for (k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)
                                            (p + i));

                aq = _mm_sub_epi8(aq, _mm_cmpeq_epi8(v, vq));
                al = _mm_sub_epi8(al, _mm_cmpeq_epi8(v, vl));
                if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, vc)))
                    prepass_cr(pp, p, i, i + 16, n);
            }
            aq = _mm_sad_epu8(aq, z);
            al = _mm_sad_epu8(al, z);
            pp->quotes += (uint64_t)_mm_cvtsi128_si64(aq) +
                          (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(aq,
                                                                         aq));
            pp->lf += (uint64_t)_mm_cvtsi128_si64(al) +
                      (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(al, al));
        }
    }
#else
    {
        const uint64_t q8 = 0x2222222222222222ULL,
                       lf8 = 0x0A0A0A0A0A0A0A0AULL,
                       cr8 = 0x0D0D0D0D0D0D0D0DULL;

        for (; i + 8 <= n; i += 8) {
            uint64_t x;

            memcpy(&x, p + i, 8);
            pp->quotes += count_byte(x, q8);
            pp->lf += count_byte(x, lf8);
            if (count_byte(x, cr8))
                prepass_cr(pp, p, i, i + 8, n);
        }
    }
#endif
    prepass_cr(pp, p, i, n, n);
    for (; i < n; i++) {
        pp->quotes += p[i] == '"';
        pp->lf += p[i] == '\n';
    }
    pp->prev_cr = n > 0 && p[n - 1] == '\r';
}

/* The first record boundary at or after mid and before limit, counting
 * from begin, a record boundary at line first_line.  Returns it (0: none
 * usable) and the line number there. */
static uint64_t boundary_after(struct scan *s, uint64_t begin, uint64_t mid,
                               uint64_t limit, uint64_t first_line,
                               uint64_t *line_at, struct assay_err *err)
{
    uint64_t size = limit, off = begin;
    unsigned char *buf = xmalloc(CHUNK);
    struct prepass pp = { 0, 0, 0, 0, 0 };
    uint64_t split = 0;

    while (off < mid) {
        size_t want = (size_t)MIN((uint64_t)CHUNK, mid - off);
        ssize_t k = pread_full(s->fd, buf, want, off);

        if (k <= 0) {
            if (k < 0)
                seterr(err, ASSAY_EIO, "cannot read '%s': %s", s->path,
                       strerror(errno));
            goto out;
        }
        prepass_block(&pp, buf, (size_t)k);
        off += (uint64_t)k;
    }
    /* Lone CRs end lines too, which counting LFs would miss: no split
     * after one (a CR that ends the pre-pass is judged by the byte after
     * it, as is one that ends a read below). */
    if (pp.cr != pp.crlf + (pp.prev_cr ? 1u : 0u))
        goto out;
    /* Walk forward from mid to the first LF outside quotes. */
    while (off < size && split == 0) {
        size_t want = (size_t)MIN((uint64_t)65536, size - off), i;
        ssize_t k = pread_full(s->fd, buf, want, off);

        if (k <= 0)
            break;
        for (i = 0; i < (size_t)k; i++) {
            unsigned char c = buf[i];

            if (pp.prev_cr && c != '\n')
                goto out;           /* a lone CR: give up */
            pp.prev_cr = c == '\r';
            if (c == '"') {
                pp.quotes++;
            } else if (c == '\n') {
                pp.lf++;
                if ((pp.quotes & 1) == 0) {
                    split = off + i + 1;
                    break;
                }
            }
        }
        off += (uint64_t)k;
    }
    if (split >= size)
        split = 0;
    *line_at = first_line + pp.lf;
out:
    free(buf);
    return split;
}

/* ---- balancing ----
 * A worker with nothing to do (the second one at the start, or one
 * that is done) takes over the second half of what the part with the
 * most bytes left has not read yet: it finds a record boundary there by
 * a pre-pass from the part's start (a record boundary with a known line
 * number; boundary_after()), and that part now ends there.  At the start
 * this splits the file in two while the first worker already parses
 * (no serial pre-pass); at the end it evens out two halves that seldom
 * finish together: the hashing thread shares a core with one worker for
 * its first second, and on a shared machine one core can run slower
 * than the other for a while.  Each part has its own sink states; parts
 * merge in file order. */
enum { MAX_PARTS = 32 };
#define STEAL_MIN ((uint64_t)8 << 20)   /* bytes left worth splitting */

struct pool {
    struct scan *s;
    pthread_mutex_t mu;
    struct worker *part;        /* MAX_PARTS, nparts in use */
    unsigned order[MAX_PARTS];  /* part ids in file order */
    unsigned nparts;
    unsigned next;              /* parts cut up front not taken yet:
                                   next..ninit-1 */
    unsigned ninit;
    uint64_t steal_min;
    size_t chunk;               /* bytes read at a time */
    int stop;                   /* a part failed: split no more */
};

static void run_part(struct pool *pl, struct worker *w)
{
    struct scan *s = pl->s;
    struct csv_reader *r = worker_reader(w, w->first_line);
    unsigned char *buf = xmalloc(pl->chunk);
    uint64_t off = w->begin;

    for (;;) {
        size_t want;
        ssize_t k;

        pthread_mutex_lock(&pl->mu);
        if (off >= w->end) {
            pthread_mutex_unlock(&pl->mu);
            break;
        }
        want = (size_t)MIN((uint64_t)pl->chunk, w->end - off);
        w->reserved = off + want;
        pthread_mutex_unlock(&pl->mu);
        k = pread_full(s->fd, buf, want, off);
        if (k <= 0) {
            seterr(&w->err, ASSAY_EIO, "cannot read '%s': %s", s->path,
                   k < 0 ? strerror(errno) : "file shrank while reading");
            w->failed = 1;
            break;
        }
        off += (uint64_t)k;
        if (feed(w, r, buf, (size_t)k) < 0)
            break;
        atomic_fetch_add(&s->progress, (unsigned long long)k);
    }
    if (!w->failed) {
        w->at_boundary = csv_reader_at_boundary(r);
        if (finish_reader(w, r) == 0) {
            w->records = csv_reader_records(r);
            w->lines = csv_reader_lines(r);
            worker_done(w);
        }
    }
    csv_reader_free(r);
    free(buf);
    pthread_mutex_lock(&pl->mu);
    w->running = 0;
    if (w->failed)
        pl->stop = 1;
    pthread_mutex_unlock(&pl->mu);
}

/* Take over the second half of the unread rest of the part with the
 * most left.  Returns the new part's id, or -1 when there is nothing
 * worth taking. */
static int steal(struct pool *pl)
{
    struct scan *s = pl->s;
    int tries;

    for (tries = 0; tries < 3; tries++) {
        struct assay_err e = ASSAY_ERR_INIT;
        struct worker *v = NULL, *w;
        uint64_t left = 0, begin, mid, limit, first_line, t, line = 0;
        unsigned i, id, vid = 0;

        pthread_mutex_lock(&pl->mu);
        for (i = 0; i < pl->nparts && !pl->stop; i++) {
            struct worker *c = &pl->part[i];

            if (c->running && c->end - c->reserved > left) {
                left = c->end - c->reserved;
                v = c;
                vid = i;
            }
        }
        if (v == NULL || left < pl->steal_min || pl->nparts == MAX_PARTS) {
            pthread_mutex_unlock(&pl->mu);
            return -1;
        }
        begin = v->begin;
        first_line = v->first_line;
        mid = v->reserved + left / 2;
        limit = v->end;
        pthread_mutex_unlock(&pl->mu);
        t = boundary_after(s, begin, mid, limit, first_line, &line, &e);
        if (t == 0)
            return -1;          /* a lone CR, or unreadable: leave it */
        pthread_mutex_lock(&pl->mu);
        if (!v->running || pl->stop || t <= v->reserved || t >= v->end) {
            pthread_mutex_unlock(&pl->mu);
            continue;           /* it read past the boundary meanwhile */
        }
        id = pl->nparts++;
        w = &pl->part[id];
        worker_init(w, s, id);
        w->begin = w->reserved = t;
        w->end = v->end;
        w->first_line = line;
        w->running = 1;
        v->end = t;
        for (i = 0; pl->order[i] != vid; i++)
            ;
        memmove(&pl->order[i + 2], &pl->order[i + 1],
                (pl->nparts - 2 - i) * sizeof(pl->order[0]));
        pl->order[i + 1] = id;
        pthread_mutex_unlock(&pl->mu);
        return (int)id;
    }
    return -1;
}

/* The next part cut up front, or -1. */
static int take(struct pool *pl)
{
    int k = -1;

    pthread_mutex_lock(&pl->mu);
    if (!pl->stop && pl->next < pl->ninit) {
        k = (int)pl->next++;
        pl->part[k].running = 1;
    }
    pthread_mutex_unlock(&pl->mu);
    return k;
}

static void *worker_main(void *arg)
{
    struct pool *pl = arg;
    int k;

    while ((k = take(pl)) >= 0 || (k = steal(pl)) >= 0)
        run_part(pl, &pl->part[k]);
    return NULL;
}

struct hasher {
    struct scan *s;
    unsigned char md[32];
    uint64_t bytes;
    int failed;
    int err_no;
};

static void *hasher_main(void *arg)
{
    struct hasher *h = arg;
    struct scan *s = h->s;
    unsigned char *buf = xmalloc(CHUNK);
    struct sha256 *sha = sha256_new();
    uint64_t off = 0;

    for (;;) {
        ssize_t k = pread_full(s->fd, buf, CHUNK, off);

        if (k < 0) {
            h->failed = 1;
            h->err_no = errno;
            break;
        }
        if (k == 0)
            break;
        sha256_update(sha, buf, (size_t)k);
        off += (uint64_t)k;
    }
    sha256_final(sha, h->md);
    h->bytes = off;
    free(buf);
    return NULL;
}

static int run_parallel(struct scan *s, struct pool *pl, unsigned nthreads,
                        struct assay_err *err)
{
    pthread_t th[MAX_WORKERS], hth;
    struct hasher h;
    double t0 = now_s();
    int started = 0, hstarted = 0;
    unsigned i, k;

    memset(&h, 0, sizeof(h));
    h.s = s;
    hstarted = pthread_create(&hth, NULL, hasher_main, &h) == 0;
    if (!hstarted)
        hasher_main(&h);
    for (i = 0; i < nthreads && i < MAX_WORKERS; i++) {
        if (pthread_create(&th[i], NULL, worker_main, pl) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker_main(pl);
    if (s->opts.progress) {
        /* Draw while the workers run; they finish on their own. */
        while (atomic_load(&s->progress) <
               (unsigned long long)(s->st.st_size - s->hdr_end)) {
            struct timespec ts = { 0, 100000000L };
            int stop;

            pthread_mutex_lock(&pl->mu);
            stop = pl->stop;
            pthread_mutex_unlock(&pl->mu);
            if (stop)
                break;
            progress_draw(s, t0, 0);
            nanosleep(&ts, NULL);
        }
    }
    for (i = 0; i < (unsigned)started; i++)
        pthread_join(th[i], NULL);
    if (hstarted)
        pthread_join(hth, NULL);
    progress_draw(s, t0, 1);
    /* The earliest error in the file wins. */
    for (k = 0; k < pl->nparts; k++) {
        struct worker *w = &pl->part[pl->order[k]];

        if (w->failed) {
            *err = w->err;
            return -1;
        }
        if (k + 1 < pl->nparts && !w->at_boundary)
            return seterr(err, ASSAY_EINTERNAL, "'%s': parallel split was "
                          "not at a record boundary", s->path);
    }
    if (h.failed)
        return seterr(err, ASSAY_EIO, "cannot read '%s': %s", s->path,
                      strerror(h.err_no));
    hex_encode(h.md, 32, s->info.sha256);
    s->info.bytes = h.bytes;
    return 0;
}

static unsigned worker_count(const struct scan *s)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned t = s->opts.threads;

    if (t == 0)
        t = n > 1 ? 2 : 1;
    return t > MAX_WORKERS ? MAX_WORKERS : t;
}

/* Cut the data into up to n parts at record boundaries (pl->part[k]:
 * begin, end, first_line); returns how many (1: no usable split). */
static unsigned cut(struct scan *s, struct pool *pl, unsigned n,
                    struct assay_err *err)
{
    uint64_t size = (uint64_t)s->st.st_size, data = size - s->hdr_end;
    uint64_t begin = s->hdr_end, line = s->hdr_lines + 1, b, bl = 0;
    unsigned k = 0;

    while (k + 1 < n) {
        uint64_t target = s->hdr_end + data / n * (k + 1);

        if (target <= begin)
            target = begin + 1;
        b = boundary_after(s, begin, target, size, line, &bl, err);
        if (b == 0)
            break;
        pl->part[k].begin = begin;
        pl->part[k].end = b;
        pl->part[k].first_line = line;
        begin = b;
        line = bl;
        k++;
    }
    pl->part[k].begin = begin;
    pl->part[k].end = size;
    pl->part[k].first_line = line;
    return k + 1;
}

int scan_run(struct scan *s, struct assay_err *err)
{
    struct pool pl;
    uint64_t rec_off = 0, lines = 0;
    uint64_t pmin = s->opts.parallel_min ? s->opts.parallel_min :
                    PARALLEL_MIN_BYTES;
    unsigned i, nt = worker_count(s);
    size_t k;
    int rc, parallel = 0;

    memset(&pl, 0, sizeof(pl));
    pl.s = s;
    pl.part = xcalloc(MAX_PARTS, sizeof(*pl.part));
    pl.nparts = 1;
    pl.steal_min = s->opts.steal_min ? s->opts.steal_min : STEAL_MIN;
    pl.chunk = s->opts.chunk ? s->opts.chunk : CHUNK;
    pthread_mutex_init(&pl.mu, NULL);
    if (s->info.regular && !s->gz && nt > 1 &&
        (uint64_t)s->st.st_size >= pmin &&
        (uint64_t)s->st.st_size > s->hdr_end) {
        struct assay_err e = ASSAY_ERR_INIT;
        unsigned want = s->opts.parts ? s->opts.parts : 1;

        pl.nparts = cut(s, &pl, want > MAX_PARTS / 2 ? MAX_PARTS / 2 : want,
                        &e);
        if (e.status != ASSAY_OK) {
            *err = e;
            pthread_mutex_destroy(&pl.mu);
            free(pl.part);
            return -1;
        }
        parallel = pl.nparts > 1 || want == 1;
    }
    for (i = 0; i < pl.nparts; i++) {
        struct worker *w = &pl.part[i];
        uint64_t b = w->begin, e = w->end, fl = w->first_line;

        worker_init(w, s, i);
        w->begin = w->reserved = b;
        w->end = e;
        w->first_line = fl;
        pl.order[i] = i;
    }
    pl.ninit = pl.nparts;
    if (parallel) {
        rc = run_parallel(s, &pl, nt, err);
    } else {
        rc = run_streaming(s, &pl.part[0], err);
        if (rc == 0) {
            unsigned char md[32];

            sha256_final(s->sha, md);
            s->sha = NULL;
            hex_encode(md, 32, s->info.sha256);
        }
    }
    /* Merge in file order even after an error, so states are freed. */
    for (i = 0; i < pl.nparts; i++) {
        struct worker *w = &pl.part[pl.order[i]];

        for (k = 0; k < s->nsinks; k++)
            s->sinks[k].merge(s->sinks[k].self, w->ws[k], rec_off, 0);
        rec_off += w->records;
        lines += w->lines;
        free(w->typed.cell - 2);
    }
    pthread_mutex_destroy(&pl.mu);
    free(pl.part);
    if (rc < 0)
        return -1;
    s->info.rows = rec_off;
    s->info.lines = s->hdr_lines + lines;
    return 0;
}

/* ---- second look ---- */

struct rescan_ctx {
    int (*fn)(void *ctx, const struct row *row);
    void *ctx;
};

static int rescan_row(void *ctx, const struct row *row)
{
    struct rescan_ctx *rc = ctx;

    return rc->fn(rc->ctx, row) != 0 ? 1 : 0;
}

int scan_rescan(struct scan *s, int (*fn)(void *ctx, const struct row *row),
                void *ctx, struct assay_err *err)
{
    struct scan *again = NULL;
    struct scan_opts o = s->opts;
    struct rescan_ctx rc = { fn, ctx };
    struct csv_opts co = CSV_OPTS_INIT;
    struct csv_reader *reader = NULL;
    unsigned char *buf = NULL;
    int r = -1;

    if (!s->info.regular)
        return 1;
    o.threads = 1;
    o.progress = 0;
    o.delim = s->delim;
    again = scan_open(s->path, &o, err);
    if (again == NULL)
        return -1;
    buf = xmalloc(CHUNK);
    co.delim = again->delim;
    co.name = again->path;
    co.skip_bom = 0;
    co.first_line = again->hdr_lines + 1;
    co.first_record = 1;
    if (again->opts.max_field)
        co.max_field = again->opts.max_field;
    reader = csv_reader_new(&co, rescan_row, &rc);
    r = csv_reader_feed(reader, (const char *)again->pending,
                        again->npending, err);
    while (r == 0) {
        ssize_t k = stream_read(again, buf, CHUNK, err);

        if (k < 0) {
            r = -1;
            break;
        }
        if (k == 0) {
            r = csv_reader_finish(reader, err);
            break;
        }
        r = csv_reader_feed(reader, (const char *)buf, (size_t)k, err);
    }
    if (r > 0)
        r = 0;                  /* the callback asked to stop early */
    csv_reader_free(reader);
    free(buf);
    scan_free(again);
    return r;
}
