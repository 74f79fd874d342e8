/* Test support: ECS conformance of JSON lines (see ecs.h). A strict JSON reader of its own:
 * lib/parsers/json.c flattens for the event detectors (a leaf keeps only its own key, numbers
 * and strings look alike), which is not what a conformance check needs. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs.h"

#define MAX_DEPTH 64
#define SHOW 60 /* bytes of a value quoted in a message */

/* ------------------------------------------------------------------ the model */

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

typedef struct named_list {
    char *name;
    strlist values;
} named_list;

struct t_ecs {
    t_ecs_field *f; /* sorted by name */
    size_t nf, capf;
    named_list *allowed; /* per field */
    size_t nallowed, capallowed;
    named_list *cats; /* per category: its expected event types */
    size_t ncats, capcats;
    char *version;
};

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*v, nc * elem);
    if (!p)
        return -1;
    *v = p;
    *cap = nc;
    return 0;
}

static int strlist_add(strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return -1;
    char *d = strdup(s);
    if (!d || grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        free(d);
        return -1;
    }
    l->v[l->n++] = d;
    return 0;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

t_ecs *t_ecs_new(void)
{
    return calloc(1, sizeof(t_ecs));
}

void t_ecs_free(t_ecs *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nf; i++) {
        free(m->f[i].name);
        free(m->f[i].type);
        free(m->f[i].object_type);
    }
    free(m->f);
    for (size_t i = 0; i < m->nallowed; i++) {
        free(m->allowed[i].name);
        strlist_free(&m->allowed[i].values);
    }
    free(m->allowed);
    for (size_t i = 0; i < m->ncats; i++) {
        free(m->cats[i].name);
        strlist_free(&m->cats[i].values);
    }
    free(m->cats);
    free(m->version);
    free(m);
}

/* Index of the first field whose name is >= key[0..n) (binary search). */
static size_t lower(const t_ecs *m, const char *key, size_t n)
{
    size_t lo = 0, hi = m->nf;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *s = m->f[mid].name;
        size_t sl = strlen(s);
        int c = memcmp(s, key, sl < n ? sl : n);
        if (c < 0 || (c == 0 && sl < n))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const t_ecs_field *find(const t_ecs *m, const char *key, size_t n)
{
    size_t i = lower(m, key, n);
    if (i < m->nf && strlen(m->f[i].name) == n && memcmp(m->f[i].name, key, n) == 0)
        return &m->f[i];
    return NULL;
}

const t_ecs_field *t_ecs_field_get(const t_ecs *m, const char *name)
{
    return find(m, name, strlen(name));
}

const t_ecs_field *t_ecs_fields(const t_ecs *m, size_t *n)
{
    *n = m->nf;
    return m->f;
}

int t_ecs_add_field(t_ecs *m, const char *name, const char *type, bool array,
                    const char *object_type)
{
    size_t n = strlen(name), i = lower(m, name, n);
    if (i < m->nf && strcmp(m->f[i].name, name) == 0)
        return -1;
    if (grow((void **)&m->f, &m->capf, m->nf + 1, sizeof *m->f))
        return -1;
    t_ecs_field f = {strdup(name), strdup(type), object_type ? strdup(object_type) : NULL, array};
    if (!f.name || !f.type || (object_type && !f.object_type)) {
        free(f.name);
        free(f.type);
        free(f.object_type);
        return -1;
    }
    memmove(&m->f[i + 1], &m->f[i], (m->nf - i) * sizeof *m->f);
    m->f[i] = f;
    m->nf++;
    return 0;
}

static named_list *named(named_list **v, size_t *n, size_t *cap, const char *name, bool create)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].name, name) == 0)
            return &(*v)[i];
    if (!create || grow((void **)v, cap, *n + 1, sizeof **v))
        return NULL;
    named_list *l = &(*v)[*n];
    memset(l, 0, sizeof *l);
    if (!(l->name = strdup(name)))
        return NULL;
    (*n)++;
    return l;
}

int t_ecs_add_allowed(t_ecs *m, const char *field, const char *value)
{
    named_list *l = named(&m->allowed, &m->nallowed, &m->capallowed, field, true);
    return l ? strlist_add(&l->values, value) : -1;
}

int t_ecs_add_category_type(t_ecs *m, const char *category, const char *type)
{
    named_list *l = named(&m->cats, &m->ncats, &m->capcats, category, false);
    if (!l) {
        if (!(l = named(&m->cats, &m->ncats, &m->capcats, category, true)) ||
            t_ecs_add_allowed(m, "event.category", category))
            return -1;
    }
    return type ? strlist_add(&l->values, type) : 0;
}

