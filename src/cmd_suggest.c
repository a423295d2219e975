/* cmd_suggest.c -- `assay suggest DATA`: profile the data (and look for
 * duplicate records) in one scan, then print a commented YAML rules file
 * that this very data passes: types, not_null, ranges, allowed values,
 * unique, fixed lengths, row_count and duplicate_rows.  The bounds are
 * the observed ones, so the file is a starting point to review. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "dedup.h"
#include "identity.h"
#include "profile.h"
#include "scan.h"
#include "util.h"

#define ALLOWED_MAX 20          /* allowed: for at most this many values */

static const struct opt opts[] = {
    { "null-value", 0, OPT_ARG | OPT_MULTI, "TOKEN", "also read TOKEN as "
      "null, and say so in the rules (repeatable)" },
    { "name", 'n', OPT_ARG, "NAME", "dataset name (default: the file name "
      "without extensions)" },
    { "delimiter", 'd', OPT_ARG, "C", "field delimiter (default: ',' or tab "
      "for .tsv); 'tab' for tab" },
    { "threads", 0, OPT_ARG, "N", "worker threads (default: 2 on 2+ cores)" },
    { "quiet", 'q', 0, NULL, "no progress on stderr" },
};

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

/* ---- YAML text ---- */

/* Append s as a YAML double-quoted scalar: what is not printable in YAML
 * (controls, C1, U+FEFF, line and paragraph separators) is escaped, so
 * the parser reads back exactly these bytes.  Returns -1 (nothing
 * appended) when s is not valid UTF-8 or holds a NUL: YAML cannot carry
 * it. */
static int yaml_quote(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = b->len;
    unsigned cp;

    buf_addc(b, '"');
    while (i < n) {
        size_t len = utf8_decode(p + i, n - i, &cp);

        if (len == 0 || cp == 0) {
            b->len = start;
            if (b->data != NULL)
                b->data[start] = '\0';
            return -1;
        }
        if (cp == '"' || cp == '\\') {
            buf_addc(b, '\\');
            buf_addc(b, (char)cp);
        } else if (cp == '\n') {
            buf_adds(b, "\\n");
        } else if (cp == '\t') {
            buf_adds(b, "\\t");
        } else if (cp == '\r') {
            buf_adds(b, "\\r");
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
                   cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
                   cp == 0xFFFE || cp == 0xFFFF) {
            buf_printf(b, "\\u%04X", cp);
        } else {
            buf_add(b, p + i, len);
        }
        i += len;
    }
    buf_addc(b, '"');
    return 0;
}

/* "path/to/train.csv.gz" -> "train" */
static char *dataset_name(const char *path)
{
    static const char *const ext[] = { ".gz", ".csv", ".tsv", ".tab",
                                       ".txt" };
    const char *base = strrchr(path, '/');
    char *name;
    size_t i, n;
    int again = 1;

    base = base != NULL ? base + 1 : path;
    if (strcmp(path, "-") == 0 || *base == '\0')
        return xstrdup("stdin");
    name = xstrdup(base);
    while (again) {
        again = 0;
        n = strlen(name);
        for (i = 0; i < ARRAY_SIZE(ext); i++) {
            size_t k = strlen(ext[i]);

            if (n > k && strcmp(name + n - k, ext[i]) == 0) {
                name[n - k] = '\0';
                again = 1;
                break;
            }
        }
    }
    return name;
}

/* not_null's allowance for a column with nulls: the observed rate plus a
 * tenth of it (at least 0.1 points), rounded up to 0.1%. */
static double missing_allowance(uint64_t nulls, uint64_t count)
{
    double r = 100.0 * (double)nulls / (double)count;
    double m = ceil((r + (r * 0.1 > 0.1 ? r * 0.1 : 0.1)) * 10.0) / 10.0;

    return m > 100 ? 100 : m;
}

/* ---- exact uniqueness of high-cardinality columns ---- */

/* Past PROFILE_EXACT_MAX distinct values the profile only estimates
 * distinct (HLL).  For integer and string columns whose estimate is
 * within 5% of the non-null count (an ID, probably), a second look at
 * the file decides exactly, by sorting 64-bit keys of the values
 * (dedup.h): equal values always repeat a key; a spurious repeat (about
 * n^2 / 2^65) only withholds the suggestion. */
