/* util.c -- allocation, buffers, time, hex and number formatting.
 * Lowest layer: includes nothing of assay's but its own header. */
#define _GNU_SOURCE             /* mremap */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "util.h"

/* ---- allocation with failure injection ---- */

static long fail_at = -2;       /* -2: not read yet; -1: never */
static long alloc_count;

/* 1 when ASSAY_FAIL_ALLOC says this allocation is to fail. */
static int inject_failure(void)
{
    if (fail_at == -2) {
        const char *s = getenv("ASSAY_FAIL_ALLOC");
        fail_at = (s != NULL && *s != '\0') ? strtol(s, NULL, 10) : -1;
    }
    return fail_at >= 0 && ++alloc_count == fail_at;
}

void die(const char *msg)
{
    fprintf(stderr, "assay: error: %s\n", msg);
    _exit(4);
}

static void out_of_memory(void)
{
    die("out of memory");
}

static void *maybe_fail(void *p)
{
    if (inject_failure()) {
        free(p);
        p = NULL;
    }
    if (p == NULL)
        out_of_memory();
    return p;
}

void *xmalloc(size_t n)
{
    return maybe_fail(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t size)
{
    return maybe_fail(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        free(p);
    return maybe_fail(q);
}

void copy_long(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
}

/* ---- page mappings (large buffers that grow and go) ---- */

static size_t page_round(size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);

    return (n + pg - 1) / pg * pg;
}

void *xmap(size_t n)
{
    void *p = mmap(NULL, page_round(n ? n : 1), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p != MAP_FAILED && inject_failure()) {
        xunmap(p, n);
        p = MAP_FAILED;
    }
    if (p == MAP_FAILED)
        out_of_memory();
    return p;
}

void *xremap(void *p, size_t old, size_t n)
{
    void *q = mremap(p, page_round(old ? old : 1), page_round(n ? n : 1),
                     MREMAP_MAYMOVE);

    if (q != MAP_FAILED && inject_failure()) {
        xunmap(q, n);
        q = MAP_FAILED;
    } else if (q == MAP_FAILED) {
        xunmap(p, old);
    }
    if (q == MAP_FAILED)
        out_of_memory();
    return q;
}

void xunmap(void *p, size_t n)
{
    if (p != NULL)
        munmap(p, page_round(n ? n : 1));
}

/* ---- padded blocks ---- */

enum { PAD = 128 };             /* two cache lines (adjacent-line prefetch) */

void *xcalloc_padded(size_t n, size_t size)
{
    char *p = xcalloc(1, n * size + 2 * PAD);

    return p + PAD;
}

void free_padded(void *p)
{
    if (p != NULL)
        free((char *)p - PAD);
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p, one[1];

    va_start(ap, fmt);
    n = vsnprintf(one, sizeof(one), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    p = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void grow(void *pp, size_t *cap, size_t need, size_t sz)
{
    void **p = pp;
    size_t c = *cap;

    if (need <= c)
        return;
    if (c < 8)
        c = 8;
    while (c < need)
        c += c / 2;
    *p = xrealloc(*p, c * sz);
    *cap = c;
}

/* ---- buffers ---- */

void buf_add(struct buf *b, const void *p, size_t n)
{
    grow(&b->data, &b->cap, b->len + n + 1, 1);
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_addc(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    char one[1];

    va_start(ap, fmt);
    n = vsnprintf(one, sizeof(one), fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    grow(&b->data, &b->cap, b->len + (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *buf_cstr(struct buf *b)
{
    return b->data != NULL ? b->data : "";
}

char *buf_detach(struct buf *b)
{
    char *p = b->data != NULL ? b->data : xstrdup("");

    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void buf_release(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- time, hex, numbers ---- */

void now_rfc3339(char *out, size_t n)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = time(NULL);
    struct tm tm;

    if (sde != NULL && *sde != '\0') {
        char *end;
        long long v;

        errno = 0;
        v = strtoll(sde, &end, 10);
        if (errno == 0 && *end == '\0' && v >= 0)
            t = (time_t)v;
    }
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void hex_encode(const unsigned char *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hex_decode(const char *s, unsigned char *out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int hi = hexval((unsigned char)s[2 * i]);
        int lo = hi < 0 ? -1 : hexval((unsigned char)s[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

void fmt_double(double v, char *out, size_t n)
{
    int prec;

    /* Shortest of %.15g..%.17g that reads back exactly: 0.1 prints as
     * 0.1, not 0.10000000000000001, and every value round-trips. */
    for (prec = 15; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}
