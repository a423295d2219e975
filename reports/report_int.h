/* report_int.h -- private to reports/: what every writer shares.
 *
 * - struct report_ctx: the resolved options and a flattened view of the
 *   document (struct ritem: check results, then bias findings), built
 *   once by report_write() (writers.c, model.c);
 * - escaping for each output syntax (escape.c), each appending to a
 *   struct buf and unit-tested as tables of cases;
 * - the writer functions themselves, one file each, all with the same
 *   signature: append the whole output to *out, return 0 or -1 + err.
 *
 * Not installed anywhere; tests/unit/test_reports.c includes it. */
#ifndef ASSAY_REPORT_INT_H
#define ASSAY_REPORT_INT_H

#include <stddef.h>
#include "report.h"
#include "util.h"

struct json_t;

/* ---- the flattened document ---- */

enum item_class {           /* worst first: the order writers list them */
    IC_ERROR = 0,           /* status "error": could not be evaluated */
    IC_FAIL,                /* failed, severity fail */
    IC_WARN,                /* failed, severity warn */
    IC_INFO,                /* failed, severity info */
    IC_PASS,
    IC_COUNT
};

/* One check result or one bias finding.  Strings are borrowed from the
 * document unless said otherwise. */
struct ritem {
    char *id;                   /* owned: check id, or for a bias finding
                                   "bias.FACET.METRIC" (made unique) */
    char *rule;                 /* owned: check kind, or "bias.METRIC" */
    const char *kind;           /* check kind, "bias" for findings */
    const char *column;         /* NULL when none */
    const char *severity;       /* "fail" | "warn" | "info" */
    const char *status;         /* "pass" | "fail" | "error" */
    const char *message;        /* NULL when none */
    const char *metric;         /* bias findings: "CI", ...; else NULL */
    const struct json_t *obj;   /* the result or finding object */
    const struct json_t *bias;  /* findings: their bias object */
    enum item_class cls;
    unsigned long long line;    /* first sample line, 0 when none */
};

struct report_ctx {
    const struct report_opts *opts;   /* never NULL */
    const struct json_t *doc;
    char timestamp[40];         /* RFC 3339 UTC: opts, else the
                                   document's "time", else now */
    const char *data_path;      /* opts, else dataset.path, else
                                   "dataset" */
    const char *name;           /* dataset.name, else data_path */
    const char *verdict;        /* "pass" | "warn" | "fail" (computed
                                   from the items when absent) */
    struct ritem *items;        /* checks in document order, then bias
                                   findings */
    size_t nitems;
    size_t count[IC_COUNT];
};

/* Build ctx from doc and o (NULL: defaults); ctx_release() frees. */
void ctx_init(struct report_ctx *ctx, const struct json_t *doc,
              const struct report_opts *o);
void ctx_release(struct report_ctx *ctx);

/* Indices of ctx->items, worst class first, document order within a
 * class.  Returns a new array of ctx->nitems; caller frees. */
size_t *ctx_order(const struct report_ctx *ctx);

/* The bias objects of doc: "bias" may be one object or an array.
 * Borrowed. */
size_t doc_nbias(const struct json_t *doc);
const struct json_t *doc_bias(const struct json_t *doc, size_t i);

/* Display words. */
const char *class_word(enum item_class c);      /* "FAIL", "WARN", ... */
const char *verdict_word(const char *verdict);  /* "PASS", "WARN", "FAIL" */

/* Human one-liners for a check kind or bias metric ("bias.CI"): short
 * (<= 80 chars) and full description.  Unknown kinds get generic text. */
const char *rule_short(const char *rule);
const char *rule_full(const char *rule);

/* Stable fingerprint of a finding: SHA-256 hex of check id, data path
 * and column (never of observed values), so the same problem keeps the
 * same fingerprint across runs. */
void item_fingerprint(const struct report_ctx *ctx, const struct ritem *it,
                      char out[65]);

/* Append plain (unescaped) text for a JSON value: numbers shortest
 * (%.6g for display), strings as is, {"min": 1, "max": 2} as
 * "min 1, max 2", arrays as "[a, b]", null as "null". */
void fmt_value(struct buf *b, const struct json_t *v);
/* A limit: {"min": 18, "max": 120} as ">= 18, <= 120", {"max_abs":
 * 0.2} as "|v| <= 0.2", other keys as "max_failures 0"; a non-object
 * as fmt_value() does. */
void fmt_limit(struct buf *b, const struct json_t *lim);
/* A bias metric object {"value", "ci95", "error"} as "0.338 [0.31,
 * 0.36]" or "error: ..." */
void fmt_metric(struct buf *b, const struct json_t *m);
/* "sex = Female" / "age > 40" for a bias facet or label object. */
void fmt_facet(struct buf *b, const struct json_t *f);
/* The counts line of an item: "12 of 31000 failed", or "" when the item
 * has neither. */
