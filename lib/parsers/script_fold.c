/* Folding, the script reader's de-obfuscation: constant expressions that build strings are
 * replaced by the string they build, in place, pass after pass (XS_SCRIPT_MAX_FOLD_PASSES), and
 * code hidden in literals (base64, constant XOR, a string given to eval or Execute) is read
 * again as code one layer deeper. A folded token keeps the line of the expression it replaces
 * and says how it was made (XS_TF_*). */
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "parsers/script_int.h"

static bool is_kind(const xs_script *s, size_t i, size_t e, xs_tkind k)
{
    return i < e && s->tok[i].kind == k;
}

static bool is_p(const xs_script *s, size_t i, size_t e, char c)
{
    return i < e && xs_tok_p(&s->tok[i], c);
}

static bool is_id(const xs_script *s, size_t i, size_t e, const char *name)
{
    return i < e && xs_tok_is(s, &s->tok[i], name);
}

static bool is_id_any(const xs_script *s, size_t i, size_t e, const char *const *names)
{
    for (; *names; names++)
        if (is_id(s, i, e, *names))
            return true;
    return false;
}

/* Tokens of the member chain written just before index w ("System.Convert." before
 * FromBase64String, "Encoding.GetEncoding(936)." before GetString, a leading "new"), that the
 * folded call replaces too. */
static size_t chain_len(const xs_script *s, size_t from, size_t w)
{
    const xs_tok *t = s->tok;
    size_t k = w;
    /* short chains of names and of calls with constant arguments only (GetEncoding(936)): a
     * call with anything else in it (Exec(Request("c")).Chr(65)) is code, not a namespace */
    while (k > from && w - k < 32 && xs_tok_p(&t[k - 1], '.')) {
        size_t j = k - 1;
        if (j > from && t[j - 1].kind == XS_TK_IDENT) {
            k = j - 1;
            continue;
        }
        if (j > from && xs_tok_p(&t[j - 1], ')')) {
            size_t q = j, d = 0;
            bool found = false;
            while (q > from && j - q < 16) {
                q--;
                if (xs_tok_p(&t[q], ')'))
                    d++;
                else if (xs_tok_p(&t[q], '(') && --d == 0) {
                    found = true;
                    break;
                } else if (t[q].kind == XS_TK_IDENT) {
                    break; /* not constant */
                }
            }
            if (!found)
                break;
            k = (q > from && t[q - 1].kind == XS_TK_IDENT) ? q - 1 : q;
            continue;
        }
        break;
    }
    if (k > from && k < w && xs_tok_is(s, &t[k - 1], "new"))
        k--;
    return w - k;
}

typedef struct fold {
    xs_script *s;
    size_t from; /* region start */
    size_t w;    /* tokens written (compacted) so far: [from, w) */
    size_t r, e; /* reading at r, region end e */
    char *buf;   /* scratch for built strings */
    size_t bn, bcap;
    bool stop; /* out of memory */
} fold;

static bool buf_put(fold *f, const char *p, size_t n)
{
    if (n == 0)
        return true;
    if (f->bn + n > XS_SCRIPT_MAX_TEXT) {
        f->s->truncated = true;
        f->s->text_full = true;
        return false;
    }
    if (f->bn + n > f->bcap) {
        size_t cap = f->bcap ? f->bcap : 256;
        while (cap < f->bn + n)
            cap *= 2;
        char *t = realloc(f->buf, cap);
        if (!t) {
            f->stop = true;
            f->s->failed = true;
            return false;
        }
        f->buf = t;
        f->bcap = cap;
    }
    memcpy(f->buf + f->bn, p, n);
    f->bn += n;
    return true;
}

/* Replaces the `used` tokens at r (and `pop` written before) by one string from f->buf. */
static bool put_str(fold *f, size_t used, size_t pop, uint16_t how, uint32_t line)
{
    xs_script *s = f->s;
    xs_tok t;
    memset(&t, 0, sizeof t);
    t.kind = XS_TK_STR;
    t.lang = s->tok[f->r].lang;
    t.layer = s->tok[f->r].layer;
    t.line = line;
    for (size_t i = 0; i < used; i++)
        t.how |= s->tok[f->r + i].how;
    t.how |= how;
    if (!xs_stext_add(s, f->buf ? f->buf : "", f->bn, &t.off)) {
        if (s->failed)
            f->stop = true;
        return false;
    }
    t.len = (uint32_t)f->bn;
    s->how |= t.how;
    f->w -= pop;
    f->r += used;
    s->tok[f->w++] = t;
    return true;
}

