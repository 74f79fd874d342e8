/* The Sigma module's insides: the YAML tree (yaml.c), a compiled rule (compile.c, cond.c) and
 * the set (load.c). */
#ifndef XS_SIGMA_INTERNAL_H
#define XS_SIGMA_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "sigma/sigma.h"

/* ---- YAML (yaml.c): documents read into a tree in an arena, every size capped ---- */
typedef enum { XS_Y_SCALAR, XS_Y_SEQ, XS_Y_MAP } xs_ykind;

typedef struct xs_ynode xs_ynode;
struct xs_ynode {
    xs_ykind kind;
    bool plain;                    /* a plain (unquoted) scalar: null, ~ and numbers are */
    const char *s;                 /* a scalar's text, NUL-terminated */
    size_t n;
    size_t count;                  /* items of a sequence; keys plus values of a map */
    xs_ynode *first, *last, *next; /* children; a map's keys and values alternate */
    unsigned long line;            /* 1-based */
};

/* The documents of buf[0..n) as the children of a sequence node, or NULL with a reason in err
 * ("yaml: ...", "limit: ...", or "out of memory"). Everything lives in a. */
xs_ynode *xs_yaml_parse(const char *buf, size_t n, xs_arena *a, char *err, size_t errcap);
/* The value of key in map m (its last occurrence), or NULL. */
const xs_ynode *xs_ymap_get(const xs_ynode *m, const char *key);
/* A null scalar: plain null, Null, NULL, ~ or nothing. */
bool xs_ynull(const xs_ynode *v);

/* ---- A compiled rule ---- */
enum {
    XS_GA_ANY1 = 256, /* ? : one character */
    XS_GA_STAR,       /* * : any run */
    XS_GA_DASH        /* windash: - / and the en dash, em dash and horizontal bar */
};

/* The shapes most values take, matched without the general loop: the literal is the atoms
 * between the stars (bytes only). */
typedef enum { XS_GS_GENERAL, XS_GS_EXACT, XS_GS_PREFIX, XS_GS_SUFFIX, XS_GS_CONTAINS } xs_gshape;

typedef struct xs_glob {
    const uint16_t *atom; /* bytes (lowercase unless cased) and XS_GA_* */
    size_t n;
    xs_gshape shape;
    const uint16_t *lit;  /* the literal of a shape other than GENERAL */
    size_t nlit;
} xs_glob;

/* g's shape and literal from its atoms. match.c */
void xs_glob_shape(xs_glob *g);

typedef enum { XS_SOP_GLOB, XS_SOP_RE, XS_SOP_NUM, XS_SOP_CIDR, XS_SOP_EXISTS,
               XS_SOP_FIELDREF } xs_sop;
typedef enum { XS_CMP_EQ, XS_CMP_LT, XS_CMP_LTE, XS_CMP_GT, XS_CMP_GTE } xs_scmp;
typedef enum { XS_TP_NONE, XS_TP_MINUTE, XS_TP_HOUR, XS_TP_DAY, XS_TP_WEEK, XS_TP_MONTH,
               XS_TP_YEAR } xs_stime;

typedef struct xs_sval {
    bool null;              /* the YAML null: the field is absent or empty */
    const xs_glob *alt;     /* GLOB and FIELDREF: the strings it may be (OR) */
    size_t nalt;
    pcre2_code *re;         /* RE (owned by the set) */
    double num;             /* NUM */
    uint8_t net[16];        /* CIDR: network, its prefix length and family (4 or 6) */
    int prefix, family;
    const char *ref;        /* FIELDREF: the other field */
} xs_sval;

typedef struct xs_sitem {
    const char *field;      /* NULL: a keyword search over every value */
    xs_sop op;
    xs_scmp cmp;
    xs_stime part;
    bool all, cased, neq, want; /* want: exists' true or false */
    uint8_t fref_mode;      /* FIELDREF: 0 equal, 1 contains, 2 startswith, 3 endswith */
    const xs_sval *val;
    size_t nval;
} xs_sitem;

typedef struct xs_sgroup {  /* a map: every item (AND) */
    const xs_sitem *item;
    size_t n;
} xs_sgroup;

typedef struct xs_ssel {    /* a search identifier: any group (OR) */
    const char *name;
    const xs_sgroup *group;
    size_t n;
} xs_ssel;

typedef enum { XS_CN_SEL, XS_CN_AND, XS_CN_OR, XS_CN_NOT, XS_CN_OF } xs_cnkind;
typedef struct xs_cnode {
    xs_cnkind kind;
    uint32_t a, b;          /* children (AND, OR; NOT uses a); SEL: the selection */
    uint32_t need;          /* OF: how many (0: all) */
    const uint32_t *sels;   /* OF: the selections it counts */
    size_t nsels;
} xs_cnode;

struct xs_sigma_rule {
    xs_sigma_meta meta;
    const xs_ssel *sel;
    size_t nsel;
    const xs_cnode *cond;
    uint32_t root;
    /* the Windows log source, resolved once (winlog.c) */
    int8_t wkind;           /* unmapped, product only, a service, a category */
    int8_t wsvc;            /* the service (an index of winlog.c's table), or -1 */
    uint8_t wcat, wncat;    /* the category's entries in winlog.c's table */
};

/* Resolves r's log source against the Windows table (winlog.c); load.c calls it. */
void xs_sigma_win_resolve(xs_sigma_rule *r);

/* The values of one placeholder (xs_sigma_set_placeholder). */
typedef struct xs_splace {
    const char *const *value;
    size_t n;
} xs_splace;

/* The compiler's state for one rule: where the results go and why it failed. */
typedef struct xs_sctx {
    xs_arena *a;
    const struct xs_strmap *ph; /* placeholder name to xs_splace, or NULL */
    pcre2_code ***res;      /* the set's list of regexes to free */
    size_t *nres, *capres;
    char reason[256];
    bool oom;
} xs_sctx;

/* Compiles one selection value (a map, a list of maps, a keyword list) into sel. false with
 * c->reason (or c->oom) set. compile.c */
bool xs_sigma_compile_sel(xs_sctx *c, const char *name, const xs_ynode *v, xs_ssel *sel);
/* Parses the condition text (or the list of them, OR) of a rule whose selections are sel.
 * cond.c */
bool xs_sigma_compile_cond(xs_sctx *c, const xs_ynode *cond, const xs_ssel *sel, size_t nsel,
                           xs_cnode **nodes, uint32_t *root);
/* c->reason = printf(...), false. */
bool xs_sfail(xs_sctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether text matches g, bytes compared ASCII case-insensitively unless cased (g's own
 * letters are lowercase then). match.c */
bool xs_glob_match(const xs_glob *g, xs_str text, bool cased);

#endif
