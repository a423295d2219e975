/* read_csv.c -- CSV records from bytes (pipeline stage 1, under scan.c).
 * The only file that includes <csv.h>.  libcsv is the parser of record;
 * a fast scanner (SSE2 or SWAR bit masks over 64-byte blocks) handles
 * the common case and hands any record it is unsure about to libcsv,
 * which decides (its row, or the error).  Owns the carry buffer for a
 * record split between feeds, the row buffers (reused: no malloc per
 * row) and the physical line count. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#if defined(__SSE2__) && !defined(READ_CSV_SWAR)
#include <emmintrin.h>
#define USE_SSE2 1
#endif
#include "read_csv.h"
#include "util.h"

#define DEF_MAX_FIELD   ((size_t)1 << 20)       /* 1 MiB */
#define DEF_MAX_RECORD  ((size_t)16 << 20)      /* 16 MiB */
#define MAX_LIMIT       ((size_t)UINT32_MAX - 1) /* row.len is 32-bit */
#define PIECE_MIN       4096    /* bytes moved into the carry at a time */
#define LIBCSV_BLOCK    65536   /* libcsv grows its field buffer by this */

/* libcsv 3.0.3 parser states (libcsv.c); struct csv_parser is public. */
#define LC_ROW_NOT_BEGUN            0
#define LC_FIELD_MIGHT_HAVE_ENDED   3

enum { M_FAST, M_LIBCSV };

/* Internal results; the public functions map them to return values. */
enum {
    ST_OK,          /* window done (see struct wres) */
    ST_STOP,        /* the callback returned non-zero */
    ST_ERR,         /* r->err filled */
    ST_SLOW,        /* fast scanner: give this record to libcsv */
    ST_FAST         /* libcsv: between records, back to the scanner */
};

/* How a window run ended: mid = 1 when a record is still open; it starts
 * at rs and must be carried (with everything after it) to the next feed.
 * pos: bytes of the window consumed. */
struct wres {
    int mid;
    size_t rs;
    size_t pos;
};

struct csv_reader {
    unsigned char delim;
    size_t max_field;
    size_t max_record;
    uint64_t first_line;
    uint64_t first_record;
    char *name;
    csv_row_fn fn;
    void *ctx;
    int force;                  /* every record through libcsv */
    int mode;                   /* M_FAST or M_LIBCSV */
    int handoff;                /* M_LIBCSV for one record of the scanner */
    uint64_t handoff_rec;       /* records emitted when it began */

    uint64_t lines;             /* line terminators consumed */
    uint64_t records;           /* records emitted */
    int prev_cr;                /* the last byte counted was a CR */

    int bom_check;              /* still looking at the first bytes */
    unsigned char bom[3];
    size_t nbom;

    /* carry: an open record's bytes from its first one, plus what follows
     * (cpos of them already consumed) */
    unsigned char *carry;
    size_t clen, ccap, cpos;

    /* fields of the current record: offsets into the record (scanner) or
     * into rbuf (libcsv) */
    size_t nf, fcap;
    size_t *foff;
    uint32_t *flen;
    unsigned char *fq;
    unsigned char *fesc;        /* quoted with "" inside: unescape */
    const char **fptr;
    char *rbuf;                 /* the row's NUL-terminated fields */
    size_t rcap, rlen;

    /* scanner state of a record split between feeds (record-relative) */
    int f_active, f_inq, f_esc;
    size_t f_fstart, f_resume;
    uint64_t f_nl;

    /* libcsv and where it is in the current window */
    struct csv_parser cp;
    const unsigned char *w;
    size_t wlen;
    size_t rs;                  /* start of the open record */
    int ropen;                  /* rs, rline and fields are valid */
    uint64_t rline;             /* line where it starts */
    size_t lpos;                /* lines are counted up to here */
    size_t lnext;               /* the next record starts at or after */
    size_t nulpos;              /* next NUL at or after (cache) ... */
    int nulok;                  /* ... valid in this window */
    size_t hlim;                /* hand-off: first libcsv call ends here */

    int stop, stop_rc, failed, finished;
    struct assay_err err;       /* sticky after a failure */
};

