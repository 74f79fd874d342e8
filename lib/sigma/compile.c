/* Sigma selections compiled: field names with their modifiers, values with their escapes and
 * wildcards, every modifier of spec v2.1 applied once here so that matching does no parsing.
 *
 * A string value becomes one or more globs (base64offset gives three): bytes, ? (one UTF-8
 * character), * and windash's class, lowercase unless cased. The value transformations
 * (contains, startswith, endswith, windash, base64, base64offset, utf16le, utf16be, utf16,
 * wide) apply in the order written, as pySigma applies them. */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "sigma/internal.h"

bool xs_sfail(xs_sctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    return false;
}

/* Value transformations, in the order the field name lists them. */
enum { T_CONTAINS, T_STARTS, T_ENDS, T_WINDASH, T_B64, T_B64OFF, T_U16LE, T_U16BE, T_U16 };

#define MAX_MODS 16

typedef struct mods {
    int tr[MAX_MODS];
    size_t ntr;
    char type[32];      /* the modifier that chose op, for messages */
    xs_sop op;
    xs_scmp cmp;
    xs_stime part;
    bool all, cased, neq, expand;
    uint32_t reflags;
    int fref_mode;
} mods;

static const struct {
    const char *name;
    int tr;
} transforms[] = {
    {"contains", T_CONTAINS}, {"startswith", T_STARTS}, {"endswith", T_ENDS},
    {"windash", T_WINDASH},   {"base64", T_B64},        {"base64offset", T_B64OFF},
    {"utf16le", T_U16LE},     {"wide", T_U16LE},        {"utf16be", T_U16BE},
    {"utf16", T_U16},
};

static const struct {
    const char *name;
    xs_scmp cmp;
} compares[] = {{"lt", XS_CMP_LT}, {"lte", XS_CMP_LTE}, {"gt", XS_CMP_GT}, {"gte", XS_CMP_GTE}};

static const struct {
    const char *name;
    xs_stime part;
} parts[] = {{"minute", XS_TP_MINUTE}, {"hour", XS_TP_HOUR}, {"day", XS_TP_DAY},
             {"week", XS_TP_WEEK},     {"month", XS_TP_MONTH}, {"year", XS_TP_YEAR}};

static bool set_type(xs_sctx *c, mods *m, const char *name, xs_sop op)
{
    /* a time part and a comparison make one numeric test */
    bool numeric_pair = m->op == XS_SOP_NUM && op == XS_SOP_NUM &&
                        ((m->part != XS_TP_NONE) != (m->cmp != XS_CMP_EQ));
    if (m->type[0] && !numeric_pair)
        return xs_sfail(c, "modifier combination: %s with %s", m->type, name);
    snprintf(m->type, sizeof m->type, "%s", name);
    m->op = op;
    return true;
}

