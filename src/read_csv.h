/* read_csv.h -- CSV records from bytes: libcsv is the parser of record,
 * a fast scanner handles the common case (read_csv.c).
 *
 * A push parser: feed it bytes in any chunks; it calls fn once per
 * record, in order.  Semantics (RFC 4180, DESIGN.md):
 *  - fields are byte-exact: no trimming of spaces;
 *  - "" inside quotes is one quote; quoted fields may hold delimiters,
 *    CR and LF;
 *  - records end at LF, CRLF or a lone CR; empty lines are skipped (but
 *    counted in line numbers);
 *  - malformed quoting (a quote inside an unquoted field, text after a
 *    closing quote, a quote never closed) is an error with line and
 *    column, never a silent guess;
 *  - a UTF-8 BOM at the very start of the stream is dropped;
 *  - a field over max_field bytes or a record over max_record bytes is
 *    ASSAY_ETOOBIG.
 * Line numbers and record numbers count from the start of what this
 * parser was fed (first_line / first_record let a parser start
 * mid-file). */
#ifndef ASSAY_READ_CSV_H
#define ASSAY_READ_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "row.h"
#include "status.h"

struct csv_opts {
    char delim;                 /* ',' by default; '\t' for TSV (NUL, '"',
                                   CR and LF are read as ',') */
    size_t max_field;           /* bytes; 0 = default (1 MiB) */
    size_t max_record;          /* bytes, terminator excluded; 0 = default
                                   (16 MiB, or 16 * max_field if larger) */
    int skip_bom;               /* drop a leading UTF-8 BOM (default 1) */
    uint64_t first_line;        /* line number of the first byte fed (1) */
    uint64_t first_record;      /* number given to the first record (0:
                                   the first record is the header) */
    const char *name;           /* file name for error messages */
};
#define CSV_OPTS_INIT { ',', 0, 0, 1, 1, 0, "-" }

/* Called once per record; a non-zero return stops the parser, and
 * csv_reader_feed() returns that value. */
typedef int (*csv_row_fn)(void *ctx, const struct row *row);

struct csv_reader;

/* Returns a new parser; caller frees with csv_reader_free(). */
struct csv_reader *csv_reader_new(const struct csv_opts *opts,
                                  csv_row_fn fn, void *ctx);
void csv_reader_free(struct csv_reader *r);

/* Feed bytes.  Returns 0, the callback's non-zero value, or -1 with err
 * filled (malformed CSV, size caps). */
int csv_reader_feed(struct csv_reader *r, const char *p, size_t n,
                    struct assay_err *err);
/* End of input: flushes a last record without a terminator; an open
 * quote is an error.  Same returns as csv_reader_feed(). */
int csv_reader_finish(struct csv_reader *r, struct assay_err *err);

/* Records and physical lines seen so far (lines: terminators consumed,
 * so a last line without one is not counted). */
uint64_t csv_reader_records(const struct csv_reader *r);
uint64_t csv_reader_lines(const struct csv_reader *r);
/* 1 if the parser is between records (nothing buffered, not in quotes). */
int csv_reader_at_boundary(const struct csv_reader *r);

/* Parse only with libcsv (no fast path): used by tests to check that the
 * fast scanner and libcsv agree.  Call it before the first feed (it takes
 * effect at the next record boundary). */
void csv_reader_force_libcsv(struct csv_reader *r, int on);

#endif