static bool put_num(fold *f, size_t used, int64_t v)
{
    xs_tok t = f->s->tok[f->r];
    for (size_t i = 1; i < used; i++)
        t.how |= f->s->tok[f->r + i].how;
    t.num = v;
    f->r += used;
    f->s->tok[f->w++] = t;
    return true;
}

static xs_str tx(const fold *f, size_t i)
{
    return xs_tok_text(f->s, &f->s->tok[i]);
}

/* "a" + "b" & "c" ...: not when a member access binds the last operand ("b".Replace(...)). */
static bool fold_concat(fold *f)
{
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    if (!is_kind(s, r, e, XS_TK_STR) || (f->w > f->from && xs_tok_p(&s->tok[f->w - 1], '.')))
        return false;
    size_t j = r;
    while ((is_p(s, j + 1, e, '+') || is_p(s, j + 1, e, '&')) && is_kind(s, j + 2, e, XS_TK_STR) &&
           !is_p(s, j + 3, e, '.') && !is_p(s, j + 3, e, '[') && !is_p(s, j + 3, e, '('))
        j += 2;
    if (j == r)
        return false;
    f->bn = 0;
    for (size_t k = r; k <= j; k += 2) {
        xs_str v = tx(f, k);
        if (!buf_put(f, v.p, v.n))
            return false;
    }
    return put_str(f, j - r + 1, 0, XS_TF_CONCAT, s->tok[r].line);
}

/* Chr(101), ChrW(&H65), String.fromCharCode(101, 118), (char)101 */
static bool fold_charcode(fold *f)
{
    static const char *const names[] = {"chr", "chrw", "chrb", "fromcharcode", "tochar", NULL};
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    char out[4];
    if (is_p(s, r, e, '(') && is_id(s, r + 1, e, "char") && is_p(s, r + 2, e, ')') &&
        is_kind(s, r + 3, e, XS_TK_NUM)) {
        f->bn = 0;
        return buf_put(f, out, xs_sutf8((unsigned long)s->tok[r + 3].num & 0xFFFF, out)) &&
               put_str(f, 4, 0, XS_TF_CHR, s->tok[r].line);
    }
    if (!is_id_any(s, r, e, names) || !is_p(s, r + 1, e, '('))
        return false;
    size_t j = r + 2;
    f->bn = 0;
    for (;;) {
        if (!is_kind(s, j, e, XS_TK_NUM))
            return false;
        if (!buf_put(f, out, xs_sutf8((unsigned long)s->tok[j].num & 0xFFFF, out)))
            return false;
        if (is_p(s, j + 1, e, ')'))
            break;
        if (!is_p(s, j + 1, e, ','))
            return false;
        j += 2;
    }
    return put_str(f, j + 2 - r, chain_len(s, f->from, f->w), XS_TF_CHR, s->tok[r].line);
}

/* 100 + 1 (and -, *, Xor, C#/JScript ^) between '(' or ',' and ')' or ',': Chr(100+1). */
static bool fold_arith(fold *f)
{
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    if (f->w == f->from || !is_kind(s, r, e, XS_TK_NUM) || r + 2 >= e)
        return false;
    const xs_tok *prev = &s->tok[f->w - 1];
    if (!xs_tok_p(prev, '(') && !xs_tok_p(prev, ','))
        return false;
    const xs_tok *op = &s->tok[r + 1];
    if (!is_kind(s, r + 2, e, XS_TK_NUM) || !(is_p(s, r + 3, e, ')') || is_p(s, r + 3, e, ',')))
        return false;
    int64_t a = s->tok[r].num, b = s->tok[r + 2].num, v;
    bool vb = op->lang == XS_SL_VB || op->lang == XS_SL_VBSCRIPT;
    if (xs_tok_p(op, '+'))
        v = (a + b) & 0xFFFFFFFF;
    else if (xs_tok_p(op, '-'))
        v = a - b;
    else if (xs_tok_p(op, '*'))
        v = (a & 0xFFFF) * (b & 0xFFFF);
    else if (xs_tok_is(s, op, "xor") || (!vb && xs_tok_p(op, '^')))
        v = a ^ b;
    else
        return false;
    return put_num(f, 3, v);
}

