/* exspatterns: prints the indicator expressions of exsweep's line prefilter, one per line,
 * for peers that take a pattern file (rg -f, grep -E -f) in the benchmark (bench/run.sh).
 *
 * They come from lib/detectors/patterns.c itself, so the comparison always uses the set the
 * scanner runs: its triggers and its tokens (a peer cannot express the token conjunctions,
 * so it searches every token alone, which only makes its job easier). The "^#" directive
 * expression is left out: it finds log headers, not indicators. Duplicates (a list shared
 * by several log kinds) are printed once.
 */
#include <stdio.h>
#include <string.h>

#include "detectors/detect.h"

static const exs_pattern *const lists[] = {exs_pat_request, exs_pat_paths_w3c, exs_pat_paths_csv,
                                           exs_pat_rpshttp, exs_pat_ecp,       exs_pat_oabgen,
                                           exs_pat_cmdlet,  exs_pat_text};

int main(void)
{
    const char *seen[512];
    size_t n = 0;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (const exs_pattern *e = lists[l]; e->expr; e++) {
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= strcmp(seen[k], e->expr) == 0;
            if (dup || n == sizeof seen / sizeof seen[0])
                continue;
            seen[n++] = e->expr;
            puts(e->expr);
        }
    return fflush(stdout) == 0 ? 0 : 1;
}
