/* Target lists and exclude lists (targets.h). */
#include "probe/targets.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "core/str.h"
#include "probe/record.h"

typedef struct range {
    unsigned char lo[16], hi[16];
} range;

struct xs_excl {
    range *r;
    size_t n, cap;
    bool sealed;
};

static const unsigned char V4MAP[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool xs_addr16(const char *s, unsigned char a[16])
{
    unsigned char v4[4];
    if (inet_pton(AF_INET, s, v4) == 1) {
        memcpy(a, V4MAP, 12);
        memcpy(a + 12, v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, s, a) == 1;
}

/* s[0..n) without the spaces, tabs, CR and LF around it. */
static xs_str trim(const char *s, size_t n)
{
    return xs_str_trim(xs_str_make(s, n));
}

/* "addr" or "addr/len" into a, its bits (32 or 128) and the prefix length (bits when none).
 * The address is given in IPv4-mapped form for IPv4; *plen counts its own family's bits. */
static bool parse_cidr(xs_str s, unsigned char a[16], unsigned *bits, unsigned *plen,
                       const char **why)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (s.n == 0 || s.n >= sizeof buf || memchr(s.p, '\0', s.n)) {
        *why = s.n ? "no address or CIDR" : "empty";
        return false;
    }
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    char *slash = strchr(buf, '/');
    long len = -1;
    if (slash) {
        *slash = '\0';
        xs_str ls = xs_str_make(slash + 1, strlen(slash + 1));
        len = ls.n && ls.n <= 3 ? xs_str_uint(ls, 128) : -1;
        if (len < 0) {
            *why = "a prefix length that is no number from 0 to 128";
            return false;
        }
    }
    unsigned char v4[4];
    if (inet_pton(AF_INET, buf, v4) == 1) {
        memcpy(a, V4MAP, 12);
        memcpy(a + 12, v4, 4);
        *bits = 32;
    } else if (inet_pton(AF_INET6, buf, a) == 1) {
        *bits = 128;
    } else {
        *why = "no IPv4 or IPv6 address";
        return false;
    }
    if (len > (long)*bits) {
        *why = *bits == 32 ? "an IPv4 prefix longer than 32" : "an IPv6 prefix longer than 128";
        return false;
    }
    *plen = len < 0 ? *bits : (unsigned)len;
    return true;
}

/* Keeps the first p bits of a (of 128), the rest set to v (0 or 0xff). */
static void mask_to(unsigned char a[16], unsigned p, unsigned char v)
{
    for (unsigned i = 0; i < 16; i++) {
        unsigned start = i * 8;
        if (start >= p)
            a[i] = v;
        else if (start + 8 > p) {
            unsigned keep = p - start;
            unsigned char m = (unsigned char)(0xffu << (8 - keep));
            a[i] = (unsigned char)((a[i] & m) | (v & (unsigned char)~m));
        }
    }
}

xs_excl *xs_excl_create(void)
{
    return calloc(1, sizeof(xs_excl));
}

void xs_excl_destroy(xs_excl *x)
{
    if (!x)
        return;
    free(x->r);
    free(x);
}

bool xs_excl_add(xs_excl *x, const char *s, size_t n, const char **why)
{
    unsigned char a[16];
    unsigned bits, plen;
    if (!parse_cidr(trim(s, n), a, &bits, &plen, why))
        return false;
    if (x->n >= XS_PROBE_MAX_EXCLUDE) {
        *why = "more ranges than an exclude list holds (XS_PROBE_MAX_EXCLUDE)";
        return false;
    }
    if (!xs_grow((void **)&x->r, &x->cap, x->n + 1, sizeof *x->r)) {
        *why = "out of memory";
        return false;
    }
    unsigned p = plen + (bits == 32 ? 96 : 0);
    range *r = &x->r[x->n++];
    memcpy(r->lo, a, 16);
    memcpy(r->hi, a, 16);
    mask_to(r->lo, p, 0);
    mask_to(r->hi, p, 0xff);
    x->sealed = false;
    return true;
}

static int cmp_range(const void *a, const void *b)
{
    return memcmp(((const range *)a)->lo, ((const range *)b)->lo, 16);
}

/* a + 1; false when a was all ones. */
static bool inc16(unsigned char a[16])
{
    for (int i = 15; i >= 0; i--)
        if (++a[i] != 0)
            return true;
    return false;
}

void xs_excl_seal(xs_excl *x)
{
    if (!x || x->sealed)
        return;
    if (x->n)
        qsort(x->r, x->n, sizeof *x->r, cmp_range);
    size_t k = 0;
    for (size_t i = 0; i < x->n; i++) {
        if (k) {
            range *last = &x->r[k - 1];
            unsigned char next[16];
            memcpy(next, last->hi, 16);
            bool top = !inc16(next);
            if (top || memcmp(x->r[i].lo, next, 16) <= 0) {
                if (memcmp(x->r[i].hi, last->hi, 16) > 0)
                    memcpy(last->hi, x->r[i].hi, 16);
                continue;
            }
        }
        x->r[k++] = x->r[i];
    }
    x->n = k;
    x->sealed = true;
}

size_t xs_excl_count(const xs_excl *x)
{
    return x ? x->n : 0;
}

bool xs_excl_has(const xs_excl *x, const unsigned char a[16])
{
    if (!x || !x->n)
        return false;
    size_t lo = 0, hi = x->n; /* the first range whose lo > a */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(x->r[mid].lo, a, 16) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && memcmp(a, x->r[lo - 1].hi, 16) <= 0;
}

/* 0.0.0.0/8 (as ::ffff:0:0/104) and ::: connecting to one reaches this machine. */
static bool unspecified(const unsigned char a[16])
{
    static const unsigned char zero[16];
    return memcmp(a, zero, 16) == 0 || (memcmp(a, V4MAP, 12) == 0 && a[12] == 0);
}

int xs_addr_check(const xs_excl *x, const unsigned char a[16])
{
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b}; /* 64:ff9b::/96 */
    static const unsigned char nat64l[6] = {0, 0x64, 0xff, 0x9b, 0, 1}; /* 64:ff9b:1::/48 */
    if (unspecified(a))
        return XS_ADDR_UNSPECIFIED;
    if (xs_excl_has(x, a))
        return XS_ADDR_EXCLUDED;
    unsigned char v4[16];
    memcpy(v4, V4MAP, 12);
    if (memcmp(a, nat64, 12) == 0) {
        memcpy(v4 + 12, a + 12, 4);
    } else if (memcmp(a, nat64l, 6) == 0) {
        /* RFC 6052's /48 layout: bits 48-63 and 72-87 of the address, u (64-71) skipped */
        v4[12] = a[6];
        v4[13] = a[7];
        v4[14] = a[9];
        v4[15] = a[10];
    } else {
        return XS_ADDR_OK;
    }
    if (unspecified(v4))
        return XS_ADDR_UNSPECIFIED;
    return xs_excl_has(x, v4) ? XS_ADDR_EXCLUDED : XS_ADDR_OK;
}

