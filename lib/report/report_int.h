/* The report writers (internal to lib/report/). */
#ifndef EXS_REPORT_INT_H
#define EXS_REPORT_INT_H

#include <stdio.h>

#include "exsweep/exsweep.h"

void exs_report_text(const exs_scan *s, FILE *f, const exs_report_opts *opts);
void exs_report_jsonl(const exs_scan *s, FILE *f);
void exs_report_jsonl_one(FILE *f, const exs_finding *x);
void exs_report_csv(const exs_scan *s, FILE *f);

#endif