int t_ecs_set_version(t_ecs *m, const char *version)
{
    char *v = strdup(version);
    if (!v)
        return -1;
    free(m->version);
    m->version = v;
    return 0;
}

const char *t_ecs_version(const t_ecs *m)
{
    return m->version;
}

const char *const *t_ecs_allowed(const t_ecs *m, const char *field, size_t *n)
{
    named_list *l = named((named_list **)&m->allowed, (size_t *)&m->nallowed, NULL, field, false);
    *n = l ? l->values.n : 0;
    return l ? (const char *const *)l->values.v : NULL;
}

const char *const *t_ecs_category_types(const t_ecs *m, const char *category, size_t *n)
{
    named_list *l = named((named_list **)&m->cats, (size_t *)&m->ncats, NULL, category, false);
    *n = l ? l->values.n : 0;
    return l ? (const char *const *)l->values.v : NULL;
}

const char *t_ecs_json_of(const char *type, const char *object_type)
{
    static const struct {
        const char *json, *types;
    } map[] = {
        {"string", " keyword wildcard constant_keyword text match_only_text "},
        {"integer", " long integer short byte unsigned_long "},
        {"number", " float double scaled_float half_float "},
        {"boolean", " boolean "},
        {"date", " date date_nanos "},
        {"ip", " ip "},
        {"geo_point", " geo_point "},
        {"object", " flattened nested "},
    };
    if (strcmp(type, "object") == 0)
        return object_type && strcmp(object_type, "keyword") == 0 ? "{string}" : "object";
    char pat[64];
    if (strlen(type) + 3 > sizeof pat)
        return NULL;
    snprintf(pat, sizeof pat, " %s ", type);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strstr(map[i].types, pat))
            return map[i].json;
    return NULL;
}

/* ------------------------------------------------------------------ the field list */

static char *next_word(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return NULL;
    char *w = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    if (*s)
        *s++ = 0;
    *p = s;
    return w;
}

int t_ecs_load_list(t_ecs *m, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    unsigned long ln = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        char *p = line, *kw = next_word(&p);
        if (!kw || kw[0] == '#')
            continue;
        const char *why = NULL;
        if (strcmp(kw, "version") == 0) {
            char *v = next_word(&p);
            if (!v || next_word(&p))
                why = "want: version X.Y.Z";
            else if (t_ecs_set_version(m, v))
                why = "out of memory";
        } else if (strcmp(kw, "field") == 0) {
            char *name = next_word(&p), *type = next_word(&p), *json = next_word(&p);
            if (!name || !type || !json || next_word(&p)) {
                why = "want: field NAME ECS-TYPE JSON";
            } else {
                size_t jl = strlen(json);
                bool array = jl > 2 && json[0] == '[' && json[jl - 1] == ']';
                if (array) {
                    json[jl - 1] = 0;
                    json++;
                }
                const char *ot = strcmp(json, "{string}") == 0 ? "keyword" : NULL;
                const char *want = t_ecs_json_of(type, ot);
                if (!want)
                    why = "ECS type unknown to ecscheck";
                else if (strcmp(want, json) != 0)
                    why = "JSON column does not follow from the ECS type";
                else if (t_ecs_add_field(m, name, type, array, ot))
                    why = "field listed twice";
            }
        } else if (strcmp(kw, "allowed") == 0 || strcmp(kw, "category") == 0) {
            char *name = next_word(&p), *v;
            if (!name)
                why = "want: allowed FIELD VALUE... or category NAME TYPE...";
            else if (kw[0] == 'c' && t_ecs_add_category_type(m, name, NULL))
                why = "category listed twice";
            while (!why && (v = next_word(&p)))
                if (kw[0] == 'a' ? t_ecs_add_allowed(m, name, v)
                                 : t_ecs_add_category_type(m, name, v))
                    why = "value listed twice";
        } else {
            why = "unknown line (version, field, allowed, category)";
        }
        if (why) {
            snprintf(err, errlen, "%s:%lu: %s", path, ln, why);
            rc = -1;
        }
    }
    free(line);
    fclose(f);
    if (rc == 0 && !m->version) {
        snprintf(err, errlen, "%s: no version line", path);
        rc = -1;
    }
    return rc;
}