/* ---- helpers ---- */

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void fields_grow(struct csv_reader *r)
{
    size_t c = r->fcap ? r->fcap * 2 : 64;

    r->foff = xrealloc(r->foff, c * sizeof(*r->foff));
    r->flen = xrealloc(r->flen, c * sizeof(*r->flen));
    r->fq = xrealloc(r->fq, c);
    r->fesc = xrealloc(r->fesc, c);
    r->fptr = xrealloc(r->fptr, c * sizeof(*r->fptr));
    r->fcap = c;
}

/* Append a field; returns 1 when it is over the field limit (len is
 * then not stored exactly: the record goes to libcsv). */
static inline int push(struct csv_reader *r, size_t off, size_t len,
                       int quoted, int esc)
{
    size_t i = r->nf;

    if (i == r->fcap)
        fields_grow(r);
    r->foff[i] = off;
    r->flen[i] = (uint32_t)len;
    r->fq[i] = (unsigned char)quoted;
    r->fesc[i] = (unsigned char)esc;
    r->nf = i + 1;
    return len > r->max_field;
}

/* Line terminators in p[0..n): LF, CRLF (once) and a lone CR. */
static void count_lines(struct csv_reader *r, const unsigned char *p,
                        size_t n)
{
    const unsigned char *e = p + n, *s;
    uint64_t k = 0;

    if (n == 0)
        return;
    for (s = p; s < e; s++) {
        s = memchr(s, '\n', (size_t)(e - s));
        if (s == NULL)
            break;
        k++;
    }
    for (s = p; s < e; s++) {
        s = memchr(s, '\r', (size_t)(e - s));
        if (s == NULL)
            break;
        if (s + 1 == e || s[1] != '\n')
            k++;
    }
    /* LFs were counted; a CRLF's LF stands for the pair, except when the
     * CR was counted in an earlier piece */
    if (r->prev_cr && p[0] == '\n')
        k--;
    r->lines += k;
    r->prev_cr = e[-1] == '\r';
}

/* Skip empty lines (CR and LF bytes) from pos, counting them. */
static size_t skip_gap(struct csv_reader *r, const unsigned char *w,
                       size_t wlen, size_t pos)
{
    while (pos < wlen) {
        if (w[pos] == '\n') {
            if (!r->prev_cr)
                r->lines++;
            r->prev_cr = 0;
        } else if (w[pos] == '\r') {
            r->lines++;
            r->prev_cr = 1;
        } else {
            break;
        }
        pos++;
    }
    return pos;
}

static int emit(struct csv_reader *r, const unsigned char *raw, size_t len,
                uint64_t line)
{
    struct row row;
    int rc;

    row.nfields = r->nf;
    row.field = r->fptr;
    row.len = r->flen;
    row.quoted = r->fq;
    row.line = line;
    row.record = r->first_record + r->records;
    row.raw = (const char *)raw;
    row.raw_len = len;
    row.typed = NULL;           /* a scan's dispatch sets its own */
    r->records++;
    rc = r->fn(r->ctx, &row);
    if (rc != 0) {
        r->stop = 1;
        r->stop_rc = rc;
        return ST_STOP;
    }
    return ST_OK;
}

/* ---- the fast scanner ----
 * A 64-bit mask per 64-byte block has a bit set for every byte that may
 * matter: the delimiter, a quote, or a byte <= 0x0d (NUL, LF, CR; the
 * other control bytes are false positives and skipped).  The scanner
 * walks the set bits; it never calls a function per byte. */

#ifdef USE_SSE2
static inline uint64_t mask16(const unsigned char *p, __m128i vd,
                              __m128i vq, __m128i vc)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i s = _mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vq));

    s = _mm_or_si128(s, _mm_cmpeq_epi8(_mm_min_epu8(v, vc), v));
    return (uint64_t)(unsigned)_mm_movemask_epi8(s);
}

static inline uint64_t mask64(const unsigned char *p, unsigned char d)
{
    __m128i vd = _mm_set1_epi8((char)d);
    __m128i vq = _mm_set1_epi8('"');
    __m128i vc = _mm_set1_epi8(0x0d);

    return mask16(p, vd, vq, vc) | mask16(p + 16, vd, vq, vc) << 16 |
           mask16(p + 32, vd, vq, vc) << 32 |
           mask16(p + 48, vd, vq, vc) << 48;
}
#else
/* SWAR: 0x80 in each zero byte of x, exactly (no borrow across bytes). */
static inline uint64_t zbytes(uint64_t x)
{
    const uint64_t m7 = 0x7f7f7f7f7f7f7f7fULL;

    return ~(((x & m7) + m7) | x | m7);
}

