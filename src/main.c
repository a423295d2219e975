/* main.c -- entry point: global options, the command table, dispatch,
 * and the checks on stdout that make a full disk an error (exit 4).
 *
 * How to add a command: see src/cmd.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <locale.h>
#include "cmd.h"
#include "util.h"

/* The commands, in the order `assay help` lists them. */
static const struct command *const commands[] = {
    &cmd_check_def,
    &cmd_profile_def,
    &cmd_suggest_def,
    &cmd_bias_def,
    &cmd_hash_def,
    &cmd_lineage_def,
    &cmd_report_def,
    &cmd_attest_def,
};

static const char *db_opt;

const char *assay_db_path(void)
{
    const char *env = getenv("ASSAY_DB");

    if (db_opt != NULL)
        return db_opt;
    if (env != NULL && *env != '\0')
        return env;
    return ".assay/lineage.db";
}

int use_color(int fd)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

    if (nc != NULL && *nc != '\0')
        return 0;
    if (term != NULL && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fd);
}

int use_progress(void)
{
    const char *ci = getenv("CI");

    if (ci != NULL && *ci != '\0' && strcmp(ci, "false") != 0)
        return 0;
    return isatty(STDERR_FILENO);
}

void warnx(const char *fmt, ...)
{
    va_list ap;

    fputs("assay: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int report_error(const struct assay_err *err)
{
    if (err->located)
        fprintf(stderr, "assay: %s\n", err->msg);
    else
        fprintf(stderr, "assay: error: %s\n", err->msg[0] ? err->msg :
                assay_strerror(err->status));
    return assay_exit_code(err->status == ASSAY_OK ? ASSAY_EINTERNAL :
                           err->status);
}

int usage_error(const struct command *c, const char *fmt, ...)
{
    va_list ap;

    fputs("assay: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (c != NULL)
        fprintf(stderr, "usage: %s\nTry 'assay %s --help' for more.\n",
                c->synopsis, c->name);
    else
        fputs("Try 'assay help' for more.\n", stderr);
    return EXIT_USAGE;
}

void cmd_print_help(const struct command *c, FILE *fp)
{
    fprintf(fp, "usage: %s\n\n%s\n", c->synopsis, c->summary);
    if (c->description != NULL && *c->description)
        fprintf(fp, "\n%s", c->description);
    fputs("\nOptions:\n", fp);
    opt_print_help(fp, c->opts, c->nopts);
    /* A description that states its own exit status replaces the
     * general one. */
    if (c->description == NULL || strstr(c->description, "Exit status:")
        == NULL)
        fputs("\nExit status: 0 pass, 1 the gate failed, 2 usage error, "
              "3 bad input, 4 internal or I/O error.\n", fp);
}

int cmd_begin(const struct command *c, struct optset *os, int argc,
              char **argv, int *rc)
{
    struct assay_err err = ASSAY_ERR_INIT;

    if (opt_parse(os, c->opts, c->nopts, argc, argv, 1, &err) < 0) {
        *rc = usage_error(c, "%s", err.msg);
        opt_release(os);
        return 1;
    }
    if (os->help) {
        cmd_print_help(c, stdout);
        *rc = EXIT_PASS;
        opt_release(os);
        return 1;
    }
    return 0;
}

static const struct command *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(commands); i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_overview(FILE *fp)
{
    size_t i;

    fputs("usage: assay [--db PATH] COMMAND [ARGS]\n\n"
          "assay audits ML training data before a model trains: is it clean,\n"
          "is it fair enough, and is it exactly the data we think it is.\n\n"
          "Commands:\n", fp);
    for (i = 0; i < ARRAY_SIZE(commands); i++)
        fprintf(fp, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\nExamples:\n"
          "  assay check train.csv --rules rules.yml      "
          "# the CI gate: exit 1 on failure\n"
          "  assay bias train.csv --facet sex --facet-value Female "
          "--label income --label-value '>50K'\n"
          "  assay lineage upstream env:production        "
          "# which data is behind the live model?\n\n"
          "Global options:\n"
          "  --db PATH    lineage database (default $ASSAY_DB, else "
          "./.assay/lineage.db)\n"
          "  --version    print the version\n\n"
          "Run 'assay help COMMAND' or 'assay COMMAND --help' for details.\n",
          fp);
}

static int finish(int rc)
{
    /* A result that did not reach stdout is an error, not a pass. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("assay: error: cannot write to standard output\n", stderr);
        return EXIT_INTERNAL;
    }
    return rc;
}

int main(int argc, char **argv)
{
    const struct command *c;
    int i = 1;

    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db_opt = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            db_opt = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "--version") == 0 ||
                   strcmp(argv[i], "-V") == 0) {
            printf("assay %s\n", ASSAY_VERSION);
            return finish(EXIT_PASS);
        } else if (strcmp(argv[i], "--help") == 0 ||
                   strcmp(argv[i], "-h") == 0) {
            print_overview(stdout);
            return finish(EXIT_PASS);
        } else {
            return usage_error(NULL, "unknown global option '%s'", argv[i]);
        }
    }
    if (i >= argc) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 >= argc) {
            print_overview(stdout);
            return finish(EXIT_PASS);
        }
        c = find_command(argv[i + 1]);
        if (c == NULL)
            return usage_error(NULL, "unknown command '%s'", argv[i + 1]);
        cmd_print_help(c, stdout);
        return finish(EXIT_PASS);
    }
    if (strcmp(argv[i], "version") == 0) {
        printf("assay %s\n", ASSAY_VERSION);
        return finish(EXIT_PASS);
    }
    c = find_command(argv[i]);
    if (c == NULL)
        return usage_error(NULL, "unknown command '%s'", argv[i]);
    return finish(c->run(c, argc - i, argv + i));
}