/* ------------------------------------------------------------------ JSON */

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jnode {
    jtype t;
    char *key; /* of an object member, decoded; NULL in arrays */
    size_t keyn;
    char *s; /* J_STR decoded, J_NUM its text */
    size_t n;
    bool integer; /* J_NUM without fraction or exponent */
    struct jnode *kid;
    size_t nkid, capkid;
} jnode;

typedef struct jparser {
    const char *p, *end, *start;
    char err[160];
} jparser;

static void jfree(jnode *j)
{
    for (size_t i = 0; i < j->nkid; i++)
        jfree(&j->kid[i]);
    free(j->kid);
    free(j->key);
    free(j->s);
}

static int jfail(jparser *jp, const char *why)
{
    if (!jp->err[0])
        snprintf(jp->err, sizeof jp->err, "not valid JSON at byte %zu: %s",
                 (size_t)(jp->p - jp->start) + 1, why);
    return -1;
}

static void ws(jparser *jp)
{
    while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
        jp->p++;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Length of the valid UTF-8 sequence at p (strict: no overlong forms, no surrogates, at most
 * U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

static int jstring(jparser *jp, char **out, size_t *outn)
{
    jp->p++; /* the opening quote */
    char *o = malloc((size_t)(jp->end - jp->p) + 1);
    size_t n = 0;
    if (!o)
        return jfail(jp, "out of memory");
    while (jp->p < jp->end && *jp->p != '"') {
        unsigned char c = (unsigned char)*jp->p;
        if (c < 0x20) {
            free(o);
            return jfail(jp, "control character in a string");
        }
        if (c != '\\') {
            size_t k = utf8_len((const unsigned char *)jp->p, (const unsigned char *)jp->end);
            if (!k) {
                free(o);
                return jfail(jp, "invalid UTF-8 in a string");
            }
            memcpy(o + n, jp->p, k);
            n += k;
            jp->p += k;
            continue;
        }
        if (jp->end - jp->p < 2) {
            free(o);
            return jfail(jp, "unfinished escape");
        }
        char e = jp->p[1];
        jp->p += 2;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (simple && e) {
            static const char to[] = "\"\\/\b\f\n\r\t";
            o[n++] = to[simple - "\"\\/bfnrt"];
            continue;
        }
        unsigned cp, lo;
        if (e != 'u' || jp->end - jp->p < 4 || hex4(jp->p, &cp)) {
            free(o);
            return jfail(jp, "bad escape");
        }
        jp->p += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (jp->end - jp->p < 6 || jp->p[0] != '\\' || jp->p[1] != 'u' ||
                hex4(jp->p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff) {
                free(o);
                return jfail(jp, "lone surrogate escape");
            }
            jp->p += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            free(o);
            return jfail(jp, "lone surrogate escape");
        }
        n += put_utf8(o + n, cp);
    }
    if (jp->p >= jp->end) {
        free(o);
        return jfail(jp, "unterminated string");
    }
    jp->p++;
    o[n] = 0;
    *out = o;
    *outn = n;
    return 0;
}

static int jnumber(jparser *jp, jnode *j)
{
    const char *s = jp->p;
    bool integer = true;
    if (jp->p < jp->end && *jp->p == '-')
        jp->p++;
    if (jp->p < jp->end && *jp->p == '0') {
        jp->p++;
    } else if (jp->p < jp->end && *jp->p >= '1' && *jp->p <= '9') {
        while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
            jp->p++;
    } else {
        return jfail(jp, "bad number");
    }
    if (jp->p < jp->end && *jp->p == '.') {
        integer = false;
        jp->p++;
        if (jp->p >= jp->end || *jp->p < '0' || *jp->p > '9')
            return jfail(jp, "bad number");
        while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
            jp->p++;
    }
    if (jp->p < jp->end && (*jp->p == 'e' || *jp->p == 'E')) {
        integer = false;
        jp->p++;
        if (jp->p < jp->end && (*jp->p == '+' || *jp->p == '-'))
            jp->p++;
        if (jp->p >= jp->end || *jp->p < '0' || *jp->p > '9')
            return jfail(jp, "bad number");
        while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
            jp->p++;
    }
    j->t = J_NUM;
    j->integer = integer;
    j->n = (size_t)(jp->p - s);
    if (!(j->s = strndup(s, j->n)))
        return jfail(jp, "out of memory");
    return 0;
}

static int jvalue(jparser *jp, jnode *j, int depth);

static int jadd(jparser *jp, jnode *parent, jnode **kid)
{
    if (grow((void **)&parent->kid, &parent->capkid, parent->nkid + 1, sizeof *parent->kid))
        return jfail(jp, "out of memory");
    *kid = &parent->kid[parent->nkid++];
    memset(*kid, 0, sizeof **kid);
    return 0;
}

static int jcontainer(jparser *jp, jnode *j, int depth)
{
    bool obj = *jp->p == '{';
    char close = obj ? '}' : ']';
    j->t = obj ? J_OBJ : J_ARR;
    if (depth >= MAX_DEPTH)
        return jfail(jp, "nested too deep");
    jp->p++;
    ws(jp);
    if (jp->p < jp->end && *jp->p == close) {
        jp->p++;
        return 0;
    }
    for (;;) {
        jnode *k;
        if (jadd(jp, j, &k))
            return -1;
        ws(jp);
        if (obj) {
            if (jp->p >= jp->end || *jp->p != '"')
                return jfail(jp, "expected a key");
            if (jstring(jp, &k->key, &k->keyn))
                return -1;
            if (memchr(k->key, 0, k->keyn))
                return jfail(jp, "U+0000 in a key");
            for (size_t i = 0; i + 1 < j->nkid; i++)
                if (j->kid[i].keyn == k->keyn && memcmp(j->kid[i].key, k->key, k->keyn) == 0)
                    return jfail(jp, "duplicated key");
            ws(jp);
            if (jp->p >= jp->end || *jp->p != ':')
                return jfail(jp, "expected ':'");
            jp->p++;
            ws(jp);
        }
        if (jvalue(jp, k, depth + 1))
            return -1;
        ws(jp);
        if (jp->p < jp->end && *jp->p == ',') {
            jp->p++;
            continue;
        }
        if (jp->p < jp->end && *jp->p == close) {
            jp->p++;
            return 0;
        }
        return jfail(jp, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int jvalue(jparser *jp, jnode *j, int depth)
{
    if (jp->p >= jp->end)
        return jfail(jp, "unexpected end");
    switch (*jp->p) {
    case '{':
    case '[':
        return jcontainer(jp, j, depth);
    case '"':
        j->t = J_STR;
        return jstring(jp, &j->s, &j->n);
    case 't':
    case 'f':
    case 'n': {
        static const struct {
            const char *w;
            jtype t;
        } lit[] = {{"true", J_TRUE}, {"false", J_FALSE}, {"null", J_NULL}};
        for (size_t i = 0; i < 3; i++) {
            size_t l = strlen(lit[i].w);
            if ((size_t)(jp->end - jp->p) >= l && memcmp(jp->p, lit[i].w, l) == 0) {
                j->t = lit[i].t;
                jp->p += l;
                return 0;
            }
        }
        return jfail(jp, "bad literal");
    }
    default:
        return jnumber(jp, j);
    }
}

/* ------------------------------------------------------------------ checking */

typedef struct check {
    const t_ecs *m;
    t_ecs_report fn;
    void *ctx;
    size_t problems;
    const jnode *category, *type; /* event.category and event.type when given */
    bool timestamp, version;
    strlist seen;    /* fields given, outside arrays of objects */
    unsigned arrays; /* depth of arrays of objects being walked */
} check;

static void problem(check *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(check *c, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->fn)
        c->fn(c->ctx, field, msg);
}

/* A value for a message: quoted, cut, control bytes and quotes escaped. Static buffer. */
static const char *show(const char *s, size_t n)
{
    static char buf[SHOW * 4 + 8];
    size_t o = 0;
    buf[o++] = '\'';
    for (size_t i = 0; i < n && i < SHOW; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\')
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    if (n > SHOW)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "...");
    buf[o++] = '\'';
    buf[o] = 0;
    return buf;
}

static const char *jname(jtype t)
{
    static const char *const names[] = {"null", "false", "true", "a number", "a string",
                                        "an array", "an object"};
    return names[t];
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM), a real calendar day. */
static bool iso_datetime(const char *s, size_t n)
{
    if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
        s[16] != ':')
        return false;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2),
        mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 ||
        se > 60)
        return false;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > dim)
        return false;
    size_t i = 19;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == f || i - f > 9)
            return false;
    }
    if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
        return true;
    if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int zh = digits(s + i + 1, 2), zm = digits(s + i + 4, 2);
        return zh >= 0 && zh <= 23 && zm >= 0 && zm <= 59;
    }
    return false;
}

