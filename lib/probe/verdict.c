/* The build table's word on a fingerprint (verdict.h). */
#include "probe/verdict.h"

#include <stdio.h>
#include <string.h>

void xs_probe_decide(const xs_fingerprint *fp, xs_probe_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->product = out->cu = out->update = "";
    for (int f = 0; f < XS_FAM__N; f++) {
        xs_fverdict *v = &out->fam[f];
        if (!fp->exchange) {
            snprintf(v->reason, sizeof v->reason, "not an Exchange server");
            continue;
        }
        if (fp->build.nparts == 0) {
            snprintf(v->reason, sizeof v->reason, "the %s names no build",
                     fp->src == XS_FP_NONE && strncmp(fp->why, "Shadowserver", 12) == 0
                         ? "report"
                         : "response");
            out->finding = true;
            continue;
        }
        xs_build_family(&fp->build, (xs_family)f, v);
        if (v->state != XS_FS_PATCHED)
            out->finding = true;
    }
    if (!fp->exchange || fp->build.nparts == 0)
        return;
    const xs_build_row *row = xs_build_find(&fp->build);
    const xs_build_row *cu = row ? row : xs_build_cu(&fp->build);
    if (cu) {
        out->product = cu->product;
        out->cu = cu->cu;
        out->update = row ? row->update : "";
    }
}
