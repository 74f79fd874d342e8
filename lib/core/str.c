/* Byte spans and ASCII case-insensitive helpers. */
#include <stdarg.h>
#include <stdio.h>

#include "core/str.h"

long xs_str_ifind(xs_str hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return 0;
    if (hay.n < n)
        return -1;
    char f = xs_lower(needle[0]);
    for (size_t i = 0; i + n <= hay.n; i++) {
        if (xs_lower(hay.p[i]) != f)
            continue;
        size_t j = 1;
        while (j < n && xs_lower(hay.p[i + j]) == xs_lower(needle[j]))
            j++;
        if (j == n)
            return (long)i;
    }
    return -1;
}

xs_str xs_str_trim(xs_str s)
{
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r' ||
                   s.p[s.n - 1] == '\n'))
        s.n--;
    return s;
}

long xs_str_uint(xs_str s, long max)
{
    if (s.n == 0 || s.n > 18)
        return -1;
    long v = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    return v <= max ? v : -1;
}

bool xs_appendf(char *buf, size_t cap, size_t *o, const char *fmt, ...)
{
    if (cap == 0 || *o > cap - 1)
        return false;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *o, cap - *o, fmt, ap);
    va_end(ap);
    if (k < 0) {
        buf[*o] = 0;
        return false;
    }
    bool whole = (size_t)k < cap - *o;
    *o = whole ? *o + (size_t)k : cap - 1;
    return whole;
}

size_t xs_norm_path(xs_str in, char *out, size_t cap, char nul)
{
    size_t o = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < in.n && o + 1 < cap; i++) {
        char c = in.p[i];
        if (c == '%' && i + 2 < in.n && xs_hexval(in.p[i + 1]) >= 0 &&
            xs_hexval(in.p[i + 2]) >= 0) {
            c = (char)(xs_hexval(in.p[i + 1]) * 16 + xs_hexval(in.p[i + 2]));
            i += 2;
        }
        if (c == '\\')
            c = '/';
        c = xs_lower(c);
        if (c == 0)
            c = nul;
        if (c == '/' && o > 0 && out[o - 1] == '/')
            continue;
        out[o++] = c;
    }
    out[o] = 0;
    return o;
}
