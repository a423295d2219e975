/* opt.h -- command-line options declared as data; --help printed from
 * the same rows (opt.c).
 *
 * Each command declares a table:
 *     static const struct opt opts[] = {
 *         { "rules", 'r', OPT_ARG, "RULES.yml", "rules file (required)" },
 *         { "report", 0, OPT_ARG | OPT_MULTI, "F=PATH", "also write ..." },
 *         { "no-record", 0, 0, NULL, "do not record in the lineage db" },
 *     };
 * How to add an option: add a row; read it with opt_get()/opt_has()/
 * opt_nth().  "--name=value" and "--name value" are both accepted, "--"
 * ends options, "-" alone is a positional argument (stdin). */
#ifndef ASSAY_OPT_H
#define ASSAY_OPT_H

#include <stddef.h>
#include <stdio.h>
#include "status.h"

enum { OPT_ARG = 1, OPT_MULTI = 2 };

struct opt {
    const char *name;
    char shortname;             /* 0: none */
    int flags;                  /* OPT_ARG, OPT_MULTI */
    const char *argname;        /* shown in help: "PATH" */
    const char *help;
};

struct optset {
    const struct opt *opts;
    size_t nopts;
    size_t *count;              /* per option: times given */
    char ***values;             /* per option: values in order */
    char **pos;                 /* positional arguments */
    size_t npos;
    int help;                   /* -h/--help seen */
};

/* Parse argv[first..argc).  Returns 0, or -1 with err (ASSAY_EUSAGE). */
int opt_parse(struct optset *os, const struct opt *opts, size_t nopts,
              int argc, char **argv, int first, struct assay_err *err);
void opt_release(struct optset *os);

int opt_has(const struct optset *os, const char *name);
/* The last value given, or NULL.  Borrowed from argv. */
const char *opt_get(const struct optset *os, const char *name);
size_t opt_count(const struct optset *os, const char *name);
const char *opt_nth(const struct optset *os, const char *name, size_t i);

/* Print the options table (for --help). */
void opt_print_help(FILE *fp, const struct opt *opts, size_t nopts);

#endif
