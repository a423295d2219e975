/* cmd.h -- the command table and what every cmd_*.c may use.
 *
 * How to add a command:
 *  1. write src/cmd_NAME.c defining `const struct command cmd_NAME_def`
 *     with its option table (opt.h) and help text;
 *  2. declare it below and add a row to commands[] in main.c;
 *  3. add tests/cli/NNNN-NAME.t and a section in doc/assay.1.
 * Commands return the process exit code (DESIGN.md): 0 pass, 1 gate
 * failed, 2 usage, 3 bad input, 4 internal or I/O error.  Only cmd_*.c
 * and main.c print errors. */
#ifndef ASSAY_CMD_H
#define ASSAY_CMD_H

#include <stdio.h>
#include "opt.h"
#include "status.h"

#define ASSAY_VERSION "0.1.0"

enum { EXIT_PASS = 0, EXIT_GATE = 1, EXIT_USAGE = 2, EXIT_INPUT = 3,
       EXIT_INTERNAL = 4 };

struct command {
    const char *name;
    int (*run)(const struct command *self, int argc, char **argv);
    const char *synopsis;       /* usage line(s), without "usage: " */
    const char *summary;        /* one line for `assay help` */
    const char *description;    /* the rest of --help: what, examples */
    const struct opt *opts;
    size_t nopts;
};

extern const struct command cmd_check_def, cmd_profile_def, cmd_suggest_def,
    cmd_bias_def, cmd_hash_def, cmd_lineage_def, cmd_report_def,
    cmd_attest_def;

/* Parse a command's options.  Returns 1 when the command must stop now
 * with *rc (help printed: 0; usage error printed: 2), else 0. */
int cmd_begin(const struct command *c, struct optset *os, int argc,
              char **argv, int *rc);
void cmd_print_help(const struct command *c, FILE *fp);

/* Print "assay: error: ..." (or the located message) for err and return
 * its exit code. */
int report_error(const struct assay_err *err);
/* Print a usage error with a pointer to --help; returns 2. */
int usage_error(const struct command *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- output files (src/cmd_out.c) ---- */
struct json_t;
/* Writes something to fp; 0 or -1 with err. */
typedef int (*cmd_writer_fn)(FILE *fp, void *ctx, struct assay_err *err);
/* A command's own writer for a format (e.g. bias JSON), or NULL to use
 * the report writer of reports/. */
typedef cmd_writer_fn (*cmd_report_hook)(const char *fmt);
/* Check every --report FORMAT=PATH; 0, or prints a usage error and
 * returns 2. */
int cmd_report_specs_ok(const struct command *self, const struct optset *os);
/* Write doc in report format fmt to stdout: colour on a terminal for
 * text, the GitHub step summary for github.  0 or -1 with err. */
int cmd_write_stdout(const char *fmt, const struct json_t *doc,
                     const char *data_path, struct assay_err *err);
/* Write path ("-": stdout) atomically: a temporary file in the same
 * directory renamed into place; nothing is left behind on failure. */
int cmd_write_file(const char *path, cmd_writer_fn fn, void *ctx,
                   struct assay_err *err);
/* Write every --report FORMAT=PATH of os from doc (hook: see above; its
 * writers get hook_ctx).  Returns 0 or the exit code of a printed error. */
int cmd_write_reports(const struct optset *os, const struct json_t *doc,
                      const char *data_path, cmd_report_hook hook,
                      void *hook_ctx);

/* Lineage database path: --db, else $ASSAY_DB, else ./.assay/lineage.db */
const char *assay_db_path(void);
/* 1 if colour may be used on fd (a terminal, NO_COLOR unset, TERM not
 * dumb). */
int use_color(int fd);
/* 1 if progress may be drawn on stderr (a terminal, not CI, not -q). */
int use_progress(void);

#endif
