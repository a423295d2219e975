/* fuzz_main.h -- the replay driver every fuzzer shares: built with
 * -DFUZZ_MAIN, a fuzzer is a plain program that feeds each file named on
 * its command line, whole, to LLVMFuzzerTestOneInput() (to rerun a crash
 * without libFuzzer).  Without FUZZ_MAIN this header is empty.  Include it
 * once, at the end of a fuzz_*.c. */
#ifndef ASSAY_FUZZ_MAIN_H
#define ASSAY_FUZZ_MAIN_H

#ifdef FUZZ_MAIN
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        struct buf b = BUF_INIT;
        char tmp[65536];
        size_t k;

        if (f == NULL) {
            perror(argv[i]);
            return 1;
        }
        while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
            buf_add(&b, tmp, k);
        fclose(f);
        LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
        buf_release(&b);
    }
    return 0;
}
#endif

#endif
