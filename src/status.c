/* status.c -- status messages, exit codes, error filling.
 * The only place that maps statuses to exit codes (DESIGN.md: 2 usage,
 * 3 bad input, 4 internal or I/O). */
#include <stdio.h>
#include <string.h>
#include "status.h"
#include "util.h"

static const char *const status_msg[] = {
    [ASSAY_OK]        = "success",
    [ASSAY_ENOMEM]    = "out of memory",
    [ASSAY_EIO]       = "input/output error",
    [ASSAY_EOPEN]     = "cannot open file",
    [ASSAY_ETOOBIG]   = "size limit exceeded",
    [ASSAY_ECSV]      = "malformed CSV",
    [ASSAY_EENCODING] = "bad encoding",
    [ASSAY_ERULES]    = "rules file error",
    [ASSAY_EREGEX]    = "bad regular expression",
    [ASSAY_ECOLUMN]   = "unknown column",
    [ASSAY_EDB]       = "lineage database error",
    [ASSAY_ECORRUPT]  = "corrupt file",
    [ASSAY_EREF]      = "unknown reference",
    [ASSAY_EUSAGE]    = "usage error",
    [ASSAY_EINTERNAL] = "internal error",
    [ASSAY_EINPUT]    = "bad input",
    [ASSAY_EKEY]      = "bad key",
};
_Static_assert(ARRAY_SIZE(status_msg) == ASSAY_STATUS_COUNT,
               "status_msg[] must have one message per status");

static const unsigned char exit_for[] = {
    [ASSAY_OK] = 0, [ASSAY_ENOMEM] = 4, [ASSAY_EIO] = 4, [ASSAY_EOPEN] = 3,
    [ASSAY_ETOOBIG] = 3, [ASSAY_ECSV] = 3, [ASSAY_EENCODING] = 3,
    [ASSAY_ERULES] = 3, [ASSAY_EREGEX] = 3, [ASSAY_ECOLUMN] = 3,
    [ASSAY_EDB] = 4, [ASSAY_ECORRUPT] = 3, [ASSAY_EREF] = 3,
    [ASSAY_EUSAGE] = 2, [ASSAY_EINTERNAL] = 4, [ASSAY_EINPUT] = 3,
    [ASSAY_EKEY] = 3,
};
_Static_assert(ARRAY_SIZE(exit_for) == ASSAY_STATUS_COUNT,
               "exit_for[] must have one exit code per status");

const char *assay_strerror(enum assay_status st)
{
    if ((unsigned)st >= ASSAY_STATUS_COUNT)
        return "unknown error";
    return status_msg[st];
}

int assay_exit_code(enum assay_status st)
{
    if ((unsigned)st >= ASSAY_STATUS_COUNT)
        return 4;
    return exit_for[st];
}

int seterr(struct assay_err *err, enum assay_status st, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return -1;
    err->status = st;
    err->located = 0;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}

int seterr_at(struct assay_err *err, enum assay_status st, const char *file,
              unsigned long line, unsigned long col, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (err == NULL)
        return -1;
    err->status = st;
    err->located = 1;
    if (col > 0)
        n = snprintf(err->msg, sizeof(err->msg), "%s:%lu:%lu: ", file, line,
                     col);
    else
        n = snprintf(err->msg, sizeof(err->msg), "%s:%lu: ", file, line);
    if (n < 0 || (size_t)n >= sizeof(err->msg))
        return -1;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}
