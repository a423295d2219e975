/* cmd_suggest.c -- `assay suggest DATA`: profile the data and print a
 * commented YAML rules file that the same data passes.  (Stub while
 * scan.c lands.) */
#include "cmd.h"

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    opt_release(&os);
    fprintf(stderr, "assay: error: 'suggest' is not implemented yet\n");
    return EXIT_INTERNAL;
}

const struct command cmd_suggest_def = {
    "suggest", run, "assay suggest DATA",
    "print a rules file inferred from the data", "", NULL, 0,
};
