/* regex.c -- the only file that includes PCRE2 (pcre2-8, 10.42).
 *
 * Compiles `pattern` checks with PCRE2_UTF | PCRE2_MATCH_INVALID_UTF (so
 * bad bytes in data never make matching fail) and JIT when the platform
 * has it; the interpreter runs otherwise.  Every match has a match limit
 * and depth/heap limits, and JIT a bounded stack: a pathological pattern
 * gives an error result for the value, never a hang or a crash.  Simple
 * anchored patterns take a byte-loop fast path (below). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>
#include "regex.h"
#include "util.h"

/* Backtracking steps per value: ample for sane patterns (a few hundred),
 * and a ~10 ms cap on a catastrophic one. */
enum {
    RX_MATCH_LIMIT = 200000,
    RX_DEPTH_LIMIT = 10000,
    RX_HEAP_LIMIT_KIB = 8192,
    RX_JIT_STACK_MIN = 32 * 1024,
    RX_JIT_STACK_MAX = 1024 * 1024
};

/* ---- fast path: anchored sequences of character-class repeats ----
 *
 * Most data-validation patterns are like ^[0-9]{5}$, ^[A-Z]{2}\d{4}$ or
 * ^[a-z_]+$: a sequence of ASCII classes with counts, anchored at both
 * ends.  Those are matched here by a byte loop (a few ns), not by PCRE2
 * (its call alone costs more).  A pattern qualifies only when the loop
 * gives exactly PCRE2's answer: ASCII literals and classes (no negation,
 * no '.', no case folding), greedy counts, and every variable count
 * followed by a required atom whose class is disjoint from it, so greedy
 * matching never needs to backtrack.  Bytes >= 0x80 (UTF-8 or invalid)
 * are in no class, as in PCRE2 where such a character never matches an
 * ASCII-only class.  Everything else goes to PCRE2. */

enum { RXF_MAX_ATOMS = 32, RXF_MAX_COUNT = 65535 };

struct rxf_atom {
    unsigned char set[32];      /* bitmap of the bytes it accepts */
    uint32_t min, max;          /* max UINT32_MAX: unbounded */
};

struct rxf {
    struct rxf_atom a[RXF_MAX_ATOMS];
    size_t n;
};

struct rx {
    pcre2_code *code;
    int jit;
    struct rxf *fast;           /* NULL: PCRE2 only */
};