static inline uint64_t mask8(const unsigned char *p, uint64_t bd)
{
    const uint64_t ones = 0x0101010101010101ULL;
    uint64_t x, t;

    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    t = zbytes(x ^ bd) | zbytes(x ^ (ones * '"')) | zbytes(x) |
        zbytes(x ^ (ones * '\n')) | zbytes(x ^ (ones * '\r'));
    /* gather the 0x80 bits: byte i -> bit i */
    return ((t >> 7) * 0x0102040810204080ULL) >> 56;
}

static inline uint64_t mask64(const unsigned char *p, unsigned char d)
{
    uint64_t bd = 0x0101010101010101ULL * d, m = 0;
    int i;

    for (i = 0; i < 8; i++)
        m |= mask8(p + 8 * i, bd) << (8 * i);
    return m;
}
#endif

/* The mask of the last n < 64 bytes of a window, from a padded copy. */
static uint64_t block_tail(const unsigned char *p, size_t n, unsigned char d)
{
    unsigned char tmp[64];

    memset(tmp, 0, sizeof(tmp));
    memcpy(tmp, p, n);
    return mask64(tmp, d) & (((uint64_t)1 << n) - 1);
}

/* The mask of w[base .. base+64) cut at wlen (base < wlen). */
static inline uint64_t block(const unsigned char *w, size_t wlen,
                             size_t base, unsigned char d)
{
    if (wlen - base >= 64)
        return mask64(w + base, d);
    return block_tail(w + base, wlen - base, d);
}

/* Copy the record into rbuf, NUL-terminate the fields in place (undoing
 * "" in quoted fields) and call back. */
static int fast_emit(struct csv_reader *r, const unsigned char *raw,
                     size_t len, uint64_t line)
{
    size_t i;
    char *b;

    if (len + 1 > r->rcap)
        grow(&r->rbuf, &r->rcap, len + 1, 1);
    b = r->rbuf;
    memcpy(b, raw, len);
    b[len] = '\0';
    for (i = 0; i < r->nf; i++) {
        char *f = b + r->foff[i];
        uint32_t n = r->flen[i];

        if (r->fesc[i]) {
            uint32_t j = 0, k = 0;

            while (j < n) {
                f[k++] = f[j];
                j += f[j] == '"' ? 2 : 1;
            }
            n = k;
            r->flen[i] = n;
        }
        f[n] = '\0';
        r->fptr[i] = f;
    }
    return emit(r, raw, len, line);
}

/* Skip to position x: drop the mask bits below it, or start a new block. */
#define SKIP_TO(x) do {                                                 \
        size_t x_ = (x);                                                \
        if (x_ - base < 64) {                                           \
            m &= ~(uint64_t)0 << (x_ - base);                           \
        } else {                                                        \
            base = x_;                                                  \
            m = base < wlen ? block(w, wlen, base, d) : 0;              \
        }                                                               \
    } while (0)

/* Scan records of w[pos..wlen).  On ST_SLOW, res->pos is the start of the
 * record to give to libcsv and r->hlim the byte just after the one that
 * made the scanner give up. */
static int fast_window(struct csv_reader *r, const unsigned char *w,
                       size_t wlen, size_t pos, int final, int one,
                       struct wres *res)
{
    const unsigned char d = r->delim;
    size_t rs, fstart, base, q, end, resume, tl;
    uint64_t m, nl, line;
    int inq, esc, st;
    unsigned char c, c2;

