/* Source-to-sink analysis over the tokens of a server script (scriptflow.h). Three passes over
 * the statements: declarations (functions, web-method parameters), taint (assignments,
 * accumulating calls, returns, Session and other stores; repeated until stable, at most four
 * times), then sinks (and calls of the script's own functions whose parameters reach a sink).
 * Statements end at ';', braces, a VB line end or ':', and region ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "detectors/scriptflow.h"

typedef enum srccls {
    SRC_NONE = 0,
    SRC_FUNCPARAM, /* a parameter of the script's own function (wrapper analysis) */
    SRC_FILE,      /* an uploaded file's content */
    SRC_FILENAME,  /* the name the client gave an upload */
    SRC_CONTROL,   /* a server control's value */
    SRC_PARAM,     /* a web-method parameter */
    SRC_REQUEST,   /* Request data */
} srccls;

typedef struct taint {
    uint8_t cls;
    bool sql; /* joined with literal text on the way: a query the application builds, not
                 request SQL */
    uint16_t func;
    uint32_t line;
    char src[160];
    char via[256];
} taint;

enum objkind {
    OBJ_NONE = 0,
    OBJ_SHELL,
    OBJ_FSO,
    OBJ_STREAM,
    OBJ_CONN,
    OBJ_SCRIPTCTL,
    OBJ_XMLHTTP,
    OBJ_PROCESS,
    OBJ_REGISTRY,
    OBJ_CONTROL, /* a server control declared in code (code-behind: protected TextBox tb;) */
    OBJ_DECODED, /* text decoded at run time (Chr/Asc loops, unescape, a decoder function) */
    OBJ_FILEINFO,
};

typedef struct var {
    char name[64];
    char constval[32]; /* a short constant string it was given ("unsafe"), "" when none */
    uint32_t hash;
    uint8_t obj;
    bool named; /* it was given a path with a folder of its own ("~/uploads/") */
    bool tainted;
    taint t;
} var;

typedef struct func {
    char name[64];
    size_t def;        /* token of its name in the definition */
    size_t body_a, body_b;
    bool web;          /* a web method: its parameters are request data */
    int wrap_score;    /* a parameter reaches a sink of kind wrap_kind */
    unsigned wrap_files; /* file operations (file_op bits) a parameter reaches */
    xs_wsk wrap_kind;
    char wrap_sink[160];
    char wrap_via[256];
    uint32_t wrap_line;
    bool decoder; /* its body decodes text: character codes, XOR, reversal, unescape */
    uint32_t hash; /* of its name, hash_ci */
} func;

#define HASH_CAP (XS_SCRIPT_MAX_VARS * 2)

typedef struct fa {
    const xs_script *s;
    const xs_tok *t;
    size_t n;
    var *vars;
    size_t nvars;
    int32_t *slots; /* HASH_CAP, -1 empty */
    func *funcs;
    size_t nfuncs;
    xs_wsreport *out;
    bool changed;
    bool ext_check;    /* the script checks upload extensions or types */
    bool xslt_script;  /* XSLT with script enabled somewhere */
    bool getmethod_load; /* reflection: GetMethod("Load") */
    bool drives;       /* DriveInfo.GetDrives / GetLogicalDrives */
    bool cmd_string;   /* "cmd.exe", "cmd /c", "powershell" */
    unsigned file_ops; /* bits: 1 list, 2 read, 4 change, 8 timestamps */
    bool writes_request; /* a stream's Write/WriteLine is given request data somewhere */
    xs_wsflow file_first;
    int in_func;       /* function whose body the statement is in, -1 */
    bool keep_names;   /* span_taint: Path.GetFileName keeps the client's name */
    size_t xslt_commands; /* 1 + the literal of a stylesheet whose script runs commands */
    bool stmt_cut;     /* a statement longer than XS_SCRIPT_MAX_STMT was read in parts */
    uint32_t *pair;    /* the bracket matching each opening one (n: none), precomputed */
    uint32_t *vbend;   /* the next "End Sub"/"End Function" at or after each token */
    int32_t *owner;    /* the function whose body holds each token, -1 */
} fa;

/* ---------------------------------------------------------------- small helpers */

static bool id_is(const fa *a, size_t i, const char *lit)
{
    return i < a->n && xs_tok_is(a->s, &a->t[i], lit);
}

static bool id_in(const fa *a, size_t i, const char *const *list)
{
    if (i >= a->n || a->t[i].kind != XS_TK_IDENT)
        return false;
    for (; *list; list++)
        if (xs_tok_is(a->s, &a->t[i], *list))
            return true;
    return false;
}

static bool p_is(const fa *a, size_t i, char c)
{
    return i < a->n && xs_tok_p(&a->t[i], c);
}

static xs_str txt(const fa *a, size_t i)
{
    return xs_tok_text(a->s, &a->t[i]);
}

static bool vbish(const xs_tok *t)
{
    return t->lang == XS_SL_VB || t->lang == XS_SL_VBSCRIPT;
}

static uint32_t hash_ci(xs_str v)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < v.n; i++)
        h = (h ^ (unsigned char)xs_lower(v.p[i])) * 16777619u;
    return h;
}

static var *var_find(fa *a, xs_str name)
{
    if (name.n == 0 || name.n >= 64)
        return NULL;
    uint32_t h = hash_ci(name);
    for (uint32_t k = 0; k < HASH_CAP; k++) {
        int32_t v = a->slots[(h + k) % HASH_CAP];
        if (v < 0)
            return NULL;
        var *x = &a->vars[v];
        if (x->hash == h && strlen(x->name) == name.n && xs_mem_ieq(x->name, name.p, name.n))
            return x;
    }
    return NULL;
}

static var *var_get(fa *a, xs_str name)
{
    var *x = var_find(a, name);
    if (x || name.n == 0 || name.n >= 64 || a->nvars >= XS_SCRIPT_MAX_VARS)
        return x;
    uint32_t h = hash_ci(name);
    for (uint32_t k = 0; k < HASH_CAP; k++) {
        int32_t *slot = &a->slots[(h + k) % HASH_CAP];
        if (*slot >= 0)
            continue;
        x = &a->vars[a->nvars];
        memset(x, 0, sizeof *x);
        memcpy(x->name, name.p, name.n);
        x->hash = h;
        *slot = (int32_t)a->nvars++;
        return x;
    }
    return NULL;
}

static void cpy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* Printable ASCII of a token's text, for the explanation. */
static void tokname(const fa *a, size_t i, char *out, size_t cap)
{
    xs_str v = txt(a, i);
    size_t k = 0;
    for (size_t j = 0; j < v.n && k + 1 < cap && k < 40; j++)
        out[k++] = (v.p[j] >= 0x20 && v.p[j] < 0x7F && v.p[j] != '"') ? v.p[j] : '?';
    out[k] = 0;
}

static void via_add(char *via, size_t cap, const char *what, uint32_t line)
{
    size_t o = strlen(via);
    if (o + 8 >= cap)
        return;
    snprintf(via + o, cap - o, "%s%s (line %u)", o ? ", " : "", what, (unsigned)line);
}

/* The index of the token matching the bracket at i (its kind: '(' or '['), or e. */
static size_t match(const fa *a, size_t i, size_t e)
{
    if (a->pair) {
        size_t m = a->pair[i];
        return m < e ? m : e;
    }
    char open = a->t[i].punct, close = open == '(' ? ')' : open == '[' ? ']' : '}';
    size_t d = 0;
    for (size_t k = i; k < e; k++) {
        if (xs_tok_p(&a->t[k], open))
            d++;
        else if (xs_tok_p(&a->t[k], close) && --d == 0)
            return k;
        if (a->t[k].kind == XS_TK_END)
            return k;
    }
    return e;
}

/* Statement end at or after i. */
static bool stmt_break(const fa *a, size_t i)
{
    const xs_tok *t = &a->t[i];
    if (t->kind == XS_TK_END)
        return true;
    if (t->kind == XS_TK_PUNCT)
        return t->punct == ';' || t->punct == '{' || t->punct == '}' || t->punct == '\n' ||
               (t->punct == ':' && vbish(t) && !p_is(a, i + 1, '='));
    return vbish(t) && (xs_tok_is(a->s, t, "then") || xs_tok_is(a->s, t, "else"));
}

/* A brace that opens an expression (new object[] { ... }, new T { ... }, = { ... }), not a
 * block. */
static bool expr_brace(const fa *a, size_t k)
{
    if (k == 0 || !p_is(a, k, '{'))
        return false;
    const xs_tok *p = &a->t[k - 1];
    if (xs_tok_p(p, ']') || xs_tok_p(p, '=') || xs_tok_p(p, ',') || xs_tok_p(p, '(') ||
        xs_tok_p(p, '{'))
        return true;
    size_t q = k - 1; /* new Qualified.Name { */
    while (q >= 2 && a->t[q].kind == XS_TK_IDENT && p_is(a, q - 1, '.'))
        q -= 2;
    return a->t[q].kind == XS_TK_IDENT && q > 0 && id_is(a, q - 1, "new");
}

/* Where the statement after one ending at e starts: past its separator, or at e itself when
 * the statement was cut at XS_SCRIPT_MAX_STMT (the token there starts the next one). */
static size_t stmt_next(fa *a, size_t e)
{
    if (e < a->n && !stmt_break(a, e) && !(a->t[e].kind == XS_TK_PUNCT && a->t[e].punct == '}')) {
        a->stmt_cut = true;
        return e;
    }
    return e + 1;
}

static size_t stmt_end(const fa *a, size_t i)
{
    size_t k = i, depth = 0;
    while (k < a->n && k - i < XS_SCRIPT_MAX_STMT) {
        if (depth == 0 && expr_brace(a, k)) {
            depth = 1;
        } else if (depth) {
            if (a->t[k].kind == XS_TK_END)
                break;
            if (p_is(a, k, '{'))
                depth++;
            else if (p_is(a, k, '}'))
                depth--;
        } else if (stmt_break(a, k)) {
            break;
        }
        k++;
    }
    return k;
}

/* ---------------------------------------------------------------- sources */

