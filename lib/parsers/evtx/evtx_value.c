/* EVTX value types to UTF-8 text.
 *
 * Renderings follow what Windows' own XML rendering shows (and what Sigma-style rules are
 * written against): hex integers as "0x" + lowercase digits without padding, GUIDs in braces
 * and uppercase, FILETIMEs as ISO 8601 with 7 fractional digits, SIDs as S-R-A-S..., binary
 * as uppercase hex, arrays as comma-joined items (element content replicates the element
 * instead, see evtx_render.c).
 *
 * Value types (BinXML "value type" byte; 0x80 set = array of that type):
 *   0x00 null          0x08 uint32   0x10 size_t (4 or 8)   0x20 EvtHandle
 *   0x01 UTF-16 string 0x09 int64    0x11 FILETIME (8)      0x21 BinXML (see render)
 *   0x02 ANSI string   0x0a uint64   0x12 SYSTEMTIME (16)   0x23 EvtXml (UTF-16)
 *   0x03 int8          0x0b real32   0x13 SID (8 + 4 * subauthority count)
 *   0x04 uint8         0x0c real64   0x14 hex int32
 *   0x05 int16         0x0d bool (4) 0x15 hex int64
 *   0x06 uint16        0x0e binary
 *   0x07 int32         0x0f GUID (16)
 * String arrays are NUL-separated; other arrays are packed fixed-size items (SIDs: each its
 * own size).
 */
#include "parsers/evtx/evtx_int.h"

#include <stdio.h>
#include <string.h>

#include "core/timeparse.h"
#include "core/utf16.h"

/* The inline evtx_buf_put found no room for all n bytes. */
void evtx_buf_put_slow(struct evtx_buf *b, const char *s, size_t n)
{
    size_t room = b->cap - b->len;
    if (n > room) {
        n = room;
        /* Do not leave half a UTF-8 sequence at the cut. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        b->cut = 1;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    if (b->cut)
        b->cap = b->len;
}

void evtx_buf_put_utf16(struct evtx_buf *b, const uint8_t *s, size_t units)
{
    size_t used;
    b->len += xs_utf16le_to_utf8(s, units, b->p + b->len, b->cap - b->len, 0, &used);
    if (used < units && evtx_u16(s + 2 * used) != 0) { /* stopped for room, not at a NUL */
        b->cut = 1;
        b->cap = b->len;
    }
}

/* ANSI strings carry no code page; Latin-1 keeps every byte visible and valid UTF-8. */
static void put_ansi(struct evtx_buf *b, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        char t[2];
        size_t w = 1;
        if (s[i] < 0x80) {
            t[0] = (char)s[i];
        } else {
            t[0] = (char)(0xC0 | s[i] >> 6);
            t[1] = (char)(0x80 | (s[i] & 0x3F));
            w = 2;
        }
        if (b->cap - b->len < w) {
            b->cut = 1;
            b->cap = b->len;
            return;
        }
        memcpy(b->p + b->len, t, w);
        b->len += w;
    }
}

static void put_u64(struct evtx_buf *b, uint64_t v)
{
    char t[20];
    size_t i = sizeof t;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    evtx_buf_put(b, t + i, sizeof t - i);
}

static void put_i64(struct evtx_buf *b, int64_t v)
{
    if (v < 0) {
        evtx_buf_put(b, "-", 1);
        put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(b, (uint64_t)v);
    }
}

static const char hexl[] = "0123456789abcdef";
static const char hexu[] = "0123456789ABCDEF";

static void put_hex(struct evtx_buf *b, uint64_t v)
{
    char t[18];
    size_t i = sizeof t;
    do {
        t[--i] = hexl[v & 0xF];
        v >>= 4;
    } while (v);
    t[--i] = 'x';
    t[--i] = '0';
    evtx_buf_put(b, t + i, sizeof t - i);
}

static void put_hexbytes(struct evtx_buf *b, const uint8_t *p, size_t n)
{
    char t[128];
    while (n) {
        size_t k = n < sizeof t / 2 ? n : sizeof t / 2;
        for (size_t i = 0; i < k; i++) {
            t[2 * i] = hexu[p[i] >> 4];
            t[2 * i + 1] = hexu[p[i] & 0xF];
        }
        evtx_buf_put(b, t, 2 * k);
        if (b->cut)
            return;
        p += k;
        n -= k;
    }
}