static void rev(char *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        char c = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = c;
    }
}

/* StrReverse("lave"), "lave".split("").reverse().join(""), new string("lave".Reverse().ToArray()) */
static bool fold_reverse(fold *f)
{
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    size_t used = 0, at = 0, pop = 0;
    if (is_id(s, r, e, "strreverse") && is_p(s, r + 1, e, '(') && is_kind(s, r + 2, e, XS_TK_STR) &&
        is_p(s, r + 3, e, ')')) {
        used = 4;
        at = r + 2;
        pop = chain_len(s, f->from, f->w);
    } else if (is_kind(s, r, e, XS_TK_STR) && is_p(s, r + 1, e, '.') &&
               is_id(s, r + 2, e, "split") && is_p(s, r + 3, e, '(') &&
               is_kind(s, r + 4, e, XS_TK_STR) && s->tok[r + 4].len == 0 &&
               is_p(s, r + 5, e, ')') && is_p(s, r + 6, e, '.') && is_id(s, r + 7, e, "reverse") &&
               is_p(s, r + 8, e, '(') && is_p(s, r + 9, e, ')') && is_p(s, r + 10, e, '.') &&
               is_id(s, r + 11, e, "join") && is_p(s, r + 12, e, '(') &&
               is_kind(s, r + 13, e, XS_TK_STR) && s->tok[r + 13].len == 0 &&
               is_p(s, r + 14, e, ')')) {
        used = 15;
        at = r;
    } else if (is_id(s, r, e, "new") && is_id(s, r + 1, e, "string") && is_p(s, r + 2, e, '(') &&
               is_kind(s, r + 3, e, XS_TK_STR) && is_p(s, r + 4, e, '.') &&
               is_id(s, r + 5, e, "reverse") && is_p(s, r + 6, e, '(') && is_p(s, r + 7, e, ')') &&
               is_p(s, r + 8, e, '.') && is_id(s, r + 9, e, "toarray") && is_p(s, r + 10, e, '(') &&
               is_p(s, r + 11, e, ')') && is_p(s, r + 12, e, ')')) {
        used = 13;
        at = r + 3;
    } else {
        return false;
    }
    xs_str v = tx(f, at);
    f->bn = 0;
    if (!buf_put(f, v.p, v.n))
        return false;
    rev(f->buf, f->bn);
    return put_str(f, used, pop, XS_TF_REVERSE, s->tok[r].line);
}

/* unescape("%65%76"), decodeURIComponent, Server.UrlDecode, HttpUtility.UrlDecode */
static bool fold_unescape(fold *f)
{
    static const char *const names[] = {"unescape", "decodeuricomponent", "decodeuri", "urldecode",
                                        NULL};
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    if (!is_id_any(s, r, e, names) || !is_p(s, r + 1, e, '(') ||
        !is_kind(s, r + 2, e, XS_TK_STR) || !is_p(s, r + 3, e, ')'))
        return false;
    bool plus = is_id(s, r, e, "urldecode");
    xs_str v = tx(f, r + 2);
    f->bn = 0;
    for (size_t i = 0; i < v.n; i++) {
        char out[4];
        size_t k = 1;
        out[0] = v.p[i];
        if (v.p[i] == '%' && i + 5 < v.n + 0 && (v.p[i + 1] == 'u' || v.p[i + 1] == 'U') &&
            xs_shex(v.p[i + 2]) >= 0 && xs_shex(v.p[i + 3]) >= 0 && xs_shex(v.p[i + 4]) >= 0 &&
            xs_shex(v.p[i + 5]) >= 0) {
            unsigned long c = (unsigned long)(xs_shex(v.p[i + 2]) << 12 | xs_shex(v.p[i + 3]) << 8 |
                                              xs_shex(v.p[i + 4]) << 4 | xs_shex(v.p[i + 5]));
            k = xs_sutf8(c, out);
            i += 5;
        } else if (v.p[i] == '%' && i + 2 < v.n && xs_shex(v.p[i + 1]) >= 0 &&
                   xs_shex(v.p[i + 2]) >= 0) {
            out[0] = (char)(xs_shex(v.p[i + 1]) << 4 | xs_shex(v.p[i + 2]));
            i += 2;
        } else if (plus && v.p[i] == '+') {
            out[0] = ' ';
        }
        if (!buf_put(f, out, k))
            return false;
    }
    return put_str(f, 4, chain_len(s, f->from, f->w), XS_TF_UNESCAPE, s->tok[r].line);
}

