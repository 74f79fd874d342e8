/* Sections of the text summary about what the attackers left (internal to lib/report/). */
#ifndef XS_REPORT_LEFT_H
#define XS_REPORT_LEFT_H

#include <stdbool.h>
#include <stdio.h>

#include "exsweep/results.h"

/* "What they left": every file on disk with a finding of verdict suspicious or worse, one
 * entry each (backdoors first, then by verdict, root and path), at most 20 listed and the rest
 * counted. Prints nothing when there is none. Returns false when out of memory. */
bool xs_report_left(FILE *o, const exs_results *r, bool color);

/* One line: the first exploitation finding with a time (what, where). Nothing when none. */
void xs_report_first_sign(FILE *o, const exs_results *r);

#endif
