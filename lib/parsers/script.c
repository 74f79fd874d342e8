/* The script reader's first step: where the server code of a page is. Markup is skipped but
 * for the page directive, <script runat="server"> blocks, server objects (<object
 * runat="server" progid=...>, read as a CreateObject of the same class) and server controls
 * (whose values the client sets). Code after a WebHandler, WebService or ServiceHost directive
 * runs to the end of the file; Razor files are code throughout. */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "core/utf16.h"
#include "parsers/script_int.h"

xs_slang xs_script_ext_lang(const char *ext)
{
    static const char *const vbs[] = {".asp", ".asa", ".cer", ".cdx", ".config"};
    static const char *const net[] = {".aspx", ".ascx", ".master", ".ashx", ".asmx",
                                      ".svc",  ".asax", ".cshtml"};
    for (size_t i = 0; i < sizeof vbs / sizeof vbs[0]; i++)
        if (strcmp(ext, vbs[i]) == 0)
            return XS_SL_VBSCRIPT;
    for (size_t i = 0; i < sizeof net / sizeof net[0]; i++)
        if (strcmp(ext, net[i]) == 0)
            return XS_SL_CSHARP;
    if (strcmp(ext, ".vbhtml") == 0 || strcmp(ext, ".vb") == 0)
        return XS_SL_VB;
    if (strcmp(ext, ".cs") == 0)
        return XS_SL_CSHARP;
    return XS_SL_NONE;
}

static bool starts_ci(const char *p, size_t n, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    return i + k <= n && xs_mem_ieq(p + i, lit, k);
}

/* The first occurrence of lit (case-insensitive) at or after i, or n. */
static size_t find_ci(const char *p, size_t n, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    for (; i + k <= n; i++)
        if (xs_lower(p[i]) == xs_lower(lit[0]) && xs_mem_ieq(p + i, lit, k))
            return i;
    return n;
}

static uint32_t lines_in(const char *p, size_t a, size_t b)
{
    uint32_t k = 0;
    for (size_t i = a; i < b; i++)
        k += p[i] == '\n';
    return k;
}

/* A tag's attributes, as spans (tolerant: quotes ' " or none, stops at '>' or the cap). */
#define TAG_ATTRS 24
#define TAG_MAX 8192
typedef struct tag {
    xs_str name;
    xs_str an[TAG_ATTRS], av[TAG_ATTRS];
    size_t na;
    size_t end; /* just past '>' (or where the scan stopped) */
} tag;

static void read_tag(const char *p, size_t n, size_t i, tag *t)
{
    memset(t, 0, sizeof *t);
    size_t lim = n - i > TAG_MAX ? i + TAG_MAX : n;
    size_t j = i;
    while (j < lim && p[j] != ' ' && p[j] != '\t' && p[j] != '\r' && p[j] != '\n' && p[j] != '>' &&
           p[j] != '/' && p[j] != '<')
        j++;
    t->name = xs_str_make(p + i, j - i);
    while (j < lim && p[j] != '>') {
        while (j < lim && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n' ||
                           p[j] == '/'))
            j++;
        if (j >= lim || p[j] == '>' || p[j] == '<')
            break; /* an unquoted '<': the tag never closed, the next one starts here */
        size_t a = j;
        while (j < lim && p[j] != '=' && p[j] != ' ' && p[j] != '>' && p[j] != '\t' &&
               p[j] != '\r' && p[j] != '\n' && p[j] != '<')
            j++;
        xs_str name = xs_str_make(p + a, j - a), val = XS_STR_NULL;
        while (j < lim && (p[j] == ' ' || p[j] == '\t'))
            j++;
        if (j < lim && p[j] == '=') {
            j++;
            while (j < lim && (p[j] == ' ' || p[j] == '\t'))
                j++;
            if (j < lim && (p[j] == '"' || p[j] == '\'')) {
                char q = p[j++];
                size_t v = j;
                while (j < lim && p[j] != q)
                    j++;
                val = xs_str_make(p + v, j - v);
                if (j < lim)
                    j++;
            } else {
                size_t v = j;
                while (j < lim && p[j] != ' ' && p[j] != '>' && p[j] != '\t' && p[j] != '\r' &&
                       p[j] != '\n' && !(p[j] == '%' && j + 1 < lim && p[j + 1] == '>'))
                    j++;
                val = xs_str_make(p + v, j - v);
            }
        }
        if (name.n == 0) {
            if (j < lim && p[j] != '>' && p[j] != '<')
                j++;
            continue;
        }
        if (t->na < TAG_ATTRS) {
            t->an[t->na] = name;
            t->av[t->na] = val;
            t->na++;
        }
    }
    t->end = j < n ? j + 1 : n;
}

