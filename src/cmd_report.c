/* cmd_report.c -- `assay report` (placeholder until its issue lands). */
#include "cmd.h"

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    opt_release(&os);
    fprintf(stderr, "assay: error: 'report' is not implemented yet\n");
    return EXIT_INTERNAL;
}

const struct command cmd_report_def = {
    "report", run, "assay report ...", "(not implemented yet)", "", NULL, 0,
};