/* One line of a list: without its comment and the spaces around it. */
static xs_str content(const char *s, size_t n)
{
    const char *h = memchr(s, '#', n);
    return trim(s, h ? (size_t)(h - s) : n);
}

/* Gives each line's content (comments, blanks skipped) to add; bad lines to warn. */
typedef bool (*add_fn)(void *obj, const char *s, size_t n, uint64_t line, const char **why);

static size_t each_line(const char *p, size_t n, add_fn add, void *obj, xs_warn_fn warn,
                        void *ctx)
{
    size_t off = 0, bad = 0;
    uint64_t line = 0;
    while (off < n) {
        xs_str l = xs_next_line(p, n, &off);
        line++;
        xs_str c = content(l.p, l.n);
        const char *why;
        if (c.n && !add(obj, c.p, c.n, line, &why)) {
            bad++;
            if (warn)
                warn(ctx, line, why);
        }
    }
    return bad;
}

static bool excl_add_line(void *x, const char *s, size_t n, uint64_t line, const char **why)
{
    (void)line;
    return xs_excl_add(x, s, n, why);
}

size_t xs_excl_read(xs_excl *x, const char *p, size_t n, xs_warn_fn warn, void *ctx)
{
    size_t bad = each_line(p, n, excl_add_line, x, warn, ctx);
    xs_excl_seal(x);
    return bad;
}

bool xs_tlist_init(xs_tlist *l, const xs_excl *ex, unsigned default_port)
{
    memset(l, 0, sizeof *l);
    l->ex = ex;
    l->port = default_port ? default_port : 443;
    l->seen = xs_strmap_create();
    return l->seen != NULL;
}

void xs_tlist_free(xs_tlist *l)
{
    xs_strmap_destroy(l->seen);
    free(l->t);
    xs_arena_free(&l->a);
    memset(l, 0, sizeof *l);
}

/* Adds host (canonicalised here) and port. */
static bool add_one(xs_tlist *l, xs_str host, unsigned port, bool https, uint64_t line,
                    const char **why)
{
    char key[XS_PROBE_MAX_HOST + 16], h[XS_PROBE_MAX_HOST + 1];
    if (!xs_probe_target_key(host, port, key, sizeof key, h, sizeof h, why))
        return false;
    unsigned char a[16];
    bool is_addr = xs_addr16(h, a);
    int ck = is_addr ? xs_addr_check(l->ex, a) : XS_ADDR_OK;
    if (ck != XS_ADDR_OK) {
        l->excluded++;
        if (ck == XS_ADDR_UNSPECIFIED)
            l->unspecified++;
        return true;
    }
    if (xs_strmap_get(l->seen, key)) {
        l->repeated++;
        return true;
    }
    if (l->n >= XS_PROBE_MAX_TARGETS) {
        l->full = true;
        l->dropped++;
        return true;
    }
    const char *k = xs_arena_strdup(&l->a, key), *hh = xs_arena_strdup(&l->a, h);
    if (!k || !hh || !xs_grow((void **)&l->t, &l->cap, l->n + 1, sizeof *l->t) ||
        !xs_strmap_put(l->seen, k, (void *)1, NULL)) {
        *why = "out of memory";
        return false;
    }
    l->t[l->n++] = (xs_tspec){k, hh, port, https, is_addr, line};
    return true;
}

