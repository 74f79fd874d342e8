/* The report writers (internal to lib/report/). Each takes a results object: begin, one call
 * per finding in the results' order, end (report.c drives them). */
#ifndef XS_REPORT_INT_H
#define XS_REPORT_INT_H

#include <stdio.h>

#include "exsweep/exsweep.h"

typedef struct xs_writer {
    const char *name;
    /* Each returns EXS_OK, or EXS_ENOMEM when it could not allocate (the report is then cut). */
    exs_rc (*begin)(FILE *f, const exs_results *r, const exs_report_opts *o);
    exs_rc (*finding)(FILE *f, const exs_results *r, const exs_finding *x);
    exs_rc (*end)(FILE *f, const exs_results *r, const exs_report_opts *o);
} xs_writer;

extern const xs_writer xs_writer_text;  /* lib/report/summary.c */
extern const xs_writer xs_writer_jsonl; /* lib/report/jsonl.c */
extern const xs_writer xs_writer_csv;   /* lib/report/csv.c */
extern const xs_writer xs_writer_timesketch; /* lib/report/timesketch.c */
extern const xs_writer xs_writer_stix;  /* lib/report/stix.c */
extern const xs_writer xs_writer_html;  /* lib/report/html.c */

/* The terminal summary reads the results as a whole (in end). */
exs_rc xs_report_text(const exs_results *r, FILE *f, const exs_report_opts *opts);

/* The ECS version the JSON lines conform to. */
#define XS_ECS_VERSION "9.4.0"

#endif