/* The modifiers of "Field|a|b" after the field's name. */
static bool parse_mods(xs_sctx *c, const char *s, mods *m)
{
    memset(m, 0, sizeof *m);
    m->op = XS_SOP_GLOB;
    while (*s == '|') {
        s++;
        size_t n = strcspn(s, "|");
        char name[32];
        if (n == 0 || n >= sizeof name)
            return xs_sfail(c, "unknown modifier: '%.*s'", (int)(n < 40 ? n : 40), s);
        memcpy(name, s, n);
        name[n] = '\0';
        s += n;
        bool known = false;
        for (size_t i = 0; i < sizeof transforms / sizeof *transforms && !known; i++)
            if (strcmp(name, transforms[i].name) == 0) {
                if (m->ntr == MAX_MODS)
                    return xs_sfail(c, "limit: more than %d modifiers", MAX_MODS);
                m->tr[m->ntr++] = transforms[i].tr;
                known = true;
            }
        for (size_t i = 0; i < sizeof compares / sizeof *compares && !known; i++)
            if (strcmp(name, compares[i].name) == 0) {
                if (!set_type(c, m, name, XS_SOP_NUM))
                    return false;
                m->cmp = compares[i].cmp;
                known = true;
            }
        for (size_t i = 0; i < sizeof parts / sizeof *parts && !known; i++)
            if (strcmp(name, parts[i].name) == 0) {
                if (!set_type(c, m, name, XS_SOP_NUM))
                    return false;
                m->part = parts[i].part;
                known = true;
            }
        if (known)
            continue;
        if (strcmp(name, "all") == 0)
            m->all = true;
        else if (strcmp(name, "cased") == 0)
            m->cased = true;
        else if (strcmp(name, "neq") == 0)
            m->neq = true;
        else if (strcmp(name, "expand") == 0)
            m->expand = true;
        else if (strcmp(name, "re") == 0) {
            if (!set_type(c, m, name, XS_SOP_RE))
                return false;
        } else if (strcmp(name, "i") == 0 || strcmp(name, "m") == 0 || strcmp(name, "s") == 0) {
            if (m->op != XS_SOP_RE)
                return xs_sfail(c, "modifier combination: %s without re", name);
            m->reflags |= name[0] == 'i' ? PCRE2_CASELESS
                          : name[0] == 'm' ? PCRE2_MULTILINE : PCRE2_DOTALL;
        } else if (strcmp(name, "cidr") == 0) {
            if (!set_type(c, m, name, XS_SOP_CIDR))
                return false;
        } else if (strcmp(name, "exists") == 0) {
            if (!set_type(c, m, name, XS_SOP_EXISTS))
                return false;
        } else if (strcmp(name, "fieldref") == 0) {
            if (!set_type(c, m, name, XS_SOP_FIELDREF))
                return false;
        } else
            return xs_sfail(c, "unknown modifier: '%s'", name);
    }
    if (m->ntr && m->op != XS_SOP_GLOB) {
        /* fieldref compares with contains, startswith or endswith, one of them */
        bool ok = m->op == XS_SOP_FIELDREF && m->ntr == 1 && m->tr[0] <= T_ENDS;
        if (!ok)
            return xs_sfail(c, "modifier combination: a value transformation with %s", m->type);
        m->fref_mode = 1 + m->tr[0];
    }
    if (m->cased && m->op != XS_SOP_GLOB && m->op != XS_SOP_FIELDREF)
        return xs_sfail(c, "modifier combination: cased with %s", m->type);
    if (m->neq && m->op == XS_SOP_EXISTS)
        return xs_sfail(c, "modifier combination: neq with exists");
    if (m->expand && m->op != XS_SOP_GLOB)
        return xs_sfail(c, "modifier combination: expand with %s", m->type);
    return true;
}

/* ---- globs under construction: a growing list of atom strings ---- */
typedef struct abuf {
    uint16_t *a;
    size_t n, cap;
} abuf;

typedef struct alts {
    abuf *v;
    size_t n, cap;
} alts;

static void alts_free(alts *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].a);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static bool ab_push(abuf *b, uint16_t x)
{
    if (!xs_grow((void **)&b->a, &b->cap, b->n + 1, sizeof *b->a))
        return false;
    b->a[b->n++] = x;
    return true;
}

static abuf *alts_add(alts *s)
{
    if (s->n >= XS_SIGMA_MAX_ALTS || !xs_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v))
        return NULL;
    abuf *b = &s->v[s->n++];
    memset(b, 0, sizeof *b);
    return b;
}

/* The string's escapes and wildcards, as pySigma reads them: \ before *, ? or \ makes that
 * character plain; any other \ is itself. */
static bool parse_glob(abuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        uint16_t x = ch;
        if (ch == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\'))
            x = (unsigned char)s[++i];
        else if (ch == '*')
            x = XS_GA_STAR;
        else if (ch == '?')
            x = XS_GA_ANY1;
        if (!ab_push(b, x))
            return false;
    }
    return true;
}

static bool is_word(uint16_t x)
{
    return x < 256 && (x == '_' || (x >= '0' && x <= '9') || ((x | 32) >= 'a' && (x | 32) <= 'z'));
}

static bool wrap(abuf *b, bool front, bool back)
{
    if (front && (b->n == 0 || b->a[0] != XS_GA_STAR)) {
        if (!ab_push(b, 0))
            return false;
        memmove(b->a + 1, b->a, (b->n - 1) * sizeof *b->a);
        b->a[0] = XS_GA_STAR;
    }
    if (back && (b->n == 0 || b->a[b->n - 1] != XS_GA_STAR))
        return ab_push(b, XS_GA_STAR);
    return true;
}

