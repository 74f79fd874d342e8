/* From a target's fingerprint to what the build table says of it: product, CU and update
 * (xs_build_find, else xs_build_cu, as the server state does) and per family the table's
 * decision (xs_build_family: a 3-part build is unknown where the revision decides). Nothing
 * of the table or its logic is here.
 */
#ifndef XS_PROBE_VERDICT_H
#define XS_PROBE_VERDICT_H

#include "probe/fingerprint.h"
#include "state/buildtab.h"

typedef struct xs_probe_verdict {
    const char *product, *cu, *update; /* the table's (static) strings, "" when not placed */
    xs_fverdict fam[XS_FAM__N];
    bool finding; /* Exchange, and a family not patched */
} xs_probe_verdict;

void xs_probe_decide(const xs_fingerprint *fp, xs_probe_verdict *out);

#endif
