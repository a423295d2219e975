/* sample.h -- evidence: where a failing value is (DESIGN.md "samples"). */
#ifndef ASSAY_SAMPLE_H
#define ASSAY_SAMPLE_H

#include <stdint.h>
#include <stddef.h>

struct sample {
    uint64_t line;      /* 1-based physical line where the record starts */
    uint64_t record;    /* 1-based data record number */
    char *value;        /* owned; NULL for record-level samples */
};

/* First-N list: keeps the first `max` samples offered. */
struct sample_list {
    struct sample *s;
    size_t n, max;
};

void sample_add(struct sample_list *l, uint64_t line, uint64_t record,
                const char *value, size_t len);
/* Append src's samples (shifted by the offsets) after dst's, up to max;
 * src is emptied. */
void sample_merge(struct sample_list *dst, struct sample_list *src,
                  uint64_t rec_off, uint64_t line_off);
void sample_release(struct sample_list *l);

#endif
