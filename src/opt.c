/* opt.c -- table-driven option parsing (see opt.h). */
#include <stdlib.h>
#include <string.h>
#include "opt.h"
#include "util.h"

static long find_long(const struct opt *opts, size_t n, const char *name,
                      size_t len)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strlen(opts[i].name) == len &&
            strncmp(opts[i].name, name, len) == 0)
            return (long)i;
    return -1;
}

static long find_short(const struct opt *opts, size_t n, char c)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (opts[i].shortname == c)
            return (long)i;
    return -1;
}

static int store(struct optset *os, long k, char *val, struct assay_err *err)
{
    const struct opt *o = &os->opts[k];

    if (os->count[k] > 0 && !(o->flags & OPT_MULTI) && !(o->flags & OPT_ARG))
        return 0;
    os->values[k] = xrealloc(os->values[k],
                             (os->count[k] + 1) * sizeof(char *));
    os->values[k][os->count[k]++] = val;
    (void)err;
    return 0;
}

int opt_parse(struct optset *os, const struct opt *opts, size_t nopts,
              int argc, char **argv, int first, struct assay_err *err)
{
    int i, dashdash = 0;

    memset(os, 0, sizeof(*os));
    os->opts = opts;
    os->nopts = nopts;
    os->count = xcalloc(nopts + 1, sizeof(size_t));
    os->values = xcalloc(nopts + 1, sizeof(char **));
    os->pos = xcalloc((size_t)argc + 1, sizeof(char *));
    for (i = first; i < argc; i++) {
        char *a = argv[i], *val = NULL;
        long k;

        if (dashdash || a[0] != '-' || a[1] == '\0') {
            os->pos[os->npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            os->help = 1;
            continue;
        }
        if (a[1] == '-') {
            char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);

            k = find_long(opts, nopts, a + 2, len);
            if (k < 0)
                return seterr(err, ASSAY_EUSAGE, "unknown option '--%.*s'",
                              (int)len, a + 2);
            if (eq != NULL && !(opts[k].flags & OPT_ARG))
                return seterr(err, ASSAY_EUSAGE,
                              "option '--%s' takes no value", opts[k].name);
            if (eq != NULL)
                val = eq + 1;
        } else {
            k = find_short(opts, nopts, a[1]);
            if (k < 0 || (a[2] != '\0' && !(opts[k].flags & OPT_ARG)))
                return seterr(err, ASSAY_EUSAGE, "unknown option '%s'", a);
            if (a[2] != '\0')
                val = a + 2;
        }
        if (opts[k].flags & OPT_ARG) {
            if (val == NULL) {
                if (i + 1 >= argc)
                    return seterr(err, ASSAY_EUSAGE,
                                  "option '--%s' needs a value (%s)",
                                  opts[k].name, opts[k].argname ?
                                  opts[k].argname : "VALUE");
                val = argv[++i];
            }
        } else {
            val = (char *)"1";
        }
        if (store(os, k, val, err) < 0)
            return -1;
    }
    return 0;
}

void opt_release(struct optset *os)
{
    size_t i;

    if (os->values != NULL)
        for (i = 0; i < os->nopts; i++)
            free(os->values[i]);
    free(os->values);
    free(os->count);
    free(os->pos);
    memset(os, 0, sizeof(*os));
}

static long index_of(const struct optset *os, const char *name)
{
    return find_long(os->opts, os->nopts, name, strlen(name));
}

int opt_has(const struct optset *os, const char *name)
{
    long k = index_of(os, name);

    return k >= 0 && os->count[k] > 0;
}

const char *opt_get(const struct optset *os, const char *name)
{
    long k = index_of(os, name);

    if (k < 0 || os->count[k] == 0)
        return NULL;
    return os->values[k][os->count[k] - 1];
}

size_t opt_count(const struct optset *os, const char *name)
{
    long k = index_of(os, name);

    return k < 0 ? 0 : os->count[k];
}

const char *opt_nth(const struct optset *os, const char *name, size_t i)
{
    long k = index_of(os, name);

    if (k < 0 || i >= os->count[k])
        return NULL;
    return os->values[k][i];
}

void opt_print_help(FILE *fp, const struct opt *opts, size_t nopts)
{
    size_t i;

    for (i = 0; i < nopts; i++) {
        char left[64];

        if (opts[i].shortname)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].shortname,
                     opts[i].name, opts[i].argname ? " " : "",
                     opts[i].argname ? opts[i].argname : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", opts[i].name,
                     opts[i].argname ? " " : "",
                     opts[i].argname ? opts[i].argname : "");
        fprintf(fp, "  %-28s %s\n", left, opts[i].help);
    }
    fprintf(fp, "  %-28s %s\n", "-h, --help", "show this help");
}