    if (r->f_active) {
        /* resume a record carried over: it starts at w[0] */
        rs = 0;
        fstart = r->f_fstart;
        inq = r->f_inq;
        esc = r->f_esc;
        nl = r->f_nl;
        base = r->f_resume;
        r->f_active = 0;
    } else {
        pos = skip_gap(r, w, wlen, pos);
        if (pos == wlen)
            goto boundary;
        rs = fstart = base = pos;
        inq = esc = 0;
        nl = 0;
        r->nf = 0;
    }
    r->hlim = SIZE_MAX;
    m = base < wlen ? block(w, wlen, base, d) : 0;
    for (;;) {
        while (m == 0) {
            base += 64;
            if (base >= wlen)
                goto out;
            m = block(w, wlen, base, d);
        }
        q = base + (size_t)__builtin_ctzll(m);
        m &= m - 1;
        c = w[q];
        if (inq) {
            if (c == '"') {
                if (q + 1 == wlen) {
                    if (!final) {
                        resume = q;
                        goto more;
                    }
                    /* closing quote at the end of input */
                    if (push(r, fstart + 1 - rs, q - fstart - 1, 1, esc))
                        goto slow;
                    end = wlen;
                    tl = 0;
                    goto done;
                }
                c2 = w[q + 1];
                if (c2 == '"') {            /* "" */
                    esc = 1;
                    SKIP_TO(q + 2);
                    continue;
                }
                if (c2 == d) {
                    if (push(r, fstart + 1 - rs, q - fstart - 1, 1, esc))
                        goto slow;
                    inq = 0;
                    fstart = q + 2;
                    SKIP_TO(q + 2);
                    continue;
                }
                if (c2 == '\n') {
                    tl = 1;
                } else if (c2 == '\r') {
                    if (q + 2 == wlen) {
                        if (final)
                            goto slow_at_end;
                        resume = q;
                        goto more;
                    }
                    if (w[q + 2] != '\n') {
                        r->hlim = q + 2;
                        goto slow;          /* lone CR */
                    }
                    tl = 2;
                } else {
                    r->hlim = q + 2;
                    goto slow;              /* text after a closing quote */
                }
                if (push(r, fstart + 1 - rs, q - fstart - 1, 1, esc))
                    goto slow;
                end = q + 1;
                goto done;
            } else if (c == '\n') {
                nl += w[q - 1] != '\r';
            } else if (c == '\r') {
                nl++;
            } else if (c == '\0') {
                r->hlim = q + 1;
                goto slow;
            }
            continue;
        }
        if (c == d) {
            if (push(r, fstart - rs, q - fstart, 0, 0))
                goto slow;
            fstart = q + 1;
            continue;
        }
        if (c == '\n') {
            tl = 1;
        } else if (c == '"') {
            if (q != fstart) {
                r->hlim = q + 1;
                goto slow;                  /* quote in an unquoted field */
            }
            inq = 1;
            esc = 0;
            continue;
        } else if (c == '\r') {
            if (q + 1 == wlen) {
                if (final)
                    goto slow_at_end;
                resume = q;
                goto more;
            }
            if (w[q + 1] != '\n') {
                r->hlim = q + 1;
                goto slow;                  /* lone CR */
            }
            tl = 2;
        } else if (c == '\0') {
            r->hlim = q + 1;
            goto slow;
        } else {
            continue;                       /* harmless control byte */
        }
        if (push(r, fstart - rs, q - fstart, 0, 0))
            goto slow;
        end = q;
done:
        if (end - rs > r->max_record)
            goto slow;
        line = r->first_line + r->lines;
        r->lines += nl + (tl != 0);
        if (tl != 0)
            r->prev_cr = 0;
        st = fast_emit(r, w + rs, end - rs, line);
        if (st != ST_OK)
            return st;
        pos = end + tl;
        if (one) {
            res->mid = 0;
            res->pos = pos;
            return ST_OK;
        }
        pos = skip_gap(r, w, wlen, pos);
        if (pos == wlen)
            goto boundary;
        rs = fstart = pos;
        inq = esc = 0;
        nl = 0;
        r->nf = 0;
        SKIP_TO(pos);
    }

out:
    if (inq) {
        if (final)
            goto slow_at_end;               /* unterminated quote */
        resume = wlen;
        goto more;
    }
    if (final) {
        if (push(r, fstart - rs, wlen - fstart, 0, 0))
            goto slow;
        end = wlen;
        tl = 0;
        goto done;              /* emits, then finds the end of input */
    }
    resume = wlen;
more:
    /* a record split between feeds: keep it only while under the limits
     * (the field length here may overcount a quoted field: libcsv then
     * decides) */
    if (wlen - rs > r->max_record ||
        resume - fstart > r->max_field + (size_t)inq)
        goto slow;
    r->f_active = 1;
    r->f_inq = inq;
    r->f_esc = esc;
    r->f_nl = nl;
    r->f_fstart = fstart - rs;
    r->f_resume = resume - rs;
    res->mid = 1;
    res->rs = rs;
    res->pos = resume;
    return ST_OK;

boundary:
    res->mid = 0;
    res->pos = wlen;
    return ST_OK;

slow_at_end:
    r->hlim = SIZE_MAX;
slow:
    r->nf = 0;
    res->mid = 0;
    res->pos = rs;
    return ST_SLOW;
}

