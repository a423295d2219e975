/* status.h -- numbered, append-only status codes and error details.
 *
 * Library code never prints or exits: it returns -1 and fills a
 * struct assay_err.  Only main.c and cmd_*.c turn that into a message
 * and an exit code (assay_exit_code()).
 *
 * To add a status: append a value before ASSAY_STATUS_COUNT, add its
 * message to status_msg[] in status.c and its exit code to exit_for[];
 * the _Static_asserts there keep the tables in step. */
#ifndef ASSAY_STATUS_H
#define ASSAY_STATUS_H

#include <stdarg.h>

enum assay_status {
    ASSAY_OK = 0,
    ASSAY_ENOMEM,       /* out of memory                              exit 4 */
    ASSAY_EIO,          /* read/write error                           exit 4 */
    ASSAY_EOPEN,        /* cannot open an input                       exit 3 */
    ASSAY_ETOOBIG,      /* a field, record or file over a size cap    exit 3 */
    ASSAY_ECSV,         /* malformed CSV                              exit 3 */
    ASSAY_EENCODING,    /* bad bytes (NUL, invalid gzip)              exit 3 */
    ASSAY_ERULES,       /* rules file error                           exit 3 */
    ASSAY_EREGEX,       /* bad regular expression                     exit 3 */
    ASSAY_ECOLUMN,      /* unknown or missing column                  exit 3 */
    ASSAY_EDB,          /* lineage database error                     exit 4 */
    ASSAY_ECORRUPT,     /* corrupt or foreign database/file           exit 3 */
    ASSAY_EREF,         /* unknown or ambiguous reference             exit 3 */
    ASSAY_EUSAGE,       /* bad command-line usage                     exit 2 */
    ASSAY_EINTERNAL,    /* a bug                                      exit 4 */
    ASSAY_EINPUT,       /* other bad input                            exit 3 */
    ASSAY_EKEY,         /* unreadable or wrong key                    exit 3 */
    ASSAY_STATUS_COUNT
};

/* Filled by library calls that fail.  msg is complete and ready to print
 * after "assay: error: " (or as is, when it starts with FILE:LINE:COL). */
struct assay_err {
    enum assay_status status;
    int located;            /* 1: msg starts with FILE:LINE:COL: */
    char msg[1024];
};

#define ASSAY_ERR_INIT { ASSAY_OK, 0, "" }

/* Returns the fixed message of a status (never NULL). */
const char *assay_strerror(enum assay_status st);
/* The process exit code for a status: 2 usage, 3 bad input, 4 internal/io. */
int assay_exit_code(enum assay_status st);

/* Fill err (may be NULL) and return -1, so that `return seterr(...)` reads
 * naturally.  The located variant prefixes "FILE:LINE:COL: ". */
int seterr(struct assay_err *err, enum assay_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int seterr_at(struct assay_err *err, enum assay_status st, const char *file,
              unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
