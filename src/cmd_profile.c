/* cmd_profile.c -- `assay profile DATA [--format text|json]`: one scan with
 * the profile sink; a table for people or the DESIGN.md profile object
 * (plus a "dataset" object) for programs.  What each number means is
 * defined in profile.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "json.h"
#include "profile.h"
#include "scan.h"
#include "util.h"

static const struct opt opts[] = {
    { "format", 'f', OPT_ARG, "FMT", "text (default) or json" },
    { "null-value", 0, OPT_ARG | OPT_MULTI, "TOKEN", "also read TOKEN as "
      "null (repeatable; the empty field always is)" },
    { "top", 0, OPT_ARG, "N", "top values per column (default 10)" },
    { "delimiter", 'd', OPT_ARG, "C", "field delimiter (default: ',' or tab "
      "for .tsv); 'tab' for tab" },
    { "threads", 0, OPT_ARG, "N", "worker threads (default: 2 on 2+ cores)" },
    { "quiet", 'q', 0, NULL, "no progress on stderr" },
};

/* ---- shared with cmd_suggest.c by copy: option values ---- */

static int parse_delim(const char *s, char *out)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 ||
        strcmp(s, "\t") == 0) {
        *out = '\t';
        return 0;
    }
    if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r')
        return -1;
    *out = s[0];
    return 0;
}

static long parse_count(const char *s, long max)
{
    char *end;
    long v;

    if (s == NULL || *s == '\0')
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < 0 || v > max)
        return -1;
    return v;
}

/* ---- text output ---- */

/* Print s (n bytes) in a cell of width characters: control bytes shown
 * as '?', cut with "..." when too long, padded unless last. */
static void cell(const char *s, size_t n, int width, int right, int last)
{
    size_t chars = utf8_chars(s, n), lim, shown = 0, i;
    int cut = chars > (size_t)width, pad;

    lim = cut ? (size_t)(width > 3 ? width - 3 : 0) : chars;
    pad = cut ? 0 : width - (int)chars;
    if (right)
        for (; pad > 0; pad--)
            putchar(' ');
    for (i = 0; i < n && shown < lim; i++) {
        unsigned char c = (unsigned char)s[i];

        putchar(c < 0x20 || c == 0x7F ? '?' : c);
        /* a character ends before the next lead byte */
        if (i + 1 >= n || ((unsigned char)s[i + 1] & 0xC0) != 0x80)
            shown++;
    }
    if (cut)
        fputs("...", stdout);
    if (!right && !last)
        for (; pad > 0; pad--)
            putchar(' ');
}

static void cells(const char *s, int width, int right, int last)
{
    cell(s, strlen(s), width, right, last);
}

static void fmt_num(double v, char *out, size_t n)
{
    if (v != v)
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%.6g", v);
}

static void print_table(struct profile *p)
{
    size_t i, ncols = profile_ncols(p);
    char buf[64];

    printf("%-16s %-9s %7s %8s %-11s %-11s %11s\n", "column", "type",
           "nulls", "distinct", "min", "max", "mean");
    for (i = 0; i < ncols; i++) {
        const struct col_stats *st = profile_col(p, i);

        cells(st->name, 16, 0, 0);
        putchar(' ');
        cells(vtype_name(st->type), 9, 0, 0);
        putchar(' ');
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)st->nulls);
        cells(buf, 7, 1, 0);
        putchar(' ');
        snprintf(buf, sizeof(buf), "%s%llu", st->distinct_exact ? "" : "~",
                 (unsigned long long)st->distinct);
        cells(buf, 8, 1, 0);
        putchar(' ');
        if (st->min_text != NULL) {
            cells(st->min_text, 11, 0, 0);
            putchar(' ');
            cells(st->max_text, 11, 0, 0);
        } else {
            cells("-", 11, 0, 0);
            putchar(' ');
            cells("-", 11, 0, 0);
        }
        putchar(' ');
        fmt_num(st->has_num ? st->mean : NAN, buf, sizeof(buf));
        cells(buf, 11, 1, 1);
        putchar('\n');
    }
}

static void print_details(struct profile *p)
{
    size_t i, k, ncols = profile_ncols(p);
    char a[64], b[64];

    for (i = 0; i < ncols; i++) {
        const struct col_stats *st = profile_col(p, i);

        printf("\n%s (%s): %llu values, %llu null", st->name,
               vtype_name(st->type), (unsigned long long)st->count,
               (unsigned long long)st->nulls);
        if (st->count > 0 && st->nulls > 0)
            printf(" (%.2f%%)", 100.0 * (double)st->nulls /
                   (double)st->count);
        printf(", %s%llu distinct", st->distinct_exact ? "" : "~",
               (unsigned long long)st->distinct);
        if (!st->distinct_exact)
            printf(" (+-%.2f%%)", 100 * st->distinct_error);
        putchar('\n');
        if (st->has_num) {
            fmt_num(st->mean, a, sizeof(a));
            fmt_num(st->stddev, b, sizeof(b));
            printf("  mean %s  stddev %s\n", a, b);
        }
        if (st->has_quantiles) {
            fputs("  quantiles", stdout);
            for (k = 0; k < PROFILE_NQ; k++) {
                fmt_num(st->quantiles[k], a, sizeof(a));
                printf(" %s %s", profile_qname[k], a);
            }
            if (!st->quantiles_exact)
                printf(" (rank error %.2f%%)", 100 * st->quantile_rank_error);
            putchar('\n');
        }
        if (st->count > st->nulls)
            printf("  length %zu..%zu characters\n", st->min_len,
                   st->max_len);
        if (st->ntop > 0) {
            fputs("  top", stdout);
            for (k = 0; k < st->ntop && k < 5; k++) {
                fputs(k ? ", " : " ", stdout);
                cell(st->top_values[k], st->top_lens[k], 24, 0, 1);
                printf(" (%llu)", (unsigned long long)st->top_counts[k]);
            }
            if (!st->top_exact)
                printf(" (counts low by at most %llu)",
                       (unsigned long long)st->top_error);
            putchar('\n');
        }
    }
}