/* pySigma's \B[-/]\b: a - or / after no word character and before one. */
static void windash(abuf *b)
{
    for (size_t i = 0; i < b->n; i++)
        if ((b->a[i] == '-' || b->a[i] == '/') && (i == 0 || !is_word(b->a[i - 1])) &&
            i + 1 < b->n && is_word(b->a[i + 1]))
            b->a[i] = XS_GA_DASH;
}

static bool plain_bytes(const abuf *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->a[i] > 255)
            return false;
    return true;
}

/* UTF-8 to UTF-16 in the byte order asked (a byte that is not UTF-8 is its own code point). */
static bool utf16(const abuf *in, abuf *out, bool be, bool bom)
{
    if (bom && (!ab_push(out, 0xff) || !ab_push(out, 0xfe)))
        return false;
    for (size_t i = 0; i < in->n;) {
        uint32_t cp = in->a[i];
        size_t len = 1;
        if (cp >= 0xc0 && cp < 0xf8) {
            len = cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : 2;
            uint32_t v = cp & (0x3fu >> (len - 1));
            bool ok = i + len <= in->n;
            for (size_t k = 1; ok && k < len; k++) {
                ok = (in->a[i + k] & 0xc0) == 0x80;
                v = v << 6 | (in->a[i + k] & 0x3f);
            }
            if (ok)
                cp = v;
            else
                len = 1;
        }
        i += len;
        uint16_t units[2];
        size_t nu = 1;
        if (cp > 0xffff) {
            cp -= 0x10000;
            units[0] = (uint16_t)(0xd800 | (cp >> 10));
            units[1] = (uint16_t)(0xdc00 | (cp & 0x3ff));
            nu = 2;
        } else
            units[0] = (uint16_t)cp;
        for (size_t k = 0; k < nu; k++) {
            uint16_t lo = units[k] & 0xff, hi = units[k] >> 8;
            if (!ab_push(out, be ? hi : lo) || !ab_push(out, be ? lo : hi))
                return false;
        }
    }
    return true;
}

static bool b64(const uint16_t *in, size_t n, abuf *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        for (int k = 0; k < 4; k++)
            if (!ab_push(out, (uint16_t)q[k]))
                return false;
    }
    return true;
}

/* pySigma's base64offset: the value after 0, 1 and 2 bytes, without the characters the
 * neighbours change. */
static bool b64offset(const abuf *in, alts *next)
{
    static const size_t start[3] = {0, 2, 3};
    static const size_t cut[3] = {0, 3, 2}; /* from the end, by (len + i) % 3 */
    for (size_t i = 0; i < 3; i++) {
        abuf pad = {0}, enc = {0};
        bool ok = true;
        for (size_t k = 0; k < i && ok; k++)
            ok = ab_push(&pad, ' ');
        for (size_t k = 0; k < in->n && ok; k++)
            ok = ab_push(&pad, in->a[k]);
        ok = ok && b64(pad.a, pad.n, &enc);
        free(pad.a);
        size_t from = start[i], to = enc.n - cut[(in->n + i) % 3];
        if (ok && to <= from) {
            /* a value this short leaves nothing of an offset: "" would match anything */
            free(enc.a);
            return false;
        }
        abuf *b = ok ? alts_add(next) : NULL;
        for (size_t k = from; b && k < to; k++)
            if (!ab_push(b, enc.a[k]))
                b = NULL;
        free(enc.a);
        if (!b)
            return false;
    }
    return true;
}

