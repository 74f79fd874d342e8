/* The summary's fleet view, for results of several roots (a sweep of several servers, or
 * several saved sweeps read together): internal to lib/report/. */
#ifndef XS_REPORT_FLEET_H
#define XS_REPORT_FLEET_H

#include <stdbool.h>
#include <stdio.h>

#include "exsweep/results.h"

/* One row per root: its label, its verdict (the heaviest of its kept findings: exploitation
 * and backdoor findings are always kept), its build, its first compromise and its findings;
 * then the client addresses seen on more than one root and the files (by SHA-256) found on
 * more than one. Prints nothing for fewer than two roots. Returns false when out of memory. */
bool xs_report_fleet(FILE *o, const exs_results *r, bool color);

#endif