static bool ip_text(const char *s, size_t n)
{
    char buf[64];
    unsigned char out[16];
    if (n == 0 || n >= sizeof buf || memchr(s, 0, n))
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    return inet_pton(AF_INET, buf, out) == 1 || inet_pton(AF_INET6, buf, out) == 1;
}

static bool int_in_range(const jnode *j, const char *type)
{
    errno = 0;
    if (strcmp(type, "unsigned_long") == 0) {
        if (j->s[0] == '-')
            return false;
        strtoull(j->s, NULL, 10);
        return errno == 0;
    }
    long long v = strtoll(j->s, NULL, 10);
    if (errno)
        return false;
    if (strcmp(type, "integer") == 0)
        return v >= INT32_MIN && v <= INT32_MAX;
    if (strcmp(type, "short") == 0)
        return v >= INT16_MIN && v <= INT16_MAX;
    if (strcmp(type, "byte") == 0)
        return v >= INT8_MIN && v <= INT8_MAX;
    return true; /* long */
}

static bool number(const jnode *j, double lo, double hi)
{
    if (j->t != J_NUM)
        return false;
    double v = strtod(j->s, NULL);
    return v >= lo && v <= hi;
}

static bool geo_point(const jnode *j)
{
    if (j->t == J_OBJ) {
        const jnode *lat = NULL, *lon = NULL;
        for (size_t i = 0; i < j->nkid; i++) {
            if (strcmp(j->kid[i].key, "lat") == 0)
                lat = &j->kid[i];
            else if (strcmp(j->kid[i].key, "lon") == 0)
                lon = &j->kid[i];
            else
                return false;
        }
        return lat && lon && number(lat, -90, 90) && number(lon, -180, 180);
    }
    if (j->t == J_ARR)
        return j->nkid == 2 && number(&j->kid[0], -180, 180) && number(&j->kid[1], -90, 90);
    if (j->t == J_STR) {
        char *e;
        double lat = strtod(j->s, &e);
        if (e == j->s || *e != ',')
            return false;
        const char *q = e + 1;
        while (*q == ' ')
            q++;
        double lon = strtod(q, &e);
        return e != q && *e == 0 && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
    }
    return false;
}