static const char *const sanitizers[] = {
    "getfilename", "getfilenamewithoutextension", "getextension", "parse", "tryparse",
    "toint32",     "toint64",    "toint16",     "todouble",   "todecimal",  "toboolean",
    "todatetime",  "cint",       "clng",        "cdbl",       "cbool",      "cdate",
    "csng",        "cbyte",      "htmlencode",  "urlencode",  "urlpathencode",
    "htmlattributeencode", "javascriptstringencode", "isnullorempty", "isnullorwhitespace",
    "len",         "isnumeric",  "isdate",      "isnull",     "equals",     "exists",
    "fileexists",  "folderexists", "compare",   "indexof",    "instr",      "startswith",
    "endswith",    "contains",   "ismatch",     "tobase64string", "escape", "encode",
    "getvalidfilename", "count", "isempty", "typename", "vartype", "sqlparameter", "addwithvalue",
    NULL};

/* Members that turn request data into a number or a yes/no. */
static const char *const scalar_members[] = {
    "length", "count", "hasfile", "contentlength", "haskeys", "equals", "contains", "startswith",
    "endswith", "indexof", "isempty", NULL};

static const char *const request_members[] = {
    "form", "querystring", "item", "params", "cookies", "headers", "inputstream", "binaryread",
    "unvalidated", "getbufferlessinputstream", "getbufferedinputstream", "files", "servervariables",
    NULL};

static const char *const control_members[] = {"text",     "value",       "selectedvalue",
                                              "innertext", "innerhtml",  "postedfile",
                                              "filebytes", "filecontent", "filename",
                                              "selecteditem", NULL};

/* The member chain after i (indices, brackets skipped) holds one of list. */
static bool chain_after_has(const fa *a, size_t i, size_t e, const char *const *list)
{
    size_t k = i + 1;
    while (k < e) {
        if (p_is(a, k, '(') || p_is(a, k, '[')) {
            k = match(a, k, e) + 1;
            continue;
        }
        if (p_is(a, k, '.') && k + 1 < e && a->t[k + 1].kind == XS_TK_IDENT) {
            if (id_in(a, k + 1, list))
                return true;
            k += 2;
            continue;
        }
        break;
    }
    return false;
}

static bool is_control(const fa *a, size_t i)
{
    xs_str v = txt(a, i);
    for (size_t c = 0; c < a->s->nctl; c++) {
        const xs_sctl *x = &a->s->ctl[c];
        if (x->len == v.n && xs_mem_ieq(a->s->text + x->off, v.p, v.n))
            return true;
    }
    return false;
}

static bool code_control(const fa *a, size_t i)
{
    var *v = var_find((fa *)a, txt(a, i));
    return v && v->obj == OBJ_CONTROL;
}

/* A source at token i (an identifier), into *t. */
static bool source_at(const fa *a, size_t i, size_t e, taint *t)
{
    memset(t, 0, sizeof *t);
    const xs_tok *k = &a->t[i];
    t->line = k->line;
    if (xs_tok_is(a->s, k, "request")) {
        char m[48] = "";
        if (p_is(a, i + 1, '.') && i + 2 < e && a->t[i + 2].kind == XS_TK_IDENT) {
            if (!id_in(a, i + 2, request_members))
                return false;
            tokname(a, i + 2, m, sizeof m);
            if (id_is(a, i + 2, "servervariables")) {
                size_t q = i + 3;
                if (!(p_is(a, q, '(') || p_is(a, q, '[')) || q + 1 >= e ||
                    a->t[q + 1].kind != XS_TK_STR)
                    return false;
                xs_str v = txt(a, q + 1);
                if (!xs_str_istarts(v, "http_") && !xs_str_ieq(v, "query_string") &&
                    !xs_str_istarts(v, "all_"))
                    return false;
            }
            t->cls = SRC_REQUEST;
            if (id_is(a, i + 2, "files")) {
                static const char *const fname[] = {"filename", NULL};
                t->cls = chain_after_has(a, i + 2, e, fname) ? SRC_FILENAME : SRC_FILE;
            }
            size_t q = i + 3;
            char arg[48] = "";
            if ((p_is(a, q, '(') || p_is(a, q, '[')) && q + 1 < e && a->t[q + 1].kind == XS_TK_STR)
                tokname(a, q + 1, arg, sizeof arg);
            if (arg[0])
                snprintf(t->src, sizeof t->src, "Request.%s[\"%s\"] (line %u)", m, arg,
                         (unsigned)k->line);
            else
                snprintf(t->src, sizeof t->src, "Request.%s (line %u)", m, (unsigned)k->line);
            return true;
        }
        char arg[48] = "";
        if ((p_is(a, i + 1, '(') || p_is(a, i + 1, '[')) && i + 2 < e &&
            a->t[i + 2].kind == XS_TK_STR)
            tokname(a, i + 2, arg, sizeof arg);
        t->cls = SRC_REQUEST;
        if (arg[0])
            snprintf(t->src, sizeof t->src, "Request[\"%s\"] (line %u)", arg, (unsigned)k->line);
        else
            snprintf(t->src, sizeof t->src, "Request (line %u)", (unsigned)k->line);
        return true;
    }
    /* x.Text of a name the page never declares nor assigns: a control of the markup (pages
     * whose markup lost it still mean one) */
    bool undeclared_text = (k->lang == XS_SL_CSHARP || k->lang == XS_SL_VB) &&
                           p_is(a, i + 1, '.') && id_is(a, i + 2, "text") &&
                           !(i > 0 && p_is(a, i - 1, '.')) && !id_is(a, i, "system") &&
                           !id_is(a, i, "microsoft") && !var_find((fa *)a, txt(a, i));
    if (p_is(a, i + 1, '.') && id_in(a, i + 2, control_members) &&
        (is_control(a, i) || code_control(a, i) || undeclared_text)) {
        char c[48], m[48];
        tokname(a, i, c, sizeof c);
        tokname(a, i + 2, m, sizeof m);
        static const char *const fname[] = {"filename", NULL};
        t->cls = id_is(a, i + 2, "filename") || chain_after_has(a, i + 2, e, fname) ? SRC_FILENAME
                 : id_is(a, i + 2, "postedfile") || id_is(a, i + 2, "filebytes") ||
                         id_is(a, i + 2, "filecontent")
                     ? SRC_FILE
                     : SRC_CONTROL;
        snprintf(t->src, sizeof t->src, "server control %s.%s (line %u)", c, m, (unsigned)k->line);
        return true;
    }
    return false;
}

/* A sanitising call at k: Parse and TryParse only of numbers (IPAddress.Parse keeps the
 * host); the file-name helpers not while looking for the client's own upload name. */
static bool sanitizing(const fa *a, size_t k)
{
    static const char *const numeric[] = {"int",    "int32",  "int64", "int16",  "long",
                                          "short",  "double", "decimal", "float", "single",
                                          "byte",   "uint",   "uint32", "ulong", "boolean",
                                          "bool",   "datetime", "guid",  NULL};
    if (!id_in(a, k, sanitizers))
        return false;
    uint32_t h = hash_ci(txt(a, k)); /* a function of the page's own under that name cleans nothing */
    for (size_t f = 0; f < a->nfuncs; f++)
        if (a->funcs[f].hash == h && xs_tok_is(a->s, &a->t[k], a->funcs[f].name))
            return false;
    if (id_is(a, k, "parse") || id_is(a, k, "tryparse"))
        return k >= 2 && p_is(a, k - 1, '.') && id_in(a, k - 2, numeric);
    if (a->keep_names && (id_is(a, k, "getfilename") || id_is(a, k, "getfilenamewithoutextension")))
        return false;
    return true;
}

/* The strongest taint in tokens [b, e), or false. Values passed through a sanitizer, and
 * request data reduced to a number or a yes/no, do not count. */
static bool span_taint(fa *a, size_t b, size_t e, taint *out)
{
    static const char *const transforms[] = {
        "frombase64string", "transformfinalblock", "createdecryptor", "decrypt", "getstring",
        "urldecode", "unescape", "decompress", "gzipstream", "deflatestream", "strreverse",
        "reverse", "replace", "fromhex", "hextobytes", NULL};
    size_t calls[64];
    size_t nc = 0;
    bool found = false;
    for (size_t i = b; i < e; i++) {
        const xs_tok *t = &a->t[i];
        if (xs_tok_p(t, '(')) {
            if (nc < 64)
                calls[nc] = (i > 0 && a->t[i - 1].kind == XS_TK_IDENT) ? i - 1 : (size_t)-1;
            nc++;
            continue;
        }
        if (xs_tok_p(t, ')')) {
            if (nc)
                nc--;
            continue;
        }
        if (t->kind != XS_TK_IDENT)
            continue;
        bool member = i > 0 && xs_tok_p(&a->t[i - 1], '.');
        taint c;
        bool got = false;
        if (source_at(a, i, e, &c)) {
            got = true;
        } else if (!member) {
            var *v = var_find(a, txt(a, i));
            if (v && v->tainted && (v->t.cls != SRC_FUNCPARAM || a->in_func >= 0)) {
                c = v->t;
                if (c.cls == SRC_FUNCPARAM) /* parameter names repeat: the one in scope */
                    c.func = (uint16_t)a->in_func;
                if (c.cls == SRC_FILE && p_is(a, i + 1, '.') && id_is(a, i + 2, "filename"))
                    c.cls = SRC_FILENAME;
                char nm[48];
                tokname(a, i, nm, sizeof nm);
                char what[64];
                snprintf(what, sizeof what, "variable %s", nm);
                if (!strstr(c.via, what))
                    via_add(c.via, sizeof c.via, what, t->line);
                got = true;
            }
        }
        if (!got || chain_after_has(a, i, e, scalar_members))
            continue;
        bool clean = false;
        for (size_t k = 0; k < nc && k < 64 && !clean; k++)
            clean = calls[k] != (size_t)-1 && sanitizing(a, calls[k]);
        if (clean)
            continue;
        for (size_t k = (nc < 64 ? nc : 64); k-- > 0;) {
            if (calls[k] == (size_t)-1 || !id_in(a, calls[k], transforms))
                continue;
            char nm[48];
            tokname(a, calls[k], nm, sizeof nm);
            if (!strstr(c.via, nm))
                via_add(c.via, sizeof c.via, nm, a->t[calls[k]].line);
        }
        if (!found || c.cls > out->cls) {
            *out = c;
            found = true;
        }
    }
    return found;
}

