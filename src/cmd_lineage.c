/* cmd_lineage.c -- `assay lineage` (placeholder until its issue lands). */
#include "cmd.h"

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    opt_release(&os);
    fprintf(stderr, "assay: error: 'lineage' is not implemented yet\n");
    return EXIT_INTERNAL;
}

const struct command cmd_lineage_def = {
    "lineage", run, "assay lineage ...", "(not implemented yet)", "", NULL, 0,
};