#undef SKIP_TO

/* ---- libcsv ----
 * libcsv is fed from a record boundary; its callbacks give each field's
 * text and the end of each row.  Where the row's bytes start and end and
 * which fields were quoted follow from its output: a quoted field takes
 * len + (number of quotes in it) + 2 bytes, an unquoted one len bytes.
 * Calls are cut so that a limit is seen at the very byte that crosses it:
 * the same error, whatever the chunking. */

static int lc_mid(const struct csv_reader *r)
{
    return r->cp.pstate != LC_ROW_NOT_BEGUN;
}

/* Count lines up to x (the bytes since lpos). */
static void lines_to(struct csv_reader *r, size_t x)
{
    if (x > r->lpos)
        count_lines(r, r->w + r->lpos, x - r->lpos);
    r->lpos = x;
}

static void open_record(struct csv_reader *r, size_t rs)
{
    lines_to(r, rs);
    r->rs = rs;
    r->rline = r->first_line + r->lines;
    r->ropen = 1;
    r->nf = 0;
    r->rlen = 0;
}

/* libcsv has begun a record we have not seen the start of: it is the
 * first byte after the last row that is not CR or LF. */
static void ensure_open(struct csv_reader *r)
{
    size_t s = r->lnext;

    if (r->ropen)
        return;
    while (s < r->wlen && (r->w[s] == '\r' || r->w[s] == '\n'))
        s++;
    open_record(r, s);
}

static size_t count_quotes(const char *p, size_t n)
{
    const char *e = p + n;
    size_t k = 0;

    for (; p < e; p++) {
        p = memchr(p, '"', (size_t)(e - p));
        if (p == NULL)
            break;
        k++;
    }
    return k;
}

/* Offset just past the first n fields of the open record (not past the
 * delimiter after them); sets their quoted flags. */
static size_t walk(struct csv_reader *r, size_t n)
{
    size_t pos = r->rs, i;

    for (i = 0; i < n; i++) {
        if (i > 0)
            pos++;
        r->fq[i] = pos < r->wlen && r->w[pos] == '"';
        pos += r->flen[i];
        if (r->fq[i])
            pos += count_quotes(r->rbuf + r->foff[i], r->flen[i]) + 2;
    }
    return pos;
}

/* Where the field being read starts (its opening quote if quoted). */
static size_t field_start(struct csv_reader *r)
{
    return r->nf == 0 ? r->rs : walk(r, r->nf) + 1;
}

static void cb_field(void *s, size_t len, void *data)
{
    struct csv_reader *r = data;

    if (r->stop || r->failed)
        return;
    ensure_open(r);
    grow(&r->rbuf, &r->rcap, r->rlen + len + 1, 1);
    if (len > 0)
        memcpy(r->rbuf + r->rlen, s, len);
    r->rbuf[r->rlen + len] = '\0';
    push(r, r->rlen, len, 0, 0);
    r->rlen += len + 1;
}

static void cb_row(int c, void *data)
{
    struct csv_reader *r = data;
    size_t end, i;
    uint64_t line;

    if (r->stop || r->failed)
        return;
    ensure_open(r);
    end = walk(r, r->nf);
    if (c >= 0 ? end >= r->wlen || r->w[end] != c : end != r->wlen) {
        r->failed = 1;
        seterr_at(&r->err, ASSAY_EINTERNAL, r->name, r->rline, 0,
                  "csv reader lost track of a record");
        return;
    }
    for (i = 0; i < r->nf; i++)
        r->fptr[i] = r->rbuf + r->foff[i];
    line = r->rline;
    lines_to(r, c >= 0 ? end + 1 : end);
    r->ropen = 0;
    r->lnext = r->lpos;
    emit(r, r->w + r->rs, end - r->rs, line);
}

/* Line and 1-based byte column of w[x], x in the open record (or just
 * past the end of input). */
static void locate(const struct csv_reader *r, size_t x, uint64_t *line,
                   size_t *col)
{
    const unsigned char *p = r->w + r->rs;
    size_t n = x - r->rs, i, ls = 0;
    uint64_t k = 0;

    for (i = 0; i < n; i++) {
        if (p[i] == '\n') {
            if (i == 0 || p[i - 1] != '\r')
                k++;
            ls = i + 1;
        } else if (p[i] == '\r') {
            k++;
            ls = i + 1;
        }
    }
    *line = r->rline + k;
    *col = n - ls + 1;
}