/* ---------------------------------------------------------------- declarations */

static const char *const not_funcs[] = {"if",     "while", "for",   "foreach", "switch", "catch",
                                        "using",  "lock",  "return", "new",    "typeof", "sizeof",
                                        "nameof", "base",  "this",  "fixed",   "checked", "default",
                                        "function", "elseif", "until", NULL};

/* The parameter names of the list [b, e): the last identifier of each part (C#, JScript) or the
 * first that is not a modifier (VB). */
static void params_of(fa *a, size_t b, size_t e, bool vb, uint8_t cls, uint16_t f,
                      const char *fname)
{
    static const char *const mods[] = {"byval", "byref", "optional", "paramarray", "ref", "out",
                                       "params", "in", "this", NULL};
    size_t part = b;
    for (size_t i = b; i <= e; i++) {
        if (i < e && !(p_is(a, i, ',')))
            continue;
        size_t pick = (size_t)-1;
        for (size_t k = part; k < i; k++) {
            if (p_is(a, k, '=') || id_is(a, k, "as"))
                break;
            if (a->t[k].kind != XS_TK_IDENT || id_in(a, k, mods))
                continue;
            if (vb) {
                pick = k;
                break;
            }
            pick = k;
        }
        if (pick != (size_t)-1) {
            var *v = var_get(a, txt(a, pick));
            if (v && (!v->tainted || v->t.cls < cls)) {
                v->tainted = true;
                memset(&v->t, 0, sizeof v->t);
                v->t.cls = cls;
                v->t.func = f;
                v->t.line = a->t[pick].line;
                char nm[48];
                tokname(a, pick, nm, sizeof nm);
                if (cls == SRC_PARAM)
                    snprintf(v->t.src, sizeof v->t.src, "web method %s parameter %s (line %u)",
                             fname, nm, (unsigned)a->t[pick].line);
                else
                    snprintf(v->t.src, sizeof v->t.src, "parameter %s of %s (line %u)", nm, fname,
                             (unsigned)a->t[pick].line);
            }
        }
        part = i + 1;
    }
}

/* Calls that decode text at run time, over values folding could not resolve. */
static const char *const decoders[] = {"chr",        "chrw",        "chrb",      "asc",
                                       "ascw",       "ascb",        "fromcharcode", "charcodeat",
                                       "strreverse", "unescape",    "frombase64string", "xor",
                                       NULL};

/* At least `need` distinct decoding calls (or Xor) in [b, e). */
static bool decoding_span(const fa *a, size_t b, size_t e, unsigned need)
{
    unsigned seen = 0, n = 0;
    for (size_t i = b; i < e && i < a->n; i++)
        for (unsigned k = 0; decoders[k]; k++)
            if (id_is(a, i, decoders[k]) && !(seen & (1u << k))) {
                seen |= 1u << k;
                if (++n >= need)
                    return true;
            }
    return false;
}

/* Text decoded at run time in [b, e): a decoding call, a call of a decoder function of the
 * page, or a variable that holds decoded text. */
static bool decoded_span(fa *a, size_t b, size_t e)
{
    if (decoding_span(a, b, e, 1))
        return true;
    for (size_t i = b; i < e; i++) {
        if (a->t[i].kind != XS_TK_IDENT)
            continue;
        uint32_t h = hash_ci(txt(a, i));
        for (size_t f = 0; f < a->nfuncs; f++)
            if (a->funcs[f].decoder && a->funcs[f].hash == h && i != a->funcs[f].def &&
                xs_tok_is(a->s, &a->t[i], a->funcs[f].name))
                return true;
        var *v = var_find(a, txt(a, i));
        if (v && v->obj == OBJ_DECODED)
            return true;
    }
    return false;
}

/* Bracket pairs (one stack per kind; a region end closes what is open) and VB body ends, in
 * one pass each: the declarations and every argument list read them instead of scanning. */
static bool precompute(fa *a)
{
    size_t n = a->n;
    uint32_t *stack = malloc(sizeof *stack * (n ? n : 1) * 3);
    a->pair = malloc(sizeof *a->pair * (n ? n : 1));
    a->vbend = malloc(sizeof *a->vbend * (n ? n : 1));
    a->owner = malloc(sizeof *a->owner * (n ? n : 1));
    if (!stack || !a->pair || !a->vbend || !a->owner) {
        free(stack);
        return false;
    }
    static const char opens[3] = {'(', '[', '{'}, closes[3] = {')', ']', '}'};
    size_t sp[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        a->pair[i] = (uint32_t)n;
        a->owner[i] = -1;
        const xs_tok *t = &a->t[i];
        if (t->kind == XS_TK_END) {
            for (int k = 0; k < 3; k++)
                while (sp[k])
                    a->pair[stack[k * n + --sp[k]]] = (uint32_t)i;
            continue;
        }
        if (t->kind != XS_TK_PUNCT)
            continue;
        for (int k = 0; k < 3; k++) {
            if (t->punct == opens[k])
                stack[k * n + sp[k]++] = (uint32_t)i;
            else if (t->punct == closes[k] && sp[k])
                a->pair[stack[k * n + --sp[k]]] = (uint32_t)i;
        }
    }
    free(stack);
    size_t next = n ? n - 1 : 0;
    for (size_t i = n; i-- > 0;) {
        if (i + 1 < n && id_is(a, i, "end") && (id_is(a, i + 1, "sub") || id_is(a, i + 1, "function")))
            next = i;
        a->vbend[i] = (uint32_t)next;
    }
    return true;
}

/* Which function's body each token lies in (the first declared, as func_at said). */
static void owners(fa *a)
{
    for (size_t f = 0; f < a->nfuncs; f++)
        for (size_t i = a->funcs[f].body_a + 1; i < a->funcs[f].body_b && i < a->n; i++)
            if (a->owner[i] < 0)
                a->owner[i] = (int32_t)f;
}

static bool declarations(fa *a)
{
    static const char *const webattrs[] = {"webmethod", "scriptmethod", "operationcontract",
                                           "webinvoke", "webget", NULL};
    bool pending_web = false;
    for (size_t i = 0; i < a->n; i++) {
        const xs_tok *t = &a->t[i];
        if (t->kind == XS_TK_END)
            pending_web = false;
        if ((xs_tok_p(t, '[') || xs_tok_p(t, '<')) && id_in(a, i + 1, webattrs))
            pending_web = true;
        if (t->kind != XS_TK_IDENT || !p_is(a, i + 1, '('))
            continue;
        bool vb = vbish(t);
        bool def = false;
        if (vb)
            def = i > 0 && (id_is(a, i - 1, "sub") || id_is(a, i - 1, "function"));
        else if (i > 0 && id_is(a, i - 1, "function"))
            def = true;
        else if (i > 0 && (a->t[i - 1].kind == XS_TK_IDENT || p_is(a, i - 1, ']') ||
                           p_is(a, i - 1, '>')) &&
                 !id_in(a, i, not_funcs) && !id_in(a, i - 1, not_funcs) &&
                 !(i > 1 && p_is(a, i - 2, '.')) && !id_is(a, i - 1, "new")) {
            size_t close = match(a, i + 1, a->n);
            def = p_is(a, close + 1, '{');
        }
        if (!def)
            continue;
        if (a->nfuncs >= XS_SCRIPT_MAX_FUNCS)
            continue;
        size_t close = match(a, i + 1, a->n);
        func *f = &a->funcs[a->nfuncs];
        memset(f, 0, sizeof *f);
        tokname(a, i, f->name, sizeof f->name);
        f->hash = hash_ci(txt(a, i));
        f->def = i;
        f->web = pending_web;
        pending_web = false;
        f->body_a = close + 1;
        if (!vb && p_is(a, close + 1, '{')) {
            f->body_b = match(a, close + 1, a->n);
        } else {
            f->body_b = close + 1 < a->n ? a->vbend[close + 1] : a->n;
        }
        f->decoder = decoding_span(a, f->body_a, f->body_b, 2);
        params_of(a, i + 2, close, vb, f->web ? SRC_PARAM : SRC_FUNCPARAM,
                  (uint16_t)a->nfuncs, f->name);
        a->nfuncs++;
    }
    return true;
}

static int func_at(const fa *a, size_t i)
{
    if (a->owner)
        return i < a->n ? a->owner[i] : -1;
    for (size_t f = 0; f < a->nfuncs; f++)
        if (i > a->funcs[f].body_a && i < a->funcs[f].body_b)
            return (int)f;
    return -1;
}

/* ---------------------------------------------------------------- taint */

static bool has_str(const fa *a, size_t b, size_t e);
static bool named_folder(const fa *a, size_t b, size_t e);

/* Object kind of an expression: the class it creates. */
static uint8_t obj_of(const fa *a, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++) {
        const xs_tok *t = &a->t[i];
        if (t->kind == XS_TK_STR) {
            xs_str v = txt(a, i);
            if (xs_str_istarts(v, "wscript.shell") || xs_str_ieq(v, "shell.application"))
                return OBJ_SHELL;
            if (xs_str_ieq(v, "scripting.filesystemobject"))
                return OBJ_FSO;
            if (xs_str_ieq(v, "adodb.stream"))
                return OBJ_STREAM;
            if (xs_str_ieq(v, "adodb.connection") || xs_str_ieq(v, "adodb.recordset"))
                return OBJ_CONN;
            if (xs_str_istarts(v, "msscriptcontrol.scriptcontrol"))
                return OBJ_SCRIPTCTL;
            if (xs_str_icontains(v, "xmlhttp") || xs_str_istarts(v, "winhttp.winhttprequest"))
                return OBJ_XMLHTTP;
        } else if (t->kind == XS_TK_IDENT) {
            if (id_is(a, i, "process") || id_is(a, i, "processstartinfo")) {
                size_t q = i; /* new System.Diagnostics.Process() */
                while (q >= b + 2 && p_is(a, q - 1, '.') && a->t[q - 2].kind == XS_TK_IDENT)
                    q -= 2;
                if (q > b && id_is(a, q - 1, "new"))
                    return OBJ_PROCESS;
            }
            if (id_is(a, i, "registry") || id_is(a, i, "registrykey"))
                return OBJ_REGISTRY;
            if (id_is(a, i, "fileinfo") && i > b &&
                (id_is(a, i - 1, "new") || (p_is(a, i - 1, '.') && i >= b + 2)))
                return OBJ_FILEINFO;
        }
    }
    return OBJ_NONE;
}

