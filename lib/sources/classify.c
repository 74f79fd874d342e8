/* File classification by location and content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "exsweep/finding.h"
#include "parsers/csv.h"
#include "parsers/evtx/evtx.h"
#include "parsers/w3c.h"
#include "sources/classify.h"
#include "sources/magic.h"

size_t exs_path_norm(const char *in, char *out, size_t cap)
{
    return exs_norm_path(exs_str_cstr(in), out, cap, '_');
}

static const struct {
    const char *dir;  /* under .../logging/ */
    exs_kind kind;
    const char *family;
} exch_dirs[] = {
    {"httpproxy/", EXS_KIND_HTTPPROXY, "HttpProxy"},
    {"ecp/server/", EXS_KIND_ECP, "ECP/Server"},
    {"ecp/activity/", EXS_KIND_EXCHANGE, "ECP/Activity"},
    {"oabgeneratorlog/", EXS_KIND_OABGEN, "OABGenerator"},
    {"cmdletinfra/powershell-proxy/http/", EXS_KIND_RPSHTTP, "CmdletInfra/Rps_Http"},
    {"cmdletinfra/powershell-proxy/cmdlet/", EXS_KIND_RPSCMDLET, "CmdletInfra/Rps_Cmdlet"},
    {"cmdletinfra/localpowershell/cmdlet/", EXS_KIND_RPSCMDLET, "CmdletInfra/LocalPowerShell"},
};

static const char *const proto_names[] = {"Autodiscover", "Eas",        "Ecp",        "Ews",
                                          "Mapi",         "Oab",        "Owa",        "OwaCalendar",
                                          "PowerShell",   "RpcHttp",    "RestApi",    "PushNotifications",
                                          "O365SuiteService", "E4e",    "Xrop",       "Rest"};

/* The component after prefix in norm (up to '/'), or "" when norm ends there. */
static size_t component(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    while (s[n] && s[n] != '/' && n + 1 < cap) {
        out[n] = s[n];
        n++;
    }
    out[n] = 0;
    return s[n] == '/' ? n : 0; /* a file name is not a folder */
}

/* Location: Exchange logging folders and IIS log folders, wherever the install is. */
static exs_kind by_location(const char *norm, exs_class *out)
{
    const char *lg = strstr(norm, "/logging/");
    for (; lg; lg = strstr(lg + 1, "/logging/")) {
        const char *sub = lg + 9;
        for (size_t i = 0; i < sizeof exch_dirs / sizeof exch_dirs[0]; i++) {
            size_t dl = strlen(exch_dirs[i].dir);
            if (strncmp(sub, exch_dirs[i].dir, dl) != 0)
                continue;
            snprintf(out->family, sizeof out->family, "%s", exch_dirs[i].family);
            if (exch_dirs[i].kind == EXS_KIND_HTTPPROXY) {
                char proto[32];
                if (component(sub + dl, proto, sizeof proto)) {
                    const char *nice = proto;
                    for (size_t k = 0; k < sizeof proto_names / sizeof proto_names[0]; k++)
                        if (exs_str_ieq(exs_str_cstr(proto), proto_names[k]))
                            nice = proto_names[k];
                    snprintf(out->family, sizeof out->family, "HttpProxy/%s", nice);
                }
            }
            return exch_dirs[i].kind;
        }
    }
    const char *lf = strstr(norm, "/logfiles/");
    for (; lf; lf = strstr(lf + 1, "/logfiles/")) {
        const char *sub = lf + 10;
        char comp[32];
        if (strncmp(sub, "w3svc", 5) == 0 && component(sub, comp, sizeof comp)) {
            for (char *q = comp; *q; q++)
                *q = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
            snprintf(out->family, sizeof out->family, "IIS/%s", comp);
            return EXS_KIND_IIS;
        }
        if (strncmp(sub, "httperr/", 8) == 0) {
            snprintf(out->family, sizeof out->family, "IIS/HTTPERR");
            return EXS_KIND_IIS;
        }
    }
    return EXS_KIND_NONE;
}

/* The display path's prefix before "<sep>Logging<sep>" of an Exchange log folder. */
static size_t install_root(const char *display)
{
    for (const char *p = display; *p; p++) {
        if ((p == display || p[-1] == '/' || p[-1] == '\\') && strncasecmp(p, "logging", 7) == 0 &&
            (p[7] == '/' || p[7] == '\\'))
            return p == display ? 0 : (size_t)(p - display - 1);
    }
    return 0;
}

