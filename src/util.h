/* util.h -- allocation that cannot fail silently, small helpers, buffers.
 *
 * xmalloc() and friends abort with a message on out-of-memory: assay's
 * memory is bounded by columns and sketch sizes, so running out is a
 * bug or an impossible machine, not an input error.  ASSAY_FAIL_ALLOC=N
 * (environment) makes the N-th allocation fail, for tests. */
#ifndef ASSAY_UTIL_H
#define ASSAY_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* memcpy(), out of line: libc's, never "rep movs" inlined. */
void copy_long(void *dst, const void *src, size_t n);

/* memcpy for short byte strings, inline: overlapping fixed-size moves
 * that never touch a byte outside [src, src + n) (a compiler may turn a
 * variable-size memcpy into "rep movs", whose start-up costs more than
 * copying a short field); longer ones go to copy_long(). */
static inline void copy_short(void *dst, const void *src, size_t n)
{
    unsigned char *o = dst;
    const unsigned char *p = src;
    uint64_t a, b, c, d;
    uint32_t x, y;

    if (n >= 8 && n <= 16) {
        memcpy(&a, p, 8);
        memcpy(&b, p + n - 8, 8);
        memcpy(o, &a, 8);
        memcpy(o + n - 8, &b, 8);
    } else if (n > 16 && n <= 32) {
        memcpy(&a, p, 8);
        memcpy(&b, p + 8, 8);
        memcpy(&c, p + n - 16, 8);
        memcpy(&d, p + n - 8, 8);
        memcpy(o, &a, 8);
        memcpy(o + 8, &b, 8);
        memcpy(o + n - 16, &c, 8);
        memcpy(o + n - 8, &d, 8);
    } else if (n >= 4 && n < 8) {
        memcpy(&x, p, 4);
        memcpy(&y, p + n - 4, 4);
        memcpy(o, &x, 4);
        memcpy(o + n - 4, &y, 4);
    } else if (n < 4) {
        while (n-- > 0)
            *o++ = *p++;
    } else {
        copy_long(o, p, n);
    }
}

/* Print "assay: error: MSG" and end the process with exit code 4 at
 * once (_exit: no atexit handlers, which could pull libraries from
 * under threads still running).  For what cannot be handled: out of
 * memory, a failing libcrypto. */
_Noreturn void die(const char *msg);

/* Caller frees.  Never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Zeroed memory no other allocation shares a cache line with: for what
 * one worker thread writes per record (two workers writing to one line
 * slow each other down, "false sharing").  Freed with free_padded(). */
void *xcalloc_padded(size_t n, size_t size);
void free_padded(void *p);
/* Anonymous page mappings of n bytes, for large buffers that grow and
 * are freed (glibc's malloc may keep their holes): xremap() may move
 * the mapping; xunmap() takes the size it was mapped or remapped with.
 * Out of memory aborts as xmalloc() does. */
void *xmap(size_t n);
void *xremap(void *p, size_t old, size_t n);
void xunmap(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new string built with printf; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *p (of *cap elements of size sz) to hold at least need elements. */
void grow(void *pp, size_t *cap, size_t need, size_t sz);

/* ---- byte buffer with a size cap ----
 * struct buf b = BUF_INIT;  buf_add(&b, p, n);  ...  buf_release(&b);
 * data is always NUL-terminated (when len > 0 or after buf_cstr()). */
struct buf {
    char *data;
    size_t len;
    size_t cap;
};
#define BUF_INIT { NULL, 0, 0 }
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *buf_cstr(struct buf *b);     /* borrowed; "" when empty */
char *buf_detach(struct buf *b);         /* caller frees; b is reset */
void buf_reset(struct buf *b);           /* len = 0, keeps memory */
void buf_release(struct buf *b);         /* frees contents */

/* Current time as RFC 3339 UTC ("2026-11-22T07:15:35Z"), honouring
 * SOURCE_DATE_EPOCH.  Writes into out (at least 32 bytes). */
void now_rfc3339(char *out, size_t n);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void hex_encode(const unsigned char *p, size_t n, char *out);
/* Returns 0 on success, -1 on bad hex; out holds n bytes from 2n chars. */
int hex_decode(const char *s, unsigned char *out, size_t n);

/* Format a double so that it reads back to the same value (%.17g, with
 * the shortest representation tried first).  out >= 32 bytes. */
void fmt_double(double v, char *out, size_t n);

#endif
