/* types.c -- what "parses as integer/number/boolean/date/timestamp"
 * means, once, for rules, profile and expressions (types.h).
 *
 * Hot path: called for every typed field of every record, so the common
 * forms are parsed by hand (no strtod/strtoll, no locale, no copies);
 * strtod is used only for numbers the fast path cannot round exactly. */
#include <stdlib.h>
#include <string.h>
#include "types.h"
#include "util.h"

/* How to add a type: add it to enum vtype (types.h), a row here and a
 * case in parse_as(). */
static const char *const type_names[VT_COUNT] = {
    [VT_STRING] = "string", [VT_INTEGER] = "integer",
    [VT_NUMBER] = "number", [VT_BOOLEAN] = "boolean",
    [VT_DATE] = "date", [VT_TIMESTAMP] = "timestamp",
};

int vtype_from_name(const char *name)
{
    int i;

    for (i = 0; i < VT_COUNT; i++)
        if (strcmp(type_names[i], name) == 0)
            return i;
    return -1;
}

const char *vtype_name(enum vtype t)
{
    return (unsigned)t < VT_COUNT ? type_names[t] : "unknown";
}

/* ---- integers ---- */

int parse_int64(const char *p, size_t n, int64_t *out)
{
    size_t i = 0;
    uint64_t v = 0, lim;
    int neg = 0;

    if (n == 0)
        return 0;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i = 1;
        if (n == 1)
            return 0;
    }
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned d = (unsigned char)p[i] - '0';

        if (d > 9)
            return 0;
        if (v > (lim - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 1;
}

/* ---- numbers ---- */

static const double pow10_exact[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Syntax: [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits].
 * Fast path (Clinger): a mantissa of at most 15 significant digits times
 * 10^k with |k| <= 22 is exactly one IEEE operation away, so it rounds
 * correctly; everything else goes to strtod after the syntax check. */
int parse_number(const char *p, size_t n, double *out)
{
    size_t i = 0, ndig = 0, sig = 0;
    uint64_t m = 0;
    int neg = 0, scale = 0, exp = 0, eneg = 0, edig = 0;
    char stackbuf[128], *tmp;
    double v;

    if (n == 0)
        return 0;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i = 1;
    }
    for (; i < n && (unsigned)(p[i] - '0') <= 9; i++, ndig++) {
        if (sig > 0 || p[i] != '0') {
            if (sig < 19)
                m = m * 10 + (unsigned)(p[i] - '0');
            else
                scale++;
            sig++;
        }
    }
    if (i < n && p[i] == '.') {
        for (i++; i < n && (unsigned)(p[i] - '0') <= 9; i++, ndig++) {
            if (sig > 0 || p[i] != '0') {
                if (sig < 19) {
                    m = m * 10 + (unsigned)(p[i] - '0');
                    scale--;
                }
                sig++;
            } else {
                scale--;
            }
        }
    }
    if (ndig == 0)
        return 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '-' || p[i] == '+'))
            eneg = p[i++] == '-';
        for (; i < n && (unsigned)(p[i] - '0') <= 9; i++, edig++)
            if (exp < 100000)
                exp = exp * 10 + (p[i] - '0');
        if (edig == 0)
            return 0;
    }
    if (i != n)
        return 0;
    if (eneg)
        exp = -exp;
    if (sig <= 15 && scale + exp >= -22 && scale + exp <= 22) {
        int k = scale + exp;

        v = (double)m;
        v = k >= 0 ? v * pow10_exact[k] : v / pow10_exact[-k];
        *out = neg ? -v : v;
        return 1;
    }
    if (m == 0 && sig == 0) {
        *out = neg ? -0.0 : 0.0;
        return 1;
    }
    tmp = n < sizeof(stackbuf) ? stackbuf : xmalloc(n + 1);
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    v = strtod(tmp, NULL);
    if (tmp != stackbuf)
        free(tmp);
    if (v - v != 0)             /* overflow to infinity: not finite */
        return 0;
    *out = v;
    return 1;
}

/* ---- booleans ---- */

int parse_bool(const char *p, size_t n, int *out)
{
    if (n == 1 && (p[0] == '1' || p[0] == '0')) {
        *out = p[0] == '1';
        return 1;
    }
    if (n == 4 && strncasecmp(p, "true", 4) == 0) {
        *out = 1;
        return 1;
    }
    if (n == 5 && strncasecmp(p, "false", 5) == 0) {
        *out = 0;
        return 1;
    }
    return 0;
}

