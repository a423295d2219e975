/* regex.h -- private to rules/: regular expressions for `pattern` checks
 * (rules/regex.c, the only file that includes PCRE2).
 *
 * Patterns are PCRE2 with UTF-8; a subject that is not valid UTF-8 is
 * still matched (never an error).  Matching searches anywhere in the
 * value (anchor with ^ and $; $ matches only at the very end).  Each
 * match is bounded by a match limit, so a pathological pattern costs a
 * bounded time per value and reports an error instead of hanging.
 * A compiled pattern is shared by the scan's workers; each worker has its
 * own scratch (match data, JIT stack). */
#ifndef ASSAY_RULES_REGEX_H
#define ASSAY_RULES_REGEX_H

#include <stddef.h>

struct rx;
struct rx_scratch;

enum { RX_NO_FAST = 1 };        /* flags: always use PCRE2 (tests) */

/* Returns a compiled pattern (caller frees), or NULL with msg filled and
 * *erroff set to the byte offset of the problem in the pattern. */
struct rx *rx_compile(const char *pat, size_t n, int flags, char *msg,
                      size_t msglen, size_t *erroff);
void rx_free(struct rx *rx);
/* 1 when JIT compiled (else the interpreter runs). */
int rx_jit(const struct rx *rx);
/* 1 when the byte-loop fast path matches instead of PCRE2. */
int rx_fast(const struct rx *rx);

/* Per-worker scratch for rx; caller frees.  NULL when out of memory
 * (the caller counts its values as errors). */
struct rx_scratch *rx_scratch_new(const struct rx *rx);
void rx_scratch_free(struct rx_scratch *s);

/* 1 match, 0 no match, -1 the match limit (or another matching error)
 * was hit. */
int rx_match(const struct rx *rx, struct rx_scratch *s, const char *p,
             size_t n);

#endif
