/* escape.c -- escaping for every output syntax the writers produce.
 * Part of reports/: XML, HTML, GitHub workflow commands, Markdown, a
 * terminal-safe display form and URI paths.  Each function walks the
 * input as UTF-8 (invalid bytes become U+FFFD) and appends to a buf;
 * the rules are stated in report_int.h and tested case by case in
 * tests/unit/test_reports.c. */
#include <string.h>
#include "report_int.h"

#define REPLACEMENT "\xEF\xBF\xBD"      /* U+FFFD */

/* Decode one UTF-8 character at p (n bytes left).  Returns its length;
 * *cp gets the code point, or 0xFFFD with length 1 for a bad byte. */
static size_t u8_next(const unsigned char *p, size_t n, unsigned *cp)
{
    unsigned c = p[0], v;
    size_t len, i;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
    } else {
        goto bad;
    }
    if (n < len)
        goto bad;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            goto bad;
        v = v << 6 | (p[i] & 0x3F);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
        goto bad;
    *cp = v;
    return len;
bad:
    *cp = 0xFFFD;
    return 1;
}

/* Bytes of s to use under the cap, ending on a character boundary;
 * *clipped is set when s is longer. */
static size_t clip(const char *s, size_t max, int *clipped)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, k;
    unsigned cp;

    *clipped = 0;
    if (n <= max)
        return n;
    while (i < n) {
        k = u8_next(p + i, n - i, &cp);
        if (i + k > max)
            break;
        i += k;
    }
    *clipped = 1;
    return i;
}

/* Append one character: the raw bytes when valid, else U+FFFD. */
static void put_raw(struct buf *b, unsigned cp, const unsigned char *p,
                    size_t k)
{
    if (cp == 0xFFFD && k == 1)
        buf_add(b, REPLACEMENT, 3);
    else
        buf_add(b, p, k);
}

/* Control characters as the display form writes them. */
static void put_control(struct buf *b, unsigned cp)
{
    switch (cp) {
    case '\n': buf_adds(b, "\\n"); break;
    case '\r': buf_adds(b, "\\r"); break;
    case '\t': buf_adds(b, "\\t"); break;
    default:
        if (cp < 0x100)
            buf_printf(b, "\\x%02x", cp);
        else
            buf_printf(b, "\\u%04x", cp);
        break;
    }
}

static int is_control(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* The loop every escaper shares: hand each character to one(), then
 * mark a cut with "...". */
static void esc_each(struct buf *b, const char *s, size_t max,
                     void (*one)(struct buf *b, unsigned cp,
                                 const unsigned char *p, size_t k, int flag),
                     int flag)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n, i, k;
    unsigned cp;
    int clipped;

    if (s == NULL)
        return;
    n = clip(s, max, &clipped);
    for (i = 0; i < n; i += k) {
        k = u8_next(p + i, n - i, &cp);
        one(b, cp, p + i, k, flag);
    }
    if (clipped)
        buf_adds(b, "...");
}

/* ---- XML 1.0 ---- */

static void xml_one(struct buf *b, unsigned cp, const unsigned char *p,
                    size_t k, int attr)
{
    switch (cp) {
    case '&': buf_adds(b, "&amp;"); return;
    case '<': buf_adds(b, "&lt;"); return;
    case '>': buf_adds(b, "&gt;"); return;
    case '\r': buf_adds(b, "&#13;"); return;
    case '"':
    case '\'':
    case '\t':
    case '\n':
        if (attr)
            buf_printf(b, "&#%u;", cp);
        else
            buf_addc(b, (char)cp);
        return;
    default:
        break;
    }
    /* Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | ... */
    if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF)
        buf_add(b, REPLACEMENT, 3);
    else
        put_raw(b, cp, p, k);
}

void esc_xml(struct buf *b, const char *s, size_t max, int attr)
{
    esc_each(b, s, max, xml_one, attr);
}

/* ---- HTML ---- */