/* ---- json output ---- */

static struct json_t *dataset_json(struct scan *s, struct profile *p)
{
    const struct scan_info *si = scan_info(s);
    struct json_t *o = j_obj();

    j_set(o, "path", j_str(scan_path(s)));
    j_set(o, "sha256", j_str(si->sha256));
    j_set(o, "bytes", j_int((long long)si->bytes));
    j_set(o, "rows", j_int((long long)si->rows));
    j_set(o, "profiled", j_int((long long)profile_rows(p)));
    j_set(o, "columns", j_int((long long)profile_ncols(p)));
    return o;
}

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    struct assay_err err = ASSAY_ERR_INIT;
    struct scan_opts so = SCAN_OPTS_INIT;
    struct profile_opts po;
    struct scan *s = NULL;
    struct profile *p = NULL;
    struct json_t *doc = NULL, *prof;
    const char **nulls = NULL;
    const char *fmt, *v;
    size_t i, nnull;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    memset(&po, 0, sizeof(po));
    fmt = opt_get(&os, "format");
    if (fmt == NULL)
        fmt = "text";
    if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0) {
        rc = usage_error(self, "unknown format '%s' (text, json)", fmt);
        goto out;
    }
    if (os.npos != 1) {
        rc = usage_error(self, os.npos == 0 ? "no data file given" :
                         "one data file at a time");
        goto out;
    }
    if ((v = opt_get(&os, "delimiter")) != NULL &&
        parse_delim(v, &so.delim) < 0) {
        rc = usage_error(self, "--delimiter takes one character or 'tab'");
        goto out;
    }
    if ((v = opt_get(&os, "threads")) != NULL) {
        long t = parse_count(v, 64);

        if (t < 1) {
            rc = usage_error(self, "--threads takes a number 1..64");
            goto out;
        }
        so.threads = (unsigned)t;
    }
    if ((v = opt_get(&os, "top")) != NULL) {
        long t = parse_count(v, 1000);

        if (t < 1) {
            rc = usage_error(self, "--top takes a number 1..1000");
            goto out;
        }
        po.top_k = (size_t)t;
    }
    nnull = opt_count(&os, "null-value");
    nulls = xcalloc(nnull + 1, sizeof(char *));
    for (i = 0; i < nnull; i++)
        nulls[i] = opt_nth(&os, "null-value", i);
    po.null_values = nulls;
    po.nnull_values = nnull;
    so.progress = !opt_has(&os, "quiet") && use_progress();

    s = scan_open(os.pos[0], &so, &err);
    if (s == NULL)
        goto fail;
    p = profile_new(s, &po);
    scan_add_sink(s, profile_sink(p));
    if (scan_run(s, &err) < 0)
        goto fail;
    if (strcmp(fmt, "json") == 0) {
        prof = profile_json(p);
        doc = j_obj();
        j_set(doc, "dataset", dataset_json(s, p));
        j_set(doc, "columns", j_ref(j_get(prof, "columns")));
        j_free(prof);
        j_write(doc, stdout, J_PRETTY);
    } else {
        const struct scan_info *si = scan_info(s);

        printf("%s: %llu rows, %zu columns", scan_path(s),
               (unsigned long long)si->rows, profile_ncols(p));
        if (profile_skipped(p) > 0)
            printf(" (%llu rows with a wrong field count left out)",
                   (unsigned long long)profile_skipped(p));
        printf("\n\n");
        print_table(p);
        print_details(p);
    }
    rc = EXIT_PASS;
    goto out;
fail:
    rc = report_error(&err);
out:
    j_free(doc);
    profile_free(p);
    scan_free(s);
    free(nulls);
    opt_release(&os);
    return rc;
}

const struct command cmd_profile_def = {
    "profile", run,
    "assay profile DATA [--format text|json] [--null-value TOKEN]...",
    "describe every column of a dataset",
    "Reads DATA once (CSV or TSV, optionally .gz; '-' for stdin) and\n"
    "describes each column: inferred type (the narrowest of integer,\n"
    "number, boolean, date, timestamp that every non-null value parses as,\n"
    "else string), count, nulls, distinct values, min and max, mean and\n"
    "standard deviation, quantiles, the most frequent values, lengths and\n"
    "a histogram (JSON).\n"
    "\n"
    "Every number is exact while a column has at most 16,384 distinct\n"
    "values; beyond that distinct counts come from HyperLogLog (error\n"
    "about 0.8%), quantiles from a KLL sketch and top counts from\n"
    "Misra-Gries, each with its error bound in the output ('~' marks an\n"
    "estimate).  Records with a wrong field count are left out.\n"
    "\n"
    "Examples:\n"
    "  assay profile train.csv\n"
    "  assay profile train.csv --format json | jq '.columns[].type'\n"
    "  assay profile survey.tsv --null-value NA --null-value n/a\n",
    opts, ARRAY_SIZE(opts),
};
