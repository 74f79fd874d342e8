/* Small helpers shared by detectors. */
#include "core/timeparse.h"
#include "detectors/internal.h"
#include "exsweep/finding.h"

size_t exs_url_norm(exs_str path, char *out, size_t cap)
{
    return exs_norm_path(path, out, cap, 0);
}

int64_t exs_find_time(exs_str line)
{
    size_t lim = line.n < 64 ? line.n : 64;
    for (size_t i = 0; i + 19 <= lim; i++) {
        const char *p = line.p + i;
        if (p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') || p[13] != ':')
            continue;
        /* Take the longest ISO-looking token from here. */
        size_t n = 19;
        while (i + n < line.n && n < 40) {
            char c = p[n];
            if ((c >= '0' && c <= '9') || c == '.' || c == 'Z' || c == ':' || c == '+' ||
                (c == '-' && n >= 19))
                n++;
            else
                break;
        }
        for (; n >= 19; n--) {
            int64_t t = exs_time_parse_iso(exs_str_make(p, n));
            if (t != EXS_TIME_NONE)
                return t;
        }
    }
    return EXS_TIME_NONE;
}

void exs_hit_from_request(exs_hit *h, const exs_request *r, const exs_rule *rule, exs_verdict v,
                          exs_severity s)
{
    memset(h, 0, sizeof *h);
    h->rule = rule;
    h->verdict = v;
    h->severity = s;
    h->time_ms = r->time_ms;
    h->line = r->line;
    h->status = r->status > 0 ? r->status : 0;
    h->ip = r->ip;
    h->ua = r->ua;
    h->method = r->method;
    h->path = r->stem;
    h->query = r->query;
    h->user = r->user;
    h->host = r->host;
    h->evidence = r->raw;
}

bool exs_ua_starts(exs_str ua, const char *want)
{
    size_t n = strlen(want);
    if (ua.n < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = ua.p[i] == '+' ? ' ' : exs_lower(ua.p[i]);
        char b = want[i] == '+' ? ' ' : exs_lower(want[i]);
        if (a != b)
            return false;
    }
    return true;
}

bool exs_status_ok(int status)
{
    return status == 200 || status == 241 || status == 201 || status == 204;
}