static xs_str attr(const tag *t, const char *name)
{
    for (size_t i = 0; i < t->na; i++)
        if (xs_str_ieq(t->an[i], name))
            return t->av[i];
    return XS_STR_NULL;
}

static xs_slang lang_named(xs_str v, xs_slang page)
{
    if (xs_str_ieq(v, "c#") || xs_str_ieq(v, "cs") || xs_str_ieq(v, "csharp"))
        return XS_SL_CSHARP;
    if (xs_str_ieq(v, "vbscript") || xs_str_ieq(v, "vbs"))
        return XS_SL_VBSCRIPT;
    if (xs_str_ieq(v, "vb") || xs_str_ieq(v, "visualbasic") || xs_str_ieq(v, "vbnet"))
        return page == XS_SL_VBSCRIPT ? XS_SL_VBSCRIPT : XS_SL_VB;
    if (xs_str_ieq(v, "jscript") || xs_str_ieq(v, "javascript") || xs_str_ieq(v, "js") ||
        xs_str_istarts(v, "jscript") || xs_str_istarts(v, "javascript"))
        return XS_SL_JSCRIPT;
    return XS_SL_NONE;
}

static void copy_attr(char *dst, size_t cap, xs_str v)
{
    size_t k = v.n < cap - 1 ? v.n : cap - 1;
    for (size_t i = 0; i < k; i++)
        dst[i] = (v.p[i] >= 0x20 && v.p[i] < 0x7F) ? v.p[i] : '?';
    dst[k] = 0;
}

static bool add_ctl(xs_script *s, xs_str id, uint32_t line, xs_sctl_kind kind)
{
    if (id.n == 0 || id.n > 128)
        return true;
    if (s->nctl >= XS_SCRIPT_MAX_CONTROLS) {
        s->truncated = true;
        return true;
    }
    char low[129];
    for (size_t i = 0; i < id.n; i++)
        low[i] = xs_lower(id.p[i]);
    xs_sctl c = {0, (uint32_t)id.n, line, (uint8_t)kind};
    if (!xs_stext_add(s, low, id.n, &c.off))
        return !s->failed;
    if (!xs_grow((void **)&s->ctl, &s->capctl, s->nctl + 1, sizeof *s->ctl)) {
        s->failed = true;
        return false;
    }
    s->ctl[s->nctl++] = c;
    return true;
}

