/* testutil.h -- helpers shared by the cmocka unit tests. */
#ifndef ASSAY_TESTUTIL_H
#define ASSAY_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "json.h"
#include "util.h"

/* cmocka 1.1.5's assert_float_equal casts to float: compare doubles here.
 * tol is absolute; 0 means bit-exact (and NaN never equals). */
#define assert_close(a, b, tol) do {                                       \
        double a_ = (a), b_ = (b), t_ = (tol);                              \
        if (!(a_ == b_ || (t_ > 0 && fabs(a_ - b_) <= t_))) {               \
            print_error("%.17g != %.17g (tol %g)\n", a_, b_, t_);           \
            fail();                                                         \
        }                                                                   \
    } while (0)

/* Directory of the test data, for tests run from the repository root. */
#define TEST_DATA "tests/data"
/* ../shared, when present; tests that need it skip() when it is not. */
static inline const char *shared_dir(void)
{
    const char *e = getenv("ASSAY_SHARED");
    FILE *f;

    if (e != NULL && *e != '\0')
        return e;
    f = fopen("../shared/DESIGN.md", "r");
    if (f == NULL)
        return NULL;
    fclose(f);
    return "../shared";
}

/* The JSON file dir name (dir ends in '/'); fails the test when it does
 * not load.  Returns a new value; caller frees with j_free(). */
static inline struct json_t *load_json(const char *dir, const char *name)
{
    struct assay_err err = ASSAY_ERR_INIT;
    char *path = xasprintf("%s%s", dir, name);
    struct json_t *doc = j_load_file(path, &err);

    if (doc == NULL)
        print_error("%s\n", err.msg);
    assert_non_null(doc);
    free(path);
    return doc;
}

#endif