/* The start of the member/element chain ending at index k (inclusive). */
static size_t chain_start(const fa *a, size_t from, size_t k)
{
    if (k < from || k == (size_t)-1)
        return from;
    size_t i = k;
    for (;;) {
        if (p_is(a, i, ']') || p_is(a, i, ')')) {
            char close = a->t[i].punct, open = close == ']' ? '[' : '(';
            size_t d = 0, q = i;
            bool ok = false;
            for (;;) {
                if (xs_tok_p(&a->t[q], close))
                    d++;
                else if (xs_tok_p(&a->t[q], open) && --d == 0) {
                    ok = true;
                    break;
                }
                if (q == from)
                    break;
                q--;
            }
            if (!ok || q == from)
                return q;
            i = q - 1;
            continue;
        }
        if (a->t[i].kind == XS_TK_IDENT) {
            if (i > from + 1 && p_is(a, i - 1, '.')) {
                i -= 2;
                continue;
            }
            return i;
        }
        return i + 1 <= k ? i + 1 : k;
    }
}

/* The constant string [b, e) builds from literals and variables holding constants joined by +
 * or & ("u" + "ns" + w), into out (cap bytes); false when it is not one. */
static bool const_text(fa *a, size_t b, size_t e, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (size_t i = b; i < e; i++) {
        if ((i - b) % 2 == 1) {
            if (!p_is(a, i, '+') && !p_is(a, i, '&'))
                return false;
            continue;
        }
        xs_str v;
        if (a->t[i].kind == XS_TK_STR) {
            v = txt(a, i);
        } else if (a->t[i].kind == XS_TK_IDENT) {
            var *x = var_find(a, txt(a, i));
            if (!x || !x->constval[0])
                return false;
            v = xs_str_cstr(x->constval);
        } else {
            return false;
        }
        if (o + v.n + 1 > cap)
            return false;
        memcpy(out + o, v.p, v.n);
        o += v.n;
        out[o] = 0;
    }
    return e > b && (e - b) % 2 == 1;
}

/* The argument list [ab, ae) holds "unsafe": JScript.NET's eval with full trust. */
static bool unsafe_arg(fa *a, size_t ab, size_t ae)
{
    for (size_t i = ab; i < ae; i++) {
        if (a->t[i].kind == XS_TK_STR && xs_str_ieq(txt(a, i), "unsafe"))
            return true;
        if (a->t[i].kind == XS_TK_IDENT && (i == ab || p_is(a, i - 1, ',')) &&
            (i + 1 == ae || p_is(a, i + 1, ','))) {
            var *x = var_find(a, txt(a, i));
            if (x && strcmp(x->constval, "unsafe") == 0)
                return true;
        }
    }
    return false;
}

static void taint_var(fa *a, size_t i, const taint *t, const char *how_via)
{
    var *v = var_get(a, txt(a, i));
    if (!v)
        return;
    if (v->tainted && v->t.cls >= t->cls)
        return;
    v->tainted = true;
    v->t = *t;
    if (how_via)
        via_add(v->t.via, sizeof v->t.via, how_via, a->t[i].line);
    a->changed = true;
}

/* The base variable of a chain starting at c: "this.x" and "Me.x" give x. */
static size_t chain_base(const fa *a, size_t c, size_t e)
{
    if ((id_is(a, c, "this") || id_is(a, c, "me") || id_is(a, c, "page")) && p_is(a, c + 1, '.') &&
        c + 2 < e && a->t[c + 2].kind == XS_TK_IDENT)
        return c + 2;
    return c;
}

/* The request's plumbing (context.Response.Write(x), HttpContext.Current.Response.Write(x),
 * Server, Page): writing request data there does not make them request data. */
static bool plumbing(const fa *a, size_t c, size_t k)
{
    static const char *const names[] = {"context", "httpcontext", "page", "this", "me",
                                        "server", "response", "request", "ctx", NULL};
    if (id_in(a, c, names))
        return true;
    for (size_t i = c; i < k; i++)
        if (id_is(a, i, "response"))
            return true;
    return false;
}

static void taint_stmt(fa *a, size_t b, size_t e)
{
    static const char *const accum[] = {"write", "append", "appendline", "add", "push", "insert",
                                        "writebytes", "concat", "appendformat", NULL};
    static const char *const fill[] = {"read", "readbytes", "copyto", "readblock", NULL};
    if (b >= e)
        return;
    /* assignment: the first '=' at depth 0 that is not a comparison */
    size_t d = 0, eq = (size_t)-1;
    bool vb = vbish(&a->t[b]);
    if (!(vb && (id_is(a, b, "if") || id_is(a, b, "elseif") || id_is(a, b, "while") ||
                 id_is(a, b, "do") || id_is(a, b, "case") || id_is(a, b, "loop")))) {
        for (size_t i = b; i < e; i++) {
            if (p_is(a, i, '(') || p_is(a, i, '['))
                d++;
            else if ((p_is(a, i, ')') || p_is(a, i, ']')) && d)
                d--;
            else if (d == 0 && p_is(a, i, '=') && !p_is(a, i + 1, '=') && !p_is(a, i + 1, '>') &&
                     !(i > b && (p_is(a, i - 1, '=') || p_is(a, i - 1, '!') ||
                                 p_is(a, i - 1, '<') || p_is(a, i - 1, '>')))) {
                eq = i;
                break;
            }
        }
    }
    if (eq != (size_t)-1 && eq > b) {
        size_t lhs = eq - 1;
        if (p_is(a, lhs, '+') || p_is(a, lhs, '&') || p_is(a, lhs, '-') || p_is(a, lhs, '|') ||
            p_is(a, lhs, '^'))
            lhs--;
        /* VB "Dim x As T = ...": the name before As */
        for (size_t i = b; i < eq; i++)
            if (vb && id_is(a, i, "as") && i > b) {
                lhs = i - 1;
                break;
            }
        if (lhs < e && lhs >= b) {
            size_t c = chain_base(a, chain_start(a, b, lhs), eq);
            if (c <= lhs && a->t[c].kind == XS_TK_IDENT) {
                char cv[32];
                if (c == lhs && const_text(a, eq + 1, e, cv, sizeof cv)) {
                    var *x = var_get(a, txt(a, c));
                    if (x && strcmp(x->constval, cv) != 0) {
                        memcpy(x->constval, cv, sizeof cv);
                        a->changed = true;
                    }
                }
                if (c == lhs && named_folder(a, eq + 1, e)) {
                    var *x = var_get(a, txt(a, c));
                    if (x && !x->named) {
                        x->named = true;
                        a->changed = true;
                    }
                }
                uint8_t obj = obj_of(a, eq + 1, e);
                if (!obj && decoded_span(a, eq + 1, e))
                    obj = OBJ_DECODED;
                var *v = obj ? var_get(a, txt(a, c)) : NULL;
                if (v && !v->obj) {
                    v->obj = obj;
                    a->changed = true;
                }
                taint t;
                if (span_taint(a, eq + 1, e, &t)) {
                    t.sql = t.sql || has_str(a, eq + 1, e);
                    taint_var(a, c, &t, NULL);
                }
                /* VB function results: "F = Request(...)" inside F */
            }
        }
    }
    /* return <tainted> inside a function: the function's result is tainted */
    if (id_is(a, b, "return") && a->in_func >= 0) {
        taint t;
        if (span_taint(a, b + 1, e, &t)) {
            func *f = &a->funcs[a->in_func];
            var *v = var_get(a, xs_str_cstr(f->name));
            if (v && (!v->tainted || v->t.cls < t.cls)) {
                v->tainted = true;
                v->t = t;
                via_add(v->t.via, sizeof v->t.via, f->name, a->t[b].line);
                a->changed = true;
            }
        }
    }
    /* foreach (var x in <tainted>), For Each x In <tainted> */
    bool loop = id_is(a, b, "foreach") || (id_is(a, b, "for") && id_is(a, b + 1, "each"));
    for (size_t i = b + 1; loop && i + 1 < e; i++) {
        if (!id_is(a, i, "in") || a->t[i - 1].kind != XS_TK_IDENT)
            continue;
        taint t;
        if (span_taint(a, i + 1, e, &t))
            taint_var(a, i - 1, &t, NULL);
        break; /* the first "in" of the loop header */
    }
    /* accumulating calls (sb.Append(x), ms.Write(x)) and filling ones (s.Read(buf, ...)) */
    for (size_t i = b + 2; i + 1 < e; i++) {
        if (!p_is(a, i - 1, '.') || !p_is(a, i + 1, '(') || a->t[i].kind != XS_TK_IDENT)
            continue;
        size_t close = match(a, i + 1, e);
        size_t c = chain_base(a, chain_start(a, b, i - 2), i);
        taint t;
        if (id_in(a, i, accum) && a->t[c].kind == XS_TK_IDENT && !plumbing(a, c, i) &&
            span_taint(a, i + 2, close, &t)) {
            taint_var(a, c, &t, NULL);
        } else if (id_in(a, i, fill) && i + 2 < e && a->t[i + 2].kind == XS_TK_IDENT &&
                   span_taint(a, c, i, &t)) {
            taint_var(a, i + 2, &t, NULL);
        }
    }
}

/* ---------------------------------------------------------------- sinks */

static void record(fa *a, xs_wsk k, int score, const taint *t, const char *sink, uint32_t line)
{
    xs_wsflow *f = &a->out->flow[k];
    if (score <= f->score)
        return;
    f->score = score;
    cpy(f->source, sizeof f->source, t ? t->src : "");
    cpy(f->via, sizeof f->via, t ? t->via : "");
    snprintf(f->sink, sizeof f->sink, "%s (line %u)", sink, (unsigned)line);
    f->sink_line = line;
}

