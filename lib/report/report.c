/* Report dispatch. */
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
    return -1;
}

exs_rc exs_report_write(const exs_scan *s, FILE *out, const exs_report_opts *opts)
{
    exs_report_opts def = {0};
    if (!opts)
        opts = &def;
    switch (opts->format) {
    case EXS_FORMAT_JSONL: exs_report_jsonl(s, out); break;
    case EXS_FORMAT_CSV: exs_report_csv(s, out); break;
    default: exs_report_text(s, out, opts); break;
    }
    return fflush(out) == 0 && !ferror(out) ? EXS_OK : EXS_EIO;
}
