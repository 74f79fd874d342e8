/* Timestamps as they appear in Exchange, IIS and exported logs, to UTC milliseconds. */
#ifndef XS_TIMEPARSE_H
#define XS_TIMEPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "exsweep/finding.h"

/* Days since 1970-01-01 for a proleptic Gregorian date (no range check). */
int64_t xs_days_from_civil(int y, unsigned m, unsigned d);
/* The inverse: the proleptic Gregorian date of a day count since 1970-01-01 (any day count
 * whose year fits an int). */
void xs_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/* ISO-8601 as Exchange writes it: 2021-03-03T06:49:42.162Z. Also accepts a space instead of
 * 'T', no fraction, 1-7 fraction digits, a missing 'Z' (read as UTC), and "+hh:mm" offsets.
 * Surrounding quotes are not accepted here: unquote first. Returns EXS_TIME_NONE on failure. */
int64_t xs_time_parse_iso(xs_str s);

/* IIS W3C: date "2021-03-05" and time "03:06:27" (UTC). EXS_TIME_NONE on failure. */
int64_t xs_time_parse_w3c(xs_str date, xs_str time);

/* Widens the window [*first, *last] (either EXS_TIME_NONE while empty) to take in t;
 * t == EXS_TIME_NONE leaves it as it is. */
static inline void xs_time_span_add(int64_t *first, int64_t *last, int64_t t)
{
    if (t == EXS_TIME_NONE)
        return;
    if (*first == EXS_TIME_NONE || t < *first)
        *first = t;
    if (*last == EXS_TIME_NONE || t > *last)
        *last = t;
}

/* Writes "2021-03-03T06:49:42.162Z" (24 chars + NUL) into out[32]. "-" for EXS_TIME_NONE and
 * for a time that has no such form (a year before 0 or after 9999). */
void xs_time_format(int64_t ms, char out[32]);

/* True when xs_time_format writes ms as a date (years 0 to 9999). */
bool xs_time_formattable(int64_t ms);

/* ms, or EXS_TIME_NONE when it cannot be written as a date: what a finding keeps, so that
 * every writer agrees on which findings have a time. */
static inline int64_t xs_time_or_none(int64_t ms)
{
    return xs_time_formattable(ms) ? ms : EXS_TIME_NONE;
}

#endif
