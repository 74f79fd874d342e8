/* The summary's fleet view, for results of several roots (a sweep of several servers, or
 * several saved sweeps read together): internal to lib/report/. */
#ifndef XS_REPORT_FLEET_H
#define XS_REPORT_FLEET_H

#include <stdbool.h>
#include <stdio.h>

#include "exsweep/results.h"

#define XS_FLEET_ROOTS_NAMED 6 /* servers named per shared address or file; the rest counted */

typedef struct xs_fleet_row {
    exs_verdict worst;  /* the heaviest of its kept findings (exploitation and backdoor findings
                           are always kept) */
    int64_t first_ms;   /* its first exploitation, EXS_TIME_NONE */
    uint64_t findings;  /* kept */
    const char *build;  /* the build now, NULL when unknown */
} xs_fleet_row;

/* A value (an attacker's address, a file's SHA-256) seen on several roots. */
typedef struct xs_fleet_shared {
    const char *value;
    const char *path;   /* for a file: the first path it was found at; NULL for an address */
    size_t nroots;      /* how many roots */
    uint32_t roots[XS_FLEET_ROOTS_NAMED];
    size_t named;       /* roots[0..named): the first, by root index */
} xs_fleet_shared;

/* The fleet: one row per root, then the shared values (sorted). Strings point into the
 * results. */
typedef struct xs_fleet {
    size_t nroots;      /* 0 for results of fewer than two roots: nothing collected */
    xs_fleet_row *rows;
    xs_fleet_shared *addrs, *files;
    size_t naddrs, nfiles;
} xs_fleet;

/* Fills *out (free with xs_fleet_free); false when out of memory (*out empty). */
bool xs_fleet_collect(const exs_results *r, xs_fleet *out);
void xs_fleet_free(xs_fleet *f);
/* "COMPROMISED", "SUSPICIOUS", "ATTACKED", "PROBED", "NO FINDINGS" (0). */
const char *xs_fleet_verdict_word(exs_verdict v);

/* One row per root: its label, its verdict (the heaviest of its kept findings: exploitation
 * and backdoor findings are always kept), its build, its first compromise and its findings;
 * then the client addresses seen on more than one root and the files (by SHA-256) found on
 * more than one. Prints nothing for fewer than two roots. Returns false when out of memory. */
bool xs_report_fleet(FILE *o, const exs_results *r, bool color);

#endif