/* One scalar value of field f (an array item or the value itself). */
static void scalar(check *c, const char *path, const t_ecs_field *f, const jnode *j)
{
    const char *json = t_ecs_json_of(f->type, f->object_type);
    if (!json) {
        problem(c, path, "ECS type '%s' unknown to ecscheck", f->type);
        return;
    }
    if (j->t == J_NULL) {
        problem(c, path, "null (leave the field out instead)");
        return;
    }
    if (strcmp(json, "string") == 0 || strcmp(json, "date") == 0 || strcmp(json, "ip") == 0) {
        if (j->t != J_STR)
            problem(c, path, "%s, expected a string (ECS type %s)", jname(j->t), f->type);
        else if (json[0] == 'd' && !iso_datetime(j->s, j->n))
            problem(c, path, "%s is not an ISO-8601 date-time with a time zone", show(j->s, j->n));
        else if (json[0] == 'i' && !ip_text(j->s, j->n))
            problem(c, path, "%s is not an IPv4 or IPv6 address", show(j->s, j->n));
    } else if (strcmp(json, "integer") == 0) {
        if (j->t != J_NUM || !j->integer)
            problem(c, path, "%s, expected an integer (ECS type %s)",
                    j->t == J_NUM ? "a number with a fraction or exponent" : jname(j->t),
                    f->type);
        else if (!int_in_range(j, f->type))
            problem(c, path, "%s is out of range for ECS type %s", j->s, f->type);
    } else if (strcmp(json, "number") == 0) {
        if (j->t != J_NUM)
            problem(c, path, "%s, expected a number (ECS type %s)", jname(j->t), f->type);
    } else if (strcmp(json, "boolean") == 0) {
        if (j->t != J_TRUE && j->t != J_FALSE)
            problem(c, path, "%s, expected true or false", jname(j->t));
    } else if (strcmp(json, "geo_point") == 0) {
        if (!geo_point(j))
            problem(c, path, "not a geo_point ({\"lat\":N,\"lon\":N}, \"lat,lon\" or [lon,lat])");
    } else {
        problem(c, path, "%s, expected an object (ECS type %s)", jname(j->t), f->type);
    }
    if (j->t == J_STR) {
        size_t na;
        const char *const *allowed = t_ecs_allowed(c->m, path, &na);
        bool ok = na == 0;
        for (size_t i = 0; i < na && !ok; i++)
            ok = strlen(allowed[i]) == j->n && memcmp(allowed[i], j->s, j->n) == 0;
        if (!ok)
            problem(c, path, "%s is not an allowed value", show(j->s, j->n));
    }
}

