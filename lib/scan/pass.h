/* After-sweep passes: run in order, single-threaded, once the workers are done. A pass reads
 * a view of what the sweep kept (the findings so far and the script requests, both in a fixed
 * order so that the result never depends on the number of workers) and reports through the
 * same sink as the detectors (lib/scan/ctx.h). The registry is in lib/scan/scan.c.
 */
#ifndef EXS_SCAN_PASS_H
#define EXS_SCAN_PASS_H

#include <stddef.h>

#include "scan/ctx.h"

struct exs_scan;
struct exs_files;

typedef struct exs_pass_view {
    struct exs_scan *scan;
    struct exs_files *files;            /* the file side's records (lib/scan/files_int.h) */
    const exs_finding *const *findings; /* kept so far, in the results' order */
    size_t nfindings;
    const exs_access *access;           /* by time, file, line */
    size_t naccess;
} exs_pass_view;

typedef void (*exs_pass_fn)(const exs_pass_view *v);

/* A context for a finding at the same place as f (its root, path and members); buf holds the
 * display path: EXS_MAX_WHERE bytes, the room any finding's place takes, so it is never cut. */
void exs_ctx_at_finding(exs_ctx *c, const exs_pass_view *v, const exs_finding *f,
                        char buf[EXS_MAX_WHERE]);
/* A context for a finding at the place of a script request. */
void exs_ctx_at_access(exs_ctx *c, const exs_pass_view *v, const exs_access *a);

/* The passes (lib/detectors/burst.c, lib/detectors/shells.c, lib/detectors/links.c). */
void exs_pass_bursts(const exs_pass_view *v);
void exs_pass_files(const exs_pass_view *v);
void exs_pass_links(const exs_pass_view *v);

#endif