/* A flow into a sink: a wrapper when the taint is a parameter of the script's own function. */
static void flow(fa *a, xs_wsk k, int score, const taint *t, const char *sink, uint32_t line)
{
    if (t->cls == SRC_FUNCPARAM) {
        func *f = &a->funcs[t->func];
        if (score > f->wrap_score) {
            f->wrap_score = score;
            f->wrap_kind = k;
            snprintf(f->wrap_sink, sizeof f->wrap_sink, "%s (line %u)", sink, (unsigned)line);
            cpy(f->wrap_via, sizeof f->wrap_via, t->via);
            f->wrap_line = line;
        }
        return;
    }
    record(a, k, score, t, sink, line);
}

/* "new" before the (qualified) name at k: new System.Net.Sockets.TcpClient(...) */
static bool after_new(const fa *a, size_t b, size_t k)
{
    size_t q = k;
    while (q >= b + 2 && p_is(a, q - 1, '.') && a->t[q - 2].kind == XS_TK_IDENT)
        q -= 2;
    return q > b && id_is(a, q - 1, "new");
}

/* The sink's name as the explanation shows it: "recv.Name". */
static void sink_name(const fa *a, size_t k, char *out, size_t cap)
{
    char r[48] = "", n[48];
    tokname(a, k, n, sizeof n);
    if (k >= 2 && p_is(a, k - 1, '.') && a->t[k - 2].kind == XS_TK_IDENT)
        tokname(a, k - 2, r, sizeof r);
    snprintf(out, cap, "%s%s%s", r, r[0] ? "." : "", n);
}

/* The receiver chain before k holds name (an identifier), or an object of kind obj. */
static bool recv_is(fa *a, size_t b, size_t k, const char *name, uint8_t obj)
{
    if (k < b + 2 || !p_is(a, k - 1, '.'))
        return false;
    size_t c = chain_start(a, b, k - 2);
    for (size_t i = c; i < k - 1; i++) {
        if (name && id_is(a, i, name))
            return true;
        if (obj && a->t[i].kind == XS_TK_IDENT) {
            var *v = var_find(a, txt(a, i));
            if (v && v->obj == obj)
                return true;
        }
    }
    return obj && obj_of(a, c, k - 1) == obj;
}

/* A string literal in [b, e): text the application joins to request data (a query it builds
 * around a value is SQL injection at worst, not request SQL). */
static bool has_str(const fa *a, size_t b, size_t e)
{
    size_t d = 0; /* Request.Form["q"]: the key inside brackets is not joined text */
    for (size_t i = b; i < e; i++) {
        if (p_is(a, i, '(') || p_is(a, i, '['))
            d++;
        else if ((p_is(a, i, ')') || p_is(a, i, ']')) && d)
            d--;
        else if (d == 0 && a->t[i].kind == XS_TK_STR)
            return true;
    }
    return false;
}

/* The client's own file name (through Path.GetFileName) in [b, e). */
static bool client_name(fa *a, size_t b, size_t e, taint *t)
{
    a->keep_names = true;
    bool got = span_taint(a, b, e, t) && t->cls == SRC_FILENAME;
    a->keep_names = false;
    return got;
}

/* FileStream arguments that only open for reading (FileMode.Open without write access). */
static bool stream_reads(const fa *a, size_t ab, size_t ae)
{
    static const char *const writing[] = {"create", "createnew", "append", "openorcreate",
                                          "truncate", "write", "readwrite", NULL};
    bool open = false;
    for (size_t i = ab + 1; i < ae; i++) {
        if (!p_is(a, i - 1, '.'))
            continue;
        if (id_in(a, i, writing))
            return false;
        open |= id_is(a, i, "open");
    }
    return open;
}

/* The end of the first argument in the argument list [ab, ae). */
static size_t first_arg_end(const fa *a, size_t ab, size_t ae)
{
    size_t p = ab;
    for (size_t d = 0; p < ae; p++) {
        if (p_is(a, p, '(') || p_is(a, p, '['))
            d++;
        else if ((p_is(a, p, ')') || p_is(a, p, ']')) && d)
            d--;
        else if (d == 0 && p_is(a, p, ','))
            break;
    }
    return p;
}

/* A string in [b, e) naming a folder of its own ("~/uploads/", "App_Data\\in"): more than
 * "./", "~/" or a separator. */
static bool named_folder(const fa *a, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++) {
        if (a->t[i].kind == XS_TK_IDENT) {
            var *x = var_find((fa *)a, txt(a, i));
            if (x && x->named)
                return true;
        }
        if (a->t[i].kind != XS_TK_STR)
            continue;
        xs_str v = txt(a, i);
        size_t run = 0;
        for (size_t k = 0; k < v.n; k++) {
            char c = v.p[k];
            run = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') ? run + 1 : 0;
            if (run >= 3)
                return true;
        }
    }
    return false;
}

/* A constant the page carries, decoded: Assembly.Load(Convert.FromBase64String("...")). */
static bool embedded(const fa *a, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++)
        if (a->t[i].kind == XS_TK_STR &&
            (a->t[i].how & (XS_TF_BASE64 | XS_TF_XOR | XS_TF_CHR)) && a->t[i].len >= 64)
            return true;
    return false;
}

static void file_op(fa *a, unsigned bit, const taint *t, const char *sink, uint32_t line)
{
    if (t->cls == SRC_FUNCPARAM) {
        func *f = &a->funcs[t->func];
        if (!f->wrap_files && !f->wrap_score) {
            snprintf(f->wrap_sink, sizeof f->wrap_sink, "%s (line %u)", sink, (unsigned)line);
            cpy(f->wrap_via, sizeof f->wrap_via, t->via);
            f->wrap_line = line;
        }
        f->wrap_files |= bit;
        return;
    }
    if (!a->file_ops) {
        cpy(a->file_first.source, sizeof a->file_first.source, t->src);
        cpy(a->file_first.via, sizeof a->file_first.via, t->via);
        snprintf(a->file_first.sink, sizeof a->file_first.sink, "%s (line %u)", sink,
                 (unsigned)line);
        a->file_first.sink_line = line;
    }
    a->file_ops |= bit;
}

/* Every name sinks_stmt looks at (kept in step with it: test-scriptflow's generator and
 * technique cases fail when a sink is left out): a token that is none of them is no sink, and
 * its arguments need no taint analysis. */
static bool sink_name_at(const fa *a, size_t k)
{
    static const char *const names[] = {
        "addcode", "appendalllines", "appendalltext", "appendtext", "binarywriter", "compileassemblyfromsource",
        "connect", "copy", "copyfile", "copyfolder", "create", "createdirectory",
        "createfolder", "createhttp", "createinstance", "createinstancefrom", "createprocess", "createsubkey",
        "createtext", "createtextfile", "datelastmodified", "delete", "deletefile", "deletefolder",
        "deletesubkey", "deletesubkeytree", "deletevalue", "directoryinfo", "downloaddata", "downloadfile",
        "downloadstring", "drives", "enumeratedirectories", "enumeratefiles", "eval", "evaluateasync",
        "exec", "execute", "executeglobal", "executesqlcommand", "executesqlraw", "executestatement",
        "filestream", "getdirectories", "getdrives", "getfile", "getfiles", "getfilesystementries",
        "getfilesysteminfos", "getfolder", "gethostaddresses", "gethostentry", "getlogicaldrives", "getvalue",
        "invoke", "invokemethod", "ipendpoint", "jscriptevaluate", "load", "loadfile",
        "loadfrom", "loadfromfile", "move", "movefile", "movefolder", "mysqlcommand",
        "mysqlconnection", "odbccommand", "odbcconnection", "oledbcommand", "oledbconnection", "oledbdataadapter",
        "open", "openread", "opensubkey", "opentext", "opentextfile", "openwrite",
        "oraclecommand", "processstartinfo", "readallbytes", "readalllines", "readalltext", "regdelete",
        "regread", "regwrite", "resolve", "run", "runasync", "saveas",
        "savetofile", "setattributes", "setcreationtime", "setlastaccesstime", "setlastwritetime", "setvalue",
        "shell", "shellexecute", "socket", "sqlcommand", "sqlconnection", "sqldataadapter",
        "start", "streamreader", "streamwriter", "tcpclient", "transform", "transmitfile",
        "udpclient", "unsafeloadfrom", "uploaddata", "uploadstring", "winexec", "write",
        "writeallbytes", "writealllines", "writealltext", "writefile", "writeline", NULL};
    return id_in(a, k, names);
}

