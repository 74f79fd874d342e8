/* Report dispatch: a writer is begin, one call per finding, end. */
#include <string.h>

#include "report/report_int.h"

int exs_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "text") == 0)
        return EXS_FORMAT_TEXT;
    if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0)
        return EXS_FORMAT_JSONL;
    if (strcmp(name, "csv") == 0)
        return EXS_FORMAT_CSV;
    if (strcmp(name, "timesketch") == 0)
        return EXS_FORMAT_TIMESKETCH;
    if (strcmp(name, "stix") == 0)
        return EXS_FORMAT_STIX;
    if (strcmp(name, "html") == 0)
        return EXS_FORMAT_HTML;
    return -1;
}

exs_rc exs_report_write(const exs_results *r, FILE *out, const exs_report_opts *opts)
{
    exs_report_opts def = EXS_REPORT_OPTS_INIT;
    if (!opts)
        opts = &def;
    if (!r || !out)
        return EXS_EINVAL;
    const xs_writer *w = opts->format == EXS_FORMAT_JSONL ? &xs_writer_jsonl
                          : opts->format == EXS_FORMAT_CSV ? &xs_writer_csv
                          : opts->format == EXS_FORMAT_TIMESKETCH ? &xs_writer_timesketch
                          : opts->format == EXS_FORMAT_STIX       ? &xs_writer_stix
                          : opts->format == EXS_FORMAT_HTML       ? &xs_writer_html
                                                                  : &xs_writer_text;
    exs_rc rc = w->begin ? w->begin(out, r, opts) : EXS_OK;
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    for (size_t i = 0; rc == EXS_OK && w->finding && i < n && !ferror(out); i++)
        rc = w->finding(out, r, &f[i]);
    if (rc == EXS_OK && w->end)
        rc = w->end(out, r, opts);
    if (rc != EXS_OK)
        return rc;
    return fflush(out) == 0 && !ferror(out) ? EXS_OK : EXS_EIO;
}
