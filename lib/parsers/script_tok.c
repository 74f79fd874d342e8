/* The tokeniser of the script reader: one code region of one language into identifiers,
 * strings (their value, escapes decoded), numbers and punctuation, comments dropped. VB and
 * VBScript statements end at a line break, which becomes a '\n' punctuation token (not after a
 * '_' continuation); C# and JScript end theirs with ';' and braces. */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "parsers/script_int.h"

bool xs_stext_add(xs_script *s, const char *p, size_t n, uint32_t *off)
{
    if (s->ntext + n + 1 > XS_SCRIPT_MAX_TEXT) {
        s->truncated = true;
        s->text_full = true;
        return false;
    }
    if (s->ntext + n + 1 > s->captext) {
        size_t cap = s->captext ? s->captext : 4096;
        while (cap < s->ntext + n + 1)
            cap *= 2;
        char *t = realloc(s->text, cap);
        if (!t) {
            s->failed = true;
            return false;
        }
        s->text = t;
        s->captext = cap;
    }
    if (n)
        memcpy(s->text + s->ntext, p, n);
    s->text[s->ntext + n] = 0;
    *off = (uint32_t)s->ntext;
    s->ntext += n + 1;
    return true;
}

int xs_sb64(int c, bool urlsafe)
{
    return c >= 'A' && c <= 'Z'              ? c - 'A'
           : c >= 'a' && c <= 'z'            ? c - 'a' + 26
           : c >= '0' && c <= '9'            ? c - '0' + 52
           : c == '+' || (urlsafe && c == '-') ? 62
           : c == '/' || (urlsafe && c == '_') ? 63
                                              : -1;
}

bool xs_stok_push(xs_script *s, const xs_tok *t)
{
    if (s->ntok >= XS_SCRIPT_MAX_TOKENS) {
        s->truncated = true;
        return false;
    }
    if (!xs_grow((void **)&s->tok, &s->captok, s->ntok + 1, sizeof *s->tok)) {
        s->failed = true;
        return false;
    }
    s->tok[s->ntok++] = *t;
    return true;
}

bool xs_stok_eq(const xs_script *s, const xs_tok *t, const char *lit)
{
    size_t n = strlen(lit);
    return t->len == n && xs_mem_ieq(s->text + t->off, lit, n);
}

bool xs_tok_is(const xs_script *s, const xs_tok *t, const char *lit)
{
    return t->kind == XS_TK_IDENT && xs_stok_eq(s, t, lit);
}

