/* fuzz_regex.c -- libFuzzer target: `pattern` checks (rules/regex.c).
 *
 * The input's first line is a pattern, each further line a subject.  The
 * pattern is compiled twice, with and without the byte-loop fast path;
 * every subject (and a few fixed ones: empty, long runs, invalid UTF-8)
 * must get the same answer from both, and no match may hang (PCRE2's
 * match limits turn a pathological one into -1).  A pattern that does
 * not compile must leave a message and an offset within the pattern.
 * Built and run by tests/fuzz/run-all.sh; with -DFUZZ_MAIN it replays
 * files. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/regex.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const char *pat, size_t np,
                 const char *subj, size_t ns, int a, int b)
{
    fprintf(stderr, "fuzz_regex: %s (pcre2 %d, fast %d)\npattern: '%.*s'\n"
            "subject: '%.*s'\n", why, a, b, (int)np, pat, (int)ns, subj);
    abort();
}

static void one(const struct rx *slow, struct rx_scratch *ss,
                const struct rx *fast, struct rx_scratch *fs,
                const char *pat, size_t np, const char *p, size_t n)
{
    int a = rx_match(slow, ss, p, n), b;

    if (a < -1 || a > 1)
        fail("bad answer", pat, np, p, n, a, a);
    if (fast == NULL || !rx_fast(fast))
        return;
    b = rx_match(fast, fs, p, n);
    if (a >= 0 && a != b)
        fail("fast path differs", pat, np, p, n, a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char longa[4097], longb[4097];
    const char *s = (const char *)data, *nl, *p;
    struct rx *slow, *fast;
    struct rx_scratch *ss = NULL, *fs = NULL;
    char msg[256];
    size_t np, off = (size_t)-1;

    if (longa[0] == '\0') {
        memset(longa, 'a', 4096);
        memset(longb, 'a', 4096);
        longb[4095] = 'b';
    }
    nl = memchr(s, '\n', size);
    np = nl != NULL ? (size_t)(nl - s) : size;
    msg[0] = '\0';
    slow = rx_compile(s, np, RX_NO_FAST, msg, sizeof(msg), &off);
    if (slow == NULL) {
        if (msg[0] == '\0' || off > np)
            fail("compile error without message or with a bad offset", s,
                 np, "", 0, (int)off, 0);
        return 0;
    }
    fast = rx_compile(s, np, 0, msg, sizeof(msg), &off);
    if (fast == NULL)
        fail("compiles only without the fast path", s, np, "", 0, 0, 0);
    ss = rx_scratch_new(slow);
    fs = rx_scratch_new(fast);
    if (ss == NULL || fs == NULL)
        abort();
    one(slow, ss, fast, fs, s, np, "", 0);
    one(slow, ss, fast, fs, s, np, NULL, 0);
    one(slow, ss, fast, fs, s, np, longa, 4096);
    one(slow, ss, fast, fs, s, np, longb, 4096);
    one(slow, ss, fast, fs, s, np, "\xff\xc3(\xe2\x82", 5);
    one(slow, ss, fast, fs, s, np, "12345\n", 6);
    p = nl != NULL ? nl + 1 : s + size;
    while (p < s + size) {
        const char *e = memchr(p, '\n', (size_t)(s + size - p));
        size_t n = e != NULL ? (size_t)(e - p) : (size_t)(s + size - p);

        one(slow, ss, fast, fs, s, np, p, n);
        p += n + 1;
    }
    rx_scratch_free(ss);
    rx_scratch_free(fs);
    rx_free(slow);
    rx_free(fast);
    return 0;
}

#include "fuzz_main.h"
