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
    if (n - i <= 18) {
        /* at most 18 digits: cannot overflow, no per-digit check */
        for (; i < n; i++) {
            unsigned d = (unsigned)(unsigned char)p[i] - '0';

            if (d > 9)
                return 0;
            v = v * 10 + d;
        }
        *out = neg ? -(int64_t)v : (int64_t)v;
        return 1;
    }
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)p[i] - '0';

        if (d > 9)
            return 0;
        if (v > lim / 10 || (v == lim / 10 && d > lim % 10))
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
 * Fast path (Clinger): a mantissa of at most 19 significant digits that
 * is at most 2^53 (so exact as a double) times 10^k with |k| <= 22 (exact
 * powers) is one correctly rounded IEEE operation away: the same double
 * strtod gives.  Everything else goes to strtod after the syntax check. */
static int parse_number_slow(const char *p, size_t n, double *out);

/* The common form first: [+-]digits[.digits], at most 19 digits in all,
 * no exponent.  The mantissa (leading zeros included) is exact below
 * 10^19; if it is at most 2^53 and there are at most 22 fraction digits,
 * one division by an exact power of ten rounds correctly (Clinger).
 * Anything else: the general parser below. */
int parse_number(const char *p, size_t n, double *out)
{
    size_t i = 0, intd, fracd = 0;
    uint64_t m = 0;
    unsigned d;
    int neg = 0;
    double v;

    if (n == 0 || n > 20)
        return parse_number_slow(p, n, out);
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i = 1;
    }
    intd = i;
    while (i < n && (d = (unsigned)(unsigned char)p[i] - '0') <= 9) {
        m = m * 10 + d;
        i++;
    }
    intd = i - intd;
    if (i < n && p[i] == '.') {
        size_t f0 = ++i;

        while (i < n && (d = (unsigned)(unsigned char)p[i] - '0') <= 9) {
            m = m * 10 + d;
            i++;
        }
        fracd = i - f0;
    }
    if (i != n || intd + fracd == 0 || intd + fracd > 19 ||
        m > ((uint64_t)1 << 53))
        return parse_number_slow(p, n, out);
    v = (double)m / pow10_exact[fracd];
    *out = neg ? -v : v;
    return 1;
}

static int parse_number_slow(const char *p, size_t n, double *out)
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
    if (sig <= 19 && m <= ((uint64_t)1 << 53) && scale + exp >= -22 &&
        scale + exp <= 22) {
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

/* ASCII case-insensitive p[0..n) == lower (lower is lowercase). */
static inline int eq_nocase(const char *p, const char *lower, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (((unsigned char)p[i] | 0x20) != (unsigned char)lower[i])
            return 0;
    return 1;
}

int parse_bool(const char *p, size_t n, int *out)
{
    if (n == 1 && (p[0] == '1' || p[0] == '0')) {
        *out = p[0] == '1';
        return 1;
    }
    /* | 0x20 folds case for letters; "true"/"false" hold only letters,
     * and no other byte folds onto a lowercase letter */
    if (n == 4 && eq_nocase(p, "true", 4)) {
        *out = 1;
        return 1;
    }
    if (n == 5 && eq_nocase(p, "false", 5)) {
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

/* ---- type inference ---- */

/* "007", "-01", "00.5": an identifier rather than a number. */
static int leading_zero(const char *p, size_t n)
{
    size_t i = (n > 0 && (p[0] == '-' || p[0] == '+')) ? 1 : 0;

    return n >= i + 2 && p[i] == '0' && (unsigned)(p[i + 1] - '0') <= 9;
}

/* Cheap implications spare parses: an integer is a number and never a
 * date; a number is never a date or timestamp; a date is never a
 * timestamp and the other way round. */
unsigned vtype_narrow(unsigned mask, const char *p, size_t n, int64_t *iv,
                      double *dv)
{
    int b;

    if ((mask & (VT_M_INT | VT_M_NUM)) && leading_zero(p, n))
        mask &= ~(unsigned)(VT_M_INT | VT_M_NUM);
    if (mask & VT_M_INT) {
        if (parse_int64(p, n, iv)) {
            /* the double parse_number() gives: "-0" is -0.0 */
            *dv = *iv == 0 && n > 0 && p[0] == '-' ? -0.0 : (double)*iv;
            if (!(n == 1 && (p[0] == '0' || p[0] == '1')))
                mask &= ~(unsigned)VT_M_BOOL;
            return mask & (VT_M_INT | VT_M_NUM | VT_M_BOOL);
        }
        mask &= ~(unsigned)VT_M_INT;
    }
    if (mask & VT_M_NUM) {
        if (parse_number(p, n, dv)) {
            if ((mask & VT_M_BOOL) && !parse_bool(p, n, &b))
                mask &= ~(unsigned)VT_M_BOOL;
            return mask & (VT_M_NUM | VT_M_BOOL);
        }
        mask &= ~(unsigned)VT_M_NUM;
    }
    if (mask & VT_M_BOOL) {
        if (parse_bool(p, n, &b))
            return VT_M_BOOL;
        mask &= ~(unsigned)VT_M_BOOL;
    }
    if (mask & VT_M_DATE) {
        if (parse_date(p, n, iv))
            return VT_M_DATE;
        mask &= ~(unsigned)VT_M_DATE;
    }
    if ((mask & VT_M_TS) && !parse_timestamp(p, n, iv))
        mask &= ~(unsigned)VT_M_TS;
    return mask;
}

/* Mask -> inferred type, in order of preference.  How to add a type:
 * give it a bit in types.h, a test in vtype_narrow() and a row here. */
static const struct {
    unsigned bit;
    enum vtype type;
} type_order[] = {
    { VT_M_INT, VT_INTEGER }, { VT_M_NUM, VT_NUMBER },
    { VT_M_BOOL, VT_BOOLEAN }, { VT_M_DATE, VT_DATE },
    { VT_M_TS, VT_TIMESTAMP },
};

enum vtype vtype_of_mask(unsigned mask)
{
    size_t i;

    if (mask == VT_M_ALL)       /* no non-null value */
        return VT_STRING;
    for (i = 0; i < ARRAY_SIZE(type_order); i++)
        if (mask & type_order[i].bit)
            return type_order[i].type;
    return VT_STRING;
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

size_t utf8_decode(const unsigned char *p, size_t n, unsigned *cp)
{
    size_t len, i;
    unsigned c = p[0], v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    *cp = v;
    return len;
}

int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned cp;
        size_t k;

        /* ASCII runs, 8 bytes at a time. */
        if (p[i] < 0x80) {
            uint64_t w;

            i++;
            while (i + 8 <= n) {
                memcpy(&w, p + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            continue;
        }
        k = utf8_decode(p + i, n - i, &cp);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}