static void sinks_stmt(fa *a, size_t b, size_t e)
{
    static const char *const evals[] = {"eval", "executestatement", "addcode", "jscriptevaluate",
                                        "compileassemblyfromsource", "evaluateasync", "runasync",
                                        NULL};
    static const char *const writes[] = {"writealltext", "writeallbytes", "appendalltext",
                                         "writealllines", "appendalllines", "createtext",
                                         "appendtext",   "openwrite",     NULL};
    static const char *const lists[] = {"getfiles", "getdirectories", "enumeratefiles",
                                        "enumeratedirectories", "getfilesystementries",
                                        "getfilesysteminfos", "getfolder", NULL};
    static const char *const reads[] = {"readalltext", "readallbytes", "readalllines", "openread",
                                        "opentext", "writefile", "transmitfile", "loadfromfile",
                                        "getfile", NULL};
    static const char *const changes[] = {"delete", "move", "copy", "deletefile", "deletefolder",
                                          "copyfile", "movefile", "createfolder",
                                          "createdirectory", "copyfolder", "movefolder",
                                          "setattributes", NULL};
    static const char *const stamps[] = {"setcreationtime", "setlastwritetime", "setlastaccesstime",
                                         "datelastmodified", NULL};
    for (size_t k = b; k < e; k++) {
        const xs_tok *t = &a->t[k];
        if (t->kind != XS_TK_IDENT || !sink_name_at(a, k))
            continue;
        bool vb = vbish(t);
        bool member = k > b && p_is(a, k - 1, '.');
        /* the argument span */
        size_t ab = k + 1, ae = k + 1;
        if (p_is(a, k + 1, '(')) {
            ab = k + 2;
            ae = match(a, k + 1, e);
        } else if (vb && k + 1 < e && !p_is(a, k + 1, '=') && !p_is(a, k + 1, '.') &&
                   !p_is(a, k + 1, ')') && !p_is(a, k + 1, ',') && a->t[k + 1].kind != XS_TK_END &&
                   (member ? k >= b + 2 && chain_start(a, b, k - 2) <= b + 1 : k <= b + 1)) {
            /* a VB call statement without parentheses (sh.Run x, 0; Execute x): only at the
             * head of its statement (or after Call), so one per statement */
            ab = k + 1;
            ae = e;
        }
        bool args = ae > ab;
        char nm[112];
        sink_name(a, k, nm, sizeof nm);
        taint ta;
        bool tainted = args && span_taint(a, ab, ae, &ta);
        /* evaluation */
        bool bare_exec = !member && (id_is(a, k, "execute") || id_is(a, k, "executeglobal")) && vb;
        if ((id_in(a, k, evals) || bare_exec) && args) {
            bool unsafe = unsafe_arg(a, ab, ae);
            bool databind = id_is(a, k, "eval") && t->lang != XS_SL_JSCRIPT &&
                            t->lang != XS_SL_VBSCRIPT;
            if (tainted)
                flow(a, XS_WSK_EVAL, 100, &ta, nm, t->line);
            else if (unsafe)
                record(a, XS_WSK_EVAL, 85, NULL, nm, t->line);
            else if (embedded(a, ab, ae))
                record(a, XS_WSK_EMBEDDED, 60, NULL, nm, t->line);
            else if (!databind && decoded_span(a, ab, ae)) {
                taint u = {0};
                snprintf(u.src, sizeof u.src, "code decoded at run time (line %u)",
                         (unsigned)t->line);
                record(a, XS_WSK_EMBEDDED, 80, &u, nm, t->line);
            } else if (!databind && a->t[ab].kind == XS_TK_IDENT)
                record(a, XS_WSK_EVAL, 35, NULL, nm, t->line);
            if (unsafe) {
                taint u = {0};
                snprintf(u.src, sizeof u.src, "evaluated with \"unsafe\" (line %u)",
                         (unsigned)t->line);
                record(a, XS_WSK_EVAL, 85, &u, nm, t->line);
            }
            continue;
        }
        /* eval taken as a value (o = {'E': eval}; f = eval): called under another name */
        if (id_is(a, k, "eval") && t->lang == XS_SL_JSCRIPT && !member && !p_is(a, k + 1, '(') &&
            k > b && (p_is(a, k - 1, ':') || p_is(a, k - 1, '=') || p_is(a, k - 1, ',') ||
                      p_is(a, k - 1, '('))) {
            taint u = {0};
            snprintf(u.src, sizeof u.src, "eval kept under another name (line %u)",
                     (unsigned)t->line);
            record(a, XS_WSK_EVAL, 70, &u, nm, t->line);
            continue;
        }
        /* process start */
        if ((id_is(a, k, "start") && (recv_is(a, b, k, "process", 0))) ||
            (id_is(a, k, "processstartinfo") && after_new(a, b, k)) ||
            ((id_is(a, k, "run") || id_is(a, k, "exec") || id_is(a, k, "shellexecute")) &&
             recv_is(a, b, k, NULL, OBJ_SHELL)) ||
            (!member && id_is(a, k, "shell") && vb && p_is(a, k + 1, '(')) ||
            id_is(a, k, "createprocess") || id_is(a, k, "winexec") ||
            (id_is(a, k, "invokemethod") && args && a->t[ab].kind == XS_TK_STR &&
             xs_str_ieq(txt(a, ab), "create"))) {
            if (tainted)
                flow(a, XS_WSK_PROCESS, 100, &ta, nm, t->line);
            continue;
        }
        if ((id_is(a, k, "write") || id_is(a, k, "writeline")) && member &&
            recv_is(a, b, k, "standardinput", 0)) {
            if (tainted) /* commands typed into a started shell's input */
                flow(a, XS_WSK_PROCESS, 100, &ta, nm, t->line);
            continue;
        }
        if (id_is(a, k, "start") && member && k >= b + 2) {
            /* p.Start() on a process whose StartInfo the request filled */
            size_t c = chain_start(a, b, k - 2);
            var *v = a->t[c].kind == XS_TK_IDENT ? var_find(a, txt(a, c)) : NULL;
            if (v && v->tainted && v->obj == OBJ_PROCESS)
                flow(a, XS_WSK_PROCESS, 100, &v->t, nm, t->line);
            continue;
        }
        /* code loading */
        if (((id_is(a, k, "load") || id_is(a, k, "loadfrom") || id_is(a, k, "loadfile") ||
              id_is(a, k, "unsafeloadfrom")) &&
             (recv_is(a, b, k, "assembly", 0) || recv_is(a, b, k, "currentdomain", 0) ||
              recv_is(a, b, k, "appdomain", 0))) ||
            (id_is(a, k, "invoke") && a->getmethod_load) || id_is(a, k, "createinstance") ||
            id_is(a, k, "createinstancefrom")) {
            if (tainted)
                flow(a, XS_WSK_LOAD, 100, &ta, nm, t->line);
            else if (args && embedded(a, ab, ae))
                record(a, XS_WSK_EMBEDDED, 60, NULL, nm, t->line);
            else if (id_is(a, k, "createinstance") && member && k >= b + 2) {
                size_t c = chain_start(a, b, k - 2);
                taint r;
                if (span_taint(a, c, k - 1, &r))
                    flow(a, XS_WSK_LOAD, 100, &r, nm, t->line);
            }
            continue;
        }
        /* uploads */
        if (id_is(a, k, "saveas") && member && args && k >= b + 2) {
            size_t c = chain_start(a, b, k - 2);
            taint r;
            bool upload = span_taint(a, c, k - 1, &r);
            /* the first argument: the destination */
            size_t p1 = first_arg_end(a, ab, ae);
            taint pt = {0};
            if (!span_taint(a, ab, p1, &pt) && upload && !a->ext_check &&
                !named_folder(a, ab, p1) && client_name(a, ab, p1, &pt))
                pt.cls = SRC_FILENAME; /* the client's name, any type, beside the page */
            if (pt.cls) {
                /* the client's own file name: an upload shell unless the page checks the
                 * type or keeps uploads in a folder of their own */
                int sc = pt.cls != SRC_FILENAME && pt.cls != SRC_FILE ? 85
                         : a->ext_check          ? 35
                         : named_folder(a, ab, p1) ? 45
                                                   : 80;
                if (pt.cls == SRC_FUNCPARAM)
                    sc = 60;
                flow(a, upload ? XS_WSK_UPLOAD : XS_WSK_WRITE, sc, &pt, nm, t->line);
            }
            continue;
        }
        /* new FileInfo(path).CreateText(), .OpenWrite(), .Create(), .AppendText() */
        if ((id_is(a, k, "createtext") || id_is(a, k, "appendtext") || id_is(a, k, "openwrite") ||
             id_is(a, k, "create")) &&
            member && recv_is(a, b, k, "fileinfo", OBJ_FILEINFO)) {
            size_t c = chain_start(a, b, k - 2);
            taint pt;
            if (span_taint(a, c, k - 1, &pt))
                flow(a, XS_WSK_WRITE, a->writes_request ? 90 : 75, &pt, nm, t->line);
            continue;
        }
        /* new FileStream(path, FileMode.Open, FileAccess.Read): a read */
        if (id_is(a, k, "filestream") && after_new(a, b, k) && args && stream_reads(a, ab, ae)) {
            if (tainted)
                file_op(a, 2, &ta, nm, t->line);
            continue;
        }
        /* file writes */
        if ((id_in(a, k, writes) && recv_is(a, b, k, "file", 0)) ||
            (id_is(a, k, "create") && recv_is(a, b, k, "file", 0)) ||
            ((id_is(a, k, "streamwriter") || id_is(a, k, "filestream") ||
              id_is(a, k, "binarywriter")) &&
             after_new(a, b, k)) ||
            id_is(a, k, "createtextfile") || id_is(a, k, "savetofile") ||
            (id_is(a, k, "downloadfile") && member)) {
            size_t p1 = first_arg_end(a, ab, ae);
            bool dl = id_is(a, k, "downloadfile");
            taint pt, ct;
            /* DownloadFile(url, path): the path is second */
            bool path = dl ? (p1 < ae && span_taint(a, p1 + 1, ae, &pt))
                           : span_taint(a, ab, p1, &pt);
            bool content = dl ? span_taint(a, ab, p1, &ct) : (p1 < ae && span_taint(a, p1 + 1, ae, &ct));
            bool opener = !id_in(a, k, writes) || id_is(a, k, "createtext") ||
                          id_is(a, k, "appendtext") || id_is(a, k, "openwrite");
            if (opener && !dl && a->writes_request)
                content = true; /* the stream it opens is given request data */
            if (path)
                flow(a, XS_WSK_WRITE, content || dl ? 90 : 75, &pt, nm, t->line);
            else if (opener && !dl && a->writes_request && !a->ext_check &&
                     !named_folder(a, ab, p1) && client_name(a, ab, p1, &pt))
                flow(a, XS_WSK_UPLOAD, 80, &pt, nm, t->line);
            else if (dl && content)
                flow(a, XS_WSK_FETCH, 40, &ct, nm, t->line);
            continue;
        }
        if (id_is(a, k, "opentextfile") && args) {
            bool write = false;
            for (size_t i = ab; i < ae; i++)
                if (a->t[i].kind == XS_TK_NUM && (a->t[i].num == 2 || a->t[i].num == 8) &&
                    p_is(a, i - 1, ','))
                    write = true;
            if (tainted) {
                if (write)
                    flow(a, XS_WSK_WRITE, 75, &ta, nm, t->line);
                else
                    file_op(a, 2, &ta, nm, t->line);
            }
            continue;
        }
        /* SQL */
        if (((id_is(a, k, "sqlcommand") || id_is(a, k, "oledbcommand") ||
              id_is(a, k, "odbccommand") || id_is(a, k, "mysqlcommand") ||
              id_is(a, k, "oraclecommand") || id_is(a, k, "sqldataadapter") ||
              id_is(a, k, "oledbdataadapter")) &&
             after_new(a, b, k)) ||
            (id_is(a, k, "execute") && member && !recv_is(a, b, k, NULL, OBJ_SHELL) &&
             !recv_is(a, b, k, "server", 0)) ||
            id_is(a, k, "executesqlcommand") || id_is(a, k, "executesqlraw") ||
            (id_is(a, k, "open") && recv_is(a, b, k, NULL, OBJ_CONN))) {
            size_t p1 = first_arg_end(a, ab, ae);
            taint st;
            if (span_taint(a, ab, p1, &st) && !st.sql && !has_str(a, ab, p1))
                flow(a, XS_WSK_SQL, 80, &st, nm, t->line);
            continue;
        }
        if ((id_is(a, k, "sqlconnection") || id_is(a, k, "oledbconnection") ||
             id_is(a, k, "odbcconnection") || id_is(a, k, "mysqlconnection")) &&
            after_new(a, b, k)) {
            if (tainted)
                flow(a, XS_WSK_SQL, 70, &ta, nm, t->line);
            continue;
        }
        /* XSLT with script */
        if ((id_is(a, k, "transform") || id_is(a, k, "load")) && member && a->xslt_script) {
            if (tainted)
                flow(a, XS_WSK_XSLT, 90, &ta, nm, t->line);
            continue;
        }
        /* registry */
        if (((id_is(a, k, "opensubkey") || id_is(a, k, "createsubkey") ||
              id_is(a, k, "setvalue") || id_is(a, k, "getvalue") ||
              id_is(a, k, "deletesubkey") || id_is(a, k, "deletevalue") ||
              id_is(a, k, "deletesubkeytree")) &&
             (recv_is(a, b, k, "registry", 0) || recv_is(a, b, k, NULL, OBJ_REGISTRY))) ||
            ((id_is(a, k, "regread") || id_is(a, k, "regwrite") || id_is(a, k, "regdelete")) &&
             recv_is(a, b, k, NULL, OBJ_SHELL))) {
            if (tainted)
                flow(a, XS_WSK_REGISTRY, 60, &ta, nm, t->line);
            continue;
        }
        /* sockets */
        if (((id_is(a, k, "socket") || id_is(a, k, "tcpclient") || id_is(a, k, "ipendpoint") ||
              id_is(a, k, "udpclient")) &&
             after_new(a, b, k)) ||
            (id_is(a, k, "connect") && member) || id_is(a, k, "gethostaddresses") ||
            id_is(a, k, "gethostentry") || (id_is(a, k, "resolve") && recv_is(a, b, k, "dns", 0))) {
            if (tainted)
                flow(a, XS_WSK_SOCKET, 85, &ta, nm, t->line);
            continue;
        }
        /* fetches */
        if ((id_is(a, k, "create") && recv_is(a, b, k, "webrequest", 0)) ||
            id_is(a, k, "createhttp") || id_is(a, k, "downloadstring") ||
            id_is(a, k, "downloaddata") || id_is(a, k, "uploadstring") ||
            id_is(a, k, "uploaddata") || (id_is(a, k, "open") && recv_is(a, b, k, NULL, OBJ_XMLHTTP))) {
            if (tainted)
                flow(a, XS_WSK_FETCH, 40, &ta, nm, t->line);
            continue;
        }
        /* file management */
        if (id_is(a, k, "getdrives") || id_is(a, k, "getlogicaldrives") ||
            (id_is(a, k, "drives") && recv_is(a, b, k, NULL, OBJ_FSO)))
            a->drives = true;
        unsigned bit = 0;
        if ((id_in(a, k, lists) && member) ||
            (id_is(a, k, "directoryinfo") && after_new(a, b, k)))
            bit = 1;
        else if ((id_in(a, k, reads) && member) ||
                 (id_is(a, k, "streamreader") && after_new(a, b, k)))
            bit = 2;
        else if (id_in(a, k, changes) && member &&
                 (recv_is(a, b, k, "file", 0) || recv_is(a, b, k, "directory", 0) ||
                  recv_is(a, b, k, NULL, OBJ_FSO)))
            bit = 4;
        else if (id_in(a, k, stamps) && member)
            bit = 8;
        if (bit && tainted)
            file_op(a, bit, &ta, nm, t->line);
    }
    /* member assignments: psi.FileName = x, cmd.CommandText = x, c.ConnectionString = x */
    for (size_t k = b + 2; k + 1 < e; k++) {
        if (!p_is(a, k + 1, '=') || p_is(a, k + 2, '=') || !p_is(a, k - 1, '.'))
            continue;
        char nm[112];
        sink_name(a, k, nm, sizeof nm);
        taint ta;
        if (!span_taint(a, k + 2, e, &ta))
            continue;
        if (id_is(a, k, "filename") || id_is(a, k, "arguments")) {
            size_t c = chain_start(a, b, k - 2);
            var *v = a->t[c].kind == XS_TK_IDENT ? var_find(a, txt(a, c)) : NULL;
            if (v && v->obj == OBJ_PROCESS)
                flow(a, XS_WSK_PROCESS, 100, &ta, nm, a->t[k].line);
        } else if (id_is(a, k, "commandtext") && !ta.sql && !has_str(a, k + 2, e)) {
            flow(a, XS_WSK_SQL, 80, &ta, nm, a->t[k].line);
        } else if (id_is(a, k, "connectionstring")) {
            flow(a, XS_WSK_SQL, 70, &ta, nm, a->t[k].line);
        }
        break;
    }
}

