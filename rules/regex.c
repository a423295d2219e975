/* regex.c -- the only file that includes PCRE2 (pcre2-8, 10.42).
 *
 * Compiles `pattern` checks with PCRE2_UTF | PCRE2_MATCH_INVALID_UTF (so
 * bad bytes in data never make matching fail) and JIT when the platform
 * has it; the interpreter runs otherwise.  Every match has a match limit
 * and depth/heap limits, and JIT a bounded stack: a pathological pattern
 * gives an error result for the value, never a hang or a crash. */
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

struct rx {
    pcre2_code *code;
    int jit;
};

struct rx_scratch {
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
};

struct rx *rx_compile(const char *pat, size_t n, char *msg, size_t msglen,
                      size_t *erroff)
{
    struct rx *rx;
    pcre2_code *code;
    int ec;
    PCRE2_SIZE off = 0;
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
    rx->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    return rx;
}

void rx_free(struct rx *rx)
{
    if (rx == NULL)
        return;
    pcre2_code_free(rx->code);
    free(rx);
}

int rx_jit(const struct rx *rx)
{
    return rx->jit;
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