static void walk(check *c, const jnode *j, char *path, size_t plen, size_t cap,
                 const t_ecs_field *in_object);

/* The value j of path, whose field is f. */
static void field(check *c, const jnode *j, char *path, size_t plen, size_t cap,
                  const t_ecs_field *f)
{
    if (!c->arrays && strlist_add(&c->seen, path) != 0)
        problem(c, path, "given twice (as a dotted key and nested, or twice dotted)");
    const char *type = f->type;
    bool flattened = strcmp(type, "flattened") == 0, nested = strcmp(type, "nested") == 0,
         object = strcmp(type, "object") == 0, geo = strcmp(type, "geo_point") == 0;
    if (strcmp(path, "event.category") == 0)
        c->category = j;
    else if (strcmp(path, "event.type") == 0)
        c->type = j;
    else if (strcmp(path, "@timestamp") == 0)
        c->timestamp = true;
    else if (strcmp(path, "ecs.version") == 0) {
        c->version = true;
        if (j->t == J_STR && c->m->version &&
            (strlen(c->m->version) != j->n || memcmp(c->m->version, j->s, j->n) != 0))
            problem(c, path, "%s, the schema is ECS %s", show(j->s, j->n), c->m->version);
    }
    if (flattened)
        return; /* any object, or array of objects */
    if (geo) {
        if (!geo_point(j))
            problem(c, path, "not a geo_point ({\"lat\":N,\"lon\":N}, \"lat,lon\" or [lon,lat])");
        return;
    }
    if (j->t == J_ARR) {
        if (!f->array)
            problem(c, path, "an array, but ECS declares a single value (no normalize: array)");
        for (size_t i = 0; i < j->nkid; i++) {
            const jnode *k = &j->kid[i];
            if (k->t == J_ARR)
                problem(c, path, "an array inside an array");
            else if (k->t == J_OBJ && (nested || object)) {
                c->arrays++;
                walk(c, k, path, plen, cap, object ? f : NULL);
                c->arrays--;
            } else
                scalar(c, path, f, k);
        }
        return;
    }
    if (f->array && j->t != J_OBJ)
        problem(c, path, "a single value, but ECS normalizes this field to an array");
    if (j->t == J_OBJ && (nested || object)) {
        if (nested && f->array)
            problem(c, path, "an object, but ECS normalizes this field to an array of objects");
        walk(c, j, path, plen, cap, object ? f : NULL);
        return;
    }
    scalar(c, path, f, j);
}

/* The members of object j, whose path is path[0..plen) (plen 0 at the top). in_object: the
 * nearest enclosing field of type object, whose members need not be in the model. */
static void walk(check *c, const jnode *j, char *path, size_t plen, size_t cap,
                 const t_ecs_field *in_object)
{
    for (size_t i = 0; i < j->nkid; i++) {
        const jnode *k = &j->kid[i];
        size_t need = plen + (plen ? 1 : 0) + k->keyn;
        if (need + 1 > cap) {
            problem(c, "-", "field name longer than %zu bytes", cap - 1);
            continue;
        }
        size_t n = plen;
        if (plen)
            path[n++] = '.';
        memcpy(path + n, k->key, k->keyn);
        n += k->keyn;
        path[n] = 0;
        if (strncmp(path, "exsweep.", 8) == 0 || (strcmp(path, "exsweep") == 0 && k->t == J_OBJ))
            goto next; /* the custom namespace */
        const t_ecs_field *f = find(c->m, path, n);
        if (f) {
            field(c, k, path, n, cap, f);
        } else if (k->t == J_OBJ) {
            walk(c, k, path, n, cap, in_object);
        } else if (k->t == J_ARR && k->nkid && k->kid[0].t == J_OBJ && !in_object) {
            c->arrays++;
            for (size_t e = 0; e < k->nkid; e++)
                if (k->kid[e].t == J_OBJ)
                    walk(c, &k->kid[e], path, n, cap, NULL);
                else
                    problem(c, path, "not an ECS field");
            c->arrays--;
        } else if (in_object) {
            if (in_object->object_type && strcmp(in_object->object_type, "keyword") == 0) {
                t_ecs_field as = {path, "keyword", NULL, false};
                if (k->t == J_ARR)
                    for (size_t e = 0; e < k->nkid; e++)
                        scalar(c, path, &as, &k->kid[e]);
                else
                    scalar(c, path, &as, k);
            }
        } else {
            problem(c, path, "not an ECS field (nor under exsweep.)");
        }
    next:
        path[plen] = 0;
    }
}