static void html_one(struct buf *b, unsigned cp, const unsigned char *p,
                     size_t k, int flag)
{
    (void)flag;
    switch (cp) {
    case '&': buf_adds(b, "&amp;"); return;
    case '<': buf_adds(b, "&lt;"); return;
    case '>': buf_adds(b, "&gt;"); return;
    case '"': buf_adds(b, "&quot;"); return;
    case '\'': buf_adds(b, "&#39;"); return;
    case '\t':
    case '\n':
        buf_addc(b, (char)cp);
        return;
    default:
        break;
    }
    /* HTML parse errors: controls, noncharacters. */
    if (is_control(cp) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
        (cp & 0xFFFE) == 0xFFFE)
        buf_add(b, REPLACEMENT, 3);
    else
        put_raw(b, cp, p, k);
}

void esc_html(struct buf *b, const char *s, size_t max)
{
    esc_each(b, s, max, html_one, 0);
}

/* ---- GitHub workflow commands (actions/toolkit command.ts) ---- */

static void gh_one(struct buf *b, unsigned cp, const unsigned char *p,
                   size_t k, int prop)
{
    switch (cp) {
    case '%': buf_adds(b, "%25"); return;
    case '\r': buf_adds(b, "%0D"); return;
    case '\n': buf_adds(b, "%0A"); return;
    case ':':
        buf_adds(b, prop ? "%3A" : ":");
        return;
    case ',':
        buf_adds(b, prop ? "%2C" : ",");
        return;
    default:
        put_raw(b, cp, p, k);
        return;
    }
}

void esc_gh_data(struct buf *b, const char *s, size_t max)
{
    esc_each(b, s, max, gh_one, 0);
}

void esc_gh_prop(struct buf *b, const char *s, size_t max)
{
    esc_each(b, s, max, gh_one, 1);
}

/* ---- Markdown (CommonMark + GFM tables) ----
 * Escaped: what can open an inline construct or end a table cell
 * anywhere in a line (code, emphasis, links, images, raw HTML, entities,
 * strikethrough, cells) and GitHub's math ($), mentions (@) and issue
 * references (#).  Characters that matter only at the start of a line
 * (+ - = . digits) are left alone: values are never written there.
 * Noncharacters (U+FFFE ...) become U+FFFD. */
#define MD_SPECIAL "\\`*_[]#!|<>&~$@"

static void md_one(struct buf *b, unsigned cp, const unsigned char *p,
                   size_t k, int flag)
{
    struct buf tmp = BUF_INIT;
    size_t i;

    (void)flag;
    if (cp == '\\') {
        /* Display form doubles it; Markdown escapes each. */
        buf_adds(b, "\\\\\\\\");
        return;
    }
    if (is_control(cp)) {
        /* "\n" in display form, its backslash escaped for Markdown. */
        put_control(&tmp, cp);
        for (i = 0; i < tmp.len; i++) {
            if (tmp.data[i] == '\\')
                buf_addc(b, '\\');
            buf_addc(b, tmp.data[i]);
        }
        buf_release(&tmp);
        return;
    }
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
        buf_add(b, REPLACEMENT, 3);     /* noncharacters */
        return;
    }
    if (cp < 0x80 && strchr(MD_SPECIAL, (int)cp) != NULL) {
        buf_addc(b, '\\');
        buf_addc(b, (char)cp);
        return;
    }
    put_raw(b, cp, p, k);
}

void esc_md(struct buf *b, const char *s, size_t max)
{
    esc_each(b, s, max, md_one, 0);
}

/* ---- display form (terminals, plain text) ---- */

static void display_one(struct buf *b, unsigned cp, const unsigned char *p,
                        size_t k, int flag)
{
    (void)flag;
    if (cp == '\\')
        buf_adds(b, "\\\\");
    else if (is_control(cp))
        put_control(b, cp);
    else
        put_raw(b, cp, p, k);
}

void esc_display(struct buf *b, const char *s, size_t max)
{
    esc_each(b, s, max, display_one, 0);
}

/* ---- URI path (RFC 3986 unreserved + '/') ---- */

void esc_uri_path(struct buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    for (; *p != '\0'; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "%%%02X", *p);
    }
}
