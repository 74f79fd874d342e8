/* The Exchange build table: every build Microsoft published for Exchange Server 2013, 2016,
 * 2019 and SE (cumulative updates, security and hotfix updates), with its release date, and
 * what each fixes of the three mass-exploited families. Facts only; the table is checked by
 * `make eval` against the build tables in the evaluation data. The remote probe (a later
 * issue) uses the same table.
 *
 * The decision never guesses: a build the table does not place, or a 3-part build whose
 * revision decides, is XS_FS_UNKNOWN with its reason.
 */
#ifndef XS_STATE_BUILDTAB_H
#define XS_STATE_BUILDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state/build.h"

typedef enum xs_family {
    XS_FAM_PROXYLOGON = 0,    /* CVE-2021-26855, -26857, -26858, -27065: Mar21SU */
    XS_FAM_PROXYSHELL = 1,    /* CVE-2021-34473, -34523 (Apr21SU), -31207 (May21SU) */
    XS_FAM_PROXYNOTSHELL = 2, /* CVE-2022-41040, -41082, and OWASSRF's -41080: Nov22SU */
    XS_FAM__N
} xs_family;

/* "ProxyLogon", "ProxyShell", "ProxyNotShell" (the finding families' names). */
const char *xs_family_name(xs_family f);
/* The family's CVEs, comma-separated, as findings name them: "CVE-2021-26855,CVE-2021-26857,..." */
const char *xs_family_cves(xs_family f);

typedef struct xs_build_row {
    const char *product;  /* "Exchange Server 2016" */
    const char *cu;       /* "CU19", "RTM", "SP1" */
    const char *update;   /* "" for the CU itself, else "Mar21SU", "Mar21SUv2", "Apr24HU" */
    const char *kb;       /* "KB5000871", "" when unknown */
    const char *build;    /* "15.1.2176.9" */
    const char *released; /* "2021-03-02" */
    uint8_t fixed;        /* bit (1 << xs_family): this build contains that family's fix */
} xs_build_row;

/* The rows, sorted by build. */
const xs_build_row *xs_buildtab(size_t *n);

/* The row of exactly this 4-part build, or NULL. */
const xs_build_row *xs_build_find(const xs_build *b);
/* The row of the CU this build belongs to (same first three parts, update ""), or NULL. */
const xs_build_row *xs_build_cu(const xs_build *b);

typedef enum xs_fstate { XS_FS_UNKNOWN = 0, XS_FS_VULNERABLE, XS_FS_PATCHED } xs_fstate;

typedef struct xs_fverdict {
    xs_fstate state;
    const xs_build_row *fix; /* the first build of the server's CU with the fix, NULL if none */
    char reason[200];        /* one sentence, "15.1.2176.2 (Exchange Server 2016 CU19) is below
                                15.1.2176.9 (Mar21SU, KB5000871)" */
} xs_fverdict;

/* What the table says of build b for family f. */
void xs_build_family(const xs_build *b, xs_family f, xs_fverdict *out);

/* "Exchange Server 2016 CU19" (with ", Mar21SU" when b is an update's build) into out, or ""
 * when the table does not place b. */
const char *xs_build_name(const xs_build *b, char *out, size_t cap);

#endif
