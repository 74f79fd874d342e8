/* Small helpers shared by detectors. */
#include "core/timeparse.h"
#include "detectors/internal.h"
#include "exsweep/finding.h"

size_t xs_url_norm(xs_str path, char *out, size_t cap)
{
    return xs_norm_path(path, out, cap, 0);
}

int64_t xs_find_time(xs_str line)
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
            int64_t t = xs_time_parse_iso(xs_str_make(p, n));
            if (t != EXS_TIME_NONE)
                return t;
        }
    }
    return EXS_TIME_NONE;
}

void xs_hit_from_request(xs_hit *h, const xs_request *r, const exs_rule *rule, exs_verdict v,
                          exs_severity s)
{
    xs_hit_init(h, rule, v, s, r->time_ms);
    h->line = r->line;
    h->http.status = r->status > 0 ? r->status : 0;
    h->http.client = r->ip;
    h->http.ua = r->ua;
    h->http.method = r->method;
    h->http.path = r->stem;
    h->http.query = r->query;
    h->http.user = r->user;
    h->http.host = r->host;
    h->http.backend = r->backend;
    h->evidence = r->raw;
}

void xs_hit_event_of(xs_hit *h, const xs_event *e)
{
    h->record = e->record;
    h->line = e->line;
    if (e->offset > 0) /* an EVTX record's (0 is the file header: none) */
        h->offset = e->offset;
    h->event.channel = xs_str_trim(e->channel);
    h->event.provider = xs_str_trim(e->provider);
    h->event.computer = xs_str_trim(e->computer);
    h->event.id = e->event_id;
    h->event.recovered = e->recovered;
}

bool xs_ua_starts(xs_str ua, const char *want)
{
    size_t n = strlen(want);
    if (ua.n < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = ua.p[i] == '+' ? ' ' : xs_lower(ua.p[i]);
        char b = want[i] == '+' ? ' ' : xs_lower(want[i]);
        if (a != b)
            return false;
    }
    return true;
}

bool xs_status_ok(int status)
{
    return status == 200 || status == 241 || status == 201 || status == 204;
}

bool xs_user_is_computer(xs_str user)
{
    xs_str u = xs_str_trim(user);
    if (xs_str_blank(u))
        return false;
    /* IIS writes the space of "NT AUTHORITY" as '+' */
    return (u.n > 1 && u.p[u.n - 1] == '$') || (u.n == 19 && xs_ua_starts(u, "NT AUTHORITY\\SYSTEM")) ||
           xs_str_ieq(u, "S-1-5-18") || xs_str_ieq(u, "SYSTEM");
}

long xs_find_where(xs_str s, size_t from, const char *w,
                   bool (*ok)(xs_str s, size_t at, size_t n))
{
    size_t n = strlen(w);
    while (from < s.n) {
        long k = xs_str_ifind(xs_str_make(s.p + from, s.n - from), w);
        if (k < 0)
            return -1;
        size_t i = from + (size_t)k;
        if (ok(s, i, n))
            return (long)i;
        from = i + 1;
    }
    return -1;
}
