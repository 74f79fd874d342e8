/* IOC list reader: plain lists and CSV feeds, bounded per line. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "parsers/csv.h"
#include "parsers/ioclist.h"

static bool all_hex(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return n > 0;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_domain(const char *v)
{
    size_t n = strlen(v), labels = 0, lab = 0;
    if (n < 3 || n > 253 || v[0] == '.' || v[n - 1] == '.')
        return false;
    bool alpha_tld = true;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c == '.') {
            if (lab == 0 || lab > 63)
                return false;
            labels++;
            lab = 0;
            alpha_tld = true;
            continue;
        }
        if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
        if (!is_alpha(c))
            alpha_tld = false;
        lab++;
    }
    return labels >= 1 && lab >= 2 && lab <= 63 && alpha_tld;
}

xs_ioc_type xs_ioc_infer(const char *v)
{
    size_t n = strlen(v);
    if (n == 64 && all_hex(v, n))
        return XS_IOC_SHA256;
    if (n == 40 && all_hex(v, n))
        return XS_IOC_SHA1;
    if (n == 32 && all_hex(v, n))
        return XS_IOC_MD5;
    unsigned char buf[16];
    if (inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1)
        return XS_IOC_IP;
    if (strchr(v, '\\') || strchr(v, '/') || (n >= 2 && is_alpha(v[0]) && v[1] == ':'))
        return XS_IOC_PATH;
    if (is_domain(v))
        return XS_IOC_DOMAIN;
    return XS_IOC_UNKNOWN;
}

/* Column type names, compared with everything but letters and digits dropped. */
static xs_ioc_type type_of(xs_str t)
{
    char k[32];
    size_t o = 0;
    for (size_t i = 0; i < t.n && o + 1 < sizeof k; i++) {
        char c = xs_lower(t.p[i]);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            k[o++] = c;
    }
    k[o] = 0;
    static const struct {
        const char *name;
        xs_ioc_type t;
    } map[] = {
        {"sha256", XS_IOC_SHA256},
        {"filehashsha256", XS_IOC_SHA256},
        {"hashsha256", XS_IOC_SHA256},
        {"sha1", XS_IOC_SHA1},
        {"filehashsha1", XS_IOC_SHA1},
        {"md5", XS_IOC_MD5},
        {"filehashmd5", XS_IOC_MD5},
        {"filepath", XS_IOC_PATH},
        {"path", XS_IOC_PATH},
        {"filename", XS_IOC_PATH},
        {"file", XS_IOC_PATH},
        {"ipaddress", XS_IOC_IP},
        {"ip", XS_IOC_IP},
        {"ipv4", XS_IOC_IP},
        {"ipv6", XS_IOC_IP},
        {"ipv4addr", XS_IOC_IP},
        {"ipv6addr", XS_IOC_IP},
        {"ipdst", XS_IOC_IP},
        {"ipsrc", XS_IOC_IP},
        {"ipaddr", XS_IOC_IP},
        {"domainname", XS_IOC_DOMAIN},
        {"domain", XS_IOC_DOMAIN},
        {"hostname", XS_IOC_DOMAIN},
        {"fqdn", XS_IOC_DOMAIN},
        {"host", XS_IOC_DOMAIN},
        {"url", XS_IOC_DOMAIN},
        {"uri", XS_IOC_DOMAIN},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(k, map[i].name) == 0)
            return map[i].t;
    return XS_IOC_UNKNOWN;
}

/* Copies v into out (cap bytes) refanged and unquoted; returns the length. */
static size_t refang(xs_str v, char *out, size_t cap)
{
    v = xs_str_trim(v);
    if (v.n >= 2 && (v.p[0] == '"' || v.p[0] == '\'') && v.p[v.n - 1] == v.p[0]) {
        v.p++;
        v.n -= 2;
    }
    size_t o = 0;
    for (size_t i = 0; i < v.n && o + 1 < cap;) {
        if (i + 3 <= v.n && (memcmp(v.p + i, "[.]", 3) == 0 || memcmp(v.p + i, "(.)", 3) == 0 ||
                             memcmp(v.p + i, "{.}", 3) == 0)) {
            out[o++] = '.';
            i += 3;
        } else if (i + 5 <= v.n && xs_str_istarts(xs_str_make(v.p + i, v.n - i), "[dot]")) {
            out[o++] = '.';
            i += 5;
        } else if (i + 3 <= v.n && memcmp(v.p + i, "[:]", 3) == 0) {
            out[o++] = ':';
            i += 3;
        } else if (o == 0 && i + 4 <= v.n &&
                   xs_str_istarts(xs_str_make(v.p + i, v.n - i), "hxxp")) {
            memcpy(out, "http", 4);
            o = 4;
            i += 4;
        } else {
            out[o++] = v.p[i++];
        }
    }
    out[o] = 0;
    return o;
}