static bool text_extension(const char *norm)
{
    const char *slash = strrchr(norm, '/');
    const char *base = slash ? slash + 1 : norm;
    const char *dot = strrchr(base, '.');
    if (!dot)
        return true;
    static const char *const exts[] = {".log", ".csv", ".txt", ".tsv", ".out", ".old", ".bak"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(dot, exts[i]) == 0)
            return true;
    return false;
}

/* Kind from the column names of a CSV header (a #Fields list or a bare header line). */
static exs_kind by_columns(const exs_csv_row *r, bool allow_export)
{
    bool anchor = false, eventdata = false, cmdlet = false, params = false, clientinfo = false,
         stem = false, url = false, timecol = false;
    for (size_t i = 0; i < r->n; i++) {
        exs_str f = exs_str_trim(i == 0 ? exs_strip_bom(r->f[i]) : r->f[i]);
        anchor |= exs_str_ieq(f, "AnchorMailbox");
        eventdata |= exs_str_ieq(f, "EventData");
        cmdlet |= exs_str_ieq(f, "Cmdlet");
        params |= exs_str_ieq(f, "Parameters");
        clientinfo |= exs_str_ieq(f, "ClientInfo");
        stem |= exs_str_ieq(f, "UrlStem") || exs_str_ieq(f, "cs-uri-stem");
        url |= exs_str_icontains(f, "url") || exs_str_icontains(f, "uri") ||
               exs_str_ieq(f, "path") || exs_str_ieq(f, "request");
        timecol |= exs_str_icontains(f, "time") || exs_str_icontains(f, "date");
    }
    if (anchor)
        return EXS_KIND_HTTPPROXY;
    if (eventdata)
        return EXS_KIND_ECP;
    if (cmdlet && params)
        return EXS_KIND_RPSCMDLET;
    if (clientinfo && stem)
        return EXS_KIND_RPSHTTP;
    if (allow_export && (stem || url) && timecol)
        return EXS_KIND_EXPORT;
    return EXS_KIND_NONE;
}

static exs_kind by_log_type(exs_str t)
{
    t = exs_str_trim(t);
    if (exs_str_ieq(t, "HttpProxy Logs"))
        return EXS_KIND_HTTPPROXY;
    if (exs_str_ieq(t, "ECP Server Log"))
        return EXS_KIND_ECP;
    if (exs_str_ieq(t, "Rps Http Logs"))
        return EXS_KIND_RPSHTTP;
    if (exs_str_ieq(t, "Rps Cmdlet Logs") || exs_str_iends(t, "Cmdlet Logs"))
        return EXS_KIND_RPSCMDLET;
    return EXS_KIND_EXCHANGE;
}

static bool headerless_httpproxy(const exs_csv_row *r)
{
    /* DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,... */
    if (r->n < 40 || exs_time_parse_iso(exs_str_trim(exs_strip_bom(r->f[0]))) == EXS_TIME_NONE)
        return false;
    for (int i = 2; i < 6; i++)
        if (exs_str_uint(r->f[i], 99999) < 0)
            return false;
    return true;
}