/* Convert.FromBase64String("..."): the bytes; Encoding.X.GetString("...") around it: the text
 * (UTF-16 squeezed to its low bytes). */
static bool fold_base64(fold *f)
{
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    bool b64 = is_id(s, r, e, "frombase64string");
    if (!(b64 || is_id(s, r, e, "getstring")) || !is_p(s, r + 1, e, '(') ||
        !is_kind(s, r + 2, e, XS_TK_STR) || !is_p(s, r + 3, e, ')'))
        return false;
    xs_str v = tx(f, r + 2);
    f->bn = 0;
    if (b64) {
        unsigned acc = 0;
        int bits = 0;
        size_t pad = 0;
        for (size_t i = 0; i < v.n; i++) {
            int c = (unsigned char)v.p[i];
            if (c == '=') {
                pad++;
                continue;
            }
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
                continue;
            int d = xs_sb64(c, true);
            if (d < 0 || pad)
                return false; /* not base64: left as written */
            acc = (acc << 6) | (unsigned)d;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                char ch = (char)((acc >> bits) & 0xFF);
                if (!buf_put(f, &ch, 1))
                    return false;
            }
        }
    } else {
        size_t zeros = 0;
        for (size_t i = 1; i < v.n; i += 2)
            zeros += v.p[i] == 0;
        bool wide = v.n >= 2 && zeros * 2 >= v.n / 2;
        for (size_t i = 0; i < v.n; i += wide ? 2 : 1)
            if (!buf_put(f, &v.p[i], 1))
                return false;
    }
    return put_str(f, 4, chain_len(s, f->from, f->w), b64 ? XS_TF_BASE64 : 0, s->tok[r].line);
}

static bool replace_into(fold *f, xs_str in, xs_str from, xs_str to)
{
    f->bn = 0;
    if (from.n > 64)
        return false; /* obfuscation replaces short markers; a long one would cost in x from */
    if (from.n == 0)
        return buf_put(f, in.p, in.n);
    for (size_t i = 0; i < in.n;) {
        if (i + from.n <= in.n && memcmp(in.p + i, from.p, from.n) == 0) {
            if (!buf_put(f, to.p, to.n))
                return false;
            i += from.n;
        } else {
            if (!buf_put(f, in.p + i, 1))
                return false;
            i++;
        }
    }
    return true;
}

/* Replace("evXal", "X", "") (VB) and "evXal".Replace("X", "") (C#, JScript) */
static bool fold_replace(fold *f)
{
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    if (is_id(s, r, e, "replace") && is_p(s, r + 1, e, '(') && is_kind(s, r + 2, e, XS_TK_STR) &&
        is_p(s, r + 3, e, ',') && is_kind(s, r + 4, e, XS_TK_STR) && is_p(s, r + 5, e, ',') &&
        is_kind(s, r + 6, e, XS_TK_STR) && is_p(s, r + 7, e, ')') &&
        !(f->w > f->from && xs_tok_p(&s->tok[f->w - 1], '.')))
        return replace_into(f, tx(f, r + 2), tx(f, r + 4), tx(f, r + 6)) &&
               put_str(f, 8, chain_len(s, f->from, f->w), XS_TF_REPLACE, s->tok[r].line);
    if (is_kind(s, r, e, XS_TK_STR) && is_p(s, r + 1, e, '.') && is_id(s, r + 2, e, "replace") &&
        is_p(s, r + 3, e, '(') && is_kind(s, r + 4, e, XS_TK_STR) && is_p(s, r + 5, e, ',') &&
        is_kind(s, r + 6, e, XS_TK_STR) && is_p(s, r + 7, e, ')'))
        return replace_into(f, tx(f, r), tx(f, r + 4), tx(f, r + 6)) &&
               put_str(f, 8, 0, XS_TF_REPLACE, s->tok[r].line);
    return false;
}