static bool holds(const jnode *j, const char *s)
{
    return j->t == J_STR && strlen(s) == j->n && memcmp(s, j->s, j->n) == 0;
}

/* Each event.type must be expected by at least one of the record's categories. */
static void pairs(check *c)
{
    if (!c->type)
        return;
    const jnode *types = c->type, *cats = c->category;
    size_t nt = types->t == J_ARR ? types->nkid : 1;
    if (!cats) {
        problem(c, "event.type", "given without event.category");
        return;
    }
    size_t nc = cats->t == J_ARR ? cats->nkid : 1;
    for (size_t i = 0; i < nt; i++) {
        const jnode *t = types->t == J_ARR ? &types->kid[i] : types;
        if (t->t != J_STR)
            continue;
        bool ok = false;
        char given[256] = "";
        size_t gl = 0;
        for (size_t k = 0; k < nc && !ok; k++) {
            const jnode *cat = cats->t == J_ARR ? &cats->kid[k] : cats;
            if (cat->t != J_STR)
                continue;
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(cat->n < 100 ? cat->n : 100), cat->s);
            size_t ne;
            const char *const *exp = t_ecs_category_types(c->m, name, &ne);
            for (size_t e = 0; e < ne && !ok; e++)
                ok = holds(t, exp[e]);
            if (exp && gl < sizeof given) {
                gl += (size_t)snprintf(given + gl, sizeof given - gl, "%s%s (", gl ? "; " : "", name);
                for (size_t e = 0; e < ne && gl < sizeof given; e++)
                    gl += (size_t)snprintf(given + gl, sizeof given - gl, "%s%s", e ? " " : "", exp[e]);
                if (gl < sizeof given)
                    gl += (size_t)snprintf(given + gl, sizeof given - gl, ")");
            }
        }
        if (!ok)
            problem(c, "event.type", "%s is not expected by any given event.category%s%s",
                    show(t->s, t->n), given[0] ? ": " : "", given);
    }
}

/* Parses line as one JSON object into root: 0, or -1 with the problem said (root freed). */
static int parse_record(check *c, const char *line, size_t n, jnode *root)
{
    jparser jp = {line, line + n, line, ""};
    ws(&jp);
    if (jp.p == jp.end || *jp.p != '{') {
        problem(c, "-", jp.p == jp.end ? "empty line" : "not a JSON object");
        return -1;
    }
    int rc = jvalue(&jp, root, 0);
    if (rc == 0) {
        ws(&jp);
        if (jp.p != jp.end)
            rc = jfail(&jp, "text after the object");
    }
    if (rc != 0) {
        problem(c, "-", "%s", jp.err);
        jfree(root);
        return -1;
    }
    return 0;
}

size_t t_ecs_check_record(const t_ecs *m, const char *line, size_t n, t_ecs_report fn,
                          void *ctx)
{
    check c = {m, fn, ctx, 0, NULL, NULL, false, false, {0}, 0};
    jnode root = {0};
    if (parse_record(&c, line, n, &root))
        return c.problems;
    char path[1024];
    path[0] = 0;
    walk(&c, &root, path, 0, sizeof path, NULL);
    pairs(&c);
    if (!c.timestamp)
        problem(&c, "@timestamp", "missing");
    if (!c.version)
        problem(&c, "ecs.version", "missing");
    strlist_free(&c.seen);
    jfree(&root);
    return c.problems;
}

typedef struct file_ctx {
    FILE *out;
    const char *path;
    unsigned long line;
} file_ctx;

static void print_problem(void *ctx, const char *field, const char *why)
{
    file_ctx *f = ctx;
    fprintf(f->out, "%s:%lu: %s: %s\n", f->path, f->line, field, why);
}

typedef size_t (*record_fn)(const t_ecs *m, const char *line, size_t n, t_ecs_report fn,
                            void *ctx);