struct uniq {
    size_t ncols;
    long *col;                  /* candidate column indexes */
    struct dedup_part *part;
    size_t ncand;
    const char *const *nulls;
    size_t nnull;
};

static int uniq_is_null(const struct uniq *u, const char *v, size_t n)
{
    size_t k;

    if (n == 0)
        return 1;
    for (k = 0; k < u->nnull; k++)
        if (strlen(u->nulls[k]) == n && memcmp(u->nulls[k], v, n) == 0)
            return 1;
    return 0;
}

static int uniq_row(void *ctx, const struct row *row)
{
    struct uniq *u = ctx;
    size_t k;

    if (row->nfields != u->ncols)
        return 0;
    for (k = 0; k < u->ncand; k++) {
        size_t c = (size_t)u->col[k];

        if (!uniq_is_null(u, row->field[c], row->len[c]))
            dedup_part_add(&u->part[k], row->field[c], row->len[c]);
    }
    return 0;
}

/* Sets unique[i] = 1 for columns proven all-distinct by a second look.
 * Returns 0, or -1 with err; a stream that cannot be re-read proves
 * nothing (0). */
static int find_unique(struct scan *s, struct profile *p, int *unique,
                       const char *const *nulls, size_t nnull,
                       struct assay_err *err)
{
    struct uniq u;
    size_t i, k, ncols = profile_ncols(p);
    int rc = 0, r;

    memset(&u, 0, sizeof(u));
    u.ncols = ncols;
    u.nulls = nulls;
    u.nnull = nnull;
    u.col = xcalloc(ncols + 1, sizeof(long));
    for (i = 0; i < ncols; i++) {
        const struct col_stats *st = profile_col(p, i);
        uint64_t nonnull = st->count - st->nulls;

        if (!st->distinct_exact && nonnull > ALLOWED_MAX &&
            (st->type == VT_INTEGER || st->type == VT_STRING) &&
            (double)st->distinct >= 0.95 * (double)nonnull)
            u.col[u.ncand++] = (long)i;
    }
    if (u.ncand == 0)
        goto out;
    u.part = xcalloc(u.ncand, sizeof(*u.part));
    for (k = 0; k < u.ncand; k++)
        dedup_part_init(&u.part[k], 0);
    r = scan_rescan(s, uniq_row, &u, err);
    if (r < 0) {
        rc = -1;
        goto out;
    }
    for (k = 0; r == 0 && k < u.ncand; k++) {
        struct dedup d;

        dedup_init(&d, 0);
        dedup_merge(&d, &u.part[k]);
        dedup_finish(&d, NULL);
        unique[u.col[k]] = d.repeats == 0;
        dedup_release(&d);
    }
out:
    for (k = 0; u.part != NULL && k < u.ncand; k++)
        dedup_part_release(&u.part[k]);
    free(u.part);
    free(u.col);
    return rc;
}

/* ---- per column ---- */

struct val {
    const char *s;
    size_t n;
};

static int cmp_val(const void *a, const void *b)
{
    const struct val *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

    return c != 0 ? c : (x->n > y->n) - (x->n < y->n);
}

/* allowed: [...], sorted bytewise, wrapped at about 78 columns. */
static void suggest_allowed(struct buf *b, const struct col_stats *st)
{
    struct val *v = xcalloc(st->nvalues + 1, sizeof(*v));
    struct buf list = BUF_INIT;
    size_t k, line = 17, mark;

    for (k = 0; k < st->nvalues; k++) {
        v[k].s = st->values[k];
        v[k].n = st->value_lens[k];
    }
    qsort(v, st->nvalues, sizeof(*v), cmp_val);
    for (k = 0; k < st->nvalues; k++) {
        size_t vlen;

        mark = list.len;
        if (yaml_quote(&list, v[k].s, v[k].n) < 0) {
            buf_adds(b, "      # allowed: left out, a value is not valid "
                     "UTF-8 text\n");
            goto out;
        }
        vlen = list.len - mark;
        if (k > 0 && line + vlen + 2 > 78) {
            /* break the line before this value */
            struct buf t = BUF_INIT;

            buf_add(&t, list.data + mark, vlen);
            list.len = mark - 1;        /* drop the space after ',' */
            buf_adds(&list, "\n          ");
            buf_add(&list, t.data, t.len);
            buf_release(&t);
            line = 10;
        }
        line += vlen;
        if (k + 1 < st->nvalues) {
            buf_adds(&list, ", ");
            line += 2;
        }
    }
    buf_printf(b, "      - allowed: [%s]\n", buf_cstr(&list));
out:
    buf_release(&list);
    free(v);
}

