/* exsweep: writing what a scan found.
 *
 * Every string from the evidence is escaped for the target format: terminal control
 * characters, invalid UTF-8, CSV formula prefixes, JSON specials.
 */
#ifndef EXSWEEP_REPORT_H
#define EXSWEEP_REPORT_H

#include <stdio.h>

#include "error.h"
#include "results.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum exs_format {
    EXS_FORMAT_TEXT = 0, /* the terminal summary */
    EXS_FORMAT_JSONL = 1,/* one JSON object per finding, ECS field names */
    EXS_FORMAT_CSV = 2,  /* one row per finding, with a header */
    EXS_FORMAT_TIMESKETCH = 3, /* flat JSON lines Timesketch imports: the server's state as
                                  events, one per finding (docs/timesketch.md) */
    EXS_FORMAT_STIX = 4, /* one STIX 2.1 bundle for sharing: indicators, their sightings on
                            each server, observed data; deterministic ids (docs/stix.md) */
    EXS_FORMAT_HTML = 5, /* one self-contained HTML file: the story, a timeline, the findings
                            table (docs/html.md) */
} exs_format;

typedef struct exs_report_opts {
    exs_format format;
    int color;          /* text: ANSI colour */
    size_t top;         /* text: findings listed in full (0: none) */
    int verbose;        /* text: list every warning example */
} exs_report_opts;

/* The defaults: text, no colour, 12 findings in full. */
#define EXS_REPORT_OPTS_INIT {EXS_FORMAT_TEXT, 0, 12, 0}

/* Parses "text", "jsonl" (or "json"), "csv", "timesketch", "stix", "html". Returns -1 when unknown. */
int exs_format_parse(const char *name);

/* Writes the report of r. opts NULL: EXS_REPORT_OPTS_INIT. Fails with EXS_EIO when out fails
 * (the report is then incomplete), EXS_ENOMEM when the writer could not allocate. */
exs_rc exs_report_write(const exs_results *r, FILE *out, const exs_report_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