/* Every line of path through check_one, problems printed to out. */
static long check_lines(const t_ecs *m, record_fn check_one, const char *path, FILE *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(out, "%s:0: -: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    file_ctx fc = {out, path, 0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long problems = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        fc.line++;
        size_t n = (size_t)len;
        if (n && line[n - 1] == '\n')
            n--;
        problems += (long)check_one(m, line, n, print_problem, &fc);
    }
    if (ferror(f)) {
        fprintf(out, "%s:%lu: -: read error\n", path, fc.line);
        problems = -1;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return problems;
}

long t_ecs_check_file(const t_ecs *m, const char *path, FILE *out)
{
    return check_lines(m, t_ecs_check_record, path, out);
}

/* ------------------------------------------------------------------ Timesketch */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The microseconds since the epoch of a date iso_datetime accepts (fractions past the
 * microsecond cut). */
static long long iso_micros(const char *s, size_t n)
{
    long long days = days_from_civil(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2));
    long long sec = days * 86400 + digits(s + 11, 2) * 3600 + digits(s + 14, 2) * 60 +
                    digits(s + 17, 2);
    long long frac = 0;
    size_t i = 19;
    if (s[i] == '.') {
        int k = 0;
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
            if (k < 6)
                frac = frac * 10 + (s[i] - '0');
        for (; k < 6; k++)
            frac *= 10;
    }
    if (s[i] == '+' || s[i] == '-') {
        long long off = digits(s + i + 1, 2) * 3600 + digits(s + i + 4, 2) * 60;
        sec -= s[i] == '+' ? off : -off;
    }
    return sec * 1000000 + frac;
}

static const jnode *member(const jnode *obj, const char *key)
{
    for (size_t i = 0; i < obj->nkid; i++)
        if (obj->kid[i].keyn == strlen(key) && memcmp(obj->kid[i].key, key, obj->kid[i].keyn) == 0)
            return &obj->kid[i];
    return NULL;
}

size_t t_ts_check_record(const char *line, size_t n, t_ecs_report fn, void *ctx)
{
    check c = {NULL, fn, ctx, 0, NULL, NULL, false, false, {0}, 0};
    jnode root = {0};
    if (parse_record(&c, line, n, &root))
        return c.problems;
    for (size_t i = 0; i < root.nkid; i++) {
        const jnode *k = &root.kid[i];
        bool name = k->keyn > 0;
        for (size_t j = 0; j < k->keyn; j++) {
            char ch = k->key[j];
            name &= (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        }
        if (!name)
            problem(&c, "-", "key %s is not a field name ([a-z0-9_])", show(k->key, k->keyn));
        if (k->t == J_OBJ || k->t == J_ARR || k->t == J_NULL)
            problem(&c, name ? k->key : "-", "%s: a record is flat (strings, numbers, booleans)",
                    jname(k->t));
    }
    static const char *const text[] = {"message", "datetime", "timestamp_desc"};
    for (size_t i = 0; i < 3; i++) {
        const jnode *k = member(&root, text[i]);
        if (!k)
            problem(&c, text[i], "missing");
        else if (k->t != J_STR || k->n == 0)
            problem(&c, text[i], "%s, expected a string that is not empty", jname(k->t));
    }
    const jnode *dt = member(&root, "datetime"), *ts = member(&root, "timestamp");
    bool date = dt && dt->t == J_STR && iso_datetime(dt->s, dt->n);
    if (dt && dt->t == J_STR && !date)
        problem(&c, "datetime", "%s is not an ISO 8601 date and time with a zone",
                show(dt->s, dt->n));
    if (!ts)
        problem(&c, "timestamp", "missing");
    else if (ts->t != J_NUM || !ts->integer)
        problem(&c, "timestamp", "%s, expected an integer (microseconds since the epoch)",
                ts->t == J_NUM ? "a fraction" : jname(ts->t));
    else if (date && strtoll(ts->s, NULL, 10) != iso_micros(dt->s, dt->n))
        problem(&c, "timestamp", "%s is not the microseconds of datetime %s", ts->s,
                show(dt->s, dt->n));
    jfree(&root);
    return c.problems;
}

static size_t ts_record(const t_ecs *m, const char *line, size_t n, t_ecs_report fn, void *ctx)
{
    (void)m;
    return t_ts_check_record(line, n, fn, ctx);
}

long t_ts_check_file(const char *path, FILE *out)
{
    return check_lines(NULL, ts_record, path, out);
}