void fmt_counts(struct buf *b, const struct ritem *it);

/* Multi-line plain-text detail of an item: first line "ID (KIND, column
 * C): 12 of 999 failed" (or "failed", "passed", "could not be
 * evaluated"), then the message, observed (bias: value), limit, and up to
 * max_samples samples as `line 1042 (record 1040): "212"` (values in
 * display form, so the text holds no control characters other than the
 * newlines between lines).  indent is put before every line but the
 * first. */
void item_detail(struct buf *b, const struct ritem *it, size_t max_samples,
                 const char *indent);

/* ---- charts (html.c) ---- */
/* The allowed band of a limit object: {"max_abs": a}, {"min": x},
 * {"max": y}; the other bound infinite.  Returns 0 when the limit has
 * none of them. */
int limit_band(const struct json_t *lim, double *lo, double *hi);
/* Widen [*lo, *hi] to take in v (when finite). */
void band_widen(double *lo, double *hi, double v);

/* ---- escaping (escape.c) ----
 * Each appends s, escaped for one syntax, to b.  Input is UTF-8; bytes
 * that are not valid UTF-8 become U+FFFD.  max caps the bytes of s used
 * (cut at a character boundary, then "..." is appended); ESC_ALL for no
 * cap. */
#define ESC_ALL ((size_t)-1)
#define VALUE_CAP 200           /* display cap for one data value */

/* XML 1.0 text (attr 0) or attribute value in double quotes (attr 1):
 * & < > (and " ' TAB LF CR in attributes) as references; characters
 * XML 1.0 forbids (C0 controls but TAB LF CR, U+FFFE, U+FFFF) become
 * U+FFFD; CR in text becomes &#13; so it survives parsing. */
void esc_xml(struct buf *b, const char *s, size_t max, int attr);
/* HTML text or attribute: & < > " ' as references; controls other than
 * TAB LF become U+FFFD. */
void esc_html(struct buf *b, const char *s, size_t max);
/* GitHub workflow command message: % CR LF as %25 %0D %0A. */
void esc_gh_data(struct buf *b, const char *s, size_t max);
/* GitHub workflow command property: as data, plus : , as %3A %2C. */
void esc_gh_prop(struct buf *b, const char *s, size_t max);
/* Markdown inline text that is safe in a GFM table cell, never at the
 * start of a line: \ ` * _ [ ] # ! | < > & ~ $ @ backslash-escaped,
 * line breaks and other controls shown as \n \r \t \xHH (the
 * display form, whose backslashes are escaped again). */
void esc_md(struct buf *b, const char *s, size_t max);
/* Display form for terminals and plain text: controls (C0, DEL, C1)
 * shown as \n \r \t \e \xHH and a backslash doubled, so data can neither
 * break lines nor send terminal escapes. */
void esc_display(struct buf *b, const char *s, size_t max);
/* Percent-encode a path as a URI reference (RFC 3986): keeps unreserved
 * characters and '/', encodes every other byte. */
void esc_uri_path(struct buf *b, const char *s);

/* ---- writers: one file each ---- */
int text_write(struct buf *out, const struct report_ctx *ctx,
               struct assay_err *err);
int json_write(struct buf *out, const struct report_ctx *ctx,
               struct assay_err *err);
int junit_write(struct buf *out, const struct report_ctx *ctx,
                struct assay_err *err);
int sarif_write(struct buf *out, const struct report_ctx *ctx,
                struct assay_err *err);
int github_write(struct buf *out, const struct report_ctx *ctx,
                 struct assay_err *err);
int markdown_write(struct buf *out, const struct report_ctx *ctx,
                   struct assay_err *err);
int codequality_write(struct buf *out, const struct report_ctx *ctx,
                      struct assay_err *err);
int html_write(struct buf *out, const struct report_ctx *ctx,
               struct assay_err *err);

/* Markdown at a level of detail: 2 everything (samples, passing checks,
 * bias, profile), 1 no samples and no profile, 0 only the verdict,
 * counts and the first failing checks.  github.c uses it to stay under
 * the step summary's 1 MiB. */
void markdown_render(struct buf *out, const struct report_ctx *ctx,
                     int detail);

/* A location path relative to the repository (the working directory):
 * an absolute path under it is made relative, leading "./" dropped.
 * Another absolute path is returned as is when keep_abs, else without
 * its leading "/" (Code Quality forbids one).  Returns a new string;
 * caller frees. */
char *relative_path(const char *path, int keep_abs);

/* HTML text helpers (reports/html.c), shared with the compliance report:
 * s escaped and capped at max bytes (NULL: nothing); a JSON value in
 * its display form (NULL or null: nothing); a number. */
void html_text(struct buf *b, const char *s, size_t max);
void html_value(struct buf *b, const struct json_t *v, size_t max);
void html_num(struct buf *b, double v);

#endif