/* Well-known classes of <object classid="clsid:...">. */
static const char *clsid_progid(xs_str v)
{
    static const struct {
        const char *clsid, *progid;
    } map[] = {
        {"72C24DD5-D70A-438B-8A42-98424B88AFB8", "WScript.Shell"},
        {"13709620-C279-11CE-A49E-444553540000", "Shell.Application"},
        {"0D43FE01-F093-11CF-8940-00A0C9054228", "Scripting.FileSystemObject"},
        {"00000566-0000-0010-8000-00AA006D2EA4", "ADODB.Stream"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (xs_str_icontains(v, map[i].clsid))
            return map[i].progid;
    return NULL;
}

/* <object runat="server" id="x" progid="WScript.Shell">: "x = CreateObject("WScript.Shell")". */
static bool server_object(xs_script *s, const tag *t, uint32_t line)
{
    xs_str id = attr(t, "id"), prog = attr(t, "progid");
    const char *cls = prog.n ? NULL : clsid_progid(attr(t, "classid"));
    if (id.n == 0 || id.n > 128 || (prog.n == 0 && !cls))
        return true;
    if (cls)
        prog = xs_str_cstr(cls);
    xs_slang l = s->lang ? s->lang : XS_SL_VBSCRIPT;
    struct {
        xs_tkind k;
        xs_str v;
        char c;
    } seq[] = {{XS_TK_IDENT, id, 0},          {XS_TK_PUNCT, XS_LIT("="), '='},
               {XS_TK_IDENT, XS_LIT("CreateObject"), 0}, {XS_TK_PUNCT, XS_LIT("("), '('},
               {XS_TK_STR, prog, 0},          {XS_TK_PUNCT, XS_LIT(")"), ')'},
               {XS_TK_END, XS_LIT(""), 0}};
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        xs_tok k;
        memset(&k, 0, sizeof k);
        k.kind = (uint8_t)seq[i].k;
        k.lang = (uint8_t)l;
        k.line = line;
        k.punct = seq[i].c;
        k.len = (uint32_t)seq[i].v.n;
        if (!xs_stext_add(s, seq[i].v.p, seq[i].v.n, &k.off) || !xs_stok_push(s, &k))
            return false;
    }
    return true;
}

/* A server control whose value the client sets. */
static xs_sctl_kind control_kind(const tag *t)
{
    xs_str n = t->name, type = attr(t, "type");
    if (xs_str_ieq(n, "asp:fileupload") || (xs_str_ieq(n, "input") && xs_str_ieq(type, "file")))
        return XS_CTL_FILE;
    static const char *const inputs[] = {"asp:textbox",  "asp:hiddenfield", "asp:dropdownlist",
                                         "asp:listbox",  "asp:radiobuttonlist",
                                         "asp:checkboxlist", "textarea", "select"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        if (xs_str_ieq(n, inputs[i]))
            return XS_CTL_INPUT;
    if (xs_str_ieq(n, "input") && !xs_str_ieq(type, "submit") && !xs_str_ieq(type, "button") &&
        !xs_str_ieq(type, "image") && !xs_str_ieq(type, "reset"))
        return XS_CTL_INPUT;
    return 0;
}

static bool code(xs_script *s, const char *p, size_t a, size_t b, xs_slang l, uint32_t line)
{
    s->regions++;
    size_t enc = find_ci(p, b, a > 0 ? a - 1 : a, "#@~^"); /* <%#@~^: the '#' is the marker's */
    if (enc < b) {
        s->how |= XS_TF_ENCODED;
        if (!s->encoded_line)
            s->encoded_line = line + lines_in(p, a, enc);
    }
    return xs_stok_region(s, p + a, b - a, l, line, 0, 0);
}

static bool read_page(xs_script *s, const char *p, size_t n)
{
    uint32_t line = 1;
    size_t i = 0, counted = 0; /* lines counted up to `counted` */
#define LINE_AT(pos) (line += lines_in(p, counted, (pos)), counted = (pos), line)
    while (i < n) {
        const char *lt = memchr(p + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - p);
        if (starts_ci(p, n, i, "<%--")) {
            size_t e = find_ci(p, n, i + 4, "--%>");
            i = e < n ? e + 4 : n;
            continue;
        }
        if (starts_ci(p, n, i, "<%@")) {
            size_t e = find_ci(p, n, i + 3, "%>");
            tag t;
            size_t j = i + 3;
            while (j < e && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
                j++;
            read_tag(p, e, j, &t);
            /* <%@ Language=VBScript %>: the first word is the attribute */
            xs_str lv = attr(&t, "language");
            if (!lv.n && xs_str_ieq(t.name, "language"))
                lv = t.na ? t.an[0] : XS_STR_NULL;
            if (!lv.n) {
                size_t q = find_ci(p, e, i, "language=");
                if (q < e) {
                    size_t v = q + 9;
                    while (v < e && (p[v] == '"' || p[v] == '\''))
                        v++;
                    size_t w = v;
                    while (w < e && p[w] != '"' && p[w] != '\'' && p[w] != ' ' && p[w] != '%')
                        w++;
                    lv = xs_str_make(p + v, w - v);
                }
            }
            xs_slang l = lang_named(lv, s->lang);
            if (l)
                s->lang = l;
            xs_str inh = attr(&t, "inherits"), cf = attr(&t, "codefile");
            if (!cf.n)
                cf = attr(&t, "codebehind");
            if (!cf.n)
                cf = attr(&t, "src");
            if (inh.n && !s->inherits[0])
                copy_attr(s->inherits, sizeof s->inherits, inh);
            if (cf.n && !s->codefile[0])
                copy_attr(s->codefile, sizeof s->codefile, cf);
            size_t after = e < n ? e + 2 : n;
            /* the rest is code after a handler, service or host directive: by its name, or,
             * in a handler or service file, any directive naming a Class */
            if (xs_str_ieq(t.name, "webhandler") || xs_str_ieq(t.name, "webservice") ||
                xs_str_ieq(t.name, "servicehost") || (s->rest_is_code && attr(&t, "class").n))
                return code(s, p, after, n, s->lang, LINE_AT(after));
            i = after;
            continue;
        }
        if (starts_ci(p, n, i, "<%")) {
            size_t a = i + 2;
            if (a < n && (p[a] == '=' || p[a] == ':' || p[a] == '#' || p[a] == '$'))
                a++;
            size_t e = find_ci(p, n, a, "%>");
            if (!code(s, p, a, e, s->lang, LINE_AT(a)))
                return false;
            i = e < n ? e + 2 : n;
            continue;
        }
        if (i + 1 < n && (p[i + 1] == '/' || p[i + 1] == '!' || p[i + 1] == '?')) {
            i++;
            continue;
        }
        tag t;
        read_tag(p, n, i + 1, &t);
        xs_str runat = attr(&t, "runat");
        if (!xs_str_ieq(runat, "server")) {
            i += 1 + t.name.n;
            continue;
        }
        uint32_t at = LINE_AT(i);
        if (xs_str_ieq(t.name, "script")) {
            xs_slang l = lang_named(attr(&t, "language"), s->lang);
            if (!l) {
                xs_str ty = attr(&t, "type");
                l = xs_str_icontains(ty, "vbscript")     ? XS_SL_VBSCRIPT
                    : xs_str_icontains(ty, "javascript") ? XS_SL_JSCRIPT
                    : xs_str_icontains(ty, "jscript")    ? XS_SL_JSCRIPT
                                                         : s->lang;
            }
            size_t e = find_ci(p, n, t.end, "</script");
            if (!code(s, p, t.end, e, l, LINE_AT(t.end)))
                return false;
            i = e < n ? e + 8 : n;
            continue;
        }
        if (xs_str_ieq(t.name, "object")) {
            if (!server_object(s, &t, at))
                return false;
        } else {
            xs_sctl_kind k = control_kind(&t);
            if (k && !add_ctl(s, attr(&t, "id"), at, k))
                return false;
        }
        i += 1 + t.name.n;
    }
#undef LINE_AT
    return true;
}

/* A page that declares codepage 65000 (<%@ CodePage=65000 %>): ASP reads it as UTF-7. */
static bool utf7_page(const char *p, size_t n)
{
    size_t lim = n < 4096 ? n : 4096;
    for (size_t i = find_ci(p, lim, 0, "codepage"); i < lim; i = find_ci(p, lim, i + 1, "codepage")) {
        size_t j = i + 8;
        while (j < lim && (p[j] == ' ' || p[j] == '=' || p[j] == '"' || p[j] == '\''))
            j++;
        if (starts_ci(p, lim, j, "65000"))
            return true;
    }
    return false;
}

/* UTF-7 (RFC 2152) to bytes: "+<modified base64 of UTF-16BE>-", "+-" for '+'; code units
 * past U+00FF become '?'. out holds at least n bytes; returns the length. */
static size_t utf7_decode(const char *p, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] != '+') {
            out[o++] = p[i++];
            continue;
        }
        i++;
        if (i < n && p[i] == '-') {
            out[o++] = '+';
            i++;
            continue;
        }
        uint32_t acc = 0;
        int bits = 0;
        while (i < n && xs_sb64((unsigned char)p[i], false) >= 0) {
            acc = (acc << 6) | (uint32_t)xs_sb64((unsigned char)p[i++], false);
            bits += 6;
            if (bits >= 16) {
                bits -= 16;
                unsigned u = (acc >> bits) & 0xFFFF;
                out[o++] = u < 0x100 ? (char)u : '?';
            }
        }
        if (i < n && p[i] == '-')
            i++;
    }
    return o;
}

