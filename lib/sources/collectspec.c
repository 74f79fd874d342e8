/* The collection spec written out (include/exsweep/collect.h): a Velociraptor artifact or a
 * KAPE target from the places of lib/sources/collect.c. */
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/timeparse.h"
#include "exsweep/collect.h"
#include "exsweep/exsweep.h"
#include "sources/collect.h"

#define MAX_PLACES 128
#define DEFAULT_ROOT "C:\\Program Files\\Microsoft\\Exchange Server\\V15"

/* A YAML single-quoted scalar: ' doubled; control bytes cannot come from our tables, and a
 * root from the command line is refused when it holds one. */
static _Thread_local FILE *O; /* the spec being written (per thread: writers may run at once) */

static void fputc_o(int ch)
{
    fputc(ch, O);
}

static void yq(const char *s)
{
    fputc_o('\'');
    for (; *s; s++) {
        if (*s == '\'')
            fputc_o('\'');
        fputc_o(*s);
    }
    fputc_o('\'');
}

static void slashes(const char *in, char *out, size_t cap, char from, char to)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++)
        out[i] = in[i] == from ? to : in[i];
    out[i] = 0;
}

static void velociraptor(const xs_collect *c, size_t n, const char *root, unsigned long long max,
                         const char *after)
{
    char r[1024];
    slashes(root, r, sizeof r, '\\', '/');
    fprintf(O, "name: Custom.Exsweep.Collect\n"
           "description: |\n"
           "  What exsweep %s reads from an Exchange server: logs, event logs, hives, web\n"
           "  folders, setup logs, IIS configuration and drop folders (written by exsweep\n"
           "  collect-spec: write it again for a new exsweep rather than edit it). Sweep the\n"
           "  collection with 'exsweep scan collection.zip'.\n"
           "author: exsweep\n"
           "type: CLIENT\n"
           "parameters:\n"
           "  - name: ExchangeRoot\n"
           "    description: the Exchange install folder, with forward slashes\n"
           "    default: ",
           exs_version());
    yq(r);
    fprintf(O, "\n  - name: MaxSize\n    type: int\n    default: %llu\n", max);
    fprintf(O, "  - name: LogsAfter\n    type: timestamp\n"
           "    description: only logs modified after this time; empty for every log\n"
           "    default: ");
    yq(after ? after : "");
    fprintf(O, "\nsources:\n  - query: |\n");
    for (int logs = 1; logs >= 0; logs--) {
        fprintf(O, "      LET %s = (", logs ? "LogGlobs" : "OtherGlobs");
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (c[i].logs != (bool)logs)
                continue;
            char g[256];
            slashes(c[i].glob, g, sizeof g, '\\', '/');
            fprintf(O, "%s\n          %s'%s%s'", k++ ? "," : "",
                   c[i].base == XS_CB_EXCHANGE ? "ExchangeRoot + " : "",
                   c[i].base == XS_CB_EXCHANGE ? "/" : "C:/", g);
        }
        fprintf(O, ")\n");
    }
    fprintf(O, "      LET Logs = SELECT OSPath, Size, Mtime FROM glob(globs=LogGlobs, accessor='auto')\n"
           "        WHERE NOT IsDir AND Size <= MaxSize AND (NOT LogsAfter OR Mtime > LogsAfter)\n"
           "      LET Others = SELECT OSPath, Size, Mtime FROM glob(globs=OtherGlobs, accessor='auto')\n"
           "        WHERE NOT IsDir AND Size <= MaxSize\n"
           "      SELECT OSPath, Size, Mtime, upload(file=OSPath, accessor='auto') AS Upload\n"
           "      FROM chain(a=Logs, b=Others)\n");
}

static void kape(const xs_collect *c, size_t n, const char *root, unsigned long long max)
{
    fprintf(O, "Description: What exsweep %s reads from an Exchange server\n"
           "Author: exsweep\n"
           "Version: 1.0\n"
           "Id: 5e7f1c0a-3b1d-5c2e-9a44-6578737765e1\n"
           "RecreateDirectories: true\n"
           "Targets:\n",
           exs_version());
    for (size_t i = 0; i < n; i++) {
        char full[1200];
        snprintf(full, sizeof full, "%s\\%s", c[i].base == XS_CB_EXCHANGE ? root : "C:",
                 c[i].glob);
        /* KAPE: a folder, a file mask for its last name, Recursive for "**" */
        bool rec = strstr(full, "\\**") != NULL;
        char *cut = rec ? strstr(full, "\\**") : strrchr(full, '\\');
        if (!cut) /* cannot happen with a root of at most 512 bytes: said, not guessed */
            continue;
        const char *mask = rec ? (cut[3] == '\\' ? cut + 4 : "*") : cut + 1;
        char path[1210], m[256];
        snprintf(m, sizeof m, "%s", *mask ? mask : "*");
        *cut = 0;
        snprintf(path, sizeof path, "%s\\", full);
        fprintf(O, "    -\n        Name: ");
        yq(c[i].what);
        fprintf(O, "\n        Category: Exchange\n        Path: ");
        yq(path);
        fprintf(O, "\n        FileMask: ");
        yq(m);
        fprintf(O, "\n        Recursive: %s\n        MaxSize: %llu\n", rec ? "true" : "false", max);
    }
}

exs_rc exs_collect_write(FILE *out, exs_collect_format f, const exs_collect_opts *o)
{
    exs_collect_opts d = {NULL, 0, NULL};
    if (!o)
        o = &d;
    const char *root = o->exchange_root ? o->exchange_root : DEFAULT_ROOT;
    for (const char *p = root; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return EXS_EINVAL;
    /* a root the spec's paths hold whole, in valid UTF-8 (YAML is UTF-8) */
    if (strlen(root) > 512 || !xs_utf8_valid(root, strlen(root)))
        return EXS_EINVAL;
    if (o->logs_after && xs_time_parse_iso(xs_str_cstr(o->logs_after)) == EXS_TIME_NONE)
        return EXS_EINVAL;
    if (f != EXS_COLLECT_VELOCIRAPTOR && f != EXS_COLLECT_KAPE)
        return EXS_EINVAL;
    xs_collect spec[MAX_PLACES];
    size_t n = xs_collect_spec(spec, MAX_PLACES);
    O = out;
    unsigned long long max = o->max_size ? o->max_size : 1ULL << 30;
    if (f == EXS_COLLECT_VELOCIRAPTOR)
        velociraptor(spec, n, root, max, o->logs_after);
    else
        kape(spec, n, root, max);
    return fflush(out) == 0 && !ferror(out) ? EXS_OK : EXS_EIO;
}