/* Calls of the script's own functions whose parameters reach a sink, with request data. */
static void wrapper_calls(fa *a)
{
    for (size_t k = 0; k < a->n; k++) {
        if (a->t[k].kind != XS_TK_IDENT)
            continue;
        /* F(x), and this.F(x), Me.F(x), base.F(x): not o.F(x) of another object */
        if (k > 0 && p_is(a, k - 1, '.') &&
            !(k >= 2 && (id_is(a, k - 2, "this") || id_is(a, k - 2, "me") ||
                         id_is(a, k - 2, "base") || id_is(a, k - 2, "mybase"))))
            continue;
        uint32_t h = hash_ci(txt(a, k));
        for (size_t f = 0; f < a->nfuncs; f++) {
            func *fn = &a->funcs[f];
            if ((!fn->wrap_score && !fn->wrap_files) || fn->hash != h || k == fn->def ||
                !xs_tok_is(a->s, &a->t[k], fn->name))
                continue;
            size_t e = stmt_end(a, k), ab = k + 1, ae = e;
            if (p_is(a, k + 1, '(')) {
                ab = k + 2;
                ae = match(a, k + 1, e);
            } else if (!vbish(&a->t[k])) {
                continue;
            }
            taint t;
            if (ae > ab && span_taint(a, ab, ae, &t) && t.cls != SRC_FUNCPARAM) {
                char what[96];
                snprintf(what, sizeof what, "function %s", fn->name);
                via_add(t.via, sizeof t.via, what, a->t[k].line);
                if (fn->wrap_via[0]) {
                    size_t o = strlen(t.via);
                    snprintf(t.via + o, sizeof t.via - o, ", %.*s", (int)(sizeof t.via - o > 3 ? sizeof t.via - o - 3 : 0), fn->wrap_via);
                }
                char sink[160];
                cpy(sink, sizeof sink, fn->wrap_sink);
                char *paren = strstr(sink, " (line");
                if (paren)
                    *paren = 0;
                for (unsigned bit = 1; bit <= 8; bit <<= 1)
                    if (fn->wrap_files & bit)
                        file_op(a, bit, &t, sink, fn->wrap_line);
                if (fn->wrap_score)
                    record(a, fn->wrap_kind, fn->wrap_score, &t, sink, fn->wrap_line);
            }
        }
    }
}

/* ---------------------------------------------------------------- whole-script facts */

/* Server controls declared in code: "protected TextBox tb;", "Protected WithEvents tb As
 * System.Web.UI.WebControls.TextBox". */
static void code_controls(fa *a)
{
    static const char *const types[] = {"textbox", "htmlinputtext", "htmltextarea", "hiddenfield",
                                        "htmlinputhidden", "dropdownlist", "listbox",
                                        "fileupload", "htmlinputfile", "htmlinputpassword", NULL};
    for (size_t i = 0; i + 1 < a->n; i++) {
        if (!id_in(a, i, types))
            continue;
        size_t name = (size_t)-1;
        if (a->t[i + 1].kind == XS_TK_IDENT && (p_is(a, i + 2, ';') || p_is(a, i + 2, ',') ||
                                                p_is(a, i + 2, '=')))
            name = i + 1; /* C# */
        else {
            size_t q = i; /* VB: name As [Qualified.]Type */
            while (q >= 2 && p_is(a, q - 1, '.') && a->t[q - 2].kind == XS_TK_IDENT)
                q -= 2;
            if (q >= 2 && id_is(a, q - 1, "as") && a->t[q - 2].kind == XS_TK_IDENT)
                name = q - 2;
        }
        if (name == (size_t)-1)
            continue;
        var *v = var_get(a, txt(a, name));
        if (v && !v->obj)
            v->obj = OBJ_CONTROL;
    }
}

static void facts(fa *a)
{
    bool xslt = false, script = false, assembly = false;
    for (size_t i = 0; i < a->n; i++) {
        const xs_tok *t = &a->t[i];
        if (t->kind == XS_TK_STR) {
            xs_str v = txt(a, i);
            if (xs_str_icontains(v, "msxsl:script")) {
                script = true;
                if (xs_str_icontains(v, "shell") || xs_str_icontains(v, "process") ||
                    xs_str_icontains(v, ".exec") || xs_str_icontains(v, "cmd"))
                    a->xslt_commands = i + 1; /* a stylesheet whose script runs commands */
            }
            if (xs_str_ieq(v, "load") && i >= 2 && id_is(a, i - 2, "getmethod"))
                a->getmethod_load = true;
            if (xs_str_icontains(v, "cmd.exe") || xs_str_icontains(v, "cmd /c") ||
                xs_str_icontains(v, "powershell"))
                a->cmd_string = true;
            static const char *const types[] = {"jpg",  "jpeg", "gif",  "png", "bmp", "webp",
                                                "pdf",  "doc",  "docx", "xls", "xlsx", "csv",
                                                "txt",  "zip",  "mp4",  "mp3", NULL};
            xs_str e = v.n && v.p[0] == '.' ? xs_str_make(v.p + 1, v.n - 1) : v;
            for (const char *const *ty = types; *ty; ty++)
                if (xs_str_ieq(e, *ty)) /* ext == "jpg", ".png" in a list of allowed types */
                    a->ext_check = true;
            if (xs_str_istarts(v, "image/"))
                a->ext_check = true;
            continue;
        }
        if (t->kind != XS_TK_IDENT)
            continue;
        if (id_is(a, i, "xslcompiledtransform") || id_is(a, i, "xsltransform"))
            xslt = true;
        if (id_is(a, i, "enablescript") || id_is(a, i, "trustedxslt"))
            script = true;
        if (id_is(a, i, "xsltsettings") && p_is(a, i + 1, '(') && id_is(a, i + 4, "true") &&
            id_is(a, i + 2, "true"))
            script = true;
        if (id_is(a, i, "assembly"))
            assembly = true;
        if (id_is(a, i, "getextension") || id_is(a, i, "contenttype") ||
            (id_is(a, i, "endswith") && p_is(a, i + 1, '(')))
            a->ext_check = true;
    }
    a->xslt_script = xslt && script;
    a->getmethod_load = a->getmethod_load && assembly;
}