static void suggest_column(struct buf *b, const struct col_stats *st,
                           int proven_unique)
{
    uint64_t nonnull = st->count - st->nulls;
    int is_string = st->type == VT_STRING;
    int allowed = is_string && st->distinct_exact && st->nvalues > 0 &&
                  st->nvalues <= ALLOWED_MAX;

    buf_adds(b, "  - name: ");
    yaml_quote(b, st->name, strlen(st->name));
    if (st->invalid_utf8)
        buf_adds(b, "\n    # type: string left out: some values are not "
                 "valid UTF-8 text\n");
    else
        buf_printf(b, "\n    type: %s\n", vtype_name(st->type));
    if (nonnull == 0) {
        buf_adds(b, "    # no non-null value: no checks\n");
        return;
    }
    buf_adds(b, "    checks:\n");
    if (st->nulls == 0)
        buf_adds(b, "      - not_null: {}\n");
    else
        buf_printf(b, "      - not_null: {max_missing: %.1f%%}    "
                   "# observed %.3f%%\n",
                   missing_allowance(st->nulls, st->count),
                   100.0 * (double)st->nulls / (double)st->count);
    if (st->type == VT_INTEGER && st->has_num)
        buf_printf(b, "      - range: {min: %lld, max: %lld}\n",
                   (long long)st->imin, (long long)st->imax);
    else if (st->type == VT_NUMBER && st->has_num)
        buf_printf(b, "      - range: {min: %s, max: %s}\n", st->min_text,
                   st->max_text);
    else if ((st->type == VT_DATE || st->type == VT_TIMESTAMP) &&
             st->min_text != NULL)
        buf_printf(b, "      # observed %s .. %s\n", st->min_text,
                   st->max_text);
    if (allowed)
        suggest_allowed(b, st);
    /* All distinct, over more values than a small sample happens to be */
    if (proven_unique || (st->distinct_exact && st->distinct == nonnull &&
                          nonnull > ALLOWED_MAX &&
                          (is_string || st->type == VT_INTEGER)))
        buf_adds(b, "      - unique: {}\n");
    if (is_string && !allowed && st->min_len == st->max_len)
        buf_printf(b, "      - length: {min: %zu, max: %zu}\n", st->min_len,
                   st->max_len);
}