static int fail_at(struct csv_reader *r, enum assay_status st, size_t x,
                   const char *msg)
{
    uint64_t line;
    size_t col;

    locate(r, x, &line, &col);
    seterr_at(&r->err, st, r->name, (unsigned long)line, col, "%s", msg);
    r->failed = 1;
    return ST_ERR;
}

static int parse_error(struct csv_reader *r, size_t x)
{
    unsigned char c = r->w[x];
    char msg[64];

    if (c == '"')
        return fail_at(r, ASSAY_ECSV, x, "quote inside an unquoted field");
    if (c > 0x20 && c < 0x7f)
        snprintf(msg, sizeof(msg), "unexpected '%c' after a closing quote",
                 c);
    else
        snprintf(msg, sizeof(msg),
                 "unexpected byte 0x%02x after a closing quote", c);
    return fail_at(r, ASSAY_ECSV, x, msg);
}

static int unterminated(struct csv_reader *r)
{
    uint64_t oline;
    size_t ocol;
    char msg[96];

    locate(r, field_start(r), &oline, &ocol);
    snprintf(msg, sizeof(msg),
             "unterminated quoted field (opened at line %llu, column %zu)",
             (unsigned long long)oline, ocol);
    return fail_at(r, ASSAY_ECSV, r->wlen, msg);
}

static int field_too_big(struct csv_reader *r)
{
    char msg[128];

    snprintf(msg, sizeof(msg),
             "field %zu is longer than %zu bytes "
             "(--max-field-size raises the limit)", r->nf + 1, r->max_field);
    return fail_at(r, ASSAY_ETOOBIG, field_start(r), msg);
}

static int record_too_big(struct csv_reader *r)
{
    seterr_at(&r->err, ASSAY_ETOOBIG, r->name, (unsigned long)r->rline, 0,
              "record is longer than %zu bytes "
              "(--max-field-size raises the limit)", r->max_record);
    r->failed = 1;
    return ST_ERR;
}

static size_t next_nul(struct csv_reader *r, size_t pos)
{
    const unsigned char *p;

    if (r->nulok && r->nulpos >= pos)
        return r->nulpos;
    r->nulok = 1;
    p = memchr(r->w + pos, '\0', r->wlen - pos);
    r->nulpos = p != NULL ? (size_t)(p - r->w) : r->wlen;
    return r->nulpos;
}

/* Bytes of the field libcsv is reading (it holds a maybe-closing quote
 * in its buffer until the next byte decides). */
static size_t lc_content(const struct csv_reader *r)
{
    return r->cp.entry_pos - (r->cp.pstate == LC_FIELD_MIGHT_HAVE_ENDED);
}

/* Where to end a libcsv call from pos: at the next NUL, and before any
 * byte past the byte that would cross the record or field limit (each
 * byte adds at most one to either), so a limit is caught at its byte. */
static size_t call_end(struct csv_reader *r, size_t pos)
{
    size_t end = next_nul(r, pos), b;

    b = r->rs + r->max_record + 1;
    if (b < end)
        end = b;
    b = pos + r->max_field + 1 - lc_content(r);
    if (b < end)
        end = b;
    if (r->hlim < end && r->hlim > pos)
        end = r->hlim;
    r->hlim = SIZE_MAX;
    return end;
}

static int lc_call(struct csv_reader *r, size_t pos, size_t end)
{
    size_t n = csv_parse(&r->cp, r->w + pos, end - pos, cb_field, cb_row, r);

    if (r->stop)
        return ST_STOP;
    if (r->failed)
        return ST_ERR;
    if (n < end - pos) {
        if (csv_error(&r->cp) != CSV_EPARSE) {
            seterr(&r->err, ASSAY_ENOMEM, "%s: csv parser: %s", r->name,
                   csv_strerror(csv_error(&r->cp)));
            r->failed = 1;
            return ST_ERR;
        }
        ensure_open(r);
        return parse_error(r, pos + n);
    }
    if (lc_mid(r)) {
        ensure_open(r);
        if (lc_content(r) > r->max_field)
            return field_too_big(r);
        if (end - r->rs > r->max_record)
            return record_too_big(r);
    }
    return ST_OK;
}

/* Feed w[pos..wlen) to libcsv.  Returns ST_FAST when the scanner may take
 * over again (at a record boundary, res->pos). */