/* One transformation over every string of s. false: out of memory, or c->reason. */
static bool transform(xs_sctx *c, alts *s, int tr, const char *value)
{
    if (tr <= T_WINDASH) {
        for (size_t i = 0; i < s->n; i++) {
            abuf *b = &s->v[i];
            if (tr == T_WINDASH)
                windash(b);
            else if (!wrap(b, tr != T_STARTS, tr != T_ENDS))
                return !(c->oom = true);
        }
        return true;
    }
    alts next = {0};
    for (size_t i = 0; i < s->n; i++) {
        const abuf *b = &s->v[i];
        if (!plain_bytes(b)) {
            alts_free(&next);
            return xs_sfail(c, "wildcard in an encoded value: '%.60s'", value);
        }
        abuf *o = tr == T_B64OFF ? NULL : alts_add(&next);
        bool ok = tr == T_B64OFF ? b64offset(b, &next)
                  : !o           ? false
                  : tr == T_B64  ? b64(b->a, b->n, o)
                                 : utf16(b, o, tr == T_U16BE, tr == T_U16);
        if (!ok) {
            bool cap = next.n >= XS_SIGMA_MAX_ALTS;
            bool short_value = tr == T_B64OFF && b->n < 3 && !cap;
            alts_free(&next);
            if (cap)
                return xs_sfail(c, "limit: a value of more than %d strings", XS_SIGMA_MAX_ALTS);
            if (short_value)
                return xs_sfail(c, "value: '%.20s' too short for base64offset", value);
            return !(c->oom = true);
        }
    }
    alts_free(s);
    *s = next;
    return true;
}

/* expand: s with its first %name% at or after from replaced by each value the set has for name
 * (and so on for the next ones after the value, never inside it), each string parsed into a
 * glob of its own in out. A name the set has no values for leaves the rule out. */
static bool expand(xs_sctx *c, const char *s, size_t n, size_t from, int depth, alts *out)
{
    const char *p = memchr(s + from, '%', n - from); /* not inside a value put in */
    const char *q = p ? memchr(p + 1, '%', n - (size_t)(p + 1 - s)) : NULL;
    if (!q || q == p + 1) {
        abuf *b = alts_add(out);
        if (!b && out->n >= XS_SIGMA_MAX_ALTS)
            return xs_sfail(c, "limit: a value of more than %d strings", XS_SIGMA_MAX_ALTS);
        if (!b || !parse_glob(b, s, n))
            return !(c->oom = true);
        return true;
    }
    if (depth == XS_SIGMA_MAX_PLACEHOLDERS)
        return xs_sfail(c, "limit: more than %d placeholders in a value",
                        XS_SIGMA_MAX_PLACEHOLDERS);
    char name[128];
    size_t len = (size_t)(q - p - 1);
    if (len >= sizeof name)
        return xs_sfail(c, "unresolved placeholder: %.60s", p);
    memcpy(name, p + 1, len);
    name[len] = '\0';
    const xs_splace *ph = c->ph ? xs_strmap_get(c->ph, name) : NULL;
    if (!ph || ph->n == 0)
        return xs_sfail(c, "unresolved placeholder: %%%s%%%s", name, ph ? " (no values)" : "");
    size_t head = (size_t)(p - s), tail = n - (size_t)(q + 1 - s);
    for (size_t i = 0; i < ph->n; i++) {
        size_t vn = strlen(ph->value[i]), total = head + vn + tail;
        char *t = malloc(total + 1);
        if (!t)
            return !(c->oom = true);
        memcpy(t, s, head);
        memcpy(t + head, ph->value[i], vn);
        memcpy(t + head + vn, q + 1, tail);
        t[total] = '\0';
        bool ok = expand(c, t, total, head + vn, depth + 1, out);
        free(t);
        if (!ok)
            return false;
    }
    return true;
}