static void set_add(unsigned char *set, unsigned lo, unsigned hi)
{
    unsigned c;

    for (c = lo; c <= hi; c++)
        set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static int in_set(const unsigned char *set, unsigned char c)
{
    return set[c >> 3] >> (c & 7) & 1;
}

/* \d \w \s (ASCII, as PCRE2 without UCP) or an escaped punctuation
 * character; 0 when not supported. */
static int add_escape(unsigned char *set, char e)
{
    unsigned char c = (unsigned char)e;

    switch (e) {
    case 'd':
        set_add(set, '0', '9');
        return 1;
    case 'w':
        set_add(set, '0', '9');
        set_add(set, 'A', 'Z');
        set_add(set, 'a', 'z');
        set_add(set, '_', '_');
        return 1;
    case 's':
        set_add(set, '\t', '\r');     /* \t \n \v \f \r */
        set_add(set, ' ', ' ');
        return 1;
    default:
        break;
    }
    if (c > 0x20 && c < 0x7f && !((c >= '0' && c <= '9') ||
                                  (c >= 'A' && c <= 'Z') ||
                                  (c >= 'a' && c <= 'z'))) {
        set_add(set, c, c);
        return 1;
    }
    return 0;
}

/* A class [...] from p[*i] (just after '['); 0 when not supported. */
static int parse_class(const char *p, size_t n, size_t *i, unsigned char *set)
{
    size_t k = *i;
    int first = 1;

    if (k < n && p[k] == '^')
        return 0;                       /* negation: multibyte counts */
    while (k < n) {
        unsigned char c = (unsigned char)p[k];

        if (c == ']' && !first)
            break;
        first = 0;
        if (c >= 0x80 || c < 0x20 || c == 0x7f)
            return 0;
        if (c == '[' && k + 1 < n && strchr(":.=", p[k + 1]) != NULL)
            return 0;                   /* POSIX classes */
        if (c == '\\') {
            if (k + 1 >= n || !add_escape(set, p[k + 1]))
                return 0;
            k += 2;
            /* [\\-z] [\.-z]: a range from an escaped character */
            if (k + 1 < n && p[k] == '-' && p[k + 1] != ']')
                return 0;
            continue;
        }
        if (k + 2 < n && p[k + 1] == '-' && p[k + 2] != ']') {
            unsigned char h = (unsigned char)p[k + 2];

            if (h == '\\' || h < c || h >= 0x7f)
                return 0;
            set_add(set, c, h);
            k += 3;
            continue;
        }
        set_add(set, c, c);
        k++;
    }
    if (k >= n)
        return 0;
    *i = k + 1;
    return 1;
}

static int parse_count(const char *p, size_t n, size_t *i, uint32_t *out)
{
    size_t k = *i;
    uint32_t v = 0;

    if (k >= n || p[k] < '0' || p[k] > '9')
        return 0;
    for (; k < n && p[k] >= '0' && p[k] <= '9'; k++) {
        v = v * 10 + (uint32_t)(p[k] - '0');
        if (v > RXF_MAX_COUNT)
            return 0;
    }
    *i = k;
    *out = v;
    return 1;
}

/* {n} {m,} {m,n} * + ? or nothing; 0 when not supported. */
static int parse_quant(const char *p, size_t n, size_t *i,
                       struct rxf_atom *a)
{
    size_t k = *i;

    a->min = a->max = 1;
    if (k >= n)
        return 1;
    switch (p[k]) {
    case '*':
        a->min = 0;
        a->max = UINT32_MAX;
        k++;
        break;
    case '+':
        a->max = UINT32_MAX;
        k++;
        break;
    case '?':
        a->min = 0;
        k++;
        break;
    case '{':
        k++;
        if (!parse_count(p, n, &k, &a->min))
            return 0;
        a->max = a->min;
        if (k < n && p[k] == ',') {
            k++;
            a->max = UINT32_MAX;
            if (k < n && p[k] != '}' && !parse_count(p, n, &k, &a->max))
                return 0;
        }
        if (k >= n || p[k] != '}' || a->max < a->min)
            return 0;
        k++;
        break;
    default:
        *i = k;
        return 1;
    }
    if (k < n && (p[k] == '?' || p[k] == '+'))
        return 0;                       /* lazy or possessive */
    *i = k;
    return 1;
}

static int disjoint(const struct rxf_atom *a, const struct rxf_atom *b)
{
    size_t i;

    for (i = 0; i < sizeof(a->set); i++)
        if (a->set[i] & b->set[i])
            return 0;
    return 1;
}

/* The fast program for pat, or NULL when PCRE2 must run. */
static struct rxf *fast_compile(const char *p, size_t n)
{
    struct rxf *f;
    size_t i = 1, k;

    if (n < 2 || p[0] != '^' || p[n - 1] != '$' ||
        (n >= 3 && p[n - 2] == '\\'))
        return NULL;
    n--;                                /* the final '$' */
    f = xcalloc(1, sizeof(*f));
    while (i < n) {
        struct rxf_atom *a;
        unsigned char c = (unsigned char)p[i];

        if (f->n == RXF_MAX_ATOMS)
            goto no;
        a = &f->a[f->n++];
        if (c == '[') {
            i++;
            if (!parse_class(p, n, &i, a->set))
                goto no;
        } else if (c == '\\') {
            if (i + 1 >= n || !add_escape(a->set, p[i + 1]))
                goto no;
            i += 2;
        } else if (c >= 0x20 && c < 0x7f &&
                   strchr(".*+?()[]{}|^$\\", c) == NULL) {
            set_add(a->set, c, c);
            i++;
        } else {
            goto no;
        }
        if (!parse_quant(p, n, &i, a))
            goto no;
    }
    for (k = 0; k + 1 < f->n; k++)
        if (f->a[k].min != f->a[k].max &&
            (f->a[k + 1].min == 0 || !disjoint(&f->a[k], &f->a[k + 1])))
            goto no;
    return f;
no:
    free(f);
    return NULL;
}

static int fast_match(const struct rxf *f, const unsigned char *s, size_t n)
{
    size_t pos = 0, i;

    for (i = 0; i < f->n; i++) {
        const struct rxf_atom *a = &f->a[i];
        size_t start = pos, lim = n;

        if (a->min == a->max) {
            if (n - pos < a->min)
                return 0;
            for (lim = pos + a->min; pos < lim; pos++)
                if (!in_set(a->set, s[pos]))
                    return 0;
            continue;
        }
        if (a->max != UINT32_MAX && n - pos > a->max)
            lim = pos + a->max;
        while (pos < lim && in_set(a->set, s[pos]))
            pos++;
        if (pos - start < a->min)
            return 0;
    }
    return pos == n;
}

struct rx_scratch {
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
};

struct rx *rx_compile(const char *pat, size_t n, int flags, char *msg,
                      size_t msglen, size_t *erroff)
{
    struct rx *rx;
    pcre2_code *code;
    int ec;
    PCRE2_SIZE off = 0;
    size_t jitsize = 0;
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
                    PCRE2_DOLLAR_ENDONLY;

    code = pcre2_compile((PCRE2_SPTR)pat, n, opts, &ec, &off, NULL);
    if (code == NULL) {
        PCRE2_UCHAR buf[256];

        if (pcre2_get_error_message(ec, buf, sizeof(buf)) < 0)
            snprintf((char *)buf, sizeof(buf), "error %d", ec);
        snprintf(msg, msglen, "%s", (const char *)buf);
        *erroff = off;
        return NULL;
    }
    rx = xcalloc(1, sizeof(*rx));
    rx->code = code;
    /* (*NO_JIT) in the pattern: pcre2_jit_compile() succeeds without
     * compiling, and pcre2_jit_match() would then fail on every value.
     * Only a pattern with JIT code takes the JIT path. */
    rx->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0 &&
              pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jitsize) == 0 &&
              jitsize > 0;
    if (!(flags & RX_NO_FAST))
        rx->fast = fast_compile(pat, n);
    return rx;
}

