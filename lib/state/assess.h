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

/* Fills *out for root from st (NULL: nothing observed) and the sweep's findings (for the
 * first exploitation of each family). Every string and array of *out lives in a (the caller
 * frees it). Returns false when out of memory. */
bool xs_state_assess(const xs_state *st, uint32_t root, const exs_finding *findings,
                      size_t nfindings, xs_arena *a, exs_server *out);

/* The family of a finding's rule as the state record counts it (OWASSRF with ProxyNotShell:
 * one update fixes both), or -1. */
int xs_state_finding_family(const exs_finding *f);

#endif