/* ---- dates and timestamps ---- */

static int digits(const char *p, int k, int *out)
{
    int v = 0, i;

    for (i = 0; i < k; i++) {
        unsigned d = (unsigned char)p[i] - '0';

        if (d > 9)
            return 0;
        v = v * 10 + (int)d;
    }
    *out = v;
    return 1;
}

static int days_in_month(int y, int m)
{
    static const unsigned char dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
                                         31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 ? 28 + leap : dim[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int parse_ymd(const char *p, int64_t *days)
{
    int y, m, d;

    if (p[4] != '-' || p[7] != '-' || !digits(p, 4, &y) ||
        !digits(p + 5, 2, &m) || !digits(p + 8, 2, &d))
        return 0;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    *days = days_from_civil(y, m, d);
    return 1;
}

#define USEC_PER_DAY 86400000000LL

int parse_date(const char *p, size_t n, int64_t *usec)
{
    int64_t days;

    if (n != 10 || !parse_ymd(p, &days))
        return 0;
    *usec = days * USEC_PER_DAY;
    return 1;
}

int parse_timestamp(const char *p, size_t n, int64_t *usec)
{
    int64_t days, us = 0;
    int hh, mm, ss, oh = 0, om = 0, sign = 0;
    size_t i;

    if (n < 19 || !parse_ymd(p, &days) || (p[10] != 'T' && p[10] != ' ') ||
        p[13] != ':' || p[16] != ':' || !digits(p + 11, 2, &hh) ||
        !digits(p + 14, 2, &mm) || !digits(p + 17, 2, &ss) ||
        hh > 23 || mm > 59 || ss > 59)
        return 0;
    i = 19;
    if (i < n && p[i] == '.') {
        int64_t scale = 100000;
        size_t start = ++i;

        for (; i < n && (unsigned)(p[i] - '0') <= 9; i++) {
            us += (p[i] - '0') * scale;
            scale /= 10;
        }
        if (i == start)
            return 0;
    }
    if (i < n && p[i] == 'Z') {
        i++;
    } else if (i < n && (p[i] == '+' || p[i] == '-')) {
        sign = p[i] == '-' ? -1 : 1;
        if (n - i != 6 || p[i + 3] != ':' || !digits(p + i + 1, 2, &oh) ||
            !digits(p + i + 4, 2, &om) || oh > 23 || om > 59)
            return 0;
        i += 6;
    }
    if (i != n)
        return 0;
    *usec = days * USEC_PER_DAY +
            ((int64_t)hh * 3600 + mm * 60 + ss) * 1000000LL + us -
            (int64_t)sign * ((int64_t)oh * 3600 + om * 60) * 1000000LL;
    return 1;
}

int parse_as(enum vtype t, const char *p, size_t n, struct value *out)
{
    int b;

    out->type = t;
    switch (t) {
    case VT_STRING:
        return 1;
    case VT_INTEGER:
        if (!parse_int64(p, n, &out->i))
            return 0;
        out->d = (double)out->i;
        return 1;
    case VT_NUMBER:
        return parse_number(p, n, &out->d);
    case VT_BOOLEAN:
        if (!parse_bool(p, n, &b))
            return 0;
        out->i = b;
        out->d = b;
        return 1;
    case VT_DATE:
        if (!parse_date(p, n, &out->i))
            return 0;
        out->d = (double)out->i;
        return 1;
    case VT_TIMESTAMP:
        if (!parse_timestamp(p, n, &out->i))
            return 0;
        out->d = (double)out->i;
        return 1;
    default:
        return 0;
    }
}

size_t utf8_chars(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, count = 0;

    while (i < n) {
        unsigned c = p[i];
        size_t len, k;

        if (c < 0x80) {
            i++;
            count++;
            continue;
        }
        len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 0)
            : c >= 0xC2 ? 2 : 0;
        if (len == 0 || i + len > n) {
            i++;
            count++;
            continue;
        }
        for (k = 1; k < len && (p[i + k] & 0xC0) == 0x80; k++)
            ;
        i += k == len ? len : 1;
        count++;
    }
    return count;
}