/* "http://host:port/path" -> "host" in place, when v has a scheme. */
static void url_host(char *v)
{
    char *s = strstr(v, "://");
    if (!s)
        return;
    char *h = s + 3;
    size_t n = strcspn(h, "/:?#");
    memmove(v, h, n);
    v[n] = 0;
}

static bool is_name(xs_str f, const char *const *names)
{
    f = xs_str_trim(xs_strip_bom(f));
    if (f.n >= 2 && f.p[0] == '"' && f.p[f.n - 1] == '"') {
        f.p++;
        f.n -= 2;
    }
    for (const char *const *n = names; *n; n++)
        if (xs_str_ieq(f, *n))
            return true;
    return false;
}

static const char *const value_cols[] = {"indicator",       "value",     "ioc", "observable",
                                         "indicator_value", "ioc_value", NULL};
static const char *const type_cols[] = {"indicatortype",   "type", "ioc_type", "indicator_type",
                                        "observable_type", NULL};
static const char *const note_cols[] = {"notes",    "note",    "description", "comment",
                                        "comments", "context", NULL};

static void emit(xs_ioc_item_fn fn, void *ctx, xs_ioc_type t, char *val, xs_str note,
                 uint64_t line, xs_ioc_bad_fn bad, size_t *count)
{
    if (t == XS_IOC_DOMAIN || (t == XS_IOC_UNKNOWN && strstr(val, "://")))
        url_host(val); /* a URL stands for its host */
    xs_ioc_type inferred = xs_ioc_infer(val);
    if (t == XS_IOC_UNKNOWN)
        t = inferred;
    if (t == XS_IOC_UNKNOWN || !*val) {
        if (bad)
            bad(ctx, line, "value of no known indicator type");
        return;
    }
    /* A typed column that disagrees with the value's shape (a "sha256" that is not 64 hex
     * digits) is damage, not an indicator. */
    if ((t == XS_IOC_SHA256 || t == XS_IOC_SHA1 || t == XS_IOC_MD5 || t == XS_IOC_IP) &&
        inferred != t) {
        if (bad)
            bad(ctx, line, "value does not have the shape of its type");
        return;
    }
    xs_ioc_item it = {t, val, note, line, 0, XS_STR_NULL};
    fn(ctx, &it);
    (*count)++;
}

/* A Loki filename IOC line: "regex;score[;fp regex]" with a score of 1 to 3 digits, negative
 * in THOR's lists to lower other matches. A first field that is a hash or an address keeps its
 * own type ("203.0.113.7;443" is an address with a note); a host-like one stays an expression,
 * since "mimikatz.exe;80" is a file name. */
static bool loki_line(xs_str t, xs_str *re, int *score, xs_str *fp)
{
    const char *semi = memchr(t.p, ';', t.n);
    if (!semi || semi == t.p)
        return false;
    xs_str rest = xs_str_make(semi + 1, t.n - (size_t)(semi - t.p) - 1);
    const char *semi2 = memchr(rest.p, ';', rest.n);
    xs_str sc = xs_str_trim(semi2 ? xs_str_make(rest.p, (size_t)(semi2 - rest.p)) : rest);
    bool neg = sc.n && sc.p[0] == '-';
    if (neg) {
        sc.p++;
        sc.n--;
    }
    if (sc.n == 0 || sc.n > 3)
        return false;
    int v = 0;
    for (size_t i = 0; i < sc.n; i++) {
        if (sc.p[i] < '0' || sc.p[i] > '9')
            return false;
        v = v * 10 + (sc.p[i] - '0');
    }
    *re = xs_str_make(t.p, (size_t)(semi - t.p));
    char first[128];
    xs_str f = xs_str_trim(*re);
    if (f.n < sizeof first) {
        memcpy(first, f.p, f.n);
        first[f.n] = 0;
        xs_ioc_type ty = xs_ioc_infer(first);
        if (ty == XS_IOC_SHA256 || ty == XS_IOC_SHA1 || ty == XS_IOC_MD5 || ty == XS_IOC_IP)
            return false;
    }
    *score = neg ? -v : v > 100 ? 100 : v;
    *fp = semi2 ? xs_str_trim(xs_str_make(semi2 + 1, rest.n - (size_t)(semi2 - rest.p) - 1))
                : XS_STR_NULL;
    return true;
}

