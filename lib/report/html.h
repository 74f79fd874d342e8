/* The HTML report (internal to lib/report/; docs/html.md). */
#ifndef XS_REPORT_HTML_H
#define XS_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "exsweep/exsweep.h"

/* The page's style and script: lib/report/html.css and html.js, made C data at build time
 * (scripts/embed-text.sh). */
extern const char *const xs_html_css;
extern const char *const xs_html_js;

/* The whole document. At most max_findings kept findings are embedded (the writer passes
 * XS_HTML_MAX_FINDINGS; tests pass less): past it the heaviest, in time order, and the rest
 * counted. EXS_ENOMEM when out of memory (the document is then cut). */
exs_rc xs_report_html(const exs_results *r, FILE *f, size_t max_findings);

#endif
