/* After-sweep passes: run in order, single-threaded, once the workers are done. A pass reads
 * a view of what the sweep kept (the findings so far and the script requests, both in a fixed
 * order so that the result never depends on the number of workers) and reports through the
 * same sink as the detectors (lib/scan/ctx.h). The registry is in lib/scan/scan.c.
 */
#ifndef XS_SCAN_PASS_H
#define XS_SCAN_PASS_H

#include <stddef.h>

#include "scan/ctx.h"

struct exs_scan;
struct xs_files;

typedef struct xs_pass_view {
    struct exs_scan *scan;
    struct xs_files *files;            /* the file side's records (lib/scan/files_int.h) */
    const exs_finding *const *findings; /* kept so far, in the results' order */
    size_t nfindings;
    const xs_access *access;           /* by time, file, line */
    size_t naccess;
    struct xs_sigrules *sigma;         /* the rules of --sigma (detectors/sigma.h), or NULL */
} xs_pass_view;

typedef void (*xs_pass_fn)(const xs_pass_view *v);

/* A context for a finding at the same place as f (its root, path and members); buf holds the
 * display path: XS_MAX_WHERE bytes, the room any finding's place takes, so it is never cut. */
void xs_ctx_at_finding(xs_ctx *c, const xs_pass_view *v, const exs_finding *f,
                        char buf[XS_MAX_WHERE]);
/* A context for a finding at the place of a script request. */
void xs_ctx_at_access(xs_ctx *c, const xs_pass_view *v, const xs_access *a);

/* The passes (lib/detectors/burst.c, lib/detectors/shells.c, lib/detectors/links.c,
 * lib/detectors/sigma.c). */
void xs_pass_bursts(const xs_pass_view *v);
void xs_pass_files(const xs_pass_view *v);
void xs_pass_links(const xs_pass_view *v);
/* The Sigma correlation rules over the matches the sweep kept for them (detectors/sigma.c). */
void xs_pass_sigma(const xs_pass_view *v);

#endif