void rx_free(struct rx *rx)
{
    if (rx == NULL)
        return;
    pcre2_code_free(rx->code);
    free(rx->fast);
    free(rx);
}

int rx_jit(const struct rx *rx)
{
    return rx->jit;
}

int rx_fast(const struct rx *rx)
{
    return rx->fast != NULL;
}

struct rx_scratch *rx_scratch_new(const struct rx *rx)
{
    struct rx_scratch *s = xcalloc(1, sizeof(*s));

    s->md = pcre2_match_data_create_from_pattern(rx->code, NULL);
    s->mc = pcre2_match_context_create(NULL);
    if (s->md == NULL || s->mc == NULL) {
        rx_scratch_free(s);
        return NULL;

    }
    pcre2_set_match_limit(s->mc, RX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mc, RX_DEPTH_LIMIT);
    pcre2_set_heap_limit(s->mc, RX_HEAP_LIMIT_KIB);
    if (rx->jit) {
        s->js = pcre2_jit_stack_create(RX_JIT_STACK_MIN, RX_JIT_STACK_MAX,
                                       NULL);
        if (s->js != NULL)
            pcre2_jit_stack_assign(s->mc, NULL, s->js);
    }
    return s;
}

void rx_scratch_free(struct rx_scratch *s)
{
    if (s == NULL)
        return;
    if (s->md != NULL)
        pcre2_match_data_free(s->md);
    if (s->mc != NULL)
        pcre2_match_context_free(s->mc);
    if (s->js != NULL)
        pcre2_jit_stack_free(s->js);
    free(s);
}

int rx_match(const struct rx *rx, struct rx_scratch *s, const char *p,
             size_t n)
{
    int rc;

    /* pcre2 wants a non-NULL subject even when empty. */
    if (p == NULL)
        p = "";
    if (rx->fast != NULL)
        return fast_match(rx->fast, (const unsigned char *)p, n);
    if (rx->jit)
        rc = pcre2_jit_match(rx->code, (PCRE2_SPTR)p, n, 0, 0, s->md, s->mc);
    else
        rc = pcre2_match(rx->code, (PCRE2_SPTR)p, n, 0, 0, s->md, s->mc);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return -1;
}
