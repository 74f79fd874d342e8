/* Sections of the text summary about what the attackers left (internal to lib/report/). */
#ifndef XS_REPORT_LEFT_H
#define XS_REPORT_LEFT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exsweep/results.h"

#define XS_LEFT_RULES 3 /* rule ids kept per entry; the rest are counted */

/* One file on disk with a finding of verdict suspicious or worse: every kept finding about it
 * (the file subject of a finding of kind "file", and the tie EXS-LINK-SHELL that names it). */
typedef struct xs_left_entry {
    uint32_t root;
    const char *path;
    exs_verdict worst;
    bool backdoor;
    const exs_finding *first;  /* the heaviest finding about it, for its words */
    const exs_finding *link;   /* EXS-LINK-SHELL of it, or NULL */
    const exs_finding *served; /* a finding with its requests, or NULL */
    const char *sha256;
    int64_t mtime_ms;
    const char *rules[XS_LEFT_RULES];
    size_t nrules;             /* may pass XS_LEFT_RULES: the rest are counted */
} xs_left_entry;

/* What an entry's findings say of its file's writing and use, each NULL when unknown. */
typedef struct xs_left_facts {
    const char *created, *created_by; /* the Sysmon creation the tie found */
    const char *requests;             /* the requests made to it (decimal); NULL for none */
    const char *answered;             /* how many were answered with success */
    const char *first, *last;         /* the first and last; last NULL when the same */
    const char *clients;              /* the addresses they came from */
} xs_left_facts;

void xs_left_facts_of(const xs_left_entry *e, xs_left_facts *out);

/* The entries of r, backdoors first, then by verdict, root and path: *out (free it; NULL when
 * there is none) and *n. The text summary and the HTML report both list them. Returns false
 * when out of memory (*out NULL). */
bool xs_left_collect(const exs_results *r, xs_left_entry **out, size_t *n);

/* "What they left": every file on disk with a finding of verdict suspicious or worse, one
 * entry each (backdoors first, then by verdict, root and path), at most 20 listed and the rest
 * counted. Prints nothing when there is none. Returns false when out of memory. */
bool xs_report_left(FILE *o, const exs_results *r, bool color);

/* The first exploitation finding with a time (findings are in time order), or NULL. */
const exs_finding *xs_left_first_sign(const exs_results *r);

/* One line: the first exploitation finding with a time (what, where). Nothing when none. */
void xs_report_first_sign(FILE *o, const exs_results *r);

#endif