static const char *const sensitive_names[] = {
    "wscript.shell", "shell.application", "eval",  "execute", "executeglobal", "cmd.exe", "cmd",
    "powershell",    "powershell.exe",    "system.reflection.assembly", "load", "process",
    "adodb.stream",  "scripting.filesystemobject", "request", "createobject", "assembly",
    "unsafe", NULL};

static void signal(char *sig, size_t cap, const char *what)
{
    size_t o = strlen(sig);
    if (o + 4 < cap)
        snprintf(sig + o, cap - o, "%s%s", o ? "; " : "", what);
}

const char *xs_wsk_name(xs_wsk k)
{
    static const char *const names[XS_WSK__COUNT] = {
        [XS_WSK_EVAL] = "script evaluation",
        [XS_WSK_PROCESS] = "command execution",
        [XS_WSK_LOAD] = "code loading",
        [XS_WSK_WRITE] = "file write",
        [XS_WSK_UPLOAD] = "upload",
        [XS_WSK_SQL] = "SQL execution",
        [XS_WSK_XSLT] = "XSLT script",
        [XS_WSK_REGISTRY] = "registry access",
        [XS_WSK_SOCKET] = "socket tunnel",
        [XS_WSK_FETCH] = "HTTP fetch",
        [XS_WSK_FILES] = "file management",
        [XS_WSK_EMBEDDED] = "embedded code",
    };
    return (unsigned)k < XS_WSK__COUNT ? names[k] : "";
}

bool xs_scriptflow(const xs_script *s, unsigned hints, xs_wsreport *out)
{
    bool known_name = hints & XS_WSH_KNOWN_NAME;
    memset(out, 0, sizeof *out);
    fa a;
    memset(&a, 0, sizeof a);
    a.s = s;
    a.t = s->tok;
    a.n = s->ntok;
    a.out = out;
    a.in_func = -1;
    a.vars = malloc(sizeof *a.vars * XS_SCRIPT_MAX_VARS);
    a.slots = malloc(sizeof *a.slots * HASH_CAP);
    a.funcs = malloc(sizeof *a.funcs * XS_SCRIPT_MAX_FUNCS);
    bool ok = a.vars && a.slots && a.funcs;
    if (ok && a.n) {
        memset(a.slots, 0xFF, sizeof *a.slots * HASH_CAP);
        ok = precompute(&a);
    }
    if (ok && a.n) {
        facts(&a);
        code_controls(&a);
        declarations(&a);
        owners(&a);
        for (unsigned pass = 0; pass < 4; pass++) {
            a.changed = false;
            for (size_t i = 0; i < a.n;) {
                size_t e = stmt_end(&a, i);
                a.in_func = func_at(&a, i);
                taint_stmt(&a, i, e);
                i = stmt_next(&a, e);
            }
            if (!a.changed)
                break;
        }
        for (size_t st = 0; st < a.n && !a.writes_request;) {
            size_t e = stmt_end(&a, st);
            static const char *const w[] = {"write", "writeline", "writebytes", NULL};
            for (size_t i = st + 2; i + 1 < e && !a.writes_request; i++) {
                if (!id_in(&a, i, w) || !p_is(&a, i - 1, '.') || id_is(&a, i - 2, "response"))
                    continue;
                size_t ab = i + 1, ae = e;
                if (p_is(&a, i + 1, '(')) {
                    ab = i + 2;
                    ae = match(&a, i + 1, e);
                } else if (chain_start(&a, st, i - 2) > st + 1) {
                    continue; /* no parentheses: a VB call statement, only at its head */
                }
                taint t;
                a.in_func = func_at(&a, i);
                if (ae > ab && span_taint(&a, ab, ae, &t) && t.cls != SRC_FUNCPARAM)
                    a.writes_request = true;
                a.in_func = -1;
            }
            st = stmt_next(&a, e);
        }
        for (size_t i = 0; i < a.n;) {
            size_t e = stmt_end(&a, i);
            a.in_func = func_at(&a, i);
            sinks_stmt(&a, i, e);
            i = stmt_next(&a, e);
        }
        a.in_func = -1;
        wrapper_calls(&a);
        if (a.xslt_commands) {
            taint u = {0};
            uint32_t line = a.t[a.xslt_commands - 1].line;
            snprintf(u.src, sizeof u.src, "a stylesheet whose script runs commands (line %u)",
                     (unsigned)line);
            record(&a, XS_WSK_XSLT, 80, &u, "msxsl:script", line);
        }
        if (a.file_ops) {
            unsigned classes = !!(a.file_ops & 1) + !!(a.file_ops & 2) + !!(a.file_ops & 4);
            int sc = classes >= 3 ? 75 : classes == 2 ? 60 : 30;
            if (a.file_ops & 8)
                sc += 20;
            if (a.drives)
                sc += 15;
            out->flow[XS_WSK_FILES] = a.file_first;
            out->flow[XS_WSK_FILES].score = sc > 100 ? 100 : sc;
        }
        /* the file's score */
        int best = 0, strong = 0;
        for (int k = 0; k < XS_WSK__COUNT; k++) {
            if (out->flow[k].score > best) {
                best = out->flow[k].score;
                out->best = (xs_wsk)k;
            }
            if (out->flow[k].score >= XS_WS_SCORE_SUSPECT) {
                strong++;
                size_t o = strlen(out->kinds);
                snprintf(out->kinds + o, sizeof out->kinds - o, "%s%s", o ? ", " : "",
                         xs_wsk_name((xs_wsk)k));
            }
        }
        int bonus = 0;
        bool intent = false; /* hidden or built names, a published name */
        if (strong >= 2) {
            bonus += 10;
            signal(out->signals, sizeof out->signals, "more than one behaviour");
        }
        for (size_t i = 0; i < a.n; i++) {
            const xs_tok *t = &a.t[i];
            if (t->kind != XS_TK_STR ||
                !(t->how & (XS_TF_CHR | XS_TF_REVERSE | XS_TF_REPLACE | XS_TF_UNESCAPE |
                            XS_TF_XOR | XS_TF_CONCAT)))
                continue;
            bool hit = false;
            for (const char *const *w = sensitive_names; *w && !hit; w++)
                hit = xs_str_ieq(txt(&a, i), *w);
            if (!hit)
                continue;
            char nm[48], what[128];
            tokname(&a, i, nm, sizeof nm);
            snprintf(what, sizeof what, "\"%s\" built from pieces (line %u)", nm,
                     (unsigned)t->line);
            signal(out->signals, sizeof out->signals, what);
            bonus += 25;
            intent = true;
            break;
        }
        if (s->how & XS_TF_ENCODED) {
            intent = true;
            char what[96];
            snprintf(what, sizeof what, "server code encoded with the Script Encoder (line %u)",
                     (unsigned)s->encoded_line);
            signal(out->signals, sizeof out->signals, what);
            if (best < XS_WS_SCORE_SUSPECT) {
                best = XS_WS_SCORE_SUSPECT;
                out->best = XS_WSK_EMBEDDED;
                taint u = {0};
                record(&a, XS_WSK_EMBEDDED, XS_WS_SCORE_SUSPECT, &u, "Script Encoder block",
                       s->encoded_line);
            }
        }
        if (s->how & XS_TF_UTF7) {
            bonus += 20;
            intent = true;
            signal(out->signals, sizeof out->signals,
                   "the page is written in UTF-7 (codepage 65000)");
        }
        if (a.cmd_string && out->flow[XS_WSK_PROCESS].score >= XS_WS_SCORE_SUSPECT) {
            bonus += 5;
            signal(out->signals, sizeof out->signals, "names a command interpreter");
        }
        if (known_name && best > 0) {
            bonus += 10;
            intent = true;
            signal(out->signals, sizeof out->signals, "a published web-shell name");
        }
        out->score = best ? (best + bonus > 100 ? 100 : best + bonus) : 0;
        /* Writing, uploading, querying, listing: applications do these too, and a careless
         * one lets the client choose the path. Without code execution they are a web shell
         * only with a sign of intent (hidden or built names, a published name, three
         * behaviours or more) or in a folder Exchange owns; otherwise suspicious. */
        static const xs_wsk exec[] = {XS_WSK_EVAL, XS_WSK_PROCESS, XS_WSK_LOAD,
                                      XS_WSK_XSLT, XS_WSK_SOCKET, XS_WSK_EMBEDDED};
        bool runs = false;
        for (size_t k = 0; k < sizeof exec / sizeof exec[0]; k++)
            runs |= out->flow[exec[k]].score >= XS_WS_SCORE_EXPLOIT;
        if (!runs && !intent && strong < 3 && !(hints & XS_WSH_EXCHANGE) &&
            out->score >= XS_WS_SCORE_EXPLOIT)
            out->score = XS_WS_SCORE_EXPLOIT - 1;
    }
    out->truncated = a.stmt_cut;
    free(a.vars);
    free(a.slots);
    free(a.funcs);
    free(a.pair);
    free(a.vbend);
    free(a.owner);
    return ok;
}