static bool add_cidr(xs_tlist *l, xs_str s, uint64_t line, const char **why)
{
    unsigned char a[16];
    unsigned bits, plen;
    if (!parse_cidr(s, a, &bits, &plen, why))
        return false;
    unsigned host_bits = bits - plen;
    if (host_bits > 63 || (1ull << host_bits) > XS_PROBE_MAX_CIDR) {
        *why = "a CIDR of more addresses than XS_PROBE_MAX_CIDR (65536): scan it with zmap and "
               "give its output with -i -";
        return false;
    }
    unsigned p = plen + (bits == 32 ? 96 : 0);
    mask_to(a, p, 0);
    uint64_t count = 1ull << host_bits;
    for (uint64_t i = 0; i < count; i++) {
        char text[INET6_ADDRSTRLEN];
        if (!inet_ntop(bits == 32 ? AF_INET : AF_INET6, bits == 32 ? a + 12 : a, text,
                       sizeof text)) {
            *why = "an address that cannot be written";
            return false;
        }
        if (!add_one(l, xs_str_cstr(text), l->port, true, line, why))
            return false;
        inc16(a);
    }
    return true;
}

/* "443" (1..65535) or -1. */
static long port_of(xs_str s)
{
    if (s.n == 0 || s.n > 5)
        return -1;
    long v = xs_str_uint(s, 65535);
    return v >= 1 ? v : -1;
}

bool xs_tlist_add(xs_tlist *l, const char *s, size_t n, uint64_t line, const char **why)
{
    xs_str t = trim(s, n);
    if (t.n == 0) {
        *why = "an empty target";
        return false;
    }
    if (memchr(t.p, '\0', t.n)) {
        *why = "a target with a NUL byte in it";
        return false;
    }
    bool https = true, url = false;
    unsigned port = l->port;
    if (xs_str_istarts(t, "https://")) {
        t = xs_str_make(t.p + 8, t.n - 8);
        url = true;
        port = 443;
    } else if (xs_str_istarts(t, "http://")) {
        t = xs_str_make(t.p + 7, t.n - 7);
        url = true;
        https = false;
        port = 80;
    }
    if (url) { /* the authority alone: the path is not ours to choose */
        for (size_t i = 0; i < t.n; i++)
            if (t.p[i] == '/' || t.p[i] == '?' || t.p[i] == '#') {
                t.n = i;
                break;
            }
        if (memchr(t.p, '@', t.n)) {
            *why = "a URL with user information";
            return false;
        }
    } else if (memchr(t.p, '/', t.n)) {
        return add_cidr(l, t, line, why);
    }
    for (size_t i = 0; i < t.n; i++)
        if (t.p[i] == ' ' || t.p[i] == '\t') {
            *why = "a target with spaces in it";
            return false;
        }
    xs_str host = t;
    if (t.n && t.p[0] == '[') {
        const char *close = memchr(t.p, ']', t.n);
        if (!close) {
            *why = "a '[' without its ']'";
            return false;
        }
        host = xs_str_make(t.p + 1, (size_t)(close - t.p - 1));
        xs_str rest = xs_str_make(close + 1, t.n - (size_t)(close + 1 - t.p));
        if (rest.n) {
            long v = rest.p[0] == ':' ? port_of(xs_str_make(rest.p + 1, rest.n - 1)) : -1;
            if (v < 0) {
                *why = "no port between 1 and 65535 after ']:'";
                return false;
            }
            port = (unsigned)v;
        }
        if (!memchr(host.p, ':', host.n)) {
            *why = "brackets around something that is no IPv6 address";
            return false;
        }
    } else {
        const char *c1 = memchr(t.p, ':', t.n);
        const char *c2 = c1 ? memchr(c1 + 1, ':', t.n - (size_t)(c1 + 1 - t.p)) : NULL;
        if (c1 && !c2) { /* host:port */
            long v = port_of(xs_str_make(c1 + 1, t.n - (size_t)(c1 + 1 - t.p)));
            if (v < 0) {
                *why = "no port between 1 and 65535 after ':'";
                return false;
            }
            port = (unsigned)v;
            host = xs_str_make(t.p, (size_t)(c1 - t.p));
        }
    }
    return add_one(l, host, port, https, line, why);
}

bool xs_tlist_line(xs_tlist *l, const char *s, size_t n, uint64_t line, const char **why)
{
    xs_str c = content(s, n);
    return !c.n || xs_tlist_add(l, c.p, c.n, line, why);
}

static bool tlist_add_line(void *l, const char *s, size_t n, uint64_t line, const char **why)
{
    return xs_tlist_add(l, s, n, line, why);
}

size_t xs_tlist_read(xs_tlist *l, const char *p, size_t n, xs_warn_fn warn, void *ctx)
{
    return each_line(p, n, tlist_add_line, l, warn, ctx);
}