void exs_classify(const char *normpath, const char *display, const unsigned char *p, size_t n,
                  exs_class *out)
{
    static const unsigned char none[1];
    if (!p) { /* location only (the content could not be read) */
        p = none;
        n = 0;
    }
    memset(out, 0, sizeof *out);
    exs_kind loc = by_location(normpath, out);
    if (loc != EXS_KIND_NONE && loc != EXS_KIND_IIS)
        out->install_root_len = install_root(display);

    if (exs_evtx_sniff(p, n)) {
        out->kind = EXS_KIND_EVTX;
        snprintf(out->family, sizeof out->family, "EVTX");
        return;
    }
    if (exs_magic_is_archive(p, n)) {
        out->kind = EXS_KIND_ARCHIVE;
        return;
    }
    size_t sniff = n < EXS_SNIFF_BYTES ? n : EXS_SNIFF_BYTES;
    if (sniff && memchr(p, 0, sniff)) {
        /* NUL bytes: not text, unless the file lies where a log lies. Crashed servers leave
         * NUL-padded logs; those are still read (the bytes cannot match anything). */
        out->binary_log = loc != EXS_KIND_NONE;
        out->kind = loc;
        return;
    }

    /* Up to 16 lines of the head. */
    bool exch = false, iis = false;
    exs_str logtype = EXS_STR_NULL, fields = EXS_STR_NULL, first = EXS_STR_NULL;
    exs_str head = exs_strip_bom(exs_str_make((const char *)p, sniff));
    size_t off = 0;
    for (int i = 0; i < 16 && off < head.n; i++) {
        exs_str line = exs_str_trim(exs_next_line(head.p, head.n, &off));
        if (line.n == 0)
            continue;
        if (line.p[0] == '#') {
            exs_str d = exs_str_trim(exs_str_make(line.p + 1, line.n - 1));
            if (exs_str_istarts(d, "Software:")) {
                exch |= exs_str_icontains(d, "Microsoft Exchange");
                iis |= exs_str_icontains(d, "Internet Information Services") ||
                       exs_str_icontains(d, "HTTP API");
            } else if (exs_str_istarts(d, "Log-type:")) {
                logtype = exs_str_make(d.p + 9, d.n - 9);
            } else if (exs_str_istarts(d, "Fields:")) {
                fields = exs_str_trim(exs_str_make(d.p + 7, d.n - 7));
            }
            continue;
        }
        if (!first.p)
            first = line;
        break;
    }

    /* on the stack (about 16 KiB): a failed allocation would have classified by location only */
    exs_csv_row rowbuf, *row = &rowbuf;
    char scratch[EXS_SNIFF_BYTES + 1];
    exs_kind k = EXS_KIND_NONE;
    if (iis || (fields.n && !memchr(fields.p, ',', fields.n) &&
                (exs_str_icontains(fields, "cs-") || exs_str_icontains(fields, "c-ip")))) {
        k = EXS_KIND_IIS;
    } else if (logtype.n) {
        k = by_log_type(logtype);
    } else if (fields.n) {
        exs_csv_split(fields.p, fields.n, row, scratch);
        k = by_columns(row, false);
        if (k == EXS_KIND_NONE && exch)
            k = EXS_KIND_EXCHANGE;
    } else if (first.n && first.p[0] == '{' &&
               (exs_str_icontains(first, "\"EventID\"") || exs_str_icontains(first, "\"event_id\"") ||
                exs_str_icontains(first, "\"EventId\"") || exs_str_icontains(first, "\"winlog\""))) {
        k = EXS_KIND_JSONL; /* an event export, one object per line */
    } else if (first.n) {
        exs_csv_split(first.p, first.n, row, scratch);
        if (exs_csv_looks_like_header(row))
            k = by_columns(row, true);
        else if (exs_w3c_looks_like_row(first.p, first.n))
            k = EXS_KIND_IIS;
        else if (headerless_httpproxy(row))
            k = EXS_KIND_HTTPPROXY;
    }
    if (k == EXS_KIND_EXCHANGE && loc != EXS_KIND_NONE && loc != EXS_KIND_IIS)
        k = loc; /* an Exchange log of a type we read, in its folder */
    if (k == EXS_KIND_NONE && loc != EXS_KIND_NONE)
        k = loc;
    if (k == EXS_KIND_NONE && text_extension(normpath))
        k = EXS_KIND_TEXT;
    out->kind = k;
    if (k != loc || !out->family[0]) {
        const char *fam = NULL;
        switch (k) {
        case EXS_KIND_HTTPPROXY: fam = "HttpProxy"; break;
        case EXS_KIND_ECP: fam = "ECP/Server"; break;
        case EXS_KIND_OABGEN: fam = "OABGenerator"; break;
        case EXS_KIND_RPSHTTP: fam = "CmdletInfra/Rps_Http"; break;
        case EXS_KIND_RPSCMDLET: fam = "CmdletInfra/Rps_Cmdlet"; break;
        case EXS_KIND_IIS: fam = "IIS"; break;
        case EXS_KIND_EXPORT: fam = "Export (CSV)"; break;
        case EXS_KIND_TEXT: fam = "Text"; break;
        case EXS_KIND_JSONL: fam = "Events (JSON lines)"; break;
        default: break;
        }
        if (k == EXS_KIND_EXCHANGE) {
            exs_str lt = exs_str_trim(logtype);
            int ln = (int)(lt.n < 60 ? lt.n : 60);
            snprintf(out->family, sizeof out->family, "Exchange/%.*s", ln ? ln : 5,
                     ln ? lt.p : "other");
        } else if (fam && !(k == EXS_KIND_IIS && loc == EXS_KIND_IIS) &&
                   !(k == EXS_KIND_HTTPPROXY && loc == EXS_KIND_HTTPPROXY)) {
            snprintf(out->family, sizeof out->family, "%s", fam);
        }
    }
}

bool exs_looks_json_lines(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i >= n || p[i] != '{')
        return false;
    const unsigned char *nl = memchr(p + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - p) : n;
    while (e > i && (p[e - 1] == '\r' || p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    return e - i >= 2 && p[e - 1] == '}' && memchr(p + i, '"', e - i) != NULL;
}
