/* wjson.c -- the "json" format: the `assay check` document itself.
 * Part of reports/: pretty-printed through src/json.h (17 significant
 * digits, infinities as strings), byte for byte the DESIGN.md JSON
 * contract; the document is never reshaped here. */
#include <stdlib.h>
#include "json.h"
#include "report_int.h"

int json_write(struct buf *out, const struct report_ctx *ctx,
               struct assay_err *err)
{
    char *s = j_dump(ctx->doc, J_PRETTY);

    (void)err;
    buf_adds(out, s);
    buf_addc(out, '\n');
    free(s);
    return 0;
}