static void put_guid(struct evtx_buf *b, const uint8_t *g)
{
    static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    char t[38];
    size_t o = 0;
    t[o++] = '{';
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            t[o++] = '-';
        t[o++] = hexu[g[order[i]] >> 4];
        t[o++] = hexu[g[order[i]] & 0xF];
    }
    t[o++] = '}';
    evtx_buf_put(b, t, o);
}

/* Bytes a SID occupies at p, 0 when n cannot hold one. */
static size_t sid_size(const uint8_t *p, size_t n)
{
    if (n < 8)
        return 0;
    size_t need = 8 + 4 * (size_t)p[1];
    return need <= n ? need : 0;
}

static void put_sid(struct evtx_buf *b, const uint8_t *p, size_t n)
{
    size_t sz = sid_size(p, n);
    if (!sz) {
        put_hexbytes(b, p, n);
        return;
    }
    uint64_t auth = 0;
    for (int i = 2; i < 8; i++)
        auth = auth << 8 | p[i];
    evtx_buf_put(b, "S-", 2);
    put_u64(b, p[0]);
    evtx_buf_put(b, "-", 1);
    put_u64(b, auth);
    for (size_t i = 8; i < sz; i += 4) {
        evtx_buf_put(b, "-", 1);
        put_u64(b, evtx_u32(p + i));
    }
}

static char *digits(char *o, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + width;
}

static void put_datetime(struct evtx_buf *b, int64_t y, unsigned mo, unsigned d, unsigned h,
                         unsigned mi, unsigned s, uint32_t frac, int fdigits)
{
    char t[48];
    char *o = t;
    if (y < 0 || y > 9999) { /* only hostile FILETIMEs get here */
        put_i64(b, y);
    } else {
        o = digits(o, (uint64_t)y, 4);
    }
    *o++ = '-';
    o = digits(o, mo, 2);
    *o++ = '-';
    o = digits(o, d, 2);
    *o++ = 'T';
    o = digits(o, h, 2);
    *o++ = ':';
    o = digits(o, mi, 2);
    *o++ = ':';
    o = digits(o, s, 2);
    *o++ = '.';
    o = digits(o, frac, fdigits);
    *o++ = 'Z';
    evtx_buf_put(b, t, (size_t)(o - t));
}

static void put_filetime(struct evtx_buf *b, uint64_t ft)
{
    uint64_t secs = ft / 10000000u;
    int64_t days = (int64_t)(secs / 86400) - 134774; /* 1601-01-01 to 1970-01-01 */
    uint32_t sod = (uint32_t)(secs % 86400);
    int y;
    unsigned m, d;
    xs_civil_from_days(days, &y, &m, &d);
    put_datetime(b, y, m, d, sod / 3600, sod / 60 % 60, sod % 60, (uint32_t)(ft % 10000000u), 7);
}

static void put_systemtime(struct evtx_buf *b, const uint8_t *p)
{
    /* year, month, day of week, day, hour, minute, second, milliseconds: u16 each */
    unsigned v[8];
    for (int i = 0; i < 8; i++)
        v[i] = evtx_u16(p + 2 * i);
    put_datetime(b, v[0], v[1] % 100, v[3] % 100, v[4] % 100, v[5] % 100, v[6] % 100, v[7] % 1000,
                 3);
}

static void put_real(struct evtx_buf *b, double v, int prec)
{
    char t[40];
    int k = snprintf(t, sizeof t, "%.*g", prec, v);
    if (k > 0)
        evtx_buf_put(b, t, (size_t)k < sizeof t ? (size_t)k : sizeof t - 1);
}

size_t evtx_fixed_size(uint8_t t)
{
    static const uint8_t sz[0x16] = {
        [0x03] = 1, [0x04] = 1,  [0x05] = 2, [0x06] = 2, [0x07] = 4, [0x08] = 4,
        [0x09] = 8, [0x0a] = 8,  [0x0b] = 4, [0x0c] = 8, [0x0d] = 4, [0x0f] = 16,
        [0x11] = 8, [0x12] = 16, [0x14] = 4, [0x15] = 8,
    };
    return t < sizeof sz ? sz[t] : 0;
}

