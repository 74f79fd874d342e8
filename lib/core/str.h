/* Byte spans and ASCII case-insensitive helpers.
 *
 * Evidence is bytes, not C strings: a span is a pointer and a length into a buffer owned by
 * someone else (usually the read buffer of the current chunk). Nothing here allocates.
 */
#ifndef XS_STR_H
#define XS_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct xs_str {
    const char *p;
    size_t n;
} xs_str;

#define XS_STR_NULL ((xs_str){NULL, 0})
#define XS_LIT(s) ((xs_str){(s), sizeof(s) - 1})

static inline xs_str xs_str_make(const char *p, size_t n)
{
    return (xs_str){p, n};
}

static inline xs_str xs_str_cstr(const char *s)
{
    return (xs_str){s, s ? strlen(s) : 0};
}

/* The text of a fixed array of cap bytes that holds a NUL-terminated string: never read past
 * the array, whether or not the NUL is there. */
static inline xs_str xs_str_fixed(const char *a, size_t cap)
{
    return (xs_str){a, strnlen(a, cap)};
}

static inline char xs_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* True when s is absent, empty, or IIS's "-" placeholder for an empty value. */
static inline bool xs_str_blank(xs_str s)
{
    return s.n == 0 || (s.n == 1 && s.p[0] == '-');
}

/* Inline so that strlen of a literal argument folds away on the hot paths. */
static inline bool xs_mem_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (xs_lower(a[i]) != xs_lower(b[i]))
            return false;
    return true;
}

/* exact */
static inline bool xs_str_eq(xs_str a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

/* ASCII case-insensitive */
static inline bool xs_str_ieq(xs_str a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && xs_mem_ieq(a.p, lit, n);
}

static inline bool xs_str_istarts(xs_str a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.n >= n && xs_mem_ieq(a.p, prefix, n);
}

static inline bool xs_str_iends(xs_str a, const char *suffix)
{
    size_t n = strlen(suffix);
    return a.n >= n && xs_mem_ieq(a.p + a.n - n, suffix, n);
}
/* Offset of the first case-insensitive occurrence of needle (any case) in hay, or -1. */
long xs_str_ifind(xs_str hay, const char *needle);
static inline bool xs_str_icontains(xs_str hay, const char *needle)
{
    return xs_str_ifind(hay, needle) >= 0;
}
xs_str xs_str_trim(xs_str s);                         /* ASCII spaces, tabs, CR, LF */
/* Parses a decimal int in [0, max]; returns -1 when s is not one. */
long xs_str_uint(xs_str s, long max);
/* The value of a hex digit, or -1. */
static inline int xs_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = xs_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}
/* A path or URL path as the sweep compares them: %XX decoded, '\' to '/', ASCII lowercase,
 * runs of '/' folded; a decoded NUL becomes nul. Writes at most cap - 1 bytes and a NUL;
 * returns the length. */
size_t xs_norm_path(xs_str in, char *out, size_t cap, char nul);
/* printf to buf (capacity cap) at *o, cut at the end: *o stays below cap, so a run of appends
 * needs no checks between them. Every finding detail is built with it. Returns false when the
 * text was cut (or nothing could be written). */
bool xs_appendf(char *buf, size_t cap, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The line of buf[0..n) that starts at *off, without its '\n' (a '\r' stays), and moves *off
 * past it. Call while *off < n. */
static inline xs_str xs_next_line(const char *buf, size_t n, size_t *off)
{
    const char *p = buf + *off;
    const char *nl = memchr(p, '\n', n - *off);
    size_t len = nl ? (size_t)(nl - p) : n - *off;
    *off += len + (nl ? 1 : 0);
    return xs_str_make(p, len);
}

#endif