/* 1 for UTF-16LE, 2 for UTF-16BE (by BOM, or by the zero bytes of ASCII text in the first
 * 64 bytes), 0 otherwise. */
static int utf16_order(const char *p, size_t n)
{
    if (n >= 2 && (unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE)
        return 1;
    if (n >= 2 && (unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF)
        return 2;
    size_t lim = n < 64 ? n & ~(size_t)1 : 64, even = 0, odd = 0;
    if (lim < 8)
        return 0;
    for (size_t i = 0; i < lim; i += 2) {
        even += p[i] == 0;
        odd += p[i + 1] == 0;
    }
    if (odd * 8 >= lim * 3 && even == 0) /* three pairs in four */
        return 1; /* "<\0%\0": every second byte zero */
    if (even * 8 >= lim * 3 && odd == 0)
        return 2;
    return 0;
}

bool xs_script_read(const char *buf, size_t n, const char *ext, xs_script *s)
{
    memset(s, 0, sizeof *s);
    s->lang = xs_script_ext_lang(ext);
    if (s->lang == XS_SL_NONE)
        return true;
    char *narrow = NULL;
    /* UTF-16, either byte order, with its BOM or without (zero bytes in every other place of
     * the first 64): decoded to UTF-8 by core/utf16; a UTF-8 BOM is skipped */
    int order = utf16_order(buf, n); /* 0: not UTF-16; 1: little-endian; 2: big-endian */
    if (order) {
        size_t skip = n >= 2 && ((unsigned char)buf[0] == 0xFF || (unsigned char)buf[0] == 0xFE) &&
                              ((unsigned char)buf[1] == 0xFE || (unsigned char)buf[1] == 0xFF)
                          ? 2
                          : 0;
        size_t units = (n - skip) / 2;
        size_t m = units > XS_SCRIPT_MAX_BYTES / 3 ? XS_SCRIPT_MAX_BYTES / 3 : units;
        if (m < units)
            s->truncated = true;
        /* big-endian: swapped into a copy, so that core/utf16 (said once) reads both */
        unsigned char *swapped = order == 2 ? malloc(m ? m * 2 : 1) : NULL;
        narrow = malloc(m * 3 + 1);
        if (!narrow || (order == 2 && !swapped)) {
            free(narrow);
            free(swapped);
            s->failed = true;
            return false;
        }
        const unsigned char *units_p = (const unsigned char *)buf + skip;
        if (swapped) {
            for (size_t i = 0; i < m; i++) {
                swapped[2 * i] = units_p[2 * i + 1];
                swapped[2 * i + 1] = units_p[2 * i];
            }
            units_p = swapped;
        }
        n = xs_utf16le_to_utf8(units_p, m, narrow, m * 3, ' ', NULL);
        free(swapped);
        buf = narrow;
    } else if (n >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
               (unsigned char)buf[2] == 0xBF) {
        buf += 3;
        n -= 3;
    }
    if (n > XS_SCRIPT_MAX_BYTES) {
        n = XS_SCRIPT_MAX_BYTES;
        s->truncated = true;
    }
    if (utf7_page(buf, n)) {
        char *u = malloc(n ? n : 1);
        if (!u) {
            free(narrow);
            s->failed = true;
            return false;
        }
        n = utf7_decode(buf, n, u);
        free(narrow);
        narrow = u;
        buf = u;
        s->how |= XS_TF_UTF7;
    }
    s->rest_is_code = strcmp(ext, ".ashx") == 0 || strcmp(ext, ".asmx") == 0 ||
                      strcmp(ext, ".svc") == 0;
    bool ok;
    if (strcmp(ext, ".cshtml") == 0 || strcmp(ext, ".vbhtml") == 0 || strcmp(ext, ".cs") == 0 ||
        strcmp(ext, ".vb") == 0)
        ok = code(s, buf, 0, n, s->lang, 1);
    else
        ok = read_page(s, buf, n);
    free(narrow);
    return ok || !s->failed;
}

void xs_script_free(xs_script *s)
{
    free(s->tok);
    free(s->text);
    free(s->ctl);
    memset(s, 0, sizeof *s);
}
