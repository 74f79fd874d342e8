/* The fold of probe.c for the live prober (live.c): a target probed here goes into the same
 * exs_probe as a saved scan's records, and is decided and written by the same code. */
#ifndef XS_PROBE_FOLD_H
#define XS_PROBE_FOLD_H

#include <stdint.h>

#include "core/limits.h"
#include "exsweep/probe.h"
#include "probe/fingerprint.h"
#include "probe/targets.h"

/* What one live target gave. Strings are copied (cut at XS_PROBE_MAX_TEXT bytes). */
typedef struct xs_live_rec {
    const xs_tspec *t;
    size_t order;     /* the target's place in the list: records are written in this order */
    const char *seen; /* the time of its first response, or first attempt */
    xs_fingerprint fp;
    uint32_t records; /* responses fingerprinted */
    const char *subject, *issuer, *not_after; /* "" for none */
    const char *names[XS_PROBE_MAX_CERT_NAMES];
    size_t nnames;
    exs_probe_net net;
    const exs_probe_shell *shells; /* the possible backdoors (paths are static) */
    size_t nshells;
    uint32_t shells_checked;
    exs_probe_active active[EXS_FAMILIES]; /* static strings */
    int nactive;
} xs_live_rec;

/* An empty exs_probe of kind EXS_PROBE_LIVE, or NULL. */
exs_probe *xs_probe_live_create(void);
/* Folds r into p (a target already there is merged). False when out of memory. */
bool xs_probe_live_put(exs_probe *p, const xs_live_rec *r);
/* A warning about line (0: the run). */
void xs_probe_warn(exs_probe *p, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Decides every target; the counts. EXS_OK or EXS_ENOMEM. */
exs_rc xs_probe_live_finish(exs_probe *p, uint64_t excluded, uint64_t repeated,
                            double seconds, uint64_t shell_paths, bool active);

#endif