static int slow_window(struct csv_reader *r, const unsigned char *w,
                       size_t wlen, size_t pos, int final, int one,
                       struct wres *res)
{
    uint64_t rec0 = r->records;
    size_t end;
    int st;

    r->w = w;
    r->wlen = wlen;
    r->lnext = pos;
    if (lc_mid(r)) {
        r->rs = 0;              /* the carry starts with the open record */
        r->lpos = 0;
    } else {
        r->lpos = pos;
        r->ropen = 0;
    }
    for (;;) {
        if (!lc_mid(r)) {
            lines_to(r, pos);
            pos = skip_gap(r, w, wlen, pos);
            r->lpos = r->lnext = pos;
            r->ropen = 0;
            if (one && r->records > rec0)
                break;
            if (!r->force && (!r->handoff || r->records > r->handoff_rec)) {
                r->handoff = 0;
                res->mid = 0;
                res->pos = pos;
                return ST_FAST;
            }
            if (pos == wlen)
                break;
            open_record(r, pos);
        }
        end = call_end(r, pos);
        if (end > pos) {
            st = lc_call(r, pos, end);
            if (st != ST_OK)
                return st;
            pos = end;
        }
        if (pos < wlen && pos == next_nul(r, pos)) {
            if (!r->ropen)
                open_record(r, pos);
            return fail_at(r, ASSAY_EENCODING, pos, "NUL byte in text data");
        }
        if (pos == wlen)
            break;
    }
    if (final && pos == wlen) {
        if (csv_fini(&r->cp, cb_field, cb_row, r) != 0) {
            ensure_open(r);
            return unterminated(r);
        }
        if (r->stop)
            return ST_STOP;
        if (r->failed)
            return ST_ERR;
    }
    res->pos = pos;
    res->mid = lc_mid(r);
    if (res->mid) {
        res->rs = r->rs;
    } else {
        lines_to(r, pos);
        r->ropen = 0;
    }
    return ST_OK;
}

/* ---- driving: windows, the carry, the BOM ---- */

static int run_window(struct csv_reader *r, const unsigned char *w,
                      size_t wlen, size_t pos, int final, int one,
                      struct wres *res)
{
    int st;

    r->nulok = 0;               /* a new window: forget where its NUL was */
    if (r->force && !r->f_active && r->mode == M_FAST && !lc_mid(r))
        r->mode = M_LIBCSV;
    for (;;) {
        if (r->mode == M_FAST) {
            st = fast_window(r, w, wlen, pos, final, one, res);
            if (st != ST_SLOW)
                return st;
            r->mode = M_LIBCSV;
            r->handoff = 1;
            r->handoff_rec = r->records;
        } else {
            st = slow_window(r, w, wlen, pos, final, one, res);
            if (st != ST_FAST)
                return st;
            r->mode = M_FAST;
        }
        pos = res->pos;
    }
}

static void carry_add(struct csv_reader *r, const unsigned char *p, size_t n)
{
    grow(&r->carry, &r->ccap, r->clen + n, 1);
    if (n > 0)
        memcpy(r->carry + r->clen, p, n);
    r->clen += n;
}

static int drive(struct csv_reader *r, const unsigned char *in, size_t n,
                 int final)
{
    static const unsigned char none[1];
    struct wres res;
    size_t off = 0, piece;
    int st;

    if (in == NULL)
        in = none;
    /* first finish the carried record, moving input over a piece at a
     * time (doubling, so a long record is copied O(1) times a byte) */
    while (r->clen > 0) {
        piece = MAX(r->clen, (size_t)PIECE_MIN);
        if (piece > n - off)
            piece = n - off;
        carry_add(r, in + off, piece);
        off += piece;
        st = run_window(r, r->carry, r->clen, r->cpos, final && off == n, 1,
                        &res);
        if (st != ST_OK)
            return st;
        if (res.mid) {
            if (res.rs > 0) {
                memmove(r->carry, r->carry + res.rs, r->clen - res.rs);
                r->clen -= res.rs;
            }
            r->cpos = res.pos - res.rs;
            if (off == n)
                return ST_OK;
            continue;
        }
        /* the bytes after res.pos came from in[]: read them there */
        off -= r->clen - res.pos;
        r->clen = r->cpos = 0;
    }
    if (off == n && !final)
        return ST_OK;
    st = run_window(r, in + off, n - off, 0, final, 0, &res);
    if (st != ST_OK)
        return st;
    if (res.mid) {
        carry_add(r, in + off + res.rs, n - off - res.rs);
        r->cpos = res.pos - res.rs;
    }
    return ST_OK;
}