/* The whole file; returns a new string (caller frees). */
static char *suggest_yaml(struct scan *s, struct profile *p,
                          struct identity *id, const int *unique,
                          const char *name, const char *const *nulls,
                          size_t nnull)
{
    const struct scan_info *si = scan_info(s);
    struct buf b = BUF_INIT;
    size_t i, j, ncols = profile_ncols(p);

    buf_adds(&b, "# Rules suggested by `assay suggest` from ");
    buf_adds(&b, scan_path(s));
    buf_printf(&b, "\n#   sha256 %s\n#   %llu records, %zu columns\n",
               si->sha256, (unsigned long long)si->rows, ncols);
    buf_adds(&b, "# Every check passes on this data: the bounds are the "
             "observed ones.\n# Review them before gating training on "
             "them.\n");
    if (profile_skipped(p) > 0)
        buf_printf(&b, "# NOTE: %llu records have a wrong field count; "
                   "the built-in field_count\n# check fails on them.\n",
                   (unsigned long long)profile_skipped(p));
    buf_adds(&b, "version: 1\ndataset: ");
    yaml_quote(&b, name, strlen(name));
    buf_addc(&b, '\n');
    if (nnull > 0) {
        buf_adds(&b, "null_values: [");
        for (i = 0; i < nnull; i++) {
            if (i > 0)
                buf_adds(&b, ", ");
            if (yaml_quote(&b, nulls[i], strlen(nulls[i])) < 0)
                buf_adds(&b, "\"\"");
        }
        buf_adds(&b, "]\n");
    }
    buf_adds(&b, "columns:\n");
    for (i = 0; i < ncols; i++) {
        const struct col_stats *st = profile_col(p, i);
        int dup = 0;

        /* Rules name columns; with repeated names only the first is
         * reachable. */
        for (j = 0; j < i && !dup; j++)
            dup = strcmp(profile_col(p, j)->name, st->name) == 0;
        if (dup || st->name[0] == '\0') {
            buf_printf(&b, "  # column %zu: %s name, left out\n", i + 1,
                       dup ? "repeated" : "empty");
            continue;
        }
        suggest_column(&b, st, unique[i]);
    }
    buf_printf(&b, "checks:\n  - row_count: {min: %llu}\n",
               (unsigned long long)si->rows);
    if (identity_duplicates(id) == 0)
        buf_adds(&b, "  - duplicate_rows: {max: 0}\n");
    else
        buf_printf(&b, "  # duplicate_rows: %llu duplicate records seen\n",
                   (unsigned long long)identity_duplicates(id));
    return buf_detach(&b);
}

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    struct assay_err err = ASSAY_ERR_INIT;
    struct scan_opts so = SCAN_OPTS_INIT;
    struct profile_opts po;
    struct scan *s = NULL;
    struct profile *p = NULL;
    struct identity *id = NULL;
    const char **nulls = NULL;
    const char *v;
    char *name = NULL, *yaml = NULL;
    int *unique = NULL;
    size_t i, nnull;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    memset(&po, 0, sizeof(po));
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
    nnull = opt_count(&os, "null-value");
    nulls = xcalloc(nnull + 1, sizeof(char *));
    for (i = 0; i < nnull; i++) {
        nulls[i] = opt_nth(&os, "null-value", i);
        if (nulls[i][0] == '\0') {
            rc = usage_error(self, "--null-value takes a non-empty token "
                             "(the empty field is always null)");
            goto out;
        }
    }
    po.null_values = nulls;
    po.nnull_values = nnull;
    so.progress = !opt_has(&os, "quiet") && use_progress();
    v = opt_get(&os, "name");
    name = v != NULL ? xstrdup(v) : dataset_name(os.pos[0]);

    s = scan_open(os.pos[0], &so, &err);
    if (s == NULL)
        goto fail;
    p = profile_new(s, &po);
    id = identity_new(s);
    scan_add_sink(s, identity_sink(id));
    scan_add_sink(s, profile_sink(p));
    if (scan_run(s, &err) < 0 || identity_finish(id, s, 0, &err) < 0)
        goto fail;
    unique = xcalloc(profile_ncols(p) + 1, sizeof(int));
    if (find_unique(s, p, unique, nulls, nnull, &err) < 0)
        goto fail;
    yaml = suggest_yaml(s, p, id, unique, name, nulls, nnull);
    fputs(yaml, stdout);
    rc = EXIT_PASS;
    goto out;
fail:
    rc = report_error(&err);
out:
    free(yaml);
    free(unique);
    free(name);
    identity_free(id);
    profile_free(p);
    scan_free(s);
    free(nulls);
    opt_release(&os);
    return rc;
}

const struct command cmd_suggest_def = {
    "suggest", run,
    "assay suggest DATA [--name NAME] [--null-value TOKEN]...",
    "print a rules file inferred from the data",
    "Profiles DATA in one pass and prints a commented YAML rules file that\n"
    "this data passes: each column's inferred type; not_null (with an\n"
    "allowance just above the observed null rate when there are nulls);\n"
    "range from the observed min and max of numeric columns; allowed\n"
    "values for string columns with at most 20 distinct values; unique for\n"
    "integer and string columns whose values (more than 20) are all\n"
    "distinct (beyond 16,384 distinct values, a second look at the file\n"
    "decides); length for fixed-length strings (zip codes); row_count, and\n"
    "duplicate_rows when there are none.\n"
    "\n"
    "Examples:\n"
    "  assay suggest train.csv > rules.yml\n"
    "  assay check train.csv --rules rules.yml     # passes by construction\n",
    opts, ARRAY_SIZE(opts),
};