static bool compile_glob(xs_sctx *c, const mods *m, const xs_ynode *v, xs_sval *out,
                         bool keyword)
{
    alts s = {0};
    bool ok = false;
    if (m->expand) {
        if (!expand(c, v->s, v->n, 0, 0, &s))
            goto out;
    } else {
        abuf *b = alts_add(&s);
        if (!b || !parse_glob(b, v->s, v->n)) {
            c->oom = true;
            goto out;
        }
    }
    for (size_t i = 0; i < m->ntr; i++)
        if (!transform(c, &s, m->tr[i], v->s))
            goto out;
    if (keyword) {
        bool placed = false;
        for (size_t i = 0; i < m->ntr; i++)
            placed |= m->tr[i] <= T_ENDS;
        for (size_t i = 0; !placed && i < s.n; i++)
            if (!wrap(&s.v[i], true, true)) {
                c->oom = true;
                goto out;
            }
    }
    xs_glob *g = xs_arena_alloc(c->a, s.n * sizeof *g);
    if (!g) {
        c->oom = true;
        goto out;
    }
    for (size_t i = 0; i < s.n; i++) {
        uint16_t *a = xs_arena_alloc(c->a, (s.v[i].n ? s.v[i].n : 1) * sizeof *a);
        if (!a) {
            c->oom = true;
            goto out;
        }
        for (size_t k = 0; k < s.v[i].n; k++) {
            uint16_t x = s.v[i].a[k];
            a[k] = !m->cased && x < 256 ? (uint16_t)(unsigned char)xs_lower((char)x) : x;
        }
        g[i] = (xs_glob){a, s.v[i].n, XS_GS_GENERAL, NULL, 0};
        xs_glob_shape(&g[i]);
    }
    out->alt = g;
    out->nalt = s.n;
    ok = true;
out:
    alts_free(&s);
    return ok;
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s || *end != '\0' || errno || !isfinite(d))
        return false;
    *out = d;
    return true;
}

static bool parse_cidr(const char *s, xs_sval *v)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    memset(v->net, 0, sizeof v->net);
    v->family = strchr(buf, ':') ? 6 : 4;
    if (inet_pton(v->family == 6 ? AF_INET6 : AF_INET, buf, v->net) != 1)
        return false;
    int max = v->family == 6 ? 128 : 32;
    v->prefix = max;
    if (slash) {
        char *end;
        long p = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end || p < 0 || p > max)
            return false;
        v->prefix = (int)p;
    }
    return true;
}

static bool compile_value(xs_sctx *c, const mods *m, const xs_ynode *v, xs_sval *out,
                          bool keyword)
{
    memset(out, 0, sizeof *out);
    if (v->kind != XS_Y_SCALAR)
        return xs_sfail(c, "value: a nested list or map");
    if (xs_ynull(v)) {
        if (m->op == XS_SOP_EXISTS || keyword)
            return xs_sfail(c, "value: null %s", keyword ? "as a keyword" : "with exists");
        out->null = true;
        return true;
    }
    switch (m->op) {
    case XS_SOP_GLOB:
        return compile_glob(c, m, v, out, keyword);
    case XS_SOP_RE: {
        int code;
        PCRE2_SIZE off;
        out->re = pcre2_compile((PCRE2_SPTR)v->s, v->n,
                                m->reflags | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off,
                                NULL);
        if (!out->re) {
            PCRE2_UCHAR msg[120];
            pcre2_get_error_message(code, msg, sizeof msg);
            return xs_sfail(c, "regular expression: %s at %zu", (const char *)msg, (size_t)off);
        }
        /* JIT where the platform allows it; the interpreter otherwise (same results) */
        (void)pcre2_jit_compile(out->re, PCRE2_JIT_COMPLETE);
        if (!xs_grow((void **)c->res, c->capres, *c->nres + 1, sizeof **c->res)) {
            pcre2_code_free(out->re);
            return !(c->oom = true);
        }
        (*c->res)[(*c->nres)++] = out->re;
        return true;
    }
    case XS_SOP_NUM:
        if (!parse_number(v->s, &out->num))
            return xs_sfail(c, "value: '%.40s' is not a number", v->s);
        return true;
    case XS_SOP_CIDR:
        if (!parse_cidr(v->s, out))
            return xs_sfail(c, "value: '%.60s' is not a CIDR", v->s);
        return true;
    case XS_SOP_FIELDREF:
        out->ref = v->s;
        return true;
    case XS_SOP_EXISTS:
        break;
    }
    return true;
}