static int result(struct csv_reader *r, int st, struct assay_err *err)
{
    if (st == ST_STOP)
        return r->stop_rc;
    if (st == ST_ERR) {
        if (err != NULL)
            *err = r->err;
        return -1;
    }
    return 0;
}

static int feed(struct csv_reader *r, const char *p, size_t n, int final,
                struct assay_err *err)
{
    static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
    const unsigned char *u = (const unsigned char *)p;

    if (r->failed)
        return result(r, ST_ERR, err);
    if (r->stop)
        return r->stop_rc;
    if (r->finished) {
        seterr(&r->err, ASSAY_EINTERNAL, "csv reader fed after the end");
        r->failed = 1;
        return result(r, ST_ERR, err);
    }
    if (r->bom_check) {
        while (n > 0 && r->nbom < 3 && *u == bom[r->nbom]) {
            r->bom[r->nbom++] = *u++;
            n--;
        }
        if (r->nbom == 3) {
            r->bom_check = 0;
            r->nbom = 0;
        } else if (n > 0 || final) {
            /* not a BOM: its first bytes are data */
            r->bom_check = 0;
            carry_add(r, r->bom, r->nbom);
            r->cpos = 0;
            r->nbom = 0;
        } else {
            return 0;
        }
    }
    if (final)
        r->finished = 1;
    return result(r, drive(r, u, n, final), err);
}

/* ---- public ---- */

struct csv_reader *csv_reader_new(const struct csv_opts *opts,
                                  csv_row_fn fn, void *ctx)
{
    struct csv_opts def = CSV_OPTS_INIT;
    struct csv_reader *r = xcalloc(1, sizeof(*r));

    if (opts == NULL)
        opts = &def;
    r->delim = (unsigned char)opts->delim;
    if (r->delim == '\0' || r->delim == '"' || r->delim == '\n' ||
        r->delim == '\r')
        r->delim = ',';
    r->max_field = opts->max_field ? opts->max_field : DEF_MAX_FIELD;
    r->max_field = MIN(r->max_field, MAX_LIMIT);
    r->max_record = opts->max_record;
    if (r->max_record == 0)
        r->max_record = MAX(DEF_MAX_RECORD, r->max_field * 16);
    r->max_record = MIN(r->max_record, SIZE_MAX / 4);
    r->first_line = opts->first_line;
    r->first_record = opts->first_record;
    r->name = xstrdup(opts->name != NULL ? opts->name : "-");
    r->fn = fn;
    r->ctx = ctx;
    r->bom_check = opts->skip_bom != 0;
    r->hlim = SIZE_MAX;
    r->mode = M_FAST;
    fields_grow(r);
    csv_init(&r->cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_delim(&r->cp, r->delim);
    csv_set_space_func(&r->cp, no_space);
    csv_set_realloc_func(&r->cp, xrealloc);
    csv_set_free_func(&r->cp, free);
    csv_set_blk_size(&r->cp, LIBCSV_BLOCK);
    return r;
}

void csv_reader_free(struct csv_reader *r)
{
    if (r == NULL)
        return;
    csv_free(&r->cp);
    free(r->name);
    free(r->carry);
    free(r->foff);
    free(r->flen);
    free(r->fq);
    free(r->fesc);
    free(r->fptr);
    free(r->rbuf);
    free(r);
}

int csv_reader_feed(struct csv_reader *r, const char *p, size_t n,
                    struct assay_err *err)
{
    if (n == 0 && !r->failed)
        return r->stop ? r->stop_rc : 0;
    return feed(r, p, n, 0, err);
}

int csv_reader_finish(struct csv_reader *r, struct assay_err *err)
{
    return feed(r, NULL, 0, 1, err);
}

uint64_t csv_reader_records(const struct csv_reader *r)
{
    return r->records;
}

uint64_t csv_reader_lines(const struct csv_reader *r)
{
    return r->lines;
}

int csv_reader_at_boundary(const struct csv_reader *r)
{
    return r->clen == 0 && r->nbom == 0 && !r->f_active && !lc_mid(r);
}

void csv_reader_force_libcsv(struct csv_reader *r, int on)
{
    r->force = on != 0;
}
