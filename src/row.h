/* row.h -- one parsed CSV record, as every consumer sees it.
 *
 * Produced by the reader (read_csv.c), handed by scan.c to each sink.
 * Everything is borrowed for the duration of one callback: a sink that
 * keeps a value copies it. */
#ifndef ASSAY_ROW_H
#define ASSAY_ROW_H

#include <stddef.h>
#include <stdint.h>

struct typed_row;

struct row {
    size_t nfields;
    const char *const *field;   /* field[i] is NUL-terminated ... */
    const uint32_t *len;        /* ... but len[i] is authoritative (NULs) */
    const unsigned char *quoted;/* quoted[i]: 1 if the field was quoted */
    uint64_t line;              /* 1-based physical line where it starts */
    uint64_t record;            /* 1-based data record number (header = 0) */
    const char *raw;            /* the record's bytes, terminator excluded */
    size_t raw_len;
    /* Values parsed by earlier sinks of this record (scan.h: typed_get);
     * NULL when no scan shares them (tests, second looks). */
    struct typed_row *typed;
};

#endif
