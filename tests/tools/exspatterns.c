/* exspatterns: prints the indicator expressions of exsweep's line prefilter, one per line,
 * for peers that take a pattern file (rg -f, grep -E -f) in the benchmark (bench/run.sh).
 *
 * They come from the log kinds' prefilter sets (lib/logs/kinds.c, composed from the lists
 * each detector declares), so the comparison always uses the sets the scanner runs: their
 * triggers and their tokens (a peer cannot express the token conjunctions, so it searches
 * every token alone, which only makes its job easier). The "^#" directive expression is left
 * out: it finds log headers, not indicators; so is the event exports' "{" line start.
 * Duplicates (a list shared by several log kinds) are printed once.
 */
#include <stdio.h>
#include <string.h>

#include "detectors/detect.h"
#include "logs/kinds.h"

int main(void)
{
    const char *seen[512];
    size_t n = 0;
    for (int k = 0; k < XS_KIND__COUNT; k++) {
        const xs_pattern_set *set = xs_kind_patterns((xs_kind)k);
        for (size_t l = 0; set && set->lists[l]; l++) {
            const xs_pattern *e = set->lists[l];
            if (e == xs_pat_directive || e == xs_pat_jsonl)
                continue;
            for (; e->expr; e++) {
                int dup = 0;
                for (size_t i = 0; i < n; i++)
                    dup |= strcmp(seen[i], e->expr) == 0;
                if (dup || n == sizeof seen / sizeof seen[0])
                    continue;
                seen[n++] = e->expr;
                puts(e->expr);
            }
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
