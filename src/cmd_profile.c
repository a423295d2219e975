/* cmd_profile.c -- `assay profile DATA [--format text|json]`: one scan
 * with the profile sink, printed as a table or as the JSON profile
 * object of DESIGN.md.  (Stub while scan.c lands.) */
#include "cmd.h"

static const struct opt opts[] = {
    { "format", 'f', OPT_ARG, "F", "text (default) or json" },
};

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    opt_release(&os);
    fprintf(stderr, "assay: error: 'profile' is not implemented yet\n");
    return EXIT_INTERNAL;
}

const struct command cmd_profile_def = {
    "profile", run, "assay profile DATA [--format text|json]",
    "describe every column of a dataset", "", opts, 1,
};