/* ("x") and ("x").ToString(), "x".ToString(): the string (not a call's argument list). */
static bool fold_paren(fold *f)
{
    xs_script *s = f->s;
    size_t r = f->r, e = f->e;
    if (is_kind(s, r, e, XS_TK_STR) && is_p(s, r + 1, e, '.') && is_id(s, r + 2, e, "tostring") &&
        is_p(s, r + 3, e, '(') && is_p(s, r + 4, e, ')')) {
        xs_tok t = s->tok[r];
        f->r += 5;
        s->tok[f->w++] = t;
        return true;
    }
    if (!is_p(s, r, e, '(') || !(is_kind(s, r + 1, e, XS_TK_STR) || is_kind(s, r + 1, e, XS_TK_NUM)) ||
        !is_p(s, r + 2, e, ')'))
        return false;
    if (f->w > f->from) {
        const xs_tok *prev = &s->tok[f->w - 1];
        if (prev->kind == XS_TK_IDENT || xs_tok_p(prev, ')') || xs_tok_p(prev, ']') ||
            xs_tok_p(prev, '>'))
            return false; /* a call, an index or a generic argument list */
    }
    xs_tok t = s->tok[r + 1];
    f->r += 3;
    s->tok[f->w++] = t;
    return true;
}

static bool fold_pass(xs_script *s, size_t from, bool *changed, char **buf, size_t *bcap)
{
    fold f = {s, from, from, from, s->ntok, *buf, 0, *bcap, false};
    while (f.r < f.e && !f.stop) {
        if (s->ntext + 1 >= XS_SCRIPT_MAX_TEXT || (s->truncated && s->text_full)) {
            /* the text cap: copy the rest as it is (each fold would fail and be retried) */
            s->tok[f.w++] = s->tok[f.r++];
            continue;
        }
        size_t w0 = f.w, r0 = f.r;
        if (fold_concat(&f) || fold_charcode(&f) || fold_arith(&f) || fold_reverse(&f) ||
            fold_unescape(&f) || fold_base64(&f) || fold_replace(&f) || fold_paren(&f)) {
            *changed = true;
            continue;
        }
        if (f.stop)
            break;
        f.w = w0;
        f.r = r0;
        s->tok[f.w++] = s->tok[f.r++];
    }
    *buf = f.buf;
    *bcap = f.bcap;
    if (f.stop)
        return false;
    s->ntok = f.w;
    return true;
}

/* Printable text that reads like code: for decoded literals. */
static bool looks_like_code(xs_str v, bool strict)
{
    if (v.n < 6)
        return false;
    size_t printable = 0, letters = 0, run = 0, best = 0;
    bool paren = false;
    for (size_t i = 0; i < v.n; i++) {
        unsigned char c = (unsigned char)v.p[i];
        if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r')
            printable++;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            letters++;
            if (++run > best)
                best = run;
        } else {
            run = 0;
        }
        if (c == '(' || c == '=' || c == ' ')
            paren = true;
    }
    if (printable * 100 < v.n * (strict ? 97 : 90) || best < 3 || !paren)
        return false;
    if (!strict)
        return true;
    static const char *const words[] = {"request", "eval",     "execute", "process", "createobject",
                                        "shell",   "assembly", "response", "server",  NULL};
    for (const char *const *w = words; *w; w++)
        if (xs_str_icontains(v, *w))
            return true;
    return false;
}

static bool decode_region(xs_script *s, const char *p, size_t n, xs_slang lang, uint32_t line,
                          uint8_t layer, uint16_t how)
{
    if (s->ndecoded >= XS_SCRIPT_MAX_DECODES) {
        s->truncated = true;
        return true;
    }
    s->ndecoded++;
    /* the literal's text may move when the text array grows: tokenise a copy */
    char *copy = malloc(n ? n : 1);
    if (!copy) {
        s->failed = true;
        return false;
    }
    memcpy(copy, p, n);
    bool ok = xs_stok_region(s, copy, n, lang, line, layer, how);
    free(copy);
    return ok || !s->failed;
}

