/* types.h -- the value types of DESIGN.md, parsed from field text.
 *
 * One definition of "parses as" for rules, profile and expressions:
 *  integer   optional sign and digits, fits int64 (no spaces, no '+'?
 *            a leading '+' is accepted, as in SQL)
 *  number    a finite decimal or scientific literal ("1", "-2.5", "1e3",
 *            ".5", "5."); no inf/nan, no hex, no spaces
 *  boolean   true/false/1/0, any case
 *  date      YYYY-MM-DD, a valid calendar date
 *  timestamp YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+HH:MM|-HH:MM], offset
 *            hours 00-23; compared in UTC; no offset means UTC
 * All functions take (p, n) and return 1 if the text parses, else 0;
 * the value goes to *out.  Dates and timestamps become microseconds since
 * 1970-01-01T00:00:00Z (a date is midnight UTC of its day). */
#ifndef ASSAY_TYPES_H
#define ASSAY_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum vtype {
    VT_STRING = 0, VT_INTEGER, VT_NUMBER, VT_BOOLEAN, VT_DATE, VT_TIMESTAMP,
    VT_COUNT
};

/* "integer" -> VT_INTEGER; -1 if unknown. */
int vtype_from_name(const char *name);
const char *vtype_name(enum vtype t);

int parse_int64(const char *p, size_t n, int64_t *out);
int parse_number(const char *p, size_t n, double *out);
int parse_bool(const char *p, size_t n, int *out);
int parse_date(const char *p, size_t n, int64_t *usec);
int parse_timestamp(const char *p, size_t n, int64_t *usec);

/* Parse as type t: numeric types give *d, integer also *i, boolean *i,
 * date/timestamp *i (usec).  VT_STRING always parses. */
struct value {
    enum vtype type;
    int64_t i;
    double d;
};
int parse_as(enum vtype t, const char *p, size_t n, struct value *out);

/* Type inference (profile.h defines it; the schema hash uses it): the
 * types a column may still be, as a mask; each non-null value narrows it
 * to the types it parses as.  A mask is the intersection over values, so
 * the order of values (and of workers' parts) does not matter.  Integers
 * written with a leading zero ("007", zip codes) are identifiers: they
 * clear integer and number. */
enum {
    VT_M_INT = 1, VT_M_NUM = 2, VT_M_BOOL = 4, VT_M_DATE = 8, VT_M_TS = 16,
    VT_M_ALL = 31
};
/* Narrow mask by one value; fills *iv and *dv for the surviving type
 * (integer: both; number: *dv; date, timestamp: *iv in usec). */
unsigned vtype_narrow(unsigned mask, const char *p, size_t n, int64_t *iv,
                      double *dv);
/* The inferred type: the first of integer, number, boolean, date,
 * timestamp in mask; string for 0 and for VT_M_ALL (no value seen). */
enum vtype vtype_of_mask(unsigned mask);

/* Number of UTF-8 characters (invalid bytes count one each). */
size_t utf8_chars(const char *p, size_t n);
/* 1 if p[0..n) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), else 0. */
int utf8_valid(const char *p, size_t n);
/* One character at p (n > 0 bytes left): its length (1..4) and *cp, or
 * 0 when the bytes there are not well-formed UTF-8. */
size_t utf8_decode(const unsigned char *p, size_t n, unsigned *cp);
/* The same, with ASCII text (the common case) decided inline. */
static inline int utf8_ok(const char *p, size_t n)
{
    uint64_t acc = 0, w;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)p[i];
    return (acc & 0x8080808080808080ULL) == 0 || utf8_valid(p, n);
}

#endif