static bool compile_item(xs_sctx *c, const char *key, const xs_ynode *v, xs_sitem *it)
{
    mods m;
    memset(it, 0, sizeof *it);
    const char *bar = strchr(key, '|');
    size_t flen = bar ? (size_t)(bar - key) : strlen(key);
    if (!parse_mods(c, key + flen, &m))
        return false;
    bool keyword = flen == 0;
    if (keyword && (m.op != XS_SOP_GLOB && m.op != XS_SOP_RE))
        return xs_sfail(c, "modifier combination: %s without a field", m.type);
    it->field = keyword ? NULL : xs_arena_strndup(c->a, key, flen);
    if (!keyword && !it->field)
        return !(c->oom = true);
    it->op = m.op;
    it->cmp = m.cmp;
    it->part = m.part;
    it->all = m.all;
    it->cased = m.cased;
    it->neq = m.neq;
    it->fref_mode = (uint8_t)m.fref_mode;
    if (m.op == XS_SOP_EXISTS) {
        const char *t = v->kind == XS_Y_SCALAR ? v->s : "";
        if (strcmp(t, "true") && strcmp(t, "false") && strcmp(t, "yes") && strcmp(t, "no"))
            return xs_sfail(c, "value: exists takes true or false");
        it->want = t[0] == 't' || t[0] == 'y';
        return true;
    }
    size_t n = v->kind == XS_Y_SEQ ? v->count : 1;
    if (n == 0)
        return xs_sfail(c, "value: an empty list");
    xs_sval *vals = xs_arena_alloc(c->a, n * sizeof *vals);
    if (!vals)
        return !(c->oom = true);
    const xs_ynode *e = v->kind == XS_Y_SEQ ? v->first : v;
    for (size_t i = 0; i < n; i++, e = e->next)
        if (!compile_value(c, &m, e, &vals[i], keyword))
            return false;
    it->val = vals;
    it->nval = n;
    return true;
}

/* A map: every key a field (with modifiers) or, with no name before its first |, keywords. */
static bool compile_map(xs_sctx *c, const xs_ynode *map, xs_sgroup *g)
{
    size_t n = map->count / 2;
    if (n == 0)
        return xs_sfail(c, "selection: an empty map");
    xs_sitem *items = xs_arena_alloc(c->a, n * sizeof *items);
    if (!items)
        return !(c->oom = true);
    size_t i = 0;
    for (const xs_ynode *k = map->first; k && k->next; k = k->next->next, i++) {
        if (k->kind != XS_Y_SCALAR)
            return xs_sfail(c, "selection: a key that is not a string");
        if (!compile_item(c, k->s, k->next, &items[i]))
            return false;
    }
    *g = (xs_sgroup){items, n};
    return true;
}

/* Keywords: the values searched for in every field (contains, unless placed otherwise). */
static bool compile_keywords(xs_sctx *c, const xs_ynode *v, xs_sgroup *g)
{
    xs_sitem *it = xs_arena_alloc(c->a, sizeof *it);
    if (!it)
        return !(c->oom = true);
    if (!compile_item(c, "", v, it))
        return false;
    *g = (xs_sgroup){it, 1};
    return true;
}

bool xs_sigma_compile_sel(xs_sctx *c, const char *name, const xs_ynode *v, xs_ssel *sel)
{
    size_t n = v->kind == XS_Y_SEQ ? v->count : 1;
    bool scalars = v->kind == XS_Y_SEQ;
    for (const xs_ynode *e = v->kind == XS_Y_SEQ ? v->first : NULL; e; e = e->next)
        scalars &= e->kind == XS_Y_SCALAR;
    if (n == 0)
        return xs_sfail(c, "selection: '%s' is an empty list", name);
    if (v->kind == XS_Y_SCALAR && xs_ynull(v))
        return xs_sfail(c, "selection: '%s' is null", name);
    if (scalars)
        n = 1;
    xs_sgroup *g = xs_arena_alloc(c->a, n * sizeof *g);
    if (!g)
        return !(c->oom = true);
    if (scalars || v->kind == XS_Y_SCALAR) {
        if (!compile_keywords(c, v, &g[0]))
            return false;
    } else if (v->kind == XS_Y_MAP) {
        if (!compile_map(c, v, &g[0]))
            return false;
    } else {
        size_t i = 0;
        for (const xs_ynode *e = v->first; e; e = e->next, i++) {
            bool ok = e->kind == XS_Y_MAP    ? compile_map(c, e, &g[i])
                      : e->kind == XS_Y_SEQ ? xs_sfail(c, "selection: a list in a list")
                                            : compile_keywords(c, e, &g[i]);
            if (!ok)
                return false;
        }
    }
    sel->name = name;
    sel->group = g;
    sel->n = n;
    return true;
}