bool xs_sfold_region(xs_script *s, size_t from)
{
    static const char *const evaluators[] = {"eval",        "execute",   "executeglobal",
                                             "executestatement", "addcode", "jscriptevaluate",
                                             "compileassemblyfromsource", NULL};
    char *buf = NULL;
    size_t bcap = 0;
    bool changed = true;
    for (unsigned pass = 0; changed && pass < XS_SCRIPT_MAX_FOLD_PASSES; pass++) {
        changed = false;
        if (!fold_pass(s, from, &changed, &buf, &bcap)) {
            free(buf);
            return false;
        }
    }
    free(buf);
    size_t end = s->ntok;
    /* constant XOR keys of the region: "Xor 7", "^ 7" */
    int64_t keys[XS_SCRIPT_MAX_XOR_KEYS];
    size_t nkeys = 0;
    for (size_t i = from; i + 1 < end; i++) {
        const xs_tok *t = &s->tok[i];
        bool vb = t->lang == XS_SL_VB || t->lang == XS_SL_VBSCRIPT;
        if (!(xs_tok_is(s, t, "xor") || (!vb && xs_tok_p(t, '^'))) ||
            s->tok[i + 1].kind != XS_TK_NUM)
            continue;
        int64_t k = s->tok[i + 1].num;
        bool seen = k <= 0 || k > 255;
        for (size_t j = 0; j < nkeys && !seen; j++)
            seen = keys[j] == k;
        if (!seen && nkeys < XS_SCRIPT_MAX_XOR_KEYS)
            keys[nkeys++] = k;
    }
    if (s->tok[from].layer + 1 > XS_SCRIPT_MAX_LAYERS)
        return true;
    for (size_t i = from; i < end; i++) {
        xs_tok t = s->tok[i];
        if (t.kind != XS_TK_STR || t.len == 0)
            continue;
        uint8_t layer = (uint8_t)(t.layer + 1);
        xs_slang lang = (xs_slang)t.lang;
        bool vb = lang == XS_SL_VB || lang == XS_SL_VBSCRIPT;
        /* eval("..."), Execute "...", sc.ExecuteStatement("..."), CompileAssemblyFromSource(p, "...") */
        bool evalarg = false;
        for (size_t back = 1; back <= 4 && back <= i - from && !evalarg; back++) {
            const xs_tok *c = &s->tok[i - back];
            if (back == 1 && vb && (xs_tok_is(s, c, "execute") || xs_tok_is(s, c, "executeglobal")))
                evalarg = !(i - back > from && xs_tok_p(&s->tok[i - back - 1], '.'));
            if (xs_tok_p(c, '(') && i - back > from) {
                const xs_tok *name = &s->tok[i - back - 1];
                bool member = i - back - 1 > from && xs_tok_p(&s->tok[i - back - 2], '.');
                for (const char *const *e = evaluators; *e && !evalarg; e++)
                    if (xs_tok_is(s, name, *e))
                        evalarg = !(member && (strcmp(*e, "execute") == 0 ||
                                               strcmp(*e, "executeglobal") == 0));
                break;
            }
            if (!xs_tok_p(c, ',') && c->kind != XS_TK_IDENT && c->kind != XS_TK_NUM)
                break;
        }
        xs_str v = xs_tok_text(s, &t);
        if (evalarg) {
            if (!decode_region(s, v.p, v.n, lang, t.line, layer, XS_TF_EVALSTR))
                return false;
            continue;
        }
        if ((t.how & XS_TF_BASE64) && looks_like_code(v, false)) {
            if (!decode_region(s, v.p, v.n, lang, t.line, layer, XS_TF_BASE64))
                return false;
            continue;
        }
        if (t.len < 8 || !nkeys)
            continue;
        for (size_t k = 0; k < nkeys; k++) {
            char *x = malloc(t.len);
            if (!x) {
                s->failed = true;
                return false;
            }
            const char *src = s->text + t.off;
            for (size_t j = 0; j < t.len; j++)
                x[j] = (char)(src[j] ^ (char)keys[k]);
            bool code = looks_like_code(xs_str_make(x, t.len), true);
            bool ok = !code || decode_region(s, x, t.len, lang, t.line, layer, XS_TF_XOR);
            free(x);
            if (!ok)
                return false;
            if (code)
                break;
        }
    }
    return true;
}
