/* exspatterns: prints the indicator expressions of exsweep's line prefilter, one per line,
 * for peers that take a pattern file (rg -f, grep -E -f) in the benchmark (bench/run.sh).
 *
 * They come from lib/detectors/patterns.c itself, so the comparison always uses the set the
 * scanner runs. The "^#" directive expression is left out: it finds log headers, not
 * indicators. Duplicates (a list shared by several log kinds) are printed once.
 */
#include <stdio.h>
#include <string.h>

#include "detectors/detect.h"

static const char *const *const lists[] = {exs_pat_request, exs_pat_request_iis, exs_pat_rpshttp,
                                           exs_pat_ecp,     exs_pat_oabgen,      exs_pat_cmdlet,
                                           exs_pat_text};

int main(void)
{
    const char *seen[512];
    size_t n = 0;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (const char *const *e = lists[l]; *e; e++) {
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= strcmp(seen[k], *e) == 0;
            if (dup || n == sizeof seen / sizeof seen[0])
                continue;
            seen[n++] = *e;
            puts(*e);
        }
    return fflush(stdout) == 0 ? 0 : 1;
}
