/* A reader for server-side web script: ASP.NET pages, handlers, services and controls (.aspx
 * .ashx .asmx .ascx .master .svc .asax), Razor (.cshtml .vbhtml), classic ASP (.asp .asa .cer
 * .cdx), ASP code hidden in web.config, and code-behind source (.cs, .vb).
 *
 * It extracts the server code (<% %>, <%= %>, <script runat="server">, the code after a
 * WebHandler/WebService/ServiceHost directive), the page directive (Language, Inherits,
 * CodeFile, Src), server controls and server objects declared in the markup, and tokenises the
 * code (identifiers, strings, numbers, punctuation) for C#, VB.NET, VBScript and JScript. It
 * folds the common obfuscations into plain tokens: string concatenation, Chr/ChrW/fromCharCode
 * and (char) casts, StrReverse and split/reverse/join, Replace, unescape/UrlDecode (%xx, %uxxxx),
 * \uXXXX escapes in identifiers, UTF-7 pages (codepage 65000), base64 literals given to FromBase64String (and the GetString
 * around them), constant XOR of string literals, and code passed as a constant string to eval or
 * Execute: decoded code is tokenised again, one layer deeper (XS_SCRIPT_MAX_LAYERS).
 *
 * Everything is bounded (core/limits.h: XS_SCRIPT_*); past a cap the reader stops adding and
 * says so in truncated. Input bytes are hostile: nothing here trusts lengths, quotes or nesting.
 * Ownership: the xs_script owns its token and text arrays; xs_script_free releases them.
 */
#ifndef XS_PARSERS_SCRIPT_H
#define XS_PARSERS_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

typedef enum xs_slang {
    XS_SL_NONE = 0,
    XS_SL_CSHARP,
    XS_SL_VB,       /* VB.NET */
    XS_SL_VBSCRIPT, /* classic ASP */
    XS_SL_JSCRIPT,  /* JScript (.NET or classic) */
} xs_slang;

typedef enum xs_tkind {
    XS_TK_IDENT = 1,
    XS_TK_STR,
    XS_TK_NUM,
    XS_TK_PUNCT,
    XS_TK_END, /* end of a statement-free region: a region boundary */
} xs_tkind;

/* What folding did to produce a token (bits). */
enum {
    XS_TF_CONCAT = 1u << 0,
    XS_TF_CHR = 1u << 1,
    XS_TF_REVERSE = 1u << 2,
    XS_TF_UNESCAPE = 1u << 3,
    XS_TF_BASE64 = 1u << 4,
    XS_TF_XOR = 1u << 5,
    XS_TF_UESC = 1u << 6, /* \uXXXX or \xXX escapes in an identifier or string */
    XS_TF_REPLACE = 1u << 7,
    XS_TF_ENCODED = 1u << 8, /* Script Encoder block (#@~^ ... ^#~@) */
    XS_TF_EVALSTR = 1u << 9, /* code given to an evaluator as a constant string */
    XS_TF_UTF7 = 1u << 10,   /* the page declares codepage 65000 and is read as UTF-7 */
};

typedef struct xs_tok {
    uint8_t kind;  /* xs_tkind */
    uint8_t lang;  /* xs_slang of the region */
    uint8_t layer; /* 0: as written; n: decoded from a literal n times */
    char punct;    /* XS_TK_PUNCT: the character */
    uint16_t how;  /* XS_TF_* bits that made it */
    uint32_t line; /* 1-based line in the file (of the literal, for decoded code) */
    uint32_t off, len; /* text: xs_script.text[off..off+len) (NUL-terminated) */
    int64_t num;       /* XS_TK_NUM */
} xs_tok;

typedef enum xs_sctl_kind {
    XS_CTL_INPUT = 1, /* a control whose value the client sets (TextBox, input, textarea...) */
    XS_CTL_FILE,      /* a file upload control */
} xs_sctl_kind;

typedef struct xs_sctl {
    uint32_t off, len; /* id, lowercase, in text */
    uint32_t line;
    uint8_t kind; /* xs_sctl_kind */
} xs_sctl;

typedef struct xs_script {
    xs_tok *tok;
    size_t ntok, captok;
    char *text;
    size_t ntext, captext;
    xs_sctl *ctl;
    size_t nctl, capctl;
    xs_slang lang;     /* the page's language (directive, else the extension's default) */
    char inherits[128]; /* the directive's Inherits, "" when none */
    char codefile[128]; /* CodeFile, CodeBehind or Src, "" when none */
    uint32_t regions;   /* server code regions read */
    uint16_t how;       /* every XS_TF_* bit seen in the file */
    uint32_t encoded_line; /* first Script Encoder block, 0 when none */
    uint32_t ndecoded;     /* literals read again as code (XS_SCRIPT_MAX_DECODES) */
    bool rest_is_code;  /* a handler or service file: code follows its directive */
    bool truncated;     /* a cap was reached: the code was read in part */
    bool text_full;     /* XS_SCRIPT_MAX_TEXT was reached: folding stops */
    bool failed;        /* out of memory: the code was read in part */
} xs_script;

/* The default language and reading mode for a lowercase extension (".aspx"), or XS_SL_NONE when
 * the reader does not handle the extension. */
xs_slang xs_script_ext_lang(const char *ext);

/* Reads buf[0..n) (at most XS_SCRIPT_MAX_BYTES of it) as a server script with extension ext
 * (lowercase, with the dot; ".config" for web.config). s is initialised here. Returns false only
 * when out of memory (s->failed; what was read is kept and must still be freed). */
bool xs_script_read(const char *buf, size_t n, const char *ext, xs_script *s);
void xs_script_free(xs_script *s);

/* The text of a token. */
static inline xs_str xs_tok_text(const xs_script *s, const xs_tok *t)
{
    return xs_str_make(s->text + t->off, t->len);
}

/* True when t is an identifier equal to lit (ASCII case-insensitive). */
bool xs_tok_is(const xs_script *s, const xs_tok *t, const char *lit);
/* True when t is the punctuation character c. */
static inline bool xs_tok_p(const xs_tok *t, char c)
{
    return t->kind == XS_TK_PUNCT && t->punct == c;
}

#endif
