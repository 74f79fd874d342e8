/* msert.log reader. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/failnote.h"
#include "core/utf16.h"
#include "parsers/msert.h"

/* UTF-16LE (BOM or NULs in every second byte of the head) to UTF-8; other input is copied.
 * NULL when out of memory (noted for the worker: xs_failnote). */
static char *to_utf8(const unsigned char *p, size_t n, size_t *out_n)
{
    bool utf16 = n >= 2 && p[0] == 0xFF && p[1] == 0xFE;
    if (!utf16 && n >= 8) {
        size_t zeros = 0, k = n < 256 ? n : 256;
        for (size_t i = 1; i < k; i += 2)
            zeros += p[i] == 0;
        utf16 = zeros * 4 >= k; /* half of the odd bytes or more */
    }
    if (!utf16) {
        char *c = malloc(n + 1);
        if (!c)
            return NULL;
        memcpy(c, p, n);
        c[n] = 0;
        *out_n = n;
        return c;
    }
    size_t i = (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) ? 2 : 0;
    size_t room = ((n - i) / 2) * 3; /* a unit takes at most 3 bytes, a pair of them 4 */
    char *o = malloc(room + 1);
    if (!o)
        return NULL;
    size_t k = xs_utf16le_to_utf8(p + i, (n - i) / 2, o, room, ' ', NULL);
    o[k] = 0;
    *out_n = k;
    return o;
}

/* Reads an unsigned decimal of at most 4 digits at *p; -1 when there is none. */
static int num(const char **p, const char *end)
{
    int v = 0, k = 0;
    while (*p < end && **p >= '0' && **p <= '9' && k < 4) {
        v = v * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    return k ? v : -1;
}

static void spaces(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

/* "Sat Mar 13 18:24:42 2021" -> ms, or EXS_TIME_NONE. */
static int64_t parse_ctime(xs_str s)
{
    static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec"};
    const char *p = s.p, *end = s.p + s.n;
    while (p < end && *p != ' ')
        p++; /* weekday */
    spaces(&p, end);
    if (end - p < 3)
        return EXS_TIME_NONE;
    int m = -1;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(p, mon[i], 3) == 0)
            m = i;
    while (p < end && *p != ' ')
        p++;
    spaces(&p, end);
    int d = num(&p, end);
    spaces(&p, end);
    int H = num(&p, end);
    if (p < end && *p == ':')
        p++;
    int M = num(&p, end);
    if (p < end && *p == ':')
        p++;
    int S = num(&p, end);
    spaces(&p, end);
    int y = num(&p, end);
    if (m < 0 || d < 1 || d > 31 || H < 0 || H > 23 || M < 0 || M > 59 || S < 0 || S > 60 ||
        y < 1990 || y > 2100)
        return EXS_TIME_NONE;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m;
    tm.tm_mday = d;
    tm.tm_hour = H;
    tm.tm_min = M;
    tm.tm_sec = S;
    return (int64_t)timegm(&tm) * 1000;
}

static xs_str after_prefix(xs_str line, const char *prefix)
{
    xs_str t = xs_str_trim(line);
    if (!xs_str_istarts(t, prefix))
        return XS_STR_NULL;
    size_t k = strlen(prefix);
    return xs_str_trim(xs_str_make(t.p + k, t.n - k));
}

size_t xs_msert_parse(const unsigned char *buf, size_t n, xs_msert_fn fn, void *ctx)
{
    size_t tn = 0, threats = 0;
    char *t = to_utf8(buf, n, &tn);
    if (!t) { /* the caller counts threats and has no result code: the worker is told */
        xs_failnote(EXS_ENOMEM, "out of memory decoding an MSERT log");
        return 0;
    }
    int64_t run_time = EXS_TIME_NONE;
    xs_str version = XS_STR_NULL, scan = XS_STR_NULL;
    xs_msert_event pending;
    bool have_pending = false;
    unsigned since = 0;
    uint64_t lineno = 0;
    size_t off = 0;
    while (off < tn) {
        xs_str line = xs_next_line(t, tn, &off);
        lineno++;
        xs_str v;
        if (have_pending) {
            xs_str tl = xs_str_trim(line);
            long k = xs_str_ifind(tl, "file://");
            if (k >= 0 && pending.path.n == 0) {
                pending.path = xs_str_trim(xs_str_make(tl.p + k + 7, tl.n - (size_t)k - 7));
                /* "->" separates a container from the member; keep the container */
                long arrow = xs_str_ifind(pending.path, "->");
                if (arrow > 0)
                    pending.path.n = (size_t)arrow;
            }
            if (++since > 6 || xs_str_istarts(tl, "Threat Detected") ||
                xs_str_istarts(tl, "Results Summary") || pending.path.n) {
                fn(ctx, &pending);
                threats++;
                have_pending = false;
            }
        }
        if ((v = after_prefix(line, "Microsoft Safety Scanner v")).p) {
            version = xs_str_trim(line);
        } else if ((v = after_prefix(line, "Started On")).p) {
            run_time = parse_ctime(v);
            scan = XS_STR_NULL;
            xs_msert_event e = {XS_MSERT_RUN, lineno,       run_time,     version,
                                 XS_STR_NULL,  XS_STR_NULL, XS_STR_NULL, XS_STR_NULL};
            fn(ctx, &e);
        } else if (xs_str_iends(xs_str_trim(line), "Scan Results:")) {
            xs_str tl = xs_str_trim(line);
            scan = xs_str_make(tl.p, tl.n - 9);
            scan = xs_str_trim(scan);
        } else if ((v = after_prefix(line, "Threat Detected:")).p && !have_pending) {
            memset(&pending, 0, sizeof pending);
            pending.kind = XS_MSERT_THREAT;
            pending.line = lineno;
            pending.time_ms = run_time;
            pending.version = version;
            pending.scan = scan;
            /* "<name>, not removed." or "<name> and removed!" */
            size_t cut = v.n;
            for (size_t i = 0; i < v.n; i++)
                if (v.p[i] == ',' || (i + 5 <= v.n && memcmp(v.p + i, " and ", 5) == 0)) {
                    cut = i;
                    break;
                }
            pending.threat = xs_str_trim(xs_str_make(v.p, cut));
            xs_str act = xs_str_make(v.p + cut, v.n - cut);
            while (act.n && (act.p[0] == ',' || act.p[0] == ' '))
                act = xs_str_make(act.p + 1, act.n - 1);
            if (xs_str_istarts(act, "and "))
                act = xs_str_make(act.p + 4, act.n - 4);
            while (act.n && (act.p[act.n - 1] == '.' || act.p[act.n - 1] == '!' ||
                             act.p[act.n - 1] == '\r' || act.p[act.n - 1] == ' '))
                act.n--;
            pending.action = act;
            have_pending = true;
            since = 0;
        }
    }
    if (have_pending) {
        fn(ctx, &pending);
        threats++;
    }
    free(t);
    return threats;
}
