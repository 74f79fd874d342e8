/* From what the sweep observed of a server to its state record (include/exsweep/server.h):
 * the build now, the builds over time, the notes, and per family a verdict with its reason,
 * its sources and the exposure window.
 *
 * The build now is the one of the most trusted source (ExSetup.exe, then the registry, then
 * the latest log header or row, the setup logs, ECP, the owa\auth folders); within a source,
 * the highest build (updates only raise it) or, for logs, the one in force last. The table
 * (buildtab.h) decides each family; a mitigation in place for a family turns "vulnerable"
 * into "mitigated". Nothing is guessed: no source, or a build the table cannot decide, is
 * "unknown" with the reason.
 */
#ifndef XS_STATE_ASSESS_H
#define XS_STATE_ASSESS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "exsweep/finding.h"
#include "exsweep/server.h"
#include "state/observe.h"

/* The first exploitation finding of each family on each of nroots roots, in one pass over
 * the findings: out[root][family], EXS_TIME_NONE where there is none. */
void xs_state_exploited(const exs_finding *findings, size_t nfindings, uint32_t nroots,
                         int64_t (*out)[EXS_FAMILIES]);

/* Fills *out for root from st (NULL: nothing observed) and the root's first exploitation per
 * family (xs_state_exploited; NULL: none known). Every string and array of *out lives in a
 * (the caller frees it). Returns false when out of memory. */
bool xs_state_assess(const xs_state *st, uint32_t root, const int64_t *exploited,
                      xs_arena *a, exs_server *out);

/* The family of a finding's rule as the state record counts it (OWASSRF with ProxyNotShell:
 * one update fixes both), or -1. */
int xs_state_finding_family(const exs_finding *f);

#endif
