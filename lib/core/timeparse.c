/* Timestamps to UTC milliseconds, without locale or libc time zone state (thread-safe). */
#include <stdio.h>

#include "core/timeparse.h"
#include "exsweep/finding.h"

/* Howard Hinnant's days_from_civil. */
int64_t xs_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

void xs_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t yy = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

/* Reads exactly n digits at *p (bounded by end); -1 when they are not all digits. */
static int digits(const char **p, const char *end, int n)
{
    int v = 0;
    if (end - *p < n)
        return -1;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    return v;
}

static int64_t make_ms(int y, int mo, int d, int h, int mi, int s, int ms)
{
    if (y < 1601 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        s > 60)
        return EXS_TIME_NONE;
    int64_t days = xs_days_from_civil(y, (unsigned)mo, (unsigned)d);
    return ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)s * 1000 + ms;
}

static int parse_date(const char **p, const char *end, int *y, int *mo, int *d)
{
    if ((*y = digits(p, end, 4)) < 0 || *p >= end || **p != '-')
        return -1;
    (*p)++;
    if ((*mo = digits(p, end, 2)) < 0 || *p >= end || **p != '-')
        return -1;
    (*p)++;
    return (*d = digits(p, end, 2)) < 0 ? -1 : 0;
}

static int parse_clock(const char **p, const char *end, int *h, int *mi, int *s, int *ms)
{
    if ((*h = digits(p, end, 2)) < 0 || *p >= end || **p != ':')
        return -1;
    (*p)++;
    if ((*mi = digits(p, end, 2)) < 0 || *p >= end || **p != ':')
        return -1;
    (*p)++;
    if ((*s = digits(p, end, 2)) < 0)
        return -1;
    *ms = 0;
    if (*p < end && (**p == '.' || **p == ',')) {
        (*p)++;
        int nd = 0, v = 0;
        while (*p < end && **p >= '0' && **p <= '9') {
            if (nd < 3)
                v = v * 10 + (**p - '0');
            nd++;
            (*p)++;
        }
        if (nd == 0 || nd > 9)
            return -1;
        for (int i = nd; i < 3; i++)
            v *= 10;
        *ms = v;
    }
    return 0;
}

int64_t xs_time_parse_iso(xs_str s)
{
    if (!s.p)
        return EXS_TIME_NONE;
    const char *p = s.p, *end = s.p + s.n;
    int y, mo, d, h, mi, sec, ms;
    if (parse_date(&p, end, &y, &mo, &d) < 0)
        return EXS_TIME_NONE;
    if (p >= end || (*p != 'T' && *p != ' '))
        return EXS_TIME_NONE;
    p++;
    if (parse_clock(&p, end, &h, &mi, &sec, &ms) < 0)
        return EXS_TIME_NONE;
    int64_t t = make_ms(y, mo, d, h, mi, sec, ms);
    if (t == EXS_TIME_NONE)
        return t;
    if (p < end && (*p == 'Z' || *p == 'z')) {
        p++;
    } else if (p < end && (*p == '+' || *p == '-')) {
        int sign = *p == '-' ? -1 : 1, oh, om;
        p++;
        if ((oh = digits(&p, end, 2)) < 0)
            return EXS_TIME_NONE;
        if (p < end && *p == ':')
            p++;
        if ((om = digits(&p, end, 2)) < 0 || oh > 23 || om > 59)
            return EXS_TIME_NONE;
        t -= sign * ((int64_t)oh * 3600000 + (int64_t)om * 60000);
    }
    return p == end ? t : EXS_TIME_NONE;
}

int64_t xs_time_parse_w3c(xs_str date, xs_str time)
{
    if (!date.p || !time.p)
        return EXS_TIME_NONE;
    const char *p = date.p, *end = date.p + date.n;
    int y, mo, d, h, mi, sec, ms;
    if (parse_date(&p, end, &y, &mo, &d) < 0 || p != end)
        return EXS_TIME_NONE;
    p = time.p;
    end = time.p + time.n;
    if (parse_clock(&p, end, &h, &mi, &sec, &ms) < 0 || p != end)
        return EXS_TIME_NONE;
    return make_ms(y, mo, d, h, mi, sec, ms);
}

/* The day of ms since the epoch (floor) and the milliseconds into it. */
static int64_t day_of(int64_t ms, int64_t *rem)
{
    /* division truncates toward zero: a negative remainder moves to the day before (no
     * negation, which overflows near INT64_MIN) */
    int64_t days = ms / 86400000, r = ms % 86400000;
    if (r < 0) {
        r += 86400000;
        days--;
    }
    *rem = r;
    return days;
}

bool xs_time_formattable(int64_t ms)
{
    if (ms == EXS_TIME_NONE)
        return false;
    int64_t rem;
    int y;
    unsigned m, d;
    xs_civil_from_days(day_of(ms, &rem), &y, &m, &d);
    return y >= 0 && y <= 9999;
}

void xs_time_format(int64_t ms, char out[32])
{
    if (!xs_time_formattable(ms)) {
        out[0] = '-';
        out[1] = 0;
        return;
    }
    int64_t rem;
    int y;
    unsigned m, d;
    xs_civil_from_days(day_of(ms, &rem), &y, &m, &d);
    unsigned h = (unsigned)(rem / 3600000) % 24, mi = (unsigned)(rem / 60000 % 60);
    unsigned s = (unsigned)(rem / 1000 % 60), f = (unsigned)(rem % 1000);
    snprintf(out, 32, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", y, m % 13, d % 32, h, mi, s, f);
}