static int64_t sext(uint64_t v, size_t bytes)
{
    unsigned shift = (unsigned)(64 - 8 * bytes);
    return (int64_t)(v << shift) >> shift;
}

static uint64_t le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void put_fixed(struct evtx_buf *b, uint8_t t, const uint8_t *p, size_t sz)
{
    uint64_t v = sz <= 8 ? le(p, sz) : 0;
    switch (t) {
    case 0x03:
    case 0x05:
    case 0x07:
    case 0x09:
        put_i64(b, sext(v, sz));
        break;
    case 0x04:
    case 0x06:
    case 0x08:
    case 0x0a:
        put_u64(b, v);
        break;
    case 0x0b: {
        float f;
        uint32_t u = (uint32_t)v;
        memcpy(&f, &u, 4);
        put_real(b, f, 9);
        break;
    }
    case 0x0c: {
        double f;
        memcpy(&f, &v, 8);
        put_real(b, f, 17);
        break;
    }
    case 0x0d:
        evtx_buf_put(b, v ? "true" : "false", v ? 4 : 5);
        break;
    case 0x0f:
        put_guid(b, p);
        break;
    case 0x11:
        put_filetime(b, v);
        break;
    case 0x12:
        put_systemtime(b, p);
        break;
    default: /* 0x14, 0x15 */
        put_hex(b, v);
        break;
    }
}

static void put_scalar(struct evtx_buf *b, uint8_t t, const uint8_t *p, size_t n)
{
    size_t fs = evtx_fixed_size(t);
    if (fs) {
        if (n >= fs) /* short values of a fixed type say nothing trustworthy */
            put_fixed(b, t, p, fs);
        return;
    }
    switch (t) {
    case 0x00:
    case 0x21:
        return;
    case 0x01:
    case 0x23:
        evtx_buf_put_utf16(b, p, n / 2);
        return;
    case 0x02:
        put_ansi(b, p, n);
        return;
    case 0x10:
    case 0x20:
        if (n >= 8)
            put_hex(b, evtx_u64(p));
        else if (n >= 4)
            put_hex(b, evtx_u32(p));
        return;
    case 0x13:
        put_sid(b, p, n);
        return;
    default: /* binary and unknown types: keep the bytes visible */
        put_hexbytes(b, p, n);
        return;
    }
}

int evtx_array_next(uint8_t type, const uint8_t *p, size_t n, size_t *pos, const uint8_t **ip,
                    size_t *in)
{
    uint8_t t = type & 0x7F;
    size_t i = *pos;
    if (i >= n)
        return 0;
    size_t len;
    if (t == 0x01 || t == 0x02) {
        size_t step = t == 0x01 ? 2 : 1;
        if (n - i < step)
            return 0;
        size_t j = i;
        while (j + step <= n && (p[j] | (step == 2 ? p[j + 1] : 0)) != 0)
            j += step;
        len = j - i;
        *ip = p + i;
        *in = len;
        *pos = j + step; /* past the NUL (or past n: no more items) */
        return 1;
    }
    if (t == 0x13)
        len = sid_size(p + i, n - i);
    else if (t == 0x10)
        len = n % 8 == 0 ? 8 : 4;
    else
        len = evtx_fixed_size(t);
    if (len == 0 || n - i < len) {
        if (len != 0 || t == 0x13)
            return 0;
        len = n - i; /* variable-size types without separators: one item */
    }
    *ip = p + i;
    *in = len;
    *pos = i + len;
    return 1;
}

void evtx_buf_put_value(struct evtx_buf *b, uint8_t type, const uint8_t *p, size_t n)
{
    if (!(type & 0x80)) {
        put_scalar(b, type, p, n);
        return;
    }
    size_t pos = 0, in;
    const uint8_t *ip;
    int first = 1;
    while (!b->cut && evtx_array_next(type, p, n, &pos, &ip, &in)) {
        if (!first)
            evtx_buf_put(b, ",", 1);
        first = 0;
        put_scalar(b, type & 0x7F, ip, in);
    }
}

int64_t xs_evtx_filetime_to_ms(uint64_t filetime)
{
    if (filetime == 0) /* what Windows writes for no time at all */
        return INT64_MIN;
    return (int64_t)(filetime / 10000u) - EVTX_EPOCH_GAP_MS;
}
