/* sample.c -- first-N evidence lists (sample.h).  Values longer than
 * SAMPLE_MAX_VALUE bytes are cut (with "...") so that a 1 MB field cannot
 * blow up a report. */
#include <stdlib.h>
#include <string.h>
#include "sample.h"
#include "util.h"

enum { SAMPLE_MAX_VALUE = 200 };

void sample_add(struct sample_list *l, uint64_t line, uint64_t record,
                const char *value, size_t len)
{
    struct sample *s;

    if (l->n >= l->max)
        return;
    if (l->s == NULL)
        l->s = xcalloc(l->max, sizeof(*l->s));
    s = &l->s[l->n++];
    s->line = line;
    s->record = record;
    s->value = NULL;
    if (value != NULL) {
        if (len > SAMPLE_MAX_VALUE) {
            s->value = xmalloc(SAMPLE_MAX_VALUE + 4);
            memcpy(s->value, value, SAMPLE_MAX_VALUE);
            memcpy(s->value + SAMPLE_MAX_VALUE, "...", 4);
        } else {
            s->value = xstrndup(value, len);
        }
    }
}

void sample_merge(struct sample_list *dst, struct sample_list *src,
                  uint64_t rec_off, uint64_t line_off)
{
    size_t i;

    for (i = 0; i < src->n; i++) {
        struct sample *s = &src->s[i];

        if (dst->n < dst->max) {
            if (dst->s == NULL)
                dst->s = xcalloc(dst->max, sizeof(*dst->s));
            dst->s[dst->n] = *s;
            dst->s[dst->n].record += rec_off;
            dst->s[dst->n].line += line_off;
            dst->n++;
        } else {
            free(s->value);
        }
    }
    free(src->s);
    src->s = NULL;
    src->n = 0;
}

void sample_release(struct sample_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->s[i].value);
    free(l->s);
    l->s = NULL;
    l->n = 0;
}