size_t xs_ioclist_parse(const char *buf, size_t n, xs_ioc_item_fn fn, xs_ioc_bad_fn bad,
                         void *ctx)
{
    size_t count = 0;
    /* on the stack (about 16 KiB): a list that could not be parsed for lack of memory would
     * be an empty list, and every file would pass its indicators */
    xs_csv_row rowbuf, *row = &rowbuf;
    char scratch[XS_MAX_IOC_LINE + 1], val[XS_MAX_IOC_LINE + 1];
    int vcol = -1, tcol = -1, ncol = -1;
    /* a header without an indicator column but with columns named by type ("sha256", "md5",
     * "path", "ip", ...): each of those columns holds indicators of its type */
    enum { TYPED_MAX = 8 };
    int tyc[TYPED_MAX];
    xs_ioc_type tyt[TYPED_MAX];
    size_t ntyped = 0;
    bool decided = false, csv = false;
    xs_str comment = XS_STR_NULL; /* the last '#' line: Loki's description of what follows */
    uint64_t lineno = 0;
    size_t off = 0;
    while (off < n) {
        xs_str line = xs_next_line(buf, n, &off);
        lineno++;
        if (lineno == 1)
            line = xs_strip_bom(line);
        if (line.n > XS_MAX_IOC_LINE) {
            if (bad)
                bad(ctx, lineno, "line too long");
            continue;
        }
        xs_str t = xs_str_trim(line);
        if (t.n && t.p[0] == '#') {
            comment = xs_str_make(t.p + 1, t.n - 1);
            while (comment.n && comment.p[0] == ' ') {
                comment.p++;
                comment.n--;
            }
            continue;
        }
        if (t.n == 0 || (t.n >= 2 && t.p[0] == '/' && t.p[1] == '/'))
            continue;
        xs_str re, fp;
        int score;
        if (!csv && loki_line(t, &re, &score, &fp)) {
            /* kept as written: refanging would change a regex ("[.]" is a class) */
            memcpy(val, re.p, re.n);
            val[re.n] = 0;
            xs_ioc_item it = {XS_IOC_PATH_REGEX, val, comment, lineno, score, fp};
            fn(ctx, &it);
            count++;
            continue;
        }
        xs_csv_split(t.p, t.n, row, scratch);
        if (!decided) {
            decided = true;
            for (size_t i = 0; i < row->n && row->n >= 2; i++) {
                if (vcol < 0 && is_name(row->f[i], value_cols))
                    vcol = (int)i;
                else if (tcol < 0 && is_name(row->f[i], type_cols))
                    tcol = (int)i;
                else if (ncol < 0 && is_name(row->f[i], note_cols))
                    ncol = (int)i;
            }
            for (size_t i = 0; vcol < 0 && row->n >= 2 && i < row->n && ntyped < TYPED_MAX; i++) {
                xs_str h = xs_str_trim(row->f[i]);
                xs_ioc_type ty = h.n ? type_of(h) : XS_IOC_UNKNOWN;
                if (ty != XS_IOC_UNKNOWN && (int)i != ncol) {
                    tyc[ntyped] = (int)i;
                    tyt[ntyped++] = ty;
                }
            }
            if (vcol >= 0 || ntyped) {
                csv = true;
                continue; /* the header */
            }
        }
        if (csv && vcol < 0) {
            xs_str note = xs_str_trim(xs_csv_get(row, ncol));
            for (size_t k = 0; k < ntyped; k++) {
                xs_str v = xs_csv_get(row, tyc[k]);
                if (xs_str_trim(v).n == 0)
                    continue;
                refang(v, val, XS_MAX_IOC_LINE + 1);
                emit(fn, ctx, tyt[k], val, note, lineno, bad, &count);
            }
            continue;
        }
        if (csv) {
            xs_str v = xs_csv_get(row, vcol);
            if (v.n == 0) {
                if (bad)
                    bad(ctx, lineno, "row without an indicator value");
                continue;
            }
            refang(v, val, XS_MAX_IOC_LINE + 1);
            xs_ioc_type ty = tcol >= 0 ? type_of(xs_csv_get(row, tcol)) : XS_IOC_UNKNOWN;
            emit(fn, ctx, ty, val, xs_str_trim(xs_csv_get(row, ncol)), lineno, bad, &count);
            continue;
        }
        /* Plain list: "value;comment", "hash  name", "value,comment", or a bare value. */
        xs_str v = t, note = XS_STR_NULL;
        const char *semi = memchr(t.p, ';', t.n);
        if (semi) {
            v = xs_str_trim(xs_str_make(t.p, (size_t)(semi - t.p)));
            note = xs_str_trim(xs_str_make(semi + 1, t.n - (size_t)(semi - t.p) - 1));
        }
        size_t tok = 0;
        while (tok < v.n && v.p[tok] != ' ' && v.p[tok] != '\t')
            tok++;
        if (tok < v.n && (tok == 64 || tok == 40 || tok == 32) && all_hex(v.p, tok)) {
            note = xs_str_trim(xs_str_make(v.p + tok, v.n - tok));
            v = xs_str_make(v.p, tok);
        }
        refang(v, val, XS_MAX_IOC_LINE + 1);
        if (xs_ioc_infer(val) == XS_IOC_UNKNOWN && row->n >= 2 && !semi) {
            xs_str first = row->f[0];
            char tmp[XS_MAX_IOC_LINE + 1];
            refang(first, tmp, sizeof tmp);
            if (xs_ioc_infer(tmp) != XS_IOC_UNKNOWN) {
                memcpy(val, tmp, strlen(tmp) + 1);
                note = xs_str_trim(row->f[1]);
            }
        }
        emit(fn, ctx, XS_IOC_UNKNOWN, val, note, lineno, bad, &count);
    }
    return count;
}