int xs_shex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Reads `digits` hex digits at p[0..n); -1 when they are not there. */
static long hexn(const char *p, size_t n, size_t digits)
{
    if (n < digits)
        return -1;
    long v = 0;
    for (size_t i = 0; i < digits; i++) {
        int d = xs_shex((unsigned char)p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

size_t xs_sutf8(unsigned long c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    if (c > 0x10FFFF)
        c = 0xFFFD;
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* A scratch buffer for one token's value (a string literal may be as long as the region). */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool failed;
} sbuf;

static void sb_put(sbuf *b, const char *p, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        char *t = realloc(b->p, cap);
        if (!t) {
            b->failed = true;
            return;
        }
        b->p = t;
        b->cap = cap;
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool vbish(xs_slang l)
{
    return l == XS_SL_VB || l == XS_SL_VBSCRIPT;
}

typedef struct lexer {
    xs_script *s;
    const char *p;
    size_t n, i;
    xs_slang lang;
    uint32_t line;
    uint8_t layer;
    uint16_t how;
    sbuf b;
} lexer;

static bool emit(lexer *lx, xs_tkind kind, const char *p, size_t n, uint32_t line, uint16_t how,
                 int64_t num, char punct)
{
    xs_tok t;
    memset(&t, 0, sizeof t);
    t.kind = (uint8_t)kind;
    t.lang = (uint8_t)lx->lang;
    t.layer = lx->layer;
    t.how = how | lx->how;
    t.line = line;
    t.num = num;
    t.punct = punct;
    if (!xs_stext_add(lx->s, p, n, &t.off))
        return false;
    t.len = (uint32_t)n;
    lx->s->how |= t.how;
    return xs_stok_push(lx->s, &t);
}

/* A backslash escape of C# or JScript at p[i] (the backslash); appends its value to b and
 * returns the bytes it took. */
static size_t c_escape(const char *p, size_t n, size_t i, sbuf *b, uint16_t *how)
{
    if (i + 1 >= n)
        return 1;
    char c = p[i + 1], out[4];
    long v;
    switch (c) {
    case 'n':
        sb_put(b, "\n", 1);
        return 2;
    case 't':
        sb_put(b, "\t", 1);
        return 2;
    case 'r':
        sb_put(b, "\r", 1);
        return 2;
    case '0':
        sb_put(b, "", 1);
        return 2;
    case 'u':
        if ((v = hexn(p + i + 2, n - i - 2, 4)) >= 0) {
            *how |= XS_TF_UESC;
            sb_put(b, out, xs_sutf8((unsigned long)v, out));
            return 6;
        }
        break;
    case 'U':
        if ((v = hexn(p + i + 2, n - i - 2, 8)) >= 0) {
            *how |= XS_TF_UESC;
            sb_put(b, out, xs_sutf8((unsigned long)v, out));
            return 10;
        }
        break;
    case 'x':
        if ((v = hexn(p + i + 2, n - i - 2, 2)) >= 0) {
            *how |= XS_TF_UESC;
            out[0] = (char)v;
            sb_put(b, out, 1);
            return 4;
        }
        break;
    default:
        break;
    }
    sb_put(b, &p[i + 1], 1);
    return 2;
}

/* A string literal starting at lx->i (the opening quote q; verbatim: C# @"..."). */
static bool lex_string(lexer *lx, char q, bool verbatim)
{
    const char *p = lx->p;
    size_t n = lx->n, i = lx->i + 1;
    uint32_t line = lx->line;
    uint16_t how = 0;
    lx->b.n = 0;
    bool vb = vbish(lx->lang);
    while (i < n) {
        char c = p[i];
        if (vb && c == '\n')
            break; /* VB strings do not span lines: an unterminated one ends here (the
                      tokeniser counts the line break) */
        if (c == '\n')
            lx->line++;
        if (c == q) {
            if ((vb || verbatim) && i + 1 < n && p[i + 1] == q) {
                sb_put(&lx->b, &q, 1);
                i += 2;
                continue;
            }
            i++;
            break;
        }
        if (c == '\\' && !vb && !verbatim) {
            i += c_escape(p, n, i, &lx->b, &how);
            continue;
        }
        sb_put(&lx->b, &c, 1);
        i++;
    }
    lx->i = i;
    if (lx->b.failed) {
        lx->s->failed = true;
        return false;
    }
    return emit(lx, XS_TK_STR, lx->b.p ? lx->b.p : "", lx->b.n, line, how, 0, 0);
}

/* An identifier at lx->i; C# and JScript identifiers may hold \uXXXX escapes. */
static bool lex_ident(lexer *lx)
{
    const char *p = lx->p;
    size_t n = lx->n, i = lx->i;
    uint16_t how = 0;
    lx->b.n = 0;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (is_ident_char(c)) {
            sb_put(&lx->b, (const char *)&c, 1);
            i++;
            continue;
        }
        long v;
        if (c == '\\' && !vbish(lx->lang) && i + 1 < n && p[i + 1] == 'u' &&
            (v = hexn(p + i + 2, n - i - 2, 4)) >= 0) {
            char out[4];
            sb_put(&lx->b, out, xs_sutf8((unsigned long)v, out));
            how |= XS_TF_UESC;
            i += 6;
            continue;
        }
        break;
    }
    lx->i = i;
    if (lx->b.failed) {
        lx->s->failed = true;
        return false;
    }
    return emit(lx, XS_TK_IDENT, lx->b.p, lx->b.n, lx->line, how, 0, 0);
}

static bool lex_number(lexer *lx)
{
    const char *p = lx->p;
    size_t n = lx->n, i = lx->i, start = i;
    uint64_t v = 0;
    int base = 10;
    if (p[i] == '&' && i + 1 < n && (p[i + 1] == 'h' || p[i + 1] == 'H')) {
        base = 16;
        i += 2;
    } else if (p[i] == '&' && i + 1 < n && (p[i + 1] == 'o' || p[i + 1] == 'O')) {
        base = 8;
        i += 2;
    } else if (p[i] == '0' && i + 1 < n && (p[i + 1] == 'x' || p[i + 1] == 'X')) {
        base = 16;
        i += 2;
    }
    for (; i < n; i++) {
        int d = base == 16 ? xs_shex((unsigned char)p[i])
                           : (p[i] >= '0' && p[i] <= '9' ? p[i] - '0' : -1);
        if (d < 0 || d >= base)
            break;
        if (v < (UINT64_MAX >> 5))
            v = v * (uint64_t)base + (uint64_t)d;
    }
    /* a fraction or exponent, type suffixes (L, u, f, &, %, ...) */
    while (i < n && (is_ident_char((unsigned char)p[i]) || p[i] == '.') &&
           !(p[i] == '.' && i + 1 < n && is_ident_start((unsigned char)p[i + 1])))
        i++;
    if (i < n && (p[i] == '&' || p[i] == '%' || p[i] == '!' || p[i] == '#') && vbish(lx->lang))
        i++;
    lx->i = i;
    return emit(lx, XS_TK_NUM, p + start, i - start, lx->line, 0, (int64_t)(v & INT64_MAX), 0);
}

static void skip_line(lexer *lx)
{
    while (lx->i < lx->n && lx->p[lx->i] != '\n')
        lx->i++;
}

bool xs_stok_region(xs_script *s, const char *p, size_t n, xs_slang lang, uint32_t line,
                    uint8_t layer, uint16_t how)
{
    lexer lx = {s, p, n, 0, lang, line, layer, how, {NULL, 0, 0, false}};
    size_t from = s->ntok;
    bool vb = vbish(lang), ok = true;
    bool cont = false; /* a VB '_' continuation: the next line break is not a statement end */
    while (ok && lx.i < n) {
        unsigned char c = (unsigned char)p[lx.i];
        if (c == '\n') {
            if (vb && !cont && s->ntok > from && !xs_tok_p(&s->tok[s->ntok - 1], '\n'))
                ok = emit(&lx, XS_TK_PUNCT, "\n", 1, lx.line, 0, 0, '\n');
            cont = false;
            lx.line++;
            lx.i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0) {
            lx.i++;
            continue;
        }
        if (vb && c == '_' && (lx.i + 1 >= n || !is_ident_char((unsigned char)p[lx.i + 1])) &&
            (lx.i == 0 || !is_ident_char((unsigned char)p[lx.i - 1]))) {
            cont = true;
            lx.i++;
            continue;
        }
        cont = false;
        if (vb && c == '\'') {
            skip_line(&lx);
            continue;
        }
        if (!vb && c == '/' && lx.i + 1 < n && p[lx.i + 1] == '/') {
            skip_line(&lx);
            continue;
        }
        if (!vb && c == '/' && lx.i + 1 < n && p[lx.i + 1] == '*') {
            size_t j = lx.i + 2;
            while (j + 1 < n && !(p[j] == '*' && p[j + 1] == '/')) {
                if (p[j] == '\n')
                    lx.line++;
                j++;
            }
            lx.i = j + 2 <= n ? j + 2 : n;
            continue;
        }
        if (c == '"') {
            ok = lex_string(&lx, '"', false);
            continue;
        }
        if (c == '\'' && !vb) {
            ok = lex_string(&lx, '\'', false);
            continue;
        }
        if (lang == XS_SL_CSHARP && (c == '@' || c == '$') && lx.i + 1 < n) {
            /* @"verbatim", $"interpolated", $@"..." / @$"..." */
            size_t j = lx.i + 1;
            bool verb = c == '@';
            if ((p[j] == '@' || p[j] == '$') && p[j] != (char)c && j + 1 < n) {
                verb = verb || p[j] == '@';
                j++;
            }
            if (p[j] == '"') {
                lx.i = j;
                ok = lex_string(&lx, '"', verb);
                continue;
            }
            if (c == '@' && is_ident_start((unsigned char)p[lx.i + 1])) {
                lx.i++; /* @identifier */
                ok = lex_ident(&lx);
                continue;
            }
        }
        if (vb && c == '[' && lx.i + 1 < n && is_ident_start((unsigned char)p[lx.i + 1])) {
            /* [bracketed] VB identifier */
            size_t j = lx.i + 1;
            while (j < n && is_ident_char((unsigned char)p[j]))
                j++;
            if (j < n && p[j] == ']') {
                lx.i++;
                ok = lex_ident(&lx);
                lx.i++;
                continue;
            }
        }
        if (c >= '0' && c <= '9') {
            ok = lex_number(&lx);
            continue;
        }
        if (vb && c == '&' && lx.i + 2 < n && (p[lx.i + 1] == 'h' || p[lx.i + 1] == 'H' ||
                                               p[lx.i + 1] == 'o' || p[lx.i + 1] == 'O') &&
            xs_shex((unsigned char)p[lx.i + 2]) >= 0) {
            ok = lex_number(&lx);
            continue;
        }
        if (is_ident_start(c) || (c == '\\' && !vb && lx.i + 1 < n && p[lx.i + 1] == 'u')) {
            size_t at = lx.i;
            ok = lex_ident(&lx);
            if (ok && lx.i == at)
                lx.i++; /* a lone backslash */
            if (ok && vb && s->ntok > from && xs_tok_is(s, &s->tok[s->ntok - 1], "rem")) {
                s->ntok--; /* REM comment */
                skip_line(&lx);
            }
            continue;
        }
        ok = emit(&lx, XS_TK_PUNCT, (const char *)&p[lx.i], 1, lx.line, 0, 0, (char)c);
        lx.i++;
    }
    free(lx.b.p);
    if (ok) {
        xs_tok end;
        memset(&end, 0, sizeof end);
        end.kind = XS_TK_END;
        end.lang = (uint8_t)lang;
        end.layer = layer;
        end.line = lx.line;
        end.off = 0;
        if (s->ntext == 0 && !xs_stext_add(s, "", 0, &end.off))
            return false;
        ok = xs_stok_push(s, &end);
    }
    if (!ok)
        return false;
    return xs_sfold_region(s, from);
}
